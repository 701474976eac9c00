"""Plotly figures, one function per chart, built in one place for the app, slides and report.

Every function takes the language and a `scale` (1.0 on screen, larger for projecting)
and returns a `go.Figure` with a title, readable axes and a legend. Colours come from
the fixed palettes below, so an agency type has the same colour on every page.

User text (agency names, task text) is escaped before it reaches plotly, which would
otherwise interpret tags such as <a href> inside labels.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analysis.i18n import label as member_label
from analysis.i18n import role_label, t, type_label
from analysis.model import Plan
from analysis.vocab import (
    AGENCY_TYPES,
    DEFAULTS,
    DUE_STATUSES,
    AgencyType,
    DeadlineKind,
    DueStatus,
    ProgressStatus,
    Role,
)

if TYPE_CHECKING:
    import networkx as nx

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

TYPE_COLORS: dict[str, str] = {
    AgencyType.GOVERNMENT_DEPARTMENT: "#2E6FBA",
    AgencyType.CENTRAL_BRANCH: "#17A2A0",
    AgencyType.PARTY_ORGAN: "#C0392B",
    AgencyType.ENTERPRISE: "#E08E2B",
    AgencyType.COLLECTIVE: "#A6ACB3",
    AgencyType.OTHER: "#8E5BB5",
    AgencyType.LOCAL_GOVERNMENT: "#2E8B57",
    AgencyType.ZONE_AUTHORITY: "#B5651D",
    AgencyType.UNKNOWN: "#5D6D7E",
}
ROLE_COLORS: dict[str, str] = {Role.LEAD: "#1F4E9C", Role.SUPPORT: "#8DB7E8"}
STATUS_COLORS: dict[str, str] = {
    DueStatus.OVERDUE: "#C0392B",
    DueStatus.DUE_SOON: "#E6A23C",
    DueStatus.LATER: "#2E6FBA",
    DueStatus.PLAN_END: "#B4BAC2",
}
COMMUNITY_COLORS = (
    "#2E6FBA", "#E08E2B", "#2CA25F", "#C0392B", "#8E5BB5", "#8C564B",
    "#D6589F", "#17A2A0", "#7F7F7F", "#BCBD22", "#1F4E9C", "#F4A6A6",
)
MEETING_COLOR = "#C0392B"

# The modebar's camera button exports at slide resolution (16:9, 1920 × 1080).
PNG_EXPORT_CONFIG: dict[str, object] = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "width": 1920, "height": 1080, "scale": 1},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}

# plotly.js speaks English unless given a locale: its toolbar and notices in Chinese (the
# texts of plotly.js's own zh-CN locale for what these charts show), passed in the config.
PLOTLY_ZH: dict[str, str] = {
    "Autoscale": "自动缩放",
    "Box Select": "矩形框选",
    "Click to enter Plot title": "点击输入图表标题",
    "Click to enter X axis title": "点击输入X轴标题",
    "Click to enter Y axis title": "点击输入Y轴标题",
    "Compare data on hover": "悬停时比较数据",
    "Double-click on legend to isolate one trace": "双击图例来突显对应轨迹",
    "Double-click to zoom back out": "双击返回缩放",
    "Download plot as a PNG": "下载图表为 PNG 图片",
    "Download plot": "下载图表",
    "Image download succeeded": "图片下载成功",
    "Lasso Select": "套索选择",
    "Pan": "平移",
    "Preparing image - this may take a few seconds": "正在准备图片，可能需要几秒钟",
    "Reset axes": "重置轴",
    "Reset view": "重置视图",
    "Reset views": "重置视图",
    "Reset": "重置",
    "Show closest data on hover": "悬停时显示最近的数据",
    "Snapshot succeeded": "生成快照成功",
    "Sorry, there was a problem downloading your image!": "抱歉，下载图片时出现问题！",
    "Taking snapshot - this may take a few seconds": "正在生成快照，可能需要几秒钟",
    "Toggle Spike Lines": "切换显示数据点辅助线",
    "Toggle show closest data on hover": "切换悬停时显示最近的数据",
    "Zoom": "缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
}


def plotly_config(lang: str = "zh") -> dict[str, object]:
    """The chart config for the app: slide-size PNG export, toolbar in `lang`."""
    if lang != "zh":
        return PNG_EXPORT_CONFIG
    return {**PNG_EXPORT_CONFIG, "locale": "zh-CN", "locales": {"zh-CN": {"dictionary": PLOTLY_ZH}}}


def esc(text: object) -> str:
    """User text made safe for plotly labels (which understand a few HTML tags)."""
    return html.escape(str(text), quote=False)


def short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _lean_template() -> go.layout.Template:
    # plotly_white's look for the traces used here. Its full template (colour scales for 3D,
    # polar, geo and every trace type) costs ~6 ms of validation per figure, most of a warm
    # rerun of a small plan's page.
    white = pio.templates["plotly_white"]
    keep = ("autotypenumbers", "colorway", "font", "hovermode", "hoverlabel", "paper_bgcolor",
            "plot_bgcolor", "xaxis", "yaxis", "shapedefaults", "annotationdefaults", "title")
    layout = {k: v for k, v in white.layout.to_plotly_json().items() if k in keep}
    return go.layout.Template(
        layout=layout,
        # pattern over the fill (plotly's default replaces the fill: a hatched pale bar vanished)
        data={"bar": [go.Bar(marker={"line": {"color": "white", "width": 0.5},
                                     "pattern": {"fillmode": "overlay", "size": 10, "solidity": 0.2}})],
              "heatmap": [go.Heatmap(colorbar={"outlinewidth": 0, "ticks": ""})],
              "scatter": [go.Scatter()]},
    )


TEMPLATE = _lean_template()
# what a figure is given: from a dict plotly builds its copy directly; from a Template object it
# first deep-copies that object's JSON (0.4 ms of a chart's 2 ms of template)
_TEMPLATE_SPEC = TEMPLATE.to_plotly_json()


def _figure(data: object = None) -> go.Figure:
    """A new figure on the lean template (set at construction: plotly would otherwise copy
    its default template first)."""
    return go.Figure(data=data, layout={"template": _TEMPLATE_SPEC})


# ------------------------------------------------------------------------------ type sizes
# The one place that decides a chart's type: every figure's ticks, legend, bar labels and
# notes take `font_px(scale)`, its title `title_px(scale)`.
SCREEN_FONT_PX = 13  # ticks, legend and labels on a desk screen (scale 1.0)
PROJECTOR_FONT_PX = 18  # the least read from the back of a meeting room off a 1920 × 1080 projector
PROJECTOR_ROW = 1.5  # a row labelled beside it (a timeline row), in type heights
PROJECTOR_BAR_ROW = 2.0  # a bar with its number inside: plotly hides an 18 px label in a bar under ~32 px (seen)


def font_px(scale: float = 1.0) -> int:
    """The type of ticks, legend, bar labels and notes: 13 px on screen; projecting (scale > 1:
    presentation mode, the deck) never under PROJECTOR_FONT_PX, however a page fits its chart."""
    size = round(SCREEN_FONT_PX * scale)
    return max(size, PROJECTOR_FONT_PX) if scale > 1 else size


def title_px(scale: float = 1.0) -> int:
    return max(round(20 * scale), font_px(scale) + 4)


def projector_rows(height: int, *, chrome: int, labels_inside: bool = False) -> int:
    """How many rows (timeline rows; bars with their numbers inside if `labels_inside`) a
    projected chart `height` px tall holds in projector type: `chrome` px go to its title,
    axis and legend."""
    row = (PROJECTOR_BAR_ROW if labels_inside else PROJECTOR_ROW) * PROJECTOR_FONT_PX
    return max(1, int((height - chrome) // row))


def _merged(base: dict[str, object], updates: Mapping[str, object]) -> dict[str, object]:
    """``base`` with ``updates`` merged in, nested dicts key by key (what ``update_layout`` does)."""
    out = dict(base)
    for key, value in updates.items():
        old = out.get(key)
        out[key] = _merged(old, value) if isinstance(value, Mapping) and isinstance(old, dict) else value
    return out


def set_layout(fig: go.Figure, **updates: object) -> go.Figure:
    """``fig.update_layout(**updates)`` (top-level keys, nested dicts merged into what the layout
    holds), by assigning each property: the same figure at a seventh of the cost, as plotly's
    update machinery parses every key as a path (5 ms a chart, on every chart of every page).

    One difference: a list (``shapes``, ``annotations``) replaces the one the layout holds, where
    update_layout would merge it into the old list element by element (keeping the old extras)."""
    layout = fig.layout
    for key, value in updates.items():
        held = layout[key]
        if isinstance(value, Mapping) and hasattr(held, "to_plotly_json"):  # a compound property (not meta)
            current = held.to_plotly_json()
            value = _merged(current, value) if current else dict(value)
        layout[key] = value
    return fig


def _layout(fig: go.Figure, title: str, *, scale: float = 1.0, height: int | None = None) -> go.Figure:
    body = font_px(scale)
    updates: dict[str, object] = {
        "title": {"text": "<br>".join(esc(line) for line in title.split("\n")), "x": 0.0, "xanchor": "left",
                  "font": {"size": title_px(scale)}},
        "font": {"family": FONT_FAMILY, "size": body, "color": "#1F2933"},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0,
                   "font": {"size": body}, "traceorder": "normal"},
        "margin": {"l": 10, "r": 20, "t": round(80 * scale), "b": 40},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }
    if scale > 1:  # projecting: a bar label in projector type or none (never a shrunken one)
        updates["uniformtext"] = {"minsize": body, "mode": "hide"}
    if height:
        updates["height"] = round(height * scale)
    return set_layout(fig, **updates)


def _count_ticks(largest: float) -> dict[str, object]:
    """Whole-number ticks on a count axis (plotly would put 0.5 steps on small counts)."""
    return {"dtick": 1, "tick0": 0} if largest <= 8 else {}


def _agency_labels(plan: Plan, agencies: Sequence[str], lang: str) -> list[str]:
    if lang != "en":
        return [esc(a) for a in agencies]
    names = plan.agency_names(lang, short=True)
    return [esc(short(names.get(a, a), 32)) for a in agencies]


# -------------------------------------------------------------------------------- overview


def agencies_by_type_figure(plan: Plan, lang: str = "zh", *, scale: float = 1.0) -> go.Figure:
    counts = plan.agencies["type"].astype(str).value_counts()
    types = [ty for ty in AGENCY_TYPES if counts.get(ty, 0)]
    fig = _figure([{
        "type": "bar",
        "x": [int(counts[ty]) for ty in types],
        "y": [type_label(ty, lang) for ty in types],
        "orientation": "h",
        "marker": {"color": [TYPE_COLORS[ty] for ty in types]},
        "text": [int(counts[ty]) for ty in types],
        "textposition": "outside",
        "hovertemplate": "%{y}: %{x}<extra></extra>",
    }])
    set_layout(fig, yaxis={"autorange": "reversed"},
               xaxis={"title": t("col_agency", lang), "rangemode": "tozero", **_count_ticks(counts.max())})
    return _layout(fig, t("agencies_by_type", lang), scale=scale, height=80 + 48 * max(len(types), 2))


def tasks_per_theme_figure(plan: Plan, lang: str = "zh", *, scale: float = 1.0) -> go.Figure:
    counts = plan.tasks["theme"].value_counts()
    themes = [th for th in plan.themes["theme"] if counts.get(th, 0)]
    labels = [esc(plan.theme_label(th, lang)) for th in themes]
    fig = _figure([{
        "type": "bar", "x": [int(counts[th]) for th in themes], "y": labels, "orientation": "h",
        "marker": {"color": "#2E6FBA"}, "text": [int(counts[th]) for th in themes], "textposition": "outside",
        "hovertemplate": "%{y}: %{x}<extra></extra>",
    }])
    set_layout(fig, yaxis={"autorange": "reversed"},
               xaxis={"title": t("count_axis", lang), "rangemode": "tozero", **_count_ticks(counts.max())})
    return _layout(fig, t("tasks_per_theme", lang), scale=scale, height=100 + 48 * max(len(themes), 2))


# -------------------------------------------------------------------------------- workload


def workload_figure(
    plan: Plan,
    frame: pd.DataFrame,
    lang: str = "zh",
    *,
    measure: str = "count",
    lead_weight: float = DEFAULTS.lead_weight,
    scale: float = 1.0,
    title: str | None = None,
) -> go.Figure:
    """Stacked horizontal bars of tasks led and supported, in the frame's order (top first).

    measure "score" stacks lead × weight and support × 1, so bar length is the weighted score.
    """
    factor = lead_weight if measure == "score" else 1.0
    labels = _agency_labels(plan, frame["agency"].tolist(), lang)
    types = [type_label(str(ty), lang) for ty in frame["type"]]
    fig = _figure([{
        "type": "bar",
        "name": role_label(role, lang) + (f" ×{lead_weight:g}" if role == Role.LEAD and measure == "score" else ""),
        "y": labels, "x": values, "orientation": "h", "marker": {"color": ROLE_COLORS[role]},
        "customdata": list(zip(frame["agency"].map(esc), types, frame["lead"], frame["support"], strict=True)),
        "hovertemplate": (
            "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
            + t("role_lead", lang) + ": %{customdata[2]}  " + t("role_support", lang) + ": %{customdata[3]}"
            + "<extra></extra>"
        ),
        "text": values.map(lambda v: f"{v:g}" if v else ""), "textposition": "inside", "insidetextanchor": "middle",
        "textangle": 0,
    } for role, values in ((Role.LEAD, frame[Role.LEAD] * factor), (Role.SUPPORT, frame[Role.SUPPORT]))])
    axis = t("score_axis", lang) if measure == "score" else t("count_axis", lang)
    set_layout(fig, barmode="stack", yaxis={"autorange": "reversed", "type": "category"},
               xaxis={"title": axis, "rangemode": "tozero",
                      **_count_ticks((frame["lead"] * factor + frame["support"]).max())})
    default_title = (
        t("workload_score_title", lang, w=f"{lead_weight:g}") if measure == "score" else t("workload_title", lang)
    )
    return _layout(fig, title or default_title, scale=scale, height=140 + 26 * max(len(frame), 4))


def agency_theme_heatmap(plan: Plan, counts: pd.DataFrame, lang: str = "zh", *, scale: float = 1.0) -> go.Figure:
    """Agency × theme heatmap of task counts (lead and support)."""
    x = [esc(plan.theme_label(th, lang)) for th in counts.columns]
    y = _agency_labels(plan, counts.index.tolist(), lang)
    fig = _figure([{
        "type": "heatmap", "z": counts.to_numpy(), "x": x, "y": y, "colorscale": "Blues", "xgap": 2, "ygap": 2,
        "text": [[str(v) if v else "" for v in row] for row in counts.to_numpy()], "texttemplate": "%{text}",
        "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>",
        "colorbar": {"title": {"text": t("count_axis", lang)}},
    }])
    set_layout(fig, yaxis={"autorange": "reversed", "type": "category"}, xaxis={"side": "top", "type": "category"})
    return _layout(fig, t("heatmap_title", lang), scale=scale, height=160 + 26 * max(len(y), 4))


# -------------------------------------------------------------------------------- timeline


def _meeting_line(meeting_date: dt.date, *, late: bool, lang: str, scale: float) -> tuple[dict[str, object],
                                                                                          dict[str, object]]:
    """The meeting date as a dashed vertical line, labelled above the plot area (where it hides
    no bar), running to the side with more room (left of the line when the meeting is `late`
    in the axis range): the layout's shape and annotation."""
    meeting = pd.Timestamp(meeting_date)
    shape = {"type": "line", "x0": meeting, "x1": meeting, "y0": 0, "y1": 1, "yref": "paper",
             "line": {"color": MEETING_COLOR, "width": 3, "dash": "dash"}}
    note = {"x": meeting, "y": 1, "yref": "paper", "text": t("meeting_line", lang, date=meeting_date.isoformat()),
            "showarrow": False, "yanchor": "bottom", "xanchor": "right" if late else "left",
            "xshift": -4 if late else 4, "font": {"color": MEETING_COLOR, "size": font_px(scale)},
            "bgcolor": "rgba(255,255,255,0.9)"}
    return shape, note


