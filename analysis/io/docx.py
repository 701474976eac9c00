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
from analysis.io.raw import BIDI_RE, Grid, GridRow, clean_cell

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.table import CT_Row, CT_Tc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

_MAX_SPAN = 64  # columns a cell may span (or skip before a row), against hostile files


# ------------------------------------------------------------------------------ the walk
#
# Word wraps content in elements python-docx does not descend into: content controls
# (w:sdt/w:sdtContent, around a block, a row, a cell or a run), custom XML (w:customXml),
# tracked insertions (w:ins, w:moveTo), hyperlinks, smart tags and simple fields. The walk
# reads them as their content, and reads the document as it prints with all tracked changes
# accepted: inserted text kept, deleted text (w:del, w:moveFrom, a row marked deleted) left
# out. Text boxes are not body text; tables in them, and tables nested in a cell, are read as
# tables of their own.

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
# Containers read as their content (content controls read through their w:sdtContent).
_WRAPPERS = frozenset(
    f"{_W}{name}" for name in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag", "hyperlink",
                               "fldSimple", "r", "dir", "bdo")
)
# Never read: deleted text, properties, and what is not body text (text boxes, fallbacks).
_SKIPPED = frozenset(
    (f"{_W}del", f"{_W}moveFrom", f"{_W}sdtPr", f"{_W}sdtEndPr", f"{_W}rPr", f"{_W}pPr", f"{_W}trPr", f"{_W}tcPr",
     f"{_W}txbxContent", f"{_MC}Fallback")
)
_TRACKED = (f"{_W}ins", f"{_W}del", f"{_W}moveFrom", f"{_W}moveTo")


def open_document(data: bytes) -> Document:
    import docx

    return docx.Document(io.BytesIO(data))


def _children(element: Any, wanted: str) -> Iterator[Any]:
    """The ``wanted`` children of ``element``, looking through content controls, custom XML
    and tracked insertions; deleted ones (w:del, w:moveFrom) left out."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == wanted:
            yield child
        elif tag in _WRAPPERS:
            yield from _children(child, wanted)


def _block_children(element: Any) -> Iterator[Any]:
    """The paragraphs and tables directly in a body or cell, through content controls."""
    for child in element.iterchildren():
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag in _WRAPPERS:
            yield from _block_children(child)


def blocks(document: Document) -> list[Paragraph | Table]:
    """The body's paragraphs and tables, in document order (through content controls)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body: Any = document.element.body
    parent: Any = document._body
    return [Paragraph(e, parent) if e.tag == _P else Table(e, parent) for e in _block_children(body)]


def element_text(element: Any) -> str:
    """The text of a paragraph (or any element) as it prints with tracked changes accepted."""
    parts: list[str] = []
    stack = [iter(element.iterchildren())]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag not in _SKIPPED and isinstance(tag, str):
            stack.append(iter(child.iterchildren()))
    return "".join(parts)


def paragraph_text(paragraph: Paragraph) -> str:
    return element_text(paragraph._p)


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
        """The cell's own paragraphs (through content controls; not those of nested tables)."""
        from docx.table import _Cell
        from docx.text.paragraph import Paragraph

        parent = _Cell(self.element, self.table)
        return [Paragraph(e, parent) for e in _block_children(self.element) if e.tag == _P]

    @property
    def text(self) -> str:
        return "\n".join(paragraph_text(p) for p in self.paragraphs)


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
        for tc in _children(self.element, _TC):
            yield WordCell(tc, self.table)


def _deleted_row(tr: Any) -> bool:
    """A row marked deleted with tracked changes (w:trPr/w:del): gone once changes are accepted."""
    properties = tr.find(f"{_W}trPr")
    return properties is not None and properties.find(f"{_W}del") is not None


