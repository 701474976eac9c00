"""Every store test runs against SQLite and a real PostgreSQL server (tests/pg.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.store import Workspace, open_workspace
from tests.accounts import add_staff
from tests.pg import PostgresServer, postgres_server  # noqa: F401  (the session fixture)

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "data" / "plans" / "zhejiang_5g_2020_2022" / "tasks.txt"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'taskboard.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    """A new workspace (seeded with the bundled plan, as on first use), with the test accounts
    (an admin; workspace coordinators named as the tests' actors: tests.accounts.STAFF)."""
    ws = add_staff(open_workspace(db_url))
    yield ws
    ws.close()


@pytest.fixture
def empty_workspace(db_url: str) -> Iterator[Workspace]:
    ws = add_staff(open_workspace(db_url, seed=False))
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()
