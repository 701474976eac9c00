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


@pytest.fixture(autouse=True)
def every_cached_call_is_keyed():
    """Every call of the app's shared caches (dashboard/shared_cache.py) had hashable arguments: an
    unhashable one is computed anew on every rerun (never keyed by something that could collide),
    which would silently undo the cache."""
    from dashboard import shared_cache

    before = {id(c): c.unhashable for c in shared_cache._CACHES}
    yield
    grew = [c.name for c in shared_cache._CACHES if c.unhashable != before.get(id(c), 0)]
    assert not grew, f"unhashable arguments in {grew}"
