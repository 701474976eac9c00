"""Backing up and restoring the workspace database, whole: SQLite and PostgreSQL.

    backup(url, Path("taskboard.backup"))      # SQLite: a SQLite file (the sqlite3 backup API, a
                                               # consistent copy while the app runs)
                                               # PostgreSQL: pg_dump's custom format (pg_dump -Fc)
    restore(url, Path("taskboard.backup"))     # into an empty workspace; replace=True over one in use

A restore goes into the same kind of database the backup came from (a SQLite backup into a
SQLite URL, a PostgreSQL dump into a PostgreSQL URL: for moving between the two, add the plans'
kept files to a new workspace instead). PostgreSQL's client programs come from Debian's
``postgresql-client`` (found on PATH or under /usr/lib/postgresql/*/bin). After a restore the
workspace's revision counter is set past both the old and the restored value, so app servers
drop every cache (``dashboard.workspace_state``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

from sqlalchemy import create_engine, func, inspect, select, update
from sqlalchemy.engine import URL, make_url

from analysis.store import audit
from analysis.store.access import Action, check
from analysis.store.accounts import resolve
from analysis.store.db import normalise_url, resolve_url
from analysis.store.models import (
    MeetingDecisionRow,
    MeetingRow,
    PlanRow,
    PlanVersionRow,
    ProgressReportRow,
    RevisionRow,
)
from analysis.store.workspace import WorkspaceError
from analysis.vocab import Bilingual

SQLITE_MAGIC: Final = b"SQLite format 3\x00"
PG_DUMP_MAGIC: Final = b"PGDMP"
PG_ROOT: Final = Path("/usr/lib/postgresql")
TIMEOUT_S: Final = 3600


class BackupError(WorkspaceError):
    """A backup or restore that cannot be done; the message says why in Chinese and English."""


@dataclass(frozen=True)
class Counts:
    """What a workspace holds: a backup's and its restore's must be equal."""

    plans: int
    versions: int
    reports: int
    meetings: int
    decisions: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def counts(url: str | None = None) -> Counts:
    """The rows of each kind in the workspace at ``url`` (0 for a table not there yet)."""
    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            values = []
            for row in (PlanRow, PlanVersionRow, ProgressReportRow, MeetingRow, MeetingDecisionRow):
                values.append(int(connection.execute(select(func.count()).select_from(row)).scalar_one())
                              if row.__tablename__ in tables else 0)
    finally:
        engine.dispose()
    return Counts(*values)


def _sqlite_path(url: URL) -> Path:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise BackupError(Bilingual("工作区需要一个 SQLite 文件", "the workspace needs a SQLite file"))
    return Path(database)


def _tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else the newest under /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted((p for p in PG_ROOT.glob(f"*/bin/{name}") if p.parent.parent.name.isdigit()),
                        key=lambda p: int(p.parent.parent.name))
    if not candidates:
        raise BackupError(Bilingual(
            f"找不到 {name}：请安装 Debian 的 postgresql-client",
            f"{name} not found: install Debian's postgresql-client",
        ))
    return str(candidates[-1])


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment carrying it (not the command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: Bilingual) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise BackupError(Bilingual(f"{what.zh}超时", f"{what.en} timed out")) from None
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1][:300]
        raise BackupError(Bilingual(f"{what.zh}失败：{reason}", f"{what.en} failed: {reason}"))


def _kind(file: Path) -> str:
    with open(file, "rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(Bilingual(
        f"{file} 不是工作区备份（既非 SQLite 文件，也非 pg_dump 自定义格式）",
        f"{file} is not a workspace backup (neither a SQLite file nor a pg_dump custom-format dump)",
    ))


def backup(url: str | None, out: Path) -> Counts:
    """Write the whole workspace to ``out`` (replaced atomically when it exists); returns its counts."""
    parsed = make_url(resolve_url(url))
    before = counts(url)
    out = Path(out)
    if out.is_dir():
        raise BackupError(Bilingual(f"{out} 是文件夹，需要文件名", f"{out} is a folder; a file name is needed"))
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".backup-", dir=out.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        if parsed.get_backend_name() == "sqlite":
            source = _sqlite_path(parsed)
            if not source.is_file():
                raise BackupError(Bilingual(f"工作区文件 {source} 不存在", f"the workspace file {source} does not exist"))
            with sqlite3.connect(source) as src, sqlite3.connect(temp) as dst:
                src.backup(dst)
            dst.close()
            src.close()
        else:
            uri, env = _libpq(parsed)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={temp}",
                  f"--dbname={uri}"], env, Bilingual("pg_dump 备份", "pg_dump backup"))
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return before


def restore(url: str | None, file: Path, *, replace: bool = False, actor: str | None = None) -> Counts:
    """Replace the workspace at ``url`` by the backup ``file``; returns the restored counts.

    Refused when the workspace holds plans, unless ``replace``; refused when the backup is of
    the other kind of database; refused (PermissionDenied) when the workspace has accounts and
    ``actor`` is not one of its admins. The restored workspace's audit trail gains a ``restore``
    row naming ``actor`` and the file."""
    file = Path(file)
    if not file.is_file():
        raise BackupError(Bilingual(f"备份文件 {file} 不存在", f"the backup file {file} does not exist"))
    target = normalise_url(resolve_url(url))
    parsed = make_url(target)
    backend = parsed.get_backend_name()
    kind = _kind(file)
    if kind != backend:
        raise BackupError(Bilingual(
            f"{file} 是 {kind} 备份，不能恢复到 {backend} 数据库",
            f"{file} is a {kind} backup; it cannot be restored into a {backend} database",
        ))
    current = counts(target) if backend == "postgresql" or _sqlite_path(parsed).exists() else Counts(0, 0, 0, 0, 0)
    if current.plans and not replace:
        raise BackupError(Bilingual(
            f"工作区中已有 {current.plans} 个方案；确认覆盖请加 --replace",
            f"the workspace holds {current.plans} plans; add --replace to overwrite them",
        ))
    _check_restorer(target, backend, parsed, actor)
    old_revision = _revision(target)
    if backend == "sqlite":
        path = _sqlite_path(parsed)
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(file) as src, sqlite3.connect(path, timeout=30) as dst:
            src.backup(dst)
        dst.close()
        src.close()
    else:
        uri, env = _libpq(parsed)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              f"--dbname={uri}", str(file)], env, Bilingual("pg_restore 恢复", "pg_restore restore"))
    from analysis.store.workspace import open_workspace

    # A backup of an older schema is brought up to date; the revision goes past both values.
    with open_workspace(target, seed=False) as ws, ws.engine.begin() as connection:
        restored = int(connection.execute(select(RevisionRow.revision).where(RevisionRow.id == 1)).scalar() or 0)
        connection.execute(update(RevisionRow).where(RevisionRow.id == 1)
                           .values(revision=max(old_revision, restored) + 1))
    with open_workspace(target, seed=False) as ws, ws._sessions.begin() as session:
        audit.append(session, actor or "", audit.AuditAction.RESTORE, object=file.name,
                     after={"file": str(file), "replaced": current.as_dict()})
    return counts(target)


def _check_restorer(target: str, backend: str, parsed: URL, actor: str | None) -> None:
    """Refuse a restore over a workspace with accounts unless ``actor`` is one of its admins."""
    from analysis.store.workspace import open_workspace

    if backend == "sqlite" and not _sqlite_path(parsed).exists():
        return
    try:
        ws = open_workspace(target, seed=False)
    except Exception:  # noqa: BLE001 - an empty or foreign database: nobody's accounts to protect
        return
    with ws:
        if not ws.accounts.count():
            return
        with ws._sessions() as session:
            check(resolve(session, actor or ""), Action.RESTORE)


def _revision(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if RevisionRow.__tablename__ not in set(inspect(connection).get_table_names()):
                return 0
            return int(connection.execute(select(RevisionRow.revision).where(RevisionRow.id == 1)).scalar() or 0)
    except Exception:  # noqa: BLE001 - a missing SQLite file or an empty database: no revision yet
        return 0
    finally:
        engine.dispose()
