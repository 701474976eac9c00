"""The content of a meeting pack, built once: a cover and a list of sections of blocks.

Both renderers (`analysis.report.pptx`, `analysis.report.html`) draw the same `Report`;
everything a pack *says* is decided here, and only here:

- whether the pack is the whole plan's or one agency's (`content_for`, the one place);
- which sections it has, in which order (`PlanContent.sections`, `AgencyContent.sections`);
- what a deck shows differently from the HTML report (`Medium`): the deck holds at most
  `WORKLOAD_ROWS` agencies in its workload chart and splits the timeline into charts of
  `TIMELINE_ROWS` tasks, the HTML report shows everything on one page;
- the summary rules of a large deck (above `DECK_DETAIL_MAX_TASKS` tasks): the deadline
  distribution instead of a bar per task, tables capped at `DECK_MAX_ROWS` rows, slides for
  the `DECK_MAX_LEADS` agencies leading most tasks only (their most pressing tasks first), no
  appendix (the HTML report keeps every task);
- which lead agencies share a slide: a deck gives its own slide to an agency leading more than
  `LEAD_SHARED_MAX` tasks and packs the others, whole, into tables of at most `LEAD_TABLE_ROWS`
  rows (`pack_leads`); the HTML report keeps a section per agency.

A section is a title and blocks: `Chart` (a plotly figure and its render size), `Table`
(header and rows of `Cell`s, each cell carrying a `DueStatus`, never a colour), `Tiles` (key
figures), `Note` (paragraphs) and `Panel` (facts about an agency beside its table). A section
may hold subsections (one per lead agency). Adding a section to every pack means adding one
builder method here and naming it in `sections()`; the renderers need no change.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Final, Required, TypedDict

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from analysis import derive, figures, network
from analysis.i18n import label as vocab_label
from analysis.i18n import role_label, t, type_label
from analysis.model import Plan
from analysis.progress import REASON_TEXT, RagReason, period_contains, period_kind, period_of
from analysis.report import charts
from analysis.report.fit import cell_width_pt, fit_text
from analysis.report.layout import (
    BODY_H,
    FIGURE_SCALE,
    IMAGE_WIDTH_PX,
    NOTE_H,
    TABLE_PT,
    image_height_px,
)
from analysis.vocab import DEFAULTS, AgencyType, DeadlineKind, DueStatus, Lang, PeriodKind, ProgressStatus, Rag, Role

# What one slide holds.
MAX_TABLE_ROWS = 8  # appendix, due list, task tables: at most this many tasks per slide
LEAD_TABLE_ROWS = 12  # lead agency slides: one-line rows
LEAD_SHARED_MAX = 4  # deck: lead agencies with at most this many tasks led share slides
TIMELINE_ROWS = 18  # tasks per timeline slide
WORKLOAD_ROWS = 18  # agencies on the workload slide (the HTML report shows all)
NETWORK_MAX_NODES = 60

# Large packs. A deck is for a meeting, not an archive: above DECK_DETAIL_MAX_TASKS tasks
# (ten timeline slides) the timeline becomes the deadline distribution, task tables keep
# their first DECK_MAX_ROWS rows, only the DECK_MAX_LEADS agencies leading most tasks get
# slides, and the appendix is left to the HTML report, which keeps every task (a deck of
# 10 000 tasks had 2 000 slides and took 5 minutes). The HTML report draws the
# distribution instead of one bar per task above HTML_TIMELINE_MAX_TASKS.
DECK_DETAIL_MAX_TASKS = 180
DECK_MAX_ROWS = 40
DECK_MAX_LEADS = 15
HTML_TIMELINE_MAX_TASKS = 300

HTML_SCALE: Final = 1.0  # figure scale in the HTML report (the deck uses layout.FIGURE_SCALE)


class Medium(StrEnum):
    """What the content is built for."""

    DECK = "deck"  # 16:9 slides
    HTML = "html"  # one offline page


class NoteStyle(StrEnum):
    TEXT = "text"  # body text
    META = "meta"  # a muted line of facts under a heading


# ----------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and, for a task past or near its deadline, that status (or a
    task's red/amber/green warning)."""

    text: str
    status: DueStatus | Rag | None = None


@dataclass(frozen=True)
class Table:
    """Header and rows; `widths` are the columns' widths on a slide in inches (the HTML
    report uses them as proportions)."""

    header: list[str]
    rows: list[list[Cell]]
    widths: list[float]
    max_rows: int = MAX_TABLE_ROWS  # rows per slide at most
    note: str | None = None  # under the table (e.g. rows left to the HTML report)
    heading: str | None = None  # a sub-heading above the table (HTML report)
    nowrap_first: bool = False  # the first column (task numbers) is never wrapped (HTML report)

    @property
    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]

    def capped(self, limit: int, lang: str) -> Table:
        """The first `limit` rows, with a note saying how many the HTML report adds."""
        if len(self.rows) <= limit:
            return self
        return replace(self, rows=self.rows[:limit], note=t("report_rows_capped", lang, n=limit, total=len(self.rows)))


@dataclass(frozen=True)
class Chart:
    """A figure with its title; `size` is the image size in layout pixels (deck) or None
    (HTML: the figure's own height, the page's width)."""

    figure: go.Figure
    title: str
    size: tuple[int, int] | None = None
    notes: tuple[str, ...] = ()  # what the chart leaves out, shown under it


@dataclass(frozen=True)
class Tile:
    """A key figure: a number, its label and, for deadline or warning counts, the status counted."""

    label: str
    value: int
    status: DueStatus | Rag | None = None


@dataclass(frozen=True)
class Tiles:
    tiles: list[Tile]
    heading: str | None = None


@dataclass(frozen=True)
class Note:
    paragraphs: list[str]
    style: NoteStyle = NoteStyle.TEXT
    label: str | None = None  # a bold lead-in ("Partners: …")


@dataclass(frozen=True)
class Panel:
    """Facts about one agency shown beside its table on a slide: its full name, lines of
    facts, and its partners with the tasks shared (heaviest first)."""

    name: str
    lines: list[str]
    partners_header: list[str]
    partners: list[tuple[str, int]]


