"""Read deadlines (时间节点) from the wording of a task.

A task such as "2020年8月底前，指导各市编制发布5G基站站址专项规划" names its own deadline;
most tasks name none and run to the end of the plan period; some are recurring
("定期更新", "滚动实施", "持续开展") and never really end.

Reading rules
-------------
* A date resolves to the LAST day of the period it names, and keeps the precision it
  was written with — precision is never invented:
  ``2020年8月15日`` → 2020-08-15 (day); ``2020年8月底前`` / ``8月前`` / ``8月末`` / ``8月`` →
  2020-08-31 (month); ``2021年一季度`` → 2021-03-31 (quarter); ``2021年上半年`` →
  2021-06-30 (half); ``到2022年`` / ``2022年底前`` / ``2022年年底`` / ``2022年内`` →
  2022-12-31 (year). ``上旬/中旬/下旬/初`` after a month keep month precision (month end).
  ``8-9月`` / ``8、9月`` → end of September (month). ``前三季度`` → Sep 30 (quarter).
* Phrases without a year (``年底前``, ``年内``, ``上半年``, ``三季度``, ``9月底前``) take
  ``default_year``. In :func:`read_deadline`, when ``default_year`` is None the plan's
  start year is used. :func:`read_milestones` has no plan, so with ``default_year=None``
  it drops year-less phrases (they cannot be resolved).
  Year-less phrases tied to another year are ignored: ``明年底``, ``每年年底``,
  ``每年一季度``, ``三年内`` (a duration), ``2020-2022年上半年``. ``今年/本年/当年`` count
  as the default year.
* Ignored, never taken for a date: year ranges ``2020-2022年`` / ``（2020—2022年）`` /
  ``2020年至2022年`` (ambiguous in task text); start points ``自2020年``, ``从2020年8月``,
  ``2020年起``, ``2020年以来``, ``2022年后``, ``2022年前后``; comparisons ``比2019年``,
  ``较2019年``, ``以2019年为基数``; impossible dates (``2020年13月``, ``2月30日``); years
  outside 1900–2199; a four-digit number not followed by 年; ``5G``, ``3.0``, ``500个``.
* Full-width digits (２０２０年) read like ASCII ones; years written ``二〇二〇年`` and
  Chinese-numeral months and days (``八月底前``, ``十二月``, ``八月十五日``) are read too.
  A Chinese-numeral month without a year needs a suffix (``八月底前``, ``十月份``) or a day.
* ``text`` is the phrase as written in the task, including a leading ``到/至/截至/截止``
  (``到2022年``) and the trailing ``底前/前/内`` it carries.
* Several dates in one text are all milestones (in text order); the deadline is the
  latest of them (the first one written wins a tie). Dates outside the plan period are
  kept as written — the caller warns.
* Recurring wording (定期, 滚动, 持续, 常态化, 长期, 长效, 每年, 每季度, 每月, 每半年, 每周,
  逐年, 动态更新, 动态调整, 不定期) sets ``ongoing``; without an explicit date the kind is
  then "ongoing", otherwise "plan_end". An explicit date wins over recurring wording
  (kind "explicit", ongoing True).
* Never raises on any str input.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import operator
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from analysis.vocab import DEADLINE_KINDS, DeadlineKind

PRECISIONS = ("day", "month", "quarter", "half", "year")
KINDS = DEADLINE_KINDS  # analysis.vocab.DeadlineKind, in one order for every module

MIN_YEAR = 1900
MAX_YEAR = 2199


class Milestone(NamedTuple):
    """A dated phrase of a text. Immutable records (named tuples: made in C, a large plan has
    hundreds of thousands), compared, hashed and shown by their fields."""

    date: datetime.date
    precision: str  # "day" | "month" | "quarter" | "half" | "year"
    text: str  # the phrase as written, e.g. "2020年8月底前"


class Deadline(NamedTuple):
    """What a task's text says of its deadline (see `read_deadline`)."""

    date: datetime.date  # latest explicit milestone, else plan_end
    kind: str  # an analysis.vocab.DeadlineKind code
    precision: str | None  # precision of the chosen milestone; None when not explicit
    text: str  # phrase of the chosen milestone, "" when none
    ongoing: bool  # recurring wording present
    milestones: tuple[Milestone, ...]  # all explicit dates found, in text order
    impossible: tuple[str, ...] = ()  # dates as written that do not exist (2021年2月30日), in text order


# ----------------------------------------------------------------------------- patterns

# Full-width digits are mapped one character to one character, so positions found in
# the normalised text index the original text as well.
_NORMALISE = str.maketrans("０１２３４５６７８９", "0123456789")
_FULL_WIDTH_DIGIT = re.compile("[０-９]")  # translating a text without one is a costly no-op


def _has_full_width_digit(text: str) -> bool:
    """Whether `text` holds a full-width digit: ten substring tests (a fast search each), far
    quicker than a regex scan of a long text (a joined column)."""
    return any(map(text.__contains__, "０１２３４５６７８９"))

