"""Every page test runs on its own temporary workspace database (never data/workspace/)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def workspace_db(tmp_path, monkeypatch):
    """A fresh SQLite workspace per test: the app seeds it with the bundled plan on first use."""
    path = tmp_path / "taskboard.db"
    monkeypatch.setenv("TASKBOARD_DB", f"sqlite:///{path}")
    return path