def _legend_below(fig: go.Figure, scale: float) -> None:
    """The legend under the chart (the top edge belongs to the meeting line's label)."""
    set_layout(
        fig,
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0.0, "xanchor": "left"},
        margin={"b": round(95 * scale)},
    )


GROUP_MARK = "▍"  # starts a group header row on the timeline


def _published_deadlines(rows: pd.DataFrame, lang: str, scale: float) -> list[dict[str, object]]:
    """A hollow diamond at the published deadline of each task a meeting moved (the bar ends at the
    new one): the trace, if any task moved."""
    if "published_deadline" not in rows.columns:
        return []
    moved = rows.loc[rows["published_deadline"].notna() & (rows["published_deadline"] != rows["deadline"])]
    if moved.empty:
        return []
    return [{
        "type": "scatter", "name": t("published_deadline", lang), "x": moved["published_deadline"],
        "y": moved["_label"], "mode": "markers",
        "marker": {"symbol": "diamond-open", "size": round(12 * scale), "color": "#7B241C", "line": {"width": 2}},
        "hovertemplate": t("published_deadline", lang) + ": %{x|%Y-%m-%d}<extra></extra>",
    }]


def timeline_figure(
    plan: Plan,
    status: pd.DataFrame,
    meeting_date: dt.date,
    lang: str = "zh",
    *,
    scale: float = 1.0,
    text_length: int = 22,
    height: int | None = None,
    progress: Mapping[str, str] | None = None,
) -> go.Figure:
    """Gantt-style chart: each task a bar from plan start to its deadline, in the rows' order.

    Bar colour shows the status on the meeting date (`status` from derive.due_status), or with
    `progress` (task id → reported ProgressStatus; a task without one is not started) the progress;
    explicit deadlines carry a diamond milestone; plan-end tasks are pale and ongoing
    tasks hatched, each style in the legend. Rows carrying a ``group`` column
    (derive.timeline_order grouped) get a bold header row above each group. The hover says
    how far the deadline is from the meeting ("已过期限 852 天"). `height` (pixels, before
    `scale`) fits the chart to a screen; by default it grows with the rows.
    """
    from analysis.derive import days_text

    labels = [f"{esc(r.task_id)} · {esc(short(r.text, text_length))}" for r in status.itertuples()]
    rows = status.assign(_label=labels, _days=days_text(status, lang) if "days" in status else "")
    order, headers = _timeline_rows(labels, rows["group"] if "group" in rows.columns else None, text_length)
    start = pd.Timestamp(plan.meta.period_start)
    traces: list[dict[str, object]] = []
    if headers:  # header rows carry no bar: an invisible point puts them on the axis
        traces.append({"type": "scatter", "x": [start] * len(headers), "y": headers, "mode": "markers",
                       "marker": {"opacity": 0}, "hoverinfo": "skip", "showlegend": False})
    groups = [("status", s, t(f"status_{s}", lang), STATUS_COLORS[s]) for s in DUE_STATUSES]
    if progress is not None:
        from analysis.progress_figures import PROGRESS_COLORS

        rows = rows.assign(_progress=[progress.get(str(i), ProgressStatus.NOT_STARTED) for i in rows["task_id"]])
        groups = [("_progress", p, member_label(p, lang), PROGRESS_COLORS[p]) for p in ProgressStatus]
    for column, kind_status, name, color in groups:
        part = rows.loc[rows[column] == kind_status]
        if not part.empty:
            traces.append(_task_bars(part, start, name, color, pale=kind_status == DueStatus.PLAN_END, lang=lang))
    traces += _timeline_marks(rows, start, lang, scale)
    fig = _figure(traces)
    meeting = pd.Timestamp(meeting_date)
    end = pd.Timestamp(plan.meta.period_end)
    line, note = _meeting_line(meeting_date, late=(meeting - start) > (end - start) / 2, lang=lang, scale=scale)
    lo = min(start, meeting) - pd.Timedelta(days=15)
    hi = max(end, meeting) + pd.Timedelta(days=30)
    set_layout(
        fig,
        shapes=[line, {"type": "line", "x0": end, "x1": end, "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": "#5D6D7E", "width": 1}}],
        annotations=[note], barmode="overlay", bargap=0.25,
        yaxis={"autorange": "reversed", "type": "category", "categoryorder": "array", "categoryarray": order,
               "automargin": True},
        xaxis={"type": "date", "range": [lo, hi], "title": t("date_axis", lang), "dtick": "M3",
               "tickformat": "%Y-%m", "showgrid": True},
    )
    fig.layout.yaxis.update(title=None)  # no title: the empty one update_yaxes(title=None) left (0.2 ms)
    title = t("timeline_title", lang, start=plan.meta.period_start.isoformat(), end=plan.meta.period_end.isoformat())
    _layout(fig, title, scale=scale, height=height or (190 + 24 * max(len(order), 4)))
    _legend_below(fig, scale)
    return fig


