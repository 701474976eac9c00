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
