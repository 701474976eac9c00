"""The HTML report: self-contained and offline, print styles, every task, escaping, English,
and the `report` command writing one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from plotly.offline import get_plotlyjs

from analysis import report
from analysis.__main__ import main
from tests.analysis.report.helpers import HOSTILE_SUPPORT, MEETING


def test_unknown_agency_is_an_error(plan):
    with pytest.raises(ValueError, match="不在当前计划"):
        report.build_html(plan, meeting_date=MEETING, agency="不存在的单位")


def test_html_holds_every_chart_and_plotly_once(html_text):
    assert html_text.count('class="plotly-graph-div"') == 3  # workload, timeline, network
    assert html_text.count("Plotly.newPlot(") == 3
    assert html_text.count(get_plotlyjs()) == 1
    assert html_text.count('"displaylogo": false') == 3


def test_html_opens_offline(html_text):
    library = get_plotlyjs()
    ours = html_text.replace(library, "")  # plotly.js itself names URLs inside strings it never loads
    assert "http://" not in ours and "https://" not in ours
    assert not re.search(r"<link\b|@import|\burl\(", ours, re.IGNORECASE)
    assert not re.search(r"<(script|img|iframe|link|source|embed)\b[^>]*\b(src|href)\s*=", html_text, re.IGNORECASE)
    assert "mathjax" not in ours.lower().replace("mathjaxconfig: 'local'", "")
    assert "topojson" not in ours.lower()


def test_html_print_styles(html_text):
    assert "@media print" in html_text
    assert "page-break-inside: avoid" in html_text and "page-break-before: always" in html_text


def test_html_tables_hold_every_task(html_text, plan):
    for text in plan.tasks["text"]:
        assert " ".join(text.split()) in html_text or text in html_text


def test_html_escapes_hostile_agency_names(hostile_plan):
    names = set(hostile_plan.agencies["agency"])
    hostile = [n for n in names if "<" in n]
    assert hostile  # the import keeps the angle brackets (it splits the lead at "/")
    for agency in (None, HOSTILE_SUPPORT):
        page = report.build_html(hostile_plan, meeting_date=dt.date(2020, 9, 1), agency=agency).decode("utf-8")
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "&lt;script&gt;alert(1)" in page


def test_html_in_english(plan):
    page = report.build_html(plan, meeting_date=MEETING, lang="en").decode("utf-8")
    assert '<html lang="en">' in page and "Coordination meeting pack" in page and "Key figures" in page


def test_cli_writes_html_and_reports_errors_on_one_line(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out), "--lang", "en"]) == 0
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    capsys.readouterr()
    for argv in (["report", "--out", str(tmp_path / "x.pdf")],
                 ["report", "--out", str(tmp_path / "x.html"), "--agency", "不存在"],
                 ["report", "--out", str(tmp_path / "missing" / "x.html")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("错误 error:")
