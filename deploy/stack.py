"""The whole stack on one machine: PostgreSQL, N Streamlit servers and nginx in front, on 127.0.0.1.

    from deploy.stack import running_stack
    with running_stack(servers=2) as stack:     # a throwaway PostgreSQL unless database= is given
        stack.url                               # http://127.0.0.1:PORT/ (nginx)
        stack.servers[0].url, stack.database    # one app server, the workspace's SQLAlchemy URL
        stack.kill(0)                           # SIGKILL one server (the kill test)

For a trial, the load test (benchmarks/load.py) and its tests; a real deployment runs the same
pieces as services (deploy/systemd/, deploy/nginx/taskboard.conf; README "Deploy for many users").
Nothing listens beyond 127.0.0.1. Everything started is stopped on leaving the ``with``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = Path(__file__).resolve().parent / "nginx" / "taskboard.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UPLOAD_MB = 50  # .streamlit/config.toml server.maxUploadSize


def stop_on_sigterm() -> None:
    """SIGTERM (systemd, ``timeout``) unwinds like Ctrl-C, so ``running_stack`` stops what it started."""

    def _exit(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


UPSTREAM_HEADER = "X-Taskboard-Upstream"  # trial only: which app server answered


def nginx_site(ports: list[int], listen: str, *, host: str = "127.0.0.1", upload_mb: int = UPLOAD_MB,
               trial: bool = False) -> str:
    """deploy/nginx/taskboard.conf with its placeholders filled."""
    servers = "\n".join(f"    server {host}:{port} max_fails=1 fail_timeout=10s;" for port in ports)
    extra = f"    add_header {UPSTREAM_HEADER} $upstream_addr always;" if trial else ""
    return (NGINX_TEMPLATE.read_text(encoding="utf-8").replace("@SERVERS@", servers)
            .replace("@LISTEN@", listen).replace("@MAX_BODY@", f"{upload_mb + 2}m").replace("@TRIAL@", extra))


def _main_conf(prefix: Path, site: Path) -> str:
    """A whole nginx.conf for a trial run by this user in ``prefix`` (Debian's own is for the service)."""
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {name}_temp_path {prefix / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
            f"events {{ worker_connections 4096; }}\nhttp {{\n    access_log off;\n{temp}\n"
            f"    include {site};\n}}\n")


def wait_healthy(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} not healthy after {timeout:.0f} s")
        time.sleep(0.3)


@dataclass
class AppServer:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Stack:
    url: str
    database: str
    servers: list[AppServer] = field(default_factory=list)
    folder: Path = Path()

    def kill(self, index: int) -> None:
        """Kill one app server at once (SIGKILL: no clean shutdown, as in a crash)."""
        server = self.servers[index]
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=30)


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def start_app_server(port: int, database: str, cookie_secret: str, log: Path,
                     extra_env: dict[str, str] | None = None) -> AppServer:
    """``streamlit run app.py`` on 127.0.0.1:port with the shared settings of every server."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TASKBOARD_DB": database,
           # Every server must accept the cookies another one set (XSRF, sign-in).
           "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret, **(extra_env or {})}
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false", "--server.maxUploadSize", str(UPLOAD_MB)],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    return AppServer(port, process)


@contextlib.contextmanager
def _postgres(database: str | None) -> Iterator[str]:
    if database is not None:
        yield database
        return
    from tests.pg import running_server

    with running_server() as server:
        yield server.create_database("taskboard")


@contextlib.contextmanager
def running_stack(servers: int = 2, *, database: str | None = None, port: int | None = None,
                  nginx: bool = True, timeout: float = 120, extra_env: dict[str, str] | None = None,
                  keep_logs: Path | None = None, prepare: Callable[[str], None] | None = None) -> Iterator[Stack]:
    """PostgreSQL (unless ``database``), ``servers`` app servers and nginx on ``port`` (default: free).
    ``prepare``: called with the database URL once its schema exists, before any server starts
    (the load test creates its accounts there).

    With ``nginx=False`` (one server measured on its own) ``stack.url`` is that server's URL."""
    if nginx and not Path(NGINX).exists():
        raise RuntimeError("nginx is not installed: run `bash scripts/install.sh --deploy` (or --dev) first")
    folder = Path(tempfile.mkdtemp(prefix="taskboard-stack-"))
    started: list[AppServer] = []
    proxy: subprocess.Popen[bytes] | None = None
    try:
        with _postgres(database) as url:
            # The schema and the bundled plan, once, before the servers race to create them.
            from analysis.store import open_workspace

            open_workspace(url).close()
            if prepare is not None:
                prepare(url)
            cookie_secret = secrets.token_urlsafe(32)
            for _ in range(servers):
                started.append(start_app_server(free_port(), url, cookie_secret, folder / f"app-{len(started)}.log",
                                                extra_env))
            for server in started:
                wait_healthy(server.url, timeout, server.process)
            front = started[0].url
            if nginx:
                listen_port = port or free_port()
                site = folder / "taskboard.conf"
                site.write_text(nginx_site([s.port for s in started], f"127.0.0.1:{listen_port}", trial=True), encoding="utf-8")
                for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                    (folder / name).mkdir()
                conf = folder / "nginx.conf"
                conf.write_text(_main_conf(folder, site), encoding="utf-8")
                if os.geteuid() == 0:
                    os.chmod(folder, 0o755)
                proxy = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
                                         stdout=subprocess.DEVNULL, stderr=open(folder / "nginx.out", "wb"),  # noqa: SIM115
                                         start_new_session=True)
                front = f"http://127.0.0.1:{listen_port}"
                wait_healthy(front, 30, proxy)
            yield Stack(url=front, database=url, servers=started, folder=folder)
    finally:
        if proxy is not None:
            _stop(proxy, signal.SIGQUIT)
        for server in started:
            _stop(server.process)
        if keep_logs is not None:
            keep_logs.mkdir(parents=True, exist_ok=True)
            for log in folder.glob("*.log"):
                shutil.copy(log, keep_logs / log.name)
        shutil.rmtree(folder, ignore_errors=True)