_CN_DIGIT_VALUES = {
    "〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_YEAR_DIGITS = "".join(_CN_DIGIT_VALUES)
_CN_NUMERALS = _CN_YEAR_DIGITS + "十百千万两几数多半"
_S = r"[ \t\u3000]*"

# Never starting inside a run of spaces (the run's first space starts the same match): a
# start at each space of a long run would scan the rest of the run each time (quadratic).
_PREFIX = rf"(?![ \t\u3000](?<=[ \t\u3000]{{2}}))(?P<pre>截至|截止到|截止|到|至)?{_S}"
_YEAR = (
    rf"(?:(?<![0-9])(?P<y>[0-9]{{4}})|(?<![{_CN_NUMERALS}])(?P<yc>[{_CN_YEAR_DIGITS}]{{4}})){_S}年"
)
_YEAR_OPT = rf"(?:{_YEAR}{_S})?"
_MONTH = (
    rf"(?:(?<![0-9.])(?P<m>[0-9]{{1,2}})"
    rf"|(?<![{_CN_NUMERALS}])(?P<mc>十[一二]?|[一二三四五六七八九]))"
)
_DAY = r"(?:(?<![0-9.])(?P<d>[0-9]{1,2})|(?P<dc>三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]))"
_BEFORE = r"(?:以前|之前|前)"
_YEAR4 = rf"(?:[0-9]{{4}}|[{_CN_YEAR_DIGITS}]{{4}})"

# Order matters: earlier patterns claim their span first, later ones never match
# inside a claimed span (so "2021年上半年" is a half, not the year 2021). Written as text:
# each is compiled once, behind the lookahead of its first characters (`_starting_with`).
_RANGE_PATTERN = (
    rf"(?<![0-9{_CN_NUMERALS}]){_YEAR4}{_S}年?{_S}[-－—–~～〜至到]+{_S}{_YEAR4}{_S}年"
)
_DAY_PATTERN = rf"{_PREFIX}{_YEAR_OPT}{_MONTH}{_S}月{_S}{_DAY}{_S}[日号](?P<suf>{_BEFORE}?)"
_MONTH_RANGE_PATTERN = (
    rf"{_PREFIX}{_YEAR_OPT}(?<![0-9.])(?P<m1>[0-9]{{1,2}}){_S}[-－—–~～〜至到、]{_S}"
    rf"(?P<m>[0-9]{{1,2}}){_S}月(?P<suf>份?(?:底|末)?{_BEFORE}?)"
)
_MONTH_PATTERN = (
    rf"{_PREFIX}{_YEAR_OPT}{_MONTH}{_S}月"
    rf"(?P<suf>份?(?:底|末|初|上旬|中旬|下旬)?{_BEFORE}?)"
)
_QUARTER_PATTERN = (
    rf"{_PREFIX}{_YEAR_OPT}(?P<qp>第|前)?(?<![0-9{_CN_NUMERALS}])(?P<q>[一二三四1-4])(?P<ge>个)?季度"
    rf"(?P<suf>(?:末|底)?{_BEFORE}?)"
)
_HALF_PATTERN = rf"{_PREFIX}{_YEAR_OPT}(?P<h>[上下])半年(?P<suf>(?:末|底)?{_BEFORE}?)"
_YEAR_PATTERN = (
    rf"{_PREFIX}{_YEAR}(?P<suf>年?(?:底|末){_BEFORE}?|年?内|{_BEFORE})?"
)
_THIS_YEAR_PATTERN = rf"{_PREFIX}(?P<rel>今年|本年|当年)?年(?P<suf>(?:底|末){_BEFORE}?|内)"

_ONGOING_RE = re.compile(
    r"定期|滚动|持续|常态化|长期|长效|每年|每季度|每个季度|每月|每半年|每周|逐年|动态更新|动态调整"
)

# A date followed by one of these is a starting point or "after", not a deadline.
_START_SUFFIXES = ("起", "开始", "以来", "以后", "之后", "后", "至今")
# A date preceded by one of these is a starting point or a comparison base.
_START_PREFIXES = set("自从比较")
# Characters before a year-less phrase that tie it to another (unknown) year.
_RELATIVE_BLOCKERS = set("每明去后次翌上下前往近历同逐该")
_THIS_YEAR = set("今本当")
# Before a bare 年底/年内: a number (三年内, 2年内: durations) or a word ending in 年.
_NOT_THIS_YEAR = set(_CN_NUMERALS + "0123456789青少老中成周新跨")


# ----------------------------------------------------------------------------- helpers


@functools.lru_cache(maxsize=4096)  # a value of two small numbers (dates in a plan repeat)
def _last_day(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _cn_small(value: str) -> int:
    """Value of a Chinese numeral from 1 to 39 (十二, 二十五, 三十一)."""
    if not value:
        return 0
    if "十" not in value:
        return _CN_DIGIT_VALUES.get(value, 0)
    tens, _, units = value.partition("十")
    return (_CN_DIGIT_VALUES.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT_VALUES.get(units, 0) if units else 0)


# The helpers below read a match's groups by name with ``match.group`` (``groupdict`` builds a
# dict of every group, a cost at each date read): every pattern with a handler has the groups
# of _PREFIX (pre) and of _YEAR (y, yc), the day and month patterns those of _MONTH (m, mc) and
# the day pattern those of _DAY (d, dc).


def _year_of(match: re.Match[str]) -> int | None:
    """The year a match writes (groups y, yc), None when it writes none."""
    year = match.group("y")
    if year:
        return int(year)
    year = match.group("yc")
    if year:
        return int("".join(str(_CN_DIGIT_VALUES[c]) for c in year))
    return None


def _month_of(match: re.Match[str]) -> int:
    """The month a match writes (groups m, mc)."""
    month = match.group("m")
    if month:
        return int(month)
    return _cn_small(match.group("mc") or "")


def _day_of(match: re.Match[str]) -> int:
    """The day a match writes (groups d, dc)."""
    day = match.group("d")
    if day:
        return int(day)
    return _cn_small(match.group("dc") or "")


def _core_start(match: re.Match[str]) -> int:
    """Start of the date itself, after an optional 到/至 prefix and spaces (group pre)."""
    if match.group("pre"):
        return match.end("pre")
    return match.start()


def _blocked_as_start(text: str, match: re.Match[str]) -> bool:
    """自2020年 / 比2019年 / 以2019年为基数 / 2020年起 / 2022年以后: not deadlines (reads group pre)."""
    if not match.group("pre"):
        start = match.start()
        if start > 0 and text[start - 1] in _START_PREFIXES:
            return True
        if start > 0 and text[start - 1] == "以" and text.startswith("为", match.end()):
            return True  # 以2019年为基数 (but 可以2021年底前完成 is a deadline)
    return text.startswith(_START_SUFFIXES, match.end())


def _blocked_relative(text: str, start: int) -> bool:
    """A year-less phrase starting at `start` tied to another year (明年底, 每年一季度)."""
    if start <= 0:
        return False
    before = text[start - 1]
    if before == "年":
        return start < 2 or text[start - 2] not in _THIS_YEAR
    return before in _RELATIVE_BLOCKERS


def _ymd(year: int | None, default_year: int | None) -> int | None:
    if year is None:
        year = default_year
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return year


# Each handler returns (date, precision) or None when the match is not a usable date.
_Found = tuple[datetime.date, str] | None
_Handler = Callable[[str, re.Match[str], int | None], _Found]


def _handle_day(text: str, m: re.Match[str], default_year: int | None) -> _Found:
    year = _year_of(m)
    if year is None and _blocked_relative(text, _core_start(m)):
        return None
    year = _ymd(year, default_year)
    if year is None:
        return None
    return datetime.date(year, _month_of(m), _day_of(m)), "day"


def _handle_month_range(text: str, m: re.Match[str], default_year: int | None) -> _Found:
    year = _year_of(m)
    if year is None and _blocked_relative(text, _core_start(m)):
        return None
    first, last = int(m.group("m1")), int(m.group("m"))
    if not 1 <= first <= last <= 12:
        return None
    year = _ymd(year, default_year)
    if year is None:
        return None
    return _last_day(year, last), "month"


def _handle_month(text: str, m: re.Match[str], default_year: int | None) -> _Found:
    year = _year_of(m)
    if year is None:
        if m.group("mc") and not m.group("suf"):
            return None  # a bare 三月 without year or suffix is too loose
        if _blocked_relative(text, _core_start(m)):
            return None
    month = _month_of(m)
    if not 1 <= month <= 12:
        return None
    year = _ymd(year, default_year)
    if year is None:
        return None
    return _last_day(year, month), "month"


def _handle_quarter(text: str, m: re.Match[str], default_year: int | None) -> _Found:
    if m.group("ge") and m.group("qp") != "前":
        return None  # 三个季度: a duration
    year = _year_of(m)
    if year is None and _blocked_relative(text, _core_start(m)):
        return None
    q = m.group("q")
    quarter = int(q) if q.isdigit() else _CN_DIGIT_VALUES[q]
    year = _ymd(year, default_year)
    if year is None:
        return None
    return _last_day(year, quarter * 3), "quarter"


def _handle_half(text: str, m: re.Match[str], default_year: int | None) -> _Found:
    year = _year_of(m)
    if year is None and _blocked_relative(text, _core_start(m)):
        return None
    year = _ymd(year, default_year)
    if year is None:
        return None
    return _last_day(year, 6 if m.group("h") == "上" else 12), "half"


def _handle_year(text: str, m: re.Match[str], default_year: int | None) -> _Found:
    year = _ymd(_year_of(m), None)
    if year is None:
        return None
    return datetime.date(year, 12, 31), "year"


def _handle_this_year(text: str, m: re.Match[str], default_year: int | None) -> _Found:
    if not m.group("rel"):
        start = m.start("suf") - 1  # the 年
        if start > 0:
            before = text[start - 1]
            if before == "年" or before in _RELATIVE_BLOCKERS or before in _NOT_THIS_YEAR:
                return None  # 每年年底, 明年底, 三年内, 2年内, 青年内
    year = _ymd(None, default_year)
    if year is None:
        return None
    return datetime.date(year, 12, 31), "year"


# Characters a match can start with: an optional 截至/到/至 prefix or a space, then the date's
# first part. Each pattern below is wrapped in a lookahead for its set: a match is the same, but
# the engine rejects most positions of a text at one character instead of trying every
# alternative of the optional prefix and year there (about 3-5 times faster over task text).
_PREFIX_FIRST = "截到至 \t\u3000"
_YEAR_FIRST = "0-9" + _CN_YEAR_DIGITS
_CN_MONTH_FIRST = "十一二三四五六七八九"


def _starting_with(first: str, pattern: str) -> re.Pattern[str]:
    """`pattern` behind a lookahead that its first character is one of `first` (a class body), compiled."""
    return re.compile(f"(?=[{first}])(?:{pattern})")


# (text every match contains, a pattern every match contains too (None: no such test),
# pattern, handler). Cheap tests that skip a scan which cannot match: each pattern scan tries
# every position of the text, and most task text has no 日, 季度 or 半年.
# The tests are parts every match of the pattern contains (its lookbehinds left out: they only
# narrow it), so a text without one has no match: a test searches the text once, without the
# optional prefix and year each position of a full scan tries.
_PATTERNS: tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str], _Handler | None], ...] = (
    ("年", re.compile(rf"[-－—–~～〜至到]{_S}{_YEAR4}{_S}年"), _starting_with(_YEAR_FIRST, _RANGE_PATTERN), None),
    ("月", re.compile(rf"月{_S}(?:[0-9]{{1,2}}|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]){_S}[日号]"),
     _starting_with(_PREFIX_FIRST + _YEAR_FIRST + _CN_MONTH_FIRST, _DAY_PATTERN), _handle_day),
    ("月", re.compile(rf"[0-9]{_S}[-－—–~～〜至到、]{_S}[0-9]{{1,2}}{_S}月"),
     _starting_with(_PREFIX_FIRST + _YEAR_FIRST, _MONTH_RANGE_PATTERN), _handle_month_range),
    ("月", re.compile(rf"(?:[0-9]|十[一二]?|[一二三四五六七八九]){_S}月"),
     _starting_with(_PREFIX_FIRST + _YEAR_FIRST + _CN_MONTH_FIRST, _MONTH_PATTERN), _handle_month),
    ("季度", None, _starting_with(_PREFIX_FIRST + _YEAR_FIRST + "第前一二三四1-4", _QUARTER_PATTERN), _handle_quarter),
    ("半年", None, _starting_with(_PREFIX_FIRST + _YEAR_FIRST + "上下", _HALF_PATTERN), _handle_half),
    ("年", re.compile(rf"{_YEAR4}{_S}年"), _starting_with(_PREFIX_FIRST + _YEAR_FIRST, _YEAR_PATTERN), _handle_year),
    ("年", re.compile("年[底末内]"), _starting_with(_PREFIX_FIRST + "今本当年", _THIS_YEAR_PATTERN), _handle_this_year),
)
# Every pattern's text contains one of these: a text without any has no date at all.
_ANY_ANCHOR = re.compile("[年月季]")


