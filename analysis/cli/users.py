"""`python -m analysis users …` and `python -m analysis audit`: accounts and the audit trail (branch auth, issue 18).

    users add NAME --role viewer|reporter|coordinator|admin [--agency A,B] [--plan PLAN_ID] [--email E]
                   [--no-password] [--user NAME] [--json]
        The password is read from standard input (typed twice at a terminal), never from an argument.
        The first account of a workspace must be an admin and needs no --user; later ones are made by
        an admin or a workspace coordinator (--user NAME).
    users list [--json]                     → [{"name", "roles": [{"role", "agencies", "plan_id"}], "email", "disabled", "password"}]
    users disable NAME --user NAME
    audit [--plan PLAN_ID] [--by NAME] [--action A] [--limit N] [--json]
        → [{"id", "at", "actor", "action", "plan_id", "object", "before", "after"}]
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from analysis.cli.args import whole_number
from analysis.cli.workspace import Command, _actor, _guarded, _print_json
from analysis.vocab import ACCESS_ROLES, AccessRole, Bilingual

_plan_id = whole_number(1)


def _names(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace("，", ",").replace("、", ",").split(",") if p.strip()]


def _read_password() -> str:
    from analysis.store.access import PermissionDenied

    if sys.stdin.isatty():
        first = getpass.getpass("密码 password: ")
        if getpass.getpass("再次输入 again: ") != first:
            raise PermissionDenied(Bilingual("两次输入的密码不一致", "the two passwords differ"))
        return first
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise PermissionDenied(Bilingual("标准输入中没有密码（或用 --no-password 创建无密码账号）",
                                         "no password on standard input (or --no-password for an account without one)"))
    return line


def cmd_users(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace
    from analysis.store.access import Grant

    with open_workspace() as ws:
        if args.users_command == "add":
            role = AccessRole(args.role)
            grant = Grant(role, frozenset(_names(args.agency)), args.plan)
            password = None if args.no_password else _read_password()
            actor = None if not ws.accounts.count() and not args.user else _actor(args)
            account = ws.accounts.add(args.name, [grant], password=password, email=args.email, actor=actor)
            result: Any = _account_json(account)
        elif args.users_command == "disable":
            result = _account_json(ws.accounts.disable(args.name, actor=_actor(args)))
        else:
            result = [_account_json(a) for a in ws.accounts.list()]
    if args.json:
        _print_json(result)
    elif isinstance(result, list):
        for a in result:
            roles = "; ".join(r["role"] + (f" ({','.join(r['agencies'])})" if r["agencies"] else "")
                              + (f" plan {r['plan_id']}" if r["plan_id"] is not None else "") for r in a["roles"])
            print(f"{a['name']}\t{roles}\t{'停用 disabled' if a['disabled'] else ''}")
    else:
        print(f"账号 account {result['name']}: {', '.join(r['role'] for r in result['roles'])}"
              f"{'  停用 disabled' if result['disabled'] else ''}")
    return 0


def _account_json(account: Any) -> dict[str, Any]:
    return {
        "name": account.name,
        "roles": [{"role": str(g.role), "agencies": sorted(g.agencies), "plan_id": g.plan_id} for g in account.grants],
        "email": account.email or None, "disabled": account.disabled, "password": account.has_password,
    }


def cmd_audit(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        entries = ws.audit(plan_id=args.plan, actor=args.by, action=args.action, limit=args.limit)
    if args.json:
        _print_json([e.record() for e in entries])
        return 0
    for e in entries:
        plan = f"plan {e.plan_id}" if e.plan_id is not None else ""
        print(f"{e.id}\t{e.at.isoformat(timespec='seconds')}\t{e.actor}\t{e.action}\t{plan}\t{e.object}")
    return 0


def register(subparsers: Any) -> dict[str, Command]:
    """Add `users` and `audit` to the CLI (called once from ``analysis/__main__.py``'s ``build_parser``)."""
    users = subparsers.add_parser("users", help="accounts that may sign in and change the workspace")
    sub = users.add_subparsers(dest="users_command", required=True)
    add = sub.add_parser("add", help="create an account (password read from standard input)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ACCESS_ROLES)
    add.add_argument("--agency", default=None, metavar="A,B", help="a reporter's agencies")
    add.add_argument("--plan", type=_plan_id, default=None, metavar="PLAN_ID",
                     help="limit a coordinator (or reporter) to this plan")
    add.add_argument("--email", default=None, help="the email the identity provider signs the person in with")
    add.add_argument("--no-password", action="store_true",
                     help="no local password (signs in through the identity provider, or only named by --user)")
    listing = sub.add_parser("list", help="the accounts and their roles")
    disable = sub.add_parser("disable", help="disable an account (its sessions end, its writes are refused)")
    disable.add_argument("name", metavar="NAME")
    for parser in (add, disable):
        parser.add_argument("--user", "--actor", dest="user", default=None, metavar="NAME",
                            help="the account that acts (an admin or a workspace coordinator; default: TASKBOARD_USER)")
    for parser in (add, listing, disable):
        parser.add_argument("--json", action="store_true", help="print JSON")
    trail = subparsers.add_parser("audit", help="the audit trail: every change, who, when, before and after")
    trail.add_argument("--plan", type=_plan_id, default=None, metavar="PLAN_ID", help="the changes of one plan")
    trail.add_argument("--by", default=None, metavar="NAME", help="the changes made by one account")
    trail.add_argument("--action", default=None, metavar="ACTION", help="one kind of change (report, add_plan …)")
    trail.add_argument("--limit", type=whole_number(1), default=None, metavar="N", help="the last N entries")
    trail.add_argument("--json", action="store_true", help="print a JSON list")
    return {"users": _guarded(cmd_users), "audit": _guarded(cmd_audit)}
