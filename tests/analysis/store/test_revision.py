"""The workspace's revision counter: every committed write counts it up once, in its own transaction;
reads and refused writes leave it alone (app servers key their caches by it)."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.progress import RagRule
from analysis.store import ConcurrentReportError, ReportValidationError, open_workspace
from tests.accounts import STAFF, add_staff


def test_every_kind_of_write_counts_the_revision_once(db_url, seed_bytes):
    with open_workspace(db_url) as ws:
        assert ws.revision() == 1  # the bundled plan seeded on first use
        add_staff(ws)  # the accounts the writes below act as (each account added is a write too)
        assert ws.revision() == 1 + 1 + len(STAFF)

        def after(write) -> int:
            before = ws.revision()
            write()
            return ws.revision() - before

        assert after(lambda: ws.report_progress(1, "1", "in_progress", expected_previous=None, actor="李娜")) == 1
        assert after(lambda: ws.set_rag_rule(1, RagRule(due_window_days=10), actor="王伟")) == 1
        meeting = ws.meetings.add(1, dt.date(2020, 9, 15), actor="王伟")
        assert after(lambda: ws.meetings.set_agenda(meeting.meeting_id, actor="王伟", drop=[meeting.agenda[0]])) == 1
        assert after(lambda: ws.meetings.decide(meeting.meeting_id, "2", actor="王伟",
                                                deadline=dt.date(2021, 6, 30))) == 1
        assert after(lambda: ws.add_plan(seed_bytes, "copy.txt", actor="王伟")) == 1
        # Reads do not count.
        assert after(lambda: (ws.list_plans(), ws.latest_reports(1), ws.load_plan(1), ws.rag_rule(1))) == 0
        # Refused writes (rolled back) do not count either.
        with pytest.raises(ConcurrentReportError):
            ws.report_progress(1, "1", "done", expected_previous=None, actor="李娜")
        with pytest.raises(ReportValidationError):
            ws.report_progress(1, "1", "bogus", expected_previous=None, actor="李娜")
        before = ws.revision()
        ws.remove_plan(2, actor="王伟")
        assert ws.revision() == before + 1


def test_the_revision_is_the_databases_not_the_processes(db_url):
    with open_workspace(db_url) as one, open_workspace(db_url) as other:
        add_staff(one, ("李娜",))
        before = other.revision()
        one.report_progress(1, "3", "done", expected_previous=None, actor="李娜")
        assert other.revision() == before + 1
