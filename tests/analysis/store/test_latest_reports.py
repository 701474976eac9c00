"""The ``latest_reports`` table (each task's report of the highest ``seq``) stays equal to what the
reports themselves say under every kind of write, on SQLite and PostgreSQL; the migration that
adds it fills it from the reports already there."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import insert, select, text

from analysis.store import ConcurrentReportError, ReportInput, open_workspace
from analysis.store.db import alembic_config, current_revision
from analysis.store.models import LatestReportRow, ProgressReportRow, utcnow
from analysis.store.portfolio import LATEST_COLUMNS, latest_query, latest_reports
from tests.accounts import add_staff
from tests.analysis.plan_edits import edit, seed_text, version_two

FIELDS = ("report_id", "seq", "version", "status", "period", "as_of")


def _table(ws) -> dict[tuple[int, str], tuple[object, ...]]:
    with ws.engine.connect() as connection:
        rows = connection.execute(select(LatestReportRow.plan_id, LatestReportRow.task_key, LatestReportRow.report_id,
                                         LatestReportRow.seq, LatestReportRow.version, LatestReportRow.status,
                                         LatestReportRow.period, LatestReportRow.as_of)).all()
    return {(int(r[0]), str(r[1])): tuple(r[2:]) for r in rows}


def _independent(ws) -> dict[tuple[int, str], tuple[object, ...]]:
    """Each task's report of the highest seq, found in Python from every report row."""
    with ws.engine.connect() as connection:
        rows = connection.execute(select(ProgressReportRow.plan_id, ProgressReportRow.task_key, ProgressReportRow.id,
                                         ProgressReportRow.seq, ProgressReportRow.version, ProgressReportRow.status,
                                         ProgressReportRow.period, ProgressReportRow.as_of)).all()
    best: dict[tuple[int, str], tuple[object, ...]] = {}
    for row in rows:
        key = (int(row[0]), str(row[1]))
        if key not in best or int(row[3]) > int(best[key][1]):  # type: ignore[call-overload]
            best[key] = tuple(row[2:])
    return best


def _check(ws) -> dict[tuple[int, str], tuple[object, ...]]:
    table = _table(ws)
    assert table == _independent(ws)
    return table


def test_the_table_follows_every_write(workspace):
    ws = workspace
    assert _check(ws) == {}
    first = ws.report_progress(1, "3", "in_progress", percent=20, expected_previous=None, actor="王伟",
                               as_of=dt.date(2020, 9, 1))
    table = _check(ws)
    assert table[(1, "3")][:4] == (first.report_id, 1, 1, "in_progress")
    second = ws.report_progress(1, "3", "delayed", expected_previous=first.report_id, actor="王伟",
                                as_of=dt.date(2020, 10, 1))
    assert _check(ws)[(1, "3")][:4] == (second.report_id, 2, 1, "delayed")

    # A report naming a report that is no longer current is refused: the table keeps the current one.
    with pytest.raises(ConcurrentReportError):
        ws.report_progress(1, "3", "done", expected_previous=first.report_id, actor="李娜")
    assert _check(ws)[(1, "3")][0] == second.report_id

    # An import with repeats: the last report of each task is its latest.
    saved = ws.import_reports(1, [ReportInput("4", "in_progress", None, as_of=dt.date(2020, 9, 1)),
                                  ReportInput("4", "done", None, as_of=dt.date(2020, 9, 2)),
                                  ReportInput("3", "done", second.report_id, as_of=dt.date(2020, 11, 1))],
                              actor="王伟", repeats=True)
    table = _check(ws)
    assert table[(1, "4")][:2] == (saved[1].report_id, 2)
    assert table[(1, "3")][:4] == (saved[2].report_id, 3, 1, "done")

    # An import refused as a whole (a bad row) leaves the table as it was.
    with pytest.raises(Exception, match="none saved"):
        ws.import_reports(1, [ReportInput("5", "in_progress", None), ReportInput("no such task", "done", None)],
                          actor="王伟")
    assert _check(ws) == table

    # A meeting's status decision is a report too.
    meeting = ws.meetings.add(1, dt.date(2020, 12, 1), actor="王伟")
    ws.meetings.decide(meeting.meeting_id, "5", status="delayed", actor="王伟", note="延期")
    assert _check(ws)[(1, "5")][3] == "delayed"

    # A new version: reports on it are numbered on from the task's earlier ones.
    ws.add_version(1, version_two(seed_text()).encode(), "tasks-v2.txt", actor="李娜")
    current = ws.current_report(1, "3")
    assert current is not None
    after = ws.report_progress(1, "3", "in_progress", expected_previous=current.report_id, actor="王伟",
                               as_of=dt.date(2021, 1, 1))
    assert _check(ws)[(1, "3")][:3] == (after.report_id, 4, 2)

    # A bulk insert outside the store (as the benchmark's build does) keeps it right as well.
    with ws.engine.begin() as connection:
        connection.execute(insert(ProgressReportRow.__table__), [
            {"plan_id": 1, "task_key": "6", "version": 2, "seq": seq, "status": status, "percent": None, "note": "",
             "evidence": "", "agency": "", "as_of": dt.date(2021, 2, seq), "period": "2021-02",
             "reported_at": utcnow(), "reported_by": "王伟", "previous_report_id": None}
            for seq, status in ((1, "not_started"), (2, "in_progress"))])
    assert _check(ws)[(1, "6")][1:4] == (2, 2, "in_progress")

    # A second plan, then its removal: its rows go with it.
    v3 = edit(version_two(seed_text()), replace={"4": {1: "推动全省数据中心绿色化改造，降低能耗水平。"}})
    other = ws.add_plan(v3.encode(), "other.txt", actor="王伟")
    ws.report_progress(other.plan_id, "1", "done", expected_previous=None, actor="王伟")
    assert (other.plan_id, "1") in _check(ws)
    ws.remove_plan(other.plan_id, actor="王伟")
    assert {p for p, _ in _check(ws)} == {1}