Block = Chart | Table | Tiles | Note | Panel


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Cover:
    """The title slide / page header, and the footer of every slide."""

    title: str
    subtitle: str
    meeting: str
    period: str
    details: list[str]  # more about the agency of an agency pack
    generated: str
    footer: str
    date: str  # meeting date, ISO


@dataclass
class Report:
    lang: str
    medium: Medium
    cover: Cover
    sections: list[Section]


# ----------------------------------------------------------------------------- pack data


@dataclass
class LeadEntry:
    """One lead agency of a plan pack."""

    agency: str
    led: pd.DataFrame  # its tasks led (status rows), table order
    supported: int
    partners: pd.DataFrame  # network.partners: partner, type, weight, tasks


@dataclass
class Pack:
    """The data both formats show, computed once."""

    plan: Plan
    lang: str
    meeting_date: dt.date
    window_days: int
    lead_weight: float
    agency: str | None
    status: pd.DataFrame  # due_status of the tasks in the pack (all, or the agency's)
    graph: nx.Graph  # co-assignment graph of the whole (filtered) plan
    partners: pd.DataFrame | None = None  # agency pack
    leads: list[LeadEntry] = field(default_factory=list)  # plan pack
    # reported progress of the pack's tasks (`progress_rows`); None: the pack has no progress section
    progress: pd.DataFrame | None = None

    short_names: dict[str, str] = field(default_factory=dict)  # English short names, for tables

    def name(self, agency: str) -> str:
        """The agency as named in tables and titles: the label, or its short English name."""
        if self.lang != Lang.EN:
            return agency
        return self.short_names.get(agency) or str(derive.agency_name(self.plan, agency, self.lang))

    def long_name(self, agency: str) -> str:
        """Full Chinese name, or the full English name."""
        row = self.plan.agencies.loc[self.plan.agencies["agency"] == agency]
        if row.empty:
            return agency
        value = row.iloc[0]["english_name" if self.lang == Lang.EN else "full_name"]
        return str(value) if isinstance(value, str) and value else agency

    @property
    def title(self) -> str:
        return str(self.plan.meta.display_title(self.lang))

    @property
    def large(self) -> bool:
        """Too many tasks for a detailed deck: it summarises (see DECK_DETAIL_MAX_TASKS)."""
        return len(self.status) > DECK_DETAIL_MAX_TASKS


def resolve_agency(plan: Plan, agency: str, lang: str = Lang.ZH) -> str:
    """The plan's label for `agency`, given as label, full name or English name."""
    wanted = agency.strip()
    frame = plan.agencies
    for column in ("agency", "full_name", "english_name"):
        hits = frame.loc[frame[column].astype(str).str.casefold() == wanted.casefold(), "agency"]
        if not hits.empty:
            return str(hits.iloc[0])
    raise ValueError(t("report_unknown_agency", lang, agency=agency))


def english_short_names(plan: Plan) -> dict[str, str]:
    """Short English names (registry's english_short, e.g. "Economy & IT Dept.") where known."""
    if "english_short" in plan.agencies.columns:
        pairs = zip(plan.agencies["agency"], plan.agencies["english_short"], strict=True)
        return {str(a): str(s) for a, s in pairs if isinstance(s, str) and s}
    from analysis.agencies import load_registry

    try:
        registry = load_registry()
    except (OSError, ValueError):
        return {}
    names = {}
    for label in plan.agencies["agency"]:
        agency = registry.get(str(label))
        if agency is not None and (agency.english_short or agency.english_name):
            names[str(label)] = str(agency.english_short or agency.english_name)
    return names


def lead_agencies(plan: Plan) -> list[str]:
    """Agencies that lead at least one task: most tasks led first, ties in table order."""
    leads = plan.assignments.loc[plan.assignments["role"] == Role.LEAD, "agency"].astype(str)
    counts = leads.value_counts()
    table_order = [a for a in plan.agencies["agency"].astype(str) if a in counts.index]
    known = set(table_order)
    order = table_order + [a for a in dict.fromkeys(leads) if a not in known]
    return sorted(order, key=lambda a: -int(counts[a]))  # stable: ties keep table order


def pack_scopes(plan: Plan) -> list[str]:
    """Agencies a meeting pack can be made for: those that lead first (as `lead_agencies`),
    then the others in table order."""
    leaders = lead_agencies(plan)
    chosen = set(leaders)
    return leaders + [a for a in plan.agencies["agency"].astype(str) if a not in chosen]


def _tasks_of(plan: Plan, agency: str, role: Role) -> list[str]:
    a = plan.assignments
    ids = set(a.loc[(a["agency"] == agency) & (a["role"] == role), "task_id"])
    return [str(tid) for tid in plan.tasks.sort_values("seq")["task_id"] if tid in ids]


def _no_partners() -> pd.DataFrame:
    return pd.DataFrame(columns=["partner", "type", "weight", "tasks"])


PROGRESS_ROW_COLUMNS: Final = ["task_id", "seq", "text", "leads", "progress", "rag", "reason", "percent", "period"]


def shared_workload(plan: Plan, agency: str) -> pd.DataFrame:
    """The work shared on `agency`'s tasks (those it leads or supports): the agency's own
    counts first, then per partner the number of these tasks it leads and supports, most
    first (ties in table order). Columns as `derive.workload`: agency, full_name,
    english_name, type, lead, support, total."""
    a = plan.assignments
    mine = set(a.loc[a["agency"] == agency, "task_id"])
    shared = a.loc[a["task_id"].isin(mine)]
    counts: dict[str, dict[str, set[str]]] = {}
    for task_id, name, role in zip(shared["task_id"].astype(str), shared["agency"].astype(str), shared["role"],
                                   strict=True):
        counts.setdefault(name, {Role.LEAD: set(), Role.SUPPORT: set()})[str(role)].add(task_id)
    info = plan.agencies.set_index(plan.agencies["agency"].astype(str))
    order = list(info.index) + [name for name in counts if name not in info.index]
    rows = []
    for name in order:
        if name not in counts:
            continue
        row = info.loc[name] if name in info.index else None
        lead, support = len(counts[name][Role.LEAD]), len(counts[name][Role.SUPPORT])
        rows.append({
            "agency": name,
            "full_name": row["full_name"] if row is not None else name,
            "english_name": row["english_name"] if row is not None else "",
            "type": row["type"] if row is not None else AgencyType.UNKNOWN.value,
            Role.LEAD.value: lead, Role.SUPPORT.value: support, "total": lead + support,
        })
    frame = pd.DataFrame(rows, columns=["agency", "full_name", "english_name", "type", "lead", "support", "total"])
    own = frame.loc[frame["agency"] == agency]
    others = frame.loc[frame["agency"] != agency].sort_values(["total", "lead"], ascending=False, kind="stable")
    return pd.concat([own, others]).reset_index(drop=True)


