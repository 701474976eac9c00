"""Fixtures of the network tests: the bundled plan, its co-assignment graph and metrics."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from analysis import network as net
from analysis.model import Plan, load_plan


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan()


@pytest.fixture(scope="module")
def graph(plan: Plan) -> nx.Graph:
    return net.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks)


@pytest.fixture(scope="module")
def metrics(graph: nx.Graph) -> tuple[pd.DataFrame, net.NetworkStats]:
    return net.agency_metrics(graph)
