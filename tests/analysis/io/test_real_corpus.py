"""Real published plans (tests/fixtures/real, sources in SOURCES.md) read as a careful reader
reads them: task count, units, lead and support, leaders, deadlines, themes, region.

The expected values are written out from reading each fixture, not from running the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.__main__ import summary_dict
from analysis.model import load_plan

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"


def summary(name: str) -> dict:
    return summary_dict(load_plan(REAL / name))


def tasks_of(data: dict) -> dict:
    return {t["id"]: t for t in data["tasks"]}


def test_every_fixture_has_its_source():
    listed = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    for path in REAL.iterdir():
        if path.name != "SOURCES.md":
            assert f"| {path.name} | http" in listed, path.name


def test_dazhu_2016_minsheng_a_web_table_with_merged_cells():
    data = summary("dazhu_2016_minsheng.txt")
    tasks = tasks_of(data)
    assert list(tasks) == [1, 2, 3, 4, 5, "5-2", 6, 7, 8, 9, 10]
    expected = {  # id: (lead, support, deadline, deadline as written)
        1: (["县水务局"], ["县住建局", "县护城河指挥部"], "2016-12-31", "12月底前"),
        2: (["县住建局"], [], "2016-09-30", "9月投入使用"),
        3: (["县文体广新局"], ["县代建中心"], "2016-12-31", "12月底前"),
        4: (["县残联"], [], "2016-05-31", "5月底前动工"),
        5: (["县民政局"], [], "2016-05-31", "5月底前动工"),
        "5-2": (["县民政局"], [], "2016-12-31", "12月底前"),  # the unit cell is merged over both rows
        6: (["县政务服务中心"], ["县代建中心"], "2016-12-31", "12月底前"),
        7: (["县水务局"], [], "2016-12-31", "12月底前"),
        8: (["县教科局"], ["县代建中心"], "2016-12-31", "12月底前"),
        9: (["县住建局"], [], "2016-12-31", "12月底前"),
        10: (["县商务局"], [], "2016-12-31", "12月底前"),
    }
    for task_id, (lead, support, deadline, written) in expected.items():
        task = tasks[task_id]
        assert (task["lead"], task["support"], task["deadline"], task["deadline_text"]) == (
            lead, support, deadline, written), task_id
        assert task["leaders"] == []
    assert tasks[5]["text"] == "开工建设县老年养护楼。" and tasks["5-2"]["text"] == "开工建设老年大学。"
    assert tasks[8]["text"] == "启动大竹县第十二小学建设,新建中心幼儿园2所。"
    assert data["plan"]["period"] == ["2016-01-01", "2016-12-31"]
    assert data["plan"]["title"] == "2016年民生实事目标任务分解表"
    assert data["plan"]["region"] == "大竹县"
    assert data["plan"]["columns"] == [
        {"header": "序号", "role": "number"}, {"header": "民生实事", "role": "text"},
        {"header": "责任单位", "role": "responsible"}, {"header": "完成时限", "role": "deadline"},
    ]
    agencies = {a["name"]: a for a in data["agencies"]}
    assert agencies["县水务局"]["full_name"] == "县水务局" and not agencies["县水务局"]["registered"]
    assert agencies["县水务局"]["type"] == "government_department"  # inferred from …局
    assert not [w for w in data["warnings"] if w["code"] == "unknown_agency"]  # one rule, not 10 warnings


def test_lishan_2023_lead_and_responsible_lines():
    data = summary("lishan_2023.txt")
    tasks = tasks_of(data)
    assert list(tasks) == [1, 2, 3, 4, 5, 6, 7]
    assert (tasks[1]["lead"], tasks[1]["support"]) == (["区发改局"], ["立山经济开发区", "全区经济运行各专班"])
    assert (tasks[2]["lead"], tasks[2]["support"]) == (["区工信局"], ["立山经济开发区"])
    assert (tasks[3]["lead"], tasks[3]["support"]) == (["区发改局"], ["立山经济开发区", "各街道", "区直各部门"])
    assert (tasks[4]["lead"], tasks[4]["support"]) == (["区商务局"], ["各街道", "区市场局"])
    assert (tasks[5]["lead"], tasks[5]["support"]) == (["区财政局"], ["立山经济开发区", "各街道", "税务局"])
    assert (tasks[6]["lead"], tasks[6]["support"]) == (["区发改局"], ["各街道", "各相关单位"])
    assert (tasks[7]["lead"], tasks[7]["support"]) == ([], [])  # the stored page ends here
    assert {t["theme"] for t in data["tasks"]} == {"经济社会发展的主要预期目标"}
    assert data["plan"]["period"] == ["2023-01-01", "2023-12-31"]
    assert data["plan"]["region"].endswith("立山区")


def test_chuzhou_2020_leaders_and_a_collective_written_with_commas():
    data = summary("chuzhou_2020.txt")
    tasks = tasks_of(data)
    assert list(tasks) == [1, 2, 3, 4]
    assert [tasks[i]["leaders"] for i in (1, 2, 3, 4)] == [["金力"], ["金力"], ["金力"], ["姚志"]]
    assert tasks[1]["lead"] == ["市发展改革委"]
    assert tasks[1]["support"] == [
        "市经信局", "市商务局", "市交通局", "市农业农村局", "滁州经开区管委会", "中新苏滁高新区管委会", "各县、市、区政府",
    ]
    assert tasks[2]["lead"] == ["市财政局"]
    assert tasks[2]["support"] == ["市税务局", "滁州海关", "市人行", "滁州经开区管委会", "中新苏滁高新区管委会", "各县、市、区政府"]
    assert tasks[3]["support"][:4] == ["市经信局", "市住建局", "市交通局", "市水利局"]
    assert tasks[4]["lead"] == []  # cut off after 牵头责任
    assert data["plan"]["period"] == ["2020-01-01", "2020-12-31"]
    assert data["plan"]["region"] == "滁州市"
    agencies = {a["name"]: a for a in data["agencies"]}
    assert agencies["滁州经开区管委会"]["type"] == "zone_authority"
    assert agencies["各县、市、区政府"]["type"] == "collective"


def test_liaoning_2024_leaders_padded_for_alignment():
    data = summary("liaoning_2024.txt")
    tasks = tasks_of(data)
    assert list(tasks) == [1, 2, 3, 4, 5]
    assert [tasks[i]["leaders"] for i in (1, 2, 3, 4)] == [["王健"], ["王健"], ["王利波"], ["王健"]]
    assert tasks[1]["lead"] == ["省发展改革委"]
    assert tasks[1]["support"] == ["省工业和信息化厅", "省农业农村厅", "省商务厅", "各市人民政府", "省沈抚示范区管委会"]
    assert tasks[3]["support"] == [
        "省委军民融合办", "省发展改革委", "省农业农村厅", "省国资委", "各市人民政府", "省沈抚示范区管委会",
    ]
    assert all(a["name"] not in ("王 健", "王健", "王利波") for a in data["agencies"])  # persons are never agencies
    assert data["plan"]["period"] == ["2024-01-01", "2024-12-31"]
    assert data["plan"]["region"] == "辽宁省"
    agencies = {a["name"]: a for a in data["agencies"]}
    assert agencies["省发展改革委"]["full_name"] == "省发展改革委"  # never the Zhejiang commission


def test_guangdong_2021_responsibilities_as_a_sentence():
    data = summary("guangdong_2021.txt")
    tasks = tasks_of(data)
    assert list(tasks) == [1, 2]
    assert (tasks[1]["lead"], tasks[1]["support"], tasks[1]["leaders"]) == (["省发展改革委"], ["各地", "各部门"], ["林克庆"])
    assert (tasks[2]["lead"], tasks[2]["leaders"]) == (["省财政厅"], ["林克庆"])
    assert data["plan"]["title"] == "2021年省《政府工作报告》重点任务分工方案"
    assert data["plan"]["period"] == ["2021-01-01", "2021-12-31"]
    assert data["plan"]["region"] == "广东省"


def test_anhui_agencies_are_never_read_as_zhejiang_agencies():
    data = summary("anhui_2022_province.txt")
    tasks = tasks_of(data)
    assert list(tasks) == [1, 2, 3, 4, 5, 6]  # items numbered 1﹒ (small full stop)
    assert [tasks[i]["leaders"] for i in range(1, 7)] == [["刘惠"], ["刘惠"], ["周喜安"], ["周喜安"], ["刘惠"], ["杨光荣"]]
    assert tasks[1]["lead"] == ["省发展改革委"] and tasks[1]["support"] == ["省政府各部门", "各直属机构"]
    assert tasks[2]["support"] == [
        "省经济和信息化厅", "省财政厅", "省自然资源厅", "省住房城乡建设厅", "省交通运输厅", "省农业农村厅", "省水利厅",
        "省林业局",
    ]
    assert tasks[4]["support"] == ["省发展改革委", "省经济和信息化厅", "省财政厅", "合肥海关", "省税务局", "省外汇管理局"]
    assert tasks[5]["lead"] == ["省财政厅"]
    assert data["plan"]["region"] == "安徽省"
    agencies = {a["name"]: a for a in data["agencies"]}
    assert "省经信厅" not in agencies and "省建设厅" not in agencies
    assert agencies["省发展改革委"]["full_name"] == "省发展改革委" and not agencies["省发展改革委"]["registered"]
    assert agencies["省商务厅"]["type"] == "government_department"


def test_xuchang_2020_responsible_lines():
    data = summary("xuchang_2020.txt")
    tasks = tasks_of(data)
    assert list(tasks) == [1, 2, 3]
    for i in (1, 2):
        assert tasks[i]["lead"] == ["市疫情防控指挥部办公室"]
        assert tasks[i]["support"] == ["市卫生健康委", "各县(市、区)政府(管委会)"]
    assert tasks[3]["lead"] == []  # cut off
    assert {t["theme"] for t in data["tasks"]} == {"抓好常态化疫情防控,全面恢复生产生活秩序"}


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.txt")))
def test_no_person_is_an_agency_and_no_note_is_a_name(name):
    data = summary(name)
    for agency in data["agencies"]:
        assert "牵头" not in agency["name"] and "配合" not in agency["name"] and "下同" not in agency["name"]


def test_yuncheng_2017_a_five_year_plan_with_one_unit_line_for_its_sub_items():
    data = summary("yuncheng_2017_emergency.txt")
    tasks = tasks_of(data)
    assert list(tasks) == ["1.1", "1.2", "1.3", "1.4", "2.1"]
    assert tasks["1.4"]["lead"] == ["市直各有关单位"]
    assert tasks["1.4"]["support"] == ["各县(市、区)人民政府", "各开发区管委会"]
    assert tasks["2.1"]["lead"] == []  # cut off
    assert data["plan"]["period"] == ["2016-01-01", "2020-12-31"]  # “十三五”
    assert data["plan"]["region"] == "运城市"
    assert {tasks[i]["theme"] for i in ("1.1", "1.4")} == {"完善应急预案体系"}


def test_yuncheng_2017_the_unit_line_covers_every_sub_item_above_it():
    tasks = tasks_of(summary("yuncheng_2017_emergency.txt"))
    assert all(tasks[i]["lead"] == ["市直各有关单位"] for i in ("1.1", "1.2", "1.3", "1.4"))


def test_lishui_2023_each_leads_and_a_note_that_excepts_them():
    data = summary("lishui_2023.txt")
    tasks = tasks_of(data)
    assert list(tasks) == list(range(1, 12))  # 11 items; the stored copy ends inside task 11's units
    assert (tasks[1]["lead"], tasks[1]["support"]) == (["市发改委"], [])
    assert tasks[4]["lead"] == ["市发改委"]  # 列第一位为牵头或汇总单位
    assert tasks[4]["support"] == [
        "市经信局", "市科技局", "市财政局", "市自然资源局", "市生态环境局", "市建设局", "市交通运输局", "市水利局",
        "市农业农村局", "市文广旅体局", "市卫生健康委",  # the note after it is no part of the name
    ]
    assert (tasks[6]["lead"], tasks[6]["support"]) == (["市人力社保局", "市农业农村局"], [])  # 分别牵头
    assert (tasks[9]["lead"], tasks[9]["support"]) == (["市人力社保局", "市发改委"], [])
    assert tasks[10]["lead"] == ["市双招双引办"]
    assert tasks[10]["support"] == ["市发改委", "市经信局", "各县(市、区)政府", "丽水开发区管委会"]
    assert tasks[11]["lead"] == [] and tasks[11]["support"] == []  # “责任单位:市” cut off: no unit named 市
    assert {tasks[i]["theme"] for i in range(1, 10)} == {"全市经济社会发展主要预期目标"}
    assert tasks[10]["theme"] == "重点抓好六方面工作"
    assert data["plan"]["title"] == "市政府工作报告重点工作责任分解(2023年)"
    assert data["plan"]["period"] == ["2023-01-01", "2023-12-31"]
    assert data["plan"]["region"] == "丽水市"
    names = {a["name"] for a in data["agencies"]}
    assert "市卫生健康委" in names and "市" not in names
    assert any("分别牵头" in r["zh"] for r in data["rules"])


def test_tongxiang_2020_leader_named_by_the_section_and_a_note_after_the_last_unit():
    data = summary("tongxiang_2020.txt")
    tasks = tasks_of(data)
    assert list(tasks) == [1, 2, 3]
    assert tasks[1]["lead"] == ["财政局"]
    assert tasks[1]["support"] == [
        "发改局", "经信局", "科技局", "商务局", "人才办", "金融发展服务中心", "服务业局", "建设局", "农业农村局",
        "文化和广电旅游体育局", "工商联",
    ]
    assert tasks[2]["lead"] == ["发改局"]
    assert tasks[2]["support"] == ["经信局", "财政局", "金融发展服务中心", "税务局", "人民银行"]
    assert tasks[3]["lead"] == []  # cut off before its units
    assert [tasks[i]["leaders"] for i in (1, 2, 3)] == [["于会游"]] * 3  # 一、于会游市长主抓重点工作
    assert data["plan"]["title"] == "2020年政府工作报告主要工作责任分解"
    assert data["plan"]["period"] == ["2020-01-01", "2020-12-31"]
    assert data["plan"]["region"] == "桐乡市"
    assert all(a["name"] != "于会游" for a in data["agencies"])


def test_haiyan_2022_paragraphs_joined_into_one_line():
    data = summary("haiyan_2022.txt")
    tasks = tasks_of(data)
    assert list(tasks) == ["一.1", "一.2", "二.1", "二.2"]  # numbering restarts in each section
    assert tasks["一.1"]["lead"] == ["县发改局"]  # (首位单位为牵头单位,下同) written after it
    assert tasks["一.1"]["support"] == ["县财政局", "县税务局", "县农业农村局"]
    assert (tasks["一.2"]["lead"], tasks["一.2"]["support"]) == (["县财政局"], [])
    assert (tasks["二.1"]["lead"], tasks["二.1"]["support"]) == (["县司法局"], [])
    assert tasks["二.2"]["lead"] == []  # cut off
    assert [tasks[i]["leaders"] for i in ("一.1", "一.2", "二.1", "二.2")] == [["王丹"], ["王丹"], ["曹惠明"], ["曹惠明"]]
    assert tasks["一.1"]["text"].startswith("全县生产总值增长7.5%左右")
    assert tasks["二.1"]["text"].endswith("提高决策科学化民主化水平。")
    assert data["plan"]["period"] == ["2022-01-01", "2022-12-31"]
    assert data["plan"]["region"] == "海盐县"
    assert not any("首位" in a["name"] for a in data["agencies"])


def test_cangnan_2022_a_progress_table_copied_one_cell_per_line():
    data = summary("cangnan_2022_progress.txt")
    tasks = tasks_of(data)
    assert list(tasks) == list(range(1, 14))
    leads = {1: "县教育局", 2: "县交通局", 3: "县交通局", 4: "县卫健局", 5: "县住建局", 6: "县民政局", 7: "县民政局",
             8: "县教育局", 9: "县教育局", 10: "县水利局", 11: "县水利局", 12: "县文广旅体局", 13: "县文广旅体局"}
    assert {i: tuple(t["lead"]) for i, t in tasks.items()} == {i: (lead,) for i, lead in leads.items()}
    assert all(t["support"] == [] and t["leaders"] == [] for t in tasks.values())
    # a task naming places with 、 stays a task (it ends in 卫生院, as a unit name would)
    assert tasks[4]["text"] == "建成投用沿浦、宜山、莒溪、炎亭、望里、赤溪、岱岭、灵溪浦亭等8家卫生院"
    assert data["plan"]["columns"] == [
        {"header": "序号", "role": "number"}, {"header": "项目内容", "role": "text"},
        {"header": "当前进度", "role": "progress"}, {"header": "牵头单位", "role": "lead"},
        {"header": "备注", "role": "notes"},
    ]
    assert data["plan"]["title"] == "2022年度市县民生实事未完成项目进度表(截至10月31日)"
    assert data["plan"]["period"] == ["2022-01-01", "2022-12-31"]
    assert data["plan"]["region"] == "苍南县"
    plan = load_plan(REAL / "cangnan_2022_progress.txt")
    extra = {str(row.task_id): dict(map(tuple, row.extra)) for row in plan.tasks.itertuples()}
    assert extra["1"] == {"当前进度": "80%(新区实验幼儿园进度滞后)", "备注": "市民生实事"}
    assert extra["8"] == {"当前进度": "22%(严重滞后)", "备注": "县民生实事"}
    assert extra["7"]["当前进度"] == "50%(马站未开工"  # as published, bracket unclosed


def test_yueqing_2022_a_pipe_table_with_persons_responsible():
    data = summary("yueqing_2022_results.txt")
    tasks = tasks_of(data)
    assert list(tasks) == [1, 2, 3]
    assert (tasks[1]["lead"], tasks[1]["leaders"]) == (["市卫健局"], ["仇永亲"])  # 责任人: a person
    assert (tasks[2]["lead"], tasks[2]["leaders"]) == (["市卫健局"], ["黄李虎"])
    assert tasks[3]["lead"] == [] and tasks[3]["text"] == "新改扩建公办幼儿园3所,新增公办幼儿学位720个"  # cut
    assert tasks[1]["text"] == "新增2个乡镇(街道)建有托育机构"
    roles = {c["header"]: c["role"] for c in data["plan"]["columns"]}
    assert roles == {"序号": "number", "项 目 内 容": "text", "年度完成情况": "progress", "完成成效": "progress",
                     "责任单位": "responsible", "责任人": "leader"}
    assert data["plan"]["title"] == "2022年度乐清本级民生实事项目完成情况"
    assert data["plan"]["period"] == ["2022-01-01", "2022-12-31"]
    assert all(a["name"] not in ("仇永亲", "黄李虎") for a in data["agencies"])
    plan = load_plan(REAL / "yueqing_2022_results.txt")
    first = dict(map(tuple, plan.tasks.iloc[0]["extra"]))
    assert first == {"年度完成情况": "完成新增智仁乡和岭底乡建有托育机构。", "完成成效": "完成任务"}


def test_the_corpus_holds_at_least_twelve_published_plans():
    assert len(list(REAL.glob("*.txt"))) >= 12