# ----------------------------------------------------------------------------- API


def milestone_spans(text: str, *, default_year: int | None = None) -> list[tuple[int, int, Milestone]]:
    """Milestones with their (start, end) position in `text`, in text order.

    The building block of :func:`read_milestones`; :mod:`analysis.targets` uses the
    positions to find the year stated for a target.
    """
    return _scan(text, default_year)[0]


def year_spans(text: str) -> list[tuple[int, int, int]]:
    """``[(start, end, m.date.year) for start, end, m in milestone_spans(text)]`` for a text
    without full-width digits (the target reader's normalised text), without the milestones."""
    if not isinstance(text, str) or not _ANY_ANCHOR.search(text):
        return []
    # Claims do not overlap, so no two start at one position: sorted by start as in _scan.
    return sorted(
        (start, end, reading[0].year)
        for start, end, _, _, state, reading in _claims(text) if state == _READ and reading is not None
    )


def _scan(text: str, default_year: int | None) -> tuple[list[tuple[int, int, Milestone]], list[str]]:
    """The milestones with their positions, and the dates as written that do not exist."""
    if not isinstance(text, str) or not _ANY_ANCHOR.search(text):
        return [], []  # no 年, 月 or 季: no date (most phrases the target reader looks at)
    norm = text.translate(_NORMALISE) if _FULL_WIDTH_DIGIT.search(text) else text
    found: list[tuple[int, int, Milestone]] = []
    impossible: list[tuple[int, str]] = []
    for start, end, handler, match, state, reading in _claims(norm):
        if state == _NEEDS_DEFAULT_YEAR:
            if default_year is None:
                continue  # a year-less phrase reads as nothing without a default year
            try:
                result = handler(match.string, match, default_year)  # the clause it was found in (see _claims)
            except (ValueError, OverflowError, KeyError, TypeError):
                state = _IMPOSSIBLE
        else:
            result = reading
        if state == _IMPOSSIBLE:
            impossible.append((start, text[start:end].strip()))  # 2月30日 and the like
            continue
        if result is None:
            continue
        date, precision = result
        found.append((start, end, Milestone(date, precision, text[start:end].strip())))
    found.sort(key=lambda item: item[0])
    impossible.sort()
    return found, [written for _, written in impossible]


