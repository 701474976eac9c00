"""Which reader for which file (analysis.io.dispatch, through the public analysis.io API)."""

from __future__ import annotations

import io

import docx
import pytest

from analysis.findings import PlanImportError
from analysis.io import read_file_bytes, read_table, read_table_file
from tests.conftest import SEED
from tests.hardening.corpus import HEADER, docx_bytes, xlsx_bytes

ROWS = [HEADER, ["1", "建成千兆光网。", "省经信厅", "省通管局"], ["2", "推进应用。", "省科技厅", ""]]
DOCUMENT = "《某市行动方案》\n1. 建成千兆光网。（牵头单位：省经信厅；配合单位：省通管局）\n2. 推进应用。（牵头单位：省科技厅）\n"


def rows_of(table) -> list[tuple[str, str, str, str]]:
    return [(r.number, r.text, r.lead, r.support) for r in table.rows]


EXPECTED = [("1", "建成千兆光网。", "省经信厅", "省通管局"), ("2", "推进应用。", "省科技厅", "")]


@pytest.mark.parametrize("name,data", [
    ("plan.csv", "\n".join(",".join(r) for r in ROWS).encode("utf-8")),
    ("plan.tsv", "\n".join("\t".join(r) for r in ROWS).encode("utf-16")),
    ("plan.txt", "\n\n".join("\n".join("\t" + c for c in r) for r in ROWS).encode("gb18030")),
    ("plan.xlsx", xlsx_bytes(ROWS)),
    ("plan.docx", docx_bytes(ROWS)),
    ("upload", xlsx_bytes(ROWS)),  # no suffix: the content decides
    ("notes.txt", DOCUMENT.encode()),  # no table: read as a plan document
])
def test_every_format_reads_the_same_rows(name, data):
    assert rows_of(read_table(data, name)) == EXPECTED


def test_a_csv_is_never_read_as_a_plan_document():
    with pytest.raises(PlanImportError) as caught:
        read_table(DOCUMENT.encode(), "notes.csv")
    assert caught.value.findings[0].code == "no_table"


def test_a_broken_csv_names_the_row_but_broken_text_is_read_as_a_document():
    huge = "1," + "x" * 200_000 + "\n"
    with pytest.raises(PlanImportError) as caught:
        read_table(("序号,任务\n" + huge).encode(), "big.csv")
    assert (caught.value.findings[0].code, caught.value.findings[0].row) == ("unreadable", 2)
    with pytest.raises(PlanImportError) as caught:
        read_table(("序号\t任务\n1\t" + "x" * 200_000 + "\n").encode(), "big.txt")
    assert caught.value.findings[0].code == "no_table"


def test_word_paragraphs_are_read_when_no_table_has_a_header():
    document = docx.Document()
    for line in DOCUMENT.splitlines():
        document.add_paragraph(line)
    document.add_table(rows=1, cols=2).cell(0, 0).text = "版式表格"
    buffer = io.BytesIO()
    document.save(buffer)
    table = read_table(buffer.getvalue(), "plan.docx")
    assert rows_of(table) == EXPECTED and table.title == "某市行动方案"


def test_the_first_complete_header_wins_over_an_incomplete_one():
    data = xlsx_bytes(ROWS, sheets={"旧表": [["序号", "重点工作任务", "配合单位"], ["1", "任务。", "省财政厅"]]})
    assert rows_of(read_table(data, "plan.xlsx")) == EXPECTED
    with pytest.raises(PlanImportError) as caught:
        read_table(xlsx_bytes([["序号", "重点工作任务", "配合单位"], ["1", "任务。", "省财政厅"]]), "plan.xlsx")
    assert caught.value.findings[0].code == "missing_column"


@pytest.mark.parametrize("data,name,code", [
    (b"", "empty.csv", "empty"),
    (b" \n\t\n", "blank.txt", "empty"),
    ("\u3000\n".encode(), "blank.txt", "empty"),
    ("序号,重点工作任务,牵头单位\n".encode(), "header.csv", "no_tasks"),
    (b"just words\n", "words.txt", "no_table"),
    (b"a,b\n", "plan.pdf", "format"),
    (b"PK\x03\x04broken", "broken.docx", "unreadable"),
])
def test_bad_files_are_import_errors_naming_the_file(data, name, code):
    with pytest.raises(PlanImportError) as caught:
        read_table(data, name)
    assert caught.value.findings[0].code == code
    assert name in caught.value.message("zh") and name in caught.value.message("en")


def test_reading_from_a_path(tmp_path):
    assert len(read_table_file(SEED).rows) == 35
    assert read_file_bytes(SEED) == SEED.read_bytes()
    for path, code in ((tmp_path / "missing.csv", "not_found"), (tmp_path, "is_dir")):
        with pytest.raises(PlanImportError) as caught:
            read_file_bytes(path)
        assert caught.value.findings[0].code == code and str(path) in caught.value.message("en")
