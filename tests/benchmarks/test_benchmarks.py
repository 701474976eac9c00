"""The benchmark runs and reports every measurement: `python -m benchmarks --quick`.

Not a timing test: it checks that the command works end to end at the small sizes and
writes JSON with every expected key. The timings themselves are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks import browser, synth
from benchmarks.run import PAGES, TARGETS, evaluate_targets, parse_args, render_markdown, render_table
from tests.conftest import ROOT

TIMING_KEYS = {"runs", "median_s", "min_s", "max_s", "q1_s", "q3_s"}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench") / "results.json"
    # --quick is 35 and 1000 tasks, repeat 2; repeat 1 keeps the test short. The PPTX pack
    # renders charts in Chromium (minutes): it has its own stage and is left out here.
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--repeat", "1", "--only", "core,pages,cli",
         "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "load + normalise" in done.stdout and "page overview warm" in done.stdout
    return json.loads(out.read_text(encoding="utf-8"))


def test_json_describes_the_machine_and_the_run(report):
    machine = report["machine"]
    for key in ("cpu_model", "cpu_count", "usable_cores", "memory_total_mb", "python", "packages"):
        assert key in machine
    assert machine["packages"]["streamlit"] and machine["packages"]["pandas"]
    assert report["config"]["sizes"] == [35, 1000]
    assert report["config"]["repeat"] == 1
    assert list(report["sizes"]) == ["35", "1000"]


def test_every_size_has_every_measurement(report):
    for size, entry in report["sizes"].items():
        core = entry["core"]
        assert core["ended"] == "ok", core
        assert core["plan"]["tasks"] == int(size)
        for stage in ("load", "metrics", "layout"):
            assert TIMING_KEYS <= core[stage].keys()
            assert len(core[stage]["runs"]) == 1 and core[stage]["median_s"] > 0
            assert core[stage]["tracemalloc_peak_mb"] >= 0
        for key in ("rss_after_load_mb", "rss_after_metrics_mb", "rss_after_layout_mb", "max_rss_mb"):
            assert core[key] > 0
        pages = entry["pages"]
        assert pages["ended"] == "ok", pages
        for page in ("empty", *PAGES):
            assert "error" not in pages[page], pages[page]
            for kind in ("cold", "warm"):
                assert TIMING_KEYS <= pages[page][kind].keys() and pages[page][kind]["median_s"] > 0
        for page in PAGES:
            assert pages[page]["cold_ratio"] > 0 and pages[page]["warm_ratio"] > 0
        cli = entry["cli"]
        assert "error" not in cli, cli
        assert TIMING_KEYS <= cli.keys() and cli["max_rss_mb"] > 0


def test_targets_are_evaluated(report):
    targets = report["targets"]
    assert [(t["target"], t["size"]) for t in targets] == [(name, size) for name, size, _, _ in TARGETS]
    small = next(t for t in targets if t["size"] == 35)
    assert small["value"] is not None and small["met"] in (True, False)
    # sizes not run are reported as such, never as met
    assert all(t["met"] is None for t in targets if t["size"] > 1000)
    assert render_table(report) and "| target |" in render_markdown(report)


def test_synthetic_plans_are_realistic_and_reproducible():
    from analysis.model import plan_from_bytes

    plan = synth.generate(1000)
    assert plan.data == synth.generate(1000).data  # fixed seed
    assert plan.data.decode("utf-8").startswith("《某某计划（2021-2025年）》")
    model = plan_from_bytes(plan.data, "synthetic.csv")
    assert len(model.tasks) == 1000
    assert model.meta.period_start.year == 2021 and model.meta.period_end.year == 2025
    units = model.assignments.groupby("task_id").size()
    assert units.min() >= 1 and units.max() <= 8
    kinds = model.tasks["deadline_kind"].value_counts()
    assert kinds["explicit"] > 100 and kinds["plan_end"] > 100  # deadlines written, and none
    assert model.tasks["targets"].map(len).sum() > 100  # 建设10个以上…
    leads = model.assignments.loc[model.assignments["role"] == "lead", "agency"].value_counts()
    assert leads.iloc[:5].sum() > 0.4 * leads.sum()  # a few agencies lead most tasks
    assert synth.agency_count(100_000) == synth.MAX_AGENCIES == 2000
    assert len(set(synth.agency_names(2000))) == 2000


def test_options():
    quick = parse_args(["--quick"])
    assert quick.sizes == [35, 1000] and quick.repeat == 2
    full = parse_args([])
    assert full.sizes == [35, 1000, 10000, 100000] and full.repeat == 3
    assert parse_args(["--sizes", "35,10_000", "--repeat", "5"]).sizes == [35, 10000]
    with pytest.raises(SystemExit):
        parse_args(["--sizes", "ten"])
    assert evaluate_targets({})[0]["detail"] == "size not run"


def test_browser_benchmark_times_every_page_in_chromium():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.browser", "--sizes", "35", "--repeat", "1", "--quiet", "0.5"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line.split("|")[1:-1] for line in done.stdout.splitlines() if line.startswith("| 35 |")]
    assert [r[1].strip() for r in rows] == [key for _, key in browser.PAGES]
    for row in rows:
        first = float(row[2])
        assert 0 < first < 120  # a real, settled page switch
