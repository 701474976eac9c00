"""Property-based tests: no input makes the readers raise anything but PlanImportError.

Hypothesis feeds the unit splitter, the deadline reader, every loader (arbitrary bytes
under each suffix, arbitrary text, tables of arbitrary cells, damaged Office files) and
the model; the exports get arbitrary tables and must come out inert.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from analysis.deadlines import KINDS, PRECISIONS, read_deadline
from analysis.exports import FORMULA_PREFIXES, to_csv_bytes, to_xlsx_bytes
from analysis.findings import PlanImportError
from analysis.io import read_table
from analysis.io.headers import HEADER_ALIASES
from analysis.io.raw import clean_cell as _clean
from analysis.model import plan_from_bytes
from analysis.units import UNIT_SEPARATORS, split_units
from tests.hardening.corpus import HEADER, docx_bytes, xlsx_bytes

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Text that looks like what tables hold, and what hostile or broken ones hold.
PIECES = [
    "省经信厅", "省财政厅", "各县（市、区）人民政府", "浙江铁塔等", "等有关单位", "（牵头）", "、", "，", ",", "；", ";",
    "/", "|", "（", "）", "(", ")", "【", "】", "\n", "\t", "\u3000", " ", "2022年", "6月底前", "年底前", "上半年",
    "一季度", "二〇二一年", "８月１５日", "2月30日", "13月", "9999年", "每年", "持续", "到", "至", "截至", "-", "—", "~",
    "**", "_", "`", "<script>", "</b>", "[x](http://e)", "=1+1", "+", "@", "＝", "🚀", "\x00", "\u200b", "\ufeff",
    "\r", '"', "'", "序号", "牵头单位", "配合单位", "责任单位", "重点工作任务", "一、", "（一）", "1.", "①",
]
cell_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=10).map("".join),
)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))


# ------------------------------------------------------------------------- pure functions


@FAST
@given(cell_text)
def test_split_units_never_raises_and_gives_clean_labels(cell):
    mentions = split_units(cell)
    for mention in mentions:
        assert isinstance(mention.label, str) and mention.label
        assert isinstance(mention.etc, bool)


name_chars = st.characters(
    blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp", "Cf"),
    blacklist_characters=UNIT_SEPARATORS + "（）()[]【】。.：:\"'“”‘’等",
)


# Booleans, N/A and spreadsheet error values are never agencies (issue 20): not plain names.
plain_name = st.text(name_chars, min_size=1, max_size=8).filter(
    lambda name: re.search(r"TRUE|FALSE|N/A|#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|SPILL!|CALC!)", name,
                           re.IGNORECASE) is None
)


@FAST
@given(st.lists(plain_name, min_size=1, max_size=8))
def test_split_units_round_trips_a_list_of_plain_names(names):
    cell = "、".join(names)
    assert [m.label for m in split_units(cell)] == names


@FAST
@given(cell_text, dates, dates, st.one_of(st.none(), st.integers(min_value=-10_000, max_value=10_000)))
def test_read_deadline_never_raises_and_is_consistent(text, start, end, default_year):
    start, end = min(start, end), max(start, end)
    deadline = read_deadline(text, plan_start=start, plan_end=end, default_year=default_year)
    assert deadline.kind in KINDS
    assert deadline.precision is None or deadline.precision in PRECISIONS
    if deadline.milestones:
        assert deadline.kind == "explicit" and deadline.date == max(m.date for m in deadline.milestones)
        for milestone in deadline.milestones:
            assert milestone.text and milestone.precision in PRECISIONS
    else:
        assert deadline.date == end and deadline.text == ""


@FAST
@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.binary(max_size=10)))
def test_read_deadline_survives_non_text(value):
    deadline = read_deadline(value, plan_start=dt.date(2021, 1, 1), plan_end=dt.date(2021, 12, 31))
    assert deadline.kind == "plan_end"


# ------------------------------------------------------------------------------ loaders


SUFFIXES = [".txt", ".csv", ".tsv", ".xlsx", ".docx", ".md", "", ".pdf", ".XLSX"]


def _only_import_errors(data: bytes, name: str) -> None:
    try:
        plan = plan_from_bytes(data, name)
    except PlanImportError as error:
        assert error.findings and error.message("zh") and error.message("en")
        return
    ids = plan.tasks["task_id"].tolist()
    assert len(ids) == len(set(ids))
    assert set(plan.assignments["task_id"]) <= set(ids)
    for task_id in ids:
        if task_id.isdigit():
            int(task_id)  # the CLI's JSON writes such ids as numbers


@FAST
@given(st.binary(max_size=3000), st.sampled_from(SUFFIXES))
def test_read_table_on_arbitrary_bytes_raises_only_import_errors(data, suffix):
    try:
        read_table(data, "upload" + suffix)
    except PlanImportError:
        pass


@FAST
@given(st.binary(max_size=3000), st.sampled_from([".xlsx", ".docx", ".csv"]))
def test_zip_like_bytes_raise_only_import_errors(tail, suffix):
    # Arbitrary bytes after a zip signature reach the zip and Office readers.
    _only_import_errors(b"PK\x03\x04" + tail, "upload" + suffix)


@FAST
@given(st.text(max_size=2000), st.sampled_from([".txt", ".csv", ".tsv", ".md"]), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_arbitrary_text_raises_only_import_errors(text, suffix, encoding):
    _only_import_errors(text.encode(encoding, errors="replace"), "upload" + suffix)


@FAST
@given(st.lists(st.lists(cell_text, max_size=6), max_size=12), st.sampled_from([".txt", ".csv", ".md"]))
def test_documents_and_tables_of_pieces_raise_only_import_errors(rows, suffix):
    text = "\n".join("\t".join(row) if suffix == ".txt" else " ".join(row) for row in rows)
    _only_import_errors(text.encode("utf-8"), "plan" + suffix)


def _task_rows():
    numbers = st.one_of(st.sampled_from(["1", "1", "2", "", "１", "①", "²", "⑴", "⒈", "1-2", "r3", "3.", "99999999999"]),
                        st.text(max_size=4))
    text = cell_text.filter(lambda s: _clean(s) and _clean(s).lower() not in HEADER_ALIASES["text"])
    lead = cell_text.filter(lambda s: _clean(s) != "")
    return st.lists(st.tuples(numbers, text, lead, cell_text), min_size=1, max_size=15)


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


@FAST
@given(_task_rows())
# Found by hypothesis: tabs in every record and a quoted line break made the tab look like the delimiter.
@example([("\t", "省经信厅", "省经信厅\n", "\t")])
def test_a_table_of_arbitrary_cells_keeps_every_task(rows):
    """Duplicate, missing or odd numbers, hostile names: every row with text and a lead is a task."""
    try:
        plan = plan_from_bytes(_csv(rows), "cells.csv")
    except PlanImportError as error:
        # Only when the cells themselves are unreadable as CSV (a gigantic field) may it fail.
        pytest.fail(f"a well-formed table was refused: {error.message('en')}")
    assert len(plan.tasks) == len(rows)
    ids = plan.tasks["task_id"].tolist()
    assert len(ids) == len(set(ids))
    assert all(int(i) >= 0 for i in ids if i.isdigit())


@SLOW
@given(_task_rows(), st.sampled_from(["xlsx", "docx"]))
def test_office_tables_of_arbitrary_cells_keep_every_task(rows, kind):
    def office(value: str) -> str:
        # What Excel or Word can hold at all: no control characters (their files cannot).
        return "".join(ch for ch in value if ch in "\t\n" or not (ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF or ch in "\ufffe\uffff"))

    grid = [HEADER] + [[office(c) for c in row] for row in rows]
    assume(all(_clean(r[1]) and _clean(r[2]) for r in grid[1:]))
    data = xlsx_bytes(grid) if kind == "xlsx" else docx_bytes(grid)
    plan = plan_from_bytes(data, "cells." + kind)
    assert len(plan.tasks) == len(rows)


@pytest.fixture(scope="module")
def office_files() -> dict[str, bytes]:
    rows = [HEADER, ["1", "2022年6月底前完成。", "省经信厅", "省财政厅"], ["2", "推进。", "省科技厅", ""]]
    return {"xlsx": xlsx_bytes([["《测试（2022年）》"], *rows], ("C2:C3",)), "docx": docx_bytes(rows)}


@SLOW
@given(data=st.data(), kind=st.sampled_from(["xlsx", "docx"]))
def test_damaged_office_files_raise_only_import_errors(office_files, data, kind):
    import zipfile

    from tests.hardening.corpus import rezip

    original = office_files[kind]
    members = zipfile.ZipFile(io.BytesIO(original)).namelist()
    target = data.draw(st.sampled_from(members))
    mutation = data.draw(st.sampled_from(["flip", "cut", "insert", "drop", "truncate"]))
    position = data.draw(st.floats(min_value=0, max_value=1))
    junk = data.draw(st.sampled_from([b"<", b">", b'"', b"&", b"\x00", b"<c r=\"XFD1048576\"/>",
                                      b"<mergeCell ref=\"A1:XFD1048576\"/>", b"<w:gridSpan w:val=\"9999\"/>",
                                      b"<w:vMerge/>", b"<w:tc/>", b"]]>", b"\xff\xfe"]))

    def change(name: str, content: bytes) -> bytes | None:
        if name != target:
            return content
        at = min(int(position * len(content)), max(len(content) - 1, 0))
        if mutation == "flip":
            return content[:at] + bytes([content[at] ^ 0x5A]) + content[at + 1:] if content else content
        if mutation == "cut":
            return content[:at] + content[at + 20:]
        if mutation == "insert":
            return content[:at] + junk + content[at:]
        if mutation == "drop":
            return None
        return content[:at]

    damaged = rezip(original, change) if mutation != "truncate" else original[: int(position * len(original))]
    _only_import_errors(damaged, "damaged." + kind)


# ------------------------------------------------------------------------------ exports


export_text = st.one_of(
    cell_text,
    st.sampled_from(["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =1", "\u3000＝1", "＋1", "－1", "＠x",
                     "-5", "+3.5", "-1e3", ".5", "=", "-", "+", "@"]),
)


def _formula_like(value: str) -> bool:
    from analysis.exports import _PLAIN_NUMBER_RE

    stripped = value.lstrip(" \u3000\u00a0\n")
    return value.startswith(("\t", "\r")) or (
        stripped.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER_RE.fullmatch(stripped)
    )


@FAST
@given(st.lists(st.tuples(export_text, st.integers(-10**12, 10**12), st.floats(-1e300, 1e300, allow_nan=False)),
                min_size=1, max_size=8),
       export_text)
@example(rows=[("", 0, 0.0)], header="\x1f=")  # XLSX drops the control character: "=" must still be inert
@example(rows=[("\x00\x01+cmd", 1, 1.0)], header="h")
def test_exports_are_inert_and_keep_numbers(rows, header):
    from openpyxl import load_workbook

    frame = pd.DataFrame(rows, columns=[header or "text", "n", "x"])
    text = to_csv_bytes(frame).decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    for record in records:
        for value in record:
            assert not _formula_like(value) or value.startswith("'"), value
    workbook = load_workbook(io.BytesIO(to_xlsx_bytes(frame, sheet=header or "s")))
    sheet = workbook.active
    for row_index, row in enumerate(sheet.iter_rows(), start=1):
        for column, cell in enumerate(row):
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not _formula_like(cell.value) or cell.value.startswith("'"), cell.value
            if row_index > 1 and column == 1:
                assert isinstance(cell.value, int) and cell.value == rows[row_index - 2][1]  # numbers stay numbers
            if row_index > 1 and column == 2:
                assert isinstance(cell.value, (int, float)) and cell.value == pytest.approx(rows[row_index - 2][2])


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠x", " =1"])
def test_each_formula_start_is_neutralised_in_csv_and_xlsx(value):
    from openpyxl import load_workbook

    frame = pd.DataFrame({"单位": [value], "数量": [-5], "比例": [-0.5]})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + value, "-5", "-0.5"]
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    text, number, share = (cell for cell in sheet[2])
    assert (text.value, text.data_type) == ("'" + value, "s")
    assert (number.value, number.data_type) == (-5, "n") and (share.value, share.data_type) == (-0.5, "n")


def test_plain_numbers_in_text_stay_as_written():
    frame = pd.DataFrame({"序号": ["-5", "+3.5", "12"], "说明": ["-", "--", "-x"]})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["-5", "+3.5", "12"]
    assert [r[1] for r in rows[1:]] == ["'-", "'--", "'-x"]


def test_xlsx_export_survives_what_excel_cannot_hold():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"a": ["x" * 40_000, "a\x00b\x1fc", None], "a2": [pd.NA, 1.5, float("nan")]})
    frame.columns = ["dup", "dup"]  # duplicate headers
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame, sheet="a/b[c]:*?" + "x" * 40))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["dup", "dup"]
    assert len(values[1][0]) == 32_767 and values[1][0].endswith("…")
    assert values[2][0] == "abc" and values[2][1] == 1.5
    assert all(v is None for row in values[3:] for v in row)  # an empty row stays empty (or is left out)
    assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")


@pytest.mark.parametrize("alphabet", [string.ascii_letters, "省经信厅财政科技"])
def test_categorical_and_string_columns_are_neutralised(alphabet):
    frame = pd.DataFrame({"c": pd.Categorical(["=" + alphabet[:3], alphabet[:3]]), "s": pd.array(["@x", "y"], dtype="string")})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'=" + alphabet[:3], "'@x"]
