"""Meetings in the workspace on SQLite and PostgreSQL: the agenda from the warnings, decisions that
change the plan (tracked, the published values kept), follow-ups, the history of a task."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from docx import Document
from sqlalchemy import text

from analysis import derive, figures
from analysis.agencies import load_registry
from analysis.exports import to_csv_bytes
from analysis.meetings import AgendaGroup
from analysis.progress import RagRule
from analysis.store import WorkspaceError
from analysis.vocab import ProgressStatus, Rag
from tests.conftest import independent_rows

MEETING = dt.date(2020, 9, 15)


def _count(ws, table: str) -> int:
    with ws.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _report(ws, task: str, status: str, day: dt.date) -> None:
    current = ws.current_report(1, task)
    ws.report_progress(1, task, status, expected_previous=current.report_id if current else None,
                       actor="李娜", as_of=day)


def _seed_reports(ws) -> None:
    _report(ws, "1", "done", dt.date(2020, 9, 1))
    _report(ws, "2", "delayed", dt.date(2020, 9, 2))
    _report(ws, "5", "in_progress", dt.date(2020, 9, 2))
    _report(ws, "6", "in_progress", dt.date(2020, 8, 10))  # last month: no current report


def expected_agenda(deadlines: dict[str, dt.date], reports: dict[str, tuple[str, dt.date]], day: dt.date,
                    require_current: bool = True, follow_ups: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    """The agenda computed here from scratch: the default rule (30 days, month periods), the raw
    table's first lead agency, agencies in order of first mention."""
    registry = load_registry()
    rows = independent_rows()
    agencies: list[str] = []
    first_lead: dict[str, str] = {}
    for row in rows:
        names = [registry.resolve(u) for u in [*row["lead"], *row["support"]]]
        agencies.extend(a for a in names if a not in agencies)
        first_lead[row["id"]] = registry.resolve(row["lead"][0]) if row["lead"] else ""
    entries = []
    for position, row in enumerate(rows):
        task = row["id"]
        status, when = reports.get(task, ("not_started", None))
        days = (deadlines[task] - day).days
        if status == "done":
            rag = "green"
        elif status == "delayed" or days < 0:
            rag = "red"
        elif days <= 30 or (require_current and (when is None or (when.year, when.month) != (day.year, day.month))):
            rag = "amber"
        else:
            rag = "green"
        group = {"red": 0, "amber": 1}.get(rag)
        if group is None and when is None:
            group = 2
        if group is None and task in follow_ups:
            group = 3
        if group is not None:
            lead = first_lead[task]
            entries.append((group, agencies.index(lead) if lead else len(agencies), position, task, rag, lead))
    return [(task, rag, lead) for *_, task, rag, lead in sorted(entries)]


def _published_deadlines(ws) -> dict[str, dt.date]:
    plan = ws.load_plan(1, decided=False)
    return {str(k): d.date() for k, d in zip(plan.tasks["task_id"], plan.tasks["deadline"], strict=True)}


REPORTS = {"1": ("done", dt.date(2020, 9, 1)), "2": ("delayed", dt.date(2020, 9, 2)),
           "5": ("in_progress", dt.date(2020, 9, 2)), "6": ("in_progress", dt.date(2020, 8, 10))}


def test_the_agenda_follows_the_warnings_exactly(workspace):
    ws = workspace
    _seed_reports(ws)
    meeting = ws.meetings.add(1, MEETING, actor="王伟", attendees=["省经信厅", "省发展改革委"], place="省政府")
    got = [(i.task_id, str(i.rag), i.lead) for i in ws.meetings.agenda_items(meeting.meeting_id)]
    assert got == expected_agenda(_published_deadlines(ws), REPORTS, MEETING)
    assert got[0][1] == "red" and {"1"} & {t for t, _, _ in got} == set()  # done: not discussed
    assert list(meeting.agenda) == [t for t, _, _ in got]
    # The agenda the warnings of the day give equals the task_status of that day, red then amber.
    status = ws.task_status(1, MEETING)
    reds = set(status.loc[status["rag"] == Rag.RED, "id"])
    assert {t for t, rag, _ in got if rag == "red"} == reds and len(reds) >= 2


