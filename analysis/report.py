"""Meeting pack: a PowerPoint deck and a self-contained HTML report, for a plan or one agency.

    build_pptx(plan, meeting_date=..., lang="zh", agency=None) -> bytes   (16:9 deck)
    build_html(plan, meeting_date=..., lang="zh", agency=None) -> bytes   (one offline file)

`plan` may be a filtered plan (`analysis.derive.apply_filters`), so the app's filters apply.

Both formats show the same content, computed once in `prepare_pack`:

plan pack    title · key figures · workload · timeline (one slide per ≤ 18 tasks) · what is
             past or near its deadline · network · one slide per lead agency (its tasks led,
             supported count, partners) · appendix of all tasks
agency pack  title · key figures · workload of the agency and its partners · timeline of its
             tasks · its partner network · tasks led · tasks supported · partners · targets

Slides hold text in tables whose rows are measured before they are placed: the wrapped
height of every cell is estimated from its text (CJK characters are one em wide in Noto
Sans CJK), rows are packed onto as many slides as needed, and a text too long for a whole
slide is cut with a pointer to the HTML report, which always has the full text. Charts
are the app's figures (`analysis.figures`, same colours) rendered to PNG by kaleido in one
browser per deck (`analysis.render`).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from analysis import derive, figures, network
from analysis.i18n import role_label, t, type_label
from analysis.model import Plan

FONT = "Noto Sans CJK SC"
FALLBACK_FONT = "Microsoft YaHei"  # named in the theme for East Asian text where Noto is missing
FORMATS = (".pptx", ".html")

# Slide geometry (inches): 16:9 at 13.333 × 7.5.
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
TITLE_TOP, TITLE_H = 0.3, 0.8
BODY_TOP, BODY_BOTTOM = 1.2, 6.85
BODY_W, BODY_H = SLIDE_W - 2 * MARGIN, BODY_BOTTOM - BODY_TOP
FOOTER_TOP, FOOTER_H = 6.98, 0.36

# Chart images: the body area at 1280 layout pixels wide, rendered 2.5× (3200 px) for a
# crisp projection; figure fonts at 1.3× so 13 px labels come out about 12 pt on the slide.
IMAGE_WIDTH_PX = 1280
IMAGE_SCALE = 2.5
FIGURE_SCALE = 1.3
NOTE_H = 0.35  # a one-line note under a chart

# Text on slides.
TITLE_PT = 28
MIN_TITLE_PT = 20
BODY_PT = 14
TABLE_PT = 12  # never below 11
FOOTER_PT = 11
LINE_FACTOR = 1.5  # line height / font size: Noto Sans CJK's ascent + descent is 1.45 em
CELL_MARGIN_H, CELL_MARGIN_V = 0.08, 0.05  # inches
MAX_TABLE_ROWS = 8  # appendix, due list, task tables: at most this many tasks per slide
LEAD_TABLE_ROWS = 12  # lead agency slides: one-line rows
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

TEXT_RGB = "1F2933"
MUTED_RGB = "5D6D7E"
ACCENT_RGB = "1F4E9C"
HEADER_FILL = "1F4E9C"
BAND_FILL = "EEF3FA"
TILE_FILL = "F4F6F9"


# ----------------------------------------------------------------------------- content


@dataclass
class LeadEntry:
    """One lead agency's slide in the plan pack."""

    agency: str
    led: pd.DataFrame  # its tasks led (status rows), table order
    supported: int
    partners: pd.DataFrame  # network.partners: partner, type, weight, tasks


@dataclass
class Pack:
    """Everything both formats show, computed once."""

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

    short_names: dict[str, str] = field(default_factory=dict)  # English short names, for tables

    def name(self, agency: str) -> str:
        """The agency as named in tables and titles: the label, or its short English name."""
        if self.lang != "en":
            return agency
        return self.short_names.get(agency) or derive.agency_name(self.plan, agency, self.lang)

    def long_name(self, agency: str) -> str:
        """Full Chinese name, or the full English name."""
        row = self.plan.agencies.loc[self.plan.agencies["agency"] == agency]
        if row.empty:
            return agency
        value = row.iloc[0]["english_name" if self.lang == "en" else "full_name"]
        return str(value) if isinstance(value, str) and value else agency

    @property
    def title(self) -> str:
        return self.plan.meta.display_title(self.lang)

    @property
    def large(self) -> bool:
        """Too many tasks for a detailed deck: it summarises (see DECK_DETAIL_MAX_TASKS)."""
        return len(self.status) > DECK_DETAIL_MAX_TASKS


def resolve_agency(plan: Plan, agency: str, lang: str = "zh") -> str:
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
            names[str(label)] = agency.english_short or agency.english_name
    return names


def lead_agencies(plan: Plan) -> list[str]:
    """Agencies that lead at least one task: most tasks led first, ties in table order."""
    leads = plan.assignments.loc[plan.assignments["role"] == "lead", "agency"].astype(str)
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


def _tasks_of(plan: Plan, agency: str, role: str) -> list[str]:
    a = plan.assignments
    ids = set(a.loc[(a["agency"] == agency) & (a["role"] == role), "task_id"])
    return [tid for tid in plan.tasks.sort_values("seq")["task_id"] if tid in ids]


def prepare_pack(
    plan: Plan,
    *,
    meeting_date: dt.date,
    lang: str = "zh",
    agency: str | None = None,
    lead_weight: float = derive.DEFAULT_LEAD_WEIGHT,
    window_days: int = derive.DEFAULT_DUE_WINDOW_DAYS,
) -> Pack:
    """The content of a pack: due status on the meeting date, the co-assignment graph, and
    per lead agency (plan pack) or for `agency` (agency pack) the tasks and partners.

    Raises ValueError for a plan without tasks or an agency that is not in the plan."""
    if plan.tasks.empty:
        raise ValueError(t("report_no_tasks", lang))
    if window_days < 0:
        raise ValueError(f"window_days must not be negative, got {window_days}")
    graph = network.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    status = derive.due_status(plan, meeting_date, window_days=window_days).sort_values("seq")
    pack = Pack(plan, lang, meeting_date, window_days, lead_weight, None, status, graph)
    if lang == "en":
        pack.short_names = english_short_names(plan)
    if agency is not None:
        label = resolve_agency(plan, agency, lang)
        mine = set(plan.assignments.loc[plan.assignments["agency"] == label, "task_id"])
        pack.agency = label
        pack.status = status.loc[status["task_id"].isin(mine)]
        pack.partners = network.partners(graph, label) if label in graph else _no_partners()
        return pack
    # one pass over the assignments (a sort per lead agency took seconds at 10 000 tasks)
    a = plan.assignments
    by_task = status.set_index("task_id")
    led_ids = a.loc[a["role"] == "lead"].groupby("agency", sort=False, observed=True)["task_id"].agg(list)
    supported = a.loc[a["role"] == "support"].groupby("agency", sort=False, observed=True)["task_id"].nunique()
    for lead in lead_agencies(plan):
        led = by_task.loc[list(dict.fromkeys(led_ids[lead]))].reset_index().sort_values("seq", kind="stable")
        pack.leads.append(LeadEntry(
            agency=lead,
            led=led.reset_index(drop=True),
            supported=int(supported.get(lead, 0)),
            partners=network.partners(graph, lead) if lead in graph else _no_partners(),
        ))
    return pack


def _no_partners() -> pd.DataFrame:
    return pd.DataFrame(columns=["partner", "type", "weight", "tasks"])


