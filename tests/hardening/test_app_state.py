"""The app side of bad uploads and shared caches, through Streamlit's AppTest.

AppTest cannot drive st.file_uploader, so a small script calls `dashboard.state.import_upload`
exactly as the sidebar does; the browser tests (tests/e2e/test_isolation.py) upload real files.
AppTest sessions run in one process and share Streamlit's caches, as sessions of one server do.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.hardening.corpus import corpus

TIMEOUT = 60
GOOD = (
    "《某市2022年数字政府重点任务》\n序号,重点工作任务,牵头单位,配合单位\n"
    "1,2022年6月底前上线平台。,市大数据局,市财政局\n2,推进数据共享。,市财政局,市大数据局\n"
).encode()


def _upload_script():
    import streamlit as st

    from dashboard import state

    pending = st.session_state.pop("pending", None)
    if pending is not None:
        error = state.import_upload(*pending)
        st.session_state["last_error"] = None if error is None else (error.message("zh"), error.message("en"))
    plan = state.current_plan()
    view = state.filtered_plan(plan, state.filters())
    st.session_state["shown"] = {
        "title": plan.meta.title, "tasks": len(plan.tasks), "source": plan.meta.source,
        "view_title": view.meta.title, "view_source": view.meta.source,
        "view_period": (view.meta.period_start.year, view.meta.period_end.year),
        "agencies": sorted(view.agencies["agency"]),
    }


def _session() -> AppTest:
    at = AppTest.from_function(_upload_script, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def _upload(at: AppTest, data: bytes, name: str) -> tuple[str, str] | None:
    at.session_state["pending"] = (data, name)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at.session_state["last_error"]


def test_a_failed_upload_keeps_the_previous_plan_for_every_bad_file():
    at = _session()
    assert at.session_state["shown"]["tasks"] == 35  # the bundled plan
    assert _upload(at, GOOD, "城市计划.csv") is None
    before = dict(at.session_state["shown"])
    assert before["title"] == "某市2022年数字政府重点任务" and before["tasks"] == 2
    bad = [case for case in corpus() if case.error and "large" not in case.tags]
    assert len(bad) >= 15
    for case in bad:
        error = _upload(at, case.data, case.name)
        assert error is not None, case.name
        zh, en = error
        assert case.name in zh and case.name in en
        assert at.session_state["shown"] == before, case.name  # the plan on screen did not change


def test_the_same_table_under_two_names_never_shows_the_other_name():
    """Sessions share the caches; the plan's key covers the file name as well as its content."""
    data = (
        "序号,重点工作任务,牵头单位,配合单位\n1,2023年6月底前上线平台。,市大数据局,市财政局\n"
        "2,推进数据共享。,市财政局,市大数据局\n"
    ).encode()  # no 《title》: the title (and the period it names) come from the file name
    first, second = _session(), _session()
    assert _upload(first, data, "甲局计划2021-2024年.csv") is None
    assert _upload(second, data, "乙局.csv") is None
    a, b = first.session_state["shown"], second.session_state["shown"]
    assert (a["title"], a["source"], a["view_title"], a["view_source"]) == ("甲局计划2021-2024年", "甲局计划2021-2024年.csv") * 2
    assert (b["title"], b["source"], b["view_title"], b["view_source"]) == ("乙局", "乙局.csv") * 2
    assert a["view_period"] == (2021, 2024) and b["view_period"] == (2023, 2023)
    # And back: the first session still sees its own name after the second loaded.
    first.run()
    assert first.session_state["shown"]["view_title"] == "甲局计划2021-2024年"


def test_two_sessions_with_different_plans_see_only_their_own():
    first, second = _session(), _session()
    other = GOOD.replace("市大数据局".encode(), "市审计局".encode()).replace("某市".encode(), "另一市".encode())
    assert _upload(first, GOOD, "甲.csv") is None
    assert _upload(second, other, "乙.csv") is None
    first.run()
    second.run()
    assert "市大数据局" in first.session_state["shown"]["agencies"]
    assert "市审计局" not in first.session_state["shown"]["agencies"]
    assert "市审计局" in second.session_state["shown"]["agencies"]
    assert "市大数据局" not in second.session_state["shown"]["agencies"]
    assert first.session_state["shown"]["title"] != second.session_state["shown"]["title"]


def test_an_unexpected_error_in_the_upload_path_is_contained(monkeypatch):
    """Defence in depth: even a bug in the import shows a message and keeps the plan."""
    from analysis.findings import PlanImportError
    from dashboard import ui

    calls = []

    def broken(data, name, **_options):
        calls.append(name)
        raise RuntimeError("boom")

    class Uploaded:
        name, size, file_id = "坏文件.csv", 3, "id-1"

        def getvalue(self):
            return b"abc"

    monkeypatch.setattr(ui.state, "import_upload", broken)
    monkeypatch.setattr(ui.st, "file_uploader", lambda *a, **k: Uploaded())
    shown = []
    monkeypatch.setattr(ui.st, "error", lambda text, **k: shown.append(text))
    monkeypatch.setattr(ui.st, "caption", lambda *a, **k: None)
    monkeypatch.setattr(ui.st, "button", lambda *a, **k: None)
    session: dict = {}
    monkeypatch.setattr(ui.st, "session_state", session)
    ui._data_source("zh")
    assert calls == ["坏文件.csv"]
    error = session[ui.state.IMPORT_ERROR]
    assert isinstance(error, PlanImportError) and error.findings[0].code == "unexpected"
    assert "坏文件" in shown[0] and "RuntimeError" in shown[0] and "仍显示之前的计划" in shown[0]
    assert ui.state.PLAN_BYTES not in session


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_thousands_of_warnings_are_a_table_not_thousands_of_alerts(lang):
    from tests.pages.test_pages import open_app

    # 500 tasks without a lead: 500 warnings of one kind
    rows = "\n".join(f"{i},任务{i}。,,省经信厅" for i in range(1, 501))
    data = f"《警告很多的计划（2022年）》\n序号,重点工作任务,牵头单位,配合单位\n{rows}\n".encode()
    at = open_app(plan_bytes=data, plan_name="many.csv", lang=lang)
    report = at.expander[0]
    assert len(report.warning) == 30
    assert any("470" in c.value for c in report.caption)
    assert len(report.dataframe[0].value) == 500


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hundreds_of_unregistered_agencies_are_one_line_and_every_one_is_in_the_table(lang):
    from tests.pages.test_pages import open_app

    rows = "\n".join(f"{i},任务{i}。,自定单位{i}号," for i in range(1, 501))
    data = f"《警告很多的计划（2022年）》\n序号,重点工作任务,牵头单位,配合单位\n{rows}\n".encode()
    at = open_app(plan_bytes=data, plan_name="many.csv", lang=lang)
    report = at.expander[0]
    assert len(report.warning) == 1  # one line naming the first 40
    assert "自定单位1号" in report.warning[0].value and "自定单位41号" not in report.warning[0].value
    assert any("460" in c.value for c in report.caption)
    table = report.dataframe[0].value
    assert len(table) == 500  # none lost: every unregistered agency has its row
    assert table.iloc[:, 2].str.contains("自定单位500号").any()