def _timeline_rows(labels: list[str], groups: pd.Series | None, text_length: int) -> tuple[list[str], list[str]]:
    """The y axis's rows in order, with a bold header row above each group, and those headers."""
    if groups is None:
        return labels, []
    order: list[str] = []
    headers: list[str] = []
    previous = None
    for label, group in zip(labels, groups, strict=True):
        if group != previous:
            header = f"<b>{GROUP_MARK} {esc(short(str(group), text_length + 6))}</b>"
            while header in order:  # two groups cut to the same text stay two rows
                header += "\u200b"
            order.append(header)
            headers.append(header)
            previous = group
        order.append(label)
    return order, headers


def _task_bars(part: pd.DataFrame, start: pd.Timestamp, name: str, color: str, *,
               pale: bool, lang: str) -> dict[str, object]:
    """One legend entry's bars, from the plan start to each task's deadline (ongoing tasks hatched)."""
    return {
        "type": "bar",
        "name": name,
        "y": part["_label"],
        "x": (part["deadline"] - start).dt.total_seconds() * 1000 + 86_400_000,
        "base": [start] * len(part),
        "orientation": "h",
        "marker": {
            "color": color,
            "opacity": 0.55 if pale else 0.9,
            "pattern": {"shape": ["/" if o else "" for o in part["ongoing"]], "fgcolor": "#ffffff", "size": 6},
        },
        "customdata": list(zip(
            part["task_id"].map(esc), part["text"].map(lambda s: esc(short(s, 60))),
            part["deadline"].dt.strftime("%Y-%m-%d"), part["deadline_kind"].map(lambda k: t(f"deadline_kind_{k}", lang)),
            part["lead_text"].map(esc), part["_days"], strict=True,
        )),
        "hovertemplate": (
            "<b>%{customdata[0]}</b> %{customdata[1]}<br>" + t("col_deadline", lang)
            + ": %{customdata[2]} (%{customdata[3]}) · %{customdata[5]}<br>" + t("col_lead", lang)
            + ": %{customdata[4]}<extra></extra>"
        ),
    }


