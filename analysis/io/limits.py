"""How much the readers accept: every input is read, or refused with a clear message, in well
under a minute and a few hundred MB (measured in tests/hardening/LOAD_RESULTS.md).

- a file of at most 50 MB = 50 000 000 bytes (server.maxUploadSize = 50 in .streamlit/config.toml:
  Streamlit's upload box counts a megabyte as 1 000 000 bytes, except in browsers on Windows);
- at most 100 000 tasks, and 200 000 non-empty rows of any kind, in the table read;
- at most 4 000 000 cells read from a workbook's sheets or a document's Word tables;
- an .xlsx that unpacks to at most 128 MB (read streamed), a .docx that unpacks to at most
  32 MB (python-docx holds it in memory): every member of the archive counts, whatever its
  name (a reader may open parts by any name), so zip bombs stop here;
- at most 32 767 characters in a workbook cell (Excel's own limit) and 131 072 in a Word
  table cell, and at most 32 000 000 characters of cell text in all (a zip can hold one
  32 767-character shared string referenced by every cell);
- a file without a table read as a plan document only up to 5 000 000 characters;
- a CSV cell of at most 131 072 characters (Python's csv limit; Excel's is 32 767).

A cell over 10 000 characters is kept, with a warning. Anything past a limit is refused at
once with a PlanImportError saying which limit and what to do.

The readers look the limits up here when they run (``limits.MAX_TASKS``), so a test can
lower one with ``monkeypatch.setattr(limits, "MAX_TASKS", 40)``.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from analysis.findings import PlanImportError
from analysis.io import messages as msg

MB = 1024 * 1024
MAX_FILE_MB = 50  # = server.maxUploadSize in .streamlit/config.toml
MAX_FILE_BYTES = MAX_FILE_MB * 1_000_000  # what Streamlit's upload box allows (1 MB = 10**6 bytes there)
MAX_TASKS = 100_000  # tasks in one table: the largest plan the benchmarks cover
MAX_GRID_ROWS = 2 * MAX_TASKS  # non-empty rows of any kind (headings, notes) read from a sheet
MAX_CELLS = 4_000_000  # cells read from a workbook or Word tables (e.g. 200 000 rows × 20 columns)
MAX_XLSX_XML_BYTES = 128 * MB  # sheets and shared strings of an .xlsx, unpacked (streamed)
MAX_DOCX_XML_BYTES = 32 * MB  # the body of a .docx, unpacked (python-docx holds it in memory, ~16×)
MAX_XLSX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_CELL_CHARS = 131_072  # a Word table cell (= the CSV cell limit)
MAX_TEXT_CHARS = 32_000_000  # cell text read from one workbook or document, in all
MAX_DOCUMENT_CHARS = 5_000_000  # prose read as a plan document (a 300-page text is ~300 000)
MAX_MARKUP_BYTES = 1 * MB  # one tag, comment, CDATA section or processing instruction in a workbook's XML
LONG_CELL_CHARS = 10_000  # a cell longer than this gets a warning (the data is kept)

OfficeKind = Literal["xlsx", "docx"]


def check_size(size: int, file: str) -> None:
    """Refuse a file above MAX_FILE_BYTES before reading it."""
    if size > MAX_FILE_BYTES:
        message = msg.TOO_LARGE.format(size_mb=size / 1_000_000, limit_mb=MAX_FILE_BYTES / 1_000_000)
        raise msg.refusal("too_large", message, file=file)


def too_many_rows(file: str, row: int) -> PlanImportError:
    """The error for a table past MAX_GRID_ROWS non-empty rows, at ``row``."""
    return msg.refusal("too_many_rows", msg.TOO_MANY_ROWS.format(limit=MAX_GRID_ROWS, tasks=MAX_TASKS), file=file, row=row)


def check_task_count(count: int, file: str, row: int) -> None:
    """Refuse a table before reading a task past MAX_TASKS (``count`` tasks read so far)."""
    if count >= MAX_TASKS:
        raise msg.refusal("too_many_tasks", msg.TOO_MANY_TASKS.format(limit=MAX_TASKS), file=file, row=row)


def check_document_chars(characters: int, file: str) -> None:
    """Refuse prose past MAX_DOCUMENT_CHARS as a plan document."""
    if characters > MAX_DOCUMENT_CHARS:
        raise msg.refusal(
            "too_long", msg.DOCUMENT_TOO_LONG.format(characters=characters, limit=MAX_DOCUMENT_CHARS), file=file
        )


def check_unpacked(data: bytes, file: str, kind: OfficeKind) -> None:
    """Refuse a workbook or document that would unpack beyond the limit (a zip bomb, or huge).

    Every member counts, whatever its name: the readers open parts by the names the package's
    relationships give (a body part need not end in .xml), and docProps/core.xml is parsed too.
    Only pictures and embedded files are left out, recognised by their first bytes (never by
    name): no XML parser reads a part that starts like a PNG, and a photo does not compress.
    """
    limit = MAX_XLSX_XML_BYTES if kind == "xlsx" else MAX_DOCX_XML_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = 0
            for info in archive.infolist():
                if info.file_size > _MEDIA_MIN_BYTES and _is_binary(archive, info):
                    continue
                size += info.file_size
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return  # not a readable zip (or an encrypted member): the reader reports it
    if size > limit:
        raise msg.refusal(
            "too_large_unpacked", msg.TOO_LARGE_UNPACKED.format(size_mb=size / MB, limit_mb=limit / MB), file=file
        )
    if kind == "xlsx":
        _check_markup(data, file)


def _check_markup(data: bytes, file: str) -> None:
    """Refuse a workbook with a tag, comment, CDATA section or processing instruction longer than
    MAX_MARKUP_BYTES: openpyxl parses with the standard library's expat (2.5 here), whose time
    grows with the square of such a token (a 5 MB comment: seconds; 128 MB: half an hour)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.file_size <= MAX_MARKUP_BYTES or _is_binary(archive, info):
                    continue
                with archive.open(info) as member:
                    if _longest_markup_exceeds(member, MAX_MARKUP_BYTES):
                        message = msg.MARKUP_TOO_LONG.format(part=info.filename, limit_mb=MAX_MARKUP_BYTES / MB)
                        raise msg.refusal("unreadable", message, file=file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error):
        return  # the reader reports a damaged file