# ----------------------------------------------------------------------------- shared text


def deadline_label(row: object, lang: str) -> str:
    """Explicit deadlines as a date; others as their kind (ongoing, runs to plan end)."""
    kind = getattr(row, "deadline_kind")
    if kind == "explicit":
        return pd.Timestamp(getattr(row, "deadline")).date().isoformat()
    return t(f"deadline_kind_{kind}", lang)


def status_note(row: object, lang: str) -> str:
    """'3 days past deadline' / 'due in 5 days' for overdue and due-soon tasks, else ''."""
    status = str(getattr(row, "status", ""))
    days = int(getattr(row, "days", 0))
    if status == "overdue":
        return t("report_overdue_day" if days == -1 else "report_overdue_days", lang, n=-days)
    if status == "due_soon":
        if days == 0:
            return t("report_due_today", lang)
        return t("report_due_in_day" if days == 1 else "report_due_in_days", lang, n=days)
    return ""


def _names(pack: Pack, text: str) -> str:
    """A 、-joined agency list in the display language."""
    if pack.lang != "en" or not text:
        return text
    return "; ".join(pack.name(a) for a in text.split("、"))


def key_figures(pack: Pack) -> tuple[list[tuple[str, int]], list[tuple[str, int, str]]]:
    """(general tiles, due tiles with their status colour) for the key-figures slide."""
    lang, status = pack.lang, pack.status
    explicit = int((status["deadline_kind"] == "explicit").sum())
    targets = int(status["targets"].map(len).sum())
    if pack.agency is None:
        general = [
            (t("tile_tasks", lang), len(pack.plan.tasks)),
            (t("tile_agencies", lang), len(pack.plan.agencies)),
            (t("tile_explicit", lang), explicit),
            (t("tile_targets", lang), targets),
        ]
    else:
        a = pack.plan.assignments
        mine = a.loc[a["agency"] == pack.agency, "role"]
        general = [
            (t("report_tasks_led_tile", lang), int((mine == "lead").sum())),
            (t("report_tasks_supported_tile", lang), int((mine == "support").sum())),
            (t("report_partners_tile", lang), len(pack.partners) if pack.partners is not None else 0),
            (t("tile_explicit", lang), explicit),
            (t("tile_targets", lang), targets),
        ]
    counts = derive.due_counts(status)
    due = [
        (t("status_overdue", lang), counts["overdue"], figures.STATUS_COLORS["overdue"]),
        (t("report_due_soon_tile", lang, days=pack.window_days), counts["due_soon"], figures.STATUS_COLORS["due_soon"]),
        (t("status_later", lang), counts["later"], figures.STATUS_COLORS["later"]),
        (t("status_plan_end", lang), counts["plan_end"], "#7B8794"),
    ]
    return general, due


def due_rows(pack: Pack) -> pd.DataFrame:
    """Tasks past their deadline or due within the window, earliest deadline first."""
    rows = pack.status.loc[pack.status["status"].isin(["overdue", "due_soon"])]
    return rows.sort_values(["deadline", "seq"], kind="stable")


def targets_rows(pack: Pack) -> list[tuple[str, str, str]]:
    """(task id, target text, role) for every target in the pack's tasks."""
    if pack.agency is None:
        return []
    a = pack.plan.assignments
    mine = a.loc[a["agency"] == pack.agency]
    roles = dict(zip(mine["task_id"], mine["role"], strict=True))
    return [
        (str(row.task_id), str(target["text"]), role_label(roles.get(row.task_id, "support"), pack.lang))
        for row in pack.status.itertuples()
        for target in row.targets
    ]


# ----------------------------------------------------------------------------- figures


def _workload_frame(pack: Pack, limit: int | None) -> pd.DataFrame:
    frame = derive.sort_workload(derive.workload(pack.plan, lead_weight=pack.lead_weight), "total")
    if pack.agency is not None:
        keep = [pack.agency] + (pack.partners["partner"].tolist() if pack.partners is not None else [])
        frame = frame.loc[frame["agency"].isin(keep)].reset_index(drop=True)
        if limit is not None and len(frame) > limit:  # keep the agency itself in view
            top = frame.head(limit)
            if pack.agency not in set(top["agency"]):
                top = pd.concat([top.head(limit - 1), frame.loc[frame["agency"] == pack.agency]])
            frame = top.reset_index(drop=True)
        return frame
    return frame.head(limit).reset_index(drop=True) if limit is not None else frame


def workload_chart(pack: Pack, *, scale: float, limit: int | None) -> tuple[go.Figure, str]:
    frame = _workload_frame(pack, limit)
    lang = pack.lang
    if pack.agency is not None:
        title = t("report_workload_partners", lang, agency=pack.name(pack.agency))
    elif limit is not None and len(pack.plan.agencies) > len(frame):
        title = t("report_workload_top", lang, n=len(frame), total=len(pack.plan.agencies))
    else:
        title = t("workload_title", lang)
    fig = figures.workload_figure(pack.plan, frame, lang, lead_weight=pack.lead_weight, scale=scale, title=title)
    fig.update_traces(textangle=0, selector={"type": "bar"})  # never rotate the counts in the bars
    return fig, title


def timeline_charts(pack: Pack, *, scale: float, rows_per_chart: int | None) -> list[tuple[go.Figure, str]]:
    rows = pack.status
    chunks = _chunks(len(rows), rows_per_chart) if rows_per_chart else [(0, len(rows))]
    charts = []
    for start, end in chunks:
        fig = figures.timeline_figure(pack.plan, rows.iloc[start:end], pack.meeting_date, pack.lang, scale=scale)
        charts.append((fig, html.unescape(str(fig.layout.title.text))))
    return charts


def distribution_chart(pack: Pack, *, scale: float) -> tuple[go.Figure, str]:
    fig = figures.deadline_distribution_figure(pack.plan, pack.status, pack.meeting_date, pack.lang, scale=scale)
    return fig, html.unescape(str(fig.layout.title.text))


def capped(spec: TableSpec, limit: int, lang: str) -> tuple[TableSpec, str | None]:
    """The table's first `limit` rows and a note saying how many the HTML report adds."""
    if len(spec.rows) <= limit:
        return spec, None
    rows = spec.rows[:limit]
    colors = spec.colors[:limit] if spec.colors is not None else None
    return replace(spec, rows=rows, colors=colors), t("report_rows_capped", lang, n=limit, total=len(spec.rows))


def _chunks(n: int, size: int) -> list[tuple[int, int]]:
    """n items in ceil(n/size) balanced, consecutive chunks."""
    parts = max(1, math.ceil(n / size))
    bounds = [round(i * n / parts) for i in range(parts + 1)]
    return [(bounds[i], bounds[i + 1]) for i in range(parts)]


def _ordered_subgraph(graph: nx.Graph, keep: Iterable[str]) -> nx.Graph:
    keep = set(keep)
    sub = nx.Graph()
    sub.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if n in keep)
    sub.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    return sub


