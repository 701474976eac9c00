"""The workspace's side of the views across plans: user links of agency names, per-plan digests,
and the latest reports of every plan in one query.

    links = AgencyLinks(ws)                      # also ws.agency_links
    links.link("浙江省", "浙江省经信委", "省经信厅", actor="王伟")    # one transaction
    links.unlink("浙江省", "浙江省经信委", actor="王伟")             # undo: the row is deleted
    portfolio = load_portfolio(ws)               # analysis.portfolio.load.Portfolio
    states = portfolio_statuses(ws, portfolio, dt.date(2021, 6, 30))

Digests (``analysis.portfolio.load.digest_of``) are built once per plan version from its kept
source (with the meetings' decisions applied, as the app shows the plan) and stored in
``plan_digests``: by ``Workspace.add_plan`` / ``add_version`` in the transaction that adds the
version (:func:`store_digest`), so the first portfolio visit after bulk additions builds none;
a digest missing (workspaces of before) or whose format or decisions are out of date is rebuilt
by :func:`plan_digests`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import orjson
import pandas as pd
from sqlalchemy import Connection, Select, Text, cast, delete, func, select
from sqlalchemy.exc import IntegrityError

from analysis.agencies import AgencyRegistry, load_registry, registry_applies
from analysis.columns import text_array
from analysis.portfolio.identity import Links, identity_region, normalise_name, target_key
from analysis.portfolio.load import DIGEST_FORMAT, Portfolio, assemble, digest_of, statuses
from analysis.progress import RagRule
from analysis.store import audit
from analysis.store.access import Account, Action, check
from analysis.store.accounts import resolve
from analysis.store.models import (
    AgencyLinkRow,
    LatestReportRow,
    MeetingDecisionRow,
    PlanDigestRow,
    PlanRow,
    PlanVersionRow,
    ProgressReportRow,
    utcnow,
)
from analysis.store.workspace import WorkspaceError, _report_counts
from analysis.vocab import Bilingual

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from analysis.model import Plan
    from analysis.store.workspace import Workspace

DIGEST_ACTOR: Final = "system"
NAME_LIMIT: Final = 200


@dataclass(frozen=True)
class AgencyLink:
    link_id: int
    region: str
    name: str
    agency: str
    created_at: dt.datetime
    created_by: str

    @classmethod
    def from_row(cls, row: AgencyLinkRow) -> AgencyLink:
        return cls(row.id, row.region, row.name, row.agency, row.created_at, row.created_by)


class AgencyLinks:
    """User links of unmatched agency names to an agency of the same region (undoable)."""

    def __init__(self, ws: Workspace, registry: AgencyRegistry | None = None) -> None:
        self.ws = ws
        self.registry = registry or load_registry()

    def list(self) -> list[AgencyLink]:
        with self.ws._sessions() as session:
            rows = session.scalars(select(AgencyLinkRow).order_by(AgencyLinkRow.id)).all()
            return [AgencyLink.from_row(r) for r in rows]

    def links(self) -> Links:
        """The links as ``analysis.portfolio.identity.Links``."""
        return Links.of((link.region, link.name, link.agency) for link in self.list())

    def link(self, region: str, name: str, agency: str, *, actor: str | Account) -> AgencyLink:
        """Link ``name`` as written in ``region``'s plans to ``agency`` of the same region (one
        transaction). Refused: an empty or too long name, a name that is registered already, a
        target that is the name itself, a target not registered where the registry applies, a
        name linked already (unlink it first). PermissionDenied unless ``actor`` coordinates the
        workspace; audited."""
        with self.ws._sessions() as session:
            check(resolve(session, actor), Action.LINK_AGENCIES)
        region = identity_region(region)
        written, target = str(name or "").strip(), str(agency or "").strip()
        if not written or not target:
            raise WorkspaceError(Bilingual("须写明单位名称和要关联的单位", "both the name and the agency to link it to are needed"))
        if len(written) > NAME_LIMIT or len(target) > NAME_LIMIT or len(region) > NAME_LIMIT:
            raise WorkspaceError(Bilingual("单位名称过长", "the agency name is too long"))
        applies = registry_applies(region)
        if applies and written in self.registry:
            raise WorkspaceError(Bilingual(
                f"“{written}”已在单位名录中（即“{self.registry.resolve(written)}”），无需关联",
                f"'{written}' is in the registry already (as '{self.registry.resolve(written)}'); no link needed",
            ))
        if applies and target not in self.registry:
            raise WorkspaceError(Bilingual(
                f"“{target}”不在单位名录中：{region or '本地区'}的名称只能关联到名录中的单位",
                f"'{target}' is not in the registry: names of {region or 'this region'} link to registered agencies only",
            ))
        key = normalise_name(written, region)
        if target_key(region, target, self.registry) == target_key(region, written, self.registry):
            raise WorkspaceError(Bilingual(f"“{written}”不能关联到它自己", f"'{written}' cannot be linked to itself"))
        stored = self.registry.resolve(target) if applies else target
        try:
            with self.ws._sessions.begin() as session:
                acting = resolve(session, actor)
                check(acting, Action.LINK_AGENCIES)
                row = AgencyLinkRow(region=region, name=key, agency=stored, created_at=utcnow(), created_by=acting.name)
                session.add(row)
                session.flush()
                link = AgencyLink.from_row(row)
                audit.append(session, acting.name, audit.AuditAction.AGENCY_LINK, object=f"{region}:{key}",
                             after={"region": region, "name": key, "agency": stored})
                return link
        except IntegrityError:
            raise WorkspaceError(Bilingual(
                f"“{written}”（{region or '未知地区'}）已有关联；请先撤销",
                f"'{written}' ({region or 'unknown region'}) is linked already; undo that link first",
            )) from None

    def unlink(self, region: str, name: str, *, actor: str | Account) -> None:
        """Undo the link of ``name`` in ``region`` (one transaction, audited); refused when there
        is none, or unless ``actor`` coordinates the workspace."""
        region = identity_region(region)
        key = normalise_name(str(name or "").strip(), region)
        with self.ws._sessions.begin() as session:
            acting = resolve(session, actor)
            check(acting, Action.LINK_AGENCIES)
            before = session.execute(select(AgencyLinkRow.agency).where(AgencyLinkRow.region == region,
                                                                        AgencyLinkRow.name == key)).scalar()
            deleted = session.execute(delete(AgencyLinkRow).where(AgencyLinkRow.region == region,
                                                                  AgencyLinkRow.name == key))
            if getattr(deleted, "rowcount", 0) != 1:
                raise WorkspaceError(Bilingual(f"“{name}”（{region or '未知地区'}）没有关联",
                                               f"'{name}' ({region or 'unknown region'}) has no link"))
            audit.append(session, acting.name, audit.AuditAction.AGENCY_UNLINK, object=f"{region}:{key}",
                         before={"region": region, "name": key, "agency": before})


# ------------------------------------------------------------------------------ digests


def _bundled_hash() -> str:
    import json

    from analysis.model import content_hash
    from analysis.store.workspace import BUNDLED_SEED

    meta = json.loads((BUNDLED_SEED / "plan.json").read_text(encoding="utf-8"))
    return content_hash((BUNDLED_SEED / str(meta["table"])).read_bytes())


def portfolio_plan(ws: Workspace, plan_id: int, version: int, content_hash: str,
                   bundled_hash: str | None = None) -> Plan:
    """A plan version as the app shows it: the bundled plan's own folder (themes, period) when
    the version is its table byte for byte, else rebuilt from the kept source; with the
    meetings' decisions applied."""
    from analysis.meetings import apply_decisions
    from analysis.model import load_bundled_plan
    from analysis.store.meetings import plan_decisions

    if content_hash == (bundled_hash if bundled_hash is not None else _bundled_hash()):
        plan = load_bundled_plan()
        with ws._sessions() as session:
            return apply_decisions(plan, plan_decisions(session, plan_id))
    return ws.load_plan(plan_id, version)


