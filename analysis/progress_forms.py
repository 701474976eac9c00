"""Progress forms: an XLSX each agency fills in and mails back, read back into progress reports.

Pure functions, no database: the store (analysis/store) saves what ``read_forms`` returns.

``export_form``     the form of one agency: the tasks it leads (first) and supports, with the
                    last reported progress, and the columns it fills in (status from a list,
                    a 0-100 percent, a note, evidence, the report date).
``read_forms``      one or many filled forms → the reports to save, the errors (file, row and
                    field named, in Chinese and English) and the rows left empty (counted).
``describe_changes`` what saving the reports would change, task by task, for a preview.

How a form is tied to its plan
    A very hidden sheet (``_form_meta``; Excel and WPS offer no way to unhide it) records the
    form format, ``plan_id``, plan ``version``, the agency, the form's language and, per task,
    its id, role and a fingerprint of its text (SHA-256 of the text as written in the form,
    white space removed). A form of another plan or version is refused as a whole; a row whose
    task text was edited, or whose text no longer matches the plan's, is refused by row.

Protection
    The form sheet is protected *without a password* and the workbook structure is locked:
    this is structural only (it keeps people from typing over task texts or deleting the
    metadata by accident), not security. Only the fill-in cells are unlocked; row heights
    and column widths may still be changed. The import never trusts the protection: it
    checks the fingerprints, numbers and every value itself.

Safety
    Every text cell of the form goes through ``analysis.exports.neutralise_cell`` and is
    written as text, never a formula. On import, a note such as ``=cmd|' /C calc'!A0`` (a
    formula, if typed in Excel) is kept as the text the agency wrote; exports neutralise it
    again whenever it is shown in a spreadsheet.

Reports, both languages
    A status may be written in either language (未启动 / Not started …) or as its code,
    whatever the language of the form.

Reading
    Values are read by python-calamine (about 6× faster than openpyxl on a form); a workbook in
    which a worksheet holds a formula or an error cell is read by openpyxl instead, which keeps
    the formula as typed (see ``_open_workbook``). Both give the same rows to the same checks.

A plan table that already carries a 进展情况 / 完成情况 column is read by
``analysis.progress_table`` into the same ``FormImport``.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Literal

import pandas as pd

from analysis.exports import EXCEL_CELL_LIMIT, neutralise_cell
from analysis.i18n import TEXT, enum_key
from analysis.model import Plan
from analysis.vocab import Bilingual, DeadlineKind, Lang, ProgressStatus, Role

# ----------------------------------------------------------------------------- vocabulary

#: The five statuses as the forms write them (the list offered in the status column):
#: the catalogue's labels, so a form and the dashboard name a status alike.
STATUS_LABELS: Final[dict[ProgressStatus, Bilingual]] = {s: TEXT[enum_key(s)] for s in ProgressStatus}

ROLE_LABELS: Final[dict[Role, Bilingual]] = {r: TEXT[enum_key(r)] for r in Role}

FORM_FORMAT: Final = "task-division-progress-form"
FORM_FORMAT_VERSION: Final = 1
META_SHEET: Final = "_form_meta"
HEADER_ROW: Final = 4  # rows 1-3: title, agency line, instructions
FIRST_TASK_ROW: Final = HEADER_ROW + 1
MAX_FORM_BYTES: Final = 20 * 1024 * 1024  # a form of 100 000 tasks is about 8 MB
MAX_FORM_XML_BYTES: Final = 256 * 1024 * 1024  # unpacked: zip bombs stop here


class Change(StrEnum):
    """What saving a report does to a task's progress (``describe_changes``)."""

    NEW = "new"  # no progress reported before
    CHANGED = "changed"  # status, percent or note differ from the latest report
    UNCHANGED = "unchanged"  # the same status, percent and note again (a new date only)


CHANGE_LABELS: Final[dict[Change, Bilingual]] = {
    Change.NEW: Bilingual("首次填报", "First report"),
    Change.CHANGED: Bilingual("有变化", "Changed"),
    Change.UNCHANGED: Bilingual("无变化", "Unchanged"),
}


@dataclass(frozen=True)
class _Column:
    key: str
    header: Bilingual
    width: float
    fill: bool = False  # a column the agency fills in


COLUMNS: Final[tuple[_Column, ...]] = (
    _Column("number", Bilingual("序号", "No."), 7),
    _Column("role", Bilingual("角色", "Role"), 8),
    _Column("task", Bilingual("重点工作任务", "Task"), 50),
    _Column("deadline", Bilingual("期限", "Deadline"), 12),
    _Column("deadline_text", Bilingual("期限（原文）", "Deadline as written"), 14),
    _Column("last_status", Bilingual("上次状态", "Last status"), 10),
    _Column("last_percent", Bilingual("上次完成百分比", "Last % done"), 9),
    _Column("last_note", Bilingual("上次进展说明", "Last progress note"), 24),
    _Column("last_date", Bilingual("上次报告日期", "Last report date"), 12),
    _Column("status", Bilingual("状态", "Status"), 12, fill=True),
    _Column("percent", Bilingual("完成百分比", "% done"), 10, fill=True),
    _Column("note", Bilingual("进展说明", "Progress note"), 40, fill=True),
    _Column("evidence", Bilingual("佐证材料", "Evidence (text or link)"), 26, fill=True),
    _Column("date", Bilingual("报告日期", "Report date"), 13, fill=True),
)
_COLUMN: Final = {c.key: c for c in COLUMNS}
_INDEX: Final = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
FILL_KEYS: Final = tuple(c.key for c in COLUMNS if c.fill)
_REQUIRED_KEYS: Final = ("number", "task", *FILL_KEYS)

