"""Server CPU of one warm rerun of each page on a workspace: `python -m benchmarks.rerun_cost`.

    python -m benchmarks.rerun_cost                       # every page, 5 warm reruns each
    python -m benchmarks.rerun_cost --pages progress meetings --runs 10
    python -m benchmarks.rerun_cost --profile progress    # cProfile of the script thread, one page
    python -m benchmarks.rerun_cost --after-write         # each rerun after somebody else's report

The app runs through AppTest on a throwaway SQLite workspace seeded with the bundled plan (as the
load test's servers are), with some progress reports, one meeting with a decision and a follow-up,
and a signed-in coordinator. Each page is opened and run once (caches warm), then rerun `--runs`
times; CPU is the whole process's (time.process_time: the script thread and AppTest's own work),
so compare figures from one machine and one run, before and after.

``--after-write``: before each timed rerun another account saves a progress report through the
store (as a colleague on another server would), and the revision check is made due, so every
rerun is the first one after a write: what the load test's sessions mostly see while people report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.profile_page import profile_script_thread
from benchmarks.worker import APP

ALL_PAGES = ("overview", "workload", "timeline", "network", "tasks", "progress", "meetings", "portfolio", "audit")
ACTOR = "bench_coordinator"


def seed(url: str) -> str:
    """Reports, a meeting with a decision, an account: returns a sign-in token for the account."""
    from sqlalchemy import select

    from analysis.store import open_workspace
    from analysis.store.access import Grant
    from analysis.store.models import AccountRow, utcnow
    from analysis.vocab import AccessRole, ProgressStatus

    ws = open_workspace(url)
    try:
        ws.accounts.add("bench_admin", [Grant(AccessRole.ADMIN)], password=None, actor=None)
        ws.accounts.add(ACTOR, [Grant(AccessRole.COORDINATOR)], password=None, actor="bench_admin")
        plan = ws.load_plan(1)
        statuses = tuple(ProgressStatus)
        for i, task in enumerate(list(plan.tasks["task_id"].astype(str))[:12]):
            _report(ws, task, statuses[i % len(statuses)])
        meeting = ws.meetings.add(1, dt.date(2020, 9, 15), actor=ACTOR, title="bench")
        task = str(plan.tasks["task_id"].iloc[2])
        ws.meetings.decide(meeting.meeting_id, task, actor=ACTOR, deadline=dt.date(2020, 12, 31), note="n",
                           follow_up_by="x", follow_up_due=dt.date(2020, 10, 31))
        book = ws.accounts
        with ws._sessions.begin() as session:
            row = session.scalars(select(AccountRow).where(AccountRow.name == ACTOR)).one()
            return book._new_session(session, row, utcnow())
    finally:
        ws.close()


def _report(ws: Any, task: str, status: str) -> None:
    """The coordinator's report on a task of plan 1, on top of its current one."""
    current = ws.current_report(1, task)
    ws.report_progress(1, task, status, expected_previous=current.report_id if current else None, actor=ACTOR,
                       as_of=dt.date(2020, 9, 1))


def write_elsewhere(url: str, round_: int) -> None:
    """A report saved by another account (another server's session): the workspace's revision moves on."""
    from analysis.store import open_workspace
    from analysis.vocab import ProgressStatus
    from dashboard import workspace_state

    ws = open_workspace(url)
    try:
        plan = ws.load_plan(1)
        tasks = list(plan.tasks["task_id"].astype(str))
        statuses = tuple(ProgressStatus)
        _report(ws, tasks[(round_ * 7) % len(tasks)], statuses[round_ % len(statuses)])
    finally:
        ws.close()
    workspace_state.changed()  # as if the revision check were due: the next rerun reads the new revision


def share_script_cache() -> None:
    """One compiled-script cache for every run, as a server has (``Runtime`` makes one): AppTest makes a
    new one per run, so each run would parse, rewrite (Streamlit's "magic") and compile app.py and the
    page again, about a third of a warm rerun's CPU that no server spends."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    for module in (app_test, local_script_runner):
        setattr(module, "ScriptCache", lambda: shared)  # noqa: B010 - the name each module calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rerun_cost")
    parser.add_argument("--pages", nargs="*", default=list(ALL_PAGES), choices=ALL_PAGES)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", choices=ALL_PAGES, default=None)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--after-write", action="store_true",
                        help="before each timed rerun, another account saves a report (not counted)")
    args = parser.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="rerun_cost_")
    url = f"sqlite:///{Path(tmp) / 'w.db'}"
    os.environ["TASKBOARD_DB"] = url
    token = seed(url)

    from streamlit.testing.v1 import AppTest
    script_profile, active = profile_script_thread()
    share_script_cache()

    pages = [args.profile] if args.profile else args.pages
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.session_state["auth_token"] = token
    at.run()
    print(f"{'page':<10} {'cpu/rerun s':>11} {'wall/rerun s':>12}")
    for page in pages:
        at.switch_page(f"pages/{page}.py")
        at.run()
        at.run()  # warm
        if at.exception:
            print(page, "exception:", [e.value for e in at.exception])
            continue
        active["on"] = args.profile is not None
        cpu = wall = 0.0
        for round_ in range(args.runs):
            if args.after_write:
                active["on"] = False
                write_elsewhere(url, round_)
                active["on"] = args.profile is not None
            cpu0, wall0 = time.process_time(), time.perf_counter()
            at.run()
            cpu, wall = cpu + time.process_time() - cpu0, wall + time.perf_counter() - wall0
        active["on"] = False
        print(f"{page:<10} {cpu / args.runs:>11.3f} {wall / args.runs:>12.3f}", flush=True)
    if args.profile:
        stream = io.StringIO()
        pstats.Stats(script_profile, stream=stream).sort_stats(args.sort).print_stats(args.top)
        print(stream.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
