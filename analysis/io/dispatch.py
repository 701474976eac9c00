"""Which reader for which file: bytes in, a raw table out.

The one place that knows every reader. A file is sized, sniffed (:mod:`analysis.io.sniff`)
and read into candidate grids (:mod:`analysis.io.text`, :mod:`analysis.io.xlsx`,
:mod:`analysis.io.docx`); the first grid with a task header is the table
(:mod:`analysis.io.table`). A text or Word file without one is read as a plan document
with responsibilities written inline (:mod:`analysis.io.document`): a Word file's
paragraphs first, then with its table cells too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analysis.findings import ImportReport, PlanImportError
from analysis.io import limits
from analysis.io import messages as msg
from analysis.io.formats import convert_with_libreoffice, grids_from_workbook, read_html, read_pdf, sniff_extra
from analysis.io.headers import ColumnRole, find_header, normalise_header
from analysis.io.lines import grid_from_cell_lines, grid_from_pipe_rows
from analysis.io.raw import BIDI_RE, Grid, RawTable, clean_name, first_invisible, first_lines
from analysis.io.sniff import CSV_SUFFIXES, FileKind, decode_text, file_kind, suffix_of
from analysis.io.table import join_continued_tables, join_sheets, read_grid
from analysis.io.text import DelimitedError, grid_from_text
from analysis.io.xlsx import grids_from_xlsx

#: The lines of a plan document, read when asked: (line or paragraph number, text).
DocumentLines = Callable[[], list[tuple[int, str]]]


@dataclass
class _Candidates:
    """What a file may hold: grids that may have a task header, then documents to try."""

    grids: list[Grid]
    documents: list[DocumentLines] = field(default_factory=list)


def read_table(data: bytes, file: str, columns: Mapping[str, str] | None = None) -> RawTable:
    """Read a task division table from the bytes of a file called `file`.

    A .txt/.md/.docx file (or text without extension) without a table header is read as
    a plan document with responsibilities written inline (`analysis.io.document`); for
    .docx its paragraphs first, then its table cells too. A workbook or Word file is
    recognised by its content whatever its name ends in.

    ``columns`` (header as written → role code, see analysis.io.headers.ROLE_CODES) replaces
    the inferred role of those columns; columns it does not name keep theirs.

    Raises PlanImportError (with Chinese and English messages naming the file and row)
    when the file cannot be read, is beyond the limits (`analysis.io.limits`), or holds
    neither a table nor such tasks. Never raises anything else.
    """
    cleaned = clean_name(file)  # no bidi override disguising the name (or its agencies) in messages
    report = ImportReport(file=cleaned)
    if cleaned != file:
        report.add("warning", "bidi_controls", *msg.bidi_removed(msg.BIDI_IN_FILE_NAME).pair())
    file = cleaned
    limits.check_size(len(data), file)
    if not data or data.isspace():  # = not data.strip(), without copying the bytes
        raise msg.refusal("empty", msg.EMPTY, file=file)
    candidates = _candidates(data, file, report)
    overrides = {header: ColumnRole(role) for header, role in (columns or {}).items()}
    table = _first_table(candidates.grids, file, report, overrides)
    if table is not None and overrides:
        _check_mapped_columns(table, overrides, file)
    if table is None:
        table = _first_document(candidates.documents, file, report)
    if table is None:
        raise msg.refusal("no_table", msg.NO_TABLE, file=file)
    return table


@dataclass(frozen=True)
class ColumnPreview:
    """What the mapping step shows: each column's header and detected role, and the first rows."""

    file: str
    columns: tuple[tuple[str, str], ...]  # (header as written, detected role)
    rows: tuple[tuple[str, ...], ...]  # the first rows below the header, one cell per column
    missing: tuple[str, ...] = ()  # required roles not found (the file is refused without a mapping)

    @property
    def signature(self) -> str:
        """The header, for remembering a mapping: files with the same header share it."""
        return "\x1f".join(normalise_header(h) for h, _ in self.columns)


def preview_columns(data: bytes, file: str, columns: Mapping[str, str] | None = None, rows: int = 5) -> ColumnPreview | None:
    """The columns of the file's table with their detected (or given) roles, and its first rows;
    None for a file without a table header (a plan document). Module-level and picklable:
    run in the worker process (analysis.isolate) like the import."""
    report = ImportReport(file=file)
    limits.check_size(len(data), file)
    if not data or data.isspace():  # = not data.strip(), without copying the bytes
        raise msg.refusal("empty", msg.EMPTY, file=file)
    overrides = {header: ColumnRole(role) for header, role in (columns or {}).items()}
    for grid in _candidates(data, file, report).grids:
        header = find_header(grid, overrides)
        if header is None or not header.fields:
            continue
        fields = header.fields
        body = [cells for _, cells in grid.rows[header.index + 1 :] if any(cells)][:rows]
        return ColumnPreview(
            file=file,
            columns=tuple((f.header, f.role.value) for f in fields),
            rows=tuple(tuple(cells[f.index] if f.index < len(cells) else "" for f in fields) for cells in body),
            missing=tuple(role.value for role in header.missing()),
        )
    return None


def read_file_bytes(path: Path) -> bytes:
    """A plan file's bytes; a missing, unreadable or oversized file is an import error, not a traceback."""
    if not path.exists():
        raise msg.refusal("not_found", msg.FILE_NOT_FOUND, file=str(path))
    if path.is_dir():
        raise msg.refusal("is_dir", msg.IS_DIRECTORY, file=str(path))
    return limits.read_regular_file(path, path.name)


def read_table_file(path: Path) -> RawTable:
    return read_table(read_file_bytes(path), path.name)


