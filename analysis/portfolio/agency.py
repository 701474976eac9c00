"""One agency across every plan of the workspace.

Definitions
-----------
* The agency is an ``AgencyKey`` (``analysis.portfolio.identity``): every name the plans wrote
  that resolves to it counts.
* A task counts **once per agency**: when two names of one agency are written on the same task
  (after aliases and links), the lead role wins.
* **Led / supported** per plan: tasks where the agency is a lead / a supporting unit.
* **Due in the next quarter**: tasks of the agency (either role) whose deadline falls on the
  reference date or in the three calendar months after it (:func:`quarter_end`), not reported
  done; tasks without an explicit deadline (due at the plan's end) included, as everywhere.
* **Warnings**: the agency's tasks coloured red or amber on the reference date
  (``analysis.portfolio.load.statuses``, each plan's rule).
* **Partners**: other agencies on the same tasks, in any plan: shared tasks and in how many plans.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from analysis.portfolio.identity import AgencyKey
from analysis.portfolio.load import Portfolio, role_counts
from analysis.vocab import Rag, Role

PLAN_COLUMNS: Final = ["plan_id", "title", "region", "lead", "support", "tasks"]
TASK_COLUMNS: Final = ["plan_id", "title", "task_id", "text", "role", "deadline", "status", "rag", "reason"]
PARTNER_COLUMNS: Final = ["partner", "region", "name", "shared_tasks", "plans"]


def quarter_end(reference: dt.date) -> dt.date:
    """The last day of the window "the next quarter": three calendar months after ``reference``
    (2021-11-30 → 2022-02-28)."""
    total = reference.month - 1 + 3
    year, month = reference.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(reference.day, calendar.monthrange(year, month)[1]))


def agency_rows(portfolio: Portfolio, key: AgencyKey) -> np.ndarray:
    """Positions (in ``portfolio.assignments``) of the agency's assignments, one per plan × task
    (lead wins over support), in table order."""
    codes = portfolio.codes
    return codes.once_per_task(codes.by_key.get(key.as_text(), np.empty(0, dtype="int64")))


def agency_tasks(portfolio: Portfolio, key: AgencyKey) -> pd.DataFrame:
    """The agency's assignments, one row per plan × task (lead wins over support)."""
    return portfolio.assignments.iloc[agency_rows(portfolio, key)]


