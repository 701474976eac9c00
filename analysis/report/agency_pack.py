"""One agency's meeting pack across every plan of the workspace (issue 17: "the same as a
one-agency meeting pack"), on the pack's content model: both renderers draw it unchanged.

    agency_pack_content(view, medium, lang="zh") -> Report
    build_agency_pack(view, fmt, lang="zh") -> bytes      fmt: '.pptx' or '.html'

``view`` is ``analysis.portfolio.agency_view(...)`` (the figures of the page 跨计划 → 单位跨计划),
so the pack says what the page says, on the same reference date.

title · key figures (tasks led and supported, plans, partners; due next quarter, red, amber)
· tasks per plan (led, supported) · its tasks, one table per plan · due in the next quarter
across plans · warnings across plans (red, amber, with why) · partners across plans

A deck keeps the DECK_MAX_LEADS plans with most of its tasks and DECK_MAX_ROWS rows per
table (each cut said under it); the HTML report keeps everything.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.i18n import label, role_label, t
from analysis.progress import REASON_TEXT, RagReason
from analysis.report.content import (
    DECK_MAX_LEADS,
    DECK_MAX_ROWS,
    Cell,
    Cover,
    Medium,
    Note,
    NoteStyle,
    Report,
    Section,
    Table,
    Tile,
    Tiles,
    task_cell,
)
from analysis.vocab import Lang, ProgressStatus, Rag

if TYPE_CHECKING:
    from analysis.portfolio.agency import AgencyView

# Column widths on a slide (inches; the body is 12.33 wide).
PLAN_WIDTHS = [0.8, 7.3, 1.4, 1.4, 1.4]
TASK_WIDTHS = [0.7, 6.2, 1.1, 1.5, 1.4, 1.4]
DUE_WIDTHS = [2.7, 5.1, 1.0, 1.4, 1.1, 1.0]
WARNING_WIDTHS = [2.5, 4.5, 1.0, 1.4, 1.0, 1.9]
PARTNER_WIDTHS = [5.2, 2.6, 2.2, 2.2]


def _region(region: str, lang: str) -> str:
    return region or t("pf_unknown_region", lang)


def _status(value: object, lang: str) -> str:
    try:
        return label(ProgressStatus(str(value)), lang)
    except ValueError:
        return ""


def _rag(value: object) -> Rag | None:
    try:
        return Rag(str(value))
    except ValueError:
        return None


def _rag_cell(value: object, lang: str) -> Cell:
    rag = _rag(value)
    return Cell(label(rag, lang), rag) if rag is not None else Cell("")


def _reason(value: object, lang: str) -> str:
    try:
        return REASON_TEXT[RagReason(str(value))](lang)
    except ValueError:
        return ""


def _deadline(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat() if pd.notna(value) else ""


def _task(row: dict[str, Any]) -> str:
    return f"{row['task_id']} {task_cell(str(row['text']))}"


class _Builder:
    def __init__(self, view: AgencyView, medium: Medium, lang: str) -> None:
        self.view, self.medium, self.lang = view, medium, lang

    def _cap(self, table: Table) -> Table:
        return table.capped(DECK_MAX_ROWS, self.lang) if self.medium is Medium.DECK else table

    def cover(self) -> Cover:
        view, lang = self.view, self.lang
        name, region = view.key.name, _region(view.key.region, lang)
        date = view.reference.isoformat()
        return Cover(
            title=t("report_agency_pack_title", lang, agency=name),
            subtitle=t("pfp_subtitle", lang, region=region, plans=len(view.plans)),
            meeting=t("pfp_reference", lang, date=date),
            period=t("pf_due", lang, start=date, end=view.due_until.isoformat()),
            details=[t("pf_written_as", lang, names="、".join(view.names))] if view.names else [],
            generated=t("report_generated", lang, date=dt.date.today().isoformat()),
            footer=t("pfp_footer", lang, agency=name, region=region, date=date),
            date=date,
        )

    def key_figures(self) -> Section:
        view, lang = self.view, self.lang
        rags = view.warnings["rag"].astype(str)
        return Section("key-figures", t("report_key_figures", lang), [
            Tiles([
                Tile(t("report_tasks_led_tile", lang), view.lead),
                Tile(t("report_tasks_supported_tile", lang), view.support),
                Tile(t("pfp_plans_tile", lang), len(view.plans)),
                Tile(t("report_partners_tile", lang), len(view.partners)),
            ]),
            Tiles([
                Tile(t("pfp_due_tile", lang), len(view.due)),  # a count, not a warning: the accent colour
                Tile(label(Rag.RED, lang), int((rags == Rag.RED.value).sum()), Rag.RED),
                Tile(label(Rag.AMBER, lang), int((rags == Rag.AMBER.value).sum()), Rag.AMBER),
            ], heading=t("pfp_warnings_heading", lang, date=view.reference.isoformat())),
        ])

    def per_plan(self) -> Section:
        lang = self.lang
        rows = [[Cell(str(int(r.plan_id))), Cell(str(r.title)), Cell(str(int(r.lead))), Cell(str(int(r.support))),
                 Cell(str(int(r.tasks)))] for r in self.view.plans.itertuples(index=False)]
        header = [t("pfp_col_id", lang), t("pf_col_plan", lang), t("pf_col_lead", lang), t("pf_col_support", lang),
                  t("pf_col_tasks", lang)]
        return Section("per-plan", t("pf_per_plan", lang), [self._cap(Table(header, rows, PLAN_WIDTHS,
                                                                                max_rows=12))])

    def tasks_by_plan(self) -> Section:
        view, lang = self.view, self.lang
        header = [t("col_task_id", lang), t("pf_col_task", lang), t("pf_col_role", lang), t("pf_col_deadline", lang),
                  t("pf_col_status", lang), t("pf_col_rag", lang)]
        plans = view.plans
        section = Section("tasks-by-plan", t("pfp_tasks_by_plan", lang))
        if self.medium is Medium.DECK and len(plans) > DECK_MAX_LEADS:
            section.blocks.append(Note([t("pfp_plans_capped", lang, n=DECK_MAX_LEADS, total=len(plans))]))
            plans = plans.head(DECK_MAX_LEADS)
        grouped = {int(p): g for p, g in view.tasks.groupby("plan_id", sort=False)}
        for plan in plans.itertuples(index=False):
            mine = grouped.get(int(plan.plan_id))
            records = mine.to_dict("records") if mine is not None else []
            rows = [[Cell(str(r["task_id"])), Cell(task_cell(str(r["text"]))), Cell(role_label(str(r["role"]), lang)),
                     Cell(_deadline(r["deadline"])),
                     Cell(_status(r["status"], lang)), _rag_cell(r["rag"], lang)] for r in records]
            title = t("pfp_plan_heading", lang, title=str(plan.title), lead=int(plan.lead), support=int(plan.support))
            section.subsections.append(Section(f"plan-{int(plan.plan_id)}", title, [self._cap(Table(
                header, rows, TASK_WIDTHS, nowrap_first=True))]))
        return section

    def due(self) -> Section:
        view, lang = self.view, self.lang
        title = t("pf_due", lang, start=view.reference.isoformat(), end=view.due_until.isoformat())
        if not len(view.due):
            return Section("due", title, [Note([t("pfp_none_due", lang)])])
        header = [t("pf_col_plan", lang), t("pf_col_task", lang), t("pf_col_role", lang), t("pf_col_deadline", lang),
                  t("pf_col_status", lang), t("pf_col_rag", lang)]
        rows = [[Cell(str(r["title"])), Cell(_task(r)), Cell(role_label(str(r["role"]), lang)),
                 Cell(_deadline(r["deadline"])), Cell(_status(r["status"], lang)), _rag_cell(r["rag"], lang)]
                for r in view.due.to_dict("records")]
        return Section("due", title, [self._cap(Table(header, rows, DUE_WIDTHS))])

    def warnings(self) -> Section:
        view, lang = self.view, self.lang
        title = t("pf_warnings", lang)
        if not len(view.warnings):
            return Section("warnings", title, [Note([t("pfp_no_warnings", lang)])])
        header = [t("pf_col_plan", lang), t("pf_col_task", lang), t("pf_col_role", lang), t("pf_col_deadline", lang),
                  t("pf_col_rag", lang), t("pfp_col_reason", lang)]
        rows = [[Cell(str(r["title"])), Cell(_task(r)), Cell(role_label(str(r["role"]), lang)),
                 Cell(_deadline(r["deadline"])), _rag_cell(r["rag"], lang), Cell(_reason(r["reason"], lang))]
                for r in view.warnings.to_dict("records")]
        return Section("warnings", title, [self._cap(Table(header, rows, WARNING_WIDTHS))])

    def partners(self) -> Section:
        view, lang = self.view, self.lang
        title = t("pf_partners", lang)
        if not len(view.partners):
            return Section("partners", title, [Note([t("report_no_partners", lang)])])
        header = [t("pf_col_agency", lang), t("pf_col_region", lang), t("pf_col_shared", lang),
                  t("pf_col_plans", lang)]
        rows = [[Cell(str(r["name"])), Cell(_region(str(r["region"]), lang)), Cell(str(int(r["shared_tasks"]))),
                 Cell(str(int(r["plans"])))] for r in view.partners.to_dict("records")]
        return Section("partners", title, [self._cap(Table(header, rows, PARTNER_WIDTHS, max_rows=12))])

    def report(self) -> Report:
        sections = [self.key_figures(), self.per_plan(), self.tasks_by_plan(), self.due(), self.warnings(),
                    self.partners()]
        cover = self.cover()
        if self.medium is Medium.HTML and cover.details:  # the names as written, on the title slide of a deck
            sections[0].blocks.insert(0, Note(cover.details, NoteStyle.META))
        return Report(self.lang, self.medium, cover, sections)


def agency_pack_content(view: AgencyView, medium: Medium, *, lang: str = Lang.ZH) -> Report:
    """The pack's content for a deck or the HTML report."""
    return _Builder(view, medium, lang).report()


def build_agency_pack(view: AgencyView, fmt: str, *, lang: str = Lang.ZH) -> bytes:
    """The agency's pack as .pptx (fmt '.pptx') or one offline HTML file ('.html') bytes."""
    if fmt == ".pptx":
        from analysis.report import pptx

        return pptx.render(agency_pack_content(view, Medium.DECK, lang=lang))
    from analysis.report import html

    return html.render(agency_pack_content(view, Medium.HTML, lang=lang))
