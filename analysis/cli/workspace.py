"""`python -m analysis workspace …` and `python -m analysis progress …`: the workspace from the command line.

    workspace add FILE [--plan PLAN_ID] [--json]   → {"plan_id", "version", "title", "tasks"}
    workspace list [--json]                        → [{"plan_id", "title", "version", "tasks"}]
    workspace remove PLAN_ID [--json]
    workspace backup --out FILE [--json]           → {"file", "plans", "versions", "reports", "meetings", "decisions"}
    workspace restore FILE [--replace] [--json]    (SQLite: sqlite3 backup API; PostgreSQL: pg_dump -Fc / pg_restore)
    progress status PLAN_ID [--date YYYY-MM-DD] [--json]
        → {"date", "tasks": [{"id", "deadline", "status", "rag", "percent", "reported_at", "reported_by"}]}
    progress report PLAN_ID TASK_ID --status S [--percent N] [--note T] [--agency A] [--date D]
    progress export PLAN_ID --agency NAME --out FORM.xlsx      (analysis/cli/forms.py)
    progress import PLAN_ID FILE... [--yes] [--json]

The database is the one ``analysis.store`` finds (``TASKBOARD_DB``, ``.streamlit/secrets.toml``,
or ``data/workspace/taskboard.db``). The acting account is ``--user`` (``--actor``), else ``TASKBOARD_USER``
(``TASKBOARD_ACTOR``); its rights are checked and the write audited (analysis.store.access). Errors print one line on stderr and exit 2; a report refused because
somebody else reported on the task meanwhile exits 3.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.cli.args import column_mapping, iso_date, whole_number
from analysis.findings import PlanImportError
from analysis.vocab import PROGRESS_STATUSES

if TYPE_CHECKING:
    import pandas as pd

    from analysis.model import Plan

Command = Callable[[argparse.Namespace], int]
EXIT_ERROR = 2
EXIT_CONFLICT = 3
_iso_date = iso_date
_plan_id = whole_number(1)
_percent = whole_number(0, 100)


def _expected(text: str) -> int | str | None:
    """An ``--expect-previous`` value: a report id, None (``none``) or ``current``."""
    if text.lower() in ("none", "current"):
        return None if text.lower() == "none" else "current"
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a report id or 'none', got {text!r}") from None


def _actor(args: argparse.Namespace) -> str:
    """The account a CLI write acts as: ``--user`` (``--actor``, its old name), else ``TASKBOARD_USER``
    (``TASKBOARD_ACTOR``). The store checks its rights and audits the write under its name; the CLI
    does not sign in (whoever runs it can reach the database), it names who is responsible."""
    for value in (getattr(args, "user", None), os.environ.get("TASKBOARD_USER"), os.environ.get("TASKBOARD_ACTOR")):
        if value and value.strip():
            return value.strip()
    from analysis.store.access import PermissionDenied
    from analysis.vocab import Bilingual

    raise PermissionDenied(Bilingual("须用 --user NAME（或环境变量 TASKBOARD_USER）注明操作的账号",
                                     "name the acting account with --user NAME (or TASKBOARD_USER)"))


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _fail(text: str) -> None:
    print(("错误 error: " + text).replace("\n", " "), file=sys.stderr)


def _guarded(command: Command) -> Command:
    """One line on stderr and a non-zero exit for every expected failure, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        from sqlalchemy.exc import SQLAlchemyError

        from analysis.store import (
            ConcurrentReportError,
            StoreConfigError,
            WorkspaceError,
        )

        try:
            return command(args)
        except ConcurrentReportError as exc:
            _fail(str(exc))
            return EXIT_CONFLICT
        except PlanImportError as exc:
            _fail(f"{exc.message('zh')} | {exc.message('en')}")
            return EXIT_ERROR
        except (WorkspaceError, StoreConfigError) as exc:
            _fail(str(exc))
            return EXIT_ERROR
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            _fail(f"数据库操作失败：{reason} | database error: {reason}")
            return EXIT_ERROR
        except OSError as exc:
            _fail(str(exc))
            return EXIT_ERROR

    return run


# ------------------------------------------------------------------------------ workspace


