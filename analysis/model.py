"""The one tidy model of a plan that every view, export and CLI command reads.

`Plan.tasks`       one row per task (deadline, theme, targets read from the text once)
`Plan.assignments` one row per task × agency × role (lead / support), in table order
`Plan.agencies`    one row per agency in the plan, with registry names, type and counts
`Plan.themes`      theme keys with Chinese and English labels, in display order
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import operator
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from analysis.agencies import REGISTRY_REGION, AgencyRegistry, load_registry, registry_applies
from analysis.columns import gathered_text, inferred_column
from analysis.deadlines import Deadline, Milestone, joined_column, read_deadline, read_deadlines, read_milestones
from analysis.findings import Finding, ImportReport, import_error
from analysis.io import RawRow, RawTable, read_file_bytes, read_table
from analysis.regions import detect_region
from analysis.targets import read_target_dicts_many
from analysis.units import (
    UnitMention,
    lead_cell,
    normalise_person,
    plain_labels,
    split_units,
    unit_runs_of,
)
from analysis.vocab import AGENCY_TYPES, AgencyType, DeadlineKind, Role, first_year, year_range
from analysis.vocab import ROLES as VOCAB_ROLES

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUNDLED_PLAN_DIR = DATA_DIR / "plans" / "zhejiang_5g_2020_2022"

ROLES = VOCAB_ROLES  # analysis.vocab.Role, lead first
UNGROUPED_THEME = "未分组"

TASK_COLUMNS = [
    "task_id", "seq", "number", "text", "section", "theme",
    "deadline", "deadline_kind", "deadline_precision", "deadline_text", "ongoing",
    "milestones", "targets", "lead_text", "support_text", "leaders", "source_row",
    "subthemes", "extra",
]
ASSIGNMENT_COLUMNS = ["task_id", "agency", "role", "position", "as_written", "etc"]
AGENCY_COLUMNS = [
    "agency", "full_name", "english_name", "english_short", "type", "registered", "lead", "support", "tasks",
]



@dataclass(frozen=True)
class PlanMeta:
    title: str
    period_start: dt.date
    period_end: dt.date
    title_en: str = ""
    region: str = ""
    region_en: str = ""
    source: str = ""  # the file the table was read from
    notes: tuple[str, ...] = ()  # plan-level notes (e.g. blanket responsibilities)
    region_level: str = ""  # province | city | county | district, when read from the title
    columns: tuple[tuple[str, str], ...] = ()  # (header as written, role) of the table's columns

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return self.period_start, self.period_end

    def display_title(self, lang: str = "zh") -> str:
        return (self.title_en or self.title) if lang == "en" else self.title


@dataclass(frozen=True, eq=False)
class Plan:
    meta: PlanMeta
    tasks: pd.DataFrame
    assignments: pd.DataFrame
    agencies: pd.DataFrame
    themes: pd.DataFrame
    report: ImportReport = field(default_factory=ImportReport)
    content_hash: str = ""
    _names: dict[tuple[bool, bool], dict[str, str]] = field(default_factory=dict, init=False, repr=False)
    _theme_labels: dict[bool, dict[str, str]] = field(default_factory=dict, init=False, repr=False)

    def theme_label(self, theme: str, lang: str = "zh") -> str:
        """The theme's label in ``lang`` (the first row of the theme; the code itself if unknown)."""
        key = lang == "en"
        labels = self._theme_labels.get(key)
        if labels is None:
            column = "label_en" if lang == "en" else "label_zh"
            labels = {}
            for code, text in zip(self.themes["theme"], self.themes[column], strict=True):
                labels.setdefault(code, str(text))
            self._theme_labels[key] = labels
        return labels.get(theme, theme)

    def agency_names(self, lang: str = "zh", *, short: bool = False) -> dict[str, str]:
        """The name shown for each agency of the plan: in Chinese its label as written; in English
        the registry's English name (with ``short``, its short chart label first), else the label.

        The one place that decides how an agency is named in a table, a chart or a slide.
        """
        key = (lang == "en", short)
        names = self._names.get(key)
        if names is None:
            labels = [str(a) for a in self.agencies["agency"]]
            names = dict(zip(labels, labels, strict=True))
            if lang == "en":
                columns = [c for c in (("english_short", "english_name") if short else ("english_name",))
                           if c in self.agencies.columns]
                for column in reversed(columns):
                    for agency, name in zip(labels, self.agencies[column], strict=True):
                        if isinstance(name, str) and name:
                            names[agency] = name
            self._names[key] = names
        return names

    def agency_type(self, agency: str) -> str:
        row = self.agencies.loc[self.agencies["agency"] == agency]
        return str(row.iloc[0]["type"]) if not row.empty else AgencyType.UNKNOWN.value


# ----------------------------------------------------------------------------- building


_FIVE_YEAR_PLANS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
_FIVE_YEAR_RE = re.compile("(" + "|".join(_FIVE_YEAR_PLANS) + ")")


def _parse_period(text: str) -> tuple[dt.date, dt.date] | None:
    """The plan period a title states: a year range (any dash: 2020-2022年, （2020－2022年）,
    2020至2022年) or a single year (2025年…工作要点)."""
    years = year_range(text)
    plan_period = _FIVE_YEAR_RE.search(text)
    if not years and plan_period:  # “十三五”规划: 2016-2020
        first = _FIVE_YEAR_PLANS[plan_period.group(1)]
        years = (first, first + 4)
    if years:
        start, end = years
        if 1900 < start <= end < 2200:
            return dt.date(start, 1, 1), dt.date(end, 12, 31)
    year = first_year(text)
    if year is not None and 1900 < year < 2200:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return None


def _task_number(written: str) -> str:
    """The number as written, without trailing dots; ①, ² and the like as plain digits.

    (Such characters pass str.isdigit() but not int(): an id that looks like a number
    must be one, for every caller that converts it.)
    """
    if written.isdecimal():  # digits alone (most numbers): nothing to strip or normalise
        return written
    number = re.sub(r"[.．、\s]+$", "", written)
    if number.isdigit() and not number.isdecimal():
        return unicodedata.normalize("NFKC", number)  # ① → 1, ⑴ → (1)
    return number


def _missing_numbers(numbers: list[int], shown: int = 20) -> tuple[list[int], int]:
    """The first `shown` numbers missing from 1..max, and how many are missing (never a huge range)."""
    present = sorted(set(numbers))
    present = present[bisect_left(present, 1):]  # (from 1 on)
    if not present or present[-1] == len(present):  # none, or 1 to n without a gap
        return [], 0
    first: list[int] = []
    expected = 1
    for n in present:
        if n > expected and len(first) < shown:
            first.extend(range(expected, min(n, expected + shown - len(first))))
        expected = n + 1
    return first, present[-1] - len(present)


