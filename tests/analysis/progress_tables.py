"""A real-shaped progress table: the published Zhejiang division table (data/plans/zhejiang_5g_2020_2022/
tasks.txt, the attachment of the published plan) kept as an office keeps it, in Excel, with one more
column, 完成情况, where the progress notes below are written.

The progress notes are written by these tests (none is published text); the task rows are the
published ones, cell by cell.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import openpyxl

from tests.conftest import SEED

TITLE = "浙江省加快5G发展行动计划（2020-2022年）重点任务分工"


def published_rows() -> list[list[str]]:
    """The header and the task rows of the published table, each cell as written."""
    blocks = [[line[1:].strip() for line in block.split("\n") if line.startswith("\t")]
              for block in SEED.read_text(encoding="utf-8").split("\n\n")]
    return [cells for cells in blocks if len(cells) == 4]


def progress_table(notes: Mapping[str, str], *, header: str = "完成情况",
                   edit: Mapping[str, str] | None = None) -> bytes:
    """The published table as XLSX with a progress column holding ``notes`` (task number → note);
    ``edit`` replaces the task text of some rows (task number → text)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([TITLE])
    rows = published_rows()
    sheet.append([*rows[0], header])
    for cells in rows[1:]:
        number = cells[0]
        text = (edit or {}).get(number, cells[1])
        sheet.append([number, text, cells[2], cells[3], notes.get(number, "")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
