"""The app-side state: the only module that caches, and that reads or writes the URL.

Computation is cached per plan content (its SHA-256) and filter values, so moving between
pages and changing filters reruns only cheap rendering. Cached objects are shared between
sessions and must be treated as read-only by the pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import streamlit as st

from analysis import derive, isolate, links
from analysis.agencies import AgencyRegistry, load_registry
from analysis.derive import Filters
from analysis.findings import PlanImportError
from analysis.i18n import DEFAULT_LANGUAGE, LANGUAGES
from analysis.model import Plan, load_bundled_plan, plan_from_bytes
from analysis.vocab import DEFAULTS, Bilingual
from dashboard.shared_cache import shared

if TYPE_CHECKING:
    import networkx as nx

    from analysis.portfolio import AgencyKey, AgencyView, Portfolio, Scope
    from analysis.store import Workspace

# analysis.network (networkx) and analysis.report (python-pptx) are imported where first used:
# a first page load no longer waits for them (benchmarks/RESULTS.md, "Cold first paint").

T = TypeVar("T")

# Session keys, one place.
PLAN_BYTES = "plan_bytes"
PLAN_NAME = "plan_name"
PLAN_COLUMNS = "plan_columns"  # the confirmed column mapping of the uploaded plan, ((header, role), …)
SESSION_ONLY = "session_only"  # Bilingual: why the uploaded plan on screen was not saved to the workspace
IMPORT_ERROR = "import_error"
URL_LOADED = "url_loaded"
MEETING_DATE = "meeting_date"
UPLOAD_MARKER = "upload_marker"
PLAN_BYTES_HASH = "plan_bytes_hash"  # (the bytes, their SHA-256): hashed once per upload
FRAME_RERUN = "frame_rerun"  # the session was rerun once to be framed by app.py (ui._require_app_frame)

# Widget keys that live in the URL, with how they are written there.
URL_LIST_KEYS = links.LIST_PARAMS
URL_LANG = links.LANG_PARAM
URL_MEETING = links.MEETING_PARAM
URL_PRESENT = links.PRESENT_PARAM
LINK_NOTICES = "link_notices"


# ------------------------------------------------------------------------------- cached


@shared()
def registry() -> AgencyRegistry:
    return load_registry()


# Plans, filtered views, graphs and layouts are cached as shared objects (dashboard/shared_cache.py):
# every call returns the same object, read-only by contract (see the module docstring). st.cache_data would pickle
# the plan on the way in and unpickle a fresh copy on every call — three or four times per
# rerun, 0.05 s each at 10 000 tasks and 0.5 s at 100 000 (benchmarks/RESULTS.md).


@shared(max_entries=4)
def _bundled_plan() -> Plan:
    return load_bundled_plan(registry())


@shared(max_entries=16, ttl=dt.timedelta(hours=8))
def _uploaded_plan(
    content_hash: str, name: str, _data: bytes, _parsed: Plan | None = None, columns: tuple[tuple[str, str], ...] = ()
) -> Plan:
    # Keyed by content hash and name; the bytes themselves are not hashed again. The name
    # shapes the plan (title and period from the file name when the table has no 《title》,
    # the file named in every finding), so the plan's own key, which keys the filtered
    # views, graphs and layouts cached below, covers the name too: two people uploading the
    # same table under different names never see each other's file name or title.
    # Parsed in a worker process (analysis.isolate) unless `import_upload` already did;
    # bounded in count and age, so the memory of old uploads is given back.
    import dataclasses
    import hashlib

    if _parsed is not None:
        plan = _parsed
    elif columns:  # the mapping the user confirmed (dashboard.mapping)
        from analysis.model import plan_with_columns

        plan = isolate.run(plan_with_columns, _data, name, dict(columns), file=name)
    else:
        plan = isolate.parse_plan(_data, name)
    mapping = "\0".join(f"{h}={r}" for h, r in columns)
    key = hashlib.sha256(f"{content_hash}\0{name}\0{mapping}".encode("utf-8", "surrogatepass")).hexdigest()
    return dataclasses.replace(plan, content_hash=key)


@shared(max_entries=64)
def _filtered(content_hash: str, filters: Filters, _plan: Plan) -> Plan:
    return derive.apply_filters(_plan, filters)


@shared(max_entries=32)
def _graph(content_hash: str, filters: Filters, _plan: Plan) -> nx.Graph:
    from analysis import network

    return network.co_assignment_graph(_plan.assignments, _plan.agencies, tasks=_plan.tasks)


@shared(max_entries=32)
def _metrics(content_hash: str, filters: Filters, include_collective: bool, _graph: nx.Graph):
    from analysis import network

    graph = _graph if include_collective else network.filter_graph(_graph, include_collective=False)
    return graph, *network.agency_metrics(graph)


@shared(max_entries=32)
def _layout(content_hash: str, filters: Filters, include_collective: bool, top_n: int | None, _graph: nx.Graph):
    from analysis import network

    return network.layout(_graph)


@shared(max_entries=64)
def _ego(content_hash: str, filters: Filters, include_collective: bool, agency: str, max_partners: int | None,
         _graph: nx.Graph):
    from analysis import network

    ego = network.ego_network(_graph, agency, max_partners=max_partners)
    return ego, network.layout(ego)


@shared(max_entries=64)
def _shown(content_hash: str, filters: Filters, include_collective: bool, min_weight: int, top_n: int | None,
           _graph: nx.Graph):
    from analysis import network

    shown = network.filter_graph(_graph, min_weight=min_weight, top_n=top_n)
    return shown, network.hidden_summary(_graph, shown)


@shared(max_entries=32)
def _pack_scopes(content_hash: str, filters: Filters, _view: Plan) -> list[str]:
    from analysis import report

    return report.pack_scopes(_view)


@shared(max_entries=32)
def _matrix(content_hash: str, filters: Filters, lang: str, agencies: tuple[str, ...], _view: Plan) -> pd.DataFrame:
    return derive.responsibility_matrix(_view, lang, agencies=list(agencies))


# Every page's figures and tables of every session share these entries: 50 people with their own
# filters and dates on one server kept 128 too few (entries pushed out before their next rerun).
@shared(max_entries=512, ttl=dt.timedelta(hours=2))
def _memo(name: str, key: tuple[object, ...], _build: Callable[[], object]) -> object:
    return _build()


def memo(name: str, key: tuple[object, ...], build: Callable[[], T]) -> T:
    """``build()`` once per ``(name, key)`` and process: a page's tables and figures from cached inputs.

    ``key`` must name every input of ``build`` (a plan's content hash and filters, the workspace's
    ``Chosen.cache_key()`` — its revision — the date, language and presentation scale …): a rerun
    with the same key gets the very object built before (a plotly Figure is passed to
    st.plotly_chart as is: it copies it, so it is not rebuilt nor validated again). Shared between
    sessions: read-only, like every cached object here."""
    return _memo(name, key, build)  # type: ignore[return-value]


def digest(mapping: dict[str, str] | None) -> str | None:
    """A short exact key for a large mapping (each task's reported status) in a ``memo`` key: hashing
    the mapping itself there would cost more than the figure it keys at 10 000 tasks."""
    if mapping is None:
        return None
    import hashlib
    import json

    text = json.dumps(sorted(mapping.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def frame_digest(frame: pd.DataFrame) -> str:
    """A short exact key for a frame's content (its columns and every row, in order) in a ``memo`` key:
    a view keyed by the data it shows is rebuilt when that data changes, not on every write to the
    workspace (a report on another task, another plan). About a millisecond for a plan's reports."""
    import hashlib

    rows = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes() if len(frame) else b""
    head = "\x1f".join(map(str, frame.columns)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(head + b"\x1e" + rows).hexdigest()


# ------------------------------------------------------------------------------ accessors


def current_plan() -> Plan:
    """The uploaded plan if one was imported without the workspace, else the workspace's chosen
    plan, else (no workspace database) the bundled plan."""
    data = st.session_state.get(PLAN_BYTES)
    if data:
        return _uploaded_plan(_bytes_hash(data), st.session_state[PLAN_NAME], data,
                              columns=st.session_state.get(PLAN_COLUMNS, ()))
    return chosen_plan() or _bundled_plan()


def _bytes_hash(data: bytes) -> str:
    """SHA-256 of the uploaded bytes, computed once per upload and session: the plan is
    looked up several times a rerun, and hashing 20 MB takes 0.05 s. Kept next to the bytes
    (the same object, not a copy) and recomputed when they are replaced."""
    from analysis.model import content_hash

    cached = st.session_state.get(PLAN_BYTES_HASH)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] is data:
        return cached[1]
    digest = content_hash(data)
    st.session_state[PLAN_BYTES_HASH] = (data, digest)
    return digest


def import_upload(
    data: bytes, name: str, *, on_wait: Callable[[float, float], None] | None = None,
    columns: dict[str, str] | None = None,
) -> PlanImportError | None:
    """Try an uploaded file; on success it becomes the current plan, on failure nothing changes.

    The file is read in a worker process within a time and memory limit (analysis.isolate);
    `on_wait(elapsed, limit)` is called every quarter second meanwhile (a progress bar: a
    rerun raised from inside it cancels the import, and the worker is stopped).
    """
    from analysis.model import content_hash

    digest = content_hash(data)
    if columns:  # a confirmed column mapping (dashboard.mapping)
        from analysis.model import plan_with_columns

        job: isolate.Job[Plan] = isolate.Job(plan_with_columns, data, name, dict(columns), file=name)
    else:
        job = isolate.Job(plan_from_bytes, data, name, file=name)
    try:
        while not job.wait(0.25):
            if on_wait is not None:
                on_wait(job.elapsed, job.limits.seconds)
        _uploaded_plan(digest, name, data, _parsed=job.result(), columns=tuple(sorted((columns or {}).items())))
    except PlanImportError as exc:
        return exc
    finally:
        job.cancel()
    st.session_state[PLAN_BYTES] = data
    st.session_state[PLAN_NAME] = name
    st.session_state[PLAN_COLUMNS] = tuple(sorted((columns or {}).items()))
    st.session_state.pop(SESSION_ONLY, None)  # the caller says why, when it knows
    _reset_meeting_date()
    return None


def _reset_meeting_date() -> None:
    """A new plan has its own period: the meeting date starts again from its default."""
    st.session_state.pop(MEETING_DATE, None)


def meeting_widget_key(plan: Plan) -> str:
    # One date widget per plan: a widget keeps its browser-side value across reruns, so a
    # new plan needs a new widget to start from its own default date.
    return f"w_meeting_date_{plan.content_hash[:12]}"


def use_bundled_plan() -> None:
    for key in (PLAN_BYTES, PLAN_NAME, IMPORT_ERROR, UPLOAD_MARKER, PLAN_BYTES_HASH, PLAN_COLUMNS, SESSION_ONLY):
        st.session_state.pop(key, None)
    _reset_meeting_date()


def filtered_plan(plan: Plan, filters: Filters) -> Plan:
    return _filtered(plan.content_hash, filters, plan)


@dataclass(frozen=True)
class NetworkView:
    graph: nx.Graph
    metrics: pd.DataFrame
    stats: object


def pack_scopes(plan: Plan, filters: Filters) -> list[str]:
    """The meeting pack's agency choices for the filtered plan (sidebar, every rerun: 0.1 s
    at 100 000 tasks uncached)."""
    return _pack_scopes(plan.content_hash, filters, filtered_plan(plan, filters))


def responsibility_matrix(plan: Plan, filters: Filters, lang: str, agencies: list[str]) -> pd.DataFrame:
    """derive.responsibility_matrix of the filtered plan, once per input (0.5 s at 100 000 tasks)."""
    return _matrix(plan.content_hash, filters, lang, tuple(agencies), filtered_plan(plan, filters))


def network_view(plan: Plan, filters: Filters, *, include_collective: bool) -> NetworkView:
    """Graph and metrics of the (filtered) plan, each computed once per input."""
    view = filtered_plan(plan, filters)
    graph = _graph(plan.content_hash, filters, view)
    shown, metrics, stats = _metrics(plan.content_hash, filters, include_collective, graph)
    return NetworkView(shown, metrics, stats)


def shown_network(plan: Plan, filters: Filters, *, include_collective: bool, min_weight: int,
                  top_n: int | None) -> tuple[nx.Graph, dict[str, int], dict[str, tuple[float, float]]]:
    """The part of the network view drawn (top N agencies, ties of at least `min_weight`),
    what that hides, and its layout, each computed once per input."""
    net = network_view(plan, filters, include_collective=include_collective)
    if top_n is not None and top_n >= len(net.graph):
        top_n = None  # all agencies: one layout whatever the slider says
    shown, hidden = _shown(plan.content_hash, filters, include_collective, min_weight, top_n, net.graph)
    # Laid out on the top N agencies alone (in a large plan they sit in the middle of the
    # whole graph's layout; on their own they fill the chart), but before the weight
    # threshold: moving that slider drops ties without moving the nodes.
    top_graph, _ = _shown(plan.content_hash, filters, include_collective, 1, top_n, net.graph)
    positions = _layout(plan.content_hash, filters, include_collective, top_n, top_graph)
    return shown, hidden, positions


def ego_view(plan: Plan, filters: Filters, agency: str, *, include_collective: bool,
             max_partners: int | None = None) -> tuple[nx.Graph, dict]:
    """An agency's ego network in the network view (its `max_partners` heaviest partners
    when given) and its layout, computed once per input: a hub's ego network is most of
    the graph, 0.3–1 s per rerun uncached at 10 000 tasks."""
    net = network_view(plan, filters, include_collective=include_collective)
    return _ego(plan.content_hash, filters, include_collective, agency, max_partners, net.graph)


# ---------------------------------------------------------------------------- URL state


def load_url_state(plan: Plan) -> None:
    """Once per session: seed the widgets from the URL, so a shared link reopens the view.

    Every parameter is validated first (analysis.links): an unusable one is ignored and a
    meeting date outside the widget's range is clamped, each said in a notice.
    """
    if st.session_state.get(URL_LOADED):
        return
    st.session_state[URL_LOADED] = True
    params = st.query_params
    link = links.read_link({name: params.get_all(name) for name in params}, plan)
    if link.lang is not None:
        st.session_state["lang"] = link.lang
    for key, values in link.lists.items():
        st.session_state[key] = values
    if link.meeting is not None:
        st.session_state[MEETING_DATE] = link.meeting
    if link.present:
        st.session_state["present"] = True
    st.session_state[LINK_NOTICES] = link.notices


def link_notices() -> tuple[Bilingual, ...]:
    """The notices of the link this session opened with, handed out once."""
    notices: tuple[Bilingual, ...] = st.session_state.pop(LINK_NOTICES, ())
    return notices


def save_url_state(plan: Plan) -> None:
    """Write the current filters to the URL (only what differs from the defaults)."""
    wanted: dict[str, str | list[str]] = {}
    if st.session_state.get("lang", DEFAULT_LANGUAGE) != DEFAULT_LANGUAGE:
        wanted[URL_LANG] = st.session_state["lang"]
    for name, key in URL_LIST_KEYS.items():
        if st.session_state.get(key):
            wanted[name] = list(st.session_state[key])
    meeting = meeting_date(plan)
    if meeting != derive.default_meeting_date(plan):
        wanted[URL_MEETING] = meeting.isoformat()
    if st.session_state.get("present"):
        wanted[URL_PRESENT] = "1"
    wanted.update(workspace_url_params())
    stash_portfolio_params()  # branch cross: ?agency= is read by the portfolio page, not kept on others
    current = {k: (st.query_params.get_all(k) if k in URL_LIST_KEYS else st.query_params.get(k)) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def filters() -> Filters:
    return Filters(
        agencies=tuple(st.session_state.get("f_agency", ())),
        types=tuple(st.session_state.get("f_type", ())),
        themes=tuple(st.session_state.get("f_theme", ())),
        roles=tuple(st.session_state.get("f_role", ())),
    )


def language() -> str:
    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


LANGUAGE_SHOWN = "lang_shown"  # the language the widgets' choices were last drawn in
_CHOICE_SCALARS = (str, int, float, tuple)  # what a choice holds: codes, numbers, enums (str/int), pairs


def _choice_value(value: object) -> bool:
    """Whether ``value`` is one a choice widget (radio, selectbox, multiselect …) can hold.

    Bools (buttons, toggles), None and [] (nothing chosen), dates, dicts (data editors) and
    uploaded files are not: a button's or uploader's value cannot be set through the session state.
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, _CHOICE_SCALARS):
        return True
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, _CHOICE_SCALARS) and not isinstance(v, bool) for v in value)


def follow_language_switch() -> None:
    """After a language switch, send the browser every kept choice labelled in the new language.

    Streamlit's choice widgets tell the browser their value as the *formatted* option. When the
    language (the format) changes and the value does not, Streamlit sends nothing new: the browser
    keeps the old label, which matches none of the new options, so a radio shows nothing chosen and a
    selectbox the old text, and the browser's next message resets the widget to its default. Writing
    each value back to the session state marks it as set from Python, and this run sends it again,
    formatted in the new language. The other keys written back are unchanged by it. A value of
    None is not written back (an uploader's is None, and it cannot be written): an option such as
    "all regions" needs a value of its own to be relabelled.

    Call it right after the language switch (the one widget drawn before it in this run, which can
    no longer be written) and before any choice widget of this run is drawn.
    """
    lang = language()
    shown = st.session_state.get(LANGUAGE_SHOWN)
    st.session_state[LANGUAGE_SHOWN] = lang
    if shown is None or shown == lang:
        return
    for key in list(st.session_state):
        if key in ("lang", LANGUAGE_SHOWN):
            continue
        value = st.session_state[key]
        if _choice_value(value):
            st.session_state[key] = value


def chart_scale() -> float:
    return 1.45 if st.session_state.get("present") else 1.0


def meeting_date(plan: Plan) -> dt.date:
    """The chosen meeting date; by default today, kept inside the plan period."""
    chosen = st.session_state.get(MEETING_DATE)
    if isinstance(chosen, dt.date):
        return links.clamp_meeting(plan, chosen)  # a date chosen on another plan may lie outside this one's range
    return derive.default_meeting_date(plan)





def due_window() -> int:
    return int(st.session_state.get("due_window", DEFAULTS.due_window_days))


# ------------------------------------------------------------------------------ workspace
# The workspace's plans and progress (issue 15) live in dashboard/workspace_state.py.

from dashboard.workspace_state import (  # noqa: E402
    Chosen,
    chosen,
    chosen_plan,
    plan_notices,
    plans,
    progress_by_task,
    workspace,
)
from dashboard.workspace_state import url_params as workspace_url_params  # noqa: E402

__all__ = ["Chosen", "chosen", "chosen_plan", "plan_notices", "plans", "progress_by_task", "workspace", "workspace_url_params"]


# ---------------------------------------------------------------------------- across plans
# branch cross (issue 17): the 跨计划 page. The portfolio (every plan's tidy tasks and
# assignments, from per-plan digests stored in the workspace) is keyed by its *structure*:
# the (plan_id, version) of every plan, the highest meeting decision and the agency links.
# Statuses and the views that show colours are keyed by the full revision (reports too).

PF_AGENCY_PARAM = "agency"  # /portfolio?agency=省经信厅[&region=浙江省]
PF_REGION_PARAM = "region"
PF_PENDING = "pf_pending"  # (agency, region) read from the URL, for the portfolio page
PF_WRITTEN = "pf_written"  # what the portfolio page last wrote to the URL


@shared(max_entries=4)
def _portfolio(url: str, structure: tuple[object, ...], _ws: Workspace) -> Portfolio:
    from analysis.store.portfolio import load_portfolio

    return load_portfolio(_ws, registry())


@shared(max_entries=16)
def _pf_statuses(url: str, rev: tuple[object, ...], reference: dt.date, _ws: Workspace,
                 _portfolio: Portfolio) -> pd.DataFrame:
    from analysis.store.portfolio import portfolio_statuses

    return portfolio_statuses(_ws, _portfolio, reference)


@shared(max_entries=64)
def _pf_scoped(url: str, structure: tuple[object, ...], scope: Scope, _portfolio: Portfolio) -> Portfolio:
    from analysis.portfolio import scoped

    return scoped(_portfolio, scope)


@shared(max_entries=64)
def _pf_overview(url: str, rev: tuple[object, ...], reference: dt.date, scope: Scope, _scoped: Portfolio,
                 _statuses: pd.DataFrame) -> pd.DataFrame:
    from analysis.portfolio import plans_overview

    return plans_overview(_scoped, _statuses)


@shared(max_entries=64)
def _pf_load(url: str, structure: tuple[object, ...], scope: Scope, lead_weight: float,
             types: tuple[str, ...] | None, _scoped: Portfolio) -> pd.DataFrame:
    from analysis.portfolio import agency_load

    return agency_load(_scoped, lead_weight, types)


@shared(max_entries=128)
def _pf_agency(url: str, rev: tuple[object, ...], reference: dt.date, key: AgencyKey, _portfolio: Portfolio,
               _statuses: pd.DataFrame) -> AgencyView:
    from analysis.portfolio import agency_view

    return agency_view(_portfolio, key, reference, _statuses)


@shared(max_entries=16)
def _pf_network(url: str, structure: tuple[object, ...], scope: Scope, types: tuple[str, ...] | None,
                _scoped: Portfolio) -> tuple[nx.Graph, pd.DataFrame, object]:
    from analysis.portfolio import centrality, cross_plan_graph

    graph = cross_plan_graph(_scoped, types=types)
    metrics, stats = centrality(graph)
    return graph, metrics, stats


@shared(max_entries=16)
def _pf_plan(url: str, plan_id: int, version: int, content_hash: str, marks: tuple[int, ...], _ws: Workspace) -> Plan:
    from analysis.store.portfolio import portfolio_plan

    return portfolio_plan(_ws, plan_id, version, content_hash)


@shared(max_entries=32)
def _pf_compare(url: str, a: tuple[int, int, str], b: tuple[int, int, str], marks: tuple[int, ...],
                _ws: Workspace) -> pd.DataFrame:
    from analysis.portfolio import compare_plans

    infos = {info.plan_id: info for info in _ws.list_plans()}
    plan_a = _pf_plan(url, *a, marks, _ws)
    plan_b = _pf_plan(url, *b, marks, _ws)
    return compare_plans(plan_a, plan_b, region_a=infos[a[0]].region if a[0] in infos else "",
                         region_b=infos[b[0]].region if b[0] in infos else "")


@dataclass(frozen=True)
class PortfolioState:
    """The workspace's portfolio on screen: cached reads keyed by its structure and revision."""

    ws: Workspace
    structure: tuple[object, ...]
    rev: tuple[object, ...]
    marks: tuple[int, ...]

    @property
    def url(self) -> str:
        return self.ws.url

    def portfolio(self) -> Portfolio:
        return _portfolio(self.url, self.structure, self.ws)

    def statuses(self, reference: dt.date) -> pd.DataFrame:
        return _pf_statuses(self.url, self.rev, reference, self.ws, self.portfolio())

    def scoped(self, scope: Scope) -> Portfolio:
        return _pf_scoped(self.url, self.structure, scope, self.portfolio())

    def overview(self, scope: Scope, reference: dt.date) -> pd.DataFrame:
        return _pf_overview(self.url, self.rev, reference, scope, self.scoped(scope), self.statuses(reference))

    def load(self, scope: Scope, lead_weight: float, types: tuple[str, ...] | None) -> pd.DataFrame:
        return _pf_load(self.url, self.structure, scope, lead_weight, types, self.scoped(scope))

    def agency(self, key: AgencyKey, reference: dt.date) -> AgencyView:
        return _pf_agency(self.url, self.rev, reference, key, self.portfolio(), self.statuses(reference))

    def network(self, scope: Scope, types: tuple[str, ...] | None) -> tuple[nx.Graph, pd.DataFrame, object]:
        return _pf_network(self.url, self.structure, scope, types, self.scoped(scope))

    def compare(self, a: int, b: int) -> pd.DataFrame:
        infos = {info.plan_id: info for info in plans()}
        ia, ib = infos[a], infos[b]
        return _pf_compare(self.url, (a, ia.version, ia.content_hash), (b, ib.version, ib.content_hash),
                           self.marks, self.ws)

    def changed(self) -> None:
        """After a link or unlink from the app."""
        from dashboard.workspace_state import changed

        changed()


def portfolio_state() -> PortfolioState | None:
    """The portfolio of the workspace; None without a workspace database."""
    from analysis.store.portfolio import portfolio_marks
    from dashboard.workspace_state import revision

    ws = workspace()
    if ws is None:
        return None
    rev = revision(ws)
    marks = portfolio_marks(ws)
    structure = (tuple((p.plan_id, p.version) for p in plans()), marks)
    return PortfolioState(ws, structure, (rev, *marks), marks)


def stash_portfolio_params() -> None:
    """Keep ``?agency=…&region=…`` for the portfolio page before the URL is rewritten (each run:
    a link from another page carries them into the same session)."""
    agency = st.query_params.get(PF_AGENCY_PARAM)
    if agency:
        st.session_state[PF_PENDING] = (str(agency)[:200], str(st.query_params.get(PF_REGION_PARAM) or "")[:200] or None)
