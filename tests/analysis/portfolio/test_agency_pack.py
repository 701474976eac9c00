"""One agency's meeting pack across plans (deck and HTML report, Chinese and English): the
counts per plan it states are agency_view's and an independent count of the plans; the CLI
writes it. One SQLite workspace (the pack reads an AgencyView, not the database)."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import pytest
from pptx import Presentation

from analysis.i18n import t
from analysis.portfolio import agency_view, resolve_query
from analysis.report.agency_pack import build_agency_pack
from analysis.store import open_workspace
from analysis.store.portfolio import load_portfolio, portfolio_statuses
from tests.accounts import add_staff
from tests.analysis.portfolio.conftest import REAL, SYNTHETIC_TITLE, SYNTHETIC_ZHEJIANG
from tests.analysis.store.test_cli import failed, run
from tests.conftest import independent_counts

REFERENCE = dt.date(2021, 11, 30)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('pack') / 'taskboard.db'}"
    with open_workspace(url) as ws:  # seeded with the Zhejiang plan (plan 1)
        add_staff(ws)  # the accounts the writes below act as
        ws.add_plan(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv", actor="测试", title=SYNTHETIC_TITLE,
                    region="浙江省")
        ws.add_plan((REAL / "anhui_2022_province.txt").read_bytes(), "anhui_2022_province.txt", actor="测试")
    return url


@pytest.fixture(scope="module")
def view(db):
    with open_workspace(db) as ws:
        portfolio = load_portfolio(ws)
        [key] = resolve_query("浙江省经信厅", portfolio.keys(), None)
        return agency_view(portfolio, key, REFERENCE, portfolio_statuses(ws, portfolio, REFERENCE))


def _expected(view):
    raw = independent_counts()
    expected = {1: (raw["lead"]["省经信厅"], raw["support"]["省经信厅"]), 2: (2, 1)}  # the synthetic table: 2 led, 1 supported
    assert {int(r.plan_id): (int(r.lead), int(r.support)) for r in view.plans.itertuples()} == expected
    return expected


def _slides(data: bytes) -> list[tuple[str, list[list[str]]]]:
    """(title, table rows as texts) of each slide with a table."""
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        for shape in slide.shapes:
            if shape.has_table:
                rows = [[cell.text_frame.text for cell in row.cells] for row in shape.table.rows]
                out.append((title, rows))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deck_states_the_counts_per_plan(view, lang):
    expected = _expected(view)
    slides = _slides(build_agency_pack(view, ".pptx", lang=lang))
    [(_, per_plan)] = [s for s in slides if s[0].startswith(t("pf_per_plan", lang))]
    assert per_plan[0][:4] == [t("pfp_col_id", lang), t("pf_col_plan", lang), t("pf_col_lead", lang),
                               t("pf_col_support", lang)]
    assert {int(r[0]): (int(r[2]), int(r[3])) for r in per_plan[1:]} == expected
    # A table per plan: its rows are the agency's tasks in that plan, led and supported as counted.
    titles = dict(zip(view.plans["plan_id"].astype(int), view.plans["title"], strict=True))
    lead, support = t("role_lead", lang), t("role_support", lang)
    for plan_id, (n_lead, n_support) in expected.items():
        heading = t("pfp_plan_heading", lang, title=titles[plan_id], lead=n_lead, support=n_support)
        rows = [row for title, table in slides if title.startswith(heading) for row in table[1:]]
        assert [r[2] for r in rows].count(lead) == n_lead and [r[2] for r in rows].count(support) == n_support
    # Key figures and warnings: the view's totals; warnings red or amber only.
    assert view.lead == sum(v[0] for v in expected.values()) and view.support == sum(v[1] for v in expected.values())
    warned = [row for title, table in slides if title.startswith(t("pf_warnings", lang)) for row in table[1:]]
    assert len(warned) == len(view.warnings) > 0
    assert {r[4] for r in warned} <= {t("rag_red", lang), t("rag_amber", lang)}


def _section(html: str, anchor: str) -> str:
    match = re.search(rf'<section id="{anchor}"[^>]*>(.*?)</section>', html, re.S)
    assert match, anchor
    return match.group(1)


def _rows(fragment: str) -> list[list[str]]:
    return [[unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", fragment, re.S) if "<td" in row]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_states_the_counts_per_plan(view, lang):
    expected = _expected(view)
    html = build_agency_pack(view, ".html", lang=lang).decode("utf-8")
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}"' in html
    assert 'id="plotlyjs"' not in html  # tables only: no 4 MB of plotly.js
    assert {int(r[0]): (int(r[2]), int(r[3])) for r in _rows(_section(html, "per-plan"))} == expected
    tasks = _section(html, "tasks-by-plan")
    assert len(_rows(tasks)) == view.lead + view.support  # the HTML report keeps every task
    warnings = _section(html, "warnings")
    assert warnings.count('class="status-red"') == int((view.warnings["rag"] == "red").sum())
    assert warnings.count('class="status-amber"') == int((view.warnings["rag"] == "amber").sum())
    assert len(_rows(_section(html, "partners"))) == len(view.partners)


def test_cli_writes_the_pack(db, tmp_path):
    for name in ("pack.pptx", "pack.html"):
        out = tmp_path / name
        result = run(db, "agency", "省经信厅", "--date", REFERENCE.isoformat(), "--out", str(out), "--lang", "en")
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    assert {int(r[0]) for r in _rows(_section((tmp_path / "pack.html").read_text("utf-8"), "per-plan"))} == {1, 2}
    slides = _slides((tmp_path / "pack.pptx").read_bytes())
    assert any(title.startswith("Tasks per plan") for title, _ in slides)
    assert ".pdf" in failed(db, "agency", "省经信厅", "--out", str(tmp_path / "pack.pdf"))
    assert not (tmp_path / "pack.pdf").exists()


def test_deck_keeps_the_plans_with_most_tasks_and_says_so(view, monkeypatch):
    import analysis.report.agency_pack as agency_pack
    from analysis.report.content import Medium, Note

    monkeypatch.setattr(agency_pack, "DECK_MAX_LEADS", 1)
    deck = next(s for s in agency_pack.agency_pack_content(view, Medium.DECK).sections if s.anchor == "tasks-by-plan")
    html = next(s for s in agency_pack.agency_pack_content(view, Medium.HTML).sections if s.anchor == "tasks-by-plan")
    assert [s.anchor for s in deck.subsections] == ["plan-1"]  # 21 tasks in plan 1, 3 in plan 2
    assert [s.anchor for s in html.subsections] == ["plan-1", "plan-2"]
    [note] = [b for b in deck.blocks if isinstance(b, Note)]
    assert note.paragraphs == [t("pfp_plans_capped", "zh", n=1, total=2)]
