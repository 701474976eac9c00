"""`python -m analysis meeting …`: coordination meetings of a workspace plan from the command line.

    meeting add PLAN_ID --date YYYY-MM-DD [--title T] [--place P] [--attendees A,B] [--json]
        → {"meeting_id", "agenda": [{"task_id", "rag", "lead"}]}   (agenda in the order shown)
    meeting list PLAN_ID [--json]            → [{"meeting_id", "date", "title", "decisions"}]
    meeting show MEETING_ID [--json]         → the meeting, its agenda, decisions and follow-ups
    meeting agenda MEETING_ID [--order 3,1,…] [--add T] [--drop T] [--json]
    meeting decide MEETING_ID TASK_ID [--deadline D] [--lead A,B] [--support A,B] [--status S]
                   [--note TEXT] [--follow-up-by A] [--due D] [--json]
    meeting minutes MEETING_ID --out MINUTES.docx [--lang zh|en]

The workspace is the one ``TASKBOARD_DB`` names (as for ``workspace`` and ``progress``).
Errors print one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.cli.args import whole_number
from analysis.cli.workspace import Command, _actor, _guarded, _iso_date, _plan_id, _print_json
from analysis.vocab import PROGRESS_STATUSES

_meeting_id = whole_number(1)

if TYPE_CHECKING:
    from analysis.meetings import AgendaItem, Decision
    from analysis.store.meetings import Meeting


def _names(text: str) -> list[str]:
    """A,B or A、B or A，B → [A, B]."""
    for sep in ("、", "，", "；", ";"):
        text = text.replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def _agenda_json(items: list[AgendaItem]) -> list[dict[str, object]]:
    from analysis.model import json_task_id

    return [{"task_id": json_task_id(i.task_id), "rag": str(i.rag), "lead": i.lead} for i in items]


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def decision_json(d: Decision) -> dict[str, object]:
    from analysis.model import json_task_id

    return {
        "decision_id": d.decision_id, "meeting_id": d.meeting_id, "task_id": json_task_id(d.task_id),
        "deadline": _date(d.deadline), "lead": list(d.lead) if d.lead is not None else None,
        "support": list(d.support) if d.support is not None else None,
        "status": str(d.status) if d.status else None, "note": d.note, "follow_up_by": d.follow_up_by,
        "follow_up_due": _date(d.follow_up_due), "decided_by": d.decided_by,
    }


def _meeting_json(m: Meeting) -> dict[str, object]:
    return {"meeting_id": m.meeting_id, "plan_id": m.plan_id, "date": m.date.isoformat(), "title": m.title,
            "place": m.place, "attendees": list(m.attendees)}


def cmd_add(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        meeting = ws.meetings.add(args.plan_id, args.date, actor=_actor(args), title=args.title or "",
                                  place=args.place or "", attendees=_names(args.attendees or ""))
        agenda = ws.meetings.agenda_items(meeting.meeting_id)
    if args.json:
        _print_json({"meeting_id": meeting.meeting_id, "agenda": _agenda_json(agenda)})
        return 0
    print(f"会议 meeting {meeting.meeting_id}  {meeting.date.isoformat()}  {meeting.title}")
    for n, item in enumerate(agenda, start=1):
        print(f"{n:>4}. 任务 task {item.task_id:<8}{item.rag!s:<8}{item.lead}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        meetings = ws.meetings.of_plan(args.plan_id)
        decisions = ws.meetings.decisions(args.plan_id)
    counts = {m.meeting_id: sum(d.meeting_id == m.meeting_id for d in decisions) for m in meetings}
    if args.json:
        _print_json([{**_meeting_json(m), "decisions": counts[m.meeting_id]} for m in meetings])
        return 0
    for m in meetings:
        print(f"{m.meeting_id:>5}  {m.date.isoformat()}  决定 decisions: {counts[m.meeting_id]:<4} {m.title}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        meeting = ws.meetings.get(args.meeting_id)
        agenda = ws.meetings.agenda_items(meeting.meeting_id)
        decisions = ws.meetings.decisions(meeting.plan_id, meeting_id=meeting.meeting_id)
        ups = [f for f in ws.meetings.follow_ups(meeting.plan_id, meeting.date)]
    data: dict[str, Any] = {
        **_meeting_json(meeting), "agenda": _agenda_json(agenda),
        "decisions": [decision_json(d) for d in decisions],
        "open_follow_ups": [decision_json(f.decision) for f in ups if not f.done],
    }
    if args.json:
        _print_json(data)
        return 0
    print(f"会议 meeting {meeting.meeting_id}  {meeting.date.isoformat()}  {meeting.title}")
    print(f"议程 agenda: {', '.join(str(i['task_id']) for i in data['agenda'])}")
    for d in data["decisions"]:
        print(f"决定 decision {d['decision_id']}: 任务 task {d['task_id']}  {d['deadline'] or ''}  {d['note']}")
    return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        ws.meetings.set_agenda(args.meeting_id, actor=_actor(args), order=_names(args.order) if args.order else None,
                               add=args.add or [], drop=args.drop or [])
        agenda = ws.meetings.agenda_items(args.meeting_id)
    if args.json:
        _print_json({"meeting_id": args.meeting_id, "agenda": _agenda_json(agenda)})
    else:
        print(f"议程 agenda: {', '.join(i.task_id for i in agenda)}")
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        decision = ws.meetings.decide(
            args.meeting_id, args.task_id, actor=_actor(args), deadline=args.deadline,
            lead=_names(args.lead) if args.lead is not None else None,
            support=_names(args.support) if args.support is not None else None,
            status=args.status, note=args.note or "", follow_up_by=args.follow_up_by or "", follow_up_due=args.due,
        )
    if args.json:
        _print_json(decision_json(decision))
    else:
        print(f"已记录决定 decision {decision.decision_id} saved: 任务 task {decision.task_id}")
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        raise ValueError(f"纪要须保存为 .docx 文件：{out} | the minutes are a .docx file: {out}")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"没有该文件夹 | no such folder for the output file: {out.parent}")
    with open_workspace() as ws:
        data = ws.meetings.minutes(args.meeting_id, lang=args.lang)
    out.write_bytes(data)
    print(out)
    return 0


SUBCOMMANDS: dict[str, Command] = {
    "add": cmd_add, "list": cmd_list, "show": cmd_show, "agenda": cmd_agenda, "decide": cmd_decide,
    "minutes": cmd_minutes,
}


def cmd_meeting(args: argparse.Namespace) -> int:
    command = SUBCOMMANDS[args.meeting_command]

    def run(a: argparse.Namespace) -> int:
        try:
            return command(a)
        except ValueError as exc:  # bad agenda edits, names, files: one line, exit 2
            from analysis.cli.workspace import EXIT_ERROR, _fail
            from analysis.store import WorkspaceError

            if isinstance(exc, WorkspaceError):
                raise
            _fail(str(exc))
            return EXIT_ERROR

    return _guarded(run)(args)


def register(subparsers: Any) -> dict[str, Command]:
    """Add the `meeting` command to the CLI's subparsers; returns {name: handler}."""
    meeting = subparsers.add_parser("meeting", help="coordination meetings: agenda, decisions, minutes")
    sub = meeting.add_subparsers(dest="meeting_command", required=True)
    add = sub.add_parser("add", help="record a meeting; its agenda comes from the warnings of its date")
    add.add_argument("plan_id", type=_plan_id, metavar="PLAN_ID")
    add.add_argument("--date", type=_iso_date, required=True, metavar="YYYY-MM-DD")
    add.add_argument("--title", default=None)
    add.add_argument("--place", default=None)
    add.add_argument("--attendees", default=None, metavar="A,B", help="attending agencies")
    listing = sub.add_parser("list", help="the plan's meetings")
    listing.add_argument("plan_id", type=_plan_id, metavar="PLAN_ID")
    show = sub.add_parser("show", help="one meeting: agenda, decisions, open follow-ups")
    show.add_argument("meeting_id", type=_meeting_id, metavar="MEETING_ID")
    agenda = sub.add_parser("agenda", help="edit a meeting's agenda")
    agenda.add_argument("meeting_id", type=_meeting_id, metavar="MEETING_ID")
    agenda.add_argument("--order", default=None, metavar="T1,T2,…", help="the whole agenda in a new order")
    agenda.add_argument("--add", action="append", metavar="TASK_ID", help="add a task (repeatable)")
    agenda.add_argument("--drop", action="append", metavar="TASK_ID", help="drop a task (repeatable)")
    decide = sub.add_parser("decide", help="record a decision on a task (changes the plan as decided)")
    decide.add_argument("meeting_id", type=_meeting_id, metavar="MEETING_ID")
    decide.add_argument("task_id", metavar="TASK_ID")
    decide.add_argument("--deadline", type=_iso_date, default=None, metavar="YYYY-MM-DD", help="the new deadline")
    decide.add_argument("--lead", default=None, metavar="A,B", help="the new lead agencies")
    decide.add_argument("--support", default=None, metavar="A,B", help="the new supporting agencies ('' for none)")
    decide.add_argument("--status", default=None, choices=PROGRESS_STATUSES)
    decide.add_argument("--note", default=None, metavar="TEXT", help="what was agreed")
    decide.add_argument("--follow-up-by", default=None, metavar="AGENCY", help="who follows up")
    decide.add_argument("--due", type=_iso_date, default=None, metavar="YYYY-MM-DD", help="follow up by this date")
    minutes = sub.add_parser("minutes", help="the minutes (会议纪要) as a .docx file")
    minutes.add_argument("meeting_id", type=_meeting_id, metavar="MEETING_ID")
    minutes.add_argument("--out", required=True, metavar="MINUTES.docx")
    minutes.add_argument("--lang", choices=["zh", "en"], default="zh")
    for parser in (add, listing, show, agenda, decide):
        parser.add_argument("--json", action="store_true", help="print JSON")
    for parser in (add, decide, agenda):
        parser.add_argument("--user", "--actor", dest="user", default=None, metavar="NAME", help="the account that acts (checked and audited; default: TASKBOARD_USER); --actor: old name")
    return {"meeting": cmd_meeting}
