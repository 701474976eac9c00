"""Sign-in in the app (branch auth, issue 18): read-only without an account, the sidebar's sign-in form,
a reporter's writes checked on the server side, the audit page, and no secret on the page or in the URL."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import select

from analysis.store import open_workspace
from analysis.store.access import Grant
from analysis.store.models import AccountRow, SessionRow
from analysis.vocab import AccessRole, ProgressStatus
from tests.accounts import ADMIN, add_staff
from tests.pages.test_pages import dataframes, open_app
from tests.pages.test_progress import MEETING, _no_frame_rerun  # noqa: F401  (the fixture)

PASSWORD = "s3cret-enough-for-tests"
AGENCY = "省科技厅"
SUBMIT = "FormSubmitter:auth_form-登录"


@pytest.fixture
def ws(workspace_db):
    with open_workspace(f"sqlite:///{workspace_db}") as workspace:
        yield workspace


def page_text(at) -> str:
    """Everything the app sent to the browser: every element's message, sidebar included."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        children = getattr(node, "children", None) or {}
        for child in children.values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def sign_in(at, name: str, password: str):
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    return at.button(key=SUBMIT).click().run()


def own_and_other(ws) -> tuple[str, str]:
    plan = ws.load_plan(1)
    mine = set(plan.assignments.loc[plan.assignments["agency"] == AGENCY, "task_id"].astype(str))
    tasks = [str(t) for t in plan.tasks["task_id"]]
    return next(t for t in tasks if t in mine), next(t for t in tasks if t not in mine)


def test_without_accounts_the_app_is_read_only_and_says_how_to_make_the_first_admin(ws):
    at = open_app("progress", meeting_date=MEETING, pr_tab="报送进展")
    assert any("python -m analysis users add NAME --role admin" in i.value for i in at.sidebar.info)
    assert not [w for w in at.text_input if w.key == "auth_password"]  # no form: nobody could sign in
    at.button(key="FormSubmitter:pr_form-保存进展").click().run()
    assert any("请先登录" in e.value for e in at.error)
    assert ws.audit(actor="") == [] and all(e.actor == "system" for e in ws.audit())


def test_sign_in_then_a_reporter_reports_on_its_own_task_only(ws):
    add_staff(ws)
    ws.accounts.add("科技厅报送员", [Grant(AccessRole.REPORTER, agencies=frozenset({AGENCY}))], password=PASSWORD,
                    actor=ADMIN)
    own, other = own_and_other(ws)
    at = open_app("progress", meeting_date=MEETING, pr_tab="报送进展")
    assert any("登录后才能" in c.value for c in at.sidebar.caption)
    sign_in(at, "科技厅报送员", "wrong password")
    assert any("用户名或密码错误" in e.value for e in at.sidebar.error)
    sign_in(at, "科技厅报送员", PASSWORD)
    assert any("已登录：科技厅报送员（报送人（省科技厅））" in c.value for c in at.sidebar.caption)
    # its own task: saved under its name
    at.selectbox(key="pr_task").set_value(own).run()
    at.selectbox(key="pr_status").set_value(ProgressStatus.IN_PROGRESS)
    at.selectbox(key="pr_agency").set_value(AGENCY)
    at.button(key="FormSubmitter:pr_form-保存进展").click().run()
    assert not at.exception
    assert any("已保存第" in s.value for s in at.success), [e.value for e in at.error]
    assert ws.current_report(1, own).reported_by == "科技厅报送员"
    # another agency's task: refused by the store, with the reason; nothing saved
    at.selectbox(key="pr_task").set_value(other).run()
    at.selectbox(key="pr_status").set_value(ProgressStatus.DONE)
    at.button(key="FormSubmitter:pr_form-保存进展").click().run()
    assert any("无权报送进展" in e.value for e in at.error), [e.value for e in at.error]
    assert ws.report_history(1, other).empty
    # the audit page lists its write, and only it, when filtered by the account
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    at.selectbox(key="audit_actor").set_value("科技厅报送员").run()
    trail = next(df for df in dataframes(at) if "修改后" in df.columns)
    assert trail["操作"].tolist() == ["报送进展"] and trail["对象"].tolist() == [f"任务 {own}"]
    assert [b for b in at.get("download_button") if "audit" in (b.proto.id or "")]
    # sign out: read-only again
    at.button(key="auth_sign_out").click().run()
    assert any("登录后才能" in c.value for c in at.sidebar.caption)
    assert "auth_token" not in at.session_state


