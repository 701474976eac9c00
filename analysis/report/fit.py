"""Text fitting for slides: how many lines a text takes in a box, cutting a text to a number
of lines, row heights of a table and packing rows onto pages.

Widths are estimated from the text: CJK (and ambiguous-width) characters are one em wide
in Noto Sans CJK, Latin letters about half an em, and Office adds a little space where CJK
meets Latin. The estimate errs on the wide side so text never overflows its box.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

from analysis.report.layout import CELL_MARGIN_H, CELL_MARGIN_V, LINE_FACTOR

# Office and LibreOffice add about a quarter em between CJK and Latin letters or digits.
AUTOSPACE_EM: Final = 0.3
_TOKEN: Final = re.compile(r"[A-Za-z0-9\-.,:;'/()%+]+\s*|\s+|.", re.DOTALL)
TEXT_BOX_PADDING_PT: Final = 14  # a text box's left and right insets together


def _is_wide(ch: str) -> bool:
    # Ambiguous-width characters (“ ” · …) are full width in a CJK font.
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def _char_em(ch: str) -> float:
    """Advance width of a character in ems (Noto Sans CJK; Latin rounded up)."""
    if _is_wide(ch):
        return 1.0
    if ch == " ":
        return 0.3
    if ch.isupper() or ch in "mw@%&":
        return 0.72
    return 0.56


def _token_em(token: str, previous: str) -> float:
    width = sum(_char_em(c) for c in token)
    if previous and previous.strip() and token.strip() and _is_wide(previous[-1]) != _is_wide(token[0]):
        width += AUTOSPACE_EM
    return width


def wrap_lines(text: str, size_pt: float, width_pt: float) -> int:
    """How many lines `text` takes in a box `width_pt` wide at `size_pt` (greedy wrapping:
    CJK may break anywhere, Latin words move whole to the next line)."""
    width = width_pt * 0.95  # kinsoku (no closing punctuation at a line start) and rounding
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        previous = ""
        for token in _TOKEN.findall(paragraph):
            w = _token_em(token, previous) * size_pt
            previous = token
            if used + w <= width or token.isspace():
                used += w
                continue
            if w <= width:
                lines += 1
                used = w
                continue
            for c in token:  # a word longer than the line breaks anywhere
                cw = _char_em(c) * size_pt
                if used + cw > width:
                    lines += 1
                    used = 0.0
                used += cw
    return lines


def fit_text(text: str, size_pt: float, width_pt: float, max_lines: int, suffix: str) -> str:
    """`text` cut (with `suffix`) so it takes at most `max_lines` lines."""
    if wrap_lines(text, size_pt, width_pt) <= max_lines:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the suffix
        mid = (lo + hi + 1) // 2
        if wrap_lines(text[:mid].rstrip() + suffix, size_pt, width_pt) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + suffix


def box_width_pt(width_in: float) -> float:
    """The width text may use in a text box `width_in` inches wide."""
    return width_in * 72 - TEXT_BOX_PADDING_PT


def fit_size(text: str, size: float, min_size: float, width_in: float, height_in: float, max_lines: int) -> float:
    """The largest size ≤ `size` (in steps of 2 pt, ≥ `min_size`) at which `text` fits the box."""
    while size > min_size:
        lines = wrap_lines(text, size, box_width_pt(width_in))
        if lines <= max_lines and lines * line_pt(size) <= height_in * 72:
            break
        size -= 2
    return max(size, min_size)


def line_pt(size_pt: float) -> float:
    """Height of one line of text at `size_pt`."""
    return size_pt * LINE_FACTOR


def cell_width_pt(width_in: float) -> float:
    """The width text may use in a table cell `width_in` inches wide."""
    return (width_in - 2 * CELL_MARGIN_H) * 72


def row_height_pt(cells: Sequence[str], widths_in: Sequence[float], size_pt: float) -> float:
    """Height of a table row: its tallest cell's wrapped lines plus the cell margins."""
    lines = max(wrap_lines(c, size_pt, cell_width_pt(w)) for c, w in zip(cells, widths_in, strict=True))
    return lines * line_pt(size_pt) + 2 * CELL_MARGIN_V * 72


def paginate(heights: Sequence[float], available_pt: float, max_rows: int) -> list[tuple[int, int]]:
    """Consecutive (start, end) row ranges whose heights fit `available_pt`, ≤ max_rows each."""
    pages: list[tuple[int, int]] = []
    start, used = 0, 0.0
    for i, h in enumerate(heights):
        if i > start and (used + h > available_pt or i - start >= max_rows):
            pages.append((start, i))
            start, used = i, 0.0
        used += h
    if start < len(heights) or not pages:
        pages.append((start, len(heights)))
    return pages


def fit_rows(
    header: Sequence[str], rows: Sequence[Sequence[str]], widths_in: Sequence[float], size_pt: float,
    available_pt: float, suffix: str,
) -> list[list[str]]:
    """The rows with every cell cut (ending in `suffix`) where one row alone would not fit
    `available_pt` under the header."""
    room = available_pt - row_height_pt(header, widths_in, size_pt)
    max_lines = max(1, int((room - 2 * CELL_MARGIN_V * 72) // line_pt(size_pt)))
    inner = [cell_width_pt(w) for w in widths_in]
    return [[fit_text(c, size_pt, w, max_lines, suffix) for c, w in zip(row, inner, strict=True)] for row in rows]


def table_pages(
    header: Sequence[str], rows: Sequence[Sequence[str]], widths_in: Sequence[float], size_pt: float,
    available_pt: float, max_rows: int,
) -> list[tuple[int, int]]:
    """Row ranges of a table, one per slide, each fitting `available_pt` with the header."""
    header_h = row_height_pt(header, widths_in, size_pt)
    heights = [row_height_pt(r, widths_in, size_pt) for r in rows]
    return paginate(heights, available_pt - header_h, max_rows)
