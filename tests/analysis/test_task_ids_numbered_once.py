"""Task ids of a table whose every task has its own number (model._task_ids' short path) are
those numbers, with the same gap warning; any other table goes through the rules task by task."""

from __future__ import annotations

from analysis import model
from analysis.findings import ImportReport
from analysis.io.raw import RawRow, RawTable


def _ids(numbers: list[str], continues: int | None = None, columns: dict[str, int] | None = None):
    rows = [RawRow(n + 2, number, f"任务{n}", "省经信厅", "", continues=n == continues)
            for n, number in enumerate(numbers)]
    report = ImportReport(file="t.csv")
    table = RawTable(file="t.csv", rows=rows, columns={"number": 0, "text": 1} if columns is None else columns)
    return model._task_ids(table, report), [(f.code, f.row, f.message_zh) for f in report.findings]


def test_numbers_written_once_are_the_ids_and_gaps_are_still_reported():
    ids, findings = _ids(["1", "2", "5", "1-2", "6."])
    assert ids == ["1", "2", "5", "1-2", "6"]
    assert [(code, row) for code, row, _ in findings] == []  # "1-2" is not a number: no gap check
    ids, findings = _ids(["1", "2", "5"])
    assert ids == ["1", "2", "5"] and [code for code, _, _ in findings] == ["gap_in_numbers"]
    assert "3、4" in findings[0][2]
    # A number too long to convert (19 digits and more) is no number to check gaps against.
    ids, findings = _ids(["1", "3", "1" * 19])
    assert ids == ["1", "3", "1" * 19] and findings == []
    ids, findings = _ids(["1", "3", "1" * 18, "2"])
    assert [code for code, _, _ in findings] == ["gap_in_numbers"]


def test_repeated_missing_continued_or_unnumbered_tables_keep_their_rules():
    assert _ids(["1", "1", "2"])[0] == ["1", "1-2", "2"]
    assert _ids(["①", "1"])[0] == ["1", "1-2"]  # ① is 1: written twice
    ids, findings = _ids(["1", "", "3"])
    assert ids == ["1", "r3", "3"] and findings[0][:2] == ("missing_number", 3)
    assert _ids(["a", "b"], columns={"text": 1})[0] == ["1", "2"]  # no number column: the sequence
    ids, findings = _ids(["4", "5", "5"], continues=2)  # a continuation row (its number is the one above)
    assert ids == ["4", "5", "5-2"] and findings[0][:2] == ("missing_number", 4)