def test_cross_plan_latest_reports_equal_the_scan_of_every_report(workspace):
    """``latest_reports`` (read from the table, reading reports again only for tasks whose latest
    report is after the date) gives what the scan of every report gives, with and without a date."""
    ws = workspace
    other = ws.add_plan(version_two(seed_text()).encode(), "other.txt", actor="王伟").plan_id
    previous = None
    for day, status in ((1, "in_progress"), (2, "delayed"), (3, "done")):
        previous = ws.report_progress(1, "1", status, expected_previous=previous, actor="李娜",
                                      as_of=dt.date(2021, 6, day)).report_id
    ws.report_progress(1, "1", "suspended", expected_previous=previous, actor="李娜", as_of=dt.date(2021, 8, 1))
    ws.report_progress(1, "2", "in_progress", expected_previous=None, actor="李娜", as_of=dt.date(2021, 7, 1))
    ws.report_progress(other, "1", "done", expected_previous=None, actor="李娜", as_of=dt.date(2021, 5, 1))
    for as_of in (None, dt.date(2021, 6, 30), dt.date(2021, 6, 2), dt.date(2021, 5, 1), dt.date(2020, 1, 1)):
        for plans in (None, [1], [other]):
            with ws.engine.connect() as connection:
                scanned = sorted(tuple(r)[:len(LATEST_COLUMNS)] for r in connection.execute(latest_query(as_of, plans)))
            frame = latest_reports(ws, as_of, plans)
            assert list(frame.columns) == LATEST_COLUMNS
            assert sorted(tuple(r) for r in frame.itertuples(index=False)) == scanned, (as_of, plans)
    at = {(p, t): s for p, t, _, _, s, _, _ in latest_reports(ws, dt.date(2021, 6, 2)).itertuples(index=False)}
    assert at == {(1, "1"): "delayed", (other, "1"): "done"}