def _timeline_marks(rows: pd.DataFrame, start: pd.Timestamp, lang: str, scale: float) -> list[dict[str, object]]:
    """The hatching's legend entry, the milestone diamonds and the deadlines a meeting moved (traces)."""
    traces: list[dict[str, object]] = []
    if rows["ongoing"].any():  # the hatching in the legend: a zero-length bar drawn nowhere
        traces.append({"type": "bar", "name": t("legend_ongoing", lang), "y": [rows["_label"].iloc[0]], "x": [0],
                       "base": [start], "orientation": "h", "hoverinfo": "skip",
                       "marker": {"color": "#8A939E", "pattern": {"shape": "/", "fgcolor": "#ffffff", "size": 6}}})
    explicit = rows.loc[rows["deadline_kind"] == DeadlineKind.EXPLICIT]
    if not explicit.empty:
        traces.append({
            "type": "scatter", "name": t("milestone", lang), "x": explicit["deadline"], "y": explicit["_label"],
            "mode": "markers",
            "marker": {"symbol": "diamond", "size": round(12 * scale), "color": "#1F2933",
                       "line": {"color": "white", "width": 1}},
            "hovertemplate": "%{x|%Y-%m-%d}<extra></extra>",
        })
    return traces + _published_deadlines(rows, lang, scale)


