"""Two plans side by side, in one table (:func:`compare_plans`).

Rows (``section``, ``item``, ``a``, ``b``), in this order:

* ``tasks``: ``tasks`` (all tasks), then one row per theme (the first plan's themes in its
  order, then the second's): tasks of that theme (0 where the plan has no such theme).
* ``agencies``: ``agencies`` (distinct agencies), ``only_here`` (the agencies of this plan the
  other lacks, joined by 、 in table order). Agencies are compared by their key across plans
  (``analysis.portfolio.identity``) when both plans are of one region; across regions
  nothing is one agency, so they are compared by name (the normalised name: the region's own
  name at the start written as its level, 安徽省财政厅 → 省财政厅) — a comparison of
  names, not a merge.
* ``deadlines``: one row per deadline year (explicit deadlines only: tasks with a dated
  deadline in that year), then ``no_date`` (tasks without one: ongoing or to the plan's end).
* ``network``: the co-assignment network's ``agencies``, ``ties``, ``density``,
  ``components``, ``average_clustering``, ``degree_centralization`` (``analysis.network``;
  floats rounded to 3 places).
* ``targets``: one row per kind of quantified target (``analysis.targets``) found in both
  plans: the kind is the counted item and its unit (5G基站 · 万个); two items are one kind
  when equal or when one ends with the other (基站 / 5G基站) and the units are equal. The
  cells are the targets' texts as written, joined by 、.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import pandas as pd

from analysis.agencies import registry_applies
from analysis.network import agency_metrics, co_assignment_graph
from analysis.portfolio.identity import base_key, identity_region, normalise_name
from analysis.vocab import DeadlineKind

COLUMNS: Final = ["section", "item", "a", "b"]
SECTIONS: Final = ("tasks", "agencies", "deadlines", "network", "targets")
NETWORK_ITEMS: Final = ("agencies", "ties", "density", "components", "average_clustering", "degree_centralization")


def _agency_names(plan: Any, region: str, by_key: bool) -> list[str]:
    """The plan's agencies in table order, as keys (same region) or normalised names."""
    registered = dict(zip(plan.agencies["agency"], plan.agencies["registered"], strict=True))
    names: dict[str, None] = {}
    for agency in plan.agencies["agency"]:
        if by_key:
            names[base_key(region, str(agency), bool(registered[agency])).name] = None
        else:
            names[normalise_name(str(agency), region)] = None
    return list(names)


def _targets(plan: Any) -> list[dict[str, Any]]:
    return [t for targets in plan.tasks["targets"] for t in targets if t.get("item")]


def _same_kind(x: str, y: str) -> bool:
    short, long = sorted((x, y), key=len)
    return x == y or (len(short) >= 2 and long.endswith(short))


def _target_rows(a: Any, b: Any) -> list[tuple[str, str, str, str]]:
    left, right = _targets(a), _targets(b)
    rows: list[tuple[str, str, str, str]] = []
    used: set[int] = set()
    kinds: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for target in left:
        kind = (str(target["item"]), str(target["unit"]))
        matched = [i for i, other in enumerate(right)
                   if str(other["unit"]) == kind[1] and _same_kind(kind[0], str(other["item"]))]
        if not matched:
            continue
        texts = kinds.setdefault(kind, ([], []))
        if str(target["text"]) not in texts[0]:
            texts[0].append(str(target["text"]))
        for i in matched:
            used.add(i)
            if str(right[i]["text"]) not in texts[1]:
                texts[1].append(str(right[i]["text"]))
    for (item, unit), (mine, theirs) in kinds.items():
        rows.append(("targets", f"{item} · {unit}", "、".join(mine), "、".join(theirs)))
    return rows


def _network_row(plan: Any) -> dict[str, float | int]:
    graph = co_assignment_graph(plan.assignments, plan.agencies)
    _, stats = agency_metrics(graph)
    return {
        "agencies": int(stats.nodes), "ties": int(stats.edges), "density": round(float(stats.density), 3),
        "components": int(stats.components), "average_clustering": round(float(stats.average_clustering), 3),
        "degree_centralization": round(float(stats.degree_centralization), 3),
    }


def _deadline_years(plan: Any) -> tuple[dict[int, int], int]:
    tasks = plan.tasks
    explicit = tasks["deadline_kind"].astype(str) == DeadlineKind.EXPLICIT.value
    explicit &= ~tasks["ongoing"].astype(bool)
    years = pd.to_datetime(tasks.loc[explicit, "deadline"]).dt.year.value_counts()
    return {int(y): int(n) for y, n in years.items()}, int((~explicit).sum())


def compare_plans(a: Any, b: Any, *, region_a: str = "", region_b: str = "") -> pd.DataFrame:
    """Plans ``a`` and ``b`` (``analysis.model.Plan``) side by side (module docstring); ``region_*``:
    the regions stored with the plans in the workspace (else the plans' own)."""
    ra = identity_region(region_a or a.meta.region)
    rb = identity_region(region_b or b.meta.region)
    rows: list[tuple[str, str, Any, Any]] = [("tasks", "tasks", len(a.tasks), len(b.tasks))]
    count_a = a.tasks["theme"].value_counts()
    count_b = b.tasks["theme"].value_counts()
    for theme in dict.fromkeys([*a.themes["theme"], *b.themes["theme"]]):
        rows.append(("tasks", str(theme), int(count_a.get(theme, 0)), int(count_b.get(theme, 0))))

    same_region = ra == rb or (registry_applies(ra) and registry_applies(rb) and not (ra and rb))
    names_a, names_b = _agency_names(a, ra, same_region), _agency_names(b, rb, same_region)
    rows.append(("agencies", "agencies", len(names_a), len(names_b)))
    rows.append(("agencies", "only_here", _joined(n for n in names_a if n not in set(names_b)),
                 _joined(n for n in names_b if n not in set(names_a))))

    years_a, none_a = _deadline_years(a)
    years_b, none_b = _deadline_years(b)
    for year in sorted(set(years_a) | set(years_b)):
        rows.append(("deadlines", str(year), years_a.get(year, 0), years_b.get(year, 0)))
    rows.append(("deadlines", "no_date", none_a, none_b))

    net_a, net_b = _network_row(a), _network_row(b)
    for item in NETWORK_ITEMS:
        rows.append(("network", item, net_a[item], net_b[item]))
    rows.extend(_target_rows(a, b))
    return pd.DataFrame(rows, columns=COLUMNS)


def _joined(names: Iterable[str]) -> str:
    return "、".join(names)
