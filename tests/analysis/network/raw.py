"""The independent side of the network tests: the bundled plan's raw table read with plain
string handling (never the project's loader), and the edges, counts and tables expected
from it; plus a random assignment table for large-graph checks."""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[3]
PLAN_DIR = ROOT / "data" / "plans" / "zhejiang_5g_2020_2022"
COLLECTIVES = {"各省级单位", "各市相关单位", "各省属单位"}


def raw_table() -> list[tuple[str, list[str], list[str]]]:
    """(task id, leads, supports) read from tasks.txt with plain string handling.

    A row is a run of tab-indented lines (number, text, lead, support; an empty cell is a
    lone tab); units are separated by 、 or ，; a trailing 等 is not part of the label.
    """
    rows, block = [], []
    for line in (PLAN_DIR / "tasks.txt").read_text(encoding="utf-8").split("\n") + [""]:
        if line.startswith("\t"):
            block.append(line[1:].strip())
            continue
        if len(block) == 4 and block[0].isdigit():
            units = [
                [re.sub("等$", "", u.strip()) for u in re.split("[、，]", cell) if u.strip()]
                for cell in block[2:]
            ]
            rows.append((block[0], units[0], units[1]))
        block = []
    return rows


RAW = raw_table()
RAW_ORDER = list(dict.fromkeys(a for _, lead, support in RAW for a in lead + support))
with (PLAN_DIR / "themes.csv").open(encoding="utf-8") as themes_file:
    RAW_THEMES = {row["task_id"]: row["theme_zh"] for row in csv.DictReader(themes_file)}


def expected_edges(
    task_filter: Callable[[str], bool] = lambda task_id: True,
    keep: Callable[[str], bool] = lambda agency: True,
) -> dict[frozenset[str], list[str]]:
    """Shared task ids (table order) per unordered agency pair."""
    shared: dict[frozenset[str], list[str]] = {}
    for task_id, lead, support in RAW:
        if not task_filter(task_id):
            continue
        members = [a for a in dict.fromkeys(lead + support) if keep(a)]
        for u, v in itertools.combinations(members, 2):
            shared.setdefault(frozenset((u, v)), []).append(task_id)
    return shared


def graph_edges(graph: nx.Graph) -> dict[frozenset[str], list[str]]:
    return {frozenset((u, v)): d["tasks"] for u, v, d in graph.edges(data=True)}


def task_counts() -> Counter[str]:
    return Counter(a for _, lead, support in RAW for a in dict.fromkeys(lead + support))


def synthetic_assignments(n_agencies: int, n_tasks: int, seed: int = 0) -> pd.DataFrame:
    """A random table: 1–7 agencies per task, popularity skewed like real plans."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, n_agencies + 1) ** 0.8
    weights /= weights.sum()
    rows = []
    for task in range(1, n_tasks + 1):
        chosen = rng.choice(n_agencies, size=int(rng.integers(1, 8)), replace=False, p=weights)
        for position, agency in enumerate(chosen, start=1):
            rows.append((str(task), f"A{agency:04d}", "lead" if position == 1 else "support", position))
    return pd.DataFrame(rows, columns=["task_id", "agency", "role", "position"])
