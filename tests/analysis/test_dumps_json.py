"""`analysis.__main__.dumps_json` writes what ``json.dumps(ensure_ascii=False, indent=2)`` writes,
byte for byte, also for the values orjson writes differently (it then falls back to json)."""

from __future__ import annotations

import json

import pytest

from analysis.__main__ import dumps_json


@pytest.mark.parametrize("data", [
    {"tasks": [{"id": 1, "text": "到2022年，建设5G基站5万个", "targets": [{"number": 3.5, "at_least": True}]}],
     "empty": [], "none": {}, "null": None},
    {"number": 2**70},  # beyond 64 bits: orjson refuses it
    {"number": 1e20, "small": 1e-5, "edge": 1e16},  # exponent notation: 1e+20 against 1e20
    {"nan": float("nan"), "inf": float("-inf")},  # json writes NaN, orjson null
    {1: "an int key", "b": (1, 2.5, -0.0)},
    {"text": "引号\"、反斜杠\\、换行\n、制表\t、控制\x1f\x7f\u2028、孤立代理\ud800"},
    [[], {}, [[]], "", 0, False],
    {"floats": [0.1, -0.0, 1e15, 9999999999999998.0, 0.0001, 1e-4 / 3, 5e-324, 1.7976931348623157e308]},
    {"nested": [{"a": [{"b": (1.5, None, [2**63 - 1, -2**63])}]}], "deep": 2**64},  # 2**64: orjson refuses
])
def test_same_text_as_json_dumps(data: object) -> None:
    assert dumps_json(data) == json.dumps(data, ensure_ascii=False, indent=2)
    assert dumps_json(data, compact=True) == json.dumps(data, ensure_ascii=False)


def test_refuses_what_json_refuses() -> None:
    import datetime

    with pytest.raises(TypeError):
        dumps_json({"date": datetime.date(2022, 1, 1)})  # orjson would write it; json.dumps refuses


def test_subclasses_are_written_as_json_writes_them() -> None:
    import enum

    class Kind(enum.StrEnum):
        LEAD = "lead"

    class Count(enum.IntEnum):
        ONE = 1

    class Tagged(dict):  # type: ignore[type-arg]
        pass

    data = {"kind": Kind.LEAD, "count": Count.ONE, "tagged": Tagged(a=1), Kind.LEAD: "key"}
    assert dumps_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_a_plan_summary_is_written_by_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary of a real plan takes the native path (json.dumps is never called) and its text is json's."""
    from analysis.__main__ import _written_alike, summary_dict
    from analysis.model import BUNDLED_PLAN_DIR, load_plan

    data = summary_dict(load_plan(BUNDLED_PLAN_DIR))
    expected = json.dumps(data, ensure_ascii=False, indent=2)
    assert _written_alike(data)
    assert not _written_alike({"tasks": [{"targets": [{"number": 1e16}]}]})
    assert not _written_alike([[[float("nan")]]])

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("json.dumps was called")

    monkeypatch.setattr(json, "dumps", refuse)
    assert dumps_json(data) == expected


@pytest.mark.parametrize("rows", [
    # the import's order: each task together, its leads first
    [("1", "A", "lead"), ("1", "B", "support"), ("1", "C", "support"), ("2", "C", "lead"), ("3", "A", "support")],
    # another order (an edited plan): a support before a lead, a task in two places
    [("1", "B", "support"), ("1", "A", "lead"), ("2", "C", "lead"), ("1", "C", "support"), ("2", "A", "lead")],
    [("1", "A", "lead"), ("2", "C", "lead"), ("1", "B", "support")],
    [],
])
def test_members_are_each_tasks_agencies_in_table_order(rows: list[tuple[str, str, str]]) -> None:
    import pandas as pd

    from analysis.__main__ import _members

    frame = pd.DataFrame(rows, columns=["task_id", "agency", "role"])
    expected: dict[str, tuple[list[str], list[str]]] = {}
    for task_id, agency, role in rows:
        expected.setdefault(task_id, ([], []))[0 if role == "lead" else 1].append(agency)
    assert _members(frame) == expected


