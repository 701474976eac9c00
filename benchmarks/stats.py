"""Small helpers shared by the benchmark runner and its workers: timing summaries, memory,
and the machine description."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
from importlib import metadata

PACKAGES = (
    "streamlit", "pandas", "numpy", "pyarrow", "networkx", "scipy", "plotly", "kaleido",
    "python-pptx", "openpyxl", "python-docx",
)


def summarize(runs: list[float]) -> dict[str, object]:
    """Median, min, max and interquartile range (seconds) of repeated runs."""
    if not runs:
        return {"runs": [], "median_s": None, "min_s": None, "max_s": None, "q1_s": None, "q3_s": None}
    ordered = sorted(runs)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    return {
        "runs": [round(r, 6) for r in runs],
        "median_s": round(statistics.median(ordered), 6),
        "min_s": round(ordered[0], 6),
        "max_s": round(ordered[-1], 6),
        "q1_s": round(q1, 6),
        "q3_s": round(q3, 6),
    }


def maxrss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_total_mb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024, 0)
    except (OSError, ValueError, IndexError):
        pass
    return None


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover
        load = None
    return {
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "usable_cores": usable,
        "memory_total_mb": _memory_total_mb(),
        "load_average_at_start": load,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "packages": {name: _version(name) for name in PACKAGES},
    }
