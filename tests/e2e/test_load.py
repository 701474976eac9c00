"""A small load test in the suite: 4 people at once, 3 actions each, against the real app.

The full size (20 sessions, every action) is `python -m tests.hardening.load --sessions 20`;
its figures are in tests/hardening/LOAD_RESULTS.md.
"""

from __future__ import annotations

import pytest

from tests.hardening.appserver import require_chromium, running_app
from tests.hardening.load import format_result, run_load

pytestmark = pytest.mark.e2e


def test_four_sessions_at_once_work_without_errors():
    require_chromium()
    with running_app() as url:
        result = run_load(url, sessions=4, actions=3, timeout=90, server_pid=url.pid)
    print(format_result(result))
    assert result.errors == []
    summary = result.summary()
    assert summary["reruns"]["n"] == 12
    # Generous: this guards against hangs and pathologies, not against a busy CI machine.
    assert summary["reruns"]["p95"] < 45


def test_the_load_test_refuses_other_hosts():
    with pytest.raises(ValueError, match="this machine only"):
        run_load("http://example.com:8501", sessions=1, actions=1)