def _task_ids(raw: RawTable, report: ImportReport) -> list[str]:
    """Unique task ids: the number as written; missing or repeated numbers never lose a task."""
    ids: list[str] = []
    issued: set[str] = set()
    first_row: dict[str, int] = {}
    seen: dict[str, int] = {}

    def unique(candidate: str) -> str:
        # "1" twice gives "1-2"; if the table also numbers a task "1-2", the next free "1-3".
        base, n = candidate, 1
        while candidate in issued:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    written = [_task_number(row.number) for row in raw.rows]
    reserved = set(written)  # numbers written later keep their own id

    def next_suffix(number: str) -> str:
        """The next free "number-k" id for another task under `number`."""
        seen[number] += 1
        task_id = f"{number}-{seen[number]}"
        while task_id in issued or task_id in reserved:
            seen[number] += 1
            task_id = f"{number}-{seen[number]}"
        return task_id

    numbered_once = "number" in raw.columns and "" not in reserved and len(reserved) == len(written) and not any(
        map(attrgetter("continues"), raw.rows)
    )
    if numbered_once:
        # Every task numbered, each number once (most tables): its id is its number and there is
        # no warning, which is what the loop below gives; it is skipped.
        ids = written
        seen = dict.fromkeys(written, 1)
    for seq, (row, number) in enumerate(() if numbered_once else zip(raw.rows, written, strict=True), start=1):
        if "number" not in raw.columns:
            number = str(seq)
        if row.continues and number in seen:
            task_id = next_suffix(number)
            report.add(
                "warning", "missing_number",
                f"该行没有序号，接续上一项任务“{number}”，作为单独任务编为“{task_id}”",
                f"this row has no number; it continues task '{number}' above and is kept as '{task_id}'",
                row=row.source_row, field="序号",
            )
        elif not number:
            task_id = f"r{row.source_row}"
            while task_id in issued or task_id in reserved:
                task_id = "r" + task_id
            report.add(
                "warning", "missing_number",
                f"任务缺少序号，已按所在行编为“{task_id}”",
                f"task has no number; it is kept as '{task_id}' after its row",
                row=row.source_row, field="序号",
            )
        elif number in seen:
            task_id = next_suffix(number)
            report.add(
                "warning", "duplicate_number",
                f"序号“{number}”重复（首次出现在第{first_row[number]}行），该任务保留为“{task_id}”",
                f"number '{number}' is repeated (first at row {first_row[number]}); this task is kept as '{task_id}'",
                row=row.source_row, field="序号",
            )
        else:
            seen[number] = 1
            first_row[number] = row.source_row
            task_id = unique(number)
        issued.add(task_id)
        ids.append(task_id)
    # Numbers of up to 18 digits (int() refuses 4 300 digits and more; nobody numbers tasks so).
    if seen and all(map(str.isdecimal, seen)) and max(map(len, seen)) <= 18:
        gaps, count = _missing_numbers(list(map(int, seen)))
        if count:
            shown = "、".join(map(str, gaps)) + ("…" if count > len(gaps) else "")
            report.add(
                "warning", "gap_in_numbers",
                f"序号不连续，缺少：{shown}" + (f"（共 {count:,} 个）" if count > len(gaps) else ""),
                f"task numbers are not consecutive; missing: {shown.replace('、', ', ')}"
                + (f" ({count:,} in all)" if count > len(gaps) else ""),
                field="序号",
            )
    return ids


def _read_themes(path: Path | None) -> dict[str, tuple[str, str]]:
    """task_id → (theme_zh, theme_en) from a plan's editable themes.csv."""
    if path is None or not path.exists():
        return {}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"task_id", "theme_zh"} - set(frame.columns)
    if missing:
        raise import_error(
            "themes_column", f"主题文件缺少列：{'、'.join(sorted(missing))}",
            f"themes file is missing column(s): {', '.join(sorted(missing))}", file=path.name,
        )
    en = frame["theme_en"] if "theme_en" in frame.columns else frame["theme_zh"]
    return {
        t.strip(): (zh.strip(), (e or zh).strip())
        for t, zh, e in zip(frame["task_id"], frame["theme_zh"], en, strict=True)
    }


@functools.lru_cache(maxsize=1024)  # a plan's tasks share a few section headings
def _section_theme(section: str) -> str:
    """A section heading as a theme: 一、网络基础设施建设 → 网络基础设施建设."""
    text = re.sub(r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+(?:部分|[章节项篇])[、：:\s]*|\d+(?:[.．]\d+)*[.．、](?!\d)|\d+(?:[.．]\d+)+|[（(]\d+[）)]|[\u2460-\u2473])", "", section)
    return text.strip(" ：:。") or section.strip()


def build_plan(
    raw: RawTable,
    *,
    registry: AgencyRegistry | None = None,
    title: str = "",
    title_en: str = "",
    region: str = "",
    region_en: str = "",
    period: tuple[dt.date, dt.date] | None = None,
    task_themes: dict[str, tuple[str, str]] | None = None,
    content_hash: str = "",
    record_columns: bool = True,
) -> Plan:
    """Interpret raw rows: split units, resolve agencies, read deadlines, targets, themes."""
    registry = registry or load_registry()
    report = raw.report
    title = title or raw.title or Path(raw.file).stem
    detected = detect_region(title, raw.preamble) if not region else None
    region = region or (detected.name if detected else "")
    if not registry_applies(region):
        # The registry describes another region: labels stay as written, types from their form.
        registry = AgencyRegistry(pd.DataFrame(columns=["label", "full_name", "english_name", "type"]))
        report.rule(
            f"单位名录（data/agencies.csv）只含{REGISTRY_REGION}单位；本规划属{region}：单位按原文显示，类型按名称推断。",
            f"The agency registry (data/agencies.csv) lists {REGISTRY_REGION} (Zhejiang) agencies only; this plan is "
            f"of {region}: agencies are shown as written, their types inferred from their names.",
        )
    plan_start, plan_end = period or _plan_period(raw, title, report)
    # 年底前 / 年内 without a year: the year the title names, else a one-year plan's year.
    default_year = raw.default_year or (plan_start.year if plan_start.year == plan_end.year else None)
    task_ids = _task_ids(raw, report)
    task_themes = task_themes or {}

    # Every task's agencies, column by column; the loop adds each task's warnings in its place.
    assigned = _assign_all(task_ids, raw.rows, _UnitCells(registry), raw.single_responsible_column, report.file)
    period_ = (plan_start, plan_end)
    # The task texts' deadlines and targets, each read as one column (a few regex passes).
    texts = [row.text for row in raw.rows]
    joined = joined_column(texts)  # (the texts joined once for both)
    deadlines = read_deadlines(texts, plan_start=plan_start, plan_end=plan_end, default_year=default_year, joined=joined)
    targets = read_target_dicts_many(texts, joined)
    # Each task's warnings in table order; a deadline column wins over the text's deadline. Only
    # the tasks that can have one are visited (most tasks of a large plan have none).
    for index in _tasks_to_check(raw.rows, texts, deadlines, period_, assigned.findings):
        row = raw.rows[index]
        if not row.text:
            report.add("warning", "empty_text", "任务内容为空", "the task text is empty", row=row.source_row, field="重点工作任务")
        deadline = deadlines[index]
        if row.deadline:
            deadline = deadlines[index] = _column_deadline(row, deadline, period_, default_year, report)
        if deadline.milestones or deadline.impossible:
            _check_milestones(deadline, row, period_, report)
        assigned.take(index, report)
    tasks = _task_frame(task_ids, raw.rows, texts, deadlines, targets, assigned, task_themes)
    assignments = assigned.assignments

    # The agency of each assignment as a code, in order of first appearance: factorized once, for
    # the agency table and for the warnings of agencies not in the registry.
    factorized = pd.factorize(assignments["agency"])
    agencies = _agency_table(assignments, registry, factorized)
    if registry_applies(region):  # another region's plan: one rule above, not a warning per agency
        _warn_unregistered(tasks, assignments, agencies, report, factorized)
    themes = _theme_table(tasks, task_themes)
    meta = PlanMeta(
        title=title, title_en=title_en, region=region, region_en=region_en,
        period_start=plan_start, period_end=plan_end, source=raw.file, notes=tuple(raw.notes),
        region_level=detected.level if detected else "", columns=raw.column_roles if record_columns else (),
    )
    return Plan(meta, tasks, assignments, agencies, themes, report, content_hash)


