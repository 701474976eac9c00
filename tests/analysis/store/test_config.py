"""Where the workspace database is: argument, TASKBOARD_DB, .streamlit/secrets.toml, default file."""

from __future__ import annotations

import pytest

from analysis.store import StoreConfigError, resolve_url
from analysis.store.db import DEFAULT_DB, make_engine


@pytest.fixture
def clean(monkeypatch, tmp_path):
    monkeypatch.delenv("TASKBOARD_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _secrets(folder, body: str) -> None:
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    (folder / ".streamlit" / "secrets.toml").write_text(body, encoding="utf-8")


def test_default_is_the_sqlite_file_in_data_workspace(clean):
    assert resolve_url() == f"sqlite:///{DEFAULT_DB}"
    assert DEFAULT_DB.parts[-3:] == ("data", "workspace", "taskboard.db")


def test_order_argument_env_secrets(clean, monkeypatch):
    _secrets(clean, '[connections.taskboard]\nurl = "sqlite:///from-secrets.db"\n')
    assert resolve_url() == "sqlite:///from-secrets.db"
    monkeypatch.setenv("TASKBOARD_DB", "sqlite:///from-env.db")
    assert resolve_url() == "sqlite:///from-env.db"
    assert resolve_url("sqlite:///given.db") == "sqlite:///given.db"


def test_secrets_in_the_home_folder(clean):
    _secrets(clean / "home", '[connections.taskboard]\nurl = "postgresql://me@db.example:5433/plans"\n')
    assert resolve_url() == "postgresql+psycopg://me@db.example:5433/plans"


def test_other_secrets_sections_are_ignored(clean):
    _secrets(clean, '[connections.other]\nurl = "sqlite:///other.db"\n[api]\nkey = "x"\n')
    assert resolve_url() == f"sqlite:///{DEFAULT_DB}"


def test_postgres_urls_use_psycopg_3(clean):
    assert resolve_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert resolve_url("postgresql+psycopg://u@h:1/db") == "postgresql+psycopg://u@h:1/db"


@pytest.mark.parametrize(("body", "match"), [
    ("[connections.taskboard\nurl = 1", "cannot read"),
    ('[connections.taskboard]\nurl = ""\n', "non-empty"),
])
def test_bad_secrets_are_named(clean, body, match):
    _secrets(clean, body)
    with pytest.raises(StoreConfigError, match=match) as error:
        resolve_url()
    assert "secrets.toml" in str(error.value)


@pytest.mark.parametrize(("url", "match"), [
    ("not a url", "not a database URL"),
    ("mysql://u@h/db", "unsupported database"),
])
def test_bad_urls(clean, url, match):
    with pytest.raises(StoreConfigError, match=match):
        resolve_url(url)


def test_an_in_memory_sqlite_database_is_refused():
    with pytest.raises(StoreConfigError, match="SQLite file"):
        make_engine("sqlite://")
