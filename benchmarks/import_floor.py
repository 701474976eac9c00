"""Import speed against the pandas floor (issue 13, Speed).

A text-heavy synthetic plan (every task's text has a deadline and a target:
``synth.generate(n, text_heavy=True)``) is written to a CSV; then, each in a fresh process and
side by side in one run, repeated:

- **floor**: ``pd.read_csv`` of the file and splitting its two unit columns on 、 (what pandas
  alone needs to hold the same table);
- **import**: ``analysis.model.plan_from_bytes`` of its bytes, to the full model;
- **summary CLI**: ``python -m analysis summary PATH --json`` as a whole process (interpreter
  start, imports, import of the plan, JSON on stdout).

Times are CPU seconds of the measured process (user + system; the machine is shared, so CPU
time is steadier than wall time; wall time is recorded beside it); medians of the repeats,
ratios to the floor's median. Targets: import ≤ 5 × floor, summary ≤ 8 × floor.

    python -m benchmarks.import_floor --tasks 100000 --repeat 3 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import synth

ROOT = Path(__file__).resolve().parents[1]
IMPORT_TARGET = 5.0
SUMMARY_TARGET = 8.0

_FLOOR = """
import sys, time, resource
import pandas as pd
start = time.process_time(); wall = time.perf_counter()
frame = pd.read_csv(sys.argv[1], skiprows=1, dtype=str, keep_default_na=False)
lead = frame["牵头单位"].str.split("、")
support = frame["配合单位"].str.split("、")
print(time.process_time() - start, time.perf_counter() - wall, len(frame), int(lead.map(len).sum() + support.map(len).sum()))
"""

_IMPORT = """
import sys, time
from pathlib import Path
from analysis.model import plan_from_bytes
data = Path(sys.argv[1]).read_bytes()
start = time.process_time(); wall = time.perf_counter()
plan = plan_from_bytes(data, "plan.csv")
print(time.process_time() - start, time.perf_counter() - wall, len(plan.tasks), len(plan.assignments))
"""


def _child(code: str, path: Path) -> tuple[float, float, str]:
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True, cwd=ROOT)
    cpu, wall, *rest = out.stdout.split()
    return float(cpu), float(wall), " ".join(rest)


def _cli(path: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "summary", str(path), "--json"], stdout=subprocess.DEVNULL,
                   check=True, cwd=ROOT)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def measure(tasks: int, repeat: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"plan_{tasks}.csv"
        path.write_bytes(synth.generate(tasks, text_heavy=True).data)
        runs: dict[str, list[tuple[float, float]]] = {"floor": [], "import": [], "summary": []}
        for _ in range(repeat):  # side by side: each repeat measures all three
            cpu, wall, _ = _child(_FLOOR, path)
            runs["floor"].append((cpu, wall))
            cpu, wall, _ = _child(_IMPORT, path)
            runs["import"].append((cpu, wall))
            runs["summary"].append(_cli(path))
    median = {k: statistics.median(c for c, _ in v) for k, v in runs.items()}
    wall = {k: statistics.median(w for _, w in v) for k, v in runs.items()}
    return {
        "tasks": tasks, "repeat": repeat, "load_average": os.getloadavg(),
        "cpu_s": median, "wall_s": wall, "runs": runs,
        "import_ratio": median["import"] / median["floor"], "summary_ratio": median["summary"] / median["floor"],
    }


def markdown(result: dict[str, object]) -> str:
    cpu, wall = result["cpu_s"], result["wall_s"]
    assert isinstance(cpu, dict) and isinstance(wall, dict)
    lines = [
        f"| {result['tasks']:,} text-heavy tasks, median of {result['repeat']} | CPU s | wall s | × floor (CPU) | target |",
        "|---|---|---|---|---|",
        f"| pandas floor (read_csv + split units) | {cpu['floor']:.2f} | {wall['floor']:.2f} | 1 | |",
        f"| import to the full model (plan_from_bytes) | {cpu['import']:.2f} | {wall['import']:.2f} | "
        f"{result['import_ratio']:.1f} | ≤ {IMPORT_TARGET:g} |",
        f"| summary CLI --json, whole process | {cpu['summary']:.2f} | {wall['summary']:.2f} | "
        f"{result['summary_ratio']:.1f} | ≤ {SUMMARY_TARGET:g} |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = measure(args.tasks, args.repeat)
    print(markdown(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