def _plan_period(raw: RawTable, title: str, report: ImportReport) -> tuple[dt.date, dt.date]:
    """The period the title states, else the span of the years the tasks name (said in the report)."""
    period = _parse_period(title)
    if period is not None:
        return period
    # Dates written with their year only: a year-less 年底前 says nothing of the period
    # (read with a stand-in year it would stretch the period back to that year).
    years = [m.date.year for row in raw.rows for m in read_milestones(row.text, default_year=raw.default_year)]
    year = max(years) if years else dt.date.today().year
    period = (dt.date(min(years) if years else year, 1, 1), dt.date(year, 12, 31))
    report.rule(
        f"标题中未写明规划期，按任务中的日期取 {period[0].year}–{period[1].year} 年。",
        f"The title states no plan period; {period[0].year}-{period[1].year} is taken from the task dates.",
    )
    return period


_YEAR_END_RE = re.compile(r"^(?:全年|年内|年底|本年度|当年|年度内)")


def _column_deadline(
    row: RawRow, in_text: Deadline, period: tuple[dt.date, dt.date], default_year: int | None, report: ImportReport
) -> Deadline:
    """The deadline column (完成时限), read like the task text: it wins over the text.

    A month without a year takes the plan's year (12月底前 in a 2016 plan → 2016-12-31);
    全年 / 年内 → that year's end; 长期 / 持续推进 / 常态化 → ongoing; 5月底前动工 is a dated
    milestone whose wording is kept. A different date in the text is a warning.
    """
    plan_start, plan_end = period
    year = default_year or plan_start.year
    column = read_deadline(row.deadline, plan_start=plan_start, plan_end=plan_end, default_year=year)
    if column.kind == DeadlineKind.EXPLICIT:
        column = Deadline(column.date, column.kind, column.precision, row.deadline, column.ongoing, column.milestones)
    elif _YEAR_END_RE.match(row.deadline.strip()):
        end = dt.date(year, 12, 31)
        column = Deadline(end, DeadlineKind.EXPLICIT.value, "year", row.deadline, False,
                          (Milestone(end, "year", row.deadline),))
    elif column.ongoing:
        column = Deadline(column.date, column.kind, None, row.deadline, True, ())
    else:
        return in_text
    if in_text.kind == DeadlineKind.EXPLICIT and in_text.date != column.date:
        report.add(
            "warning", "deadline_conflict",
            f"完成时限“{row.deadline}”与任务内容中的期限“{in_text.text}”不一致，以完成时限为准",
            f"the deadline column '{row.deadline}' differs from the deadline in the text '{in_text.text}'; "
            "the column is used",
            row=row.source_row, field="完成时限",
        )
    return column


def _check_milestones(deadline: Deadline, row: RawRow, period: tuple[dt.date, dt.date], report: ImportReport) -> None:
    """A warning for every dated milestone outside the plan period, and every date that does not exist."""
    plan_start, plan_end = period
    for written in deadline.impossible:
        report.add(
            "warning", "impossible_date",
            f"日期“{written}”不存在，未作为期限读取（期限取任务中的其他日期，没有则取规划期末）",
            f"the date '{written}' does not exist and was not read as a deadline (the task's other dates, "
            "or else the plan end, give its deadline)",
            row=row.source_row, field="重点工作任务",
        )
    for milestone in deadline.milestones:
        if not plan_start <= milestone.date <= plan_end:
            report.add(
                "warning", "deadline_outside_period",
                f"期限“{milestone.text}”在规划期 {plan_start.year}–{plan_end.year} 年之外",
                f"deadline '{milestone.text}' lies outside the plan period {plan_start.year}-{plan_end.year}",
                row=row.source_row, field="重点工作任务",
            )


def _tasks_to_check(
    rows: list[RawRow], texts: list[str], deadlines: list[Deadline], period: tuple[dt.date, dt.date],
    findings: dict[int, list[Finding]],
) -> list[int]:
    """The tasks, in order, that `build_plan`'s loop may give a warning or a new deadline: an
    empty text, a deadline column, a date that does not exist or a milestone outside `period`
    (what `_check_milestones` warns of), or warnings of its assignments. Found column by
    column: the milestones' dates in one flat list, each distinct date compared with `period` once."""
    plan_start, plan_end = period
    milestones = list(map(attrgetter("milestones"), deadlines))
    dates = list(map(attrgetter("date"), chain.from_iterable(milestones)))
    # (Each distinct date compared once: a plan names a few hundred dates in its tasks.)
    out_of_period = {date for date in set(dates) if not plan_start <= date <= plan_end}
    outside: list[int] = []
    if out_of_period:
        ends = list(accumulate(map(len, milestones)))
        outside = [bisect_right(ends, at) for at in compress(range(len(dates)), map(out_of_period.__contains__, dates))]
    return sorted({
        *findings, *outside,
        *compress(range(len(texts)), map(operator.not_, texts)),
        *compress(range(len(rows)), map(attrgetter("deadline"), rows)),
        *compress(range(len(deadlines)), map(attrgetter("impossible"), deadlines)),
    })


def _task_themes(task_ids: list[str], sections: list[str], task_themes: dict[str, tuple[str, str]]) -> list[str]:
    """Each task's theme: the one a themes file gives it, else its section heading's
    (`sections`: each task's row.section), else 未分组. Column by column: each distinct section
    read once (a plan has a few), then the tasks the themes file names."""
    of_section = {section: _section_theme(section) if section else UNGROUPED_THEME for section in dict.fromkeys(sections)}
    themes = list(map(of_section.__getitem__, sections))
    if task_themes:
        for index in compress(range(len(task_ids)), map(task_themes.__contains__, task_ids)):
            themes[index] = task_themes[task_ids[index]][0]
    return themes