def table_rows(table: Table) -> Iterator[WordRow]:
    """The rows of a table, from its XML (rows in content controls too; deleted rows left out)."""
    rows = (tr for tr in _children(table._tbl, _TR) if not _deleted_row(tr))
    for number, tr in enumerate(rows, start=1):
        yield WordRow(number, tr, table)


def all_tables(document: Document) -> tuple[list[Table], int]:
    """Every table in document order: in the body, nested in a cell or in a text box (its
    Word 2010 form only, not the fallback copy). Also how many are nested or in text boxes."""
    from docx.table import Table

    body: Any = document.element.body
    parent: Any = document._body
    tables: list[Table] = []
    inner = 0
    for element in body.iter(_TBL):
        ancestors = {a.tag for a in element.iterancestors()}
        if ancestors & {f"{_MC}Fallback", f"{_W}del", f"{_W}moveFrom"}:
            continue
        if _TBL in ancestors or f"{_W}txbxContent" in ancestors:
            inner += 1
        tables.append(Table(element, parent))
    return tables, inner


def has_tracked_changes(document: Document) -> bool:
    body: Any = document.element.body
    return any(True for _ in body.iter(*_TRACKED))


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
            if cell.merged_from_above:
                text = above.get(column, "")
            else:
                raw = cell.text
                budget.spend_text(len(raw), row.number, cell_limit=limits.MAX_CELL_CHARS)
                text = clean_cell(raw)
            cells.append(text)
            cells.extend([""] * (span - 1))
            current[column] = text
            column += span
            budget.spend(span, row.number)
        budget.spend(row.skipped_columns, row.number)
        above = current
        rows.append((row.number, cells))
    return rows


def grids_from_docx(data: bytes, file: str, report: ImportReport | None = None) -> list[Grid]:
    """Each table of a .docx as a grid (nested tables and tables in text boxes too, after the
    table that holds them); its paragraphs are every grid's preamble.

    A file that does not open is an ``unreadable`` import error; a damaged table is
    skipped with a warning. Tracked changes are read as accepted, and the report says so.
    """
    from docx.table import Table

    limits.check_unpacked(data, file, "docx")
    budget = limits.Budget(file)
    try:
        document = open_document(data)
        body = blocks(document)
        preamble = [text for b in body if not isinstance(b, Table) and (text := paragraph_text(b).strip())]
        lead_ins = _lead_ins(body)
        tables, inner = all_tables(document)
        tracked = has_tracked_changes(document)
        bidi = any(BIDI_RE.search(node.text or "") for node in document.element.body.iter(_T))
    except PlanImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many types on damaged files
        raise msg.office_unreadable("docx", exc, file) from None
    if report is not None:
        if tracked:
            report.add("warning", "tracked_changes", *msg.TRACKED_CHANGES.pair())
        if inner:
            report.add("info", "nested_tables", *msg.NESTED_TABLES.format(count=inner).pair())
        if bidi:
            report.add("warning", "bidi_controls", *msg.bidi_removed(msg.BIDI_IN_CELLS).pair())
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
        grids.append(Grid(rows=rows, preamble=preamble, lead_in=lead_ins.get(_position(table), [])))
    return grids


def _position(table: Table) -> tuple[int, ...]:
    """Where a table's element sits in the document tree (its index at each level)."""
    path: list[int] = []
    element: Any = table._tbl
    while (parent := element.getparent()) is not None:
        path.append(parent.index(element))
        element = parent
    return tuple(reversed(path))


def _lead_ins(body: list[Paragraph | Table]) -> dict[tuple[int, ...], list[str]]:
    """For each table of the body, the paragraph texts between the previous table and it."""
    from docx.table import Table

    lead_ins: dict[tuple[int, ...], list[str]] = {}
    since: list[str] = []
    for block in body:
        if isinstance(block, Table):
            lead_ins[_position(block)] = since
            since = []
        elif text := paragraph_text(block).strip():
            since.append(text)
    return lead_ins


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
        text = numbering.prefix(paragraph) + paragraph_text(paragraph)
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
