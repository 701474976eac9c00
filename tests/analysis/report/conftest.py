"""Fixtures of the meeting-pack tests: each deck is built once for the package, in one browser."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from pptx import Presentation

from analysis import report
from analysis.model import Plan, load_bundled_plan, plan_from_bytes
from analysis.report.render import chart_renderer
from tests.analysis.report.helpers import (
    AGENCY,
    HOSTILE_LEAD,
    HOSTILE_SUPPORT,
    MEETING,
    WINDOW,
)


@pytest.fixture(scope="package")
def plan() -> Plan:
    return load_bundled_plan()


@pytest.fixture(scope="package")
def renderer() -> Iterator[None]:
    with chart_renderer():  # one Chromium for every deck built in this package
        yield


@pytest.fixture(scope="package")
def deck(plan: Plan, renderer: None) -> Any:
    data = report.build_pptx(plan, meeting_date=MEETING, window_days=WINDOW)
    return Presentation(io.BytesIO(data))


@pytest.fixture(scope="package")
def agency_deck(plan: Plan, renderer: None) -> Any:
    data = report.build_pptx(plan, meeting_date=MEETING, agency=AGENCY, window_days=WINDOW)
    return Presentation(io.BytesIO(data))


@pytest.fixture(scope="package")
def html_text(plan: Plan) -> str:
    return report.build_html(plan, meeting_date=MEETING, window_days=WINDOW).decode("utf-8")


@pytest.fixture(scope="package")
def hostile_plan() -> Plan:
    rows = [
        ["序号", "重点工作任务", "牵头单位", "配合单位"],
        ["1", "2020年9月底前建成一批基站。", HOSTILE_LEAD, HOSTILE_SUPPORT],
        ["2", "推进“5G+工业互联网”融合应用。", "省经信厅", HOSTILE_SUPPORT],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return plan_from_bytes(buffer.getvalue().encode("utf-8"), "hostile.csv")
