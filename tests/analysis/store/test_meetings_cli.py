"""`python -m analysis meeting …` as scripts call it, on SQLite and PostgreSQL; the minutes as a PDF."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest
from docx import Document

from analysis.model import json_task_id
from analysis.store import open_workspace
from tests.accounts import add_staff
from tests.analysis.store.test_cli import failed, ok, run


def test_meeting_add_decide_minutes(db_url, tmp_path):
    ok(db_url, "progress", "report", "1", "2", "--status", "delayed", "--date", "2020-09-02", "--json")
    added = ok(db_url, "meeting", "add", "1", "--date", "2020-09-15", "--attendees", "省经信厅、省发展改革委", "--json")
    assert set(added) == {"meeting_id", "agenda"} and added["meeting_id"] == 1
    with open_workspace(db_url) as ws:
        expected = [{"task_id": json_task_id(i.task_id), "rag": str(i.rag), "lead": i.lead}
                    for i in ws.meetings.generate_agenda(1, dt.date(2020, 9, 15))]
        status = ws.task_status(1, dt.date(2020, 9, 15)).set_index("id")
    assert added["agenda"] == expected
    assert all(item["rag"] == status.at[str(item["task_id"]), "rag"] for item in added["agenda"])
    assert added["agenda"][0]["rag"] == "red" and {"task_id": 2, "rag": "red", "lead": "省建设厅"} in added["agenda"]

    decided = ok(db_url, "meeting", "decide", "1", "3", "--deadline", "2020-12-31", "--lead", "省发改委",
                 "--note", "站址规划延至年底", "--follow-up-by", "省发展改革委", "--due", "2020-10-31", "--json")
    assert decided["deadline"] == "2020-12-31" and decided["lead"] == ["省发改委"] and decided["decided_by"] == "脚本"

    summary = ok(db_url, "summary", "--plan-id", "1", "--json")
    task = next(t for t in summary["tasks"] if t["id"] == 3)
    assert (task["deadline"], task["published_deadline"], task["lead"], task["published_lead"]) == \
        ("2020-12-31", "2020-08-31", ["省发展改革委"], "省经信厅、省通管局")
    assert task["decided_by_meetings"] == [1]
    assert "published_deadline" not in next(t for t in summary["tasks"] if t["id"] == 4)
    status_after = ok(db_url, "progress", "status", "1", "--date", "2020-09-16", "--json")
    three = next(t for t in status_after["tasks"] if t["id"] == 3)
    assert (three["deadline"], three["rag"]) == ("2020-12-31", "amber")
    status_before = ok(db_url, "progress", "status", "1", "--date", "2020-09-14", "--json")
    three = next(t for t in status_before["tasks"] if t["id"] == 3)
    assert (three["deadline"], three["rag"]) == ("2020-08-31", "red")  # before the meeting: as published

    shown = ok(db_url, "meeting", "show", "1", "--json")
    assert [d["task_id"] for d in shown["decisions"]] == [3] and shown["attendees"] == ["省经信厅", "省发展改革委"]
    assert ok(db_url, "meeting", "list", "1", "--json")[0]["decisions"] == 1

    out = tmp_path / "纪要.docx"
    result = run(db_url, "meeting", "minutes", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "完成期限调整为2020年12月31日（原定2020年8月31日）" in text

    assert "no task 999 in plan 1" in failed(db_url, "meeting", "decide", "1", "999", "--note", "x")
    assert "no meeting 7" in failed(db_url, "meeting", "minutes", "7", "--out", str(out))
    assert ".docx" in failed(db_url, "meeting", "minutes", "1", "--out", str(tmp_path / "m.pdf"))
    assert "no such task in the plan: 888" in failed(db_url, "meeting", "agenda", "1", "--add", "888")
    assert "no plan 5" in failed(db_url, "meeting", "add", "5", "--date", "2020-09-15")


def test_minutes_convert_to_pdf_with_chinese_text(tmp_path):
    """LibreOffice opens the minutes; the PDF holds the Chinese text (real glyphs, not boxes)."""
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    pdftotext = shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        if os.environ.get("CI"):
            pytest.fail("libreoffice-writer and poppler-utils are needed (bash scripts/install.sh --dev)")
        pytest.skip("libreoffice-writer or poppler-utils missing")
    with open_workspace(f"sqlite:///{tmp_path / 'w.db'}") as ws:
        add_staff(ws)
        meeting = ws.meetings.add(1, dt.date(2020, 9, 15), actor="王伟", place="省政府第一会议室")
        ws.meetings.decide(meeting.meeting_id, "3", deadline=dt.date(2020, 12, 31), note="站址规划延至年底",
                           follow_up_by="省发展改革委", follow_up_due=dt.date(2020, 10, 31), actor="王伟")
        (tmp_path / "minutes.docx").write_bytes(ws.meetings.minutes(meeting.meeting_id))
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "minutes.docx")],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "minutes.pdf"
    assert pdf.stat().st_size > 5_000
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    squeezed = "".join(text.split())
    for phrase in ("2020年9月15日协调推进会纪要", "一、会议时间和地点", "地点：省政府第一会议室", "五、跟踪督办事项",
                   "2020年10月31日"):
        assert phrase in squeezed
