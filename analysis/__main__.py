"""Command line: `python -m analysis summary [PATH] --json` and friends.

Errors exit non-zero with a one-line message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence

from analysis.findings import PlanImportError
from analysis.model import Plan, json_task_id, load_plan
from analysis.vocab import DEFAULTS, Role


def summary_dict(plan: Plan) -> dict[str, object]:
    """The plan as one JSON-friendly object (the `summary --json` format)."""
    # One pass over the assignments (already in table order): a per-task groupby took
    # seconds at 10 000 tasks.
    members: dict[str, dict[str, list[str]]] = {}
    for task_id, agency, role in plan.assignments[["task_id", "agency", "role"]].itertuples(index=False):
        members.setdefault(task_id, {Role.LEAD: [], Role.SUPPORT: []})[Role(role)].append(agency)
    theme_en = dict(zip(plan.themes["theme"], plan.themes["label_en"], strict=True))
    tasks = []
    for task in plan.tasks.itertuples(index=False):
        roles = members.get(task.task_id, {Role.LEAD: [], Role.SUPPORT: []})
        tasks.append({
            "id": json_task_id(task.task_id),
            "text": task.text,
            "lead": roles[Role.LEAD],
            "support": roles[Role.SUPPORT],
            "leaders": list(task.leaders),
            "theme": task.theme,
            "theme_en": theme_en.get(task.theme, task.theme),
            "deadline": task.deadline.date().isoformat(),
            "deadline_kind": task.deadline_kind,
            "deadline_text": task.deadline_text,
            "ongoing": bool(task.ongoing),
            "targets": task.targets,
        })
    agencies = [
        {
            "name": a.agency,
            "full_name": a.full_name,
            "english_name": a.english_name,
            "type": a.type,
            "registered": bool(a.registered),
            "lead": int(a.lead),
            "support": int(a.support),
        }
        for a in plan.agencies.itertuples(index=False)
    ]
    return {
        "plan": {
            "title": plan.meta.title,
            "title_en": plan.meta.title_en,
            "region": plan.meta.region,
            "period": [plan.meta.period_start.isoformat(), plan.meta.period_end.isoformat()],
            "source": plan.meta.source,
            "notes": list(plan.meta.notes),
        },
        "tasks": tasks,
        "agencies": agencies,
        "warnings": [f.to_dict() for f in plan.report.warnings],
        "rules": [{"zh": zh, "en": en} for zh, en in plan.report.rules],
    }


def _print_summary_text(plan: Plan) -> None:
    meta = plan.meta
    print(f"{meta.title}  ({meta.period_start.year}–{meta.period_end.year})")
    print(f"任务 tasks: {len(plan.tasks)}    单位 agencies: {len(plan.agencies)}")
    print(f"{'单位 agency':<16}{'牵头 lead':>10}{'配合 support':>14}")
    for a in plan.agencies.sort_values(["lead", "support"], ascending=False).itertuples(index=False):
        print(f"{a.agency:<16}{a.lead:>10}{a.support:>14}")
    for finding in plan.report.warnings:
        print("警告 warning: " + finding.message("zh"), file=sys.stderr)


def cmd_summary(args: argparse.Namespace) -> int:
    plan = load_plan(args.path)
    if args.json:
        print(json.dumps(summary_dict(plan), ensure_ascii=False, indent=None if args.compact else 2))
    else:
        _print_summary_text(plan)
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def cmd_network(args: argparse.Namespace) -> int:
    from analysis.network import network_dict

    plan = load_plan(args.path)
    data = network_dict(plan, include_collective=not args.no_collective, min_weight=args.min_weight)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=None if args.compact else 2))
        return 0
    print(f"{plan.meta.title}  协作网络 collaboration network")
    print(
        f"单位 agencies: {len(data['nodes'])}    合作关系 ties: {len(data['edges'])}    "
        f"密度 density: {data['density']:.3f}    群组 communities: {data['communities']}    "
        f"连通部分 components: {data['components']}"
    )
    print(f"{'单位 agency':<16}{'合作 degree':>12}{'中介 betweenness':>18}{'群组 community':>16}")
    for node in sorted(data["nodes"], key=lambda n: (-n["degree"], -n["betweenness"])):
        print(f"{node['name']:<16}{node['degree']:>12}{node['betweenness']:>18.3f}{node['community']:>16}")
    return 0


def _iso_date(text: str) -> dt.date:

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def cmd_report(args: argparse.Namespace) -> int:
    """Meeting pack: a .pptx deck or a self-contained .html report (format from --out)."""
    from pathlib import Path

    from analysis import derive, report
    from analysis.render import ChartRenderError

    fmt = report.report_format(args.out)  # before the slow part: a bad name fails at once
    out = Path(args.out)
    if not out.parent.is_dir():
        raise FileNotFoundError(f"no such folder for the output file: {out.parent}")
    progress = None
    if args.plan_id is not None:
        if args.path is not None:
            raise ValueError("给出计划文件或 --plan-id，不能同时给出 | give a plan file or --plan-id, not both")
        from analysis.cli.workspace import report_source

        plan, meeting, progress = report_source(args.plan_id, args.meeting_date)
    else:
        plan = load_plan(args.path)
        meeting = args.meeting_date or derive.default_meeting_date(plan)
    try:
        data = report.build_report(
            plan, fmt, meeting_date=meeting, lang=args.lang, agency=args.agency,
            lead_weight=args.lead_weight, window_days=args.window_days, progress=progress,
        )
    except ChartRenderError as exc:
        print(f"错误 error: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    out.write_bytes(data)
    print(out)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "summary": cmd_summary, "network": cmd_network, "report": cmd_report,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description="任务分工看板 · task division analytics")
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", help="tasks, agencies and warnings of a plan")
    summary.add_argument("path", nargs="?", default=None, help="plan file or folder (default: bundled Zhejiang plan)")
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    summary.add_argument("--compact", action="store_true", help="JSON on one line")
    network = sub.add_parser("network", help="co-assignment network of agencies with centrality metrics")
    network.add_argument("path", nargs="?", default=None, help="plan file or folder (default: bundled Zhejiang plan)")
    network.add_argument("--json", action="store_true", help="print one JSON object")
    network.add_argument("--compact", action="store_true", help="JSON on one line")
    network.add_argument("--no-collective", action="store_true", help="leave out collective units (各省级单位 …)")
    network.add_argument("--min-weight", type=_positive_int, default=1, metavar="N", help="keep ties with at least N shared tasks")
    report = sub.add_parser("report", help="meeting pack: slides (.pptx) or an offline HTML report (.html)")
    report.add_argument("path", nargs="?", default=None, help="plan file or folder (default: bundled Zhejiang plan)")
    report.add_argument("--out", required=True, metavar="FILE", help="output file: pack.pptx or report.html")
    report.add_argument("--agency", default=None, help="one agency's pack (label, full or English name)")
    report.add_argument("--plan-id", type=_positive_int, default=None, metavar="PLAN_ID",
                        help="the plan and its progress from the workspace (TASKBOARD_DB) instead of a file")
    report.add_argument("--meeting-date", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                        help="default: today, kept inside the plan period")
    report.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (default zh)")
    report.add_argument("--lead-weight", type=float, default=DEFAULTS.lead_weight, metavar="W",
                        help=f"weight of a led task (default {DEFAULTS.lead_weight:g})")
    report.add_argument("--window-days", type=int, default=DEFAULTS.due_window_days, metavar="N",
                        help=f"'due soon' window (default {DEFAULTS.due_window_days})")
    from analysis.cli import workspace as workspace_cli

    COMMANDS.update(workspace_cli.register(sub))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except PlanImportError as exc:
        print(f"错误 error: {exc.message('zh')} | {exc.message('en')}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"错误 error: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
