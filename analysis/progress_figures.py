"""Progress charts: red/amber/green by agency or theme, and reports over the reporting periods.

Colours come from one mapping each (``RAG_COLORS``, ``PROGRESS_COLORS``), shared with the
timeline's colour-by-progress option (``analysis.figures.timeline_figure``).
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import plotly.graph_objects as go

from analysis.figures import _agency_labels, _count_ticks, _figure, _layout, esc, set_layout, short
from analysis.i18n import label, t
from analysis.model import Plan
from analysis.vocab import ProgressStatus, Rag

RAG_COLORS: Final[dict[str, str]] = {Rag.RED: "#C0392B", Rag.AMBER: "#E6A23C", Rag.GREEN: "#2CA25F"}
PROGRESS_COLORS: Final[dict[str, str]] = {
    ProgressStatus.NOT_STARTED: "#B4BAC2",
    ProgressStatus.IN_PROGRESS: "#2E6FBA",
    ProgressStatus.DONE: "#2CA25F",
    ProgressStatus.DELAYED: "#C0392B",
    ProgressStatus.SUSPENDED: "#8E5BB5",
}


def rag_figure(plan: Plan, counts: pd.DataFrame, by: str, lang: str = "zh", *, scale: float = 1.0) -> go.Figure:
    """Stacked horizontal bars of tasks per red/amber/green, one bar per group (``progress_views.rag_counts``)."""
    if by == "theme":
        labels = [esc(short(plan.theme_label(g, lang), 30)) for g in counts["group"]]
    else:
        names = plan.agency_names(lang, short=True) if lang == "en" else {}
        labels = [esc(short(names.get(g, g), 30)) for g in counts["group"]]
    fig = _figure([{
        "type": "bar", "name": label(rag, lang), "y": labels, "x": counts[rag.value].astype(int).tolist(),
        "orientation": "h", "marker": {"color": RAG_COLORS[rag]},
        "hovertemplate": "%{y}: %{x}<extra>" + label(rag, lang) + "</extra>",
    } for rag in (Rag.RED, Rag.AMBER, Rag.GREEN)])
    largest = int(counts["total"].max()) if len(counts) else 0
    set_layout(fig, barmode="stack", yaxis={"autorange": "reversed", "type": "category", "automargin": True},
               xaxis={"title": t("count_axis", lang), "rangemode": "tozero", **_count_ticks(largest)})
    title = t("rag_by_theme" if by == "theme" else "rag_by_lead", lang)
    return _layout(fig, title, scale=scale, height=140 + 26 * max(len(counts), 3))


def periods_figure(table: pd.DataFrame, lang: str = "zh", *, scale: float = 1.0) -> go.Figure:
    """Reports per reporting period, stacked by status (``progress_views.reports_by_period``)."""
    periods = table["period"].astype(str).tolist()
    traces = []
    for status in ProgressStatus:
        values = table[status.value].astype(int).tolist() if status.value in table else []
        if not any(values):
            continue
        traces.append({"type": "bar", "name": label(status, lang), "x": periods, "y": values,
                       "marker": {"color": PROGRESS_COLORS[status]},
                       "hovertemplate": "%{x}: %{y}<extra>" + label(status, lang) + "</extra>"})
    fig = _figure(traces)
    largest = int(table.drop(columns="period").sum(axis=1).max()) if len(table) else 0
    set_layout(fig, barmode="stack", xaxis={"type": "category", "title": t("period_axis", lang)},
               yaxis={"title": t("reports_axis", lang), "rangemode": "tozero", **_count_ticks(largest)})
    return _layout(fig, t("reports_by_period", lang), scale=scale, height=380)


def workload_status_figure(
    plan: Plan, counts: pd.DataFrame, lang: str = "zh", *, measure: str = "count", lead_weight: float = 1.0,
    scale: float = 1.0,
) -> go.Figure:
    """The workload bars split by progress status (``progress_views.workload_by_status``), top agency first.

    One trace per status that occurs, coloured as everywhere else (``PROGRESS_COLORS``).
    """
    labels = _agency_labels(plan, counts["agency"].tolist(), lang)
    traces = []
    for status in ProgressStatus:
        values = counts[status.value].astype(float)
        if not values.any():
            continue
        traces.append({
            "type": "bar", "name": label(status, lang), "y": labels, "x": [round(v, 2) for v in values],
            "orientation": "h", "marker": {"color": PROGRESS_COLORS[status]},
            "customdata": [esc(a) for a in counts["agency"]],
            "hovertemplate": "<b>%{customdata}</b><br>" + esc(label(status, lang)) + ": %{x}<extra></extra>",
            "text": [f"{v:g}" if v else "" for v in values], "textposition": "inside", "insidetextanchor": "middle",
            "textangle": 0,
        })
    fig = _figure(traces)
    axis = t("score_axis", lang) if measure == "score" else t("count_axis", lang)
    largest = float(counts["total"].max()) if len(counts) else 0.0
    set_layout(fig, barmode="stack", yaxis={"autorange": "reversed", "type": "category"},
               xaxis={"title": axis, "rangemode": "tozero", **_count_ticks(largest)})
    title = t("workload_status_title", lang) if measure != "score" else t(
        "workload_status_score_title", lang, w=f"{lead_weight:g}")
    return _layout(fig, title, scale=scale, height=140 + 26 * max(len(counts), 4))
