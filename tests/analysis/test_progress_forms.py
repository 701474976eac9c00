"""Progress forms: export an agency's XLSX, fill it as the agency would, read it back.

The tasks expected on a form are counted from the raw published table (tests.conftest's
independent reading), never from the model the form is made from.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

import docx
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.progress_forms import (
    META_SHEET,
    STATUS_LABELS,
    FormExportError,
    FormImport,
    describe_changes,
    export_form,
    fingerprint,
    parse_date,
    read_forms,
)
from analysis.vocab import ProgressStatus
from tests.conftest import independent_rows

AGENCY = "省经信厅"
OTHER = "省通管局"
PLAN_ID = "zj5g"
VERSION = 3
TODAY = dt.date(2020, 9, 15)
EVIL = "=cmd|' /C calc'!A0"
ZH_HEADERS = {
    "number": "序号", "task": "重点工作任务", "status": "状态", "percent": "完成百分比",
    "note": "进展说明", "evidence": "佐证材料", "date": "报告日期", "last_note": "上次进展说明",
    "last_status": "上次状态", "last_date": "上次报告日期", "role": "角色",
}
EN_HEADERS = {
    "number": "No.", "task": "Task", "status": "Status", "percent": "% done",
    "note": "Progress note", "evidence": "Evidence (text or link)", "date": "Report date", "role": "Role",
}


def raw_tasks_of(agency: str) -> list[tuple[str, str]]:
    """(task number, role) of the agency's tasks from the raw table: led ones first, table order."""
    rows = independent_rows()
    led = [(str(r["id"]), "lead") for r in rows if agency in r["lead"]]
    supported = [(str(r["id"]), "support") for r in rows if agency in r["support"] and agency not in r["lead"]]
    return led + supported


@pytest.fixture(scope="module")
def form(bundled_plan) -> bytes:
    return export_form(bundled_plan, AGENCY, None, plan_id=PLAN_ID, version=VERSION)


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def columns(sheet, headers: Mapping[str, str] = ZH_HEADERS) -> dict[str, int]:
    row4 = {c.value: c.column for c in sheet[4]}
    return {key: row4[name] for key, name in headers.items() if name in row4}


def task_rows(sheet, headers: Mapping[str, str] = ZH_HEADERS) -> dict[str, int]:
    col = columns(sheet, headers)["number"]
    return {str(sheet.cell(row, col).value): row for row in range(5, sheet.max_row + 1) if sheet.cell(row, col).value}


