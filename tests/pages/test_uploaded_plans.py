"""Pages on plans other than the bundled one: large plans stay legible, hostile names stay text."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import random

import pytest

from dashboard.ui import md_escape
from tests.pages.test_pages import dataframes, figure, open_app

MEETING = dt.date(2022, 3, 1)


def large_plan_csv(tasks: int = 150, agencies: int = 60) -> bytes:
    lines = ["《测试计划（2021-2023年）》", "序号,重点工作任务,牵头单位,配合单位"]
    for i in range(1, tasks + 1):
        lead = f"单位{i % agencies:03d}局"
        support = "、".join(f"单位{(i + k) % agencies:03d}局" for k in (1, 2))
        deadline = "2022年6月底前，" if i % 3 == 0 else ""
        lines.append(f"{i},{deadline}推进第{i}项工作。,{lead},{support}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_large_plan_timeline_shows_quarters_then_pages():
    at = open_app("timeline", plan_bytes=large_plan_csv(), plan_name="large.csv", meeting_date=MEETING)
    assert len(at.get("plotly_chart")) == 2
    quarters = figure(at, 0)
    totals = {trace["name"]: sum(trace["y"]) for trace in quarters["data"]}
    # every third task is due 2022-06-30, after the meeting; the others run to the plan end
    assert totals == {"尚未到期": 50, "至规划期末": 100}
    assert quarters["layout"]["title"]["text"] == "150 项任务的期限分布（按季度）"
    fig = figure(at, 1)
    rows = fig["layout"]["yaxis"]["categoryarray"]
    assert len(rows) == 60 and rows[0].startswith("1 ·")
    at.number_input(key="tl_page").set_value(3).run()
    rows = figure(at, 1)["layout"]["yaxis"]["categoryarray"]
    assert len(rows) == 30 and rows[0].startswith("121 ·")
    assert any("121–150" in c.value for c in at.caption)


def test_large_plan_workload_chart_shows_top_agencies_and_table_all():
    at = open_app("workload", plan_bytes=large_plan_csv(), plan_name="large.csv")
    bars = figure(at, 0)
    assert len(bars["data"][0]["y"]) == 40
    assert len(dataframes(at)[0]) == 60
    at.slider(key="wl_top").set_value(10).run()
    assert len(figure(at, 0)["data"][0]["y"]) == 10


HOSTILE = "**粗体**<script>alert(1)<script>_斜体_"


def test_hostile_names_are_shown_as_text():
    data = (
        "《恶意测试（2021年）》\n序号,重点工作任务,牵头单位,配合单位\n"
        f"1,=HYPERLINK(\"http://x\"),{HOSTILE},省经信厅\n"
    ).encode()
    at = open_app("network", plan_bytes=data, plan_name="hostile.csv")
    at.selectbox(key="nw_agency").set_value(HOSTILE).run()
    panel = next(s.value for s in at.subheader if "协作详情" in s.value)
    assert "\\*\\*粗体\\*\\*" in panel and "\\<script\\>" in panel and "\\_斜体\\_" in panel
    fig = figure(at, 0)
    labels = [label for trace in fig["data"] for label in (trace.get("text") or [])]
    assert html.escape(HOSTILE, quote=False) in labels
    assert not any("<script>" in str(label) for label in labels)
    at.switch_page("pages/tasks.py").run()
    (table,) = at.table  # st.table reads Markdown: the name arrives escaped, drawn as written
    assert table.value["牵头单位"].tolist() == [md_escape(HOSTILE)]


def test_uploaded_document_shows_its_plan_and_import_report():
    from tests.conftest import ROOT

    data = (ROOT / "tests" / "fixtures" / "documents" / "notice.txt").read_bytes()
    at = open_app(plan_bytes=data, plan_name="notice.txt")
    assert "某市2023年优化营商环境重点任务分工方案" in at.caption[0].value
    assert next(m.value for m in at.metric if m.label == "重点任务") == "4"
    report = at.expander[0]
    assert report.label.startswith("导入报告") and "警告" in report.label
    assert any("按正文逐条读取任务" in info.value for info in report.info)
    assert any("市市场监管局" in w.value and "第19行" in w.value for w in report.warning)
    at.switch_page("pages/tasks.py").run()
    # 年底前 in a 2023 plan resolves to 2023-12-31; 6月底前 to 2023-06-30.
    table = at.table[0].value
    deadlines = dict(zip(table["序号"], table["期限"], strict=True))
    assert deadlines["1"] == md_escape("2023-12-31") and deadlines["2"] == md_escape("2023-06-30")
    assert table.loc[table["序号"] == "1", "牵头单位"].item() == "市市场监管局"


def hub_plan_csv(core: int = 20, tasks: int = 200) -> bytes:
    """A few core agencies on every task, each task adding one peripheral agency: in the
    whole graph's layout the core sits in the middle."""
    lines = ["《测试计划（2021-2023年）》", "序号,重点工作任务,牵头单位,配合单位"]
    for i in range(1, tasks + 1):
        lines.append(f"{i},推进第{i}项工作。,核心{i % core:02d}厅,核心{(i + 1) % core:02d}厅、外围{i:03d}中心")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_large_plan_network_draws_the_top_agencies_laid_out_to_fill_the_chart():
    at = open_app("network", plan_bytes=hub_plan_csv(), plan_name="hub.csv")
    fig = figure(at, 0)
    nodes = [tr for tr in fig["data"] if tr.get("mode") == "markers+text"]
    assert sum(len(tr["x"]) for tr in nodes) == 150  # the default top 150 of 220 agencies
    assert any("隐藏了 70 个单位" in i.value for i in at.info)
    at.slider(key="nw_top_n").set_value(20).run()
    nodes = [tr for tr in figure(at, 0)["data"] if tr.get("mode") == "markers+text"]
    names = {c[0] for tr in nodes for c in tr["customdata"]}
    assert names == {f"核心{k:02d}厅" for k in range(20)}
    xs = [x for tr in nodes for x in tr["x"]]
    ys = [y for tr in nodes for y in tr["y"]]
    # laid out on their own, the 20 core agencies span the chart (not a knot in its middle)
    assert max(max(xs) - min(xs), max(ys) - min(ys)) > 1.5