def cmd_workspace_add(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    path = Path(args.file)
    if path.is_dir():
        raise IsADirectoryError(f"需要一个表格文件，而不是文件夹 | a table file is needed, not a folder: {path}")
    data = path.read_bytes()
    with open_workspace() as ws:
        if args.plan is None:
            info = ws.add_plan(data, path.name, actor=_actor(args), columns=args.columns)
        else:
            info = ws.add_version(args.plan, data, path.name, actor=_actor(args), columns=args.columns)
    if args.json:
        _print_json({"plan_id": info.plan_id, "version": info.version, "title": info.title, "tasks": info.tasks})
        return 0
    print(f"方案 plan {info.plan_id}  第 {info.version} 版 version {info.version}  {info.title}  "
          f"任务 tasks: {info.tasks}")
    if info.diff is not None:
        d = info.diff
        print(f"新增 added: {len(d.added)}  删除 removed: {len(d.removed)}  改写 reworded: {len(d.reworded)}  "
              f"牵头变化 lead changed: {len(d.lead_changed)}  配合变化 support changed: {len(d.support_changed)}  "
              f"期限变化 deadline changed: {len(d.deadline_changed)}  沿用进展 progress kept: {len(d.carried)}")
    return 0


def cmd_workspace_list(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        plans = ws.list_plans()
    if args.json:
        _print_json([{"plan_id": p.plan_id, "title": p.title, "version": p.version, "tasks": p.tasks} for p in plans])
        return 0
    for p in plans:
        print(f"{p.plan_id:>5}  v{p.version:<3} {p.tasks:>6} 任务 tasks  {p.title}")
    return 0


def cmd_workspace_remove(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        ws.remove_plan(args.plan_id, actor=_actor(args))
    if args.json:
        _print_json({"removed": args.plan_id})
    else:
        print(f"已删除方案 removed plan {args.plan_id}")
    return 0


def cmd_workspace_backup(args: argparse.Namespace) -> int:
    from analysis.store.backup import backup

    held = backup(None, Path(args.out))
    if args.json:
        _print_json({"file": str(args.out), **held.as_dict()})
    else:
        print(f"已备份 backed up to {args.out}: " + "  ".join(f"{k} {v}" for k, v in held.as_dict().items()))
    return 0


def cmd_workspace_restore(args: argparse.Namespace) -> int:
    from analysis.store.backup import restore

    named = [v.strip() for v in (args.user, os.environ.get("TASKBOARD_USER"), os.environ.get("TASKBOARD_ACTOR")) if v and v.strip()]
    held = restore(None, Path(args.file), replace=args.replace, actor=named[0] if named else None)
    if args.json:
        _print_json({"file": str(args.file), **held.as_dict()})
    else:
        print(f"已恢复 restored from {args.file}: " + "  ".join(f"{k} {v}" for k, v in held.as_dict().items()))
    return 0


def cmd_workspace(args: argparse.Namespace) -> int:
    command: Command = {"add": cmd_workspace_add, "list": cmd_workspace_list, "remove": cmd_workspace_remove,
                        "backup": cmd_workspace_backup, "restore": cmd_workspace_restore}[args.workspace_command]
    return _guarded(command)(args)


# ------------------------------------------------------------------------------ progress


def _json_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def cmd_progress_status(args: argparse.Namespace) -> int:
    from analysis.model import json_task_id
    from analysis.store import open_workspace

    reference = args.date or dt.date.today()
    with open_workspace() as ws:
        status = ws.task_status(args.plan_id, reference)
        # The deadline as decided at the meetings up to the reference date.
        plan = ws.load_plan(args.plan_id, as_of=reference)
    deadlines = {str(t): d.date().isoformat() for t, d in zip(plan.tasks["task_id"], plan.tasks["deadline"],
                                                                strict=True)}
    tasks = [
        {
            "id": json_task_id(str(row["id"])),
            "deadline": deadlines.get(str(row["id"])),
            "status": str(row["status"]),
            "rag": str(row["rag"]),
            "percent": _json_value(row["percent"]),
            "reported_at": _json_value(row["reported_at"]),
            "reported_by": _json_value(row["reported_by"]),
        }
        for row in status.to_dict("records")
    ]
    if args.json:
        _print_json({"date": reference.isoformat(), "tasks": tasks})
        return 0
    print(f"{'任务 task':<10}{'状态 status':<16}{'预警 rag':<10}{'进度 %':>8}  报送人 reported by")
    for t in tasks:
        percent = "" if t["percent"] is None else str(t["percent"])
        print(f"{t['id']!s:<10}{t['status']:<16}{t['rag']:<10}{percent:>8}  {t['reported_by'] or ''}")
    return 0


def cmd_progress_report(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        if args.expect_previous == "current":
            current = ws.current_report(args.plan_id, args.task_id)
            expected = current.report_id if current else None
        else:
            expected = args.expect_previous
        report = ws.report_progress(
            args.plan_id, args.task_id, args.status, expected_previous=expected, actor=_actor(args),
            percent=args.percent, note=args.note, evidence=args.evidence, agency=args.agency,
            as_of=args.date, period=args.period,
        )
    if args.json:
        _print_json({key: _json_value(value) for key, value in report.record().items()})
    else:
        print(f"已保存报送 saved report {report.report_id}: 任务 task {report.task_id} {report.status}")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from analysis.cli import forms

    commands: dict[str, Command] = {
        "status": _guarded(cmd_progress_status), "report": _guarded(cmd_progress_report),
        "export": forms.guarded(forms.cmd_progress_export), "import": forms.guarded(forms.cmd_progress_import),
    }
    return commands[args.progress_command](args)


def report_source(plan_id: int, meeting_date: dt.date | None) -> tuple[Plan, dt.date, pd.DataFrame]:
    """For `report --plan-id`: the plan's current version, the meeting date (given, or the default
    for the plan) and each task's progress on that date. Errors are ValueErrors in both languages."""
    from sqlalchemy.exc import SQLAlchemyError

    from analysis import derive
    from analysis.store import open_workspace

    try:
        with open_workspace() as ws:
            plan = ws.load_plan(plan_id)
            meeting = meeting_date or derive.default_meeting_date(plan)
            return plan, meeting, ws.task_status(plan_id, meeting)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise ValueError(f"数据库操作失败：{reason} | database error: {reason}") from None


# ------------------------------------------------------------------------------ wiring


def register(subparsers: Any) -> dict[str, Command]:
    """Add the `workspace` and `progress` commands to the CLI's subparsers; returns {name: handler}.

    In ``analysis/__main__.py``'s ``build_parser``: ``COMMANDS.update(register(sub))``.
    """
    workspace = subparsers.add_parser("workspace", help="plans kept in the workspace database")
    ws_sub = workspace.add_subparsers(dest="workspace_command", required=True)
    add = ws_sub.add_parser("add", help="add a plan (or, with --plan, a new version of one) from a table file")
    add.add_argument("file", help="table file (.txt, .csv, .tsv, .xlsx, .docx)")
    add.add_argument("--plan", type=_plan_id, default=None, metavar="PLAN_ID", help="add a new version of this plan")
    add.add_argument("--user", "--actor", dest="user", default=None, metavar="NAME", help="the account that acts (checked and audited; default: TASKBOARD_USER); --actor: old name")
    add.add_argument("--json", action="store_true", help="print one JSON object")
    add.add_argument("--columns", type=column_mapping, default=None, metavar="MAPPING",
                     help='what columns hold, by header (as for summary): kept with the version')
    listing = ws_sub.add_parser("list", help="the plans in the workspace with their latest version")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    remove = ws_sub.add_parser("remove", help="delete a plan with its versions and progress reports")
    remove.add_argument("plan_id", type=_plan_id, metavar="PLAN_ID")
    remove.add_argument("--json", action="store_true", help="print one JSON object")
    # deploy (issue 19): backup and restore of the whole workspace database
    backup = ws_sub.add_parser("backup", help="copy the whole workspace database to a file (SQLite copy or pg_dump -Fc)")
    backup.add_argument("--out", required=True, metavar="FILE", help="the backup file to write")
    backup.add_argument("--json", action="store_true", help="print one JSON object")
    restore = ws_sub.add_parser("restore", help="replace the workspace database by a backup file")
    restore.add_argument("file", metavar="FILE", help="a file written by `workspace backup`")
    restore.add_argument("--replace", action="store_true", help="overwrite a workspace that holds plans")
    restore.add_argument("--user", "--actor", dest="user", default=None, metavar="NAME",
                         help="an admin of the workspace restored over (needed once it has accounts; audited)")
    restore.add_argument("--json", action="store_true", help="print one JSON object")
    remove.add_argument("--user", "--actor", dest="user", default=None, metavar="NAME", help="the account that acts (checked and audited; default: TASKBOARD_USER); --actor: old name")

    progress = subparsers.add_parser("progress", help="progress reports and red/amber/green status of tasks")
    pr_sub = progress.add_subparsers(dest="progress_command", required=True)
    status = pr_sub.add_parser("status", help="each task's latest status and red/amber/green warning")
    status.add_argument("plan_id", type=_plan_id, metavar="PLAN_ID")
    status.add_argument("--date", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                        help="reference date (default: today); reports dated later are left out")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    report = pr_sub.add_parser("report", help="save one progress report on a task")
    report.add_argument("plan_id", type=_plan_id, metavar="PLAN_ID")
    report.add_argument("task_id", metavar="TASK_ID")
    report.add_argument("--status", required=True, choices=PROGRESS_STATUSES)
    report.add_argument("--percent", type=_percent, default=None, metavar="N", help="0-100")
    report.add_argument("--note", default="", metavar="TEXT")
    report.add_argument("--evidence", default="", metavar="TEXT")
    report.add_argument("--agency", default="", metavar="NAME", help="the reporting agency")
    report.add_argument("--date", type=_iso_date, default=None, metavar="YYYY-MM-DD", help="as of (default: today)")
    report.add_argument("--period", default=None, metavar="PERIOD",
                        help="2020-09 or 2020-Q3 (default: the period of --date)")
    report.add_argument("--expect-previous", type=_expected, default="current", metavar="ID",
                        help="the report this one follows: an id, 'none', or 'current' (default: whatever is "
                             "current now)")
    report.add_argument("--user", "--actor", dest="user", default=None, metavar="NAME", help="the account that acts (checked and audited; default: TASKBOARD_USER); --actor: old name")
    report.add_argument("--json", action="store_true", help="print the saved report as JSON")
    from analysis.cli import forms

    forms.add_parsers(pr_sub)
    return {"workspace": cmd_workspace, "progress": cmd_progress}
