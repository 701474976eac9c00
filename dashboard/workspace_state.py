"""The workspace in the app: which plan is chosen, cached reads, and writes that refresh them.

Part of the app's state (re-exported by ``dashboard.state``, the only caching module by
convention). The workspace database is ``analysis.store.open_workspace()``'s; when it cannot
be opened the app shows the bundled plan read-only (``workspace()`` returns None and
``unavailable_reason()`` says why).

Cached reads are keyed by the workspace's *revision*, a counter the store counts up in the
same transaction as every write (``Workspace.revision``, the table ``workspace_revision``). It is
read at most every ``REVISION_CHECK_SECONDS`` per process (one primary-key read), and at once
after a write from this process (``changed()``): a report saved in this server shows at the next
rerun, one saved through another server or the CLI within ``REVISION_CHECK_SECONDS`` (at the
first rerun after that). Several app servers can so share one database (README, "Deploy for
many users").
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import select

from analysis import isolate
from analysis.findings import PlanImportError
from analysis.meetings import Decision
from analysis.model import Plan, plan_from_bytes
from analysis.progress import RagRule
from analysis.store import PlanVersionInfo, Report, Workspace, open_workspace
from analysis.store.access import Account
from analysis.store.audit import AuditEntry
from analysis.store.db import resolve_url
from analysis.store.errors import WorkspaceError
from analysis.store.models import ProgressReportRow
from analysis.vocab import Bilingual
from dashboard.shared_cache import shared

PLAN_ID = "plan_id"  # the chosen plan (also the sidebar selectbox's key)
PLAN_URL_READ = "plan_url_read"
NEXT_PLAN = "plan_id_next"  # a plan to show from the next rerun (set after the chooser was drawn)
PLAN_PARAM = "plan"
ACTOR = "actor"  # (unused since sign-in: the signed-in account acts; kept for old sessions' keys)
AUTH_TOKEN = "auth_token"  # the sign-in session's token: server memory only, never the URL, page or log
AUTH_SEEN = "auth_seen"  # (Account | None, monotonic time): the session checked at most every AUTH_RECHECK s
AUTH_ERROR = "auth_error"
AUTH_RECHECK = 30.0
WS_ERROR = "ws_error"
PENDING_VERSION = "pending_version"  # (plan_id, bytes, file name, digest, columns): an upload waiting for confirmation
PLAN_NOTICES = "plan_notices"

_log = logging.getLogger(__name__)


def _check_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("TASKBOARD_REVISION_SECONDS", "2")))
    except ValueError:
        return 2.0


#: How often (seconds) a server asks the database whether anybody wrote: the longest a write made
#: through another server stays unseen here. ``TASKBOARD_REVISION_SECONDS`` sets it (default 2).
REVISION_CHECK_SECONDS: float = _check_seconds()
_seen: dict[str, tuple[float, int]] = {}  # workspace URL -> (when read, monotonic clock; revision)
_seen_lock = threading.Lock()


# ------------------------------------------------------------------------------- opening


@shared(max_entries=8)
def _open(url: str) -> Workspace:
    # One Workspace (one engine, one Alembic check) per server process and database.
    ws = open_workspace(url)
    ws.plan_reader = _read_plan
    return ws


@shared(max_entries=16)
def _parsed(digest: str, file: str, columns: tuple[tuple[str, str], ...], _data: bytes) -> Plan:
    from analysis.store import read_plan

    return read_plan(_data, file, dict(columns) or None)


def _read_plan(data: bytes, file: str, columns: Mapping[str, str] | None) -> Plan:
    """The store's plan reader (``Workspace.plan_reader``) memoised by the bytes' digest, file name and
    column mapping: a kept version is rebuilt once per process, not on every ``load_plan`` (the meetings
    page and the follow-ups loaded the plan several times a rerun: 0.2 s each)."""
    from analysis.model import content_hash

    return _parsed(content_hash(data), file, tuple(sorted((columns or {}).items())), data)


def workspace() -> Workspace | None:
    """The workspace, or None when its database cannot be opened (read-only mode)."""
    try:
        ws = _open(resolve_url())
    except Exception as exc:  # noqa: BLE001 - any failure (config, driver, permissions) means read-only
        _log.warning("workspace unavailable: %s", exc)
        st.session_state[WS_ERROR] = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        return None
    st.session_state.pop(WS_ERROR, None)
    return ws


def unavailable_reason() -> str:
    return str(st.session_state.get(WS_ERROR, ""))


def revision(ws: Workspace) -> int:
    """The workspace's revision as last read, read again when older than ``REVISION_CHECK_SECONDS``
    (the cached reads below are keyed by it)."""
    now = time.monotonic()
    with _seen_lock:
        seen = _seen.get(ws.url)
    if seen is not None and now - seen[0] < REVISION_CHECK_SECONDS:
        return seen[1]
    value = ws.revision()
    with _seen_lock:
        _seen[ws.url] = (now, value)
    return value


def changed() -> None:
    """Call after every write from the app: the revision is read again at once, so this session
    (and every other session of this server) sees the write at its next rerun."""
    with _seen_lock:
        _seen.clear()


# ------------------------------------------------------------------------------- cached reads


@shared(max_entries=64)
def _plans(url: str, rev: int, _ws: Workspace) -> list[PlanVersionInfo]:
    return _ws.list_plans()


@shared(max_entries=16)
def _plan_model(url: str, plan_id: int, version: int, content_hash: str, _ws: Workspace) -> Plan:
    """The version as published (rebuilt from its kept bytes once per process)."""
    return _ws.load_plan(plan_id, version, decided=False)


@shared(max_entries=64)
def _decisions(url: str, rev: int, plan_id: int, _ws: Workspace) -> tuple[Decision, ...]:
    from analysis.store.meetings import plan_decisions

    with _ws._sessions() as session:
        return tuple(plan_decisions(session, plan_id))


@shared(max_entries=16)
def _decided(url: str, plan_id: int, version: int, content_hash: str, decided_key: str, _published: Plan,
             _decisions: tuple[Decision, ...]) -> Plan:
    """The plan as decided: the meetings' decisions applied (``analysis.meetings.apply_decisions``),
    with a content hash of its own, ``decided_key`` (the filtered views, graphs and layouts are cached by it)."""
    from analysis.meetings import apply_decisions

    return apply_decisions(_published, _decisions)


@shared()
def _bundled_meta() -> dict[str, object]:
    import json

    from analysis.store.workspace import BUNDLED_SEED

    meta: dict[str, object] = json.loads((BUNDLED_SEED / "plan.json").read_text(encoding="utf-8"))
    return meta


@shared()
def _bundled_hash() -> str:
    from analysis.model import content_hash
    from analysis.store.workspace import BUNDLED_SEED

    return content_hash((BUNDLED_SEED / str(_bundled_meta()["table"])).read_bytes())


def plan_title(info: PlanVersionInfo, lang: str) -> str:
    """A kept plan's title in the UI language: the bundled plan's English title in English; a
    plan read from an upload has only the title its own text gives."""
    if lang == "en" and info.content_hash == _bundled_hash():
        return str(_bundled_meta().get("title_en") or info.title)
    return info.title


@shared(max_entries=64)
def _latest(url: str, rev: int, plan_id: int, as_of: dt.date | None, _ws: Workspace) -> pd.DataFrame:
    return _ws.latest_reports(plan_id, as_of=as_of)


@shared(max_entries=64)
def _all_reports(url: str, rev: int, plan_id: int, _ws: Workspace) -> pd.DataFrame:
    """Every report of the plan (all tasks, all versions): task, status, period, as of."""
    query = (
        select(ProgressReportRow.task_key.label("task_id"), ProgressReportRow.status, ProgressReportRow.period,
               ProgressReportRow.as_of)
        .where(ProgressReportRow.plan_id == plan_id).order_by(ProgressReportRow.id)
    )
    with _ws.engine.connect() as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame.from_records([tuple(r) for r in rows], columns=["task_id", "status", "period", "as_of"])


@shared(max_entries=128)
def _history(url: str, plan_id: int, task_id: str, current: tuple[int, dt.datetime] | None,
             _ws: Workspace) -> pd.DataFrame:
    # Keyed by the task's current report, not by the revision: reports are append-only and a new one on
    # the task becomes its current report, so the history changes exactly when that does (read once per
    # report and process, not once per revision: every report anywhere moves the revision on).
    return _ws.report_history(plan_id, task_id)


@shared(max_entries=64)
def _rule(url: str, rev: int, plan_id: int, _ws: Workspace) -> RagRule:
    return _ws.rag_rule(plan_id)


#: The workspace's read-only calls that ``reads(ws)`` caches by revision (a write is never cached).
CACHED_READS = frozenset({
    "list_plans", "load_plan",
    "meetings.of_plan", "meetings.get", "meetings.agenda_items", "meetings.decisions", "meetings.follow_ups",
    "meetings.changes", "meetings.task_meetings",
})


@shared(max_entries=256)
def _read(url: str, rev: int, path: str, args: tuple[object, ...], kwargs: tuple[tuple[str, object], ...],
          _ws: Workspace) -> object:
    target: object = _ws
    for part in path.split("."):
        target = getattr(target, part)
    return target(*args, **dict(kwargs))  # type: ignore[operator]


class Reads:
    """The workspace's reads, cached by its revision: ``reads(ws).meetings.of_plan(1)`` is
    ``ws.meetings.of_plan(1)`` computed once per revision and process (a write from this server shows
    at the next rerun, one through another server within ``REVISION_CHECK_SECONDS``). Only the calls
    in ``CACHED_READS``; what they return is shared between sessions and must be treated as read-only."""

    def __init__(self, ws: Workspace, prefix: str = "") -> None:
        self._ws, self._prefix = ws, prefix

    def __getattr__(self, name: str) -> Callable[..., Any]:
        path = self._prefix + name
        if name == "meetings" and not self._prefix:
            return Reads(self._ws, "meetings.")  # type: ignore[return-value]
        if path not in CACHED_READS:
            raise AttributeError(f"{path} is not a cached workspace read")
        ws = self._ws

        def call(*args: object, **kwargs: object) -> Any:
            return _read(ws.url, revision(ws), path, args, tuple(sorted(kwargs.items())), ws)

        return call


def reads(ws: Workspace) -> Any:
    """``ws``'s reads cached by revision (``Reads``)."""
    return Reads(ws)


