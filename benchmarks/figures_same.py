"""The chart builders of this tree against another tree's (the `--old` worktree, e.g. main): the same
figures, and the CPU each takes.

    python -m benchmarks.figures_same --old /work/wt/main-copy           # every variant equal?
    python -m benchmarks.figures_same --old /work/wt/main-copy --cpu 50  # and CPU per figure

Each tree runs in its own subprocess (both are the `analysis` package): every variant (builder ×
plan × filter × language × scale × options) is built and dumped as ``json.loads(fig.to_json())``
(or the exception it raised), and the dumps are compared. `--cpu N` then times N builds of one
variant per builder (``time.process_time``, median), old and new processes interleaved.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Builder = Callable[[], Any]

EARLY = dt.date(2020, 9, 15)  # a meeting early in the bundled plan's period
LATE = dt.date(2022, 10, 1)  # and late in it (the meeting line's label runs left)


def _reports(plan: Any, every: int, as_of: dt.date) -> Any:
    """Reports on every `every`-th task, statuses cycling (as the load test's seed writes them)."""
    import pandas as pd

    from analysis.progress import REPORT_COLUMNS
    from analysis.vocab import ProgressStatus

    statuses = tuple(ProgressStatus)
    tasks = list(plan.tasks["task_id"].astype(str))[::every]
    records = [
        {"report_id": i, "task_id": task, "version": 1, "status": statuses[i % len(statuses)].value, "percent": None,
         "note": "", "evidence": "", "agency": "", "as_of": as_of - dt.timedelta(days=31 * (i % 3)),
         "period": f"{as_of - dt.timedelta(days=31 * (i % 3)):%Y-%m}",
         "reported_at": dt.datetime(2020, 9, 15, 8, 0), "reported_by": "王伟", "previous_report_id": None}
        for i, task in enumerate(tasks, start=1)
    ]
    return pd.DataFrame.from_records(records, columns=REPORT_COLUMNS)


def _plans() -> dict[str, Any]:
    from analysis.model import load_bundled_plan, plan_from_bytes
    from benchmarks import synth

    return {
        "bundled": load_bundled_plan(),
        "synth300": plan_from_bytes(synth.generate(300).data, "synthetic.csv"),
        "synth1500": plan_from_bytes(synth.generate(1500).data, "synthetic.csv"),
    }


def _filters(plan: Any) -> dict[str, Any]:
    from analysis.derive import Filters

    busiest = str(plan.agencies.sort_values("tasks", ascending=False)["agency"].iloc[0])
    return {
        "all": Filters(),
        "theme": Filters(themes=(str(plan.themes["theme"].iloc[0]),)),
        "agency": Filters(agencies=(busiest,)),
        "type": Filters(types=(str(plan.agencies["type"].astype(str).iloc[0]),)),
        "lead": Filters(agencies=(busiest,), roles=("lead",)),
        "none": Filters(agencies=("没有这个单位",)),
    }


def _plan_variants(name: str, plan: Any, filters: str, langs: tuple[str, ...],
                   scales: tuple[float, ...]) -> Iterator[tuple[str, Builder]]:
    from analysis import derive, figures, progress_figures, progress_views
    from analysis.progress import task_rag

    view = derive.apply_filters(plan, _filters(plan)[filters])
    reports = _reports(plan, 3 if name == "bundled" else 7, EARLY)
    progress = dict(zip(reports["task_id"].astype(str), reports["status"].astype(str), strict=True))
    for lang in langs:
        for scale in scales:
            tag = f"{name}/{filters}/{lang}/{scale}"
            yield f"types/{tag}", lambda v=view, la=lang, s=scale: figures.agencies_by_type_figure(v, la, scale=s)
            yield f"themes/{tag}", lambda v=view, la=lang, s=scale: figures.tasks_per_theme_figure(v, la, scale=s)
            frame = derive.sort_workload(derive.workload(view, agencies=derive.focus_agencies(view, _filters(plan)[filters])))
            top = frame.head(40)
            for measure, weight in (("count", 2.0), ("score", 3.5)):
                yield (f"workload/{tag}/{measure}",
                       lambda v=view, f=top, la=lang, s=scale, m=measure, w=weight:
                       figures.workload_figure(v, f, la, measure=m, lead_weight=w, scale=s))
                split = progress_views.workload_by_status(view, top["agency"].tolist(), progress,
                                                          lead_weight=weight if measure == "score" else 1.0)
                yield (f"workload_status/{tag}/{measure}",
                       lambda v=view, c=split, la=lang, s=scale, m=measure, w=weight:
                       progress_figures.workload_status_figure(v, c, la, measure=m, lead_weight=w, scale=s))
            ten = top.head(10)
            yield (f"workload/{tag}/title",
                   lambda v=view, f=ten, la=lang, s=scale:
                   figures.workload_figure(v, f, la, scale=s, title="排名前十 <b>牵头</b>"))
            counts = derive.agency_theme_counts(view, agencies=top["agency"].tolist())
            yield f"heatmap/{tag}", lambda v=view, c=counts, la=lang, s=scale: figures.agency_theme_heatmap(v, c, la, scale=s)
            for meeting in (EARLY, LATE):
                status = derive.due_status(view, meeting, window_days=30)
                mtag = f"{tag}/{meeting}"
                yield (f"quarters/{mtag}",
                       lambda v=view, st=status, m=meeting, la=lang, s=scale:
                       figures.deadline_distribution_figure(v, st, m, la, scale=s))
                for group in ("none", "theme", "lead"):
                    try:
                        ordered = derive.timeline_order(status, view, group_by=group, lang=lang)
                    except TypeError:  # grouped by lead, an empty view fails in timeline_order (not drawn)
                        continue
                    for rows in (slice(0, 60), slice(60, 120)):
                        part = ordered.iloc[rows]
                        if rows.start and part.empty:
                            continue
                        yield (f"timeline/{mtag}/{group}/{rows.start}",
                               lambda v=view, p=part, m=meeting, la=lang, s=scale:
                               figures.timeline_figure(v, p, m, la, scale=s))
                        yield (f"timeline/{mtag}/{group}/{rows.start}/progress",
                               lambda v=view, p=part, m=meeting, la=lang, s=scale, pr=progress:
                               figures.timeline_figure(v, p, m, la, scale=s, progress=pr))
                    if scale > 1:  # the presentation page's fitted timeline
                        yield (f"timeline/{mtag}/{group}/present",
                               lambda v=view, p=ordered.iloc[:20], m=meeting, la=lang, pr=progress:
                               figures.timeline_figure(v, p, m, la, scale=1.1, text_length=34,
                                                       height=round(830 / 1.1), progress=pr))
                if not status.empty:  # a meeting moved some deadlines: the published ones are marked
                    moved = status.assign(published_deadline=[
                        d - dt.timedelta(days=90) if i % 4 == 0 else (d if i % 4 == 1 else None)
                        for i, d in enumerate(status["deadline"])])
                    moved["published_deadline"] = moved["published_deadline"].astype("datetime64[ns]")
                    first = derive.timeline_order(moved, view).iloc[:60]
                    yield (f"timeline/{mtag}/moved",
                           lambda v=view, p=first, m=meeting, la=lang, s=scale:
                           figures.timeline_figure(v, p, m, la, scale=s))
            rag = task_rag(view.tasks, reports, EARLY)
            for by in ("lead", "theme"):
                counts_rag = progress_views.rag_counts(view, rag, by)
                yield (f"rag/{tag}/{by}",
                       lambda v=view, c=counts_rag, b=by, la=lang, s=scale: progress_figures.rag_figure(v, c, b, la, scale=s))
            table = progress_views.reports_by_period(reports[reports["task_id"].isin(view.tasks["task_id"].astype(str))])
            yield f"periods/{tag}", lambda tb=table, la=lang, s=scale: progress_figures.periods_figure(tb, la, scale=s)


def _portfolio_frames(plan: Any) -> dict[str, tuple[Any, Any]]:
    """Load and centrality frames in the shape ``analysis.portfolio`` gives them (one region, two, none)."""
    import pandas as pd

    from analysis import derive

    work = derive.sort_workload(derive.workload(plan))
    types = plan.agencies.set_index("agency")["type"].astype(str)
    regions = ["浙江" if i % 3 else "杭州" for i in range(len(work))]

    def frames(region: list[str]) -> tuple[Any, Any]:
        load = pd.DataFrame({"agency": work["agency"], "region": region, "lead": work["lead"],
                             "support": work["support"], "plans": [1 + i % 3 for i in range(len(work))]})
        metrics = pd.DataFrame({"name": work["agency"], "region": region,
                                "type": [types.get(a, "unknown") for a in work["agency"]],
                                "weighted_degree": (work["lead"] * 2 + work["support"]).astype(int),
                                "degree": work["support"].astype(int), "plans": [1 + i % 2 for i in range(len(work))],
                                "betweenness": [round(1 / (i + 3), 5) for i in range(len(work))]})
        return load, metrics

    one, two = frames(["浙江"] * len(work)), frames(regions)
    return {"one_region": one, "two_regions": two, "empty": (one[0].iloc[:0], one[1].iloc[:0])}


def _network_variants(name: str, plan: Any, langs: tuple[str, ...]) -> Iterator[tuple[str, Builder]]:
    from analysis import figures, network

    graph = network.co_assignment_graph(plan.assignments, plan.agencies)
    positions = network.layout(graph)
    communities = network.communities(graph)
    busiest = str(plan.agencies.sort_values("tasks", ascending=False)["agency"].iloc[0])
    ego = network.ego_network(graph, busiest, max_partners=30)
    ego_positions = network.layout(ego)
    for lang in langs:
        for scale in (1.0, 1.45):
            tag = f"{name}/{lang}/{scale}"
            for color_by in ("type", "community"):
                for highlight in (None, busiest, "没有这个单位"):
                    yield (f"network/{tag}/{color_by}/{highlight}",
                           lambda la=lang, s=scale, c=color_by, h=highlight: figures.network_figure(
                               plan, graph, positions, la, color_by=c, communities=communities, highlight=h, scale=s))
                yield (f"network/{tag}/{color_by}/ego",
                       lambda la=lang, s=scale, c=color_by: figures.network_figure(
                           plan, ego, ego_positions, la, color_by=c, communities=communities, highlight=busiest,
                           scale=s, title="某单位的合作网络", height=520, width_hint=520, legend_below=True))
            yield (f"network/{tag}/slide",
                   lambda la=lang, s=scale: figures.network_figure(
                       plan, graph, positions, la, highlight=busiest, scale=s, title="牵头与配合单位网络（幻灯片）",
                       height=round(1080 / s), width_hint=1910, labels_over_nodes=3))


def variants() -> Iterator[tuple[str, Builder]]:
    from analysis import portfolio_figures

    plans = _plans()
    for filters in ("all", "theme", "agency", "type", "lead", "none"):
        yield from _plan_variants("bundled", plans["bundled"], filters, ("zh", "en"), (1.0, 1.45))
    for filters in ("all", "theme", "none"):
        yield from _plan_variants("synth300", plans["synth300"], filters, ("zh", "en"), (1.0, 1.45))
    yield from _plan_variants("synth1500", plans["synth1500"], "all", ("zh",), (1.0,))
    yield from _network_variants("bundled", plans["bundled"], ("zh", "en"))
    yield from _network_variants("synth300", plans["synth300"], ("zh",))
    for key, (load, metrics) in _portfolio_frames(plans["bundled"]).items():
        for lang in ("zh", "en"):
            for scale in (1.0, 1.45):
                for top, weight in ((20, 2.0), (5, 1.0)):
                    tag = f"{key}/{lang}/{scale}/{top}"
                    yield (f"pf_load/{tag}", lambda ld=load, la=lang, s=scale, tp=top, w=weight:
                           portfolio_figures.load_figure(ld, la, lead_weight=w, top=tp, scale=s))
                    yield (f"pf_centrality/{tag}", lambda m=metrics, la=lang, s=scale, tp=top:
                           portfolio_figures.centrality_figure(m, la, top=tp, scale=s))


def _outcome(build: Builder) -> Any:
    try:
        fig = build()
    except Exception as error:  # both trees must fail alike
        return {"raised": f"{type(error).__name__}: {error}"}
    return json.loads(fig.to_json())


def dump(path: str) -> None:
    result = {name: _outcome(build) for name, build in variants()}
    Path(path).write_text(json.dumps(result, ensure_ascii=False))


# One variant per builder for --cpu: the bundled plan in Chinese on screen (a timeline page of 60 rows).
TIMED = ("types/bundled/all/zh/1.0", "themes/bundled/all/zh/1.0", "workload/bundled/all/zh/1.0/count",
         "heatmap/bundled/all/zh/1.0", f"timeline/bundled/all/zh/1.0/{EARLY}/none/0",
         f"timeline/bundled/all/zh/1.0/{EARLY}/theme/0/progress", f"quarters/bundled/all/zh/1.0/{EARLY}",
         "rag/bundled/all/zh/1.0/lead", "periods/bundled/all/zh/1.0", "workload_status/bundled/all/zh/1.0/count",
         "pf_load/one_region/zh/1.0/20", "pf_centrality/one_region/zh/1.0/20",
         f"timeline/synth1500/all/zh/1.0/{EARLY}/lead/0", f"quarters/synth1500/all/zh/1.0/{EARLY}",
         "network/bundled/zh/1.0/type/None", "network/synth300/zh/1.0/community/ego")


def cpu(path: str, repeat: int) -> None:
    builders = {name: build for name, build in variants() if name in TIMED}
    for build in builders.values():
        build()  # warm (imports, templates)
    times: dict[str, list[float]] = {name: [] for name in builders}
    for _ in range(repeat):
        for name, build in builders.items():
            start = time.process_time()
            build()
            times[name].append(time.process_time() - start)
    Path(path).write_text(json.dumps(times))


def _run(tree: str, out: str, repeat: int = 0) -> None:
    """This file run as a script in `tree` (its `analysis` and `benchmarks` imported from there)."""
    mode = ["--time-to", out, "--cpu", str(repeat)] if repeat else ["--dump-to", out]
    subprocess.run([sys.executable, __file__, "--old", tree, *mode], cwd=tree,
                   env={**os.environ, "PYTHONPATH": tree}, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", required=True, help="the other tree (e.g. a worktree of main)")
    parser.add_argument("--cpu", type=int, default=0, help="also time N builds of one variant per builder")
    parser.add_argument("--rounds", type=int, default=2, help="old/new processes alternated this many times (--cpu)")
    parser.add_argument("--dump-to", help=argparse.SUPPRESS)  # in a subprocess: this tree's figures
    parser.add_argument("--time-to", help=argparse.SUPPRESS)  # in a subprocess: this tree's times
    args = parser.parse_args(argv)
    if args.dump_to:
        dump(args.dump_to)
        return 0
    if args.time_to:
        cpu(args.time_to, args.cpu)
        return 0
    new = str(Path(__file__).resolve().parents[1])
    with tempfile.TemporaryDirectory() as tmp:
        dumps = {}
        for label, tree in (("old", args.old), ("new", new)):
            out = f"{tmp}/{label}.json"
            _run(tree, out)
            dumps[label] = json.loads(Path(out).read_text())
        old, new_dump = dumps["old"], dumps["new"]
        differ = sorted(name for name in old if old[name] != new_dump.get(name))
        raised = sum(1 for v in old.values() if "raised" in v)
        print(f"{len(old)} variants ({raised} raise in both trees alike), {len(differ)} differ"
              + (f": {differ[:20]}" if differ else ""))
        if set(old) != set(new_dump):
            print("variant names differ between the trees")
            return 1
        if args.cpu:
            times: dict[str, dict[str, list[float]]] = {"old": {}, "new": {}}
            per_round = max(1, args.cpu // args.rounds)
            for round_ in range(args.rounds):
                for label, tree in (("old", args.old), ("new", new)) if round_ % 2 == 0 else (("new", new), ("old", args.old)):
                    out = f"{tmp}/cpu_{label}_{round_}.json"
                    _run(tree, out, per_round)
                    for name, values in json.loads(Path(out).read_text()).items():
                        times[label].setdefault(name, []).extend(values)
            print(f"{'figure':58} {'old ms':>8} {'new ms':>8} {'new/old':>8}  (CPU, median of {per_round * args.rounds})")
            for name in TIMED:
                before = statistics.median(times["old"][name]) * 1000
                after = statistics.median(times["new"][name]) * 1000
                print(f"{name:58} {before:8.2f} {after:8.2f} {after / before:8.2f}")
            print(f"load average {os.getloadavg()}")
        return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
