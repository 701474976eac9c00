"""Reading plan files: tables (tab-block text, CSV/TSV, XLSX, DOCX) and plan documents.

Modules, lowest first (each imports only those above it):

- :mod:`~analysis.io.raw`: the raw table (RawRow, RawTable) and the grid every reader gives;
- :mod:`~analysis.io.messages`: what the readers say, in Chinese and English;
- :mod:`~analysis.io.limits`: size, row, cell and unpacked limits, and the cell budget;
- :mod:`~analysis.io.sniff`: file kind by bytes and suffix, text decoding;
- :mod:`~analysis.io.text`, :mod:`~analysis.io.xlsx`, :mod:`~analysis.io.docx`: one reader
  per format (the Word walk, for tables and for text, is in ``docx``);
- :mod:`~analysis.io.headers`: which column holds what;
- :mod:`~analysis.io.table`: a grid with a task header → raw rows;
- :mod:`~analysis.io.document`: a plan document with responsibilities written inline → raw rows;
- :mod:`~analysis.io.dispatch`: which reader for which file (:func:`read_table`).

Nothing here interprets units or deadlines: that is :mod:`analysis.model`'s job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.io.dispatch import read_file_bytes, read_table, read_table_file
from analysis.io.formats import EXTRA_SUFFIXES
from analysis.io.limits import check_size
from analysis.io.raw import Grid, RawRow, RawTable
from analysis.io.sniff import SUPPORTED_SUFFIXES as _BASE_SUFFIXES
from analysis.io.sniff import decode_text

#: Every suffix a plan file may have (the uploader's list): text, CSV, XLSX, DOCX, and
#: .xls/.doc/.wps/.pdf/.html (analysis.io.formats).
SUPPORTED_SUFFIXES = _BASE_SUFFIXES | EXTRA_SUFFIXES

if TYPE_CHECKING:
    from analysis.io.document import read_document, read_document_text, title_year
    from analysis.io.docx import docx_lines

# The plan-document readers (a few dozen patterns compiled when their modules are imported) are
# imported when one of them is first asked for: reading a table (a CSV) never needs them.
_LAZY = {
    "read_document": "analysis.io.document", "read_document_text": "analysis.io.document",
    "title_year": "analysis.io.document", "docx_lines": "analysis.io.docx",
}


def __getattr__(name: str) -> Any:
    """The plan-document readers, imported when first asked for (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "SUPPORTED_SUFFIXES",
    "Grid",
    "RawRow",
    "RawTable",
    "check_size",
    "decode_text",
    "docx_lines",
    "read_document",
    "read_document_text",
    "read_file_bytes",
    "read_table",
    "read_table_file",
    "title_year",
]
