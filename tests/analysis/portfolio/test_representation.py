"""The faster representations of the cold path (issue 17) give what the plain definitions give:
the groups of rows by value, each assignment's agency key (computed once per distinct name), and
the columns ``assemble`` fills for names or tasks missing from a digest."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.agencies import load_registry
from analysis.portfolio import AgencyKey, Links, agency_key, assemble, digest_of
from analysis.portfolio.identity import key_columns
from analysis.portfolio.load import Groups


def test_groups_equal_the_rows_of_each_value():
    rng = np.random.default_rng(17)
    values = rng.integers(-1, 40, size=500)
    groups = Groups(values)
    expected = {int(v): np.flatnonzero(values == v) for v in sorted(set(values.tolist()))}
    assert list(groups) == list(expected) and len(groups) == len(expected)
    for value, rows in expected.items():
        assert np.array_equal(groups[value], rows)
    assert 41 not in groups and groups.get(41) is None
    names = tuple(f"k{i}" for i in range(40))
    named = Groups(rng.integers(0, 40, size=300), names)
    assert all(name in names for name in named)
    assert sum(len(named[n]) for n in named) == 300
    assert len(Groups(np.empty(0, dtype="int64"))) == 0


def test_key_columns_equal_agency_key_row_by_row():
    registry = load_registry()
    links = Links.of([("安徽省", "省经济和信息化厅", "省发展改革委"), ("", "某办", "某局")])
    rows = pd.DataFrame({
        "plan_id": [1, 1, 2, 2, 3, 3, 4, 1, 5],
        "agency": ["省经信厅", "安徽省经济和信息化厅", "省经济和信息化厅", "省经信厅", "某办", "某局", "省经信厅", "省经信厅",
                   "某办"],
    })
    registered = pd.Series([True, False, False, False, False, False, False, True, False])
    regions = {1: "浙江省", 2: "安徽省", 3: "", 4: " 安徽省 "}  # plan 5: not given (unknown region)
    found = key_columns(rows, regions, registered, links, registry, with_key=True)
    for i in range(len(rows)):
        key = agency_key(regions.get(int(rows["plan_id"][i]), ""), rows["agency"][i], bool(registered[i]), links,
                         registry)
        assert (found["key_region"][i], found["key_name"][i]) == key
        assert found["key"][i] == key.as_text()
    assert (found["key_region"][2], found["key_name"][2]) == ("安徽省", "省发展改革委")  # linked in its region
    assert (found["key_region"][6], found["key_name"][6]) == ("安徽省", "省经信厅")  # not Zhejiang's
    assert list(key_columns(rows, regions, registered, links, registry).columns) == ["key_region", "key_name"]


def test_assemble_fills_names_and_tasks_missing_from_a_digest():
    from analysis.model import plan_from_bytes
    from tests.analysis.portfolio.conftest import SYNTHETIC_ZHEJIANG

    digest = digest_of(plan_from_bytes(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv"), region="浙江省")
    assignments = {k: [*v] for k, v in digest["assignments"].items()}
    assignments["task_id"].append("99")  # a task the digest does not list
    assignments["agency"].append("无名办")  # a name its agencies do not list
    assignments["role"].append("support")
    portfolio = assemble([(7, 1, {**digest, "assignments": assignments})])
    last = portfolio.assignments.iloc[-1]
    assert (bool(last["registered"]), last["type"], last["key"]) == (False, "unknown", "浙江省｜无名办")
    assert portfolio.codes.task[-1] == -1
    known = portfolio.assignments.iloc[:-1]
    registered = dict(zip(digest["agencies"]["agency"], digest["agencies"]["registered"], strict=True))
    assert list(known["registered"]) == [registered[a] for a in digest["assignments"]["agency"]]
    tasks = list(portfolio.tasks["task_id"])
    assert [tasks[i] for i in portfolio.codes.task[:-1]] == digest["assignments"]["task_id"]
    assert AgencyKey("浙江省", "省经信厅") in portfolio.keys()


def test_text_array_is_the_column_pandas_infers():
    from analysis.columns import text_array

    values = ["省经信厅", "", "各市人民政府", "ｆｕｌｌ width", "省经信厅"]
    pd.testing.assert_series_equal(pd.Series(text_array(values)), pd.Series(values))
    assert pd.Series(text_array(values)).dtype == pd.Series(["x"]).dtype
    pd.testing.assert_series_equal(pd.Series(text_array(values)).take([4, 0]).reset_index(drop=True),
                                   pd.Series(["省经信厅", "省经信厅"]))
    assert text_array([]) == []
