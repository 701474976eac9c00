"""Columns built the way pandas would infer them, without its inference pass over a list.

Shared by the import (`analysis.model`) and the portfolio (`analysis.portfolio`): a frame of
hundreds of thousands of names is built from Python lists many times, and pandas' own inference
(an object array, then a type test per value) was a large part of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def _text_dtype() -> Any:
    """The dtype pandas infers for a column of strings (pyarrow-backed ``str`` where it is installed)."""
    return pd.Series(["-"]).dtype


def text_array(values: Sequence[object]) -> Any:
    """``values`` (strings) as the column pandas infers from them (its default string dtype),
    built in one step: through pyarrow when that is the dtype's storage (5x faster than
    inferring over a list of 400 000 names). An empty list stays a list (pandas' own choice)."""
    if not len(values):
        return list(values)
    dtype = _text_dtype()
    if getattr(dtype, "storage", None) == "pyarrow":
        import pyarrow as pa  # type: ignore[import-untyped]

        return pd.array(pa.array(values, type=pa.large_string()), dtype=dtype)
    return pd.array(list(values), dtype=dtype)


def gathered_text(values: Sequence[str], index: np.ndarray) -> Any:
    """``[values[i] for i in index]`` (strings; `index` a non-empty integer array) as the column
    pandas infers for them, as `text_array` makes it: through pyarrow, ``values`` are encoded
    once and gathered by one ``take``, however often each is repeated."""
    dtype = _text_dtype()
    if getattr(dtype, "storage", None) == "pyarrow":
        import pyarrow as pa

        return pd.array(pa.array(values, type=pa.large_string()).take(pa.array(index)), dtype=dtype)
    return pd.array(np.asarray(values, dtype=object)[index].tolist(), dtype=dtype)


def inferred_column(values: list[Any]) -> Any:
    """`values` as the array ``pd.Series(values)`` infers for them, built directly in the two
    common cases: a list of str only (`text_array`), a list of int only (never bool) as one
    int64 array. Any other list (None, NaN, mixed types, lists, bools, integers beyond 64 bits) is
    returned as it is, for pandas' inference."""
    types = set(map(type, values))
    if types == {str}:
        return text_array(values)
    if types == {int}:
        try:
            return np.fromiter(values, dtype=np.int64, count=len(values))
        except OverflowError:  # beyond 64 bits: pandas keeps them as objects
            return values
    return values