def fill(data: bytes, entries: Mapping[str, Mapping[str, object]], headers: Mapping[str, str] = ZH_HEADERS) -> bytes:
    """Fill the form as an agency would in Excel: {task number: {field key: value}}."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    col, rows = columns(sheet, headers), task_rows(sheet, headers)
    for task_id, values in entries.items():
        for key, value in values.items():
            sheet.cell(rows[task_id], col[key]).value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(plan, *files: tuple[str, bytes], plan_id: str = PLAN_ID, version: int = VERSION) -> FormImport:
    return read_forms(list(files), plan, plan_id=plan_id, version=version, as_of_default=TODAY)


def codes(result: FormImport) -> set[str]:
    return {e.code for e in result.errors}


# ----------------------------------------------------------------------------- export


def test_the_form_lists_exactly_the_tasks_the_raw_table_gives_the_agency(bundled_plan, form):
    expected = raw_tasks_of(AGENCY)
    assert len(expected) > 10 and {r for _, r in expected} == {"lead", "support"}
    sheet = sheet_of(form)
    col = columns(sheet)
    got = [
        (str(sheet.cell(r, col["number"]).value), sheet.cell(r, col["role"]).value)
        for r in range(5, sheet.max_row + 1)
    ]
    assert got == [(n, "牵头" if role == "lead" else "配合") for n, role in expected]
    raw_text = {str(r["id"]): r["text"] for r in independent_rows()}
    for row, (number, _role) in enumerate(expected, start=5):
        assert sheet.cell(row, col["task"]).value == raw_text[number]


def test_title_print_setup_and_frozen_header(bundled_plan, form):
    sheet = sheet_of(form)
    assert bundled_plan.meta.title in sheet["A1"].value and f"{AGENCY} 任务进展填报表" in sheet["A1"].value
    assert AGENCY in sheet["A2"].value and f"版本：{VERSION}" in sheet["A2"].value
    assert sheet.freeze_panes == "A5"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$4"
    col = columns(sheet)
    assert sheet.cell(5, col["task"]).alignment.wrap_text
    assert sheet.column_dimensions[openpyxl.utils.get_column_letter(col["task"])].width >= 40


def test_status_and_percent_validation_cover_every_task_row(form):
    sheet = sheet_of(form)
    col = columns(sheet)
    last = 4 + len(raw_tasks_of(AGENCY))
    by_type = {v.type: v for v in sheet.data_validations.dataValidation}
    status = by_type["list"]
    assert status.formula1 == '"未启动,推进中,已完成,滞后,暂缓"'
    assert [STATUS_LABELS[s].zh for s in ProgressStatus] == ["未启动", "推进中", "已完成", "滞后", "暂缓"]
    letter = openpyxl.utils.get_column_letter(col["status"])
    assert str(status.sqref) == f"{letter}5:{letter}{last}"
    percent = by_type["whole"]
    assert (percent.operator, percent.formula1, percent.formula2) == ("between", "0", "100")
    letter = openpyxl.utils.get_column_letter(col["percent"])
    assert str(percent.sqref) == f"{letter}5:{letter}{last}"
    assert status.showErrorMessage and percent.showErrorMessage


def test_sheet_protected_only_fill_in_cells_unlocked_metadata_very_hidden(form):
    workbook = openpyxl.load_workbook(io.BytesIO(form))
    sheet = workbook.worksheets[0]
    assert sheet.protection.sheet
    assert workbook.security.lockStructure
    col = columns(sheet)
    fill_in = {col[k] for k in ("status", "percent", "note", "evidence", "date")}
    for row in range(1, sheet.max_row + 1):
        for column in range(1, sheet.max_column + 1):
            cell = sheet.cell(row, column)
            unlocked = row >= 5 and column in fill_in
            assert cell.protection.locked is not unlocked, cell.coordinate
    assert workbook[META_SHEET].sheet_state == "veryHidden"
    meta = {r[0]: r[1] for r in workbook[META_SHEET].iter_rows(max_row=9, values_only=True)}
    assert (meta["plan_id"], meta["version"], meta["agency"]) == (PLAN_ID, VERSION, AGENCY)


def test_last_report_is_shown_and_formula_like_text_neutralised(bundled_plan):
    first = raw_tasks_of(AGENCY)[0][0]
    latest = pd.DataFrame({
        "id": [first, first], "status": ["not_started", "in_progress"], "percent": [0, 40],
        "note": ["old", EVIL], "reported_at": [dt.date(2020, 6, 1), dt.date(2020, 7, 1)],
    })
    data = export_form(bundled_plan, AGENCY, latest, plan_id=PLAN_ID, version=VERSION)
    sheet = sheet_of(data)
    col = columns(sheet)
    note = sheet.cell(5, col["last_note"])
    assert note.value == "'" + EVIL and note.data_type == "s"
    assert sheet.cell(5, col["last_status"]).value == "推进中"
    assert sheet.cell(5, col["last_date"]).value.date() == dt.date(2020, 7, 1)
    # Not a formula anywhere in the workbook's XML.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_an_agency_without_tasks_gets_a_clear_error(bundled_plan):
    with pytest.raises(FormExportError) as caught:
        export_form(bundled_plan, "不存在的单位", None, plan_id=PLAN_ID, version=VERSION)
    assert "不存在的单位" in caught.value.bilingual.zh and "no task" in str(caught.value)


# ----------------------------------------------------------------------------- round trip


def test_round_trip_reports_equal_what_was_filled(bundled_plan, form):
    ids = [n for n, _ in raw_tasks_of(AGENCY)]
    entries = {
        ids[0]: {"status": "推进中", "percent": 60, "note": "已完成系统开发", "evidence": "https://example.org/a"},
        ids[1]: {"status": "已完成", "percent": "100%", "date": dt.datetime(2020, 8, 30)},
        ids[2]: {"status": "滞后", "note": "资金未到位", "date": "2020年9月1日"},
        ids[-1]: {"status": "暂缓", "percent": 0, "note": EVIL},
    }
    result = read(bundled_plan, ("经信厅.xlsx", fill(form, entries)))
    assert result.ok, [e.text() for e in result.errors]
    got = {r.task_id: r for r in result.reports}
    assert list(got) == [ids[0], ids[1], ids[2], ids[-1]]
    assert (got[ids[0]].status, got[ids[0]].percent, got[ids[0]].note, got[ids[0]].evidence) == (
        ProgressStatus.IN_PROGRESS, 60, "已完成系统开发", "https://example.org/a")
    assert got[ids[0]].as_of == TODAY  # no date written
    assert (got[ids[1]].status, got[ids[1]].percent, got[ids[1]].as_of) == (
        ProgressStatus.DONE, 100, dt.date(2020, 8, 30))
    assert (got[ids[2]].status, got[ids[2]].percent, got[ids[2]].as_of) == (
        ProgressStatus.DELAYED, None, dt.date(2020, 9, 1))
    assert got[ids[-1]].note == EVIL  # kept as the text written, not evaluated nor dropped
    assert all(r.agency == AGENCY and r.file == "经信厅.xlsx" for r in result.reports)
    # Every other row was left empty: skipped and counted, not silently.
    assert result.skipped_count == len(ids) - 4
    assert {s.task_id for s in result.skipped} == set(ids) - set(got)
    rows = task_rows(sheet_of(form))
    assert got[ids[2]].row == rows[ids[2]]
    frame = result.frame()
    assert frame["status"].tolist() == ["in_progress", "done", "delayed", "suspended"]


def test_english_form_round_trip(bundled_plan):
    data = export_form(bundled_plan, AGENCY, None, plan_id=PLAN_ID, version=VERSION, lang="en")
    sheet = sheet_of(data)
    assert sheet.title == "Progress report" and "Progress report form" in sheet["A1"].value
    assert "Economy & IT Dept." in sheet["A2"].value
    by_type = {v.type: v for v in sheet.data_validations.dataValidation}
    assert by_type["list"].formula1 == '"Not started,In progress,Done,Delayed,Suspended"'
    col = columns(sheet, EN_HEADERS)
    assert sheet.cell(5, col["role"]).value == "Lead"
    ids = [n for n, _ in raw_tasks_of(AGENCY)]
    filled = fill(data, {
        ids[0]: {"status": "Delayed", "percent": 20, "note": "waiting for funds", "date": "2020-09-10"},
        ids[-1]: {"status": "Done", "percent": 100},
    }, EN_HEADERS)
    result = read(bundled_plan, ("en.xlsx", filled))
    assert result.ok, [e.text("en") for e in result.errors]
    assert [(r.task_id, r.status, r.percent, r.note, r.as_of) for r in result.reports] == [
        (ids[0], ProgressStatus.DELAYED, 20, "waiting for funds", dt.date(2020, 9, 10)),
        (ids[-1], ProgressStatus.DONE, 100, "", TODAY),
    ]
    assert result.forms[0].lang == "en"


def test_many_forms_in_one_call(bundled_plan, form):
    other = export_form(bundled_plan, OTHER, None, plan_id=PLAN_ID, version=VERSION)
    shared = next(n for n, _ in raw_tasks_of(AGENCY) if n in dict(raw_tasks_of(OTHER)))
    mine = fill(form, {shared: {"status": "推进中", "percent": 50}})
    theirs = fill(other, {shared: {"status": "已完成", "percent": 100}})
    result = read(bundled_plan, ("a.xlsx", mine), ("b.xlsx", theirs))
    assert result.ok
    assert {(r.agency, r.task_id, r.status, r.file) for r in result.reports} == {
        (AGENCY, shared, ProgressStatus.IN_PROGRESS, "a.xlsx"),
        (OTHER, shared, ProgressStatus.DONE, "b.xlsx"),
    }
    assert [f.agency for f in result.forms] == [AGENCY, OTHER]
    assert result.skipped_count == len(raw_tasks_of(AGENCY)) + len(raw_tasks_of(OTHER)) - 2


def test_the_same_form_twice_is_a_duplicate_report(bundled_plan, form):
    first = raw_tasks_of(AGENCY)[0][0]
    filled = fill(form, {first: {"status": "推进中"}})
    result = read(bundled_plan, ("a.xlsx", filled), ("a (1).xlsx", filled))
    assert codes(result) == {"duplicate_report"}
    assert len(result.reports) == 1
    assert "a.xlsx" in result.errors[0].text("zh") and result.errors[0].file == "a (1).xlsx"


# ----------------------------------------------------------------------------- refused


def only_error(result: FormImport):
    assert len(result.errors) == 1, [e.text() for e in result.errors]
    return result.errors[0]


def test_bad_status_is_refused_with_row_and_field(bundled_plan, form):
    number = raw_tasks_of(AGENCY)[1][0]
    result = read(bundled_plan, ("f.xlsx", fill(form, {number: {"status": "差不多了", "percent": 90}})))
    error = only_error(result)
    assert (error.code, error.row, error.field.zh) == ("unknown_status", task_rows(sheet_of(form))[number], "状态")
    assert "第" in error.text("zh") and "差不多了" in error.text("zh") and "未启动" in error.text("zh")
    assert f"row {error.row}" in error.text("en") and "Not started" in error.text("en")
    assert result.reports == ()


def test_percent_150_is_refused_with_row(bundled_plan, form):
    number = raw_tasks_of(AGENCY)[0][0]
    error = only_error(read(bundled_plan, ("f.xlsx", fill(form, {number: {"status": "推进中", "percent": 150}}))))
    assert (error.code, error.row, error.field.en) == ("percent_range", 5, "% done")
    assert "150" in error.text("zh") and "0–100" in error.text("zh")


@pytest.mark.parametrize("value", ["abc", "六十", 55.5, True])
def test_percent_not_a_whole_number_is_refused(bundled_plan, form, value):
    number = raw_tasks_of(AGENCY)[0][0]
    error = only_error(read(bundled_plan, ("f.xlsx", fill(form, {number: {"status": "推进中", "percent": value}}))))
    assert (error.code, error.row) == ("percent_not_number", 5)


def test_unreadable_date_and_missing_status_are_refused(bundled_plan, form):
    a, b = raw_tasks_of(AGENCY)[0][0], raw_tasks_of(AGENCY)[1][0]
    result = read(bundled_plan, ("f.xlsx", fill(form, {
        a: {"status": "推进中", "date": "下周一"},
        b: {"note": "只写了说明"},
    })))
    assert {(e.code, e.row, e.field.zh) for e in result.errors} == {
        ("bad_date", 5, "报告日期"), ("missing_status", 6, "状态"),
    }
    assert result.reports == ()


def test_edited_task_text_is_refused(bundled_plan, form):
    number = raw_tasks_of(AGENCY)[2][0]
    result = read(bundled_plan, ("f.xlsx", fill(form, {
        number: {"task": "（已修改）任务内容", "status": "已完成", "percent": 100},
    })))
    error = only_error(result)
    assert (error.code, error.row, error.field.zh) == ("edited_task_text", 7, "重点工作任务")
    assert result.reports == ()


def test_a_task_number_not_in_the_form_is_refused(bundled_plan, form):
    mine = {n for n, _ in raw_tasks_of(AGENCY)}
    foreign = next(str(r["id"]) for r in independent_rows() if str(r["id"]) not in mine)
    first = raw_tasks_of(AGENCY)[0][0]
    error = only_error(read(bundled_plan, ("f.xlsx", fill(form, {first: {"number": foreign, "status": "推进中"}}))))
    assert (error.code, error.row, error.field.zh) == ("unknown_task", 5, "序号")
    assert foreign in error.text("zh")


def test_a_form_of_another_plan_or_version_is_refused(bundled_plan, form):
    filled = fill(form, {raw_tasks_of(AGENCY)[0][0]: {"status": "推进中"}})
    other_plan = read(bundled_plan, ("f.xlsx", filled), plan_id="another")
    error = only_error(other_plan)
    assert error.code == "other_plan" and "another" in error.text("en")
    other_version = read(bundled_plan, ("f.xlsx", filled), version=VERSION + 1)
    error = only_error(other_version)
    assert error.code == "other_version" and f"{VERSION}" in error.text("zh") and f"{VERSION + 1}" in error.text("zh")
    assert other_plan.reports == other_version.reports == ()


def test_a_changed_plan_text_is_refused(bundled_plan, form):
    """Same plan id and version but a task text that differs: the form no longer matches."""
    import dataclasses

    number = raw_tasks_of(AGENCY)[0][0]
    tasks = bundled_plan.tasks.copy()
    tasks.loc[tasks["task_id"] == number, "text"] = "改写后的任务"
    changed = dataclasses.replace(bundled_plan, tasks=tasks)
    error = only_error(read(changed, ("f.xlsx", fill(form, {number: {"status": "推进中"}}))))
    assert (error.code, error.row) == ("task_text_changed", 5)


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("不是填报表")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_random_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "状态"])
    workbook.active.append([1, "推进中"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("make", "code"), [
    (make_docx, "not_xlsx"),
    (make_random_xlsx, "not_a_form"),
    (lambda: b"PK\x03\x04 truncated", "corrupt"),
    (lambda: "序号,状态\n1,推进中\n".encode(), "corrupt"),
])
def test_files_that_are_not_forms_are_refused(bundled_plan, make, code):
    result = read(bundled_plan, ("进展.xlsx", make()))
    error = only_error(result)
    assert error.code == code and error.file == "进展.xlsx"
    assert error.text("zh").startswith("进展.xlsx：") and error.text("en").startswith("进展.xlsx: ")
    assert result.reports == () and result.forms == ()


def test_a_damaged_form_is_corrupt_not_a_traceback(bundled_plan, form):
    error = only_error(read(bundled_plan, ("cut.xlsx", form[: len(form) // 2])))
    assert error.code == "corrupt"


def test_one_bad_file_does_not_hide_the_others(bundled_plan, form):
    good = fill(form, {raw_tasks_of(AGENCY)[0][0]: {"status": "推进中"}})
    result = read(bundled_plan, ("bad.xlsx", make_docx()), ("good.xlsx", good))
    assert [e.file for e in result.errors] == ["bad.xlsx"]
    assert [r.file for r in result.reports] == ["good.xlsx"]
    assert not result.ok


# ----------------------------------------------------------------------------- preview


def test_describe_changes_before_and_after(bundled_plan, form):
    a, b, c = (n for n, _ in raw_tasks_of(AGENCY)[:3])
    latest = pd.DataFrame({
        "id": [a, b], "status": ["in_progress", "delayed"], "percent": [40, 10],
        "note": ["开发中", "资金未到位"], "reported_at": [dt.date(2020, 8, 1)] * 2,
    })
    result = read(bundled_plan, ("f.xlsx", fill(form, {
        a: {"status": "已完成", "percent": 100, "note": "已上线"},
        b: {"status": "滞后", "percent": 10, "note": "资金未到位"},
        c: {"status": "推进中", "percent": 30},
    })))
    changes = describe_changes(result, latest).set_index("task_id")
    assert changes.loc[a, ["change", "status_before", "status_after", "percent_before", "percent_after"]].tolist() == [
        "changed", "in_progress", "done", 40, 100]
    assert (changes.loc[a, "note_before"], changes.loc[a, "note_after"]) == ("开发中", "已上线")
    assert changes.loc[a, "summary"] == "推进中 → 已完成；40% → 100%；说明已更新"
    assert changes.loc[b, "change"] == "unchanged"
    assert changes.loc[c, "change"] == "new" and pd.isna(changes.loc[c, "percent_before"])
    english = describe_changes(result, latest, lang="en").set_index("task_id")
    assert english.loc[a, "summary"] == "In progress → Done; 40% → 100%; note updated"
    assert describe_changes(result, None)["change"].eq("new").all()


def test_parse_date_accepts_the_usual_spellings():
    for written in ("2020-09-05", "2020/9/5", "2020.9.5", "2020年9月5日", "２０２０年９月５日", "20200905", 44079):
        assert parse_date(written) == dt.date(2020, 9, 5), written
    for written in ("2020-13-01", "九月", "", 1e12):
        assert parse_date(written) is None, written


def test_fingerprint_ignores_white_space_only():
    assert fingerprint("推进 5G\r\n建设") == fingerprint("推进5G\n建设")
    assert fingerprint("推进5G建设") != fingerprint("推进6G建设")


# ----------------------------------------------------------------------------- property

_LABELS = [label.zh for label in STATUS_LABELS.values()] + [label.en for label in STATUS_LABELS.values()]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_status_and_percent_combination_reads_back(bundled_plan, form, data):
    ids = [n for n, _ in raw_tasks_of(AGENCY)]
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True))
    entries: dict[str, dict[str, object]] = {}
    for task_id in chosen:
        label = data.draw(st.sampled_from(_LABELS))
        percent = data.draw(st.one_of(st.none(), st.integers(-50, 200)))
        entries[task_id] = {"status": label, **({} if percent is None else {"percent": percent})}
    result = read(bundled_plan, ("p.xlsx", fill(form, entries)))
    rows = task_rows(sheet_of(form))
    bad = {t for t, e in entries.items() if "percent" in e and not 0 <= int(e["percent"]) <= 100}
    assert {(e.code, e.row) for e in result.errors} == {("percent_range", rows[t]) for t in bad}
    statuses = {label: s for s, b in STATUS_LABELS.items() for label in b.pair()}
    assert {r.task_id: (r.status, r.percent) for r in result.reports} == {
        t: (statuses[str(e["status"])], e.get("percent")) for t, e in entries.items() if t not in bad
    }
    assert result.skipped_count == len(ids) - len(entries)


def test_progress_written_outside_the_task_rows_is_not_dropped_silently(bundled_plan, form):
    sheet = sheet_of(form)
    below = sheet.max_row + 2
    workbook = openpyxl.load_workbook(io.BytesIO(form))
    workbook.worksheets[0].cell(below, columns(sheet)["note"]).value = "补充说明：见附件"
    out = io.BytesIO()
    workbook.save(out)
    error = only_error(read(bundled_plan, ("f.xlsx", out.getvalue())))
    assert (error.code, error.row, error.field.zh) == ("missing_number", below, "序号")


# ----------------------------------------------------------------------------- the two readers


def test_calamine_and_openpyxl_read_a_form_alike(bundled_plan, form, monkeypatch):
    """Forms without formulas are read by calamine: the same reports, errors and skipped rows as openpyxl's."""
    from analysis import progress_forms

    ids = [n for n, _ in raw_tasks_of(AGENCY)]
    filled = fill(form, {
        ids[0]: {"status": "推进中", "percent": 60, "note": "已完成系统开发", "evidence": "https://example.org/a"},
        ids[1]: {"status": "已完成", "percent": "100%", "date": dt.datetime(2020, 8, 30)},
        ids[2]: {"status": "滞后", "percent": 150, "date": "2020年9月1日"},
        ids[3]: {"status": "Done", "percent": 60.5, "note": 12, "date": dt.datetime(2020, 8, 1, 9, 30)},
        ids[4]: {"status": "不知道", "evidence": dt.date(2020, 7, 1)},
    })
    assert not progress_forms._has_formulas(*_archive(filled))
    by_calamine = read(bundled_plan, ("f.xlsx", filled))
    monkeypatch.setattr(progress_forms, "_has_formulas", lambda *_: True)
    by_openpyxl = read(bundled_plan, ("f.xlsx", filled))
    assert by_calamine == by_openpyxl
    assert len(by_calamine.reports) == 2 and {e.code for e in by_calamine.errors} == {
        "percent_range", "percent_not_number", "unknown_status"}


def _archive(data: bytes):
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, archive.infolist()


def test_an_error_cell_typed_as_status_is_refused_not_skipped(bundled_plan, form):
    """Calamine reads an error cell (#N/A typed in Excel) as empty: such a form is read by openpyxl."""
    workbook = openpyxl.load_workbook(io.BytesIO(form))
    sheet = workbook.worksheets[0]
    first = raw_tasks_of(AGENCY)[0][0]
    cell = sheet.cell(task_rows(sheet)[first], columns(sheet)["status"])
    cell.value, cell.data_type = "#N/A", "e"
    out = io.BytesIO()
    workbook.save(out)
    error = only_error(read(bundled_plan, ("f.xlsx", out.getvalue())))
    assert (error.code, error.row, error.field.zh) == ("unknown_status", task_rows(sheet)[first], "状态")