def network_chart(pack: Pack, *, scale: float, height: int = 720) -> tuple[go.Figure, str, list[str]]:
    """The figure, its title, and notes on what it leaves out."""
    lang, graph = pack.lang, pack.graph
    notes = [t("report_network_note", lang)]
    if pack.agency is not None:
        partners = pack.partners["partner"].tolist()  # heaviest first
        if len(partners) + 1 > NETWORK_MAX_NODES:
            notes.append(t("report_ego_hidden", lang, n=NETWORK_MAX_NODES - 1, total=len(partners)))
            partners = partners[: NETWORK_MAX_NODES - 1]
        shown = _ordered_subgraph(graph, [pack.agency, *partners])
        if pack.agency not in shown:
            shown.add_node(pack.agency)
        title = t("ego_title", lang, agency=pack.name(pack.agency))
        highlight = pack.agency
    else:
        shown = network.filter_graph(graph, include_collective=False)
        if shown.number_of_nodes() == 0:
            shown = graph
        elif shown.number_of_nodes() < graph.number_of_nodes():
            notes.append(t("report_network_collective_note", lang))
        if shown.number_of_nodes() > NETWORK_MAX_NODES:
            total = shown.number_of_nodes()
            shown = network.filter_graph(shown, top_n=NETWORK_MAX_NODES)
            notes.append(t("report_network_hidden", lang, n=NETWORK_MAX_NODES, total=total))
        title = t("network_title", lang)
        highlight = None
    fig = figures.network_figure(pack.plan, shown, network.layout(shown), lang, highlight=highlight,
                                 scale=scale, title=title, height=height)
    return _labels_on_top(fig), title, notes


def _labels_on_top(fig: go.Figure) -> go.Figure:
    """Node labels moved to a text layer above every marker, with a white halo, so a big node
    drawn later never hides a neighbour's name; a little headroom for the top labels."""
    layers = []
    for trace in fig.data:
        if trace.type == "scatter" and trace.mode == "markers+text":
            font = trace.textfont.to_plotly_json()
            layers.append(go.Scatter(  # invisible markers of the same size keep the text offset
                x=trace.x, y=trace.y, text=trace.text, mode="markers+text", textposition=trace.textposition,
                marker={"size": trace.marker.size, "color": "rgba(0,0,0,0)", "line": {"width": 0}},
                textfont={**font, "shadow": "0px 0px 3px white"}, hoverinfo="skip", showlegend=False,
                cliponaxis=False,
            ))
            trace.mode = "markers"  # the hover still names the node through its text
    fig.add_traces(layers)
    fig.update_yaxes(range=[-1.14, 1.24])
    return fig


def _slide_figure(fig: go.Figure) -> go.Figure:
    """A figure for a slide image: the slide carries the title, so the chart drops its own."""
    fig = go.Figure(fig)
    top = 64 if fig.layout.showlegend is not False else 24
    fig.update_layout(title=None, margin={"t": top, "l": 16, "r": 24, "b": 48}, width=None, height=None,
                      paper_bgcolor="white")
    return fig


# ----------------------------------------------------------------------------- text fitting


def _is_wide(ch: str) -> bool:
    # Ambiguous-width characters (“ ” · …) are full width in a CJK font.
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def _char_em(ch: str) -> float:
    """Advance width of a character in ems (Noto Sans CJK; Latin rounded up)."""
    if _is_wide(ch):
        return 1.0
    if ch == " ":
        return 0.3
    if ch.isupper() or ch in "mw@%&":
        return 0.72
    return 0.56


# Office and LibreOffice add about a quarter em between CJK and Latin letters or digits.
AUTOSPACE_EM = 0.3
_TOKEN = re.compile(r"[A-Za-z0-9\-.,:;'/()%+]+\s*|\s+|.", re.S)


def _token_em(token: str, previous: str) -> float:
    width = sum(_char_em(c) for c in token)
    if previous and previous.strip() and token.strip() and _is_wide(previous[-1]) != _is_wide(token[0]):
        width += AUTOSPACE_EM
    return width


def wrap_lines(text: str, size_pt: float, width_pt: float) -> int:
    """How many lines `text` takes in a box `width_pt` wide at `size_pt` (greedy wrapping:
    CJK may break anywhere, Latin words move whole to the next line)."""
    width = width_pt * 0.95  # kinsoku (no closing punctuation at a line start) and rounding
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        previous = ""
        for token in _TOKEN.findall(paragraph):
            w = _token_em(token, previous) * size_pt
            previous = token
            if used + w <= width or token.isspace():
                used += w
                continue
            if w <= width:
                lines += 1
                used = w
                continue
            for c in token:  # a word longer than the line breaks anywhere
                cw = _char_em(c) * size_pt
                if used + cw > width:
                    lines += 1
                    used = 0.0
                used += cw
    return lines


def fit_text(text: str, size_pt: float, width_pt: float, max_lines: int, suffix: str) -> str:
    """`text` cut (with `suffix`) so it takes at most `max_lines` lines."""
    if wrap_lines(text, size_pt, width_pt) <= max_lines:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the suffix
        mid = (lo + hi + 1) // 2
        if wrap_lines(text[:mid].rstrip() + suffix, size_pt, width_pt) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + suffix


def _line_pt(size_pt: float) -> float:
    return size_pt * LINE_FACTOR


def row_height_pt(cells: Sequence[str], widths_in: Sequence[float], size_pt: float) -> float:
    inner = [(w - 2 * CELL_MARGIN_H) * 72 for w in widths_in]
    lines = max(wrap_lines(c, size_pt, w) for c, w in zip(cells, inner, strict=True))
    return lines * _line_pt(size_pt) + 2 * CELL_MARGIN_V * 72


def paginate(heights: Sequence[float], available_pt: float, max_rows: int) -> list[tuple[int, int]]:
    """Consecutive (start, end) row ranges whose heights fit `available_pt`, ≤ max_rows each."""
    pages: list[tuple[int, int]] = []
    start, used = 0, 0.0
    for i, h in enumerate(heights):
        if i > start and (used + h > available_pt or i - start >= max_rows):
            pages.append((start, i))
            start, used = i, 0.0
        used += h
    if start < len(heights) or not pages:
        pages.append((start, len(heights)))
    return pages


