"""The import joins its task texts once for both column readers (`joined_column`): each reads
given the joined column what it reads joining the texts itself."""

from __future__ import annotations

import datetime
import random

from analysis.deadlines import joined_column, read_deadlines
from analysis.targets import read_target_dicts_many

PIECES = ["2022年", "6月底前", "一季度", "年底前", "建设", "5G基站", "5万个", "10家以上", "，", "。", "\n", "95%",
          "每年", "１２个", "2021年3月15日", " ", "到2025年", "不少于3项"]


def test_the_readers_given_the_joined_texts_read_as_joining_them():
    rng = random.Random(7)
    start, end = datetime.date(2021, 1, 1), datetime.date(2025, 12, 31)
    for _ in range(60):
        texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(0, 40))]
        joined = joined_column(texts)
        assert read_deadlines(texts, plan_start=start, plan_end=end, joined=joined) == read_deadlines(
            texts, plan_start=start, plan_end=end)
        assert read_target_dicts_many(texts, joined) == read_target_dicts_many(texts)
    texts = ["2022年6月底前，建设5G基站5万个", "", "每年开展评估，新建10家以上"]
    assert read_target_dicts_many(texts, joined_column(texts))[2][0]["number"] == 10
