"""Views across plans on a workspace of real plans (SQLite and PostgreSQL): the Zhejiang plan, a
small synthetic Zhejiang table, and plans of the real-table corpus."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import delete, select

from analysis.portfolio import AgencyKey, Scope, agency_load, agency_view, plans_overview, scoped
from analysis.portfolio.load import DIGEST_FORMAT, digest_of
from analysis.store import WorkspaceError
from analysis.store.models import PlanDigestRow
from analysis.store.portfolio import (
    AgencyLinks,
    latest_reports,
    load_portfolio,
    plan_digests,
    portfolio_plan,
    portfolio_statuses,
)
from analysis.vocab import Role
from tests.analysis.portfolio.conftest import CORPUS, REAL, SYNTHETIC_TITLE, SYNTHETIC_ZHEJIANG
from tests.conftest import independent_counts

REFERENCE = dt.date(2021, 6, 30)
# Written from the source texts (tests/fixtures/real), task by task: (lead, support).
ANHUI = {"省发展改革委": (2, 3), "省经济和信息化厅": (0, 3), "省财政厅": (1, 3), "省商务厅": (2, 0)}
LIAONING = {"省发展改革委": (2, 1), "省工业和信息化厅": (1, 2), "各市人民政府": (0, 4), "省财政厅": (1, 0)}
# The synthetic table: 省经信厅 leads tasks 1 and 2 (as 浙江省经济和信息化厅, 省经济和信息化厅), supports 3.
SYNTHETIC = {"省经信厅": (2, 1), "省发展改革委": (0, 1), "省数字经济办": (1, 2)}


@pytest.fixture
def filled(workspace):
    """The workspace (seeded with the Zhejiang plan = plan 1), the synthetic table (plan 2), the corpus (3 …)."""
    workspace.add_plan(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv", actor="测试", title=SYNTHETIC_TITLE,
                       region="浙江省")
    for name in CORPUS:
        workspace.add_plan((REAL / name).read_bytes(), name, actor="测试")
    return workspace


def _plan_id(ws, file_name):
    return next(i.plan_id for i in ws.list_plans() if i.file_name == file_name)


def test_counts_per_agency_across_plans_equal_an_independent_count(filled):
    portfolio = load_portfolio(filled)
    assert len(portfolio.plans) == 2 + len(CORPUS)
    raw = independent_counts()  # the Zhejiang table read straight from its text
    zhejiang = agency_view(portfolio, AgencyKey("浙江省", "省经信厅"), REFERENCE)
    per_plan = {int(r.plan_id): (int(r.lead), int(r.support)) for r in zhejiang.plans.itertuples()}
    assert per_plan == {1: (raw["lead"]["省经信厅"], raw["support"]["省经信厅"]), 2: SYNTHETIC["省经信厅"]}
    assert (zhejiang.lead, zhejiang.support) == (raw["lead"]["省经信厅"] + 2, raw["support"]["省经信厅"] + 1)
    assert set(zhejiang.names) == {"省经信厅"}  # the model resolved the aliases; the key carries the label

    ndrc = agency_view(portfolio, AgencyKey("浙江省", "省发展改革委"), REFERENCE)
    assert {int(r.plan_id): (int(r.lead), int(r.support)) for r in ndrc.plans.itertuples()} == {
        1: (raw["lead"]["省发展改革委"], raw["support"]["省发展改革委"]), 2: SYNTHETIC["省发展改革委"]}
    anhui_id, liaoning_id = _plan_id(filled, "anhui_2022_province.txt"), _plan_id(filled, "liaoning_2024.txt")
    for region, plan_id, expected in (("安徽省", anhui_id, ANHUI), ("辽宁省", liaoning_id, LIAONING)):
        for name, counts in expected.items():
            view = agency_view(portfolio, AgencyKey(region, name), REFERENCE)
            assert [(int(r.plan_id), int(r.lead), int(r.support)) for r in view.plans.itertuples()] == [
                (plan_id, *counts)], (region, name)

    # The load table adds the same numbers, weighted: lead × 2 + support.
    load = agency_load(portfolio).set_index("key")
    every = Counter({"lead": 0})
    for key, row in load.iterrows():
        every["lead"] += int(row["lead"])
        every["support"] += int(row["support"])
        assert row["weighted"] == 2.0 * row["lead"] + row["support"], key
    assert load.loc["浙江省｜省经信厅", "lead"] == raw["lead"]["省经信厅"] + 2
    assert load.loc["安徽省｜省发展改革委", "plans"] == 1
    # Every assignment of every plan is counted exactly once (no agency is named twice in a task here).
    assert every["lead"] + every["support"] == sum(len(filled.load_plan(i.plan_id).assignments) for i in filled.list_plans())


def test_links_are_stored_undoable_and_stay_in_their_region(filled):
    links = AgencyLinks(filled)
    link = links.link("浙江省", "浙江省数字经济办", "省经信厅", actor="王伟")
    assert (link.region, link.name, link.agency, link.created_by) == ("浙江省", "省数字经济办", "省经信厅", "王伟")
    portfolio = load_portfolio(filled)
    view = agency_view(portfolio, AgencyKey("浙江省", "省经信厅"), REFERENCE)
    # Task 3 was led by the linked name and supported by 省经信厅: one task, led.
    assert {int(r.plan_id): (int(r.lead), int(r.support)) for r in view.plans.itertuples()}[2] == (3, 0)
    assert set(view.names) == {"省经信厅", "浙江省数字经济办"}
    assert not (portfolio.assignments["key"] == "浙江省｜省数字经济办").any()

    with pytest.raises(WorkspaceError, match="已有关联"):
        links.link("浙江省", "省数字经济办", "省建设厅", actor="王伟")  # the same name, normalised
    with pytest.raises(WorkspaceError, match="已在单位名录"):
        links.link("浙江省", "浙江省经济和信息化厅", "省建设厅", actor="王伟")
    with pytest.raises(WorkspaceError, match="不在单位名录"):
        links.link("浙江省", "某某办", "不存在的厅", actor="王伟")
    with pytest.raises(WorkspaceError, match="操作人"):
        links.link("浙江省", "某某办", "省经信厅", actor=" ")
    assert len(links.list()) == 1

    # An Anhui link points to an Anhui name; Zhejiang's agencies are untouched.
    links.link("安徽省", "省经济和信息化厅", "省经信委", actor="王伟")
    portfolio = load_portfolio(filled)
    anhui = portfolio.assignments.loc[portfolio.assignments["key_region"] == "安徽省"]
    assert "省经信委" in set(anhui["key_name"]) and "省经济和信息化厅" not in set(anhui["key_name"])
    assert set(portfolio.assignments.loc[portfolio.assignments["key"] == "浙江省｜省经信厅", "plan_id"]) == {1, 2}

    links.unlink("浙江省", "浙江省数字经济办", actor="王伟")
    links.unlink("安徽省", "省经济和信息化厅", actor="王伟")
    with pytest.raises(WorkspaceError, match="没有关联"):
        links.unlink("浙江省", "浙江省数字经济办", actor="王伟")
    assert links.list() == []
    view = agency_view(load_portfolio(filled), AgencyKey("浙江省", "省经信厅"), REFERENCE)
    assert {int(r.plan_id): (int(r.lead), int(r.support)) for r in view.plans.itertuples()}[2] == SYNTHETIC["省经信厅"]


def test_links_are_checked_against_the_role_and_audited(filled):
    from analysis.store.access import Grant, PermissionDenied
    from analysis.vocab import AccessRole

    filled.accounts.add("报送员", [Grant(AccessRole.REPORTER, agencies=frozenset({"省经信厅"}))], actor="admin")
    filled.accounts.add("方案协调人", [Grant(AccessRole.COORDINATOR, plan_id=1)], actor="admin")
    links = AgencyLinks(filled)
    for name in ("报送员", "方案协调人", "无此账号"):  # only a workspace coordinator (or admin) links names
        with pytest.raises(WorkspaceError):
            links.link("浙江省", "浙江省数字经济办", "省经信厅", actor=name)
    with pytest.raises(PermissionDenied):
        links.link("浙江省", "浙江省数字经济办", "省经信厅", actor="报送员")
    assert links.list() == []
    links.link("浙江省", "浙江省数字经济办", "省经信厅", actor="王伟")
    with pytest.raises(PermissionDenied):
        links.unlink("浙江省", "浙江省数字经济办", actor="报送员")
    links.unlink("浙江省", "浙江省数字经济办", actor="王伟")
    trail = [(e.actor, e.action, e.before, e.after) for e in filled.audit() if e.action.startswith("agency_")]
    assert trail == [
        ("王伟", "agency_link", None, {"region": "浙江省", "name": "省数字经济办", "agency": "省经信厅"}),
        ("王伟", "agency_unlink", {"region": "浙江省", "name": "省数字经济办", "agency": "省经信厅"}, None),
    ]


def test_statuses_equal_the_workspace_task_status_plan_by_plan(filled):
    seed = filled.list_plans()[0].plan_id
    filled.report_progress(seed, "1", "done", expected_previous=None, actor="李娜", as_of=dt.date(2021, 6, 1))
    filled.report_progress(seed, "2", "delayed", expected_previous=None, actor="李娜", as_of=dt.date(2021, 6, 1))
    filled.report_progress(seed, "3", "in_progress", expected_previous=None, actor="李娜", as_of=dt.date(2021, 7, 1))
    portfolio = load_portfolio(filled)
    states = portfolio_statuses(filled, portfolio, REFERENCE)
    for info in filled.list_plans():
        expected = filled.task_status(info.plan_id, REFERENCE)
        mine = states.loc[states["plan_id"] == info.plan_id]
        if info.plan_id == seed:  # the bundled plan's folder gives its own period; the rest is the same
            expected = expected.set_index("id")
            assert dict(zip(mine["task_id"], mine["status"], strict=True)) == expected["status"].astype(str).to_dict()
            continue
        assert list(mine["task_id"]) == list(expected["id"])
        assert list(mine["rag"]) == [str(r) for r in expected["rag"]], info.file_name
        assert list(mine["status"]) == [str(s) for s in expected["status"]]
    reports = latest_reports(filled, REFERENCE)
    assert sorted(reports["task_id"]) == ["1", "2"]  # the report of 7-01 is after the reference date
    overview = plans_overview(portfolio, states).set_index("plan_id")
    tasks = overview.loc[seed, "tasks"]
    assert overview.loc[seed, "done"] == 1 and overview.loc[seed, "share_done"] == pytest.approx(1 / tasks)
    late = states.loc[(states["plan_id"] == seed) & states["late"]]
    assert "2" in set(late["task_id"]) and overview.loc[seed, "late"] == len(late)


def _digest_rows(ws):
    with ws.engine.connect() as connection:
        rows = connection.execute(select(PlanDigestRow.plan_id, PlanDigestRow.version, PlanDigestRow.format,
                                         PlanDigestRow.decisions))
        return {(int(p), int(v)): (int(f), int(d)) for p, v, f, d in rows}


def test_digests_are_stored_when_plans_and_versions_are_added(filled):
    built: list[int] = []

    def build(plan_id, version, content_hash):
        built.append(plan_id)
        return portfolio_plan(filled, plan_id, version, content_hash)

    infos = {i.plan_id: i for i in filled.list_plans()}
    # Each add_plan (the seed too) stored its version's digest: the first portfolio read builds none.
    assert _digest_rows(filled) == {(p, 1): (DIGEST_FORMAT, 0) for p in infos}
    first = plan_digests(filled, build=build)
    assert built == []
    for plan_id, version, digest in first:  # what the lazy path would build from the plan as shown
        info = infos[plan_id]
        assert digest == digest_of(portfolio_plan(filled, plan_id, version, info.content_hash), region=info.region,
                                   title=info.title)
    # A workspace of before (no digests): built once, then read.
    with filled.engine.begin() as connection:
        connection.execute(delete(PlanDigestRow))
    assert plan_digests(filled, build=build) == first and sorted(built) == sorted(infos)
    built.clear()
    assert plan_digests(filled, build=build) == first and built == []
    # A new version's digest is stored by add_version.
    anhui = _plan_id(filled, "anhui_2022_province.txt")
    revised = (REAL / "anhui_2022_province.txt").read_text(encoding="utf-8").replace("省商务厅", "省商务和外事厅")
    filled.add_version(anhui, revised.encode("utf-8"), "anhui_2022_province.txt", actor="测试")
    assert (anhui, 2) in _digest_rows(filled)
    plan_digests(filled, build=build)
    assert built == []
    view = agency_view(load_portfolio(filled), AgencyKey("安徽省", "省商务和外事厅"), REFERENCE)
    assert view.lead == ANHUI["省商务厅"][0]


def test_a_plan_whose_digest_fails_is_not_added(workspace, monkeypatch):
    import analysis.store.portfolio as store_portfolio

    def fail(*args, **kwargs):
        raise RuntimeError("digest failed")

    before = [i.plan_id for i in workspace.list_plans()]
    monkeypatch.setattr(store_portfolio, "digest_of", fail)
    with pytest.raises(RuntimeError):
        workspace.add_plan(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv", actor="测试", region="浙江省")
    assert [i.plan_id for i in workspace.list_plans()] == before  # one transaction: no plan without its digest
    assert set(_digest_rows(workspace)) == {(p, 1) for p in before}


def test_scope_filters_by_region_plan_period_and_theme(filled):
    portfolio = load_portfolio(filled)
    zhejiang = scoped(portfolio, Scope(region="浙江省"))
    assert set(zhejiang.plans["plan_id"]) == {1, 2}
    one = scoped(portfolio, Scope(plan_ids=(2,)))
    assert set(one.assignments["plan_id"]) == {2}
    dated = scoped(portfolio, Scope(period=(dt.date(2016, 1, 1), dt.date(2016, 12, 31))))
    assert set(dated.plans["title"]) == {"2016年民生实事目标任务分解表"}
    themed = scoped(portfolio, Scope(plan_ids=(1,), themes=("网络基础设施",)))
    assert len(themed.tasks) == (portfolio.tasks.loc[portfolio.tasks["plan_id"] == 1, "theme"] == "网络基础设施").sum()
    assert set(themed.assignments["task_id"]) <= set(themed.tasks["task_id"])
    load = agency_load(themed).set_index("agency")
    rows = themed.assignments.loc[themed.assignments["key_name"] == "省经信厅"]
    assert load.loc["省经信厅", "lead"] == (rows["role"] == Role.LEAD.value).sum()


def test_latest_reports_sqlite_form_equals_the_join(filled):
    """The SQLite form of the latest-report query (bare columns beside max(seq)) gives the rows the
    portable join gives: several reports per task, one after the reference date, a limit by plan."""
    from analysis.store.portfolio import LATEST_COLUMNS, latest_query

    seed = filled.list_plans()[0].plan_id
    previous = None
    for day, status in ((1, "in_progress"), (2, "delayed"), (3, "done")):
        previous = filled.report_progress(seed, "1", status, expected_previous=previous, actor="李娜",
                                          as_of=dt.date(2021, 6, day)).report_id
    filled.report_progress(seed, "1", "suspended", expected_previous=previous, actor="李娜", as_of=dt.date(2021, 8, 1))
    filled.report_progress(seed, "2", "in_progress", expected_previous=None, actor="李娜", as_of=dt.date(2021, 5, 1))
    other = filled.list_plans()[1].plan_id
    filled.report_progress(other, "1", "done", expected_previous=None, actor="李娜", as_of=dt.date(2021, 5, 1))
    forms = [False, True] if filled.engine.dialect.name == "sqlite" else [False]
    for as_of, plans in ((REFERENCE, None), (None, None), (REFERENCE, [seed])):
        found = []
        for bare_max in forms:
            with filled.engine.connect() as connection:
                rows = connection.execute(latest_query(as_of, plans, bare_max=bare_max)).all()
            found.append(sorted(tuple(r)[:len(LATEST_COLUMNS)] for r in rows))
        assert found[0] == found[-1]
        latest = {(p, t): s for p, t, _, _, s, _, _ in found[0]}
        if as_of is None:
            assert latest[(seed, "1")] == "suspended"
        else:
            assert latest[(seed, "1")] == "done" and latest[(seed, "2")] == "in_progress"
            assert ((other, "1") in latest) == (plans is None)
    frame = latest_reports(filled, REFERENCE)
    assert list(frame.columns) == LATEST_COLUMNS
    assert sorted(zip(frame["plan_id"], frame["task_id"], frame["status"], strict=True)) == sorted(
        [(seed, "1", "done"), (seed, "2", "in_progress"), (other, "1", "done")])
