"""Read quantified targets (量化指标) from the wording of a task.

"到2022年，培育发展20家5G骨干企业" → Target(20, "家", False, "5G骨干企业", 2022, "20家5G骨干企业").

Reading rules
-------------
* A target is an Arabic number (ASCII or full-width, decimals and 1,000 separators
  allowed) directly followed by a unit: a measure word (个 家 项 座 所 条 款 件 台 套 张 部
  种 类 批 户 人 人次 名 位 场 次 期 处 ...), a quantity unit (元 公里 米 平方米 亩 吨 千瓦 倍
  ...), optionally behind a multiplier (万 亿 千 百: "5万个" → 5, "万个"; "100亿元" → 100,
  "亿元"), a bare 万/亿, or a percentage (%, ‰, 个百分点).
* Chinese-numeral quantities are NOT read: 一批, 一件事, 一户一表, 一次性 and political
  formulas (三个一批, 四个全面) are not targets, and neither is 两个/十家.
* Not targets: dates (年/月/日 are not units), "5G", "4K", "3.0", "IPv6" (a number glued
  to a letter or a dot), ordinals (第19届), durations (3个月, 2个工作日, 6个小时), numbers
  inside a date phrase.
* at_least: 以上 / 及以上 after the unit; 不少于 / 不低于 / 至少 / 超过 / 多于 / 突破 / 逾 before
  the number; 余 / 多 between number and unit ("10余个", "5万多个"). A range "10-15个"
  reads as 10, at_least.
* item: what is counted. After a measure word it is the noun phrase that follows
  ("8个以上5G联合创新中心" → "5G联合创新中心"), cut at punctuation (，。；、 …), at
  connecting words (和 及 与 并 或 以及) and after 20 characters; a trailing 等 and a
  leading 的 are dropped. When nothing follows ("新建5G基站5万个，") and for
  percentages ("覆盖率达到95%以上") the item is the phrase before the number within its
  clause, without leading verbs (新建, 建成, 培育发展, 实现 ...) and trailing links (达到,
  超过, 提高到 ...): "5G基站", "覆盖率". Percentages fall back to the following phrase when
  nothing precedes ("实现95%的行政村通5G" → "行政村通5G").
* text: the phrase as written from the quantity (including a before-marker such as 不少于)
  through 以上 and the item — the verb is excluded: "20家5G骨干企业",
  "8个以上5G联合创新中心". When the item precedes the number the text starts at the
  item: "覆盖率达到95%以上", "5G基站5万个".
* year: the year of the nearest date before the target in the same sentence (sentences
  end at 。；！？ and line breaks) — "到2022年，培育发展20家…" → 2022 — else of the first
  date after it in that sentence, else None. Only dates that carry their own year count.
* Never raises on any str input.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.deadlines import (
    CACHED_CLAUSE_CHARS,
    JoinedColumn,
    joined_column,
    milestone_spans,
    own_year_dates,
    year_spans,
)


@dataclass(frozen=True)
class Target:
    number: int | float
    unit: str  # 个, 家, 项, 万个, 亿元, % ...
    at_least: bool  # 以上 / 不少于 / 至少 / 超过 / 余 ...
    item: str  # what is counted, e.g. "5G骨干企业"
    year: int | None  # the year stated for it, else None
    text: str  # the phrase as written, e.g. "8个以上5G联合创新中心"

    def to_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "unit": self.unit,
            "at_least": self.at_least,
            "item": self.item,
            "year": self.year,
            "text": self.text,
        }


# ----------------------------------------------------------------------------- patterns

# One character to one character, so positions index the original text.
_NORMALISE = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_FULL_WIDTH = re.compile("[０-９％．]")  # translating a text without one is a costly no-op
_FULL_WIDTH_CHARS = tuple(zip("０１２３４５６７８９％．", "0123456789%.", strict=True))  # (for a long text)

_MEASURES = sorted(
    """个 家 项 座 所 条 款 件 台 套 只 张 篇 部 种 类 支 处 片 栋 幢 间 根 杆 块 辆 艘 架 颗 枚
    户 人次 人 名 位 场 次 期 批 元 美元 公里 千米 米 平方米 平方公里 亩 公顷 吨 千瓦 兆瓦
    千瓦时 倍 册 门 本""".split(),
    key=len,
    reverse=True,
)
_MULTIPLIERS = ("万亿", "千亿", "百亿", "千万", "百万", "亿", "万", "千", "百")
_MEASURE_RE = "|".join(map(re.escape, dict.fromkeys(_MEASURES)))
_MULT_RE = "|".join(_MULTIPLIERS)
_PERCENT_UNITS = ("%", "‰", "个百分点", "百分点")
_UNIT_RE = "|".join(_PERCENT_UNITS) + f"|(?:{_MULT_RE})(?:余|多)?(?:{_MEASURE_RE})|{_MEASURE_RE}|{_MULT_RE}"
_NUM_AFTER_FIRST = r"[0-9]{0,14}(?:,[0-9]{3}){0,4}(?:\.[0-9]{1,8})?"  # a number but its first digit
_NUM = "[0-9]" + _NUM_AFTER_FIRST  # (up to 15 digits, groups of 3 after commas, decimals): characters [0-9,.]
_S = r"[ \t\u3000]?"
_RANGE_MARKS = "-－~～〜—–至到"  # between the two numbers of a range


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(map(re.escape, sorted(set(chars)))) + "]"


_PRE_WORDS = ("不少于", "不低于", "不下于", "至少", "超过", "多于", "大于", "高于", "突破", "逾")  # before the number
_POST_WORDS = ("及以上", "以上", "左右", "以内", "以下")  # after the unit
_UNIT_FIRST = _char_class(word[0] for word in (*_PERCENT_UNITS, *_MULTIPLIERS, *_MEASURES))  # what a unit starts with

# A target as a pattern, plainly (tests/analysis/test_targets.py keeps it as the reference):
#
#     (?P<pre>不少于|…|逾)?{_S}(?<![0-9A-Za-z.,_])(?:(?P<lo>{_NUM}){_S}[-－~…至到]{_S})?
#     (?<![A-Za-z_])(?P<num>{_NUM})(?![0-9]){_S}(?P<mid>余|多)?(?P<unit>{_UNIT_RE})(?P<post>及以上|…|以下)?
#
# _TARGET matches the same, written for speed (scanning the task texts is most of the column
# reader's time):
# * A match begins with a character class (a before-marker's first character, a space, a digit),
#   so the engine skips to the next such character at C speed instead of trying the pattern at
#   every position. What that character was tells what follows it: nothing (it was the first
#   digit), a digit (it was a space), or the rest of the before-marker, maybe a space and a digit.
#   That part matches one way at most (its ways start with different characters), so it is an
#   atomic group: where the rest fails, as at most digits of a text (the lookbehind below), the
#   engine moves on without trying the other ways, which cannot match (a digit is no space and no
#   before-marker): a quarter of the scan's time over a text-heavy plan.
# * From there, after the first number's first digit: nothing in [0-9A-Za-z.,_] before that digit
#   (the plain pattern's lookbehind), and a cheap lookahead that rejects most numbers of a task
#   text (dates, counts of other things) without the costly tries of `_NUM`'s repeats: a number
#   ends where the run of [0-9,.] at its start ends (a shorter one is followed by a digit, a comma
#   or a point, which neither a range mark, a space, 余/多 nor a unit starts with), so that run is
#   followed by a range mark or by a unit.
# * `first` is the first number but its first digit; a range's second number (`high`) follows it,
#   else it is the number. The plain pattern tries `lo` (the range) first, then the number alone,
#   each at every length of the number: both succeed only with the whole run (above), which reads
#   one way only, so trying the range and then the number alone at each length finds the same.
# So a match's groups are: pre (empty: the match starts with a before-marker), first, high, mid,
# unit, post; the first number starts a character before `first`.
_TARGET = (  # (the text of the pattern: compiled as _TARGET_AFTER_RE, below)
    _char_class("".join(word[0] for word in _PRE_WORDS) + " \t\u30000123456789")
    + "(?>(?<=[0-9])|(?<=[ \t\u3000])[0-9]|(?:"
    + "|".join(
        f"(?<={first})(?:{'|'.join(word[1:] for word in _PRE_WORDS if word[0] == first)})"
        for first in dict.fromkeys(word[0] for word in _PRE_WORDS)
    )
    + rf")(?P<pre>){_S}[0-9])"
    rf"(?<![0-9A-Za-z.,_].)(?=[0-9,.]*+{_S}(?:{_char_class(_RANGE_MARKS)}|(?:余|多)?{_UNIT_FIRST}))"
    rf"(?P<first>{_NUM_AFTER_FIRST})"
    rf"(?:{_S}{_char_class(_RANGE_MARKS)}{_S}(?<![A-Za-z_])(?=[0-9,.]*+{_S}(?:余|多)?{_UNIT_FIRST})(?P<high>{_NUM}))?"
    rf"(?![0-9]){_S}(?P<mid>余|多)?(?P<unit>{_UNIT_RE})(?P<post>{'|'.join(_POST_WORDS)})?"
)

# 3个月, 2个工作日, 6个小时: durations, not targets.
_DURATION_AFTER = ("月", "工作日", "小时", "星期", "季度", "年", "周", "日", "学期", "钟头")

_STOP_CHARS = set("，。；、,;：:！？!?（）()[]【】《》<>\n\r\t 　…—")
# A run of characters that are not stop characters (what the item readers walk over).
_NO_STOP_RUN = re.compile("[^" + "".join(map(re.escape, sorted(_STOP_CHARS))) + "]*")
_SENTENCE_END_RE = re.compile("[。；;！？!?\n\r]")
_CONNECTORS = ("以及", "和", "及", "与", "并", "或")
_CONNECTOR_CHARS = re.compile("[" + "".join(sorted({word[0] for word in _CONNECTORS})) + "]")
_DATE_ANCHOR = re.compile("[年月季]")  # every date (`milestone_spans`) holds one
_ITEM_MAX = 20

_LEADING_VERBS = tuple(
    sorted(
        """新建 建成 建设 新增 培育发展 培育 发展 打造 实现 完成 力争 争取 全省 全市 累计 推动 推进
        开通 部署 布局 形成 认定 引进 支持 确保 努力 共计 总共 合计 滚动实施 实施 达到 新开通
        培养 建立 组织 开展 举办 创建 遴选 评选 扶持 每年 全年""".split(),
        key=len,
        reverse=True,
    )
)
_TRAILING_LINKS = tuple(
    sorted(
        """达到 达 为 至 到 超过 不少于 不低于 至少 突破 提高到 提升到 提高至 提升至 增加到 增长到 增至
        保持在 稳定在 控制在 在 累计达到 累计 总数达 总量达 逾""".split(),
        key=len,
        reverse=True,
    )
)

_AT_LEAST_POST = ("以上", "及以上")


# ----------------------------------------------------------------------------- helpers


def _number(raw: str) -> int | float:
    raw = raw.replace(",", "")
    if "." in raw:
        value = float(raw)
        return value
    return int(raw)


def _strip_words(item: str) -> str:
    changed = True
    while changed and item:
        changed = False
        if item.endswith(_TRAILING_LINKS):  # one test first: most items end in none
            for word in _TRAILING_LINKS:
                if item.endswith(word):
                    item, changed = item[: -len(word)], True
                    break
        if item.startswith(_LEADING_VERBS):
            for word in _LEADING_VERBS:
                if item.startswith(word):
                    item, changed = item[len(word):], True
                    break
    # A lone link or verb ("达到95%", "实现95%") leaves no item; 投资 in "投资100亿元",
    # not a listed verb, stays.
    return item.strip()


def _item_before(text: str, boundary: int, start: int) -> tuple[str, int]:
    """The phrase between `boundary` and `start`, and where it starts in `text`."""
    run = _NO_STOP_RUN.match(text[boundary:start][::-1])  # the run before `start`, read backwards
    pos = start - (run.end() if run else 0)
    segment = text[pos:start]
    if _CONNECTOR_CHARS.search(segment):  # (most phrases have none)
        for word in _CONNECTORS:
            cut = segment.rfind(word)
            if cut >= 0 and cut + len(word) < len(segment):
                pos, segment = pos + cut + len(word), segment[cut + len(word):]
    # Drop a date at the head: "2022年5G基站5万个" → "5G基站". (A phrase without 年, 月 or 季 has none.)
    if _DATE_ANCHOR.search(segment):
        date_ends = [e for _, e, _ in milestone_spans(segment)]
        if date_ends:
            cut = max(date_ends)
            pos, segment = pos + cut, segment[cut:]
    if len(segment) > _ITEM_MAX:
        pos, segment = pos + len(segment) - _ITEM_MAX, segment[-_ITEM_MAX:]
    item = _strip_words(segment)
    if not item:
        return "", start
    return item, pos + segment.find(item)


def _sentence_ends(text: str) -> list[int]:
    """Positions in `text` of the characters that end a sentence (。；！？ and line breaks), in order."""
    return [match.start() for match in _SENTENCE_END_RE.finditer(text)]


def _sentence_bounds(ends: Sequence[int], length: int, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end]: from after the last end before `start` to the first
    end at or after `end` (or the text's bounds). `ends` is `_sentence_ends` of the text, `length` its length."""
    before = bisect.bisect_left(ends, start)
    after = bisect.bisect_left(ends, end)
    return (ends[before - 1] + 1 if before else 0), (ends[after] if after < len(ends) else length)


