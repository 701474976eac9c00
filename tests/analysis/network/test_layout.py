"""Layouts: deterministic, normalised to [-1, 1], no two agencies on one spot."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import network as net
from analysis.model import plan_from_bytes
from tests.analysis.network.raw import synthetic_assignments


def test_layout_is_deterministic_and_normalised(graph):
    first = net.layout(graph)
    assert first == net.layout(graph)
    assert list(first) == list(graph.nodes)
    coords = np.array(list(first.values()))
    assert np.abs(coords).max() == 1.0 and np.abs(coords).max() <= 1.0
    assert all(round(x, 6) == x for xy in first.values() for x in xy)
    # no two agencies on top of each other
    distances = np.sqrt(((coords[:, None] - coords[None]) ** 2).sum(-1)) + np.eye(len(coords)) * 9
    assert distances.min() > 0.02
    big = net.co_assignment_graph(synthetic_assignments(400, 900, seed=2))
    assert net.layout(big) == net.layout(big)


def test_layout_of_a_core_agencys_ego_network_with_repeated_eigenvalues():
    # 20 core agencies on every task, one peripheral agency per task: the ego network of a
    # core agency gives a distance matrix with repeated eigenvalues, where LAPACK's subset
    # eigen-solver returned nothing (the app failed on such a plan)
    lines = ["序号,重点工作任务,牵头单位,配合单位"]
    lines += [f"{i},推进第{i}项工作。,核心{i % 20:02d}厅,核心{(i + 1) % 20:02d}厅、外围{i:03d}中心" for i in range(1, 201)]
    plan = plan_from_bytes(("\n".join(lines) + "\n").encode("utf-8"), "hub.csv")
    graph = net.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    for max_partners in (None, 40):
        ego = net.ego_network(graph, "核心00厅", max_partners=max_partners)
        positions = net.layout(ego)
        assert set(positions) == set(ego.nodes)
        coords = np.array(list(positions.values()))
        assert np.isfinite(coords).all() and np.abs(coords).max() == pytest.approx(1.0)
        assert len({tuple(np.round(c, 6)) for c in coords}) == len(coords)  # no two agencies on one spot
