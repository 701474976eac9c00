"""Health checks: each app server's and the proxy's ``/_stcore/health`` (Streamlit answers "ok").

    python3 -m deploy.health http://127.0.0.1:8080 http://127.0.0.1:8501 http://127.0.0.1:8502

Prints one line per address and exits 0 when every one answers, 1 otherwise: for a monitoring
system, a cron job or ``ExecStartPost=`` of a unit. nginx itself takes a server that refuses
connections out of rotation for 10 s (``max_fails=1 fail_timeout=10s`` in deploy/nginx/taskboard.conf).
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.request


def check(url: str, timeout: float = 5.0) -> tuple[bool, str]:
    """(healthy, what was seen) for one address."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/_stcore/health", timeout=timeout) as response:
            body = response.read(100).decode("utf-8", "replace").strip()
            ok = response.status == 200 and body == "ok"
            return ok, f"{response.status} {body!r} in {time.perf_counter() - started:.2f} s"
    except OSError as exc:
        return False, f"unreachable ({getattr(exc, 'reason', exc)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.health", description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", metavar="URL", help="http://host:port of a server or of nginx")
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args(argv)
    healthy = True
    for url in args.urls:
        ok, seen = check(url, args.timeout)
        healthy &= ok
        print(f"{'ok  ' if ok else 'FAIL'} {url}  {seen}")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