def deadline_distribution_figure(
    plan: Plan,
    status: pd.DataFrame,
    meeting_date: dt.date,
    lang: str = "zh",
    *,
    scale: float = 1.0,
) -> go.Figure:
    """Tasks per deadline quarter, stacked by status on the meeting date (`status` from
    derive.due_status): the timeline of a plan too large for one bar per task. Tasks
    without a deadline of their own stand at the quarter the plan period ends."""
    quarter = status["deadline"].dt.to_period("Q")
    counts = pd.crosstab(quarter, status["status"].astype(str))
    quarters = pd.period_range(min(quarter.min(), pd.Period(plan.meta.period_start, "Q")),
                               max(quarter.max(), pd.Period(plan.meta.period_end, "Q")), freq="Q")
    counts = counts.reindex(quarters, fill_value=0)
    x = [q.start_time + (q.end_time - q.start_time) / 2 for q in quarters]  # bar centred on its quarter
    width_ms = 70 * 86_400_000
    fig = _figure([{
        "type": "bar", "name": t(f"status_{kind_status}", lang), "x": x,
        "y": counts[kind_status].astype(int).tolist(), "width": [width_ms] * len(x),
        "marker": {"color": STATUS_COLORS[kind_status], "opacity": 0.55 if kind_status == DueStatus.PLAN_END else 0.9},
        "customdata": [str(q) for q in quarters],
        "hovertemplate": "%{customdata}: %{y}<extra>" + t(f"status_{kind_status}", lang) + "</extra>",
    } for kind_status in DUE_STATUSES if kind_status in counts.columns and counts[kind_status].any()])
    meeting = pd.Timestamp(meeting_date)
    lo = min(quarters[0].start_time, meeting) - pd.Timedelta(days=20)
    hi = max(quarters[-1].end_time, meeting) + pd.Timedelta(days=20)
    line, note = _meeting_line(meeting_date, late=(meeting - lo) > (hi - lo) / 2, lang=lang, scale=scale)
    largest = int(counts.sum(axis=1).max()) if len(counts) else 0
    set_layout(fig, shapes=[line], annotations=[note], barmode="stack", bargap=0.1,
               xaxis={"type": "date", "range": [lo, hi], "title": t("deadline_quarter_axis", lang), "dtick": "M3",
                      "tickformat": "%Y-%m", "showgrid": False},
               yaxis={"title": t("count_axis", lang), "rangemode": "tozero", **_count_ticks(largest)})
    title = t("deadline_distribution_title", lang, n=len(status))
    _layout(fig, title, scale=scale, height=560)
    _legend_below(fig, scale)
    return fig


