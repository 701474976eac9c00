"""Hostile files of issue 20, generated: small builders, no large files in the repository.

Each builder writes the package XML by hand (a workbook or Word file is a zip of XML parts),
so a test can place exactly the construct it needs: a part under another name, a content
control around a cell, a row hidden, one shared string referenced by every cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

HEADER = ("序号", "重点工作任务", "牵头单位", "配合单位")
TITLE = "《某市数字化改革2022年重点任务分工》"

# ------------------------------------------------------------------------------ packages

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def _zip(parts: dict[str, bytes | Iterable[bytes]]) -> bytes:
    """A zip of the parts; a part given as an iterable of chunks is streamed (large parts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            entry = zipfile.ZipInfo(name)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w", force_zip64=True) as stream:
                for chunk in content:
                    stream.write(chunk)
    return buffer.getvalue()


def _types(overrides: dict[str, str]) -> bytes:
    items = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{items}</Types>"
    ).encode()


def _rels(targets: list[tuple[str, str]]) -> bytes:
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>' for i, (kind, target) in enumerate(targets, 1)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">{items}</Relationships>'.encode()


# ----------------------------------------------------------------------------- workbooks

_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def column_name(index: int) -> str:
    """1 → A, 16384 → XFD."""
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def sheet_row(number: int, cells: Iterable[object], *, hidden: bool = False, first_column: int = 1) -> str:
    """A <row> of inline strings (str), numbers (int), booleans (bool) or shared strings (("s", index))."""
    out = []
    for offset, value in enumerate(cells):
        ref = f"{column_name(first_column + offset)}{number}"
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            out.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int):
            out.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif isinstance(value, tuple):
            out.append(f'<c r="{ref}" t="{value[0]}"><v>{value[1]}</v></c>')
        else:
            out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    attributes = ' hidden="1"' if hidden else ""
    return f'<row r="{number}"{attributes}>{"".join(out)}</row>'


def sheet_xml(rows: Iterable[str]) -> Iterable[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_SHEET_NS}"><sheetData>'.encode()
    for row in rows:
        yield row.encode()
    yield b"</sheetData></worksheet>"


def xlsx(
    sheets: list[tuple[str, Iterable[bytes], str]],
    shared: Iterable[bytes] | None = None,
    *,
    shared_name: str = "xl/sharedStrings.xml",
) -> bytes:
    """A workbook of (name, sheet XML chunks, state) sheets, with a shared strings part if given."""
    names = [f"xl/worksheets/sheet{i}.xml" for i in range(1, len(sheets) + 1)]
    overrides = {"xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"}
    overrides |= {n: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml" for n in names}
    targets = [(f"{_REL}/worksheet", "/" + n) for n in names]
    if shared is not None:
        overrides[shared_name] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
        targets.append((f"{_REL}/sharedStrings", "/" + shared_name))
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
        for i, (name, _, state) in enumerate(sheets, 1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_SHEET_NS}" xmlns:r="{_REL}">'
        f"<sheets>{entries}</sheets></workbook>"
    ).encode()
    parts: dict[str, bytes | Iterable[bytes]] = {
        "[Content_Types].xml": _types(overrides),
        "_rels/.rels": _rels([(f"{_REL}/officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": _rels(targets),
    }
    for name, (_, content, _) in zip(names, sheets, strict=True):
        parts[name] = content
    if shared is not None:
        parts[shared_name] = shared
    return _zip(parts)


def shared_strings(strings: Iterable[str], count: int) -> Iterable[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_SHEET_NS}" uniqueCount="{count}">'.encode()
    for text in strings:
        yield f"<si><t>{escape(text)}</t></si>".encode()
    yield b"</sst>"


def task_rows(count: int, start: int = 2) -> list[str]:
    return [sheet_row(start + i, [i + 1, f"推进第{i + 1}项工作。", "省经信厅", "省财政厅"]) for i in range(count)]


def xlsx_table(rows: list[list[object]], state: str = "visible") -> tuple[str, Iterable[bytes], str]:
    return ("表", sheet_xml(sheet_row(i, row) for i, row in enumerate(rows, 1)), state)


# ------------------------------------------------------------------------------ documents

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAMESPACES = (
    f'xmlns:w="{_W}" xmlns:r="{_REL}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>"


def tc(content: str) -> str:
    """A cell: plain text, or XML already (starts with "<")."""
    return f"<w:tc>{content if content.startswith('<') else p(content)}</w:tc>"


def tr(cells: Iterable[str]) -> str:
    return f"<w:tr>{''.join(tc(c) for c in cells)}</w:tr>"


def tbl(rows: Iterable[str]) -> str:
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{''.join(rows)}</w:tbl>"


def sdt(content: str) -> str:
    """A content control around ``content`` (a block, a row, a cell or a run)."""
    return f"<w:sdt><w:sdtPr><w:alias w:val=\"单位\"/></w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def task_table(rows: Iterable[Iterable[str]]) -> str:
    return tbl([tr(HEADER), *(tr(row) for row in rows)])


def text_box(content: str) -> str:
    """A text box (DrawingML shape, with its VML fallback as Word writes it) holding ``content``."""
    return (
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic>"
        "<a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:wsp>"
        f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        f"{content}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


def docx(
    body: str | Iterable[bytes],
    *,
    body_name: str = "word/document.xml",
    core: Iterable[bytes] | None = None,
) -> bytes:
    """A Word file whose body is ``body`` (inside <w:body>), at ``body_name``; a core properties part if given."""
    chunks: Iterable[bytes] = [body.encode()] if isinstance(body, str) else body

    def document() -> Iterable[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><w:document {_NAMESPACES}><w:body>'.encode()
        yield from chunks
        yield b"<w:sectPr/></w:body></w:document>"

    overrides = {body_name: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"}
    package_rels = [(f"{_REL}/officeDocument", body_name)]
    parts: dict[str, bytes | Iterable[bytes]] = {}
    if core is not None:
        overrides["docProps/core.xml"] = "application/vnd.openxmlformats-package.core-properties+xml"
        package_rels.append((f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml"))
        parts["docProps/core.xml"] = core
    parts |= {"[Content_Types].xml": _types(overrides), "_rels/.rels": _rels(package_rels), body_name: document()}
    return _zip(parts)


def core_properties(megabytes: float) -> Iterable[bytes]:
    """docProps/core.xml holding ``megabytes`` MB of tiny elements."""
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
        b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>t</dc:title>'
    )
    block = b"<a/>" * (1 << 18)  # 1 MB
    whole, rest = divmod(int(megabytes * (1 << 20)), len(block))
    for _ in range(whole):
        yield block
    yield b"<a/>" * (rest // 4)
    yield b"</cp:coreProperties>"


def paragraphs(megabytes: float) -> Iterable[bytes]:
    """``megabytes`` MB of empty paragraphs."""
    block = b"<w:p/>" * (1 << 18)
    for _ in range(max(1, int(megabytes * (1 << 20)) // len(block))):
        yield block