def test_no_password_hash_or_session_token_reaches_the_page_or_the_url(ws):
    add_staff(ws)
    ws.accounts.add("李四", [Grant(AccessRole.COORDINATOR)], password=PASSWORD, actor=ADMIN)
    at = open_app("progress", meeting_date=MEETING)
    sign_in(at, "李四", PASSWORD)
    token = at.session_state["auth_token"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    with ws._sessions() as session:
        hashes = list(session.scalars(select(SessionRow.token_hash)))
        password_hash = session.scalars(select(AccountRow.password_hash).where(AccountRow.name == "李四")).one()
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    for page in ("pages/progress.py", "pages/audit.py", "pages/meetings.py", "pages/overview.py"):
        at.switch_page(page).run()
        shown = page_text(at) + repr(dict(at.query_params))
        for secret in (token, *hashes, password_hash, PASSWORD, "$argon2"):
            assert secret not in shown, (page, secret[:8])
    assert "auth" not in repr(dict(at.query_params))


def test_the_sign_in_form_is_rate_limited(ws):
    add_staff(ws)
    ws.accounts.add("李四", [Grant(AccessRole.VIEWER)], password=PASSWORD, actor=ADMIN)
    at = open_app()
    for attempt in range(5):
        sign_in(at, "李四", f"guess {attempt}")
    assert any("暂时锁定" in e.value for e in at.sidebar.error)
    sign_in(at, "李四", PASSWORD)  # the right password, during the lock
    assert any("暂时锁定" in e.value for e in at.sidebar.error)
    assert "auth_token" not in at.session_state


def test_a_coordinator_records_a_meeting_and_the_audit_page_shows_it(ws):
    add_staff(ws)
    ws.accounts.add("协调员", [Grant(AccessRole.COORDINATOR, plan_id=1)], password=PASSWORD, actor=ADMIN)
    at = open_app("meetings")
    sign_in(at, "协调员", PASSWORD)
    at.date_input(key="mt_date").set_value(dt.date(2020, 9, 15))
    next(b for b in at.button if b.label == "生成议程并保存").click()
    at.run()
    assert not at.exception
    assert [m.created_by for m in ws.meetings.of_plan(1)] == ["协调员"]
    at.switch_page("pages/audit.py").run()
    trail = next(df for df in dataframes(at) if "修改后" in df.columns)
    assert "新建协调会" in trail["操作"].tolist() and "协调员" in trail["操作人"].tolist()


def test_an_admin_creates_and_disables_accounts_on_the_audit_page(ws):
    add_staff(ws)
    ws.accounts.add("总管", [Grant(AccessRole.ADMIN)], password=PASSWORD, actor=ADMIN)
    ws.accounts.add("报送员", [Grant(AccessRole.REPORTER, agencies=frozenset({AGENCY}))], password=PASSWORD,
                    actor=ADMIN)
    at = open_app("audit")
    assert not [f for f in at.text_input if f.key == "users_name"]  # nobody signed in: no account management
    sign_in(at, "报送员", PASSWORD)
    assert not [f for f in at.text_input if f.key == "users_name"]  # a reporter manages no accounts
    at.button(key="auth_sign_out").click().run()
    sign_in(at, "总管", PASSWORD)
    at.text_input(key="users_name").input("新报送员")
    at.selectbox(key="users_role").set_value(AccessRole.REPORTER)
    at.multiselect(key="users_agencies").select("省经信厅")
    at.text_input(key="users_password").input(PASSWORD)
    at.button(key="FormSubmitter:users_form-创建账号").click().run()
    assert not at.exception
    assert any("已创建账号" in s.value for s in at.success), [e.value for e in at.error]
    made = ws.accounts.get("新报送员")
    assert made is not None and made.reporter_agencies(1) == {"省经信厅"} and made.has_password
    at.run()  # the list of accounts is read before the form: it shows the new one from the next run
    at.selectbox(key="users_disable_name").set_value("新报送员")
    at.button(key="users_disable_button").click().run()
    assert ws.accounts.get("新报送员").disabled
    assert [(e.actor, e.action) for e in ws.audit(plan_id=None)[-2:]] == [("总管", "account_add"), ("总管", "account_disable")]


def _oidc_app(email: str | None):
    """The app with an identity provider configured (``[auth]`` in secrets) and, when ``email`` is
    given, a user the provider has signed in (AppTest seeds ``st.user``)."""
    from streamlit.testing.v1 import AppTest

    from tests.pages.test_pages import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "test only",
                          "client_id": "taskboard", "client_secret": "test only",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    return at.run()


def test_with_an_identity_provider_the_signed_in_email_is_the_account(ws):
    add_staff(ws)
    ws.accounts.add("邮箱用户", [Grant(AccessRole.REPORTER, agencies=frozenset({AGENCY}))],
                    email="reporter@example.gov.cn", actor=ADMIN)
    # Not signed in at the provider: its button instead of the password form.
    at = _oidc_app(None)
    assert not at.exception, [e.value for e in at.exception]
    assert [b for b in at.button if b.key == "auth_oidc"] and not [i for i in at.text_input if i.key == "auth_password"]
    # Signed in at the provider with an account's email: that account acts.
    at = _oidc_app("reporter@example.gov.cn")
    assert not at.exception, [e.value for e in at.exception]
    assert any("已登录：邮箱用户" in c.value for c in at.sidebar.caption), [c.value for c in at.sidebar.caption]
    # An email no account has: refused, said so, nobody acts.
    at = _oidc_app("stranger@example.org")
    assert not at.exception, [e.value for e in at.exception]
    assert any("没有可用的账号对应邮箱 stranger@example" in e.value for e in at.sidebar.error), [e.value for e in at.sidebar.error]
    assert not any("已登录" in c.value for c in at.sidebar.caption)