def _year_for(
    spans: Sequence[tuple[int, int, int]], ends: Sequence[int], length: int, start: int, end: int
) -> int | None:
    """The year of the nearest dated span before text[start:end] in its sentence, else of the first
    after it there. `spans` are the text's dates (start, end, year), `ends` and `length` as in
    `_sentence_bounds`."""
    left, right = _sentence_bounds(ends, length, start, end)
    before = [year for s, e, year in spans if left <= s and e <= start]
    if before:
        return before[-1]
    after = [year for s, e, year in spans if s >= end and e <= right]
    if after:
        return after[0]
    return None


# ----------------------------------------------------------------------------- API


def read_targets(text: str) -> list[Target]:
    """Quantified targets in `text`, in text order."""
    return [Target(*fields) for fields in _target_fields(text)]


def read_target_dicts(text: str) -> list[dict[str, object]]:
    """``[t.to_dict() for t in read_targets(text)]``, without a Target object per target (the import's form)."""
    return [
        {"number": number, "unit": unit, "at_least": at_least, "item": item, "year": year, "text": written}
        for number, unit, at_least, item, year, written in _target_fields(text)
    ]


_TargetFields = tuple[int | float, str, bool, str, int | None, str]  # Target's fields, in order


def _target_fields(text: str) -> list[_TargetFields]:
    if not isinstance(text, str) or not text:
        return []
    try:
        return _read_targets(text)
    except Exception:  # pragma: no cover - defensive: never break an import on odd text
        return []


