"""The pack's data and content model: sections for a plan pack and an agency pack, cells that
carry statuses (never colours), the file formats and the agencies a pack can be made for."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import pairwise

import pytest

from analysis import derive, report


def test_default_meeting_date_is_today_inside_the_plan_period(plan):
    assert derive.default_meeting_date(plan, dt.date(2019, 5, 1)) == dt.date(2020, 1, 1)
    assert derive.default_meeting_date(plan, dt.date(2021, 5, 1)) == dt.date(2021, 5, 1)
    assert derive.default_meeting_date(plan, dt.date(2030, 5, 1)) == dt.date(2022, 12, 31)


def test_report_format_from_suffix():
    assert report.report_format("pack.PPTX") == ".pptx"
    assert report.report_format("r.htm") == ".html"
    with pytest.raises(ValueError, match="unsupported"):
        report.report_format("pack.pdf")


def test_pack_scopes_lists_leaders_by_tasks_led_then_the_rest(plan):
    led = Counter(plan.assignments.loc[plan.assignments["role"] == "lead", "agency"])
    scopes = report.pack_scopes(plan)
    assert sorted(scopes) == sorted(plan.agencies["agency"])  # every agency, once
    leaders = scopes[: len(led)]
    assert set(leaders) == set(led)
    assert [led[a] for a in leaders] == sorted(led.values(), reverse=True)
    table = list(plan.agencies["agency"])
    for first, second in pairwise(leaders):  # ties keep table order
        if led[first] == led[second]:
            assert table.index(first) < table.index(second)
    assert scopes[len(led):] == [a for a in table if a not in led]
    assert scopes[0] == "省经信厅"