def store_digest(session: Session, plan_row: PlanRow, version_row: PlanVersionRow, plan: Plan) -> None:
    """Build the digest of a version just added and store it in the caller's transaction (flushed
    rows: ids known). ``plan``: the version as read from its source; the digest is what
    :func:`plan_digests` would build from it (the bundled plan's own folder for its table, the
    plan's meeting decisions applied, the title and region as stored)."""
    from analysis.meetings import apply_decisions
    from analysis.model import load_bundled_plan
    from analysis.store.meetings import plan_decisions

    if version_row.content_hash == _bundled_hash():
        plan = load_bundled_plan()
    mark = int(session.scalar(select(func.max(MeetingDecisionRow.id))
                              .where(MeetingDecisionRow.plan_id == plan_row.id)) or 0)
    if mark:
        plan = apply_decisions(plan, plan_decisions(session, plan_row.id))
    digest = digest_of(plan, region=plan_row.region, title=plan_row.title)
    session.add(PlanDigestRow(plan_id=plan_row.id, version=version_row.version, format=DIGEST_FORMAT,
                              decisions=mark, data=digest, built_at=utcnow()))
    session.flush()


def portfolio_marks(ws: Workspace) -> tuple[int, ...]:
    """What the portfolio depends on besides the plans' versions, in one small query: the agency
    links (count, highest id) and the highest meeting decision. The app keys its cached portfolio
    by these (``dashboard.state``), read on every rerun of the 跨计划 page."""
    query = select(
        select(func.count(AgencyLinkRow.id)).scalar_subquery(), select(func.max(AgencyLinkRow.id)).scalar_subquery(),
        select(func.max(MeetingDecisionRow.id)).scalar_subquery(),
    )
    with ws.engine.connect() as connection:
        row = connection.execute(query).one()
    return tuple(int(v or 0) for v in row)