@dataclass
class TableSpec:
    """A table to place on slides: header, rows of cell texts, column widths (inches)."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    size: float = TABLE_PT
    max_rows: int = MAX_TABLE_ROWS
    colors: list[list[str | None]] | None = None  # text colour per cell (hex), optional

    def fitted(self, available_pt: float, lang: str) -> TableSpec:
        """Rows whose cells are cut where one row alone would not fit on a slide."""
        header_h = row_height_pt(self.header, self.widths, self.size)
        room = available_pt - header_h
        max_lines = max(1, int((room - 2 * CELL_MARGIN_V * 72) // _line_pt(self.size)))
        suffix = t("report_truncated", lang)
        inner = [(w - 2 * CELL_MARGIN_H) * 72 for w in self.widths]
        rows = [
            [fit_text(c, self.size, w, max_lines, suffix) for c, w in zip(row, inner, strict=True)]
            for row in self.rows
        ]
        return replace(self, rows=rows)

    def pages(self, available_pt: float) -> list[tuple[int, int]]:
        header_h = row_height_pt(self.header, self.widths, self.size)
        heights = [row_height_pt(r, self.widths, self.size) for r in self.rows]
        return paginate(heights, available_pt - header_h, self.max_rows)


# ----------------------------------------------------------------------------- PowerPoint


def _rgb(hex_color: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color.lstrip("#").upper())


class Deck:
    """A 16:9 python-pptx presentation with Noto Sans CJK SC on every run."""

    def __init__(self, lang: str, footer: str) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.lang = lang
        self.footer = footer
        self.prs = Presentation()
        self.prs.slide_width = Inches(SLIDE_W)
        self.prs.slide_height = Inches(SLIDE_H)
        self._set_theme_fonts()

    # -- fonts

    def _set_theme_fonts(self) -> None:
        """Theme fonts: Noto Sans CJK SC for Latin and East Asian text; YaHei for Simplified Chinese."""
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        theme = self.prs.slide_master.part.part_related_by(RT.THEME)
        xml = theme.blob.decode("utf-8")
        xml = re.sub(r'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*(")', rf"\g<1>{FONT}\g<2>", xml)
        xml = re.sub(r'(<a:(?:major|minor)Font><a:latin typeface="[^"]*"(?: [^/]*)?/><a:ea typeface=")[^"]*(")',
                     rf"\g<1>{FONT}\g<2>", xml)
        xml = re.sub(r'(<a:font script="Hans" typeface=")[^"]*(")', rf"\g<1>{FALLBACK_FONT}\g<2>", xml)
        theme._blob = xml.encode("utf-8")  # a generic Part: its XML lives in _blob

    def style_run(self, run, size: float, *, bold: bool = False, color: str = TEXT_RGB) -> None:
        from pptx.oxml.ns import qn
        from pptx.oxml.xmlchemy import OxmlElement
        from pptx.util import Pt

        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = _rgb(color)
        font.name = FONT  # a:latin
        rpr = run._r.get_or_add_rPr()
        previous = rpr.find(qn("a:latin"))
        for tag in ("a:ea", "a:cs"):  # python-pptx writes only a:latin; CJK glyphs use a:ea
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                previous.addnext(element)
            element.set("typeface", FONT)
            previous = element
        rpr.set("lang", "zh-CN" if self.lang == "zh" else "en-US")
        rpr.set("altLang", "en-US" if self.lang == "zh" else "zh-CN")

    def write(self, text_frame, paragraphs: Sequence[str | Sequence[tuple[str, dict]]], size: float, *,
              bold: bool = False, color: str = TEXT_RGB, align=None, space_after: float = 0) -> None:
        """Replace the frame's text. A paragraph is a string or a list of (text, style) runs."""
        from pptx.util import Pt

        text_frame.clear()
        for i, paragraph in enumerate(paragraphs):
            p = text_frame.paragraphs[0] if i == 0 else text_frame.add_paragraph()
            if align is not None:
                p.alignment = align
            if space_after:
                p.space_after = Pt(space_after)
            runs = [(paragraph, {})] if isinstance(paragraph, str) else paragraph
            for text, style in runs:
                run = p.add_run()
                run.text = text
                self.style_run(run, style.get("size", size), bold=style.get("bold", bold),
                               color=style.get("color", color))

    # -- shapes

    def new_slide(self, title: str | None, layout: int = 5):
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
        from pptx.util import Inches

        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        if title is not None and slide.shapes.title is not None:
            shape = slide.shapes.title
            shape.left, shape.top = Inches(MARGIN), Inches(TITLE_TOP)
            shape.width, shape.height = Inches(BODY_W), Inches(TITLE_H)
            frame = shape.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.NONE
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            size = self.fit_size(title, TITLE_PT, MIN_TITLE_PT, BODY_W, TITLE_H, max_lines=2)
            from pptx.enum.text import PP_ALIGN

            self.write(frame, [fit_text(title, size, BODY_W * 72 - 14, 2, "…")], size, bold=True,
                       color=ACCENT_RGB, align=PP_ALIGN.LEFT)
        return slide

    @staticmethod
    def fit_size(text: str, size: float, min_size: float, width_in: float, height_in: float, max_lines: int) -> float:
        """The largest size ≤ `size` (≥ `min_size`) at which `text` fits the box."""
        while size > min_size:
            lines = wrap_lines(text, size, width_in * 72 - 14)
            if lines <= max_lines and lines * _line_pt(size) <= height_in * 72:
                break
            size -= 2
        return max(size, min_size)

    def textbox(self, slide, left: float, top: float, width: float, height: float,
                paragraphs: Sequence[str | Sequence[tuple[str, dict]]], size: float, **kw):
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
        from pptx.util import Inches

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = kw.pop("anchor", MSO_ANCHOR.TOP)
        self.write(frame, paragraphs, size, **kw)
        return box

    def picture(self, slide, png: bytes, left: float, top: float, width: float, height: float):
        """The image fitted into the box (aspect kept), centred horizontally."""
        from pptx.util import Inches

        px_w, px_h = png_size(png)
        scale = min(width / px_w, height / px_h)
        w, h = px_w * scale, px_h * scale
        return slide.shapes.add_picture(
            io.BytesIO(png), Inches(left + (width - w) / 2), Inches(top), Inches(w), Inches(h)
        )

    def table(self, slide, spec: TableSpec, left: float, top: float, start: int = 0, end: int | None = None):
        from pptx.enum.text import MSO_ANCHOR
        from pptx.util import Inches, Pt

        rows = spec.rows[start:end]
        colors = spec.colors[start:end] if spec.colors else None
        heights = [row_height_pt(spec.header, spec.widths, spec.size)] + [
            row_height_pt(r, spec.widths, spec.size) for r in rows
        ]
        frame = slide.shapes.add_table(len(rows) + 1, len(spec.widths), Inches(left), Inches(top),
                                       Inches(sum(spec.widths)), Pt(sum(heights)))
        table = frame.table
        table.first_row = True
        table.horz_banding = False
        for i, width in enumerate(spec.widths):
            table.columns[i].width = Inches(width)
        for r, (cells, height) in enumerate(zip([spec.header, *rows], heights, strict=True)):
            table.rows[r].height = Pt(height)
            for c, text in enumerate(cells):
                cell = table.cell(r, c)
                cell.margin_left = cell.margin_right = Inches(CELL_MARGIN_H)
                cell.margin_top = cell.margin_bottom = Inches(CELL_MARGIN_V)
                cell.vertical_anchor = MSO_ANCHOR.TOP
                cell.text_frame.word_wrap = True
                cell.fill.solid()
                if r == 0:
                    cell.fill.fore_color.rgb = _rgb(HEADER_FILL)
                    self.write(cell.text_frame, [text], spec.size, bold=True, color="FFFFFF")
                else:
                    cell.fill.fore_color.rgb = _rgb(BAND_FILL if r % 2 == 0 else "FFFFFF")
                    color = (colors[r - 1][c] if colors else None) or TEXT_RGB
                    self.write(cell.text_frame, [text], spec.size, color=color)
        return frame

    def add_table_slides(self, title: str, spec: TableSpec, *, note: str | None = None) -> int:
        """The table over as many slides as its measured rows need; returns the slide count."""
        available = (BODY_H - (NOTE_H if note else 0)) * 72
        spec = spec.fitted(available, self.lang)
        pages = spec.pages(available)
        for i, (start, end) in enumerate(pages, start=1):
            suffix = t("report_page_suffix", self.lang, i=i, n=len(pages)) if len(pages) > 1 else ""
            slide = self.new_slide(title + suffix)
            self.table(slide, spec, MARGIN, BODY_TOP, start, end)
            if note:
                self.textbox(slide, MARGIN, BODY_BOTTOM - NOTE_H, BODY_W, NOTE_H, [note], FOOTER_PT, color=MUTED_RGB)
        return len(pages)

    def note_slide(self, title: str, paragraphs: Sequence[str]):
        """A slide of plain text (what a summarised deck leaves to the HTML report)."""
        slide = self.new_slide(title)
        self.textbox(slide, MARGIN, BODY_TOP + 0.2, BODY_W, BODY_H - 0.4, list(paragraphs), 20)
        return slide

    def chart_slide(self, title: str, png: bytes, notes: Sequence[str] = ()):
        slide = self.new_slide(title)
        note_h = NOTE_H if notes else 0
        self.picture(slide, png, MARGIN, BODY_TOP, BODY_W, BODY_H - note_h)
        if notes:
            self.textbox(slide, MARGIN, BODY_BOTTOM - NOTE_H, BODY_W, NOTE_H, [" ".join(notes)], FOOTER_PT,
                         color=MUTED_RGB)
        return slide

    def finish(self) -> bytes:
        """Footers (plan, meeting date, slide i / n) on every slide but the first; the file bytes."""
        from pptx.enum.text import PP_ALIGN

        slides = list(self.prs.slides)
        for i, slide in enumerate(slides, start=1):
            if i == 1:
                continue
            left = fit_text(self.footer, FOOTER_PT, (BODY_W - 1.6) * 72 - 14, 1, "…")
            self.textbox(slide, MARGIN, FOOTER_TOP, BODY_W - 1.5, FOOTER_H, [left], FOOTER_PT, color=MUTED_RGB)
            self.textbox(slide, SLIDE_W - MARGIN - 1.5, FOOTER_TOP, 1.5, FOOTER_H, [f"{i} / {len(slides)}"],
                         FOOTER_PT, color=MUTED_RGB, align=PP_ALIGN.RIGHT)
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _image_height_px(height_in: float) -> int:
    return round(IMAGE_WIDTH_PX * height_in / BODY_W)


