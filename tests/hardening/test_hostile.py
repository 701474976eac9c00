"""Issue 20's hostile files: each is refused quickly with a clear message, or read without losing
or mixing data silently. Inputs are generated here (tests/hardening/hostile.py); the limits are
lowered where a full-size input would only make the test slow (the readers look them up when
they run). Time and memory of the full-size inputs: tests/hardening/HOSTILE_RESULTS.md.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from analysis.findings import PlanImportError
from analysis.io import limits, read_table
from analysis.model import Plan, plan_from_bytes
from tests.hardening import hostile as h

TASK = ["1", "推进工作。", "省经信厅", "省财政厅"]
CJK = re.compile("[\u4e00-\u9fff]")
BODY = h.p(h.TITLE) + h.task_table([TASK])


def refused(data: bytes, name: str) -> str:
    with pytest.raises(PlanImportError) as caught:
        read_table(data, name)
    return caught.value.findings[0].code


def roles(plan: Plan) -> dict[str, tuple[list[str], list[str]]]:
    """task id → (lead agencies, supporting agencies)."""
    found: dict[str, tuple[list[str], list[str]]] = {t: ([], []) for t in plan.tasks["task_id"]}
    for task_id, agency, role in plan.assignments[["task_id", "agency", "role"]].itertuples(index=False):
        found[task_id][0 if role == "lead" else 1].append(agency)
    return found


# ------------------------------------------------------------------ unpacked size, any name


def test_a_huge_core_properties_part_counts_against_the_unpacked_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_DOCX_XML_BYTES", 1 << 20)
    assert refused(h.docx(BODY, core=h.core_properties(2)), "core.docx") == "too_large_unpacked"


def test_a_body_part_under_another_name_counts_against_the_unpacked_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_DOCX_XML_BYTES", 1 << 20)
    data = h.docx([BODY.encode(), *h.paragraphs(2)], body_name="word/body.bin")
    assert refused(data, "renamed.docx") == "too_large_unpacked"


def test_shared_strings_under_another_name_count_against_the_unpacked_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_XML_BYTES", 1 << 20)
    rows = [h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, [1, ("s", 0), "省经信厅"])]
    strings = h.shared_strings(("推进工作" * 10 for _ in range(30_000)), 30_000)
    data = h.xlsx([("表", h.sheet_xml(rows), "visible")], strings, shared_name="xl/strings.bin")
    assert refused(data, "renamed.xlsx") == "too_large_unpacked"


# ------------------------------------------------------------------------- text in cells


def test_one_long_shared_string_in_every_cell_passes_the_text_limit_and_is_refused():
    """5 000 cells pointing at one 32 767-character shared string: a 70 KB file, 164 M characters."""
    rows = [h.sheet_row(1, list(h.HEADER))] + [h.sheet_row(i, [i, ("s", 0), "省经信厅"]) for i in range(2, 5002)]
    data = h.xlsx([("表", h.sheet_xml(rows), "visible")], h.shared_strings(["任" * 32_767], 1))
    assert len(data) < 100_000
    assert refused(data, "shared.xlsx") == "too_much_text"


def test_a_workbook_cell_longer_than_excel_allows_is_refused_naming_its_row():
    rows = [h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, [1, "任" * 40_000, "省经信厅"])]
    with pytest.raises(PlanImportError) as caught:
        read_table(h.xlsx([("表", h.sheet_xml(rows), "visible")]), "long.xlsx")
    finding = caught.value.findings[0]
    assert (finding.code, finding.row) == ("cell_too_long", 2)
    assert "32,767" in finding.message_en and "32,767" in finding.message_zh


def test_word_cells_count_against_the_text_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 10_000)
    body = h.p(h.TITLE) + h.task_table([[str(i), "推进工作" * 100, "省经信厅", ""] for i in range(1, 40)])
    assert refused(h.docx(body), "long.docx") == "too_much_text"


# ---------------------------------------------------------------------------- padding


def test_one_cell_in_column_xfd_does_not_pad_every_row_past_the_cell_limit():
    """Every row padded to 16 384 cells: 20 000 rows would be 330 M cells (gigabytes)."""
    rows = [h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, ["x"], first_column=16_384), *h.task_rows(20_000, 3)]
    data = h.xlsx([("表", h.sheet_xml(rows), "visible")])
    assert refused(data, "xfd.xlsx") == "too_many_cells"


def test_a_stray_cell_far_right_in_a_small_sheet_is_still_read():
    rows = [h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, ["x"], first_column=16_384), *h.task_rows(3, 3)]
    plan = plan_from_bytes(h.xlsx([("表", h.sheet_xml(rows), "visible")]), "stray.xlsx")
    assert {"1", "2", "3"} <= set(plan.tasks["task_id"])


# ------------------------------------------------------------------------- Word structure


def test_a_lead_cell_inside_a_content_control_keeps_its_column():
    row = "<w:tr>" + h.tc("1") + h.tc("推进工作。") + h.sdt(h.tc("省经信厅")) + h.tc("省财政厅") + "</w:tr>"
    plan = plan_from_bytes(h.docx(h.p(h.TITLE) + h.tbl([h.tr(h.HEADER), row])), "sdt.docx")
    assert roles(plan) == {"1": (["省经信厅"], ["省财政厅"])}


def test_a_row_inside_a_content_control_is_read():
    second = h.sdt(h.tr(["2", "完善机制。", "省发展改革委", "省科技厅"]))
    plan = plan_from_bytes(h.docx(h.p(h.TITLE) + h.tbl([h.tr(h.HEADER), h.tr(TASK), second])), "sdt_row.docx")
    assert roles(plan) == {"1": (["省经信厅"], ["省财政厅"]), "2": (["省发展改革委"], ["省科技厅"])}


def test_a_table_and_a_paragraph_inside_block_content_controls_are_read():
    plan = plan_from_bytes(h.docx(h.sdt(h.p(h.TITLE)) + h.sdt(h.task_table([TASK]))), "sdt_block.docx")
    assert roles(plan) == {"1": (["省经信厅"], ["省财政厅"])}


def test_tracked_changes_are_read_as_accepted_and_reported():
    cell = (
        '<w:p><w:r><w:t>省经信厅</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>、省科技厅</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>、省教育厅</w:delText></w:r></w:del></w:p>'
    )
    deleted_row = '<w:tr><w:trPr><w:del w:id="3" w:author="a"/></w:trPr>' + "".join(
        h.tc(c) for c in ["2", "删除的任务。", "省教育厅", ""]
    ) + "</w:tr>"
    body = h.p(h.TITLE) + h.tbl([h.tr(h.HEADER), h.tr(["1", "推进工作。", cell, "省财政厅"]), deleted_row])
    plan = plan_from_bytes(h.docx(body), "tracked.docx")
    assert roles(plan) == {"1": (["省经信厅", "省科技厅"], ["省财政厅"])}
    assert [f.code for f in plan.report.warnings] == ["tracked_changes"]
    assert "accepted" in plan.report.warnings[0].message_en


def test_inserted_text_in_a_plan_document_is_read():
    inserted = '<w:p><w:r><w:t>1. 推进工作。</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>（牵头单位：省经信厅）</w:t></w:r></w:ins></w:p>'
    plan = plan_from_bytes(h.docx(h.p(h.TITLE) + inserted), "tracked_text.docx")
    assert roles(plan) == {"1": (["省经信厅"], [])}


def test_a_table_nested_in_a_layout_table_is_read_and_reported():
    body = h.p(h.TITLE) + h.tbl([h.tr(["<w:p/>" + h.task_table([TASK]) + "<w:p/>"])])
    plan = plan_from_bytes(h.docx(body), "nested.docx")
    assert roles(plan) == {"1": (["省经信厅"], ["省财政厅"])}
    assert "nested_tables" in [f.code for f in plan.report.findings]


def test_a_table_in_a_text_box_is_read_once():
    plan = plan_from_bytes(h.docx(h.p(h.TITLE) + h.text_box(h.task_table([TASK]))), "frame.docx")
    assert roles(plan) == {"1": (["省经信厅"], ["省财政厅"])}
    assert "nested_tables" in [f.code for f in plan.report.findings]


# ----------------------------------------------------------------------- hidden in Excel


def test_a_hidden_first_sheet_is_skipped_for_the_visible_table_and_reported():
    hidden = ("旧表", h.sheet_xml([h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, [1, "旧任务。", "省旧局", ""])]), "hidden")
    visible = ("表", h.sheet_xml([h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, TASK)]), "visible")
    plan = plan_from_bytes(h.xlsx([hidden, visible]), "hidden_sheet.xlsx")
    assert roles(plan) == {"1": (["省经信厅"], ["省财政厅"])}
    warning = next(f for f in plan.report.warnings if f.code == "hidden_sheet")
    assert "旧表" in warning.message_zh and "旧表" in warning.message_en


def test_hidden_rows_are_skipped_and_reported_with_their_numbers():
    rows = [
        h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, TASK),
        h.sheet_row(3, ["2", "隐藏的任务。", "省隐藏局", ""], hidden=True), h.sheet_row(4, ["3", "完善。", "省科技厅", ""]),
    ]
    plan = plan_from_bytes(h.xlsx([("表", h.sheet_xml(rows), "visible")]), "hidden_rows.xlsx")
    assert sorted(roles(plan)) == ["1", "3"]
    warning = next(f for f in plan.report.warnings if f.code == "hidden_rows")
    assert warning.row == 3 and "3" in warning.message_en


# --------------------------------------------------------------- values that are not agencies


def test_error_values_booleans_and_n_a_never_become_agencies():
    rows = [
        list(h.HEADER), [1, "推进工作。", "省经信厅", ("e", "#N/A")], [2, "完善机制。", "省财政厅", True],
        [3, "加强保障。", "省科技厅", "N/A"], [4, "强化。", "省教育厅、#REF!", "FALSE"],
    ]
    plan = plan_from_bytes(h.xlsx([h.xlsx_table(rows)]), "values.xlsx")
    assert set(plan.agencies["agency"]) == {"省经信厅", "省财政厅", "省科技厅", "省教育厅"}


def test_n_a_in_a_csv_is_no_agency():
    data = f"{h.TITLE}\n{','.join(h.HEADER)}\n1,推进工作。,省经信厅,N/A\n2,完善。,省财政厅,#N/A\n".encode()
    plan = plan_from_bytes(data, "na.csv")
    assert set(plan.agencies["agency"]) == {"省经信厅", "省财政厅"}


# ------------------------------------------------------------------------------ dates


def test_an_impossible_date_is_reported_naming_its_row():
    data = f"{h.TITLE}\n{','.join(h.HEADER)}\n1,推进工作。,省经信厅,\n2,2199年2月30日前完成。,省财政厅,\n".encode()
    plan = plan_from_bytes(data, "date.csv")
    warning = next(f for f in plan.report.warnings if f.code == "impossible_date")
    assert warning.row == 4 and "2199年2月30日" in warning.message_zh and "does not exist" in warning.message_en


def test_a_huge_comment_in_a_sheet_is_refused_before_the_quadratic_xml_parser_sees_it():
    """expat 2.5 (openpyxl's parser) takes time growing with the square of one comment's length."""
    rows = [h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, TASK)]
    chunks = [*h.sheet_xml(rows)]
    chunks.insert(1, b"<!-- " + b"<row " * 300_000 + b" -->")
    data = h.xlsx([("表", chunks, "visible")])
    with pytest.raises(PlanImportError) as caught:
        read_table(data, "comment.xlsx")
    assert "xl/worksheets/sheet1.xml" in caught.value.message("en")


# ------------------------------------------------------------------------------ CSV


def test_a_semicolon_csv_is_read():
    data = f"{h.TITLE}\n{';'.join(h.HEADER)}\n1;推进工作，完善机制。;省经信厅;省财政厅、省科技厅\n".encode()
    plan = plan_from_bytes(data, "semicolons.csv")
    assert roles(plan) == {"1": (["省经信厅"], ["省财政厅", "省科技厅"])}


def test_a_header_below_row_50_gets_a_message_saying_where_it_was_looked_for():
    notes = "".join(f"说明第{i}行\n" for i in range(60))
    data = f"{notes}{','.join(h.HEADER)}\n1,推进工作。,省经信厅,\n".encode()
    with pytest.raises(PlanImportError) as caught:
        read_table(data, "deep.csv")
    error = caught.value
    assert "first 50 rows" in error.message("en") and "前 50 行" in error.message("zh")


# --------------------------------------------------------------------- bidi controls


RLO = "\u202e"


def test_bidi_controls_are_removed_from_agencies_with_a_warning():
    data = f"{h.TITLE}\n{','.join(h.HEADER)}\n1,推进工作。,省经信厅{RLO},{RLO}省财政厅\u2066\n".encode()
    plan = plan_from_bytes(data, "bidi.csv")
    assert set(plan.agencies["agency"]) == {"省经信厅", "省财政厅"}
    assert "bidi_controls" in [f.code for f in plan.report.warnings]


def test_bidi_controls_are_removed_from_workbook_and_word_cells_with_a_warning():
    workbook = h.xlsx([h.xlsx_table([list(h.HEADER), [1, "推进工作。", f"省经信厅{RLO}", ""]])])
    document = h.docx(h.p(h.TITLE) + h.task_table([["1", "推进工作。", f"{RLO}省经信厅", ""]]))
    for data, name in ((workbook, "bidi.xlsx"), (document, "bidi.docx")):
        plan = plan_from_bytes(data, name)
        assert set(plan.agencies["agency"]) == {"省经信厅"}, name
        assert "bidi_controls" in [f.code for f in plan.report.warnings], name


def test_a_bidi_override_in_the_file_name_is_removed_with_a_warning():
    data = f"{h.TITLE}\n{','.join(h.HEADER)}\n1,推进工作。,省经信厅,\n".encode()
    plan = plan_from_bytes(data, f"plan{RLO}vsc.csv")
    assert plan.meta.source == "planvsc.csv"
    warning = next(f for f in plan.report.warnings if f.code == "bidi_controls")
    assert RLO not in warning.message("zh") and "file name" in warning.message_en


# ---------------------------------------------------------------------- one file limit


def test_one_file_limit_in_the_loader_the_upload_box_and_its_help():
    """Streamlit's upload box refuses files over maxUploadSize × 1 000 000 bytes (× 1 048 576 in
    browsers on Windows; the server allows × 1 048 576): the loader refuses above the smaller."""
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert limits.MAX_FILE_BYTES == config["server"]["maxUploadSize"] * 1_000_000 == 50_000_000
    limits.check_size(50_000_000, "a.csv")
    with pytest.raises(PlanImportError):
        limits.check_size(50_000_001, "a.csv")
    from dashboard.ui import upload_limits_text

    help_zh = upload_limits_text("zh")
    assert "50 MB" in help_zh and "50,000,000 字节" in help_zh


# ------------------------------------------------------------------------- command line


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    from tests.conftest import ROOT

    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def _one_bilingual_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误 error: ") and " | " in lines[0], result.stderr
    zh, en = lines[0].split(" | ", 1)
    assert CJK.search(zh) and re.search("[A-Za-z]{4}", en), lines[0]
    return lines[0]


def test_the_cli_refuses_a_device_without_reading_it():
    line = _one_bilingual_line(_cli("summary", "/dev/zero", timeout=30))
    assert "not a regular file" in line


def test_the_cli_refuses_a_fifo_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "plan.csv"
    os.mkfifo(fifo)
    line = _one_bilingual_line(_cli("summary", str(fifo), timeout=30))
    assert "not a regular file" in line


def test_read_file_bytes_stops_at_the_limit_for_a_file_that_grows(monkeypatch, tmp_path):
    from analysis.io import read_file_bytes

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "plan.csv"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(PlanImportError) as caught:
        read_file_bytes(path)
    assert caught.value.findings[0].code == "too_large"


@pytest.mark.parametrize("args", [
    ("report", "--out", "x.html", "--meeting-date", "0001-01-01"),
    ("report", "--out", "x.html", "--meeting-date", "2021-02-30"),
    ("report", "--out", "x.html", "--window-days", "-1"),
    ("report", "--out", "x.html", "--lead-weight", "nan"),
    ("network", "--min-weight", "0"),
    ("report",),
    ("nonsense",),
    ("report", "--out", "/no/such/folder/x.html"),
], ids=lambda a: " ".join(a))
def test_every_cli_error_is_one_line_in_chinese_and_english(args):
    _one_bilingual_line(_cli(*args))


def test_an_out_of_range_meeting_date_names_the_range():
    line = _one_bilingual_line(_cli("report", "--out", "x.html", "--meeting-date", "0001-01-01"))
    assert "1900" in line and "year 0" not in line
