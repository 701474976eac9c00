"""The deck renderer: a `content.Report` as a 16:9 python-pptx presentation.

How each section becomes slides follows from its blocks alone:

- key figures (`Tiles` and `Note`s): one slide of tile rows and text;
- `Chart`s: a slide per chart with the chart as a crisp PNG (kaleido, one browser per
  deck), its notes underneath; several charts number their slides (1/2, 2/2);
- a `Table`: as many slides as its measured rows need (a text too long for a whole slide is
  cut with a pointer to the HTML report), with a `Panel` of facts at its right if given;
- only `Note`s: a slide of text;
- subsections: their own slides, in order.

Every run is set in Noto Sans CJK SC (Latin and East Asian), text never below 11 pt.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any, TypeAlias

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Run
from pptx.util import Emu, Inches, Pt

from analysis.i18n import t
from analysis.report import charts
from analysis.report.content import (
    Cell,
    Chart,
    Note,
    Panel,
    Report,
    Section,
    Table,
    Tiles,
    iter_sections,
)
from analysis.report.fit import (
    box_width_pt,
    fit_rows,
    fit_size,
    fit_text,
    line_pt,
    row_height_pt,
    table_pages,
    wrap_lines,
)
from analysis.report.layout import (
    BODY_BOTTOM,
    BODY_H,
    BODY_PT,
    BODY_TOP,
    BODY_W,
    CELL_MARGIN_H,
    CELL_MARGIN_V,
    FALLBACK_FONT,
    FONT,
    FOOTER_H,
    FOOTER_PT,
    FOOTER_TOP,
    IMAGE_SCALE,
    MARGIN,
    MIN_TITLE_PT,
    NOTE_H,
    SLIDE_H,
    SLIDE_W,
    TABLE_PT,
    TITLE_H,
    TITLE_PT,
    TITLE_TOP,
)
from analysis.report.style import (
    ACCENT_RGB,
    BAND_FILL,
    HEADER_FILL,
    MUTED_RGB,
    TEXT_RGB,
    TILE_FILL,
    status_color,
)
from analysis.vocab import Lang

#: A paragraph: plain text, or runs of (text, style) with style keys size, bold, color.
Paragraph: TypeAlias = str | Sequence[tuple[str, dict[str, Any]]]

PANEL_GAP = 0.35  # between a table and the panel at its right
PANEL_MAX_PARTNERS = 10
TILE_H = 1.6
TILE_GAP = 0.3


def _rgb(hex_color: str) -> RGBColor:
    red, green, blue = bytes.fromhex(hex_color.lstrip("#"))
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def page_suffix(lang: str, i: int, n: int) -> str:
    return t("report_page_suffix", lang, i=i, n=n) if n > 1 else ""


class Deck:
    """A 16:9 python-pptx presentation with Noto Sans CJK SC on every run."""

    def __init__(self, lang: str, footer: str) -> None:
        self.lang = lang
        self.footer = footer
        self.prs = Presentation()
        self.prs.slide_width = Inches(SLIDE_W)
        self.prs.slide_height = Inches(SLIDE_H)
        self._set_theme_fonts()

    # -- fonts

    def _set_theme_fonts(self) -> None:
        """Theme fonts: Noto Sans CJK SC for Latin and East Asian text; YaHei for Simplified Chinese."""
        theme = self.prs.slide_master.part.part_related_by(RT.THEME)
        xml = theme.blob.decode("utf-8")
        xml = re.sub(r'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*(")', rf"\g<1>{FONT}\g<2>", xml)
        xml = re.sub(r'(<a:(?:major|minor)Font><a:latin typeface="[^"]*"(?: [^/]*)?/><a:ea typeface=")[^"]*(")',
                     rf"\g<1>{FONT}\g<2>", xml)
        xml = re.sub(r'(<a:font script="Hans" typeface=")[^"]*(")', rf"\g<1>{FALLBACK_FONT}\g<2>", xml)
        theme._blob = xml.encode("utf-8")  # a generic Part: its XML lives in _blob

    def style_run(self, run: _Run, size: float, *, bold: bool = False, color: str = TEXT_RGB) -> None:
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = _rgb(color)
        font.name = FONT  # a:latin
        rpr = run._r.get_or_add_rPr()
        previous = rpr.find(qn("a:latin"))
        for tag in ("a:ea", "a:cs"):  # python-pptx writes only a:latin; CJK glyphs use a:ea
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                assert previous is not None
                previous.addnext(element)
            element.set("typeface", FONT)
            previous = element
        rpr.set("lang", "zh-CN" if self.lang == Lang.ZH else "en-US")
        rpr.set("altLang", "en-US" if self.lang == Lang.ZH else "zh-CN")

    def write(self, text_frame: TextFrame, paragraphs: Sequence[Paragraph], size: float, *,
              bold: bool = False, color: str = TEXT_RGB, align: PP_ALIGN | None = None,
              space_after: float = 0) -> None:
        """Replace the frame's text. A paragraph is a string or a list of (text, style) runs."""
        text_frame.clear()  # type: ignore[no-untyped-call]
        for i, paragraph in enumerate(paragraphs):
            p = text_frame.paragraphs[0] if i == 0 else text_frame.add_paragraph()  # type: ignore[no-untyped-call]
            if align is not None:
                p.alignment = align
            if space_after:
                p.space_after = Pt(space_after)
            runs = [(paragraph, {})] if isinstance(paragraph, str) else paragraph
            for text, style in runs:
                run = p.add_run()
                run.text = text
                self.style_run(run, style.get("size", size), bold=style.get("bold", bold),
                               color=style.get("color", color))

    # -- shapes

    def new_slide(self, title: str | None, layout: int = 5) -> Slide:
        slide: Slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        shape = slide.shapes.title
        if title is not None and shape is not None:
            shape.left, shape.top = Inches(MARGIN), Inches(TITLE_TOP)
            shape.width, shape.height = Inches(BODY_W), Inches(TITLE_H)
            frame = shape.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.NONE
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            size = fit_size(title, TITLE_PT, MIN_TITLE_PT, BODY_W, TITLE_H, max_lines=2)
            self.write(frame, [fit_text(title, size, box_width_pt(BODY_W), 2, "…")], size, bold=True,
                       color=ACCENT_RGB, align=PP_ALIGN.LEFT)
        return slide

    def textbox(self, slide: Slide, left: float, top: float, width: float, height: float,
                paragraphs: Sequence[Paragraph], size: float, *, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
                bold: bool = False, color: str = TEXT_RGB, align: PP_ALIGN | None = None,
                space_after: float = 0) -> None:
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = anchor
        self.write(frame, paragraphs, size, bold=bold, color=color, align=align, space_after=space_after)

    def caption(self, slide: Slide, text: str) -> None:
        """A one-line note at the bottom of the body."""
        self.textbox(slide, MARGIN, BODY_BOTTOM - NOTE_H, BODY_W, NOTE_H, [text], FOOTER_PT, color=MUTED_RGB)

    def picture(self, slide: Slide, png: bytes, left: float, top: float, width: float, height: float) -> None:
        """The image fitted into the box (aspect kept), centred horizontally."""
        px_w, px_h = png_size(png)
        scale = min(width / px_w, height / px_h)
        w, h = px_w * scale, px_h * scale
        slide.shapes.add_picture(io.BytesIO(png), Inches(left + (width - w) / 2), Inches(top), Inches(w), Inches(h))

    def table(self, slide: Slide, table: Table, rows: Sequence[Sequence[str]], left: float, top: float,
              start: int = 0, end: int | None = None) -> GraphicFrame:
        """Rows start:end of `table` (its texts given as `rows`, as fitted) with the header."""
        shown = rows[start:end]
        statuses = [[cell.status for cell in row] for row in table.rows[start:end]]
        heights = [row_height_pt(table.header, table.widths, TABLE_PT)] + [
            row_height_pt(r, table.widths, TABLE_PT) for r in shown
        ]
        frame = slide.shapes.add_table(len(shown) + 1, len(table.widths), Inches(left), Inches(top),
                                       Inches(sum(table.widths)), Pt(sum(heights)))
        grid = frame.table
        grid.first_row = True
        grid.horz_banding = False
        for i, width in enumerate(table.widths):
            grid.columns[i].width = Inches(width)
        for r, (cells, height) in enumerate(zip([table.header, *shown], heights, strict=True)):
            grid.rows[r].height = Pt(height)
            for c, text in enumerate(cells):
                cell = grid.cell(r, c)
                cell.margin_left = cell.margin_right = Inches(CELL_MARGIN_H)
                cell.margin_top = cell.margin_bottom = Inches(CELL_MARGIN_V)
                cell.vertical_anchor = MSO_ANCHOR.TOP
                cell.text_frame.word_wrap = True
                cell.fill.solid()  # type: ignore[no-untyped-call]
                if r == 0:
                    cell.fill.fore_color.rgb = _rgb(HEADER_FILL)
                    self.write(cell.text_frame, [text], TABLE_PT, bold=True, color="FFFFFF")
                else:
                    cell.fill.fore_color.rgb = _rgb(BAND_FILL if r % 2 == 0 else "FFFFFF")
                    self.write(cell.text_frame, [text], TABLE_PT, color=status_color(statuses[r - 1][c], TEXT_RGB))
        return frame

    def tile(self, slide: Slide, left: float, top: float, width: float, value: int, label: str,
             color: str = ACCENT_RGB) -> None:
        shape = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(TILE_H)
        )
        shape.adjustments[0] = 0.08
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(TILE_FILL)
        shape.line.color.rgb = _rgb(color)
        shape.line.width = Pt(2)
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        label_size = fit_size(label, 16, 11, width - 0.2, 0.6, max_lines=2)
        self.write(frame, [[(str(value), {"size": 40, "bold": True, "color": color})],
                           [(label, {"size": label_size})]], 16, align=PP_ALIGN.CENTER)

    def finish(self) -> bytes:
        """Footers (plan, meeting date, slide i / n) on every slide but the first; the file bytes."""
        slides = list(self.prs.slides)
        for i, slide in enumerate(slides, start=1):
            if i == 1:
                continue
            left = fit_text(self.footer, FOOTER_PT, box_width_pt(BODY_W - 1.6), 1, "…")
            self.textbox(slide, MARGIN, FOOTER_TOP, BODY_W - 1.5, FOOTER_H, [left], FOOTER_PT, color=MUTED_RGB)
            self.textbox(slide, SLIDE_W - MARGIN - 1.5, FOOTER_TOP, 1.5, FOOTER_H, [f"{i} / {len(slides)}"],
                         FOOTER_PT, color=MUTED_RGB, align=PP_ALIGN.RIGHT)
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


