"""Limits of the readers (analysis.io.limits): refused early, with the limit named."""

from __future__ import annotations

import io
import zipfile

import pytest

from analysis.findings import PlanImportError
from analysis.io import limits, read_table
from analysis.io.text import grid_from_delimited


def test_check_size_refuses_above_the_limit_only():
    limits.check_size(limits.MAX_FILE_BYTES, "plan.xlsx")
    with pytest.raises(PlanImportError) as caught:
        limits.check_size(limits.MAX_FILE_BYTES + 1, "plan.xlsx")
    finding = caught.value.findings[0]
    assert finding.code == "too_large" and finding.file == "plan.xlsx"
    assert "50.0 MB" in finding.message_zh and "50 MB limit" in finding.message_en


def test_the_cell_budget_stops_at_the_row_that_passes_it(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 10)
    budget = limits.Budget("wide.xlsx")
    budget.spend(6, 1)
    budget.spend(4, 2)
    with pytest.raises(PlanImportError) as caught:
        budget.spend(1, 3)
    finding = caught.value.findings[0]
    assert (finding.code, finding.row, finding.file) == ("too_many_cells", 3, "wide.xlsx")
    assert "10 个单元格" in finding.message_zh and "more than 10 cells" in finding.message_en


def _zip(name: str, size: int, head: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, head + b" " * (size - len(head)))
    return buffer.getvalue()


def test_unpacked_size_is_checked_per_kind(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_XML_BYTES", 1000)
    monkeypatch.setattr(limits, "MAX_DOCX_XML_BYTES", 1000)
    limits.check_unpacked(_zip("xl/worksheets/sheet1.xml", 1000), "a.xlsx", "xlsx")
    # A picture (known by its first bytes, whatever its name) does not count; any other part does.
    limits.check_unpacked(_zip("word/media/image1.xml", 100_000, b"\x89PNG\r\n\x1a\n"), "a.docx", "docx")
    for name in ("xl/media/big.xml", "docProps/core.xml", "word/document.bin"):
        with pytest.raises(PlanImportError):
            limits.check_unpacked(_zip(name, 5000), "a.docx", "docx")
    limits.check_unpacked(b"PK\x03\x04broken", "a.xlsx", "xlsx")  # not a zip: the reader says so
    with pytest.raises(PlanImportError) as caught:
        limits.check_unpacked(_zip("word/document.xml", 1001), "a.docx", "docx")
    assert caught.value.findings[0].code == "too_large_unpacked"


def test_task_and_document_limits(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TASKS", 3)
    monkeypatch.setattr(limits, "MAX_DOCUMENT_CHARS", 20)
    limits.check_task_count(2, "t.csv", 4)
    with pytest.raises(PlanImportError) as caught:
        limits.check_task_count(3, "t.csv", 5)
    assert (caught.value.findings[0].code, caught.value.findings[0].row) == ("too_many_tasks", 5)
    limits.check_document_chars(20, "d.txt")
    with pytest.raises(PlanImportError) as caught:
        limits.check_document_chars(21, "d.txt")
    assert caught.value.findings[0].code == "too_long" and "21" in caught.value.message("en")


def test_readers_look_the_limits_up_when_they_run(monkeypatch):
    """Lowering a limit in analysis.io.limits reaches every reader (the hardening tests rely on it)."""
    text = "序号,重点工作任务,牵头单位\n" + "".join(f"{i},任务{i}。,省经信厅\n" for i in range(1, 11))
    assert len(read_table(text.encode(), "t.csv").rows) == 10
    monkeypatch.setattr(limits, "MAX_GRID_ROWS", 5)
    with pytest.raises(PlanImportError) as caught:
        grid_from_delimited(text, ",", "t.csv")
    finding = caught.value.findings[0]
    assert (finding.code, finding.row) == ("too_many_rows", 6)
    assert "超过 5 行" in finding.message_zh and "more than 5 rows" in finding.message_en
    monkeypatch.setattr(limits, "MAX_GRID_ROWS", 50)
    monkeypatch.setattr(limits, "MAX_TASKS", 4)
    with pytest.raises(PlanImportError) as caught:
        read_table(text.encode(), "t.csv")
    assert (caught.value.findings[0].code, caught.value.findings[0].row) == ("too_many_tasks", 6)