@pytest.mark.parametrize("values", [
    ["省经信厅", "省经信厅", "省发展改革委", "", "省经信厅"],
    ["a", None, "a"],  # a missing value: pandas' own list
    [],
    [1, 2, 2],
    [["a"], ["a"]],
])
def test_values_are_the_columns_list(values: list[object]) -> None:
    import pandas as pd

    from analysis.__main__ import _values

    column = pd.Series(values, dtype="str" if values and isinstance(values[0], str) else None)
    got = _values(column)
    assert got == column.tolist() or (got[1] != got[1] and column.tolist()[1] != column.tolist()[1])
    assert [type(v) for v in got] == [type(v) for v in column.tolist()]


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "gb18030"])
def test_print_json_writes_what_print_writes(encoding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytes straight to a UTF-8 stdout; through print to any other; the same text either way."""
    import io

    from analysis.__main__ import print_json

    data = {"tasks": [{"text": "到2022年底前，建设5G基站5万个", "number": 1.5}], "big": 2**70}
    for compact in (False, True):
        stdout = io.TextIOWrapper(io.BytesIO(), encoding=encoding, newline="")
        monkeypatch.setattr("sys.stdout", stdout)
        print("before")
        print_json(data, compact=compact)
        stdout.flush()
        written = stdout.buffer.getvalue().decode(encoding)  # type: ignore[attr-defined]
        assert written == "before\n" + dumps_json(data, compact=compact) + "\n"


@pytest.mark.parametrize("data", [
    [{"a": 1}, {"b": 1e20}],  # dicts of two shapes, a float with an exponent in the second
    [{"a": 1}, {1: "an int key"}],
    [1, "a", [[1e16]]],  # a column of several types, the float deeper down
    [{"a": [1, 2]}, {"a": (3, float("inf"))}],
    [{"a": "x", "b": True}] * 3 + [{"a": "y", "b": 2.5e-7}],  # one shape, one column holds the float
    {"deep": [[[[[[[[[[[[[[[[float("nan")]]]]]]]]]]]]]]]]},  # 16 levels down
])
def test_written_alike_finds_what_json_writes_otherwise(data: object) -> None:
    from analysis.__main__ import _written_alike

    assert not _written_alike(data)
    assert dumps_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("data", [
    [{"a": 1, "b": [1.5, None]}, {"b": [], "a": 2}],  # the same keys in another order
    [{"a": {"b": {"c": [0.25, -3.0, 1e15]}}}, {"a": {"b": {"c": []}}}],
    [[], (), {}, "", 0, False, None, 0.5],
])
def test_written_alike_accepts_what_both_write_alike(data: object) -> None:
    from analysis.__main__ import _written_alike

    assert _written_alike(data)
    assert dumps_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_nesting_beyond_orjsons_depth_and_cycles_are_json_s() -> None:
    from analysis.__main__ import _written_alike

    deep: list[object] = []
    for _ in range(300):
        deep = [deep]
    assert not _written_alike(deep)  # orjson refuses more than 255 levels
    assert dumps_json(deep) == json.dumps(deep, ensure_ascii=False, indent=2)
    cycle: list[object] = []
    cycle.append(cycle)
    assert not _written_alike(cycle)  # ends (json then reports the cycle)
    with pytest.raises(ValueError, match="Circular"):
        dumps_json(cycle)


@pytest.mark.parametrize("target", [1e16, float("nan"), 2.5, 7])
def test_a_summary_says_whether_orjson_writes_it(target: float) -> None:
    """`_summary`'s answer, checked on its columns, is `_written_alike` of the whole summary."""
    import dataclasses

    from analysis.__main__ import _summary, _written_alike
    from analysis.model import BUNDLED_PLAN_DIR, load_plan

    plan = load_plan(BUNDLED_PLAN_DIR)
    tasks = plan.tasks.copy()
    tasks["targets"] = [[{"number": target, "unit": "个"}]] + tasks["targets"].tolist()[1:]
    data, alike = _summary(dataclasses.replace(plan, tasks=tasks))
    assert alike == _written_alike(data) == (target in (2.5, 7))
    assert data["tasks"][0]["targets"][0]["number"] is target  # type: ignore[index]
    assert dumps_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_task_dicts_without_meetings_are_those_with_no_decision() -> None:
    """A plan without decided meetings: its task dicts are those a column of no decisions gives
    (no task moved: no keys added), keys in order."""
    import dataclasses

    from analysis.__main__ import _summary
    from analysis.model import BUNDLED_PLAN_DIR, load_plan

    plan = load_plan(BUNDLED_PLAN_DIR)
    tasks = plan.tasks.copy()
    tasks["decided_by_meetings"] = [[] for _ in range(len(tasks))]  # no task moved: no keys added
    plain, plain_alike = _summary(plan)
    general, general_alike = _summary(dataclasses.replace(plan, tasks=tasks))
    assert plain == general and plain_alike == general_alike
    assert [list(task) for task in plain["tasks"]] == [list(task) for task in general["tasks"]]  # type: ignore[attr-defined]
    assert dumps_json(plain) == dumps_json(general)


@pytest.mark.parametrize("task_ids", [
    ["1", "2", "10", "0012"],
    ["1", "5-2", "6"],  # a continuation row's number
    ["１", "2"],  # full-width digits stay text
    ["1", ""],
    ["123456789012345678", "1234567890123456789"],  # beyond 18 digits: text
    [],
])
def test_json_task_ids_are_each_json_task_id(task_ids: list[str]) -> None:
    from analysis.__main__ import _json_task_ids
    from analysis.model import json_task_id

    got = _json_task_ids(task_ids)
    assert got == [json_task_id(i) for i in task_ids]
    assert [type(v) for v in got] == [type(json_task_id(i)) for i in task_ids]


@pytest.mark.parametrize("unit", ["ns", "s", "D"])
def test_iso_dates_are_each_dates_isoformat(unit: str) -> None:
    """`_iso_dates` (each distinct datetime64 written once, gathered by codes) gives each value's
    ``.date().isoformat()``: repeated and distinct dates, before 1970, with a time of day."""
    import random

    import numpy as np
    import pandas as pd

    from analysis.__main__ import _iso_dates

    rng = random.Random(3)
    pool = ["2022-12-31", "1969-12-31T23:59:59", "1900-02-28T12:00", "2024-02-29", "2262-04-11", "1970-01-01"]
    if unit != "ns":
        pool += ["0001-01-01", "9999-12-31T23:59:59", "1500-06-30"]
    days = np.array([rng.choice(pool) for _ in range(500)], dtype=f"datetime64[{unit}]")
    column = pd.Series(days)
    assert _iso_dates(column) == [value.date().isoformat() for value in column.tolist()]
    assert _iso_dates(pd.Series(np.array([], dtype=f"datetime64[{unit}]"))) == []
