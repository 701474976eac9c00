"""Coordination meetings as pure logic: the agenda from the warnings, the plan as decided, follow-ups.

No database here (``analysis.store.meetings`` keeps meetings and decisions):

- :func:`build_agenda`: the tasks a meeting discusses, from the red/amber/green status of the
  meeting date (``analysis.progress.task_rag``) — red first, then amber, then tasks never
  reported, then tasks with an open follow-up of an earlier meeting; within each of these, grouped
  by lead agency (agencies in the plan's order, tasks in table order).
- :func:`apply_decisions`: the published plan with the meetings' decisions applied in order —
  new deadlines, new lead or support agencies. The published values stay in the columns
  ``published_deadline``, ``published_deadline_kind``, ``published_lead_text`` and
  ``published_support_text``; ``decided_by_meetings`` lists the meetings that changed a task.
- :func:`follow_ups`: each decision with a due date, open until the task is reported done or a
  later decision on the task replaces it.
- :func:`changes_since`: what changed between two meetings (tasks done, newly late, follow-ups
  carried out or not).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

import pandas as pd

from analysis.agencies import AgencyRegistry, load_registry
from analysis.model import Plan, _agency_table
from analysis.vocab import DeadlineKind, ProgressStatus, Rag, Role

#: Columns :func:`apply_decisions` adds to ``Plan.tasks`` when at least one decision applies.
DECIDED_COLUMNS: Final = [
    "published_deadline", "published_deadline_kind", "published_lead_text", "published_support_text",
    "decided_by_meetings",
]


class AgendaGroup(IntEnum):
    """Why a task is on the agenda, in the order the agenda shows them."""

    RED = 0
    AMBER = 1
    NO_REPORT = 2
    FOLLOW_UP = 3
    ADDED = 4  # added to the agenda by hand (or by a decision on it)


@dataclass(frozen=True)
class AgendaItem:
    task_id: str
    rag: Rag
    lead: str  # the task's first lead agency ("" when it has none)
    group: AgendaGroup


@dataclass(frozen=True)
class Decision:
    """A meeting's decision on one task. None: that part of the task is unchanged."""

    task_id: str
    meeting_id: int
    meeting_date: dt.date
    decision_id: int = 0
    deadline: dt.date | None = None
    lead: tuple[str, ...] | None = None
    support: tuple[str, ...] | None = None
    status: ProgressStatus | None = None
    note: str = ""
    follow_up_by: str = ""
    follow_up_due: dt.date | None = None
    decided_at: dt.datetime | None = None
    decided_by: str = ""

    @property
    def changes_plan(self) -> bool:
        return self.deadline is not None or self.lead is not None or self.support is not None


@dataclass(frozen=True)
class MeetingBrief:
    """A meeting as the meeting pack shows it: the agenda slide before, the decisions slide after."""

    title: str
    date: dt.date
    agenda: tuple[AgendaItem, ...]
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class FollowUp:
    decision: Decision
    done: bool
    overdue: bool  # open and past its due date on the reference date


# ------------------------------------------------------------------------------ agenda


def first_leads(plan: Plan) -> dict[str, str]:
    """task id → its first lead agency (by position)."""
    leads = plan.assignments.loc[plan.assignments["role"] == Role.LEAD].sort_values(["task_id", "position"],
                                                                                     kind="stable")
    return {str(t): str(a) for t, a in leads.drop_duplicates("task_id")[["task_id", "agency"]].itertuples(index=False)}


def agenda_group(rag: str, reported: bool, open_follow_up: bool) -> AgendaGroup | None:
    """Which part of the agenda a task belongs to (None: not on the agenda)."""
    if rag == Rag.RED:
        return AgendaGroup.RED
    if rag == Rag.AMBER:
        return AgendaGroup.AMBER
    if not reported:
        return AgendaGroup.NO_REPORT
    if open_follow_up:
        return AgendaGroup.FOLLOW_UP
    return None


def build_agenda(plan: Plan, status: pd.DataFrame, open_follow_ups: Collection[str] = ()) -> list[AgendaItem]:
    """The agenda of a meeting: ``status`` is ``task_rag``'s result on the meeting date;
    ``open_follow_ups`` the task ids with an open follow-up of an earlier meeting."""
    leads = first_leads(plan)
    agency_order = {str(a): i for i, a in enumerate(plan.agencies["agency"])}
    task_order = {str(t): i for i, t in enumerate(plan.tasks["task_id"])}
    follow = {str(t) for t in open_follow_ups}
    items: list[AgendaItem] = []
    for row in status.to_dict("records"):
        task_id = str(row["id"])
        reported = row["reported_at"] is not None and not pd.isna(row["reported_at"])
        group = agenda_group(str(row["rag"]), reported, task_id in follow)
        if group is not None:
            items.append(AgendaItem(task_id, Rag(row["rag"]), leads.get(task_id, ""), group))
    none_last = len(agency_order)
    items.sort(key=lambda i: (i.group, agency_order.get(i.lead, none_last) if i.lead else none_last + 1,
                              task_order.get(i.task_id, 0)))
    return items


