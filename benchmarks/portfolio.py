"""Across plans at scale: `python -m benchmarks.portfolio --plans 1000 --reports 1000000`.

The workspace is the progress benchmark's (`benchmarks.workspace.build`: PLANS synthetic plans of
TASKS tasks from `benchmarks.synth`, REPORTS progress reports, bulk inserts into the schema of
the store's migrations). Then:

- digests: every plan's digest (`analysis.portfolio.load.digest_of`) built once and stored in
  `plan_digests` (in worker processes, one per core; a one-time cost, like the build);
- agency cold: what the 跨计划 page does on a first visit with nothing in memory —
  `load_portfolio` (stored digests read, assembled), `portfolio_statuses` (the latest report of
  every task of every plan in one query of the `latest_reports` table, colours by each plan's
  rule) and `agency_view`;
- agency warm: the page's rerun with the portfolio and statuses cached — the revision queries
  (`Workspace.revision`, as `dashboard.workspace_state.revision` reads it, and the
  links/decisions marks) and `agency_view` of
  an agency not seen before (each run another one: nothing of the view cached);
- overview cold / warm: the same with `plans_overview` and `agency_load` of the whole portfolio
  (warm: each run another region scope, uncached);
- network cold: `cross_plan_graph` + `centrality` of a portfolio of AGENCIES agencies (the
  synthetic tables all draw their agencies from one list of names; for this measure each plan's
  names are shifted along a list of AGENCIES names, so the plans together name all of them).

Each measure gives its wall time and this process's CPU time (`cpu_median_s`: what the code
costs, whatever the machine's load). `--keep FILE` builds the SQLite workspace into FILE and keeps
it; `--url sqlite:///FILE` measures it again without a build (before/after a change, side by side).

`--quick` is a small size for CI. Targets (issue 17): warm ≤ 0.3 s, cold ≤ 3 s, network cold ≤ 5 s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks import synth
from benchmarks.stats import machine, summarize
from benchmarks.workspace import REFERENCE, build, database

TARGETS = {"agency_warm": 0.3, "agency_cold": 3.0, "overview_warm": 0.3, "overview_cold": 3.0, "network_cold": 5.0}


def _digest(item: tuple[int, bytes, str]) -> tuple[int, dict[str, Any]]:
    from analysis.portfolio.load import digest_of
    from analysis.store import read_plan

    plan_id, data, name = item
    return plan_id, digest_of(read_plan(data, name), title=f"计划 {plan_id}")


def store_digests(url: str, *, workers: int, log: Callable[[str], None]) -> float:
    """Every plan's digest, built in `workers` processes and stored as `plan_digests` rows."""
    from sqlalchemy import insert, select

    from analysis.portfolio.load import DIGEST_FORMAT
    from analysis.store import open_workspace
    from analysis.store.models import PlanDigestRow, PlanVersionRow, utcnow

    started = time.perf_counter()
    ws = open_workspace(url, seed=False)
    with ws.engine.connect() as connection:
        sources = [(int(p), bytes(s), str(n)) for p, s, n in connection.execute(
            select(PlanVersionRow.plan_id, PlanVersionRow.source, PlanVersionRow.file_name))]
    rows = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for plan_id, digest in pool.map(_digest, sources, chunksize=8):
            rows.append({"plan_id": plan_id, "version": 1, "format": DIGEST_FORMAT, "decisions": 0, "data": digest,
                         "built_at": utcnow()})
            if len(rows) % 200 == 0:
                log(f"  {len(rows)} digests, {time.perf_counter() - started:.0f} s")
    with ws.engine.begin() as connection:
        connection.execute(insert(PlanDigestRow.__table__), rows)
    ws.close()
    return time.perf_counter() - started


def _revision(ws: Any) -> tuple[int, ...]:
    """The page's per-rerun queries: the workspace revision (``dashboard.workspace_state.revision``
    reads the one row of ``workspace_revision``, at most every few seconds: here every run) and
    the links/decisions marks (``analysis.store.portfolio.portfolio_marks``, as ``dashboard.state``
    reads them)."""
    from analysis.store.portfolio import portfolio_marks

    return (ws.revision(), *portfolio_marks(ws))


