"""The workspace: plans, their versions and the progress of every task, in one database.

Every write is one transaction. Progress reports are append-only: a new report names the
report it follows (``expected_previous``); when the task's current report is another one —
somebody saved in between — the write is refused with :class:`ConcurrentReportError`,
which carries that other report. Nothing is silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Self

import pandas as pd
from sqlalchemy import Engine, Select, delete, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, load_only, sessionmaker

from analysis.progress import REPORT_COLUMNS, RagRule, period_kind, period_of, task_rag
from analysis.store import audit
from analysis.store.access import SYSTEM, Account, Action, PermissionDenied, check
from analysis.store.accounts import resolve
from analysis.store.audit import AuditAction, AuditEntry
from analysis.store.db import (
    REPO_ROOT,
    make_engine,
    migrate,
    migration_lock,
    resolve_url,
)
from analysis.store.errors import WorkspaceError as WorkspaceError
from analysis.store.models import PlanRow, PlanVersionRow, ProgressReportRow, RevisionRow, utcnow
from analysis.versions import PlanDiff, diff_versions
from analysis.vocab import Bilingual, ProgressStatus

if TYPE_CHECKING:
    from analysis.model import Plan
    from analysis.store.accounts import Accounts
    from analysis.store.meetings import Meetings

BUNDLED_SEED: Final = REPO_ROOT / "data" / "plans" / "zhejiang_5g_2020_2022"
SEED_ACTOR: Final = SYSTEM.name
TEXT_LIMITS: Final = {"agency": 200, "reported_by": 200}


def read_plan(data: bytes, file: str, columns: Mapping[str, str] | None = None) -> Plan:
    """The plan model rebuilt from a kept source file and the column mapping confirmed with it:
    the one place the store calls the reader."""
    from analysis.model import plan_from_bytes

    return plan_from_bytes(data, file, columns=dict(columns) if columns else None)


# ------------------------------------------------------------------------------ errors


class PlanNotFoundError(WorkspaceError):
    def __init__(self, plan_id: int, version: int | None = None) -> None:
        self.plan_id, self.version = plan_id, version
        if version is None:
            super().__init__(Bilingual(f"工作区中没有方案 {plan_id}", f"no plan {plan_id} in the workspace"))
        else:
            super().__init__(Bilingual(f"方案 {plan_id} 没有第 {version} 版", f"plan {plan_id} has no version {version}"))


class VersionConflictError(WorkspaceError):
    """Two versions of one plan were added at the same time; the later one is refused."""


class ReportValidationError(WorkspaceError):
    """Reports with bad fields; ``problems`` names each report (1-based position), task and field."""

    def __init__(self, problems: Sequence[Bilingual]) -> None:
        self.problems = tuple(problems)
        shown = self.problems[:10]
        more = len(self.problems) - len(shown)
        zh = "；".join(p.zh for p in shown) + (f"；另有 {more} 处" if more else "")
        en = "; ".join(p.en for p in shown) + (f"; and {more} more" if more else "")
        super().__init__(Bilingual(f"进展报送有误，未保存任何一条：{zh}", f"progress reports rejected, none saved: {en}"))


@dataclass(frozen=True)
class Report:
    """One saved progress report."""

    report_id: int
    plan_id: int
    task_id: str
    version: int
    status: ProgressStatus
    percent: int | None
    note: str
    evidence: str
    agency: str
    as_of: dt.date
    period: str
    reported_at: dt.datetime
    reported_by: str
    previous_report_id: int | None

    @classmethod
    def from_row(cls, row: ProgressReportRow) -> Report:
        return cls(
            report_id=row.id, plan_id=row.plan_id, task_id=row.task_key, version=row.version,
            status=ProgressStatus(row.status), percent=row.percent, note=row.note, evidence=row.evidence,
            agency=row.agency, as_of=row.as_of, period=row.period, reported_at=row.reported_at,
            reported_by=row.reported_by, previous_report_id=row.previous_report_id,
        )

    @classmethod
    def from_record(cls, plan_id: int, record: Mapping[str, Any]) -> Report:
        """The report of a row of ``REPORT_COLUMNS`` (as ``latest_reports`` gives it): ``record``'s inverse."""
        def optional(value: Any) -> int | None:
            return None if value is None or pd.isna(value) else int(value)

        reported_at = record["reported_at"]
        return cls(
            report_id=int(record["report_id"]), plan_id=plan_id, task_id=str(record["task_id"]),
            version=int(record["version"]), status=ProgressStatus(record["status"]), percent=optional(record["percent"]),
            note=str(record["note"]), evidence=str(record["evidence"]), agency=str(record["agency"]),
            as_of=pd.Timestamp(record["as_of"]).date(), period=str(record["period"]),
            reported_at=reported_at.to_pydatetime() if isinstance(reported_at, pd.Timestamp) else reported_at,
            reported_by=str(record["reported_by"]), previous_report_id=optional(record["previous_report_id"]),
        )

    def record(self) -> dict[str, object]:
        """The report as a row of ``REPORT_COLUMNS``."""
        return {
            "report_id": self.report_id, "task_id": self.task_id, "version": self.version,
            "status": str(self.status), "percent": self.percent, "note": self.note, "evidence": self.evidence,
            "agency": self.agency, "as_of": self.as_of, "period": self.period, "reported_at": self.reported_at,
            "reported_by": self.reported_by, "previous_report_id": self.previous_report_id,
        }