# ------------------------------------------------------------------------------- steps


def _candidates(data: bytes, file: str, report: ImportReport) -> _Candidates:
    extra = sniff_extra(data, suffix_of(file))
    if extra is not None:
        return _extra_candidates(extra, data, file, report)
    kind = file_kind(data, file)
    if kind == FileKind.XLSX:
        return _Candidates(join_sheets(grids_from_xlsx(data, file, report), report))
    if kind == FileKind.DOCX:
        from analysis.io.docx import docx_lines, grids_from_docx  # (see _first_document)

        grids = join_continued_tables(grids_from_docx(data, file, report), report)
        documents: list[DocumentLines] = [lambda: docx_lines(data, tables=False)]
        if any(grid.rows for grid in grids):
            documents.append(lambda: docx_lines(data, tables=True))
        return _Candidates(grids, documents)
    return _text_candidates(data, file, report)


def _extra_candidates(extra: str, data: bytes, file: str, report: ImportReport) -> _Candidates:
    """.xls (calamine), .doc/.wps (LibreOffice → DOCX), PDF (pdfplumber), HTML (lxml)."""
    if extra == "xls":
        return _Candidates(join_sheets(grids_from_workbook(data, file), report))
    if extra == "doc":
        from analysis.io.docx import docx_lines, grids_from_docx  # (see _first_document)

        converted = convert_with_libreoffice(data, file, "docx")
        grids = join_continued_tables(grids_from_docx(converted, file, report), report)
        documents: list[DocumentLines] = [lambda: docx_lines(converted, tables=False)]
        if any(grid.rows for grid in grids):
            documents.append(lambda: docx_lines(converted, tables=True))
        return _Candidates(grids, documents)
    if extra == "pdf":
        grids, lines = read_pdf(data, file)
        return _Candidates(grids, [lambda: lines])
    text = decode_text(data, file)
    grids, lines = read_html(data, file, text)
    return _Candidates(grids, [lambda: lines])


def _text_candidates(data: bytes, file: str, report: ImportReport) -> _Candidates:
    """A text file's grid, and (unless it is a CSV) its lines as a plan document."""
    suffix = suffix_of(file)
    text = decode_text(data, file)
    invisible = first_invisible(text)  # one scan of the text for both questions
    if invisible >= 0 and BIDI_RE.search(text, invisible):  # removed from every cell and line by the readers
        report.add("warning", "bidi_controls", *msg.bidi_removed(msg.BIDI_IN_CELLS).pair())
    if not text or text.isspace():  # = not text.strip()
        raise msg.refusal("empty", msg.EMPTY_WHITESPACE, file=file)
    dirty = invisible >= 0 or "\u3000" in text or "\r" in text  # = needs_cleaning(text)
    try:
        grid = grid_from_text(text, suffix, file, dirty=dirty)
    except DelimitedError as exc:  # stray quotes, or a gigantic cell: not a table
        if suffix in CSV_SUFFIXES:
            raise msg.refusal("unreadable", exc.message, file=file, row=exc.row) from None
        grid = Grid(rows=[])
    if not grid.preamble:
        grid.preamble = [line.strip() for line in first_lines(text, 10) if line.strip()]
    if suffix in CSV_SUFFIXES:
        return _Candidates([grid])
    cell_lines = grid_from_cell_lines(text)  # a web page's table copied as text, one cell per line
    pipes = grid_from_pipe_rows(text)  # a table written with | between cells
    grids = [grid, *(g for g in (cell_lines, pipes) if g is not None)]
    return _Candidates(grids, [lambda: list(enumerate(text.splitlines(), start=1))])


def _check_mapped_columns(table: RawTable, overrides: Mapping[str, ColumnRole], file: str) -> None:
    """A mapping naming a column the table does not have is refused (a typo would be ignored)."""
    headers = {normalise_header(h) for h, _ in table.column_roles}
    for header in overrides:
        if normalise_header(header) not in headers:
            shown = "、".join(h for h, _ in table.column_roles)
            raise msg.refusal("unknown_column", msg.UNKNOWN_MAPPED_COLUMN.format(header=header, headers=shown), file=file)


def _first_table(
    grids: list[Grid], file: str, report: ImportReport, overrides: Mapping[str, ColumnRole] | None = None
) -> RawTable | None:
    """The first sheet or table with a task header.

    A header lacking a required column is reported only when no other sheet or table has
    a complete one.
    """
    missing_column: PlanImportError | None = None
    for grid in grids:
        try:
            table = read_grid(grid, file, report, overrides)
        except PlanImportError as exc:
            if exc.findings[0].code != "missing_column":
                raise
            missing_column = missing_column or exc
            continue
        if table is not None:
            if not table.rows:
                raise msg.refusal("no_tasks", msg.HEADER_WITHOUT_TASKS, file=file)
            return table
    if missing_column is not None:
        raise missing_column
    return None


def _first_document(documents: list[DocumentLines], file: str, report: ImportReport) -> RawTable | None:
    """The first reading of the file as a plan document that finds tasks."""
    # The document and Word readers are imported when a file needs them: their few dozen
    # patterns, compiled at import, are a part of the start of every command that reads a table.
    from analysis.io.document import read_document

    for lines in documents:
        try:
            numbered = lines()
        except PlanImportError:
            raise
        except Exception as exc:  # noqa: BLE001 - python-docx on a damaged part of the document
            raise msg.office_unreadable("docx", exc, file) from None
        limits.check_document_chars(sum(len(line) for _, line in numbered), file)
        table = read_document(numbered, file, report)
        if table is not None:
            table.preamble = tuple(line.strip() for _, line in numbered[:40] if line.strip())
            return table
    return None