def _timed(function: Callable[[], object], repeat: int) -> dict[str, object]:
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return _with_cpu(summarize(runs), cpu)


def _with_cpu(summary: dict[str, object], cpu: list[float]) -> dict[str, object]:
    """The wall-time summary with the runs' CPU time (this process; the machine's load does not
    add to it): ``cpu_median_s``, ``cpu_runs``."""
    return {**summary, "cpu_runs": [round(c, 6) for c in cpu],
            "cpu_median_s": round(statistics.median(cpu), 6) if cpu else None}

def spread(digests: list[tuple[int, int, dict[str, Any]]], agencies: int) -> list[tuple[int, int, dict[str, Any]]]:
    """The digests with each plan's agency names shifted along a list of `agencies` names (see
    the module docstring); the structure of every plan is kept."""
    names = synth.agency_names(agencies)
    index = {name: i for i, name in enumerate(names)}
    result = []
    for number, (plan_id, version, digest) in enumerate(digests):
        shift = (number * 61) % agencies

        def moved(name: str, shift: int = shift) -> str:
            return names[(index[name] + shift) % agencies] if name in index else name

        assignments = {**digest["assignments"], "agency": [moved(a) for a in digest["assignments"]["agency"]]}
        kept = dict.fromkeys(moved(a) for a in digest["agencies"]["agency"])
        agencies_of = {"agency": list(kept), "registered": [False] * len(kept), "type": ["unknown"] * len(kept)}
        result.append((plan_id, version, {**digest, "assignments": assignments, "agencies": agencies_of}))
    return result