class _ResolvedCell(NamedTuple):
    """A unit cell's mentions with their agencies, in order."""

    agencies: tuple[str, ...]
    labels: tuple[str, ...]  # as written
    etc: tuple[bool, ...]
    joined: str  # the agencies joined by 、
    agency_set: frozenset[str]
    plain: bool  # no agency named twice in the cell, no unit written with its role


def _resolved_cell(
    agencies: tuple[str, ...], labels: tuple[str, ...], etc: tuple[bool, ...], marked: bool
) -> _ResolvedCell:
    agency_set = frozenset(agencies)
    return _ResolvedCell(agencies, labels, etc, "、".join(agencies), agency_set, not marked and len(agency_set) == len(agencies))


class _CellColumn(NamedTuple):
    """Distinct unit cells read together (`_UnitCells.column`): cell k's mentions are the
    ``size[k]`` items of the flat lists from ``start[k]``, in order."""

    start: np.ndarray  # int64, per cell
    size: np.ndarray  # int64, per cell
    odd: np.ndarray  # bool, per cell: a task with this cell is never the common case (see `column`)
    joined: list[str]  # per cell: its agencies joined by 、
    agency: list[str]  # per mention: its agency
    label: list[str]  # per mention: as written
    etc: np.ndarray  # bool, per mention: the list is open-ended after it (等)
    codes: np.ndarray  # int64, per mention: its agency as a code (equal agencies, equal codes)
    distinct: list[str]  # the agencies by code (agency k has code k)
    label_codes: np.ndarray  # int64, per mention: its label as a code (equal labels, equal codes)
    labels: list[str]  # the labels by code (label k has code k)


class _UnitCells:
    """Unit cells split and labels resolved once per import: a plan repeats the same cells
    and names (a few agencies lead most tasks), and both results depend on the text alone."""

    def __init__(self, registry: AgencyRegistry) -> None:
        self._registry = registry
        self._split: dict[str, tuple[tuple[UnitMention, ...], bool]] = {}
        self._lead: dict[str, tuple[str, tuple[str, str] | None]] = {}
        self._resolved: dict[str, str] = {}
        self._resolved_cells: dict[str, _ResolvedCell] = {}

    def _entry(self, cell: str) -> tuple[tuple[UnitMention, ...], bool]:
        """The mentions of a unit cell, and whether one is written with its role (`_has_role_mark`)."""
        entry = self._split.get(cell)
        if entry is None:
            mentions = tuple(split_units(cell))
            entry = self._split[cell] = (mentions, any(_has_role_mark(m.label) for m in mentions))
        return entry

    def split(self, cell: str) -> list[UnitMention]:
        """`split_units` of a unit cell."""
        return list(self._entry(cell)[0])

    def marked(self, cell: str) -> bool:
        """Whether a mention of the unit cell is written with its role (省发改委牵头)."""
        return self._entry(cell)[1]

    def lead(self, cell: str) -> tuple[str, tuple[str, str] | None]:
        """A lead cell without its blanket note, and `read_unit_sentence` of that."""
        entry = self._lead.get(cell)
        if entry is None:
            entry = self._lead[cell] = lead_cell(cell)
        return entry

    def resolved(self, cell: str) -> _ResolvedCell:
        """The mentions of a unit cell, each with its agency (`column` reads most cells at once)."""
        entry = self._resolved_cells.get(cell)
        if entry is None:
            plain = plain_labels(cell)
            if plain is not None:  # split_units' common cell, without a mention object per label
                labels, etc = tuple(plain), (False,) * len(plain)
                # A label ending in a role mark ends in one of the marks' last characters.
                marked = not _ROLE_MARK_LAST.isdisjoint(cell) and any(_has_role_mark(label) for label in labels)
            else:
                mentions, marked = self._entry(cell)
                labels, etc = tuple(m.label for m in mentions), tuple(m.etc for m in mentions)
            entry = self._resolved_cells[cell] = _resolved_cell(tuple(map(self.resolve, labels)), labels, etc, marked)
        return entry

    def column(self, cells: list[str]) -> _CellColumn:
        """The mentions of distinct unit cells with their agencies, read together: what
        `resolved` gives each cell, as runs of flat lists (no tuple, set or record per cell).

        The lists of Chinese names are split in one pass (`unit_runs_of`: their labels as runs of
        one flat list, not a list per cell) and each distinct label is resolved once; any other
        cell (brackets, notes, roles, collectives …) is read by `resolved`, one cell at a time,
        its run after theirs. For a column of cells that are nearly all different (the
        supporting units of a large plan)."""
        runs = unit_runs_of(cells)
        odd = np.zeros(len(cells), dtype=bool)
        unread = np.ones(len(cells), dtype=bool)
        unread[runs.cells] = False
        for index in np.flatnonzero(unread).tolist():  # read one at a time, its run after the others
            cell = self.resolved(cells[index])
            runs.add(index, cell.labels, cell.etc)
            odd[index] = not cell.plain
        order, counts, flat, marked = runs
        # Each label as a code (a plan names a few thousand units in hundreds of thousands of
        # mentions): what a label gives (its agency, a role mark) is found once per distinct label
        # and gathered by the codes.
        labels = list(dict.fromkeys(flat))
        label_code = dict(zip(labels, range(len(labels))))
        label_codes = np.fromiter(map(label_code.__getitem__, flat), dtype=np.int64, count=len(flat))
        resolved = self._resolved
        resolve = self._registry.resolve
        for label in labels:
            if label not in resolved:
                resolved[label] = resolve(label)
        label_agencies = list(map(resolved.__getitem__, labels))
        agencies: list[str] = np.array(label_agencies, dtype=object)[label_codes].tolist()
        ends = list(accumulate(counts))  # of each run, in `order`
        starts = [0, *ends[:-1]]
        etc = np.zeros(len(flat), dtype=bool)
        etc[marked] = True
        # A cell whose task is never the common case: one read alone that is not plain (above),
        # or one with a label written with its role (配合, 按职责 … at its end, or before a line
        # break inside it: a label read alone may hold one, which can only make its cell odd when
        # it need not be: its tasks are then read by `_assign_units`, which gives what the common
        # case would). (An agency named twice is found per task.)
        role_marked = np.array([_ROLE_MARK_AT_END_RE.search(label) is not None for label in labels], dtype=bool)
        hits = np.flatnonzero(role_marked[label_codes])  # the mentions written with their role
        if len(hits):
            odd[np.array(order, dtype=np.int64)[np.searchsorted(ends, hits, side="right")]] = True
        # Each agency as a code (equal agencies, equal codes), through its labels'.
        distinct = list(dict.fromkeys(label_agencies))
        agency_code = dict(zip(distinct, range(len(distinct))))
        codes = np.array(list(map(agency_code.__getitem__, label_agencies)), dtype=np.int64)[label_codes]
        # The runs are in `order`: each cell's start, size and joined agencies put in the cells' order.
        start = np.empty(len(cells), dtype=np.int64)
        size = np.empty(len(cells), dtype=np.int64)
        start[order] = starts
        size[order] = counts
        joined = np.empty(len(cells), dtype=object)
        joined[order] = np.array(list(map("、".join, map(agencies.__getitem__, map(slice, starts, ends)))), dtype=object)
        return _CellColumn(start, size, odd, joined.tolist(), agencies, flat, etc, codes, distinct, label_codes, labels)

    def resolve(self, label: str) -> str:
        """The registry's agency for a unit label."""
        agency = self._resolved.get(label)
        if agency is None:
            agency = self._resolved[label] = self._registry.resolve(label)
        return agency