class ConcurrentReportError(WorkspaceError):
    """The task's current report is not the one the writer saw: somebody saved in between.

    ``current`` is that other report (None: the task has no current report any more, or never had).
    """

    def __init__(self, plan_id: int, task_id: str, expected: int | None, current: Report | None) -> None:
        self.plan_id, self.task_id, self.expected, self.current = plan_id, task_id, expected, current
        if current is None:
            who_zh, who_en = "当前没有进展报送", "it has no current report"
        else:
            when = current.reported_at.strftime("%Y-%m-%d %H:%M")
            who_zh = f"{current.reported_by} 已于 {when} 报送（第 {current.report_id} 号，{current.status}）"
            who_en = f"{current.reported_by} reported at {when} UTC (report {current.report_id}, {current.status})"
        seen_zh = f"第 {expected} 号报送" if expected is not None else "没有报送"
        seen_en = f"report {expected}" if expected is not None else "no report"
        super().__init__(Bilingual(
            f"任务 {task_id} 的进展已被他人更新：您看到的是{seen_zh}，但{who_zh}。请查看后重新报送。",
            f"the progress of task {task_id} changed meanwhile: you saw {seen_en}, but {who_en}. "
            "Review it and report again.",
        ))


# ------------------------------------------------------------------------------ values


@dataclass(frozen=True)
class ReportInput:
    """One report to save. ``expected_previous``: the id of the task's current report as the
    writer saw it (None: the writer saw no report)."""

    task_id: str
    status: ProgressStatus | str
    expected_previous: int | None
    percent: int | None = None
    note: str = ""
    evidence: str = ""
    agency: str = ""
    as_of: dt.date | None = None  # default: today
    period: str | None = None  # default: the period of as_of (the plan's period kind)


@dataclass(frozen=True)
class PlanVersionInfo:
    plan_id: int
    version: int
    title: str
    region: str
    tasks: int
    file_name: str
    content_hash: str
    created_at: dt.datetime
    created_by: str
    diff: PlanDiff | None = field(default=None, compare=False)  # set by add_version

    @classmethod
    def from_rows(cls, plan: PlanRow, version: PlanVersionRow, diff: PlanDiff | None = None) -> PlanVersionInfo:
        return cls(
            plan_id=plan.id, version=version.version, title=plan.title, region=plan.region,
            tasks=version.task_count, file_name=version.file_name, content_hash=version.content_hash,
            created_at=version.created_at, created_by=version.created_by, diff=diff,
        )


def _version_audit(info: PlanVersionInfo) -> dict[str, object]:
    return {"plan_id": info.plan_id, "version": info.version, "title": info.title, "file": info.file_name,
            "content_hash": info.content_hash, "tasks": info.tasks}


def _all_refused(refused: Sequence[PermissionDenied]) -> PermissionDenied:
    """One refusal naming every refused report (an import is saved whole or not at all)."""
    if len(refused) == 1:
        return refused[0]
    shown = refused[:10]
    more = len(refused) - len(shown)
    zh = "；".join(e.text.zh for e in shown) + (f"；另有 {more} 条" if more else "")
    en = "; ".join(e.text.en for e in shown) + (f"; and {more} more" if more else "")
    return PermissionDenied(Bilingual(f"{len(refused)} 条报送无权保存，未保存任何一条：{zh}",
                                      f"{len(refused)} reports not allowed, none saved: {en}"),
                            actor=refused[0].actor, action=refused[0].action)


@dataclass
class _ImportState:
    """What an import has read and written so far, per task."""

    read_seq: dict[str, int] = field(default_factory=dict)  # the last report number as read
    current: dict[str, ProgressReportRow | None] = field(default_factory=dict)  # current report as read
    expected: dict[str, int | None] = field(default_factory=dict)  # what the reports named
    tail: dict[str, ProgressReportRow] = field(default_factory=dict)  # the last row written
    built: dict[int, ProgressReportRow] = field(default_factory=dict)  # by position in the import
    before: dict[int, ProgressReportRow | None] = field(default_factory=dict)  # what each report follows
    action: AuditAction = AuditAction.IMPORT_REPORTS


def _waves(items: Sequence[tuple[int, ReportInput]]) -> list[list[tuple[int, ReportInput]]]:
    """The items by occurrence of their task: every task's first report, then every second one, …"""
    waves: list[list[tuple[int, ReportInput]]] = []
    count: dict[str, int] = {}
    for position, item in items:
        key = str(item.task_id)
        n = count.get(key, 0)
        count[key] = n + 1
        if n == len(waves):
            waves.append([])
        waves[n].append((position, item))
    return waves