def edit_agenda(agenda: Sequence[str], task_ids: Collection[str], *, add: Iterable[str] = (),
                drop: Iterable[str] = (), order: Sequence[str] | None = None) -> list[str]:
    """An edited agenda: ``order`` (a full new order), then ``drop``, then ``add`` (appended).

    Raises ValueError (Chinese and English) for a task the plan does not have."""
    result = list(order) if order is not None else list(agenda)
    unknown = [t for t in [*result, *add] if str(t) not in task_ids]
    if unknown:
        shown = ", ".join(map(str, unknown))
        raise ValueError(f"方案中没有任务：{shown} | no such task in the plan: {shown}")
    dropped = {str(t) for t in drop}
    result = [str(t) for t in dict.fromkeys(result) if str(t) not in dropped]
    for task in add:
        if str(task) not in result:
            result.append(str(task))
    return result


# ------------------------------------------------------------------------------ the plan as decided


def _resolved(names: Iterable[str], registry: AgencyRegistry) -> list[str]:
    out: list[str] = []
    for name in names:
        agency = registry.resolve(name.strip())
        if agency and agency not in out:
            out.append(agency)
    return out


def decided_hash(content_hash: str, decisions: Iterable[Decision]) -> str:
    """The content hash of a plan as decided: its published content hash and the decisions
    themselves (their content, not only their ids: ids start again at 1 in every workspace and a
    removed meeting's may be reused). Views of the plan are cached by it."""
    import hashlib

    decided = "\n".join(repr(d) for d in decisions)
    return hashlib.sha256(f"{content_hash}\0decided\0{decided}".encode()).hexdigest()


def apply_decisions(plan: Plan, decisions: Iterable[Decision], registry: AgencyRegistry | None = None) -> Plan:
    """The plan with ``decisions`` applied in order (a pure function: ``plan`` is not changed).

    A decision on a task the plan does not have (dropped in a later version) is skipped. With no
    decision that changes a deadline or an agency, ``plan`` itself is returned; otherwise the
    plan's ``content_hash`` is ``decided_hash(published hash, decisions)``.
    """
    decisions = tuple(decisions)
    relevant = [d for d in decisions if d.changes_plan and d.task_id in set(plan.tasks["task_id"].astype(str))]
    if not relevant:
        return plan
    registry = registry or load_registry()
    tasks = plan.tasks.copy()
    tasks["published_deadline"] = tasks["deadline"]
    tasks["published_deadline_kind"] = tasks["deadline_kind"]
    tasks["published_lead_text"] = tasks["lead_text"]
    tasks["published_support_text"] = tasks["support_text"]
    tasks["decided_by_meetings"] = [[] for _ in range(len(tasks))]
    index = {str(t): i for i, t in zip(tasks.index, tasks["task_id"], strict=True)}
    roles: dict[str, dict[Role, list[str]]] = {}
    changed_roles: set[str] = set()
    for task_id, agency, role in plan.assignments[["task_id", "agency", "role"]].itertuples(index=False):
        roles.setdefault(str(task_id), {Role.LEAD: [], Role.SUPPORT: []})[Role(role)].append(str(agency))
    for decision in relevant:
        at = index[decision.task_id]
        meetings = tasks.at[at, "decided_by_meetings"]
        if decision.meeting_id not in meetings:
            tasks.at[at, "decided_by_meetings"] = [*meetings, decision.meeting_id]
        if decision.deadline is not None:
            tasks.at[at, "deadline"] = pd.Timestamp(decision.deadline)
            tasks.at[at, "deadline_kind"] = DeadlineKind.EXPLICIT.value
        current = roles.setdefault(decision.task_id, {Role.LEAD: [], Role.SUPPORT: []})
        for role, names in ((Role.LEAD, decision.lead), (Role.SUPPORT, decision.support)):
            if names is None:
                continue
            chosen = _resolved(names, registry)
            other = Role.SUPPORT if role == Role.LEAD else Role.LEAD
            current[role] = chosen
            current[other] = [a for a in current[other] if a not in chosen]
            changed_roles.add(decision.task_id)
    assignments = plan.assignments
    if changed_roles:
        assignments = _reassigned(plan.assignments, roles, changed_roles, list(index))
        for task_id in changed_roles:
            tasks.at[index[task_id], "lead_text"] = "、".join(roles[task_id][Role.LEAD])
            tasks.at[index[task_id], "support_text"] = "、".join(roles[task_id][Role.SUPPORT])
    agencies = _agency_table(assignments, registry) if changed_roles else plan.agencies
    return dataclasses.replace(plan, tasks=tasks, assignments=assignments, agencies=agencies,
                               content_hash=decided_hash(plan.content_hash, decisions))


