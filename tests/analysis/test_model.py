"""The bundled Zhejiang table is read exactly, and every format gives the same model."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pandas as pd
import pytest

from analysis.findings import PlanImportError
from analysis.model import load_plan, plan_from_bytes
from tests.conftest import SEED, independent_counts


def test_the_independent_reading_finds_35_tasks(zhejiang):
    assert sorted(zhejiang) == list(range(1, 36))


def test_35_tasks_numbered_1_to_35(bundled_plan):
    assert bundled_plan.tasks["task_id"].tolist() == [str(i) for i in range(1, 36)]
    assert bundled_plan.meta.period == (dt.date(2020, 1, 1), dt.date(2022, 12, 31))
    assert bundled_plan.meta.title == "浙江省加快5G发展行动计划（2020-2022年）"


def test_task_text_and_units_match_the_raw_table(bundled_plan, raw_rows):
    a = bundled_plan.assignments
    for row in raw_rows:
        task = bundled_plan.tasks.set_index("task_id").loc[row["id"]]
        assert task["text"] == row["text"]
        mine = a.loc[a["task_id"] == row["id"]]
        for role in ("lead", "support"):
            assert mine.loc[mine["role"] == role].sort_values("position")["agency"].tolist() == row[role]


def test_34_distinct_agencies(bundled_plan):
    counts = independent_counts()
    labels = set(counts["lead"]) | set(counts["support"])
    assert len(labels) == 34
    assert set(bundled_plan.agencies["agency"]) == labels
    assert len(bundled_plan.agencies) == 34


def test_agency_counts_equal_an_independent_count(bundled_plan):
    counts = independent_counts()
    agencies = bundled_plan.agencies.set_index("agency")
    for agency in agencies.index:
        assert agencies.loc[agency, "lead"] == counts["lead"][agency], agency
        assert agencies.loc[agency, "support"] == counts["support"][agency], agency
    assert (agencies.loc["省经信厅", "lead"], agencies.loc["省经信厅", "support"]) == (11, 10)
    assert agencies.loc["浙江铁塔", "support"] == 6


def test_trailing_deng_is_stripped_and_recorded(bundled_plan):
    a = bundled_plan.assignments
    task9 = a.loc[a["task_id"] == "9"]
    assert task9.loc[task9["role"] == "support", "agency"].tolist() == ["浙江铁塔"]
    assert task9.loc[task9["role"] == "support", "etc"].tolist() == [True]
    assert task9.loc[task9["role"] == "support", "as_written"].tolist() == ["浙江铁塔"]
    assert not a.loc[a["task_id"] != "9", "etc"].any()


def test_task_11_has_no_support_and_collectives_are_kept(bundled_plan):
    a = bundled_plan.assignments
    assert a.loc[(a["task_id"] == "11") & (a["role"] == "support")].empty
    assert a.loc[(a["task_id"] == "11") & (a["role"] == "lead"), "agency"].tolist() == ["省自然资源厅", "省建设厅"]
    types = bundled_plan.agencies.set_index("agency")["type"]
    for collective in ("各省级单位", "各市相关单位", "各省属单位"):
        assert types[collective] == "collective"
    assert types["省通管局"] == "central_branch"
    assert types["省委网信办"] == "party_organ"
    assert types["浙江铁塔"] == "enterprise"
    assert types["杭州亚组委"] == "other"


def test_explicit_deadlines_and_plan_end(bundled_plan):
    tasks = bundled_plan.tasks.set_index("task_id")
    assert tasks.loc["3", "deadline"] == pd.Timestamp("2020-08-31")
    assert tasks.loc["5", "deadline"] == pd.Timestamp("2020-09-30")
    assert tasks.loc["9", "deadline"] == pd.Timestamp("2020-09-30")
    assert tasks.loc["15", "deadline"] == pd.Timestamp("2022-12-31")
    assert {tasks.loc[i, "deadline_kind"] for i in ("3", "5", "9", "15")} == {"explicit"}
    assert tasks.loc["1", "deadline"] == pd.Timestamp("2022-12-31")
    assert tasks.loc["1", "deadline_kind"] == "plan_end"
    assert tasks.loc["7", "deadline_kind"] == "ongoing"
    assert tasks.loc["20", "ongoing"]


def test_targets_and_themes(bundled_plan):
    tasks = bundled_plan.tasks.set_index("task_id")
    assert [(x["number"], x["unit"], x["at_least"]) for x in tasks.loc["16", "targets"]] == [(8, "个", True)]
    assert [(x["number"], x["year"]) for x in tasks.loc["15", "targets"]] == [(20, 2022)]
    assert tasks.loc["1", "theme"] == "网络基础设施"
    assert tasks.loc["21", "theme"] == "5G+融合应用"
    assert bundled_plan.themes["theme"].tolist() == ["网络基础设施", "产业与创新", "5G+融合应用", "保障措施"]
    assert bundled_plan.theme_label("保障措施", "en") == "Safeguards"


def test_bundled_plan_has_no_warnings(bundled_plan):
    assert [f.message("en") for f in bundled_plan.report.warnings] == []


# ------------------------------------------------------------------------ other formats


def _grid(raw_rows) -> list[list[str]]:
    rows = [["序号", "重点工作任务", "牵头单位", "配合单位"]]
    for row in raw_rows:
        etc = {"9": "等"}.get(row["id"], "")
        rows.append([row["id"], row["text"], "、".join(row["lead"]), "、".join(row["support"]) + etc])
    return rows


def _model(plan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    tasks = plan.tasks.drop(columns=["source_row", "theme", "section"]).reset_index(drop=True)
    return tasks, plan.assignments.reset_index(drop=True), plan.agencies.reset_index(drop=True)


def _same_model(a, b) -> None:
    for left, right in zip(_model(a), _model(b), strict=True):
        pd.testing.assert_frame_equal(left, right)
    assert a.meta.period == b.meta.period


TITLE = "《浙江省加快5G发展行动计划（2020-2022年）》重点任务分工"


def _csv(grid) -> bytes:
    frame = pd.DataFrame(grid[1:], columns=grid[0])
    return frame.to_csv(index=False).encode("utf-8")


def _xlsx(grid) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([TITLE])
    for row in grid:
        sheet.append([int(row[0]) if row[0].isdigit() else row[0], *row[1:]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _docx(grid) -> bytes:
    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph(TITLE)
    table = document.add_table(rows=len(grid), cols=4)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name,make", [
    ("plan.csv", _csv),
    ("plan.xlsx", _xlsx),
    ("plan.docx", _docx),
    ("plan.txt", lambda grid: SEED.read_text(encoding="utf-8").encode("gb18030")),
    ("plan-bom.txt", lambda grid: SEED.read_text(encoding="utf-8").encode("utf-8-sig")),
    ("plan-gbk.csv", lambda grid: _csv(grid).decode("utf-8").encode("gbk")),
])
def test_every_format_gives_the_identical_model(bundled_plan, raw_rows, name, make):
    data = make(_grid(raw_rows))
    if name.endswith((".csv",)):
        # A CSV carries no title: the period comes from the dates, so give it the title line.
        data = (TITLE + "\n").encode("gbk" if "gbk" in name else "utf-8") + data
    imported = plan_from_bytes(data, name)
    _same_model(bundled_plan, imported)


def test_header_variants_and_single_responsible_column():
    text = (
        "编号,主要任务,责任单位\n"
        "1,2021年底前建成示范区。,省经信厅、省通管局、浙江移动\n"
        "2,推进应用。,省科技厅\n"
    )
    plan = plan_from_bytes(text.encode(), "variant.csv")
    a = plan.assignments
    assert a.loc[a["task_id"] == "1", ["agency", "role"]].values.tolist() == [
        ["省经信厅", "lead"], ["省通管局", "support"], ["浙江移动", "support"],
    ]
    assert any("责任单位" in zh for zh, _ in plan.report.rules)
    text = "序号,工作任务,牵头单位,协同单位\n1,任务一,省经信厅,省科技厅；省财政厅;省教育厅\n"
    plan = plan_from_bytes(text.encode(), "variant2.csv")
    assert plan.assignments["agency"].tolist() == ["省经信厅", "省科技厅", "省财政厅", "省教育厅"]
    for header in ("重点任务", "参与单位"):
        assert header  # the aliases themselves are covered by HEADER_ALIASES
    text = "序号,重点任务,牵头单位,参与单位\n1,任务一,省经信厅,省科技厅\n"
    assert len(plan_from_bytes(text.encode(), "variant3.csv").assignments) == 2


def test_section_rows_become_themes():
    text = (
        "序号,重点工作任务,牵头单位,配合单位\n"
        "一、网络建设,,,\n"
        "1,任务一,省经信厅,\n"
        "二、应用推广,,,\n"
        "2,任务二,省科技厅,省经信厅\n"
    )
    plan = plan_from_bytes(text.encode(), "sections.csv")
    assert plan.tasks["theme"].tolist() == ["网络建设", "应用推广"]
    assert len(plan.tasks) == 2


def test_duplicate_and_missing_numbers_lose_no_task():
    text = (
        "序号,重点工作任务,牵头单位,配合单位\n"
        "1,任务一,省经信厅,\n"
        "1,任务二,省科技厅,\n"
        ",任务三,省财政厅,\n"
        "4,任务四,,省财政厅\n"
    )
    plan = plan_from_bytes(text.encode(), "dups.csv")
    assert plan.tasks["text"].tolist() == ["任务一", "任务二", "任务三", "任务四"]
    # The unnumbered row continues task 1 above (a merged number cell): a task of its own, 1-3.
    assert plan.tasks["task_id"].tolist() == ["1", "1-2", "1-3", "4"]
    codes = {(f.code, f.row) for f in plan.report.warnings}
    assert ("duplicate_number", 3) in codes
    assert ("missing_number", 4) in codes
    assert ("empty_lead", 5) in codes
    messages = [f.message("zh") for f in plan.report.warnings]
    assert any("dups.csv" in m and "第3行" in m for m in messages)


def test_unknown_agency_is_kept_with_a_warning():
    text = "序号,重点工作任务,牵头单位,配合单位\n1,任务一,省经信厅,某某中心\n"
    plan = plan_from_bytes(text.encode(), "unknown.csv")
    assert "某某中心" in plan.agencies["agency"].tolist()
    assert plan.agency_type("某某中心") == "unknown"
    warning = next(f for f in plan.report.warnings if f.code == "unknown_agency")
    assert warning.row == 2 and "某某中心" in warning.message("zh") and "某某中心" in warning.message("en")


@pytest.mark.parametrize("data,name,code", [
    (b"", "empty.csv", "empty"),
    (b"just some words\nno table here\n", "words.txt", "no_table"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image.xlsx", "unreadable"),
    (b"PK\x03\x04broken", "broken.docx", "unreadable"),
    ("序号,重点工作任务,配合单位\n1,任务,省经信厅\n".encode(), "nolead.csv", "missing_column"),
    ("序号,重点工作任务,牵头单位,配合单位\n".encode(), "header-only.csv", "no_tasks"),
    (b"a,b\n", "plan.pdf", "format"),
])
def test_bad_input_raises_a_clear_import_error(data, name, code):
    with pytest.raises(PlanImportError) as caught:
        plan_from_bytes(data, name)
    finding = caught.value.findings[0]
    assert finding.code == code
    assert name in caught.value.message("zh") and name in caught.value.message("en")


def test_missing_column_names_the_header_row():
    with pytest.raises(PlanImportError) as caught:
        plan_from_bytes("标题\n序号,重点工作任务,配合单位\n1,任务,省经信厅\n".encode(), "nolead.csv")
    assert caught.value.findings[0].row == 2
    assert "牵头单位" in caught.value.message("zh")


def test_load_plan_paths(tmp_path):
    with pytest.raises(PlanImportError):
        load_plan(tmp_path / "missing.csv")
    path = tmp_path / "plan.csv"
    path.write_text("序号,重点工作任务,牵头单位,配合单位\n1,2021年6月底前完成。,省经信厅,\n", encoding="utf-8")
    plan = load_plan(path)
    assert plan.meta.period == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert plan.tasks["deadline"].iloc[0] == pd.Timestamp("2021-06-30")


# -- the import pauses the cyclic garbage collector (speed) and gives it back as it found it


def test_import_leaves_the_garbage_collector_as_it_found_it():
    import gc

    csv = "序号,重点工作任务,牵头单位\n1,2022年底前建成5G基站100个,省经信厅\n".encode()
    assert gc.isenabled()
    assert len(plan_from_bytes(csv, "plan.csv").tasks) == 1
    assert gc.isenabled()
    with pytest.raises(PlanImportError):
        plan_from_bytes(b"\x00\x01 not a table", "plan.xlsx")
    assert gc.isenabled()  # re-enabled when the import fails too
    gc.disable()
    try:
        load_plan()  # the bundled plan folder
        assert not gc.isenabled()  # a caller's paused collector stays paused
    finally:
        gc.enable()


def test_overlapping_imports_in_two_threads_leave_the_collector_on():
    """An app server imports in several threads: the one that began first may end last, or first."""
    import gc
    import threading

    from analysis.model import gc_paused

    for first_ends_first in (True, False):
        began, release_first = threading.Event(), threading.Event()

        def first(began: threading.Event, release: threading.Event) -> None:
            with gc_paused():
                began.set()
                release.wait(5)

        thread = threading.Thread(target=first, args=(began, release_first))
        thread.start()
        began.wait(5)
        with gc_paused():
            assert not gc.isenabled()
            if first_ends_first:
                release_first.set()
                thread.join(5)
                assert not gc.isenabled()  # still inside this block
        release_first.set()
        thread.join(5)
        assert gc.isenabled()


def test_what_a_pause_made_joins_the_oldest_generation_unless_something_is_frozen():
    """After the last pause the collector does not walk what it made in a young collection: it is
    in the oldest generation already. With objects frozen (the CLI freezes), none is thawed."""
    import gc

    from analysis.model import gc_paused

    assert gc.isenabled() and not gc.get_freeze_count()
    with gc_paused():
        made = [[index] for index in range(20_000)]
    assert gc.get_count()[0] < 700  # no young backlog: no young collection walks them
    oldest = {id(obj) for obj in gc.get_objects(generation=2)}
    assert id(made) in oldest and id(made[-1]) in oldest

    kept = [[index] for index in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            also_made = [[index] for index in range(20_000)]
        assert gc.get_freeze_count() == frozen  # nothing thawed
        assert id(also_made) not in {id(obj) for obj in gc.get_objects(generation=2)}  # left young
        assert id(kept) not in {id(obj) for obj in gc.get_objects()}  # still frozen, out of every generation
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("values", [
    ["省经信厅", "省发展改革委", ""],
    ["a", None, "b"],  # None: left to pandas
    ["a", float("nan")],
    ["a", 1],
    [1, 2, 3],
    [1, True],  # bool is an int subclass: pandas keeps objects
    [True, False],
    [2**63, 1],  # beyond int64
    [-2**63, 2**63 - 1],
    [1.5, 2],
    [["list"], []],
    [{"date": "2022-12-31"}],
])
def test_frame_columns_are_what_pandas_infers(values: list[object]) -> None:
    """`_frame` builds text and int columns directly; every column equals pandas' own inference."""
    from analysis.model import _frame

    built = _frame({"c": values}, ["c"])["c"]
    expected = pd.Series(values, name="c")
    assert str(built.dtype) == str(expected.dtype)
    pd.testing.assert_series_equal(built, expected, check_exact=True)


