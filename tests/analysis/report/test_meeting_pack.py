"""A coordination meeting in the meeting pack: the agenda section before, the decisions after."""

from __future__ import annotations

import datetime as dt

from analysis import report
from analysis.meetings import AgendaGroup, AgendaItem, Decision, MeetingBrief, apply_decisions
from analysis.report.content import Medium, Note, Table
from analysis.vocab import Rag
from tests.analysis.report.helpers import MEETING, html_text_lines

HOSTILE = "<script>alert(1)</script>"


def _brief(plan) -> tuple[object, MeetingBrief]:
    decisions = (
        Decision("3", 1, MEETING, decision_id=1, deadline=dt.date(2020, 12, 31), note=HOSTILE,
                 follow_up_by="省发展改革委", follow_up_due=dt.date(2020, 10, 31)),
    )
    agenda = (AgendaItem("3", Rag.RED, "省经信厅", AgendaGroup.RED), AgendaItem("5", Rag.AMBER, "省经信厅",
                                                                            AgendaGroup.AMBER))
    return apply_decisions(plan, decisions), MeetingBrief("九月协调会", MEETING, agenda, decisions)


def test_agenda_after_the_key_figures_and_decisions_before_the_appendix(plan):
    decided, brief = _brief(plan)
    for medium in Medium:
        plain = report.build_report_content(decided, medium, meeting_date=MEETING)
        with_meeting = report.build_report_content(decided, medium, meeting_date=MEETING, meeting=brief)
        anchors = [s.anchor for s in with_meeting.sections]
        assert anchors == [plain.sections[0].anchor, "meeting-agenda", *[s.anchor for s in plain.sections[1:-1]],
                           "meeting-decisions", "appendix"]
        agenda = with_meeting.sections[1]
        assert agenda.title == "九月协调会：议程"
        [table] = agenda.blocks
        assert isinstance(table, Table) and [row[0].text for row in table.rows] == ["3", "5"]
        assert [row[2].text for row in table.rows] == ["红色预警", "黄色预警"]
        assert table.rows[0][4].text == "2020年12月31日"  # the deadline as decided
        [decisions] = with_meeting.sections[-2].blocks
        assert isinstance(decisions, Table)
        assert decisions.rows[0][1].text.startswith("完成期限调整为2020年12月31日（原定2020年8月31日）")
        assert [c.text for c in decisions.rows[0][2:]] == ["省发展改革委", "2020年10月31日"]


def test_a_meeting_without_decisions_says_so_and_html_escapes_notes(plan):
    decided, brief = _brief(plan)
    empty = MeetingBrief("十月协调会", MEETING, (), ())
    content = report.build_report_content(decided, Medium.HTML, meeting_date=MEETING, meeting=empty)
    notes = [s for s in content.sections if s.anchor in ("meeting-agenda", "meeting-decisions")]
    assert [type(s.blocks[0]) for s in notes] == [Note, Note]
    assert notes[1].blocks[0].paragraphs == ["本次会议未作出调整决定。"]
    html = report.build_html(decided, meeting_date=MEETING, meeting=brief)
    page = html.decode("utf-8")
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    lines = html_text_lines(html)
    assert "九月协调会：议程" in lines and "九月协调会：议定事项" in lines
