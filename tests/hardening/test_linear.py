"""Every reader's work grows linearly with adversarial repetitions of its own trigger words.

Issue 20: a 270 KB text (a task line of one short phrase repeated tens of thousands of times,
then a bracket group) took 140 s of CPU in a pattern of the document reader. Each case below
repeats what one reader looks for (labels, brackets, 牵头 sentences, dates, numbering, XML tags)
n times, and compares the median CPU time at 4n with that at n: linear work gives about 4,
quadratic work 16. The bound is 8, and n is raised until the time at n is measurable, so
the test depends on ratios, not on the speed of the machine.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable

import pytest

from analysis.deadlines import read_deadline
from analysis.findings import PlanImportError
from analysis.io.document import read_document_text
from analysis.io.xlsx import grids_from_xlsx
from analysis.model import plan_from_bytes
from tests.hardening import hostile as h

RATIO = 8
MEASURABLE = 0.15  # seconds of CPU at n: below this, fixed costs and collector pauses blur the ratio
GIVE_UP = 20.0  # seconds of CPU at 4n: far beyond linear already


def document(make: Callable[[int], str]) -> Callable[[int], object]:
    return lambda n: read_document_text(make(n), "hostile.txt")


def deadline(make: Callable[[int], str]) -> Callable[[int], object]:
    return lambda n: read_deadline(make(n), plan_start=dt.date(2021, 1, 1), plan_end=dt.date(2023, 12, 31))


def csv_plan(make: Callable[[int], tuple[str, str, str]]) -> Callable[[int], object]:
    def run(n: int) -> object:
        text, lead, support = make(n)
        data = f"{h.TITLE}\n{','.join(h.HEADER)}\n1,\"{text}\",\"{lead}\",\"{support}\"\n".encode()
        try:
            return plan_from_bytes(data, "hostile.csv")
        except PlanImportError:  # refused (a cell over the limit) or not: only the time matters here
            return None

    return run


def xlsx_comment(tag: str) -> Callable[[int], object]:
    """A sheet whose XML holds a comment of "<tag " repeated n times (valid XML, never a tag)."""

    def run(n: int) -> object:
        rows = [h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, [1, "推进工作。", "省经信厅", ""])]
        chunks = [f"<!-- {f'<{tag} ' * n} -->".encode(), *h.sheet_xml(rows)]
        chunks[0], chunks[1] = chunks[1].replace(b"<sheetData>", b""), chunks[0] + b"<sheetData>"
        try:
            return grids_from_xlsx(h.xlsx([("表", chunks, "visible")]), "hostile.xlsx")
        except PlanImportError:  # a comment past limits.MAX_MARKUP_BYTES is refused at once
            return None

    return run


def docx_paragraph(make: Callable[[int], str]) -> Callable[[int], object]:
    """A Word document whose task paragraph is made of n runs (one per repetition)."""

    def run(n: int) -> object:
        runs = "".join(f"<w:r><w:t xml:space=\"preserve\">{part}</w:t></w:r>" for part in make(n).split("|"))
        body = h.p(h.TITLE) + f"<w:p>{runs}</w:p>"
        try:
            return plan_from_bytes(h.docx(body), "hostile.docx")
        except Exception:  # noqa: BLE001 - refused or not: only the time matters here
            return None

    return run


CASES: dict[str, Callable[[int], object]] = {
    # The document reader (text, and Word paragraphs read as a plan document).
    "bracket of repeated 牵头 sentences": document(lambda n: "1. 推进工作。\n（" + "省经信厅牵头，" * n + "）\n"),
    "task line of one phrase, then a group": document(lambda n: "1. " + "推进工作，" * n + "（省经信厅牵头，省财政厅配合）\n"),
    "repeated labels without units": document(lambda n: "1. 推进工作。" + "。牵头单位：" * n + "\n"),
    "repeated labelled groups": document(lambda n: "1. 推进工作" + "（牵头单位：省经信厅）" * n + "\n"),
    "continuation lines of an open item": document(lambda n: "1. 推进工作\n" + "继续推进。\n" * (8 * n)),
    "unclosed brackets": document(lambda n: "1. 推进工作" + "（" * n + "省经信厅\n"),
    "repeated blanket wording": document(lambda n: "1. 推进工作（" + "以下任务均需" * n + "）\n"),
    "numbered items": document(lambda n: "".join(f"{i}. 推进工作（省经信厅）\n" for i in range(1, n + 1))),
    "spaces before a label": document(lambda n: "1. 推进工作。" + " " * n + "牵头单位：省经信厅\n"),
    "a line of dates": document(lambda n: "1. 推进工作（省经信厅）\n" + "2021年6月30日" * n + "\n"),
    "a notice header of 关于": document(lambda n: "关于" * n + "的通知\n1. 推进工作（省经信厅）\n"),
    "an addressee line": document(lambda n: "各县市区人民政府" * n + "：\n1. 推进工作（省经信厅）\n"),
    "bare lists of agencies": document(lambda n: "1. 推进工作（" + "省经信厅、" * n + "省财政厅）\n"),
    "Word runs of a 牵头 sentence": docx_paragraph(lambda n: "1. 推进工作（" + "省经信厅牵头，|" * n + "）"),
    # Deadlines in task text.
    "repeated years": deadline(lambda n: "2021年" * n),
    "repeated full dates": deadline(lambda n: "2021年6月30日前" * n),
    "repeated months": deadline(lambda n: "6月底前" * n),
    "repeated quarters": deadline(lambda n: "一季度" * n),
    "repeated month ranges": deadline(lambda n: "1-6月" * n),
    "spaces before 年": deadline(lambda n: " " * n + "年底前"),
    "spaces before 月": deadline(lambda n: " " * n + "6月"),
    # A whole table: units, deadlines and agencies of one long row.
    "a row of repeated units and dates": csv_plan(lambda n: ("2021年6月底前" * n, "省经信厅、" * n, "省财政厅（牵头）、" * n)),
    # Workbook XML scanned for merged cells and hidden rows.
    "xlsx comment of <row": xlsx_comment("row"),
    "xlsx comment of <mergeCell": xlsx_comment("mergeCell"),
}


def cpu_seconds(run: Callable[[int], object], n: int, repeats: int = 5) -> float:
    """The least CPU time of `repeats` runs: the estimate least disturbed by other work on the machine.

    The cyclic collector is paused during each run (after a collection): its full passes scan the
    whole test process's heap, which in a full suite run is large and depends on the tests run
    before, not on the reader; with it the same case measured 5.2x alone and 8.8x in a full run."""
    times = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            run(n)
            times.append(time.process_time() - started)
        finally:
            gc.enable()
    return min(times)


@pytest.mark.parametrize("name", list(CASES))
def test_work_grows_linearly_with_repeated_trigger_words(name: str) -> None:
    run = CASES[name]
    n = 250
    small = cpu_seconds(run, n)
    # up to 16 000 repetitions (4n: 64 000), past the longest cell any reader accepts (131 072 characters)
    while small < MEASURABLE and n < 16_000:
        n *= 2
        small = cpu_seconds(run, n)
    started = time.process_time()
    run(4 * n)
    if time.process_time() - started > GIVE_UP:
        pytest.fail(f"{name}: {4 * n} repetitions took over {GIVE_UP:.0f} s of CPU ({small:.3f} s at {n})")
    large = cpu_seconds(run, 4 * n)
    assert large / small < RATIO, f"{name}: {small:.3f} s at n={n}, {large:.3f} s at 4n"
