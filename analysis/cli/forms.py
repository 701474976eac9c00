"""`python -m analysis progress export|import`: agencies' progress forms from the command line.

    progress export PLAN_ID --agency NAME --out FORM.xlsx [--lang zh|en] [--json]
        → {"plan_id", "version", "agency", "tasks", "lead", "support", "out"}
    progress import PLAN_ID FILE... [--yes] [--date YYYY-MM-DD] [--lang zh|en] [--json]
        → {"plan_id", "version", "saved", "forms": [...], "reports", "skipped", "changes": [...],
           "errors": [...], "report_ids": [...], "read_as": [...]}

``export`` writes the agency's form from the plan's current version and the latest report of
each task. ``import`` reads filled forms, and plan tables that carry a 进展情况 / 完成情况 column
(``analysis.progress_table``: each row's status read from its text, listed in ``read_as`` and in
the preview, unclear texts marked); without ``--yes`` it prints what saving would change
and saves nothing; with ``--yes`` it saves every report of every form in one transaction, or
nothing when any form has an error. Each error is one line on stderr naming the file and row,
in Chinese and English; the exit code is 2 (3 when somebody reported on a task meanwhile).

A task reported by several agencies in one batch (its lead and supporting agencies) gets all
their reports, in date order, the lead agency's last among reports of the same date: that one
is the task's current report.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.cli.workspace import (
    EXIT_ERROR,
    Command,
    _actor,
    _fail,
    _guarded,
    _iso_date,
    _json_value,
    _plan_id,
    _print_json,
)
from analysis.vocab import Bilingual, Lang, Role

if TYPE_CHECKING:
    import pandas as pd

    from analysis.model import Plan
    from analysis.progress_forms import FormImport, ProgressReport
    from analysis.progress_table import TableReading
    from analysis.store import ReportInput, Workspace


class _CliError(Exception):
    """An expected failure of a form command: its bilingual message, printed on one line."""

    def __init__(self, text: Bilingual) -> None:
        self.text = text
        super().__init__(f"{text.zh} | {text.en}")


def _current_plan(ws: Workspace, plan_id: int) -> tuple[Plan, int]:
    """The plan's current version as a model, and that version's number."""
    version = ws.versions(plan_id)[-1].version
    return ws.load_plan(plan_id, version), version


def resolve_agency(plan: Plan, agency: str) -> str:
    """The plan's label of ``agency`` (given as its label, full name or English name)."""
    wanted = agency.strip().casefold()
    frame = plan.agencies
    for column in ("agency", "full_name", "english_name"):
        if column not in frame.columns:
            continue
        hits = frame.loc[frame[column].astype(str).str.strip().str.casefold() == wanted, "agency"]
        if not hits.empty:
            return str(hits.iloc[0])
    raise _CliError(Bilingual(
        f"单位“{agency}”不在该计划中（可用 python -m analysis summary 查看单位名单）",
        f"agency '{agency}' is not in this plan (python -m analysis summary lists its agencies)",
    ))


# ------------------------------------------------------------------------------ export


def cmd_progress_export(args: argparse.Namespace) -> int:
    from analysis.progress_forms import FormExportError, export_form
    from analysis.store import open_workspace

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise _CliError(Bilingual(f"填报表须保存为 .xlsx 文件：{out}", f"the form is written as an .xlsx file: {out}"))
    if not out.parent.is_dir():
        raise _CliError(Bilingual(f"输出文件夹不存在：{out.parent}", f"no such folder for the output file: {out.parent}"))
    with open_workspace() as ws:
        plan, version = _current_plan(ws, args.plan_id)
        agency = resolve_agency(plan, args.agency)
        latest = ws.latest_reports(args.plan_id)
    try:
        data = export_form(plan, agency, latest, plan_id=str(args.plan_id), version=version, lang=args.lang)
    except FormExportError as exc:
        raise _CliError(exc.bilingual) from None
    out.write_bytes(data)
    mine = plan.assignments.loc[plan.assignments["agency"] == agency]
    lead = int(mine.loc[mine["role"] == Role.LEAD, "task_id"].nunique())
    tasks = int(mine["task_id"].nunique())
    if args.json:
        _print_json({"plan_id": args.plan_id, "version": version, "agency": agency, "tasks": tasks,
                     "lead": lead, "support": tasks - lead, "out": str(out)})
    else:
        print(f"已生成填报表 form written: {out}  单位 agency: {agency}  方案 plan {args.plan_id} "
              f"第 {version} 版 version {version}  任务 tasks: {tasks}（牵头 lead {lead}）")
    return 0


