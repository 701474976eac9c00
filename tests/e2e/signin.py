"""Signing in through the sidebar's form in a browser test (branch auth): writes need an account."""

from __future__ import annotations


def sign_in(page, name: str, password: str) -> None:
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("textbox", name="账号", exact=True).fill(name)
    sidebar.get_by_label("密码", exact=True).fill(password)  # a password field has no textbox role
    sidebar.get_by_role("button", name="登录", exact=True).click()
    sidebar.get_by_text(f"已登录：{name}").wait_for(timeout=60_000)
