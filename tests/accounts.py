"""Accounts for tests that write to a workspace: every write is checked against the actor's account
(``analysis.store.access``), so a test names an account that exists and may do what it tests.

    from tests.accounts import add_staff
    add_staff(ws)          # an admin "admin" and workspace coordinators named as the older tests name their actors
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis.store import Workspace
from analysis.store.access import Grant
from analysis.vocab import AccessRole

ADMIN = "admin"
ADMIN_PASSWORD = "correct horse battery staple"  # a test password, never a deployment's
#: The actor names the store, CLI and page tests write with: workspace coordinators.
STAFF = ("王伟", "李娜", "甲", "乙", "丙", "tester", "crash", "dashboard", "脚本", "测试", "张强")


def session_token(ws: Workspace, name: str) -> str:
    """A live sign-in session of ``name`` (as the sidebar's sign-in makes one), for page tests:
    ``open_app(..., auth_token=session_token(ws, "王伟"))``. The STAFF accounts have no password;
    the session is made the way the store makes one after a right password."""
    from sqlalchemy import select

    from analysis.store.models import AccountRow, utcnow

    book = ws.accounts
    with ws._sessions.begin() as session:
        row = session.scalars(select(AccountRow).where(AccountRow.name == name)).one()
        return book._new_session(session, row, utcnow())


def add_admin(ws: Workspace, name: str = ADMIN, password: str | None = ADMIN_PASSWORD) -> None:
    if ws.accounts.get(name) is None:
        ws.accounts.add(name, [Grant(AccessRole.ADMIN)], password=password, actor=None if not ws.accounts.count() else ADMIN)


STAFF_PASSWORD = "staff password for tests"


def add_staff(ws: Workspace, names: Iterable[str] = STAFF, *, passwords: bool = False) -> Workspace:
    """An admin and a workspace coordinator for each of ``names`` (once); with ``passwords`` they
    sign in with ``STAFF_PASSWORD`` (browser tests), else they have none (named by the store's callers)."""
    add_admin(ws)
    for name in names:
        if ws.accounts.get(name) is None:
            ws.accounts.add(name, [Grant(AccessRole.COORDINATOR)], password=STAFF_PASSWORD if passwords else None,
                            actor=ADMIN)
    return ws
