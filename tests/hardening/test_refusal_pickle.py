"""A refusal read in the worker process reaches the app with its findings (analysis.isolate)."""

from __future__ import annotations

import pytest

from analysis import isolate
from analysis.findings import PlanImportError


def test_a_refusal_crosses_the_worker_with_its_findings() -> None:
    # An import error unpickled in the parent keeps its code and both languages (it used to
    # fail to unpickle, and every refusal read as the memory limit).
    with pytest.raises(PlanImportError) as caught:
        isolate.parse_plan("序号,重点工作任务,配合单位\n1,任务。,省财政厅\n".encode(), "k.csv")
    finding = caught.value.findings[0]
    assert finding.code == "missing_column" and finding.file == "k.csv"
    assert "缺少必需的列" in caught.value.message("zh")
