"""The decks and HTML reports of the Zhejiang plan say exactly what they said before the report
became a package: per slide the title, every text frame and table cell, and the number of
pictures (not the images); the HTML report's visible text line by line.

The golden file, tests/analysis/golden/report_zhejiang.json, was written from the single-module
report (commit 8f5a306's analysis/report.py). After an intended change of content, rewrite it
with `REPORT_GOLDEN_UPDATE=1 python3 -m pytest tests/analysis/report/test_same_output.py` and
review the diff. Today's date (the "generated on" line) is stored as {today}.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from analysis import report
from analysis.model import Plan
from analysis.report import content
from tests.analysis.report.helpers import (
    AGENCY,
    MEETING,
    SMALL_LIMITS,
    WINDOW,
    deck_dump,
    html_text_lines,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "report_zhejiang.json"

# name → (agency, language, lowered limits: the summary variants of tests/analysis/report/test_summary.py)
CASES: dict[str, tuple[str | None, str, dict[str, int]]] = {
    "plan_zh": (None, "zh", {}),
    "plan_en": (None, "en", {}),
    "agency_zh": (AGENCY, "zh", {}),
    "agency_en": (AGENCY, "en", {}),
    "summary_zh": (None, "zh", SMALL_LIMITS),
    "summary_agency_zh": (AGENCY, "zh", {**SMALL_LIMITS, "NETWORK_MAX_NODES": 5}),
}


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def outputs(plan: Plan, renderer: None) -> dict[str, dict[str, Any]]:
    built = {}
    for name, (agency, lang, limits) in CASES.items():
        with pytest.MonkeyPatch.context() as patch:
            for key, value in limits.items():
                patch.setattr(content, key, value)
            options: dict[str, Any] = {"meeting_date": MEETING, "lang": lang, "agency": agency, "window_days": WINDOW}
            built[name] = {"deck": deck_dump(report.build_pptx(plan, **options)),
                           "html": html_text_lines(report.build_html(plan, **options))}
    if os.environ.get("REPORT_GOLDEN_UPDATE") == "1":
        GOLDEN.write_text(json.dumps(built, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return built


def test_golden_covers_every_case(golden: dict[str, Any]) -> None:
    assert sorted(golden) == sorted(CASES)
    for name, case in golden.items():
        assert case["deck"] and case["html"], name
        assert case["deck"][0]["title"] is None  # the title slide has no title placeholder


@pytest.mark.parametrize("name", list(CASES))
def test_slide_titles_are_unchanged(name: str, outputs: dict[str, Any], golden: dict[str, Any]) -> None:
    assert [s["title"] for s in outputs[name]["deck"]] == [s["title"] for s in golden[name]["deck"]]


@pytest.mark.parametrize("name", list(CASES))
def test_slide_texts_tables_and_pictures_are_unchanged(name: str, outputs: dict[str, Any],
                                                       golden: dict[str, Any]) -> None:
    got, want = outputs[name]["deck"], golden[name]["deck"]
    assert len(got) == len(want)
    for i, (slide, expected) in enumerate(zip(got, want, strict=True), start=1):
        assert slide == expected, f"slide {i}: {expected['title']}"


@pytest.mark.parametrize("name", list(CASES))
def test_html_text_is_unchanged(name: str, outputs: dict[str, Any], golden: dict[str, Any]) -> None:
    assert outputs[name]["html"] == golden[name]["html"]


def test_the_summary_variants_differ_from_the_full_decks(golden: dict[str, Any]) -> None:
    """The lowered limits really make summary decks (else the variants would test nothing new)."""
    assert len(golden["summary_zh"]["deck"]) < len(golden["plan_zh"]["deck"])
    assert len(golden["summary_agency_zh"]["deck"]) < len(golden["agency_zh"]["deck"])