# How a claimed phrase reads (see _claims): its reading is known, it is a date that does not
# exist, or it has no year of its own and its handler reads it with the caller's default year.
_READ, _IMPOSSIBLE, _NEEDS_DEFAULT_YEAR = 0, 1, 2
_Claim = tuple[int, int, _Handler, re.Match[str], int, _Found]


# Characters that end a clause: no date phrase contains one, and none is a character the
# patterns, handlers and start tests look at around a phrase (a digit, a numeral, a space,
# 年, 以/为, a blocker, a start suffix): a clause's phrases and their readings are the same
# read alone as read in the text (each clause's found with positions in the clause).
_CLAUSE_END_RE = re.compile("[，。；]")
# Clauses up to this length are cached (a task's clauses are short; a long one is rarely
# repeated, and the caches stay small whatever is uploaded).
CACHED_CLAUSE_CHARS = 200


@functools.lru_cache(maxsize=64)
def _claims(norm: str) -> tuple[_Claim, ...]:
    """`_text_claims` of a normalised text, read a clause at a time (at its place in the text).

    A plan repeats clauses (2022年底前，…): each distinct clause is read once (`_clause_claims`,
    cached), and a clause without 年, 月 or 季 not at all. Claims are in clause order, each
    clause's in pattern order; the callers sort them by position. A match's string is its
    clause (the handlers read around the match there).
    """
    if not _CLAUSE_END_RE.search(norm):
        return _text_claims(norm)
    claims: list[_Claim] = []
    offset = 0
    for clause in _CLAUSE_END_RE.split(norm):
        if _ANY_ANCHOR.search(clause):
            found = _clause_claims(clause) if len(clause) <= CACHED_CLAUSE_CHARS else _text_claims(clause)
            for start, end, handler, match, state, reading in found:
                claims.append((start + offset, end + offset, handler, match, state, reading))
        offset += len(clause) + 1
    return tuple(claims)


