"""Minutes of a coordination meeting (会议纪要) as a DOCX, in the usual government layout.

The layout follows GB/T 9704 (党政机关公文格式) as offices apply it to minutes: A4, margins
37 / 35 / 28 / 26 mm, a centred title in 小标宋 (22 pt, 二号), body in 仿宋 (16 pt, 三号) at a fixed
28 pt line, first-level headings in 黑体, second-level in 楷体. Sections: time and place,
attending agencies, the items discussed (the agenda), the decisions grouped by responsible
agency, the follow-ups with their due dates (a table). Fonts missing on a machine fall back to
any installed CJK font (Noto CJK on Debian), so Chinese never shows as boxes.

    data = minutes_docx(meeting, plan, agenda, decisions, lang="zh")   # bytes of a .docx
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, Protocol

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from analysis.i18n import label, t
from analysis.meetings import AgendaItem, Decision, first_leads
from analysis.vocab import Lang

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from analysis.model import Plan

TITLE_FONT: Final = "方正小标宋简体"
BODY_FONT: Final = "仿宋_GB2312"
HEADING_FONT: Final = "黑体"
SUB_HEADING_FONT: Final = "楷体_GB2312"
LATIN_FONT: Final = "Times New Roman"
CN_NUMBERS: Final = "一二三四五六七八九十"


class MeetingLike(Protocol):
    """What the minutes read of a meeting (``analysis.store.meetings.Meeting`` has it)."""

    @property
    def date(self) -> dt.date: ...
    @property
    def title(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def attendees(self) -> tuple[str, ...]: ...


def long_date(day: dt.date | pd.Timestamp, lang: str = Lang.ZH) -> str:
    """2020年9月15日 in Chinese, 2020-09-15 in English."""
    day = day.date() if isinstance(day, pd.Timestamp) else day
    return day.isoformat() if lang == Lang.EN else f"{day.year}年{day.month}月{day.day}日"


def _cn_number(n: int) -> str:
    if n <= 10:
        return CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + CN_NUMBERS[n - 11]
    return str(n)


def _font(run_or_style: object, name: str, size: float, *, bold: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = LATIN_FONT
    font.size = Pt(size)
    font.bold = bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(doc: DocxDocument, text: str, *, font: str = BODY_FONT, size: float = 16, bold: bool = False,
               align: int | None = None, indent: bool = True) -> Paragraph:
    bold = bold or font in (HEADING_FONT, TITLE_FONT)  # also where these fonts fall back to another
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align  # type: ignore[assignment]
    _font(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def decision_text(decision: Decision, tasks: pd.DataFrame, lang: str) -> str:
    """One decision in a sentence: 任务3：完成期限调整为…（原定…）；议定：…。"""
    joiner = "；" if lang != Lang.EN else "; "
    return t("decision_task", lang, task=decision.task_id, what=joiner.join(decision_parts(decision, tasks, lang)))


def decision_parts(decision: Decision, tasks: pd.DataFrame, lang: str) -> list[str]:
    """What a decision changed and agreed, part by part (published values in brackets)."""
    row = tasks.loc[tasks["task_id"].astype(str) == decision.task_id]
    task = row.iloc[0] if not row.empty else None
    none = t("none_given", lang)

    def published(column: str, fallback: str) -> object:
        if task is None:
            return ""
        return task[column] if column in task.index else task[fallback]

    parts: list[str] = []
    if decision.deadline is not None:
        old = published("published_deadline", "deadline")
        old_text = long_date(pd.Timestamp(old), lang) if old is not None and old != "" else none
        parts.append(t("decision_deadline", lang, new=long_date(decision.deadline, lang), old=old_text))
    sep = "、" if lang != Lang.EN else ", "
    if decision.lead is not None:
        parts.append(t("decision_lead", lang, new=sep.join(decision.lead),
                       old=str(published("published_lead_text", "lead_text")) or none))
    if decision.support is not None:
        parts.append(t("decision_support", lang, new=sep.join(decision.support) or none,
                       old=str(published("published_support_text", "support_text")) or none))
    if decision.status is not None:
        parts.append(t("decision_status", lang, status=label(decision.status, lang)))
    if decision.note:
        parts.append(t("decision_note", lang, note=decision.note))
    if decision.follow_up_due is not None:
        parts.append(t("decision_follow_up", lang, who=decision.follow_up_by or none,
                       due=long_date(decision.follow_up_due, lang)))
    return parts


def _responsible(decision: Decision, leads: dict[str, str]) -> str:
    if decision.follow_up_by:
        return decision.follow_up_by
    if decision.lead:
        return decision.lead[0]
    return leads.get(decision.task_id, "")


def minutes_docx(meeting: MeetingLike, plan: Plan, agenda: Sequence[AgendaItem], decisions: Sequence[Decision],
                 *, lang: str = Lang.ZH) -> bytes:
    """The minutes as DOCX bytes. ``plan``: the plan as decided on the meeting date (its
    ``published_*`` columns give the original values); ``decisions``: this meeting's, in order."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _font(doc.styles["Normal"], BODY_FONT, 16)
    doc.core_properties.title = t("minutes_title", lang, title=meeting.title)
    doc.core_properties.language = "zh-CN" if lang != Lang.EN else "en"

    _paragraph(doc, t("minutes_title", lang, title=meeting.title), font=TITLE_FONT, size=22,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, "", indent=False)
    date = long_date(meeting.date, lang)
    plan_title = plan.meta.display_title(lang)
    _paragraph(doc, t("minutes_opening", lang, date=date, title=meeting.title, plan=plan_title))

    _paragraph(doc, t("minutes_time_place", lang), font=HEADING_FONT)
    _paragraph(doc, t("minutes_time", lang, date=date))
    _paragraph(doc, t("minutes_place", lang, place=meeting.place or t("minutes_place_unknown", lang)))

    _paragraph(doc, t("minutes_attendees", lang), font=HEADING_FONT)
    sep = "、" if lang != Lang.EN else ", "
    _paragraph(doc, sep.join(meeting.attendees) if meeting.attendees else t("minutes_no_attendees", lang))

    _paragraph(doc, t("minutes_items", lang), font=HEADING_FONT)
    texts = dict(zip(plan.tasks["task_id"].astype(str), plan.tasks["text"].astype(str), strict=True))
    names = plan.agency_names(lang)
    if not agenda:
        _paragraph(doc, t("minutes_no_items", lang))
    for n, item in enumerate(agenda, start=1):
        text = texts.get(item.task_id, "")
        text = text if len(text) <= 120 else text[:119] + "…"
        line = t("minutes_item", lang, task=item.task_id, lead=names.get(item.lead, item.lead) or t("none_given", lang),
                 rag=label(item.rag, lang), text=text)
        _paragraph(doc, f"{n}. {line}")

    _paragraph(doc, t("minutes_decisions", lang), font=HEADING_FONT)
    leads = first_leads(plan)
    by_agency: dict[str, list[Decision]] = {}
    for decision in decisions:
        by_agency.setdefault(_responsible(decision, leads), []).append(decision)
    if not decisions:
        _paragraph(doc, t("minutes_no_decisions", lang))
    for n, (agency, items) in enumerate(by_agency.items(), start=1):
        heading = f"（{_cn_number(n)}）{names.get(agency, agency) or t('none_given', lang)}" if lang != Lang.EN \
            else f"({n}) {names.get(agency, agency) or t('none_given', lang)}"
        _paragraph(doc, heading, font=SUB_HEADING_FONT)
        for m, decision in enumerate(items, start=1):
            _paragraph(doc, f"{m}. {decision_text(decision, plan.tasks, lang)}")

    _paragraph(doc, t("minutes_follow_ups", lang), font=HEADING_FONT)
    due = [d for d in decisions if d.follow_up_due is not None]
    if not due:
        _paragraph(doc, t("minutes_no_follow_ups", lang))
    else:
        _follow_up_table(doc, due, leads, lang)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _follow_up_table(doc: DocxDocument, due: Sequence[Decision], leads: dict[str, str], lang: str) -> None:
    headers = [t(k, lang) for k in ("minutes_col_no", "minutes_col_task", "minutes_col_matter", "minutes_col_by",
                                    "minutes_col_due")]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(14), Mm(16), Mm(66), Mm(30), Mm(30)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = width
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 12)
    for n, decision in enumerate(sorted(due, key=lambda d: (d.follow_up_due or dt.date.max)), start=1):
        matter = decision.note or t("none_given", lang)
        values = [str(n), decision.task_id, matter, _responsible(decision, leads),
                  long_date(decision.follow_up_due, lang) if decision.follow_up_due else ""]
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths, strict=True):
            cell.width = width
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 12)
