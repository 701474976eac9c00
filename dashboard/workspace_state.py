"""The workspace in the app: which plan is chosen, cached reads, and writes that refresh them.

Part of the app's state (re-exported by ``dashboard.state``, the only caching module by
convention). The workspace database is ``analysis.store.open_workspace()``'s; when it cannot
be opened the app shows the bundled plan read-only (``workspace()`` returns None and
``unavailable_reason()`` says why).

Cached reads are keyed by the workspace's *revision* (counts and highest ids of plans,
versions and reports, and the writes made by this process), read with one small query per
rerun: a report saved here or by anybody else shows at the next rerun.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import func, select

from analysis import isolate
from analysis.findings import PlanImportError
from analysis.model import Plan, plan_from_bytes
from analysis.progress import RagRule
from analysis.store import PlanVersionInfo, Workspace, open_workspace
from analysis.store.db import resolve_url
from analysis.store.models import PlanRow, PlanVersionRow, ProgressReportRow
from analysis.vocab import Bilingual

PLAN_ID = "plan_id"  # the chosen plan (also the sidebar selectbox's key)
PLAN_URL_READ = "plan_url_read"
NEXT_PLAN = "plan_id_next"  # a plan to show from the next rerun (set after the chooser was drawn)
PLAN_PARAM = "plan"
ACTOR = "actor"  # the person's name, recorded with every write
WS_ERROR = "ws_error"
PENDING_VERSION = "pending_version"  # (plan_id, bytes, file name): an upload waiting for confirmation
PLAN_NOTICES = "plan_notices"

_log = logging.getLogger(__name__)
_writes = [0]  # writes made by this process: part of the revision (settings have no counter of their own)


# ------------------------------------------------------------------------------- opening


@st.cache_resource(show_spinner=False, max_entries=8)
def _open(url: str) -> Workspace:
    return open_workspace(url)


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


def revision(ws: Workspace) -> tuple[int, ...]:
    """Changes whenever a plan, version or report is added or removed (one small query)."""
    query = select(
        select(func.count(PlanRow.id)).scalar_subquery(), select(func.max(PlanRow.id)).scalar_subquery(),
        select(func.count(PlanVersionRow.id)).scalar_subquery(),
        select(func.max(PlanVersionRow.id)).scalar_subquery(),
        select(func.count(ProgressReportRow.id)).scalar_subquery(),
        select(func.max(ProgressReportRow.id)).scalar_subquery(),
    )
    with ws.engine.connect() as connection:
        row = connection.execute(query).one()
    return (*(int(v or 0) for v in row), _writes[0])


def changed() -> None:
    """Call after every write from the app: cached reads are dropped at once."""
    _writes[0] += 1


# ------------------------------------------------------------------------------- cached reads


@st.cache_resource(show_spinner=False, max_entries=64)
def _plans(url: str, rev: tuple[int, ...], _ws: Workspace) -> list[PlanVersionInfo]:
    return _ws.list_plans()


@st.cache_resource(show_spinner=False, max_entries=16)
def _plan_model(url: str, plan_id: int, version: int, content_hash: str, _ws: Workspace) -> Plan:
    return _ws.load_plan(plan_id, version)


@st.cache_resource(show_spinner=False)
def _bundled_meta() -> dict[str, object]:
    import json

    from analysis.store.workspace import BUNDLED_SEED

    meta: dict[str, object] = json.loads((BUNDLED_SEED / "plan.json").read_text(encoding="utf-8"))
    return meta


@st.cache_resource(show_spinner=False)
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


@st.cache_resource(show_spinner=False, max_entries=64)
def _latest(url: str, rev: tuple[int, ...], plan_id: int, as_of: dt.date | None, _ws: Workspace) -> pd.DataFrame:
    return _ws.latest_reports(plan_id, as_of=as_of)


@st.cache_resource(show_spinner=False, max_entries=64)
def _all_reports(url: str, rev: tuple[int, ...], plan_id: int, _ws: Workspace) -> pd.DataFrame:
    """Every report of the plan (all tasks, all versions): task, status, period, as of."""
    query = (
        select(ProgressReportRow.task_key.label("task_id"), ProgressReportRow.status, ProgressReportRow.period,
               ProgressReportRow.as_of)
        .where(ProgressReportRow.plan_id == plan_id).order_by(ProgressReportRow.id)
    )
    with _ws.engine.connect() as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame.from_records([tuple(r) for r in rows], columns=["task_id", "status", "period", "as_of"])


@st.cache_resource(show_spinner=False, max_entries=128)
def _history(url: str, rev: tuple[int, ...], plan_id: int, task_id: str, _ws: Workspace) -> pd.DataFrame:
    return _ws.report_history(plan_id, task_id)


@st.cache_resource(show_spinner=False, max_entries=64)
def _rule(url: str, rev: tuple[int, ...], plan_id: int, _ws: Workspace) -> RagRule:
    return _ws.rag_rule(plan_id)


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

    def _key(self) -> tuple[str, tuple[int, ...]]:
        return self.ws.url, revision(self.ws)

    def latest(self, as_of: dt.date | None = None) -> pd.DataFrame:
        url, rev = self._key()
        return _latest(url, rev, self.plan_id, as_of, self.ws)

    def all_reports(self) -> pd.DataFrame:
        url, rev = self._key()
        return _all_reports(url, rev, self.plan_id, self.ws)

    def history(self, task_id: str) -> pd.DataFrame:
        url, rev = self._key()
        return _history(url, rev, self.plan_id, str(task_id), self.ws)

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
    its themes and period, when the version is the bundled table byte for byte)."""
    current = chosen()
    if current is None:
        return None
    info = current.info
    if info.content_hash == _bundled_hash():
        from dashboard.state import _bundled_plan

        return _bundled_plan()
    return _plan_model(current.ws.url, info.plan_id, info.version, info.content_hash, current.ws)


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


def actor() -> str:
    return str(st.session_state.get(ACTOR, "")).strip()


# ------------------------------------------------------------------------------- uploads


def parse_upload(data: bytes, name: str, *,
                 on_wait: Callable[[float, float], None] | None = None) -> Plan | PlanImportError:
    """Read an uploaded table in a worker process (as ``state.import_upload`` does), without
    making it the plan on screen."""
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
