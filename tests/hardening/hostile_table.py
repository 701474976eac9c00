"""Time, peak memory and outcome of every hostile case of issue 20, at full size:
`python -m tests.hardening.hostile_table` prints the table of tests/hardening/HOSTILE_RESULTS.md.

Each case runs in a fresh process (so its peak memory is its own): a file is built there
(tests/hardening/hostile.py) and read by `plan_from_bytes`, what an upload and the CLI call;
a command-line case runs `python -m analysis` in a child of that process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from tests.hardening import hostile_table
from analysis.findings import PlanImportError
from analysis.model import plan_from_bytes
name, data = hostile_table.FILES[{case!r}]()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    plan = plan_from_bytes(data, name)
    codes = sorted({{f.code for f in plan.report.findings if f.level != "info" or f.code == "nested_tables"}})
    outcome = f"read: {{len(plan.tasks):,}} tasks" + (f"; {{', '.join(codes)}}" if codes else "")
except PlanImportError as error:
    outcome = "refused: " + error.findings[0].code
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"file": name, "bytes": len(data), "outcome": outcome, "seconds": round(seconds, 2),
                  "peak_mb": round(peak / 1024), "before_mb": round(before / 1024)}}))
"""

_CLI_CHILD = r"""
import json, os, resource, subprocess, sys, tempfile, time
args = {args!r}
with tempfile.TemporaryDirectory() as folder:
    args = [a.replace("{{tmp}}", folder) for a in args]
    if any(a.endswith("fifo.csv") for a in args):
        os.mkfifo(os.path.join(folder, "fifo.csv"))
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "analysis", *args], cwd={root!r}, capture_output=True,
                            text=True, timeout=120)
    seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
line = (result.stderr.strip().splitlines() or [""])[-1]
english = line.split(" | ", 1)[-1]
outcome = f"exit {{result.returncode}}, one line in Chinese and English: …" + english[-90:]
print(json.dumps({{"file": " ".join(args), "bytes": 0, "outcome": outcome, "seconds": round(seconds, 2),
                  "peak_mb": round(peak / 1024), "before_mb": 0}}))
"""


