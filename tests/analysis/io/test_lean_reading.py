"""The lean paths of the text and table readers give what the record-by-record reading gives:
a quote-free CSV split by lines (csv.reader otherwise), cells cleaned and counted in blocks,
the first lines of a long text, rows made without the dataclass's setattr."""

from __future__ import annotations

import csv
import io
import pickle

import pytest

from analysis.findings import ImportReport, PlanImportError
from analysis.io import limits, read_table
from analysis.io import text as text_module
from analysis.io.raw import RawRow, clean_cell, first_lines, raw_row
from analysis.io.table import read_grid
from analysis.io.text import DelimitedError, _unquoted_records, grid_from_delimited


def by_csv_reader(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The grid rows csv.reader gives, each cell cleaned (the reading before the lean path)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(record, [clean_cell(c) for c in row]) for record, row in enumerate(reader, start=1)]


QUOTE_FREE = [
    "序号,重点任务,牵头单位\n1,建设,省经信厅\n",
    "序号,重点任务\n\n1,建设\n\n\n2 , 推进 ,\n",  # empty lines are empty records; cells stripped
    "a,b,c\nd\ne,f,g,h,i",  # short and long rows, no final line break
    "a;b;c\n1;2;3\n",
    "a\tb\tc\n1\t\t3\n",
    ",,,\n\n",
    "",
    "\n",
    "x,  \u3000y\u200b  ,z\n",  # an ideographic space and a zero-width space: cleaned
    "a\u2028b,c\x0bd\n\x1ce,\x85f\u2029\n\x0c\n",  # other line breaks of str.splitlines: not csv's
]


@pytest.mark.parametrize("text", QUOTE_FREE)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_quote_free_text_is_split_by_lines_as_csv_reader_reads_it(text, delimiter):
    assert _unquoted_records(text, delimiter) is not None  # the lean path is taken
    assert grid_from_delimited(text, delimiter).rows == by_csv_reader(text, delimiter)


@pytest.mark.parametrize("text", [
    '序号,"重点, 任务",牵头单位\n1,"多行\n文本",省经信厅\n',  # quotes: csv.reader
    "a,b\r\nc,d\r\n",  # carriage returns end records too: csv.reader
    "a,b\rc,d",
    "a,\x00b\n",
])
def test_a_text_with_quotes_carriage_returns_or_nul_is_read_by_csv_reader(text):
    assert _unquoted_records(text, ",") is None
    assert grid_from_delimited(text, ",").rows == by_csv_reader(text, ",")


def test_a_line_past_the_field_limit_goes_to_csv_reader_which_refuses_it():
    text = "a,b\n" + "x" * (csv.field_size_limit() + 1) + "\n"
    assert _unquoted_records(text, ",") is None
    with pytest.raises(DelimitedError) as caught:
        grid_from_delimited(text, ",")
    assert caught.value.row == 2


@pytest.mark.parametrize("quoted", [False, True])
def test_the_row_limit_is_checked_in_blocks_at_the_record_that_passes_it(monkeypatch, quoted):
    monkeypatch.setattr(limits, "MAX_GRID_ROWS", 7)
    monkeypatch.setattr(text_module, "_BLOCK", 3)
    rows = ["a,b", "", "c,d", " , ", "e,f", "g,h", "i,j", "k,l", "m,n", "o,p", "q,r"]
    text = "\n".join(f'"{r}"' if quoted and r else r for r in rows) + "\n"
    filled = [record for record, cells in by_csv_reader(text, ",") if any(cells)]
    # unquoted, " , " is an empty row (the 8th filled row is record 10); quoted, the cell ","
    assert filled[7] == (9 if quoted else 10)
    with pytest.raises(PlanImportError) as caught:
        grid_from_delimited(text, ",", "t.csv")
    assert (caught.value.findings[0].code, caught.value.findings[0].row) == ("too_many_rows", filled[7])


def test_the_row_limit_is_reported_before_a_later_unreadable_record(monkeypatch):
    monkeypatch.setattr(limits, "MAX_GRID_ROWS", 2)
    monkeypatch.setattr(text_module, "_BLOCK", 100)  # the error and the limit in one block
    text = 'a,b\nc,d\ne,f\n"' + "x" * (csv.field_size_limit() + 1) + '"\n'
    with pytest.raises(PlanImportError) as caught:
        grid_from_delimited(text, ",", "t.csv")
    assert (caught.value.findings[0].code, caught.value.findings[0].row) == ("too_many_rows", 3)
    monkeypatch.setattr(limits, "MAX_GRID_ROWS", 5)
    with pytest.raises(DelimitedError):  # within the limit: the unreadable record is reported
        grid_from_delimited(text, ",", "t.csv")


@pytest.mark.parametrize("text", [
    "a\nb\r\nc\rd\x0be\u2028f\n" * 3,
    "x" * 4095 + "\r\n" + "y\n" * 20,  # \r\n across the first 4 096 characters
    "x" * 4096 + "\r\n" + "y\n" * 20,
    "\n" * 9 + "z" * 50_000 + "\n\n",
    "one line",
    "",
])
@pytest.mark.parametrize("count", [0, 1, 10])
def test_first_lines_are_those_of_splitlines(text, count):
    assert first_lines(text, count) == text.splitlines()[:count]


