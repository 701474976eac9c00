"""The portfolio: every plan of the workspace as tidy frames with ``plan_id``, built from
per-plan digests (never from 1 000 rebuilt models on each call).

Definitions
-----------
* A **digest** (:func:`digest_of`) is what the views across plans read of one plan version:
  its title, region, period and themes, its tasks (id, theme, deadline, deadline kind, text)
  and its tidy assignments (task × agency × role) with each agency's registered flag and type.
  It is plain JSON (columns as lists), stored per (plan, version) by
  ``analysis.store.portfolio`` and cached in memory by the app per (plan_id, version).
* The **portfolio** (:class:`Portfolio`, :func:`assemble`) concatenates the digests of the
  latest version of every plan: ``plans`` (one row per plan), ``tasks`` (one row per plan ×
  task) and ``assignments`` (one row per plan × task × agency × role) with the agency's key
  across plans (``key_region``, ``key_name``, ``key``; see ``analysis.portfolio.identity``).
* **Statuses** (:func:`statuses`) are ``analysis.progress.task_rag`` of every task from the
  latest reports of every plan (each plan's own rule), the same colours as
  ``Workspace.task_status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

import numpy as np
import pandas as pd

from analysis.agencies import AgencyRegistry
from analysis.columns import text_array
from analysis.portfolio.identity import NO_LINKS, AgencyKey, Links, key_columns
from analysis.progress import RagReason, RagRule, period_of
from analysis.vocab import ProgressStatus, Rag, Role

#: Bumped when the digest's content changes: stored digests of another format are rebuilt.
DIGEST_FORMAT: Final = 1

PLAN_COLUMNS: Final = ["plan_id", "version", "title", "region", "period_start", "period_end", "tasks"]
TASK_COLUMNS: Final = ["plan_id", "task_id", "theme", "deadline", "deadline_kind", "ongoing", "text"]
ASSIGNMENT_COLUMNS: Final = [
    "plan_id", "task_id", "agency", "role", "registered", "type", "key_region", "key_name", "key",
]
STATUS_COLUMNS: Final = ["plan_id", "task_id", "status", "rag", "reason", "late", "done"]
_SEP: Final = "\x1f"


def digest_of(plan: Any, *, region: str = "", title: str = "") -> dict[str, Any]:
    """The digest of a plan model (``analysis.model.Plan``); ``region``, ``title``: as stored with
    the plan in the workspace (else the plan's own). Plain JSON: lists and strings."""
    tasks, assignments, agencies = plan.tasks, plan.assignments, plan.agencies
    meta = plan.meta
    return {
        "format": DIGEST_FORMAT,
        "title": title or meta.title,
        "region": region or meta.region,
        "period": [meta.period_start.isoformat(), meta.period_end.isoformat()],
        "themes": [str(t) for t in plan.themes["theme"]],
        "tasks": {
            "task_id": [str(t) for t in tasks["task_id"]],
            "theme": [str(t) for t in tasks["theme"]],
            "deadline": [None if pd.isna(d) else pd.Timestamp(d).date().isoformat() for d in tasks["deadline"]],
            "deadline_kind": [str(k) for k in tasks["deadline_kind"]],
            "ongoing": [bool(o) for o in tasks["ongoing"]],
            "text": [str(t) for t in tasks["text"]],
        },
        "assignments": {
            "task_id": [str(t) for t in assignments["task_id"]],
            "agency": [str(a) for a in assignments["agency"]],
            "role": [str(r) for r in assignments["role"]],
        },
        "agencies": {
            "agency": [str(a) for a in agencies["agency"]],
            "registered": [bool(r) for r in agencies["registered"]],
            "type": [str(t) for t in agencies["type"]],
        },
    }


@dataclass(frozen=True)
class Portfolio:
    """Every plan's latest version, tidy (see the module docstring). Read-only by contract."""

    plans: pd.DataFrame
    tasks: pd.DataFrame
    assignments: pd.DataFrame
    themes: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    #: A scoped portfolio's tasks as rows of the whole portfolio's tasks (None: the whole portfolio).
    task_rows: np.ndarray | None = None

    @property
    def regions(self) -> list[str]:
        """Regions of the plans, most plans first (ties by name)."""
        counts = self.plans["region"].value_counts()
        return sorted(counts.index, key=lambda r: (-int(counts[r]), str(r)))

    def keys(self) -> list[AgencyKey]:
        """Every agency with an assignment in the portfolio, in order of first appearance."""
        return [AgencyKey.from_text(k) for k in self.codes.keys if k in self.codes.by_key]

    @cached_property
    def codes(self) -> Codes:
        """Integer codes of the assignments (built once per portfolio; see :class:`Codes`)."""
        return Codes.of(self)

    def names_written(self, key: AgencyKey) -> list[str]:
        """The names as written in the plans for one agency (most frequent first)."""
        rows = self.assignments.loc[(self.assignments["key_region"] == key.region)
                                    & (self.assignments["key_name"] == key.name), "agency"]
        return [str(n) for n in rows.value_counts().index]

    def title(self, plan_id: int) -> str:
        rows = self.plans.loc[self.plans["plan_id"] == plan_id, "title"]
        return str(rows.iloc[0]) if len(rows) else str(plan_id)


def task_ids(plan_ids: pd.Series, task_ids: pd.Series) -> pd.Series:
    """One string per plan × task (``plan_id`` and ``task_id`` joined by a separator)."""
    return plan_ids.astype(str) + _SEP + task_ids.astype(str)


@dataclass(frozen=True)
class Codes:
    """The portfolio's assignments as integer arrays, for the views that run on every rerun:
    ``key`` (code of the agency key; ``keys`` names them), ``task`` (the row of the task in
    ``Portfolio.tasks``), ``plan`` (plan_id), ``lead`` (role is lead); and the rows of each
    agency (``by_key``) and of each task (``by_task``)."""

    keys: tuple[str, ...]
    key: np.ndarray
    task: np.ndarray
    plan: np.ndarray
    lead: np.ndarray
    by_key: Mapping[str, np.ndarray]
    by_task: Mapping[int, np.ndarray]

    @classmethod
    def of(cls, portfolio: Portfolio) -> Codes:
        rows, tasks = portfolio.assignments, portfolio.tasks
        key_codes, keys = pd.factorize(rows["key"], sort=False)
        position = pd.Series(np.arange(len(tasks)), index=task_ids(tasks["plan_id"], tasks["task_id"]))
        task = position.reindex(task_ids(rows["plan_id"], rows["task_id"])).fillna(-1).to_numpy(dtype="int64")
        return cls.of_arrays(tuple(str(k) for k in keys), key_codes.astype("int64"), task,
                             rows["plan_id"].to_numpy(dtype="int64"), (rows["role"] == Role.LEAD.value).to_numpy())

    @classmethod
    def of_arrays(cls, keys: tuple[str, ...], key: np.ndarray, task: np.ndarray, plan: np.ndarray,
                  lead: np.ndarray) -> Codes:
        return cls(keys, key, task, plan, lead, Groups(key, keys), Groups(task))

    def subset(self, rows: np.ndarray, task_keep: np.ndarray) -> Codes:
        """The codes of the assignment rows ``rows`` when only the tasks ``task_keep`` (a mask
        over the tasks) are kept: task positions renumbered, the key codes kept."""
        renumber = np.cumsum(task_keep) - 1
        return Codes.of_arrays(self.keys, self.key[rows], renumber[self.task[rows]], self.plan[rows], self.lead[rows])

    def once_per_task(self, rows: np.ndarray) -> np.ndarray:
        """Of the assignment rows ``rows``, one per (task, agency): the lead row where there is one."""
        if not len(rows):
            return rows
        ordered = rows[np.argsort(~self.lead[rows], kind="stable")]  # lead rows first
        pair = self.task[ordered] * (len(self.keys) + 1) + self.key[ordered]
        _, first = np.unique(pair, return_index=True)
        return np.sort(ordered[first])


class Groups(Mapping[Any, np.ndarray]):
    """The rows of each value of an integer array (ascending values; rows in order), as a read-only
    mapping ``value → rows``, or ``names[value] → rows`` when ``names`` is given. One stable
    sort; each group is a slice of it, made when asked for (splitting 100 000 tasks' groups into
    arrays up front cost a second on every cold start)."""

    def __init__(self, values: np.ndarray, names: Sequence[str] | None = None) -> None:
        values = np.asarray(values, dtype="int64")
        self._order = np.argsort(values, kind="stable")
        ordered = values[self._order]
        bounds = np.flatnonzero(np.diff(ordered)) + 1
        self._starts = np.concatenate([[0], bounds]).astype("int64") if len(values) else np.empty(0, dtype="int64")
        self._ends = np.concatenate([bounds, [len(values)]]).astype("int64") if len(values) else self._starts
        present = ordered[self._starts].tolist()
        labels: list[Any] = [names[v] for v in present] if names is not None else present
        self._at: dict[Any, int] = dict(zip(labels, range(len(labels)), strict=True))

    def __getitem__(self, label: Any) -> np.ndarray:
        at = self._at[label]
        return self._order[self._starts[at]:self._ends[at]]

    def __contains__(self, label: object) -> bool:
        return label in self._at

    def __iter__(self) -> Iterator[Any]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


def assemble(digests: Iterable[tuple[int, int, Mapping[str, Any]]], links: Links = NO_LINKS,
             registry: AgencyRegistry | None = None) -> Portfolio:
    """The portfolio of ``(plan_id, version, digest)`` (one per plan), with user ``links``.

    Columns are gathered as Python lists and made into one frame each (no per-plan frames).
    """
    plan_rows: list[tuple[Any, ...]] = []
    task_cols: dict[str, list[Any]] = {c: [] for c in TASK_COLUMNS}
    assign_cols: dict[str, list[Any]] = {c: [] for c in ("plan_id", "task_id", "agency", "role", "registered", "type")}
    task_rows: list[int | None] = []  # each assignment's row in the tasks frame (None: not found)
    themes: dict[int, tuple[str, ...]] = {}
    regions: dict[int, str] = {}
    for plan_id, version, digest in digests:
        tasks, assignments, agencies = digest["tasks"], digest["assignments"], digest["agencies"]
        start, end = (dt.date.fromisoformat(d) for d in digest["period"])
        plan_rows.append((plan_id, version, digest["title"], digest["region"], start, end, len(tasks["task_id"])))
        regions[plan_id] = str(digest["region"])
        themes[plan_id] = tuple(digest["themes"])
        n = len(tasks["task_id"])
        offset = len(task_cols["plan_id"])
        # Lookups by map() over whole columns (None where missing, filled below): no Python loop per row.
        where = dict(zip(map(str, tasks["task_id"]), range(offset, offset + n), strict=True))
        task_rows.extend(map(where.get, map(str, assignments["task_id"])))
        task_cols["plan_id"].extend([plan_id] * n)
        for column in TASK_COLUMNS[1:]:
            task_cols[column].extend(tasks[column])
        registered = dict(zip(agencies["agency"], agencies["registered"], strict=True))
        kinds = dict(zip(agencies["agency"], agencies["type"], strict=True))
        m = len(assignments["task_id"])
        assign_cols["plan_id"].extend([plan_id] * m)
        assign_cols["task_id"].extend(assignments["task_id"])
        assign_cols["agency"].extend(assignments["agency"])
        assign_cols["role"].extend(assignments["role"])
        assign_cols["registered"].extend(map(registered.get, assignments["agency"]))
        assign_cols["type"].extend(map(kinds.get, assignments["agency"]))
    # A name missing from its plan's agencies: not registered, of unknown type; a task missing: row -1.
    assign_cols["registered"] = np.array(assign_cols["registered"], dtype=object).astype(bool).tolist()
    kind_values = np.array(assign_cols["type"], dtype=object)
    kind_values[pd.isna(kind_values)] = "unknown"
    assign_cols["type"] = kind_values.tolist()
    found_rows = np.array(task_rows, dtype="float64")
    task_rows_array = np.where(np.isnan(found_rows), -1, found_rows).astype("int64")
    plans = pd.DataFrame.from_records(plan_rows, columns=PLAN_COLUMNS)
    plans["plan_id"] = plans["plan_id"].astype("int64")
    for column in ("task_id", "theme", "deadline_kind", "text"):
        task_cols[column] = text_array(task_cols[column])
    for column in ("task_id", "agency", "role", "type"):
        assign_cols[column] = text_array(assign_cols[column])
    tasks_frame = pd.DataFrame(task_cols, columns=TASK_COLUMNS)
    tasks_frame["plan_id"] = tasks_frame["plan_id"].astype("int64")
    tasks_frame["deadline"] = pd.to_datetime(tasks_frame["deadline"])
    assignments_frame = pd.DataFrame(assign_cols)
    assignments_frame["plan_id"] = assignments_frame["plan_id"].astype("int64")
    keys = key_columns(assignments_frame, regions, assignments_frame["registered"], links, registry, with_key=True)
    assignments_frame = pd.concat([assignments_frame, keys], axis=1)
    portfolio = Portfolio(plans, tasks_frame, assignments_frame[ASSIGNMENT_COLUMNS], themes)
    key_codes, keys = pd.factorize(assignments_frame["key"], sort=False)
    portfolio.__dict__["codes"] = Codes.of_arrays(  # the cached property, from what was read here
        tuple(str(k) for k in keys), key_codes.astype("int64"), task_rows_array,
        assignments_frame["plan_id"].to_numpy(dtype="int64"),
        (assignments_frame["role"] == Role.LEAD.value).to_numpy())
    return portfolio


def statuses(portfolio: Portfolio, reports: pd.DataFrame, reference: dt.date,
             rules: Mapping[int, RagRule] | None = None) -> pd.DataFrame:
    """Every task's status and colour on ``reference`` (``STATUS_COLUMNS``), one row per row of
    ``portfolio.tasks``, in that order.

    ``reports``: the latest report of each task (``plan_id``, ``task_id``, ``status``,
    ``period``; as ``analysis.store.portfolio.latest_reports`` gives them); ``rules``: each
    plan's red/amber/green rule (default rule otherwise). The colours are
    ``analysis.progress.task_rag``'s rule, applied to whole columns at once (the tests check
    them against ``Workspace.task_status`` plan by plan). ``late``: red because past its
    deadline and not done, or reported delayed; ``done``: reported done.
    """
    rules = rules or {}
    tasks = portfolio.tasks
    if tasks.empty:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    # A task without an explicit deadline runs to its plan's end (as everywhere in the dashboard).
    ends = portfolio.plans.set_index("plan_id")["period_end"]
    deadline = tasks["deadline"].where(tasks["deadline"].notna(), pd.to_datetime(tasks["plan_id"].map(ends)))
    days = ((deadline - pd.Timestamp(reference)).dt.days).to_numpy()
    if len(reports):
        found = pd.Series(np.arange(len(reports)), index=task_ids(reports["plan_id"], reports["task_id"]))
        at = found.reindex(task_ids(tasks["plan_id"], tasks["task_id"])).to_numpy()
        has = ~np.isnan(at)
        pick = np.where(has, at, 0).astype("int64")
        status = np.where(has, reports["status"].astype(str).to_numpy()[pick], str(ProgressStatus.NOT_STARTED))
        period = np.where(has, reports["period"].fillna("").astype(str).to_numpy()[pick], "")
    else:
        status = np.full(len(tasks), str(ProgressStatus.NOT_STARTED), dtype=object)
        period = np.full(len(tasks), "", dtype=object)
    plan_rules = [rules.get(int(p), RagRule()) for p in portfolio.plans["plan_id"]]
    rule_of_plan = dict(zip(portfolio.plans["plan_id"].astype(int), plan_rules, strict=True))
    rag = np.empty(len(tasks), dtype=object)
    reason = np.empty(len(tasks), dtype=object)
    plan_column = tasks["plan_id"].to_numpy()
    for rule in dict.fromkeys(plan_rules):
        mine = np.isin(plan_column, [p for p, r in rule_of_plan.items() if r == rule])
        current = period_of(reference, rule.period_kind)
        no_report = (period != current) if rule.require_current_report else np.zeros(len(tasks), dtype=bool)
        conditions = [status == str(ProgressStatus.DONE), status == str(ProgressStatus.DELAYED),
                      status == str(ProgressStatus.SUSPENDED), days < 0, days <= rule.due_window_days, no_report]
        rag[mine] = np.select(conditions, [str(Rag.GREEN), str(Rag.RED), str(rule.suspended), str(Rag.RED),
                                           str(Rag.AMBER), str(Rag.AMBER)], str(Rag.GREEN))[mine]
        reason[mine] = np.select(conditions, [str(RagReason.DONE), str(RagReason.DELAYED), str(RagReason.SUSPENDED),
                                              str(RagReason.OVERDUE), str(RagReason.DUE_SOON),
                                              str(RagReason.NO_CURRENT_REPORT)], str(RagReason.ON_TRACK))[mine]
    frame = pd.DataFrame({"plan_id": plan_column, "task_id": tasks["task_id"].to_numpy(),
                          "status": status.astype(object), "rag": rag, "reason": reason})
    frame["late"] = frame["reason"].isin([str(RagReason.OVERDUE), str(RagReason.DELAYED)])
    frame["done"] = frame["status"] == str(ProgressStatus.DONE)
    return frame[STATUS_COLUMNS]


def role_counts(assignments: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Tasks led and supported, grouped ``by`` columns: ``lead``, ``support`` (ints)."""
    counts = assignments.groupby([*by, "role"]).size().unstack(fill_value=0)
    for role in (Role.LEAD.value, Role.SUPPORT.value):
        if role not in counts.columns:
            counts[role] = 0
    counts = counts[[Role.LEAD.value, Role.SUPPORT.value]].astype("int64").reset_index()
    counts.columns.name = None
    return counts