def _read_targets(text: str) -> list[_TargetFields]:
    norm = text.translate(_NORMALISE) if _FULL_WIDTH.search(text) else text
    found: list[tuple[int, _ClauseTarget]] = []  # (offset of its clause, target)
    offset = 0
    for clause in _CLAUSE_END_RE.split(norm) if _CLAUSE_END_RE.search(norm) else (norm,):
        if _DIGIT_RE.search(clause):  # a target's number has a digit
            targets = _clause_targets(clause) if len(clause) <= CACHED_CLAUSE_CHARS else _read_clause(clause)
            found.extend((offset, target) for target in targets)
        offset += len(clause) + 1
    if not found:
        return []
    dates = year_spans(norm)  # only dates that carry their own year
    if not dates:  # no year to give: _year_for gives None to every target
        return [
            (number, unit, at_least, item, None, text[offset + t_start:offset + t_end].strip())
            for offset, (number, unit, at_least, item, _, _, t_start, t_end) in found
        ]
    ends = _sentence_ends(norm)
    return [
        (number, unit, at_least, item, _year_for(dates, ends, len(norm), offset + q_start, offset + q_end),
         text[offset + t_start:offset + t_end].strip())
        for offset, (number, unit, at_least, item, q_start, q_end, t_start, t_end) in found
    ]


