"""The audit trail: every change to the workspace (who, when, what, before and after), append-only.

Rows are added by the store in the transaction of the write they describe (the write and its
audit row are saved together, or neither); a database trigger refuses UPDATE and DELETE on the
table (migration ``0003_accounts_audit``), so no role and no API edits it.

    ws.audit(plan_id=1)          # [AuditEntry], oldest first
    entry.record()               # {"id", "at", "actor", "action", "plan_id", "object", "before", "after"}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.store.models import AuditRow, utcnow
from analysis.vocab import AuditAction

__all__ = ["REPORT_ACTIONS", "AuditAction", "AuditEntry", "action_label", "append", "audit_table", "entries", "jsonable"]


#: The actions that save a progress report (one audit row per report; its ``after.report_id``).
REPORT_ACTIONS = frozenset({AuditAction.REPORT, AuditAction.IMPORT_REPORTS})


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON: dates as ISO text, enums as their value, tuples and sets as lists."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


def append(session: Session, actor: str, action: AuditAction, *, plan_id: int | None = None, object: str = "",
           before: Any = None, after: Any = None) -> AuditRow:
    """Add one audit row to ``session`` (saved with the session's transaction)."""
    row = AuditRow(at=utcnow(), actor=actor, action=str(action), plan_id=plan_id, object=object[:300],
                   before=jsonable(before), after=jsonable(after))
    session.add(row)
    return row


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    action: str
    plan_id: int | None
    object: str
    before: Any
    after: Any

    @classmethod
    def from_row(cls, row: AuditRow) -> AuditEntry:
        return cls(row.id, row.at, row.actor, row.action, row.plan_id, row.object, row.before, row.after)

    def record(self) -> dict[str, Any]:
        """The entry as JSON (the ``audit --json`` format)."""
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor, "action": self.action,
                "plan_id": self.plan_id, "object": self.object, "before": self.before, "after": self.after}


def entries(session: Session, *, plan_id: int | None = None, actor: str | None = None,
            action: str | None = None, since: dt.datetime | None = None, limit: int | None = None) -> list[AuditEntry]:
    """The trail, oldest first (of one plan, one actor, one action, from ``since``; the last ``limit``)."""
    query = select(AuditRow)
    if plan_id is not None:
        query = query.where(AuditRow.plan_id == plan_id)
    if actor is not None:
        query = query.where(AuditRow.actor == actor)
    if action is not None:
        query = query.where(AuditRow.action == action)
    if since is not None:
        query = query.where(AuditRow.at >= since)
    if limit is not None:
        rows = list(session.scalars(query.order_by(AuditRow.id.desc()).limit(limit)))[::-1]
    else:
        rows = list(session.scalars(query.order_by(AuditRow.id)))
    return [AuditEntry.from_row(r) for r in rows]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def action_label(action: str, lang: str) -> str:
    """An audit action in ``lang`` (an action this version does not know is shown as stored)."""
    from analysis.i18n import label

    try:
        return label(AuditAction(action), lang)
    except ValueError:
        return action


SYSTEM_ACTOR = "system"  # the actor of the app's own writes (seeding, digests)
_OBJECT = re.compile(r"^(plan|task|meeting|account) (.+)$")


def actor_label(actor: str, lang: str) -> str:
    from analysis.i18n import t

    return t("audit_system", lang) if actor == SYSTEM_ACTOR else actor


def object_label(obj: str, lang: str) -> str:
    """``task 5`` → 任务 5; other objects (a region's agency key) as stored."""
    from analysis.i18n import t

    found = _OBJECT.match(obj)
    return t(f"audit_object_{found.group(1)}", lang, x=found.group(2)) if found else obj


def audit_table(found: list[AuditEntry], lang: str) -> pd.DataFrame:
    """The trail as a table for people (newest first), headers, actions and objects in ``lang``;
    before and after as the JSON text of the record (field names as stored)."""
    from analysis.i18n import t

    rows = [{
        t("audit_col_id", lang): e.id, t("audit_col_at", lang): e.at.strftime("%Y-%m-%d %H:%M:%S"),
        t("audit_actor", lang): actor_label(e.actor, lang), t("audit_action", lang): action_label(e.action, lang),
        t("audit_col_plan", lang): "" if e.plan_id is None else str(e.plan_id),
        t("audit_col_object", lang): object_label(e.object, lang),
        t("audit_col_before", lang): _cell(e.before), t("audit_col_after", lang): _cell(e.after),
    } for e in reversed(found)]
    columns = [t(k, lang) for k in ("audit_col_id", "audit_col_at", "audit_actor", "audit_action", "audit_col_plan",
                                    "audit_col_object", "audit_col_before", "audit_col_after")]
    return pd.DataFrame(rows, columns=columns)


__all__ = ["REPORT_ACTIONS", "SYSTEM_ACTOR", "AuditAction", "AuditEntry", "action_label", "actor_label", "append",
           "audit_table", "entries", "jsonable", "object_label"]
