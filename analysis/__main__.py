"""Command line: `python -m analysis summary [PATH] --json` and friends.

Errors exit non-zero with a one-line message on stderr, in Chinese and English
(``错误 error: 中文 | English``), never a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import itertools
import json
import math
import sys
from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]

from analysis.cli.args import column_mapping, whole_number
from analysis.cli.args import iso_date as _iso_date
from analysis.findings import PlanImportError
from analysis.i18n import t
from analysis.model import Plan, gc_paused, json_task_id, load_plan
from analysis.vocab import DEFAULTS, Lang, Role


class CliError(Exception):
    """An error of the command line with its message in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} | {en}")
        self.zh, self.en = zh, en


def _decided(task: Any) -> dict[str, object]:
    """A task moved by a meeting's decision: its published deadline and units beside the decided ones."""
    meetings = getattr(task, "decided_by_meetings", None)
    if not meetings:
        return {}
    published = task.published_deadline
    return {
        "published_deadline": published.date().isoformat(),
        "published_lead": str(task.published_lead_text),
        "published_support": str(task.published_support_text),
        "decided_by_meetings": [int(m) for m in meetings],
    }


_SUMMARY_TASK_COLUMNS = frozenset({
    "task_id", "text", "leaders", "theme", "deadline", "deadline_kind", "deadline_text", "ongoing", "targets",
})


def _iso_dates(column: pd.Series) -> list[str]:
    """Each value's ``.date().isoformat()`` (2022-12-31), converted as one array when the column is
    plain datetime64 (numpy writes a day as YYYY-MM-DD, as isoformat does for years 1-9999)."""
    values = column.to_numpy()
    if values.dtype.kind == "M" and (not values.size or (
        not pd.isna(values).any()
        and values.min() >= np.datetime64("0001-01-01") and values.max() < np.datetime64("10000-01-01")
    )):
        return values.astype("datetime64[D]").astype(str).tolist()  # type: ignore[no-any-return]
    return [value.date().isoformat() for value in column.tolist()]


def _values(column: pd.Series) -> list[Any]:
    """``column.tolist()``; a text column of repeated values (agencies, roles) through its distinct
    values (one Python str per distinct value, not one per row: several times faster)."""
    array = getattr(column.array, "_pa_array", None)  # pandas' Arrow-backed str column
    if array is None or array.null_count or not (pa.types.is_large_string(array.type) or pa.types.is_string(array.type)):
        return column.tolist()  # type: ignore[no-any-return]
    encoded = array.combine_chunks().dictionary_encode()
    distinct = np.array(encoded.dictionary.to_pylist(), dtype=object)
    return distinct[encoded.indices.to_numpy()].tolist()  # type: ignore[no-any-return]


def _members(assignments: pd.DataFrame) -> dict[str, tuple[list[str], list[str]]]:
    """Each task's lead and support agencies, each in table order.

    An import writes each task's assignments together, its leads first: then every task's two
    lists are slices of the agency column, found with whole-column comparisons. Otherwise (an
    edited or stored plan in another order) one pass over the rows (a per-task groupby took
    seconds at 10 000 tasks).
    """
    # Columns as lists: iterating Arrow strings value by value is slow.
    task_ids = _values(assignments["task_id"])
    agencies = _values(assignments["agency"])
    roles = np.array(_values(assignments["role"]), dtype=object)
    members: dict[str, tuple[list[str], list[str]]] = {}
    if not task_ids:
        return members
    is_lead = roles == Role.LEAD.value
    ids = np.array(task_ids, dtype=object)
    changes = ids[1:] != ids[:-1]  # a new task starts at i + 1
    starts = np.concatenate(([0], np.flatnonzero(changes) + 1))
    if (
        (is_lead | (roles == Role.SUPPORT.value)).all()
        and not (is_lead[1:] & ~is_lead[:-1] & ~changes).any()  # no lead after a support of its task
        and len(set(task_ids)) == len(starts)  # each task in one block
    ):
        splits = starts + np.add.reduceat(is_lead.astype(np.int64), starts)
        ends = [*starts[1:].tolist(), len(task_ids)]
        for start, split, end in zip(starts.tolist(), splits.tolist(), ends, strict=True):
            members[task_ids[start]] = (agencies[start:split], agencies[split:end])
        return members
    index = {Role.LEAD.value: 0, Role.SUPPORT.value: 1}
    for task_id, agency, role in zip(task_ids, agencies, roles.tolist(), strict=True):
        members.setdefault(task_id, ([], []))[index[role]].append(agency)
    return members


