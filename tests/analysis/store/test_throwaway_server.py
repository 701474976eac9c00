"""The tests' throwaway PostgreSQL server (tests/pg.py) never outlives a killed test run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.pg import find_bin_dir

ROOT = Path(__file__).resolve().parents[3]

_OWNER = """
import time
from tests.pg import PostgresServer, find_bin_dir
server = PostgresServer(find_bin_dir())
server.start()
print(server.dir, server.port, flush=True)
time.sleep(600)
"""


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_owner_leaves_no_server(how):
    if find_bin_dir() is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("PostgreSQL server binaries not installed")
    owner = subprocess.Popen([sys.executable, "-c", _OWNER], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        folder, port = owner.stdout.readline().split()
        assert Path(folder).is_dir() and _accepts(int(port))  # running
        owner.send_signal(how)  # no finally, no fixture teardown runs
        owner.wait(timeout=30)
        deadline = time.monotonic() + 60
        while (Path(folder).exists() or _accepts(int(port))) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not Path(folder).exists(), "the server's folder is left"
        assert not _accepts(int(port)), "the server still runs"
    finally:
        owner.kill()
        owner.wait()
