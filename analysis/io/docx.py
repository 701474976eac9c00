"""Word reader: one walk through a .docx, used for its tables and for its text.

:func:`blocks` gives the body's paragraphs and tables in document order; :func:`table_rows`
gives a table's rows and cells from its XML in one pass, with the merges Word writes:
a cell merged down several rows (vMerge) is a :class:`WordCell` marked
``merged_from_above`` in the rows below its first, a cell merged across columns (gridSpan)
has a ``span``. (python-docx's ``row.cells`` looks up the cell above recursively:
quadratic, and a RecursionError past ~1000 merged rows.)

On that walk:

- :func:`grids_from_docx` reads each table as a grid (a vertically merged cell gives its
  text to each of its rows, like a merged Excel cell; a cell merged across columns keeps
  its text in its first column, so columns stay aligned with the header);
- :func:`docx_lines` reads the text as numbered lines for the document reader: the
  paragraphs, and with ``tables=True`` the paragraphs of table cells too, each merged cell
  once. Word's automatic numbering (``1.``, ``（一）`` set by the list format rather than
  typed) is written in front of the text, so numbered items are recognised either way.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analysis.findings import ImportReport, PlanImportError
from analysis.io import limits
from analysis.io import messages as msg
from analysis.io.raw import Grid, GridRow, clean_cell

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.table import CT_Row, CT_Tc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

_MAX_SPAN = 64  # columns a cell may span (or skip before a row), against hostile files


# ------------------------------------------------------------------------------ the walk


def open_document(data: bytes) -> Document:
    import docx

    return docx.Document(io.BytesIO(data))


def blocks(document: Document) -> list[Paragraph | Table]:
    """The body's paragraphs and tables, in document order."""
    return list(document.iter_inner_content())


@dataclass(frozen=True)
class WordCell:
    """One cell (``<w:tc>``) of a table row."""

    element: CT_Tc
    table: Table

    @property
    def merged_from_above(self) -> bool:
        """The cell continues a vertical merge: its content is the first row's."""
        return self.element.vMerge == "continue"

    @property
    def span(self) -> int:
        """Grid columns the cell covers."""
        return max(1, min(int(self.element.grid_span or 1), _MAX_SPAN))

    @property
    def paragraphs(self) -> list[Paragraph]:
        from docx.table import _Cell

        return list(_Cell(self.element, self.table).paragraphs)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class WordRow:
    """One row (``<w:tr>``) of a table; ``number`` counts the table's rows from 1."""

    number: int
    element: CT_Row
    table: Table

    @property
    def skipped_columns(self) -> int:
        """Grid columns left empty before the first cell (gridBefore)."""
        return max(0, min(int(self.element.grid_before or 0), _MAX_SPAN))

    def cells(self) -> Iterator[WordCell]:
        for tc in self.element.tc_lst:
            yield WordCell(tc, self.table)


def table_rows(table: Table) -> Iterator[WordRow]:
    """The rows of a table, from its XML."""
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        yield WordRow(number, tr, table)


# ---------------------------------------------------------------------------- as tables


def table_grid_rows(table: Table, budget: limits.Budget) -> list[GridRow]:
    """Rows of a Word table as cells aligned on the table's grid columns."""
    rows: list[GridRow] = []
    above: dict[int, str] = {}  # grid column → text of the cell there in the previous row
    for row in table_rows(table):
        column = row.skipped_columns
        cells = [""] * column
        current: dict[int, str] = {}
        for cell in row.cells():
            span = cell.span
            text = above.get(column, "") if cell.merged_from_above else clean_cell(cell.text)
            cells.append(text)
            cells.extend([""] * (span - 1))
            current[column] = text
            column += span
        budget.spend(len(cells), row.number)
        above = current
        rows.append((row.number, cells))
    return rows


def grids_from_docx(data: bytes, file: str, report: ImportReport | None = None) -> list[Grid]:
    """Each table of a .docx as a grid; its paragraphs are every grid's preamble.

    A file that does not open is an ``unreadable`` import error; a damaged table is
    skipped with a warning.
    """
    from docx.table import Table

    limits.check_unpacked(data, file, "docx")
    budget = limits.Budget(file)
    try:
        body = blocks(open_document(data))
        preamble = [b.text.strip() for b in body if not isinstance(b, Table) and b.text.strip()]
        tables = [b for b in body if isinstance(b, Table)]
    except PlanImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many types on damaged files
        raise msg.office_unreadable("docx", exc, file) from None
    grids = []
    for index, table in enumerate(tables, start=1):
        try:
            rows = table_grid_rows(table, budget)
        except PlanImportError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged table: skip it, keep the others
            if report is not None:
                message = msg.WORD_TABLE_DAMAGED.format(index=index, error=type(exc).__name__)
                report.add("warning", "unreadable_table", *message.pair())
            continue
        if sum(1 for _, cells in rows if any(cells)) > limits.MAX_GRID_ROWS:
            raise limits.too_many_rows(file, rows[limits.MAX_GRID_ROWS][0])
        grids.append(Grid(rows=rows, preamble=preamble))
    return grids


