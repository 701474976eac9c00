"""The benchmark runner behind `python -m benchmarks` (see benchmarks/__init__.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import synth
from benchmarks.stats import machine, summarize
from benchmarks.worker import PAGES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (35, 1000, 10000, 100000)
QUICK_SIZES = (35, 1000)

# The targets on the 2-core reference machine.
TARGETS = (
    # (name, size, what, limit)
    ("page warm rerun (each page)", 35, "page_warm", 0.1),
    ("page warm rerun (each page)", 10000, "page_warm", 0.3),
    ("page cold run (each page)", 10000, "page_cold", 3.0),
    ("load + metrics", 100000, "load_metrics", 30.0),
    ("load + metrics peak memory (MB)", 100000, "load_metrics_rss", 2048.0),
    ("CLI summary --json (whole process)", 10000, "cli", 3.0),
)


# ------------------------------------------------------------------------------ helpers


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be integers separated by commas, got {text!r}") from None
    if not sizes or any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


# Set by --blas-threads: environment for every measured process (None: inherit).
CHILD_ENV: dict[str, str] | None = None


def _blas_env(threads: int | None) -> dict[str, str] | None:
    if threads is None:
        return None
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(threads)
    return env


def _run_worker(stage: str, plan: Path, out: Path, repeat: int, timeout: float, extra: list[str]) -> dict[str, Any]:
    """Run one stage in a fresh process; its JSON (possibly partial) plus how it ended."""
    command = [sys.executable, "-m", "benchmarks.worker", stage, "--plan", str(plan), "--out", str(out),
               "--repeat", str(repeat), *extra]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors,
                                   start_new_session=True, env=CHILD_ENV)
        try:
            code = process.wait(timeout=timeout)
            ended = "ok" if code == 0 else f"exit code {code}"
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the worker we started, and its children
            process.wait()
            ended = f"stopped after {timeout:.0f} s"
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")[-2000:]
    result: dict[str, Any] = {}
    if out.exists():
        result = json.loads(out.read_text(encoding="utf-8"))
    result["wall_s"] = round(time.perf_counter() - start, 3)
    result["ended"] = ended
    if ended != "ok" and stderr.strip():
        result["stderr_tail"] = stderr
    return result


def _run_cli(plan: Path, repeat: int, timeout: float) -> dict[str, Any]:
    """`python -m analysis summary PATH --json` as a whole process: wall time and peak RSS."""
    runs, rss = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(
                [sys.executable, "-m", "analysis", "summary", str(plan), "--json"],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True, env=CHILD_ENV,
            )
            deadline = start + timeout
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    os.killpg(process.pid, signal.SIGKILL)
                    os.wait4(process.pid, 0)
                    return {**summarize(runs), "error": f"stopped after {timeout:.0f} s"}
                time.sleep(0.005)
            process.returncode = os.waitstatus_to_exitcode(status)
            elapsed = time.perf_counter() - start
            if process.returncode != 0:
                errors.seek(0)
                return {**summarize(runs), "error": errors.read().decode("utf-8", "replace")[-1000:]}
        runs.append(elapsed)
        rss.append(round(usage.ru_maxrss / 1024, 1))
    return {**summarize(runs), "max_rss_mb": max(rss), "rss_runs_mb": rss}


def _pptx_available() -> str | None:
    """None when analysis.report.build_pptx imports, else why not."""
    probe = subprocess.run(
        [sys.executable, "-c", "from analysis.report import build_pptx"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    if probe.returncode == 0:
        return None
    return (probe.stderr.strip().splitlines() or ["import failed"])[-1]


# ----------------------------------------------------------------------------- targets


def _median(entry: dict[str, Any] | None) -> float | None:
    return entry.get("median_s") if isinstance(entry, dict) else None


def evaluate_targets(sizes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for name, size, what, limit in TARGETS:
        result = sizes.get(str(size))
        row: dict[str, Any] = {"target": name, "size": size, "limit": limit, "value": None, "met": None, "detail": ""}
        if result is None:
            row["detail"] = "size not run"
            rows.append(row)
            continue
        if what in ("page_warm", "page_cold"):
            pages = result.get("pages", {})
            kind = what.split("_")[1]
            values = {p: _median(pages.get(p, {}).get(kind)) for p in PAGES}
            if pages.get("skipped"):
                row["detail"] = pages["skipped"]
            elif any(v is None for v in values.values()):
                missing = [p for p, v in values.items() if v is None]
                row["detail"] = "not measured: " + ", ".join(missing)
                row["met"] = False if any(v is not None and v > limit for v in values.values()) else None
            if all(v is not None for v in values.values()) or row["met"] is False:
                measured = {p: v for p, v in values.items() if v is not None}
                worst = max(measured, key=measured.__getitem__)
                row["value"] = measured[worst]
                row["met"] = all(v <= limit for v in measured.values()) and len(measured) == len(PAGES)
                over = [p for p, v in measured.items() if v > limit]
                row["detail"] = (f"slowest: {worst}" + (f"; over: {', '.join(over)}" if over else "")
                                 + (f"; {row['detail']}" if row["detail"] else ""))
        elif what == "load_metrics":
            core = result.get("core", {})
            load, metrics = _median(core.get("load")), _median(core.get("metrics"))
            if load is not None and metrics is not None:
                row["value"] = round(load + metrics, 3)
                row["met"] = row["value"] <= limit
                row["detail"] = f"load {load:.2f} s + metrics {metrics:.2f} s"
        elif what == "load_metrics_rss":
            value = result.get("core", {}).get("rss_after_metrics_mb")
            if value is not None:
                row["value"] = value
                row["met"] = value <= limit
                row["detail"] = "ru_maxrss of the core worker after load + metrics"
        elif what == "cli":
            cli = result.get("cli", {})
            row["value"] = _median(cli)
            if row["value"] is not None:
                row["met"] = row["value"] <= limit
                row["detail"] = f"median of {len(cli.get('runs', []))}; peak RSS {cli.get('max_rss_mb')} MB"
            else:
                row["detail"] = cli.get("error", "not measured")
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------ output


def _fmt(entry: Any, *, spread: bool = True) -> str:
    if not isinstance(entry, dict):
        return "—"
    if entry.get("error"):
        return "error"
    median = entry.get("median_s")
    if median is None:
        return "—"
    text = f"{median:.3f}"
    if spread and entry.get("min_s") is not None and len(entry.get("runs", [])) > 1:
        text += f" ({entry['min_s']:.3f}–{entry['max_s']:.3f})"
    return text


def table_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the results table: one column per size."""
    sizes = list(report["sizes"])
    header = ["measure"] + [f"{int(s):,} tasks" for s in sizes]
    rows: list[list[str]] = []

    def add(label: str, values: list[str]) -> None:
        rows.append([label, *values])

    results = [report["sizes"][s] for s in sizes]
    add("agencies / assignments", [
        f"{r.get('core', {}).get('plan', {}).get('agencies', '—')} / {r.get('core', {}).get('plan', {}).get('assignments', '—')}"
        for r in results
    ])
    for key, label in (("load", "load + normalise (s)"), ("metrics", "graph + all metrics (s)"), ("layout", "layout (s)")):
        add(label, [_fmt(r.get("core", {}).get(key)) for r in results])
    add("tracemalloc peak load / metrics / layout (MB)", [
        " / ".join(str(r.get("core", {}).get(k, {}).get("tracemalloc_peak_mb", "—")) for k in ("load", "metrics", "layout"))
        for r in results
    ])
    add("process peak RSS after load + metrics (MB)", [str(r.get("core", {}).get("rss_after_metrics_mb", "—")) for r in results])
    for page in ("empty", *PAGES):
        for kind in ("cold", "warm"):
            cells = []
            for r in results:
                pages = r.get("pages", {})
                if pages.get("skipped"):
                    cells.append("skipped")
                    continue
                entry = pages.get(page, {})
                if entry.get("error"):
                    cells.append("error")
                    continue
                cell = _fmt(entry.get(kind))
                ratio = entry.get(f"{kind}_ratio")
                if ratio is not None and page != "empty":
                    cell += f" ×{ratio:.1f}"
                cells.append(cell)
            add(f"page {page} {kind} (s, × empty)", cells)
    add("PPTX pack (s)", [
        "skipped" if r.get("pptx", {}).get("skipped") else _fmt(r.get("pptx", {}).get("build")) for r in results
    ])
    add("CLI summary --json, whole process (s)", [_fmt(r.get("cli")) for r in results])
    add("CLI peak RSS (MB)", [str(r.get("cli", {}).get("max_rss_mb", "—")) for r in results])
    add("load average (1 min) at start / end", [
        f"{(r.get('load_average_start') or ['—'])[0]} / {(r.get('load_average_end') or ['—'])[0]}" for r in results
    ])
    return header, rows