@functools.lru_cache(maxsize=4096)
def _clause_claims(clause: str) -> tuple[_Claim, ...]:
    """`_text_claims` of one clause of at most CACHED_CLAUSE_CHARS (cached: plans repeat their date clauses)."""
    return _text_claims(clause)


def _text_claims(norm: str) -> tuple[_Claim, ...]:
    """The date phrases of a normalised text that a handler reads, in pattern order: (start,
    end, handler, match, state, reading).

    Which spans the patterns claim depends on the text alone, not on the default year: the
    import reads each task's text for its deadline (with the plan's year) and again for the
    years of its targets (with none), and this scan, the costly part, is done once for both.
    So is the reading of a phrase that writes its year (groups y, yc): no handler uses the
    default year for it (state _READ with the handler's result, or _IMPOSSIBLE when it raised).
    A year-less phrase is read by `_scan` with its default year (_NEEDS_DEFAULT_YEAR); with
    none, every handler reads it as nothing (``_ymd`` gives no year, and nothing before raises).
    Called by ``_scan`` only for a text with one of ``_ANY_ANCHOR``'s characters.
    """
    # Claimed spans, sorted and never overlapping: a new match is checked against its two
    # neighbours (checking every claimed span was quadratic in a text of many dates).
    starts: list[int] = []
    ends: list[int] = []
    claims: list[_Claim] = []
    for anchor, trigger, pattern, handler in _PATTERNS:
        if anchor not in norm or (trigger is not None and not trigger.search(norm)):
            continue  # most task text has no 日 or 季度: skip those scans
        has_year = "y" in pattern.groupindex
        for match in pattern.finditer(norm):
            start, end = match.span()
            index = bisect.bisect_right(starts, start)
            if start == end or (index and ends[index - 1] > start) or (index < len(starts) and starts[index] < end):
                continue
            starts.insert(index, start)
            ends.insert(index, end)
            if handler is None:
                continue  # a year range: claimed and ignored
            if _blocked_as_start(norm, match):
                continue
            state, reading = _NEEDS_DEFAULT_YEAR, None
            if has_year and (match.group("y") or match.group("yc")):
                try:
                    state, reading = _READ, handler(norm, match, None)
                except (ValueError, OverflowError, KeyError, TypeError):
                    state = _IMPOSSIBLE
            claims.append((start, end, handler, match, state, reading))
    return tuple(claims)


def read_milestones(text: str, *, default_year: int | None = None) -> tuple[Milestone, ...]:
    """All explicit dates in `text`, in text order.

    Year-less phrases (年底前, 上半年, 9月底前) take `default_year`; with
    `default_year=None` they are dropped.
    """
    return tuple(milestone for _, _, milestone in milestone_spans(text, default_year=default_year))


def is_ongoing(text: str) -> bool:
    """Whether the text uses recurring wording (定期更新, 滚动实施, 持续开展, 每年 ...)."""
    return isinstance(text, str) and _ONGOING_RE.search(text) is not None


def read_deadline(
    text: str,
    *,
    plan_start: datetime.date,
    plan_end: datetime.date,
    default_year: int | None = None,
) -> Deadline:
    """The deadline of a task: its latest explicit milestone, else the plan end.

    Year-less phrases take `default_year`, or the plan's start year when it is None.
    """
    if not isinstance(text, str):  # a missing cell arrives as NaN
        text = ""  # type: ignore[unreachable]
    if default_year is None:
        default_year = getattr(plan_start, "year", None)
    spans, impossible = _scan(text, default_year)
    milestones = tuple(milestone for _, _, milestone in spans)
    ongoing = is_ongoing(text)
    if milestones:
        chosen = milestones[0]
        for milestone in milestones[1:]:
            if milestone.date > chosen.date:
                chosen = milestone
        return Deadline(
            chosen.date, DeadlineKind.EXPLICIT.value, chosen.precision, chosen.text, ongoing, milestones,
            tuple(impossible),
        )
    kind = DeadlineKind.ONGOING if ongoing else DeadlineKind.PLAN_END
    return Deadline(plan_end, kind.value, None, "", ongoing, (), tuple(impossible))