_TEXT: Final[dict[str, Bilingual]] = {
    "sheet": Bilingual("进展填报", "Progress report"),
    "title": Bilingual("{title}｜{agency} 任务进展填报表", "{title} | Progress report form: {agency}"),
    "agency_line": Bilingual(
        "填报单位：{agency}　　计划版本：{version}　　任务 {n} 项（牵头 {lead} 项，配合 {support} 项）",
        "Agency: {agency}    Plan version: {version}    {n} tasks ({lead} led, {support} supported)",
    ),
    "instructions": Bilingual(
        "填写说明：只填写右侧浅黄色的列。状态从下拉列表中选择；完成百分比填 0–100 的整数；"
        "报告日期留空则按导入当天计。请勿修改序号和任务内容，修改后该行将无法导入。",
        "How to fill in: only the pale yellow columns on the right. Choose the status from the list; "
        "% done is a whole number from 0 to 100; an empty report date means the day of import. "
        "Do not edit the numbers or task texts: an edited row cannot be imported.",
    ),
    "plan_end": Bilingual("至规划期末", "Runs to plan end"),
    "ongoing": Bilingual("持续推进", "Ongoing"),
    "status_prompt": Bilingual("请从列表中选择状态", "Choose a status from the list"),
    "status_error": Bilingual("状态只能是：{labels}", "The status must be one of: {labels}"),
    "percent_prompt": Bilingual("0–100 的整数", "A whole number from 0 to 100"),
    "percent_error": Bilingual("完成百分比须为 0–100 的整数", "% done must be a whole number from 0 to 100"),
    "date_prompt": Bilingual("例如 2020-09-15；留空按导入当天计", "e.g. 2020-09-15; empty means the day of import"),
    "date_error": Bilingual("请填写日期，例如 2020-09-15", "Enter a date, e.g. 2020-09-15"),
    "footer": Bilingual("第 &P 页，共 &N 页", "Page &P of &N"),
}


def status_label(status: ProgressStatus | str, lang: str = "zh") -> str:
    """A status code as the forms write it; an unknown code is returned as it is."""
    try:
        return STATUS_LABELS[ProgressStatus(status)](lang)
    except ValueError:
        return str(status)


def _squeezed(text: str, form: Literal["NFC", "NFKC"]) -> str:
    """``text`` in Unicode normal form ``form`` with all white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize(form, text))


def _key(text: str) -> str:
    """A label as looked up on import: NFKC, no white space, case folded."""
    return _squeezed(text, "NFKC").casefold()


# Every spelling accepted on import: both languages' labels and the codes.
_STATUS_LOOKUP: Final[dict[str, ProgressStatus]] = {
    **{_key(s.value): s for s in ProgressStatus},
    **{_key(label.zh): s for s, label in STATUS_LABELS.items()},
    **{_key(label.en): s for s, label in STATUS_LABELS.items()},
}
_HEADER_LOOKUP: Final[dict[str, str]] = {
    **{_key(c.header.zh): c.key for c in COLUMNS},
    **{_key(c.header.en): c.key for c in COLUMNS},
}


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FormError:
    """Why (part of) a form cannot be imported; ``row`` and ``field`` say where."""

    file: str
    code: str
    message: Bilingual
    row: int | None = None
    field: Bilingual | None = None

    def text(self, lang: str = "zh") -> str:
        """The message prefixed with its location: ``a.xlsx，第7行，“状态”：…``."""
        zh = lang != Lang.EN
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(f"第{self.row}行" if zh else f"row {self.row}")
        if self.field is not None:
            parts.append(f"“{self.field.zh}”" if zh else f"field '{self.field.en}'")
        where = ("，" if zh else ", ").join(parts)
        return f"{where}{'：' if zh else ': '}{self.message(lang)}" if where else self.message(lang)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file, "row": self.row, "field": self.field.zh if self.field else "",
            "code": self.code, "message_zh": self.text("zh"), "message_en": self.text("en"),
        }


@dataclass(frozen=True)
class ProgressReport:
    """One filled row: what an agency reports on one task."""

    task_id: str
    status: ProgressStatus
    percent: int | None
    note: str
    evidence: str
    agency: str
    as_of: dt.date
    file: str
    row: int


@dataclass(frozen=True)
class SkippedRow:
    """A task row left empty (no status, percent, note, evidence or date): nothing to save."""

    file: str
    row: int
    task_id: str
    agency: str


@dataclass(frozen=True)
class FormInfo:
    """A file recognised as a progress form (whatever its rows held)."""

    file: str
    agency: str
    lang: str
    plan_id: str
    version: int
    tasks: int


REPORT_COLUMNS: Final = ["task_id", "agency", "status", "percent", "note", "evidence", "as_of", "file", "row"]


@dataclass(frozen=True)
class FormImport:
    """What ``read_forms`` found: the reports to save, the errors and the rows left empty.

    Save nothing while ``errors`` is non-empty (``ok`` is False): the reports of the rows
    that could be read are still listed, for the preview.
    """

    reports: tuple[ProgressReport, ...] = ()
    errors: tuple[FormError, ...] = ()
    skipped: tuple[SkippedRow, ...] = ()
    forms: tuple[FormInfo, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)

    def frame(self) -> pd.DataFrame:
        """The reports as a table (``REPORT_COLUMNS``; status as its code)."""
        frame = pd.DataFrame(
            [
                {
                    "task_id": r.task_id, "agency": r.agency, "status": r.status.value, "percent": r.percent,
                    "note": r.note, "evidence": r.evidence, "as_of": r.as_of, "file": r.file, "row": r.row,
                }
                for r in self.reports
            ],
            columns=REPORT_COLUMNS,
        )
        frame["percent"] = frame["percent"].astype("Int64")
        return frame


class FormExportError(ValueError):
    """A form cannot be made (e.g. the agency has no task in the plan)."""

    def __init__(self, message: Bilingual) -> None:
        self.bilingual = message
        super().__init__(message("en"))


# ----------------------------------------------------------------------------- helpers


def _cell_text(value: str) -> str:
    """Text as the form writes it: neutralised, without characters XLSX cannot hold, cut to Excel's limit."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    neutral = neutralise_cell(value)
    text: str = ILLEGAL_CHARACTERS_RE.sub("", str(neutral)).replace("\ufffe", "").replace("\uffff", "")
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    return text


def fingerprint(cell_text: str) -> str:
    """A task text's fingerprint: SHA-256 (16 hex digits) of its NFC form without any white space.

    White space is left out so a spreadsheet that re-wraps lines (CR LF → LF) keeps the match.
    """
    return hashlib.sha256(_squeezed(cell_text, "NFC").encode("utf-8")).hexdigest()[:16]


