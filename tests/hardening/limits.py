"""Time and memory of the largest inputs, accepted and refused: `python -m tests.hardening.limits`.

Each input is read in a fresh process (`plan_from_bytes`, what an upload and the CLI call),
so its peak memory is its own. The figures are recorded in tests/hardening/LOAD_RESULTS.md.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile

MB = 1024 * 1024
MAX_FILE_BYTES = 50_000_000  # analysis.io.limits.MAX_FILE_BYTES

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from tests.hardening import limits
from analysis.findings import PlanImportError
from analysis.model import plan_from_bytes
name, data = limits.build({kind!r})
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    plan = plan_from_bytes(data, name)
    outcome = f"read: {{len(plan.tasks):,}} tasks, {{len(plan.report.warnings):,}} warnings"
except PlanImportError as error:
    outcome = "refused: " + error.findings[0].code
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"file": name, "bytes": len(data), "outcome": outcome, "seconds": round(seconds, 1),
                  "peak_mb": round(peak / 1024), "before_mb": round(base / 1024)}}))
"""

KINDS = (
    "over_50mb_csv", "50mb_csv_many_rows", "50mb_text_no_table", "16m_chars_one_line", "xlsx_400k_rows",
    "zip_bomb_xlsx", "xlsx_45mb_picture", "synthetic_100k_tasks", "50mb_csv_94k_long_tasks", "docx_3000_merged_rows",
)


def build(kind: str) -> tuple[str, bytes]:
    from tests.hardening import corpus

    if kind == "over_50mb_csv":
        return "over.csv", corpus.csv_of_size(MAX_FILE_BYTES + 1)
    if kind == "50mb_csv_many_rows":
        return "many.csv", corpus.csv_of_size(MAX_FILE_BYTES - 1)
    if kind == "50mb_text_no_table":
        line = "各地要加强组织领导，推进工作落实。\n"
        return "prose.txt", (line * (MAX_FILE_BYTES // len(line.encode()))).encode()
    if kind == "16m_chars_one_line":
        return "one_line.txt", ("一" * (16 * MB)).encode()
    if kind == "xlsx_400k_rows":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(corpus.HEADER)
        for i in range(1, 400_001):
            sheet.append([i, "推进工作。", "省经信厅", "省财政厅"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return "rows.xlsx", buffer.getvalue()
    if kind == "zip_bomb_xlsx":
        return "bomb.xlsx", corpus.zip_bomb_xlsx(1024)
    if kind == "xlsx_45mb_picture":
        small = corpus.xlsx_bytes([corpus.HEADER, ["1", "推进。", "省经信厅", ""]])
        source = zipfile.ZipFile(io.BytesIO(small))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                target.writestr(info, source.read(info.filename))
            target.writestr("xl/media/image1.png", random.Random(0).randbytes(45 * MB))
        return "picture.xlsx", out.getvalue()
    if kind == "synthetic_100k_tasks":
        sys.path.insert(0, str(corpus.ROOT))
        from benchmarks import synth

        return "synthetic.csv", synth.generate(100_000).data
    if kind == "50mb_csv_94k_long_tasks":
        lines = [",".join(corpus.HEADER)]
        for i in range(1, 94_000):
            lines.append(f"{i},{'推进工作' * 40}2021年6月底前完成。,单位{i % 500}局,单位{(i + 1) % 500}局、单位{(i + 2) % 500}局")
        return "long.csv", "\n".join(lines).encode()
    if kind == "docx_3000_merged_rows":
        return "merged.docx", corpus.docx_vertical_merge(3000)
    raise ValueError(kind)


def measure(kind: str) -> dict[str, object]:
    from tests.hardening.corpus import ROOT

    result = subprocess.run(
        [sys.executable, "-c", _CHILD.format(root=str(ROOT), kind=kind)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    if result.returncode:
        return {"file": kind, "outcome": "FAILED: " + result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    print("| input | size | outcome | seconds | peak memory (MB, incl. building the input) |")
    print("|---|---:|---|---:|---:|")
    for kind in KINDS:
        row = measure(kind)
        size = f"{row.get('bytes', 0) / MB:,.1f} MB"
        print(f"| {kind} | {size} | {row['outcome']} | {row.get('seconds', '')} | {row.get('peak_mb', '')} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