def summary_dict(plan: Plan) -> dict[str, object]:
    """The plan as one JSON-friendly object (the `summary --json` format)."""
    members = _members(plan.assignments)
    theme_en = dict(zip(plan.themes["theme"], plan.themes["label_en"], strict=True))
    tasks = []
    # Only the columns read below (and a decided plan's, read by _decided).
    columns = [c for c in plan.tasks.columns if c in _SUMMARY_TASK_COLUMNS or c.startswith(("published_", "decided_"))]
    decided = "decided_by_meetings" in columns  # else _decided is {} for every task
    # Rows built from column lists, as itertuples names them (iterating Arrow string columns
    # value by value is slow).
    row_type = namedtuple("Row", columns, rename=True)  # type: ignore[misc]
    frame = plan.tasks
    # A decided plan's rows, for _decided; else no row objects at all.
    rows = zip(*(frame[c].tolist() for c in columns), strict=True) if decided else itertools.repeat(())
    for task_id, text, leaders, theme, deadline, kind, deadline_text, ongoing, targets, values in zip(
        frame["task_id"].tolist(), frame["text"].tolist(), frame["leaders"].tolist(), _values(frame["theme"]),
        _iso_dates(frame["deadline"]), _values(frame["deadline_kind"]), _values(frame["deadline_text"]),
        frame["ongoing"].tolist(), frame["targets"].tolist(), rows, strict=False,
    ):
        lead, support = members.get(task_id) or ([], [])
        task = {
            "id": json_task_id(task_id),
            "text": text,
            "lead": lead,
            "support": support,
            "leaders": list(leaders),
            "theme": theme,
            "theme_en": theme_en.get(theme, theme),
            "deadline": deadline,
            "deadline_kind": kind,
            "deadline_text": deadline_text,
        }
        if decided:
            task.update(_decided(row_type._make(values)))
        task["ongoing"] = bool(ongoing)
        task["targets"] = targets
        tasks.append(task)
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
            # The columns the table was read with (uploaded files; a plan folder's are fixed).
            **({"columns": [{"header": h, "role": r} for h, r in plan.meta.columns]} if plan.meta.columns else {}),
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
    if args.plan_id is not None:
        if args.path is not None:
            raise CliError("PATH 与 --plan-id 只能二选一", "give either PATH or --plan-id, not both")
        from analysis.cli.workspace import _guarded

        return _guarded(_summary_of_workspace_plan)(args)
    plan = load_plan(args.path, columns=args.columns)
    return _print_summary(plan, args)


def _summary_of_workspace_plan(args: argparse.Namespace) -> int:
    from analysis.store import open_workspace

    with open_workspace() as ws:
        plan = ws.load_plan(args.plan_id)
    return _print_summary(plan, args)


def dumps_json(data: object, *, compact: bool = False) -> str:
    """`data` as ``json.dumps(data, ensure_ascii=False, indent=None if compact else 2)`` writes it,
    byte for byte.

    The standard library writes indented JSON in pure Python (seconds for a 100 000-task
    summary); orjson writes it natively, and lays out the same values the same way. So orjson's
    indented text is used when both write every value alike (`_written_alike`); otherwise
    (floats in exponent notation, NaN, integers beyond 64 bits, keys that are not str, lone
    surrogates, types of other classes) json.dumps writes it.
    """
    written = _json_written(data, compact=compact)
    return written.decode("utf-8") if isinstance(written, bytes) else written


def _json_written(data: object, *, compact: bool) -> bytes | str:
    """`dumps_json`: orjson's UTF-8 bytes, or json's text."""
    if not compact and _written_alike(data):
        try:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2)
        except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, a lone surrogate
            pass
    return json.dumps(data, ensure_ascii=False, indent=None if compact else 2)


