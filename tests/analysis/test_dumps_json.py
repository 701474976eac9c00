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
])
def test_same_text_as_json_dumps(data: object) -> None:
    assert dumps_json(data) == json.dumps(data, ensure_ascii=False, indent=2)
    assert dumps_json(data, compact=True) == json.dumps(data, ensure_ascii=False)


def test_refuses_what_json_refuses() -> None:
    import datetime

    with pytest.raises(TypeError):
        dumps_json({"date": datetime.date(2022, 1, 1)})  # orjson would write it; json.dumps refuses
