"""Meeting pack: a PowerPoint deck and a self-contained HTML report, for a plan or one agency.

    build_pptx(plan, meeting_date=..., lang="zh", agency=None, progress=None) -> bytes   (16:9 deck)
    build_html(plan, meeting_date=..., lang="zh", agency=None, progress=None) -> bytes   (one offline file)

`progress` (optional): `Workspace.task_status(plan_id, meeting_date)`, each task's reported
status and red/amber/green warning; with it the pack has a progress section after the key
figures (counts per status and colour, red tasks by lead agency, what each agency is asked
to report this period). Without it the pack is as before.

`plan` may be a filtered plan (`analysis.derive.apply_filters`), so the app's filters apply.

The package:

content   the pack's data (`prepare_pack`) and its content, built once per pack and medium:
          a cover and sections of charts, tables (cells carry a due status), key-figure tiles
          and notes. The only place that tells a plan pack from an agency pack, and the
          summary rules of a large deck.
pptx      renders the sections to slides (python-pptx), charts as PNG through `render`
html      renders the same sections to one offline HTML page (assets/report.css, report.js)
fit       text fitting: wrapped lines, cutting a text to a box, table rows onto slides
charts    the app's figures prepared for a pack and for a slide image
layout    slide geometry and type sizes; style: colours (status → colour, one place)
render    chart PNGs through kaleido in one long-lived Chromium (also `analysis.render`)

plan pack    title · key figures · workload · timeline (one slide per ≤ 18 tasks) · what is
             past or near its deadline · network · a slide per agency leading more than
             LEAD_SHARED_MAX tasks (its tasks led, supported count, partners), the others packed
             whole onto shared slides of at most LEAD_TABLE_ROWS tasks (the HTML report keeps a
             section per agency) · appendix of all tasks
agency pack  title · key figures · who works on its tasks (it and each partner: of its tasks,
             how many each leads and supports) · timeline of its
             tasks · its partner network · tasks led · tasks supported · partners · targets
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Unpack

from analysis.i18n import t
from analysis.model import Plan
from analysis.report.content import (
    DECK_DETAIL_MAX_TASKS,
    DECK_MAX_LEADS,
    DECK_MAX_ROWS,
    HTML_TIMELINE_MAX_TASKS,
    LEAD_SHARED_MAX,
    LEAD_TABLE_ROWS,
    MAX_TABLE_ROWS,
    NETWORK_MAX_NODES,
    TIMELINE_ROWS,
    WORKLOAD_ROWS,
    Cell,
    Chart,
    Cover,
    LeadEntry,
    Medium,
    Note,
    Pack,
    PackOptions,
    Panel,
    Report,
    Section,
    Table,
    Tile,
    Tiles,
    agency_tables,
    appendix_table,
    build_content,
    deadline_label,
    due_rows,
    due_table,
    english_short_names,
    lead_agencies,
    lead_title,
    pack_leads,
    pack_scopes,
    prepare_pack,
    resolve_agency,
    shared_workload,
    status_note,
)
from analysis.report.fit import fit_text, paginate, row_height_pt, wrap_lines
from analysis.report.layout import (
    BODY_BOTTOM,
    BODY_H,
    BODY_TOP,
    BODY_W,
    FONT,
    SLIDE_H,
    SLIDE_W,
)
from analysis.vocab import Lang

if TYPE_CHECKING:
    from analysis.meetings import MeetingBrief

FORMATS: Final = (".pptx", ".html")


def build_report_content(
    plan: Plan, medium: Medium, *, meeting: MeetingBrief | None = None, **options: Unpack[PackOptions],
) -> Report:
    """The pack's content for a deck or the HTML report (ValueError: no tasks, unknown agency).

    ``options``: `prepare_pack`'s (meeting_date, lang, agency, lead_weight, window_days, progress;
    ``progress`` is ``Workspace.task_status(plan_id, meeting_date)``: with it the pack has a
    progress section).
    ``meeting``: a coordination meeting's agenda (a section after the key figures) and decisions
    (a section before the appendix), ``analysis.store``'s ``ws.meetings.brief(meeting_id)``."""
    pack = prepare_pack(plan, **options)
    content = build_content(pack, medium)
    if meeting is not None:
        from analysis.report.meeting import add_meeting

        content = add_meeting(content, pack, meeting)
    return content


def build_pptx(plan: Plan, *, meeting: MeetingBrief | None = None, **options: Unpack[PackOptions]) -> bytes:
    """The meeting deck (.pptx bytes) for the plan, or for one agency when `agency` is given."""
    from analysis.report import pptx  # python-pptx loads only when a deck is made

    return pptx.render(build_report_content(plan, Medium.DECK, meeting=meeting, **options))


def build_html(plan: Plan, *, meeting: MeetingBrief | None = None, **options: Unpack[PackOptions]) -> bytes:
    """One self-contained HTML file (UTF-8 bytes): interactive charts, tables, print styles."""
    from analysis.report import html

    return html.render(build_report_content(plan, Medium.HTML, meeting=meeting, **options))


def report_format(path: str) -> str:
    """'.pptx' or '.html' from a file name (.htm counts as .html); ValueError otherwise."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    suffix = ".html" if suffix == ".htm" else suffix
    if suffix not in FORMATS:
        raise ValueError(t("report_unsupported_format", Lang.ZH, suffix=suffix or path) + " | "
                         + t("report_unsupported_format", Lang.EN, suffix=suffix or path))
    return suffix


def build_report(plan: Plan, fmt: str, **kwargs: Any) -> bytes:
    """`build_pptx` or `build_html` by format ('.pptx' / '.html')."""
    builder = build_pptx if fmt == ".pptx" else build_html
    return builder(plan, **kwargs)


__all__ = [
    "BODY_BOTTOM", "BODY_H", "BODY_TOP", "BODY_W", "DECK_DETAIL_MAX_TASKS", "DECK_MAX_LEADS", "DECK_MAX_ROWS",
    "FONT", "FORMATS", "HTML_TIMELINE_MAX_TASKS", "LEAD_SHARED_MAX", "LEAD_TABLE_ROWS", "MAX_TABLE_ROWS", "NETWORK_MAX_NODES",
    "SLIDE_H", "SLIDE_W", "TIMELINE_ROWS", "WORKLOAD_ROWS",
    "Cell", "Chart", "Cover", "LeadEntry", "Medium", "Note", "Pack", "Panel", "Report", "Section", "Table", "Tile",
    "Tiles",
    "agency_tables", "appendix_table", "build_content", "build_html", "build_pptx", "build_report",
    "build_report_content", "deadline_label", "due_rows", "due_table", "english_short_names", "fit_text",
    "lead_agencies", "lead_title", "pack_leads", "pack_scopes", "paginate", "prepare_pack", "report_format", "resolve_agency",
    "row_height_pt", "shared_workload", "status_note", "wrap_lines",
]
