"""Progress read from a plan table that carries a 进展情况 / 完成情况 column.

Offices often keep the division table itself as the progress record: one more column,
进展情况 (or 完成情况, 推进情况, 落实情况 — the reader's ``progress`` column role), written
by hand each month. ``read_progress_table`` reads such a table (any format the plan reader
takes: .xlsx, .csv, .docx, .txt …) as progress reports of the workspace's plan, with the same
result type as the agencies' forms (``analysis.progress_forms.FormImport``), so the preview,
the confirmation and the save are the forms' own. ``read_progress_files`` takes a mix of
forms and tables (``progress import`` and the app's upload).

Which task a row speaks for
    A row is matched to the plan's task by its text (white space ignored, as the forms'
    fingerprints do), so a table numbered differently from the plan still matches; a row whose
    text is no task of the plan is refused by row (its number and text named). Two rows of
    one task are refused on the second. A row with an empty progress cell is skipped and counted.

The status read from the text (``infer_status``; shown in the preview, rule by rule)
    The first rule that matches decides, in this order:

    1. the cell is a status as the forms write it (未启动, 推进中, 已完成, 滞后, 暂缓, or English);
    2. 暂缓 / 暂停 / 中止 / 搁置 → suspended;
    3. 滞后 / 延期 / 逾期 / 未按期 / 进度落后 / 进展缓慢 → delayed;
    4. 未启动 / 尚未启动 / 未开展 / 未开工 → not started;
    5. work still going on — 推进中 / 正在 / 进行中 / 有序推进 / 加快推进 / 基本完成 / 部分完成 /
       未完成 … → in progress (so "已完成系统开发，正在测试" is in progress, not done);
    6. 已完成 / 全部完成 / 如期完成 / 已建成 / 已印发 … or the text 完成 itself → done, unless
       a percent below 100 is written (已完成60% → in progress);
    7. a percent alone: 100% → done, 0% → not started, anything between → in progress;
    8. anything else (a note without one of these words) → **in progress, marked unclear**: a
       progress note was written, so work is reported; the preview lists these rows apart and
       says so, for the office to correct the cell or the saved report before confirming.

    The percent is the first ``N%`` (0–100) in the text, if any. The whole cell is kept as the
    report's note. The reporting agency is the task's first lead agency; the date is the
    import's default date (the meeting date in the app, ``--date`` or today on the command line).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from analysis.findings import PlanImportError
from analysis.model import Plan
from analysis.progress_forms import (
    META_SHEET,
    FormError,
    FormImport,
    FormInfo,
    ProgressReport,
    SkippedRow,
    fingerprint,
    parse_status,
    read_forms,
)
from analysis.vocab import Bilingual, Lang, ProgressStatus, Role

#: The progress column's role code (``analysis.io.headers.ColumnRole.PROGRESS``).
PROGRESS_ROLE: Final = "progress"
PROGRESS_FIELD: Final = Bilingual("进展情况", "progress")
TASK_FIELD: Final = Bilingual("重点工作任务", "task")

_RULES: Final[tuple[tuple[ProgressStatus, str, Bilingual], ...]] = (
    (ProgressStatus.SUSPENDED, r"暂缓|暂停|中止|搁置", Bilingual("写有“{cue}”", "says '{cue}'")),
    (
        ProgressStatus.DELAYED, r"滞后|延期|延迟|逾期|未按期|未能按期|进度落后|进展缓慢|推进缓慢",
        Bilingual("写有“{cue}”", "says '{cue}'"),
    ),
    (ProgressStatus.NOT_STARTED, r"未启动|未开展|未开工|未实施", Bilingual("写有“{cue}”", "says '{cue}'")),
    (
        ProgressStatus.IN_PROGRESS,
        r"推进中|正在|进行中|实施中|建设中|开展中|有序推进|稳步推进|持续推进|加快推进|积极推进|基本完成|部分完成|"
        r"未完成|尚未完成|没有完成|已启动",
        Bilingual("写有“{cue}”（工作仍在进行）", "says '{cue}' (work still going on)"),
    ),
    (
        ProgressStatus.DONE,
        r"已完成|已全部完成|全部完成|全面完成|如期完成|按期完成|提前完成|已建成|已办结|已落实|已出台|已印发|已发布|^完成[。.]?$",
        Bilingual("写有“{cue}”", "says '{cue}'"),
    ),
)
_COMPILED: Final = tuple((status, re.compile(pattern), why) for status, pattern, why in _RULES)
_PERCENT_RE: Final = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")


@dataclass(frozen=True)
class StatusReading:
    """How a progress text was read: the status, the percent found, why, and whether it was a guess."""

    status: ProgressStatus
    percent: int | None
    reason: Bilingual
    unclear: bool = False


def _percent_in(text: str) -> int | None:
    for match in _PERCENT_RE.finditer(text):
        number = float(match[1])
        if 0 <= number <= 100 and number.is_integer():
            return int(number)
    return None


def infer_status(text: str) -> StatusReading | None:
    """The status a progress note reports (rules in the module's docstring); None for an empty cell."""
    squeezed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not squeezed:
        return None
    percent = _percent_in(squeezed)
    exact = parse_status(squeezed.rstrip("。.;；"))
    if exact is not None:
        return StatusReading(exact, percent, Bilingual("状态名称", "a status name"))
    for status, pattern, why in _COMPILED:
        match = pattern.search(squeezed)
        if match is None:
            continue
        cue = match[0]
        if status == ProgressStatus.DONE and percent is not None and percent < 100:
            return StatusReading(
                ProgressStatus.IN_PROGRESS, percent,
                Bilingual(f"写有“{cue}”，但仅 {percent}%", f"says '{cue}' but only {percent}%"),
            )
        return StatusReading(status, percent, Bilingual(why.zh.format(cue=cue), why.en.format(cue=cue)))
    if percent is not None:
        status = (
            ProgressStatus.DONE if percent == 100 else ProgressStatus.NOT_STARTED if percent == 0
            else ProgressStatus.IN_PROGRESS
        )
        return StatusReading(status, percent, Bilingual(f"完成百分比 {percent}%", f"{percent}% done"))
    return StatusReading(
        ProgressStatus.IN_PROGRESS, None,
        Bilingual("无法判断，按推进中", "unclear: read as in progress"), unclear=True,
    )


@dataclass(frozen=True)
class TableReading:
    """One row of a progress table as read: where it is, its task and how its status was read."""

    file: str
    row: int
    task_id: str
    text: str
    reading: StatusReading


@dataclass(frozen=True)
class ProgressImport:
    """Forms and tables read together: the reports (``result``, as from forms) and how each
    table row's status was read (``readings``; empty for forms)."""

    result: FormImport
    readings: tuple[TableReading, ...] = ()

    @property
    def unclear(self) -> tuple[TableReading, ...]:
        return tuple(r for r in self.readings if r.reading.unclear)


Parse = Callable[[bytes, str], "Plan | PlanImportError"]


def _parse(data: bytes, name: str) -> Plan | PlanImportError:
    from analysis.model import plan_from_bytes

    try:
        return plan_from_bytes(data, name)
    except PlanImportError as exc:
        return exc


def _file_error(name: str, code: str, zh: str, en: str) -> FormError:
    return FormError(name, code, Bilingual(zh, en))


def _row_error(name: str, code: str, zh: str, en: str, row: int, field: Bilingual) -> FormError:
    return FormError(name, code, Bilingual(zh, en), row, field)


def _progress_headers(table: Plan) -> set[str]:
    """The headers (as the reader records them in a task's ``extra``) of the table's progress columns."""
    from analysis.io.headers import COLUMN_NAMES, ColumnRole

    return {header or COLUMN_NAMES[ColumnRole.PROGRESS].zh for header, role in table.meta.columns
            if role == PROGRESS_ROLE}


def _first_leads(plan: Plan) -> dict[str, str]:
    a = plan.assignments
    leads = a.loc[a["role"] == Role.LEAD].sort_values(["task_id", "position"], kind="stable")
    return {str(t): str(g) for t, g in leads.groupby("task_id", sort=False)["agency"].first().items()}


def read_progress_table(
    name: str, data: bytes, plan: Plan, *, plan_id: str, version: int, as_of_default: dt.date,
    parse: Parse = _parse,
) -> ProgressImport:
    """A plan table with a progress column → reports of ``plan``'s tasks (rules in the module docstring).

    Nothing raises: an unreadable table, a table without a progress column and a row that is no
    task of the plan are errors naming the file (and row), in Chinese and English.
    """
    table = parse(data, name)
    if isinstance(table, PlanImportError):
        return ProgressImport(FormImport(errors=(_file_error(
            name, "unreadable_table", f"无法读取该表格：{table.message('zh')}", f"the table cannot be read: "
            f"{table.message('en')}"),)))
    headers = _progress_headers(table)
    if not headers:
        return ProgressImport(FormImport(errors=(_file_error(
            name, "no_progress_column",
            "该表格没有“进展情况”或“完成情况”列，也不是本系统下发的填报表：没有可导入的进展",
            "the table has no 进展情况 / 完成情况 (progress) column and is not a progress form: no progress to import",
        ),)))
    by_text: dict[str, list[str]] = {}
    for task_id, text in zip(plan.tasks["task_id"].astype(str), plan.tasks["text"].astype(str), strict=True):
        by_text.setdefault(fingerprint(text), []).append(task_id)
    leads = _first_leads(plan)
    reports: list[ProgressReport] = []
    errors: list[FormError] = []
    skipped: list[SkippedRow] = []
    readings: list[TableReading] = []
    seen: dict[str, int] = {}
    for task in table.tasks.itertuples(index=False):
        row = int(task.source_row)
        text = str(task.text)
        cells = [str(cell) for header, cell in task.extra if header in headers and str(cell).strip()]
        note = "\n".join(cells).strip()
        matches = by_text.get(fingerprint(text), [])
        if len(matches) != 1:
            if not note:
                continue  # no progress written and no single task of the plan: nothing to import, nothing lost
            errors.append(_row_error(
                name, "unknown_task" if not matches else "ambiguous_task",
                f"第 {task.number or task.task_id} 项“{text[:40]}”不是本计划的任务（任务内容须与计划一致）"
                if not matches else f"“{text[:40]}”在本计划中有 {len(matches)} 项相同的任务，无法确定是哪一项",
                f"item {task.number or task.task_id} '{text[:40]}' is no task of this plan (the task text must read as in "
                "the plan)" if not matches else f"'{text[:40]}' matches {len(matches)} tasks of this plan",
                row, TASK_FIELD,
            ))
            continue
        task_id = matches[0]
        if task_id in seen:
            errors.append(_row_error(
                name, "duplicate_task", f"任务“{task_id}”在表中出现两次（首次在第{seen[task_id]}行）",
                f"task '{task_id}' appears twice in the table (first at row {seen[task_id]})", row, TASK_FIELD,
            ))
            continue
        seen[task_id] = row
        agency = leads.get(task_id, "")
        reading = infer_status(note)
        if reading is None:
            skipped.append(SkippedRow(name, row, task_id, agency))
            continue
        readings.append(TableReading(name, row, task_id, text, reading))
        reports.append(ProgressReport(
            task_id=task_id, status=reading.status, percent=reading.percent, note=note, evidence="",
            agency=agency, as_of=as_of_default, file=name, row=row,
        ))
    info = FormInfo(name, "", Lang.ZH.value, plan_id, version, len(seen))
    return ProgressImport(FormImport(tuple(reports), tuple(errors), tuple(skipped), (info,)), tuple(readings))


def is_progress_form(name: str, data: bytes) -> bool:
    """Whether a file is (meant as) one of the dashboard's progress forms rather than a plan table:
    an .xlsx whose workbook names the forms' metadata sheet, or any .xlsx that is no readable zip
    (the forms' reader names the damage)."""
    if not name.lower().endswith((".xlsx", ".xlsm")):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return META_SHEET.encode() in archive.read("xl/workbook.xml")
    except KeyError:
        return True  # a zip that is no workbook: the forms' reader says what it is
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return True


def read_progress_files(
    files: Sequence[tuple[str, bytes]], plan: Plan, *, plan_id: str, version: int, as_of_default: dt.date,
    parse: Parse = _parse,
) -> ProgressImport:
    """Filled forms and progress tables together, in the order given: every report, error and
    skipped row of each; the same agency reporting the same task twice is an error on the second."""
    forms = [(n, d) for n, d in files if is_progress_form(n, d)]
    form_result = read_forms(forms, plan, plan_id=plan_id, version=version, as_of_default=as_of_default)
    tables = [
        read_progress_table(n, d, plan, plan_id=plan_id, version=version, as_of_default=as_of_default, parse=parse)
        for n, d in files if not is_progress_form(n, d)
    ]
    reports = list(form_result.reports)
    errors = list(form_result.errors)
    skipped = list(form_result.skipped)
    infos = list(form_result.forms)
    readings: list[TableReading] = []
    first = {(r.agency, r.task_id): r for r in reports}
    for part in tables:
        errors.extend(part.result.errors)
        skipped.extend(part.result.skipped)
        infos.extend(part.result.forms)
        readings.extend(part.readings)
        for report in part.result.reports:
            earlier = first.get((report.agency, report.task_id))
            if earlier is not None:
                errors.append(_row_error(
                    report.file, "duplicate_report",
                    f"“{report.agency}”对任务“{report.task_id}”重复报送（另见 {earlier.file} 第{earlier.row}行）",
                    f"'{report.agency}' reports task '{report.task_id}' twice (also {earlier.file}, row {earlier.row})",
                    report.row, TASK_FIELD,
                ))
                continue
            first[(report.agency, report.task_id)] = report
            reports.append(report)
    return ProgressImport(FormImport(tuple(reports), tuple(errors), tuple(skipped), tuple(infos)), tuple(readings))


READING_COLUMNS: Final = ["file", "row", "task_id", "status", "percent", "reason", "unclear", "text"]


def readings_frame(readings: Sequence[TableReading], lang: str = "zh") -> pd.DataFrame:
    """How each table row's status was read (``READING_COLUMNS``; status as its code, reason in ``lang``)."""
    frame = pd.DataFrame(
        [
            {"file": r.file, "row": r.row, "task_id": r.task_id, "status": r.reading.status.value,
             "percent": r.reading.percent, "reason": r.reading.reason(lang), "unclear": r.reading.unclear,
             "text": r.text}
            for r in readings
        ],
        columns=READING_COLUMNS,
    )
    frame["percent"] = frame["percent"].astype("Int64")
    return frame


def reading_records(readings: Sequence[TableReading]) -> list[dict[str, object]]:
    """The readings for JSON (``progress import --json``)."""
    from analysis.model import json_task_id

    return [
        {"file": r.file, "row": r.row, "task_id": json_task_id(r.task_id), "status": r.reading.status.value,
         "percent": r.reading.percent, "reason_zh": r.reading.reason.zh, "reason_en": r.reading.reason.en,
         "unclear": r.reading.unclear}
        for r in readings
    ]


__all__ = [
    "PROGRESS_FIELD", "READING_COLUMNS", "ProgressImport", "StatusReading", "TableReading", "infer_status",
    "is_progress_form", "read_progress_files", "read_progress_table", "reading_records", "readings_frame",
]