def _report_counts(task_key: str, reported_version: int, current_version: int,
                   carried: dict[int, frozenset[str]]) -> bool:
    """Whether a report made against one version still holds in a later one (carried over each step)."""
    return all(task_key in carried.get(v, frozenset()) for v in range(reported_version + 1, current_version + 1))


# ------------------------------------------------------------------------------ revision
# Every transaction that writes counts the workspace's revision up, in that same transaction
# (so a reader that sees the new revision sees the write too). App servers keep their caches
# while the revision stays the same (issue 19: several servers on one database).

_WROTE: Final = "taskboard_wrote"


def _mark_flush(session: Session, _context: object) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[_WROTE] = True


def _mark_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _store_digest(session: Session, plan_row: PlanRow, version_row: PlanVersionRow, plan: Plan) -> None:
    """The digest of a version just added, in its transaction (``analysis.store.portfolio.store_digest``)."""
    from analysis.store.portfolio import store_digest

    store_digest(session, plan_row, version_row, plan)


def _count_revision(session: Session) -> None:
    wrote = session.info.pop(_WROTE, False) or bool(session.new or session.dirty or session.deleted)
    if wrote:
        session.execute(
            update(RevisionRow).where(RevisionRow.id == 1).values(revision=RevisionRow.revision + 1),
            execution_options={"synchronize_session": False},
        )
        session.info.pop(_WROTE, None)


def _forget(session: Session, _transaction: object = None) -> None:
    session.info.pop(_WROTE, None)


# ------------------------------------------------------------------------------ workspace