# --------------------------------------------------------------------------------- network


EDGE_CLASSES = 12  # at most this many line traces: plotly validates every trace (~1 ms each)


def _edge_trace_specs(graph: nx.Graph, positions: Mapping[str, tuple[float, float]],
                      scale: float) -> list[dict[str, object]]:
    """Line traces light to dark, one per edge weight (plotly widths are per trace), as the dicts a
    figure is made from (a figure validates and copies trace objects again: twice the cost).

    A large plan has hundreds of distinct weights: they are grouped into `EDGE_CLASSES`
    classes, even on a square-root scale (the scale of the width), each drawn at the width
    of its heaviest edge."""
    by_weight: dict[int, list[tuple[str, str]]] = {}
    for u, v, data in graph.edges(data=True):
        by_weight.setdefault(int(data.get("weight", 1)), []).append((u, v))
    heaviest = max(by_weight, default=1)
    lightest = min(by_weight, default=1)
    classes: dict[int, list[int]] = {}
    for weight in sorted(by_weight):
        if len(by_weight) <= EDGE_CLASSES:
            key = weight
        else:
            share = (math.sqrt(weight) - math.sqrt(lightest)) / (math.sqrt(heaviest) - math.sqrt(lightest))
            key = round(share * (EDGE_CLASSES - 1))
        classes.setdefault(key, []).append(weight)
    traces = []
    for weights in classes.values():
        xs: list[float | None] = []
        ys: list[float | None] = []
        for weight in weights:
            for u, v in by_weight[weight]:
                xs += [positions[u][0], positions[v][0], None]
                ys += [positions[u][1], positions[v][1], None]
        drawn = weights[-1]
        alpha = 0.25 + 0.55 * (drawn / heaviest)
        traces.append({
            "type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip", "showlegend": False,
            "line": {"width": (0.8 + 1.6 * math.sqrt(drawn)) * scale, "color": f"rgba(90,110,130,{alpha:.2f})"},
        })
    return traces


LABEL_POSITIONS = ("top center", "bottom center", "middle right", "middle left",
                   "top right", "top left", "bottom right", "bottom left")
LABELS_TRIED = 400  # labels placed at most (by tasks, busiest first); the rest are on hover
X_RANGE = (-1.18, 1.18)
Y_RANGE = (-1.14, 1.16)


def text_width(text: str, font_px: float) -> float:
    """A generous estimate of a one-line label's width in pixels: CJK and full-width characters
    one em, others 0.62 em (Noto Sans averages ~0.55)."""
    return sum(font_px if ord(ch) >= 0x2E80 else 0.62 * font_px for ch in text)


