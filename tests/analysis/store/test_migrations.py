"""Migrations take an empty database to head on SQLite and PostgreSQL, and the result is the models."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from analysis.store import StoreConfigError, open_workspace
from analysis.store.db import alembic_config, current_revision, make_engine, migrate
from analysis.store.models import Base

TABLES = {"plans", "plan_versions", "progress_reports"}


def test_empty_database_to_head_and_back(db_url):
    engine = make_engine(db_url)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    try:
        with engine.connect() as connection:
            assert current_revision(connection) is None
            assert not TABLES & set(inspect(connection).get_table_names())
            assert migrate(connection) is None  # it was empty
            assert current_revision(connection) == head
            assert TABLES <= set(inspect(connection).get_table_names())
            # The migrated schema is exactly the models' (no pending autogenerate changes).
            diffs = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                     Base.metadata)
            assert diffs == []
            assert migrate(connection) == head  # a second run is a no-op
            connection.commit()
            config = alembic_config(connection)
            command.downgrade(config, "base")
            connection.commit()
            assert not TABLES & set(inspect(connection).get_table_names())
            command.upgrade(config, "head")
            connection.commit()
            assert current_revision(connection) == head
    finally:
        engine.dispose()


def test_open_workspace_migrates_a_new_database(db_url):
    with open_workspace(db_url, seed=False) as ws, ws.engine.connect() as connection:
        assert TABLES <= set(inspect(connection).get_table_names())
        assert connection.execute(text("SELECT count(*) FROM plans")).scalar_one() == 0


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    with open_workspace(f"sqlite:///{tmp_path / 'w.db'}", seed=False) as ws, ws.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000


def test_a_database_from_a_newer_program_is_refused_clearly(db_url):
    with open_workspace(db_url, seed=False) as ws, ws.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreConfigError, match="9999"):
        open_workspace(db_url)
