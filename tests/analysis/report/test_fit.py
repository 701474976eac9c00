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


def test_fit_size_shrinks_to_fit_and_stops_at_the_minimum():
    assert fit.fit_size("短标题", 28, 20, 12.0, 0.8, max_lines=2) == 28
    long = "很长的标题" * 20
    size = fit.fit_size(long, 28, 20, 12.0, 0.8, max_lines=2)
    assert size == 20  # too long at any size: the minimum, the caller cuts the text
    fits = fit.fit_size("中" * 60, 28, 20, 12.0, 1.6, max_lines=2)
    assert 20 < fits < 28 and fit.wrap_lines("中" * 60, fits, fit.box_width_pt(12.0)) <= 2


def test_rows_too_tall_for_a_slide_are_cut_and_the_rest_paginated():
    header, widths = ["编号", "内容"], [1.0, 4.0]
    rows = [["1", "短"], ["2", "长" * 2000], ["3", "短"]]
    fitted = fit.fit_rows(header, rows, widths, 12, 300, "（见报告）")
    assert fitted[0] == rows[0] and fitted[2] == rows[2]
    assert fitted[1][1].endswith("（见报告）") and len(fitted[1][1]) < 2000
    assert fit.row_height_pt(fitted[1], widths, 12) + fit.row_height_pt(header, widths, 12) <= 300
    pages = fit.table_pages(header, fitted, widths, 12, 300, max_rows=8)
    assert pages[0][0] == 0 and pages[-1][1] == 3 and len(pages) >= 2  # the long row gets a page of its own
    assert fit.table_pages(header, rows[:1] * 5, widths, 12, 300, max_rows=2) == [(0, 2), (2, 4), (4, 5)]
