"""Where the workspace lives, how to connect to it, and bringing its schema up to date.

The database URL, first found wins:

1. the ``url`` given to :func:`analysis.store.open_workspace`;
2. the environment variable ``TASKBOARD_DB`` (a SQLAlchemy URL: ``sqlite:///path.db``,
   ``postgresql+psycopg://user@host:port/db``);
3. Streamlit's convention ``.streamlit/secrets.toml`` (in the working folder, then in the home
   folder), section ``[connections.taskboard]``, key ``url``;
4. the embedded default, the SQLite file ``data/workspace/taskboard.db``.

SQLite connections run with WAL, a busy timeout and foreign keys on. ``postgresql://`` and
``postgres://`` URLs are read with psycopg 3.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

REPO_ROOT: Final = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB: Final = REPO_ROOT / "data" / "workspace" / "taskboard.db"
ENV_VAR: Final = "TASKBOARD_DB"
SECRETS_SECTION: Final = ("connections", "taskboard")
MIGRATIONS: Final = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
# Any number, the same in every process: serialises migrations on PostgreSQL.
_PG_MIGRATION_LOCK: Final = 7_151_515


class StoreConfigError(ValueError):
    """The workspace URL or its configuration file cannot be used."""


def _secrets_url(folders: list[Path]) -> str | None:
    for folder in folders:
        path = folder / ".streamlit" / "secrets.toml"
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise StoreConfigError(
                f"无法读取 {path}（{exc}） | cannot read {path} ({exc})"
            ) from None
        section: Any = data
        for key in SECRETS_SECTION:
            section = section.get(key, {}) if isinstance(section, dict) else {}
        url = section.get("url") if isinstance(section, dict) else None
        if url is not None:
            if not isinstance(url, str) or not url.strip():
                raise StoreConfigError(
                    f"{path} 中 [connections.taskboard] url 须为非空字符串 | "
                    f"[connections.taskboard] url in {path} must be a non-empty string"
                )
            return url.strip()
    return None


def resolve_url(url: str | None = None) -> str:
    """The workspace's database URL (see the module docstring for the order)."""
    if url:
        return normalise_url(url)
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return normalise_url(env)
    found = _secrets_url([Path.cwd(), Path.home()])
    if found:
        return normalise_url(found)
    return f"sqlite:///{DEFAULT_DB}"


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` read with psycopg 3; anything else as given, checked."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreConfigError(
            f"数据库地址无法识别：{url!r}（例如 sqlite:///path.db 或 postgresql+psycopg://user@host:5432/db） | "
            f"not a database URL: {url!r} (e.g. sqlite:///path.db or postgresql+psycopg://user@host:5432/db)"
        ) from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreConfigError(
            f"不支持的数据库：{parsed.get_backend_name()}（支持 SQLite 和 PostgreSQL） | "
            f"unsupported database {parsed.get_backend_name()!r} (SQLite and PostgreSQL are supported)"
        )
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created and its connections set up."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            raise StoreConfigError(
                "工作区需要一个 SQLite 文件（内存数据库无法在进程间共享） | "
                "the workspace needs a SQLite file (an in-memory database cannot be shared)"
            )
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini): the migrations in this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
        config.set_main_option(
            "sqlalchemy.url", connection.engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return config


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@contextlib.contextmanager
def migration_lock(engine: Engine) -> Iterator[Connection]:
    """A connection held under a lock that every process migrating this database takes."""
    if engine.dialect.name == "sqlite":
        lock_path = Path(str(engine.url.database) + ".migrate-lock")
        with open(lock_path, "a+b") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                with engine.connect() as connection:
                    yield connection
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        connection.commit()
        try:
            yield connection
        finally:
            connection.rollback()
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
            connection.commit()


def migrate(connection: Connection, revision: str = "head") -> str | None:
    """Upgrade the schema to ``revision``; returns the revision the database had before (None: empty)."""
    before = current_revision(connection)
    connection.commit()
    try:
        command.upgrade(alembic_config(connection), revision)
    except CommandError as exc:
        connection.rollback()
        raise StoreConfigError(
            f"工作区数据库的结构版本 {before} 无法识别，可能由更新版本的程序创建（{exc}） | "
            f"the workspace database's schema revision {before} is unknown; a newer version of this "
            f"program may have made it ({exc})"
        ) from None
    connection.commit()
    return before