def _target_value(target: dict[str, Any]) -> str:
    value = target["value"]
    if value is None:
        return "—"
    return f"{value:.1f}" if target["limit"] >= 100 else f"{value:.3f}"


def render_table(report: dict[str, Any]) -> str:
    header, rows = table_rows(report)
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(header))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.append("")
    lines.append("median (min–max) over repeats; × = ratio to the empty Streamlit page measured the same way")
    for target in report.get("targets", []):
        mark = {True: "MET ", False: "MISS", None: "n/a "}[target["met"]]
        value = _target_value(target)
        lines.append(f"[{mark}] {target['target']} @ {target['size']:,} tasks: {value} (limit {target['limit']:g}) {target['detail']}")
    return "\n".join(lines)


def render_markdown(report: dict[str, Any]) -> str:
    header, rows = table_rows(report)
    m = report["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
    out = [
        f"Measured {report['started']} on {m['cpu_model']}, {m['usable_cores']} usable cores "
        f"({m['cpu_count']} CPUs), {m['memory_total_mb']:.0f} MB RAM, load average at start "
        f"{m['load_average_at_start']}; Python {m['python']}; {packages}.",
        "",
        f"Sizes {', '.join(report['sizes'])}; repeat {report['config']['repeat']} "
        f"(PPTX {report['config'].get('pptx_repeat', report['config']['repeat'])}); seed {report['config']['seed']}; "
        f"BLAS threads {report['config'].get('blas_threads') or 'default'}.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    out += ["", "| target | tasks | limit | measured | met | detail |", "|---|---|---|---|---|---|"]
    for t in report.get("targets", []):
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        value = _target_value(t)
        out.append(f"| {t['target']} | {t['size']:,} | {t['limit']:g} | {value} | {met} | {t['detail']} |")
    return "\n".join(out) + "\n"


# -------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark the loader, network metrics, layout, every page (AppTest), the PPTX pack "
        "and the summary CLI on synthetic plans of several sizes.",
    )
    parser.add_argument("--sizes", type=_sizes, default=None,
                        help="task counts, comma-separated (default 35,1000,10000,100000)")
    parser.add_argument("--repeat", type=int, default=None, help="timed runs per measurement (default 3)")
    parser.add_argument("--json", type=Path, default=None, help="write the full results to this JSON file")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table as Markdown")
    parser.add_argument("--quick", action="store_true", help="for CI: sizes 35 and 1000, repeat 2")
    parser.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
    parser.add_argument("--only", default="core,pages,pptx,cli",
                        help="stages to run, comma-separated from core,pages,pptx,cli (default all)")
    parser.add_argument("--page-max-tasks", type=int, default=10000,
                        help="skip the AppTest page runs above this many tasks (default 10000)")
    parser.add_argument("--pptx-max-tasks", type=int, default=10000,
                        help="skip the PPTX pack above this many tasks (default 10000)")
    parser.add_argument("--pptx-repeat", type=int, default=None,
                        help="timed runs of the PPTX pack (default: --repeat; a pack of 10 000 tasks takes minutes)")
    parser.add_argument("--page-timeout", type=float, default=600.0, help="seconds allowed per AppTest run")
    parser.add_argument("--stage-timeout", type=float, default=3600.0, help="seconds allowed per stage process")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="set OPENBLAS/OMP/MKL_NUM_THREADS for the measured processes (default: inherit)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated CSV plans in this folder")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = args.sizes or list(QUICK_SIZES)
        args.repeat = args.repeat or 2
    args.sizes = args.sizes or list(DEFAULT_SIZES)
    args.repeat = args.repeat or 3
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = args.only - {"core", "pages", "pptx", "cli"}
    if unknown:
        parser.error(f"unknown stage(s): {', '.join(sorted(unknown))}")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    global CHILD_ENV
    CHILD_ENV = _blas_env(args.blas_threads)
    report: dict[str, Any] = {
        "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "config": {"sizes": args.sizes, "repeat": args.repeat, "pptx_repeat": args.pptx_repeat or args.repeat,
                   "seed": args.seed, "quick": args.quick,
                   "stages": sorted(args.only), "page_max_tasks": args.page_max_tasks,
                   "pptx_max_tasks": args.pptx_max_tasks, "blas_threads": args.blas_threads},
        "sizes": {},
    }
    pptx_missing = _pptx_available() if "pptx" in args.only else "not requested"
    with tempfile.TemporaryDirectory(prefix="benchmarks-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            started = time.perf_counter()
            plan = synth.generate(size, seed=args.seed)
            path = folder / f"synthetic_{size}.csv"
            path.write_bytes(plan.data)
            entry: dict[str, Any] = {"tasks": size, "generated_agencies": plan.agencies, "csv_bytes": len(plan.data),
                                     "load_average_start": _load_average()}
            report["sizes"][str(size)] = entry
            print(f"· {size:,} tasks ({plan.agencies} agencies, {len(plan.data) / 2**20:.1f} MB CSV)", file=sys.stderr)
            if "core" in args.only:
                print("  core: load, metrics, layout", file=sys.stderr)
                entry["core"] = _run_worker("core", path, folder / f"core_{size}.json", args.repeat, args.stage_timeout, [])
            if "pages" in args.only:
                if size > args.page_max_tasks:
                    entry["pages"] = {"skipped": f"more than --page-max-tasks {args.page_max_tasks}"}
                else:
                    print("  pages: AppTest cold and warm", file=sys.stderr)
                    pages = _run_worker("pages", path, folder / f"pages_{size}.json", args.repeat, args.stage_timeout,
                                        ["--page-timeout", str(args.page_timeout)])
                    _add_ratios(pages)
                    entry["pages"] = pages
            if "pptx" in args.only:
                if pptx_missing:
                    entry["pptx"] = {"skipped": f"build_pptx not importable ({pptx_missing})"}
                elif size > args.pptx_max_tasks:
                    entry["pptx"] = {"skipped": f"more than --pptx-max-tasks {args.pptx_max_tasks}"}
                else:
                    print("  pptx: build_pptx", file=sys.stderr)
                    entry["pptx"] = _run_worker("pptx", path, folder / f"pptx_{size}.json",
                                                args.pptx_repeat or args.repeat, args.stage_timeout, [])
            if "cli" in args.only:
                print("  cli: python -m analysis summary --json", file=sys.stderr)
                entry["cli"] = _run_cli(path, args.repeat, args.stage_timeout)
            entry["wall_s"] = round(time.perf_counter() - started, 3)
            entry["load_average_end"] = _load_average()
            if args.json:  # partial results survive an interrupted run
                _write_json(args.json, report)
    report["targets"] = evaluate_targets(report["sizes"])
    report["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return report


def _load_average() -> list[float] | None:
    """1, 5 and 15-minute load averages: the machine is shared, and numbers taken while
    others run tests are slower (compare with the usable cores)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not Unix
        return None


def _add_ratios(pages: dict[str, Any]) -> None:
    empty = pages.get("empty", {})
    for page in PAGES:
        entry = pages.get(page)
        if not isinstance(entry, dict):
            continue
        for kind in ("cold", "warm"):
            base, value = _median(empty.get(kind)), _median(entry.get(kind))
            if base and value is not None:
                entry[f"{kind}_ratio"] = round(value / base, 2)


def _write_json(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report = run(args)
    print(render_table(report))
    if args.json:
        _write_json(args.json, report)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(render_markdown(report), encoding="utf-8")
    return 0


__all__ = ["main", "run", "evaluate_targets", "render_table", "render_markdown"]