@dataclass(frozen=True)
class Chosen:
    """The workspace plan on screen: its store record and the reads the pages need."""

    ws: Workspace
    info: PlanVersionInfo

    @property
    def plan_id(self) -> int:
        return self.info.plan_id

    @property
    def version(self) -> int:
        return self.info.version

    def _key(self) -> tuple[str, int]:
        return self.ws.url, revision(self.ws)

    def cache_key(self) -> tuple[str, int, int, int]:
        """(workspace URL, revision, plan id, version): what keys a view of its reports (``state.memo``)."""
        return (*self._key(), self.plan_id, self.version)

    def latest(self, as_of: dt.date | None = None) -> pd.DataFrame:
        url, rev = self._key()
        return _latest(url, rev, self.plan_id, as_of, self.ws)

    def current(self, task_id: str) -> Report | None:
        """The task's current report (``Workspace.current_report``), found in the plan's latest reports:
        one read per revision and process for every task and session, not one per task."""
        latest = self.latest()
        rows = latest.loc[latest["task_id"].astype(str) == str(task_id)]
        return None if rows.empty else Report.from_record(self.plan_id, rows.iloc[0].to_dict())

    def all_reports(self) -> pd.DataFrame:
        url, rev = self._key()
        return _all_reports(url, rev, self.plan_id, self.ws)

    def history(self, task_id: str) -> pd.DataFrame:
        """Every report on the task, oldest first (``Workspace.report_history``)."""
        current = self.current(task_id)
        marker = None if current is None else (current.report_id, current.reported_at)
        return _history(self.ws.url, self.plan_id, str(task_id), marker, self.ws)

    def rule(self) -> RagRule:
        url, rev = self._key()
        return _rule(url, rev, self.plan_id, self.ws)


