"""The raw table: what every reader produces, before any interpretation.

A reader turns a file into one or more :class:`Grid` s (cells as strings, with their row
numbers in the source); the table reader (:mod:`analysis.io.table`) and the document
reader (:mod:`analysis.io.document`) turn those into a :class:`RawTable` of
:class:`RawRow` s. Units, deadlines and task ids are read later, by :mod:`analysis.model`.

The import report and :class:`~analysis.findings.PlanImportError` live in
:mod:`analysis.findings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from analysis.findings import ImportReport

#: One row of a grid: its row (or line) number in the source, 1-based, and its cells.
GridRow = tuple[int, list[str]]


class RawRow(NamedTuple):
    """One task as written in the table, before any interpretation. (A named tuple: the table
    reader makes one per task, and a tuple is made in one step and holds no dict.)"""

    source_row: int  # line (text) or row (CSV/XLSX/DOCX) number in the file, 1-based
    number: str
    text: str
    lead: str
    support: str
    section: str = ""
    leaders: tuple[str, ...] = ()  # responsible leaders (people, not agencies)
    deadline: str = ""  # the deadline column (完成时限) as written; it wins over the text
    subthemes: tuple[str, ...] = ()  # finer category levels below the theme (section)
    extra: tuple[tuple[str, str], ...] = ()  # other columns, (header as written, cell)
    continues: bool = False  # an unnumbered row continuing the numbered task above (5 → 5-2)


@dataclass
class RawTable:
    file: str
    rows: list[RawRow]
    title: str = ""  # 《…》 title found before the table, if any
    columns: dict[str, int] = field(default_factory=dict)  # recognised column → index
    single_responsible_column: bool = False
    report: ImportReport = field(default_factory=ImportReport)
    notes: tuple[str, ...] = ()  # plan-level notes (blanket responsibilities), from documents
    default_year: int | None = None  # year for 年底前 / 年内 when the title names one year
    column_roles: tuple[tuple[str, str], ...] = ()  # (header as written, role) of every column used
    preamble: tuple[str, ...] = ()  # text before the table (title, issuer), for plan metadata


@dataclass
class Grid:
    """Cells of one table with their row numbers in the source, plus text before it."""

    rows: list[GridRow]
    preamble: list[str] = field(default_factory=list)
    # Word: the paragraphs between the previous table and this one (a section heading that
    # splits one table in two, 续表, a new caption).
    lead_in: list[str] = field(default_factory=list)
    name: str = ""  # a workbook's sheet name
    # No cell is longer than this (a reader that knows it: a CSV's longest line), else None.
    longest_cell: int | None = None


# Control characters (never meaningful in a table, and illegal in XLSX exports), invisible
# zero-width characters (they would make 省经信厅 and 省经信厅\u200b two agencies) and bidi
# controls (U+202E shows "厅信经省" for 省经信厅, or disguises a file name's extension).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")
_INVISIBLE_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\ufffe\uffff{BIDI_CONTROLS}]")


def clean_name(name: str) -> str:
    """A file name without bidi, control and zero-width characters."""
    return _INVISIBLE_RE.sub("", name)


def needs_cleaning(text: str) -> bool:
    """Whether `clean_cell` of some part of `text` can differ from that part stripped (an
    ideographic space, a carriage return or an invisible character in it)."""
    return "\u3000" in text or "\r" in text or _INVISIBLE_RE.search(text) is not None


def first_invisible(text: str) -> int:
    """The index of the first control, zero-width or bidi character of `text`, -1 if none
    (bidi controls are among them: `BIDI_RE` need only be searched from there)."""
    match = _INVISIBLE_RE.search(text)
    return -1 if match is None else match.start()


def clean_cell(cell: object) -> str:
    """A cell as text: integral floats without ``.0``, no control or zero-width characters,
    ideographic spaces as spaces, stripped."""
    if type(cell) is str:  # most cells: no conversion
        text = cell.replace("\u3000", " ").replace("\r", "")
        return _INVISIBLE_RE.sub("", text).strip() if _INVISIBLE_RE.search(text) else text.strip()
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).replace("\u3000", " ").replace("\r", "")
    return _INVISIBLE_RE.sub("", text).strip()


def first_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]``, without splitting the rest of a long text."""
    size = 4096
    while True:
        head = text[:size]
        lines = head.splitlines()
        # A line after the first `count` has begun: they are whole (a \r\n cut in two ends the
        # head with \r, and then no line follows it).
        if len(lines) > count or len(head) == len(text):
            return lines[:count]
        size *= 4


_new_tuple = tuple.__new__


def raw_row(
    source_row: int, number: str, text: str, lead: str, support: str, section: str,
    leaders: tuple[str, ...], deadline: str, subthemes: tuple[str, ...], extra: tuple[tuple[str, str], ...],
) -> RawRow:
    """``RawRow(source_row, number, …, extra)`` (not a continuation), made in one step
    (``tuple.__new__``, without the keyword handling of the class's own ``__new__``)."""
    return _new_tuple(RawRow, (source_row, number, text, lead, support, section, leaders, deadline, subthemes, extra, False))