def _label_box(position: str, x: float, y: float, radius: float, width: float, height: float,
               gap: float) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1; y downwards) plotly gives a label at `position` beside a
    marker of `radius` centred at (x, y), with some slack around it."""
    vertical, horizontal = position.split()
    if vertical == "top":
        y1 = y - radius - gap
        y0 = y1 - height
    elif vertical == "bottom":
        y0 = y + radius + gap
        y1 = y0 + height
    else:
        y0, y1 = y - height / 2, y + height / 2
    if horizontal == "center":
        x0, x1 = x - width / 2, x + width / 2
    elif horizontal == "right":
        x0 = x + (radius * 0.7 if vertical != "middle" else radius) + gap
        x1 = x0 + width
    else:
        x1 = x - (radius * 0.7 if vertical != "middle" else radius) - gap
        x0 = x1 - width
    return x0, y0, x1, y1


def place_labels(
    items: Sequence[tuple[str, float, float, float, str]],
    *,
    width: float,
    height: float,
    font_px: float,
    over_nodes: int = 0,
) -> dict[str, str]:
    """Where each label goes so that no two labels overlap, none covers another node and none
    leaves the plot area: node → plotly textposition, for the labels that fit.

    `items` are (node, x, y, marker radius, label) in pixels (y downwards), most important
    first: each label takes the first of LABEL_POSITIONS that is free. A label that fits
    nowhere is left to the hover; but the first `over_nodes` items, when they fit nowhere,
    may cover another node (for a chart that draws its labels above the nodes, with a halo:
    the slides, where a hub's name must not go missing in a dense centre)."""
    text_height = 1.5 * font_px  # the box Chromium gives Noto Sans CJK text (measured: 24 px at 16 px)
    gap = 2.0
    circles = [(x - r, y - r, x + r, y + r, node) for node, x, y, r, _ in items]
    taken: list[tuple[float, float, float, float]] = []
    placed: dict[str, str] = {}

    def free(box: tuple[float, float, float, float], node: str, *, nodes: bool = True) -> bool:
        x0, y0, x1, y1 = box
        if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
            return False
        for a0, b0, a1, b1 in taken:
            if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                return False
        for a0, b0, a1, b1, other in circles if nodes else ():
            if other != node and x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                return False
        return True

    def place(node: str, x: float, y: float, radius: float, text: str, *, nodes: bool) -> None:
        w = text_width(text, font_px) + 4
        for position in LABEL_POSITIONS:
            box = _label_box(position, x, y, radius, w, text_height, gap)
            if free(box, node, nodes=nodes):
                taken.append(box)
                placed[node] = position
                return

    tried = items[:LABELS_TRIED]
    for rank, (node, x, y, radius, text) in enumerate(tried):
        if text:
            place(node, x, y, radius, text, nodes=True)
            if node not in placed and rank < over_nodes:
                place(node, x, y, radius, text, nodes=False)
    return placed


def network_figure(
    plan: Plan,
    graph: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    lang: str = "zh",
    *,
    color_by: str = "type",
    communities: Mapping[str, int] | None = None,
    highlight: str | None = None,
    scale: float = 1.0,
    title: str | None = None,
    height: int = 720,
    width_hint: int = 1100,
    legend_below: bool = False,
    labels_over_nodes: int = 0,
) -> go.Figure:
    """The agency network: node size = tasks, colour = type or community, edge width = shared tasks.

    Each node carries its agency label as customdata, so a click (selection) names it.
    Labels never overlap one another or a node and never leave the chart: they are placed
    busiest agency first (`place_labels`), assuming the chart is at least `width_hint`
    pixels wide (a wider chart only spreads them further); the others show on hover. A line
    under the chart explains size and width; `meta["labels_shown"]` counts the names drawn.
    """
    traces = _edge_trace_specs(graph, positions, scale)
    nodes = _network_nodes(plan, graph)
    # plain dicts: 700+ nodes looked up through .loc took ~50 ms a rerun
    table = plan.agencies
    node_type = dict(zip(table["agency"], table["type"].astype(str), strict=True))
    counts = {col: dict(zip(table["agency"], table[col].astype(int), strict=True)) for col in ("tasks", "lead", "support")}
    groups = _node_groups(nodes, node_type, communities if color_by == "community" else None)
    labels = dict(zip(nodes, _agency_labels(plan, nodes, lang), strict=True))
    busiest, size = _node_sizes(nodes, counts["tasks"], scale)
    frame = _NetworkFrame.of(title or t("network_title", lang), height, width_hint, scale, legend_below)
    placed = _place_node_labels(nodes, positions, counts["tasks"], size, labels, highlight, frame, labels_over_nodes)
    traces += [_node_group_trace(key, groups[key], positions, labels, placed, size, counts, lang, frame.font_px)
               for key in sorted(groups, key=_group_order)]
    if highlight is not None and highlight in positions and highlight in size:
        # the selected agency's ring: a trace of its own, so the legend entry stays plain
        traces.append({"type": "scatter", "x": [positions[highlight][0]], "y": [positions[highlight][1]],
                       "mode": "markers", "showlegend": False, "hoverinfo": "skip",
                       "marker": {"size": size[highlight] + 6, "color": "rgba(0,0,0,0)",
                                  "line": {"color": "#111111", "width": 4}}})
    fig = _figure(traces)
    set_layout(fig, annotations=[_network_legend_line(graph, busiest, lang, scale)],
               xaxis={"visible": False, "range": list(X_RANGE)},
               yaxis={"visible": False, "range": list(Y_RANGE), "scaleanchor": None},
               clickmode="event+select", dragmode="pan", hovermode="closest",
               meta={"labels_shown": len(placed), "labels_total": len(nodes)})
    _layout(fig, frame.title, scale=scale, height=height)
    set_layout(fig, margin={"t": frame.margin_top, "b": frame.margin_bottom,
                            "l": frame.margin_side // 2, "r": frame.margin_side // 2})
    if legend_below:
        set_layout(fig, legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom",
                                "x": 0.0, "xanchor": "left"})
    return fig


def _network_nodes(plan: Plan, graph: nx.Graph) -> list[str]:
    """The graph's agencies in table order (any not in the table after them)."""
    nodes = [n for n in plan.agencies["agency"] if n in graph]
    listed = set(nodes)
    return nodes + [n for n in graph.nodes if n not in listed]


def _node_groups(nodes: Sequence[str], node_type: Mapping[str, str],
                 communities: Mapping[str, int] | None) -> dict[str, list[str]]:
    """Nodes per legend group: community "c<number>" when `communities` is given, else agency type."""
    groups: dict[str, list[str]] = {}
    for node in nodes:
        key = f"c{communities.get(node, -1)}" if communities is not None else node_type.get(node, AgencyType.UNKNOWN)
        groups.setdefault(key, []).append(node)
    return groups


def _community_number(key: str) -> int | None:
    return int(key[1:]) if key.startswith("c") and key[1:].lstrip("-").isdigit() else None


def _group_order(key: str) -> tuple[int, str]:
    """Communities by number, types in the vocabulary's order."""
    number = _community_number(key)
    if number is not None:
        return number, key
    return (AGENCY_TYPES.index(key) if key in AGENCY_TYPES else 99), key


def _node_sizes(nodes: Sequence[str], tasks: Mapping[str, int], scale: float) -> tuple[int, dict[str, float]]:
    """The busiest agency's task count, and each node's marker diameter: 10 + k·√tasks, where k
    shrinks on large plans so the busiest node stays about 40 px across (an agency leading 3 000
    tasks would otherwise cover the chart)."""
    busiest = max((tasks.get(n, 1) for n in nodes), default=1)
    size_k = min(5.0, 28.0 / math.sqrt(max(busiest, 1)))
    return busiest, {n: (10 + size_k * math.sqrt(tasks.get(n, 1))) * scale for n in nodes}


@dataclass(frozen=True)
class _NetworkFrame:
    """The chart's title (wrapped), margins and plot area in pixels, where labels are placed."""

    title: str
    margin_top: int
    margin_bottom: int
    margin_side: int
    plot_w: int
    plot_h: int
    font_px: int

    @classmethod
    def of(cls, title: str, height: int, width_hint: int, scale: float, legend_below: bool) -> _NetworkFrame:
        text = _wrap(title, width_hint, title_px(scale))
        lines = text.count("\n") + 1
        # room for the title's lines (and, unless below the chart, the legend under them)
        top = round(((50 if legend_below else 80) + 30 * (lines - 1) + (10 if legend_below else 0)) * scale)
        bottom, side = round((110 if legend_below else 55) * scale), 30
        return cls(text, top, bottom, side, max(width_hint - side, 200), round(height * scale) - top - bottom,
                   round(12 * scale))


def _place_node_labels(nodes: list[str], positions: Mapping[str, tuple[float, float]], tasks: Mapping[str, int],
                       size: Mapping[str, float], labels: Mapping[str, str], highlight: str | None,
                       frame: _NetworkFrame, over_nodes: int = 0) -> dict[str, str]:
    """node → text position of the labels drawn, the selected then the busiest agencies first
    (the first `over_nodes` of them may cover a node: `place_labels`)."""
    def pixel(node: str) -> tuple[float, float]:
        x, y = positions[node]
        return ((x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) * frame.plot_w,
                (Y_RANGE[1] - y) / (Y_RANGE[1] - Y_RANGE[0]) * frame.plot_h)

    ranked = sorted(nodes, key=lambda n: (n != highlight, -tasks.get(n, 0), nodes.index(n)))
    items = [(n, *pixel(n), size[n] / 2, html.unescape(labels[n])) for n in ranked]
    return place_labels(items, width=frame.plot_w, height=frame.plot_h, font_px=frame.font_px, over_nodes=over_nodes)


def _node_group_trace(key: str, members: Sequence[str], positions: Mapping[str, tuple[float, float]],
                      labels: Mapping[str, str], placed: Mapping[str, str], size: Mapping[str, float],
                      counts: Mapping[str, Mapping[str, int]], lang: str, font_px: int) -> dict[str, object]:
    """One legend group's nodes (a community or an agency type) as one trace."""
    number = _community_number(key)
    if number is not None:
        name = t("community_label", lang, n=number)
        color = COMMUNITY_COLORS[number % len(COMMUNITY_COLORS)]
    else:
        name = type_label(key, lang)
        color = TYPE_COLORS.get(key, TYPE_COLORS[AgencyType.UNKNOWN])
    lead = [counts["lead"].get(m, 0) for m in members]
    support = [counts["support"].get(m, 0) for m in members]
    return {
        "type": "scatter",
        "name": name,
        "x": [positions[m][0] for m in members],
        "y": [positions[m][1] for m in members],
        "mode": "markers+text",
        "text": [labels[m] if m in placed else "" for m in members],
        "textposition": [placed.get(m, "top center") for m in members],
        "textfont": {"size": font_px, "color": "#1F2933"},
        "customdata": [[m, ld, sp, labels[m]] for m, ld, sp in zip(members, lead, support, strict=True)],
        "hovertemplate": (
            "<b>%{customdata[3]}</b><br>" + t("role_lead", lang) + ": %{customdata[1]}  "
            + t("role_support", lang) + ": %{customdata[2]}<extra></extra>"
        ),
        "marker": {"size": [size[m] for m in members], "color": color,
                   "line": {"color": "white", "width": 1.5}, "opacity": 0.95},
    }


def _network_legend_line(graph: nx.Graph, busiest: int, lang: str, scale: float) -> dict[str, object]:
    """The line under the chart that explains node size and line width (the layout's annotation)."""
    weights = [int(w) for _, _, w in graph.edges(data="weight", default=1)]
    return {
        "text": t("network_legend", lang, most=busiest, lo=min(weights, default=1), hi=max(weights, default=1)),
        "x": 0, "xref": "paper", "xanchor": "left", "y": 0, "yref": "paper", "yanchor": "top", "yshift": -8,
        "showarrow": False, "font": {"size": font_px(scale), "color": "#52606D"}, "align": "left",
    }


def _wrap(title: str, width: float, font_px: float) -> str:
    """A title broken into lines that fit `width` pixels (kept as one escaped string: _layout
    escapes it, so the break is re-inserted after escaping by the caller's <br>)."""
    if text_width(title, font_px) <= width * 0.9:
        return title
    words = title.split(" ") if " " in title else list(title)
    lines, line = [], ""
    joiner = " " if " " in title else ""
    for word in words:
        candidate = (line + joiner + word) if line else word
        if text_width(candidate, font_px) > width * 0.9 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return "\n".join(lines)