# Characters that end a clause: stop characters (an item never runs over one), never part of a
# target or a date, and none a character the rules look at around a number (a digit, a
# letter, a space, 第, a unit's continuation): a clause's targets are read alone as in the
# text, except their year, which is read in the sentence (a date in another clause counts).
_CLAUSE_END_RE = re.compile("[，。；]")
_DIGIT_RE = re.compile("[0-9]")
# A target of a clause, positions in the clause: number, unit, at_least, item, then where its
# quantity starts and ends and where its written text starts and ends.
_ClauseTarget = tuple[int | float, str, bool, str, int, int, int, int]


@functools.lru_cache(maxsize=4096)  # a plan repeats clauses: each distinct one is read once
def _clause_targets(norm: str) -> tuple[_ClauseTarget, ...]:
    """`_read_clause` of a clause of at most CACHED_CLAUSE_CHARS."""
    return _read_clause(norm)


def _read_clause(norm: str) -> tuple[_ClauseTarget, ...]:
    """The targets of one clause of a normalised text (or of a text without clauses), but their
    year and written text (`_read_targets` reads those in the whole text)."""
    dates = year_spans(norm)  # only dates that carry their own year
    targets: list[_ClauseTarget] = []
    boundary = 0
    for match in _TARGET_AFTER_RE.finditer(norm):
        num_start = match.start("first") - 1  # where the first number (a range's low one) starts
        if any(s <= num_start < e for s, e, _ in dates):
            continue  # a number inside a date phrase
        target = _column_target(norm, match, num_start, boundary)
        if target is not None:
            targets.append(target)
            boundary = max(boundary, target[7], target[5])  # its written text's end, its quantity's end
    return tuple(targets)