def _render_slide_images(charts: dict[str, tuple[go.Figure, float]]) -> dict[str, bytes]:
    """PNG per chart name, all in one browser session; `charts` maps name → (figure, box height in)."""
    from analysis.render import chart_renderer, figure_png

    images = {}
    with chart_renderer():
        for name, (fig, height_in) in charts.items():
            images[name] = figure_png(_slide_figure(fig), width=IMAGE_WIDTH_PX, height=_image_height_px(height_in),
                                      scale=IMAGE_SCALE)
    return images


def _title_slide(deck: Deck, pack: Pack) -> None:
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches

    lang = pack.lang
    slide = deck.new_slide(None, layout=6)
    band = slide.shapes.add_shape(1, 0, 0, deck.prs.slide_width, Inches(0.35))  # 1 = rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(ACCENT_RGB)
    band.line.fill.background()
    if pack.agency is not None:
        main = t("report_agency_pack_title", lang, agency=pack.name(pack.agency))
        sub = [pack.title]
    else:
        main = pack.title
        sub = [t("report_pack_title", lang)]
    size = deck.fit_size(main, 40, 32, BODY_W - 0.6, 2.2, max_lines=1)  # one line if it can
    if wrap_lines(main, size, (BODY_W - 0.6) * 72 - 14) > 1:
        size = deck.fit_size(main, 40, 26, BODY_W - 0.6, 2.2, max_lines=3)
    main = fit_text(main, size, (BODY_W - 0.6) * 72 - 14, 3, "…")
    deck.textbox(slide, MARGIN + 0.3, 1.3, BODY_W - 0.6, 2.4, [main], size, bold=True, color=ACCENT_RGB,
                 anchor=MSO_ANCHOR.BOTTOM, align=PP_ALIGN.LEFT)
    meta = pack.plan.meta
    lines = [
        *[fit_text(s, 20, (BODY_W - 0.6) * 72 - 14, 2, "…") for s in sub],
        [(t("report_meeting_date", lang, date=pack.meeting_date.isoformat()),
          {"bold": True, "size": 24, "color": TEXT_RGB})],
        t("plan_period", lang, start=meta.period_start.isoformat(), end=meta.period_end.isoformat()),
    ]
    if pack.agency is not None:
        kind = type_label(pack.plan.agency_type(pack.agency), lang)
        lines.append(fit_text(f"{pack.long_name(pack.agency)} · {kind}", 20, (BODY_W - 0.6) * 72 - 14, 2, "…"))
    deck.textbox(slide, MARGIN + 0.3, 4.0, BODY_W - 0.6, 2.6, lines, 20, color=MUTED_RGB, space_after=6)
    generated = t("report_generated", lang, date=dt.date.today().isoformat())
    deck.textbox(slide, MARGIN + 0.3, 6.7, BODY_W - 0.6, 0.4, [generated], FOOTER_PT, color=MUTED_RGB)


def _tile(deck: Deck, slide, left: float, top: float, width: float, height: float, value: int, label: str,
          color: str = ACCENT_RGB) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height)
    )
    shape.adjustments[0] = 0.08
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(TILE_FILL)
    shape.line.color.rgb = _rgb(color)
    shape.line.width = Pt(2)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    label_size = deck.fit_size(label, 16, 11, width - 0.2, 0.6, max_lines=2)
    deck.write(frame, [[(str(value), {"size": 40, "bold": True, "color": color})], [(label, {"size": label_size})]],
               16, align=PP_ALIGN.CENTER)


def _key_figures_slide(deck: Deck, pack: Pack) -> None:
    lang = pack.lang
    slide = deck.new_slide(t("report_key_figures", lang))
    general, due = key_figures(pack)
    gap = 0.3
    width = (BODY_W - gap * (len(general) - 1)) / len(general)
    for i, (label, value) in enumerate(general):
        _tile(deck, slide, MARGIN + i * (width + gap), BODY_TOP + 0.1, width, 1.6, value, label)
    deck.textbox(slide, MARGIN, BODY_TOP + 2.0, BODY_W, 0.5,
                 [t("report_due_heading", lang, date=pack.meeting_date.isoformat())], 18, bold=True)
    width = (BODY_W - gap * (len(due) - 1)) / len(due)
    for i, (label, value, color) in enumerate(due):
        _tile(deck, slide, MARGIN + i * (width + gap), BODY_TOP + 2.6, width, 1.6, value, label, color)
    counts = derive.due_counts(pack.status)
    summary = t("due_summary", lang, date=pack.meeting_date.isoformat(), overdue=counts["overdue"],
                soon=counts["due_soon"], days=pack.window_days)
    meta = pack.plan.meta
    period = t("plan_period", lang, start=meta.period_start.isoformat(), end=meta.period_end.isoformat())
    deck.textbox(slide, MARGIN, BODY_TOP + 4.5, BODY_W, 1.0, [summary, period], BODY_PT, color=MUTED_RGB)


def _task_cell(text: str) -> str:
    return " ".join(str(text).split())


def due_table(pack: Pack) -> TableSpec:
    lang = pack.lang
    rows, colors = [], []
    for row in due_rows(pack).itertuples():
        note = status_note(row, lang)
        rows.append([str(row.task_id), _task_cell(row.text), _names(pack, row.lead_text),
                     f"{deadline_label(row, lang)}\n{note}"])
        colors.append([None, None, None, figures.STATUS_COLORS[str(row.status)]])
    return TableSpec(
        header=[t("col_task_id", lang), t("col_text", lang), t("col_lead", lang), t("col_deadline", lang)],
        rows=rows, widths=[0.8, 7.4, 2.3, 1.8], colors=colors,
    )