def dense_plan_csv(agencies: int = 70, tasks: int = 120) -> bytes:
    """Every task shared by many agencies: ~2 400 ties, more than a chart can show."""
    lines = ["《测试计划（2021-2023年）》", "序号,重点工作任务,牵头单位,配合单位"]
    for i in range(1, tasks + 1):
        units = [f"单位{a:02d}局" for a in random.Random(i).sample(range(agencies), 13)]
        lines.append(f"{i},推进第{i}项工作。,{units[0]},{'、'.join(units[1:])}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_dense_network_starts_at_a_legible_tie_threshold():
    at = open_app("network", plan_bytes=dense_plan_csv(), plan_name="dense.csv")
    (slider,) = [s for s in at.slider if s.key.startswith("nw_min_weight_")]
    assert slider.value > 1
    fig = figure(at, 0)
    lines = [tr for tr in fig["data"] if tr.get("mode") == "lines"]
    drawn = sum(len(tr["x"]) // 3 for tr in lines)
    assert 0 < drawn <= 1500
    assert any(f"不少于 {slider.value} 项" in c.value for c in at.caption)
    assert any("条协作关系" in i.value for i in at.info)  # the hidden ties are announced
    slider.set_value(1).run()
    lines = [tr for tr in figure(at, 0)["data"] if tr.get("mode") == "lines"]
    assert sum(len(tr["x"]) // 3 for tr in lines) > 1500  # the user can still ask for all


def test_small_plan_network_shows_every_tie_by_default():
    at = open_app("network")
    (slider,) = [s for s in at.slider if s.key.startswith("nw_min_weight_")]
    assert slider.value == 1


@pytest.fixture
def downloads(monkeypatch):
    """What a download button built on click would hand the browser: the callables the app
    registers are recorded by file id, and a test calls one as Streamlit does on a click."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    registered: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        registered[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)

    def download(at, key: str) -> bytes:
        (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(key)]
        return registered[button.proto.deferred_file_id]()

    return download


def test_long_task_list_pages_but_downloads_every_task(downloads):
    at = open_app("tasks", plan_bytes=large_plan_csv(tasks=1200), plan_name="large.csv")
    (table,) = at.table  # a plain table, each task to its whole text, one page at a time
    assert len(table.value) == 50 and table.value["序号"].iloc[0] == "1"
    assert at.selectbox(key="task_detail").options[-1].startswith("50 ·")
    at.number_input(key="tasks_page").set_value(24).run()
    (table,) = at.table
    assert table.value["序号"].tolist() == [str(i) for i in range(1151, 1201)]
    assert len(at.selectbox(key="task_detail").options) == 50
    rows = list(csv.reader(io.StringIO(downloads(at, "tasks_csv").decode("utf-8-sig"))))
    assert len(rows) == 1 + 1200 and rows[1][0] == "1" and rows[-1][0] == "1200"


def test_responsibility_matrix_pages_but_downloads_every_task(downloads):
    at = open_app("workload", plan_bytes=large_plan_csv(), plan_name="large.csv")
    matrix = dataframes(at)[1]
    assert len(matrix) == 100
    rows = list(csv.reader(io.StringIO(downloads(at, "matrix_csv").decode("utf-8-sig"))))
    assert len(rows) == 1 + 150 and [r[0] for r in rows[1:]] == [str(i) for i in range(1, 151)]