# ----------------------------------------------------------------------------- slides


def _title_slide(deck: Deck, report: Report) -> None:
    cover = report.cover
    slide = deck.new_slide(None, layout=6)
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(0), Emu(0), deck.prs.slide_width, Inches(0.35))
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(ACCENT_RGB)
    band.line.fill.background()
    width = BODY_W - 0.6
    size = fit_size(cover.title, 40, 32, width, 2.2, max_lines=1)  # one line if it can
    if wrap_lines(cover.title, size, box_width_pt(width)) > 1:
        size = fit_size(cover.title, 40, 26, width, 2.2, max_lines=3)
    main = fit_text(cover.title, size, box_width_pt(width), 3, "…")
    deck.textbox(slide, MARGIN + 0.3, 1.3, width, 2.4, [main], size, bold=True, color=ACCENT_RGB,
                 anchor=MSO_ANCHOR.BOTTOM, align=PP_ALIGN.LEFT)
    lines: list[Paragraph] = [
        fit_text(cover.subtitle, 20, box_width_pt(width), 2, "…"),
        [(cover.meeting, {"bold": True, "size": 24, "color": TEXT_RGB})],
        cover.period,
        *[fit_text(line, 20, box_width_pt(width), 2, "…") for line in cover.details],
    ]
    deck.textbox(slide, MARGIN + 0.3, 4.0, width, 2.6, lines, 20, color=MUTED_RGB, space_after=6)
    deck.textbox(slide, MARGIN + 0.3, 6.7, width, 0.4, [cover.generated], FOOTER_PT, color=MUTED_RGB)


