"""File kinds by bytes and suffix, refusals of other formats, and text decoding (analysis.io.sniff)."""

from __future__ import annotations

import io
import zipfile

import pytest

from analysis.findings import PlanImportError
from analysis.io.sniff import FileKind, decode_text, file_kind, office_kind, zip_names
from tests.hardening.corpus import HEADER, docx_bytes, xlsx_bytes

TEXT = "序号,重点工作任务,牵头单位\n1,建成千兆光网城市。,省经信厅\n"


def zip_of(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk"])
def test_every_supported_encoding_decodes_to_the_same_text(encoding):
    assert decode_text(TEXT.encode(encoding), "plan.csv") == TEXT


def test_a_file_cut_inside_its_last_character_keeps_the_rest():
    data = TEXT.encode("utf-8") + "厅".encode()[:2]
    assert decode_text(data, "plan.csv") == TEXT


def test_undecodable_bytes_name_the_file_and_the_encodings():
    with pytest.raises(PlanImportError) as caught:
        decode_text(b"\x81\x20\xff\xfe\x80" * 4, "odd.txt")
    finding = caught.value.findings[0]
    assert finding.code == "encoding" and finding.file == "odd.txt"
    assert "GB18030" in finding.message_zh and "UTF-16" in finding.message_en


def test_office_files_are_recognised_by_content_whatever_their_name():
    workbook = xlsx_bytes([HEADER, ["1", "任务。", "省经信厅", ""]])
    document = docx_bytes([HEADER, ["1", "任务。", "省经信厅", ""]])
    assert office_kind(workbook) == FileKind.XLSX and office_kind(document) == FileKind.DOCX
    assert file_kind(workbook, "plan.txt") == FileKind.XLSX
    assert file_kind(document, "plan") == FileKind.DOCX
    assert office_kind(TEXT.encode()) is None and zip_names(TEXT.encode()) == []


@pytest.mark.parametrize("name,kind", [
    ("plan.txt", FileKind.TEXT), ("plan.md", FileKind.TEXT), ("plan.csv", FileKind.TEXT), ("plan.TSV", FileKind.TEXT),
    ("plan", FileKind.TEXT), ("plan.xlsx", FileKind.XLSX), ("plan.xlsm", FileKind.XLSX), ("plan.docx", FileKind.DOCX),
])
def test_other_bytes_go_by_suffix(name, kind):
    assert file_kind(TEXT.encode(), name) == kind


def test_an_unsupported_suffix_is_refused_naming_it():
    with pytest.raises(PlanImportError) as caught:
        file_kind(TEXT.encode(), "plan.pdf")
    assert caught.value.findings[0].code == "format"
    assert "“.pdf”" in caught.value.message("zh") and "'.pdf'" in caught.value.message("en")


@pytest.mark.parametrize("data,zh,en", [
    (b"%PDF-1.7\n", "PDF", "PDF"),
    (b"\x89PNG\r\n\x1a\n" + bytes(32), "PNG 图片", "PNG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(32), "旧版 Office", "old Office file"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP", "WebP image"),
    (b"\x1f\x8b\x08" + bytes(16), "gzip", "gzip"),
    (zip_of("ppt/presentation.xml"), "PowerPoint", "PowerPoint"),
    (zip_of("mimetype", "content.xml"), "OpenDocument", "OpenDocument"),
    (zip_of("OFD.xml"), "OFD", "OFD"),
    (zip_of("readme.txt"), "ZIP 压缩包", "ZIP archive"),
])
def test_files_uploaded_by_mistake_say_what_they_are(data, zh, en):
    """Whatever the name says: the content is not a table, and the message says what it is."""
    with pytest.raises(PlanImportError) as caught:
        file_kind(data, "plan.xlsx")
    finding = caught.value.findings[0]
    assert finding.code == "unreadable" and finding.file == "plan.xlsx"
    assert zh in finding.message_zh and en in finding.message_en


def test_a_zip_message_is_built_per_language():
    with pytest.raises(PlanImportError) as caught:
        file_kind(zip_of("ppt/slides/slide1.xml"), "deck.docx")
    finding = caught.value.findings[0]
    assert finding.message_zh.startswith("这是 PowerPoint 演示文稿，不是 .xlsx 或 .docx 表格")
    assert finding.message_en.startswith("this is a PowerPoint presentation, not an .xlsx or .docx table")


def test_a_damaged_zip_is_left_to_the_reader_of_its_suffix():
    assert file_kind(b"PK\x03\x04broken", "broken.docx") == FileKind.DOCX
    assert file_kind(b"PK\x03\x04broken", "broken.xlsx") == FileKind.XLSX
