"""`python -m analysis workspace backup|restore`: a round trip on SQLite and on PostgreSQL keeps every
plan, version (source bytes), report, meeting and decision; wrong inputs are refused clearly."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from analysis.store import open_workspace
from analysis.store.access import PermissionDenied
from analysis.store.backup import BackupError, backup, counts, restore
from analysis.store.models import MeetingDecisionRow, ProgressReportRow
from tests.accounts import ADMIN, add_staff
from tests.analysis.plan_edits import seed_text, version_two
from tests.analysis.store.test_cli import failed, ok, run


def _fill(url: str) -> None:
    with open_workspace(url) as ws:
        add_staff(ws)  # the accounts the writes below act as (an admin "admin" among them)
        ws.add_version(1, version_two(seed_text()).encode("utf-8"), "tasks-v2.txt", actor="王伟")
        ws.add_plan(seed_text().encode("utf-8"), "第二个方案.txt", actor="王伟", title="另一方案")
        first = ws.report_progress(1, "1", "in_progress", percent=30, note="推进中", expected_previous=None, actor="李娜")
        ws.report_progress(1, "1", "done", percent=100, note="已完成", expected_previous=first.report_id, actor="李娜")
        ws.report_progress(2, "2", "delayed", note="延期", expected_previous=None, actor="张强")
        meeting = ws.meetings.add(1, dt.date(2020, 9, 15), actor="王伟", title="第一次协调会")
        ws.meetings.decide(meeting.meeting_id, "4", actor="王伟", deadline=dt.date(2021, 3, 31), note="顺延")


def _contents(url: str) -> tuple[object, ...]:
    with open_workspace(url, seed=False) as ws, ws.engine.connect() as connection:
        sources = {(p.plan_id, v.version): ws.plan_source(p.plan_id, v.version)
                   for p in ws.list_plans() for v in ws.versions(p.plan_id)}
        reports = connection.execute(select(ProgressReportRow.id, ProgressReportRow.task_key, ProgressReportRow.status,
                                            ProgressReportRow.note, ProgressReportRow.reported_by)
                                     .order_by(ProgressReportRow.id)).all()
        decisions = connection.execute(select(MeetingDecisionRow.task_key, MeetingDecisionRow.deadline)).all()
        return sources, [tuple(r) for r in reports], [tuple(d) for d in decisions]


@pytest.fixture
def second_url(db_url, tmp_path, request):
    """Another empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored' / 'taskboard.db'}"
    return request.getfixturevalue("postgres_server").create_database()


def test_round_trip_through_the_cli_keeps_everything(db_url, second_url, tmp_path):
    _fill(db_url)
    before = counts(db_url)
    assert before.as_dict() == {"plans": 2, "versions": 3, "reports": 3, "meetings": 1, "decisions": 1}
    file = tmp_path / "taskboard.backup"
    written = ok(db_url, "workspace", "backup", "--out", str(file), "--json")
    assert written == {"file": str(file), **before.as_dict()}
    # The file is a SQLite database or a pg_dump custom-format archive, never text.
    assert file.read_bytes()[:5] in (b"SQLit", b"PGDMP")
    # Into an empty database (no accounts there yet to protect; nothing staffed by the test first).
    result = run(second_url, "workspace", "restore", str(file), "--json", staff=False)
    assert result.returncode == 0, result.stderr
    restored = json.loads(result.stdout)
    assert restored == {"file": str(file), **before.as_dict()}
    assert _contents(second_url) == _contents(db_url)  # source bytes, reports, decisions equal
    with open_workspace(second_url) as ws:  # a working workspace: it takes the next report
        current = ws.current_report(1, "1")
        assert current is not None and current.note == "已完成"
        ws.report_progress(1, "1", "done", percent=100, expected_previous=current.report_id, actor="李娜")


def test_restore_refuses_to_overwrite_plans_without_replace(db_url, tmp_path):
    _fill(db_url)
    file = tmp_path / "taskboard.backup"
    backup(db_url, file)
    with open_workspace(db_url) as ws:
        ws.report_progress(2, "5", "done", expected_previous=None, actor="李娜")  # after the backup
        revision = ws.revision()
    message = failed(db_url, "workspace", "restore", str(file))
    assert "--replace" in message and "工作区中已有 2 个方案" in message
    assert counts(db_url).reports == 4  # nothing changed
    # The workspace has accounts: only one of its admins restores over it.
    for who in (None, "王伟", "无此账号"):
        with pytest.raises(PermissionDenied):
            restore(db_url, file, replace=True, actor=who)
    assert "admin" in failed(db_url, "workspace", "restore", str(file), "--replace", "--user", "王伟")
    assert counts(db_url).reports == 4
    assert restore(db_url, file, replace=True, actor=ADMIN).reports == 3  # back to the backup's state
    with open_workspace(db_url) as ws:
        assert ws.revision() > revision  # app servers drop their caches
        last = ws.audit()[-1]
        assert (last.actor, last.action, last.object) == (ADMIN, "restore", file.name)


def test_a_backup_of_the_other_kind_or_not_a_backup_is_refused(db_url, tmp_path):
    other = tmp_path / "other.backup"
    if db_url.startswith("sqlite"):
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        kind, into = "postgresql", "sqlite"
    else:
        open_workspace(f"sqlite:///{tmp_path / 'w.db'}").close()
        backup(f"sqlite:///{tmp_path / 'w.db'}", other)
        kind, into = "sqlite", "postgresql"
    with pytest.raises(BackupError, match=f"{kind} backup; it cannot be restored into a {into} database"):
        restore(db_url, other)
    text = tmp_path / "notes.txt"
    text.write_text("不是备份", encoding="utf-8")
    assert "不是工作区备份" in failed(db_url, "workspace", "restore", str(text))
    assert "does not exist" in failed(db_url, "workspace", "restore", str(tmp_path / "missing.backup"))