def _reassigned(assignments: pd.DataFrame, roles: dict[str, dict[Role, list[str]]], changed: set[str],
                order: list[str]) -> pd.DataFrame:
    """The assignments with the changed tasks' rows rebuilt from ``roles`` (table order kept)."""
    kept = assignments.loc[~assignments["task_id"].astype(str).isin(changed)]
    written = {(str(t), str(a)): str(w) for t, a, w in
               assignments[["task_id", "agency", "as_written"]].itertuples(index=False)}
    new_rows = [
        {"task_id": task_id, "agency": agency, "role": role.value, "position": position,
         "as_written": written.get((task_id, agency), agency), "etc": False}
        for task_id in changed for role in Role
        for position, agency in enumerate(roles[task_id][role], start=1)
    ]
    frame = pd.concat([kept, pd.DataFrame.from_records(new_rows, columns=list(assignments.columns))],
                      ignore_index=True)
    rank = {t: i for i, t in enumerate(order)}
    role_rank = {r.value: i for i, r in enumerate(Role)}
    frame = frame.assign(
        _task=frame["task_id"].astype(str).map(rank), _role=frame["role"].map(role_rank),
    ).sort_values(["_task", "_role", "position"], kind="stable").drop(columns=["_task", "_role"])
    frame["position"] = frame["position"].astype(int)
    frame["etc"] = frame["etc"].astype(bool)
    return frame.reset_index(drop=True)


# ------------------------------------------------------------------------------ follow-ups


def follow_ups(decisions: Sequence[Decision], status: pd.DataFrame, reference: dt.date) -> list[FollowUp]:
    """Each decision with a due date: done once the task is reported done (``status`` on
    ``reference``) or a later decision on the same task replaces it."""
    done_tasks = {str(r["id"]) for r in status.to_dict("records") if str(r["status"]) == ProgressStatus.DONE}
    result: list[FollowUp] = []
    for position, decision in enumerate(decisions):
        if decision.follow_up_due is None:
            continue
        replaced = any(later.task_id == decision.task_id and later.meeting_id != decision.meeting_id
                       for later in decisions[position + 1:])
        done = decision.task_id in done_tasks or replaced
        result.append(FollowUp(decision, done, not done and decision.follow_up_due < reference))
    return result


def open_follow_up_tasks(decisions: Sequence[Decision], status: pd.DataFrame, reference: dt.date) -> set[str]:
    return {f.decision.task_id for f in follow_ups(decisions, status, reference) if not f.done}


# ------------------------------------------------------------------------------ between meetings


@dataclass(frozen=True)
class MeetingChanges:
    """What changed between the previous meeting's date and this one's."""

    done: list[str]  # tasks reported done since
    newly_late: list[str]  # red now, not red then
    carried_out: list[FollowUp]  # the previous meeting's follow-ups now done
    not_carried_out: list[FollowUp]  # … still open


def changes_since(before: pd.DataFrame, now: pd.DataFrame, previous_decisions: Sequence[Decision],
                  later_decisions: Sequence[Decision], reference: dt.date) -> MeetingChanges:
    """``before`` / ``now``: ``task_rag`` on the previous and this meeting's dates;
    ``previous_decisions``: the previous meeting's; ``later_decisions``: every decision after them."""
    then = {str(r["id"]): r for r in before.to_dict("records")}
    done: list[str] = []
    late: list[str] = []
    for row in now.to_dict("records"):
        task_id = str(row["id"])
        old = then.get(task_id)
        if str(row["status"]) == ProgressStatus.DONE and (old is None or str(old["status"]) != ProgressStatus.DONE):
            done.append(task_id)
        if str(row["rag"]) == Rag.RED and (old is None or str(old["rag"]) != Rag.RED):
            late.append(task_id)
    ups = follow_ups([*previous_decisions, *later_decisions], now, reference)
    mine = {id(d) for d in previous_decisions}
    ours = [f for f in ups if id(f.decision) in mine]
    return MeetingChanges(done, late, [f for f in ours if f.done], [f for f in ours if not f.done])


# ------------------------------------------------------------------------------ tables for display


def _day(value: object) -> str:
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat() if not isinstance(value, dt.datetime) else value.date().isoformat()
    if isinstance(value, str) and value:
        return str(pd.Timestamp(value).date().isoformat())
    return ""


