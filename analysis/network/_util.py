"""Small helpers shared by the network modules: output rounding and order-preserving unique."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Final

#: Floats in JSON output and layouts are rounded to this many decimals.
ROUND_DIGITS: Final = 6


def _round(value: float) -> float:
    """``value`` rounded to `ROUND_DIGITS` decimals, never ``-0.0``."""
    rounded = round(float(value), ROUND_DIGITS)
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


def _unique(values: Iterable[Hashable]) -> list[Any]:
    """The distinct values in first-appearance order."""
    return list(dict.fromkeys(values))
