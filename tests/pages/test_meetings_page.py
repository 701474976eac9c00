"""The meetings page through Streamlit's AppTest, on a SQLite workspace of its own."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

from analysis.store import open_workspace
from tests.accounts import add_staff, session_token
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setenv("TASKBOARD_DB", url)
    with open_workspace(url) as ws:  # seeded with the bundled plan
        add_staff(ws)
        current = ws.current_report(1, "2")
        ws.report_progress(1, "2", "delayed", expected_previous=current.report_id if current else None,
                           actor="李娜", as_of=dt.date(2020, 9, 2))
    return url


def _open() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("pages/meetings.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, text: str):
    return next(b for b in at.button if b.label == text)


def test_record_a_meeting_and_a_decision(db):
    at = _open()
    assert at.title[0].value == "协调会"
    assert any("还没有协调会记录" in i.value for i in at.info)
    with open_workspace(db) as ws:
        at.session_state["auth_token"] = session_token(ws, "王伟")
    assert _button(at, "生成议程并保存").disabled  # not signed in yet: the buttons are off
    at.run()
    assert not _button(at, "生成议程并保存").disabled
    at.date_input(key="mt_date").set_value(dt.date(2020, 9, 15))
    at.text_input(key="mt_place").input("省政府第一会议室")
    at.multiselect(key="mt_attendees").select("省经信厅")
    _button(at, "生成议程并保存").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    with open_workspace(db) as ws:
        [meeting] = ws.meetings.of_plan(1)
        expected = [i.task_id for i in ws.meetings.generate_agenda(1, dt.date(2020, 9, 15))]
    assert meeting.place == "省政府第一会议室" and meeting.attendees == ("省经信厅",)
    agenda = at.dataframe[0].value
    assert list(agenda["序号"]) == expected and list(agenda["议程顺序"]) == list(range(1, len(expected) + 1))
    assert set(agenda["预警"].head(2)) == {"红色预警"}

    at.selectbox(key="mt_task").set_value("3")
    at.date_input(key="mt_deadline").set_value(dt.date(2020, 12, 31))
    at.text_area(key="mt_note").input("站址规划延至年底")
    at.text_input(key="mt_follow_by").input("省发展改革委")
    at.date_input(key="mt_due").set_value(dt.date(2020, 10, 31))
    _button(at, "保存决定").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    with open_workspace(db) as ws:
        [decision] = ws.meetings.decisions(1)
        assert decision.deadline == dt.date(2020, 12, 31) and decision.decided_by == "王伟"
    assert at.text_area(key="mt_note").value == "" and at.date_input(key="mt_deadline").value is None
    assert not at.warning
    decisions = next(df.value for df in at.dataframe if "新期限" in df.value.columns)
    assert decisions.iloc[0]["新期限"] == "2020-12-31" and decisions.iloc[0]["议定事项"] == "站址规划延至年底"
    agenda = at.dataframe[0].value
    row = agenda.loc[agenda["序号"] == "3"].iloc[0]
    assert (row["期限"], row["原定期限"]) == ("2020-12-31", "2020-08-31")
    assert any(c.proto.spec and "原定期限" in c.proto.spec for c in at.get("plotly_chart"))
    assert any("这是该方案的第一次会议" in c.value for c in at.caption)
    at.selectbox(key="mt_history").set_value("3").run()
    history = next(df.value for df in at.dataframe if "会议" in df.value.columns)
    assert list(history["会议"]) == ["印发时", "2020-09-15 2020年9月15日协调推进会"]
    assert list(history["期限"]) == ["2020-08-31", "2020-12-31"]
    assert history["决定"].iloc[1].startswith("完成期限调整为2020年12月31日（原定2020年8月31日）")


def test_minutes_download_and_a_refused_decision(db):
    with open_workspace(db) as ws:
        meeting = ws.meetings.add(1, dt.date(2020, 9, 15), actor="王伟")
        expected = ws.meetings.minutes(meeting.meeting_id)
    at = _open()
    downloads = [d for d in at.get("download_button") if "会议纪要" in d.proto.label]
    assert len(downloads) == 1
    assert Document(io.BytesIO(expected)).paragraphs[0].text == "2020年9月15日协调推进会纪要"
    # Nobody signed in: the buttons are off and the page says why (the store refuses such a write
    # anyway: tests/analysis/store/test_access.py); nothing saved.
    assert _button(at, "保存决定").disabled and _button(at, "更新议程").disabled
    assert any("请先登录" in c.value for c in at.caption)
    with open_workspace(db) as ws:
        assert ws.meetings.decisions(1) == []
