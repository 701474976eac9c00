"""Two processes writing at once, and a writer killed inside its transaction (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pandas as pd
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from analysis.store import ReportInput, open_workspace
from tests.accounts import add_staff
from tests.analysis.store.workers import TASK, crash_in_import, report_rounds

SPAWN = multiprocessing.get_context("spawn")  # no engine or connection inherited from this process


def test_two_processes_on_one_task_lose_no_report(db_url):
    with open_workspace(db_url) as ws:
        add_staff(ws)  # the writers act as coordinators 甲 and 乙
        assert ws.current_report(1, TASK) is None
    quota, free = 6, 15
    barrier = SPAWN.Barrier(2)
    out = SPAWN.Queue()
    workers = [
        SPAWN.Process(target=report_rounds, args=(db_url, actor, 2 * quota, quota, free, barrier, out))
        for actor in ("甲", "乙")
    ]
    for w in workers:
        w.start()
    results = [out.get(timeout=300) for _ in workers]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    saved = [rid for r in results for rid in r["saved"]]
    refused = sum(r["refused"] for r in results)
    attempts = sum(r["attempts"] for r in results)
    print(f"\n{db_url.split(':')[0]}: {attempts} attempts, {len(saved)} saved, {refused} refused and retried")
    assert attempts == len(saved) + refused
    assert all(len(r["saved"]) == quota + free for r in results), [(r["actor"], r["log"]) for r in results]
    # In every lock-step round while both still had reports to make, both named the same previous
    # report: exactly one was saved and the other refused (and retried in the next round).
    round_refusals = sum(len(r["log"]) for r in results)
    assert quota <= round_refusals <= 2 * quota - 1
    with open_workspace(db_url) as ws:
        history = ws.report_history(1, TASK)
    # Every saved report is there, once, in one unbroken chain.
    assert sorted(history["report_id"]) == sorted(saved) and len(saved) == len(set(saved))
    ids = list(history["report_id"])
    previous = [None if pd.isna(v) else int(v) for v in history["previous_report_id"]]
    assert previous == [None, *ids[:-1]]
    # Each writer's own reports in its own order (the note counts them).
    for r in results:
        notes = list(history.loc[history["reported_by"] == r["actor"], "note"])
        assert notes == [f"{r['actor']} {i}" for i in range(quota + free)]


def _write_lock_held(ws) -> bool:
    """Whether another connection holds a write transaction open on the workspace database."""
    with ws.engine.connect() as connection:
        if ws.engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA busy_timeout = 200")
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            except OperationalError as exc:
                return "locked" in str(exc)
            connection.exec_driver_sql("ROLLBACK")
            return False
        rows = connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'idle in transaction' AND backend_xid IS NOT NULL"
        )).scalar_one()
        return bool(rows)


def test_a_writer_killed_inside_an_import_leaves_the_workspace_as_before(db_url):
    with open_workspace(db_url) as ws:
        add_staff(ws)
        ws.report_progress(1, "2", "in_progress", percent=10, expected_previous=None, actor="甲")
        before_latest = ws.latest_reports(1)
        tasks = [str(i) for i in range(3, 23)]
    flushed = SPAWN.Event()
    child = SPAWN.Process(target=crash_in_import, args=(db_url, tasks, flushed))
    child.start()
    try:
        assert flushed.wait(timeout=120), "the importing child never reached the middle of its import"
        with open_workspace(db_url) as ws:
            # The child is inside its transaction with half its rows written, none visible.
            assert _write_lock_held(ws)
            assert ws.latest_reports(1).equals(before_latest)
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=60)
        assert child.exitcode == -signal.SIGKILL
    finally:
        if child.is_alive():
            child.kill()
            child.join()
    with open_workspace(db_url) as ws:
        assert ws.latest_reports(1).equals(before_latest)
        with ws.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM progress_reports")).scalar_one() == 1
            assert connection.execute(
                text("SELECT count(*) FROM progress_reports WHERE note = 'never committed'")
            ).scalar_one() == 0
        # Nothing is left locked: the same import now goes through, whole.
        saved = ws.import_reports(1, [ReportInput(t, "done", None, percent=100) for t in tasks], actor="乙")
        assert [r.task_id for r in saved] == tasks
        assert len(ws.latest_reports(1)) == 1 + len(tasks)


def test_workspaces_opened_at_once_migrate_and_seed_once(db_url):
    """Three processes open a new database together: one migrates and seeds, the others wait for it."""
    procs = [SPAWN.Process(target=open_workspace, args=(db_url,)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    with open_workspace(db_url) as ws:
        assert [(p.plan_id, p.version) for p in ws.list_plans()] == [(1, 1)]