def plans() -> list[PlanVersionInfo]:
    ws = workspace()
    if ws is None:
        return []
    return _plans(ws.url, revision(ws), ws)


def _read_plan_param(ids: list[int]) -> None:
    """Once per session: ``?plan=ID`` chooses the plan, if the workspace has it (else a notice)."""
    if st.session_state.get(PLAN_URL_READ):
        return
    st.session_state[PLAN_URL_READ] = True
    from analysis.links import read_plan_param

    chosen, notices = read_plan_param(st.query_params.get_all(PLAN_PARAM), ids)
    if chosen is not None:
        st.session_state[PLAN_ID] = chosen
    st.session_state[PLAN_NOTICES] = notices


def plan_notices() -> tuple[Bilingual, ...]:
    notices: tuple[Bilingual, ...] = st.session_state.pop(PLAN_NOTICES, ())
    return notices


def chosen() -> Chosen | None:
    """The workspace plan on screen; None in read-only mode, with an empty workspace, or while
    a file uploaded without the workspace is shown."""
    from dashboard.state import PLAN_BYTES

    if st.session_state.get(PLAN_BYTES):
        return None
    ws = workspace()
    if ws is None:
        return None
    infos = _plans(ws.url, revision(ws), ws)
    if not infos:
        return None
    by_id = {info.plan_id: info for info in infos}
    _read_plan_param(list(by_id))
    if NEXT_PLAN in st.session_state:  # before the chooser is drawn in this run
        st.session_state[PLAN_ID] = st.session_state.pop(NEXT_PLAN)
    plan_id = st.session_state.get(PLAN_ID)
    if plan_id not in by_id:
        plan_id = infos[0].plan_id
        st.session_state[PLAN_ID] = plan_id
    return Chosen(ws, by_id[plan_id])