def appendix_table(pack: Pack, status: pd.DataFrame | None = None, *, support: bool = True) -> TableSpec:
    """All tasks (or the given rows): number, full text, lead, support, deadline."""
    lang = pack.lang
    rows, colors = [], []
    for row in (pack.status if status is None else status).itertuples():
        note = status_note(row, lang)
        cells = [str(row.task_id), _task_cell(row.text), _names(pack, row.lead_text)]
        if support:
            cells.append(_names(pack, row.support_text))
        cells.append(deadline_label(row, lang) + (f"\n{note}" if note else ""))
        rows.append(cells)
        colors.append([None] * (len(cells) - 1) + [figures.STATUS_COLORS.get(str(row.status)) if note else None])
    header = [t("col_task_id", lang), t("col_text", lang), t("col_lead", lang)]
    header += [t("col_support", lang)] if support else []
    header += [t("col_deadline", lang)]
    widths = [0.7, 6.0, 1.9, 2.3, 1.433] if support else [0.7, 7.9, 2.3, 1.433]
    return TableSpec(header=header, rows=rows, widths=widths, colors=colors)


def lead_title(pack: Pack, entry: LeadEntry) -> str:
    key = "report_lead_title_one" if len(entry.led) == 1 else "report_lead_title"
    return t(key, pack.lang, agency=pack.name(entry.agency), n=len(entry.led))


def _lead_slides(deck: Deck, pack: Pack, entry: LeadEntry) -> int:
    """One agency's tasks led (one-line rows) with its counts and main partners at the right."""
    lang = pack.lang
    widths = [0.7, 5.9, 1.9]
    text_width = (widths[1] - 2 * CELL_MARGIN_H) * 72
    led, note = entry.led, None
    if pack.large and len(led) > LEAD_TABLE_ROWS:
        # one slide per agency: its most pressing tasks (past or near the deadline first)
        urgency = led["status"].astype(str).map({s: i for i, s in enumerate(derive.DUE_STATUSES)})
        led = led.assign(_urgency=urgency).sort_values(["_urgency", "deadline", "seq"], kind="stable")
        led = led.head(LEAD_TABLE_ROWS)
        note = t("report_lead_rows_capped", lang, n=LEAD_TABLE_ROWS, total=len(entry.led))
    rows, colors = [], []
    for row in led.itertuples():
        rows.append([str(row.task_id), fit_text(_task_cell(row.text), TABLE_PT, text_width, 1, "…"),
                     deadline_label(row, lang)])
        colors.append([None, None, figures.STATUS_COLORS[str(row.status)] if status_note(row, lang) else None])
    spec = TableSpec(header=[t("col_task_id", lang), t("col_text", lang), t("col_deadline", lang)],
                     rows=rows, widths=widths, max_rows=LEAD_TABLE_ROWS, colors=colors)
    pages = spec.pages((BODY_H - (NOTE_H if note else 0)) * 72)
    title = lead_title(pack, entry)
    side_left = MARGIN + sum(widths) + 0.35
    side_w = SLIDE_W - MARGIN - side_left
    for i, (start, end) in enumerate(pages, start=1):
        suffix = t("report_page_suffix", lang, i=i, n=len(pages)) if len(pages) > 1 else ""
        slide = deck.new_slide(title + suffix)
        deck.table(slide, spec, MARGIN, BODY_TOP, start, end)
        _partner_panel(deck, slide, pack, entry, side_left, side_w)
        if note:
            deck.textbox(slide, MARGIN, BODY_BOTTOM - NOTE_H, BODY_W, NOTE_H, [note], FOOTER_PT, color=MUTED_RGB)
    return len(pages)


def _partner_panel(deck: Deck, slide, pack: Pack, entry: LeadEntry, left: float, width: float) -> None:
    lang = pack.lang
    kinds = dict(zip(pack.plan.agencies["agency"], pack.plan.agencies["type"].astype(str), strict=True))
    sep = "：" if lang == "zh" else ": "
    head = [
        fit_text(pack.long_name(entry.agency), BODY_PT, width * 72 - 14, 2, "…"),
        type_label(kinds.get(entry.agency, "unknown"), lang),
        f"{t('report_tasks_led_tile', lang)}{sep}{len(entry.led)}",
        f"{t('report_tasks_supported_tile', lang)}{sep}{entry.supported}",
        f"{t('report_partners_tile', lang)}{sep}{len(entry.partners)}",
    ]
    head_h = sum(wrap_lines(p, BODY_PT, width * 72 - 14) for p in head) * _line_pt(BODY_PT) / 72 + 0.15
    deck.textbox(slide, left, BODY_TOP, width, head_h, [[(head[0], {"bold": True})], *head[1:]], BODY_PT,
                 color=TEXT_RGB)
    top = BODY_TOP + head_h + 0.1
    if entry.partners.empty:
        deck.textbox(slide, left, top, width, 0.4, [t("report_no_partners", lang)], TABLE_PT, color=MUTED_RGB)
        return
    widths = [width - 1.3, 1.3]
    pairs = zip(entry.partners["partner"], entry.partners["weight"], strict=True)
    all_rows = [[pack.name(p), str(int(w))] for p, w in pairs]
    header = [t("report_main_partners", lang), t("col_shared", lang)]
    available = (BODY_BOTTOM - top) * 72 - row_height_pt(header, widths, TABLE_PT)
    more_h = _line_pt(TABLE_PT) + 6
    shown, used = 0, 0.0
    for i, cells in enumerate(all_rows):
        h = row_height_pt(cells, widths, TABLE_PT)
        reserve = more_h if i < len(all_rows) - 1 else 0
        if used + h + reserve > available or shown >= 10:
            break
        used += h
        shown += 1
    spec = TableSpec(header=header, rows=all_rows[:shown], widths=widths)
    deck.table(slide, spec, left, top)
    if shown < len(all_rows):
        deck.textbox(slide, left, top + (row_height_pt(header, widths, TABLE_PT) + used) / 72 + 0.02, width, 0.35,
                     [t("report_more_partners", lang, n=len(all_rows) - shown)], FOOTER_PT, color=MUTED_RGB)


def partners_table(pack: Pack) -> TableSpec:
    lang = pack.lang
    rows = [
        [pack.name(r.partner), type_label(str(r.type), lang), str(int(r.weight)),
         ("、" if lang == "zh" else ", ").join(map(str, r.tasks))]
        for r in pack.partners.itertuples()
    ]
    header = [t("col_partner", lang), t("col_type", lang), t("col_shared", lang), t("col_shared_tasks", lang)]
    return TableSpec(header=header, rows=rows, widths=[4.2, 2.6, 1.6, 3.933], max_rows=14)


def targets_table(pack: Pack) -> TableSpec:
    lang = pack.lang
    rows = [[tid, text, role] for tid, text, role in targets_rows(pack)]
    return TableSpec(header=[t("col_task_id", lang), t("report_target", lang), t("col_role", lang)],
                     rows=rows, widths=[1.0, 9.333, 2.0], max_rows=14)


def agency_tables(pack: Pack) -> list[tuple[str, str, TableSpec]]:
    """An agency pack's tables, the same in both formats: (anchor, title, table) for its tasks
    led, tasks supported, partners and targets, each only when not empty."""
    lang, agency = pack.lang, pack.agency
    name = pack.name(agency)
    led = pack.status.loc[pack.status["task_id"].isin(_tasks_of(pack.plan, agency, "lead"))]
    supported = pack.status.loc[pack.status["task_id"].isin(_tasks_of(pack.plan, agency, "support"))]
    out = []
    if not led.empty:
        out.append(("tasks-led", t("report_tasks_led", lang, agency=name), appendix_table(pack, led)))
    if not supported.empty:
        out.append(("tasks-supported", t("report_tasks_supported", lang, agency=name), appendix_table(pack, supported)))
    if not pack.partners.empty:
        out.append(("partners", t("report_partners_title", lang, agency=name), partners_table(pack)))
    if targets_rows(pack):
        out.append(("targets", t("report_targets_title", lang, agency=name), targets_table(pack)))
    return out


