"""The 跨计划 page through Streamlit's AppTest: a workspace of the Zhejiang plan, a small synthetic
Zhejiang table and two corpus plans; the numbers on screen are the counts of the plans."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from analysis.store import open_workspace
from tests.accounts import add_staff, session_token
from tests.analysis.portfolio.conftest import REAL, SYNTHETIC_TITLE, SYNTHETIC_ZHEJIANG
from tests.conftest import ROOT, independent_counts

APP = str(ROOT / "app.py")


@pytest.fixture
def db(workspace_db):
    url = f"sqlite:///{workspace_db}"
    with open_workspace(url) as ws:  # seeded with the bundled plan
        add_staff(ws)  # the accounts the writes below act as
        ws.add_plan(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv", actor="测试", title=SYNTHETIC_TITLE,
                    region="浙江省")
        for name in ("anhui_2022_province.txt", "liaoning_2024.txt"):
            ws.add_plan((REAL / name).read_bytes(), name, actor="测试")
        ws.report_progress(1, "1", "done", expected_previous=None, actor="李娜", as_of=dt.date(2021, 6, 1))
        tasks = sum(i.tasks for i in ws.list_plans())
    return url, tasks


def _open(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page("pages/portfolio.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_overview_and_agency_numbers(db):
    _, tasks = db
    at = _open()
    assert at.title[0].value == "跨计划"
    at.date_input(key="pf_date").set_value(dt.date(2021, 6, 30)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metric(at, "方案数") == "4"
    assert _metric(at, "任务数") == str(tasks)
    assert _metric(at, "完成占比") == f"{1 / tasks:.0%}"
    plans = at.dataframe[0].value
    assert list(plans["ID"]) == [1, 2, 3, 4] and list(plans["地区"]) == ["浙江省", "浙江省", "安徽省", "辽宁省"]

    raw = independent_counts()
    at.selectbox(key="pf_agency").set_value("浙江省｜省经信厅").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metric(at, "牵头任务") == str(raw["lead"]["省经信厅"] + 2)
    assert _metric(at, "配合任务") == str(raw["support"]["省经信厅"] + 1)
    assert _metric(at, "涉及方案") == "2"
    assert at.query_params["agency"] == ["省经信厅"] or at.query_params["agency"] == "省经信厅"

    # The region filter leaves Zhejiang's two plans.
    at.selectbox(key="pf_region").set_value("浙江省").run()
    assert _metric(at, "方案数") == "2"


def test_a_link_opens_the_agency_and_links_are_undone(db):
    url, _ = db
    # Nobody signed in: the link is refused on the server side, said on the page, nothing saved.
    at = _open(pf_pending=("省经信厅", "浙江省"))
    at.selectbox(key="pf_link_name").set_value(("浙江省", "浙江省数字经济办"))
    at.button(key="pf_link").click().run()
    assert any("登录" in e.value for e in at.error), [e.value for e in at.error]
    with open_workspace(url) as ws:
        from analysis.store.portfolio import AgencyLinks

        assert AgencyLinks(ws).list() == []
        token = session_token(ws, "王伟")
    at = _open(pf_pending=("省发展改革委", "安徽省"), auth_token=token)
    assert at.session_state["pf_agency"] == "安徽省｜省发展改革委"
    assert _metric(at, "牵头任务") == "2" and _metric(at, "配合任务") == "3"
    # Link the synthetic table's unmatched name to 省经信厅, then undo it.
    at.selectbox(key="pf_link_name").set_value(("浙江省", "浙江省数字经济办"))
    at.selectbox(key="pf_link_target").set_value("省经信厅")
    at.button(key="pf_link").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with open_workspace(url) as ws:
        from analysis.store.portfolio import AgencyLinks

        assert [(k.region, k.name, k.agency, k.created_by) for k in AgencyLinks(ws).list()] == [
            ("浙江省", "省数字经济办", "省经信厅", "王伟")]
    at.selectbox(key="pf_agency").set_value("浙江省｜省经信厅").run()
    raw = independent_counts()
    assert _metric(at, "牵头任务") == str(raw["lead"]["省经信厅"] + 3)  # task 3 of the synthetic table now led
    unlink = next(b for b in at.button if b.key and b.key.startswith("pf_unlink_"))
    unlink.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metric(at, "牵头任务") == str(raw["lead"]["省经信厅"] + 2)


def test_agency_view_offers_its_meeting_pack(db):
    at = _open(pf_pending=("省经信厅", "浙江省"))
    assert at.session_state["pf_agency"] == "浙江省｜省经信厅"
    buttons = {b.key: b for b in at.get("download_button")}
    assert {"pf_pack_pptx", "pf_pack_html"} <= set(buttons)
    assert buttons["pf_pack_pptx"].proto.label == "下载幻灯片（PPTX）"
