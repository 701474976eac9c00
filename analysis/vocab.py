"""One vocabulary for the whole project: enums, the bilingual text type, shared defaults and patterns.

Every meaning that more than one module needs is written here once:

- ``Role``: an agency's part in a task (``lead`` 牵头 / ``support`` 配合).
- ``DeadlineKind``: how a task's deadline was read (``explicit`` date, runs to ``plan_end``, ``ongoing``).
- ``DueStatus``: a task's deadline relative to a reference (meeting) date.
- ``AgencyType``: what kind of body an agency is; ``unknown`` is reserved for unregistered labels.
- ``ProgressStatus`` and ``Rag``: reported progress and the red/amber/green warning derived from it.
- ``Lang``: the interface languages, Chinese first (the default).
- ``Bilingual``: one text in Chinese and English; every catalogue (i18n, import messages,
  metric explanations, reading rules) holds values of this type.
- ``Defaults``: the due window and the weight of a led task, used by the CLI, the app and the report.
- Text patterns shared by the readers: digits (ASCII and full-width), Chinese numerals, dashes,
  year ranges, outline numbering, brackets.

All enums are ``StrEnum``s, so a member *is* its string code: JSON output, DataFrame columns and
comparisons with the codes stored in files keep working unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Lang(StrEnum):
    """Interface languages; the first is the default."""

    ZH = "zh"
    EN = "en"


LANGUAGES: Final[tuple[str, ...]] = tuple(Lang)
DEFAULT_LANGUAGE: Final[str] = Lang.ZH.value


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One text in both interface languages."""

    zh: str
    en: str

    def __call__(self, lang: str = DEFAULT_LANGUAGE, **kwargs: object) -> str:
        """The text in ``lang`` (unknown languages fall back to Chinese), formatted with ``kwargs``."""
        text = self.en if lang == Lang.EN else self.zh
        return text.format(**kwargs) if kwargs else text

    def format(self, **kwargs: object) -> Bilingual:
        """Both texts formatted with the same arguments."""
        return Bilingual(self.zh.format(**kwargs), self.en.format(**kwargs))

    def pair(self) -> tuple[str, str]:
        return (self.zh, self.en)


class Role(StrEnum):
    """An agency's part in a task."""

    LEAD = "lead"  # 牵头单位
    SUPPORT = "support"  # 配合单位


ROLES: Final[tuple[str, ...]] = tuple(Role)


class DeadlineKind(StrEnum):
    """How a task's deadline was determined."""

    EXPLICIT = "explicit"  # a date read from the text (or the deadline column)
    PLAN_END = "plan_end"  # no date: the task runs to the end of the plan period
    ONGOING = "ongoing"  # wording such as 持续推进 / 长期 without a date


DEADLINE_KINDS: Final[tuple[str, ...]] = tuple(DeadlineKind)


class DueStatus(StrEnum):
    """A task's explicit deadline relative to a reference date (display order)."""

    OVERDUE = "overdue"  # before the reference date
    DUE_SOON = "due_soon"  # within the due window after it
    LATER = "later"  # after the window
    PLAN_END = "plan_end"  # no explicit deadline


DUE_STATUSES: Final[tuple[str, ...]] = tuple(DueStatus)


class AgencyType(StrEnum):
    """What kind of body an agency is (display order; ``unknown`` always last)."""

    GOVERNMENT_DEPARTMENT = "government_department"
    CENTRAL_BRANCH = "central_branch"
    PARTY_ORGAN = "party_organ"
    ENTERPRISE = "enterprise"
    COLLECTIVE = "collective"
    OTHER = "other"
    LOCAL_GOVERNMENT = "local_government"  # …人民政府, 街道, 乡镇 (inferred from the name)
    ZONE_AUTHORITY = "zone_authority"  # …管委会: development zone authority
    UNKNOWN = "unknown"  # a label that is not in the registry


AGENCY_TYPES: Final[tuple[str, ...]] = tuple(AgencyType)
# Codes allowed in a registry file: "unknown" is reserved for labels that are *not* registered.
REGISTRY_TYPES: Final[tuple[str, ...]] = tuple(t for t in AgencyType if t != AgencyType.UNKNOWN)


class ProgressStatus(StrEnum):
    """A task's reported progress (督查督办 statuses)."""

    NOT_STARTED = "not_started"  # 未启动
    IN_PROGRESS = "in_progress"  # 推进中
    DONE = "done"  # 已完成
    DELAYED = "delayed"  # 滞后
    SUSPENDED = "suspended"  # 暂缓


