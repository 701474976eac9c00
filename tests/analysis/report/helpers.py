"""Shared constants and deck readers of the meeting-pack tests."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from collections import Counter
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

MEETING = dt.date(2020, 9, 15)
WINDOW = 30
AGENCY = "省经信厅"
FONT = "Noto Sans CJK SC"
EMU_PER_INCH = 914400
HOSTILE_LEAD = "<script>alert(1)</script>"
HOSTILE_SUPPORT = "<img src=x onerror=alert(1)>"

# The summary rules on the Zhejiang plan: with these limits its 35 tasks count as "large",
# so the same code runs as for 10 000 tasks (measured in benchmarks/).
SMALL_LIMITS = {"DECK_DETAIL_MAX_TASKS": 20, "DECK_MAX_ROWS": 2, "DECK_MAX_LEADS": 3, "HTML_TIMELINE_MAX_TASKS": 20,
                "LEAD_TABLE_ROWS": 5}


def titles(prs: Any) -> list[str]:
    return [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in prs.slides]


def tables(slide: Any) -> list[Any]:
    return [shape.table for shape in slide.shapes if shape.has_table]


def first_column(table: Any) -> list[str]:
    return [table.cell(r, 0).text for r in range(1, len(table.rows))]


def task_column(prs: Any, prefix: str) -> list[str]:
    """Task numbers in the first table of every slide whose title starts with `prefix`."""
    ids = []
    for slide, title in zip(prs.slides, titles(prs), strict=True):
        if title.startswith(prefix):
            ids += first_column(tables(slide)[0])
    return ids


def expected_tasks(plan: Any, agency: str, role: str) -> list[str]:
    """Task ids in table order, read from plan.assignments."""
    a = plan.assignments
    ids = set(a.loc[(a["agency"] == agency) & (a["role"] == role), "task_id"])
    return [tid for tid in plan.tasks["task_id"] if tid in ids]


def lead_counts(plan: Any) -> Counter[str]:
    return Counter(plan.assignments.loc[plan.assignments["role"] == "lead", "agency"])


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(blob[16:20], "big"), int.from_bytes(blob[20:24], "big")


def inches(value: int) -> float:
    return float(Emu(value) / EMU_PER_INCH)


def slide_text(slide: Any) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


# ----------------------------------------------------------------------------- text dumps


def _shape_texts(shape: Any) -> list[Any]:
    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        return [text for inner in shape.shapes for text in _shape_texts(inner)]
    if shape.has_text_frame:
        return [shape.text_frame.text]
    if getattr(shape, "has_table", False):
        return [[[cell.text for cell in row.cells] for row in shape.table.rows]]
    return []


def deck_dump(data: bytes) -> list[dict[str, Any]]:
    """Per slide: its title, the text of every text frame and table (in shape order) and the
    number of pictures; today's date as {today}."""
    slides = []
    for slide in Presentation(io.BytesIO(data)).slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else None
        texts = [text for shape in slide.shapes for text in _shape_texts(shape)]
        pictures = sum(1 for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
        slides.append({"title": title, "texts": texts, "pictures": pictures})
    dumped: list[dict[str, Any]] = json.loads(
        json.dumps(slides, ensure_ascii=False).replace(dt.date.today().isoformat(), "{today}"))
    return dumped


def html_text_lines(data: bytes) -> list[str]:
    """The HTML report's visible text, line by line (scripts and styles left out)."""
    page = data.decode("utf-8")
    page = re.sub(r"<script\b.*?</script>", "", page, flags=re.DOTALL)
    page = re.sub(r"<style\b.*?</style>", "", page, flags=re.DOTALL)
    page = re.sub(r"<br>", "\n", page)
    page = re.sub(r"<[^>]+>", "\n", page)
    lines = [html.unescape(line).strip() for line in page.split("\n")]
    return [line.replace(dt.date.today().isoformat(), "{today}") for line in lines if line]
