"""Quantified targets read from task wording: analysis.targets."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import deadlines, targets
from analysis.deadlines import read_deadlines
from analysis.targets import Target, read_target_dicts, read_target_dicts_many, read_targets

ROOT = Path(__file__).resolve().parents[2]




def one(text: str) -> Target:
    targets = read_targets(text)
    assert len(targets) == 1, targets
    return targets[0]


# ----------------------------------------------------------------------------- targets found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "到2022年，培育发展20家5G骨干企业。",
            Target(20, "家", False, "5G骨干企业", 2022, "20家5G骨干企业"),
        ),
        (
            "支持重点企业、高校、科研院所建设8个以上5G联合创新中心。",
            Target(8, "个", True, "5G联合创新中心", None, "8个以上5G联合创新中心"),
        ),
        ("布局建设10个以上5G产业园。", Target(10, "个", True, "5G产业园", None, "10个以上5G产业园")),
        (
            "滚动实施500个智能制造应用示范项目，建设一批“无人车间”。",
            Target(500, "个", False, "智能制造应用示范项目", None, "500个智能制造应用示范项目"),
        ),
        # percentages: the item precedes the number
        ("覆盖率达到95%以上", Target(95, "%", True, "覆盖率", None, "覆盖率达到95%以上")),
        ("5G网络覆盖率提高到98%。", Target(98, "%", False, "5G网络覆盖率", None, "5G网络覆盖率提高到98%")),
        ("重点场所5G覆盖率达９５％以上", Target(95, "%", True, "重点场所5G覆盖率", None, "重点场所5G覆盖率达９５％以上")),
        ("实现95%的行政村通5G", Target(95, "%", False, "行政村通5G", None, "95%的行政村通5G")),
        ("提高5个百分点", Target(5, "个百分点", False, "提高", None, "提高5个百分点")),
        # 万 / 亿 units; the item before the number when nothing follows
        ("新建5G基站5万个", Target(5, "万个", False, "5G基站", None, "5G基站5万个")),
        ("投资100亿元", Target(100, "亿元", False, "投资", None, "投资100亿元")),
        ("完成投资100亿元。", Target(100, "亿元", False, "投资", None, "投资100亿元")),
        ("建成1.5万个基站", Target(1.5, "万个", False, "基站", None, "1.5万个基站")),
        ("新增装机容量100万千瓦", Target(100, "万千瓦", False, "装机容量", None, "装机容量100万千瓦")),
        ("全省5G基站达到5万个以上", Target(5, "万个", True, "5G基站", None, "5G基站达到5万个以上")),
        # at least
        ("建设不少于10个基站", Target(10, "个", True, "基站", None, "不少于10个基站")),
        ("至少3家企业", Target(3, "家", True, "企业", None, "至少3家企业")),
        ("培育超过100家企业", Target(100, "家", True, "企业", None, "超过100家企业")),
        ("建设10余个示范区", Target(10, "个", True, "示范区", None, "10余个示范区")),
        ("累计建成100个及以上示范项目", Target(100, "个", True, "示范项目", None, "100个及以上示范项目")),
        ("建设10-15个示范区", Target(10, "个", True, "示范区", None, "10-15个示范区")),
        ("建设20个左右示范区", Target(20, "个", False, "示范区", None, "20个左右示范区")),
        # other measure words, separators, full-width digits
        ("认定1,000家企业", Target(1000, "家", False, "企业", None, "1,000家企业")),
        ("培育１０家企业", Target(10, "家", False, "企业", None, "１０家企业")),
        ("制定3项标准", Target(3, "项", False, "标准", None, "3项标准")),
        ("建设5所高等院校", Target(5, "所", False, "高等院校", None, "5所高等院校")),
        ("开发20款5G终端", Target(20, "款", False, "5G终端", None, "20款5G终端")),
        ("建成3座数据中心", Target(3, "座", False, "数据中心", None, "3座数据中心")),
        ("打造10条5G示范线路", Target(10, "条", False, "5G示范线路", None, "10条5G示范线路")),
        ("每年培训1000人次", Target(1000, "人次", False, "培训", None, "培训1000人次")),
        # the item is cut at punctuation and connecting words; a trailing 等 dropped
        ("建设10个产业园，打造品牌", Target(10, "个", False, "产业园", None, "10个产业园")),
        ("建设10个产业园和孵化器", Target(10, "个", False, "产业园", None, "10个产业园")),
        ("建设10个产业园及配套设施", Target(10, "个", False, "产业园", None, "10个产业园")),
        ("建设10个产业园与基地", Target(10, "个", False, "产业园", None, "10个产业园")),
        ("建设10个产业园并投入运营", Target(10, "个", False, "产业园", None, "10个产业园")),
        ("建设10个产业园、孵化器", Target(10, "个", False, "产业园", None, "10个产业园")),
        ("建设10个产业园等", Target(10, "个", False, "产业园", None, "10个产业园")),
        ("建成10个“5G+智慧医疗”示范项目", Target(10, "个", False, "“5G+智慧医疗”示范项目", None, "10个“5G+智慧医疗”示范项目")),
        # year
        ("2021年底前建成10个示范项目", Target(10, "个", False, "示范项目", 2021, "10个示范项目")),
        ("建成10个示范项目，2021年底前完成验收", Target(10, "个", False, "示范项目", 2021, "10个示范项目")),
        ("2020年9月底前出台规划。到2022年，建成10个示范项目", Target(10, "个", False, "示范项目", 2022, "10个示范项目")),
        ("2021年出台规划。建成10个示范项目", Target(10, "个", False, "示范项目", None, "10个示范项目")),
        ("年底前建成10个示范项目", Target(10, "个", False, "示范项目", None, "10个示范项目")),
        ("《行动计划（2020-2022年）》提出建成10个示范项目", Target(10, "个", False, "示范项目", None, "10个示范项目")),
    ],
)
def test_target(text: str, expected: Target) -> None:
    assert one(text) == expected


def test_several_targets_in_text_order_with_their_years() -> None:
    text = "2021年底前建成5G基站3万个，2022年底前建成5G基站5万个以上，培育20家骨干企业和8个创新中心。"
    targets = read_targets(text)
    assert [(t.number, t.unit, t.at_least, t.item, t.year) for t in targets] == [
        (3, "万个", False, "5G基站", 2021),
        (5, "万个", True, "5G基站", 2022),
        (20, "家", False, "骨干企业", 2022),
        (8, "个", False, "创新中心", 2022),  # same sentence: the nearest date before it
    ]


def test_number_types() -> None:
    assert type(one("建设10个园区").number) is int
    assert type(one("建设1.5万个基站").number) is float


def test_to_dict_is_json_friendly() -> None:
    target = one("到2022年，培育发展20家5G骨干企业。")
    data = target.to_dict()
    assert data == {
        "number": 20,
        "unit": "家",
        "at_least": False,
        "item": "5G骨干企业",
        "year": 2022,
        "text": "20家5G骨干企业",
    }
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


# ----------------------------------------------------------------------------- no target


@pytest.mark.parametrize(
    "text",
    [
        "2020年8月底前，指导各市编制发布5G基站站址专项规划",
        "2020年8月15日前完成",
        "推进5G基站建设",
        "依托投资项目在线审批监管平台3.0开发系统",
        "申报装备首台套、材料首批次",
        "推进5G基站建设“一件事”集成改革",
        "按“一户一表”改造为直供电",
        "省级单位带头免费开放",
        "建设并迭代升级“诗画浙江”文旅信息服务系统",
        "服务第19届亚运会",
        "建设一批“无人车间”",
        "实现5G在智慧安防中的多点应用",
        "3个月内完成",
        "5个工作日内办结",
        "支持IPv6规模部署",
        "4K超高清视频",
        "《浙江省加快5G发展行动计划（2020-2022年）》",
        "推进“5G+工业互联网”融合应用",
        "推进“5G＋智慧文化场馆”",
        "三年行动计划",
        "建设两个国家级平台",  # Chinese numerals are not read
        "",
    ],
)
def test_no_target(text: str) -> None:
    assert read_targets(text) == []


# ----------------------------------------------------------------------------- Zhejiang table

ZHEJIANG_TARGETS = {
    15: [Target(20, "家", False, "5G骨干企业", 2022, "20家5G骨干企业")],
    16: [Target(8, "个", True, "5G联合创新中心", None, "8个以上5G联合创新中心")],
    18: [Target(10, "个", True, "5G产业园", None, "10个以上5G产业园")],
    20: [Target(500, "个", False, "智能制造应用示范项目", None, "500个智能制造应用示范项目")],
}


@pytest.mark.parametrize("number", range(1, 36))
def test_zhejiang_task(zhejiang: dict[int, dict[str, str]], number: int) -> None:
    assert read_targets(zhejiang[number]["text"]) == ZHEJIANG_TARGETS.get(number, [])


# ----------------------------------------------------------------------------- properties


def _check(targets: list[Target], text: str) -> None:
    assert isinstance(targets, list)
    for target in targets:
        assert isinstance(target, Target)
        assert isinstance(target.number, (int, float)) and not isinstance(target.number, bool)
        assert isinstance(target.unit, str) and target.unit
        assert isinstance(target.at_least, bool)
        assert isinstance(target.item, str)
        assert target.year is None or isinstance(target.year, int)
        assert isinstance(target.text, str) and target.text in text
        assert set(target.to_dict()) == {"number", "unit", "at_least", "item", "year", "text"}


@settings(max_examples=500)
@given(st.text())
def test_read_targets_never_raises(text: str) -> None:
    _check(read_targets(text), text)


_TARGET_ALPHABET = st.sampled_from(
    list("0123456789０１２年月日底前个家项所万亿千米余多%％‰以上及左右至到-~，。、的和等第达超过不少于5G.,")
    + ["2020", "2022年", "个百分点", "万千瓦", "1,000", "以上", "（2020-2022年）", "3.0"]
)


@settings(max_examples=500)
@given(st.lists(_TARGET_ALPHABET, max_size=30).map("".join))
def test_read_targets_never_raises_on_target_like_text(text: str) -> None:
    _check(read_targets(text), text)


# ----------------------------------------------------------------------------- column reader

# Neighbouring texts that would read differently if a number, unit, item, date or sentence of one
# text were seen from the next (the column is read as one string).
_BOUND_BATCHES = [
    ["第", "5个基站"],
    ["5", "个基站"],
    ["3个", "月"],
    ["建设5个", "基站"],
    ["覆盖率达到", "95%"],
    ["到2022年", "建设20家企业"],
    ["2022", "年建设20家企业"],
    ["建设20家企业", "到2022年"],
    ["建设20家企业", "2022年底前"],
    ["5G", "20家企业"],
    ["IPv", "6个"],
    ["A", "5个基站"],
    ["1,", "000个"],
    ["1.", "5万个"],
    ["１．", "５万个"],
    ["不少于", "10个基站"],
    ["10-", "15个"],
    ["10", "余个"],
    ["新建5G基站5万", "个"],
    ["９５％", "覆盖率"],
    ["  ", "  20家企业"],
    ["", "建设20家企业。", ""],
    ["到2022年\n建设20家企业", "建设8个以上\n基站"],
    ["，。；", "20家；"],
]


@pytest.mark.parametrize("batch", _BOUND_BATCHES)
def test_read_target_dicts_many_reads_each_text_alone(batch: list[str]) -> None:
    for texts in (batch, batch[::-1], batch + batch):
        assert read_target_dicts_many(texts) == [read_target_dicts(text) for text in texts]


def test_read_target_dicts_many_keeps_bounds_between_texts() -> None:
    assert read_target_dicts_many(["第", "5个基站"])[1][0]["number"] == 5  # not an ordinal: 第 is another text's
    assert read_target_dicts_many(["到2022年", "建设20家企业"])[1][0]["year"] is None
    assert read_target_dicts_many(["建设5个", "基站"])[0][0]["text"] == "5个"  # not 5个基站
    assert read_target_dicts_many(["3个", "月"])[0][0]["unit"] == "个"  # not a duration


def test_read_target_dicts_many_missing_cells_read_as_no_target() -> None:
    texts: list[object] = [float("nan"), None, "建设20家企业", 5, ""]
    expected = [read_target_dicts(text) for text in texts]  # type: ignore[arg-type]
    assert read_target_dicts_many(texts) == expected  # type: ignore[arg-type]
    assert [len(targets) for targets in expected] == [0, 0, 1, 0, 0]
    assert read_target_dicts_many([]) == []


@settings(max_examples=300)
@given(st.lists(st.lists(_TARGET_ALPHABET, max_size=14).map("".join), max_size=8))
def test_read_target_dicts_many_equals_read_target_dicts_per_text(texts: list[str]) -> None:
    assert read_target_dicts_many(texts) == [read_target_dicts(text) for text in texts]


def test_read_target_dicts_many_after_the_deadline_reader_of_the_same_or_other_texts() -> None:
    # The target reader takes the dates of the column the deadline reader has just read (one scan
    # for both), only when the texts are the same.
    texts = ["到2022年，培育发展20家5G骨干企业。", "2021年6月底前，建成5G基站5万个", "建设8个以上创新中心"]
    other = ["到2025年，培育发展20家5G骨干企业。", "", "2023年底前"]
    start, end = dt.date(2020, 1, 1), dt.date(2025, 12, 31)
    expected = [read_target_dicts(text) for text in texts]
    assert [[target["year"] for target in targets] for targets in expected] == [[2022], [2021], [None]]
    read_deadlines(texts, plan_start=start, plan_end=end)
    assert read_target_dicts_many(texts) == expected
    read_deadlines(other, plan_start=start, plan_end=end)
    assert read_target_dicts_many(texts) == expected
    assert read_target_dicts_many(other) == [read_target_dicts(text) for text in other]


# ----------------------------------------------------------------------------- the pattern

# The target pattern as plainly written (see the notes at targets._TARGET, which is written for
# speed): the reference the matches of the import's pattern (_TARGET_AFTER_RE: _TARGET and a lookahead) are
# checked against.
_NUM = r"[0-9]{1,15}(?:,[0-9]{3}){0,4}(?:\.[0-9]{1,8})?"
_PLAIN_TARGET_RE = re.compile(
    rf"(?P<pre>不少于|不低于|不下于|至少|超过|多于|大于|高于|突破|逾)?{targets._S}"
    rf"(?<![0-9A-Za-z.,_])(?:(?P<lo>{_NUM}){targets._S}(?:-|－|~|～|〜|—|–|至|到){targets._S})?"
    rf"(?<![A-Za-z_])(?P<num>{_NUM})(?![0-9])"
    rf"{targets._S}(?P<mid>余|多)?"
    rf"(?P<unit>%|‰|个百分点|百分点|(?:{targets._MULT_RE})(?:余|多)?(?:{targets._MEASURE_RE})|{targets._MEASURE_RE}"
    rf"|{targets._MULT_RE})"
    rf"(?P<post>及以上|以上|左右|以内|以下)?"
)


def _plain_matches(text: str) -> list[tuple[object, ...]]:
    return [(m.span(), m.start("pre"), m.span("lo"), m.span("num"), m.span("mid"), m.span("unit"), m.span("post"))
            for m in _PLAIN_TARGET_RE.finditer(text)]


def _fast_matches(text: str) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = []
    for m in targets._TARGET_AFTER_RE.finditer(text):
        first = (m.start("first") - 1, m.end("first"))  # the first number
        found.append((m.span(), m.start() if m.group("pre") is not None else -1,
                      first if m.group("high") is not None else (-1, -1),
                      m.span("high") if m.group("high") is not None else first,
                      m.span("mid"), m.span("unit"), m.span("post")))
    return found


_PATTERN_PIECES = st.sampled_from(
    list("0123456789 \t\u3000\n,.-~—至到个家项万亿千百米平方公里余多%‰以上及左右内下第不少于低下至超过大高突破逾AZ_x年月，")
    + ["个百分点", "百分点", "1,000", "1,00", "3.5", "12.", ".5", "万亿元", "千瓦时", "平方公里", "5G", "2022年"]
)


@settings(max_examples=1500)
@given(st.lists(_PATTERN_PIECES, max_size=25).map("".join))
def test_target_pattern_matches_as_the_plain_pattern(text: str) -> None:
    assert _fast_matches(text) == _plain_matches(text)


def test_target_pattern_matches_as_the_plain_pattern_in_real_tables() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "tests" / "fixtures" / "real").glob("*.txt"))]
    texts.append(" ".join(texts).translate(targets._NORMALISE))
    for text in texts:
        assert _fast_matches(text) == _plain_matches(text)
    assert sum(len(_plain_matches(text)) for text in texts) > 50


def test_target_pattern_is_searched_by_its_first_character() -> None:
    # The engine skips to the characters a match can start with only when the pattern begins with
    # a character class (re's "charset prefix"): keep it so (the speed of the import depends on it).
    from re import _compiler, _parser

    assert _compiler._get_charset_prefix(_parser.parse(targets._TARGET_AFTER_RE.pattern), 0)


def test_unit_readings_and_words_after_the_unit() -> None:
    for unit in ("个", "万个", "万余个", "亿多元", "%", "个百分点", "百分点", "‰", "万", "余"):
        reading = targets._unit_reading(unit)
        plain = unit.replace("余", "").replace("多", "") if len(unit) > 1 else unit
        assert reading == (plain, plain != unit, plain in ("%", "‰", "个百分点", "百分点"))
        assert targets._UNIT_READINGS[unit] == reading
    # A word after the unit says "at least" when it ends in 上 (the column reader's test).
    assert {word for word in targets._POST_WORDS if word.endswith("上")} == set(targets._AT_LEAST_POST)
    assert targets._DATE_ANCHOR.pattern == deadlines._ANY_ANCHOR.pattern


def test_read_target_dicts_many_reads_full_width_characters_as_each_text_alone() -> None:
    texts = ["建设１０个以上基站", "覆盖率达到９５％以上", "新增１．５万个", "2022年", "投资１，０００亿元，增长８‰"]
    for batch in (texts, texts[::-1], texts[:1], texts[1:2] + ["建设20家企业"]):
        assert read_target_dicts_many(batch) == [read_target_dicts(text) for text in batch]
