"""Shared links: the view state a URL carries, validated before any widget sees it.

A link is user input. Every parameter is checked against the plan on screen; a value that
cannot be used is dropped and said so, and a meeting date outside the date widget's range is
clamped into it (Streamlit's date widget raises on a value outside its bounds, which would
crash the page for everyone who opens the link).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from analysis.model import Plan
from analysis.vocab import LANGUAGES, ROLES, Bilingual

#: URL parameter → session-state key of the multiselect it fills.
LIST_PARAMS: dict[str, str] = {"agency": "f_agency", "type": "f_type", "theme": "f_theme", "role": "f_role"}
LANG_PARAM = "lang"
MEETING_PARAM = "meeting"
PRESENT_PARAM = "present"
#: How far before the plan start and after its end a meeting date may lie (the widget's range).
MEETING_MARGIN = dt.timedelta(days=3 * 365)
#: At most this many values of one list parameter are read (a filter of every agency is shorter).
MAX_VALUES = 2_000

_IGNORED = Bilingual("链接参数 {name}={value} 无法使用，已忽略。", "Link parameter {name}={value} cannot be used and was ignored.")
_CLAMPED = Bilingual(
    "链接中的会议日期 {value} 超出可选范围，已改为 {date}。",
    "The link's meeting date {value} is outside the allowed range and was changed to {date}.",
)


def _shift(date: dt.date, delta: dt.timedelta) -> dt.date:
    try:
        return date + delta
    except OverflowError:
        return dt.date.max if delta > dt.timedelta(0) else dt.date.min


def meeting_bounds(plan: Plan) -> tuple[dt.date, dt.date]:
    """The meeting dates a user may choose: the plan period widened by three years each way."""
    return _shift(plan.meta.period_start, -MEETING_MARGIN), _shift(plan.meta.period_end, MEETING_MARGIN)


def clamp_meeting(plan: Plan, date: dt.date) -> dt.date:
    """`date` moved into `meeting_bounds(plan)`."""
    low, high = meeting_bounds(plan)
    return min(max(date, low), high)


@dataclass(frozen=True)
class LinkState:
    """What a link asks for, every value usable on this plan."""

    lang: str | None = None
    lists: dict[str, list[str]] = field(default_factory=dict)  # session key → values
    meeting: dt.date | None = None
    present: bool = False
    notices: tuple[Bilingual, ...] = ()


def _shown(value: str, limit: int = 40) -> str:
    """A parameter value as quoted in a notice: printable and short."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in value)
    return printable if len(printable) <= limit else printable[: limit - 1] + "…"


def read_link(params: Mapping[str, Sequence[str]], plan: Plan) -> LinkState:
    """Validate the URL parameters (each name → its values, in order) against `plan`."""
    notices: list[Bilingual] = []

    def ignore(name: str, value: str) -> None:
        notices.append(_IGNORED.format(name=name, value=_shown(value)))

    def first(name: str) -> str | None:
        values = list(params.get(name, ()))
        return values[0] if values else None

    lang = first(LANG_PARAM)
    if lang is not None and lang not in LANGUAGES:
        ignore(LANG_PARAM, lang)
        lang = None

    valid: dict[str, Callable[[], set[str]]] = {
        "agency": lambda: {str(a) for a in plan.agencies["agency"]},
        "type": lambda: {str(t) for t in plan.agencies["type"].astype(str)},
        "theme": lambda: {str(t) for t in plan.themes["theme"]},
        "role": lambda: set(ROLES),
    }
    lists: dict[str, list[str]] = {}
    for name, key in LIST_PARAMS.items():
        values = list(params.get(name, ()))
        if not values:
            continue
        allowed = valid[name]()
        kept = list(dict.fromkeys(v for v in values[:MAX_VALUES] if v in allowed))
        dropped = [v for v in values[:MAX_VALUES] if v not in allowed]
        if dropped or len(values) > MAX_VALUES:
            ignore(name, dropped[0] if dropped else values[MAX_VALUES])
        if kept:
            lists[key] = kept

    meeting: dt.date | None = None
    written = first(MEETING_PARAM)
    if written is not None:
        try:
            asked = dt.date.fromisoformat(written.strip())
        except ValueError:
            ignore(MEETING_PARAM, written)
        else:
            meeting = clamp_meeting(plan, asked)
            if meeting != asked:
                notices.append(_CLAMPED.format(value=asked.isoformat(), date=meeting.isoformat()))

    present_value = first(PRESENT_PARAM)
    present = present_value == "1"
    if present_value not in (None, "0", "1"):
        ignore(PRESENT_PARAM, present_value)
    return LinkState(lang, lists, meeting, present, tuple(notices))


#: URL parameter of the workspace plan on screen (``?plan=3``).
PLAN_PARAM = "plan"


def read_plan_param(values: Sequence[str], plan_ids: Sequence[int]) -> tuple[int | None, tuple[Bilingual, ...]]:
    """The plan a link asks for: a plan id the workspace has, else None with a notice."""
    if not values:
        return None, ()
    written = values[0]
    try:
        plan_id = int(written.strip())
    except ValueError:
        plan_id = None
    if plan_id is None or plan_id not in plan_ids:
        return None, (_IGNORED.format(name=PLAN_PARAM, value=_shown(written)),)
    return plan_id, ()