def progress_rows(plan: Plan, status: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """The pack's tasks (rows of `status`, in its order) with their reported progress.

    `progress` is `analysis.progress.task_rag`'s frame (`Workspace.task_status`): id, status,
    rag, reason, percent, period. Columns: `PROGRESS_ROW_COLUMNS` (`progress`: the reported
    status, `leads`: the task's lead agencies). Tasks missing from `progress` are left out."""
    reported = progress.assign(task_id=progress["id"].astype(str)).rename(columns={"status": "progress"})
    base = status[["task_id", "seq", "text"]].assign(task_id=status["task_id"].astype(str))
    rows = base.merge(reported[["task_id", "progress", "rag", "reason", "percent", "period"]], on="task_id",
                      how="inner", sort=False)
    a = plan.assignments.loc[plan.assignments["role"] == Role.LEAD]
    leads: dict[str, list[str]] = {}
    for task_id, agency in zip(a["task_id"].astype(str), a["agency"].astype(str), strict=True):
        leads.setdefault(task_id, []).append(agency)
    rows["leads"] = [leads.get(task_id, []) for task_id in rows["task_id"]]
    return rows[PROGRESS_ROW_COLUMNS].reset_index(drop=True)


class PackOptions(TypedDict, total=False):
    """The keyword arguments of `prepare_pack`, shared by every pack builder (`analysis.report`'s
    `build_report_content`, `build_pptx`, `build_html`): one signature, written once."""

    meeting_date: Required[dt.date]
    lang: str
    agency: str | None
    lead_weight: float
    window_days: int
    progress: pd.DataFrame | None


def prepare_pack(
    plan: Plan,
    *,
    meeting_date: dt.date,
    lang: str = Lang.ZH,
    agency: str | None = None,
    lead_weight: float = DEFAULTS.lead_weight,
    window_days: int = DEFAULTS.due_window_days,
    progress: pd.DataFrame | None = None,
) -> Pack:
    """The data of a pack: due status on the meeting date, the co-assignment graph, and per
    lead agency (plan pack) or for `agency` (agency pack) the tasks and partners.

    `progress`: each task's reported status and red/amber/green warning on the meeting date
    (`Workspace.task_status(plan_id, meeting_date)`); with it the pack has a progress section.

    Raises ValueError for a plan without tasks or an agency that is not in the plan."""
    if plan.tasks.empty:
        raise ValueError(t("report_no_tasks", lang))
    if window_days < 0:
        raise ValueError(f"window_days must not be negative, got {window_days}")
    graph = network.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    status = derive.due_status(plan, meeting_date, window_days=window_days).sort_values("seq")
    pack = Pack(plan, lang, meeting_date, window_days, lead_weight, None, status, graph)
    if lang == Lang.EN:
        pack.short_names = english_short_names(plan)
    if agency is not None:
        label = resolve_agency(plan, agency, lang)
        mine = set(plan.assignments.loc[plan.assignments["agency"] == label, "task_id"])
        pack.agency = label
        pack.status = status.loc[status["task_id"].isin(mine)]
        pack.partners = network.partners(graph, label) if label in graph else _no_partners()
        if progress is not None:
            pack.progress = progress_rows(plan, pack.status, progress)
        return pack
    if progress is not None:
        pack.progress = progress_rows(plan, status, progress)
    # one pass over the assignments (a sort per lead agency took seconds at 10 000 tasks)
    a = plan.assignments
    by_task = status.set_index("task_id")
    led_ids = a.loc[a["role"] == Role.LEAD].groupby("agency", sort=False, observed=True)["task_id"].agg(list)
    supported = a.loc[a["role"] == Role.SUPPORT].groupby("agency", sort=False, observed=True)["task_id"].nunique()
    for lead in lead_agencies(plan):
        led = by_task.loc[list(dict.fromkeys(led_ids[lead]))].reset_index().sort_values("seq", kind="stable")
        pack.leads.append(LeadEntry(
            agency=lead,
            led=led.reset_index(drop=True),
            supported=int(supported.get(lead, 0)),
            partners=network.partners(graph, lead) if lead in graph else _no_partners(),
        ))
    return pack


# ----------------------------------------------------------------------------- shared text


def deadline_label(row: Any, lang: str) -> str:
    """Explicit deadlines as a date; others as their kind (ongoing, runs to plan end)."""
    kind = row.deadline_kind
    if kind == DeadlineKind.EXPLICIT:
        return str(pd.Timestamp(row.deadline).date().isoformat())
    return t(f"deadline_kind_{kind}", lang)


def status_note(row: Any, lang: str) -> str:
    """'3 days past deadline' / 'due in 5 days' for overdue and due-soon tasks, else ''."""
    status = str(getattr(row, "status", ""))
    days = int(getattr(row, "days", 0))
    if status == DueStatus.OVERDUE:
        return t("report_overdue_day" if days == -1 else "report_overdue_days", lang, n=-days)
    if status == DueStatus.DUE_SOON:
        if days == 0:
            return t("report_due_today", lang)
        return t("report_due_in_day" if days == 1 else "report_due_in_days", lang, n=days)
    return ""


def noted_status(row: Any, lang: str) -> DueStatus | None:
    """The row's status when it carries a note (past or near its deadline), else None."""
    return DueStatus(str(row.status)) if status_note(row, lang) else None


def task_cell(text: str) -> str:
    """A task's text on one paragraph (line breaks and runs of spaces as one space)."""
    return " ".join(str(text).split())


def _names(pack: Pack, text: str) -> str:
    """A 、-joined agency list in the display language."""
    if pack.lang != Lang.EN or not text:
        return text
    return "; ".join(pack.name(a) for a in text.split("、"))


def due_rows(pack: Pack) -> pd.DataFrame:
    """Tasks past their deadline or due within the window, earliest deadline first."""
    rows = pack.status.loc[pack.status["status"].isin([DueStatus.OVERDUE, DueStatus.DUE_SOON])]
    return rows.sort_values(["deadline", "seq"], kind="stable")


def due_table(pack: Pack) -> Table:
    lang = pack.lang
    rows = [
        [Cell(str(row.task_id)), Cell(task_cell(row.text)), Cell(_names(pack, row.lead_text)),
         Cell(f"{deadline_label(row, lang)}\n{status_note(row, lang)}", DueStatus(str(row.status)))]
        for row in due_rows(pack).itertuples()
    ]
    return Table(header=[t("col_task_id", lang), t("col_text", lang), t("col_lead", lang), t("col_deadline", lang)],
                 rows=rows, widths=[0.8, 7.4, 2.3, 1.8])


def appendix_table(pack: Pack, status: pd.DataFrame | None = None, *, support: bool = True) -> Table:
    """All tasks (or the given rows): number, full text, lead, support, deadline."""
    lang = pack.lang
    rows = []
    for row in (pack.status if status is None else status).itertuples():
        note = status_note(row, lang)
        cells = [Cell(str(row.task_id)), Cell(task_cell(row.text)), Cell(_names(pack, row.lead_text))]
        if support:
            cells.append(Cell(_names(pack, row.support_text)))
        cells.append(Cell(deadline_label(row, lang) + (f"\n{note}" if note else ""), noted_status(row, lang)))
        rows.append(cells)
    header = [t("col_task_id", lang), t("col_text", lang), t("col_lead", lang)]
    header += [t("col_support", lang)] if support else []
    header += [t("col_deadline", lang)]
    widths = [0.7, 6.0, 1.9, 2.3, 1.433] if support else [0.7, 7.9, 2.3, 1.433]
    return Table(header=header, rows=rows, widths=widths)


def pack_leads(entries: Sequence[LeadEntry], rows: int) -> list[list[LeadEntry]]:
    """Lead agencies packed into groups of at most `rows` tasks led, in order, an agency never
    split (one leading more than `rows` tasks forms a group of its own)."""
    groups: list[list[LeadEntry]] = []
    used = 0
    for entry in entries:
        if not groups or used + len(entry.led) > rows:
            groups.append([])
            used = 0
        groups[-1].append(entry)
        used += len(entry.led)
    return groups


def lead_title(pack: Pack, entry: LeadEntry) -> str:
    key = "report_lead_title_one" if len(entry.led) == 1 else "report_lead_title"
    return t(key, pack.lang, agency=pack.name(entry.agency), n=len(entry.led))


# ----------------------------------------------------------------------------- sections


class _Content(ABC):
    """The sections every pack has; a plan pack and an agency pack fill in the rest."""

    def __init__(self, pack: Pack, medium: Medium) -> None:
        self.pack = pack
        self.medium = medium
        self.lang = pack.lang
        self.deck = medium is Medium.DECK
        self.scale = FIGURE_SCALE if self.deck else HTML_SCALE

    # -- what differs between a plan pack and an agency pack

    @abstractmethod
    def sections(self) -> list[Section]:
        """The pack's sections in order."""

    @abstractmethod
    def _cover_titles(self) -> tuple[str, str, list[str]]:
        """Title, subtitle and detail lines of the cover."""

    @abstractmethod
    def _footer_prefix(self) -> str: ...

    @abstractmethod
    def _general_tiles(self) -> list[Tile]: ...

    @abstractmethod
    def _workload(self, frame: pd.DataFrame, limit: int | None) -> tuple[pd.DataFrame, str, list[str]]:
        """The rows of the workload chart (the plan's `workload_frame` given), its title and notes."""

    @abstractmethod
    def _network(self) -> tuple[nx.Graph, str, str | None, list[str]]:
        """The graph shown, its title, the node highlighted and notes on what is left out."""

    def _key_figures_extra(self) -> list[Block]:
        return []

    # -- helpers

    def report(self) -> Report:
        return Report(self.lang, self.medium, self.cover(), self.sections())

    def _chart(self, fig: go.Figure, title: str, notes: Sequence[str] = ()) -> Chart:
        """The chart sized for the medium: a slide image fills the body (less a note line)."""
        return Chart(fig, title, self._chart_size(notes), tuple(notes))

    def _chart_size(self, notes: Sequence[str] = ()) -> tuple[int, int] | None:
        """A slide image's layout pixels (None: the HTML report's charts size themselves)."""
        if not self.deck:
            return None
        return IMAGE_WIDTH_PX, image_height_px(BODY_H - (NOTE_H if notes else 0))

    def _deck_table(self, table: Table) -> Table:
        """A task table as a summary deck shows it: its first rows only."""
        return table.capped(DECK_MAX_ROWS, self.lang) if self.deck and self.pack.large else table

    def _period(self) -> str:
        meta = self.pack.plan.meta
        return t("plan_period", self.lang, start=meta.period_start.isoformat(), end=meta.period_end.isoformat())

    def _summary_note(self) -> str:
        return t("report_summary_note", self.lang, n=len(self.pack.status))

    # -- the sections every pack has

    def cover(self) -> Cover:
        pack, lang = self.pack, self.lang
        title, subtitle, details = self._cover_titles()
        date = pack.meeting_date.isoformat()
        footer = pack.title + " · " + t("report_meeting_date", lang, date=date)
        prefix = self._footer_prefix()
        return Cover(
            title=title, subtitle=subtitle, meeting=t("report_meeting_date", lang, date=date),
            period=self._period(),
            details=details, generated=t("report_generated", lang, date=dt.date.today().isoformat()),
            footer=prefix + " · " + footer if prefix else footer, date=date,
        )

    def key_figures(self) -> Section:
        pack, lang = self.pack, self.lang
        counts = derive.due_counts(pack.status)
        due = Tiles([
            Tile(t("status_overdue", lang), counts[DueStatus.OVERDUE], DueStatus.OVERDUE),
            Tile(t("report_due_soon_tile", lang, days=pack.window_days), counts[DueStatus.DUE_SOON], DueStatus.DUE_SOON),
            Tile(t("status_later", lang), counts[DueStatus.LATER], DueStatus.LATER),
            Tile(t("status_plan_end", lang), counts[DueStatus.PLAN_END], DueStatus.PLAN_END),
        ], heading=t("report_due_heading", lang, date=pack.meeting_date.isoformat()))
        summary = [t("due_summary", lang, date=pack.meeting_date.isoformat(), overdue=counts[DueStatus.OVERDUE],
                     soon=counts[DueStatus.DUE_SOON], days=pack.window_days)]
        if self.deck:  # the HTML report states the period on its cover
            summary.append(self._period())
        blocks: list[Block] = [Tiles(self._general_tiles()), due, Note(summary)]
        return Section("key-figures", t("report_key_figures", lang), blocks + self._key_figures_extra())

    def _explicit_and_targets(self) -> list[Tile]:
        status, lang = self.pack.status, self.lang
        return [
            Tile(t("tile_explicit", lang), int((status["deadline_kind"] == DeadlineKind.EXPLICIT).sum())),
            Tile(t("tile_targets", lang), int(status["targets"].map(len).sum())),
        ]

    def workload(self) -> Section:
        pack = self.pack
        limit = WORKLOAD_ROWS if self.deck else None
        frame, title, notes = self._workload(charts.workload_frame(pack.plan, pack.lead_weight), limit)
        fig = charts.workload_chart(pack.plan, frame, title, lang=self.lang, lead_weight=pack.lead_weight,
                                    scale=self.scale)
        return Section("workload", title, [self._chart(fig, title, notes)])

    def timeline(self) -> Section:
        """Deck: a chart per TIMELINE_ROWS tasks, or the deadline distribution in a summary
        deck; HTML report: one chart, or the distribution above HTML_TIMELINE_MAX_TASKS."""
        pack, lang = self.pack, self.lang
        n = len(pack.status)
        if (self.deck and pack.large) or (not self.deck and n > HTML_TIMELINE_MAX_TASKS):
            fig = figures.deadline_distribution_figure(pack.plan, pack.status, pack.meeting_date, lang,
                                                       scale=self.scale)
            note = self._summary_note() if self.deck else t("report_timeline_large_note", lang, n=n)
            blocks: list[Block] = [self._chart(fig, charts.figure_title(fig), [note])]
        else:
            figs = charts.timeline_charts(pack.plan, pack.status, pack.meeting_date, lang=lang, scale=self.scale,
                                          rows_per_chart=TIMELINE_ROWS if self.deck else None)
            blocks = [self._chart(fig, charts.figure_title(fig)) for fig in figs]
        first = blocks[0]
        assert isinstance(first, Chart)
        return Section("timeline", first.title, blocks)

    # -- progress (only when the pack was given the tasks' reported progress)

    def progress_sections(self) -> list[Section]:
        """The progress section: counts per reported status and per warning colour, the red
        tasks by lead agency and what each agency is asked to report this period; [] without
        progress, a note when nothing was reported yet."""
        frame, lang = self.pack.progress, self.lang
        if frame is None:
            return []
        section = Section("progress", t("report_progress_section", lang))
        if not frame["period"].notna().any():
            section.blocks = [Note([t("report_progress_none", lang)])]
            return [section]
        period = self._current_period(frame)
        asked = self._asked(frame)
        section.blocks = [
            Tiles([Tile(vocab_label(s, lang), int((frame["progress"] == s).sum())) for s in ProgressStatus],
                  heading=t("report_progress_status_heading", lang)),
            Tiles([Tile(vocab_label(r, lang), int((frame["rag"] == r).sum()), r) for r in Rag],
                  heading=t("report_progress_rag_heading", lang, date=self.pack.meeting_date.isoformat())),
            Note([t("report_progress_summary", lang, reported=int(frame["period"].notna().sum()), total=len(frame),
                    asked=len(asked), period=period)]),
        ]
        red = frame.loc[frame["rag"] == Rag.RED]
        red_title = t("report_progress_red", lang)
        red_block: Block = self._deck_table(self._red_table(red)) if not red.empty else Note(
            [t("report_progress_no_red", lang)])
        asked_title = t("report_progress_asked", lang, period=period)
        asked_block: Block = self._deck_table(self._asked_table(asked)) if not asked.empty else Note(
            [t("report_progress_all_reported", lang, period=period)])
        section.subsections = [Section("progress-red", red_title, [red_block]),
                               Section("progress-asked", asked_title, [asked_block])]
        return [section]

    def _current_period(self, frame: pd.DataFrame) -> str:
        """The meeting date's reporting period, of the kind the reports use (a month by default)."""
        kinds = [period_kind(str(p)) for p in frame["period"].dropna()]
        kind = next((k for k in kinds if k is not None), PeriodKind.MONTH)
        return period_of(self.pack.meeting_date, kind)

    def _asked(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Tasks not done without a report in the meeting date's period."""
        day = self.pack.meeting_date
        current = frame["period"].map(lambda p: isinstance(p, str) and period_contains(p, day))
        return frame.loc[(frame["progress"] != ProgressStatus.DONE) & ~current]

    def _progress_cell(self, row: Any) -> Cell:
        reason = REASON_TEXT[RagReason(str(row.reason))](self.lang)
        percent = "" if pd.isna(row.percent) else f" {int(row.percent)}%"
        return Cell(f"{vocab_label(ProgressStatus(str(row.progress)), self.lang)}{percent}\n{reason}",
                    Rag(str(row.rag)))

    def _by_lead(self, frame: pd.DataFrame) -> list[tuple[str, list[Any]]]:
        """(lead agency, its rows in table order), most rows first, ties in first-seen order."""
        groups: dict[str, list[Any]] = {}
        for row in frame.itertuples(index=False):
            for lead in row.leads or [""]:
                groups.setdefault(lead, []).append(row)
        return sorted(groups.items(), key=lambda item: -len(item[1]))

    def _red_table(self, red: pd.DataFrame) -> Table:
        lang, pack = self.lang, self.pack
        rows = [
            [Cell(pack.name(lead)), Cell(str(row.task_id)), Cell(task_cell(row.text)), self._progress_cell(row)]
            for lead, group in self._by_lead(red) for row in group
        ]
        header = [t("col_lead", lang), t("col_task_id", lang), t("col_text", lang), t("report_progress_col", lang)]
        return Table(header=header, rows=rows, widths=[2.3, 0.8, 7.0, 2.2])

    def _asked_table(self, asked: pd.DataFrame) -> Table:
        """Plan pack: per lead agency, the number and the tasks; agency pack: its tasks."""
        lang, pack = self.lang, self.pack
        if pack.agency is not None:
            a = pack.plan.assignments
            mine = a.loc[a["agency"] == pack.agency]
            roles = dict(zip(mine["task_id"].astype(str), mine["role"], strict=True))
            rows = [[Cell(str(row.task_id)), Cell(task_cell(row.text)), Cell(role_label(roles[str(row.task_id)], lang))]
                    for row in asked.itertuples(index=False)]
            return Table(header=[t("col_task_id", lang), t("col_text", lang), t("col_role", lang)], rows=rows,
                         widths=[0.8, 9.5, 2.0])
        sep = "、" if lang == Lang.ZH else ", "
        rows = [[Cell(pack.name(lead)), Cell(str(len(group))), Cell(sep.join(str(r.task_id) for r in group))]
                for lead, group in self._by_lead(asked)]
        header = [t("col_lead", lang), t("report_progress_col_count", lang), t("report_progress_col_tasks", lang)]
        return Table(header=header, rows=rows, widths=[3.0, 1.8, 7.5])

    def network(self) -> Section:
        shown, title, highlight, notes = self._network()
        # the labels placed for the image's own size (placed for the app's 720-pixel chart, a
        # slide's lower image pressed them onto one another)
        fig = charts.network_chart(self.pack.plan, shown, title, lang=self.lang, highlight=highlight,
                                   scale=self.scale, size=self._chart_size(notes))
        return Section("network", title, [self._chart(fig, title, notes)])


class PlanContent(_Content):
    """The whole plan's pack: key figures, workload, timeline, what is due, the network, the
    lead agencies one by one, and every task in an appendix."""

    def sections(self) -> list[Section]:
        sections = [self.key_figures(), *self.progress_sections(), self.workload(), self.timeline()]
        if self.deck and not due_rows(self.pack).empty:  # the HTML report lists them with the key figures
            sections.append(self.due_list())
        sections += [self.network(), self.lead_agencies()]
        if not (self.deck and self.pack.large):  # a summary deck leaves the appendix to the HTML report
            sections.append(self.appendix())
        return sections

    def _cover_titles(self) -> tuple[str, str, list[str]]:
        return self.pack.title, t("report_pack_title", self.lang), []

    def _footer_prefix(self) -> str:
        return ""

    def _general_tiles(self) -> list[Tile]:
        plan, lang = self.pack.plan, self.lang
        return [Tile(t("tile_tasks", lang), len(plan.tasks)), Tile(t("tile_agencies", lang), len(plan.agencies)),
                *self._explicit_and_targets()]

    def _key_figures_extra(self) -> list[Block]:
        if self.deck or due_rows(self.pack).empty:
            return []
        return [replace(due_table(self.pack), heading=t("report_due_list", self.lang))]

    def _workload(self, frame: pd.DataFrame, limit: int | None) -> tuple[pd.DataFrame, str, list[str]]:
        total = len(self.pack.plan.agencies)
        if limit is None:
            return frame, t("workload_title", self.lang), []
        frame = frame.head(limit).reset_index(drop=True)
        if total > len(frame):
            return frame, t("report_workload_top", self.lang, n=len(frame), total=total), []
        return frame, t("workload_title", self.lang), []

    def _network(self) -> tuple[nx.Graph, str, str | None, list[str]]:
        lang, graph = self.lang, self.pack.graph
        notes = [t("report_network_note", lang)]
        shown = network.filter_graph(graph, include_collective=False)
        if shown.number_of_nodes() == 0:
            shown = graph
        elif shown.number_of_nodes() < graph.number_of_nodes():
            notes.append(t("report_network_collective_note", lang))
        if shown.number_of_nodes() > NETWORK_MAX_NODES:
            total = shown.number_of_nodes()
            shown = network.filter_graph(shown, top_n=NETWORK_MAX_NODES)
            notes.append(t("report_network_hidden", lang, n=NETWORK_MAX_NODES, total=total))
        return shown, t("network_title", lang), None, notes

    def due_list(self) -> Section:
        return Section("due", t("report_due_list", self.lang), [self._deck_table(due_table(self.pack))])

    def appendix(self) -> Section:
        return Section("appendix", t("report_appendix", self.lang), [appendix_table(self.pack)])

    def lead_agencies(self) -> Section:
        """A subsection per lead agency (a summary deck: the DECK_MAX_LEADS leading most, and
        a note on the others)."""
        pack, lang = self.pack, self.lang
        section = Section("lead-agencies", t("report_lead_section", lang))
        leads = pack.leads[:DECK_MAX_LEADS] if self.deck and pack.large else pack.leads
        if self.deck:
            section.subsections = self._lead_slides(leads)
        else:
            section.subsections = [Section(f"lead-{i}", lead_title(pack, entry), self._lead_block(entry))
                                   for i, entry in enumerate(leads, start=1)]
        if len(leads) < len(pack.leads):
            section.subsections.append(Section("lead-agencies-capped", t("report_lead_section", lang), [Note([
                t("report_leads_capped", lang, n=len(leads), total=len(pack.leads)), self._summary_note(),
            ])]))
        return section

    def _lead_slides(self, leads: list[LeadEntry]) -> list[Section]:
        """Deck: a slide (or more) per agency leading more than LEAD_SHARED_MAX tasks; the others
        share slides, whole agencies packed into tables of at most LEAD_TABLE_ROWS rows (one
        left alone in its table gets its own slide after all)."""
        pack, lang = self.pack, self.lang
        groups = pack_leads([entry for entry in leads if len(entry.led) <= LEAD_SHARED_MAX], LEAD_TABLE_ROWS)
        alone = {id(group[0]) for group in groups if len(group) == 1}
        groups = [group for group in groups if len(group) > 1]
        own = [entry for entry in leads if len(entry.led) > LEAD_SHARED_MAX or id(entry) in alone]
        sections = [Section(f"lead-{i}", lead_title(pack, entry), self._lead_slide(entry))
                    for i, entry in enumerate(own, start=1)]
        for i, group in enumerate(groups, start=1):
            title = t("report_lead_group_title", lang, agencies=len(group), n=sum(len(e.led) for e in group))
            title += t("report_page_suffix", lang, i=i, n=len(groups)) if len(groups) > 1 else ""
            sections.append(Section(f"lead-group-{i}", title, [self._lead_group_table(group)]))
        return sections

    def _lead_group_table(self, group: list[LeadEntry]) -> Table:
        """Several agencies' tasks led in one table: the agency named on its first row."""
        lang = self.lang
        widths = [2.9, 0.7, 6.8, 1.9]
        name_width, text_width = cell_width_pt(widths[0]), cell_width_pt(widths[2])
        rows = [
            [Cell(fit_text(self.pack.name(entry.agency), TABLE_PT, name_width, 1, "…") if i == 0 else ""),
             Cell(str(row.task_id)), Cell(fit_text(task_cell(row.text), TABLE_PT, text_width, 1, "…")),
             Cell(deadline_label(row, lang), noted_status(row, lang))]
            for entry in group for i, row in enumerate(entry.led.itertuples())
        ]
        header = [t("col_lead", lang), t("col_task_id", lang), t("col_text", lang), t("col_deadline", lang)]
        return Table(header=header, rows=rows, widths=widths, max_rows=LEAD_TABLE_ROWS,
                     note=t("report_lead_group_note", lang))

    def _lead_slide(self, entry: LeadEntry) -> list[Block]:
        """Its tasks led as one-line rows, its counts and main partners beside them."""
        pack, lang = self.pack, self.lang
        widths = [0.7, 5.9, 1.9]
        text_width = cell_width_pt(widths[1])
        led, note = entry.led, None
        if pack.large and len(led) > LEAD_TABLE_ROWS:
            # one slide per agency: its most pressing tasks (past or near the deadline first)
            urgency = led["status"].astype(str).map({s: i for i, s in enumerate(DueStatus)})
            led = led.assign(_urgency=urgency).sort_values(["_urgency", "deadline", "seq"], kind="stable")
            led = led.head(LEAD_TABLE_ROWS)
            note = t("report_lead_rows_capped", lang, n=LEAD_TABLE_ROWS, total=len(entry.led))
        rows = [
            [Cell(str(row.task_id)), Cell(fit_text(task_cell(row.text), TABLE_PT, text_width, 1, "…")),
             Cell(deadline_label(row, lang), noted_status(row, lang))]
            for row in led.itertuples()
        ]
        table = Table(header=[t("col_task_id", lang), t("col_text", lang), t("col_deadline", lang)],
                      rows=rows, widths=widths, max_rows=LEAD_TABLE_ROWS, note=note)
        kinds = dict(zip(pack.plan.agencies["agency"], pack.plan.agencies["type"].astype(str), strict=True))
        sep = "：" if lang == Lang.ZH else ": "
        panel = Panel(
            name=pack.long_name(entry.agency),
            lines=[
                type_label(kinds.get(entry.agency, "unknown"), lang),
                f"{t('report_tasks_led_tile', lang)}{sep}{len(entry.led)}",
                f"{t('report_tasks_supported_tile', lang)}{sep}{entry.supported}",
                f"{t('report_partners_tile', lang)}{sep}{len(entry.partners)}",
            ],
            partners_header=[t("report_main_partners", lang), t("col_shared", lang)],
            partners=self._partners(entry.partners),
        )
        return [table, panel]

    def _lead_block(self, entry: LeadEntry) -> list[Block]:
        """Its counts, every task led with its deadline, and its partners."""
        lang = self.lang
        rows = []
        for row in entry.led.itertuples():
            note = status_note(row, lang)
            deadline = deadline_label(row, lang) + (f"\n{note}" if note else "")
            rows.append([Cell(str(row.task_id)), Cell(task_cell(row.text)), Cell(deadline, noted_status(row, lang))])
        counts = t("report_lead_counts", lang, lead=len(entry.led), support=entry.supported,
                   partners=len(entry.partners))
        blocks: list[Block] = [
            Note([counts], NoteStyle.META),
            Table(header=[t("col_task_id", lang), t("col_text", lang), t("col_deadline", lang)], rows=rows,
                  widths=[0.7, 5.9, 1.9], nowrap_first=True),
        ]
        pattern, sep = ("{}（{}）", "、") if lang == Lang.ZH else ("{} ({})", "; ")
        partners = sep.join(pattern.format(name, n) for name, n in self._partners(entry.partners))
        if partners:
            blocks.append(Note([partners], label=t("partners", lang)))
        return blocks

    def _partners(self, partners: pd.DataFrame) -> list[tuple[str, int]]:
        pairs = zip(partners["partner"], partners["weight"], strict=True)
        return [(self.pack.name(p), int(w)) for p, w in pairs]


class AgencyContent(_Content):
    """One agency's pack: its key figures, its and its partners' workload, the timeline of its
    tasks, its partner network, then its tasks led, supported, partners and targets."""

    def __init__(self, pack: Pack, medium: Medium) -> None:
        super().__init__(pack, medium)
        assert pack.agency is not None and pack.partners is not None
        self.agency: str = pack.agency
        self.partners: pd.DataFrame = pack.partners

    def sections(self) -> list[Section]:
        return [self.key_figures(), *self.progress_sections(), self.workload(), self.timeline(), self.network(),
                *self.agency_tables()]

    def _cover_titles(self) -> tuple[str, str, list[str]]:
        pack, lang = self.pack, self.lang
        kind = type_label(pack.plan.agency_type(self.agency), lang)
        return (t("report_agency_pack_title", lang, agency=pack.name(self.agency)), pack.title,
                [f"{pack.long_name(self.agency)} · {kind}"])

    def _footer_prefix(self) -> str:
        return self.pack.name(self.agency)

    def _general_tiles(self) -> list[Tile]:
        a, lang = self.pack.plan.assignments, self.lang
        mine = a.loc[a["agency"] == self.agency, "role"]
        return [
            Tile(t("report_tasks_led_tile", lang), int((mine == Role.LEAD).sum())),
            Tile(t("report_tasks_supported_tile", lang), int((mine == Role.SUPPORT).sum())),
            Tile(t("report_partners_tile", lang), len(self.partners)),
            *self._explicit_and_targets(),
        ]

    def _workload(self, frame: pd.DataFrame, limit: int | None) -> tuple[pd.DataFrame, str, list[str]]:
        """The agency and its partners, counted on the agency's own tasks only (`shared_workload`)."""
        lang, name = self.lang, self.pack.name(self.agency)
        shared = shared_workload(self.pack.plan, self.agency)
        notes = [t("report_shared_work_note", lang, agency=name, n=len(self.pack.status))]
        partners = len(shared) - 1
        if limit is not None and len(shared) > limit:
            shared = shared.head(limit).reset_index(drop=True)
            notes.append(t("report_shared_work_top", lang, n=len(shared) - 1, total=partners))
        return shared, t("report_shared_work_title", lang, agency=name), notes

    def _network(self) -> tuple[nx.Graph, str, str | None, list[str]]:
        lang = self.lang
        notes = [t("report_network_note", lang)]
        partners = self.partners["partner"].tolist()  # heaviest first
        if len(partners) + 1 > NETWORK_MAX_NODES:
            notes.append(t("report_ego_hidden", lang, n=NETWORK_MAX_NODES - 1, total=len(partners)))
            partners = partners[: NETWORK_MAX_NODES - 1]
        shown = charts.ordered_subgraph(self.pack.graph, [self.agency, *partners])
        if self.agency not in shown:
            shown.add_node(self.agency)
        return shown, t("ego_title", lang, agency=self.pack.name(self.agency)), self.agency, notes

    def targets_rows(self) -> list[tuple[str, str, str]]:
        """(task id, target text, role) for every target in the agency's tasks."""
        a = self.pack.plan.assignments
        mine = a.loc[a["agency"] == self.agency]
        roles = dict(zip(mine["task_id"], mine["role"], strict=True))
        return [
            (str(row.task_id), str(target["text"]), role_label(roles.get(row.task_id, Role.SUPPORT), self.lang))
            for row in self.pack.status.itertuples()
            for target in row.targets
        ]

    def partners_table(self) -> Table:
        lang, pack = self.lang, self.pack
        rows = [
            [Cell(pack.name(r.partner)), Cell(type_label(str(r.type), lang)), Cell(str(int(r.weight))),
             Cell(("、" if lang == Lang.ZH else ", ").join(map(str, r.tasks)))]
            for r in self.partners.itertuples()
        ]
        header = [t("col_partner", lang), t("col_type", lang), t("col_shared", lang), t("col_shared_tasks", lang)]
        return Table(header=header, rows=rows, widths=[4.2, 2.6, 1.6, 3.933], max_rows=14)

    def targets_table(self) -> Table:
        lang = self.lang
        rows = [[Cell(tid), Cell(text), Cell(role)] for tid, text, role in self.targets_rows()]
        return Table(header=[t("col_task_id", lang), t("report_target", lang), t("col_role", lang)],
                     rows=rows, widths=[1.0, 9.333, 2.0], max_rows=14)

    def agency_tables(self) -> list[Section]:
        """Its tasks led, tasks supported, partners and targets, each only when not empty."""
        pack, lang = self.pack, self.lang
        name = pack.name(self.agency)
        status = pack.status
        led = status.loc[status["task_id"].isin(_tasks_of(pack.plan, self.agency, Role.LEAD))]
        supported = status.loc[status["task_id"].isin(_tasks_of(pack.plan, self.agency, Role.SUPPORT))]
        tables: list[tuple[str, str, Table]] = []
        if not led.empty:
            tables.append(("tasks-led", t("report_tasks_led", lang, agency=name), appendix_table(pack, led)))
        if not supported.empty:
            tables.append(("tasks-supported", t("report_tasks_supported", lang, agency=name),
                           appendix_table(pack, supported)))
        if not self.partners.empty:
            tables.append(("partners", t("report_partners_title", lang, agency=name), self.partners_table()))
        if self.targets_rows():
            tables.append(("targets", t("report_targets_title", lang, agency=name), self.targets_table()))
        return [Section(anchor, title, [self._deck_table(table)]) for anchor, title, table in tables]


def content_for(pack: Pack, medium: Medium) -> _Content:
    """The one place that tells a plan pack from an agency pack."""
    return PlanContent(pack, medium) if pack.agency is None else AgencyContent(pack, medium)


def build_content(pack: Pack, medium: Medium) -> Report:
    """The pack's cover and sections for a deck or for the HTML report."""
    return content_for(pack, medium).report()


def agency_tables(pack: Pack, medium: Medium = Medium.HTML) -> list[tuple[str, str, Table]]:
    """An agency pack's tables (anchor, title, table): tasks led, tasks supported, partners
    and targets, each only when not empty (a summary deck's capped)."""
    sections = AgencyContent(pack, medium).agency_tables()
    return [(s.anchor, s.title, table) for s in sections for table in s.blocks if isinstance(table, Table)]


def iter_sections(sections: Iterable[Section]) -> Iterable[Section]:
    """Every section and subsection, depth first."""
    for section in sections:
        yield section
        yield from iter_sections(section.subsections)
