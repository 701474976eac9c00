"""A trial of the many-users deployment on this machine: PostgreSQL, N app servers, nginx.

    python3 -m deploy.run --servers 2 --port 8080        # open http://127.0.0.1:8080, Ctrl-C stops all
    python3 -m deploy.run --servers 2 --database postgresql+psycopg://app@db.example/taskboard
    python3 -m deploy.run --print-nginx --servers 4 --listen 80 > /etc/nginx/conf.d/taskboard.conf

Without --database a throwaway PostgreSQL server is started (deleted afterwards). Everything
listens on 127.0.0.1 only; --print-nginx writes the proxy configuration for servers on ports
8501, 8502, … (the systemd units in deploy/systemd/) instead.

Anyone may read; writing needs a signed-in account (issue 18). While the workspace has no account
the trial prints how to create the first admin (``python3 -m analysis users add NAME --role admin``
with the workspace's URL in ``TASKBOARD_DB``, the password read from standard input), who then
signs in through the sidebar and adds the others (the 账号 Accounts section, or ``users add``).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time

from sqlalchemy.engine import make_url

from deploy.stack import nginx_site, running_stack, stop_on_sigterm


def first_admin_hint(database: str) -> str | None:
    """How to create the first admin of ``database``, None when it has accounts already. The URL is
    shown without its password (a trial's throwaway database has none)."""
    from analysis.store import open_workspace

    ws = open_workspace(database, seed=False)
    try:
        if ws.accounts.count():
            return None
    finally:
        ws.close()
    url = make_url(database)
    shown = url.render_as_string(hide_password=True)
    note = "  (the URL you gave, with its password)" if url.password else ""
    return ("No account yet: anyone may read, nobody may write. Create the first admin (the password is read "
            "from standard input), then sign in through the sidebar:\n"
            f"  TASKBOARD_DB={shlex.quote(shown)} python3 -m analysis users add NAME --role admin{note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.run", description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2, help="Streamlit servers (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--database", help="the workspace's SQLAlchemy URL (default: a throwaway PostgreSQL)")
    parser.add_argument("--print-nginx", action="store_true", help="print the nginx configuration and stop")
    parser.add_argument("--listen", default="80", help="with --print-nginx: nginx's listen address (default 80)")
    parser.add_argument("--first-port", type=int, default=8501, help="with --print-nginx: the first server's port")
    args = parser.parse_args(argv)
    if not 1 <= args.servers <= 32:
        parser.error("--servers: 1 to 32")
    if args.print_nginx:
        sys.stdout.write(nginx_site(list(range(args.first_port, args.first_port + args.servers)), args.listen))
        return 0
    stop_on_sigterm()
    with running_stack(args.servers, database=args.database, port=args.port) as stack:
        print(f"nginx: {stack.url}  (servers: {', '.join(s.url for s in stack.servers)})", flush=True)
        print(f"database: {make_url(stack.database).render_as_string(hide_password=True)}", flush=True)
        hint = first_admin_hint(stack.database)
        if hint:
            print(hint, flush=True)
        print("Ctrl-C stops everything.", flush=True)
        try:
            while all(s.alive for s in stack.servers):
                time.sleep(1)
            print("an app server stopped; stopping the rest", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
