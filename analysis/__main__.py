"""Command line: `python -m analysis summary [PATH] --json` and friends.

Errors exit non-zero with a one-line message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from analysis.findings import PlanImportError
from analysis.model import Plan, load_plan


def summary_dict(plan: Plan) -> dict[str, object]:
    """The plan as one JSON-friendly object (the `summary --json` format)."""
    by_task = plan.assignments.groupby("task_id", sort=False)
    members: dict[str, dict[str, list[str]]] = {}
    for task_id, group in by_task:
        members[str(task_id)] = {
            role: group.loc[group["role"] == role].sort_values("position")["agency"].tolist()
            for role in ("lead", "support")
        }
    theme_en = dict(zip(plan.themes["theme"], plan.themes["label_en"], strict=True))
    tasks = []
    for task in plan.tasks.itertuples(index=False):
        roles = members.get(task.task_id, {"lead": [], "support": []})
        tasks.append({
            "id": int(task.task_id) if task.task_id.isdigit() else task.task_id,
            "text": task.text,
            "lead": roles["lead"],
            "support": roles["support"],
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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"summary": cmd_summary}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description="任务分工看板 · task division analytics")
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", help="tasks, agencies and warnings of a plan")
    summary.add_argument("path", nargs="?", default=None, help="plan file or folder (default: bundled Zhejiang plan)")
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    summary.add_argument("--compact", action="store_true", help="JSON on one line")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except PlanImportError as exc:
        print(f"错误 error: {exc.message('zh')} | {exc.message('en')}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"错误 error: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
