"""Coordination meetings in the workspace: meeting records, their agendas, append-only decisions.

    book = ws.meetings                                   # analysis.store.meetings.Meetings
    meeting = book.add(plan_id, dt.date(2020, 9, 15), actor="王伟")   # agenda from the warnings
    book.set_agenda(meeting.meeting_id, ["3", "1"], actor="王伟")
    book.decide(meeting.meeting_id, "3", deadline=dt.date(2020, 12, 31), note="…", actor="王伟")
    ws.load_plan(plan_id)                                # the plan as decided (decided=False: as published)

Every write is one transaction. A decision with a status also saves a progress report on the
task (in the same transaction), so the red/amber/green warning follows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.meetings import (
    AgendaGroup,
    AgendaItem,
    Decision,
    FollowUp,
    MeetingBrief,
    MeetingChanges,
    build_agenda,
    changes_since,
    edit_agenda,
    first_leads,
    follow_ups,
    open_follow_up_tasks,
)
from analysis.progress import RagRule, period_of
from analysis.store import audit
from analysis.store.access import Account, Action, check
from analysis.store.accounts import resolve
from analysis.store.models import MeetingDecisionRow, MeetingRow, PlanRow, ProgressReportRow, utcnow
from analysis.store.workspace import WorkspaceError
from analysis.vocab import Bilingual, ProgressStatus, Rag

if TYPE_CHECKING:
    from analysis.store.workspace import Workspace

LIMITS: Final = {"title": 500, "place": 500, "follow_up_by": 200, "attendee": 200}


@dataclass(frozen=True)
class Meeting:
    meeting_id: int
    plan_id: int
    date: dt.date
    title: str
    place: str
    attendees: tuple[str, ...]
    agenda: tuple[str, ...]
    created_at: dt.datetime
    created_by: str

    @classmethod
    def from_row(cls, row: MeetingRow) -> Meeting:
        return cls(row.id, row.plan_id, row.date, row.title, row.place, tuple(row.attendees or ()),
                   tuple(str(t) for t in row.agenda or ()), row.created_at, row.created_by)


def _decision(row: MeetingDecisionRow, meeting_date: dt.date) -> Decision:
    return Decision(
        task_id=row.task_key, meeting_id=row.meeting_id, meeting_date=meeting_date, decision_id=row.id,
        deadline=row.deadline, lead=tuple(row.lead) if row.lead is not None else None,
        support=tuple(row.support) if row.support is not None else None,
        status=ProgressStatus(row.status) if row.status else None, note=row.note, follow_up_by=row.follow_up_by,
        follow_up_due=row.follow_up_due, decided_at=row.decided_at, decided_by=row.decided_by,
    )


def plan_decisions(session: Session, plan_id: int, as_of: dt.date | None = None) -> list[Decision]:
    """Every decision on the plan in the order it was taken (of meetings on or before ``as_of``)."""
    query = (select(MeetingDecisionRow, MeetingRow.date).join(MeetingRow, MeetingRow.id == MeetingDecisionRow.meeting_id)
             .where(MeetingDecisionRow.plan_id == plan_id))
    if as_of is not None:
        query = query.where(MeetingRow.date <= as_of)
    rows = session.execute(query.order_by(MeetingRow.date, MeetingDecisionRow.id)).all()
    return [_decision(row, date) for row, date in rows]


def default_title(date: dt.date, lang: str = "zh") -> str:
    from analysis.i18n import t
    from analysis.minutes import long_date

    return t("meeting_default_title", lang, date=long_date(date, lang))


class MeetingNotFoundError(WorkspaceError):
    def __init__(self, meeting_id: int) -> None:
        self.meeting_id = meeting_id
        super().__init__(Bilingual(f"工作区中没有会议 {meeting_id}", f"no meeting {meeting_id} in the workspace"))


def _meeting_audit(meeting: Meeting) -> dict[str, object]:
    return {"meeting_id": meeting.meeting_id, "date": meeting.date, "title": meeting.title, "place": meeting.place,
            "attendees": meeting.attendees, "agenda": meeting.agenda}


def _error(zh: str, en: str) -> WorkspaceError:
    return WorkspaceError(Bilingual(zh, en))


class Meetings:
    """The meetings of the workspace's plans (``Workspace.meetings``)."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self._sessions = workspace._sessions

    # -------------------------------------------------------------- reading

    @staticmethod
    def _row(session: Session, meeting_id: int) -> MeetingRow:
        row = session.get(MeetingRow, meeting_id)
        if row is None:
            raise MeetingNotFoundError(meeting_id)
        return row

    def get(self, meeting_id: int) -> Meeting:
        with self._sessions() as session:
            return Meeting.from_row(self._row(session, meeting_id))

    def of_plan(self, plan_id: int) -> list[Meeting]:
        """The plan's meetings, earliest first."""
        with self._sessions() as session:
            self.ws._plan(session, plan_id)
            rows = session.scalars(select(MeetingRow).where(MeetingRow.plan_id == plan_id)
                                   .order_by(MeetingRow.date, MeetingRow.id)).all()
            return [Meeting.from_row(r) for r in rows]

    def previous(self, meeting_id: int) -> Meeting | None:
        """The plan's meeting before this one (by date, then by number)."""
        meeting = self.get(meeting_id)
        earlier = [m for m in self.of_plan(meeting.plan_id)
                   if (m.date, m.meeting_id) < (meeting.date, meeting.meeting_id)]
        return earlier[-1] if earlier else None

    def decisions(self, plan_id: int, *, meeting_id: int | None = None, task_id: str | None = None,
                  as_of: dt.date | None = None) -> list[Decision]:
        """The plan's decisions in order (of one meeting, on one task, of meetings up to ``as_of``)."""
        with self._sessions() as session:
            self.ws._plan(session, plan_id)
            found = plan_decisions(session, plan_id, as_of)
        return [d for d in found if (meeting_id is None or d.meeting_id == meeting_id)
                and (task_id is None or d.task_id == str(task_id))]

    def task_meetings(self, plan_id: int, task_id: str) -> list[Meeting]:
        """The meetings that discussed a task (on their agenda or with a decision on it), earliest first."""
        decided = {d.meeting_id for d in self.decisions(plan_id, task_id=task_id)}
        return [m for m in self.of_plan(plan_id) if str(task_id) in m.agenda or m.meeting_id in decided]

    def follow_ups(self, plan_id: int, reference: dt.date) -> list[FollowUp]:
        """Every follow-up of the plan's meetings up to ``reference``, done or open."""
        decisions = self.decisions(plan_id, as_of=reference)
        return follow_ups(decisions, self.ws.task_status(plan_id, reference), reference)

    def agenda_items(self, meeting_id: int) -> list[AgendaItem]:
        """The meeting's agenda as stored (edited order). A generated item keeps the colour and the
        lead agency it was put on the agenda with (the meeting's own decisions do not change them);
        a task added later shows its colour on the meeting date."""
        with self._sessions() as session:
            row = self._row(session, meeting_id)
            snapshot: dict[str, Any] = dict(row.agenda_warnings or {})
        meeting = self.get(meeting_id)
        plan = self.ws.load_plan(meeting.plan_id, as_of=meeting.date)
        status = self.ws.task_status(meeting.plan_id, meeting.date)
        rag = {str(r["id"]): Rag(r["rag"]) for r in status.to_dict("records")}
        leads = first_leads(plan)
        items = []
        for task_id in meeting.agenda:
            if task_id not in rag:
                continue  # dropped by a later version of the plan
            if task_id in snapshot:
                colour, group, lead = snapshot[task_id]
                items.append(AgendaItem(task_id, Rag(colour), str(lead), AgendaGroup(group)))
            else:
                items.append(AgendaItem(task_id, rag[task_id], leads.get(task_id, ""), AgendaGroup.ADDED))
        return items

    def generate_agenda(self, plan_id: int, date: dt.date, *, exclude_meeting: int | None = None) -> list[AgendaItem]:
        """The agenda the warnings of ``date`` give (red, amber, never reported, open follow-ups)."""
        plan = self.ws.load_plan(plan_id, as_of=date)
        status = self.ws.task_status(plan_id, date)
        earlier = [d for d in self.decisions(plan_id, as_of=date) if d.meeting_id != exclude_meeting]
        return build_agenda(plan, status, open_follow_up_tasks(earlier, status, date))

    def changes(self, meeting_id: int) -> MeetingChanges | None:
        """What changed since the plan's previous meeting (None: this is the first)."""
        meeting = self.get(meeting_id)
        previous = self.previous(meeting_id)
        if previous is None:
            return None
        all_decisions = self.decisions(meeting.plan_id, as_of=meeting.date)
        mine = [d for d in all_decisions if d.meeting_id == previous.meeting_id]
        later = [d for d in all_decisions if d.meeting_id != previous.meeting_id
                 and (d.meeting_date, d.meeting_id) > (previous.date, previous.meeting_id)]
        return changes_since(self.ws.task_status(meeting.plan_id, previous.date),
                             self.ws.task_status(meeting.plan_id, meeting.date), mine, later, meeting.date)

    def brief(self, meeting_id: int) -> MeetingBrief:
        """The meeting for the meeting pack (``analysis.report``'s ``meeting`` parameter)."""
        meeting = self.get(meeting_id)
        return MeetingBrief(meeting.title, meeting.date, tuple(self.agenda_items(meeting_id)),
                            tuple(self.decisions(meeting.plan_id, meeting_id=meeting_id)))

    def minutes(self, meeting_id: int, *, lang: str = "zh") -> bytes:
        """The meeting's minutes (会议纪要) as DOCX bytes (``analysis.minutes``)."""
        from analysis.minutes import minutes_docx

        meeting = self.get(meeting_id)
        plan = self.ws.load_plan(meeting.plan_id, as_of=meeting.date)
        return minutes_docx(meeting, plan, self.agenda_items(meeting_id),
                            self.decisions(meeting.plan_id, meeting_id=meeting_id), lang=lang)

    # -------------------------------------------------------------- writing

    def _authorise(self, session: Session, actor: str | Account, plan_id: int) -> str:
        """The acting account's name, once it may record meetings of the plan (PermissionDenied otherwise)."""
        acting = resolve(session, actor)
        check(acting, Action.MEETING, plan_id=plan_id)
        return acting.name

    def add(self, plan_id: int, date: dt.date, *, actor: str | Account, title: str = "", place: str = "",
            attendees: Sequence[str] = ()) -> Meeting:
        """A new meeting; its agenda is generated from the warnings of ``date``."""
        with self._sessions() as session:  # refused before the agenda is computed
            self._authorise(session, actor, plan_id)
        if not isinstance(date, dt.date):
            raise _error(f"会议日期无效：{date!r}", f"not a meeting date: {date!r}")
        generated = self.generate_agenda(plan_id, date)
        agenda = [i.task_id for i in generated]
        warnings = {i.task_id: [str(i.rag), int(i.group), i.lead] for i in generated}
        title = (title or "").strip() or default_title(date)
        people = [a.strip() for a in attendees if a and a.strip()]
        self._check_lengths(title=title, place=place, attendees=people)
        with self._sessions.begin() as session:
            by = self._authorise(session, actor, plan_id)
            self.ws._plan(session, plan_id)
            row = MeetingRow(plan_id=plan_id, date=date, title=title, place=(place or "").strip(),
                             attendees=list(dict.fromkeys(people)), agenda=agenda, agenda_warnings=warnings,
                             created_at=utcnow(),
                             created_by=by)
            session.add(row)
            session.flush()
            meeting = Meeting.from_row(row)
            audit.append(session, by, audit.AuditAction.MEETING_ADD, plan_id=plan_id, object=f"meeting {row.id}",
                         after=_meeting_audit(meeting))
            return meeting

    @staticmethod
    def _check_lengths(*, title: str = "", place: str = "", attendees: Sequence[str] = (),
                       follow_up_by: str = "") -> None:
        too_long = [(zh, en) for zh, en, value, limit in (
            ("会议名称", "title", title, LIMITS["title"]), ("会议地点", "place", place, LIMITS["place"]),
            ("跟进单位", "follow-up by", follow_up_by, LIMITS["follow_up_by"]),
        ) if len(value) > limit] + [("参会单位", "attendee") for a in attendees if len(a) > LIMITS["attendee"]]
        if too_long:
            zh, en = too_long[0]
            raise _error(f"{zh}过长", f"the {en} is too long")

    def update(self, meeting_id: int, *, actor: str | Account, title: str | None = None, place: str | None = None,
               attendees: Sequence[str] | None = None) -> Meeting:
        with self._sessions.begin() as session:
            row = self._row(session, meeting_id)
            by = self._authorise(session, actor, row.plan_id)
            before = _meeting_audit(Meeting.from_row(row))
            people = [a.strip() for a in attendees if a and a.strip()] if attendees is not None else None
            self._check_lengths(title=title or "", place=place or "", attendees=people or ())
            if title is not None and title.strip():
                row.title = title.strip()
            if place is not None:
                row.place = place.strip()
            if people is not None:
                row.attendees = list(dict.fromkeys(people))
            session.flush()
            meeting = Meeting.from_row(row)
            audit.append(session, by, audit.AuditAction.MEETING_UPDATE, plan_id=row.plan_id,
                         object=f"meeting {meeting_id}", before=before, after=_meeting_audit(meeting))
            return meeting

    def set_agenda(self, meeting_id: int, *, actor: str | Account, order: Sequence[str] | None = None,
                   add: Sequence[str] = (), drop: Sequence[str] = ()) -> Meeting:
        """Edit the agenda: a new order, tasks added (at the end), tasks dropped."""
        with self._sessions.begin() as session:
            row = self._row(session, meeting_id)
            by = self._authorise(session, actor, row.plan_id)
            before = list(row.agenda or [])
            keys = self.ws._version(session, row.plan_id).task_keys
            try:
                row.agenda = edit_agenda(row.agenda or [], set(keys), add=[str(t) for t in add],
                                         drop=[str(t) for t in drop],
                                         order=[str(t) for t in order] if order is not None else None)
            except ValueError as exc:
                zh, _, en = str(exc).partition(" | ")
                raise _error(zh, en) from None
            session.flush()
            audit.append(session, by, audit.AuditAction.MEETING_AGENDA, plan_id=row.plan_id,
                         object=f"meeting {meeting_id} agenda", before=before, after=list(row.agenda or []))
            return Meeting.from_row(row)

    def decide(self, meeting_id: int, task_id: str, *, actor: str | Account, deadline: dt.date | None = None,
               lead: Sequence[str] | None = None, support: Sequence[str] | None = None,
               status: ProgressStatus | str | None = None, note: str = "", follow_up_by: str = "",
               follow_up_due: dt.date | None = None) -> Decision:
        """Record a decision on a task (one transaction; a status is also saved as a progress report).

        A task decided on joins the meeting's agenda if it was not on it."""
        task_id = str(task_id)
        lead_list = [a.strip() for a in lead if a.strip()] if lead is not None else None
        support_list = [a.strip() for a in support if a.strip()] if support is not None else None
        if lead_list is not None and not lead_list:
            raise _error("牵头单位不能为空", "the lead agencies cannot be empty")
        if status is not None and str(status) not in set(ProgressStatus):
            raise _error(f"状态“{status}”无效（可用：{'、'.join(ProgressStatus)}）",
                         f"status {status!r} is not one of {', '.join(ProgressStatus)}")
        if not any((deadline, lead_list is not None, support_list is not None, status, (note or "").strip(),
                    follow_up_due)):
            raise _error("决定为空：请填写新期限、单位、状态、议定事项或跟进期限",
                         "an empty decision: give a deadline, agencies, a status, a note or a follow-up date")
        self._check_lengths(follow_up_by=follow_up_by or "")
        try:
            return self._decide(meeting_id, task_id, actor, deadline, lead_list, support_list, status, note,
                                follow_up_by, follow_up_due)
        except IntegrityError:  # another writer saved a progress report on the task meanwhile
            raise _error(f"任务 {task_id} 的进展刚被他人更新，决定未保存；请重新保存",
                         f"the progress of task {task_id} changed meanwhile; the decision was not saved, "
                         "save it again") from None

    def _decide(self, meeting_id: int, task_id: str, actor: str | Account, deadline: dt.date | None,
                lead_list: list[str] | None, support_list: list[str] | None, status: ProgressStatus | str | None,
                note: str, follow_up_by: str, follow_up_due: dt.date | None) -> Decision:
        with self._sessions.begin() as session:
            meeting = self._row(session, meeting_id)
            by = self._authorise(session, actor, meeting.plan_id)
            plan = session.get(PlanRow, meeting.plan_id)
            latest = self.ws._version(session, meeting.plan_id)
            if task_id not in latest.task_keys:
                raise _error(f"方案 {meeting.plan_id} 中没有任务 {task_id}",
                             f"no task {task_id} in plan {meeting.plan_id}")
            row = MeetingDecisionRow(
                plan_id=meeting.plan_id, meeting_id=meeting_id, task_key=task_id, deadline=deadline,
                lead=lead_list, support=support_list, status=str(ProgressStatus(status)) if status else None,
                note=(note or "").strip(), follow_up_by=(follow_up_by or "").strip(), follow_up_due=follow_up_due,
                decided_at=utcnow(), decided_by=by,
            )
            session.add(row)
            if task_id not in (meeting.agenda or []):
                meeting.agenda = [*(meeting.agenda or []), task_id]
            if status:
                assert plan is not None
                rule = RagRule.from_dict((plan.settings or {}).get("rag"))
                carried = self.ws._carried(session, meeting.plan_id)
                current, last_seq = self.ws._current(session, meeting.plan_id, task_id, latest.version, carried)
                report = ProgressReportRow(
                    plan_id=meeting.plan_id, task_key=task_id, version=latest.version, seq=last_seq + 1,
                    status=str(ProgressStatus(status)), percent=100 if status == ProgressStatus.DONE else None,
                    note=(note or "").strip(), evidence=f"meeting {meeting_id}", agency="",
                    as_of=meeting.date, period=period_of(meeting.date, rule.period_kind), reported_at=utcnow(),
                    reported_by=by, previous_report_id=current.id if current is not None else None,
                )
                session.add(report)
            session.flush()
            decision = _decision(row, meeting.date)
            audit.append(session, by, audit.AuditAction.MEETING_DECIDE, plan_id=meeting.plan_id,
                         object=f"meeting {meeting_id} task {task_id}", after=decision)
            if status:
                from analysis.store.workspace import Report

                audit.append(session, by, audit.AuditAction.REPORT, plan_id=meeting.plan_id, object=f"task {task_id}",
                             before=Report.from_row(current).record() if current is not None else None,
                             after=Report.from_row(report).record())
            return decision

    def remove(self, meeting_id: int, *, actor: str | Account) -> None:
        """Delete a meeting with its decisions (a meeting recorded by mistake; the audit trail keeps them)."""
        with self._sessions.begin() as session:
            row = self._row(session, meeting_id)
            by = self._authorise(session, actor, row.plan_id)
            before = {**_meeting_audit(Meeting.from_row(row)),
                      "decisions": [_decision(d, row.date) for d in session.scalars(
                          select(MeetingDecisionRow).where(MeetingDecisionRow.meeting_id == meeting_id))]}
            session.delete(row)
            audit.append(session, by, audit.AuditAction.MEETING_REMOVE, plan_id=row.plan_id,
                         object=f"meeting {meeting_id}", before=before)


__all__ = ["Meeting", "MeetingNotFoundError", "Meetings", "plan_decisions"]