# ----------------------------------------------------------------------------- column API
#
# `read_target_dicts_many` reads a whole column of texts in one regex pass over the texts joined
# with "\n". A line break is a hard bound for every rule here, as a clause end is (see
# _CLAUSE_END_RE): no target or date phrase holds one, the lookbehinds fail on one as at a
# string's start, it is not a space (the walk back to 第), no duration word starts with it, and it
# is a stop character (the item readers stop at it) and a sentence end (a target's year is looked
# for within its sentence). So each text's targets read in the joined string are those it has
# read alone, at its offset. (A text's own line breaks are such bounds too.)

# _TARGET, and the run of characters after the match that the item after it is cut from (as
# the item reader cuts it: a run of non-stop characters, at most _ITEM_MAX): a lookahead, so the
# matches are the same.
_TARGET_AFTER_RE = re.compile(
    _TARGET + "(?=(?P<after>" + _NO_STOP_RUN.pattern.removesuffix("*") + f"{{0,{_ITEM_MAX}}}))"
)
_ANY_DIGIT = re.compile("[0-9０-９]")


def read_target_dicts_many(texts: Sequence[str], joined: JoinedColumn | None = None) -> list[list[dict[str, object]]]:
    """``[read_target_dicts(text) for text in texts]``, read as one column (see the notes above).
    `joined`: ``joined_column(texts)`` when the caller has it (the texts then all str)."""
    if joined is None:
        joined = joined_column([text if isinstance(text, str) else "" for text in texts])
    raw, text_starts = joined
    result: list[list[dict[str, object]]] = [[] for _ in text_starts]
    if not _ANY_DIGIT.search(raw):
        return result  # a target's number has a digit
    norm = raw
    for wide, narrow in _FULL_WIDTH_CHARS:  # (one character to one character: as _NORMALISE)
        if wide in norm:
            norm = norm.replace(wide, narrow)
    # The dates with their own year, positions in `raw` (the deadline reader reads full-width
    # digits as ASCII ones itself, a full-width point it does not: it reads the target reader's text).
    date_starts, date_ends, date_years = own_year_dates(raw if "．" not in raw else raw.replace("．", "."))
    date_count = len(date_starts)
    # The matches come in text order, and so do the dates (they never overlap: their starts and
    # ends sort alike), so the dates around a match, and its text, are found by walking on from
    # the last match's, a step at a time: most matches are one text and one date on (a search from
    # there, a bisection, took three times as long). A sentinel start past every position ends a walk.
    date_starts.append(len(raw) + 1)
    starts = [*text_starts, len(norm) + 1]  # each text's start, and the sentinel
    next_date = 0  # the first date starting after the current match's first number starts
    next_date_start = date_starts[0]
    last_date_end = -1  # the end of the date before `next_date` (-1: none)
    sentence_end = _SENTENCE_END_RE.search
    bisect_right = bisect.bisect_right
    bisect_left = bisect.bisect_left
    failed: list[int] = []  # texts whose reading raised: no target, as _target_fields reads them
    owner = -1
    owned = result[0]  # the owner's targets
    text_start = 0  # where the owner starts
    next_text = 0  # where the text after the owner starts
    boundary = 0
    for match in _TARGET_AFTER_RE.finditer(norm):
        try:
            # (Positions asked for one at a time: `match.regs` would make a pair for every group.)
            num_start = match.start(2) - 1  # where the first number (group 'first', less its first digit) starts
            if num_start >= next_text:  # (in the match's text, as all of the match: no line break in one)
                owner += 1  # the last text starting at or before num_start
                next_text = starts[owner + 1]
                while next_text <= num_start:
                    owner += 1
                    next_text = starts[owner + 1]
                owned = result[owner]
                boundary = text_start = starts[owner]
            if num_start >= next_date_start:
                next_date += 1  # the first date starting after num_start
                next_date_start = date_starts[next_date]
                while next_date_start <= num_start:
                    next_date += 1
                    next_date_start = date_starts[next_date]
                last_date_end = date_ends[next_date - 1]
            if last_date_end > num_start:
                continue  # a number inside a date phrase
            target = _column_target(norm, match, num_start, boundary)
            if target is None:
                continue
            number, unit, at_least, item, q_start, q_end, t_start, t_end = target
            if t_end > boundary:  # (its written text ends at or after its quantity)
                boundary = t_end
            # The nearest date before the quantity in its sentence, else the first after it there
            # (`_year_for`). A date of another text is behind a line break, a sentence end: not looked at.
            year = None
            # The last date ending at or before the quantity's start is the last starting at or before
            # the number, unless that one ends after the quantity starts (in its before-marker: no
            # date ends so, but a search there keeps the reading exact whatever the patterns).
            index = next_date - 1
            if index >= 0 and date_ends[index] > q_start:
                index = bisect_right(date_ends, q_start) - 1
            if index >= 0 and date_ends[index] > text_start and not sentence_end(raw, date_ends[index], q_start):
                year = date_years[index]
            else:
                # The first date starting at or after the quantity's end: none before `next_date` does.
                index = next_date if next_date_start >= q_end else bisect_left(date_starts, q_end, next_date)
                if index < date_count and date_starts[index] < next_text and not sentence_end(
                    raw, q_end, date_ends[index]
                ):
                    year = date_years[index]
            owned.append({"number": number, "unit": unit, "at_least": at_least, "item": item, "year": year,
                          "text": raw[t_start:t_end].strip()})
        except Exception:  # pragma: no cover - defensive, as _target_fields
            failed.append(owner)
    for owner in failed:  # pragma: no cover
        result[owner] = []
    return result


