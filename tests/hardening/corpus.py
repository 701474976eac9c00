"""The bad-input corpus: what officials actually upload, and what each must give.

Small static files live in tests/fixtures/bad/; large or binary ones are generated here
at run time (into a pytest tmp_path). Each case says what the import must give: an error
(its code, and the row when there is one) or a plan (checked by a function).
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.io.limits import MAX_FILE_BYTES
from tests.conftest import ROOT

STATIC = ROOT / "tests" / "fixtures" / "bad"
HEADER = ["序号", "重点工作任务", "牵头单位", "配合单位"]
TITLE = "《某市数字化改革2022年重点任务分工》"


@dataclass
class Case:
    name: str  # the file name, as uploaded
    make: Callable[[], bytes]  # builds the file's bytes (large ones only when a test needs them)
    error: str | None = None  # expected PlanImportError code; None: the plan is imported
    row: int | None = None  # the row the error names, if any
    says: tuple[str, ...] = ()  # words the English message must contain
    check: Callable | None = None  # for imported plans: check(plan)
    cli: bool = True  # also run through `python -m analysis summary FILE --json`
    tags: set[str] = field(default_factory=set)
    _data: bytes | None = field(default=None, repr=False)

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = self.make()
        return self._data


# ------------------------------------------------------------------------- builders


def xlsx_bytes(rows: list[list[object]], merges: tuple[str, ...] = (), *, sheets: dict | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    for title, extra in (sheets or {}).items():
        more = workbook.create_sheet(title, 0)
        for row in extra:
            more.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(rows: list[list[str]], merges: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (),
               title: str = TITLE) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    for (a, b), (c, d) in merges:
        table.cell(a, b).merge(table.cell(c, d))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_vertical_merge(rows: int) -> bytes:
    """A Word table whose lead cell is merged down all `rows` task rows (vMerge), built in XML."""
    import docx
    from docx.table import _Cell

    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=rows + 1, cols=4)
    tcs = [tr.tc_lst for tr in table._tbl.tr_lst]
    for j, head in enumerate(HEADER):
        _Cell(tcs[0][j], table).text = head
    for i in range(1, rows + 1):
        _Cell(tcs[i][0], table).text = str(i)
        _Cell(tcs[i][1], table).text = f"推进第{i}项工作。"
        _Cell(tcs[i][3], table).text = "省财政厅"
    _Cell(tcs[1][2], table).text = "省经信厅"
    tcs[1][2].vMerge = "restart"
    for i in range(2, rows + 1):
        tcs[i][2].vMerge = "continue"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The package with each member passed through change(name, content) (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def zip_bomb_xlsx(unpacked_mb: int = 1024) -> bytes:
    """A tiny .xlsx whose sheet unpacks to `unpacked_mb` MB (white space inside sheetData)."""
    good = xlsx_bytes([HEADER, ["1", "推进。", "省经信厅", ""]])
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = content.partition(b"<sheetData>")
                entry = zipfile.ZipInfo(info.filename)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with target.open(entry, "w", force_zip64=True) as stream:
                    stream.write(head + b"<sheetData>")
                    block = b" " * (1024 * 1024)
                    for _ in range(unpacked_mb):
                        stream.write(block)
                    stream.write(tail)
            else:
                target.writestr(info.filename, content)
    return out.getvalue()


def csv_of(rows: int, *, text: str = "推进第{i}项工作，完善机制建设。", title: str = TITLE) -> bytes:
    lines = [title, ",".join(HEADER)]
    for i in range(1, rows + 1):
        lines.append(f"{i},{text.format(i=i)},单位{i % 500}局,单位{(i + 1) % 500}局、单位{(i + 2) % 500}局")
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_of_size(size: int) -> bytes:
    """A well-formed task table CSV of exactly `size` bytes (many short rows; the last one cut)."""
    rows = size // 80
    data = csv_of(rows)
    while len(data) < size:
        rows = int(rows * size / len(data)) + 100
        data = csv_of(rows)
    return data[:size]


# --------------------------------------------------------------------------- checks


def _tasks(plan) -> dict[str, tuple[str, str, str]]:
    return {r.task_id: (r.text, r.lead_text, r.support_text) for r in plan.tasks.itertuples()}


def _check_duplicates(plan) -> None:
    ids = plan.tasks["task_id"].tolist()
    assert len(ids) == 6 and len(set(ids)) == 6, ids  # no task lost, ids unique
    assert [t for t, *_ in _tasks(plan).values()] == ["任务甲。", "任务乙。", "任务丙。", "任务丁。", "任务戊。", "任务己。"]
    codes = {(f.code, f.row) for f in plan.report.warnings}
    assert {("duplicate_number", 4), ("missing_number", 5), ("duplicate_number", 8)} <= codes


def _check_merged(plan) -> None:
    tasks = _tasks(plan)
    assert list(tasks) == ["1", "2", "3", "4"], tasks  # headings merged across the row are not tasks
    assert tasks["1"][1] == tasks["2"][1] == "省经信厅"  # a unit merged down two rows leads both
    assert tasks["3"][1:] == ("省科技厅", "")  # lead+support merged across: the lead only
    sections = plan.tasks["section"].tolist()
    assert sections == ["一、平台建设", "一、平台建设", "二、数据共享", "二、数据共享"], sections


def _check_two_row_header(plan) -> None:
    tasks = _tasks(plan)
    assert tasks["1"][1:] == ("省经信厅", "省财政厅")
    assert tasks["2"][1:] == ("省科技厅", "省经信厅")


def _check_vertical(rows: int) -> Callable:
    def check(plan) -> None:
        assert len(plan.tasks) == rows
        assert set(plan.tasks["lead_text"]) == {"省经信厅"}
    return check


def _check_gbk(plan) -> None:
    assert plan.meta.title == "某市2022年数字化改革重点任务"
    assert _tasks(plan)["1"] == ("2022年6月底前建成一体化平台。", "省经信厅", "省财政厅、省科技厅")
    assert str(plan.tasks["deadline"].iloc[0].date()) == "2022-06-30"


def _check_fullwidth(plan) -> None:
    tasks = _tasks(plan)
    assert list(tasks) == ["１", "２"]
    assert tasks["１"][1:] == ("省经信厅、省财政厅、省科技厅", "省发展改革委、省通管局、浙江电信")
    assert tasks["２"][1:] == ("省经信厅", "省财政厅、省科技厅")
    assert str(plan.tasks["deadline"].iloc[0].date()) == "2022-06-30"


HOSTILE_NAMES = ("<script>alert(1)<script>", "**粗体**[链接](http://evil.example)", "$x^2$局", "`代码`局", "🚀数字办", "_斜体_局")


def _check_hostile(plan) -> None:
    agencies = set(plan.agencies["agency"])
    assert set(HOSTILE_NAMES) <= agencies, agencies - set(HOSTILE_NAMES)  # kept exactly as written
    assert "**粗体**" in plan.meta.title and "<b>标题</b>" in plan.meta.title


def _check_formula(plan) -> None:
    assert {"=1+1局", "+cmd局", "-2+3局", "@SUM局", "＝全角局", "＋全角局"} <= set(plan.agencies["agency"])
    assert plan.tasks["text"].iloc[1] == "-5"


def _check_long_cell(plan) -> None:
    assert len(plan.tasks["text"].iloc[0]) == 100_000  # kept in full
    assert any(f.code == "long_cell" and f.row == 3 for f in plan.report.warnings)


def _check_invisible(plan) -> None:
    # NUL and other control characters, zero-width spaces and a BOM inside a cell are dropped.
    assert _tasks(plan)["1"][1:] == ("省经信厅", "省财政厅")
    assert plan.agencies["registered"].all()


def _check_odd_numbers(plan) -> None:
    ids = plan.tasks["task_id"].tolist()
    assert ids == ["1", "2", "99999999999"], ids
    gap = next(f for f in plan.report.warnings if f.code == "gap_in_numbers")
    assert "99,999,999,996" in gap.message_en  # counted, never listed one by one


def _check_cut(plan) -> None:
    assert len(plan.tasks) == 2 and plan.tasks["text"].iloc[1] == "推进数据共享，年底前完成。"
    assert plan.tasks["support_text"].iloc[1] == "省经信"  # the cut-off last character is gone, nothing else


def _check_sheet2(plan) -> None:
    assert len(plan.tasks) == 2 and plan.tasks["lead_text"].tolist() == ["省经信厅", "省科技厅"]


def _check_dimension(plan) -> None:
    assert len(plan.tasks) == 3


# ---------------------------------------------------------------------------- corpus


def corpus() -> list[Case]:
    """Every case; large files are built here (call once per test session)."""
    good_rows = [HEADER, ["1", "2022年6月底前完成。", "省经信厅", "省财政厅"], ["2", "推进共享。", "省科技厅", "省经信厅"]]
    good_xlsx = xlsx_bytes([[TITLE], *good_rows])
    good_docx = docx_bytes(good_rows)
    merged_rows = [
        [TITLE], HEADER,
        ["一、平台建设", None, None, None],
        ["1", "建设平台。", "省经信厅", "省财政厅"],
        ["2", "完善平台。", None, "省科技厅"],
        ["二、数据共享", None, None, None],
        ["3", "推进共享。", "省科技厅", None],
        ["4", "共享评估。", "省财政厅", "省经信厅"],
    ]
    merged_docx_rows = [[c or "" for c in row] for row in merged_rows[1:]]
    two_row_header = [
        [TITLE],
        ["序号", "重点工作任务", "责任单位", None],
        [None, None, "牵头单位", "配合单位"],
        ["1", "建设平台。", "省经信厅", "省财政厅"],
        ["2", "推进共享。", "省科技厅", "省经信厅"],
    ]

    def static(name: str) -> bytes:
        return (STATIC / name).read_bytes()

    def broken_sheet_xml(name: str, content: bytes) -> bytes:
        return content.replace(b"<sheetData>", b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>") \
            if name == "xl/worksheets/sheet1.xml" else content

    def broken_document_xml(name: str, content: bytes) -> bytes:
        return content[: len(content) // 2] if name == "word/document.xml" else content

    def wrong_dimension(name: str, content: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            import re

            return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', content)
        return content

    long_text = "推" * 99_991 + "2022年底前完成"
    invisible = (
        f"{TITLE}\n{','.join(HEADER)}\n"
        "1,\x00推进\x01工作\x7f。,省经信\u200b厅\x00,\ufeff省财政厅\u200d\n"
    ).encode()
    odd_numbers = f"{TITLE}\n{','.join(HEADER)}\n①,任务一。,省经信厅,\n²,任务二。,省经信厅,\n99999999999,任务三。,省经信厅,\n".encode()

    return [
        # Nothing, or not a table at all.
        Case("empty.csv", lambda: static("empty.csv"), "empty", says=("empty",)),
        Case("blank.txt", lambda: static("blank.txt"), "empty", says=("empty",)),
        Case("random.xlsx", lambda: random.Random(1).randbytes(20_000), "unreadable", says=("Excel",)),
        Case("random.docx", lambda: random.Random(2).randbytes(20_000), "unreadable", says=("Word",)),
        Case("random.csv", lambda: random.Random(3).randbytes(20_000), "encoding", says=("decode",)),
        # High bytes decode as GB18030 (it maps almost every byte pair): text, but no table in it.
        Case("gibberish.txt", lambda: bytes(random.Random(4).randrange(128, 256) for _ in range(20_000)), "no_table"),
        Case("screenshot.xlsx", lambda: static("screenshot.xlsx"), "unreadable", says=("PNG image",)),
        Case("old_excel.xlsx", lambda: static("old_excel.xlsx"), "unreadable", says=("old Office file", ".xlsx")),
        Case("scan.docx", lambda: static("scan.docx"), "unreadable", says=("PDF",)),
        Case("slides.xlsx", lambda: _pptx_like(), "unreadable", says=("PowerPoint",)),
        Case("archive.csv", lambda: _plain_zip(), "unreadable", says=("ZIP archive",)),
        # Damaged Office files.
        Case("truncated.xlsx", lambda: good_xlsx[: len(good_xlsx) // 2], "unreadable", says=("damaged",)),
        Case("truncated.docx", lambda: good_docx[: len(good_docx) // 2], "unreadable", says=("damaged",)),
        Case("truncated_tail.xlsx", lambda: good_xlsx[:-40], "unreadable", says=("damaged",)),
        Case("broken_xml.xlsx", lambda: rezip(good_xlsx, broken_sheet_xml), "unreadable", says=("damaged",)),
        Case("broken_xml.docx", lambda: rezip(good_docx, broken_document_xml), "unreadable", says=("damaged",)),
        Case("zip_bomb.xlsx", lambda: zip_bomb_xlsx(256), "too_large_unpacked", says=("unpacks to about 256 MB",)),
        # Wrong or missing columns, no rows.
        Case("wrong_columns.csv", lambda: static("wrong_columns.csv"), "no_table", says=("no task table",)),
        Case("missing_lead.csv", lambda: static("missing_lead.csv"), "missing_column", row=2, says=("lead",)),
        Case("header_only.csv", lambda: static("header_only.csv"), "no_tasks", says=("no tasks",)),
        # Sizes.
        Case("too_big.csv", lambda: csv_of_size(MAX_FILE_BYTES + 1), "too_large", says=("50 MB limit",), tags={"large"}),
        Case("almost_50mb.csv", lambda: csv_of_size(MAX_FILE_BYTES - 1), "too_many_rows", row=200_001,
             says=("more than 200,000 rows",), tags={"large"}),
        Case("giant_cell.csv", lambda: (f"{TITLE}\n{','.join(HEADER)}\n1,{'推' * 200_000},省经信厅,\n").encode(),
             "unreadable", row=3, says=("131,072 characters",)),
        # Imported, with warnings where something was odd.
        Case("duplicate_numbers.csv", lambda: static("duplicate_numbers.csv"), check=_check_duplicates),
        Case("merged.xlsx", lambda: xlsx_bytes(merged_rows, ("A3:D3", "C4:C5", "A6:D6", "C7:D7")), check=_check_merged),
        Case("merged.docx", lambda: docx_bytes(merged_docx_rows, (((1, 0), (1, 3)), ((2, 2), (3, 2)), ((4, 0), (4, 3)),
                                                          ((5, 2), (5, 3)))), check=_check_merged),
        Case("two_row_header.xlsx", lambda: xlsx_bytes(two_row_header, ("A2:A3", "B2:B3", "C2:D2")), check=_check_two_row_header),
        Case("vertical_merge_3000.docx", lambda: docx_vertical_merge(3000), check=_check_vertical(3000)),
        Case("cover_sheet.xlsx", lambda: xlsx_bytes(good_rows, sheets={"封面": [["填报说明"], ["序号", "备注"]]}), check=_check_sheet2),
        Case("wrong_dimension.xlsx", lambda: rezip(xlsx_bytes([HEADER, *good_rows[1:], ["3", "三。", "省经信厅", ""]]), wrong_dimension),
             check=_check_dimension),
        Case("long_cell.csv", lambda: (f"{TITLE}\n{','.join(HEADER)}\n1,{long_text},省经信厅,\n").encode(), check=_check_long_cell),
        Case("wps_gbk.csv", lambda: static("wps_gbk.csv"), check=_check_gbk),
        Case("wps_gbk.txt", lambda: static("wps_gbk.txt"), check=_check_gbk),
        Case("utf16_no_bom.csv", lambda: static("wps_gbk.csv").decode("gbk").encode("utf-16-le"), check=_check_gbk),
        Case("fullwidth.csv", lambda: static("fullwidth.csv"), check=_check_fullwidth),
        Case("hostile.csv", lambda: static("hostile.csv"), check=_check_hostile),
        Case("formula.csv", lambda: static("formula.csv"), check=_check_formula),
        Case("invisible.csv", lambda: invisible, check=_check_invisible),
        Case("odd_numbers.csv", lambda: odd_numbers, check=_check_odd_numbers),
        # A download cut off in the middle of its last (three-byte) character.
        Case("cut_mid_character.csv", lambda: static("wps_gbk.csv").decode("gbk").encode("utf-8")[:-2],
             check=_check_cut),
    ]


def _pptx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return out.getvalue()


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("计划.xlsx", b"not really")
    return out.getvalue()


def write(cases: list[Case], directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in cases:
        path = directory / case.name
        path.write_bytes(case.data)
        paths[case.name] = path
    return paths