def test_raw_row_is_the_class_row_in_every_way():
    fields = (7, "3", "任务", "省经信厅", "省财政厅", "一、网络", ("王健",), "2022年底", ("5G",), (("备注", "x"),))
    made, plain = raw_row(*fields), RawRow(*fields)
    assert type(made) is RawRow and made == plain and repr(made) == repr(plain) and hash(made) == hash(plain)
    assert made._asdict() == plain._asdict() and made.continues is False and made.extra == (("备注", "x"),)
    assert pickle.loads(pickle.dumps(made)) == plain
    assert made._replace(continues=True) == plain._replace(continues=True) != plain
    with pytest.raises(AttributeError):
        made.text = "x"  # type: ignore[misc]


def test_table_rows_keep_every_rule_on_the_lean_path(monkeypatch):
    """Sections, repeated headers, short rows, long cells, continuation rows, leaders, deadlines,
    categories and other columns: what each row of a grid gives."""
    from analysis.io.raw import Grid
    monkeypatch.setattr(limits, "LONG_CELL_CHARS", 20)
    header = ["序号", "领域", "重点任务", "牵头单位", "配合单位", "责任领导", "完成时限", "备注"]
    grid = Grid(rows=[
        (1, header),
        (2, ["一、网络基础设施"]),
        (3, ["1", "网络", "建设基站", "省经信厅", "省通信管理局", "王 健", "2022年底", "备注一"]),
        (4, ["", "", "接续的任务", "", "", "", "", ""]),
        (5, header),  # repeated on a new page: skipped
        (6, ["2", "", "很长" * 11, "省财政厅", "", "", "", ""]),  # a long cell: a warning
        (7, ["3", "应用"]),  # short, without text: a warning
        (8, ["（二）应用创新"]),
        (9, ["序号", "", "重点任务", "牵头单位"]),  # a header repeated in fewer columns: skipped
        (10, ["4", "", "推进", "省教育厅", "", "李明、张三", "年内；长期", ""]),
    ])
    report = ImportReport(file="t.csv")
    table = read_grid(grid, "t.csv", report)
    assert table is not None
    assert [r.source_row for r in table.rows] == [3, 4, 6, 7, 10]
    first, continued, long_row, short, last = table.rows
    assert (first.section, first.subthemes, first.leaders, first.deadline, first.extra) == (
        "一、网络基础设施", ("网络",), ("王健",), "2022年底", (("备注", "备注一"),))
    assert continued.continues and continued.number == "1" and continued.lead == "省经信厅"
    assert continued.support == "省通信管理局" and continued.leaders == ("王健",)
    assert long_row.text == "很长" * 11 and short.text == "" and short.subthemes == ("应用",)
    assert (last.section, last.leaders, last.deadline) == ("（二）应用创新", ("李明", "张三"), "年内；长期")
    assert [(f.code, f.row) for f in report.findings] == [("long_cell", 6), ("short_row", 7)]
    assert any("接续" in zh or "continu" in en.lower() for zh, en in report.rules)


def test_the_task_limit_is_checked_before_the_row_past_it(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TASKS", 2)
    text = "序号,重点任务,牵头单位\n1,a,省经信厅\n2,b,省经信厅\n3,c,省经信厅\n"
    with pytest.raises(PlanImportError) as caught:
        read_table(text.encode(), "t.csv")
    assert (caught.value.findings[0].code, caught.value.findings[0].row) == ("too_many_tasks", 4)


def test_a_bidi_control_after_another_invisible_character_is_still_reported():
    header = "序号,重点任务,牵头单位\n"
    zero_width_only = read_table((header + "1,建设\u200b,省经信厅\n").encode(), "t.csv")
    assert not any(f.code == "bidi_controls" for f in zero_width_only.report.findings)
    both = read_table((header + "1,建设\u200b,省经信厅\n2,推进,\u202e省财政厅\n").encode(), "t.csv")
    assert [f.code for f in both.report.findings if f.code == "bidi_controls"] == ["bidi_controls"]
    assert [r.text for r in both.rows] == ["建设", "推进"] and both.rows[1].lead == "省财政厅"


def test_a_csv_without_a_title_row_takes_its_preamble_from_its_first_ten_lines():
    lines = ["序号,重点任务,牵头单位"] + [f"{n},任务{n},省经信厅" for n in range(1, 30)]
    table = read_table("\n".join(lines).encode(), "t.csv")
    assert table.preamble == tuple(lines[:10])


@pytest.mark.parametrize("quoted", [False, True])
def test_a_long_cell_of_a_csv_is_reported_whichever_way_it_is_read(monkeypatch, quoted):
    monkeypatch.setattr(limits, "LONG_CELL_CHARS", 12)
    long_text = '"' + "很长的任务" * 3 + '"' if quoted else "很长的任务" * 3
    text = f"序号,重点任务,牵头单位\n1,短,省经信厅\n2,{long_text},省经信厅\n3,也短,省经信厅\n"
    table = read_table(text.encode(), "t.csv")
    assert [(f.code, f.row) for f in table.report.findings] == [("long_cell", 3)]
    assert grid_from_delimited(text, ",").longest_cell == (None if quoted else len(f"2,{long_text},省经信厅"))