def build_pptx(
    plan: Plan,
    *,
    meeting_date: dt.date,
    lang: str = "zh",
    agency: str | None = None,
    lead_weight: float = derive.DEFAULT_LEAD_WEIGHT,
    window_days: int = derive.DEFAULT_DUE_WINDOW_DAYS,
) -> bytes:
    """The meeting deck (.pptx bytes) for the plan, or for one agency when `agency` is given."""
    pack = prepare_pack(plan, meeting_date=meeting_date, lang=lang, agency=agency,
                        lead_weight=lead_weight, window_days=window_days)
    workload, workload_title = workload_chart(pack, scale=FIGURE_SCALE, limit=WORKLOAD_ROWS)
    if pack.large:
        timelines = [distribution_chart(pack, scale=FIGURE_SCALE)]
    else:
        timelines = timeline_charts(pack, scale=FIGURE_SCALE, rows_per_chart=TIMELINE_ROWS)
    net_fig, net_title, net_notes = network_chart(pack, scale=FIGURE_SCALE)
    charts = {"workload": (workload, BODY_H)}
    charts.update({f"timeline{i}": (fig, BODY_H) for i, (fig, _) in enumerate(timelines)})
    charts["network"] = (net_fig, BODY_H - NOTE_H)
    images = _render_slide_images(charts)

    footer = pack.title + " · " + t("report_meeting_date", lang, date=meeting_date.isoformat())
    if pack.agency is not None:
        footer = pack.name(pack.agency) + " · " + footer
    deck = Deck(lang, footer)
    _title_slide(deck, pack)
    _key_figures_slide(deck, pack)
    deck.chart_slide(workload_title, images["workload"])
    for i, (_, title) in enumerate(timelines):
        suffix = t("report_page_suffix", lang, i=i + 1, n=len(timelines)) if len(timelines) > 1 else ""
        notes = [t("report_summary_note", lang, n=len(pack.status))] if pack.large else []
        deck.chart_slide(title + suffix, images[f"timeline{i}"], notes)

    def tables(title: str, spec: TableSpec) -> None:
        if pack.large:
            spec, note = capped(spec, DECK_MAX_ROWS, lang)
            deck.add_table_slides(title, spec, note=note)
        else:
            deck.add_table_slides(title, spec)

    if pack.agency is None:
        if not due_rows(pack).empty:
            tables(t("report_due_list", lang), due_table(pack))
        deck.chart_slide(net_title, images["network"], net_notes)
        leads = pack.leads[:DECK_MAX_LEADS] if pack.large else pack.leads
        for entry in leads:
            _lead_slides(deck, pack, entry)
        if len(leads) < len(pack.leads):
            deck.note_slide(t("report_lead_section", lang),
                            [t("report_leads_capped", lang, n=len(leads), total=len(pack.leads)),
                             t("report_summary_note", lang, n=len(pack.status))])
        if not pack.large:
            deck.add_table_slides(t("report_appendix", lang), appendix_table(pack))
    else:
        deck.chart_slide(net_title, images["network"], net_notes)
        for _, title, spec in agency_tables(pack):
            tables(title, spec)
    return deck.finish()


# ----------------------------------------------------------------------------- HTML

PRINT_CHART_WIDTH = 700  # px: A4 portrait less the page margins
PRINT_CHART_MAX_HEIGHT = 860  # px: a page less a section heading

CSS = """
:root { --accent: #1F4E9C; --text: #1F2933; --muted: #5D6D7E; --band: #EEF3FA; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei",
       "PingFang SC", sans-serif;
       color: var(--text); margin: 0 auto; max-width: 1200px; padding: 24px 32px; line-height: 1.55; }
header.cover { border-top: 10px solid var(--accent); padding-top: 18px; }
h1 { color: var(--accent); font-size: 2rem; margin: 0.2em 0; }
h2 { color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 2em; }
h3 { margin: 1.4em 0 0.4em; }
.meta { color: var(--muted); margin: 0.2em 0; }
.meeting { font-size: 1.3rem; font-weight: bold; margin: 0.4em 0; }
.note { color: var(--muted); font-size: 0.9rem; }
nav ol { columns: 2; }
nav a { color: var(--accent); text-decoration: none; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.tile { flex: 1 1 150px; border: 2px solid var(--accent); border-radius: 8px; background: #F4F6F9;
        padding: 10px; text-align: center; }
.tile .value { font-size: 2.2rem; font-weight: bold; display: block; }
.chart { margin: 12px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.95rem; }
th { background: var(--accent); color: #fff; text-align: left; padding: 6px 8px; }
td { border-bottom: 1px solid #D5DCE4; padding: 6px 8px; vertical-align: top; }
tbody tr:nth-child(even) td { background: var(--band); }
td.num { white-space: nowrap; }
td.status-overdue { color: #C0392B; font-weight: bold; }
td.status-due_soon { color: #B7791F; font-weight: bold; }
.agency-block { margin-bottom: 1.5em; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav, .screen-only { display: none; }
  section.page { break-before: page; page-break-before: always; }
  .chart, .tiles, .tile, tr, .agency-block h3 { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
}
"""

