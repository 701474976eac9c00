"""Who may change what (analysis.store.access), enforced by the store on every write, with an audit row
per change; sign-in rate limit and session expiry; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text

from analysis.progress import RagRule
from analysis.store import ReportInput, Workspace
from analysis.store.access import Account, Action, Grant, PermissionDenied, check
from analysis.store.accounts import (
    LOCK_BASE,
    MAX_FAILURES,
    AccountLockedError,
    SignInError,
    token_hash,
)
from analysis.store.audit import REPORT_ACTIONS
from analysis.store.models import SessionRow, utcnow
from analysis.vocab import AccessRole
from tests.accounts import ADMIN
from tests.analysis.plan_edits import seed_text, version_two

ROOT = Path(__file__).resolve().parents[3]
NOTICE = (ROOT / "tests" / "fixtures" / "documents" / "notice.txt").read_bytes()
AGENCY = "省科技厅"
PASSWORD = "s3cret-enough"


def own_and_other(ws: Workspace) -> tuple[str, str]:
    """A task 省科技厅 leads or supports, and one it has nothing to do with (the plan as decided)."""
    plan = ws.load_plan(1)
    mine = set(plan.assignments.loc[plan.assignments["agency"] == AGENCY, "task_id"].astype(str))
    tasks = [str(t) for t in plan.tasks["task_id"]]
    return next(t for t in tasks if t in mine), next(t for t in tasks if t not in mine)


ROLES: dict[str, list[Grant]] = {
    "viewer": [Grant(AccessRole.VIEWER)],
    "reporter": [Grant(AccessRole.REPORTER, agencies=frozenset({AGENCY}))],
    "plan_coordinator": [Grant(AccessRole.COORDINATOR, plan_id=1)],
    "other_plan_coordinator": [Grant(AccessRole.COORDINATOR, plan_id=2)],
    "coordinator": [Grant(AccessRole.COORDINATOR)],
    "second_admin": [Grant(AccessRole.ADMIN)],
}
ALL = {"add_plan", "add_version", "remove_plan", "set_rule", "report_own", "report_other", "import_own",
       "import_mixed", "meeting_add", "meeting_update", "meeting_agenda", "meeting_decide", "meeting_remove",
       "account_add"}
ALLOWED: dict[str, set[str]] = {
    "viewer": set(),
    "reporter": {"report_own", "import_own"},
    "plan_coordinator": ALL - {"add_plan", "remove_plan", "account_add"},
    "other_plan_coordinator": set(),
    "coordinator": ALL,
    "second_admin": ALL,
    "disabled_coordinator": set(),
    "nobody": set(),  # a name with no account
}


def _writes(ws: Workspace, own: str, other: str) -> dict[str, Callable[[str], object]]:
    def report(task: str) -> Callable[[str], object]:
        def run(name: str) -> object:
            current = ws.current_report(1, task)
            return ws.report_progress(1, task, "in_progress", expected_previous=current.report_id if current else None,
                                      actor=name, agency=AGENCY if name == "reporter" else "")
        return run

    def imported(tasks: list[str]) -> Callable[[str], object]:
        def run(name: str) -> object:
            items = []
            for task in tasks:
                current = ws.current_report(1, task)
                items.append(ReportInput(task, "delayed", current.report_id if current else None, note=name))
            return ws.import_reports(1, items, actor=name)
        return run

    def with_meeting(act: Callable[[int, str], object]) -> Callable[[str], object]:
        def run(name: str) -> object:
            meeting = ws.meetings.add(1, dt.date(2020, 9, 15), actor=ADMIN)
            return act(meeting.meeting_id, name)
        return run

    def remove(name: str) -> object:
        spare = ws.add_plan(NOTICE, "notice.txt", actor=ADMIN)
        return ws.remove_plan(spare.plan_id, actor=name)

    revised = version_two(seed_text()).encode("utf-8")
    return {
        "add_plan": lambda name: ws.add_plan(NOTICE, "notice.txt", actor=name),
        "add_version": lambda name: ws.add_version(1, revised if len(ws.versions(1)) % 2 else seed_text().encode(),
                                                   "tasks.txt", actor=name),
        "remove_plan": remove,
        "set_rule": lambda name: ws.set_rag_rule(1, RagRule(due_window_days=20), actor=name),
        "report_own": report(own),
        "report_other": report(other),
        "import_own": imported([own]),
        "import_mixed": imported([own, other]),
        "meeting_add": lambda name: ws.meetings.add(1, dt.date(2020, 10, 1), actor=name),
        "meeting_update": with_meeting(lambda m, name: ws.meetings.update(m, place="会议室", actor=name)),
        "meeting_agenda": with_meeting(lambda m, name: ws.meetings.set_agenda(m, add=[own], actor=name)),
        "meeting_decide": with_meeting(lambda m, name: ws.meetings.decide(m, own, note="议定", actor=name)),
        "meeting_remove": with_meeting(lambda m, name: ws.meetings.remove(m, actor=name)),
        "account_add": lambda name: ws.accounts.add(f"new by {name}", [Grant(AccessRole.VIEWER)], actor=name),
    }


def test_every_role_against_every_write(workspace):
    ws = workspace
    ws.add_plan(NOTICE, "notice.txt", actor=ADMIN)  # plan 2, for the other plan's coordinator
    for name, grants in ROLES.items():
        ws.accounts.add(name, grants, actor=ADMIN)
    ws.accounts.add("disabled_coordinator", [Grant(AccessRole.COORDINATOR)], actor=ADMIN)
    ws.accounts.disable("disabled_coordinator", actor=ADMIN)
    own, other = own_and_other(ws)
    writes = _writes(ws, own, other)
    assert set(writes) == ALL
    outcome: dict[str, set[str]] = {}
    for name in ALLOWED:
        outcome[name] = set()
        for write, run in writes.items():
            before = ws.audit()
            try:
                run(name)
            except PermissionDenied as exc:
                assert exc.text.zh and exc.text.en  # bilingual
                after = ws.audit()
                # a refused write adds nothing of its own to the trail (set-up writes are the admin's)
                assert all(e.actor == ADMIN for e in after[len(before):]), (name, write)
                continue
            outcome[name].add(write)
            mine = [e for e in ws.audit()[len(before):] if e.actor == name]
            assert mine, (name, write)  # the write is on the trail under the account's name
    assert outcome == ALLOWED


def test_a_reporter_import_with_one_foreign_task_saves_nothing_and_names_it(workspace):
    ws = workspace
    ws.accounts.add("reporter", ROLES["reporter"], actor=ADMIN)
    own, other = own_and_other(ws)
    items = [ReportInput(own, "done", None), ReportInput(other, "done", None)]
    with pytest.raises(PermissionDenied) as refused:
        ws.import_reports(1, items, actor="reporter")
    assert f"task {other}" in str(refused.value) and f"task {own}" not in str(refused.value)
    assert ws.report_history(1, own).empty and ws.report_history(1, other).empty
    assert ws.audit(actor="reporter") == []
    # reporting in another agency's name is refused too
    with pytest.raises(PermissionDenied, match="in the name of"):
        ws.report_progress(1, own, "done", expected_previous=None, actor="reporter", agency="省公安厅")


def test_a_reporter_follows_the_units_as_decided(workspace):
    ws = workspace
    ws.accounts.add("reporter", ROLES["reporter"], actor=ADMIN)
    _, other = own_and_other(ws)
    with pytest.raises(PermissionDenied):
        ws.report_progress(1, other, "in_progress", expected_previous=None, actor="reporter")
    meeting = ws.meetings.add(1, dt.date(2020, 9, 15), actor="王伟")
    ws.meetings.decide(meeting.meeting_id, other, support=[AGENCY], note="增加配合单位", actor="王伟")
    saved = ws.report_progress(1, other, "in_progress", expected_previous=None, actor="reporter")
    assert saved.reported_by == "reporter"


def test_the_audit_trail_agrees_with_the_histories_and_cannot_be_edited(workspace):
    ws = workspace
    own, other = own_and_other(ws)
    ws.report_progress(1, own, "in_progress", expected_previous=None, actor="王伟", percent=10)
    first = ws.current_report(1, own)
    ws.import_reports(1, [ReportInput(own, "done", first.report_id if first else None, percent=100),
                          ReportInput(other, "delayed", None)], actor="李娜")
    meeting = ws.meetings.add(1, dt.date(2020, 9, 15), actor="王伟")
    ws.meetings.decide(meeting.meeting_id, other, status="in_progress", note="已协调", actor="王伟")
    ws.meetings.decide(meeting.meeting_id, own, deadline=dt.date(2020, 12, 31), actor="王伟")
    reports = {int(r) for task in (own, other) for r in ws.report_history(1, task)["report_id"]}
    trail = ws.audit(plan_id=1)
    assert {e.after["report_id"] for e in trail if e.action in REPORT_ACTIONS} == reports
    for e in trail:
        if e.action in REPORT_ACTIONS:
            row = ws.report_history(1, e.after["task_id"]).set_index("report_id").loc[e.after["report_id"]]
            assert (row["reported_by"], row["status"]) == (e.actor, e.after["status"])
    decided = {d.decision_id for d in ws.meetings.decisions(1)}
    assert {e.after["decision_id"] for e in trail if e.action == "meeting_decide"} == decided
    # the second report on `own` names the first as its before
    second = [e for e in trail if e.action == "import_reports" and e.object == f"task {own}"][0]
    assert second.before["report_id"] == first.report_id and second.before["status"] == "in_progress"
    # append-only, whatever the SQL
    for statement in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"), ws.engine.begin() as connection:
            connection.execute(text(statement))
    assert len(ws.audit()) == len(ws.audit())  # still all there
    assert [e.id for e in ws.audit(plan_id=1)] == [e.id for e in trail]


def test_a_refused_or_failed_write_leaves_no_audit_row(workspace):
    ws = workspace
    own, _ = own_and_other(ws)
    ws.report_progress(1, own, "in_progress", expected_previous=None, actor="王伟")
    count = len(ws.audit())
    from analysis.store import ConcurrentReportError

    with pytest.raises(ConcurrentReportError):
        ws.report_progress(1, own, "done", expected_previous=None, actor="李娜")  # saw no report: stale
    with pytest.raises(PermissionDenied):
        ws.report_progress(1, own, "done", expected_previous=None, actor="nobody")
    assert len(ws.audit()) == count


def test_brute_force_is_rate_limited_per_account(workspace):
    ws = workspace
    ws.accounts.add("李四", ROLES["reporter"], password=PASSWORD, actor=ADMIN)
    ws.accounts.add("王五", ROLES["reporter"], password=PASSWORD, actor=ADMIN)
    t0 = utcnow()
    for attempt in range(MAX_FAILURES - 1):
        with pytest.raises(SignInError) as wrong:
            ws.accounts.sign_in("李四", f"guess {attempt}", now=t0)
        assert not isinstance(wrong.value, AccountLockedError)
    with pytest.raises(AccountLockedError):  # the fifth failure locks
        ws.accounts.sign_in("李四", "guess 5", now=t0)
    # locked: even the right password is refused (and not tried), for the whole lock
    for seconds in (0, 30, LOCK_BASE.total_seconds() - 1):
        with pytest.raises(AccountLockedError):
            ws.accounts.sign_in("李四", PASSWORD, now=t0 + dt.timedelta(seconds=seconds))
    # another account is not affected
    assert ws.accounts.session_account(ws.accounts.sign_in("王五", PASSWORD, now=t0), now=t0).name == "王五"
    # after the lock one more wrong guess locks again, for twice as long
    t1 = t0 + LOCK_BASE + dt.timedelta(seconds=1)
    with pytest.raises(AccountLockedError) as again:
        ws.accounts.sign_in("李四", "guess 6", now=t1)
    assert again.value.until == t1 + 2 * LOCK_BASE
    with pytest.raises(AccountLockedError):
        ws.accounts.sign_in("李四", PASSWORD, now=t1 + LOCK_BASE)
    # after that lock the right password signs in and the count starts again
    t2 = t1 + 2 * LOCK_BASE + dt.timedelta(seconds=1)
    token = ws.accounts.sign_in("李四", PASSWORD, now=t2)
    assert ws.accounts.session_account(token, now=t2).name == "李四"
    with pytest.raises(SignInError) as wrong:
        ws.accounts.sign_in("李四", "guess 7", now=t2)
    assert not isinstance(wrong.value, AccountLockedError)
    # an unknown name is told the same as a wrong password
    with pytest.raises(SignInError, match="wrong name or password"):
        ws.accounts.sign_in("nobody", PASSWORD, now=t2)


def test_sessions_expire_end_and_keep_only_a_hash(workspace):
    ws = workspace
    ws.accounts.add("李四", ROLES["reporter"], password=PASSWORD, actor=ADMIN)
    book = ws.accounts
    t0 = utcnow()
    token = book.sign_in("李四", PASSWORD, now=t0)
    with ws._sessions() as session:
        stored = session.scalars(select(SessionRow)).all()
        assert [s.token_hash for s in stored] == [token_hash(token)] and token not in stored[0].token_hash
    # used within the idle time, it stays alive; idle longer, it ends
    later = t0 + book.idle - dt.timedelta(minutes=1)
    assert book.session_account(token, now=later) is not None
    assert book.session_account(token, now=later + book.idle - dt.timedelta(minutes=1)) is not None
    assert book.session_account(token, now=later + 3 * book.idle) is None
    assert book.session_account(token, now=t0) is None  # gone for good
    # signing out ends it; disabling the account ends its sessions and its writes
    token = book.sign_in("李四", PASSWORD)
    book.sign_out(token)
    assert book.session_account(token) is None
    token = book.sign_in("李四", PASSWORD)
    book.disable("李四", actor=ADMIN)
    assert book.session_account(token) is None
    with pytest.raises(SignInError):
        book.sign_in("李四", PASSWORD)
    # no password hash leaves the store
    assert all("argon2" not in repr(a) for a in book.list())


def test_accounts_bootstrap_and_limits(empty_workspace):
    ws = empty_workspace  # has the test admin already: a second "first" admin is refused
    with pytest.raises(PermissionDenied, match="accounts already"):
        ws.accounts.add("boss", [Grant(AccessRole.ADMIN)], password=PASSWORD)
    with pytest.raises(PermissionDenied, match="admin"):  # a coordinator grants no admin
        ws.accounts.add("boss", [Grant(AccessRole.ADMIN)], password=PASSWORD, actor="王伟")
    with pytest.raises(PermissionDenied):
        ws.accounts.disable(ADMIN, actor="王伟")
    with pytest.raises(Exception, match="reporter needs at least one agency"):
        ws.accounts.add("x", [Grant(AccessRole.REPORTER)], actor=ADMIN)
    with pytest.raises(Exception, match="at least 8"):
        ws.accounts.add("x", [Grant(AccessRole.VIEWER)], password="short", actor=ADMIN)
    with pytest.raises(Exception, match="exists already"):
        ws.accounts.add("王伟", [Grant(AccessRole.VIEWER)], actor=ADMIN)
    with pytest.raises(Exception, match="reserved"):
        ws.accounts.add("system", [Grant(AccessRole.VIEWER)], actor=ADMIN)
    entries = ws.audit(action="account_add")
    assert [e.after["name"] for e in entries][:2] == [ADMIN, "王伟"]
    assert all("argon2" not in str(e.after) for e in entries)  # the trail says whether, never what


def test_the_check_is_pure_and_bilingual():
    clerk = Account("李娜", (Grant(AccessRole.REPORTER, agencies=frozenset({AGENCY})),))
    check(clerk, Action.REPORT, plan_id=1, agencies={AGENCY, "省经信厅"})
    with pytest.raises(PermissionDenied) as refused:
        check(clerk, Action.REPORT, plan_id=1, agencies={"省公安厅"}, task_id="7")
    assert "任务 7" in refused.value.text.zh and "task 7" in refused.value.text.en
    scoped = Account("x", (Grant(AccessRole.REPORTER, agencies=frozenset({AGENCY}), plan_id=2),))
    with pytest.raises(PermissionDenied):
        check(scoped, Action.REPORT, plan_id=1, agencies={AGENCY})
    check(scoped, Action.REPORT, plan_id=2, agencies={AGENCY})
    with pytest.raises(PermissionDenied, match="disabled"):
        check(Account("a", (Grant(AccessRole.ADMIN),), disabled=True), Action.ADD_PLAN)
