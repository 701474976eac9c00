"""The workspace at scale: `python -m benchmarks.workspace --plans 1000 --reports 1000000`.

Builds a workspace of PLANS plans of TASKS tasks each (synthetic tables from
`benchmarks.synth`, one seed per plan, kept as the plans' source bytes) and REPORTS progress
reports spread evenly over the tasks (a chain of monthly reports per task, `seq` 1, 2, 3 …),
by bulk inserts through SQLAlchemy core into a schema made by the store's own migrations, on
SQLite and on PostgreSQL (a throwaway server, started as `tests/pg.py` does). Then measures
what the progress page and the form import need from the store:

- progress warm: `latest_reports` + `analysis.progress.task_rag` of one plan, its model
  already in memory (the page caches the model by content); median of repeats after a first run;
- task_status: `Workspace.task_status` (the same, the model rebuilt from its source bytes);
- switch: `load_plan` of another plan each time, then its latest reports and colours;
- import 50 forms: `read_forms` + `Workspace.import_reports` of FORMS filled forms (every row of
  every form filled: lead and supporting agencies report the same tasks), one transaction;
  the median of IMPORT_REPEAT imports of the same forms (each appends a report per filled row);
- the database's size on disk.

`--quick` is a small size for CI (tests/benchmarks/test_workspace.py). Targets (issue 15): warm
≤ 0.3 s, switch ≤ 1 s, import ≤ 10 s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks import synth
from benchmarks.stats import machine, summarize

STATUSES = ("not_started", "in_progress", "in_progress", "in_progress", "done", "delayed", "suspended")
REFERENCE = dt.date(2025, 6, 15)
TARGETS = {"progress_warm": 0.3, "switch": 1.0, "import_forms": 10.0}
ACTOR = "benchmark"
CHUNK = 20_000


def _months_back(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 - months
    return dt.date(total // 12, total % 12 + 1, 1 + (day.day - 1) % 28)


def plan_source(number: int, tasks: int) -> bytes:
    """The source bytes of plan `number` (a synthetic table; its task ids are 1 … tasks)."""
    return synth.generate(tasks, seed=synth.DEFAULT_SEED + number).data


def benchmark_admin(ws: Any) -> None:
    """Every write names an account that may make it (analysis.store.access): the benchmark acts as
    ACTOR, the first account (an admin, added with actor=None) of its own new workspace. The store
    refuses actor=None once the workspace has any account, so a workspace with others is refused."""
    if ws.accounts.get(ACTOR) is None:
        from analysis.store.access import Grant
        from analysis.vocab import AccessRole

        ws.accounts.add(ACTOR, [Grant(AccessRole.ADMIN)], actor=None)


def build(url: str, plans: int, tasks: int, reports: int, *, log: Callable[[str], None]) -> dict[str, Any]:
    """A new workspace at `url` with the plans and reports; returns the build timings. Each task's
    latest report (the `latest_reports` table) is kept by the schema's trigger as the reports are
    inserted, as for every other writer."""
    from sqlalchemy import insert, text

    from analysis.model import content_hash
    from analysis.store import open_workspace
    from analysis.store.models import PlanRow, PlanVersionRow, ProgressReportRow

    started = time.perf_counter()
    ws = open_workspace(url, seed=False)
    benchmark_admin(ws)  # first, so the bulk rows' created_by / reported_by name an account of the workspace
    engine = ws.engine
    now = dt.datetime.now(dt.UTC)
    keys = [str(i) for i in range(1, tasks + 1)]
    with engine.begin() as connection:
        plan_rows, version_rows = [], []
        for number in range(1, plans + 1):
            data = plan_source(number, tasks)
            plan_rows.append({"id": number, "title": f"计划 {number}", "region": "", "created_at": now, "settings": {}})
            version_rows.append({
                "plan_id": number, "version": 1, "file_name": f"plan-{number}.csv", "source": data,
                "content_hash": content_hash(data), "task_count": tasks, "task_keys": keys, "carried": None,
                "created_at": now, "created_by": ACTOR,
            })
        connection.execute(insert(PlanRow.__table__), plan_rows)
        connection.execute(insert(PlanVersionRow.__table__), version_rows)
    plans_s = time.perf_counter() - started
    log(f"  {plans} plans in {plans_s:.1f} s")

    per_task, extra = divmod(reports, plans * tasks)
    rng = random.Random(7)
    next_id = 1
    batch: list[dict[str, Any]] = []
    inserted = 0
    with engine.begin() as connection:
        for plan_id in range(1, plans + 1):
            for index, key in enumerate(keys):
                count = per_task + (1 if (plan_id - 1) * tasks + index < extra else 0)
                previous = None
                for seq in range(1, count + 1):
                    as_of = _months_back(REFERENCE, count - seq)
                    batch.append({
                        "id": next_id, "plan_id": plan_id, "task_key": key, "version": 1, "seq": seq,
                        "status": rng.choice(STATUSES), "percent": rng.randrange(0, 101, 10), "note": "进展说明",
                        "evidence": "", "agency": "", "as_of": as_of, "period": f"{as_of.year:04d}-{as_of.month:02d}",
                        "reported_at": now, "reported_by": ACTOR, "previous_report_id": previous,
                    })
                    previous = next_id
                    next_id += 1
                if len(batch) >= CHUNK:
                    connection.execute(insert(ProgressReportRow.__table__), batch)
                    inserted += len(batch)
                    batch = []
                    if inserted % 200_000 < CHUNK:
                        log(f"  {inserted} reports, {time.perf_counter() - started:.0f} s")
        if batch:
            connection.execute(insert(ProgressReportRow.__table__), batch)
            inserted += len(batch)
        if engine.dialect.name == "postgresql":
            for table in ("plans", "plan_versions", "progress_reports"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    total = time.perf_counter() - started
    log(f"  {inserted} reports; built in {total:.1f} s")
    ws.close()
    return {"plans": plans, "tasks": plans * tasks, "reports": inserted, "build_s": round(total, 1)}


def database_size(ws: Any) -> int:
    """Bytes on disk: the SQLite file (after a WAL checkpoint), or pg_database_size."""
    from sqlalchemy import text

    with ws.engine.connect() as connection:
        if ws.engine.dialect.name == "sqlite":
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            return Path(str(ws.engine.url.database)).stat().st_size
        return int(connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def _timed(function: Callable[[], object], repeat: int) -> dict[str, object]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return summarize(runs)


def filled_forms(ws: Any, plan_id: int, count: int) -> tuple[list[tuple[str, bytes]], int]:
    """Forms of up to `count` agencies of the plan (most tasks first), every row filled; and the rows filled."""
    import openpyxl

    from analysis.progress_forms import agencies_with_tasks, export_form

    plan = ws.load_plan(plan_id)
    latest = ws.latest_reports(plan_id)
    sizes = plan.assignments.groupby("agency", observed=True)["task_id"].nunique()
    agencies = sorted(agencies_with_tasks(plan), key=lambda a: -int(sizes[a]))[:count]
    forms = []
    filled = 0
    for number, agency in enumerate(agencies):
        workbook = openpyxl.load_workbook(io.BytesIO(export_form(plan, agency, latest, plan_id=str(plan_id),
                                                                 version=1)))
        sheet = workbook.worksheets[0]
        col = {c.value: c.column for c in sheet[4]}
        for row in range(5, sheet.max_row + 1):
            if sheet.cell(row, col["序号"]).value is None:
                continue
            sheet.cell(row, col["状态"]).value = "推进中" if (row + number) % 3 else "已完成"
            sheet.cell(row, col["完成百分比"]).value = 50 if (row + number) % 3 else 100
            sheet.cell(row, col["进展说明"]).value = f"{agency} 第 {row} 行的进展"
            sheet.cell(row, col["报告日期"]).value = REFERENCE
            filled += 1
        out = io.BytesIO()
        workbook.save(out)
        forms.append((f"form-{number + 1}.xlsx", out.getvalue()))
    return forms, filled


def measure(
    url: str, plans: int, repeat: int, forms: int, *, log: Callable[[str], None], import_repeat: int = 3
) -> dict[str, Any]:
    from analysis.cli.forms import report_inputs
    from analysis.progress import task_rag
    from analysis.progress_forms import read_forms
    from analysis.store import open_workspace

    ws = open_workspace(url)
    benchmark_admin(ws)
    result: dict[str, Any] = {"size_bytes": database_size(ws)}
    plan_id = max(1, plans // 2)
    plan = ws.load_plan(plan_id)
    rule = ws.rag_rule(plan_id)

    def page() -> None:
        task_rag(plan.tasks, ws.latest_reports(plan_id, as_of=REFERENCE), REFERENCE, rule)

    page()  # the first run, not counted (warm: connections open, caches filled)
    result["progress_warm"] = _timed(page, repeat)
    result["latest_reports"] = _timed(lambda: ws.latest_reports(plan_id, as_of=REFERENCE), repeat)
    result["task_status"] = _timed(lambda: ws.task_status(plan_id, REFERENCE), repeat)
    others = iter(random.Random(3).sample(range(1, plans + 1), min(plans, repeat * 2)))

    def switch() -> None:
        other = next(others)
        model = ws.load_plan(other)
        task_rag(model.tasks, ws.latest_reports(other, as_of=REFERENCE), REFERENCE, ws.rag_rule(other))

    result["switch"] = _timed(switch, repeat)
    result["load_plan"] = _timed(lambda: ws.load_plan(next(others)), repeat)
    log(f"  warm {result['progress_warm']['median_s']:.3f} s, switch {result['switch']['median_s']:.3f} s")

    result["latest_rows"] = len(ws.latest_reports(plan_id))
    files, filled = filled_forms(ws, plan_id, forms)
    timings: dict[str, float] = {}

    def import_forms() -> int:
        start = time.perf_counter()
        model = ws.load_plan(plan_id)
        latest = ws.latest_reports(plan_id)
        read = read_forms(files, model, plan_id=str(plan_id), version=1, as_of_default=REFERENCE)
        assert read.ok, [e.text("en") for e in read.errors[:3]]
        timings["read_s"] = time.perf_counter() - start
        saved = ws.import_reports(plan_id, report_inputs(model, read, latest), actor=ACTOR, repeats=True)
        timings["total_s"] = time.perf_counter() - start
        timings["save_s"] = timings["total_s"] - timings["read_s"]
        return len(saved)

    runs = []
    for _ in range(import_repeat):  # each run appends one more report per filled row (repeats=True)
        saved = import_forms()
        runs.append(dict(timings))
    result["import_forms"] = {
        "forms": len(files), "rows_filled": filled, "reports": saved,
        **summarize([r["total_s"] for r in runs]),
        "read_s": round(sorted(r["read_s"] for r in runs)[len(runs) // 2], 3),
        "save_s": round(sorted(r["save_s"] for r in runs)[len(runs) // 2], 3),
    }
    imported = result["import_forms"]
    log(f"  import of {len(files)} forms ({saved} reports), median of {len(runs)}: {imported['median_s']:.2f} s "
        f"(read {imported['read_s']:.2f} s, save {imported['save_s']:.2f} s)")
    result["size_after_bytes"] = database_size(ws)
    ws.close()
    return result


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'workspace.db'}"
        return
    from tests.pg import running_server

    with running_server() as server:
        yield server.create_database("bench")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workspace", description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100, help="tasks per plan (default 100)")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--forms", type=int, default=None, help="filled forms imported (default 50; --quick 10)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--import-repeat", type=int, default=3, help="form imports timed (median; default 3)")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="10 plans, 10 000 reports, 3 repeats")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    if args.quick:
        args.plans, args.reports, args.repeat = 10, 10_000, 3
    if args.forms is None:
        args.forms = 10 if args.quick else 50
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    report: dict[str, Any] = {"machine": machine(), "load_average": list(os.getloadavg()), "targets_s": TARGETS,
                              "size": {"plans": args.plans, "tasks_per_plan": args.tasks, "reports": args.reports,
                                       "forms": args.forms, "repeat": args.repeat}, "databases": {}}
    with tempfile.TemporaryDirectory(prefix="bench-workspace-") as tmp:
        for kind in kinds:
            log(f"{kind}: building {args.plans} plans × {args.tasks} tasks, {args.reports} reports")
            with database(kind, Path(tmp)) as url:
                built = build(url, args.plans, args.tasks, args.reports, log=log)
                measured = measure(url, args.plans, args.repeat, args.forms, log=log,
                                   import_repeat=args.import_repeat)
            report["databases"][kind] = {**built, **measured}
    for kind, entry in report["databases"].items():
        entry["targets_met"] = {name: entry[name]["median_s"] <= limit for name, limit in TARGETS.items()}
        print(f"{kind:<11} plans {entry['plans']}  tasks {entry['tasks']}  reports {entry['reports']}  "
              f"size {entry['size_bytes'] / 1e6:.0f} MB  warm {entry['progress_warm']['median_s']:.3f} s  "
              f"task_status {entry['task_status']['median_s']:.3f} s  switch {entry['switch']['median_s']:.3f} s  "
              f"import {entry['import_forms']['forms']} forms {entry['import_forms']['median_s']:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    print(json.dumps({k: v["targets_met"] for k, v in report["databases"].items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
