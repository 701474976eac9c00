"""A throwaway PostgreSQL server for tests, from Debian's ``postgresql`` package.

    from tests.pg import postgres_server        # a session-scoped pytest fixture
    def test_x(postgres_server): url = postgres_server.create_database()

The server lives in a temporary folder, listens on 127.0.0.1 only (and a Unix socket in that
folder), trusts the local user ``app`` and is stopped (``pg_ctl stop -m fast``) and deleted at
the end. As root the server runs as the ``postgres`` system user (``runuser``), as PostgreSQL
refuses to run as root. A watchdog process (its own session, so a kill of the test run's process
group spares it) stops and deletes the server when the process that started it is gone without
stopping it: a test run killed or timed out leaves no server behind. When the binaries are missing the fixture fails if the environment
variable ``CI`` is set (CI must run these tests) and skips with the reason otherwise.

Run by hand: ``python -m tests.pg`` starts one, prints its URL and waits for Enter.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ROOT = Path("/usr/lib/postgresql")
PREFERRED_VERSION = "15"
USER = "app"


def find_bin_dir() -> Path | None:
    """The bin folder of the installed PostgreSQL server (15 preferred, else the newest)."""
    preferred = PG_ROOT / PREFERRED_VERSION / "bin"
    if (preferred / "initdb").exists():
        return preferred
    found = sorted(
        (p for p in PG_ROOT.glob("*/bin") if (p / "initdb").exists() and p.parent.name.isdigit()),
        key=lambda p: int(p.parent.name),
    )
    return found[-1] if found else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Run by the watchdog: waits while the owner lives and the folder exists, then stops the server
# (the given command) and deletes the folder. argv: owner pid, folder, stop command…
_WATCHDOG = """
import os, shutil, subprocess, sys, time
owner, folder, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while os.path.isdir(folder):
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        subprocess.run(command, capture_output=True, timeout=120, check=False)
        shutil.rmtree(folder, ignore_errors=True)
        break
    time.sleep(0.5)
"""


class PostgresServer:
    """One running server; ``create_database()`` gives a fresh database's SQLAlchemy URL."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="taskboard-pg-"))
        self.data = self.dir / "data"
        self.port = 0
        self._as_root = os.geteuid() == 0
        self._watchdog: subprocess.Popen[bytes] | None = None

    def _command(self, *args: str) -> list[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        return ["runuser", "-u", "postgres", "--", *command] if self._as_root else command

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = self._command(*args)
        result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120, cwd=self.dir)
        if check and result.returncode != 0:
            log = self.dir / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}\n{tail}")
        return result

    def start(self) -> None:
        if self._as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C.UTF-8")
        stop = self._command("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(self.dir), *stop],
            start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for attempt in range(5):
            self.port = free_port()
            options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
            result = self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                               "-w", "start", check=attempt == 4)
            if result.returncode == 0:
                return

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, name: str | None = None) -> str:
        name = name or "t_" + uuid.uuid4().hex[:16]
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
            if self._watchdog is not None:  # it sees the folder gone; no need to wait for that
                self._watchdog.kill()
                self._watchdog.wait()


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError(f"no PostgreSQL server under {PG_ROOT} (Debian package postgresql)")
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if find_bin_dir() is None:
        reason = (f"PostgreSQL server binaries not found under {PG_ROOT}: "
                  "install Debian's postgresql (bash scripts/install.sh --dev)")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with running_server() as server:
        yield server


if __name__ == "__main__":
    with running_server() as server:
        print(server.create_database("scratch"))
        input("PostgreSQL is running; press Enter to stop it. ")
