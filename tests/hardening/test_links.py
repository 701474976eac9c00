"""Shared links never crash the app: every URL parameter is validated, a meeting date outside
the date widget's range is clamped, an unusable value ignored, each with a notice.

Before the fix `?meeting=2099-01-01` (any date after 2025-12-30 for the bundled plan, today's
date included) raised inside st.date_input: "This app has encountered an error"."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from analysis import links
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def _open(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return at


def _date_widget(at: AppTest) -> dt.date:
    return at.date_input[0].value


@pytest.mark.parametrize(("written", "expected"), [
    ("2099-01-01", dt.date(2025, 12, 30)),  # after the range: the last date the widget allows
    ("0001-01-01", dt.date(2017, 1, 1)),  # before it: the first (3 × 365 days before 2020-01-01)
    ("2021-03-04", dt.date(2021, 3, 4)),  # inside: kept
])
def test_meeting_date_from_a_link_is_clamped_into_the_widget_range(bundled_plan, written: str, expected: dt.date) -> None:
    low, high = links.meeting_bounds(bundled_plan)
    assert (low, high) == (dt.date(2017, 1, 1), dt.date(2025, 12, 30))
    at = _open(meeting=written)
    assert not at.exception, [e.value for e in at.exception]
    assert _date_widget(at) == expected
    toasts = [toast.value for toast in at.toast]
    if written == expected.isoformat():
        assert toasts == []
    else:
        assert any(written in text and expected.isoformat() in text for text in toasts), toasts


@pytest.mark.parametrize("params", [
    {"meeting": "not-a-date"}, {"meeting": "2021-02-30"}, {"lang": "xx"}, {"agency": "不存在的单位"},
    {"role": "boss"}, {"present": "yes"}, {"type": "\u202egnp.exe"},
])
def test_an_unusable_parameter_is_ignored_with_a_notice(params: dict[str, str]) -> None:
    at = _open(**params)
    assert not at.exception, [e.value for e in at.exception]
    (name, value), = params.items()
    toasts = [toast.value for toast in at.toast]
    assert any(f"{name}=" in text and "忽略" in text for text in toasts), toasts
    # the view falls back to its defaults: Chinese, no filter
    assert at.session_state["lang"] == "zh"
    assert not at.session_state["f_agency"] if "f_agency" in at.session_state else True


def test_good_values_are_kept_and_bad_ones_beside_them_dropped(bundled_plan) -> None:
    state = links.read_link({"agency": ["省经信厅", "假单位", "省经信厅"], "lang": ["en"], "present": ["1"]}, bundled_plan)
    assert state.lists == {"f_agency": ["省经信厅"]}
    assert state.lang == "en" and state.present
    assert len(state.notices) == 1 and "假单位" in state.notices[0]("zh")


def test_notices_quote_values_printably_and_briefly(bundled_plan) -> None:
    state = links.read_link({"meeting": ["\u202e" + "9" * 500]}, bundled_plan)
    (notice,) = state.notices
    text = notice("en")
    assert "\u202e" not in text and len(text) < 200


def test_a_link_with_a_huge_list_reads_a_bounded_number_of_values(bundled_plan) -> None:
    values = ["省经信厅"] + ["x"] * (links.MAX_VALUES + 10)
    state = links.read_link({"agency": values}, bundled_plan)
    assert state.lists == {"f_agency": ["省经信厅"]}
    assert len(state.notices) == 1


def test_extreme_plan_periods_do_not_overflow(bundled_plan) -> None:
    import dataclasses

    meta = dataclasses.replace(bundled_plan.meta, period_start=dt.date(1, 1, 1), period_end=dt.date(9999, 12, 31))
    plan = dataclasses.replace(bundled_plan, meta=meta)
    assert links.meeting_bounds(plan) == (dt.date.min, dt.date.max)
    assert links.clamp_meeting(plan, dt.date(2020, 1, 1)) == dt.date(2020, 1, 1)