def _is_blank(value: object) -> bool:
    """None, NaN, NA, NaT or text of white space only."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):  # numpy floats too
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def _text_or_empty(value: object) -> str:
    """A cell or record value as text; "" when blank."""
    return "" if _is_blank(value) else str(value)


def _as_date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            stamp = pd.Timestamp(value.strip())
        except (ValueError, TypeError):
            return None
        return None if pd.isna(stamp) else stamp.date()
    return None


def _as_percent(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
        return int(value)
    try:
        number = float(str(value))
    except ValueError:
        return None
    return None if math.isnan(number) else int(number)


@dataclass(frozen=True)
class _Latest:
    status: str
    percent: int | None
    note: str
    reported_at: dt.date | None


def _latest_by_task(latest: pd.DataFrame | None) -> dict[str, _Latest]:
    """The latest report of each task (``id`` or ``task_id``, status, percent, note, reported_at).

    Where a task has several rows, the one with the latest ``reported_at`` counts (the last
    row among equal dates).
    """
    if latest is None or latest.empty:
        return {}
    id_column = "id" if "id" in latest.columns else "task_id"
    out: dict[str, _Latest] = {}
    for record in latest.to_dict("records"):
        task_id = record.get(id_column)
        if _is_blank(task_id):
            continue
        entry = _Latest(
            status=_text_or_empty(record.get("status")),
            percent=_as_percent(record.get("percent")),
            note=_text_or_empty(record.get("note")),
            reported_at=_as_date(record.get("reported_at")),
        )
        key = _id_text(task_id)
        before = out.get(key)
        if before is None or (entry.reported_at or dt.date.min) >= (before.reported_at or dt.date.min):
            out[key] = entry
    return out


def _id_text(value: object) -> str:
    """A task id as text; a number a spreadsheet stored as 3.0 is "3"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ----------------------------------------------------------------------------- export


