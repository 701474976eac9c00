"""The real app on a free loopback port, and Debian's Chromium, for browser tests and the load test.

Same approach as the server fixture of tests/e2e/test_browser.py: `streamlit run app.py`
bound to 127.0.0.1, waited for through its health endpoint; nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    # Many pages at once in one browser: background tabs must keep running at full speed.
    "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppURL(str):
    """The app's URL, with the server's process id (for CPU accounting in the load test)."""

    pid: int


@contextlib.contextmanager
def running_app(*, timeout: float = 60, log: Path | None = None, database: str | None = None) -> Iterator[AppURL]:
    """`streamlit run app.py` on 127.0.0.1:<free port>; yields its URL, stops it afterwards.

    The app's workspace is `database` (a SQLAlchemy URL), by default a new SQLite file that
    is removed afterwards: never the repository's data/workspace/."""
    with contextlib.ExitStack() as stack:
        if database is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="taskboard-app-"))
            database = f"sqlite:///{Path(folder) / 'taskboard.db'}"
        yield stack.enter_context(_serve(database, timeout, log))


@contextlib.contextmanager
def _serve(database: str, timeout: float, log: Path | None) -> Iterator[AppURL]:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TASKBOARD_DB": database}
    output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
    )
    url = AppURL(f"http://127.0.0.1:{port}")
    url.pid = process.pid
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {process.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start in time") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if log:
            output.close()


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is not installed: run `bash scripts/install.sh --dev` first")
