"""Who may change what: accounts, their roles, and ONE permission check per kind of write.

    from analysis.store.access import Account, Action, Grant, check
    clerk = Account("李娜", (Grant(AccessRole.REPORTER, agencies=frozenset({"省科技厅"})),))
    check(clerk, Action.REPORT, plan_id=1, agencies={"省科技厅", "省经信厅"})   # passes
    check(clerk, Action.ADD_PLAN)                                              # raises PermissionDenied

Pure functions on values: no database, no Streamlit. The store (``analysis.store.workspace``,
``analysis.store.meetings``, ``analysis.store.accounts``) resolves the acting account and calls
:func:`check` inside the transaction that writes, so the rule holds whatever calls the store
(the app, the CLI, a replayed request).

Rules:

- **viewer**: reads only (everybody may read; the role exists so an account can be named).
- **reporter** of agencies A (optionally of one plan): reports progress on a task only when the
  task's lead or supporting agencies (the plan as decided) include one of A, and only in the
  name of one of A.
- **coordinator** of one plan: adds its versions, sets its rule, reports on any of its tasks,
  imports forms, records its meetings and decisions. Of the whole workspace (no plan): also adds
  and removes plans and manages accounts (but grants no admin role and changes no admin).
- **admin**: everything.
- A disabled account may do nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from analysis.store.errors import WorkspaceError
from analysis.vocab import AccessRole, Bilingual


class Action(StrEnum):
    """The kinds of write the store knows (also the ``action`` column of the audit trail)."""

    ADD_PLAN = "add_plan"
    ADD_VERSION = "add_version"
    REMOVE_PLAN = "remove_plan"
    SET_RULE = "set_rule"
    REPORT = "report"
    IMPORT_REPORTS = "import_reports"
    MEETING = "meeting"  # add, update, agenda edits, decisions, removal of a meeting
    MANAGE_ACCOUNTS = "manage_accounts"
    LINK_AGENCIES = "link_agencies"  # link an agency name across plans to a registered agency, or undo it
    RESTORE = "restore"  # replace the whole workspace by a backup: admins only


ROLE_NAMES: dict[AccessRole, tuple[str, str]] = {
    AccessRole.VIEWER: ("查看者", "viewer"),
    AccessRole.REPORTER: ("报送人", "reporter"),
    AccessRole.COORDINATOR: ("协调人", "coordinator"),
    AccessRole.ADMIN: ("管理员", "admin"),
}

ACTION_NAMES: dict[Action, tuple[str, str]] = {
    Action.ADD_PLAN: ("新增方案", "add a plan"),
    Action.ADD_VERSION: ("新增方案版本", "add a plan version"),
    Action.REMOVE_PLAN: ("删除方案", "remove a plan"),
    Action.SET_RULE: ("修改预警规则", "change the warning rule"),
    Action.REPORT: ("报送进展", "report progress"),
    Action.IMPORT_REPORTS: ("导入进展表", "import progress forms"),
    Action.MEETING: ("记录协调会", "record meetings"),
    Action.MANAGE_ACCOUNTS: ("管理账号", "manage accounts"),
    Action.LINK_AGENCIES: ("关联跨方案单位名称", "link agency names across plans"),
    Action.RESTORE: ("从备份恢复工作区", "restore the workspace from a backup"),
}


class PermissionDenied(WorkspaceError):  # noqa: N818  (the name says what happened, like the store's others)
    """The account may not do this; nothing was written."""

    def __init__(self, text: Bilingual, *, actor: str = "", action: Action | None = None) -> None:
        self.actor, self.action = actor, action
        super().__init__(text)


@dataclass(frozen=True)
class Grant:
    """One role of an account. ``agencies``: a reporter's agencies. ``plan_id``: the plan a
    coordinator (or reporter) is limited to; None: the whole workspace."""

    role: AccessRole
    agencies: frozenset[str] = frozenset()
    plan_id: int | None = None

    def describe(self) -> Bilingual:
        zh, en = ROLE_NAMES[self.role]
        parts_zh, parts_en = [zh], [en]
        if self.agencies:
            names = "、".join(sorted(self.agencies))
            parts_zh.append(f"（{names}）")
            parts_en.append(f" ({', '.join(sorted(self.agencies))})")
        if self.plan_id is not None:
            parts_zh.append(f"，方案 {self.plan_id}")
            parts_en.append(f", plan {self.plan_id}")
        return Bilingual("".join(parts_zh), "".join(parts_en))


@dataclass(frozen=True)
class Account:
    """A person who may sign in (or be named by the CLI's ``--user``) and what they may do."""

    name: str
    grants: tuple[Grant, ...] = ()
    disabled: bool = False
    email: str = ""
    has_password: bool = field(default=False, compare=False)

    @property
    def roles(self) -> frozenset[AccessRole]:
        return frozenset(g.role for g in self.grants)

    @property
    def is_admin(self) -> bool:
        return not self.disabled and AccessRole.ADMIN in self.roles

    def coordinates(self, plan_id: int | None) -> bool:
        """Coordinator (or admin) of ``plan_id``; with None: of the whole workspace."""
        if self.disabled:
            return False
        if self.is_admin:
            return True
        return any(g.role == AccessRole.COORDINATOR and (g.plan_id is None or g.plan_id == plan_id)
                   for g in self.grants)

    def reporter_agencies(self, plan_id: int | None) -> frozenset[str]:
        """The agencies this account reports for on ``plan_id``."""
        if self.disabled:
            return frozenset()
        found: set[str] = set()
        for g in self.grants:
            if g.role == AccessRole.REPORTER and (g.plan_id is None or g.plan_id == plan_id):
                found |= g.agencies
        return frozenset(found)

    def describe(self) -> Bilingual:
        if not self.grants:
            return Bilingual("查看者", "viewer")
        parts = [g.describe() for g in self.grants]
        return Bilingual("；".join(p.zh for p in parts), "; ".join(p.en for p in parts))

    @property
    def can_write(self) -> bool:
        """Whether any write at all is open to the account (the app hides write forms otherwise)."""
        return not self.disabled and any(g.role != AccessRole.VIEWER for g in self.grants)


def _denied(account: Account, action: Action, zh: str, en: str) -> PermissionDenied:
    what_zh, what_en = ACTION_NAMES[action]
    return PermissionDenied(
        Bilingual(f"无权{what_zh}：账号“{account.name}”{zh}", f"not allowed to {what_en}: account {account.name!r} {en}"),
        actor=account.name, action=action,
    )


def check(account: Account, action: Action, *, plan_id: int | None = None,
          agencies: Collection[str] | None = None, as_agency: str = "", task_id: str | None = None,
          grants: Iterable[Grant] = (), target: Account | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``account`` may do ``action``.

    ``plan_id``: the plan written to (None for a new plan / account management). ``agencies``
    (REPORT, IMPORT_REPORTS per row): the task's lead and supporting agencies, the plan as decided;
    ``as_agency``: the agency the report is made in the name of (empty: none named); ``task_id``
    only names the task in the message. ``grants`` / ``target`` (MANAGE_ACCOUNTS): the roles given
    and the account changed.
    """
    if account.disabled:
        raise _denied(account, action, "已停用", "is disabled")
    if account.is_admin:
        return
    if action == Action.MANAGE_ACCOUNTS:
        if not account.coordinates(None):
            raise _denied(account, action, "不是工作区协调人或管理员", "is neither a workspace coordinator nor an admin")
        if any(g.role == AccessRole.ADMIN for g in grants) or (target is not None and AccessRole.ADMIN in target.roles):
            raise _denied(account, action, "不能授予或修改管理员账号", "cannot grant or change an admin account")
        return
    if action in (Action.ADD_PLAN, Action.REMOVE_PLAN, Action.LINK_AGENCIES):
        if not account.coordinates(None):
            raise _denied(account, action, "不是工作区协调人", "is not a coordinator of the workspace")
        return
    if action in (Action.ADD_VERSION, Action.SET_RULE, Action.MEETING):
        if not account.coordinates(plan_id):
            raise _denied(account, action, f"不是方案 {plan_id} 的协调人", f"is not a coordinator of plan {plan_id}")
        return
    if action in (Action.REPORT, Action.IMPORT_REPORTS):
        if account.coordinates(plan_id):
            return
        mine = account.reporter_agencies(plan_id)
        where_zh = f"任务 {task_id}" if task_id is not None else "该任务"
        where_en = f"task {task_id}" if task_id is not None else "the task"
        if not mine:
            raise _denied(account, action, f"不是方案 {plan_id} 的报送人", f"is not a reporter on plan {plan_id}")
        task_agencies = frozenset(agencies or ())
        if not mine & task_agencies:
            raise _denied(
                account, action,
                f"只能报送{'、'.join(sorted(mine))}牵头或配合的任务，{where_zh}不在其中",
                f"reports only on tasks led or supported by {', '.join(sorted(mine))}; {where_en} is not one",
            )
        if as_agency and as_agency not in mine:
            raise _denied(account, action, f"不能以“{as_agency}”的名义报送{where_zh}",
                          f"cannot report {where_en} in the name of {as_agency!r}")
        return
    if action == Action.RESTORE:
        raise _denied(account, action, "不是管理员", "is not an admin")
    raise _denied(account, action, "无此权限", "has no such right")  # pragma: no cover - every Action is handled


def allowed(account: Account, action: Action, **kwargs: object) -> bool:
    """:func:`check` as a yes/no (for hiding a button; the store checks again when it writes)."""
    try:
        check(account, action, **kwargs)  # type: ignore[arg-type]
    except PermissionDenied:
        return False
    return True


#: The account the store writes with when it seeds a new workspace (never stored, cannot sign in).
SYSTEM = Account("system", (Grant(AccessRole.ADMIN),))

__all__ = ["ACTION_NAMES", "ROLE_NAMES", "SYSTEM", "Account", "Action", "Grant", "PermissionDenied", "allowed", "check"]