def _agency_tasks(plan: Plan, agency: str) -> pd.DataFrame:
    """The agency's tasks with its role, led first, each group in table order."""
    mine = plan.assignments.loc[plan.assignments["agency"] == agency, ["task_id", "role"]]
    tasks = plan.tasks.merge(mine, on="task_id", how="inner")
    tasks["_lead_first"] = (tasks["role"] != Role.LEAD).astype(int)
    return tasks.sort_values(["_lead_first", "seq"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class _TaskRow:
    """One task row of a form: the task, the agency's role and the value of each column it fills."""

    task_id: str
    role: Role
    text: str  # the task text as the form writes it (the fingerprint is taken of this)
    values: dict[str, object]


# Columns whose cells wrap their text, are stored as text, or hold dates.
_WRAPPED_KEYS: Final = ("task", "last_note", "note", "evidence", "deadline_text")
_TEXT_KEYS: Final = ("number", "note", "evidence")
_DATE_KEYS: Final = ("deadline", "last_date", "date")


def _task_rows(tasks: pd.DataFrame, previous: Mapping[str, _Latest], language: Lang) -> list[_TaskRow]:
    """The form's task rows: number, role, task, deadline and the last report of each task."""
    rows: list[_TaskRow] = []
    for task in tasks.itertuples(index=False):
        task_id = str(task.task_id)
        role = Role(str(task.role))
        text = _cell_text(str(task.text))
        before = previous.get(task_id)
        as_written = str(task.deadline_text) or (
            _TEXT["ongoing"](language) if task.deadline_kind == DeadlineKind.ONGOING else _TEXT["plan_end"](language)
        )
        rows.append(_TaskRow(task_id, role, text, {
            "number": task_id,
            "role": ROLE_LABELS[role](language),
            "task": text,
            "deadline": _as_date(task.deadline),
            "deadline_text": as_written,
            "last_status": status_label(before.status, language) if before and before.status else None,
            "last_percent": before.percent if before else None,
            "last_note": before.note or None if before else None,
            "last_date": before.reported_at if before else None,
        }))
    return rows


def _put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write one cell: text neutralised and stored as text (never a formula), anything else as it is."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _cell_text(value)
        cell.data_type = "s"  # text, whatever it starts with: never a formula
    else:
        cell.value = value
    return cell


def _thin_border() -> Any:
    """The thin grey border of the header and task cells."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="999999")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _agency_shown(plan: Plan, agency: str, language: Lang) -> str:
    """The agency as the title names it: in English forms followed by its English short name, if any."""
    if language != Lang.EN:
        return agency
    english = plan.agencies.loc[plan.agencies["agency"] == agency, "english_short"]
    if not english.empty and isinstance(english.iloc[0], str) and english.iloc[0]:
        return f"{agency} ({english.iloc[0]})"
    return agency


def _write_title_block(
    sheet: Any, plan: Plan, agency: str, version: int, rows: Sequence[_TaskRow], language: Lang
) -> None:
    """Rows 1-3: title, agency line and instructions, each merged across the whole width."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    lead_count = sum(1 for row in rows if row.role == Role.LEAD)
    title = plan.meta.display_title(language)
    agency_shown = _agency_shown(plan, agency, language)
    lines = (
        (_TEXT["title"](language, title=title, agency=agency_shown), Font(bold=True, size=14), 24.0),
        (
            _TEXT["agency_line"](
                language, agency=agency_shown, version=version, n=len(rows),
                lead=lead_count, support=len(rows) - lead_count,
            ),
            Font(bold=True, size=11), 18.0,
        ),
        (_TEXT["instructions"](language), Font(italic=True, size=10, color="555555"), 30.0),
    )
    last_column = get_column_letter(len(COLUMNS))
    for row, (value, font, height) in enumerate(lines, start=1):
        cell = _put(sheet, row, 1, value)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.merge_cells(f"A{row}:{last_column}{row}")
        sheet.row_dimensions[row].height = height


def _write_header(sheet: Any, language: Lang) -> None:
    """The header row (fill-in columns highlighted) and the column widths."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    border = _thin_border()
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    fill_header = PatternFill("solid", fgColor="F4D35E")
    for column in COLUMNS:
        index = _INDEX[column.key]
        cell = _put(sheet, HEADER_ROW, index, column.header(language))
        cell.font = Font(bold=True)
        cell.fill = fill_header if column.fill else header_fill
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = border
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 32


def _style_first_row_cell(cell: Any, column: _Column) -> None:
    """Style a cell of the first task row: border, alignment, number format; fill-in cells unlocked and tinted."""
    from openpyxl.styles import Alignment, PatternFill, Protection

    cell.border = _thin_border()
    wrapped = column.key in _WRAPPED_KEYS
    cell.alignment = Alignment(wrap_text=True, vertical="top") if wrapped else Alignment(vertical="top")
    if column.key in _TEXT_KEYS:
        cell.number_format = "@"
    elif column.key in _DATE_KEYS:
        cell.number_format = "yyyy-mm-dd"
    if column.fill:
        cell.protection = Protection(locked=False)
        cell.fill = PatternFill("solid", fgColor="FFF7D1")


def _row_height(text: str) -> float:
    """A row height that shows the whole wrapped task when printed (≈ 2 width units per CJK character)."""
    chars_per_line = max(1.0, _COLUMN["task"].width / 2.1)
    lines_needed = max(1, math.ceil(len(text) / chars_per_line))
    return min(409.0, 15.0 * lines_needed + 4)


def _write_task_rows(sheet: Any, rows: Sequence[_TaskRow]) -> None:
    """The task rows below the header, each styled as the first one and as high as its task text needs."""
    templates: dict[int, Any] = {}
    for offset, task_row in enumerate(rows):
        row = FIRST_TASK_ROW + offset
        for column in COLUMNS:
            index = _INDEX[column.key]
            cell = _put(sheet, row, index, task_row.values.get(column.key))
            if offset:
                # The first task row's style, copied: setting styles cell by cell costs ~60 µs each.
                cell._style = copy.copy(templates[index])
                continue
            _style_first_row_cell(cell, column)
            templates[index] = cell._style
        sheet.row_dimensions[row].height = _row_height(task_row.text)


def _validation(key: str, language: Lang, prompt: str, error: str, **rule: str) -> Any:
    """A data validation of a fill-in column, with a prompt and an error titled by the column's header."""
    from openpyxl.worksheet.datavalidation import DataValidation

    header = _COLUMN[key].header(language)
    return DataValidation(
        **rule, allow_blank=True, showErrorMessage=True, showInputMessage=True,
        promptTitle=header, prompt=prompt, errorTitle=header, error=error,
    )


def _write_validations(sheet: Any, language: Lang, last_row: int) -> None:
    """Validation of the status, percent and date columns, in the form's language, down to the last task row."""
    from openpyxl.utils import get_column_letter

    labels = [STATUS_LABELS[s](language) for s in ProgressStatus]
    separator = "，" if language == Lang.ZH else ", "
    checks = {
        "status": _validation(
            "status", language, _TEXT["status_prompt"](language),
            _TEXT["status_error"](language, labels=separator.join(labels)),
            type="list", formula1='"' + ",".join(labels) + '"',
        ),
        "percent": _validation(
            "percent", language, _TEXT["percent_prompt"](language), _TEXT["percent_error"](language),
            type="whole", operator="between", formula1="0", formula2="100",
        ),
        "date": _validation(
            "date", language, _TEXT["date_prompt"](language), _TEXT["date_error"](language),
            type="date", operator="greaterThan", formula1="36526",  # after 2000-01-01
        ),
    }
    for key, check in checks.items():
        letter = get_column_letter(_INDEX[key])
        check.add(f"{letter}{FIRST_TASK_ROW}:{letter}{last_row}")
        sheet.add_data_validation(check)


def _protect_and_set_up_print(workbook: Any, sheet: Any, language: Lang, last_row: int) -> None:
    """Lock the sheet and the workbook structure (no password: structural only); frozen header; A4 landscape print."""
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.protection import SheetProtection

    sheet.protection = SheetProtection(
        sheet=True, formatRows=False, formatColumns=False, selectLockedCells=False, selectUnlockedCells=False,
    )
    workbook.security = WorkbookProtection(lockStructure=True)

    sheet.freeze_panes = f"A{FIRST_TASK_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = _TEXT["footer"](language)


def _write_meta_sheet(
    workbook: Any, *, plan_id: str, version: int, agency: str, language: Lang, sheet_title: str,
    rows: Sequence[_TaskRow],
) -> None:
    """The very hidden ``_form_meta`` sheet: form format, plan, agency, language and each task's fingerprint."""
    from openpyxl.worksheet.protection import SheetProtection

    meta = workbook.create_sheet(META_SHEET)
    meta_rows: list[tuple[object, ...]] = [
        ("format", FORM_FORMAT),
        ("format_version", FORM_FORMAT_VERSION),
        ("plan_id", plan_id),
        ("version", version),
        ("agency", agency),
        ("lang", language.value),
        ("sheet", sheet_title),
        ("header_row", HEADER_ROW),
        ("tasks", len(rows)),
        (),
        ("task_id", "role", "fingerprint"),
        *((row.task_id, row.role.value, fingerprint(row.text)) for row in rows),
    ]
    for row_values in meta_rows:
        meta.append(list(row_values))
    for meta_row in meta.iter_rows():
        for cell in meta_row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # ids and names stored exactly, never read as formulas
    meta.sheet_state = "veryHidden"
    meta.protection = SheetProtection(sheet=True)


def export_form(
    plan: Plan,
    agency: str,
    latest: pd.DataFrame | None,
    *,
    plan_id: str,
    version: int,
    lang: str = "zh",
) -> bytes:
    """The XLSX progress form of ``agency``: its led tasks first, then those it supports.

    ``latest`` holds the last report of each task (columns id, status, percent, note,
    reported_at; None when nothing was reported yet). Raises ``FormExportError`` when the
    agency has no task in the plan.
    """
    from openpyxl import Workbook

    language = Lang.EN if lang == Lang.EN else Lang.ZH
    tasks = _agency_tasks(plan, agency)
    if tasks.empty:
        raise FormExportError(Bilingual(
            f"单位“{agency}”在该计划中没有牵头或配合的任务，无法生成填报表",
            f"agency '{agency}' leads or supports no task of this plan: there is no form to make",
        ))
    rows = _task_rows(tasks, _latest_by_task(latest), language)
    last_row = FIRST_TASK_ROW + len(rows) - 1

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _TEXT["sheet"](language)
    _write_title_block(sheet, plan, agency, version, rows, language)
    _write_header(sheet, language)
    _write_task_rows(sheet, rows)
    _write_validations(sheet, language, last_row)
    _protect_and_set_up_print(workbook, sheet, language, last_row)
    _write_meta_sheet(
        workbook, plan_id=plan_id, version=version, agency=agency, language=language, sheet_title=sheet.title,
        rows=rows,
    )
    workbook.active = 0

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- import


def _error(file: str, code: str, zh: str, en: str, row: int | None = None, column: str | None = None) -> FormError:
    return FormError(file, code, Bilingual(zh, en), row, _COLUMN[column].header if column else None)


# In a worksheet's XML: a formula element (``<f>``, ``<f t="shared" …>``, ``<x:f>``; not ``<formula1>``)
# or an error cell (``t="e"``: ``#N/A`` typed in Excel), which calamine reads as an empty cell.
_FORMULA_XML: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]|\st=[\"']e[\"']")


@dataclass(frozen=True)
class _Book:
    """A workbook read for its values: its sheet names and each sheet's rows.

    ``rows[name]`` holds every row from row 1 and every cell from column A (a row's list may be
    shorter than the widest row); an empty cell is None and a formula cell holds the formula as
    written (``=A1+1``), never a computed value.
    """

    sheet_names: tuple[str, ...]
    rows: Mapping[str, list[list[object]]]


def _calamine_value(value: object) -> object:
    """A calamine cell as openpyxl gives it: "" is an empty cell (None), 60.0 a whole number (60)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_book_calamine(data: bytes) -> _Book:
    """Every sheet's values through calamine (Rust, ~10× faster than openpyxl on a form)."""
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
        names = tuple(workbook.sheet_names)
        rows = {
            sheet: [
                [_calamine_value(v) for v in row]
                for row in workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            ]
            for sheet in names
        }
    return _Book(names, rows)


def _read_book_openpyxl(data: bytes) -> _Book:
    """Every sheet's values through openpyxl, formulas as written (for a workbook that holds formulas)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), data_only=False, rich_text=False)
    rows = {
        sheet.title: [
            [_formula_text(v) for v in row] for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)
        ]
        for sheet in workbook.worksheets
    }
    return _Book(tuple(workbook.sheetnames), rows)


def _has_formulas(archive: zipfile.ZipFile, infos: Sequence[zipfile.ZipInfo]) -> bool:
    """Whether any worksheet of the workbook holds a formula (an agency may type ``=…`` into a note) or an error."""
    return any(
        _FORMULA_XML.search(archive.read(info))
        for info in infos
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    )


def _open_workbook(name: str, data: bytes) -> tuple[_Book | None, FormError | None]:
    """The values of an uploaded form's sheets, or why it cannot be opened.

    Read by calamine, unless a worksheet holds a formula or an error cell: calamine gives only a
    formula's cached result (none in a file openpyxl wrote) and an error cell as empty, so such a
    workbook is read by openpyxl, which gives the formula as the agency typed it (a note
    ``=cmd|…`` is kept as that text) and ``#N/A`` as that text (refused as a status, not skipped).
    """
    if len(data) > MAX_FORM_BYTES:
        return None, _error(
            name, "too_large",
            f"文件大小 {len(data) / 1048576:,.1f} MB，超过填报表 {MAX_FORM_BYTES // 1048576} MB 的上限",
            f"the file is {len(data) / 1048576:,.1f} MB, beyond the {MAX_FORM_BYTES // 1048576} MB limit of a form",
        )
    corrupt = _error(
        name, "corrupt",
        "文件已损坏或不是 .xlsx 格式，无法读取：请用下发的填报表填写，在 Excel/WPS 中另存为 .xlsx 后再上传",
        "the file is damaged or not an .xlsx workbook: fill in the form that was sent, "
        "save it as .xlsx in Excel or WPS and upload that",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            if "xl/workbook.xml" not in names:
                if any(n.startswith("word/") for n in names):
                    kind_zh, kind_en = "Word 文档", "a Word document"
                elif any(n.startswith("ppt/") for n in names):
                    kind_zh, kind_en = "PowerPoint 演示文稿", "a PowerPoint presentation"
                else:
                    kind_zh, kind_en = "压缩包或其他格式", "an archive or another format"
                return None, _error(
                    name, "not_xlsx",
                    f"这是{kind_zh}（仅扩展名为 .xlsx），不是进展填报表",
                    f"this is {kind_en} (only named .xlsx), not a progress form",
                )
            if sum(info.file_size for info in infos) > MAX_FORM_XML_BYTES:
                return None, _error(
                    name, "too_large",
                    f"文件解压后超过 {MAX_FORM_XML_BYTES // 1048576} MB，不是正常的填报表",
                    f"the file unpacks to more than {MAX_FORM_XML_BYTES // 1048576} MB: not a normal form",
                )
            formulas = _has_formulas(archive, infos)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        return None, corrupt
    try:
        book = _read_book_openpyxl(data) if formulas else _read_book_calamine(data)
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib, lxml, openpyxl and calamine raise many types on damaged files
        return None, _error(
            name, "corrupt",
            f"Excel 文件已损坏，无法读取（{type(exc).__name__}）：请在 Excel/WPS 中打开后另存为 .xlsx 再上传",
            f"the Excel file is damaged ({type(exc).__name__}): open it in Excel or WPS, save it as .xlsx and upload that",
        )
    return book, None


def _not_a_form(name: str, detail_zh: str = "", detail_en: str = "") -> FormError:
    return _error(
        name, "not_a_form",
        "这不是本系统下发的进展填报表" + (f"（{detail_zh}）" if detail_zh else "") + "：请使用下发的填报表填写",
        "this is not a progress form made by the dashboard" + (f" ({detail_en})" if detail_en else "")
        + ": fill in the form that was sent",
    )


@dataclass
class _Meta:
    plan_id: str
    version: int
    agency: str
    lang: str
    sheet: str
    header_row: int
    tasks: dict[str, tuple[str, str]] = field(default_factory=dict)  # task_id → (role, fingerprint)


def _read_meta(book: _Book, name: str) -> _Meta | FormError:
    """The form metadata of the hidden sheet, or why the workbook is not a (readable) form."""
    if META_SHEET not in book.sheet_names:
        return _not_a_form(name, "缺少表单信息", "its form metadata is missing")
    rows = [tuple([*row[:3], None, None, None][:3]) for row in book.rows[META_SHEET]]
    # key/value rows down to the first blank row, then the task list
    blank = next((i for i, row in enumerate(rows) if not row or row[0] is None), len(rows))
    values: dict[str, object] = {str(row[0]): row[1] for row in rows[:blank]}
    if values.get("format") != FORM_FORMAT:
        return _not_a_form(name, "表单信息无法识别", "its form metadata is not recognised")
    try:
        meta = _Meta(
            plan_id=str(values["plan_id"]),
            version=int(str(values["version"])),
            agency=str(values["agency"]),
            lang=str(values.get("lang") or Lang.ZH.value),
            sheet=str(values["sheet"]),
            header_row=int(str(values["header_row"])),
        )
        format_version = int(str(values["format_version"]))
    except (KeyError, ValueError, TypeError):
        return _not_a_form(name, "表单信息不完整", "its form metadata is incomplete")
    if format_version > FORM_FORMAT_VERSION:
        return _error(
            name, "newer_format",
            f"填报表格式版本 {format_version} 比本系统支持的 {FORM_FORMAT_VERSION} 更新：请升级后再导入",
            f"form format {format_version} is newer than the {FORM_FORMAT_VERSION} this dashboard reads: upgrade first",
        )
    for row in rows[blank + 2:]:  # after the blank row and the task_id / role / fingerprint header
        if not row or row[0] is None:
            continue
        meta.tasks[_id_text(row[0])] = (str(row[1]), str(row[2]))
    return meta


def _header_columns(rows: Sequence[Sequence[object]], header_row: int) -> dict[str, int]:
    """Column number (1 = A) of each known header in the header row (either language)."""
    found: dict[str, int] = {}
    cells = rows[header_row - 1] if 0 < header_row <= len(rows) else ()
    for column, value in enumerate(cells, start=1):
        if isinstance(value, str):
            key = _HEADER_LOOKUP.get(_key(value.lstrip("'")))
            if key and key not in found:
                found[key] = column
    return found


_PERCENT_RE: Final = re.compile(r"[+-]?\d+(?:\.\d+)?")
_DATE_RES: Final = (
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T].*)?"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def _formula_text(value: object) -> object:
    """A formula cell's text (openpyxl gives array and data-table formulas as objects)."""
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else value


def parse_status(value: object) -> ProgressStatus | None:
    """A status as written in a form (either language, or its code); None when unknown."""
    if not isinstance(value, str):
        return None
    return _STATUS_LOOKUP.get(_key(value.lstrip("'")))


def parse_percent(value: object) -> tuple[int | None, str]:
    """(percent, problem): problem is "" (fine, or empty), "not_number", "not_whole" or "range"."""
    if _is_blank(value):
        return None, ""
    if isinstance(value, bool):
        return None, "not_number"
    number: float
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().lstrip("'").rstrip("%").strip()
        if not _PERCENT_RE.fullmatch(text):
            return None, "not_number"
        number = float(text)
    else:
        return None, "not_number"
    if not math.isfinite(number):
        return None, "not_number"
    if not number.is_integer():
        return None, "not_whole"
    if not 0 <= number <= 100:
        return None, "range"
    return int(number), ""


def parse_date(value: object) -> dt.date | None:
    """A report date as written in a form: a date cell, an Excel serial or text such as 2020-09-15,
    2020/9/15, 2020.9.15, 2020年9月15日 or 20200915. None when unreadable (or empty)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (math.isfinite(value) and 1 <= value < 2_958_466):
            return None
        from openpyxl.utils.datetime import from_excel

        converted = from_excel(value)
        return converted.date() if isinstance(converted, dt.datetime) else None
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().lstrip("'")
    for pattern in _DATE_RES:
        match = pattern.fullmatch(text)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def _free_text(value: object) -> str:
    """A note or evidence cell as text (a formula kept as the text written, a date as ISO)."""
    value = _formula_text(value)
    if _is_blank(value):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class _Expected:
    """What the forms of a batch are checked against: the current plan (``read_forms`` builds it once)."""

    plan_id: str
    version: int
    as_of_default: dt.date
    texts: Mapping[str, str]  # task id → task text in the plan
    assigned: frozenset[tuple[str, str]]  # (task id, agency) of every lead and support
    agencies: frozenset[str]  # agencies that lead or support a task

    @classmethod
    def of(cls, plan: Plan, plan_id: str, version: int, as_of_default: dt.date) -> _Expected:
        """The expectations of ``plan``, as version ``version`` of plan ``plan_id``."""
        texts = dict(zip(plan.tasks["task_id"].astype(str), plan.tasks["text"].astype(str), strict=True))
        assigned = frozenset(
            (str(t), str(a)) for t, a in zip(plan.assignments["task_id"], plan.assignments["agency"], strict=True)
        )
        return cls(plan_id, version, as_of_default, texts, assigned, frozenset(agencies_with_tasks(plan)))


def _form_mismatch(name: str, meta: _Meta, expected: _Expected, sheet_names: Sequence[str]) -> FormError | None:
    """Why a form as a whole does not belong to the current plan (plan, version, agency, sheet), if it does not."""
    if meta.plan_id != expected.plan_id:
        return _error(
            name, "other_plan",
            f"这是另一个计划的填报表（计划编号 {meta.plan_id}，当前为 {expected.plan_id}），不能导入到本计划",
            f"this is the form of another plan (plan id {meta.plan_id}, this is {expected.plan_id}); "
            "it cannot be imported here",
        )
    if meta.version != expected.version:
        return _error(
            name, "other_version",
            f"这是计划第 {meta.version} 版的填报表，当前为第 {expected.version} 版：请下载当前版本的填报表重新填写",
            f"this form is for version {meta.version} of the plan, the current version is {expected.version}: "
            "download the current form and fill it in again",
        )
    if meta.agency not in expected.agencies:
        return _error(
            name, "unknown_agency",
            f"填报单位“{meta.agency}”不在本计划的单位中",
            f"the form's agency '{meta.agency}' is not an agency of this plan",
        )
    if meta.sheet not in sheet_names:
        return _not_a_form(name, f"缺少工作表“{meta.sheet}”", f"sheet '{meta.sheet}' is missing")
    return None


def _missing_columns(name: str, columns: Mapping[str, int], header_row: int) -> FormError | None:
    """The error of a header that lacks a column the import needs, if it does."""
    missing = [key for key in _REQUIRED_KEYS if key not in columns]
    if not missing:
        return None
    return _error(
        name, "missing_column",
        "填报表缺少列：" + "、".join(_COLUMN[k].header.zh for k in missing) + "（请勿删除或改动表头）",
        "the form lacks column(s): " + ", ".join(_COLUMN[k].header.en for k in missing)
        + " (do not delete or edit the header)",
        row=header_row,
    )


@dataclass(frozen=True)
class _OpenForm:
    """A form recognised as one of the current plan: its metadata, its sheet's rows and the column of each header."""

    meta: _Meta
    rows: list[list[object]]
    columns: dict[str, int]


def _open_form(name: str, data: bytes, expected: _Expected) -> _OpenForm | FormError:
    """Open a form and locate its header and columns, or say why the form as a whole cannot be imported."""
    book, problem = _open_workbook(name, data)
    if problem is not None or book is None:
        return problem or _not_a_form(name)
    meta = _read_meta(book, name)
    if isinstance(meta, FormError):
        return meta
    problem = _form_mismatch(name, meta, expected, book.sheet_names)
    if problem is not None:
        return problem
    rows = book.rows[meta.sheet]
    columns = _header_columns(rows, meta.header_row)
    problem = _missing_columns(name, columns, meta.header_row)
    return problem if problem is not None else _OpenForm(meta, rows, columns)


def _row_task_id(
    name: str, row: int, number: object, filled: bool, meta: _Meta, seen_rows: dict[str, int]
) -> tuple[str | None, FormError | None]:
    """The task a row's number names (recorded in ``seen_rows``), or why not; (None, None) for a row without either."""
    if _is_blank(number):
        if filled:
            return None, _error(
                name, "missing_number", "该行填写了进展但没有序号", "this row holds progress but no task number",
                row, "number",
            )
        return None, None
    task_id = _id_text(number).lstrip("'")
    if task_id not in meta.tasks:
        return None, _error(
            name, "unknown_task",
            f"序号“{task_id}”不是本填报表中的任务", f"task number '{task_id}' is not a task of this form",
            row, "number",
        )
    if task_id in seen_rows:
        return None, _error(
            name, "duplicate_task",
            f"序号“{task_id}”在本表中重复（首次出现在第{seen_rows[task_id]}行）",
            f"task number '{task_id}' appears twice in this form (first at row {seen_rows[task_id]})",
            row, "number",
        )
    seen_rows[task_id] = row
    return task_id, None


def _task_problem(
    name: str, row: int, task_id: str, text: object, meta: _Meta, expected: _Expected
) -> FormError | None:
    """Why a row's task no longer matches: its text edited in the form, changed in the plan, or no longer the agency's."""
    _role, form_fingerprint = meta.tasks[task_id]
    if fingerprint(_text_or_empty(text)) != form_fingerprint:
        return _error(
            name, "edited_task_text",
            f"任务“{task_id}”的内容被改动过，该行不能导入：请勿修改任务内容",
            f"the text of task '{task_id}' was edited, so this row cannot be imported: do not edit task texts",
            row, "task",
        )
    if task_id not in expected.texts or fingerprint(_cell_text(expected.texts[task_id])) != form_fingerprint:
        return _error(
            name, "task_text_changed",
            f"任务“{task_id}”的内容与当前计划不一致：请下载当前版本的填报表重新填写",
            f"task '{task_id}' no longer reads as in the current plan: download the current form and fill it in again",
            row, "task",
        )
    if (task_id, meta.agency) not in expected.assigned:
        return _error(
            name, "not_assigned",
            f"“{meta.agency}”在当前计划中不再承担任务“{task_id}”",
            f"'{meta.agency}' no longer leads or supports task '{task_id}' in the current plan",
            row, "number",
        )
    return None


def _read_status(name: str, row: int, value: object) -> tuple[ProgressStatus | None, FormError | None]:
    """The status a row reports, or the error of a missing or unknown one."""
    status = parse_status(value)
    if status is not None:
        return status, None
    listed = [STATUS_LABELS[s] for s in ProgressStatus]
    if _is_blank(value):
        code, zh, en = "missing_status", "该行填写了进展，但没有选择状态", "this row holds progress but no status"
    else:
        code, zh, en = "unknown_status", f"状态“{value}”无法识别", f"status '{value}' is not recognised"
    return None, _error(
        name, code,
        f"{zh}，应为：{'、'.join(b.zh for b in listed)}",
        f"{en}; it must be one of: {', '.join(b.en for b in listed)}",
        row, "status",
    )


def _read_percent(name: str, row: int, value: object) -> tuple[int | None, FormError | None]:
    """The percent a row reports (None when empty), or the error of one that is no whole number in 0-100."""
    percent, problem = parse_percent(value)
    if not problem:
        return percent, None
    zh, en = {
        "not_number": (f"“{value}”不是数字", f"'{value}' is not a number"),
        "not_whole": (f"“{value}”不是整数", f"'{value}' is not a whole number"),
        "range": (f"{value} 超出 0–100 的范围", f"{value} is outside 0-100"),
    }[problem]
    return None, _error(
        name, "percent_range" if problem == "range" else "percent_not_number",
        f"完成百分比：{zh}，应为 0–100 的整数", f"% done: {en}; it must be a whole number from 0 to 100",
        row, "percent",
    )


def _read_report_date(name: str, row: int, value: object, default: dt.date) -> tuple[dt.date, FormError | None]:
    """The report date of a row (``default`` when empty), or the error of one that cannot be read."""
    if _is_blank(value):
        return default, None
    parsed = parse_date(value)
    if parsed is not None:
        return parsed, None
    return default, _error(
        name, "bad_date",
        f"报告日期“{value}”无法识别，请写成 2020-09-15 这样的日期",
        f"report date '{value}' cannot be read; write a date such as 2020-09-15",
        row, "date",
    )


def _row_report(
    name: str, row: int, task_id: str, fills: Mapping[str, object], agency: str, as_of_default: dt.date
) -> ProgressReport | list[FormError]:
    """The report of a filled row, or the errors of its status, percent and date (in that order)."""
    status, status_problem = _read_status(name, row, fills["status"])
    percent, percent_problem = _read_percent(name, row, fills["percent"])
    as_of, date_problem = _read_report_date(name, row, fills["date"], as_of_default)
    errors = [p for p in (status_problem, percent_problem, date_problem) if p is not None]
    if errors or status is None:
        return errors
    return ProgressReport(
        task_id=task_id, status=status, percent=percent,
        note=_free_text(fills["note"]), evidence=_free_text(fills["evidence"]),
        agency=agency, as_of=as_of, file=name, row=row,
    )


def _read_row(
    name: str, row: int, cells: Sequence[object], form: _OpenForm, expected: _Expected, seen_rows: dict[str, int]
) -> ProgressReport | SkippedRow | list[FormError]:
    """One sheet row (number ``row``): its report, its task left empty (skipped) or its errors (none for a row
    without number or progress)."""

    def value(key: str) -> object:
        index = form.columns[key] - 1
        return cells[index] if index < len(cells) else None

    fills = {key: value(key) for key in FILL_KEYS}
    filled = any(not _is_blank(v) for v in fills.values())
    task_id, problem = _row_task_id(name, row, value("number"), filled, form.meta, seen_rows)
    if task_id is None:
        return [problem] if problem is not None else []
    problem = _task_problem(name, row, task_id, value("task"), form.meta, expected)
    if problem is not None:
        return [problem]
    if not filled:
        return SkippedRow(name, row, task_id, form.meta.agency)
    return _row_report(name, row, task_id, fills, form.meta.agency, expected.as_of_default)


def _read_form(
    name: str, data: bytes, expected: _Expected
) -> tuple[FormInfo | None, list[ProgressReport], list[FormError], list[SkippedRow]]:
    """One form: what it is (None when it cannot be imported at all), its reports, errors and rows left empty."""
    form = _open_form(name, data, expected)
    if isinstance(form, FormError):
        return None, [], [form], []
    meta = form.meta
    info = FormInfo(name, meta.agency, meta.lang, meta.plan_id, meta.version, len(meta.tasks))
    reports: list[ProgressReport] = []
    errors: list[FormError] = []
    skipped: list[SkippedRow] = []
    seen_rows: dict[str, int] = {}
    for row, cells in enumerate(form.rows[meta.header_row:], start=meta.header_row + 1):
        outcome = _read_row(name, row, cells, form, expected, seen_rows)
        if isinstance(outcome, ProgressReport):
            reports.append(outcome)
        elif isinstance(outcome, SkippedRow):
            skipped.append(outcome)
        else:
            errors.extend(outcome)
    return info, reports, errors, skipped


def read_forms(
    files: Sequence[tuple[str, bytes]],
    plan: Plan,
    *,
    plan_id: str,
    version: int,
    as_of_default: dt.date,
) -> FormImport:
    """Read filled progress forms (file name, bytes), one agency's or many.

    Every problem is an error naming the file, the sheet row and the field, in Chinese and
    English; nothing raises. A row without status, percent, note, evidence or date is skipped
    and listed in ``skipped``. A report dated nowhere in its row takes ``as_of_default``. The
    same agency reporting the same task twice in one batch is an error on the second row.
    """
    expected = _Expected.of(plan, plan_id, version, as_of_default)
    reports: list[ProgressReport] = []
    errors: list[FormError] = []
    skipped: list[SkippedRow] = []
    forms: list[FormInfo] = []
    first: dict[tuple[str, str], ProgressReport] = {}
    for name, data in files:
        info, found, problems, empty = _read_form(name, data, expected)
        if info is not None:
            forms.append(info)
        errors.extend(problems)
        skipped.extend(empty)
        for report in found:
            earlier = first.get((report.agency, report.task_id))
            if earlier is not None:
                errors.append(_error(
                    name, "duplicate_report",
                    f"“{report.agency}”对任务“{report.task_id}”重复填报（另见 {earlier.file} 第{earlier.row}行）",
                    f"'{report.agency}' reports task '{report.task_id}' twice (also {earlier.file}, row {earlier.row})",
                    report.row, "number",
                ))
                continue
            first[(report.agency, report.task_id)] = report
            reports.append(report)
    return FormImport(tuple(reports), tuple(errors), tuple(skipped), tuple(forms))


# ----------------------------------------------------------------------------- preview

CHANGE_COLUMNS: Final = [
    "task_id", "agency", "change", "status_before", "status_after", "percent_before", "percent_after",
    "note_before", "note_after", "evidence", "as_of", "reported_before", "summary", "file", "row",
]


def _percent_text(percent: int | None) -> str:
    return "—" if percent is None else f"{percent}%"


def describe_changes(
    import_result: FormImport, latest: pd.DataFrame | None, *, lang: str = "zh"
) -> pd.DataFrame:
    """Exactly what saving ``import_result`` changes, one row per report (``CHANGE_COLUMNS``).

    ``status_before`` / ``status_after`` are codes (``status_label`` shows them); before-values
    come from ``latest`` (the task's latest report) and are empty for a first report.
    ``summary`` says it in words, in ``lang``: ``推进中 → 已完成；60% → 100%；说明已更新``.
    """
    before = _latest_by_task(latest)
    records: list[dict[str, object]] = []
    for report in import_result.reports:
        old = before.get(report.task_id)
        if old is None:
            change = Change.NEW
        elif (old.status, old.percent, old.note) == (report.status.value, report.percent, report.note):
            change = Change.UNCHANGED
        else:
            change = Change.CHANGED
        parts: list[str] = []
        old_status = old.status if old else ""
        if old_status != report.status.value:
            parts.append(
                f"{status_label(old_status, lang) if old_status else '—'} → {status_label(report.status, lang)}"
            )
        old_percent = old.percent if old else None
        if old_percent != report.percent:
            parts.append(f"{_percent_text(old_percent)} → {_percent_text(report.percent)}")
        if (old.note if old else "") != report.note:
            parts.append(Bilingual("说明已更新", "note updated")(lang) if report.note else Bilingual(
                "说明已清空", "note cleared")(lang))
        summary = ("；" if lang != Lang.EN else "; ").join(parts) or CHANGE_LABELS[Change.UNCHANGED](lang)
        records.append({
            "task_id": report.task_id, "agency": report.agency, "change": change.value,
            "status_before": old_status or None, "status_after": report.status.value,
            "percent_before": old_percent, "percent_after": report.percent,
            "note_before": old.note if old else "", "note_after": report.note,
            "evidence": report.evidence, "as_of": report.as_of,
            "reported_before": old.reported_at if old else None,
            "summary": summary, "file": report.file, "row": report.row,
        })
    frame = pd.DataFrame(records, columns=CHANGE_COLUMNS)
    for column in ("percent_before", "percent_after"):
        frame[column] = frame[column].astype("Int64")
    return frame


def agencies_with_tasks(plan: Plan) -> list[str]:
    """Agencies that lead or support at least one task: those a form can be made for, in plan order."""
    return list(dict.fromkeys(str(a) for a in plan.assignments["agency"]))


__all__ = [
    "CHANGE_COLUMNS", "CHANGE_LABELS", "COLUMNS", "FORM_FORMAT", "META_SHEET", "REPORT_COLUMNS",
    "ROLE_LABELS", "STATUS_LABELS", "Change", "FormError", "FormExportError", "FormImport", "FormInfo",
    "ProgressReport", "SkippedRow", "agencies_with_tasks", "describe_changes", "export_form", "fingerprint",
    "parse_date", "parse_percent", "parse_status", "read_forms", "status_label",
]
