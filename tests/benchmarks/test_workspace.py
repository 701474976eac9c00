"""`python -m benchmarks.workspace --quick` builds a workspace and measures it end to end.

Not a timing test: it checks the workspace holds what was asked for and the import saved every
filled row. The timings themselves are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_quick_workspace_benchmark(tmp_path):
    out = tmp_path / "workspace.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.workspace", "--quick", "--db", "sqlite", "--forms", "5", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    entry = report["databases"]["sqlite"]
    assert (entry["plans"], entry["tasks"], entry["reports"]) == (10, 1000, 10_000)
    assert entry["latest_rows"] == 100  # one current report per task of the measured plan
    imported = entry["import_forms"]
    assert imported["forms"] == 5 and imported["reports"] == imported["rows_filled"] > 5
    assert entry["size_after_bytes"] >= entry["size_bytes"] > 0
    for name in ("progress_warm", "task_status", "switch", "load_plan", "latest_reports"):
        assert entry[name]["median_s"] > 0 and len(entry[name]["runs"]) == 3
    assert set(entry["targets_met"]) == {"progress_warm", "switch", "import_forms"}


def test_the_bulk_build_fills_each_tasks_latest_report(tmp_path):
    """The build's bulk inserts leave ``latest_reports`` holding each task's report of the highest
    seq (the schema's trigger keeps it, as for every writer): what the views across plans read."""
    from sqlalchemy import func, select

    from analysis.store import open_workspace
    from analysis.store.models import LatestReportRow, ProgressReportRow
    from benchmarks.workspace import build

    url = f"sqlite:///{tmp_path / 'w.db'}"
    built = build(url, 2, 20, 130, log=lambda _: None)  # 40 tasks: 3 or 4 reports each
    assert built["reports"] == 130
    with open_workspace(url, seed=False) as ws, ws.engine.connect() as connection:
        highest = dict(((p, t), s) for p, t, s in connection.execute(
            select(ProgressReportRow.plan_id, ProgressReportRow.task_key, func.max(ProgressReportRow.seq))
            .group_by(ProgressReportRow.plan_id, ProgressReportRow.task_key)))
        table = {(p, t): (s, r) for p, t, s, r in connection.execute(
            select(LatestReportRow.plan_id, LatestReportRow.task_key, LatestReportRow.seq, LatestReportRow.report_id))}
        ids = dict(((p, t, s), i) for p, t, s, i in connection.execute(
            select(ProgressReportRow.plan_id, ProgressReportRow.task_key, ProgressReportRow.seq, ProgressReportRow.id)))
    assert len(table) == 40 and {k: s for k, (s, _) in table.items()} == highest
    assert set(highest.values()) == {3, 4}
    assert all(ids[(p, t, s)] == r for (p, t), (s, r) in table.items())
