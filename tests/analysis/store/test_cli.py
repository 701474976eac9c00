"""`python -m analysis workspace …` and `progress …` as scripts call them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.store import open_workspace
from tests.accounts import add_staff
from tests.analysis.plan_edits import seed_text, version_two
from tests.conftest import independent_rows

ROOT = Path(__file__).resolve().parents[3]
STATUSES = {"not_started", "in_progress", "done", "delayed", "suspended"}


_STAFFED: set[str] = set()


def staffed(url: str) -> None:
    """The workspace at ``url`` as the CLI would make it on first use, with the test accounts
    (tests.accounts: the scripts below act as the workspace coordinator 脚本)."""
    if url not in _STAFFED:
        with open_workspace(url) as ws:
            add_staff(ws)
        _STAFFED.add(url)


def run(url: str, *args: str, user: str | None = "脚本", staff: bool = True) -> subprocess.CompletedProcess[str]:
    if staff:
        staffed(url)
    env = {k: v for k, v in os.environ.items() if k not in ("TASKBOARD_USER", "TASKBOARD_ACTOR")}
    env.update({"TASKBOARD_DB": url, **({"TASKBOARD_USER": user} if user else {})})
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env, timeout=180, check=False)


def ok(url: str, *args: str) -> object:
    result = run(url, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def failed(url: str, *args: str, code: int = 2, staff: bool = True) -> str:
    result = run(url, *args, staff=staff)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误 error:"), result.stderr
    return lines[0]


def test_workspace_and_progress_commands(db_url, tmp_path):
    n = len(independent_rows())
    title = "浙江省加快5G发展行动计划（2020-2022年）"  # the heading of the table file
    assert ok(db_url, "workspace", "list", "--json") == [{"plan_id": 1, "title": title, "version": 1, "tasks": n}]
    v2 = tmp_path / "tasks-v2.txt"
    v2.write_text(version_two(seed_text()), encoding="utf-8")
    added = ok(db_url, "workspace", "add", str(v2), "--json")
    assert added == {"plan_id": 2, "version": 1, "title": title, "tasks": n}
    new_version = ok(db_url, "workspace", "add", str(v2), "--plan", "1", "--json")
    assert new_version == {"plan_id": 1, "version": 2, "title": title, "tasks": n}
    assert [(p["plan_id"], p["version"]) for p in ok(db_url, "workspace", "list", "--json")] == [(1, 2), (2, 1)]

    saved = ok(db_url, "progress", "report", "1", "3", "--status", "in_progress", "--percent", "40",
               "--note", "施工中", "--agency", "省经信厅", "--date", "2020-09-10", "--json")
    assert saved["status"] == "in_progress" and saved["reported_by"] == "脚本" and saved["period"] == "2020-09"
    ok(db_url, "progress", "report", "1", "1", "--status", "done", "--date", "2020-09-01", "--json")
    ok(db_url, "progress", "report", "1", "2", "--status", "delayed", "--date", "2020-09-02", "--json")

    status = ok(db_url, "progress", "status", "1", "--date", "2020-09-15", "--json")
    assert status["date"] == "2020-09-15"
    tasks = {t["id"]: t for t in status["tasks"]}
    assert len(status["tasks"]) == n and all(set(t) == {"id", "deadline", "status", "rag", "percent",
                                                        "reported_at", "reported_by"} for t in status["tasks"])
    assert all(t["status"] in STATUSES and t["rag"] in {"red", "amber", "green"} for t in status["tasks"])
    # 3 is due 2020-10-31 in version 2: in the 30-day window on 2020-09-15? No (46 days), reported this month.
    assert (tasks[3]["status"], tasks[3]["rag"], tasks[3]["percent"], tasks[3]["reported_by"]) == \
        ("in_progress", "green", 40, "脚本")
    assert tasks[3]["reported_at"].startswith("20")
    assert (tasks[1]["status"], tasks[1]["rag"]) == ("done", "green")
    assert (tasks[2]["status"], tasks[2]["rag"]) == ("delayed", "red")
    assert (tasks[4]["status"], tasks[4]["rag"], tasks[4]["percent"], tasks[4]["reported_at"]) == \
        ("not_started", "amber", None, None)
    # Before the reports were dated, nothing was reported.
    earlier = ok(db_url, "progress", "status", "1", "--date", "2020-08-15", "--json")
    assert all(t["status"] == "not_started" for t in earlier["tasks"])

    ok(db_url, "workspace", "remove", "2", "--json")
    assert [p["plan_id"] for p in ok(db_url, "workspace", "list", "--json")] == [1]


def test_errors_are_one_line_without_traceback(db_url, tmp_path):
    assert "no plan 9" in failed(db_url, "workspace", "remove", "9")
    assert "no plan 9" in failed(db_url, "progress", "status", "9", "--json")
    assert "no such task" in failed(db_url, "progress", "report", "1", "999", "--status", "done")
    ok(db_url, "progress", "report", "1", "5", "--status", "in_progress", "--json")
    refused = failed(db_url, "progress", "report", "1", "5", "--status", "done", "--expect-previous", "none", code=3)
    assert "脚本" in refused and "changed meanwhile" in refused
    missing = failed(db_url, "workspace", "add", str(tmp_path / "nope.txt"), "--json")
    assert "nope.txt" in missing
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    failed(db_url, "workspace", "add", str(junk), "--json")
    assert len(ok(db_url, "workspace", "list", "--json")) == 1


@pytest.mark.parametrize("url", ["mysql://u@127.0.0.1/x", "postgresql://nobody@127.0.0.1:1/none"])
def test_a_bad_database_is_one_line(url):
    failed(url, "workspace", "list", "--json", staff=False)  # no database to make accounts in


def test_workspace_add_keeps_the_column_mapping(db_url, tmp_path):
    from analysis.store import open_workspace

    path = tmp_path / "mapped.csv"
    path.write_text("序号,项目,责任单位\n1,新建幼儿园3所,县教育局、县财政局\n", encoding="utf-8")
    out = run(db_url, "workspace", "add", str(path), "--columns", "责任单位=lead", "--json")
    assert out.returncode == 0, out.stderr
    plan_id = json.loads(out.stdout)["plan_id"]
    with open_workspace(db_url, seed=False) as ws:
        assert ws.plan_columns(plan_id) == {"责任单位": "lead"}
        leads = ws.load_plan(plan_id).assignments.query("role == 'lead'")["agency"].tolist()
    assert leads == ["县教育局", "县财政局"]
    bad = run(db_url, "workspace", "add", str(path), "--columns", "责任单位=boss")
    assert bad.returncode != 0 and "boss" in bad.stderr and "Traceback" not in bad.stderr
