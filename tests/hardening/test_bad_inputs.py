"""Every file of the bad-input corpus gives a clear message, or a plan with warnings.

The same files go through the loader (`plan_from_bytes`, what the upload calls) and the
command line (`python -m analysis summary FILE --json`): an error exits non-zero with one
line on stderr naming the file (and the row), in Chinese and English, never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from analysis.findings import PlanImportError
from analysis.model import plan_from_bytes
from tests.conftest import ROOT
from tests.hardening.corpus import Case, corpus, write

CASES = corpus()
BY_NAME = {case.name: case for case in CASES}
CJK = re.compile("[\u4e00-\u9fff]")


def _id(case: Case) -> str:
    return case.name


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_each_bad_input_gives_a_clear_message_or_a_plan(case: Case):
    started = time.perf_counter()
    if case.error:
        with pytest.raises(PlanImportError) as caught:
            plan_from_bytes(case.data, case.name)
        error = caught.value
        finding = error.findings[0]
        assert finding.code == case.error, error.message("en")
        zh, en = error.message("zh"), error.message("en")
        assert zh.startswith(case.name) and en.startswith(case.name), (zh, en)  # names the file
        assert CJK.search(zh.removeprefix(case.name)) and re.search("[a-z]{4} [a-z]{2,}", en), (zh, en)  # both languages
        for words in case.says:
            assert words in en, en
        if case.row is not None:
            assert finding.row == case.row
            assert f"第{case.row}行" in zh and f"row {case.row}" in en
        assert "\n" not in zh and "\n" not in en  # one line, in the app and on stderr
    else:
        plan = plan_from_bytes(case.data, case.name)
        case.check(plan)
        for finding in plan.report.warnings:
            assert finding.message("zh").startswith(case.name)
    # Refused or read, never slow: the largest (49 MB, 50 MB + 1 byte, a 256 MB zip bomb) included.
    assert time.perf_counter() - started < 30


def _run_cli(path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "default"}  # warnings would show on stderr: there must be none
    return subprocess.run(
        [sys.executable, "-m", "analysis", "summary", str(path), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_cli_gives_one_line_per_bad_file_and_json_for_the_others(tmp_path):
    cases = [c for c in CASES if c.cli and "large" not in c.tags]
    paths = write(cases, tmp_path)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda c: _run_cli(paths[c.name]), cases))
    for case, result in zip(cases, results, strict=True):
        assert "Traceback" not in result.stderr, (case.name, result.stderr)
        if case.error:
            assert result.returncode != 0, case.name
            lines = result.stderr.splitlines()
            assert len(lines) == 1, (case.name, result.stderr)
            assert case.name in lines[0] and CJK.search(lines[0]), lines[0]
            assert result.stdout == ""
        else:
            assert result.returncode == 0, (case.name, result.stderr)
            assert result.stderr == "", (case.name, result.stderr)
            summary = json.loads(result.stdout)
            assert summary["tasks"] and summary["plan"]["source"] == case.name


def test_cli_refuses_a_file_over_the_limit_without_reading_it(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: 2 GB on paper, nothing on disk
        handle.truncate(2 * 1024 ** 3)
    started = time.perf_counter()
    result = _run_cli(path)
    assert time.perf_counter() - started < 20
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "huge.csv" in result.stderr and "50 MB" in result.stderr and "Traceback" not in result.stderr


def test_cli_on_a_broken_plan_folder(tmp_path):
    (tmp_path / "plan.json").write_text("{not json", encoding="utf-8")
    result = _run_cli(tmp_path)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "plan.json" in result.stderr
    (tmp_path / "plan.json").write_text('{"title": "x"}', encoding="utf-8")
    result = _run_cli(tmp_path)
    assert result.returncode == 2 and "table" in result.stderr and "Traceback" not in result.stderr


def test_rows_past_the_limit_are_refused_early_in_every_format(monkeypatch):
    """The row limit (200 000 rows, 100 000 tasks) is checked while reading, in each reader."""
    from analysis.io import limits as loaders
    from tests.hardening.corpus import HEADER, csv_of, docx_bytes, xlsx_bytes

    monkeypatch.setattr(loaders, "MAX_GRID_ROWS", 50)
    monkeypatch.setattr(loaders, "MAX_TASKS", 40)
    rows = [HEADER] + [[str(i), f"任务{i}。", "省经信厅", ""] for i in range(1, 61)]
    files = {
        "many.csv": csv_of(60),
        "many.txt": "\n".join("\t".join(r) for r in rows).encode(),
        "many.xlsx": xlsx_bytes(rows),
        "many.docx": docx_bytes(rows),
    }
    for name, data in files.items():
        with pytest.raises(PlanImportError) as caught:
            plan_from_bytes(data, name)
        assert caught.value.findings[0].code in ("too_many_rows", "too_many_tasks"), (name, caught.value)
        assert caught.value.findings[0].row is not None
    # Under the row limit but over the task limit (headings do not count as tasks).
    monkeypatch.setattr(loaders, "MAX_GRID_ROWS", 500)
    with pytest.raises(PlanImportError) as caught:
        plan_from_bytes(csv_of(60), "tasks.csv")
    assert caught.value.findings[0].code == "too_many_tasks" and "40" in caught.value.message("en")


def test_cells_past_the_limit_are_refused(monkeypatch):
    from analysis.io import limits as loaders
    from tests.hardening.corpus import HEADER, xlsx_bytes

    monkeypatch.setattr(loaders, "MAX_CELLS", 100)
    wide = [HEADER + [f"列{i}" for i in range(40)]] + [["1", "任务。", "省经信厅", ""] + ["x"] * 40] * 5
    with pytest.raises(PlanImportError) as caught:
        plan_from_bytes(xlsx_bytes(wide), "wide.xlsx")
    assert caught.value.findings[0].code == "too_many_cells"


def test_a_hostile_merge_over_the_whole_sheet_stays_cheap():
    """A merge of A1:XFD1048576 (or thousands of overlapping ones) spreads only over the rows present."""
    from tests.hardening.corpus import HEADER, rezip, xlsx_bytes

    good = xlsx_bytes([HEADER, ["1", "任务。", "省经信厅", ""], ["2", "任务。", "", ""]])
    merges = b"".join(b'<mergeCell ref="C2:XFD1048576"/>' for _ in range(5000))

    def add_merges(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        return content.replace(b"</sheetData>", b"</sheetData><mergeCells count=\"5000\">" + merges + b"</mergeCells>")

    started = time.perf_counter()
    plan = plan_from_bytes(rezip(good, add_merges), "merges.xlsx")
    assert time.perf_counter() - started < 10
    assert plan.tasks["lead_text"].tolist() == ["省经信厅", "省经信厅"]


def test_duplicate_numbers_never_collide_with_written_ones():
    data = "序号,重点工作任务,牵头单位,配合单位\n1,甲,省经信厅,\n1,乙,省经信厅,\n1-2,丙,省经信厅,\n,丁,省经信厅,\nr5,戊,省经信厅,\n".encode()
    plan = plan_from_bytes(data, "ids.csv")
    ids = plan.tasks["task_id"].tolist()
    assert len(ids) == len(set(ids)) == 5
    assert ids[2] == "1-2" and ids[4] == "r5"  # numbers as written keep their id
    assert plan.assignments.groupby("task_id").size().to_dict() == dict.fromkeys(ids, 1)


def test_a_repeated_agency_gives_one_warning_per_task():
    cell = "、".join(["省经信厅"] * 5000)
    data = f"序号,重点工作任务,牵头单位,配合单位\n1,任务。,{cell},省经信厅\n".encode()
    plan = plan_from_bytes(data, "repeat.csv")
    repeated = [f for f in plan.report.warnings if f.code == "repeated_agency"]
    assert len(repeated) == 1 and "5001 times" in repeated[0].message_en


def test_year_less_deadlines_do_not_stretch_an_untitled_plan():
    data = "序号,重点工作任务,牵头单位,配合单位\n1,年底前完成。,省经信厅,\n2,2022年6月底前完成。,省经信厅,\n".encode()
    plan = plan_from_bytes(data, "untitled.csv")
    assert (plan.meta.period_start.year, plan.meta.period_end.year) == (2022, 2022)


def test_many_unknown_agencies_load_in_linear_time():
    """One warning per unknown agency, found without a scan of the table per agency."""
    rows = "\n".join(f"{i},任务{i}。,自定单位{i}号,自定单位{i + 1}号" for i in range(1, 20_001))
    started = time.perf_counter()
    plan = plan_from_bytes(f"序号,重点工作任务,牵头单位,配合单位\n{rows}\n".encode(), "unknown.csv")
    assert time.perf_counter() - started < 30
    unknown = [f for f in plan.report.warnings if f.code == "unknown_agency"]
    assert len(unknown) == 20_001 and unknown[0].row == 2