# How each unit as matched reads: (the unit without 余/多, whether it held one, whether it is a
# percentage). The units are a few hundred strings (the unit pattern's), each read once.
_UNIT_READINGS: dict[str, tuple[str, bool, bool]] = {}


def _unit_reading(unit_raw: str) -> tuple[str, bool, bool]:
    unit = unit_raw.replace("余", "").replace("多", "") if len(unit_raw) > 1 else unit_raw
    reading = _UNIT_READINGS[unit_raw] = (unit, unit != unit_raw, unit in _PERCENT_UNITS)
    return reading


def _column_target(norm: str, match: re.Match[str], num_start: int, boundary: int) -> _ClauseTarget | None:
    """The target of a match of _TARGET_AFTER_RE in `norm`, as `_read_clause` reads it (positions
    in `norm`); None when it is not one. `num_start`: where its first number starts (the range's
    low one); `boundary`: where the item before it may start."""
    if num_start and norm[num_start - 1] in " \t\u3000第":
        head = num_start
        while head > 0 and norm[head - 1] in " \t\u3000":
            head -= 1
        if head > 0 and norm[head - 1] == "第":
            return None  # 第19届: an ordinal
    # The groups (see _TARGET) as text: one tuple of the strings each match is read for, not
    # the spans of all of them (`match.regs`: a pair of positions for each group, twice the objects).
    # A group that took no part is None; pre is "" when the match starts with a before-marker.
    # `after` is the lookahead just past the match (its span starts at the match's end).
    pre, first, high, mid, unit_raw, post, after_item = match.groups()
    q_end = match.end()
    # The match ends with its unit, or with the word after it (以上, 及以上, 左右, 以内, 以下).
    if unit_raw == "个" and norm.startswith(_DURATION_AFTER, q_end if post is None else q_end - len(post)):
        return None  # 3个月: a duration
    unit, unit_changed, percent = _UNIT_READINGS.get(unit_raw) or _unit_reading(unit_raw)
    at_least = pre is not None or high is not None or mid is not None or unit_changed or post in _AT_LEAST_POST
    raw_number = norm[num_start] + first  # a range reads as its low number
    if raw_number.isdigit():  # (ASCII digits: the pattern's)
        number: int | float = int(raw_number)
    else:
        try:
            number = _number(raw_number)
        except (ValueError, OverflowError):
            return None
    q_start = match.start() if pre is not None else num_start  # (a match with a before-marker starts with it)
    # The item after the quantity (the noun phrase that follows, see the module notes), cut from the
    # run after it (`after_item`): at a connecting word, without a leading 的 and a trailing 等.
    offset = 0
    if after_item:
        if _CONNECTOR_CHARS.search(after_item):
            for word in _CONNECTORS:
                pos = after_item.find(word)
                if pos > 0:
                    after_item = after_item[:pos]
        if after_item.startswith("的"):
            offset, after_item = 1, after_item[1:]
        if after_item.endswith("等"):
            after_item = after_item[:-1]
        after_item = after_item.strip()
        if after_item and not percent:
            return number, unit, at_least, after_item, q_start, q_end, q_start, q_end + offset + len(after_item)
    before_item, before_start = _item_before(norm, boundary, q_start)
    if before_item if after_item else (before_item or percent):
        return number, unit, at_least, before_item, q_start, q_end, before_start, q_end
    if after_item:
        return number, unit, at_least, after_item, q_start, q_end, q_start, q_end + offset + len(after_item)
    return number, unit, at_least, after_item, q_start, q_end, q_start, q_end
