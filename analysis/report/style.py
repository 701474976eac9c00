"""Colours of the meeting pack, the one place that maps a due status or a red/amber/green warning to a colour.

Both renderers read these: the deck for tile borders and cell text, the HTML report for
tile styles and the CSS variables its status classes use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from analysis import figures
from analysis.vocab import DueStatus, Rag

TEXT_RGB: Final = "1F2933"
MUTED_RGB: Final = "5D6D7E"
ACCENT_RGB: Final = "1F4E9C"
HEADER_FILL: Final = "1F4E9C"
BAND_FILL: Final = "EEF3FA"
TILE_FILL: Final = "F4F6F9"

#: A status as a tile (border and number) and as the text of a table cell on a slide: the
#: app's chart colours, with a darker grey for tasks that run to the plan end (the charts'
#: pale grey is too faint for a number).
#: A red/amber/green warning (三色预警) as a tile or cell: red and amber as past and near the
#: deadline, a green that reads on white.
STATUS_COLORS: Final[Mapping[DueStatus | Rag, str]] = {
    DueStatus.OVERDUE: figures.STATUS_COLORS[DueStatus.OVERDUE],
    DueStatus.DUE_SOON: figures.STATUS_COLORS[DueStatus.DUE_SOON],
    DueStatus.LATER: figures.STATUS_COLORS[DueStatus.LATER],
    DueStatus.PLAN_END: "#7B8794",
    Rag.RED: figures.STATUS_COLORS[DueStatus.OVERDUE],
    Rag.AMBER: figures.STATUS_COLORS[DueStatus.DUE_SOON],
    Rag.GREEN: "#2E8B57",
}

#: A status as body text on a white page (the HTML report's table cells): the amber of the
#: slides is too light for small text in a browser, so due-soon and amber text is a darker amber.
HTML_TEXT_COLORS: Final[Mapping[DueStatus | Rag, str]] = {
    **STATUS_COLORS, DueStatus.DUE_SOON: "#B7791F", Rag.AMBER: "#B7791F",
}


def status_color(status: DueStatus | Rag | None, default: str) -> str:
    """The colour of a tile or slide cell with this status (`default` when it has none)."""
    return STATUS_COLORS[status] if status is not None else default