def chosen_plan() -> Plan | None:
    """The chosen workspace plan's latest version as a Plan (the bundled plan's own folder, with
    its themes and period, when the version is the bundled table byte for byte), as decided by
    its meetings (a decision made through any server shows within ``REVISION_CHECK_SECONDS``)."""
    current = chosen()
    if current is None:
        return None
    info, ws = current.info, current.ws
    if info.content_hash == _bundled_hash():
        from dashboard.state import _bundled_plan

        published = _bundled_plan()
    else:
        published = _plan_model(ws.url, info.plan_id, info.version, info.content_hash, ws)
    decisions = _decisions(ws.url, revision(ws), info.plan_id, ws)
    if not decisions:
        return published
    from analysis.meetings import decided_hash

    key = decided_hash(published.content_hash, decisions)
    return _decided(ws.url, info.plan_id, info.version, published.content_hash, key, published, decisions)


def url_params() -> dict[str, str]:
    """What the URL carries for the workspace: the chosen plan."""
    current = chosen()
    return {PLAN_PARAM: str(current.plan_id)} if current is not None else {}


def progress_by_task(as_of: dt.date) -> dict[str, str] | None:
    """Each task's latest reported status on ``as_of`` (None when the plan has no report at all)."""
    current = chosen()
    if current is None:
        return None
    latest = current.latest(as_of=as_of)
    if latest.empty and current.all_reports().empty:
        return None
    return {str(k): str(v) for k, v in zip(latest["task_id"], latest["status"], strict=True)}


# ------------------------------------------------------------------------------- sign-in (branch auth)


def oidc_configured() -> bool:
    """Whether the deployment configures an identity provider (``[auth]`` in ``.streamlit/secrets.toml``)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file, or one that cannot be read: no identity provider
        return False


def account() -> Account | None:
    """The signed-in account (None: nobody, an expired session, or no workspace). Checked against the
    store at most every ``AUTH_RECHECK`` seconds; the store checks the account again on every write."""
    ws = workspace()
    if ws is None:
        return None
    token = st.session_state.get(AUTH_TOKEN)
    if not token and oidc_configured() and getattr(st.user, "is_logged_in", False):
        email = str(getattr(st.user, "email", "") or "")
        try:
            token = st.session_state[AUTH_TOKEN] = ws.accounts.sign_in_email(email)
        except WorkspaceError as exc:
            st.session_state[AUTH_ERROR] = exc.text
            return None
    if not token:
        return None
    seen = st.session_state.get(AUTH_SEEN)
    now = time.monotonic()
    if seen is not None and now - seen[1] < AUTH_RECHECK:
        return seen[0]  # type: ignore[no-any-return]
    found = ws.accounts.session_account(token)
    if found is None:
        st.session_state.pop(AUTH_TOKEN, None)
        st.session_state.pop(AUTH_SEEN, None)
        return None
    st.session_state[AUTH_SEEN] = (found, now)
    return found


def sign_in(name: str, password: str) -> Bilingual | None:
    """Sign in with a local account; the reason when refused (wrong name or password, locked)."""
    ws = workspace()
    if ws is None:
        return Bilingual("工作区不可用", "the workspace is not available")
    try:
        token = ws.accounts.sign_in(name, password)
    except WorkspaceError as exc:
        return exc.text
    st.session_state[AUTH_TOKEN] = token
    st.session_state.pop(AUTH_SEEN, None)
    return None


def sign_out() -> None:
    ws = workspace()
    token = st.session_state.pop(AUTH_TOKEN, None)
    st.session_state.pop(AUTH_SEEN, None)
    if ws is not None and token:
        ws.accounts.sign_out(str(token))


def accounts_exist() -> bool:
    ws = workspace()
    return ws is not None and ws.accounts.count() > 0


def audit_entries(plan_id: int | None) -> list[AuditEntry]:
    """The audit trail (of one plan), oldest first; read at every rerun (it is short to read, and
    every write anywhere adds to it)."""
    ws = workspace()
    return ws.audit(plan_id=plan_id) if ws is not None else []


def actor() -> str:
    """The name every write of this session is made by: the signed-in account's ("" when nobody is
    signed in; the store refuses a write without an account)."""
    found = account()
    return found.name if found is not None else ""


# ------------------------------------------------------------------------------- uploads


def parse_upload(data: bytes, name: str, *, on_wait: Callable[[float, float], None] | None = None,
                 columns: dict[str, str] | None = None) -> Plan | PlanImportError:
    """Read an uploaded table in a worker process (as ``state.import_upload`` does), without
    making it the plan on screen; ``columns``: a column mapping the user confirmed."""
    if columns:
        from analysis.model import plan_with_columns

        job: isolate.Job[Plan] = isolate.Job(plan_with_columns, data, name, dict(columns), file=name)
    else:
        job = isolate.Job(plan_from_bytes, data, name, file=name)
    try:
        while not job.wait(0.25):
            if on_wait is not None:
                on_wait(job.elapsed, job.limits.seconds)
        result: Plan = job.result()
        return result
    except PlanImportError as exc:
        return exc
    finally:
        job.cancel()