# ------------------------------------------------------------------------------ import


def _read_files(paths: list[str]) -> list[tuple[str, bytes]]:
    files = []
    for name in paths:
        path = Path(name)
        try:
            files.append((name, path.read_bytes()))
        except IsADirectoryError:
            raise _CliError(Bilingual(f"需要填报表文件，而不是文件夹：{name}",
                                      f"a form file is needed, not a folder: {name}")) from None
        except FileNotFoundError:
            raise _CliError(Bilingual(f"找不到文件：{name}", f"no such file: {name}")) from None
        except OSError as exc:
            raise _CliError(Bilingual(f"无法读取 {name}：{exc.strerror}",
                                      f"cannot read {name}: {exc.strerror}")) from None
    return files


def save_order(plan: Plan, reports: tuple[ProgressReport, ...]) -> list[ProgressReport]:
    """The reports in the order they are saved: form order, but the reports of one task by date,
    the lead agency's last among the same date (the last one saved is the task's current report)."""
    a = plan.assignments
    leads = set(zip(a.loc[a["role"] == Role.LEAD, "task_id"].astype(str),
                    a.loc[a["role"] == Role.LEAD, "agency"].astype(str), strict=True))
    first_seen: dict[str, int] = {}
    for position, report in enumerate(reports):
        first_seen.setdefault(report.task_id, position)
    return sorted(reports, key=lambda r: (first_seen[r.task_id], r.as_of, (r.task_id, r.agency) in leads))


def report_inputs(plan: Plan, result: FormImport, latest: pd.DataFrame) -> list[ReportInput]:
    """What ``Workspace.import_reports(..., repeats=True)`` saves for the forms: every report names
    the task's current report as the forms were read."""
    from analysis.store import ReportInput

    current = {str(t): int(r) for t, r in zip(latest["task_id"], latest["report_id"], strict=True)}
    return [
        ReportInput(r.task_id, r.status, current.get(r.task_id), percent=r.percent, note=r.note,
                    evidence=r.evidence, agency=r.agency, as_of=r.as_of)
        for r in save_order(plan, result.reports)
    ]


def _change_records(changes: pd.DataFrame) -> list[dict[str, Any]]:
    from analysis.model import json_task_id

    keys = ("task_id", "agency", "change", "status_before", "status_after", "percent_before", "percent_after",
            "note_after", "evidence", "as_of", "summary", "file", "row")
    records = []
    for row in changes.to_dict("records"):
        record = {key: _json_value(row[key]) for key in keys}
        record["task_id"] = json_task_id(str(row["task_id"]))
        records.append(record)
    return records


def _print_preview(result: FormImport, changes: pd.DataFrame, lang: str,
                   readings: tuple[TableReading, ...] = ()) -> None:
    from analysis.progress_forms import CHANGE_LABELS, Change

    for form in result.forms:
        print(f"{form.file}: {form.agency or '进展情况列 progress column'}  任务 tasks {form.tasks}")
    if readings:
        print("由进展文字判断的状态 status read from the progress text:")
        for reading in readings:
            mark = "  ⚠ 请核对 check" if reading.reading.unclear else ""
            print(f"  {reading.file}, {reading.row}: {reading.task_id} → {reading.reading.status.value}"
                  f"  ({reading.reading.reason(lang)}){mark}")
    print(f"{'任务 task':<10}{'单位 agency':<14}{'变化 change':<14}说明 what changes")
    for row in changes.itertuples(index=False):
        label = CHANGE_LABELS[Change(str(row.change))](lang)
        print(f"{row.task_id!s:<10}{row.agency!s:<14}{label:<14}{row.summary}  ({row.file}, {row.row})")
    print(f"报送 reports: {len(result.reports)}  空行 rows left empty: {result.skipped_count}")