def _is_utf8(encoding: str | None) -> bool:
    """Whether `encoding` names UTF-8 (any of its aliases: utf8, UTF_8, U8 …)."""
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def print_json(data: object, *, compact: bool = False) -> None:
    """``print(dumps_json(data, compact=compact))``; orjson's UTF-8 bytes are written as they are to a
    UTF-8 stdout (decoding tens of megabytes to print them encoded again took a few tenths of a second)."""
    written = _json_written(data, compact=compact)
    buffer = getattr(sys.stdout, "buffer", None)
    if isinstance(written, str) or buffer is None or not _is_utf8(getattr(sys.stdout, "encoding", None)):
        print(written.decode("utf-8") if isinstance(written, bytes) else written)
        return
    sys.stdout.flush()
    buffer.write(written + b"\n")
    buffer.flush()


_ALIKE_SCALARS = frozenset({str, int, bool, type(None)})


def _written_alike(data: object) -> bool:
    """Whether orjson writes `data` as json.dumps does, unless orjson refuses it (integers beyond
    64 bits, lone surrogates: it raises).

    Both write dicts with str keys, lists, tuples, str, int, bool and None alike, and a finite
    float whose repr has no exponent (both write the shortest repr that reads back: checked on
    660 000 floats); json writes 1e+16 and NaN where orjson writes 1e16 and null. Exact types
    only: orjson writes some classes json refuses (dates, dataclasses) and json some subclasses
    by their own rules, so anything else is json's. One walk over the values, much cheaper than
    writing the data twice to compare.
    """
    stack = [data]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        items: Iterable[object]
        if type(value) is dict:
            for key in value:
                if type(key) is not str:
                    return False
            items = value.values()
        elif type(value) is list or type(value) is tuple:
            items = value
        elif type(value) is float:
            if not math.isfinite(value) or "e" in repr(value):
                return False
            continue
        elif type(value) in _ALIKE_SCALARS:
            continue
        else:
            return False
        for item in items:  # scalars checked here, not pushed (most values are str)
            if type(item) not in _ALIKE_SCALARS:
                push(item)
    return True


def _print_summary(plan: Plan, args: argparse.Namespace) -> int:
    if args.json:
        with gc_paused():  # a summary dict per task: see gc_paused
            print_json(summary_dict(plan), compact=args.compact)
    else:
        _print_summary_text(plan)
    return 0


_positive_int = whole_number(1)
_non_negative_int = whole_number(0)


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是数字：{text!r} | not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"不是有限的数字：{text!r} | not a finite number: {text!r}")
    return value


def cmd_network(args: argparse.Namespace) -> int:
    from analysis.network import network_dict

    plan = load_plan(args.path)
    data = network_dict(plan, include_collective=not args.no_collective, min_weight=args.min_weight)
    if args.json:
        print_json(data, compact=args.compact)
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