def test_tasks_never_reported_are_on_the_agenda_when_the_rule_leaves_them_green(workspace):
    ws = workspace
    ws.set_rag_rule(1, RagRule(require_current_report=False), actor="王伟")
    _seed_reports(ws)
    meeting = ws.meetings.add(1, MEETING, actor="王伟")
    items = ws.meetings.agenda_items(meeting.meeting_id)
    got = [(i.task_id, str(i.rag), i.lead) for i in items]
    assert got == expected_agenda(_published_deadlines(ws), REPORTS, MEETING, require_current=False)
    assert AgendaGroup.NO_REPORT in {i.group for i in items}
    assert "6" not in {i.task_id for i in items}  # reported (last month: not required here), on track
    assert "5" in {i.task_id for i in items}  # reported, but due within 30 days


def test_editing_the_agenda(workspace):
    ws = workspace
    _seed_reports(ws)
    meeting = ws.meetings.add(1, MEETING, actor="王伟")
    first, second, *rest = meeting.agenda
    edited = ws.meetings.set_agenda(meeting.meeting_id, actor="王伟", order=[second, first, *rest], drop=[rest[0]], add=["1"])
    assert list(edited.agenda) == [second, first, *rest[1:], "1"]
    assert ws.meetings.agenda_items(meeting.meeting_id)[-1].group == AgendaGroup.ADDED
    with pytest.raises(WorkspaceError, match="no such task in the plan: 999"):
        ws.meetings.set_agenda(meeting.meeting_id, actor="王伟", add=["999"])
    assert ws.meetings.get(meeting.meeting_id).agenda == edited.agenda  # nothing saved


def test_a_decision_that_moves_a_deadline_changes_timeline_warnings_and_exports(workspace):
    ws = workspace
    _seed_reports(ws)
    published = ws.load_plan(1)
    assert published.tasks.set_index("task_id").at["3", "deadline"] == pd.Timestamp("2020-08-31")
    after = dt.date(2020, 9, 16)
    assert ws.task_status(1, after).set_index("id").at["3", "rag"] == Rag.RED  # overdue
    meeting = ws.meetings.add(1, MEETING, actor="王伟")
    decision = ws.meetings.decide(meeting.meeting_id, "3", deadline=dt.date(2020, 12, 31), lead=["省发改委"],
                                  note="站址规划延至年底完成", follow_up_by="省发展改革委",
                                  follow_up_due=dt.date(2020, 10, 31), actor="王伟")
    assert decision.deadline == dt.date(2020, 12, 31) and decision.lead == ("省发改委",)

    decided = ws.load_plan(1)
    task = decided.tasks.set_index("task_id").loc["3"]
    assert task["deadline"] == pd.Timestamp("2020-12-31") and task["deadline_kind"] == "explicit"
    assert task["published_deadline"] == pd.Timestamp("2020-08-31")  # the original stays recorded
    assert task["published_lead_text"] == "省经信厅、省通管局" and task["lead_text"] == "省发展改革委"
    assert task["decided_by_meetings"] == [meeting.meeting_id]
    lead_rows = decided.assignments.query("task_id == '3' and role == 'lead'")
    assert list(lead_rows["agency"]) == ["省发展改革委"]
    counts = decided.agencies.set_index("agency")["lead"]
    before = published.agencies.set_index("agency")["lead"]
    assert counts["省发展改革委"] == before["省发展改革委"] + 1 and counts["省通管局"] == before["省通管局"] - 1
    # As published, and as of a day before the meeting: unchanged.
    assert "published_deadline" not in ws.load_plan(1, decided=False).tasks.columns
    assert ws.load_plan(1, as_of=dt.date(2020, 9, 14)).tasks.set_index("task_id").at["3", "deadline"] == \
        pd.Timestamp("2020-08-31")

    # The agenda keeps the colour and lead the task was put on it with.
    item = next(i for i in ws.meetings.agenda_items(meeting.meeting_id) if i.task_id == "3")
    assert (item.rag, item.lead, item.group) == (Rag.RED, "省经信厅", AgendaGroup.RED)
    # Warnings: no longer overdue after the meeting; still red the day before it.
    assert ws.task_status(1, after).set_index("id").at["3", "rag"] == Rag.AMBER  # no report this month
    assert ws.task_status(1, dt.date(2020, 9, 14)).set_index("id").at["3", "rag"] == Rag.RED
    # Timeline: the bar runs to the new deadline, the published one is marked beside it.
    status = derive.due_status(decided, after)
    assert status.set_index("task_id").at["3", "status"] == "later"
    assert derive.due_status(published, after).set_index("task_id").at["3", "status"] == "overdue"
    fig = figures.timeline_figure(decided, derive.timeline_order(status, decided), after)
    marks = [tr for tr in fig.data if tr.name == "原定期限（会议调整前）"]
    assert len(marks) == 1 and [pd.Timestamp(x) for x in marks[0].x] == [pd.Timestamp("2020-08-31")]
    # Exports: the due list carries the new deadline.
    csv = to_csv_bytes(derive.due_table(status, decided, statuses=("later",))).decode("utf-8-sig")
    line = next(row for row in csv.splitlines() if "站址专项规划" in row)
    assert "2020-12-31" in line and "2020-08-31" not in line

    # History: the meeting discussed the task; a second decision keeps the published original.
    later = ws.meetings.add(1, dt.date(2020, 11, 5), actor="王伟")
    ws.meetings.decide(later.meeting_id, "3", deadline=dt.date(2021, 3, 31), actor="王伟", note="再延期")
    again = ws.load_plan(1).tasks.set_index("task_id").loc["3"]
    assert again["deadline"] == pd.Timestamp("2021-03-31") and again["published_deadline"] == pd.Timestamp("2020-08-31")
    assert again["decided_by_meetings"] == [meeting.meeting_id, later.meeting_id]
    assert [m.meeting_id for m in ws.meetings.task_meetings(1, "3")] == [meeting.meeting_id, later.meeting_id]
    assert [d.deadline for d in ws.meetings.decisions(1, task_id="3")] == [dt.date(2020, 12, 31), dt.date(2021, 3, 31)]
    assert _count(ws, "meeting_decisions") == 2


