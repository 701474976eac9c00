"""Signing in through the sidebar's form in a browser test (branch auth): writes need an account;
and a module's app server on its own temporary workspace where 王伟 coordinates and signs in.

    db_url, server = signin.db_url, signin.server   # in a test module: the shared fixtures
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.store import open_workspace
from tests.accounts import add_staff
from tests.e2e.test_browser import CHROMIUM
from tests.hardening.appserver import running_app


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    """A temporary workspace with the bundled plan; 王伟 coordinates it and has a password."""
    url = f"sqlite:///{tmp_path_factory.mktemp('workspace') / 'taskboard.db'}"
    with open_workspace(url) as ws:
        add_staff(ws, ("王伟",), passwords=True)
    return url


@pytest.fixture(scope="module")
def server(db_url):
    """The app on that workspace, for the whole module."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `bash scripts/install.sh --dev` first")
    with running_app(database=db_url) as url:
        yield url


def sign_in(page, name: str, password: str) -> None:
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("textbox", name="账号", exact=True).fill(name)
    sidebar.get_by_label("密码", exact=True).fill(password)  # a password field has no textbox role
    sidebar.get_by_role("button", name="登录", exact=True).click()
    sidebar.get_by_text(f"已登录：{name}").wait_for(timeout=60_000)
