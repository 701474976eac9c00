"""Accounts, sign-in and sessions of the workspace (``Workspace.accounts``).

    book = ws.accounts
    book.add("admin", [Grant(AccessRole.ADMIN)], password="…")            # the first admin: no actor needed
    book.add("李娜", [Grant(AccessRole.REPORTER, agencies=frozenset({"省科技厅"}))], password="…", actor="admin")
    token = book.sign_in("李娜", "…")          # raises SignInError; AccountLockedError while locked
    book.session_account(token)                # Account, or None when expired / signed out / disabled
    book.sign_out(token)

Passwords are hashed with argon2 (argon2-cffi). Sign-in attempts are limited per account: after
``MAX_FAILURES`` failures in a row the account is locked for ``LOCK_BASE`` (doubling with every
further failure, at most ``LOCK_MAX``); while locked, every attempt is refused, the right
password too. A session token is 32 random bytes (URL-safe text); only its SHA-256 is stored;
a session ends after ``idle`` without use (default 8 hours; ``TASKBOARD_SESSION_IDLE_MINUTES``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.store import audit
from analysis.store.access import SYSTEM, Account, Action, Grant, PermissionDenied, check
from analysis.store.errors import WorkspaceError
from analysis.store.models import AccountRoleRow, AccountRow, SessionRow, utcnow
from analysis.vocab import AccessRole, Bilingual

if TYPE_CHECKING:
    from analysis.store.workspace import Workspace

MAX_FAILURES: Final = 5
LOCK_BASE: Final = dt.timedelta(seconds=60)
LOCK_MAX: Final = dt.timedelta(hours=1)
DEFAULT_IDLE: Final = dt.timedelta(hours=8)
IDLE_ENV: Final = "TASKBOARD_SESSION_IDLE_MINUTES"
NAME_LIMIT: Final = 200
MIN_PASSWORD: Final = 8
RESERVED_NAMES: Final = frozenset({SYSTEM.name})

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against for an unknown name, so that a wrong name takes as long as a wrong password."""
    return _hasher.hash(secrets.token_urlsafe(16))


class SignInError(WorkspaceError):
    """Wrong name or password (which one is not said), or an account that may not sign in."""


class AccountLockedError(SignInError):
    def __init__(self, name: str, until: dt.datetime) -> None:
        self.until = until
        when = until.strftime("%H:%M:%S")
        super().__init__(Bilingual(
            f"账号“{name}”因多次登录失败已暂时锁定，请于 {when}（UTC）后再试",
            f"account {name!r} is locked after repeated failed sign-ins; try again after {when} UTC",
        ))


def _wrong() -> SignInError:
    return SignInError(Bilingual("用户名或密码错误", "wrong name or password"))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def lock_for(failures: int) -> dt.timedelta:
    """How long an account stays locked after ``failures`` failures in a row (zero below the limit)."""
    if failures < MAX_FAILURES:
        return dt.timedelta(0)
    lock: dt.timedelta = LOCK_BASE * (2 ** min(failures - MAX_FAILURES, 20))
    return min(lock, LOCK_MAX)


def idle_from_env() -> dt.timedelta:
    text = os.environ.get(IDLE_ENV, "").strip()
    if not text:
        return DEFAULT_IDLE
    try:
        minutes = int(text)
    except ValueError:
        raise WorkspaceError(Bilingual(f"{IDLE_ENV} 须为分钟数：{text!r}", f"{IDLE_ENV} must be minutes: {text!r}")) from None
    if minutes < 1:
        raise WorkspaceError(Bilingual(f"{IDLE_ENV} 至少为 1", f"{IDLE_ENV} must be at least 1"))
    return dt.timedelta(minutes=minutes)


def account_of(row: AccountRow) -> Account:
    grants = tuple(Grant(AccessRole(g.role), frozenset(g.agencies or ()), g.plan_id) for g in row.grants)
    return Account(row.name, grants, disabled=bool(row.disabled), email=row.email or "",
                   has_password=row.password_hash is not None)


