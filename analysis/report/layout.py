"""Slide geometry and type sizes of the deck (inches and points), shared by the content
(table column widths, chart render sizes), the text fitting and the deck renderer."""

from __future__ import annotations

from typing import Final

FONT: Final = "Noto Sans CJK SC"
FALLBACK_FONT: Final = "Microsoft YaHei"  # named in the theme for East Asian text where Noto is missing

# Slide geometry (inches): 16:9 at 13.333 × 7.5.
SLIDE_W: Final = 13.333
SLIDE_H: Final = 7.5
MARGIN: Final = 0.5
TITLE_TOP: Final = 0.3
TITLE_H: Final = 0.8
BODY_TOP: Final = 1.2
BODY_BOTTOM: Final = 6.85
BODY_W: Final = SLIDE_W - 2 * MARGIN
BODY_H: Final = BODY_BOTTOM - BODY_TOP
FOOTER_TOP: Final = 6.98
FOOTER_H: Final = 0.36
NOTE_H: Final = 0.35  # a one-line note under a chart or a table

# Chart images: the body area at 1280 layout pixels wide, rendered 2.5× (3200 px) for a
# crisp projection; figure fonts at 1.3× so 13 px labels come out about 12 pt on the slide.
IMAGE_WIDTH_PX: Final = 1280
IMAGE_SCALE: Final = 2.5
FIGURE_SCALE: Final = 1.3

# Text on slides.
TITLE_PT: Final = 28
MIN_TITLE_PT: Final = 20
BODY_PT: Final = 14
TABLE_PT: Final = 12  # never below 11
FOOTER_PT: Final = 11
LINE_FACTOR: Final = 1.5  # line height / font size: Noto Sans CJK's ascent + descent is 1.45 em
CELL_MARGIN_H: Final = 0.08  # inches
CELL_MARGIN_V: Final = 0.05


def image_height_px(height_in: float) -> int:
    """Layout pixels of a chart image that fills a body-wide box `height_in` high."""
    return round(IMAGE_WIDTH_PX * height_in / BODY_W)
