"""Red / amber / green warning (三色预警) of each task from its latest progress report: a pure rule.

No database here: the input is the plan's tasks, the latest reports (one row per task, the
``REPORT_COLUMNS`` of :mod:`analysis.store`) and a reference date; the output is one row per
task (``STATUS_COLUMNS``). The rule is a small dataclass of parameters (:class:`RagRule`),
configurable per plan; its text for people is :meth:`RagRule.describe` (a ``Bilingual``).

The rule, first match wins:

1. reported **done** → green;
2. reported **delayed** → red;
3. reported **suspended** (暂缓) → amber (``RagRule.suspended``). A suspension is a decision of
   the leaders, not a slip: it is neither red (nobody is late) nor green (the task is not
   going forward). Amber keeps it on the agenda of every meeting, also past its deadline;
4. past its deadline (the deadline is before the reference date) and not done → red;
5. due within the window (the deadline is on the reference date or up to
   ``due_window_days`` after it) and not done → amber;
6. no report in the current period (the reference date's month, or quarter) → amber;
7. otherwise (not started or in progress, reported this period, not due soon) → green: on track.

A task without an explicit deadline runs to the end of the plan period: its deadline is the
plan's end (as everywhere in the dashboard). A task with no report at all counts as
``not_started``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Final

import pandas as pd

from analysis.vocab import DEFAULTS, Bilingual, PeriodKind, ProgressStatus, Rag

#: Columns of a progress report as the store returns them (latest reports, history).
REPORT_COLUMNS: Final = [
    "report_id", "task_id", "version", "status", "percent", "note", "evidence", "agency",
    "as_of", "period", "reported_at", "reported_by", "previous_report_id",
]
#: Columns of :func:`task_rag`'s result (``period``: the latest report's period, None if never reported).
STATUS_COLUMNS: Final = ["id", "status", "rag", "percent", "reported_at", "reported_by", "reason", "period"]

_MONTH_RE: Final = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
_QUARTER_RE: Final = re.compile(r"^(?P<year>\d{4})-Q(?P<quarter>[1-4])$")


def period_of(day: dt.date, kind: PeriodKind | str = PeriodKind.MONTH) -> str:
    """The reporting period a date falls in: ``2020-09`` (month) or ``2020-Q3`` (quarter)."""
    if PeriodKind(kind) == PeriodKind.QUARTER:
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}-{day.month:02d}"


def period_kind(period: str) -> PeriodKind | None:
    """The kind of a period written as ``2020-09`` or ``2020-Q3``; None when it is neither."""
    if _MONTH_RE.match(period):
        return PeriodKind.MONTH
    if _QUARTER_RE.match(period):
        return PeriodKind.QUARTER
    return None


def period_contains(period: str, day: dt.date) -> bool:
    """Whether ``day`` lies in ``period`` (a month or a quarter; False for anything else)."""
    kind = period_kind(period)
    return kind is not None and period_of(day, kind) == period


class RagReason(StrEnum):
    """Why a task got its colour (first matching step of the rule)."""

    DONE = "done"
    DELAYED = "delayed"
    SUSPENDED = "suspended"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NO_CURRENT_REPORT = "no_current_report"
    ON_TRACK = "on_track"


REASON_TEXT: Final[Mapping[RagReason, Bilingual]] = {
    RagReason.DONE: Bilingual("已完成", "done"),
    RagReason.DELAYED: Bilingual("报送为滞后", "reported delayed"),
    RagReason.SUSPENDED: Bilingual("暂缓", "suspended"),
    RagReason.OVERDUE: Bilingual("已过期限未完成", "past its deadline and not done"),
    RagReason.DUE_SOON: Bilingual("临近期限未完成", "due soon and not done"),
    RagReason.NO_CURRENT_REPORT: Bilingual("本期未报送进展", "no report in the current period"),
    RagReason.ON_TRACK: Bilingual("按计划推进", "on track"),
}

_PERIOD_WORD: Final = {PeriodKind.MONTH: ("月", "month"), PeriodKind.QUARTER: ("季度", "quarter")}

#: The rule as written on screen; ``{window}``, ``{period_zh}``, ``{period_en}`` and the suspended
#: colour are filled in by :meth:`RagRule.describe`.
RAG_RULE_TEXT: Final = Bilingual(
    "红灯：报送为滞后，或已过期限仍未完成。"
    "黄灯：{suspended_zh}期限在 {window} 天内仍未完成，或本{period_zh}（参照日期所在{period_zh}）未报送进展。"
    "绿灯：已完成，或按计划推进（本{period_zh}已报送、未滞后、不临近期限）。"
    "无明确期限的任务以规划期末为期限；从未报送的任务视为未启动。",
    "Red: reported delayed, or past its deadline and not done. "
    "Amber: {suspended_en}due within {window} days and not done, or no report in the current {period_en} "
    "(the {period_en} of the reference date). "
    "Green: done, or on track (reported this {period_en}, not delayed, not due soon). "
    "A task without an explicit deadline is due at the end of the plan period; a task never reported "
    "counts as not started.",
)


@dataclass(frozen=True)
class RagRule:
    """Parameters of the red/amber/green rule (stored per plan as JSON, see ``to_dict``)."""

    due_window_days: int = DEFAULTS.due_window_days
    period_kind: PeriodKind = PeriodKind.MONTH
    suspended: Rag = Rag.AMBER
    require_current_report: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.due_window_days, bool) or not isinstance(self.due_window_days, int) \
                or self.due_window_days < 0:
            raise ValueError(f"due_window_days must be a whole number of days ≥ 0, got {self.due_window_days!r}")
        object.__setattr__(self, "period_kind", PeriodKind(self.period_kind))
        object.__setattr__(self, "suspended", Rag(self.suspended))

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["period_kind"] = str(self.period_kind)
        data["suspended"] = str(self.suspended)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> RagRule:
        """A rule from stored settings; missing keys take their defaults, unknown keys are ignored."""
        data = data or {}
        known = {k: data[k] for k in ("due_window_days", "period_kind", "suspended", "require_current_report")
                 if k in data}
        try:
            return cls(**known)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise ValueError(f"invalid red/amber/green rule settings {dict(data)!r}: {exc}") from None

    def describe(self) -> Bilingual:
        """The rule in words, with this rule's parameters."""
        period_zh, period_en = _PERIOD_WORD[self.period_kind]
        suspended_zh = {Rag.RED: "", Rag.AMBER: "暂缓的任务；", Rag.GREEN: ""}[self.suspended]
        suspended_en = {Rag.RED: "", Rag.AMBER: "suspended; ", Rag.GREEN: ""}[self.suspended]
        text = RAG_RULE_TEXT.format(
            window=self.due_window_days, period_zh=period_zh, period_en=period_en,
            suspended_zh=suspended_zh, suspended_en=suspended_en,
        )
        if self.suspended == Rag.RED:
            text = Bilingual(text.zh + "暂缓的任务为红灯。", text.en + " Suspended tasks are red.")
        elif self.suspended == Rag.GREEN:
            text = Bilingual(text.zh + "暂缓的任务为绿灯。", text.en + " Suspended tasks are green.")
        if not self.require_current_report:
            text = Bilingual(text.zh + "（本方案不要求每期报送。）",
                             text.en + " (This plan does not require a report every period.)")
        return text