def test_the_migration_fills_the_table_from_the_reports(db_url):
    ws = add_staff(open_workspace(db_url))
    previous = None
    for number, status in enumerate(("not_started", "in_progress", "done"), start=1):
        previous = ws.report_progress(1, "3", status, expected_previous=previous, actor="王伟",
                                      as_of=dt.date(2020, number, 1)).report_id
    ws.report_progress(1, "4", "delayed", expected_previous=None, actor="王伟")
    expected = _check(ws)
    assert len(expected) == 2
    with ws.engine.connect() as connection:
        config = alembic_config(connection)
        command.downgrade(config, "0006_revision")
        connection.commit()
        assert "latest_reports" not in {r[0] for r in connection.execute(text(
            "SELECT table_name FROM information_schema.tables" if connection.dialect.name == "postgresql"
            else "SELECT name FROM sqlite_master WHERE type = 'table'"))}
    # Reports written while the table is gone (a workspace of before).
    with ws.engine.begin() as connection:
        connection.execute(insert(ProgressReportRow.__table__), [
            {"plan_id": 1, "task_key": "3", "version": 1, "seq": 4, "status": "suspended", "percent": None,
             "note": "", "evidence": "", "agency": "", "as_of": dt.date(2020, 5, 1), "period": "2020-05",
             "reported_at": utcnow(), "reported_by": "王伟", "previous_report_id": previous}])
    with ws.engine.connect() as connection:
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
        assert current_revision(connection) == "0007_lat17"
    table = _check(ws)
    assert table[(1, "3")][1:4] == (4, 1, "suspended") and set(table) == set(expected)
    # And the trigger is back: a new report moves the row on.
    after = ws.report_progress(1, "3", "done", expected_previous=table[(1, "3")][0], actor="王伟")  # type: ignore[arg-type]
    assert _check(ws)[(1, "3")][:2] == (after.report_id, 5)
    ws.close()


def test_backup_and_restore_keep_the_table_and_its_trigger(db_url, tmp_path):
    from analysis.store.backup import backup, restore
    from tests.accounts import ADMIN

    ws = add_staff(open_workspace(db_url))
    first = ws.report_progress(1, "1", "in_progress", expected_previous=None, actor="李娜")
    ws.report_progress(1, "1", "done", expected_previous=first.report_id, actor="李娜")
    ws.report_progress(1, "2", "delayed", expected_previous=None, actor="李娜")
    saved = _check(ws)
    file = tmp_path / "taskboard.backup"
    backup(db_url, file)
    ws.report_progress(1, "5", "done", expected_previous=None, actor="李娜")  # after the backup
    assert (1, "5") in _check(ws)
    ws.close()
    restore(db_url, file, replace=True, actor=ADMIN)
    with open_workspace(db_url) as ws:
        assert _check(ws) == saved  # the backup's state: task 5's row is gone with its report
        current = ws.current_report(1, "2")
        assert current is not None
        again = ws.report_progress(1, "2", "in_progress", expected_previous=current.report_id, actor="李娜")
        assert _check(ws)[(1, "2")][:2] == (again.report_id, 2)  # the trigger came back with the restore


def test_a_row_of_latest_reports_is_the_current_report(workspace):
    """The app finds a task's current report in the plan's latest reports (one read for every task):
    ``Report.from_record`` of its row must be what ``current_report`` reads, field for field."""
    from analysis.store import Report

    ws = workspace
    first = ws.report_progress(1, "3", "in_progress", percent=20, expected_previous=None, actor="王伟",
                               note="**进展**", evidence="附件", agency="省发展改革委", as_of=dt.date(2020, 9, 1))
    ws.report_progress(1, "3", "delayed", expected_previous=first.report_id, actor="李娜", as_of=dt.date(2020, 10, 1))
    ws.report_progress(1, "5", "done", expected_previous=None, actor="王伟", percent=None)
    latest = ws.latest_reports(1)
    tasks = ws.load_plan(1).tasks["task_id"].astype(str).tolist()
    found = 0
    for task in tasks:
        rows = latest.loc[latest["task_id"] == task]
        current = ws.current_report(1, task)
        if rows.empty:
            assert current is None
            continue
        assert Report.from_record(1, rows.iloc[0].to_dict()) == current
        found += 1
    assert found == 2
    again = Report.from_record(1, latest.loc[latest["task_id"] == "3"].iloc[0].to_dict())
    assert again.previous_report_id == first.report_id and again.percent is None and again.status == "delayed"