def test_follow_ups_stay_on_the_agenda_until_done(workspace):
    ws = workspace
    first = ws.meetings.add(1, MEETING, actor="王伟")
    ws.meetings.decide(first.meeting_id, "3", deadline=dt.date(2020, 12, 31), follow_up_by="省经信厅",
                       follow_up_due=dt.date(2020, 10, 31), note="报送站址规划", actor="王伟")
    _report(ws, "3", "in_progress", dt.date(2020, 11, 1))  # on track: green, reported this month
    day = dt.date(2020, 11, 5)
    assert ws.task_status(1, day).set_index("id").at["3", "rag"] == Rag.GREEN
    ups = ws.meetings.follow_ups(1, day)
    assert [(f.decision.task_id, f.done, f.overdue) for f in ups] == [("3", False, True)]
    second = ws.meetings.add(1, day, actor="王伟")
    items = {i.task_id: i for i in ws.meetings.agenda_items(second.meeting_id)}
    assert items["3"].group == AgendaGroup.FOLLOW_UP and items["3"].rag == Rag.GREEN
    changes = ws.meetings.changes(second.meeting_id)
    assert changes is not None and [f.decision.task_id for f in changes.not_carried_out] == ["3"]
    assert ws.meetings.changes(first.meeting_id) is None

    _report(ws, "3", "done", dt.date(2020, 11, 20))
    day = dt.date(2020, 11, 25)
    assert [f.done for f in ws.meetings.follow_ups(1, day)] == [True]
    third = ws.meetings.add(1, day, actor="王伟")
    assert "3" not in third.agenda
    changes = ws.meetings.changes(third.meeting_id)
    assert changes is not None and "3" in changes.done


def test_a_status_decision_is_a_progress_report_in_the_same_transaction(workspace):
    ws = workspace
    meeting = ws.meetings.add(1, MEETING, actor="王伟")
    ws.meetings.decide(meeting.meeting_id, "20", status="suspended", note="暂缓实施", actor="王伟")
    current = ws.current_report(1, "20")
    assert current is not None and current.status == ProgressStatus.SUSPENDED and current.as_of == MEETING
    assert current.reported_by == "王伟" and current.note == "暂缓实施"
    assert ws.task_status(1, MEETING).set_index("id").at["20", "reason"] == "suspended"
    # A task decided on joins the agenda.
    assert "20" in ws.meetings.get(meeting.meeting_id).agenda or "20" in meeting.agenda


