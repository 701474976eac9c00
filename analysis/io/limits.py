"""How much the readers accept: every input is read, or refused with a clear message, in well
under a minute and a few hundred MB (measured in tests/hardening/LOAD_RESULTS.md).

- a file of at most 50 MB (= server.maxUploadSize in .streamlit/config.toml);
- at most 100 000 tasks, and 200 000 non-empty rows of any kind, in the table read;
- at most 4 000 000 cells read from a workbook's sheets or a document's Word tables;
- an .xlsx whose XML unpacks to at most 128 MB (read streamed), a .docx whose body
  unpacks to at most 32 MB (python-docx holds it in memory): zip bombs stop here;
- a file without a table read as a plan document only up to 5 000 000 characters;
- a CSV cell of at most 131 072 characters (Python's csv limit; Excel's is 32 767).

A cell over 10 000 characters is kept, with a warning. Anything past a limit is refused at
once with a PlanImportError saying which limit and what to do.

The readers look the limits up here when they run (``limits.MAX_TASKS``), so a test can
lower one with ``monkeypatch.setattr(limits, "MAX_TASKS", 40)``.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Literal

from analysis.findings import PlanImportError
from analysis.io import messages as msg

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB  # = server.maxUploadSize in .streamlit/config.toml
MAX_TASKS = 100_000  # tasks in one table: the largest plan the benchmarks cover
MAX_GRID_ROWS = 2 * MAX_TASKS  # non-empty rows of any kind (headings, notes) read from a sheet
MAX_CELLS = 4_000_000  # cells read from a workbook or Word tables (e.g. 200 000 rows × 20 columns)
MAX_XLSX_XML_BYTES = 128 * MB  # sheets and shared strings of an .xlsx, unpacked (streamed)
MAX_DOCX_XML_BYTES = 32 * MB  # the body of a .docx, unpacked (python-docx holds it in memory, ~16×)
MAX_DOCUMENT_CHARS = 5_000_000  # prose read as a plan document (a 300-page text is ~300 000)
LONG_CELL_CHARS = 10_000  # a cell longer than this gets a warning (the data is kept)

OfficeKind = Literal["xlsx", "docx"]


def check_size(size: int, file: str) -> None:
    """Refuse a file above MAX_FILE_BYTES before reading it."""
    if size > MAX_FILE_BYTES:
        raise msg.refusal("too_large", msg.TOO_LARGE.format(size_mb=size / MB, limit_mb=MAX_FILE_BYTES / MB), file=file)


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
    """Refuse a workbook or document whose XML would unpack beyond the limit (a zip bomb, or huge)."""
    limit = MAX_XLSX_XML_BYTES if kind == "xlsx" else MAX_DOCX_XML_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(
                info.file_size for info in archive.infolist()
                if info.filename.lower().endswith((".xml", ".rels"))
                and (kind == "xlsx" or info.filename.startswith("word/"))
            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return  # not a readable zip: the reader reports it
    if size > limit:
        raise msg.refusal(
            "too_large_unpacked", msg.TOO_LARGE_UNPACKED.format(size_mb=size / MB, limit_mb=limit / MB), file=file
        )


@dataclass
class Budget:
    """Cells read so far from one file, against MAX_CELLS."""

    file: str
    cells: int = 0

    def spend(self, n: int, row: int) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            raise msg.refusal("too_many_cells", msg.TOO_MANY_CELLS.format(limit=MAX_CELLS), file=self.file, row=row)
