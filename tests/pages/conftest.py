"""Every page test runs on its own temporary workspace database (never data/workspace/)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def workspace_db(tmp_path, monkeypatch):
    """A fresh SQLite workspace per test: the app seeds it with the bundled plan on first use."""
    path = tmp_path / "taskboard.db"
    monkeypatch.setenv("TASKBOARD_DB", f"sqlite:///{path}")
    return path


@pytest.fixture(autouse=True)
def revision_every_rerun(monkeypatch):
    """The tests write through their own Workspace (another "server") and look at the next rerun:
    the app reads the workspace's revision at every rerun here, not every 2 s."""
    from dashboard import workspace_state

    monkeypatch.setattr(workspace_state, "REVISION_CHECK_SECONDS", 0.0)
