"""`progress export` / `progress import` end to end, as an agency and a script would, on SQLite and PostgreSQL.

The tasks expected on a form are counted from the raw published table (tests.conftest's
independent reading), never from the model the form is made from.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path

import openpyxl

from tests.analysis.store.test_cli import failed, ok, run
from tests.conftest import independent_rows

LEAD = "省经信厅"
PARTNER = "省通管局"
HEADERS = {"number": "序号", "task": "重点工作任务", "status": "状态", "percent": "完成百分比", "note": "进展说明",
           "date": "报告日期", "last_status": "上次状态", "last_percent": "上次完成百分比"}


def tasks_of(agency: str) -> list[str]:
    rows = independent_rows()
    return [str(r["id"]) for r in rows if agency in r["lead"] or agency in r["support"]]


def led_alone_with_partner() -> list[str]:
    """Tasks LEAD leads alone and PARTNER supports: both report on them, LEAD's report counts."""
    return [str(r["id"]) for r in independent_rows() if r["lead"] == [LEAD] and PARTNER in r["support"]]


def fill(path: Path, entries: Mapping[str, Mapping[str, object]]) -> None:
    """Fill the form in place as an agency would in Excel: {task number: {field: value}}."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    col = {c.value: c.column for c in sheet[4]}
    rows = {str(sheet.cell(r, col["序号"]).value): r for r in range(5, sheet.max_row + 1)}
    for task_id, values in entries.items():
        for key, value in values.items():
            sheet.cell(rows[task_id], col[HEADERS[key]]).value = value
    workbook.save(path)


def row_of(path: Path, task_id: str) -> int:
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    col = {c.value: c.column for c in sheet[4]}
    return next(r for r in range(5, sheet.max_row + 1) if str(sheet.cell(r, col["序号"]).value) == task_id)


def cell(path: Path, task_id: str, key: str) -> object:
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    col = {c.value: c.column for c in sheet[4]}
    return sheet.cell(row_of(path, task_id), col[HEADERS[key]]).value


def status(url: str, date: str = "2020-09-15") -> dict[str, dict[str, object]]:
    data = ok(url, "progress", "status", "1", "--date", date, "--json")
    assert isinstance(data, dict)
    return {str(t["id"]): t for t in data["tasks"]}


def test_export_fill_preview_import_and_status(db_url, tmp_path):
    exported = ok(db_url, "progress", "export", "1", "--agency", LEAD, "--out", str(tmp_path / "lead.xlsx"), "--json")
    mine = tasks_of(LEAD)
    assert isinstance(exported, dict)
    assert exported["tasks"] == len(mine) > 10 and exported["version"] == 1 and exported["agency"] == LEAD
    partner_form = tmp_path / "partner.xlsx"
    ok(db_url, "progress", "export", "1", "--agency", PARTNER, "--out", str(partner_form), "--json")

    both = led_alone_with_partner()
    assert both, "the raw table has tasks led by one agency and supported by the other"
    shared = both[0]
    only_lead = next(t for t in mine if t not in tasks_of(PARTNER))
    fill(tmp_path / "lead.xlsx", {
        shared: {"status": "已完成", "percent": 100, "note": "已建成"},
        only_lead: {"status": "滞后", "percent": 20, "note": "审批未完成", "date": "2020-09-08"},
    })
    fill(partner_form, {shared: {"status": "推进中", "percent": 60, "note": "配合推进"}})
    forms = [str(partner_form), str(tmp_path / "lead.xlsx")]  # the partner's form first: the lead's still counts

    # Without --yes: what would change, nothing saved.
    preview = ok(db_url, "progress", "import", "1", *forms, "--date", "2020-09-10", "--json")
    assert isinstance(preview, dict)
    assert preview["saved"] is False and preview["report_ids"] == [] and preview["errors"] == []
    assert preview["reports"] == 3 and preview["skipped"] == len(mine) + len(tasks_of(PARTNER)) - 3
    changes = {(str(c["task_id"]), c["agency"]): c for c in preview["changes"]}
    assert set(changes) == {(shared, PARTNER), (shared, LEAD), (only_lead, LEAD)}
    assert changes[(only_lead, LEAD)]["status_after"] == "delayed" and changes[(only_lead, LEAD)]["as_of"] == "2020-09-08"
    assert changes[(shared, LEAD)]["change"] == "new" and changes[(shared, LEAD)]["as_of"] == "2020-09-10"
    assert all(t["status"] == "not_started" for t in status(db_url).values())
    text = run(db_url, "progress", "import", "1", *forms, "--date", "2020-09-10")
    assert text.returncode == 0 and "已完成" in text.stdout and "--yes" in text.stdout
    assert all(t["status"] == "not_started" for t in status(db_url).values())

    # With --yes: saved, in one go.
    saved = ok(db_url, "progress", "import", "1", *forms, "--date", "2020-09-10", "--yes", "--json")
    assert isinstance(saved, dict) and saved["saved"] is True and len(saved["report_ids"]) == 3
    now = status(db_url)
    assert (now[shared]["status"], now[shared]["rag"], now[shared]["percent"]) == ("done", "green", 100)
    assert (now[only_lead]["status"], now[only_lead]["rag"], now[only_lead]["percent"]) == ("delayed", "red", 20)
    assert sum(t["status"] != "not_started" for t in now.values()) == 2
    # The next form shows what was reported.
    again = tmp_path / "lead-2.xlsx"
    ok(db_url, "progress", "export", "1", "--agency", LEAD, "--out", str(again), "--json")
    assert (cell(again, shared, "last_status"), cell(again, shared, "last_percent")) == ("已完成", 100)

    # The same forms again: the changes are now relative to the saved reports.
    repeat = ok(db_url, "progress", "import", "1", str(tmp_path / "lead.xlsx"), "--date", "2020-09-10", "--json")
    assert isinstance(repeat, dict)
    assert {c["change"] for c in repeat["changes"]} == {"unchanged"}

    # The meeting pack of the plan in the workspace shows its progress.
    pack = tmp_path / "pack.html"
    made = run(db_url, "report", "--plan-id", "1", "--meeting-date", "2020-09-15", "--out", str(pack))
    assert made.returncode == 0, made.stderr
    page = pack.read_text(encoding="utf-8")
    assert 'id="progress"' in page and "红色预警任务（按牵头单位）" in page
    assert f"{len(independent_rows())} 项任务中 2 项报送过进展" in page
    both_sources = run(db_url, "report", "data/plans/zhejiang_5g_2020_2022", "--plan-id", "1", "--out", str(pack))
    assert both_sources.returncode == 2 and "not both" in both_sources.stderr


def test_bad_forms_are_refused_row_by_row_and_nothing_is_saved(db_url, tmp_path):
    form = tmp_path / "lead.xlsx"
    ok(db_url, "progress", "export", "1", "--agency", LEAD, "--out", str(form), "--json")
    first, second, third = tasks_of(LEAD)[:3]
    fill(form, {
        first: {"status": "已完成", "percent": 100},
        second: {"status": "差不多了", "percent": 50},
        third: {"status": "推进中", "percent": 150},
    })
    result = run(db_url, "progress", "import", "1", str(form), "--yes")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = sorted(result.stderr.strip().splitlines(), key=lambda line: "完成百分比" in line)
    assert len(lines) == 2 and all(line.startswith("错误 error:") for line in lines)
    bad_status, bad_percent = row_of(form, second), row_of(form, third)
    assert f"lead.xlsx，第{bad_status}行，“状态”" in lines[0] and f"row {bad_status}" in lines[0]
    assert f"lead.xlsx，第{bad_percent}行，“完成百分比”" in lines[1] and f"row {bad_percent}" in lines[1]
    assert all(t["status"] == "not_started" for t in status(db_url).values())

    # An edited task text is refused by row, with the reason.
    edited = tmp_path / "edited.xlsx"
    ok(db_url, "progress", "export", "1", "--agency", LEAD, "--out", str(edited), "--json")
    fill(edited, {first: {"status": "已完成", "task": "改写过的任务"}})
    refused = run(db_url, "progress", "import", "1", str(edited), "--yes", "--json")
    assert refused.returncode == 2
    report = json.loads(refused.stdout)
    assert report["saved"] is False and [e["row"] for e in report["errors"]] == [row_of(edited, first)]
    assert "edited.xlsx" in refused.stderr and f"第{row_of(edited, first)}行" in refused.stderr

    # A form of another plan is refused as a whole.
    table = tmp_path / "copy.txt"
    table.write_bytes((Path(__file__).resolve().parents[3] / "data" / "plans" / "zhejiang_5g_2020_2022"
                       / "tasks.txt").read_bytes())
    ok(db_url, "workspace", "add", str(table), "--json")
    other = tmp_path / "other.xlsx"
    ok(db_url, "progress", "export", "2", "--agency", LEAD, "--out", str(other), "--json")
    fill(other, {first: {"status": "已完成"}})
    line = failed(db_url, "progress", "import", "1", str(other), "--yes")
    assert "other.xlsx" in line and "另一个计划" in line and "another plan" in line
    assert all(t["status"] == "not_started" for t in status(db_url).values())
    ok(db_url, "progress", "import", "2", str(other), "--yes", "--json")  # where it belongs


def test_export_and_import_errors_are_one_line(db_url, tmp_path):
    assert "省不存在厅" in failed(db_url, "progress", "export", "1", "--agency", "省不存在厅",
                                  "--out", str(tmp_path / "x.xlsx"))
    assert "no such folder" in failed(db_url, "progress", "export", "1", "--agency", LEAD,
                                      "--out", str(tmp_path / "nope" / "x.xlsx"))
    assert "no plan 7" in failed(db_url, "progress", "export", "7", "--agency", LEAD, "--out", str(tmp_path / "x.xlsx"))
    assert "missing.xlsx" in failed(db_url, "progress", "import", "1", str(tmp_path / "missing.xlsx"))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    assert "junk.xlsx" in failed(db_url, "progress", "import", "1", str(junk), "--yes")
