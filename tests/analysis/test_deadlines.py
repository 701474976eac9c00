"""Deadlines read from task wording: analysis.deadlines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.deadlines import (
    KINDS,
    PRECISIONS,
    Deadline,
    Milestone,
    read_deadline,
    read_deadlines,
    read_milestones,
    year_spans,
    year_spans_many,
)

ROOT = Path(__file__).resolve().parents[2]
START, END = dt.date(2020, 1, 1), dt.date(2022, 12, 31)
D = dt.date




def deadline(text: str, default_year: int | None = None) -> Deadline:
    return read_deadline(text, plan_start=START, plan_end=END, default_year=default_year)


# ----------------------------------------------------------------------------- one date


@pytest.mark.parametrize(
    ("text", "date", "precision", "phrase"),
    [
        # month: last day of the month
        ("2020年8月底前，指导各市编制规划", D(2020, 8, 31), "month", "2020年8月底前"),
        ("2020年8月底完成", D(2020, 8, 31), "month", "2020年8月底"),
        ("2020年8月前完成", D(2020, 8, 31), "month", "2020年8月前"),
        ("2020年8月末完成", D(2020, 8, 31), "month", "2020年8月末"),
        ("2020年8月完成", D(2020, 8, 31), "month", "2020年8月"),
        ("2020年9月底前编制发布", D(2020, 9, 30), "month", "2020年9月底前"),
        ("2020年12月底前", D(2020, 12, 31), "month", "2020年12月底前"),
        ("2020年2月底前", D(2020, 2, 29), "month", "2020年2月底前"),  # leap year
        ("2021年2月底前", D(2021, 2, 28), "month", "2021年2月底前"),
        ("2100年2月底前", D(2100, 2, 28), "month", "2100年2月底前"),  # not a leap year
        ("2020年8月份", D(2020, 8, 31), "month", "2020年8月份"),
        ("2020年8月中旬", D(2020, 8, 31), "month", "2020年8月中旬"),
        ("2020年8-9月", D(2020, 9, 30), "month", "2020年8-9月"),
        ("2020年8、9月", D(2020, 9, 30), "month", "2020年8、9月"),
        # day
        ("2020年8月15日前", D(2020, 8, 15), "day", "2020年8月15日前"),
        ("2020年8月15日", D(2020, 8, 15), "day", "2020年8月15日"),
        ("2020年2月29日", D(2020, 2, 29), "day", "2020年2月29日"),
        # year: December 31
        ("到2022年，培育发展20家5G骨干企业", D(2022, 12, 31), "year", "到2022年"),
        ("2022年前完成", D(2022, 12, 31), "year", "2022年前"),
        ("2022年底前完成", D(2022, 12, 31), "year", "2022年底前"),
        ("2022年底完成", D(2022, 12, 31), "year", "2022年底"),
        ("2022年年底完成", D(2022, 12, 31), "year", "2022年年底"),
        ("2022年末完成", D(2022, 12, 31), "year", "2022年末"),
        ("至2022年，建成", D(2022, 12, 31), "year", "至2022年"),
        ("2022年内完成", D(2022, 12, 31), "year", "2022年内"),
        ("2022年完成", D(2022, 12, 31), "year", "2022年"),
        ("截至2021年底", D(2021, 12, 31), "year", "截至2021年底"),
        ("可以2021年底前完成", D(2021, 12, 31), "year", "2021年底前"),
        # half and quarter
        ("2021年上半年完成", D(2021, 6, 30), "half", "2021年上半年"),
        ("2021年下半年完成", D(2021, 12, 31), "half", "2021年下半年"),
        ("2021年一季度完成", D(2021, 3, 31), "quarter", "2021年一季度"),
        ("2021年第一季度完成", D(2021, 3, 31), "quarter", "2021年第一季度"),
        ("2021年1季度完成", D(2021, 3, 31), "quarter", "2021年1季度"),
        ("2021年二季度完成", D(2021, 6, 30), "quarter", "2021年二季度"),
        ("2021年三季度完成", D(2021, 9, 30), "quarter", "2021年三季度"),
        ("2021年四季度完成", D(2021, 12, 31), "quarter", "2021年四季度"),
        ("2021年第四季度末前", D(2021, 12, 31), "quarter", "2021年第四季度末前"),
        ("2022年前三季度", D(2022, 9, 30), "quarter", "2022年前三季度"),
        # full-width digits and Chinese numerals
        ("２０２０年８月底前", D(2020, 8, 31), "month", "２０２０年８月底前"),
        ("２０２２年底前", D(2022, 12, 31), "year", "２０２２年底前"),
        ("二〇二〇年十二月底前", D(2020, 12, 31), "month", "二〇二〇年十二月底前"),
        ("二〇二一年", D(2021, 12, 31), "year", "二〇二一年"),
        ("2020年八月十五日前", D(2020, 8, 15), "day", "2020年八月十五日前"),
    ],
)
def test_explicit_date(text: str, date: dt.date, precision: str, phrase: str) -> None:
    result = deadline(text)
    assert result.kind == "explicit"
    assert result.date == date
    assert result.precision == precision
    assert result.text == phrase
    assert result.milestones == (Milestone(date, precision, phrase),)


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("年底前完成", D(2021, 12, 31), "year"),
        ("年内完成", D(2021, 12, 31), "year"),
        ("年末完成", D(2021, 12, 31), "year"),
        ("今年年底前", D(2021, 12, 31), "year"),
        ("今年底前", D(2021, 12, 31), "year"),
        ("上半年完成", D(2021, 6, 30), "half"),
        ("下半年完成", D(2021, 12, 31), "half"),
        ("一季度完成", D(2021, 3, 31), "quarter"),
        ("第二季度完成", D(2021, 6, 30), "quarter"),
        ("三季度完成", D(2021, 9, 30), "quarter"),
        ("4季度完成", D(2021, 12, 31), "quarter"),
        ("9月底前完成", D(2021, 9, 30), "month"),
        ("10月前完成", D(2021, 10, 31), "month"),
        ("2月底前完成", D(2021, 2, 28), "month"),
        ("八月底前完成", D(2021, 8, 31), "month"),
        ("十二月底前完成", D(2021, 12, 31), "month"),
        ("6月15日前完成", D(2021, 6, 15), "day"),
    ],
)
def test_year_less_phrase_takes_default_year(text: str, date: dt.date, precision: str) -> None:
    result = deadline(text, default_year=2021)
    assert (result.date, result.kind, result.precision) == (date, "explicit", precision)


@pytest.mark.parametrize(
    ("text", "date"),
    [("年底前完成", D(2020, 12, 31)), ("上半年完成", D(2020, 6, 30)), ("9月底前", D(2020, 9, 30))],
)
def test_year_less_phrase_without_default_year_uses_plan_start(text: str, date: dt.date) -> None:
    assert deadline(text).date == date
    later = read_deadline(text, plan_start=D(2023, 3, 1), plan_end=D(2025, 12, 31))
    assert later.date == date.replace(year=2023)


def test_read_milestones_without_default_year_drops_year_less_phrases() -> None:
    assert read_milestones("年底前完成，上半年启动，9月底前上报") == ()
    assert read_milestones("年底前完成", default_year=2024) == (Milestone(D(2024, 12, 31), "year", "年底前"),)
    assert read_milestones("2021年6月底前启动，年底前完成") == (Milestone(D(2021, 6, 30), "month", "2021年6月底前"),)


# ----------------------------------------------------------------------------- not dates


@pytest.mark.parametrize(
    "text",
    [
        "《浙江省加快5G发展行动计划（2020-2022年）》",
        "（2020-2022年）",
        "2020—2022年",
        "2020－2022年",
        "2020~2022年",
        "2020至2022年",
        "2020年至2022年",
        "2020年-2022年",
        "推进5G基站建设",
        "依托平台3.0开发",
        "建设500个项目",
        "建设10个以上产业园",
        "编号2020",  # a year not followed by 年
        "2020年13月",
        "2020年0月",
        "2020年2月30日",
        "2021年2月29日",
        "2020年4月31日",
        "自2020年起实施",
        "从2020年8月开始",
        "2020年以来",
        "2022年以后",
        "2022年后",
        "2022年前后",
        "比2019年增长10%",
        "较2019年翻一番",
        "以2019年为基数",
        "明年底前",
        "去年底",
        "三年内完成",
        "2年内完成",
        "两年内完成",
        "每年年底前报送",
        "每年一季度",
        "三个季度",
        "3个月内",
        "半年内",
        "十二月",  # a bare Chinese-numeral month without year or suffix
        "青年内部",
        "0000年",
        "1000年一遇",
        "",
    ],
)
def test_not_a_deadline(text: str) -> None:
    result = deadline(text)
    assert result.milestones == ()
    assert result.kind in ("plan_end", "ongoing")
    assert result.date == END
    assert result.precision is None
    assert result.text == ""


def test_plan_title_range_is_ignored_but_a_real_date_is_kept() -> None:
    result = deadline("落实《行动计划（2020-2022年）》，2021年6月底前完成")
    assert result.milestones == (Milestone(D(2021, 6, 30), "month", "2021年6月底前"),)


# ----------------------------------------------------------------------------- several dates


def test_several_dates_deadline_is_latest_and_milestones_in_text_order() -> None:
    text = "2021年底前建成5G基站3万个，2020年9月底前出台规划，到2022年累计建成5万个"
    result = deadline(text)
    assert [m.date for m in result.milestones] == [D(2021, 12, 31), D(2020, 9, 30), D(2022, 12, 31)]
    assert [m.text for m in result.milestones] == ["2021年底前", "2020年9月底前", "到2022年"]
    assert (result.date, result.precision, result.text) == (D(2022, 12, 31), "year", "到2022年")


def test_tie_keeps_first_written() -> None:
    result = deadline("2022年12月底前完成，2022年底前验收")
    assert (result.date, result.precision, result.text) == (D(2022, 12, 31), "month", "2022年12月底前")
    assert len(result.milestones) == 2


def test_date_outside_plan_period_is_kept() -> None:
    result = deadline("2025年底前完成，2019年6月启动")
    assert result.date == D(2025, 12, 31)
    assert [m.date for m in result.milestones] == [D(2025, 12, 31), D(2019, 6, 30)]


# ----------------------------------------------------------------------------- no date / ongoing


@pytest.mark.parametrize(
    "text",
    [
        "定期更新免费开放清单",
        "滚动实施500个智能制造应用示范项目",
        "持续开展5G创新应用案例征集",
        "常态化开展督查",
        "长期坚持",
        "建立长效机制",
        "每年发布一次",
        "逐年提高",
        "每季度通报",
        "每月调度",
        "清单动态更新",
    ],
)
def test_ongoing_without_date(text: str) -> None:
    result = deadline(text)
    assert (result.date, result.kind, result.precision, result.text) == (END, "ongoing", None, "")
    assert result.ongoing is True
    assert result.milestones == ()


def test_no_date_runs_to_plan_end() -> None:
    result = deadline("推进5G基站建设“一件事”集成改革")
    assert result == Deadline(END, "plan_end", None, "", False, ())


def test_explicit_date_with_ongoing_wording() -> None:
    result = deadline("2020年9月底前出台标准，并定期更新")
    assert (result.kind, result.ongoing, result.date) == ("explicit", True, D(2020, 9, 30))


# ----------------------------------------------------------------------------- Zhejiang table

ZHEJIANG_EXPLICIT = {
    3: (D(2020, 8, 31), "month", "2020年8月底前"),
    5: (D(2020, 9, 30), "month", "2020年9月底前"),
    9: (D(2020, 9, 30), "month", "2020年9月底前"),
    15: (D(2022, 12, 31), "year", "到2022年"),
}
ZHEJIANG_ONGOING = {7, 20, 35}


@pytest.mark.parametrize("number", range(1, 36))
def test_zhejiang_task(zhejiang: dict[int, dict[str, str]], number: int) -> None:
    result = deadline(zhejiang[number]["text"])
    if number in ZHEJIANG_EXPLICIT:
        date, precision, phrase = ZHEJIANG_EXPLICIT[number]
        assert (result.date, result.kind, result.precision, result.text) == (date, "explicit", precision, phrase)
        assert len(result.milestones) == 1
        assert result.ongoing is False
    elif number in ZHEJIANG_ONGOING:
        assert (result.date, result.kind, result.ongoing) == (END, "ongoing", True)
    else:
        assert (result.date, result.kind, result.ongoing, result.milestones) == (END, "plan_end", False, ())


# ----------------------------------------------------------------------------- properties


@settings(max_examples=500)
@given(st.text(), st.one_of(st.none(), st.integers(min_value=-5000, max_value=20000)))
def test_read_deadline_never_raises(text: str, default_year: int | None) -> None:
    result = read_deadline(text, plan_start=START, plan_end=END, default_year=default_year)
    assert isinstance(result, Deadline)
    assert isinstance(result.date, dt.date)
    assert result.kind in KINDS
    assert isinstance(result.ongoing, bool)
    assert isinstance(result.text, str)
    assert isinstance(result.milestones, tuple)
    for milestone in result.milestones:
        assert isinstance(milestone, Milestone)
        assert isinstance(milestone.date, dt.date)
        assert milestone.precision in PRECISIONS
        assert milestone.text
    if result.kind == "explicit":
        assert result.milestones
        assert result.date == max(m.date for m in result.milestones)
        assert result.precision in PRECISIONS
    else:
        assert result.milestones == ()
        assert (result.date, result.precision, result.text) == (END, None, "")
        assert (result.kind == "ongoing") == result.ongoing


_DATE_ALPHABET = st.sampled_from(
    list("0123456789０１２年月日号底前末内上下半季度第一二三四五六七八九十〇份旬初中至到自从起后每今明-—，。 ")
    + ["2020", "2022年", "12月", "2月30日", "（2020-2022年）"]
)


@settings(max_examples=500)
@given(st.lists(_DATE_ALPHABET, max_size=25).map("".join), st.one_of(st.none(), st.integers(1, 9999)))
def test_read_milestones_never_raises_on_date_like_text(text: str, default_year: int | None) -> None:
    milestones = read_milestones(text, default_year=default_year)
    assert isinstance(milestones, tuple)
    for milestone in milestones:
        assert isinstance(milestone.date, dt.date)
        assert milestone.precision in PRECISIONS
        assert milestone.text and milestone.text in text


# ----------------------------------------------------------------------------- column reader

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # year_spans reads ASCII digits

# Neighbouring texts that would read differently if a date phrase, a start or comparison word or
# a relative blocker of one text were seen from the next (the column is read as one string).
_BOUND_BATCHES = [
    ["到2022", "年底前"],
    ["每", "年底前完成"],
    ["明", "年内完成"],
    ["今", "年底前"],
    ["三", "年内"],
    ["2022年", "起实施"],
    ["2022年底", "前后"],
    ["自", "2022年底前"],
    ["比", "2019年增长"],
    ["以", "2019年为基数"],
    ["8", "月底前"],
    ["八", "月底前"],
    ["1", "2月底前"],
    ["2021年12月", "31日前"],
    ["2020", "-2022年"],
    ["2020年", "至2022年"],
    ["二〇二", "〇年"],
    ["第", "三季度"],
    ["前", "三季度"],
    ["上", "半年"],
    ["  ", "  2022年底前"],
    ["截", "至2022年"],
    ["定", "期更新"],
    ["持续", "推进"],
    ["", "2022年6月底前", ""],
    ["2022年\n底前", "年底前\n", "\n"],
    ["２０２２", "年底前"],
    ["2021年2月30日", "2月30日前"],
    ["，", "。年底前；"],
]


@pytest.mark.parametrize("batch", _BOUND_BATCHES)
@pytest.mark.parametrize("default_year", [None, 2023])
def test_read_deadlines_reads_each_text_alone(batch: list[str], default_year: int | None) -> None:
    for texts in (batch, batch[::-1], batch + batch):
        expected = [read_deadline(text, plan_start=START, plan_end=END, default_year=default_year) for text in texts]
        assert read_deadlines(texts, plan_start=START, plan_end=END, default_year=default_year) == expected
        assert year_spans_many(texts) == [year_spans(text.translate(_DIGITS)) for text in texts]


def test_read_deadlines_keeps_bounds_between_texts() -> None:
    first, second = read_deadlines(["到2022", "年底前"], plan_start=START, plan_end=END, default_year=None)
    assert (first.kind, second.date, second.text) == ("plan_end", dt.date(START.year, 12, 31), "年底前")
    assert read_deadlines(["每", "年底前完成"], plan_start=START, plan_end=END)[1].kind == "explicit"
    assert read_deadlines(["自", "2022年底前"], plan_start=START, plan_end=END)[1].date == dt.date(2022, 12, 31)
    assert [d.ongoing for d in read_deadlines(["定", "期更新"], plan_start=START, plan_end=END)] == [False, False]


def test_read_deadlines_missing_cells_read_as_empty_text() -> None:
    texts: list[object] = [float("nan"), None, "2022年底前", 5]
    result = read_deadlines(texts, plan_start=START, plan_end=END)  # type: ignore[arg-type]
    assert result == [read_deadline(text, plan_start=START, plan_end=END) for text in texts]  # type: ignore[arg-type]
    assert read_deadlines([], plan_start=START, plan_end=END) == []
    assert year_spans_many([]) == []


@settings(max_examples=300)
@given(st.lists(st.lists(_DATE_ALPHABET, max_size=12).map("".join), max_size=8),
       st.one_of(st.none(), st.integers(1890, 2210)))
def test_read_deadlines_equals_read_deadline_per_text(texts: list[str], default_year: int | None) -> None:
    expected = [read_deadline(text, plan_start=START, plan_end=END, default_year=default_year) for text in texts]
    assert read_deadlines(texts, plan_start=START, plan_end=END, default_year=default_year) == expected
    assert year_spans_many(texts) == [year_spans(text.translate(_DIGITS)) for text in texts]


def test_full_width_digit_test_agrees_with_the_pattern():
    from analysis.deadlines import _FULL_WIDTH_DIGIT, _has_full_width_digit

    texts = ["", "2021年", "２０２１年６月底前", "年底前０", "０", "９月", "Ｏ季度", "1-6月", "\n".join(["推进"] * 1000) + "３"]
    for text in texts:
        assert _has_full_width_digit(text) == bool(_FULL_WIDTH_DIGIT.search(text)), text
    assert _has_full_width_digit("第３季度") and not _has_full_width_digit("第三季度")
