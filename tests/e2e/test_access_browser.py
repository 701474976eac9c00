"""Sign-in in the real app (headless Chromium): a reporter of 省科技厅 signs in, reports on a task its
agency supports or leads, is refused on another agency's task (checked by the store, not only hidden),
and no session token or password hash reaches the page, the address or the server's log."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from analysis.store import open_workspace
from analysis.store.access import Grant
from analysis.store.models import AccountRow, SessionRow
from analysis.vocab import AccessRole
from tests.accounts import ADMIN, add_staff
from tests.e2e import test_browser as base
from tests.e2e.signin import sign_in
from tests.e2e.test_browser import CHROMIUM, SHOTS, wait_ready
from tests.hardening.appserver import running_app

browser, page = base.browser, base.page  # the shared fixtures

pytestmark = pytest.mark.e2e

REPORTER = "科技厅报送员"
AGENCY = "省科技厅"
PASSWORD = "reporter password for tests"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'taskboard.db'}"
    with open_workspace(url) as ws:
        add_staff(ws, ())
        ws.accounts.add(REPORTER, [Grant(AccessRole.REPORTER, agencies=frozenset({AGENCY}))], password=PASSWORD,
                        actor=ADMIN)
    return url


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("log") / "server.log"


@pytest.fixture(scope="module")
def server(db_url, log):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `bash scripts/install.sh --dev` first")
    with running_app(database=db_url, log=log) as url:
        yield url


def _choose(page, label: str, option, typed: str = "") -> None:
    """Pick an option of a selectbox; ``typed`` filters a long list first (only its top is drawn)."""
    page.get_by_role("combobox", name=label, exact=True).click()
    if typed:
        page.keyboard.type(typed)
    page.get_by_role("option").filter(has_text=option).first.click()


def _tasks(db_url: str) -> tuple[str, str]:
    with open_workspace(db_url) as ws:
        plan = ws.load_plan(1)
    mine = set(plan.assignments.loc[plan.assignments["agency"] == AGENCY, "task_id"].astype(str))
    tasks = [str(t) for t in plan.tasks["task_id"]]
    return next(t for t in tasks if t in mine), next(t for t in tasks if t not in mine)


def test_a_reporter_reports_on_its_own_task_and_is_refused_on_another(server, page, db_url, log):
    own, other = _tasks(db_url)
    page.goto(f"{server}/progress?meeting=2020-09-15")
    page.locator("[data-testid='stSidebar'] [data-testid='stRadio']").first.wait_for(timeout=120_000)
    wait_ready(page, "进展")
    page.get_by_text("登录后才能报送进展").wait_for()
    sign_in(page, REPORTER, PASSWORD)
    wait_ready(page, "进展")

    page.get_by_role("tab", name="报送进展").click()
    _choose(page, "任务", re.compile(rf"^{own} ·"), typed=f"{own} ·")
    wait_ready(page, "进展")
    _choose(page, "进展状态", re.compile("^推进中$"))
    page.get_by_label("进展说明").fill("本单位负责部分已启动")
    page.get_by_role("button", name="保存进展").click()
    page.get_by_text(f"已保存第 1 号报送（任务 {own}）").wait_for(timeout=60_000)
    wait_ready(page, "进展")
    page.screenshot(path=str(SHOTS / "access_reported.png"), full_page=True)

    _choose(page, "任务", re.compile(rf"^{other} ·"), typed=f"{other} ·")
    wait_ready(page, "进展")
    _choose(page, "进展状态", re.compile("^已完成$"))
    page.get_by_role("button", name="保存进展").click()
    page.get_by_text("无权报送进展", exact=False).first.wait_for(timeout=60_000)
    page.screenshot(path=str(SHOTS / "access_refused.png"), full_page=True)

    with open_workspace(db_url) as ws:
        saved = ws.current_report(1, own)
        assert saved is not None and saved.reported_by == REPORTER and saved.agency == AGENCY
        assert ws.report_history(1, other).empty
        trail = ws.audit(actor=REPORTER)
        assert [(e.action, e.object) for e in trail] == [("report", f"task {own}")]
        with ws._sessions() as session:
            hashes = set(session.scalars(select(SessionRow.token_hash)))
            password_hash = session.scalars(select(AccountRow.password_hash).where(AccountRow.name == REPORTER)).one()
    assert hashes  # the reporter's session

    # No secret on the page, in the address or in the server's log: no stored hash, no password
    # hash, and no token-shaped text anywhere whose hash is a live session's.
    shown = {"page": page.content(), "url": page.url, "log": log.read_text(encoding="utf-8", errors="replace")}
    for where, text in shown.items():
        for secret in (*hashes, password_hash, PASSWORD, "$argon2"):
            assert secret not in text, where
        candidates = set(re.findall(r"[A-Za-z0-9_-]{43}", text))
        assert not {hashlib.sha256(c.encode()).hexdigest() for c in candidates} & hashes, where