@dataclass(frozen=True)
class AgencyView:
    """An agency's page across plans (see the module docstring)."""

    key: AgencyKey
    names: tuple[str, ...]  # as written in the plans, most frequent first
    plans: pd.DataFrame  # PLAN_COLUMNS, most tasks first
    due: pd.DataFrame  # TASK_COLUMNS, by deadline
    warnings: pd.DataFrame  # TASK_COLUMNS, red first, then by deadline
    partners: pd.DataFrame  # PARTNER_COLUMNS, most shared tasks first
    reference: dt.date
    due_until: dt.date
    tasks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TASK_COLUMNS))
    # every task of the agency (TASK_COLUMNS), by plan (most tasks first) and table order: the meeting pack's tables

    @property
    def lead(self) -> int:
        return int(self.plans["lead"].sum())

    @property
    def support(self) -> int:
        return int(self.plans["support"].sum())

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``python -m analysis agency NAME --json``."""
        return {
            "agency": self.key.name,
            "region": self.key.region,
            "lead": self.lead,
            "support": self.support,
            "names": list(self.names),
            "plans": [
                {"plan_id": int(r.plan_id), "title": str(r.title), "lead": int(r.lead), "support": int(r.support)}
                for r in self.plans.sort_values("plan_id").itertuples(index=False)
            ],
            "reference": self.reference.isoformat(),
            "due_until": self.due_until.isoformat(),
            "due": [_task_json(r) for r in self.due.to_dict("records")],
            "warnings": [_task_json(r) for r in self.warnings.to_dict("records")],
            "partners": [
                {"agency": str(r["name"]), "region": str(r["region"]), "shared_tasks": int(r["shared_tasks"]),
                 "plans": int(r["plans"])}
                for r in self.partners.to_dict("records")
            ],
        }


def _task_json(row: dict[str, Any]) -> dict[str, Any]:
    deadline = row["deadline"]
    return {"plan_id": int(row["plan_id"]), "task_id": str(row["task_id"]), "role": str(row["role"]),
            "deadline": None if pd.isna(deadline) else pd.Timestamp(deadline).date().isoformat(),
            "status": str(row["status"]), "rag": str(row["rag"])}


def agency_view(portfolio: Portfolio, key: AgencyKey, reference: dt.date,
                statuses: pd.DataFrame | None = None) -> AgencyView:
    """The agency's tasks per plan, what falls due, its warnings and partners on ``reference``.

    ``statuses``: ``analysis.portfolio.load.statuses`` (without: every task counts as not
    started, and no warning is shown).
    """
    codes = portfolio.codes
    rows = agency_rows(portfolio, key)
    mine = portfolio.assignments.iloc[rows]
    counts = role_counts(mine, ["plan_id"])
    plans = portfolio.plans[["plan_id", "title", "region"]].merge(counts, on="plan_id", how="inner")
    plans["tasks"] = plans[Role.LEAD.value] + plans[Role.SUPPORT.value]
    plans = plans.sort_values(["tasks", "plan_id"], ascending=[False, True], kind="stable")[PLAN_COLUMNS]

    positions = codes.task[rows]
    tasks = portfolio.tasks.iloc[positions][["plan_id", "task_id", "text", "deadline"]].reset_index(drop=True)
    tasks["role"] = mine["role"].to_numpy()
    titles = portfolio.plans.set_index("plan_id")
    tasks["title"] = tasks["plan_id"].map(titles["title"])
    ends = pd.to_datetime(tasks["plan_id"].map(titles["period_end"]))
    tasks["deadline"] = tasks["deadline"].where(tasks["deadline"].notna(), ends)
    if statuses is not None and len(statuses) == len(portfolio.tasks):  # one row per task, in order
        chosen = statuses.iloc[positions]
        for column in ("status", "rag", "reason"):
            tasks[column] = chosen[column].to_numpy()
    elif statuses is not None and len(statuses):
        tasks = tasks.merge(statuses[["plan_id", "task_id", "status", "rag", "reason"]], on=["plan_id", "task_id"],
                            how="left")
    else:
        tasks = tasks.assign(status=None, rag=None, reason=None)
    tasks["status"] = tasks["status"].fillna("not_started")
    tasks["rag"] = tasks["rag"].fillna("")
    tasks["reason"] = tasks["reason"].fillna("")
    until = quarter_end(reference)
    start, end = pd.Timestamp(reference), pd.Timestamp(until)
    due = tasks.loc[(tasks["deadline"] >= start) & (tasks["deadline"] <= end) & (tasks["status"] != "done")]
    due = due.sort_values(["deadline", "plan_id"], kind="stable")[TASK_COLUMNS].reset_index(drop=True)
    warned = tasks.loc[tasks["rag"].isin([Rag.RED.value, Rag.AMBER.value])].copy()
    warned["_order"] = (warned["rag"] != Rag.RED.value).astype(int)
    warnings = warned.sort_values(["_order", "deadline", "plan_id"], kind="stable")[TASK_COLUMNS].reset_index(drop=True)

    order = {int(p): i for i, p in enumerate(plans["plan_id"])}
    tasks["_order"] = tasks["plan_id"].map(order)
    every = tasks.sort_values("_order", kind="stable")[TASK_COLUMNS].reset_index(drop=True)
    partners = _partners(portfolio, key, rows)
    return AgencyView(key, tuple(portfolio.names_written(key)), plans.reset_index(drop=True), due, warnings,
                      partners, reference, until, every)


def _partners(portfolio: Portfolio, key: AgencyKey, rows: np.ndarray) -> pd.DataFrame:
    codes = portfolio.codes
    tasks = np.unique(codes.task[rows])
    if not len(tasks):
        return pd.DataFrame(columns=PARTNER_COLUMNS)
    shared = codes.once_per_task(np.concatenate([codes.by_task[int(t)] for t in tasks]))
    own = codes.keys.index(key.as_text()) if key.as_text() in codes.by_key else -1
    shared = shared[codes.key[shared] != own]
    if not len(shared):
        return pd.DataFrame(columns=PARTNER_COLUMNS)
    frame = pd.DataFrame({"k": codes.key[shared], "plan": codes.plan[shared]})
    grouped = frame.groupby("k").agg(shared_tasks=("plan", "size"), plans=("plan", "nunique")).reset_index()
    names = [codes.keys[k] for k in grouped["k"]]
    grouped["partner"] = names
    grouped["region"] = [AgencyKey.from_text(n).region for n in names]
    grouped["name"] = [AgencyKey.from_text(n).name for n in names]
    grouped = grouped.sort_values(["shared_tasks", "plans", "partner"], ascending=[False, False, True], kind="stable")
    return grouped[PARTNER_COLUMNS].reset_index(drop=True)