# ----------------------------------------------------------------------------- column API
#
# An import reads the deadline of every task: the column readers below read a whole column of
# texts in a few regex passes over one string instead of a scan (and its Python) per text.
#
# The texts are joined with "\n". A line break is a hard bound for every rule here: no pattern
# matches one (their classes are digits, numerals, spaces [ \t\u3000], 年月日号, prefixes and
# suffixes), every lookbehind of a pattern fails on one as at the start of a string, and no
# handler or start test looks for one (the start prefixes 自从比较, 以…为, the start suffixes,
# the relative blockers and 年, _NOT_THIS_YEAR): what a handler sees before or after a "\n" reads
# as the start or end of its text. So a text's phrases read in the joined string are those it
# has read alone, at its offset — and a text holding a line break itself reads the same split
# there. Clause ends (，。；) are hard bounds too (see _CLAUSE_END_RE), so only the clauses with
# 年, 月 or 季 are joined and scanned: a task's date is in one short clause of it.

# A clause (from after a clause end or line break to the next) holding 年, 月 or 季, behind the
# bound it follows: it begins with a character class, so the engine skips to each bound at C speed.
_ANCHOR_CLAUSE_RE = re.compile("[，。；\n][^，。；\n年月季]*+[年月季][^，。；\n]*+")

# Where a start suffix (_START_SUFFIXES) begins, every such position (a lookahead: 后 in 以后 too).
_START_SUFFIX_AT = re.compile("(?=" + "|".join(_START_SUFFIXES) + ")")
# A character that makes a phrase right after it a start or comparison (_blocked_as_start).
_START_PREFIX_CHAR = re.compile("[" + "".join(sorted(_START_PREFIXES)) + "以]")

# A claim with a handler as the column readers keep it: (start, end in the joined texts, own year
# written, impossible, reading).
_ColumnClaim = tuple[int, int, bool, bool, _Found]


def _column_claims(raw: str, default_year: int | None) -> list[_ColumnClaim]:
    """The claims with a handler of the texts joined with "\n" in `raw` (behind a leading "\n"),
    read with `default_year` (None: year-less phrases are dropped) as `_scan` reads each text's,
    sorted by start (positions in `raw`)."""
    # Each clause with 年, 月 or 季 behind the bound before it (a clause end or line break, a
    # hard bound too): joined as they are, they read as each alone.
    matches = list(_ANCHOR_CLAUSE_RE.finditer(raw))
    if not matches:
        _LAST_COLUMN[:] = [(raw, default_year, [])]
        return []
    clauses = [match.group() for match in matches]
    if _has_full_width_digit(raw):
        clauses = [c.translate(_NORMALISE) if _FULL_WIDTH_DIGIT.search(c) else c for c in clauses]
    clause_starts = [match.start() for match in matches]
    bisect_right = bisect.bisect_right
    if CACHED_CLAUSE_CHARS <= 0:
        claims, bounds = _joined_clause_claims(clauses, default_year)
        shifts = list(map(operator.sub, clause_starts, bounds))  # joined clauses → `raw`
        found = [
            (start + shift, end + shift, own_year, impossible, reading)
            for start, end, own_year, impossible, reading in claims
            for shift in (shifts[bisect_right(bounds, start) - 1],)
        ]
    else:
        # As the per-text reader caches the claims of a clause of up to CACHED_CLAUSE_CHARS (a plan
        # repeats its date clauses), each such distinct clause is read once (behind a "\n": the
        # bound before a clause does not change its claims).
        # A long clause is read where it is, as the per-text reader reads it uncached (its bound
        # kept: equal long clauses read alike, so they are read once too).
        # A short clause's key is the clause without its bound (one new string, not two), a long
        # one's the clause itself: longer than any short key, so no key is both.
        limit = CACHED_CLAUSE_CHARS + 1  # (its bound too)
        keys = [clause[1:] if len(clause) <= limit else clause for clause in clauses]
        read_keys = list(dict.fromkeys(keys))
        number = dict(zip(read_keys, range(len(read_keys))))
        read_clauses = ["\n" + key if len(key) <= CACHED_CLAUSE_CHARS else key for key in read_keys]  # the clauses read
        claims, bounds = _joined_clause_claims(read_clauses, default_year)
        of_clause: list[list[_ColumnClaim]] = [[] for _ in read_clauses]  # each read clause's, from its start
        for start, end, own_year, impossible, reading in claims:
            index = bisect_right(bounds, start) - 1
            offset = bounds[index]
            of_clause[index].append((start - offset, end - offset, own_year, impossible, reading))
        found = [
            (start + clause_start, end + clause_start, own_year, impossible, reading)
            for clause_start, read in zip(clause_starts, map(of_clause.__getitem__, map(number.__getitem__, keys)))
            for start, end, own_year, impossible, reading in read
        ]
    _LAST_COLUMN[:] = [(raw, default_year, found)]
    return found


