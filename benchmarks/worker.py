"""One benchmark stage in a fresh process: `python -m benchmarks.worker STAGE --plan CSV --out JSON`.

Each stage runs in its own process so that its peak memory (ru_maxrss) is its own, and so a
stage that runs away can be stopped by the runner without taking the others with it. The
result file is rewritten after every measurement: a stage stopped half-way still reports
what it finished.

Stages
  core   load + normalise (plan_from_bytes), graph + all metrics, layout; timed `repeat`
         times, then once more each under tracemalloc for the Python-allocation peak.
  pages  the empty page, then app.py + each page through AppTest: cold (caches cleared)
         and warm (the same run again: cache hit), `repeat` times.
  pptx   analysis.report.build_pptx(plan, meeting_date=...), `repeat` times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
import tempfile
import time
import traceback
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.stats import maxrss_mb, summarize

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGES = ("overview", "workload", "timeline", "network", "tasks")
MEETING_DATE = dt.date(2023, 6, 30)  # inside the synthetic plans' period 2021-2025
PLAN_NAME = "synthetic.csv"
EMPTY_PAGE = 'import streamlit as st\n\nst.write("x")\n'


class Result:
    """A dict written to `path` after every change."""

    def __init__(self, path: Path, **initial: Any) -> None:
        self.path = path
        self.data: dict[str, Any] = dict(initial)
        self.save()

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.save()

    def save(self) -> None:
        self.data["max_rss_mb"] = maxrss_mb()
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path)


def _timed(func: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    runs, value = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = func()
        runs.append(time.perf_counter() - start)
    return runs, value


def _traced_peak_mb(func: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 1)


# --------------------------------------------------------------------------------- core


def stage_core(data: bytes, repeat: int, result: Result) -> None:
    from analysis import network
    from analysis.agencies import load_registry
    from analysis.model import plan_from_bytes

    registry = load_registry()  # the app caches it once per process; not part of a load
    result["rss_after_imports_mb"] = maxrss_mb()

    def load():
        return plan_from_bytes(data, PLAN_NAME, registry=registry)

    runs, plan = _timed(load, repeat)
    result["plan"] = {
        "tasks": len(plan.tasks), "agencies": len(plan.agencies), "assignments": len(plan.assignments),
        "themes": len(plan.themes), "warnings": len(plan.report.warnings), "csv_bytes": len(data),
        "explicit_deadlines": int((plan.tasks["deadline_kind"] == "explicit").sum()),
        "targets": int(plan.tasks["targets"].map(len).sum()),
    }
    result["load"] = summarize(runs)
    result["rss_after_load_mb"] = maxrss_mb()

    def metrics():
        graph = network.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
        frame, stats = network.agency_metrics(graph)
        return graph, frame, stats

    runs, (graph, _, stats) = _timed(metrics, repeat)
    result["metrics"] = {
        **summarize(runs), "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
        "betweenness_sampled": stats.betweenness_sampled, "betweenness_k": stats.betweenness_k,
    }
    result["rss_after_metrics_mb"] = maxrss_mb()

    runs, _ = _timed(lambda: network.layout(graph), repeat)
    result["layout"] = summarize(runs)
    result["rss_after_layout_mb"] = maxrss_mb()

    # Python-allocation peaks, one traced run each (tracemalloc slows code down: not timed).
    peaks = {
        "load": _traced_peak_mb(load),
        "metrics": _traced_peak_mb(metrics),
        "layout": _traced_peak_mb(lambda: network.layout(graph)),
    }
    for key, peak in peaks.items():
        result[key] = {**result.data[key], "tracemalloc_peak_mb": peak}


# -------------------------------------------------------------------------------- pages


def _clear_caches() -> None:
    import streamlit as st

    from dashboard import shared_cache

    st.cache_data.clear()
    st.cache_resource.clear()
    shared_cache.clear_all()  # the app's own process-wide caches (dashboard/shared_cache.py)
    gc.collect()


def _run(at: Any) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError("; ".join(str(e.value) for e in at.exception)[:2000])
    return elapsed


def _measure_page(at: Any, repeat: int) -> dict[str, Any]:
    cold, warm = [], []
    for _ in range(repeat):
        _clear_caches()
        cold.append(_run(at))
        warm.append(_run(at))
    return {"cold": summarize(cold), "warm": summarize(warm)}


def stage_pages(data: bytes, repeat: int, result: Result, *, timeout: float, pages: tuple[str, ...]) -> None:
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty_page.py"
        empty.write_text(EMPTY_PAGE, encoding="utf-8")
        at = AppTest.from_file(str(empty), default_timeout=timeout)
        _run(at)  # first import of the script machinery, not timed
        result["empty"] = _measure_page(at, repeat)

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.session_state["plan_bytes"] = data
    at.session_state["plan_name"] = PLAN_NAME
    at.session_state["meeting_date"] = MEETING_DATE
    start = time.perf_counter()
    _run(at)  # lands on the default page; switch_page needs one run first
    result["first_run_s"] = round(time.perf_counter() - start, 6)
    for page in pages:
        try:
            at.switch_page(f"pages/{page}.py")
            result[page] = _measure_page(at, repeat)
        except Exception as exc:  # noqa: BLE001 - reported, and the next pages still run
            result[page] = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
            if "timed out" in str(exc).lower():
                # The script thread is still running and would skew every later number.
                result["aborted"] = f"stopped after a timeout on {page}"
                return


# --------------------------------------------------------------------------------- pptx


def stage_pptx(data: bytes, repeat: int, result: Result) -> None:
    from analysis.agencies import load_registry
    from analysis.model import plan_from_bytes

    try:
        from analysis.report import build_pptx
    except Exception as exc:  # noqa: BLE001 - being written elsewhere: skip with a note
        result["skipped"] = f"analysis.report.build_pptx is not importable: {type(exc).__name__}: {exc}"
        return
    plan = plan_from_bytes(data, PLAN_NAME, registry=load_registry())
    result["rss_after_load_mb"] = maxrss_mb()
    runs, deck = _timed(lambda: build_pptx(plan, meeting_date=MEETING_DATE), repeat)
    result["build"] = {**summarize(runs), "bytes": len(deck)}


# --------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("stage", choices=["core", "pages", "pptx"])
    parser.add_argument("--plan", type=Path, required=True, help="the synthetic plan (CSV)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON result")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page-timeout", type=float, default=600.0, help="seconds per AppTest run")
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args(argv)
    data = args.plan.read_bytes()
    result = Result(args.out, stage=args.stage, repeat=args.repeat)
    try:
        if args.stage == "core":
            stage_core(data, args.repeat, result)
        elif args.stage == "pages":
            pages = tuple(p for p in args.pages.split(",") if p)
            stage_pages(data, args.repeat, result, timeout=args.page_timeout, pages=pages)
        else:
            stage_pptx(data, args.repeat, result)
    except Exception as exc:  # noqa: BLE001 - the runner reports it
        result["error"] = f"{type(exc).__name__}: {exc}"[:2000]
        result["traceback"] = traceback.format_exc()[-4000:]
        result.save()
        return 1
    result.save()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # do not wait for a script thread left running after an AppTest timeout