_MARKUP_OPEN_RE = re.compile(rb"<(!--|!\[CDATA\[|\?)?")
_MARKUP_CLOSE = {b"!--": b"-->", b"![CDATA[": b"]]>", b"?": b"?>", None: b">"}


def _longest_markup_exceeds(stream: IO[bytes], limit: int) -> bool:
    """Whether one markup construct of the XML in ``stream`` is longer than ``limit`` bytes; one
    streamed pass (text between tags is skipped, however long: expat reads it in linear time)."""
    buffer = b""
    offset = 0  # position of buffer[0] in the stream
    position = 0  # in buffer
    closer: bytes | None = None  # inside a construct opened at `started`, ended by `closer`
    started = 0
    while chunk := stream.read(1 << 20):
        buffer = buffer[position:] + chunk
        offset += position
        position = 0
        while True:
            if closer is None:
                match = _MARKUP_OPEN_RE.search(buffer, position)
                if match is None:
                    position = len(buffer)
                    break
                if match.start() > len(buffer) - 9:
                    position = match.start()  # an opener cut by the chunk: read on
                    break
                closer = _MARKUP_CLOSE[match.group(1)]
                started = offset + match.start()
                position = match.end()
            end = buffer.find(closer, position)
            if end < 0:
                if offset + len(buffer) - started > limit:
                    return True
                position = max(position, len(buffer) - len(closer) + 1)
                break
            if offset + end - started > limit:
                return True
            position = end + len(closer)
            closer = None
    return False


_MEDIA_MIN_BYTES = 64 * 1024  # smaller members always count: no need to look inside
# First bytes of pictures and embedded files (PNG, JPEG, GIF, BMP, TIFF, WMF, EMF, OLE, zip, PDF,
# RIFF): none of them can start an XML document in any encoding an XML parser detects.
_BINARY_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"\xd7\xcd\xc6\x9a",
    b"\x01\x00\x00\x00", b"\xd0\xcf\x11\xe0", b"PK\x03\x04", b"%PDF", b"RIFF",
)


def _is_binary(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with archive.open(info) as member:
        return member.read(8).startswith(_BINARY_SIGNATURES)


def read_regular_file(path: Path, file: str) -> bytes:
    """The bytes of a regular file, read with a bound: a device (/dev/zero), a FIFO or a socket
    is refused without reading, and a file that grows while it is read stops at the limit."""
    try:
        # O_NONBLOCK: opening a FIFO without a writer would otherwise wait for ever.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise msg.refusal("unreadable", msg.CANNOT_OPEN.format(reason=exc.strerror or exc), file=file) from None
    with os.fdopen(descriptor, "rb", buffering=0) as stream:
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise msg.refusal("not_a_file", msg.NOT_A_REGULAR_FILE, file=file)
            check_size(status.st_size, file)
            chunks: list[bytes] = []
            total = 0
            while total <= MAX_FILE_BYTES and (chunk := stream.read(min(1 << 20, MAX_FILE_BYTES + 1 - total))):
                chunks.append(chunk)
                total += len(chunk)
        except OSError as exc:
            raise msg.refusal("unreadable", msg.CANNOT_OPEN.format(reason=exc.strerror or exc), file=file) from None
    data = b"".join(chunks)
    check_size(len(data), file)
    return data


@dataclass
class Budget:
    """Cells read so far from one file, against MAX_CELLS."""

    file: str
    cells: int = 0
    characters: int = 0
    bidi_controls: bool = False  # a cell held bidi control characters (removed by clean_cell)

    def spend(self, n: int, row: int) -> None:
        """``n`` cells materialised at ``row`` (empty ones and padding included)."""
        self.cells += n
        if self.cells > MAX_CELLS:
            raise msg.refusal("too_many_cells", msg.TOO_MANY_CELLS.format(limit=MAX_CELLS), file=self.file, row=row)

    def spend_text(self, length: int, row: int, *, cell_limit: int) -> None:
        """A cell of ``length`` characters at ``row``: at most ``cell_limit``, and MAX_TEXT_CHARS in all."""
        if length > cell_limit:
            message = msg.CELL_TOO_LONG.format(length=length, limit=cell_limit)
            raise msg.refusal("cell_too_long", message, file=self.file, row=row)
        self.characters += length
        if self.characters > MAX_TEXT_CHARS:
            raise msg.refusal("too_much_text", msg.TOO_MUCH_TEXT.format(limit=MAX_TEXT_CHARS), file=self.file, row=row)
