"""Child-process bodies for the concurrency and crash tests (importable by the spawn start method)."""

from __future__ import annotations

import time
from multiprocessing.synchronize import Barrier, Event
from typing import Any

from analysis.store import ConcurrentReportError, ReportInput, open_workspace

TASK = "1"


def report_rounds(url: str, actor: str, rounds: int, quota: int, free: int, barrier: Barrier, out: Any) -> None:
    """Report ``quota`` times in lock-step rounds, then ``free`` more times as fast as possible.

    In a round both writers read the task's current report, wait for each other, then save: both
    name the same previous report, so exactly one is saved and the other refused. A refused writer
    retries against the report it was shown. Every attempt is counted.
    """
    ws = open_workspace(url, seed=False)
    saved: list[int] = []
    refused = attempts = 0
    log: list[tuple[object, ...]] = []  # refusals, for the test's failure message
    for round_number in range(rounds):
        barrier.wait(timeout=120)
        current = ws.current_report(1, TASK)
        barrier.wait(timeout=120)
        if len(saved) >= quota:
            continue
        attempts += 1
        try:
            report = ws.report_progress(1, TASK, "in_progress", percent=len(saved), note=f"{actor} {len(saved)}",
                                        actor=actor, expected_previous=current.report_id if current else None)
            saved.append(report.report_id)
        except ConcurrentReportError as exc:
            refused += 1
            log.append((round_number, exc.expected, exc.current.report_id if exc.current else None))
    barrier.wait(timeout=120)  # both done with the rounds before either runs free
    # Free running: no rounds, retry at once with the report the refusal carries.
    target = len(saved) + free
    current = ws.current_report(1, TASK)
    expected = current.report_id if current else None
    while len(saved) < target:
        attempts += 1
        try:
            report = ws.report_progress(1, TASK, "in_progress", percent=len(saved) % 101,
                                        note=f"{actor} {len(saved)}", actor=actor, expected_previous=expected)
            saved.append(report.report_id)
            expected = report.report_id
        except ConcurrentReportError as exc:
            refused += 1
            expected = exc.current.report_id if exc.current else None
    ws.close()
    out.put({"actor": actor, "saved": saved, "refused": refused, "attempts": attempts, "log": log})


def crash_in_import(url: str, tasks: list[str], flushed: Event) -> None:
    """Import one report per task; halfway (earlier rows flushed, transaction open) signal and hang."""
    ws = open_workspace(url, seed=False)
    ws.import_chunk = 2  # write as the rows come: the first half is flushed before the hang

    def rows() -> Any:
        for i, task in enumerate(tasks):
            if i == len(tasks) // 2:
                flushed.set()
                time.sleep(600)  # killed here, inside the transaction
            yield ReportInput(task, "done", None, percent=100, note="never committed")

    ws.import_reports(1, rows(), actor="crash")