def _joined_clause_claims(clauses: list[str], default_year: int | None) -> tuple[list[_ColumnClaim], list[int]]:
    """The claims with a handler of `clauses` (normalised, each behind the bound before it) joined,
    read as `_column_claims` reads them, sorted by start; and where each clause starts in the join."""
    joined = "".join(clauses)
    bounds = list(itertools.accumulate(map(len, clauses), initial=0))  # where each clause starts in `joined`
    bounds.pop()
    found: list[_ColumnClaim] = []
    # Claimed spans of the patterns before the current one (positions in `joined`), sorted; they
    # never overlap, so their starts and ends sort alike.
    starts: list[int] = []
    ends: list[int] = []
    bisect_right = bisect.bisect_right
    for anchor, trigger, pattern, handler in _PATTERNS:
        if anchor not in joined or (trigger is not None and not trigger.search(joined)):
            continue
        # The clauses a match can be in (holding the anchor and the trigger's part), joined: most
        # clauses have no 日, 季度 or 半年, and a scan costs at every digit and numeral.
        subset = [] if 2 * joined.count(anchor) >= len(clauses) else sorted(
            {bisect_right(bounds, hit.start()) - 1 for hit in (trigger or _literal(anchor)).finditer(joined)}
        )
        if subset:
            parts = [clauses[index] for index in subset]
            text = "".join(parts)
            sub_bounds = list(itertools.accumulate(map(len, parts), initial=0))
            sub_bounds.pop()
            sub_shifts: list[int] | None = list(map(operator.sub, [bounds[index] for index in subset], sub_bounds))
        else:
            text, sub_shifts = joined, None
        has_year = "y" in pattern.groupindex
        # `_blocked_as_start` as two set lookups: where a start suffix begins, and the positions
        # after a start prefix (自从比较, or 以 when 为 follows the phrase).
        suffix_at = {hit.start() for hit in _START_SUFFIX_AT.finditer(text)}
        after_prefix = {hit.end() for hit in _START_PREFIX_CHAR.finditer(text)}
        new_starts: list[int] = []
        new_ends: list[int] = []
        for match in pattern.finditer(text):
            start, end = match_start, match_end = match.span()
            if start == end:
                continue
            if sub_shifts is not None:
                shift = sub_shifts[bisect_right(sub_bounds, start) - 1]
                start += shift  # in `joined`
                end += shift
            index = bisect_right(ends, start)
            if index < len(starts) and starts[index] < end:
                continue  # inside a phrase an earlier pattern claimed
            new_starts.append(start)
            new_ends.append(end)
            if handler is None:
                continue
            if match_end in suffix_at or (
                match_start in after_prefix and not match.group("pre")
                and (text[match_start - 1] != "以" or text.startswith("为", match_end))
            ):
                continue  # _blocked_as_start
            own_year = has_year and any(match.group("y", "yc"))
            if not own_year and default_year is None:
                continue  # a year-less phrase reads as nothing without a default year
            impossible = False
            try:
                reading = handler(text, match, None if own_year else default_year)
            except (ValueError, OverflowError, KeyError, TypeError):
                impossible, reading = True, None
            if reading is None and not impossible:
                continue
            found.append((start, end, own_year, impossible, reading))
        if new_starts:
            starts = sorted(starts + new_starts) if starts else new_starts
            ends = sorted(ends + new_ends) if ends else new_ends
    found.sort()
    return found, bounds


# The last column read (`raw`, default year, claims): the import reads a column's deadlines and
# then the years of its targets (`own_year_dates`, own years only, which no default year
# changes) from the same texts — one scan for both, as `_claims` shares a text's. Kept until the
# next column is read or its years are (then dropped).
_LAST_COLUMN: list[tuple[str, int | None, list[_ColumnClaim]]] = []


@functools.lru_cache(maxsize=8)
def _literal(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text))


JoinedColumn = tuple[str, list[int]]  # `joined_column` of a column's texts


def joined_column(texts: list[str]) -> JoinedColumn:
    """The texts joined with "\n" behind a leading "\n", and where each starts there. (The
    import joins its task texts once for both column readers: `read_deadlines`, and
    `analysis.targets.read_target_dicts_many`.)"""
    text_starts = list(itertools.accumulate(map(operator.add, map(len, texts), itertools.repeat(1)), initial=1))
    text_starts.pop()
    return "\n" + "\n".join(texts), text_starts


def _column_texts(texts: Sequence[object]) -> list[str]:
    """The texts of a column, a value that is not a str read as "" (a missing cell arrives as NaN)."""
    return [text if isinstance(text, str) else "" for text in texts]


_EXPLICIT = DeadlineKind.EXPLICIT.value
_ONGOING = DeadlineKind.ONGOING.value
_PLAN_END = DeadlineKind.PLAN_END.value


