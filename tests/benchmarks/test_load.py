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
         "--think", "0.3", "--no-warm-up", "--json"],
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


def test_a_killed_server_loses_no_report_and_its_sessions_come_back_on_the_other():
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
