"""Text fitting: wrapped line counts, cutting a text to a number of lines, pagination."""

from __future__ import annotations

from analysis.report import fit


def test_wrapping_and_pagination():
    assert fit.wrap_lines("", 12, 100) == 1
    assert fit.wrap_lines("中" * 10, 12, 12 * 10 / 0.9) == 1
    assert fit.wrap_lines("中" * 30, 12, 12 * 10 / 0.9) == 3
    assert fit.wrap_lines("一\n二", 12, 500) == 2
    cut = fit.fit_text("中" * 100, 12, 120, 2, "…")
    assert cut.endswith("…") and fit.wrap_lines(cut, 12, 120) <= 2
    assert fit.paginate([10, 10, 10], 25, 8) == [(0, 2), (2, 3)]
    assert fit.paginate([10] * 5, 1000, 2) == [(0, 2), (2, 4), (4, 5)]
    assert fit.paginate([50], 25, 8) == [(0, 1)]