def resolve(session: Session, actor: str | Account) -> Account:
    """The account a write is made by, as stored now (roles and disabled flag read in the write's
    transaction). Only the store's own ``SYSTEM`` account needs no row."""
    if actor is SYSTEM:
        return SYSTEM
    name = (actor.name if isinstance(actor, Account) else actor or "").strip()
    if not name:
        raise PermissionDenied(Bilingual("须先登录：修改工作区须注明操作人（账号）",
                                         "sign in first: a change to the workspace needs the acting account (actor)"))
    row = session.scalars(select(AccountRow).where(AccountRow.name == name)).first()
    if row is None:
        raise PermissionDenied(Bilingual(
            f"没有名为“{name}”的账号，无权修改工作区（创建账号：python -m analysis users add NAME --role …）",
            f"no account named {name!r} may change the workspace (create one: python -m analysis users add NAME --role …)",
        ), actor=name)
    return account_of(row)


class Accounts:
    """Accounts of the workspace, their sign-in and sessions."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self._sessions = workspace._sessions
        self.idle = idle_from_env()

    # -------------------------------------------------------------- reading

    def count(self) -> int:
        with self._sessions() as session:
            return int(session.scalar(select(func.count()).select_from(AccountRow)) or 0)

    def list(self) -> list[Account]:
        with self._sessions() as session:
            return [account_of(r) for r in session.scalars(select(AccountRow).order_by(AccountRow.name))]

    def get(self, name: str) -> Account | None:
        with self._sessions() as session:
            row = session.scalars(select(AccountRow).where(AccountRow.name == name)).first()
            return account_of(row) if row is not None else None

    # -------------------------------------------------------------- writing

    def add(self, name: str, grants: Sequence[Grant], *, password: str | None = None, email: str | None = None,
            actor: str | Account | None = None) -> Account:
        """Create an account. ``actor`` may be None only for the first account of the workspace,
        which must be an admin (the bootstrap the CLI's ``users add`` does)."""
        name = (name or "").strip()
        if not name or len(name) > NAME_LIMIT:
            raise WorkspaceError(Bilingual("账号名称须为 1–200 个字符", "an account name must be 1-200 characters"))
        if name in RESERVED_NAMES:
            raise WorkspaceError(Bilingual(f"“{name}”为系统保留名称", f"{name!r} is reserved"))
        if password is not None and len(password) < MIN_PASSWORD:
            raise WorkspaceError(Bilingual(f"密码至少 {MIN_PASSWORD} 个字符", f"a password needs at least {MIN_PASSWORD} characters"))
        grants = list(grants) or [Grant(AccessRole.VIEWER)]
        for grant in grants:
            if grant.role == AccessRole.REPORTER and not grant.agencies:
                raise WorkspaceError(Bilingual("报送人须指定至少一个单位（--agency）",
                                               "a reporter needs at least one agency (--agency)"))
            if grant.role == AccessRole.ADMIN and grant.plan_id is not None:
                raise WorkspaceError(Bilingual("管理员不限于某一方案", "an admin is not limited to one plan"))
        hashed = _hasher.hash(password) if password is not None else None
        try:
            with self._sessions.begin() as session:
                if actor is None:
                    if session.scalar(select(func.count()).select_from(AccountRow)):
                        raise PermissionDenied(Bilingual(
                            "工作区已有账号：须以有权管理账号的账号操作（--user NAME）",
                            "the workspace has accounts already: act as an account that manages accounts (--user NAME)",
                        ))
                    if not any(g.role == AccessRole.ADMIN for g in grants):
                        raise PermissionDenied(Bilingual("第一个账号须为管理员（--role admin）",
                                                         "the first account must be an admin (--role admin)"))
                    by = name
                else:
                    acting = resolve(session, actor)
                    check(acting, Action.MANAGE_ACCOUNTS, grants=grants)
                    by = acting.name
                row = AccountRow(name=name, email=(email or "").strip() or None, password_hash=hashed,
                                 created_at=utcnow(), disabled=False, failed_attempts=0)
                row.grants = [AccountRoleRow(role=str(g.role), agencies=sorted(g.agencies), plan_id=g.plan_id)
                              for g in grants]
                session.add(row)
                session.flush()
                account = account_of(row)
                audit.append(session, by, audit.AuditAction.ACCOUNT_ADD, object=f"account {name}",
                             after={"name": name, "email": row.email, "grants": grants,
                                    "password": hashed is not None})
                return account
        except IntegrityError:
            raise WorkspaceError(Bilingual(f"账号“{name}”（或其邮箱）已存在", f"account {name!r} (or its email) exists already")) from None

    def disable(self, name: str, *, actor: str | Account) -> Account:
        """Disable an account: it can no longer sign in, its sessions end, its writes are refused."""
        with self._sessions.begin() as session:
            acting = resolve(session, actor)
            row = session.scalars(select(AccountRow).where(AccountRow.name == name)).first()
            if row is None:
                raise WorkspaceError(Bilingual(f"没有名为“{name}”的账号", f"no account named {name!r}"))
            target = account_of(row)
            check(acting, Action.MANAGE_ACCOUNTS, target=target)
            row.disabled = True
            session.execute(delete(SessionRow).where(SessionRow.account_id == row.id))
            audit.append(session, acting.name, audit.AuditAction.ACCOUNT_DISABLE, object=f"account {name}",
                         before={"disabled": target.disabled}, after={"disabled": True})
            return account_of(row)

    # -------------------------------------------------------------- signing in

    def sign_in(self, name: str, password: str, *, now: dt.datetime | None = None) -> str:
        """A new session token for a right name and password; raises SignInError otherwise, and
        AccountLockedError while the account is locked (the password is then not even tried)."""
        now = now or utcnow()
        with self._sessions.begin() as session:
            row = session.scalars(select(AccountRow).where(AccountRow.name == (name or "").strip())).first()
            if row is None or row.password_hash is None:
                try:
                    _hasher.verify(_dummy_hash(), password or "")
                except VerificationError:
                    pass
                raise _wrong()
            if row.locked_until is not None and row.locked_until > now:
                raise AccountLockedError(row.name, row.locked_until)
            try:
                _hasher.verify(row.password_hash, password or "")
            except (VerificationError, InvalidHashError):
                row.failed_attempts = (row.failed_attempts or 0) + 1
                lock = lock_for(row.failed_attempts)
                row.locked_until = now + lock if lock else None
                failure: SignInError = AccountLockedError(row.name, now + lock) if lock else _wrong()
            else:
                if row.disabled:
                    raise SignInError(Bilingual(f"账号“{row.name}”已停用", f"account {row.name!r} is disabled"))
                row.failed_attempts, row.locked_until = 0, None
                if _hasher.check_needs_rehash(row.password_hash):
                    row.password_hash = _hasher.hash(password)
                return self._new_session(session, row, now)
        raise failure  # after the commit: the failure is counted

    def sign_in_email(self, email: str, *, now: dt.datetime | None = None) -> str:
        """A session for the account with this email, signed in by the identity provider (OIDC)."""
        now = now or utcnow()
        with self._sessions.begin() as session:
            row = session.scalars(select(AccountRow).where(AccountRow.email == (email or "").strip())).first()
            if row is None or row.disabled:
                raise SignInError(Bilingual(f"没有可用的账号对应邮箱 {email}", f"no active account has the email {email}"))
            return self._new_session(session, row, now)

    def _new_session(self, session: Session, row: AccountRow, now: dt.datetime) -> str:
        token = secrets.token_urlsafe(32)
        session.add(SessionRow(token_hash=token_hash(token), account_id=row.id, created_at=now, last_seen_at=now,
                               expires_at=now + self.idle))
        return token

    def session_account(self, token: str | None, *, now: dt.datetime | None = None) -> Account | None:
        """The account of a live session (its idle time starts again), None when it has expired,
        was ended, or its account is disabled."""
        if not token:
            return None
        now = now or utcnow()
        with self._sessions.begin() as session:
            row = session.get(SessionRow, token_hash(token))
            if row is None:
                return None
            if row.expires_at <= now:
                session.delete(row)
                return None
            account = session.get(AccountRow, row.account_id)
            if account is None or account.disabled:
                session.delete(row)
                return None
            row.last_seen_at, row.expires_at = now, now + self.idle
            return account_of(account)

    def sign_out(self, token: str | None) -> None:
        if token:
            with self._sessions.begin() as session:
                session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))


__all__ = ["AccountLockedError", "Accounts", "SignInError", "lock_for", "resolve", "token_hash"]