def _frame(columns: dict[str, list[object]], names: list[str]) -> pd.DataFrame:
    """A frame of `columns` (lists of equal length) in the order of `names`."""
    if not columns[names[0]]:
        return pd.DataFrame.from_records([], columns=names)  # no rows: every column of object dtype
    return pd.DataFrame({name: inferred_column(columns[name]) for name in names}, columns=names)


class _AssignmentColumns:
    """The columns of `Plan.assignments`, one list each (see `_TaskColumns`)."""

    def __init__(self) -> None:
        self.task_id: list[str] = []
        self.agency: list[str] = []
        self.role: list[str] = []
        self.position: list[int] = []
        self.as_written: list[str] = []
        self.etc: list[bool] = []

    def append(self, task_id: str, agency: str, role: str, position: int, as_written: str, etc: bool) -> None:
        self.task_id.append(task_id)
        self.agency.append(agency)
        self.role.append(role)
        self.position.append(position)
        self.as_written.append(as_written)
        self.etc.append(etc)

    def frame(self) -> pd.DataFrame:
        columns: dict[str, list[object]] = {
            "task_id": self.task_id, "agency": self.agency, "role": self.role,  # type: ignore[dict-item]
            "position": self.position, "as_written": self.as_written, "etc": self.etc,  # type: ignore[dict-item]
        }
        frame = _frame(columns, ASSIGNMENT_COLUMNS)
        frame["position"] = frame["position"].astype(int)
        frame["etc"] = frame["etc"].astype(bool)
        return frame


class _Assigned(NamedTuple):
    """The assignments of every task (`_assign_all`), handed to `build_plan`'s loop task by task."""

    lead_text: list[str]
    support_text: list[str]
    findings: dict[int, list[Finding]]  # task index → the warnings `_assign_units` gives it
    assignments: pd.DataFrame  # `Plan.assignments`

    def take(self, index: int, report: ImportReport) -> tuple[str, str]:
        """The task's lead and support agencies joined by 、, its warnings added to `report` (in
        the place `_assign_units` would add them: after the task's other warnings)."""
        pending = self.findings.get(index)
        if pending:
            report.findings.extend(pending)
        return self.lead_text[index], self.support_text[index]