@pytest.mark.parametrize("seed", range(20))
def test_first_appearances_is_where_each_factorized_code_first_occurs(seed: int) -> None:
    import random

    import numpy as np

    from analysis.model import first_appearances

    rng = random.Random(seed)
    values = [rng.choice("abcdefgh"[: rng.randint(1, 8)]) for _ in range(rng.randint(0, 60))]
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    expected = [values.index(value) for value in uniques.tolist()]
    assert first_appearances(codes).tolist() == expected
    assert first_appearances(np.array([0, 0, 1, 0, 2, 1, 3], dtype=np.intp)).tolist() == [0, 2, 4, 6]


@pytest.mark.parametrize("seed", range(30))
def test_task_themes_are_the_themes_file_s_else_the_section_s(seed: int) -> None:
    import random

    from analysis.io.raw import RawRow
    from analysis.model import UNGROUPED_THEME, _section_theme, _task_themes

    rng = random.Random(seed)
    sections = ["", "一、网络基础设施建设", "（二）融合应用", "第三部分 保障措施", "1.2 行业应用", "④ 产业", " 四、 ："]
    rows = [RawRow(i, str(i), "x", "", "", section=rng.choice(sections)) for i in range(rng.randint(0, 40))]
    task_ids = [str(i) for i in range(len(rows))]
    task_themes = {str(i): (f"主题{i % 3}", f"Theme {i % 3}") for i in range(len(rows)) if rng.random() < 0.3}
    if rng.random() < 0.3:
        task_themes = {}
    # A task the themes file names takes its theme; else its section heading's; else 未分组.
    expected = [
        task_themes[task_id][0] if task_id in task_themes else _section_theme(row.section) if row.section
        else UNGROUPED_THEME
        for task_id, row in zip(task_ids, rows, strict=True)
    ]
    assert _task_themes(task_ids, [row.section for row in rows], task_themes) == expected
