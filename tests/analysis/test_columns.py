"""Columns built directly (analysis.columns) are those pandas infers from the same values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import columns
from analysis.columns import gathered_text, inferred_column, text_array

VALUES = ["省经信厅", "省财政厅", "", "Provincial 厅", "省经信厅\n（牵头）", "😀"]


@pytest.fixture(params=["inferred", "python"])
def text_dtype(request, monkeypatch):
    """The dtype pandas infers here, and the python-backed string dtype (pandas without pyarrow)."""
    if request.param == "python":
        monkeypatch.setattr(columns, "_text_dtype", lambda: pd.StringDtype("python"))
    return columns._text_dtype()


def test_gathered_text_is_the_gathered_list(text_dtype):
    index = np.array([3, 0, 0, 5, 2, 4, 1, 0], dtype=np.int64)
    expected = [VALUES[i] for i in index]
    got = pd.Series(gathered_text(VALUES, index))
    assert got.dtype == text_dtype
    assert got.tolist() == expected
    if text_dtype == pd.Series(["-"]).dtype:  # what pandas infers, exactly
        pd.testing.assert_series_equal(got, pd.Series(expected))


def test_text_array_and_inferred_column_match_pandas():
    pd.testing.assert_series_equal(pd.Series(text_array(VALUES)), pd.Series(VALUES))
    ints = [3, -1, 2**40]
    pd.testing.assert_series_equal(pd.Series(inferred_column(ints)), pd.Series(ints))
    for other in ([True, False], [1, None], [2**70, 1], ["a", 1]):  # left to pandas' own inference
        assert inferred_column(other) is other
