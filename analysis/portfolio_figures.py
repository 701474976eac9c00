"""Charts across plans (the 跨计划 page), in the style of ``analysis.figures``: one function per
chart, language and ``scale`` (projector) arguments, names escaped, palettes shared."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.figures import ROLE_COLORS, TYPE_COLORS, _count_ticks, _figure, _layout, esc, set_layout, short
from analysis.i18n import role_label, t
from analysis.vocab import DEFAULTS, AgencyType, Role


def _labels(frame: pd.DataFrame, region_column: str, name_column: str, show_region: bool) -> list[str]:
    return [esc(short(f"{n}（{r}）" if show_region and r else str(n), 30))
            for n, r in zip(frame[name_column], frame[region_column], strict=True)]


def load_figure(load: pd.DataFrame, lang: str = "zh", *, lead_weight: float = DEFAULTS.lead_weight,
                top: int = 20, scale: float = 1.0) -> go.Figure:
    """Stacked horizontal bars: tasks led × weight and supported, per agency across plans
    (``analysis.portfolio.agency_load``), heaviest first."""
    frame = load.head(top)
    show_region = frame["region"].nunique() > 1
    labels = _labels(frame, "region", "agency", show_region)
    fig = _figure([{
        "type": "bar",
        "name": role_label(role, lang) + (f" ×{lead_weight:g}" if role == Role.LEAD else ""),
        "y": labels, "x": values.tolist(), "orientation": "h", "marker": {"color": ROLE_COLORS[role]},
        "customdata": list(zip(frame["lead"], frame["support"], frame["plans"], strict=True)),
        "hovertemplate": "<b>%{y}</b><br>" + t("role_lead", lang) + ": %{customdata[0]}  "
        + t("role_support", lang) + ": %{customdata[1]}  " + t("pf_col_plans", lang) + ": %{customdata[2]}"
        + "<extra></extra>",
        "text": [f"{v:g}" if v else "" for v in values], "textposition": "inside", "insidetextanchor": "middle",
        "textangle": 0,
    } for role, values in ((Role.LEAD, frame["lead"] * lead_weight), (Role.SUPPORT, frame["support"]))])
    largest = float((frame["lead"] * lead_weight + frame["support"]).max()) if len(frame) else 0.0
    set_layout(fig, barmode="stack", yaxis={"autorange": "reversed", "type": "category", "automargin": True},
               xaxis={"title": t("score_axis", lang), "rangemode": "tozero", **_count_ticks(largest)})
    title = t("pf_load_title", lang, w=f"{lead_weight:g}", n=len(frame))
    return _layout(fig, title, scale=scale, height=140 + 26 * max(len(frame), 4))


def centrality_figure(metrics: pd.DataFrame, lang: str = "zh", *, top: int = 20, scale: float = 1.0) -> go.Figure:
    """Horizontal bars of shared tasks (weighted degree) of the most central agencies across plans,
    coloured by agency type (``analysis.portfolio.centrality``)."""
    frame = metrics.head(top)
    show_region = frame["region"].nunique() > 1
    labels = _labels(frame, "region", "name", show_region)
    colors = [TYPE_COLORS.get(str(ty), TYPE_COLORS[AgencyType.UNKNOWN]) for ty in frame["type"]]
    fig = _figure([{
        "type": "bar", "y": labels, "x": frame["weighted_degree"].tolist(), "orientation": "h",
        "marker": {"color": colors}, "showlegend": False,
        "customdata": list(zip(frame["degree"], frame["plans"], frame["betweenness"].round(3), strict=True)),
        "hovertemplate": "<b>%{y}</b><br>" + t("pf_col_weighted_degree", lang) + ": %{x}  "
        + t("pf_col_degree", lang) + ": %{customdata[0]}  " + t("pf_col_plans", lang) + ": %{customdata[1]}  "
        + t("pf_col_betweenness", lang) + ": %{customdata[2]}<extra></extra>",
        "text": frame["weighted_degree"].tolist(), "textposition": "inside", "insidetextanchor": "middle",
        "textangle": 0,
    }])
    largest = float(frame["weighted_degree"].max()) if len(frame) else 0.0
    set_layout(fig, yaxis={"autorange": "reversed", "type": "category", "automargin": True},
               xaxis={"title": t("pf_col_weighted_degree", lang), "rangemode": "tozero", **_count_ticks(largest)})
    return _layout(fig, t("pf_network_title", lang, n=len(frame)), scale=scale, height=140 + 26 * max(len(frame), 4))