class Rag(StrEnum):
    """Red / amber / green warning (三色预警)."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


@dataclass(frozen=True)
class Defaults:
    """Shared defaults of every view: the CLI, the app and the report read these."""

    due_window_days: int = 30
    lead_weight: float = 2.0


DEFAULTS: Final = Defaults()


# --- shared text patterns ---------------------------------------------------------------
#: ASCII and full-width digits.
DIGITS: Final = "0-9０-９"
#: Chinese numerals as used in outline numbering and counts.
CN_NUMERALS: Final = "一二三四五六七八九十百千零〇两"
#: Every dash, tilde and word that joins the two ends of a range (2020－2022年, 2020至2022年).
RANGE_JOINERS: Final = "-－—–―~～〜至到"
_RANGE_CLASS: Final = "-－—–―~～〜"
OPEN_BRACKETS: Final = "（("
CLOSE_BRACKETS: Final = "）)"

#: A four-digit year (ASCII or full-width digits).
YEAR4: Final = rf"[{DIGITS}]{{4}}"
#: A year range such as 2020-2022年, 2020年－2022年, （2020—2022年）, 2020至2022年.
#: Groups ``start`` and ``end`` hold the two years.
YEAR_RANGE_RE: Final = re.compile(
    rf"(?<![{DIGITS}])(?P<start>{YEAR4})\s*年?\s*(?:[{_RANGE_CLASS}]+|至|到)\s*(?P<end>{YEAR4})\s*年"
)
#: A single year followed by 年 (2025年).
YEAR_RE: Final = re.compile(rf"(?<![{DIGITS}])(?P<year>{YEAR4})\s*年")

_FULLWIDTH_DIGITS: Final = str.maketrans("０１２３４５６７８９", "0123456789")


def ascii_digits(text: str) -> str:
    """``text`` with full-width digits replaced by ASCII ones."""
    return text.translate(_FULLWIDTH_DIGITS)


def year_range(text: str) -> tuple[int, int] | None:
    """The first year range in ``text`` as (start, end), or None."""
    m = YEAR_RANGE_RE.search(text)
    if m is None:
        return None
    return int(ascii_digits(m["start"])), int(ascii_digits(m["end"]))


def first_year(text: str) -> int | None:
    """The first ``NNNN年`` in ``text``, or None."""
    m = YEAR_RE.search(text)
    return int(ascii_digits(m["year"])) if m else None


#: Outline numbering at the start of a line, with its level (0 = 第一部分, 1 = 一、, 2 = （一）,
#: 3 = 1. / 1.1, 4 = （1） / 1）, 5 = ①). The first group holds the number as written.
OUTLINE_PATTERNS: Final[tuple[tuple[int, re.Pattern[str]], ...]] = (
    (0, re.compile(rf"^第\s*([{CN_NUMERALS}]+|[{DIGITS}]+)\s*(?:部分|篇|章)[、.．:：\s]*")),
    (1, re.compile(rf"^([{CN_NUMERALS}]+)\s*(?:、|[.．﹒](?![{DIGITS}]))\s*")),
    (2, re.compile(rf"^[（(]\s*([{CN_NUMERALS}]+)\s*[）)]\s*[、.．]?\s*")),
    (3, re.compile(rf"^([{DIGITS}]{{1,3}}(?:[.．][{DIGITS}]{{1,3}})+)(?![{DIGITS}])[.．、]?\s*")),
    (3, re.compile(rf"^([{DIGITS}]{{1,3}})\s*(?:、|[.．﹒](?![{DIGITS}]))\s*")),
    (4, re.compile(rf"^[（(]\s*([{DIGITS}]{{1,3}})\s*[）)]\s*")),
    (4, re.compile(rf"^([{DIGITS}]{{1,3}})\s*[）)]\s*")),
    (5, re.compile(r"^([\u2460-\u2473])\s*")),
)

#: A section heading of a task table (一、 / （一） / 第一部分 …), the levels above a task.
SECTION_HEADING_RE: Final = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|第[一二三四五六七八九十百]+[部分章节项篇])"
)


def outline_level(line: str) -> tuple[int, str, str] | None:
    """(level, number as written, rest of the line) for an outline-numbered line, else None."""
    for level, pattern in OUTLINE_PATTERNS:
        m = pattern.match(line)
        if m:
            return level, m.group(1), line[m.end():]
    return None


class PeriodKind(StrEnum):
    """How progress reporting is cut into periods: a report per month (2020-09) or per quarter (2020-Q3)."""

    MONTH = "month"
    QUARTER = "quarter"


PERIOD_KINDS: Final[tuple[str, ...]] = tuple(PeriodKind)
PROGRESS_STATUSES: Final[tuple[str, ...]] = tuple(ProgressStatus)


class AccessRole(StrEnum):
    """Who may change what in the workspace (branch auth, issue 18): a viewer reads; a reporter reports
    progress on the tasks its agencies lead or support; a coordinator (of one plan or of the whole
    workspace) adds plans and versions, records meetings and decisions and manages accounts; an admin
    may do everything."""

    VIEWER = "viewer"
    REPORTER = "reporter"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


ACCESS_ROLES: Final[tuple[str, ...]] = tuple(AccessRole)


class AuditAction(StrEnum):
    """The ``action`` column: what was done of the audit trail (``analysis.store.audit``; finer than the permission's ``analysis.store.access.Action``)."""

    ADD_PLAN = "add_plan"
    ADD_VERSION = "add_version"
    REMOVE_PLAN = "remove_plan"
    SET_RULE = "set_rule"
    REPORT = "report"
    IMPORT_REPORTS = "import_reports"
    MEETING_ADD = "meeting_add"
    MEETING_UPDATE = "meeting_update"
    MEETING_AGENDA = "meeting_agenda"
    MEETING_DECIDE = "meeting_decide"
    MEETING_REMOVE = "meeting_remove"
    ACCOUNT_ADD = "account_add"
    ACCOUNT_DISABLE = "account_disable"
    AGENCY_LINK = "agency_link"
    AGENCY_UNLINK = "agency_unlink"
    RESTORE = "restore"
