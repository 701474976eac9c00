"""One key per agency of one region: registry aliases merge within Zhejiang, regions never merge."""

from __future__ import annotations

from analysis.agencies import load_registry
from analysis.model import plan_from_bytes
from analysis.portfolio import AgencyKey, Links, agency_key, assemble, digest_of, normalise_name, resolve_query
from tests.analysis.portfolio.conftest import SYNTHETIC_ZHEJIANG


def test_normalise_name_writes_the_region_as_its_level():
    assert normalise_name("安徽省发展改革委", "安徽省") == "省发展改革委"
    assert normalise_name("滁州市 经信局", "滁州市") == "市经信局"
    assert normalise_name("省财政厅", "安徽省") == "省财政厅"
    assert normalise_name("安徽省发展改革委", "浙江省") == "安徽省发展改革委"  # another region's name stays
    assert normalise_name("ＡＢＣ局", "") == "ABC局"  # NFKC


def test_registered_names_are_the_registry_region_and_others_their_plan_region():
    assert agency_key("浙江省", "省经信厅", True) == AgencyKey("浙江省", "省经信厅")
    assert agency_key("杭州市", "省经信厅", True) == AgencyKey("浙江省", "省经信厅")  # the provincial department
    assert agency_key("安徽省", "省经济和信息化厅", False) == AgencyKey("安徽省", "省经济和信息化厅")
    assert agency_key("", "某某办", False) == AgencyKey("", "某某办")


def test_links_apply_within_their_region_only():
    registry = load_registry()
    links = Links.of([("浙江省", "浙江省数字经济办", "省经信厅")])
    assert agency_key("浙江省", "浙江省数字经济办", False, links, registry) == AgencyKey("浙江省", "省经信厅")
    assert agency_key("浙江省", "省数字经济办", False, links, registry) == AgencyKey("浙江省", "省经信厅")
    # The same words in an Anhui plan are Anhui's: the Zhejiang link does not reach them.
    assert agency_key("安徽省", "省数字经济办", False, links, registry) == AgencyKey("安徽省", "省数字经济办")
    # A link in a region the registry does not describe points to a name of that region.
    anhui = Links.of([("安徽省", "省经济和信息化厅", "省经信厅")])
    assert agency_key("安徽省", "省经济和信息化厅", False, anhui, registry) == AgencyKey("安徽省", "省经信厅")


def _portfolio(plans):
    return assemble([(i, 1, digest_of(plan, region=region)) for i, (region, plan) in enumerate(plans, start=1)])


def test_alias_merging_never_crosses_regions(bundled_plan, corpus_plans):
    synthetic = plan_from_bytes(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv")
    anhui = dict(corpus_plans)["anhui_2022_province.txt"]
    liaoning = dict(corpus_plans)["liaoning_2024.txt"]
    portfolio = _portfolio([("浙江省", bundled_plan), ("浙江省", synthetic), ("安徽省", anhui), ("辽宁省", liaoning)])
    rows = portfolio.assignments
    # Within Zhejiang, 浙江省经济和信息化厅 / 省经济和信息化厅 / 省经信厅 are one agency across two plans.
    zhejiang = rows.loc[rows["key"] == "浙江省｜省经信厅"]
    assert set(zhejiang["plan_id"]) == {1, 2}
    assert len(zhejiang.loc[zhejiang["plan_id"] == 2]) == 3
    # Anhui wrote 省经济和信息化厅 too: it stays Anhui's, never Zhejiang's 省经信厅.
    anhui_rows = rows.loc[rows["plan_id"] == 3]
    assert set(anhui_rows["key_region"]) == {"安徽省"}
    assert "省经济和信息化厅" in set(anhui_rows["key_name"])
    assert not set(rows.loc[rows["key_region"] == "浙江省", "plan_id"]) & {3, 4}
    # Every key's rows come from plans of one region (the registry's region for registered names).
    regions = portfolio.plans.set_index("plan_id")["region"]
    for key, group in rows.groupby("key"):
        assert group["plan_id"].map(regions).nunique() == 1, key
    # Three provinces wrote 省发展改革委: three agencies.
    assert sorted(k.region for k in resolve_query("省发展改革委", portfolio.keys())) == ["安徽省", "浙江省", "辽宁省"]
    assert resolve_query("浙江省发展和改革委员会", portfolio.keys()) == [AgencyKey("浙江省", "省发展改革委")]
    assert resolve_query("省发展改革委", portfolio.keys(), region="辽宁省") == [AgencyKey("辽宁省", "省发展改革委")]


def test_a_plan_of_unknown_region_is_its_own(bundled_plan, corpus_plans):
    dazhu = dict(corpus_plans)["dazhu_2016_minsheng.txt"]
    unknown = {**digest_of(dazhu), "region": ""}  # as a plan whose region could not be read
    portfolio = assemble([(1, 1, digest_of(dazhu)), (2, 1, unknown)])
    keys = portfolio.assignments.groupby("plan_id")["key_region"].unique()
    assert list(keys[1]) == ["大竹县"] and list(keys[2]) == [""]
    same = portfolio.assignments.groupby("key")["plan_id"].nunique()
    assert (same == 1).all()  # the same names, two regions: never one agency