def _decision_marks(ws: Workspace) -> dict[int, int]:
    with ws._sessions() as session:
        rows = session.execute(select(MeetingDecisionRow.plan_id, func.max(MeetingDecisionRow.id))
                               .group_by(MeetingDecisionRow.plan_id))
        return {int(p): int(m or 0) for p, m in rows}


def plan_digests(ws: Workspace, *, build: Callable[[int, int, str], Plan] | None = None,
                 log: Callable[[str], None] | None = None) -> list[tuple[int, int, dict[str, Any]]]:
    """``(plan_id, version, digest)`` of every plan's latest version, oldest plan first; digests
    missing or out of date are built (``build``: the plan model, default :func:`portfolio_plan`)
    and stored, each in its own transaction (a digest another process stored meanwhile is kept)."""
    infos = ws.list_plans()
    marks = _decision_marks(ws)
    with ws._sessions() as session:
        # The JSON as text, decoded by orjson (3x the standard library's speed on 1 000 digests),
        # and only that of the current format.
        rows = session.execute(select(PlanDigestRow.plan_id, PlanDigestRow.version, PlanDigestRow.format,
                                      PlanDigestRow.decisions, cast(PlanDigestRow.data, Text)))
        stored = {(int(p), int(v)): (int(f), int(d), orjson.loads(data) if int(f) == DIGEST_FORMAT else None)
                  for p, v, f, d, data in rows}
    bundled = _bundled_hash()
    result: list[tuple[int, int, dict[str, Any]]] = []
    for info in infos:
        mark = marks.get(info.plan_id, 0)
        found = stored.get((info.plan_id, info.version))
        if found is not None and found[0] == DIGEST_FORMAT and found[1] == mark and found[2] is not None:
            result.append((info.plan_id, info.version, found[2]))
            continue
        plan = (build or (lambda p, v, h: portfolio_plan(ws, p, v, h, bundled)))(
            info.plan_id, info.version, info.content_hash)
        digest = digest_of(plan, region=info.region, title=info.title)
        if log is not None:
            log(f"digest of plan {info.plan_id} v{info.version}")
        try:
            with ws._sessions.begin() as session:
                session.execute(delete(PlanDigestRow).where(PlanDigestRow.plan_id == info.plan_id,
                                                            PlanDigestRow.version == info.version))
                session.add(PlanDigestRow(plan_id=info.plan_id, version=info.version, format=DIGEST_FORMAT,
                                          decisions=mark, data=digest, built_at=utcnow()))
        except IntegrityError:
            pass  # another process stored it (or the plan was removed) meanwhile: ours is as good
        result.append((info.plan_id, info.version, digest))
    return result


