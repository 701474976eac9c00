"""What a file is: its kind by content and suffix, and its text decoded.

A workbook or Word file is recognised by its bytes whatever its name ends in; images, PDFs,
old Office files, archives and other zips uploaded by mistake are refused with a message
saying what to do instead. Text is UTF-8 (with or without BOM), UTF-16 (with BOM, or
plainly UTF-16) or GB18030/GBK.
"""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum
from pathlib import Path
from typing import Final

from analysis.io import messages as msg
from analysis.vocab import Bilingual

TEXT_SUFFIXES: Final = {".txt", ".text", ".md"}
CSV_SUFFIXES: Final = {".csv", ".tsv"}
XLSX_SUFFIXES: Final = {".xlsx", ".xlsm"}
DOCX_SUFFIXES: Final = {".docx"}
SUPPORTED_SUFFIXES: Final = TEXT_SUFFIXES | CSV_SUFFIXES | XLSX_SUFFIXES | DOCX_SUFFIXES


class FileKind(StrEnum):
    """Which reader a file goes to."""

    XLSX = "xlsx"
    DOCX = "docx"
    TEXT = "text"  # tab-block text, delimited text (CSV/TSV), or a plan document


def suffix_of(file: str) -> str:
    return Path(file).suffix.lower()


def file_kind(data: bytes, file: str) -> FileKind:
    """The reader for ``data`` called ``file``: the content decides, then the suffix.

    Raises PlanImportError for a file of a known other format (image, PDF, archive …) or
    an unsupported suffix.
    """
    suffix = suffix_of(file)
    kind = office_kind(data)
    if kind is None:
        refuse_known_formats(data, file)
    if kind == FileKind.XLSX or (kind is None and suffix in XLSX_SUFFIXES):
        return FileKind.XLSX
    if kind == FileKind.DOCX or (kind is None and suffix in DOCX_SUFFIXES):
        return FileKind.DOCX
    if suffix in SUPPORTED_SUFFIXES or suffix == "":
        return FileKind.TEXT
    raise msg.refusal("format", msg.UNSUPPORTED_SUFFIX.format(suffix=suffix), file=file)


# ------------------------------------------------------------------------------ zips


def zip_names(data: bytes) -> list[str]:
    """The member names of a zip, [] when ``data`` is not a readable zip."""
    if not data.startswith(b"PK"):
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return []


def office_kind(data: bytes) -> FileKind | None:
    """XLSX or DOCX when the bytes are such a package, whatever the file is called."""
    names = zip_names(data)
    if any(name.startswith("xl/") for name in names):
        return FileKind.XLSX
    if any(name.startswith("word/") for name in names):
        return FileKind.DOCX
    return None


# Signatures of files people upload by mistake, with what to do instead.
_SIGNATURES: Final[tuple[tuple[bytes, Bilingual], ...]] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", msg.OLD_OFFICE),
    (b"%PDF-", msg.PDF),
    (b"\x89PNG\r\n\x1a\n", msg.PNG),
    (b"\xff\xd8\xff", msg.JPEG),
    (b"GIF87a", msg.GIF),
    (b"GIF89a", msg.GIF),
    (b"II*\x00", msg.TIFF),
    (b"MM\x00*", msg.TIFF),
    (b"Rar!", msg.RAR),
    (b"7z\xbc\xaf\x27\x1c", msg.SEVEN_ZIP),
    (b"\x1f\x8b", msg.GZIP),
)


def refuse_known_formats(data: bytes, file: str) -> None:
    """A clear message for images, PDFs, old Office files, archives and other zips."""
    head = data[:16]
    for signature, message in _SIGNATURES:
        if head.startswith(signature):
            raise msg.refusal("unreadable", message, file=file)
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise msg.refusal("unreadable", msg.WEBP, file=file)
    if head.startswith(b"PK"):
        names = zip_names(data)
        if not names:
            return  # a damaged zip: the reader for its suffix says so
        if any(name.startswith("ppt/") for name in names):
            kind = msg.POWERPOINT
        elif "OFD.xml" in names or any(name.startswith("Doc_") for name in names):
            kind = msg.OFD
        elif "mimetype" in names or any(name.startswith("META-INF/") for name in names):
            kind = msg.OPENDOCUMENT
        else:
            kind = msg.ZIP
        raise msg.refusal("unreadable", msg.per_language(msg.ZIP_NOT_A_TABLE, kind=kind), file=file)


# -------------------------------------------------------------------------- decoding


def decode_text(data: bytes, file: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (with BOM, or plainly UTF-16), or GB18030/GBK text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8-sig")  # a file cut off inside its last character
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise msg.refusal("encoding", msg.UNDECODABLE, file=file) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte order mark: its ASCII characters (digits, commas,
    line breaks) have a zero byte, always on the same side."""
    sample = data[:8192]
    zeros = sample.count(0)
    if zeros < max(4, len(sample) // 100):
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 0.95 * zeros:
        return None
    try:
        text = data.decode("utf-16-be" if even > odd else "utf-16-le")
    except UnicodeDecodeError:
        return None
    head = text[:4000]
    printable = sum(1 for ch in head if ch.isprintable() or ch in "\r\n\t")
    return text if printable >= 0.98 * len(head) else None
