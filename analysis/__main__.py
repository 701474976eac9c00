"""Command line: `python -m analysis summary [PATH] --json` and friends.

Errors exit non-zero with a one-line message on stderr, in Chinese and English
(``错误 error: 中文 | English``), never a traceback.
"""

from __future__ import annotations

import gc

_COLLECTING = gc.isenabled()
if __name__ == "__main__":
    # Run as a script: the imports below make a few hundred thousand objects, all of them kept;
    # the cyclic collector would walk them about 150 times for nothing (about 0.1 of the start's
    # 0.9 CPU s). `_run_as_script` turns it back on.
    gc.disable()

import argparse
import codecs
import json
import math
import operator
import os
import sys
from collections import namedtuple
from collections.abc import Callable, Sequence
from itertools import chain, compress, repeat
from typing import Any, NoReturn, cast

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
    plain datetime64 (numpy writes a day as YYYY-MM-DD, as isoformat does for years 1-9999): each
    distinct value once (a plan's deadlines are a few hundred dates; numpy writes a date to text
    slowly), gathered by its codes."""
    values = column.to_numpy()
    if values.dtype.kind == "M" and (not values.size or (
        not pd.isna(values).any()
        and values.min() >= np.datetime64("0001-01-01") and values.max() < np.datetime64("10000-01-01")
    )):
        codes, distinct = pd.factorize(values.view(np.int64))  # (the values as they are stored: no unit changed)
        written = distinct.view(values.dtype).astype("datetime64[D]").astype(str).tolist()
        return np.array(written, dtype=object)[codes].tolist()  # type: ignore[no-any-return]
    return [value.date().isoformat() for value in column.tolist()]


def _values(column: pd.Series) -> list[Any]:
    """``column.tolist()``; a text column of repeated values (agencies, roles) through its distinct
    values (one Python str per distinct value, not one per row: several times faster)."""
    array = getattr(column.array, "_pa_array", None)  # pandas' Arrow-backed str column
    is_text = array is not None and (pa.types.is_large_string(array.type) or pa.types.is_string(array.type))
    coded = _codes(column) if is_text else None  # (None: a value is missing)
    if coded is None:
        return column.tolist()  # type: ignore[no-any-return]
    distinct, codes = coded
    return np.array(distinct, dtype=object)[codes].tolist()  # type: ignore[no-any-return]


def _members(assignments: pd.DataFrame) -> dict[str, tuple[list[str], list[str]]]:
    """Each task's lead and support agencies, each in table order.

    An import writes each task's assignments together, its leads first: then every task's two
    lists are slices of the agency column, found with whole-column comparisons of the task ids'
    and roles' dictionary codes. Otherwise (an edited or stored plan in another order) one pass
    over the rows (a per-task groupby took seconds at 10 000 tasks).
    """
    return _members_of(assignments, _member_blocks(assignments))


def _members_of(
    assignments: pd.DataFrame, blocks: tuple[list[str], list[list[str]], list[list[str]]] | None,
) -> dict[str, tuple[list[str], list[str]]]:
    """`_members`, given `_member_blocks(assignments)`."""
    if blocks is not None:
        task_ids, leads, supports = blocks
        return dict(zip(task_ids, zip(leads, supports, strict=True), strict=True))
    # Columns as lists: iterating Arrow strings value by value is slow.
    members: dict[str, tuple[list[str], list[str]]] = {}
    index = {Role.LEAD.value: 0, Role.SUPPORT.value: 1}
    for task_id, agency, role in zip(
        _values(assignments["task_id"]), _values(assignments["agency"]), _values(assignments["role"]), strict=True,
    ):
        members.setdefault(task_id, ([], []))[index[role]].append(agency)
    return members


def _codes(column: pd.Series) -> tuple[list[Any], np.ndarray] | None:
    """A column as (its distinct values in order of first appearance, each row's index into them);
    None when a value is missing."""
    codes, distinct = pd.factorize(column)
    if (codes < 0).any():
        return None
    return distinct.tolist(), codes


def _member_blocks(assignments: pd.DataFrame) -> tuple[list[str], list[list[str]], list[list[str]]] | None:
    """When each task's assignments are one block of rows, its leads first (as an import writes
    them): the task ids in block order and each block's lead and support agencies (slices of the
    agency column). None for any other order, or columns that are not plain text."""
    task_codes, role_codes = _codes(assignments["task_id"]), _codes(assignments["role"])
    if task_codes is None or role_codes is None:
        return None
    task_ids, tasks = task_codes
    if not len(tasks):
        return [], [], []
    roles, role_of_row = role_codes
    if not set(roles) <= {Role.LEAD.value, Role.SUPPORT.value}:
        return None
    is_lead = role_of_row == (roles.index(Role.LEAD.value) if Role.LEAD.value in roles else -1)
    changes = tasks[1:] != tasks[:-1]  # a new task starts at i + 1
    if (is_lead[1:] & ~is_lead[:-1] & ~changes).any():  # a lead after a support of its task
        return None
    starts = np.concatenate(([0], np.flatnonzero(changes) + 1))
    # Each task in one block: as many blocks as distinct ids, in order of first appearance.
    if len(starts) != len(task_ids):
        return None
    splits = (starts + np.add.reduceat(is_lead.astype(np.int64), starts)).tolist()
    ends = [*starts[1:].tolist(), len(tasks)]
    agencies = _values(assignments["agency"])
    starts_list = starts.tolist()
    leads = list(map(agencies.__getitem__, map(slice, starts_list, splits)))
    supports = list(map(agencies.__getitem__, map(slice, splits, ends)))
    return task_ids, leads, supports


def _json_task_ids(task_ids: list[str]) -> list[int | str]:
    """``[json_task_id(i) for i in task_ids]``; when every id is a plain number of ASCII digits (as
    most tables write them), all converted by one ``map(int, …)``."""
    if task_ids and all(task_ids) and max(map(len, task_ids)) <= 18:
        joined = "".join(task_ids)
        if joined.isascii() and joined.isdigit():
            return list(map(int, task_ids))
    return list(map(json_task_id, task_ids))


def summary_dict(plan: Plan) -> dict[str, object]:
    """The plan as one JSON-friendly object (the `summary --json` format)."""
    return _summary(plan)[0]


def _summary(plan: Plan) -> tuple[dict[str, object], bool]:
    """`summary_dict`, and whether orjson writes it as json.dumps does (`_written_alike`),
    checked on the task columns before each task's dict is made of them (checking the dicts
    afterwards cost about as much as writing them: their keys, taken apart into columns again)."""
    frame = plan.tasks
    task_ids: list[str] = frame["task_id"].tolist()
    blocks = _member_blocks(plan.assignments)
    if blocks is not None and blocks[0] == task_ids:  # the assignments in the tasks' order
        leads, supports = blocks[1], blocks[2]
    else:
        members = _members_of(plan.assignments, blocks)
        found = [members.get(task_id) or ([], []) for task_id in task_ids]
        leads, supports = [lead for lead, _ in found], [support for _, support in found]
    theme_en = dict(zip(plan.themes["theme"], plan.themes["label_en"], strict=True))
    themes = _values(frame["theme"])
    # Only the columns read by _decided (a decided plan's); else no row objects at all.
    columns = [c for c in frame.columns if c in _SUMMARY_TASK_COLUMNS or c.startswith(("published_", "decided_"))]
    decided: list[dict[str, object]] | None = None  # (None: no task moved by a meeting)
    if "decided_by_meetings" in columns:
        row_type = namedtuple("Row", columns, rename=True)  # type: ignore[misc]
        decided = [
            _decided(row_type._make(values)) for values in zip(*(frame[c].tolist() for c in columns), strict=True)
        ]
    # One dict display per task over column lists, its keys in the format's order (iterating Arrow
    # string columns value by value, or a function call per task, is slow).
    ids, texts, leaders_column = _json_task_ids(task_ids), frame["text"].tolist(), list(map(list, frame["leaders"].tolist()))
    english, deadlines = list(map(theme_en.get, themes, themes)), _iso_dates(frame["deadline"])
    kinds, deadline_texts = _values(frame["deadline_kind"]), _values(frame["deadline_text"])
    ongoing_column, targets_column = list(map(bool, frame["ongoing"].tolist())), frame["targets"].tolist()
    alike = (decided is None or _written_alike(decided)) and all(map(_written_alike, (  # (the keys: the str below)
        ids, texts, leads, supports, leaders_column, themes, english, deadlines, kinds, deadline_texts, ongoing_column,
        targets_column,
    )))
    tasks = [  # each with the keys of its meetings' decision (if any) before "ongoing"
        {
            "id": task_id,
            "text": text,
            "lead": lead,
            "support": support,
            "leaders": leaders,
            "theme": theme,
            "theme_en": theme_english,
            "deadline": deadline,
            "deadline_kind": kind,
            "deadline_text": deadline_text,
            **moved,
            "ongoing": ongoing,
            "targets": targets,
        }
        for task_id, text, lead, support, leaders, theme, theme_english, deadline, kind, deadline_text, moved,
        ongoing, targets in zip(
            ids, texts, leads, supports, leaders_column, themes, english, deadlines, kinds, deadline_texts,
            repeat({}) if decided is None else decided, ongoing_column, targets_column, strict=False,
        )  # (strict=False: repeat never ends; the other columns are the tasks')
    ]
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
    summary: dict[str, object] = {
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
    return summary, alike and _written_alike({**summary, "tasks": []})


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
    with gc_paused():  # the import and the summary in one pause (see `_hold`)
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


def _json_written(data: object, *, compact: bool, alike: bool | None = None) -> bytes | str:
    """`dumps_json`: orjson's UTF-8 bytes, or json's text. `alike`: `_written_alike(data)` when the
    caller has checked it (None: checked here)."""
    if not compact and (_written_alike(data) if alike is None else alike):
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


def print_json(data: object, *, compact: bool = False, alike: bool | None = None) -> None:
    """``print(dumps_json(data, compact=compact))``; orjson's UTF-8 bytes are written as they are to a
    UTF-8 stdout (decoding tens of megabytes to print them encoded again took a few tenths of a second)."""
    written = _json_written(data, compact=compact, alike=alike)
    buffer = getattr(sys.stdout, "buffer", None)
    if isinstance(written, str) or buffer is None or not _is_utf8(getattr(sys.stdout, "encoding", None)):
        print(written.decode("utf-8") if isinstance(written, bytes) else written)
        return
    sys.stdout.flush()
    _write_all(buffer, written)  # (then the line break alone: adding it would copy tens of megabytes)
    _write_all(buffer, b"\n")
    buffer.flush()


def _write_all(stream: Any, data: bytes) -> None:
    """Write all of `data` to a binary stream. Under ``python -u`` or PYTHONUNBUFFERED, stdout's
    binary layer is the raw file, whose ``write`` may take only part of a large output (a signal
    during a write to a pipe): the rest is written until none is left."""
    view = memoryview(data)
    while view:
        count = stream.write(view)
        if count is None:  # a non-blocking stdout that cannot take more now
            raise BlockingIOError(f"stdout took no more of the output ({len(view)} bytes left)")
        view = view[count:]


# The exact types orjson and json write alike (floats: when finite and without an exponent).
_ALIKE_TYPES = frozenset({dict, list, tuple, str, int, bool, type(None), float})
_LEAF_TYPES = frozenset({str, int, bool, type(None)})  # written alike whatever their value
_MAX_DEPTH = 255  # orjson refuses deeper nesting; json.dumps then reports it (or a cycle)


def _written_alike(data: object) -> bool:
    """Whether orjson writes `data` as json.dumps does, unless orjson refuses it (integers beyond
    64 bits, lone surrogates: it raises).

    Both write dicts with str keys, lists, tuples, str, int, bool and None alike, and a finite
    float whose repr has no exponent (both write the shortest repr that reads back: checked on
    660 000 floats); json writes 1e+16 and NaN where orjson writes 1e16 and null. Exact types
    only: orjson writes some classes json refuses (dates, dataclasses) and json some subclasses
    by their own rules, so anything else is json's.

    Checked one nesting level at a time, by columns: the values of a list of dicts with the same
    keys are taken key by key (a summary's tasks: its texts, its lists of agencies …), so most
    columns hold one type and are checked by one C-level pass (a Python step per value cost about
    as much as writing the JSON). Much cheaper than writing the data twice to compare.
    """
    columns: list[list[object]] = [[data]]
    for _ in range(_MAX_DEPTH + 1):
        if not columns:
            return True
        inner: list[list[object]] = []
        for column in columns:
            kinds = set(map(type, column))
            if kinds <= _LEAF_TYPES:
                continue
            if not kinds <= _ALIKE_TYPES:
                return False
            for kind in kinds - _LEAF_TYPES:
                values = column if len(kinds) == 1 else list(compress(column, map(operator.is_, map(type, column), repeat(kind))))
                if kind is float:
                    floats = cast(list[float], values)
                    if not all(map(math.isfinite, floats)) or any(map(operator.contains, map(repr, floats), repeat("e"))):
                        return False
                elif kind is dict:
                    dicts = cast(list[dict[object, object]], values)
                    key_lists = set(map(tuple, dicts))  # (few: dicts of one shape share theirs)
                    if not set(map(type, chain.from_iterable(key_lists))) <= {str}:
                        return False
                    if len(key_lists) == 1:  # one column per key (each taken by key: no view or tuple per dict)
                        inner.extend(list(map(operator.itemgetter(key), dicts)) for key in next(iter(key_lists)))
                    else:
                        inner.append(list(chain.from_iterable(map(dict.values, dicts))))
                else:  # list, tuple
                    inner.append(list(chain.from_iterable(cast(list[list[object]], values))))
        columns = inner
    return False  # nested deeper than orjson writes


def _print_summary(plan: Plan, args: argparse.Namespace) -> int:
    _hold(plan)
    if args.json:
        with gc_paused():  # a summary dict per task: see gc_paused
            data, alike = _summary(plan)
            _hold(data)
            print_json(data, compact=args.compact, alike=alike)
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


# What a command run as a script leaves to the end of the process (`_hold`), or None (main()
# called from Python: nothing is kept).
_held: list[object] | None = None


def _hold(value: object) -> None:
    """Keep `value` (a plan, a summary: millions of objects) to the end of the process when the
    command runs as a script (see `_run_as_script`); nothing otherwise.

    What is kept to the end is never garbage: every object the process has made so far is moved
    out of the cyclic collector's reach (``gc.freeze``; the process ends with them), so the
    collections after a command's pause no longer walk them (after the import and after the
    summary of 100 000 tasks, about 0.07 CPU s each)."""
    if _held is not None:
        _held.append(value)
        gc.freeze()


def _run_as_script() -> NoReturn:
    """`python -m analysis …`: main(), then the process ends without freeing what a command held.

    Freeing a 100 000-task plan and its summary object by object, then the interpreter's own
    teardown, took about 0.2 CPU s (0.07-0.1 s and 0.1-0.13 s); the operating system takes the
    memory back at once. So once the output is flushed the process exits with os._exit. A command that held
    nothing (the workspace commands and their database connections) exits as usual, and so does
    one whose output could not be flushed (the interpreter then reports it as ever).
    """
    global _held
    _held = []
    # The objects of the imports (modules, classes, functions: paused for them, see the top of
    # this module) live as long as the process: out of the collector's reach (gc.freeze), it
    # does not walk them once more when it comes back on.
    gc.freeze()
    if _COLLECTING:
        gc.enable()
    code = main()
    if not _held:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a broken pipe, a full disk, a closed stream
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    _run_as_script()