def _figures_slide(deck: Deck, section: Section) -> None:
    """Rows of tiles (a heading above a row when it has one) and text below them."""
    slide = deck.new_slide(section.title)
    top = BODY_TOP + 0.1
    for i, block in enumerate(section.blocks):
        if isinstance(block, Tiles):
            if block.heading:
                top += TILE_GAP - 0.1
                deck.textbox(slide, MARGIN, top, BODY_W, 0.5, [block.heading], 18, bold=True)
                top += 0.6
            width = (BODY_W - TILE_GAP * (len(block.tiles) - 1)) / len(block.tiles)
            for j, tile in enumerate(block.tiles):
                deck.tile(slide, MARGIN + j * (width + TILE_GAP), top, width, tile.value, tile.label,
                          status_color(tile.status, ACCENT_RGB))
            top += TILE_H + 0.1
        elif isinstance(block, Note):
            top += TILE_GAP - 0.1 if i else 0
            deck.textbox(slide, MARGIN, top, BODY_W, 1.0, block.paragraphs, BODY_PT, color=MUTED_RGB)
            top += 1.0


def _chart_slides(deck: Deck, section: Section, images: dict[int, bytes]) -> None:
    chart_blocks = [b for b in section.blocks if isinstance(b, Chart)]
    for i, chart in enumerate(chart_blocks, start=1):
        slide = deck.new_slide(chart.title + page_suffix(deck.lang, i, len(chart_blocks)))
        note_h = NOTE_H if chart.notes else 0
        deck.picture(slide, images[id(chart)], MARGIN, BODY_TOP, BODY_W, BODY_H - note_h)
        if chart.notes:
            deck.caption(slide, " ".join(chart.notes))


