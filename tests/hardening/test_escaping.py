"""No user text is ever rendered as HTML or Markdown.

Statically: no unsafe_allow_html anywhere, st.html only with the static presentation CSS,
no components.html. Behaviourally: a plan whose title, section, agencies, task text and
file name are Markdown, HTML and emoji is shown on every page, in both languages, with the
hostile agency selected wherever a page lets one choose; every text element Streamlit
renders as Markdown must carry it escaped, and every chart label HTML-escaped.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.pages.test_pages import open_app

SOURCES = [p for p in ROOT.rglob("*.py") if not {".venv", "venv", ".git"} & set(p.parts)]

HOSTILE_AGENCY = "**粗体**[链接](http://evil.example)局"
HOSTILE_PLAN = (
    "《恶意**标题**<b>加粗</b>`代码`（2021年）》\n"
    "序号,重点工作任务,牵头单位,配合单位\n"
    '"一、**恶意主题**<i>斜体</i>[点我](http://evil.example)",,,\n'
    f'1,"<img src=x onerror=alert(1)>推进**工作**，2021年6月底前完成 $x^2$ # 标题","{HOSTILE_AGENCY}","<script>alert(1)<script>、$x^2$局、`代码`局、🚀数字办、_斜体_局、> 引用局、~~删除~~局"\n'
    '2,"<b>加粗</b>任务 | 表格 |","<script>alert(1)<script>","省经信厅"\n'
).encode()
FILE_NAME = "**文件**[x](http://evil.example).csv"

# Raw (unescaped) forms that must never reach a Markdown element.
MARKDOWN_TOKENS = [
    "**粗体**", "**标题**", "**恶意主题**", "**工作**", "**文件**", "[链接](", "[点我](", "[x](", "`代码`",
    "$x^2$", "_斜体_", "~~删除~~", "<script>", "<b>", "<i>", "<img", "| 表格 |",
]
# Tags from user text that must never reach a chart label unescaped.
HTML_TOKENS = ["<script", "<b>加粗", "<i>斜体", "<img", "<b>任务"]


def test_no_unsafe_html_anywhere_in_the_code():
    offenders = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        if path.resolve() == Path(__file__).resolve():
            continue
        if "unsafe_allow_html" in text or "components.html" in text or "components.v1" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_st_html_is_called_only_with_the_static_presentation_css():
    calls = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "html"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "st"):
                calls.append((str(path.relative_to(ROOT)), ast.unparse(node.args[0]) if node.args else ""))
    # Static CSS and script, and CSS built from catalogue text for a language (no user data)
    allowed = {"ui.PRESENTATION_CSS", "ui.localized_widgets_css(lang)", "PRESENT_KEYS_SCRIPT", "ui.TASKS_TABLE_CSS"}
    assert calls and all(arg in allowed for _, arg in calls), calls
    import inspect

    from dashboard import ui

    assert list(inspect.signature(ui.localized_widgets_css).parameters) == ["lang"]  # nothing else flows in
    from dashboard.ui import PRESENTATION_CSS, TASKS_TABLE_CSS

    for css in (PRESENTATION_CSS, TASKS_TABLE_CSS):  # literals, no formatting
        assert "{" in css and "%" not in css.replace("!important", "")
    assert ast.literal_eval(ast.unparse(next(
        n.value for n in ast.walk(ast.parse((ROOT / "dashboard" / "ui.py").read_text(encoding="utf-8")))
        if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "TASKS_TABLE_CSS" for t in n.targets)))) == TASKS_TABLE_CSS


def _markdown_texts(at) -> list[tuple[str, str]]:
    """Every string Streamlit renders as Markdown in the current run, with its element kind."""
    texts: list[tuple[str, str]] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        texts += [(kind, element.value) for element in getattr(at, kind)]
    texts += [("expander", e.label) for e in at.expander]
    texts += [("metric", m.label) for m in at.metric]
    for table in at.table:  # st.table reads Markdown in every cell and header
        texts += [("table cell", str(v)) for v in table.value.to_numpy().ravel()]
        texts += [("table header", str(c)) for c in table.value.columns]
    for kind in ("selectbox", "multiselect", "radio", "toggle", "slider", "number_input", "text_input",
                 "button", "date_input", "checkbox"):
        texts += [(kind + " label", w.label) for w in getattr(at, kind)]
        texts += [(kind + " help", w.help) for w in getattr(at, kind) if getattr(w, "help", None)]
    return texts


def _figure_strings(at) -> list[str]:
    out: list[str] = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key != "customdata":  # data for clicks, never drawn
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return out


def _check(at, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    for kind, text in _markdown_texts(at):
        for token in MARKDOWN_TOKENS:
            raw = re.search(r"(?<!\\)" + re.escape(token), text)  # escaped, it follows a backslash
            assert not raw, f"{where}: {kind} renders user Markdown/HTML {token!r}: {text[:200]!r}"
    for text in _figure_strings(at):
        for token in HTML_TOKENS:
            assert token not in text, f"{where}: chart label carries raw HTML {token!r}: {text[:200]!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_names_are_escaped_on_every_page(lang):
    at = open_app(plan_bytes=HOSTILE_PLAN, plan_name=FILE_NAME, lang=lang)
    # one theme and one agency type: a sentence each instead of a one-bar chart (checked below)
    assert len(at.get("plotly_chart")) >= 1
    assert len(at.info) >= 1
    at.expander[0]  # the import report, with findings naming the hostile agencies
    assert any("粗体" in w.value for w in at.expander[0].warning)
    _check(at, "overview")

    at.switch_page("pages/workload.py").run()
    at.selectbox(key="wl_agency").set_value(HOSTILE_AGENCY).run()
    assert any("粗体" in m.value for m in at.markdown)
    _check(at, "workload")

    at.switch_page("pages/timeline.py").run()
    at.multiselect(key="tl_statuses").set_value(["overdue", "due_soon", "later", "ongoing"]).run()
    _check(at, "timeline")

    at.switch_page("pages/network.py").run()
    at.toggle(key="nw_collective").set_value(True).run()
    at.selectbox(key="nw_agency").set_value(HOSTILE_AGENCY).run()
    assert any("粗体" in s.value for s in at.subheader)
    _check(at, "network")

    at.switch_page("pages/tasks.py").run()
    at.selectbox(key="task_detail").set_value("1").run()
    assert any("img src" in m.value for m in at.markdown)  # the task card shows the text, escaped
    _check(at, "tasks")

    # The data itself is kept as written (only its rendering is made inert).
    from analysis.i18n import t
    from dashboard.ui import md_escape

    (table,) = at.table  # st.table reads Markdown: the name arrives escaped, drawn as written
    assert md_escape(HOSTILE_AGENCY) in set(table.value[t("col_lead", lang)])


def test_filters_with_hostile_values_stay_text():
    at = open_app(plan_bytes=HOSTILE_PLAN, plan_name=FILE_NAME,
                  f_agency=[HOSTILE_AGENCY, "<script>alert(1)<script>"], f_theme=["**恶意主题**<i>斜体</i>[点我](http://evil.example)"])
    _check(at, "overview, filtered")
    at.switch_page("pages/tasks.py").run()
    _check(at, "tasks, filtered")


def test_emoji_shortcodes_in_names_stay_text():
    data = HOSTILE_PLAN.replace(HOSTILE_AGENCY.encode(), "某:smile:局".encode())
    at = open_app("workload", plan_bytes=data, plan_name="emoji.csv")
    at.selectbox(key="wl_agency").set_value("某:smile:局").run()
    texts = [m.value for m in at.markdown if "局" in m.value]
    assert texts and not any(":smile:" in t for t in texts)
