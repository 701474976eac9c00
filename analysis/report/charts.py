"""Chart assembly for the meeting pack: the app's figures (`analysis.figures`) prepared for a
pack, and made ready for a slide image. Which chart a pack shows is decided in `content`."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Hashable, Iterable, Mapping
from typing import cast

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from analysis import derive, figures, network
from analysis.model import Plan


def chunks(n: int, size: int) -> list[tuple[int, int]]:
    """n items in ceil(n/size) balanced, consecutive chunks."""
    parts = max(1, math.ceil(n / size))
    bounds = [round(i * n / parts) for i in range(parts + 1)]
    return [(bounds[i], bounds[i + 1]) for i in range(parts)]


def figure_title(fig: go.Figure) -> str:
    """A figure's title as plain text (figures escape their titles for plotly's HTML)."""
    return html.unescape(str(fig.layout.title.text))


def workload_frame(plan: Plan, lead_weight: float) -> pd.DataFrame:
    """Every agency's workload, most tasks first."""
    return derive.sort_workload(derive.workload(plan, lead_weight=lead_weight), "total")


def workload_chart(plan: Plan, frame: pd.DataFrame, title: str, *, lang: str, lead_weight: float,
                   scale: float) -> go.Figure:
    fig = figures.workload_figure(plan, frame, lang, lead_weight=lead_weight, scale=scale, title=title)
    fig.update_traces(textangle=0, selector={"type": "bar"})  # never rotate the counts in the bars
    return fig


def timeline_charts(plan: Plan, status: pd.DataFrame, meeting_date: dt.date, *, lang: str, scale: float,
                    rows_per_chart: int | None) -> list[go.Figure]:
    """The timeline of `status`'s tasks, in charts of at most `rows_per_chart` tasks."""
    spans = chunks(len(status), rows_per_chart) if rows_per_chart else [(0, len(status))]
    return [figures.timeline_figure(plan, status.iloc[start:end], meeting_date, lang, scale=scale)
            for start, end in spans]


def ordered_subgraph(graph: nx.Graph, keep: Iterable[Hashable]) -> nx.Graph:
    """The subgraph on `keep`, nodes and edges in the graph's own order."""
    wanted = set(keep)
    sub = nx.Graph()
    sub.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if n in wanted)
    sub.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in wanted and v in wanted)
    return sub


# The busiest agencies named on a slide even where their name must cover a node (labels_on_top
# draws names above the nodes with a white halo): a dense centre had left the hubs unnamed.
HUB_LABELS = 3


def network_chart(plan: Plan, shown: nx.Graph, title: str, *, lang: str, highlight: str | None,
                  scale: float, height: int = 720, size: tuple[int, int] | None = None) -> go.Figure:
    """The network for a pack; `size`: the slide image's pixels, for which the labels are placed
    (slide_figure's side margins, 16 + 24, are 10 pixels more than the figure's own 30)."""
    positions = cast("Mapping[str, tuple[float, float]]", network.layout(shown))  # nodes are agency labels
    width_hint = 1100 if size is None else size[0] - 10
    if size is not None:
        height = round(size[1] / scale)
    fig = figures.network_figure(plan, shown, positions, lang, highlight=highlight, scale=scale, title=title,
                                 height=height, width_hint=width_hint, labels_over_nodes=HUB_LABELS)
    return labels_on_top(fig)


def labels_on_top(fig: go.Figure) -> go.Figure:
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


def slide_figure(fig: go.Figure) -> go.Figure:
    """A figure for a slide image: the slide carries the title, so the chart drops its own."""
    fig = go.Figure(fig)
    top = 64 if fig.layout.showlegend is not False else 24
    fig.update_layout(title=None, margin={"t": top, "l": 16, "r": 24, "b": 48}, width=None, height=None,
                      paper_bgcolor="white")
    return fig