class Workspace:
    """Plans and progress in one database (see :func:`open_workspace`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        #: How ``load_plan`` rebuilds a version's plan model from its kept bytes (``read_plan``). A process
        #: that keeps one Workspace may set a memoising reader (the app does, keyed by the bytes' digest:
        #: ``dashboard/workspace_state.py``); plans so returned are shared and must be treated as read-only.
        self.plan_reader: Callable[[bytes, str, Mapping[str, str] | None], Plan] = read_plan
        event.listen(self._sessions, "after_flush", _mark_flush)
        event.listen(self._sessions, "do_orm_execute", _mark_statement)
        event.listen(self._sessions, "before_commit", _count_revision)
        event.listen(self._sessions, "after_rollback", _forget)

    def revision(self) -> int:
        """The workspace's revision: counted up by every committed write, by any process."""
        with self.engine.connect() as connection:
            value = connection.execute(select(RevisionRow.revision).where(RevisionRow.id == 1)).scalar()
        return int(value or 0)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------------- plans and versions

    @staticmethod
    def _plan(session: Session, plan_id: int) -> PlanRow:
        plan = session.get(PlanRow, plan_id)
        if plan is None:
            raise PlanNotFoundError(plan_id)
        return plan

    @staticmethod
    def _version(session: Session, plan_id: int, version: int | None = None) -> PlanVersionRow:
        query = select(PlanVersionRow).where(PlanVersionRow.plan_id == plan_id)
        if version is None:
            query = query.order_by(PlanVersionRow.version.desc()).limit(1)
        else:
            query = query.where(PlanVersionRow.version == version)
        row = session.scalars(query).first()
        if row is None:
            if session.get(PlanRow, plan_id) is None:
                raise PlanNotFoundError(plan_id)
            raise PlanNotFoundError(plan_id, version)
        return row

    def add_plan(self, data: bytes, file: str, *, actor: str | Account, title: str | None = None,
                 region: str | None = None, columns: Mapping[str, str] | None = None) -> PlanVersionInfo:
        """A new plan from a table file (version 1). Raises PlanImportError if the file cannot be read,
        PermissionDenied unless ``actor`` coordinates the workspace.

        ``columns``: the column mapping the user confirmed (header → role code), kept with
        the version so that the plan is rebuilt from its bytes exactly as imported.
        """
        with self._sessions() as session:  # refused before the (slow) reading of the file
            check(resolve(session, actor), Action.ADD_PLAN)
        plan = read_plan(data, file, columns)
        with self._sessions.begin() as session:
            acting = resolve(session, actor)
            check(acting, Action.ADD_PLAN)
            row = PlanRow(title=(title or plan.meta.title)[:500], region=(region or plan.meta.region)[:200],
                          settings={})
            version = self._version_row(plan, data, file, acting.name, 1, carried=None, columns=columns)
            row.versions.append(version)
            session.add(row)
            session.flush()
            _store_digest(session, row, version, plan)
            info = PlanVersionInfo.from_rows(row, version)
            audit.append(session, acting.name, audit.AuditAction.ADD_PLAN, plan_id=row.id, object=f"plan {row.id}",
                         after=_version_audit(info))
            return info

    @staticmethod
    def _version_row(plan: Plan, data: bytes, file: str, actor: str, number: int,
                     carried: list[str] | None, columns: Mapping[str, str] | None = None) -> PlanVersionRow:
        keys = [str(k) for k in plan.tasks["task_id"]]
        return PlanVersionRow(
            version=number, file_name=file[:500], source=bytes(data), content_hash=plan.content_hash,
            task_count=len(keys), task_keys=keys, carried=carried, created_at=utcnow(), created_by=actor,
            columns={str(k): str(v) for k, v in columns.items()} if columns else None,
        )

    def add_version(self, plan_id: int, data: bytes, file: str, *, actor: str | Account,
                    columns: Mapping[str, str] | None = None) -> PlanVersionInfo:
        """A new version of a plan; the result's ``diff`` says what changed and which tasks keep their progress.

        ``columns``: the column mapping confirmed for this file (kept with the version).
        """
        with self._sessions() as session:
            check(resolve(session, actor), Action.ADD_VERSION, plan_id=plan_id)
            latest = self._version(session, plan_id)
            old_source, old_file, number = latest.source, latest.file_name, latest.version
            old_columns = latest.columns
        new_plan = read_plan(data, file, columns)
        if new_plan.content_hash == latest.content_hash and (columns or None) == old_columns:
            raise WorkspaceError(Bilingual(
                f"该文件与方案 {plan_id} 的第 {number} 版完全相同，未新增版本",
                f"the file is identical to version {number} of plan {plan_id}; no version added",
            ))
        diff = diff_versions(read_plan(old_source, old_file, old_columns), new_plan)
        conflict = VersionConflictError(Bilingual(
            f"方案 {plan_id} 已由他人新增了版本（第 {number + 1} 版）；请查看后重新上传",
            f"another version of plan {plan_id} (version {number + 1}) was added meanwhile; "
            "review it and upload again",
        ))
        try:
            with self._sessions.begin() as session:
                acting = resolve(session, actor)
                check(acting, Action.ADD_VERSION, plan_id=plan_id)
                plan = self._plan(session, plan_id)
                previous = self._version(session, plan_id)
                if previous.version != number:
                    raise conflict
                before = _version_audit(PlanVersionInfo.from_rows(plan, previous))
                version = self._version_row(new_plan, data, file, acting.name, number + 1, carried=list(diff.carried),
                                            columns=columns)
                version.plan_id = plan_id
                session.add(version)
                if new_plan.meta.title:
                    plan.title = new_plan.meta.title[:500]
                session.flush()
                _store_digest(session, plan, version, new_plan)
                info = PlanVersionInfo.from_rows(plan, version, diff)
                audit.append(session, acting.name, audit.AuditAction.ADD_VERSION, plan_id=plan_id,
                             object=f"plan {plan_id} version {info.version}", before=before,
                             after={**_version_audit(info), "carried": len(diff.carried)})
                return info
        except IntegrityError:
            raise conflict from None

    def list_plans(self) -> list[PlanVersionInfo]:
        """Every plan with its latest version, oldest plan first."""
        latest = (
            select(PlanVersionRow.plan_id, func.max(PlanVersionRow.version).label("version"))
            .group_by(PlanVersionRow.plan_id).subquery()
        )
        query = (
            select(PlanRow, PlanVersionRow)
            .join(latest, latest.c.plan_id == PlanRow.id)
            .join(PlanVersionRow, (PlanVersionRow.plan_id == PlanRow.id)
                  & (PlanVersionRow.version == latest.c.version))
            .order_by(PlanRow.id)
            # Only the columns the infos hold: not every version's source bytes and task list
            # (a third of the time on 1 000 plans).
            .options(load_only(PlanRow.id, PlanRow.title, PlanRow.region),
                     load_only(PlanVersionRow.plan_id, PlanVersionRow.version, PlanVersionRow.task_count,
                               PlanVersionRow.file_name, PlanVersionRow.content_hash, PlanVersionRow.created_at,
                               PlanVersionRow.created_by))
        )
        with self._sessions() as session:
            return [PlanVersionInfo.from_rows(p, v) for p, v in session.execute(query)]

    def versions(self, plan_id: int) -> list[PlanVersionInfo]:
        """Every version of a plan, first to last."""
        with self._sessions() as session:
            plan = self._plan(session, plan_id)
            rows = session.scalars(
                select(PlanVersionRow).where(PlanVersionRow.plan_id == plan_id).order_by(PlanVersionRow.version)
            ).all()
            return [PlanVersionInfo.from_rows(plan, v) for v in rows]

    def remove_plan(self, plan_id: int, *, actor: str | Account) -> None:
        """Delete a plan with its versions and reports (one transaction; the audit trail keeps its entries)."""
        with self._sessions.begin() as session:
            acting = resolve(session, actor)
            check(acting, Action.REMOVE_PLAN, plan_id=plan_id)
            latest = self._version(session, plan_id)
            before = _version_audit(PlanVersionInfo.from_rows(self._plan(session, plan_id), latest))
            deleted = session.execute(delete(PlanRow).where(PlanRow.id == plan_id))
            if getattr(deleted, "rowcount", 0) != 1:
                raise PlanNotFoundError(plan_id)
            audit.append(session, acting.name, audit.AuditAction.REMOVE_PLAN, plan_id=plan_id,
                         object=f"plan {plan_id}", before=before)

    def plan_source(self, plan_id: int, version: int | None = None) -> tuple[bytes, str]:
        """The kept source file of a version (latest by default): (bytes, file name)."""
        with self._sessions() as session:
            row = self._version(session, plan_id, version)
            return bytes(row.source), row.file_name

    def plan_columns(self, plan_id: int, version: int | None = None) -> dict[str, str] | None:
        """The column mapping confirmed with a version (latest by default), None if none was."""
        with self._sessions() as session:
            columns = self._version(session, plan_id, version).columns
            return dict(columns) if columns else None

    def load_plan(self, plan_id: int, version: int | None = None, *, decided: bool = True,
                  as_of: dt.date | None = None) -> Plan:
        """The plan model of a version (latest by default), rebuilt from its kept source bytes.

        ``decided``: with the meetings' decisions applied (``analysis.meetings.apply_decisions``;
        the published values stay in ``published_*`` columns); ``as_of``: only the decisions of
        meetings on or before that date. ``decided=False``: the plan as published.
        """
        with self._sessions() as session:
            row = self._version(session, plan_id, version)
            data, file, columns = bytes(row.source), row.file_name, row.columns
        plan = self.plan_reader(data, file, columns)
        if not decided:
            return plan
        from analysis.meetings import apply_decisions
        from analysis.store.meetings import plan_decisions

        with self._sessions() as session:
            decisions = plan_decisions(session, plan_id, as_of)
        return apply_decisions(plan, decisions)

    @property
    def meetings(self) -> Meetings:
        """Coordination meetings, their agendas and decisions (``analysis.store.meetings``)."""
        from analysis.store.meetings import Meetings

        return Meetings(self)

    #: The pure diff of two plan models (``analysis.versions.diff_versions``), here for convenience.
    diff_versions = staticmethod(diff_versions)

    def diff(self, plan_id: int, old_version: int, new_version: int) -> PlanDiff:
        """What changed between two kept versions of a plan."""
        return diff_versions(self.load_plan(plan_id, old_version, decided=False),
                             self.load_plan(plan_id, new_version, decided=False))

    # -------------------------------------------------------------- settings

    def rag_rule(self, plan_id: int) -> RagRule:
        """The plan's red/amber/green rule (defaults unless set)."""
        with self._sessions() as session:
            settings = self._plan(session, plan_id).settings or {}
            return RagRule.from_dict(settings.get("rag"))

    def set_rag_rule(self, plan_id: int, rule: RagRule, *, actor: str | Account) -> None:
        with self._sessions.begin() as session:
            acting = resolve(session, actor)
            check(acting, Action.SET_RULE, plan_id=plan_id)
            plan = self._plan(session, plan_id)
            before = RagRule.from_dict((plan.settings or {}).get("rag")).to_dict()
            plan.settings = {**(plan.settings or {}), "rag": rule.to_dict()}
            audit.append(session, acting.name, audit.AuditAction.SET_RULE, plan_id=plan_id, object=f"plan {plan_id} rule",
                         before=before, after=rule.to_dict())

    # -------------------------------------------------------------- accounts and audit

    @property
    def accounts(self) -> Accounts:
        """Accounts, sign-in and sessions (``analysis.store.accounts``)."""
        from analysis.store.accounts import Accounts

        return Accounts(self)

    def audit(self, *, plan_id: int | None = None, actor: str | None = None, action: str | None = None,
              since: dt.datetime | None = None, limit: int | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first (``analysis.store.audit``)."""
        with self._sessions() as session:
            return audit.entries(session, plan_id=plan_id, actor=actor, action=action, since=since, limit=limit)

    def _task_agencies(self, session: Session, plan_id: int, latest: PlanVersionRow) -> dict[str, frozenset[str]]:
        """Each task's lead and supporting agencies in the plan as decided (labels and full names),
        read in ``session`` (the transaction of the write they are checked for)."""
        from analysis.meetings import apply_decisions
        from analysis.store.meetings import plan_decisions

        plan = apply_decisions(read_plan(bytes(latest.source), latest.file_name), plan_decisions(session, plan_id))
        full = dict(zip(plan.agencies["agency"].astype(str), plan.agencies["full_name"], strict=True))
        found: dict[str, set[str]] = {}
        for task_id, agency in plan.assignments[["task_id", "agency"]].itertuples(index=False):
            names = found.setdefault(str(task_id), set())
            names.add(str(agency))
            if isinstance(full.get(str(agency)), str) and full[str(agency)]:
                names.add(full[str(agency)])
        return {key: frozenset(names) for key, names in found.items()}

    # -------------------------------------------------------------- progress

    @staticmethod
    def _carried(session: Session, plan_id: int) -> dict[int, frozenset[str]]:
        rows = session.execute(
            select(PlanVersionRow.version, PlanVersionRow.carried).where(PlanVersionRow.plan_id == plan_id)
        )
        return {version: frozenset(carried or ()) for version, carried in rows}

    @staticmethod
    def _latest_query(plan_id: int, as_of: dt.date | None = None, task_key: str | None = None,
                      task_keys: Sequence[str] | None = None) -> Select[ProgressReportRow]:
        """The highest-numbered report of each task (made on or before ``as_of``; of ``task_key``
        or ``task_keys`` only)."""
        inner = select(ProgressReportRow.task_key, func.max(ProgressReportRow.seq).label("seq")).where(
            ProgressReportRow.plan_id == plan_id
        )
        if as_of is not None:
            inner = inner.where(ProgressReportRow.as_of <= as_of)
        if task_key is not None:
            inner = inner.where(ProgressReportRow.task_key == task_key)
        if task_keys is not None:
            inner = inner.where(ProgressReportRow.task_key.in_(task_keys))
        latest = inner.group_by(ProgressReportRow.task_key).subquery()
        return select(ProgressReportRow).join(
            latest, (ProgressReportRow.task_key == latest.c.task_key) & (ProgressReportRow.seq == latest.c.seq)
        ).where(ProgressReportRow.plan_id == plan_id)

    def _current(self, session: Session, plan_id: int, task_key: str, version: int,
                 carried: dict[int, frozenset[str]]) -> tuple[ProgressReportRow | None, int]:
        """(the task's current report or None, the highest report number of the task so far)."""
        row = session.scalars(self._latest_query(plan_id, task_key=task_key)).first()
        if row is None:
            return None, 0
        return (row if _report_counts(task_key, row.version, version, carried) else None), row.seq

    def current_report(self, plan_id: int, task_id: str) -> Report | None:
        """The task's current report (what a new report must name as ``expected_previous``)."""
        with self._sessions() as session:
            version = self._version(session, plan_id).version
            row, _ = self._current(session, plan_id, str(task_id), version, self._carried(session, plan_id))
            return Report.from_row(row) if row else None

    def report_progress(
        self, plan_id: int, task_id: str, status: ProgressStatus | str, *, expected_previous: int | None,
        actor: str | Account, percent: int | None = None, note: str = "", evidence: str = "", agency: str = "",
        as_of: dt.date | None = None, period: str | None = None,
    ) -> Report:
        """Save one report. Raises ConcurrentReportError when the task's current report is not
        ``expected_previous``, ReportValidationError on a bad field."""
        item = ReportInput(str(task_id), status, expected_previous, percent, note, evidence, agency, as_of, period)
        return self._save_reports(plan_id, [item], actor, False, audit.AuditAction.REPORT)[0]

    def import_reports(self, plan_id: int, reports: Iterable[ReportInput], *, actor: str | Account,
                       repeats: bool = False) -> list[Report]:
        """Save many reports in ONE transaction: all of them, or none (any bad field, any conflict).

        ``repeats``: a task may be reported more than once (e.g. by its lead and its supporting
        agencies in one batch of forms). Every report of such a task names the same
        ``expected_previous`` (the task's current report when the batch was read); they are
        saved in the given order, each following the one before it, so the last one is the
        task's current report. Without ``repeats`` a task named twice is refused.

        Every report is checked against ``actor``'s rights (a reporter: only tasks its agencies lead
        or support, the plan as decided); one refused report refuses the import (PermissionDenied
        naming every refused report).
        """
        return self._save_reports(plan_id, reports, actor, repeats, audit.AuditAction.IMPORT_REPORTS)

    def _save_reports(self, plan_id: int, reports: Iterable[ReportInput], actor: str | Account, repeats: bool,
                      action: AuditAction) -> list[Report]:
        permission = Action.REPORT if action == audit.AuditAction.REPORT else Action.IMPORT_REPORTS
        state = _ImportState(action=action)
        try:
            with self._sessions.begin() as session:
                acting = resolve(session, actor)
                if acting.disabled or not (acting.coordinates(plan_id) or acting.reporter_agencies(plan_id)):
                    check(acting, permission, plan_id=plan_id)  # raises: no report at all is allowed
                actor_name = acting.name
                plan = self._plan(session, plan_id)
                rule = RagRule.from_dict((plan.settings or {}).get("rag"))
                latest = self._version(session, plan_id)
                version, task_keys = latest.version, set(latest.task_keys)
                carried = self._carried(session, plan_id)
                agencies = None if acting.coordinates(plan_id) else self._task_agencies(session, plan_id, latest)
                seen: set[str] = set()
                problems: list[Bilingual] = []
                refused: list[PermissionDenied] = []
                chunk: list[tuple[int, ReportInput]] = []
                order: list[int] = []
                # Read as they come, written in chunks: a chunk's tasks' last reports in one query,
                # its rows in one INSERT batch per wave (see _waves).
                for position, item in enumerate(reports, start=1):
                    row_problems = self._validate(position, item, task_keys, set() if repeats else seen)
                    problems.extend(row_problems)
                    if row_problems:
                        continue
                    if agencies is not None:
                        try:
                            check(acting, permission, plan_id=plan_id, agencies=agencies.get(str(item.task_id), ()),
                                  as_agency=(item.agency or "").strip(), task_id=str(item.task_id))
                        except PermissionDenied as exc:
                            refused.append(exc)
                            continue
                    seen.add(str(item.task_id))
                    chunk.append((position, item))
                    order.append(position)
                    if len(chunk) >= self.import_chunk and not refused:
                        self._write_chunk(session, plan_id, version, carried, rule, actor_name, chunk, state)
                        chunk = []
                if refused:
                    raise _all_refused(refused)
                if chunk:
                    self._write_chunk(session, plan_id, version, carried, rule, actor_name, chunk, state)
                if problems:
                    raise ReportValidationError(problems)
                return [Report.from_row(state.built[position]) for position in order]
        except IntegrityError:
            # Another writer saved a report on one of the tasks between our read and our write.
            with self._sessions() as session:
                if session.get(PlanRow, plan_id) is None:
                    raise PlanNotFoundError(plan_id) from None
                version = self._version(session, plan_id).version
                carried = self._carried(session, plan_id)
                now = self._last_rows(session, plan_id, set(state.read_seq))
                for key, seq in state.read_seq.items():
                    row = now.get(key)
                    if row is not None and row.seq != seq:
                        current = row if _report_counts(key, row.version, version, carried) else None
                        raise ConcurrentReportError(
                            plan_id, key, state.expected[key], Report.from_row(current) if current else None
                        ) from None
            raise

    #: Reports written per chunk of an import (a performance knob: an import is one transaction whatever its size).
    import_chunk: int = 500

    def _write_chunk(self, session: Session, plan_id: int, version: int, carried: dict[int, frozenset[str]],
                     rule: RagRule, actor: str, chunk: list[tuple[int, ReportInput]], state: _ImportState) -> None:
        """Check each report names its task's current report (as before the import), then write them."""
        fresh = {str(item.task_id) for _, item in chunk} - set(state.read_seq)
        last = self._last_rows(session, plan_id, fresh)
        for key in fresh:
            row = last.get(key)
            state.read_seq[key] = row.seq if row is not None else 0
            state.current[key] = row if row is not None and _report_counts(key, row.version, version, carried) else None
        for _, item in chunk:
            key = str(item.task_id)
            current = state.current[key]
            if (current.id if current is not None else None) != item.expected_previous:
                raise ConcurrentReportError(
                    plan_id, key, item.expected_previous, Report.from_row(current) if current else None
                )
            state.expected[key] = item.expected_previous
        today = dt.date.today()
        # Waves: every task's first report, then every second one …: one INSERT batch each, and
        # a repeated report names the report before it (saved in the previous wave).
        for wave in _waves(chunk):
            rows = []
            for position, item in wave:
                key = str(item.task_id)
                before = state.tail.get(key)
                as_of = item.as_of or today
                row = ProgressReportRow(
                    plan_id=plan_id, task_key=key, version=version,
                    seq=(before.seq if before is not None else state.read_seq[key]) + 1,
                    status=str(ProgressStatus(item.status)), percent=item.percent,
                    note=item.note or "", evidence=item.evidence or "", agency=(item.agency or "").strip(),
                    as_of=as_of, period=item.period or period_of(as_of, rule.period_kind),
                    reported_at=utcnow(), reported_by=actor,
                    previous_report_id=before.id if before is not None else item.expected_previous,
                )
                rows.append(row)
                state.before[position] = before if before is not None else state.current[key]
                state.built[position] = state.tail[key] = row
            session.add_all(rows)
            session.flush()
            for (position, _), row in zip(wave, rows, strict=True):
                previous = state.before[position]
                audit.append(session, actor, state.action, plan_id=plan_id, object=f"task {row.task_key}",
                             before=Report.from_row(previous).record() if previous is not None else None,
                             after=Report.from_row(row).record())

    #: Up to this many tasks, the last reports are read for just those tasks; beyond, for the whole plan.
    _KEYS_IN_QUERY: Final = 500

    def _last_rows(self, session: Session, plan_id: int, keys: set[str]) -> dict[str, ProgressReportRow]:
        """The highest-numbered report of each of the tasks ``keys`` (one query)."""
        if not keys:
            return {}
        query = self._latest_query(plan_id, task_keys=sorted(keys) if len(keys) <= self._KEYS_IN_QUERY else None)
        return {row.task_key: row for row in session.scalars(query) if row.task_key in keys}

    @staticmethod
    def _validate(position: int, item: ReportInput, task_keys: set[str], seen: set[str]) -> list[Bilingual]:
        where_zh, where_en = f"第 {position} 条（任务 {item.task_id}）", f"report {position} (task {item.task_id})"
        problems: list[Bilingual] = []

        def bad(zh: str, en: str) -> None:
            problems.append(Bilingual(f"{where_zh}{zh}", f"{where_en}: {en}"))

        key = str(item.task_id)
        if key not in task_keys:
            bad("：方案当前版本中没有该任务", "no such task in the plan's current version")
        elif key in seen:
            bad("：同一任务在本次导入中出现多次", "the same task appears more than once in this import")
        if str(item.status) not in set(ProgressStatus):
            bad(f"：状态“{item.status}”无效（可用：{'、'.join(ProgressStatus)}）",
                f"status {item.status!r} is not one of {', '.join(ProgressStatus)}")
        if item.percent is not None and (
            isinstance(item.percent, bool) or not isinstance(item.percent, int) or not 0 <= item.percent <= 100
        ):
            bad(f"：完成百分比 {item.percent!r} 须为 0–100 的整数", f"percent {item.percent!r} must be a whole number 0-100")
        if item.as_of is not None and not isinstance(item.as_of, dt.date):  # typed, but callers pass parsed input
            bad(f"：日期 {item.as_of!r} 无效", f"as_of {item.as_of!r} is not a date")  # type: ignore[unreachable]
        if item.period is not None and period_kind(str(item.period)) is None:
            bad(f"：报送期“{item.period}”须写作 2020-09 或 2020-Q3",
                f"period {item.period!r} must be written like 2020-09 or 2020-Q3")
        if len(item.agency or "") > TEXT_LIMITS["agency"]:
            bad("：报送单位名称过长", "the reporting agency's name is too long")
        if item.expected_previous is not None and (
            isinstance(item.expected_previous, bool) or not isinstance(item.expected_previous, int)
        ):
            bad(f"：上一条报送编号 {item.expected_previous!r} 无效", f"expected previous report {item.expected_previous!r} is not a number")
        return problems

    def latest_reports(self, plan_id: int, *, as_of: dt.date | None = None) -> pd.DataFrame:
        """The current report of each task of the plan's latest version (``REPORT_COLUMNS``), in task order.

        A report made against an earlier version counts when the task was carried over to every
        later version (see ``analysis.versions``). ``as_of``: only reports dated on or before it.
        """
        with self._sessions() as session:
            latest = self._version(session, plan_id)
            carried = self._carried(session, plan_id)
            rows = session.scalars(self._latest_query(plan_id, as_of)).all()
            order = {key: i for i, key in enumerate(latest.task_keys)}
            kept = [
                Report.from_row(r) for r in rows
                if r.task_key in order and _report_counts(r.task_key, r.version, latest.version, carried)
            ]
        kept.sort(key=lambda r: order[r.task_id])
        return _frame(kept)

    def report_history(self, plan_id: int, task_id: str) -> pd.DataFrame:
        """Every report ever made on a task (all versions), oldest first (``REPORT_COLUMNS``)."""
        with self._sessions() as session:
            self._plan(session, plan_id)
            rows = session.scalars(
                select(ProgressReportRow)
                .where(ProgressReportRow.plan_id == plan_id, ProgressReportRow.task_key == str(task_id))
                .order_by(ProgressReportRow.seq)
            ).all()
            return _frame([Report.from_row(r) for r in rows])

    def task_status(self, plan_id: int, reference: dt.date, *, rule: RagRule | None = None) -> pd.DataFrame:
        """Each task's status and red/amber/green colour on ``reference`` (``analysis.progress.task_rag``)."""
        plan = self.load_plan(plan_id, as_of=reference)
        reports = self.latest_reports(plan_id, as_of=reference)
        return task_rag(plan.tasks, reports, reference, rule or self.rag_rule(plan_id))


def _frame(reports: Sequence[Report]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records([r.record() for r in reports], columns=REPORT_COLUMNS)
    frame["percent"] = frame["percent"].astype("Int64")
    frame["previous_report_id"] = frame["previous_report_id"].astype("Int64")
    return frame


# ------------------------------------------------------------------------------ opening


def seed_bundled_plan(workspace: Workspace) -> PlanVersionInfo:
    """Add the bundled Zhejiang plan (its table file, byte for byte)."""
    meta: dict[str, Any] = json.loads((BUNDLED_SEED / "plan.json").read_text(encoding="utf-8"))
    table = BUNDLED_SEED / str(meta["table"])
    return workspace.add_plan(
        table.read_bytes(), table.name, actor=SYSTEM, title=str(meta.get("title") or "") or None,
        region=str(meta.get("region") or "") or None,
    )


def open_workspace(url: str | None = None, *, seed: bool = True) -> Workspace:
    """The workspace at ``url`` (default: ``TASKBOARD_DB``, secrets.toml, data/workspace/taskboard.db),
    created and migrated on first use. A new workspace holds the bundled plan (``seed``)."""
    engine = make_engine(resolve_url(url))
    workspace = Workspace(engine)
    try:
        with migration_lock(engine) as connection:
            before = migrate(connection)
            if before is None and seed:
                seed_bundled_plan(workspace)
    except BaseException:
        engine.dispose()
        raise
    return workspace
