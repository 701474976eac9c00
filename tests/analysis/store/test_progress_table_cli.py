"""`progress import PLAN_ID TABLE --yes` with a plan table that carries a 完成情况 column, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.analysis.progress_tables import progress_table
from tests.analysis.store.test_cli import failed, ok, run


def test_a_table_with_a_progress_column_previews_then_saves(db_url, tmp_path):
    table = tmp_path / "进展台账.xlsx"
    table.write_bytes(progress_table({"2": "已完成", "3": "进度滞后", "7": "各市已对接"}))
    preview = ok(db_url, "progress", "import", "1", str(table), "--date", "2020-09-10", "--json")
    assert isinstance(preview, dict) and preview["saved"] is False and preview["errors"] == []
    read_as = {r["task_id"]: r for r in preview["read_as"]}
    assert {t: r["status"] for t, r in read_as.items()} == {2: "done", 3: "delayed", 7: "in_progress"}
    assert read_as[7]["unclear"] is True and read_as[2]["unclear"] is False
    assert {c["task_id"]: c["change"] for c in preview["changes"]} == {2: "new", 3: "new", 7: "new"}
    before = ok(db_url, "progress", "status", "1", "--date", "2020-09-15", "--json")
    assert all(t["status"] == "not_started" for t in before["tasks"])
    text = run(db_url, "progress", "import", "1", str(table), "--date", "2020-09-10")
    assert text.returncode == 0 and "请核对" in text.stdout and "--yes" in text.stdout

    saved = ok(db_url, "progress", "import", "1", str(table), "--date", "2020-09-10", "--yes", "--json")
    assert isinstance(saved, dict) and saved["saved"] is True and len(saved["report_ids"]) == 3
    now = {t["id"]: t for t in ok(db_url, "progress", "status", "1", "--date", "2020-09-15", "--json")["tasks"]}
    assert (now[2]["status"], now[2]["rag"]) == ("done", "green")
    assert (now[3]["status"], now[3]["rag"]) == ("delayed", "red")
    assert now[7]["status"] == "in_progress" and now[1]["status"] == "not_started"


def test_a_table_row_of_no_task_is_refused_and_nothing_saved(db_url, tmp_path):
    table = tmp_path / "t.xlsx"
    table.write_bytes(progress_table({"2": "已完成", "3": "推进中"}, edit={"3": "一项计划里没有的任务"}))
    line = failed(db_url, "progress", "import", "1", str(table), "--yes")
    assert "t.xlsx" in line and "第5行" in line
    assert all(t["status"] == "not_started"
               for t in ok(db_url, "progress", "status", "1", "--date", "2020-09-15", "--json")["tasks"])
