"""Plans for the views across plans: the bundled Zhejiang plan and plans of the real-table corpus
(tests/fixtures/real/SOURCES.md), plus one small synthetic Zhejiang table written here (it
claims to be nothing published: it spells the registry's agencies the ways plans do)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "tests" / "fixtures" / "real"
CORPUS = ("anhui_2022_province.txt", "liaoning_2024.txt", "guangdong_2021.txt", "chuzhou_2020.txt",
          "dazhu_2016_minsheng.txt")

#: Synthetic (not a published plan): registered agencies under aliases and full names, and one
#: name the registry does not know.
SYNTHETIC_ZHEJIANG = """序号,重点任务,牵头单位,配合单位,完成时限
1,建设一体化数字资源系统,浙江省经济和信息化厅,省发改委、浙江省数字经济办,2021年12月底前
2,推进工业互联网平台建设,省经济和信息化厅,浙江省数字经济办,2022年6月底前
3,完善数据共享机制,浙江省数字经济办,省经信厅,2023年12月底前
"""
SYNTHETIC_TITLE = "浙江省数字化改革测试方案（2021-2023年）"


@pytest.fixture(scope="session")
def corpus_plans():
    """[(file name, Plan)] of the corpus files, read as the workspace reads them."""
    from analysis.model import plan_from_bytes

    return [(name, plan_from_bytes((REAL / name).read_bytes(), name)) for name in CORPUS]


# The store's database fixtures (SQLite and a real PostgreSQL server): these tests run on both.
from tests.analysis.store.conftest import db_url, workspace  # noqa: E402, F401
from tests.pg import postgres_server  # noqa: E402, F401
