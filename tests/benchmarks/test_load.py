"""The load test over Streamlit's protocol works and loses nothing (issue 19), at CI size.

`python -m benchmarks.load` starts a throwaway PostgreSQL, the app servers and nginx on 127.0.0.1
(deploy.stack), drives sessions over WebSockets, checks every confirmed report in the database
and stops everything. Timings are reported (benchmarks/RESULTS.md), never asserted here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.pg import find_bin_dir

KEYS = {"servers", "sessions", "reruns_per_s", "p50_s", "p95_s", "errors", "writes", "lost_writes"}


@pytest.fixture(autouse=True)
def _needs_postgres_and_nginx():
    missing = [name for name, found in (("postgresql", find_bin_dir()), ("nginx", shutil.which("nginx"))) if not found]
    if missing:
        reason = f"needs Debian's {' and '.join(missing)}: bash scripts/install.sh --dev"
        if __import__("os").environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def test_two_servers_five_sessions_lose_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", "--servers", "2", "--sessions", "5", "--seconds", "8",
         "--think", "0.3", "--ramp", "2", "--no-warm-up", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert KEYS <= set(figures)
    assert (figures["servers"], figures["sessions"]) == (2, 5)
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["writes"] > 0  # every session's tour ends with a saved report
    assert figures["lost_writes"] == 0
    assert figures["reruns"] >= 5 * 3 and figures["reruns_per_s"] > 0
    assert 0 < figures["p50_s"] <= figures["p95_s"]
    assert figures["sessions_held"] == 5
    assert (figures["think_s"], figures["ramp_s"]) == (0.3, 2.0)  # the load model is in the figures
    assert "progress" in figures["p95_by_page_s"] and figures["server_peak_rss_mb"] > 50


def test_a_killed_server_loses_no_report_and_its_sessions_come_back_on_the_other():
    """Deterministic on a loaded machine: the kill waits until every session has started (signed in,
    filtered), every session goes on until it has begun an action after the kill (so each of the killed
    server's sessions meets it), and a reconnect is tried again while nginx finds the live server."""
    from benchmarks.load import run_load

    figures = run_load(2, 6, 22, think=0.3, kill_after=12, warm=False)
    assert figures["killed"] != "none"
    assert figures["disconnects"] >= 1, figures  # the killed server held sessions …
    assert figures["reconnects"] == figures["disconnects"]  # … each connected again through nginx …
    assert figures["restored"] == figures["reconnects"], figures["not_restored"]  # … with its page and filter
    assert figures["restored_filters"] >= 1  # (at least one had an agency filter in its address)
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["writes"] > 0 and figures["lost_writes"] == 0
    assert figures["sessions_held"] == 6


def reports_by(database: str, name: str) -> int:
    from sqlalchemy import create_engine, func, select

    from analysis.store.db import normalise_url
    from analysis.store.models import ProgressReportRow

    engine = create_engine(normalise_url(database))
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).where(ProgressReportRow.reported_by == name)).scalar_one())
    finally:
        engine.dispose()


def test_a_wrong_password_is_refused_and_nothing_is_written():
    """The sign-in is real: a session with a wrong password is refused (counted as errors), and its
    report is refused by the store (asks to sign in), so no write is confirmed or stored."""
    import asyncio
    import dataclasses

    from analysis.i18n import t
    from benchmarks.load import drive, make_accounts
    from deploy.stack import running_stack

    accounts = []
    with running_stack(1, nginx=False, prepare=lambda url: accounts.extend(make_accounts(url, 1))) as stack:
        assert "password=" not in repr(accounts[0])  # the password is never printed
        wrong = [dataclasses.replace(accounts[0], password=accounts[0].password + "x")]
        stats, _ = asyncio.run(drive(stack.url, 1, 1, think=0, max_actions=3, seed=1, tag="wrong", accounts=wrong))
        stored = reports_by(stack.database, accounts[0].user)
    assert any("sign-in as 负载测试0 refused" in e for e in stats.errors), stats.errors
    assert stats.sign_ins == 0 and stats.writes == [] and stored == 0
    asked = t("auth_sign_in_to_write", "zh")
    assert stats.errors[-1].endswith(f"error message {asked}"), stats.errors  # the save was refused, and shown