def _classify(
    status: ProgressStatus, deadline: dt.date, period: str | None, reference: dt.date, rule: RagRule,
) -> tuple[Rag, RagReason]:
    if status == ProgressStatus.DONE:
        return Rag.GREEN, RagReason.DONE
    if status == ProgressStatus.DELAYED:
        return Rag.RED, RagReason.DELAYED
    if status == ProgressStatus.SUSPENDED:
        return rule.suspended, RagReason.SUSPENDED
    days = (deadline - reference).days
    if days < 0:
        return Rag.RED, RagReason.OVERDUE
    if days <= rule.due_window_days:
        return Rag.AMBER, RagReason.DUE_SOON
    if rule.require_current_report and (period is None or period != period_of(reference, rule.period_kind)):
        return Rag.AMBER, RagReason.NO_CURRENT_REPORT
    return Rag.GREEN, RagReason.ON_TRACK


def _none_if_missing(value: object) -> object:
    return None if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)) else value


def task_rag(
    tasks: pd.DataFrame, reports: pd.DataFrame, reference: dt.date, rule: RagRule | None = None,
) -> pd.DataFrame:
    """One row per task (in the plan's order): id, status, rag, percent, reported_at, reported_by, reason,
    period (of the latest report; None when the task was never reported).

    ``tasks``: the plan's tasks (``task_id``, ``deadline``). ``reports``: at most one (the latest)
    report per task, columns as ``REPORT_COLUMNS`` (``task_id``, ``status``, ``percent``,
    ``period``, ``reported_at``, ``reported_by`` are read). ``reference``: the date the colours
    are for (a meeting date, today). A report for a task not in ``tasks`` is ignored.
    """
    rule = rule or RagRule()
    if reports["task_id"].duplicated().any():
        raise ValueError("reports must hold at most one (the latest) report per task")
    latest = {str(r["task_id"]): r for r in reports.to_dict("records")}
    rows: list[dict[str, object]] = []
    for task_id, deadline in tasks[["task_id", "deadline"]].itertuples(index=False):
        report = latest.get(str(task_id))
        status = ProgressStatus(report["status"]) if report else ProgressStatus.NOT_STARTED
        period = str(report["period"]) if report and _none_if_missing(report.get("period")) else None
        rag, reason = _classify(status, pd.Timestamp(deadline).date(), period, reference, rule)
        percent = _none_if_missing(report.get("percent")) if report else None
        rows.append({
            "id": str(task_id),
            "status": status,
            "rag": rag,
            "percent": None if percent is None else int(percent),  # type: ignore[call-overload]
            "reported_at": _none_if_missing(report.get("reported_at")) if report else None,
            "reported_by": _none_if_missing(report.get("reported_by")) if report else None,
            "reason": reason,
            "period": period,
        })
    frame = pd.DataFrame({column: pd.Series([row[column] for row in rows], dtype=object) for column in STATUS_COLUMNS})
    frame["percent"] = frame["percent"].astype("Int64")
    return frame