def _assign_all(
    task_ids: list[str], rows: list[RawRow], units: _UnitCells, single_responsible_column: bool, file: str,
) -> _Assigned:
    """`_assign_units` of every task, column by column: the frame of what it appends for each
    task in turn, its lead and support texts and its warnings, by task.

    The common task (its lead cell not a sentence unless a support cell is written, no agency
    named twice in it, no unit written with its role, not a single 责任单位 column) takes its
    two cells' mentions in order, the lead cell's as lead, the support cell's as support, each
    numbered from 1 in its cell (`_assignment_frame`). Every other task is read by
    `_assign_units` itself; its assignments stand in for its lead cell's, its support cell empty.
    """
    count = len(rows)
    lead_written = [row.lead for row in rows]
    supports = [row.support for row in rows]
    leads_of = {cell: units.lead(cell) for cell in dict.fromkeys(lead_written)}
    lead_entries = list(map(leads_of.__getitem__, lead_written))  # (cell without notes, sentence)
    lead_cells = [cell for cell, _ in lead_entries]
    if single_responsible_column:  # every task read alone: no cell of its own
        lead_cells = supports = [""] * count
    names = list(dict.fromkeys(chain(lead_cells, supports, [""])))  # distinct cells, as written
    column = units.column(names)
    number = dict(zip(names, range(len(names))))
    lead_ids = np.fromiter(map(number.__getitem__, lead_cells), dtype=np.int64, count=count)
    support_ids = np.fromiter(map(number.__getitem__, supports), dtype=np.int64, count=count)
    mentions = _cell_rows(column.start, column.size, lead_ids, support_ids)
    if single_responsible_column:
        own = list(range(count))
    else:
        # Tasks that are not the common case: a cell that never is, an agency in two of the
        # task's mentions (the same code twice among its rows: one sort of them all).
        row_slot, _, mention = mentions
        codes = column.codes[mention]
        span = int(codes.max(initial=0)) + 1
        keys = np.sort(row_slot // 2 * span + codes)
        odd = column.odd[lead_ids] | column.odd[support_ids]
        odd[keys[1:][keys[1:] == keys[:-1]] // span] = True
        # A lead cell written as a sentence, without a support cell: read by _assign_units too.
        sentences = [index for index, (_, sentence) in enumerate(lead_entries) if sentence is not None]
        own = sorted({*np.flatnonzero(odd).tolist(), *(index for index in sentences if not supports[index])})
    lead_text: list[str] = list(map(column.joined.__getitem__, lead_ids.tolist()))
    support_text: list[str] = list(map(column.joined.__getitem__, support_ids.tolist()))
    findings: dict[int, list[Finding]] = {}
    if not single_responsible_column:
        for index in np.flatnonzero(column.size[lead_ids] == 0).tolist():
            report = ImportReport(file=file)
            report.add("warning", "empty_lead", "牵头单位为空", "the lead agency is empty",
                       row=rows[index].source_row, field="牵头单位")
            findings[index] = report.findings
    alone: dict[int, _AssignmentColumns] = {}
    for index in own:
        alone[index] = task_columns = _AssignmentColumns()
        report = ImportReport(file=file)
        lead_text[index], support_text[index] = _assign_units(
            task_ids[index], rows[index], units, single_responsible_column, task_columns, report,
        )
        findings[index] = report.findings
    frame = _assignment_frame(task_ids, column, lead_ids, support_ids, number[""], mentions, alone)
    return _Assigned(lead_text, support_text, findings, frame)


_CellRows = tuple[np.ndarray, np.ndarray, np.ndarray]  # each row's slot, place in its cell, mention


def _cell_rows(start: np.ndarray, size: np.ndarray, lead_ids: np.ndarray, support_ids: np.ndarray) -> _CellRows:
    """The rows of every task's two cells, one after the other (cell k: ``size[k]`` mentions from
    ``start[k]``; each task's lead cell and support cell by id): for each row its slot (2 × task,
    + 1 for the support cell), its place in its cell (0, 1, …) and its mention."""
    slot_start = np.stack([start[lead_ids], start[support_ids]], axis=1).ravel()
    slot_size = np.stack([size[lead_ids], size[support_ids]], axis=1).ravel()
    rows = int(slot_size.sum())
    row_slot = np.repeat(np.arange(len(slot_size)), slot_size)
    within = np.arange(rows) - np.repeat(np.cumsum(slot_size) - slot_size, slot_size)
    return row_slot, within, slot_start[row_slot] + within


def _assignment_frame(
    task_ids: list[str], column: _CellColumn, lead_ids: np.ndarray, support_ids: np.ndarray, empty: int,
    mentions: _CellRows, alone: dict[int, _AssignmentColumns],
) -> pd.DataFrame:
    """`Plan.assignments`: for each task in turn, its lead cell's mentions (role lead), then its
    support cell's (role support), each numbered from 1 in its cell; a task read alone
    (`alone`: its own columns) in place of both. `column`: the distinct cells (`_UnitCells.column`),
    each task's by id; `empty`: the id of the empty cell; `mentions`: `_cell_rows` of them.

    Made without a Python step per row: each column is a gather from the flat lists of the
    cells' mentions by one index array (numpy), the text columns taken by Arrow from the
    distinct texts.
    """
    flat_etc = column.etc
    distinct, flat_codes = column.distinct, column.codes  # (the agency column: gathered by codes)
    labels, label_codes = column.labels, column.label_codes  # (and the labels as written: by theirs)
    own_from = len(column.agency)  # where the mentions of the tasks read alone start
    flat_role: list[str] = []  # the roles of the tasks read alone, after the cells' mentions
    flat_position: list[int] = []
    if alone:  # each task read alone: one more cell of its own, its support cell the empty one
        reads = list(alone.values())
        own_size = np.array([len(read.agency) for read in reads], dtype=np.int64)
        lead_ids, support_ids = lead_ids.copy(), support_ids.copy()
        lead_ids[list(alone)] = len(column.size) + np.arange(len(reads))
        support_ids[list(alone)] = empty
        start = np.concatenate([column.start, own_from + np.cumsum(own_size) - own_size])
        size = np.concatenate([column.size, own_size])
        # The agencies and labels of the tasks read alone, coded after the cells' mentions.
        distinct, flat_codes = _coded_after(distinct, flat_codes, list(chain.from_iterable(read.agency for read in reads)))
        labels, label_codes = _coded_after(labels, label_codes, list(chain.from_iterable(read.as_written for read in reads)))
        flat_etc = np.concatenate([flat_etc, np.array(list(chain.from_iterable(read.etc for read in reads)), dtype=bool)])
        flat_role = list(chain.from_iterable(read.role for read in reads))
        flat_position = list(chain.from_iterable(read.position for read in reads))
        mentions = _cell_rows(start, size, lead_ids, support_ids)
    row_slot, within, mention = mentions
    if not len(mention):
        return _AssignmentColumns().frame()
    # A cell's mentions are numbered from 1 and take the role of the cell's place; a task read
    # alone gives its own (its mentions lie at the end of the flat lists).
    position = within + 1
    role = (row_slot % 2).astype(np.int8)  # 0 lead, 1 support
    own_rows = mention >= own_from
    if own_rows.any():
        own_mention = mention[own_rows] - own_from
        position[own_rows] = np.array(flat_position, dtype=np.int64)[own_mention]
        role[own_rows] = (np.array(flat_role, dtype=object)[own_mention] == _SUPPORT).astype(np.int8)
    columns: dict[str, Any] = {
        "task_id": gathered_text(task_ids, row_slot // 2),
        # (from the distinct agencies and labels by code: a few thousand strings encoded, not one per mention)
        "agency": gathered_text(distinct, flat_codes[mention]),
        "role": gathered_text([_LEAD, _SUPPORT], role),
        "as_written": gathered_text(labels, label_codes[mention]),
    }
    columns["position"] = position
    columns["etc"] = flat_etc[mention]
    return pd.DataFrame(columns, columns=ASSIGNMENT_COLUMNS)


def _coded_after(values: list[str], codes: np.ndarray, more: list[str]) -> tuple[list[str], np.ndarray]:
    """`values` (the distinct values, value k with code k) and `codes` with the values `more`
    coded after them: a value seen before keeps its code, a new one takes the next."""
    code_of = dict(zip(values, range(len(values))))
    for value in more:
        code_of.setdefault(value, len(code_of))
    return list(code_of), np.concatenate([codes, np.fromiter(map(code_of.__getitem__, more), dtype=np.int64, count=len(more))])


def _assign_units(
    task_id: str,
    row: RawRow,
    units: _UnitCells,
    single_responsible_column: bool,
    columns: _AssignmentColumns,
    report: ImportReport,
) -> tuple[str, str]:
    """Append the task's assignments to `columns`; return its lead and support agencies, each
    joined by 、 (the `lead_text` and `support_text` of the task).

    An agency named twice in one task keeps its first role (one warning per agency and task).
    With a single 责任单位 column, its first unit leads and the others support.
    """
    lead_cell, sentence = units.lead(row.lead)
    if row.support:
        sentence = None
    labels: dict[Role, list[str]] = {Role.LEAD: [], Role.SUPPORT: []}
    assigned: dict[str, Role] = {}
    if sentence is not None and sentence[1]:  # X牵头，Y配合: the cell names both roles
        cells = (sentence[0], sentence[1])
        mentions = {Role.LEAD: units.split(sentence[0]), Role.SUPPORT: units.split(sentence[1])}
    else:
        if sentence is not None:
            lead_cell = sentence[0]
        cells = (lead_cell, row.support)
        mentions = {Role.LEAD: units.split(lead_cell), Role.SUPPORT: units.split(row.support)}
        if single_responsible_column or (sentence is not None and not row.support):
            mentions = {Role.LEAD: mentions[Role.LEAD][:1], Role.SUPPORT: mentions[Role.LEAD][1:] + mentions[Role.SUPPORT]}
    if units.marked(cells[0]) or units.marked(cells[1]):  # the mentions above are those of these cells
        mentions = _marked_roles(mentions)
    repeated: dict[str, tuple[int, Role]] = {}  # agency → (extra mentions, role of the first extra)
    for role in Role:
        for position, mention in enumerate(mentions[role], start=1):
            agency = units.resolve(mention.label)
            if agency in assigned:
                count, first_role = repeated.get(agency, (0, role))
                repeated[agency] = (count + 1, first_role)
                continue
            assigned[agency] = role
            labels[role].append(agency)
            columns.append(task_id, agency, role.value, position, mention.label, mention.etc)
    for agency, (count, role) in repeated.items():
        times_zh = "重复出现" if count == 1 else f"重复出现 {count + 1} 次"
        times_en = "twice" if count == 1 else f"{count + 1} times"
        kept = assigned[agency]
        report.add(
            "warning", "repeated_agency",
            f"单位“{agency}”在该任务中{times_zh}，保留为{'牵头' if kept == Role.LEAD else '配合'}单位",
            f"agency '{agency}' appears {times_en} in this task; kept as {kept.value}",
            row=row.source_row, field="牵头单位" if role == Role.LEAD else "配合单位",
        )
    if not labels[Role.LEAD]:
        report.add("warning", "empty_lead", "牵头单位为空", "the lead agency is empty", row=row.source_row, field="牵头单位")
    return "、".join(labels[Role.LEAD]), "、".join(labels[Role.SUPPORT])


_LEAD_MARK_RE = re.compile(r"(?:牵头(?:负责)?|负总责)$")
_SUPPORT_MARK_RE = re.compile(r"(?:配合|参与|协助|协同|按职责(?:分工)?(?:负责|落实)?)$")
# Every ending the two patterns above match, for one cheap test of a whole task's labels.
_ROLE_MARK_ENDS = (
    "牵头", "牵头负责", "负总责", "配合", "参与", "协助", "协同",
    "按职责", "按职责分工", "按职责负责", "按职责落实", "按职责分工负责", "按职责分工落实",
)


_ROLE_MARK_LAST = frozenset(end[-1] for end in _ROLE_MARK_ENDS)
# A role mark at the end of a label, in labels joined by line breaks.
_ROLE_MARK_AT_END_RE = re.compile("(?:" + "|".join(map(re.escape, _ROLE_MARK_ENDS)) + r")(?=\n|\Z)")
_LEAD, _SUPPORT = Role.LEAD.value, Role.SUPPORT.value


def _has_role_mark(label: str) -> bool:
    """Whether _LEAD_MARK_RE or _SUPPORT_MARK_RE finds a mark (their $ also matches before a final newline)."""
    return label.endswith(_ROLE_MARK_ENDS) or (label.endswith("\n") and label[:-1].endswith(_ROLE_MARK_ENDS))


def _marked_roles(mentions: dict[Role, list[UnitMention]]) -> dict[Role, list[UnitMention]]:
    """Units written with their role in the list (省发展改革委牵头，各地、各部门配合): the
    marked unit leads, the words are not part of any name."""
    if not any(_has_role_mark(m.label) for ms in mentions.values() for m in ms):
        return mentions
    marked: dict[Role, list[UnitMention]] = {Role.LEAD: [], Role.SUPPORT: []}
    for role, items in mentions.items():
        for m in items:
            if _LEAD_MARK_RE.search(m.label) and _LEAD_MARK_RE.sub("", m.label):
                marked[Role.LEAD].append(UnitMention(_LEAD_MARK_RE.sub("", m.label), m.etc))
            elif _SUPPORT_MARK_RE.search(m.label) and _SUPPORT_MARK_RE.sub("", m.label):
                marked[Role.SUPPORT].append(UnitMention(_SUPPORT_MARK_RE.sub("", m.label), m.etc))
            else:
                marked[role].append(m)
    return marked


def _task_frame(
    task_ids: list[str], rows: list[RawRow], texts: list[str], deadlines: list[Deadline],
    targets: list[list[dict[str, object]]], assigned: _Assigned, task_themes: dict[str, tuple[str, str]],
) -> pd.DataFrame:
    """`Plan.tasks`, each column made from the tasks' lists at once (no row per task)."""
    sections = [row.section for row in rows]
    columns: dict[str, list[Any]] = {
        "task_id": task_ids,
        "seq": list(range(1, len(rows) + 1)),
        "number": [row.number for row in rows],
        "text": texts,
        "section": sections,
        "theme": _task_themes(task_ids, sections, task_themes),
        "deadline": [deadline.date for deadline in deadlines],  # made datetime64 once below
        "deadline_kind": [deadline.kind for deadline in deadlines],
        "deadline_precision": [deadline.precision or "" for deadline in deadlines],
        "deadline_text": [deadline.text for deadline in deadlines],
        "ongoing": [deadline.ongoing for deadline in deadlines],
        "milestones": _milestone_dicts(deadlines),
        "targets": targets,
        "lead_text": assigned.lead_text,
        "support_text": assigned.support_text,
        "leaders": [[normalise_person(name) for name in row.leaders] if row.leaders else [] for row in rows],
        "source_row": [row.source_row for row in rows],
        "subthemes": [list(row.subthemes) for row in rows],
        "extra": [[list(pair) for pair in row.extra] if row.extra else [] for row in rows],
    }
    tasks = _frame(columns, TASK_COLUMNS)
    tasks["deadline"] = pd.to_datetime(tasks["deadline"])
    return tasks


def _milestone_dicts(deadlines: list[Deadline]) -> list[list[dict[str, str]]]:
    """Each deadline's milestones as ``{"date": ISO date, "precision", "text"}``, made from one
    flat list of every milestone (each distinct date written once) and cut by deadline."""
    per_deadline = list(map(attrgetter("milestones"), deadlines))
    ends = list(accumulate(map(len, per_deadline)))
    flat = list(chain.from_iterable(per_deadline))
    iso = {date: date.isoformat() for date in set(map(attrgetter("date"), flat))}
    dicts = [{"date": iso[m.date], "precision": m.precision, "text": m.text} for m in flat]
    return list(map(dicts.__getitem__, map(slice, [0, *ends[:-1]], ends)))


def first_appearances(codes: np.ndarray) -> np.ndarray:
    """Where each code first occurs, for codes numbered in order of first appearance (0, 1, 2, …
    as `pd.factorize` gives them; -1, a missing value, is no code): code k first occurs where the
    running maximum of the codes first reaches k. One pass, not a sort (``np.unique``)."""
    if not len(codes):
        return np.zeros(0, dtype=np.intp)
    running = np.maximum.accumulate(codes)
    return np.flatnonzero(np.diff(running, prepend=-1) > 0)


def _warn_unregistered(
    tasks: pd.DataFrame, assignments: pd.DataFrame, agencies: pd.DataFrame, report: ImportReport,
    factorized: tuple[np.ndarray, Any],
) -> None:
    """A warning, at the row of its first task, for every agency the registry does not know.

    ``factorized``: ``pd.factorize(assignments["agency"])``, as `build_plan` has it for the agency table."""
    unregistered = ~agencies["registered"] & (agencies["type"] != AgencyType.COLLECTIVE)
    names = agencies.loc[unregistered, "agency"].tolist()
    if not names:
        return
    # Each agency's first assignment found once (factorize: codes in order of first appearance),
    # and the rows of those tasks only (not one scan of the table, nor a dict of every task, per agency).
    codes, uniques = factorized
    first = first_appearances(codes)
    # (Those rows' task ids taken from the column: to_numpy would make a Python string of every row's.)
    first_task = dict(zip(uniques.tolist(), assignments["task_id"].take(first).tolist(), strict=True))
    positions = pd.Index(tasks["task_id"]).get_indexer([first_task[agency] for agency in names])
    rows = tasks["source_row"].to_numpy()[positions].tolist()
    for agency, row_number in zip(names, rows, strict=True):
        report.add(
            "warning", "unknown_agency",
            f"单位“{agency}”不在单位名录（data/agencies.csv）中",
            f"agency '{agency}' is not in the agency registry (data/agencies.csv)",
            row=int(row_number), field="单位",
        )


def _agency_table(
    assignments: pd.DataFrame, registry: AgencyRegistry, factorized: tuple[np.ndarray, Any] | None = None,
) -> pd.DataFrame:
    """Agencies in order of first appearance, with registry names, type and task counts.

    ``factorized``: ``pd.factorize(assignments["agency"])`` when the caller has it (`build_plan`)."""
    # Codes in order of first appearance; the counts of each role by one bincount each.
    codes, uniques = factorized if factorized is not None else pd.factorize(assignments["agency"])
    order = uniques.tolist()  # a list: iterating Arrow strings is slow
    described = registry.describe(order).set_index("agency")
    frame = described.reindex(order)
    roles = assignments["role"]
    for role in (_LEAD, _SUPPORT):
        frame[role] = np.bincount(codes[(roles == role).to_numpy(dtype=bool)], minlength=len(order))
    frame[["lead", "support"]] = frame[["lead", "support"]].astype(int)
    frame["tasks"] = frame["lead"] + frame["support"]
    # describe's type of a label as written (stripped) is type_of it: asked once per agency
    types = dict(zip(described.index.tolist(), described["type"].tolist(), strict=True))
    frame["type"] = [types[a] if a in types else registry.type_of(a) for a in order]
    frame = frame.reset_index().rename(columns={"index": "agency"})
    frame["type"] = pd.Categorical(frame["type"], categories=list(AGENCY_TYPES))
    return frame[AGENCY_COLUMNS]


def _theme_table(tasks: pd.DataFrame, task_themes: dict[str, tuple[str, str]]) -> pd.DataFrame:
    english = {zh: en for zh, en in task_themes.values()}
    english.setdefault(UNGROUPED_THEME, "Ungrouped")
    # In order of first appearance, found in the column (tolist would make a string of every task's).
    keys = tasks["theme"].unique().tolist()
    return pd.DataFrame({
        "theme": keys,
        "label_zh": keys,
        "label_en": [english.get(k, k) for k in keys],
        "order": range(len(keys)),
    })


# ------------------------------------------------------------------------------ loading


def json_task_id(task_id: str) -> int | str:
    """A task id as scripts expect it in JSON: a number where the table wrote a plain number."""
    return int(task_id) if task_id.isascii() and task_id.isdigit() and len(task_id) <= 18 else task_id


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_gc_lock = threading.Lock()
_gc_pauses = 0  # blocks inside gc_paused now, in every thread
_gc_was_enabled = False  # whether the collector was on when the first of them began


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for the block (re-enabled after it if it was on).

    For work that creates many objects and drops few (the import; ``summary --json`` too). An
    import creates a few objects per cell, date and target and frees almost none: every
    collection then walks all of them again, about a tenth of a 100 000-task import. Reference
    counting still frees what the import drops; the few cycles pandas makes wait for the next
    collection after the block.

    The collector is one per process and an app server imports in several threads at once: the
    pauses are counted, and the collector comes back (if it was on before the first) when the
    last block ends, whatever order they end in.

    What the blocks made then joins the oldest generation at once (``gc.freeze()`` and
    ``gc.unfreeze()``: two list splices, no walk). Left young, the first allocation after the
    block would start a young collection that walks all of it (about 600 000 containers and 0.07
    CPU s after a 100 000-task import), and the next generation's collection would walk it again.
    Not done when something is frozen (by the CLI, or anyone else): ``unfreeze`` would thaw it.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                if not gc.get_freeze_count():
                    gc.freeze()  # every tracked object to the permanent generation,
                    gc.unfreeze()  # and from there to the oldest
                gc.enable()


def plan_from_bytes(
    data: bytes, file: str, *, registry: AgencyRegistry | None = None, columns: dict[str, str] | None = None
) -> Plan:
    """Import an uploaded or given file. Raises PlanImportError on unusable input.

    ``columns`` maps headers as written to role codes (the confirmed column mapping);
    columns it does not name keep their inferred role.
    """
    with gc_paused():
        raw = read_table(data, file, columns)
        plan = build_plan(raw, registry=registry, content_hash=content_hash(data))
    plan.report.raise_if_errors()
    return plan


def plan_with_columns(data: bytes, file: str, columns: dict[str, str]) -> Plan:
    """`plan_from_bytes` with a confirmed column mapping (module-level: run in the worker)."""
    return plan_from_bytes(data, file, columns=columns)


def load_plan_dir(directory: Path, *, registry: AgencyRegistry | None = None) -> Plan:
    """A plan folder: plan.json (metadata), the table file it names, optional themes.csv.

    A damaged plan.json or themes file is an import error naming the file, not a traceback.
    """
    try:
        meta = json.loads((directory / "plan.json").read_text(encoding="utf-8"))
        table_path = directory / meta["table"]
        start, end = (dt.date.fromisoformat(d) for d in meta["period"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise import_error(
            "plan_json",
            f"plan.json 无法读取或缺少字段（{type(exc).__name__}: {exc}）：需要 table 和 period（两个 YYYY-MM-DD 日期）",
            f"plan.json is unreadable or lacks a field ({type(exc).__name__}: {exc}): table and period "
            "(two YYYY-MM-DD dates) are required",
            file=str(directory / "plan.json"),
        ) from None
    data = read_file_bytes(table_path)
    with gc_paused():
        raw = read_table(data, table_path.name)
    try:
        themes = _read_themes(directory / meta["themes"]) if meta.get("themes") else {}
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise import_error(
            "themes_unreadable", f"主题文件无法读取（{type(exc).__name__}）",
            f"the themes file cannot be read ({type(exc).__name__})", file=str(meta.get("themes")),
        ) from None
    with gc_paused():
        return build_plan(
            raw,
            registry=registry,
            title=meta.get("title", ""),
            title_en=meta.get("title_en", ""),
            region=meta.get("region", ""),
            region_en=meta.get("region_en", ""),
            period=(start, end),
            task_themes=themes,
            record_columns=False,  # a plan folder's table is read as its plan.json says, no mapping to show
            content_hash=content_hash(data + (directory / meta["themes"]).read_bytes() if meta.get("themes") else data),
        )


def load_bundled_plan(registry: AgencyRegistry | None = None) -> Plan:
    return load_plan_dir(BUNDLED_PLAN_DIR, registry=registry)


def load_plan(
    path: Path | str | None = None, *, registry: AgencyRegistry | None = None, columns: dict[str, str] | None = None
) -> Plan:
    """The bundled plan (no path), a plan folder, or a table file (read with ``columns``, if given)."""
    if path is None and not columns:
        return load_bundled_plan(registry)
    if path is None:
        path = BUNDLED_PLAN_DIR / json.loads((BUNDLED_PLAN_DIR / "plan.json").read_text(encoding="utf-8"))["table"]
    path = Path(path)
    if path.is_dir() and (path / "plan.json").exists():
        return load_plan_dir(path, registry=registry)
    return plan_from_bytes(read_file_bytes(path), path.name, registry=registry, columns=columns)