def cmd_progress_import(args: argparse.Namespace) -> int:
    from analysis.progress_forms import describe_changes
    from analysis.progress_table import read_progress_files, reading_records
    from analysis.store import open_workspace

    files = _read_files(args.files)
    with open_workspace() as ws:
        plan, version = _current_plan(ws, args.plan_id)
        latest = ws.latest_reports(args.plan_id)
        read = read_progress_files(files, plan, plan_id=str(args.plan_id), version=version,
                                   as_of_default=args.date or dt.date.today())
        result = read.result
        changes = describe_changes(result, latest, lang=args.lang)
        saved: list[int] = []
        if result.ok and args.yes and result.reports:
            reports = ws.import_reports(args.plan_id, report_inputs(plan, result, latest), actor=_actor(args),
                                        repeats=True)
            saved = [r.report_id for r in reports]
    if args.json:
        _print_json({
            "plan_id": args.plan_id, "version": version, "saved": bool(saved),
            "forms": [{"file": f.file, "agency": f.agency, "tasks": f.tasks} for f in result.forms],
            "reports": len(result.reports), "skipped": result.skipped_count,
            "changes": _change_records(changes), "errors": [e.to_dict() for e in result.errors],
            "report_ids": saved, "read_as": reading_records(read.readings),
        })
    else:
        _print_preview(result, changes, args.lang, read.readings)
    if not result.ok:
        for error in result.errors:
            _fail(f"{error.text('zh')} | {error.text('en')}")
        return EXIT_ERROR
    if not args.json:
        if saved:
            print(f"已保存 {len(saved)} 条报送 | saved {len(saved)} reports")
        elif not result.reports:
            print("填报表中没有填写任何进展，未保存 | the forms report nothing: nothing saved")
        else:
            print(f"未保存：确认无误后加 --yes 保存这 {len(result.reports)} 条报送 | "
                  f"nothing saved: run again with --yes to save these {len(result.reports)} reports")
    return 0


# ------------------------------------------------------------------------------ wiring


def guarded(command: Command) -> Command:
    """``workspace._guarded`` plus this module's own expected failures."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except _CliError as exc:
            _fail(str(exc))
            return EXIT_ERROR

    return _guarded(run)


def add_parsers(pr_sub: Any) -> None:
    """Add `export` and `import` to the `progress` subcommands (``cmd_progress`` runs them)."""
    export = pr_sub.add_parser("export", help="an agency's progress form (.xlsx) to fill in")
    export.add_argument("plan_id", type=_plan_id, metavar="PLAN_ID")
    export.add_argument("--agency", required=True, metavar="NAME", help="the agency (label, full or English name)")
    export.add_argument("--out", required=True, metavar="FORM.xlsx", help="the form file to write")
    export.add_argument("--lang", choices=list(Lang), default=Lang.ZH.value, help="the form's language (default zh)")
    export.add_argument("--json", action="store_true", help="print one JSON object")
    imp = pr_sub.add_parser("import", help="read filled progress forms or tables with a progress column; save with --yes")
    imp.add_argument("plan_id", type=_plan_id, metavar="PLAN_ID")
    imp.add_argument("files", nargs="+", metavar="FILE",
                     help="filled forms (.xlsx), or plan tables with a 进展情况 / 完成情况 column (any plan format)")
    imp.add_argument("--yes", action="store_true",
                     help="save the reports (without it: show what would change and save nothing)")
    imp.add_argument("--date", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                     help="the report date of rows that give none (default: today)")
    imp.add_argument("--lang", choices=list(Lang), default=Lang.ZH.value, help="language of the preview (default zh)")
    imp.add_argument("--user", "--actor", dest="user", default=None, metavar="NAME", help="the account that acts (checked and audited; default: TASKBOARD_USER); --actor: old name")
    imp.add_argument("--json", action="store_true", help="print one JSON object")