# Before printing, lay every chart out at the page width and at most a page high (plotly
# sizes charts for the screen; a too-wide or too-tall chart would be cut); restore after.
PRINT_SCRIPT = """
(function () {
  var printing = false;
  function charts() { return document.querySelectorAll('.chart'); }
  function toPrint() {
    if (printing || !window.Plotly) { return; }
    printing = true;
    charts().forEach(function (box) {
      var gd = box.querySelector('.js-plotly-plot');
      if (gd) {
        gd.style.height = gd.parentElement.style.height = box.dataset.printHeight + 'px';
        window.Plotly.relayout(gd, {width: %(width)d, height: +box.dataset.printHeight});
      }
    });
  }
  function toScreen() {
    if (!printing || !window.Plotly) { return; }
    printing = false;
    charts().forEach(function (box) {
      var gd = box.querySelector('.js-plotly-plot');
      if (gd) {
        gd.style.height = gd.parentElement.style.height = box.dataset.height + 'px';
        window.Plotly.relayout(gd, {width: null, height: +box.dataset.height, autosize: true});
      }
    });
  }
  window.addEventListener('beforeprint', toPrint);
  window.addEventListener('afterprint', toScreen);
  if (window.matchMedia) {
    var query = window.matchMedia('print');
    var listener = function (m) { if (m.matches) { toPrint(); } else { toScreen(); } };
    if (query.addEventListener) { query.addEventListener('change', listener); } else { query.addListener(listener); }
  }
})();
""" % {"width": PRINT_CHART_WIDTH}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    classes: Sequence[Sequence[str]] | None = None,
    widths: Sequence[float] | None = None,
) -> str:
    cols = ""
    if widths:
        total = sum(widths)
        cols = "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths) + "</colgroup>"
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            css = classes[i][j] if classes and classes[i][j] else ""
            attr = f' class="{_e(css)}"' if css else ""
            cells.append(f"<td{attr}>{_e(cell).replace(chr(10), '<br>')}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>{cols}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _spec_html(spec: TableSpec) -> str:
    classes = None
    if spec.colors:
        reverse = {v: k for k, v in figures.STATUS_COLORS.items()}
        classes = [[f"status-{reverse[c]}" if c in reverse else "" for c in row] for row in spec.colors]
    return _html_table(spec.header, spec.rows, classes, spec.widths)


class _HtmlCharts:
    """Chart divs for the report; plotly.js itself is inlined once in <head>.

    Each div records its screen height and a print height (at most one page), which the
    print script applies before printing and restores afterwards.
    """

    def __init__(self) -> None:
        self.count = 0

    def div(self, fig: go.Figure) -> str:
        self.count += 1
        fig = go.Figure(fig)
        height = int(fig.layout.height or 600)
        fig.update_layout(width=None)
        markup = fig.to_html(
            full_html=False, include_plotlyjs=False, include_mathjax=False,
            config=dict(figures.PNG_EXPORT_CONFIG), div_id=f"chart-{self.count}",
            default_width="100%",
        )
        print_height = min(height, PRINT_CHART_MAX_HEIGHT)
        return f'<div class="chart" data-height="{height}" data-print-height="{print_height}">{markup}</div>'


def build_html(
    plan: Plan,
    *,
    meeting_date: dt.date,
    lang: str = "zh",
    agency: str | None = None,
    lead_weight: float = derive.DEFAULT_LEAD_WEIGHT,
    window_days: int = derive.DEFAULT_DUE_WINDOW_DAYS,
) -> bytes:
    """One self-contained HTML file (UTF-8 bytes): interactive charts, tables, print styles."""
    pack = prepare_pack(plan, meeting_date=meeting_date, lang=lang, agency=agency,
                        lead_weight=lead_weight, window_days=window_days)
    charts = _HtmlCharts()
    meta = plan.meta
    sections: list[tuple[str, str, str]] = []  # (anchor, heading, body)

    general, due = key_figures(pack)
    tiles = "".join(f'<div class="tile"><span class="value">{_e(v)}</span>{_e(label)}</div>' for label, v in general)
    due_tiles = "".join(
        f'<div class="tile" style="border-color:{_e(color)}">'
        f'<span class="value" style="color:{_e(color)}">{_e(v)}</span>{_e(label)}</div>'
        for label, v, color in due
    )
    counts = derive.due_counts(pack.status)
    summary = t("due_summary", lang, date=meeting_date.isoformat(), overdue=counts["overdue"],
                soon=counts["due_soon"], days=window_days)
    due_heading = t("report_due_heading", lang, date=meeting_date.isoformat())
    body = (f'<div class="tiles">{tiles}</div><h3>{_e(due_heading)}</h3>'
            f'<div class="tiles">{due_tiles}</div><p>{_e(summary)}</p>')
    if pack.agency is None and not due_rows(pack).empty:
        body += f"<h3>{_e(t('report_due_list', lang))}</h3>" + _spec_html(due_table(pack))
    sections.append(("key-figures", t("report_key_figures", lang), body))

    fig, title = workload_chart(pack, scale=1.0, limit=None)
    sections.append(("workload", title, charts.div(fig)))
    if len(pack.status) > HTML_TIMELINE_MAX_TASKS:
        fig, title = distribution_chart(pack, scale=1.0)
        note = t("report_timeline_large_note", lang, n=len(pack.status))
        sections.append(("timeline", title, charts.div(fig) + f'<p class="note">{_e(note)}</p>'))
    else:
        (fig, title), = timeline_charts(pack, scale=1.0, rows_per_chart=None)
        sections.append(("timeline", title, charts.div(fig)))
    fig, title, notes = network_chart(pack, scale=1.0)
    sections.append(("network", title, charts.div(fig) + f'<p class="note">{_e(" ".join(notes))}</p>'))

    if pack.agency is None:
        blocks = []
        for entry in pack.leads:
            rows, classes = [], []
            for row in entry.led.itertuples():
                note = status_note(row, lang)
                deadline = deadline_label(row, lang) + (f"\n{note}" if note else "")
                rows.append([str(row.task_id), _task_cell(row.text), deadline])
                classes.append(["num", "", f"status-{row.status}" if note else ""])
            counts = t("report_lead_counts", lang, lead=len(entry.led), support=entry.supported,
                       partners=len(entry.partners))
            colon = "：" if lang == "zh" else ": "
            pattern, sep = ("{}（{}）", "、") if lang == "zh" else ("{} ({})", "; ")
            partners = sep.join(pattern.format(pack.name(p), int(w))
                                for p, w in zip(entry.partners["partner"], entry.partners["weight"], strict=True))
            blocks.append(
                f'<div class="agency-block"><h3>{_e(lead_title(pack, entry))}</h3>'
                f'<p class="meta">{_e(counts)}</p>'
                + _html_table([t("col_task_id", lang), t("col_text", lang), t("col_deadline", lang)], rows, classes,
                              [0.7, 5.9, 1.9])
                + (f'<p><b>{_e(t("partners", lang))}</b>{colon}{_e(partners)}</p>' if partners else "")
                + "</div>"
            )
        sections.append(("lead-agencies", t("report_lead_section", lang), "".join(blocks)))
        sections.append(("appendix", t("report_appendix", lang), _spec_html(appendix_table(pack))))
    else:
        sections += [(anchor, title, _spec_html(spec)) for anchor, title, spec in agency_tables(pack)]

    if pack.agency is not None:
        heading = t("report_agency_pack_title", lang, agency=pack.name(pack.agency))
        subtitle = pack.title
    else:
        heading, subtitle = pack.title, t("report_pack_title", lang)
    period = t("plan_period", lang, start=meta.period_start.isoformat(), end=meta.period_end.isoformat())
    contents = "".join(f'<li><a href="#{a}">{_e(h)}</a></li>' for a, h, _ in sections)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)} · {_e(meeting_date.isoformat())}</title>",
        f"<style>{CSS}</style>",
        "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>",
        f'<script id="plotlyjs">{get_plotlyjs()}</script>',
        "</head><body>",
        f'<header class="cover"><h1>{_e(heading)}</h1><p class="meta">{_e(subtitle)}</p>',
        f'<p class="meeting">{_e(t("report_meeting_date", lang, date=meeting_date.isoformat()))}</p>',
        f'<p class="meta">{_e(period)} · {_e(t("report_generated", lang, date=dt.date.today().isoformat()))}</p>',
        f'<p class="note screen-only">{_e(t("report_html_note", lang))}</p></header>',
        f'<nav><h2>{_e(t("report_contents", lang))}</h2><ol>{contents}</ol></nav>',
    ]
    for i, (anchor, heading_text, body_html) in enumerate(sections):
        page = ' class="page"' if i > 0 else ""
        parts.append(f'<section id="{anchor}"{page}><h2>{_e(heading_text)}</h2>{body_html}</section>')
    parts.append(f"<script>{PRINT_SCRIPT}</script></body></html>")
    return "\n".join(parts).encode("utf-8")


# ----------------------------------------------------------------------------- files


def report_format(path: str) -> str:
    """'.pptx' or '.html' from a file name (.htm counts as .html); ValueError otherwise."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    suffix = ".html" if suffix == ".htm" else suffix
    if suffix not in FORMATS:
        raise ValueError(t("report_unsupported_format", "zh", suffix=suffix or path) + " | "
                         + t("report_unsupported_format", "en", suffix=suffix or path))
    return suffix


def build_report(plan: Plan, fmt: str, **kwargs: object) -> bytes:
    """`build_pptx` or `build_html` by format ('.pptx' / '.html')."""
    builder = build_pptx if fmt == ".pptx" else build_html
    return builder(plan, **kwargs)  # type: ignore[arg-type]