# ----------------------------------------------------------------------------- as text


def docx_lines(data: bytes, *, tables: bool = False) -> list[tuple[int, str]]:
    """The paragraphs of a .docx in order, as (paragraph number, text) lines.

    Paragraph numbers count the body's paragraphs from 1. With ``tables=True`` the
    paragraphs of table cells are read too, in document order, and counted alike (a
    merged cell once, in its first row). The caller has checked that the file opens.
    """
    from docx.table import Table

    document = open_document(data)
    numbering = WordNumbering(document)
    lines: list[tuple[int, str]] = []
    count = 0

    def add(paragraph: Paragraph) -> None:
        nonlocal count
        count += 1
        text = numbering.prefix(paragraph) + paragraph.text
        lines.extend((count, part) for part in (text.splitlines() or [""]))

    for block in blocks(document):
        if not isinstance(block, Table):
            add(block)
        elif tables:
            for row in table_rows(block):
                for cell in row.cells():
                    if not cell.merged_from_above:
                        for paragraph in cell.paragraphs:
                            add(paragraph)
    return lines


# ------------------------------------------------------------------- automatic numbering

_CN_DIGITS = "零一二三四五六七八九"
_TO_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _chinese_number(value: int) -> str:
    if value <= 0 or value >= 100:
        return str(value)
    tens, units = divmod(value, 10)
    if tens == 0:
        return _CN_DIGITS[units]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[units] if units else "")


def format_number(value: int, number_format: str) -> str:
    """``value`` written in a Word list number format (w:numFmt)."""
    if number_format.startswith(("chineseCounting", "chineseLegal", "ideographLegal", "japaneseCounting")):
        return _chinese_number(value)
    if number_format.startswith("decimalEnclosedCircle") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if number_format == "decimalFullWidth":
        return str(value).translate(_TO_FULLWIDTH)
    if number_format in ("lowerLetter", "upperLetter") and 1 <= value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter if number_format == "lowerLetter" else letter.upper()
    return str(value)


#: A list level: (number format, text template such as "%1.", start value).
_Level = tuple[str, str, int]


class WordNumbering:
    """Best-effort rendering of Word's automatic list numbers (decimal and Chinese)."""

    def __init__(self, document: Document) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            self.levels = _list_levels(document)
        except (AttributeError, KeyError, NotImplementedError, ValueError, TypeError):
            self.levels = {}

    def prefix(self, paragraph: Paragraph) -> str:
        """The number Word shows in front of ``paragraph`` ("" for none); counts it."""
        if not self.levels:
            return ""
        found = _numbering_of(paragraph)
        if found is None:
            return ""
        num_id, level = found
        levels = self.levels.get(num_id)
        if not levels or level not in levels:
            return ""
        number_format, template, start = levels[level]
        if number_format in ("bullet", "none") or not template:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]

        def render(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            fmt, _, first = levels.get(index, ("decimal", "", 1))
            return format_number(counters.get(index, first), fmt)

        return re.sub(r"%([1-9])", render, template)


def _list_levels(document: Document) -> dict[str, dict[int, _Level]]:
    """The levels of each numbering definition (w:num) of the document, by numId."""
    from docx.oxml.ns import qn

    element: Any = document.part.numbering_part.element
    abstract = {a.get(qn("w:abstractNumId")): a for a in element.findall(qn("w:abstractNum"))}

    def value(node: Any, tag: str) -> str:
        child = node.find(qn(tag))
        return str(child.get(qn("w:val"), "")) if child is not None else ""

    found: dict[str, dict[int, _Level]] = {}
    for num in element.findall(qn("w:num")):
        definition = abstract.get(value(num, "w:abstractNumId"))
        if definition is None:
            continue
        levels: dict[int, _Level] = {}
        for level in definition.findall(qn("w:lvl")):
            start = value(level, "w:start")
            levels[int(level.get(qn("w:ilvl"), "0"))] = (
                value(level, "w:numFmt") or "decimal",
                value(level, "w:lvlText"),
                int(start) if start.isdigit() else 1,
            )
        found[num.get(qn("w:numId"), "")] = levels
    return found


def _numbering_of(paragraph: Paragraph) -> tuple[str, int] | None:
    """(numId, level) of a numbered paragraph (directly or through its style), else None."""
    try:
        properties = paragraph._p.pPr
        num_pr: Any = properties.numPr if properties is not None else None
        if num_pr is None and paragraph.style is not None and paragraph.style.element.pPr is not None:
            num_pr = paragraph.style.element.pPr.numPr
        if num_pr is None or num_pr.numId is None:
            return None
        return str(num_pr.numId.val), int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
    except (AttributeError, ValueError, TypeError):
        return None
