"""The HTML renderer: a `content.Report` as one self-contained, offline HTML file.

plotly.js is inlined once; each chart is an interactive div. The styles and the print script
are package files (`assets/report.css`, `assets/report.js`). Every text from the plan is
escaped. Printed (or saved as PDF), each section starts a new page and each chart is laid
out at the page's width and at most a page high.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cache
from importlib import resources

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from analysis import figures
from analysis.i18n import t
from analysis.report.content import (
    Block,
    Chart,
    Note,
    NoteStyle,
    Panel,
    Report,
    Section,
    Table,
    Tiles,
    iter_sections,
)
from analysis.report.style import HTML_TEXT_COLORS, STATUS_COLORS
from analysis.vocab import DueStatus, Lang, Rag

PRINT_CHART_WIDTH = 700  # px: A4 portrait less the page margins
PRINT_CHART_MAX_HEIGHT = 860  # px: a page less a section heading
DEFAULT_CHART_HEIGHT = 600


@cache
def asset(name: str) -> str:
    """A file of `analysis/report/assets/` as text."""
    return resources.files("analysis.report").joinpath("assets", name).read_text(encoding="utf-8")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _status_css() -> str:
    """The status colours as the CSS variables the stylesheet's status classes use."""
    colours = "; ".join(f"--status-{status}: {HTML_TEXT_COLORS[status]}"
                        for status in (DueStatus.OVERDUE, DueStatus.DUE_SOON, Rag.RED, Rag.AMBER, Rag.GREEN))
    return f":root {{ {colours}; }}"


class _Charts:
    """Chart divs for the report; plotly.js itself is inlined once in <head>.

    Each div records its screen height and a print size (the page's width, at most one page
    high), which the print script applies before printing and restores afterwards.
    """

    def __init__(self) -> None:
        self.count = 0

    def div(self, chart: Chart) -> str:
        self.count += 1
        fig = go.Figure(chart.figure)
        height = int(fig.layout.height or DEFAULT_CHART_HEIGHT)
        fig.update_layout(width=None)
        markup = fig.to_html(
            full_html=False, include_plotlyjs=False, include_mathjax=False,
            config=dict(figures.PNG_EXPORT_CONFIG), div_id=f"chart-{self.count}",
            default_width="100%",
        )
        print_height = min(height, PRINT_CHART_MAX_HEIGHT)
        return (f'<div class="chart" data-height="{height}" data-print-height="{print_height}" '
                f'data-print-width="{PRINT_CHART_WIDTH}">{markup}</div>')


def _table(table: Table) -> str:
    total = sum(table.widths)
    cols = "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in table.widths) + "</colgroup>"
    head = "".join(f"<th>{_e(h)}</th>" for h in table.header)
    body = []
    for row in table.rows:
        cells = []
        for j, cell in enumerate(row):
            classes = ["num"] if table.nowrap_first and j == 0 else []
            classes += [f"status-{cell.status}"] if cell.status is not None else []
            attr = f' class="{_e(" ".join(classes))}"' if classes else ""
            cells.append(f"<td{attr}>{_e(cell.text).replace(chr(10), '<br>')}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    heading = f"<h3>{_e(table.heading)}</h3>" if table.heading else ""
    return f"{heading}<table>{cols}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _tiles(tiles: Tiles) -> str:
    items = []
    for tile in tiles.tiles:
        if tile.status is None:
            items.append(f'<div class="tile"><span class="value">{_e(tile.value)}</span>{_e(tile.label)}</div>')
        else:
            color = _e(STATUS_COLORS[tile.status])
            items.append(f'<div class="tile" style="border-color:{color}">'
                         f'<span class="value" style="color:{color}">{_e(tile.value)}</span>{_e(tile.label)}</div>')
    heading = f"<h3>{_e(tiles.heading)}</h3>" if tiles.heading else ""
    return f'{heading}<div class="tiles">{"".join(items)}</div>'


def _note(note: Note, lang: str) -> str:
    css = ' class="meta"' if note.style is NoteStyle.META else ""
    label = ""
    if note.label:
        label = f"<b>{_e(note.label)}</b>" + ("：" if lang == Lang.ZH else ": ")
    return "".join(f"<p{css}>{label}{_e(p)}</p>" for p in note.paragraphs)


def _block(block: Block, charts: _Charts, lang: str) -> str:
    if isinstance(block, Chart):
        notes = f'<p class="note">{_e(" ".join(block.notes))}</p>' if block.notes else ""
        return charts.div(block) + notes
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Tiles):
        return _tiles(block)
    if isinstance(block, Note):
        return _note(block, lang)
    assert isinstance(block, Panel)
    return ""  # a slide's side panel: the report states the same facts in its notes


def _section_body(section: Section, charts: _Charts, lang: str) -> str:
    """The section's blocks, then each subsection as a block under its own heading."""
    body = "".join(_block(b, charts, lang) for b in section.blocks)
    for sub in section.subsections:
        inner = "".join(_block(b, charts, lang) for b in sub.blocks)
        body += f'<div class="agency-block"><h3>{_e(sub.title)}</h3>{inner}</div>'
    return body


def _head(report: Report) -> list[str]:
    cover = report.cover
    return [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if report.lang == Lang.ZH else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(cover.title)} · {_e(cover.date)}</title>",
        f"<style>{_status_css()}\n{asset('report.css')}</style>",
        *_plotly(report),
        "</head><body>",
    ]


def _plotly(report: Report) -> list[str]:
    """plotly.js (4 MB) when the report has charts; a report of tables alone goes without."""
    if not any(isinstance(b, Chart) for s in iter_sections(report.sections) for b in s.blocks):
        return []
    return ["<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>",
            f'<script id="plotlyjs">{get_plotlyjs()}</script>']


def _cover(report: Report, sections: Sequence[tuple[str, str, str]]) -> list[str]:
    cover, lang = report.cover, report.lang
    contents = "".join(f'<li><a href="#{a}">{_e(h)}</a></li>' for a, h, _ in sections)
    return [
        f'<header class="cover"><h1>{_e(cover.title)}</h1><p class="meta">{_e(cover.subtitle)}</p>',
        f'<p class="meeting">{_e(cover.meeting)}</p>',
        f'<p class="meta">{_e(cover.period)} · {_e(cover.generated)}</p>',
        f'<p class="note screen-only">{_e(t("report_html_note", lang))}</p></header>',
        f'<nav><h2>{_e(t("report_contents", lang))}</h2><ol>{contents}</ol></nav>',
    ]


def render(report: Report) -> bytes:
    """One self-contained HTML file (UTF-8 bytes): interactive charts, tables, print styles."""
    charts = _Charts()
    sections = [(s.anchor, s.title, _section_body(s, charts, report.lang)) for s in report.sections]
    parts = _head(report) + _cover(report, sections)
    for i, (anchor, heading, body) in enumerate(sections):
        page = ' class="page"' if i > 0 else ""
        parts.append(f'<section id="{anchor}"{page}><h2>{_e(heading)}</h2>{body}</section>')
    parts.append(f"<script>{asset('report.js')}</script></body></html>")
    return "\n".join(parts).encode("utf-8")
