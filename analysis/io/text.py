"""Text readers: the tab-block text of published attachments, and delimited text (CSV/TSV).

The published attachment format writes each cell on its own line starting with a tab,
rows as blocks separated by blank lines. Other text is read as rows of delimited cells:
``.tsv`` by tabs, ``.csv`` by commas (or tabs, when its first line has more of them), and
text without tab blocks by tabs.
"""

from __future__ import annotations

import csv
import io
import re

from analysis.io import limits
from analysis.io import messages as msg
from analysis.io.raw import Grid, GridRow, clean_cell, needs_cleaning
from analysis.vocab import Bilingual

_TAB_CELL_RE = re.compile(r"^\t\S")


class DelimitedError(csv.Error):
    """A CSV that cannot be read, with the record where reading stopped."""

    def __init__(self, message: Bilingual, row: int) -> None:
        super().__init__(message.en)
        self.message, self.row = message, row

    @property
    def zh(self) -> str:
        return self.message.zh

    @property
    def en(self) -> str:
        return self.message.en


def looks_like_tab_blocks(text: str) -> bool:
    """Cells as tab-indented lines, and no line of several tab-separated cells."""
    return any(_TAB_CELL_RE.match(line) for line in text.splitlines()) and not any(
        line.count("\t") >= 2 and not line.startswith("\t") for line in text.splitlines()
    )


def grid_from_tab_blocks(text: str) -> Grid:
    """The published attachment format: cells as tab-indented lines, rows as blocks."""
    grid = Grid(rows=[])
    block: list[str] = []
    block_start = 0
    in_table = False
    lines = text.splitlines()
    for lineno, line in enumerate([*lines, ""], start=1):
        if line.strip() == "" and not line.startswith("\t"):
            if block:
                grid.rows.append((block_start, block))
                block = []
            continue
        if line.startswith("\t"):
            if not block:
                block_start = lineno
            block.append(clean_cell(line[1:]))
            in_table = True
        elif not in_table:
            grid.preamble.append(line.strip())
        else:
            # A non-indented line inside the table continues the previous cell
            # (text pasted with hard line breaks).
            if block:
                block[-1] = block[-1] + line.strip()
            else:
                grid.preamble.append(line.strip())
    return grid


def grid_from_delimited(text: str, delimiter: str, file: str = "", *, dirty: bool | None = None) -> Grid:
    """Rows of delimited cells; raises DelimitedError for text that is not a readable CSV.

    ``dirty``: `needs_cleaning(text)` when the caller knows it already (one scan of the text
    fewer). Records are read in blocks of `_BLOCK` and cleaned and counted a block at a time:
    the row limit is checked before a later unreadable record is reported, as record by record.
    """
    rows: list[GridRow] = []
    # A text without ideographic spaces, carriage returns or invisible characters: clean_cell of
    # each of its cells is the cell stripped (one test of the whole text, not one per cell).
    if dirty is None:
        dirty = needs_cleaning(text)
    clean = clean_cell if dirty else str.strip
    block: list[list[str]] = []
    filled = 0

    def flush() -> None:
        nonlocal filled
        start = len(rows) + 1
        cleaned = [[clean(c) for c in row] for row in block]
        count = sum(map(any, cleaned))
        if filled + count > limits.MAX_GRID_ROWS:  # the record of the first row past the limit
            for record, cells in enumerate(cleaned, start=start):
                filled += any(cells)
                if filled > limits.MAX_GRID_ROWS:
                    raise limits.too_many_rows(file, record)
        filled += count
        rows.extend(zip(range(start, start + len(cleaned)), cleaned, strict=True))
        block.clear()

    unquoted = _unquoted_records(text, delimiter)
    if unquoted is not None:  # the common CSV: no quotes, so no record to parse cell by cell
        records, longest = unquoted
        for start in range(0, len(records), _BLOCK):
            block[:] = records[start : start + _BLOCK]
            flush()
        return Grid(rows=rows, longest_cell=longest)  # no cell is longer than its line
    # (The reader made only here: its StringIO copies the text, four bytes a character.)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    append = block.append
    try:
        for row in reader:
            append(row)
            if len(block) == _BLOCK:
                flush()
    except csv.Error as exc:
        flush()
        if "field larger than field limit" in str(exc):
            message = msg.CSV_CELL_TOO_LONG.format(limit=csv.field_size_limit())
        else:
            message = msg.CSV_UNREADABLE.format(error=exc)
        raise DelimitedError(message, reader.line_num) from None
    flush()
    return Grid(rows=rows)


def _unquoted_records(text: str, delimiter: str) -> tuple[list[list[str]], int] | None:
    """What `csv.reader` reads from a text without quotes, carriage returns and NULs, and no
    line longer than the field limit: its lines (\\n ends one) split at the delimiter, an empty
    line an empty record; and the length of its longest line. None for any other text (read by
    `csv.reader`)."""
    if '"' in text or "\r" in text or "\x00" in text:
        return None
    lines = text.split("\n")
    if lines and not lines[-1]:  # the last line's \n ends it; no record follows
        lines.pop()
    longest = max(map(len, lines), default=0)
    if longest > csv.field_size_limit():
        return None  # csv.reader refuses the field, or not: it says which
    return [line.split(delimiter) if line else [] for line in lines], longest


_BLOCK = 4096  # records read before they are cleaned and counted (see grid_from_delimited)


_DELIMITERS = (",", "\t", ";")


def csv_delimiter(text: str) -> str:
    """The delimiter of a CSV: comma, tab or semicolon (Excel writes ";" where the decimal
    separator is a comma), whichever splits the first records most consistently.

    Reads the first 20 non-empty records with each candidate, quotes honoured (a quoted cell
    may hold a line break or another candidate): a delimiter scores the number of records
    with the most common cell count (above 1); ties go to the comma, then the tab.
    """
    head = text[:200_000]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        counts = _record_widths(head, delimiter)
        common = max(set(counts), key=counts.count, default=0)
        score = counts.count(common) if common > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _record_widths(text: str, delimiter: str, records: int = 20) -> list[int]:
    """Cell counts of the first ``records`` non-empty records read with ``delimiter``."""
    widths: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                widths.append(len(row))
                if len(widths) == records:
                    break
    except csv.Error:
        pass  # a cut quoted cell at the end of the sample, or a cell past the field limit
    return widths


def grid_from_text(text: str, suffix: str, file: str = "", *, dirty: bool | None = None) -> Grid:
    """The grid of a text file called ``*{suffix}`` (``dirty``: see `grid_from_delimited`)."""
    if suffix == ".tsv":
        return grid_from_delimited(text, "\t", file, dirty=dirty)
    if suffix == ".csv":
        return grid_from_delimited(text, csv_delimiter(text), file, dirty=dirty)
    if looks_like_tab_blocks(text):
        grid = grid_from_tab_blocks(text)
        if len(grid.rows) > limits.MAX_GRID_ROWS:
            raise limits.too_many_rows(file, grid.rows[limits.MAX_GRID_ROWS][0])
        return grid
    # Plain text with one row per line and tab-separated cells.
    return grid_from_delimited(text, "\t", file, dirty=dirty)