def read_deadlines(
    texts: Sequence[str],
    *,
    plan_start: datetime.date,
    plan_end: datetime.date,
    default_year: int | None = None,
    joined: JoinedColumn | None = None,
) -> list[Deadline]:
    """``[read_deadline(text, plan_start=…, plan_end=…, default_year=…) for text in texts]``, read
    as one column (a few regex passes over the joined texts; see the notes above). `joined`:
    ``joined_column(texts)`` when the caller has it (the texts then all str)."""
    if default_year is None:
        default_year = getattr(plan_start, "year", None)
    raw, text_starts = joined if joined is not None else joined_column(_column_texts(texts))
    claims = _column_claims(raw, default_year)
    # A text without a date: one Deadline per ongoing value, shared (immutable: the same value).
    plain = Deadline(plan_end, _PLAN_END, None, "", False, (), ())
    recurring = Deadline(plan_end, _ONGOING, None, "", True, (), ())
    ongoing = _column_ongoing(raw, text_starts)
    deadlines = [recurring if is_recurring else plain for is_recurring in ongoing]
    # The claims are sorted: each text's are a run of them, read into its Deadline. The values are
    # made with `tuple.__new__` and their fields in order, as a named tuple's own __new__ makes them
    # (a Python function around that call: a frame for each of hundreds of thousands of values).
    new = tuple.__new__
    count, index = len(claims), 0
    # The owners of sorted claims are in order: each found by walking on from the last, a step at
    # a time (most texts with a date are one text on; a bisection took three times as long),
    # until the sentinel past every claim.
    starts = [*text_starts, len(raw)]
    owner = -1
    while index < count:
        start, end, _, _, reading = claims[index]
        owner += 1  # the last text starting at or before the claim
        limit = starts[owner + 1]
        while limit <= start:
            owner += 1
            limit = starts[owner + 1]
        index += 1
        if index == count or claims[index][0] >= limit:  # one date (most texts with one)
            written = raw[start:end].strip()
            if reading is None:
                is_recurring = ongoing[owner]
                deadlines[owner] = new(Deadline, (
                    plan_end, _ONGOING if is_recurring else _PLAN_END, None, "", is_recurring, (), (written,)
                ))
            else:
                date, precision = reading
                deadlines[owner] = new(Deadline, (
                    date, _EXPLICIT, precision, written, ongoing[owner], (new(Milestone, (date, precision, written)),), ()
                ))
            continue
        run = index - 1  # several dates: the text's claims are from here to its limit
        while index < count and claims[index][0] < limit:
            index += 1
        milestones: list[Milestone] = []
        impossible: list[str] = []
        for start, end, _, _, reading in claims[run:index]:
            if reading is None:  # is_impossible
                impossible.append(raw[start:end].strip())
            else:
                milestones.append(new(Milestone, (reading[0], reading[1], raw[start:end].strip())))
        is_recurring = ongoing[owner]
        if not milestones:
            deadlines[owner] = new(Deadline, (
                plan_end, _ONGOING if is_recurring else _PLAN_END, None, "", is_recurring, (), tuple(impossible)
            ))
            continue
        chosen = milestones[0]
        for milestone in milestones[1:]:
            if milestone.date > chosen.date:
                chosen = milestone
        deadlines[owner] = new(Deadline, (
            chosen.date, _EXPLICIT, chosen.precision, chosen.text, is_recurring, tuple(milestones), tuple(impossible)
        ))
    return deadlines


def _column_ongoing(raw: str, text_starts: list[int]) -> list[bool]:
    """``[is_ongoing(text) for text in texts]`` of the texts joined in `raw` (`joined_column`): one pass (no
    recurring word holds a line break)."""
    ongoing = [False] * len(text_starts)
    starts = [*text_starts, len(raw)]  # and a sentinel past every match
    owner = 0  # the text of the last match (the matches come in order: walked on, as in read_deadlines)
    for match in _ONGOING_RE.finditer(raw):
        at = match.start()
        while starts[owner + 1] <= at:
            owner += 1
        ongoing[owner] = True
    return ongoing


def year_spans_many(texts: Sequence[str]) -> list[list[tuple[int, int, int]]]:
    """``[year_spans(text) for text in texts]``, full-width digits read as ASCII ones (year_spans
    expects texts without them), read as one column: each text's dates that carry their own year,
    (start, end, year)."""
    column = _column_texts(texts)
    raw, text_starts = joined_column(column)
    spans: list[list[tuple[int, int, int]]] = [[] for _ in column]
    bisect_right = bisect.bisect_right
    for start, end, year in zip(*own_year_dates(raw), strict=True):
        owner = bisect_right(text_starts, start) - 1
        offset = text_starts[owner]
        spans[owner].append((start - offset, end - offset, year))
    return spans


def own_year_dates(raw: str) -> tuple[list[int], list[int], list[int]]:
    """The dates that carry their own year of the texts joined in `raw` (`joined_column`), sorted:
    their starts, ends (positions in `raw`) and years."""
    try:
        last = _LAST_COLUMN[0]  # one read: another thread may replace or drop it meanwhile
    except IndexError:
        last = None
    # The deadlines' scan of these texts, else a scan.
    claims = last[2] if last is not None and last[0] == raw else _column_claims(raw, None)
    _LAST_COLUMN.clear()  # the column's texts are not kept
    starts: list[int] = []
    ends: list[int] = []
    years: list[int] = []
    add_start, add_end, add_year = starts.append, ends.append, years.append  # (one pass, no tuple per date)
    for start, end, own, _, reading in claims:
        if own and reading is not None:  # (an impossible date reads None)
            add_start(start)
            add_end(end)
            add_year(reading[0].year)
    return starts, ends, years
