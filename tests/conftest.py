"""Shared fixtures: the bundled plan, and an independent reading of its raw table.

The independent reading uses a few lines of plain string handling, never the project's
loader, so tests compare the model against something it did not produce itself.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "plans" / "zhejiang_5g_2020_2022" / "tasks.txt"


def independent_rows() -> list[dict[str, object]]:
    """[{id, text, lead: [...], support: [...]}] straight from the tab-block text."""
    rows = []
    for block in SEED.read_text(encoding="utf-8").split("\n\n"):
        cells = [line[1:].strip() for line in block.split("\n") if line.startswith("\t")]
        if len(cells) == 4 and cells[0].isdigit():
            def units(cell: str) -> list[str]:
                return [re.sub("等$", "", u.strip()) for u in re.split("[、，]", cell) if u.strip()]

            rows.append({"id": cells[0], "text": cells[1], "lead": units(cells[2]), "support": units(cells[3])})
    return rows


def independent_counts() -> dict[str, Counter]:
    counts = {"lead": Counter(), "support": Counter()}
    for row in independent_rows():
        for role in ("lead", "support"):
            counts[role].update(row[role])
    return counts


@pytest.fixture(scope="session")
def raw_rows() -> list[dict[str, object]]:
    return independent_rows()


@pytest.fixture(scope="session")
def zhejiang() -> dict[int, dict[str, object]]:
    """The raw rows by task number."""
    return {int(str(row["id"])): row for row in independent_rows()}


@pytest.fixture(scope="session")
def bundled_plan():
    from analysis.model import load_bundled_plan

    return load_bundled_plan()
