"""The shared vocabulary: every member has its text in both languages, no catalogue key is dead,
shared patterns read every dash, and the defaults are used wherever a default is written."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from enum import StrEnum
from pathlib import Path

import pytest

from analysis import i18n, vocab
from analysis.vocab import Bilingual, Role

ROOT = Path(__file__).resolve().parents[2]


def _python_sources(*, exclude: tuple[str, ...] = ("analysis/i18n.py",)) -> str:
    """The project's Python source (committed or not), less the files in `exclude` and tests/."""
    files = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    paths = [ROOT / name for name in files.stdout.split() if name not in exclude and not name.startswith("tests/")]
    # files not yet committed count too (a new page uses its keys before the commit)
    untracked = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "*.py"], cwd=ROOT,
                               capture_output=True, text=True, check=True)
    paths += [ROOT / name for name in untracked.stdout.split() if name not in exclude and not name.startswith("tests/")]
    return "\n".join(p.read_text(encoding="utf-8") for p in paths if p.exists())


@pytest.mark.parametrize("enum", list(i18n.ENUM_KEY_PREFIX))
def test_every_member_has_text_in_both_languages(enum: type[StrEnum]) -> None:
    for member in enum:
        text = i18n.TEXT[i18n.enum_key(member)]
        assert text.zh.strip() and text.en.strip(), member
        assert i18n.label(member, "zh") == text.zh
        assert i18n.label(member, "en") == text.en
        # Chinese text is Chinese, English text has no Chinese characters
        assert re.search(r"[\u4e00-\u9fff]", text.zh), member
        assert not re.search(r"[\u4e00-\u9fff]", text.en), member


def test_every_catalogue_value_is_bilingual_and_complete() -> None:
    for key, text in i18n.TEXT.items():
        assert isinstance(text, Bilingual), key
        assert text.zh and text.en, key
        # the same placeholders in both languages
        assert set(re.findall(r"{(\w+)}", text.zh)) == set(re.findall(r"{(\w+)}", text.en)), key


def test_no_catalogue_key_is_dead() -> None:
    source = _python_sources()
    # keys built in code: f"prefix_{...}" families, and the vocabulary's own keys
    dynamic = set(re.findall(r"""f["']([a-z_]+_)\{""", source))
    enum_keys = {i18n.enum_key(m) for enum in i18n.ENUM_KEY_PREFIX for m in enum}
    dead = [
        key for key in i18n.TEXT
        if key not in enum_keys
        and f'"{key}"' not in source and f"'{key}'" not in source
        and not any(key.startswith(prefix) for prefix in dynamic)
    ]
    assert dead == []


def test_enums_are_their_codes() -> None:
    assert Role.LEAD == "lead" and f"{Role.SUPPORT}" == "support"
    assert vocab.ROLES == ("lead", "support")
    assert vocab.DEADLINE_KINDS == ("explicit", "plan_end", "ongoing")
    assert vocab.DUE_STATUSES == ("overdue", "due_soon", "later", "plan_end")
    assert vocab.AGENCY_TYPES[-1] == "unknown" and "unknown" not in vocab.REGISTRY_TYPES
    assert {s.value for s in vocab.ProgressStatus} == {"not_started", "in_progress", "done", "delayed", "suspended"}
    assert [r.value for r in vocab.Rag] == ["red", "amber", "green"]


def test_bilingual_text() -> None:
    text = Bilingual("会议 {date}", "Meeting {date}")
    assert text("zh", date="9月") == "会议 9月"
    assert text("en", date="Sep") == "Meeting Sep"
    assert text("fr", date="x") == "会议 x"  # unknown language: Chinese
    assert text.format(date="d").pair() == ("会议 d", "Meeting d")


@pytest.mark.parametrize("written", [
    "2020-2022年", "2020—2022年", "2020–2022年", "2020－2022年", "（2020－2022年）", "2020年～2022年",
    "2020~2022年", "2020至2022年", "2020年到2022年", "２０２０－２０２２年", "2020―2022年",
])
def test_year_range_every_dash(written: str) -> None:
    assert vocab.year_range(f"浙江省5G发展行动计划{written}") == (2020, 2022)


def test_single_year_and_no_year() -> None:
    assert vocab.year_range("2025年工作要点") is None
    assert vocab.first_year("2025年全省数字经济工作要点") == 2025
    assert vocab.first_year("工作要点") is None


@pytest.mark.parametrize(("line", "level", "number"), [
    ("第一部分 总体要求", 0, "一"), ("一、总体要求", 1, "一"), ("（三）加快建设", 2, "三"),
    ("1.加快建设", 3, "1"), ("1.2 加快", 3, "1.2"), ("（4）推进", 4, "4"), ("5）推进", 4, "5"), ("①推进", 5, "①"),
])
def test_outline_numbering(line: str, level: int, number: str) -> None:
    found = vocab.outline_level(line)
    assert found is not None and found[:2] == (level, number)


def test_plan_period_with_full_width_dash() -> None:
    """Defect: a title with （2020－2022年） (full-width dash) became a one-year plan."""
    from analysis.model import _parse_period

    assert _parse_period("浙江省5G发展行动计划（2020－2022年）") == (dt.date(2020, 1, 1), dt.date(2022, 12, 31))
    assert _parse_period("2025年全省工作要点") == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_defaults_are_the_only_spelling() -> None:
    """The due window and the lead weight are written once (vocab.DEFAULTS) and read everywhere."""
    source = _python_sources(exclude=("analysis/vocab.py",))
    assert not re.search(r"lead_weight[^\n=]*=\s*2\.0\b", source)
    assert not re.search(r"due_window[^\n]*\b30\b", source)
    from analysis import derive

    assert derive.DEFAULT_DUE_WINDOW_DAYS == vocab.DEFAULTS.due_window_days == 30
    assert derive.DEFAULT_LEAD_WEIGHT == vocab.DEFAULTS.lead_weight == 2.0