def agenda_table(plan: Plan, items: Sequence[AgendaItem], lang: str = "zh") -> pd.DataFrame:
    """The agenda as shown: order, task, colour, why it is on the agenda, lead, deadline (as decided
    and as published), text."""
    from analysis.i18n import label, t

    tasks = plan.tasks.set_index(plan.tasks["task_id"].astype(str))
    names = plan.agency_names(lang)
    has_published = "published_deadline" in tasks.columns
    rows = []
    for n, item in enumerate(items, start=1):
        task = tasks.loc[item.task_id] if item.task_id in tasks.index else None
        deadline = _day(task["deadline"]) if task is not None else ""
        published = _day(task["published_deadline"]) if task is not None and has_published else deadline
        rows.append({
            t("col_order", lang): n,
            t("col_task_id", lang): item.task_id,
            t("col_rag", lang): label(item.rag, lang),
            t("col_agenda_reason", lang): t(f"agenda_group_{item.group.name.lower()}", lang),
            t("col_lead", lang): names.get(item.lead, item.lead),
            t("col_deadline", lang): deadline,
            t("col_published_deadline", lang): published if published != deadline else "",
            t("col_text", lang): str(task["text"]) if task is not None else "",
        })
    columns = [t(k, lang) for k in ("col_order", "col_task_id", "col_rag", "col_agenda_reason", "col_lead",
                                    "col_deadline", "col_published_deadline", "col_text")]
    return pd.DataFrame.from_records(rows, columns=columns)


def decisions_table(decisions: Sequence[Decision], lang: str = "zh",
                    follow: Sequence[FollowUp] = ()) -> pd.DataFrame:
    """Decisions as shown: task, new deadline, new lead / support, status, note, follow-up and its state."""
    from analysis.i18n import label, t

    sep = "、" if lang != "en" else ", "
    state = {id(f.decision): f for f in follow}
    rows = []
    for d in decisions:
        up = state.get(id(d))
        rows.append({
            t("col_task_id", lang): d.task_id,
            t("col_new_deadline", lang): _day(d.deadline),
            t("col_new_lead", lang): sep.join(d.lead) if d.lead is not None else "",
            t("col_new_support", lang): sep.join(d.support) if d.support is not None else "",
            t("col_status", lang): label(d.status, lang) if d.status else "",
            t("col_decision_note", lang): d.note,
            t("col_follow_up_by", lang): d.follow_up_by,
            t("col_follow_up_due", lang): _day(d.follow_up_due),
            t("col_follow_up_state", lang): ("" if up is None else t(
                "follow_up_done" if up.done else "follow_up_overdue" if up.overdue else "follow_up_open", lang)),
        })
    columns = [t(k, lang) for k in ("col_task_id", "col_new_deadline", "col_new_lead", "col_new_support",
                                    "col_status", "col_decision_note", "col_follow_up_by", "col_follow_up_due",
                                    "col_follow_up_state")]
    return pd.DataFrame.from_records(rows, columns=columns)


def task_history_table(plan: Plan, task_id: str, meetings: Sequence[tuple[int, dt.date, str]],
                       decisions: Sequence[Decision], lang: str = "zh") -> pd.DataFrame:
    """The meetings that discussed a task (id, date, title), each with what it decided on the task;
    the first row is the task as published."""
    from analysis.i18n import t
    from analysis.minutes import decision_parts

    tasks = plan.tasks.set_index(plan.tasks["task_id"].astype(str))
    task = tasks.loc[str(task_id)]
    published = task["published_deadline"] if "published_deadline" in tasks.columns else task["deadline"]
    lead = task["published_lead_text"] if "published_lead_text" in tasks.columns else task["lead_text"]
    joiner = "；" if lang != "en" else "; "
    rows = [{t("col_meeting", lang): t("history_published", lang), t("col_deadline", lang): _day(published),
             t("col_lead", lang): str(lead), t("col_decision", lang): ""}]
    for meeting_id, date, title in meetings:
        mine = [d for d in decisions if d.meeting_id == meeting_id and d.task_id == str(task_id)]
        rows.append({
            t("col_meeting", lang): f"{date.isoformat()} {title}",
            t("col_deadline", lang): next((_day(d.deadline) for d in reversed(mine) if d.deadline), ""),
            t("col_lead", lang): next(("、".join(d.lead) for d in reversed(mine) if d.lead is not None), ""),
            t("col_decision", lang): joiner.join(p for d in mine for p in decision_parts(d, plan.tasks, lang))
            or t("history_discussed", lang),
        })
    columns = [t(k, lang) for k in ("col_meeting", "col_deadline", "col_lead", "col_decision")]
    return pd.DataFrame.from_records(rows, columns=columns)