def cmd_report(args: argparse.Namespace) -> int:
    """Meeting pack: a .pptx deck or a self-contained .html report (format from --out)."""
    from pathlib import Path

    from analysis import derive, report
    from analysis.render import ChartRenderError

    fmt = report.report_format(args.out)  # before the slow part: a bad name fails at once
    out = Path(args.out)
    if not out.parent.is_dir():
        raise CliError(f"输出文件所在的文件夹不存在：{out.parent}", f"no such folder for the output file: {out.parent}")
    brief = None
    progress = None
    if args.meeting is not None:  # a workspace meeting: its plan as decided, its agenda and decisions
        if args.path is not None:
            raise CliError("PATH 与 --meeting 只能二选一", "give either PATH or --meeting, not both")
        from analysis.store import open_workspace

        with open_workspace() as ws:
            held = ws.meetings.get(args.meeting)
            plan = ws.load_plan(held.plan_id, as_of=held.date)
            brief = ws.meetings.brief(args.meeting)
        meeting = args.meeting_date or held.date
    elif args.plan_id is not None:
        if args.path is not None:
            raise CliError("给出计划文件或 --plan-id，不能同时给出", "give a plan file or --plan-id, not both")
        from analysis.cli.workspace import report_source

        plan, meeting, progress = report_source(args.plan_id, args.meeting_date)
    else:
        plan = load_plan(args.path)
        meeting = args.meeting_date or derive.default_meeting_date(plan)
    try:
        data = report.build_report(
            plan, fmt, meeting_date=meeting, lang=args.lang, agency=args.agency,
            lead_weight=args.lead_weight, window_days=args.window_days, meeting=brief, progress=progress,
        )
    except ChartRenderError as exc:
        raise CliError(f"无法生成图表（{exc}）", f"cannot render the charts ({exc})") from None
    except ValueError as exc:
        # The report's own messages come from the catalogue in --lang: say them in both languages.
        for key, values in (("report_unknown_agency", {"agency": args.agency}), ("report_no_tasks", {})):
            if str(exc) == t(key, args.lang, **values):
                raise CliError(t(key, Lang.ZH, **values), t(key, Lang.EN, **values)) from None
        raise
    out.write_bytes(data)
    print(out)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "summary": cmd_summary, "network": cmd_network, "report": cmd_report,
}


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line in Chinese and English (no usage block)."""

    def error(self, message: str) -> NoReturn:
        zh = en = message
        where, _, detail = message.partition(": ")
        if " | " in detail:  # "argument --x: 中文 | English" from the type functions below
            detail_zh, _, detail_en = detail.partition(" | ")
            zh, en = f"{where.replace('argument ', '参数 ')}：{detail_zh}", f"{where}: {detail_en}"
        text = f"命令行参数有误：{zh}（python -m analysis -h 查看用法） | invalid command line: {en} " \
               "(python -m analysis -h shows the usage)"
        self.exit(2, _one_line(text) + "\n")


def _one_line(text: str) -> str:
    return "错误 error: " + " ".join(text.split())


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description="任务分工看板 · task division analytics")
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", help="tasks, agencies and warnings of a plan")
    summary.add_argument("path", nargs="?", default=None, help="plan file or folder (default: bundled Zhejiang plan)")
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    summary.add_argument("--compact", action="store_true", help="JSON on one line")
    summary.add_argument("--plan-id", type=_positive_int, default=None, metavar="PLAN_ID",
                         help="a plan of the workspace (TASKBOARD_DB), as decided at its meetings")
    summary.add_argument(
        "--columns", type=column_mapping, default=None, metavar="MAPPING",
        help='what columns hold, by header: "民生实事=text,责任单位=responsible" (roles: number, category, text, '
             "detail, lead, support, responsible, leader, deadline, progress, notes, other); others keep "
             "their detected role",
    )
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
    report.add_argument("--meeting", type=_positive_int, default=None, metavar="MEETING_ID",
                        help="a workspace meeting (TASKBOARD_DB): its plan as decided, agenda and decisions slides")
    report.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (default zh)")
    report.add_argument("--lead-weight", type=_number, default=DEFAULTS.lead_weight, metavar="W",
                        help=f"weight of a led task (default {DEFAULTS.lead_weight:g})")
    report.add_argument("--window-days", type=_non_negative_int, default=DEFAULTS.due_window_days, metavar="N",
                        help=f"'due soon' window (default {DEFAULTS.due_window_days})")
    from analysis.cli import workspace as workspace_cli

    COMMANDS.update(workspace_cli.register(sub))
    from analysis.cli import meetings as meetings_cli

    COMMANDS.update(meetings_cli.register(sub))
    from analysis.cli import portfolio as portfolio_cli  # branch cross (issue 17): `agency`

    COMMANDS.update(portfolio_cli.register(sub))
    # branch auth (issue 18): accounts and the audit trail
    from analysis.cli import users as users_cli

    COMMANDS.update(users_cli.register(sub))
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
        print(_one_line(f"{exc.message('zh')} | {exc.message('en')}"), file=sys.stderr)
        return 2
    except CliError as exc:
        print(_one_line(f"{exc.zh} | {exc.en}"), file=sys.stderr)
        return 2
    except OSError as exc:
        where = exc.filename or ""
        reason = exc.strerror or type(exc).__name__
        print(_one_line(f"无法读写文件 {where}（{reason}） | cannot read or write {where or 'a file'} ({reason})"),
              file=sys.stderr)
        return 2
    except (ValueError, OverflowError) as exc:
        print(_one_line(f"无法完成（{exc}） | cannot complete the command ({exc})"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
