"""The plan-document readers are imported when a file needs them (analysis.io's __getattr__,
analysis.io.dispatch): reading a table never imports them; asking for one gives the reader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import analysis.io
from analysis.io import document, docx

ROOT = Path(__file__).resolve().parents[3]


def test_the_document_readers_are_the_modules_own():
    assert analysis.io.read_document is document.read_document
    assert analysis.io.read_document_text is document.read_document_text
    assert analysis.io.title_year is document.title_year
    assert analysis.io.docx_lines is docx.docx_lines
    assert set(analysis.io.__all__) >= {"read_document", "read_document_text", "title_year", "docx_lines"}
    with pytest.raises(AttributeError):
        analysis.io.no_such_reader  # noqa: B018


_CHECK = """
import sys
from analysis.model import plan_from_bytes
plan = plan_from_bytes("序号,重点任务,牵头单位,配合单位\\n1,2022年底前建成,省经信厅,省财政厅\\n".encode(), "t.csv")
assert len(plan.tasks) == 1
print(sorted(m for m in ("analysis.io.document", "analysis.io.docx") if m in sys.modules))
plan = plan_from_bytes("某市工作要点\\n一、建设信用平台（责任单位：市信用中心）\\n".encode(), "t.txt")
print(sorted(m for m in ("analysis.io.document", "analysis.io.docx") if m in sys.modules))
"""


def test_a_table_is_read_without_the_document_readers():
    out = subprocess.run([sys.executable, "-c", _CHECK], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.splitlines() == ["[]", "['analysis.io.document']"]