def test_bad_decisions_are_refused_and_nothing_is_saved(workspace):
    ws = workspace
    meeting = ws.meetings.add(1, MEETING, actor="王伟")
    for kwargs, message in [
        ({"task_id": "999", "note": "x"}, "no task 999 in plan 1"),
        ({"task_id": "3"}, "an empty decision"),
        ({"task_id": "3", "lead": [" "]}, "the lead agencies cannot be empty"),
        ({"task_id": "3", "status": "finished"}, "is not one of"),
        ({"task_id": "3", "note": "x", "follow_up_by": "单" * 201}, "too long"),
    ]:
        with pytest.raises(WorkspaceError, match=message) as caught:
            ws.meetings.decide(meeting.meeting_id, actor="王伟", **kwargs)
        assert caught.value.text.zh and caught.value.text.en
    with pytest.raises(WorkspaceError, match="no meeting 99"):
        ws.meetings.decide(99, "3", note="x", actor="王伟")
    with pytest.raises(WorkspaceError, match="actor"):
        ws.meetings.decide(meeting.meeting_id, "3", note="x", actor=" ")
    assert _count(ws, "meeting_decisions") == 0 and _count(ws, "progress_reports") == 0


def test_meetings_go_with_their_plan(workspace):
    ws = workspace
    meeting = ws.meetings.add(1, MEETING, actor="王伟", title="第三季度协调会")
    ws.meetings.decide(meeting.meeting_id, "3", deadline=dt.date(2020, 12, 31), actor="王伟")
    assert [m.title for m in ws.meetings.of_plan(1)] == ["第三季度协调会"]
    ws.remove_plan(1, actor="王伟")
    assert _count(ws, "meetings") == 0 and _count(ws, "meeting_decisions") == 0


def test_minutes_read_back(workspace):
    ws = workspace
    _seed_reports(ws)
    meeting = ws.meetings.add(1, MEETING, actor="王伟", place="省政府第一会议室",
                              attendees=["省经信厅", "省发展改革委", "省通管局"])
    ws.meetings.decide(meeting.meeting_id, "3", deadline=dt.date(2020, 12, 31), note="站址规划延至年底",
                       follow_up_by="省发展改革委", follow_up_due=dt.date(2020, 10, 31), actor="王伟")
    ws.meetings.decide(meeting.meeting_id, "2", status="in_progress", note="恢复推进", actor="王伟")
    doc = Document(io.BytesIO(ws.meetings.minutes(meeting.meeting_id)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "2020年9月15日协调推进会纪要"
    for heading in ("一、会议时间和地点", "二、参会单位", "三、会议研究的事项", "四、议定事项（按责任单位）", "五、跟踪督办事项"):
        assert heading in paragraphs
    assert "时间：2020年9月15日" in paragraphs and "地点：省政府第一会议室" in paragraphs
    assert "省经信厅、省发展改革委、省通管局" in paragraphs
    agenda = ws.meetings.get(meeting.meeting_id).agenda
    items = [p for p in paragraphs if p[:1].isdigit() and "牵头，" in p]
    assert [p.split("任务", 1)[1].split("（", 1)[0] for p in items] == list(agenda)
    decisions = "\n".join(paragraphs)
    assert "（一）省发展改革委" in decisions
    assert "任务3：完成期限调整为2020年12月31日（原定2020年8月31日）" in decisions
    assert "进展状态认定为“推进中”" in decisions
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "任务", "事项", "责任单位", "完成时限"]
    assert [c.text for c in table.rows[1].cells] == ["1", "3", "站址规划延至年底", "省发展改革委", "2020年10月31日"]
    english = Document(io.BytesIO(ws.meetings.minutes(meeting.meeting_id, lang="en")))
    assert english.paragraphs[0].text == "Minutes: 2020年9月15日协调推进会"
    assert "5. Follow-ups" in [p.text for p in english.paragraphs]


def test_a_status_decision_that_collides_with_a_report_saves_nothing(workspace, monkeypatch):
    ws = workspace
    meeting = ws.meetings.add(1, MEETING, actor="王伟")
    _report(ws, "4", "in_progress", dt.date(2020, 9, 10))
    # As if the report had been saved between the decision's read and its write.
    monkeypatch.setattr(type(ws), "_current", lambda self, *args: (None, 0))
    with pytest.raises(WorkspaceError, match="changed meanwhile; the decision was not saved"):
        ws.meetings.decide(meeting.meeting_id, "4", status="done", note="已完成", actor="王伟")
    monkeypatch.undo()
    assert _count(ws, "meeting_decisions") == 0 and _count(ws, "progress_reports") == 1