def _table_slides(deck: Deck, section: Section, table: Table, panel: Panel | None) -> None:
    """The table over as many slides as its measured rows need, the panel beside it on each."""
    available = (BODY_H - (NOTE_H if table.note else 0)) * 72
    rows = fit_rows(table.header, table.texts, table.widths, TABLE_PT, available, t("report_truncated", deck.lang))
    pages = table_pages(table.header, rows, table.widths, TABLE_PT, available, table.max_rows)
    side_left = MARGIN + sum(table.widths) + PANEL_GAP
    for i, (start, end) in enumerate(pages, start=1):
        slide = deck.new_slide(section.title + page_suffix(deck.lang, i, len(pages)))
        deck.table(slide, table, rows, MARGIN, BODY_TOP, start, end)
        if panel is not None:
            _panel(deck, slide, panel, side_left, SLIDE_W - MARGIN - side_left)
        if table.note:
            deck.caption(slide, table.note)


def _panel(deck: Deck, slide: Slide, panel: Panel, left: float, width: float) -> None:
    """The agency's name and facts, then as many of its main partners as fit (at most 10)."""
    head = [fit_text(panel.name, BODY_PT, box_width_pt(width), 2, "…"), *panel.lines]
    head_h = sum(wrap_lines(p, BODY_PT, box_width_pt(width)) for p in head) * line_pt(BODY_PT) / 72 + 0.15
    deck.textbox(slide, left, BODY_TOP, width, head_h, [[(head[0], {"bold": True})], *head[1:]], BODY_PT,
                 color=TEXT_RGB)
    top = BODY_TOP + head_h + 0.1
    if not panel.partners:
        deck.textbox(slide, left, top, width, 0.4, [t("report_no_partners", deck.lang)], TABLE_PT, color=MUTED_RGB)
        return
    widths = [width - 1.3, 1.3]
    all_rows = [[name, str(n)] for name, n in panel.partners]
    header_h = row_height_pt(panel.partners_header, widths, TABLE_PT)
    available = (BODY_BOTTOM - top) * 72 - header_h
    more_h = line_pt(TABLE_PT) + 6
    shown, used = 0, 0.0
    for i, cells in enumerate(all_rows):
        h = row_height_pt(cells, widths, TABLE_PT)
        reserve = more_h if i < len(all_rows) - 1 else 0
        if used + h + reserve > available or shown >= PANEL_MAX_PARTNERS:
            break
        used += h
        shown += 1
    rows = all_rows[:shown]
    table = Table(header=panel.partners_header, rows=[[Cell(c) for c in row] for row in rows], widths=widths)
    deck.table(slide, table, rows, left, top)
    if shown < len(all_rows):
        deck.textbox(slide, left, top + (header_h + used) / 72 + 0.02, width, 0.35,
                     [t("report_more_partners", deck.lang, n=len(all_rows) - shown)], FOOTER_PT, color=MUTED_RGB)


def _note_slide(deck: Deck, section: Section) -> None:
    """A slide of plain text (what a summarised deck leaves to the HTML report)."""
    slide = deck.new_slide(section.title)
    paragraphs = [p for block in section.blocks if isinstance(block, Note) for p in block.paragraphs]
    deck.textbox(slide, MARGIN, BODY_TOP + 0.2, BODY_W, BODY_H - 0.4, paragraphs, 20)


def _section_slides(deck: Deck, section: Section, images: dict[int, bytes]) -> None:
    blocks = section.blocks
    if any(isinstance(b, Tiles) for b in blocks):
        _figures_slide(deck, section)
    elif any(isinstance(b, Chart) for b in blocks):
        _chart_slides(deck, section, images)
    elif any(isinstance(b, Table) for b in blocks):
        panel = next((b for b in blocks if isinstance(b, Panel)), None)
        for table in (b for b in blocks if isinstance(b, Table)):
            _table_slides(deck, section, table, panel)
    elif blocks:
        _note_slide(deck, section)
    for sub in section.subsections:
        _section_slides(deck, sub, images)


def _render_images(report: Report) -> dict[int, bytes]:
    """PNG per chart (by id), all in one browser session."""
    from analysis.report.render import figure_png

    images = {}
    for section in iter_sections(report.sections):
        for block in section.blocks:
            if isinstance(block, Chart):
                assert block.size is not None, "a deck chart has a render size"
                width, height = block.size
                images[id(block)] = figure_png(charts.slide_figure(block.figure), width=width, height=height,
                                               scale=IMAGE_SCALE)
    return images


def render(report: Report) -> bytes:
    """The deck's .pptx bytes."""
    from analysis.report.render import chart_renderer

    images: dict[int, bytes] = {}
    if any(isinstance(b, Chart) for s in iter_sections(report.sections) for b in s.blocks):
        with chart_renderer():  # a deck without charts (an agency's pack across plans) starts no browser
            images = _render_images(report)
    deck = Deck(report.lang, report.cover.footer)
    _title_slide(deck, report)
    for section in report.sections:
        _section_slides(deck, section, images)
    return deck.finish()