def load_portfolio(ws: Workspace, registry: AgencyRegistry | None = None) -> Portfolio:
    """Every plan's latest version as a :class:`Portfolio`, with the workspace's links."""
    registry = registry or load_registry()
    return assemble(plan_digests(ws), AgencyLinks(ws, registry).links(), registry)


# ------------------------------------------------------------------------------ reports


LATEST_COLUMNS: Final = ["plan_id", "task_id", "report_id", "version", "status", "period", "as_of"]


def latest_query(as_of: dt.date | None = None, plan_ids: Sequence[int] | None = None, *,
                 bare_max: bool = False) -> Select[*tuple[Any, ...]]:
    """The query of :func:`latest_reports`: ``LATEST_COLUMNS`` of each task's report of the
    highest ``seq`` (up to ``as_of``). ``bare_max``: SQLite's form — SQLite documents that the
    bare columns of an aggregate query with one max() come from the row holding the maximum
    (``seq`` is unique per task): one scan of the index instead of a join (4x less time on a
    million reports); other databases join on the maxima."""
    columns = (ProgressReportRow.plan_id, ProgressReportRow.task_key, ProgressReportRow.id, ProgressReportRow.version,
               ProgressReportRow.status, ProgressReportRow.period, ProgressReportRow.as_of)
    inner = select(ProgressReportRow.plan_id, ProgressReportRow.task_key, func.max(ProgressReportRow.seq).label("seq"))
    if as_of is not None:
        inner = inner.where(ProgressReportRow.as_of <= as_of)
    if plan_ids is not None:
        inner = inner.where(ProgressReportRow.plan_id.in_(list(plan_ids)))
    if bare_max:
        return inner.with_only_columns(*columns, func.max(ProgressReportRow.seq)).group_by(
            ProgressReportRow.plan_id, ProgressReportRow.task_key)
    latest = inner.group_by(ProgressReportRow.plan_id, ProgressReportRow.task_key).subquery()
    return select(*columns).join(
        latest, (ProgressReportRow.plan_id == latest.c.plan_id)
        & (ProgressReportRow.task_key == latest.c.task_key) & (ProgressReportRow.seq == latest.c.seq))


def stored_latest_query(plan_ids: Sequence[int] | None = None) -> Select[*tuple[Any, ...]]:
    """``LATEST_COLUMNS`` of each task's report of the highest ``seq`` as the ``latest_reports``
    table keeps it (one row per task: 10x fewer rows than :func:`latest_query` scans), in
    (plan, task) order."""
    query = select(LatestReportRow.plan_id, LatestReportRow.task_key, LatestReportRow.report_id,
                   LatestReportRow.version, LatestReportRow.status, LatestReportRow.period, LatestReportRow.as_of)
    if plan_ids is not None:
        query = query.where(LatestReportRow.plan_id.in_(list(plan_ids)))
    return query.order_by(LatestReportRow.plan_id, LatestReportRow.task_key)


