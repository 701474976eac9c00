"""`python -m analysis agency NAME --json` on the workspace TASKBOARD_DB names (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from analysis.store import open_workspace
from tests.accounts import add_staff
from tests.analysis.portfolio.conftest import REAL, SYNTHETIC_TITLE, SYNTHETIC_ZHEJIANG
from tests.analysis.store.test_cli import failed, ok, run
from tests.conftest import independent_counts


def test_agency_command(db_url):
    with open_workspace(db_url) as ws:  # seeded with the Zhejiang plan (plan 1)
        add_staff(ws)  # the accounts the writes below act as
        ws.add_plan(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv", actor="测试", title=SYNTHETIC_TITLE,
                    region="浙江省")
        anhui = ws.add_plan((REAL / "anhui_2022_province.txt").read_bytes(), "anhui_2022_province.txt", actor="测试")
        ws.add_plan((REAL / "liaoning_2024.txt").read_bytes(), "liaoning_2024.txt", actor="测试")
        titles = {i.plan_id: i.title for i in ws.list_plans()}
    raw = independent_counts()
    # An alias of the registry finds the registered agency; counts across both Zhejiang plans.
    data = ok(db_url, "agency", "浙江省经信厅", "--json", "--date", "2021-06-30")
    assert {k: data[k] for k in ("agency", "region", "lead", "support", "plans")} == {
        "agency": "省经信厅", "region": "浙江省",
        "lead": raw["lead"]["省经信厅"] + 2, "support": raw["support"]["省经信厅"] + 1,
        "plans": [
            {"plan_id": 1, "title": titles[1], "lead": raw["lead"]["省经信厅"], "support": raw["support"]["省经信厅"]},
            {"plan_id": 2, "title": titles[2], "lead": 2, "support": 1},
        ],
    }
    assert data["warnings"] and {w["rag"] for w in data["warnings"]} <= {"red", "amber"}
    # Two provinces (and Zhejiang) wrote 省发展改革委: the region must be chosen.
    line = failed(db_url, "agency", "省发展改革委", "--json")
    assert "--region" in line and "安徽省" in line and "辽宁省" in line
    anhui_ndrc = ok(db_url, "agency", "省发展改革委", "--region", "安徽省", "--json")
    assert (anhui_ndrc["agency"], anhui_ndrc["region"], anhui_ndrc["lead"], anhui_ndrc["support"]) == (
        "省发展改革委", "安徽省", 2, 3)
    assert [p["plan_id"] for p in anhui_ndrc["plans"]] == [anhui.plan_id]
    assert "没有单位" in failed(db_url, "agency", "不存在的单位", "--json")
    # A link made from the command line counts at once, and is undone.
    assert run(db_url, "agency", "浙江省数字经济办", "--region", "浙江省", "--link-to", "省经信厅", "--user", "王伟").returncode == 0
    assert ok(db_url, "agency", "省经信厅", "--json")["plans"][1] == {
        "plan_id": 2, "title": titles[2], "lead": 3, "support": 0}
    assert run(db_url, "agency", "浙江省数字经济办", "--region", "浙江省", "--unlink", "--user", "王伟").returncode == 0
    assert "没有关联" in failed(db_url, "agency", "浙江省数字经济办", "--region", "浙江省", "--unlink")
    text = run(db_url, "agency", "省经信厅")
    assert text.returncode == 0 and "牵头 lead" in text.stdout
    json.dumps(data)  # plain JSON