def _files() -> dict[str, Callable[[], tuple[str, bytes]]]:
    from tests.hardening import hostile as h

    task = ["1", "推进工作。", "省经信厅", "省财政厅"]
    body = h.p(h.TITLE) + h.task_table([task])

    def csv(rows: str, sep: str = ",") -> bytes:
        return f"{h.TITLE}\n{sep.join(h.HEADER)}\n{rows}".encode()

    def sheet(rows: list[str], state: str = "visible") -> tuple[str, object, str]:
        return ("表", h.sheet_xml(rows), state)

    def shared_5000() -> bytes:
        rows = [h.sheet_row(1, list(h.HEADER))] + [h.sheet_row(i, [i, ("s", 0), "省经信厅"]) for i in range(2, 5002)]
        return h.xlsx([sheet(rows)], h.shared_strings(["任" * 32_767], 1))  # type: ignore[list-item]

    def renamed_strings() -> bytes:
        rows = [h.sheet_row(1, list(h.HEADER))] + [h.sheet_row(i, [i, ("s", i), "省经信厅"]) for i in range(2, 1002)]
        strings = h.shared_strings((f"推进第{i}项工作" * 20 for i in range(1_000_000)), 1_000_000)
        return h.xlsx([sheet(rows)], strings, shared_name="xl/strings.bin")  # type: ignore[list-item]

    def xfd() -> bytes:
        rows = [h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, ["x"], first_column=16_384), *h.task_rows(20_000, 3)]
        return h.xlsx([sheet(rows)])  # type: ignore[list-item]

    def comment() -> bytes:
        chunks = [*h.sheet_xml([h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, task)])]
        chunks.insert(1, b"<!-- " + b"<row " * 2_000_000 + b" -->")
        return h.xlsx([("表", chunks, "visible")])

    def hidden() -> bytes:
        old = sheet([h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, [1, "旧任务。", "省旧局", ""])], "hidden")
        visible = sheet([h.sheet_row(1, list(h.HEADER)), h.sheet_row(2, task),
                         h.sheet_row(3, [2, "隐藏的任务。", "省隐藏局", ""], hidden=True)])
        return h.xlsx([old, visible])  # type: ignore[list-item]

    sdt_cell = "<w:tr>" + h.tc("1") + h.tc("推进工作。") + h.sdt(h.tc("省经信厅")) + h.tc("省财政厅") + "</w:tr>"
    tracked = (
        '<w:p><w:r><w:t>省经信厅</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>、省科技厅</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>、省教育厅</w:delText></w:r></w:del></w:p>'
    )
    return {
        "text_270kb_repeated_牵头_sentence_in_brackets":
            lambda: ("sentence.txt", ("1. 推进工作。\n（" + "省经信厅牵头，" * 13_000 + "）\n").encode()),
        "text_270kb_task_line_of_one_phrase_then_group":
            lambda: ("phrase.txt", ("1. " + "省经信厅牵头，" * 13_000 + "（省财政厅）\n").encode()),
        "text_270kb_repeated_labels": lambda: ("labels.txt", ("1. 推进工作。" + "。牵头单位：" * 15_000).encode()),
        "text_50000_continuation_lines": lambda: ("lines.txt", ("1. 推进工作\n" + "继续推进。\n" * 50_000).encode()),
        "csv_task_of_20000_dates": lambda: ("dates.csv", csv(f"1,{'2021年6月底前' * 8_000},省经信厅,\n")),
        "docx_core_xml_200mb_tiny_elements": lambda: ("core.docx", h.docx(body, core=h.core_properties(200))),
        "docx_body_renamed_200mb": lambda: ("renamed.docx", h.docx([body.encode(), *h.paragraphs(200)],
                                                                   body_name="word/body.bin")),
        "xlsx_shared_strings_renamed_part": lambda: ("strings.xlsx", renamed_strings()),
        "xlsx_5000_cells_one_32767_char_string": lambda: ("shared.xlsx", shared_5000()),
        "xlsx_cell_in_XFD_20000_rows": lambda: ("xfd.xlsx", xfd()),
        "xlsx_10mb_comment_in_sheet": lambda: ("comment.xlsx", comment()),
        "docx_lead_cell_in_content_control":
            lambda: ("sdt.docx", h.docx(h.p(h.TITLE) + h.tbl([h.tr(h.HEADER), sdt_cell]))),
        "docx_row_in_content_control": lambda: ("sdt_row.docx", h.docx(h.p(h.TITLE) + h.tbl(
            [h.tr(h.HEADER), h.tr(task), h.sdt(h.tr(["2", "完善机制。", "省发展改革委", ""]))]))),
        "docx_tracked_insertion_and_deletion": lambda: ("tracked.docx", h.docx(h.p(h.TITLE) + h.tbl(
            [h.tr(h.HEADER), h.tr(["1", "推进工作。", tracked, "省财政厅"])]))),
        "docx_table_nested_in_a_cell": lambda: ("nested.docx", h.docx(h.p(h.TITLE) + h.tbl(
            [h.tr(["<w:p/>" + h.task_table([task]) + "<w:p/>"])]))),
        "docx_table_in_a_text_box": lambda: ("frame.docx", h.docx(h.p(h.TITLE) + h.text_box(h.task_table([task])))),
        "xlsx_hidden_first_sheet_and_hidden_row": lambda: ("hidden.xlsx", hidden()),
        "xlsx_N/A_#N/A_TRUE_as_units": lambda: ("values.xlsx", h.xlsx([h.xlsx_table([
            list(h.HEADER), [1, "推进工作。", "省经信厅", ("e", "#N/A")], [2, "完善。", "省财政厅", True],
            [3, "加强。", "省科技厅", "N/A"]])])),
        "csv_semicolons": lambda: ("semicolons.csv", csv("1;推进工作，完善机制。;省经信厅;省财政厅\n", ";")),
        "csv_header_below_row_50": lambda: ("deep.csv", ("".join(f"说明第{i}行\n" for i in range(60))
                                                          + ",".join(h.HEADER) + "\n1,推进。,省经信厅,\n").encode()),
        "csv_bidi_override_in_units_and_name": lambda: ("plan\u202evsc.csv", csv("1,推进工作。,省经信厅\u202e,\n")),
        "csv_impossible_date_2199-02-30": lambda: ("date.csv", csv("1,2199年2月30日前完成。,省经信厅,\n")),
    }


FILES = _files()
CLI = {
    "cli_/dev/zero": ["summary", "/dev/zero"],
    "cli_fifo_without_writer": ["summary", "{tmp}/fifo.csv"],
    "cli_meeting_date_0001-01-01": ["report", "--out", "{tmp}/x.html", "--meeting-date", "0001-01-01"],
    "cli_bad_min_weight": ["network", "--min-weight", "zero"],
}


def measure(case: str) -> dict[str, Any]:
    if case in CLI:
        code = _CLI_CHILD.format(root=str(ROOT), args=CLI[case])
    else:
        code = _CHILD.format(root=str(ROOT), case=case)
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        return {"outcome": "TIMED OUT after 900 s"}
    if result.returncode:
        return {"outcome": "FAILED: " + (result.stderr.strip().splitlines() or ["?"])[-1]}
    row: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return row


def main(cases: list[str]) -> int:
    print("| case | file size | outcome | seconds | peak memory (MB) | of which before reading (MB) |")
    print("|---|---:|---|---:|---:|---:|")
    for case in cases or [*FILES, *CLI]:
        row = measure(case)
        size = f"{int(row.get('bytes', 0)) / 1024:,.0f} KB" if row.get("bytes") else "–"
        outcome = str(row["outcome"]).replace("|", "\\|")
        print(f"| {case} | {size} | {outcome} | {row.get('seconds', '')} | {row.get('peak_mb', '')} | "
              f"{row.get('before_mb', '')} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