def _latest_rows(connection: Connection, as_of: dt.date | None,
                 plan_ids: Sequence[int] | None) -> tuple[Sequence[Sequence[Any]], dict[Any, dt.date]]:
    """The rows of :func:`latest_query`, read from the ``latest_reports`` table, and the date of
    each ``as_of`` value in them (as the driver gives it). A task's latest report is its latest up
    to ``as_of`` unless it is dated after ``as_of``; only those tasks' reports are read again (up
    to ``as_of``, from their plans' reports)."""
    # Through the driver's own cursor: SQLAlchemy's Row objects and its date conversion of every
    # row cost twice the query itself (100 000 rows); the few distinct dates are converted here.
    # The SQL holds no user text (plan ids are integers).
    sql = str(stored_latest_query(None if plan_ids is None else [int(p) for p in plan_ids])
              .compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    days = {value: _day(value) for value in {r[6] for r in rows}}
    if as_of is None:
        return rows, days
    later = {(r[0], r[1]) for r in rows if days[r[6]] > as_of}
    if not later:
        return rows, days
    kept = [tuple(r) for r in rows if (r[0], r[1]) not in later]
    query = latest_query(as_of, sorted({p for p, _ in later}), bare_max=connection.dialect.name == "sqlite")
    again = [tuple(r)[:len(LATEST_COLUMNS)] for r in connection.execute(query) if (r[0], r[1]) in later]
    days.update((r[6], r[6]) for r in again)
    return sorted(kept + again, key=lambda r: (r[0], r[1])), days


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def latest_reports(ws: Workspace, as_of: dt.date | None = None,
                   plan_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """The current report of every task of every plan's latest version (``LATEST_COLUMNS``), in
    one query: the same reports ``Workspace.latest_reports`` gives plan by plan (a report of an
    earlier version counts when its task was carried over to every later version). Read from
    the ``latest_reports`` table (one row per task)."""
    counts = select(PlanVersionRow.plan_id, func.max(PlanVersionRow.version)).group_by(PlanVersionRow.plan_id)
    with ws.engine.connect() as connection:
        rows, days = _latest_rows(connection, as_of, plan_ids)
        # Whole columns from the rows, typed as inference would type them (DataFrame.from_records
        # probes every Row object and infers every column: 5x slower).
        if rows:
            c_plan, c_task, c_report, c_version, c_status, c_period, c_as_of = zip(*rows, strict=True)
            frame = pd.DataFrame({
                "plan_id": np.array(c_plan, dtype="int64"), "task_id": text_array(c_task),
                "report_id": np.array(c_report, dtype="int64"), "version": np.array(c_version, dtype="int64"),
                "status": text_array(c_status), "period": text_array(c_period),
                "as_of": np.array([days[d] for d in c_as_of], dtype=object),
            }, columns=LATEST_COLUMNS)
        else:
            frame = pd.DataFrame.from_records([], columns=LATEST_COLUMNS)
        current = {int(p): int(v) for p, v in connection.execute(counts)}
        several = sorted(p for p, v in current.items() if v > 1)
        carried: dict[int, dict[int, frozenset[str]]] = {}
        keys: dict[int, frozenset[str]] = {}
        if several:
            versions = select(PlanVersionRow.plan_id, PlanVersionRow.version, PlanVersionRow.carried,
                              PlanVersionRow.task_keys).where(PlanVersionRow.plan_id.in_(several))
            for plan_id, version, carry, task_keys in connection.execute(versions):
                carried.setdefault(int(plan_id), {})[int(version)] = frozenset(carry or ())
                if int(version) == current[int(plan_id)]:
                    keys[int(plan_id)] = frozenset(task_keys or ())
    if frame.empty:
        return frame
    # A plan of one version: every report was checked against its tasks when it was saved.
    plan_column = frame["plan_id"].astype("int64")
    keep = ~plan_column.isin(several).to_numpy()
    if several:
        for position in np.flatnonzero(~keep):
            plan_id = int(plan_column.iloc[position])
            key, version = str(frame["task_id"].iloc[position]), int(frame["version"].iloc[position])
            keep[position] = key in keys.get(plan_id, frozenset()) and _report_counts(
                key, version, current[plan_id], carried.get(plan_id, {}))
    return frame.loc[keep].reset_index(drop=True)


def rag_rules(ws: Workspace) -> dict[int, RagRule]:
    """Each plan's red/amber/green rule."""
    with ws._sessions() as session:
        return {int(p): RagRule.from_dict((s or {}).get("rag")) for p, s in session.execute(select(PlanRow.id, PlanRow.settings))}


def portfolio_statuses(ws: Workspace, portfolio: Portfolio, reference: dt.date,
                       rules: Mapping[int, RagRule] | None = None) -> pd.DataFrame:
    """``analysis.portfolio.load.statuses`` of every task on ``reference``, from the workspace."""
    return statuses(portfolio, latest_reports(ws, reference), reference, rules if rules is not None else rag_rules(ws))