def measure(url: str, repeat: int, agencies: int, *, log: Callable[[str], None]) -> dict[str, Any]:
    from analysis.portfolio import (
        Scope,
        agency_load,
        agency_view,
        assemble,
        centrality,
        cross_plan_graph,
        plans_overview,
        scoped,
    )
    from analysis.store import open_workspace
    from analysis.store.portfolio import load_portfolio, plan_digests, portfolio_statuses

    ws = open_workspace(url, seed=False)
    result: dict[str, Any] = {}
    _revision(ws)  # connections open

    def cold_parts() -> tuple[Any, Any, dict[str, float]]:
        parts: dict[str, float] = {}
        start = time.perf_counter()
        portfolio = load_portfolio(ws)
        parts["load_portfolio_s"] = time.perf_counter() - start
        start = time.perf_counter()
        states = portfolio_statuses(ws, portfolio, REFERENCE)
        parts["statuses_s"] = time.perf_counter() - start
        return portfolio, states, parts

    agency_runs, overview_runs, parts_seen = [], [], []
    agency_cpu, overview_cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        portfolio, states, parts = cold_parts()
        keys = sorted(portfolio.keys())
        agency_view(portfolio, keys[0], REFERENCE, states)
        agency_runs.append(time.perf_counter() - start)
        agency_cpu.append(time.process_time() - start_cpu)
        parts_seen.append(parts)
        start, start_cpu = time.perf_counter(), time.process_time()
        portfolio, states, _ = cold_parts()
        plans_overview(portfolio, states)
        agency_load(portfolio)
        overview_runs.append(time.perf_counter() - start)
        overview_cpu.append(time.process_time() - start_cpu)
    result["agency_cold"] = _with_cpu(summarize(agency_runs), agency_cpu)
    result["overview_cold"] = _with_cpu(summarize(overview_runs), overview_cpu)
    result["cold_parts"] = {k: round(sorted(p[k] for p in parts_seen)[len(parts_seen) // 2], 3) for k in parts_seen[0]}
    log(f"  agency cold {result['agency_cold']['median_s']:.3f} s (CPU {result['agency_cold']['cpu_median_s']:.3f} s), "
        f"overview cold {result['overview_cold']['median_s']:.3f} s (CPU {result['overview_cold']['cpu_median_s']:.3f} s)"
        f" ({result['cold_parts']})")

    portfolio = load_portfolio(ws)
    states = portfolio_statuses(ws, portfolio, REFERENCE)
    keys = iter(sorted(portfolio.keys(), key=lambda k: k.as_text()) * (repeat + 1))
    result["agencies_in_portfolio"] = len(portfolio.keys())
    result["tasks_in_portfolio"] = len(portfolio.tasks)

    def agency_warm() -> None:
        _revision(ws)
        agency_view(portfolio, next(keys), REFERENCE, states)

    result["agency_warm"] = _timed(agency_warm, repeat)
    result["revision_queries"] = _timed(lambda: _revision(ws), repeat)
    scopes = iter([Scope(plan_ids=tuple(range(1 + i, len(portfolio.plans) + 1, 2))) for i in range(repeat)])

    def overview_warm() -> None:
        _revision(ws)
        part = scoped(portfolio, next(scopes))
        plans_overview(part, states)
        agency_load(part)

    result["overview_warm"] = _timed(overview_warm, repeat)
    log(f"  agency warm {result['agency_warm']['median_s']:.3f} s, overview warm "
        f"{result['overview_warm']['median_s']:.3f} s")

    wide = assemble(spread(plan_digests(ws), agencies))
    result["network_agencies"] = len(wide.keys())

    def network() -> None:
        graph = cross_plan_graph(wide)
        centrality(graph)

    graph = cross_plan_graph(wide)
    result["network_edges"] = graph.number_of_edges()
    result["network_cold"] = _timed(network, max(1, min(repeat, 3)))
    start = time.perf_counter()
    cross_plan_graph(wide)
    result["network_graph_s"] = round(time.perf_counter() - start, 3)
    log(f"  network of {result['network_agencies']} agencies, {result['network_edges']} ties: "
        f"{result['network_cold']['median_s']:.3f} s (CPU {result['network_cold']['cpu_median_s']:.3f} s; "
        f"graph {result['network_graph_s']} s)")
    ws.close()
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.portfolio", description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100, help="tasks per plan (default 100)")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=2000, help="agencies of the network measure (default 2000)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="10 plans, 10 000 reports, 200 agencies, 3 repeats")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--url", default=None,
                        help="measure a workspace this benchmark built before (digests stored): no build")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the SQLite workspace into this file and keep it (for --url sqlite:///FILE later)")
    args = parser.parse_args(argv)
    if args.quick:
        args.plans, args.reports, args.agencies, args.repeat = 10, 10_000, 200, 3
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    report: dict[str, Any] = {
        "machine": machine(), "load_average": list(os.getloadavg()), "targets_s": TARGETS,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "size": {"plans": args.plans, "tasks_per_plan": args.tasks, "reports": args.reports,
                 "agencies": args.agencies, "repeat": args.repeat}, "databases": {},
    }
    if args.url:
        report["databases"]["given"] = measure(args.url, args.repeat, args.agencies, log=log)
        kinds = []
    if args.keep and kinds != ["sqlite"]:
        log("--keep builds a SQLite workspace only (--db sqlite)")
        return 2
    if args.keep and args.keep.exists():
        log(f"{args.keep} exists: measure it with --url sqlite:///{args.keep}, or remove it")
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-portfolio-") as tmp:
        for kind in kinds:
            log(f"{kind}: building {args.plans} plans × {args.tasks} tasks, {args.reports} reports")
            kept = contextlib.nullcontext(f"sqlite:///{args.keep.resolve()}") if args.keep else None
            with kept or database(kind, Path(tmp)) as url:
                built = build(url, args.plans, args.tasks, args.reports, log=log)
                digests_s = store_digests(url, workers=args.workers, log=log)
                log(f"  digests stored in {digests_s:.1f} s")
                measured = measure(url, args.repeat, args.agencies, log=log)
            report["databases"][kind] = {**built, "digests_s": round(digests_s, 1), **measured}
    for entry in report["databases"].values():
        entry["targets_met"] = {name: entry[name]["median_s"] <= limit for name, limit in TARGETS.items()}
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    print(json.dumps({k: {n: v[n]["median_s"] for n in TARGETS} for k, v in report["databases"].items()}))
    print(json.dumps({k: v["targets_met"] for k, v in report["databases"].items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
