"""Two real plans side by side, checked cell by cell against counts written here from the source texts
(tests/fixtures/real/guangdong_2021.txt and liaoning_2024.txt; see SOURCES.md)."""

from __future__ import annotations

import itertools

import pytest

from analysis.portfolio import compare_plans

# As the source texts assign them (部门分工 / 牵头单位 + 责任单位), task by task. Guangdong's copy is
# partial: task 2 ends after 省财政厅牵头.
GUANGDONG = {"1": ["省发展改革委", "各地", "各部门"], "2": ["省财政厅"]}
LIAONING = {
    "1": ["省发展改革委", "省工业和信息化厅", "省农业农村厅", "省商务厅", "各市人民政府", "省沈抚示范区管委会"],
    "2": ["省财政厅", "省税务局", "各市人民政府", "省沈抚示范区管委会"],
    "3": ["省工业和信息化厅", "省委军民融合办", "省发展改革委", "省农业农村厅", "省国资委", "各市人民政府",
          "省沈抚示范区管委会"],
    "4": ["省发展改革委", "省工业和信息化厅", "省农业农村厅", "省商务厅", "省国资委", "各市人民政府", "省沈抚示范区管委会"],
}


def _ties(tasks: dict[str, list[str]]) -> set[frozenset[str]]:
    return {frozenset(pair) for units in tasks.values() for pair in itertools.combinations(units, 2)}


def _agencies(tasks: dict[str, list[str]]) -> list[str]:
    return list(dict.fromkeys(u for units in tasks.values() for u in units))


@pytest.fixture(scope="module")
def table(corpus_plans):
    plans = dict(corpus_plans)
    return compare_plans(plans["guangdong_2021.txt"], plans["liaoning_2024.txt"])


def cell(table, section, item):
    rows = table.loc[(table["section"] == section) & (table["item"] == item)]
    assert len(rows) == 1, (section, item, table)
    return rows.iloc[0]["a"], rows.iloc[0]["b"]


def test_task_rows(table):
    assert cell(table, "tasks", "tasks") == (2, 5)
    assert cell(table, "tasks", "2021年经济社会发展主要预期目标") == (2, 0)
    assert cell(table, "tasks", "今年全省经济社会发展的主要预期目标") == (0, 5)
    assert list(table.loc[table["section"] == "tasks", "item"]) == [
        "tasks", "2021年经济社会发展主要预期目标", "今年全省经济社会发展的主要预期目标"]


def test_agency_rows(table):
    guangdong, liaoning = _agencies(GUANGDONG), _agencies(LIAONING)
    assert cell(table, "agencies", "agencies") == (len(guangdong), len(liaoning)) == (4, 10)
    # Across regions the names are compared: both provinces have a 省发展改革委 and a 省财政厅.
    assert cell(table, "agencies", "only_here") == (
        "、".join(a for a in guangdong if a not in liaoning), "、".join(a for a in liaoning if a not in guangdong))
    assert cell(table, "agencies", "only_here")[0] == "各地、各部门"


def test_deadline_rows(table):
    # Neither table dates a task (预期目标 for the year): every task runs to the plan's end.
    assert list(table.loc[table["section"] == "deadlines", "item"]) == ["no_date"]
    assert cell(table, "deadlines", "no_date") == (2, 5)


def test_network_rows(table):
    g_ties, l_ties = _ties(GUANGDONG), _ties(LIAONING)
    g_n, l_n = len(_agencies(GUANGDONG)), len(_agencies(LIAONING))
    assert cell(table, "network", "agencies") == (g_n, l_n)
    assert cell(table, "network", "ties") == (len(g_ties), len(l_ties)) == (3, 32)
    assert cell(table, "network", "density") == (round(3 / 6, 3), round(32 / 45, 3))
    assert cell(table, "network", "components") == (2, 1)  # Guangdong's 省财政厅 works alone in the partial copy
    # Guangdong: a triangle and an isolated agency → clustering (1 + 1 + 1 + 0) / 4; Freeman degree
    # centralisation Σ(max − d) / ((n − 1)(n − 2)) = (0 + 0 + 0 + 2) / 6.
    assert cell(table, "network", "average_clustering")[0] == 0.75
    assert cell(table, "network", "degree_centralization")[0] == round(2 / 6, 3)


def test_target_rows(table):
    targets = table.loc[table["section"] == "targets"]
    assert list(targets["item"]) == ["地区生产总值增长 · %", "地方一般公共预算收入增长 · %"]
    assert cell(table, "targets", "地区生产总值增长 · %") == ("地区生产总值增长6%以上", "地区生产总值增长5.5%左右")
    # 一般公共预算收入增长 is the same kind as 地方一般公共预算收入增长 (one ends with the other).
    assert cell(table, "targets", "地方一般公共预算收入增长 · %") == ("地方一般公共预算收入增长5%左右", "一般公共预算收入增长5%")
    assert list(table.columns) == ["section", "item", "a", "b"]
    assert len(table) == 3 + 2 + 1 + 6 + 2
