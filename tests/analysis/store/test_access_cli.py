"""Every CLI write names its account (--user) and is checked and audited like the app's; `users` and
`audit` commands; on SQLite and PostgreSQL.

The role matrix calls the CLI's ``main`` in this process (the same parsing, commands and error
handling as ``python -m analysis``; a subprocess per case would take minutes on a busy machine);
the bootstrap and the one-line errors run as real processes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from analysis.__main__ import main
from analysis.store import open_workspace
from analysis.store.access import Grant
from analysis.vocab import AccessRole
from tests.accounts import ADMIN, add_staff
from tests.analysis.plan_edits import seed_text, version_two
from tests.analysis.store.test_forms_cli import fill, tasks_of
from tests.conftest import independent_rows

ROOT = Path(__file__).resolve().parents[3]
NOTICE = ROOT / "tests" / "fixtures" / "documents" / "notice.txt"
AGENCY = "省科技厅"
FOREIGN = "省公安厅"
PASSWORD = "s3cret-enough-for-tests"

ROLES: dict[str, list[Grant]] = {
    "viewer": [Grant(AccessRole.VIEWER)],
    "reporter": [Grant(AccessRole.REPORTER, agencies=frozenset({AGENCY}))],
    "plan_coordinator": [Grant(AccessRole.COORDINATOR, plan_id=1)],
    "coordinator": [Grant(AccessRole.COORDINATOR)],
    "second_admin": [Grant(AccessRole.ADMIN)],
}
ALL = {"workspace_add", "workspace_version", "workspace_remove", "report_own", "report_other", "import_own",
       "import_foreign", "meeting_add", "meeting_agenda", "meeting_decide", "users_add", "users_disable"}
ALLOWED = {
    "viewer": set(),
    "reporter": {"report_own", "import_own"},
    "plan_coordinator": {"workspace_version", "report_own", "report_other", "import_own", "import_foreign",
                         "meeting_add", "meeting_agenda", "meeting_decide"},
    "coordinator": ALL,
    "second_admin": ALL,
    "nobody": set(),
}


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_role_against_every_cli_write(db_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TASKBOARD_DB", db_url)
    monkeypatch.delenv("TASKBOARD_USER", raising=False)
    monkeypatch.delenv("TASKBOARD_ACTOR", raising=False)
    with open_workspace(db_url) as ws:
        add_staff(ws)
        for name, grants in ROLES.items():
            ws.accounts.add(name, grants, actor=ADMIN)
    mine = tasks_of(AGENCY)
    own = mine[0]
    other = next(str(r["id"]) for r in independent_rows() if AGENCY not in r["lead"] + r["support"])
    foreign_own = next(t for t in tasks_of(FOREIGN) if t not in mine)
    revised, original = tmp_path / "v2.txt", tmp_path / "v1.txt"
    revised.write_text(version_two(seed_text()), encoding="utf-8")
    original.write_text(seed_text(), encoding="utf-8")

    def as_admin(*args: str, user: bool = True) -> str:
        code, out, err = cli(capsys, *args, *(("--user", ADMIN) if user else ()), "--json")
        assert code == 0, err
        return out

    def form(agency: str, task: str, name: str) -> str:
        path = tmp_path / f"{agency}-{name}.xlsx"
        as_admin("progress", "export", "1", "--agency", agency, "--out", str(path), user=False)
        fill(path, {task: {"status": "推进中", "percent": 50, "note": name}})
        return str(path)

    def meeting() -> str:
        return str(json.loads(as_admin("meeting", "add", "1", "--date", "2020-09-15"))["meeting_id"])

    def spare_plan() -> str:
        return str(json.loads(as_admin("workspace", "add", str(NOTICE)))["plan_id"])

    versions = [0]

    def version_file() -> str:
        versions[0] += 1
        return str(revised if versions[0] % 2 else original)

    cases: dict[str, Callable[[str], tuple[str, ...]]] = {
        "workspace_add": lambda n: ("workspace", "add", str(NOTICE)),
        "workspace_version": lambda n: ("workspace", "add", version_file(), "--plan", "1"),
        "workspace_remove": lambda n: ("workspace", "remove", spare_plan()),
        "report_own": lambda n: ("progress", "report", "1", own, "--status", "in_progress"),
        "report_other": lambda n: ("progress", "report", "1", other, "--status", "in_progress"),
        "import_own": lambda n: ("progress", "import", "1", form(AGENCY, own, n), "--yes"),
        "import_foreign": lambda n: ("progress", "import", "1", form(FOREIGN, foreign_own, n), "--yes"),
        "meeting_add": lambda n: ("meeting", "add", "1", "--date", "2020-10-15"),
        "meeting_agenda": lambda n: ("meeting", "agenda", meeting(), "--add", own),
        "meeting_decide": lambda n: ("meeting", "decide", meeting(), own, "--note", "议定"),
        "users_add": lambda n: ("users", "add", f"new by {n}", "--role", "viewer", "--no-password"),
        "users_disable": lambda n: ("users", "disable", "viewer" if n != "viewer" else "reporter"),
    }
    assert set(cases) == ALL
    outcome: dict[str, set[str]] = {}
    for name in ALLOWED:
        outcome[name] = set()
        for write, make in cases.items():
            args = make(name)
            with open_workspace(db_url) as ws:
                before = len(ws.audit())
            code, _, err = cli(capsys, *args, "--user", name)
            with open_workspace(db_url) as ws:
                added = [e for e in ws.audit()[before:] if e.actor == name]
            if code == 0:
                outcome[name].add(write)
                assert added, (name, write)  # audited under the account's name
            else:
                assert code == 2 and err.count("\n") == 1 and err.startswith("错误 error:"), (name, write, err)
                assert "无权" in err or "没有名为" in err, (name, write, err)
                assert not added
    assert outcome == ALLOWED


def _run(url: str, *args: str, stdin: str = "", user: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TASKBOARD_USER", "TASKBOARD_ACTOR")}
    env["TASKBOARD_DB"] = url
    if user:
        env["TASKBOARD_USER"] = user
    return subprocess.run([sys.executable, "-m", "analysis", *args], input=stdin, capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env, timeout=300, check=False)


def test_first_admin_from_the_cli_then_users_and_the_audit_trail(db_url):
    first = _run(db_url, "users", "add", "boss", "--role", "admin", "--json", stdin=PASSWORD + "\n")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"name": "boss", "roles": [{"role": "admin", "agencies": [], "plan_id": None}],
                                        "email": None, "disabled": False, "password": True}
    # later accounts need an account that manages accounts; the password never comes from an argument
    refused = _run(db_url, "users", "add", "clerk", "--role", "reporter", "--agency", AGENCY, stdin=PASSWORD + "\n")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--user" in refused.stderr
    no_arg = _run(db_url, "users", "add", "clerk", "--role", "viewer", "--password", PASSWORD, user="boss")
    assert no_arg.returncode == 2 and "unrecognized arguments: --password" in no_arg.stderr  # no such option
    made = _run(db_url, "users", "add", "clerk", "--role", "reporter", "--agency", f"{AGENCY},省经信厅", "--json",
                stdin=PASSWORD + "\n", user="boss")
    assert made.returncode == 0, made.stderr
    listed = json.loads(_run(db_url, "users", "list", "--json").stdout)
    assert [a["name"] for a in listed] == ["boss", "clerk"]
    assert listed[1]["roles"] == [{"role": "reporter", "agencies": sorted([AGENCY, "省经信厅"]), "plan_id": None}]
    assert "argon2" not in json.dumps(listed)
    with open_workspace(db_url) as ws:
        assert ws.accounts.session_account(ws.accounts.sign_in("clerk", PASSWORD)).name == "clerk"
    # a report refused on another agency's task: one line, both languages, nothing saved
    other = next(str(r["id"]) for r in independent_rows() if AGENCY not in r["lead"] + r["support"]
                 and "省经信厅" not in r["lead"] + r["support"])
    line = _run(db_url, "progress", "report", "1", other, "--status", "done", user="clerk")
    assert line.returncode == 2 and line.stderr.count("\n") == 1 and "无权" in line.stderr and "not allowed" in line.stderr
    own = tasks_of(AGENCY)[0]
    assert _run(db_url, "progress", "report", "1", own, "--status", "done", "--date", "2020-09-01",
                user="clerk").returncode == 0
    trail = json.loads(_run(db_url, "audit", "--plan", "1", "--json").stdout)
    assert [(e["actor"], e["action"], e["object"]) for e in trail] == [
        ("system", "add_plan", "plan 1"), ("clerk", "report", f"task {own}")]
    assert set(trail[1]) == {"id", "at", "actor", "action", "plan_id", "object", "before", "after"}
    assert trail[1]["after"]["status"] == "done" and trail[1]["before"] is None
    everything = json.loads(_run(db_url, "audit", "--json").stdout)
    assert [e["action"] for e in everything if e["plan_id"] is None] == ["account_add", "account_add"]
    assert dt.datetime.fromisoformat(everything[0]["at"]).tzinfo is not None
