"""A coordination meeting in the meeting pack: the agenda slide before, the decisions slide after.

    report = build_content(pack, medium)
    add_meeting(report, pack, brief)      # brief: analysis.meetings.MeetingBrief

The agenda section follows the key figures; the decisions section comes before the appendix
(at the end when there is none). Long tables run over several slides like the other task tables.
"""

from __future__ import annotations

import pandas as pd

from analysis.i18n import label, t
from analysis.meetings import MeetingBrief
from analysis.minutes import decision_parts, long_date
from analysis.report.content import Cell, Note, Pack, Report, Section, Table, task_cell
from analysis.vocab import Lang

AGENDA_WIDTHS = [0.8, 6.0, 1.4, 2.0, 2.133]
DECISION_WIDTHS = [0.8, 7.4, 2.2, 1.933]


def _agency(pack: Pack, names: str) -> str:
    sep = ", " if pack.lang == Lang.EN else "、"
    return sep.join(pack.name(a) for a in names.split("、") if a)


def agenda_section(pack: Pack, brief: MeetingBrief) -> Section:
    lang = pack.lang
    tasks = pack.plan.tasks.set_index(pack.plan.tasks["task_id"].astype(str))
    rows = []
    for item in brief.agenda:
        if item.task_id not in tasks.index:
            continue
        task = tasks.loc[item.task_id]
        rows.append([Cell(item.task_id), Cell(task_cell(str(task["text"]))), Cell(label(item.rag, lang)),
                     Cell(_agency(pack, item.lead)), Cell(long_date(pd.Timestamp(task["deadline"]), lang))])
    title = t("report_meeting_agenda", lang, title=brief.title)
    if not rows:
        return Section("meeting-agenda", title, [Note([t("minutes_no_items", lang)])])
    header = [t(k, lang) for k in ("col_task_id", "col_text", "col_rag", "col_lead", "col_deadline")]
    return Section("meeting-agenda", title, [Table(header, rows, AGENDA_WIDTHS, nowrap_first=True)])


def decisions_section(pack: Pack, brief: MeetingBrief) -> Section:
    lang = pack.lang
    joiner = "；" if lang != Lang.EN else "; "
    rows = [
        [Cell(d.task_id), Cell(joiner.join(decision_parts(d, pack.plan.tasks, lang))),
         Cell(_agency(pack, d.follow_up_by) if d.follow_up_by else ""),
         Cell(long_date(d.follow_up_due, lang) if d.follow_up_due else "")]
        for d in brief.decisions
    ]
    title = t("report_meeting_decisions", lang, title=brief.title)
    if not rows:
        return Section("meeting-decisions", title, [Note([t("minutes_no_decisions", lang)])])
    header = [t(k, lang) for k in ("col_task_id", "col_decision", "col_follow_up_by", "col_follow_up_due")]
    return Section("meeting-decisions", title, [Table(header, rows, DECISION_WIDTHS, nowrap_first=True)])


def add_meeting(report: Report, pack: Pack, brief: MeetingBrief) -> Report:
    """``report`` with the meeting's agenda after its first section and its decisions before the appendix."""
    sections = list(report.sections)
    sections.insert(min(1, len(sections)), agenda_section(pack, brief))
    at = next((i for i, s in enumerate(sections) if s.anchor == "appendix"), len(sections))
    sections.insert(at, decisions_section(pack, brief))
    report.sections = sections
    return report
