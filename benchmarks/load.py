"""Load test speaking Streamlit's own protocol: many sessions, one or several servers behind nginx.

    python -m benchmarks.load --servers 2 --sessions 50 --seconds 60 --json
    → {"servers", "sessions", "reruns_per_s", "p50_s", "p95_s", "errors", "writes", "lost_writes", …}

Starts a throwaway PostgreSQL, ``--servers`` Streamlit servers and nginx (``deploy.stack``, all on
127.0.0.1), runs ``--sessions`` clients for ``--seconds``, checks the database and stops everything.
A client is what a browser tab is to the server, without the browser: a WebSocket on
``/_stcore/stream`` (through nginx, with the affinity cookie nginx set on the first page request)
carrying protobuf ``BackMsg`` (``rerun_script`` with the widget states and the query string) and
``ForwardMsg`` (deltas, ``page_info_changed``, ``script_finished``). Widgets are found in the deltas
by their keys, as the pages name them.

Each session opens pages, changes a filter (an agency, the meeting date) and saves progress on a
task through the progress page's report form, pausing ``--think`` seconds on average (uniformly 0
to twice that; default 10 s, an official reading a chart or a table) between actions: first one
tour of the three (finished even past ``--seconds``), then at random, until ``--seconds`` or
``--max-actions``. ``--ramp R`` spreads the sessions' arrivals over the first R seconds (session i
of N opens the app and signs in i·R/N seconds in; default a third of ``--seconds``), as people
arrive at a dashboard over minutes rather than in one second; ``--ramp 0 --think 1`` is the
stampede, a measure of capacity rather than of a working day. Counted: reruns and their time (from sending the rerun to its
``script_finished``), errors (an exception element, an unexpected error message, a page not found,
a disconnect, a rerun over ``RERUN_TIMEOUT``), writes (reports whose "saved" message came back),
conflicts (two sessions reporting on one task at once: refused and shown, as designed), and
afterwards lost writes (confirmed reports missing from the database).

Sign-in (issue 18): every write needs a signed-in account. Before the servers start, the test
database gets a first admin and one workspace coordinator account per session (``make_accounts``),
each with a random password held in memory only (never in an argument, URL or log). Each session
signs in through the sidebar's form over the protocol (``Client.sign_in``: the name and password
inputs and the form's button, by the keys in ``SignIn``) before it reports, and again after a
reconnect (a new server's session is not signed in, as after a browser reload). A refused sign-in
or a refused write is an error; only a conflict between two sessions is expected.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import re
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Subprotocol

RERUN_TIMEOUT = 60.0  # seconds: a rerun still running after this counts as an error
KILL_WAIT = 300.0  # seconds: the kill waits at most this long (after --kill-after) for every session to have started
AFTER_KILL_LIMIT = 300.0  # seconds: past the run's end, how long sessions may still take to meet the kill
RECONNECT_TRIES = 5  # a browser tries again (0.5 s, 1 s, 2 s, … apart) while nginx finds the live server
PAGES = ("overview", "workload", "timeline", "network", "tasks", "progress", "meetings")
PAGE_WEIGHTS = (3, 2, 2, 1, 2, 3, 1)
DEFAULT_PAGE = "overview"  # app.py: the page of the bare address
SAVED_MARK = ("已保存第", "Saved report")  # analysis.i18n "pr_saved"
REPORT_TAB = ("pr_tab", "报送进展")  # the progress page's tabs (pages/progress.py TAB) and its report tab, in Chinese
ACCOUNT_PREFIX = "负载测试"  # the load test's accounts: 负载测试管理员 (admin), 负载测试0, 负载测试1, … (coordinators)
CONFLICT_MARK = ("未保存：您填写期间", "Not saved: somebody else")  # "pr_conflict"
FINISHED_OK = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
WIDGET_KINDS = ("multiselect", "selectbox", "date_input", "button", "text_input", "text_area", "number_input",
                "checkbox", "radio", "slider", "toggle", "file_uploader", "download_button")


def _key(element_id: str) -> str | None:
    """The key the page gave a widget (Streamlit's element ids end with it), None without one."""
    key = element_id.split("-", maxsplit=2)[-1]
    return None if key == "None" else key


@dataclass
class Run:
    """What one script run drew: widgets by key, messages, and what went wrong."""

    widgets: dict[str, tuple[str, Any]] = field(default_factory=dict)  # key -> (kind, proto)
    ids: set[str] = field(default_factory=set)
    alerts: list[tuple[int, str]] = field(default_factory=list)  # (Alert.Format, body)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False
    page_hash: str = ""

    def add(self, element: Element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
        elif kind == "alert":
            self.alerts.append((element.alert.format, element.alert.body))
        elif kind in WIDGET_KINDS:
            self._widget(kind, getattr(element, kind))

    def add_block(self, block: Any) -> None:
        """Stateful tabs (``st.tabs(key=…, on_change="rerun")``) are a widget drawn as a block: its
        value is the open tab's label."""
        if block.WhichOneof("type") == "tab_container":
            self._widget("tabs", block.tab_container)

    def _widget(self, kind: str, proto: Any) -> None:
        """A widget drawn this run: its id kept (the browser keeps its value), by its key if it has one."""
        widget_id = getattr(proto, "id", "")
        if widget_id:
            self.ids.add(widget_id)
            key = _key(widget_id)
            if key:
                self.widgets[key] = (kind, proto)

    def widget(self, key: str) -> Any | None:
        found = self.widgets.get(key)
        return found[1] if found else None

    def widget_like(self, prefix: str) -> Any | None:
        return next((proto for key, (_, proto) in self.widgets.items() if key.startswith(prefix)), None)


def selected(proto: Any) -> list[str]:
    """A multiselect's current values as its options are written."""
    if proto.set_value:
        return list(proto.raw_values)
    return [proto.options[i] for i in proto.default if 0 <= i < len(proto.options)]


class Disconnected(Exception):
    pass


class RerunTimeout(Disconnected):
    """A rerun that did not finish within RERUN_TIMEOUT: counted as an error once, the session given up."""


@dataclass
class Stats:
    times: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    by_phase: dict[str, list[float]] = field(default_factory=dict)  # "arrival" (opening, signing in) or "working"
    errors: list[str] = field(default_factory=list)
    writes: list[tuple[int, str, str]] = field(default_factory=list)  # (report id, note, account) confirmed
    conflicts: int = 0
    disconnects: int = 0
    reconnects: int = 0
    restored: int = 0  # reconnected sessions whose view (page, filter) came back from the URL
    restored_filters: int = 0  # of which with an agency filter in their address
    sign_ins: int = 0  # sign-ins through the sidebar form that were accepted
    held: int = 0  # sessions still connected at the end
    not_restored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SignIn:
    """How to sign in (issue 18): an account and its password (never printed: ``repr=False``), and
    the keys of the sidebar form's inputs and button (dashboard/workspace_ui.py ``account_box``; the
    form's submit button has no key: Streamlit names it ``FormSubmitter:<form>-<label>``, the label
    in the page's language, so it is found by the prefix)."""

    user: str
    password: str = field(repr=False)
    user_key: str = "auth_name"
    password_key: str = "auth_password"
    button_prefix: str = "FormSubmitter:auth_form-"


def make_accounts(database: str, sessions: int) -> list[SignIn]:
    """In a workspace with no account yet: a first admin, then one workspace coordinator per session,
    each with its own random password (kept in the returned objects only). Refuses a workspace that
    already has accounts (the load test does not take over somebody's accounts)."""
    import secrets

    from analysis.store import open_workspace
    from analysis.store.access import Grant
    from analysis.vocab import AccessRole

    ws = open_workspace(database, seed=False)
    try:
        if ws.accounts.count():
            raise RuntimeError("the load test's database already has accounts: give it a fresh database")
        admin = f"{ACCOUNT_PREFIX}管理员"
        ws.accounts.add(admin, [Grant(AccessRole.ADMIN)], password=secrets.token_urlsafe(24), actor=None)
        found = []
        for number in range(sessions):
            sign_in = SignIn(f"{ACCOUNT_PREFIX}{number}", secrets.token_urlsafe(24))
            ws.accounts.add(sign_in.user, [Grant(AccessRole.COORDINATOR)], password=sign_in.password, actor=admin)
            found.append(sign_in)
        return found
    finally:
        ws.close()


class Client:
    """One browser tab's worth of Streamlit session, over the WebSocket protocol."""

    def __init__(self, base: str, number: int, stats: Stats, rng: random.Random, *, tag: str,
                 sign_in: SignIn | None = None) -> None:
        """``sign_in``: the account this session signs in as (None: it only reads, as the warm-up)."""
        self.base = base.rstrip("/")
        self.number, self.stats, self.rng, self.tag = number, stats, rng, tag
        self.credentials = sign_in
        self.cookies: dict[str, str] = {}
        self.ws: ClientConnection | None = None
        self.session_id = ""
        self.query_string = ""
        self.page_hashes: dict[str, str] = {}  # url path -> page script hash
        self.page = ""  # url path of the page on screen ("" = the default)
        self.states: dict[str, WidgetState] = {}  # widget id -> its value, as a browser keeps them
        self.last = Run()
        self.saves = 0
        self.agency: list[str] = []  # the agency filter this session set
        self.upstream = ""  # the app server nginx chose (trial stacks name it in a header)
        self.filter_first = False  # set an agency filter right after opening (the kill test checks it comes back)
        self.arrival = 0.0  # seconds after the run's start at which this session opens the app (--ramp)
        self.started = False  # opened, signed in (and filtered): past start()
        self.finished = False  # its scenario is over (whatever the reason)
        self.after_kill = 0  # actions begun after the kill (a kill run: every session makes at least one)

    # ------------------------------------------------------------------ connection

    def _get_cookies(self) -> None:
        """The first page request, as a browser makes it: nginx's affinity cookie and Streamlit's XSRF cookie."""
        request = urllib.request.Request(self.base + "/", headers={"Cookie": self._cookie_header()})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            self.upstream = response.headers.get("X-Taskboard-Upstream", "")
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                self.cookies.update({name: morsel.value for name, morsel in jar.items()})

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def connect(self) -> None:
        await asyncio.to_thread(self._get_cookies)
        url = "ws" + self.base[len("http"):] + "/_stcore/stream"
        # Streamlit reads its subprotocol header as: protocol, XSRF token, session to resume.
        protocols = [Subprotocol("streamlit")]
        if self.session_id:
            protocols += [Subprotocol("none"), Subprotocol(self.session_id)]
        self.ws = await connect(url, subprotocols=protocols, additional_headers={"Cookie": self._cookie_header()},
                                max_size=None, open_timeout=30, ping_interval=None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    # ------------------------------------------------------------------ reruns

    def _set(self, proto: Any, **value: Any) -> None:
        state = WidgetState(id=proto.id)
        for name, v in value.items():
            if name == "string_array_value":
                state.string_array_value.data.extend(v)
            else:
                setattr(state, name, v)
        self.states[proto.id] = state

    async def rerun(self, *, page: str | None = None, trigger: Any | None = None) -> Run:
        """One rerun as the browser asks for it (widget states, query string, page); timed to
        its ``script_finished``. ``trigger``: a button pressed for this run only."""
        if self.ws is None:
            raise Disconnected("not connected")
        if page is not None:
            self.page = page
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = self.query_string
        client.page_name = self.page
        client.page_script_hash = self.page_hashes.get(self.page, "")
        client.widget_states.widgets.extend(self.states.values())
        if trigger is not None:
            client.widget_states.widgets.append(WidgetState(id=trigger.id, trigger_value=True))
        started = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
            run = await asyncio.wait_for(self._read_run(), RERUN_TIMEOUT)
        except ConnectionClosed as exc:
            self.ws = None
            raise Disconnected(str(exc)) from None
        except TimeoutError:
            self.stats.errors.append(f"session {self.number}: rerun over {RERUN_TIMEOUT:.0f} s")
            raise RerunTimeout(f"rerun over {RERUN_TIMEOUT:.0f} s") from None
        self.stats.times.append(time.perf_counter() - started)
        self.stats.by_page.setdefault(self.page or DEFAULT_PAGE, []).append(self.stats.times[-1])
        self.stats.by_phase.setdefault("working" if self.started else "arrival", []).append(self.stats.times[-1])
        self._check(run)
        # The browser forgets the values of widgets the page no longer draws.
        self.states = {i: s for i, s in self.states.items() if i in run.ids}
        self.last = run
        return run

    async def _read_run(self) -> Run:
        assert self.ws is not None
        run = Run()
        while True:
            data = await self.ws.recv()
            if not isinstance(data, bytes):
                continue
            message = ForwardMsg()
            message.ParseFromString(data)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                run = Run()  # a new run (also after st.rerun()): what counts is the last one
                init = message.new_session.initialize
                if init.session_id:
                    self.session_id = init.session_id
                run.page_hash = message.new_session.page_script_hash
            elif kind == "navigation":
                for page in message.navigation.app_pages:
                    self.page_hashes[page.url_pathname] = page.page_script_hash
                    if page.is_default:  # the default page is also the app's bare address
                        self.page_hashes[""] = self.page_hashes[DEFAULT_PAGE] = page.page_script_hash
                run.page_hash = message.navigation.page_script_hash or run.page_hash
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                run.add(message.delta.new_element)
            elif kind == "delta" and message.delta.WhichOneof("type") == "add_block":
                run.add_block(message.delta.add_block)
            elif kind == "page_info_changed":
                self.query_string = message.page_info_changed.query_string
            elif kind == "page_not_found":
                run.page_not_found = True
            elif kind == "script_finished":
                if message.script_finished == FINISHED_OK:
                    return run
                if message.script_finished == ForwardMsg.ScriptFinishedStatus.Value("FINISHED_WITH_COMPILE_ERROR"):
                    run.exceptions.append("script compile error")
                    return run

    def _check(self, run: Run) -> None:
        where = f"session {self.number} on {self.page or 'overview'}"
        for text in run.exceptions:
            self.stats.errors.append(f"{where}: exception {text}")
        if run.page_not_found:
            self.stats.errors.append(f"{where}: page not found (asked for {self.page!r}, "
                                     f"hash {self.page_hashes.get(self.page, '')!r} of {len(self.page_hashes)}, "
                                     f"query {self.query_string!r}, run page {run.page_hash!r})")
        for kind, body in run.alerts:
            if kind == 1 and not body.startswith(CONFLICT_MARK):  # Alert.ERROR
                self.stats.errors.append(f"{where}: error message {body[:200]}")

    # ------------------------------------------------------------------ steps

    async def start(self) -> None:
        await self.connect()
        await self.rerun(page="")
        await self.sign_in()
        if self.filter_first and (agencies := self.last.widget("f_agency")) is not None:
            self.agency = [self.rng.choice(list(agencies.options))]
            self._set(agencies, string_array_value=self.agency)
            await self.rerun()

    async def sign_in(self) -> None:
        """Issue 18: fill the sidebar form's name and password and press its button. The form must be
        there (the workspace has accounts and this session is not signed in) and must go away (signed
        in: the sidebar says who instead); anything else is an error. The password is sent as a widget
        state over the WebSocket, as a browser sends it, and forgotten with the form's widgets."""
        if self.credentials is None:
            return
        c = self.credentials
        user, password, button = (self.last.widget(c.user_key), self.last.widget(c.password_key),
                                  self.last.widget_like(c.button_prefix))
        if user is None or password is None or button is None:
            self.stats.errors.append(f"session {self.number}: sign-in form not found")
            return
        self._set(user, string_value=c.user)
        self._set(password, string_value=c.password)
        run = await self.rerun(trigger=button)
        if run.widget(c.user_key) is not None:  # still asked: refused (its message counted by _check)
            self.stats.errors.append(f"session {self.number}: sign-in as {c.user} refused")
        else:
            self.stats.sign_ins += 1

    async def open_page(self) -> None:
        await self.rerun(page=self.rng.choices(PAGES, PAGE_WEIGHTS)[0])

    async def change_filter(self) -> None:
        run = self.last
        agencies, meeting = run.widget("f_agency"), run.widget_like("w_meeting_date_")
        if meeting is not None and (agencies is None or self.rng.random() < 0.4):
            low = dt.date.fromisoformat(meeting.min.replace("/", "-"))
            high = dt.date.fromisoformat(meeting.max.replace("/", "-"))
            day = low + dt.timedelta(days=self.rng.randrange(max(1, (high - low).days + 1)))
            self._set(meeting, string_array_value=[day.isoformat()])
        elif agencies is not None:
            keep = self.filter_first or not selected(agencies) or self.rng.random() >= 0.5
            choice = [self.rng.choice(list(agencies.options))] if keep else []
            self._set(agencies, string_array_value=choice)
            self.agency = choice
        else:
            return
        await self.rerun()

    async def save_progress(self) -> None:
        """The progress page's report form: choose a task, fill status, percent, note and name, save."""
        if self.page != "progress":
            await self.rerun(page="progress")
        tabs = self.last.widget(REPORT_TAB[0])
        if tabs is not None and self.last.widget("pr_task") is None:  # only the open tab is drawn: open the form's
            self._set(tabs, string_value=REPORT_TAB[1])
            await self.rerun()
        task = self.last.widget("pr_task")
        if task is None or not task.options:
            return
        # Each session keeps to one task where it can (fewer collisions); any task shown otherwise.
        wanted = task.options[self.number % len(task.options)]
        current = task.raw_value if task.set_value else (task.options[task.default] if task.HasField("default") else "")
        if current != wanted:
            self._set(task, string_value=wanted)
            await self.rerun()
        run = self.last
        status, percent, note, submit = (run.widget("pr_status"), run.widget("pr_percent"), run.widget("pr_note"),
                                         run.widget_like("FormSubmitter:pr_form-"))
        if status is None or percent is None or note is None or submit is None:
            self.stats.errors.append(f"session {self.number}: report form not found")
            return
        self.saves += 1
        token = f"{self.tag}:{self.number}:{self.saves}"
        self._set(status, string_value=self.rng.choice(list(status.options)))
        self._set(percent, double_value=float(self.rng.randrange(0, 101, 5)))
        self._set(note, string_value=f"load test {token}")
        run = await self.rerun(trigger=submit)  # made by the signed-in account (the form has no name field)
        for kind, body in run.alerts:
            if kind == 4 and body.startswith(SAVED_MARK):  # Alert.SUCCESS
                found = re.search(r"\d+", body)
                if found:
                    by = self.credentials.user if self.credentials else ""
                    self.stats.writes.append((int(found.group()), f"load test {token}", by))
                else:
                    self.stats.errors.append(f"session {self.number}: save of {token} confirmed without its number")
                return
            if kind == 1 and body.startswith(CONFLICT_MARK):  # Alert.ERROR: the expected refusal
                self.stats.conflicts += 1
                return
            if kind == 1:  # refused for another reason (not signed in, no right): counted by _check
                return
        self.stats.errors.append(f"session {self.number}: save of {token} neither confirmed nor refused")

    async def _reconnect_with_retries(self) -> None:
        """Connect again as a browser does: a refused connection (nginx not yet past the dead server)
        is tried again after 0.5, 1, 2, 4 s; a rerun that then fails or times out is not."""
        for attempt in range(RECONNECT_TRIES):
            await asyncio.sleep(0.5 * 2 ** attempt)
            try:
                await asyncio.wait_for(self.connect(), RERUN_TIMEOUT)
            except (OSError, TimeoutError, InvalidHandshake) as exc:
                if attempt == RECONNECT_TRIES - 1:
                    raise Disconnected(f"no server after {RECONNECT_TRIES} tries: {exc}") from None
                continue
            break
        await self.reconnect(connected=True)

    async def reconnect(self, *, connected: bool = False) -> None:
        """What the browser does when its server went away: connect again (nginx picks a live
        server) and rerun the page it was on with its address (query string), as on a reload.
        The view must come back from the address alone: the page, and the filters the address held."""
        self.stats.reconnects += 1
        self.states = {}  # the new server's session knows nothing of the old one's widgets
        address = self.query_string
        if not connected:
            await self.connect()
        run = await self.rerun()
        wanted_page = self.page_hashes.get(self.page, "")
        problems = []
        if run.page_hash and wanted_page and run.page_hash != wanted_page:
            problems.append(f"page {self.page} not restored")
        wanted = parse_qs(address).get("agency", [])
        agencies = run.widget("f_agency")
        if agencies is None or selected(agencies) != wanted:
            problems.append(f"agency filter {wanted} from {address!r} not restored")
        if problems:
            self.stats.not_restored.append(f"session {self.number}: " + "; ".join(problems))
        else:
            self.stats.restored += 1
            self.stats.restored_filters += bool(wanted)
        self.agency = wanted
        await self.sign_in()  # the new server's session is not signed in (as after a reload)

    async def scenario(self, deadline: float, think: float, max_actions: int,
                       on_disconnect: Callable[[Client], bool], killed: asyncio.Event | None = None) -> None:
        """``killed``: a kill run's event, set once a server was killed; until then, and until this
        session has begun one action after it (a session of the killed server so meets the kill and
        reconnects, however slow the machine), the session goes on past ``deadline`` (at most
        ``AFTER_KILL_LIMIT`` more seconds)."""
        try:
            await self._scenario(deadline, think, max_actions, on_disconnect, killed)
        finally:
            self.finished = True

    async def _scenario(self, deadline: float, think: float, max_actions: int,
                        on_disconnect: Callable[[Client], bool], killed: asyncio.Event | None) -> None:
        if self.arrival > 0:
            await asyncio.sleep(self.arrival)
        try:
            await self.start()
        except RerunTimeout:
            await self.close()
            return
        except (Disconnected, OSError) as exc:
            self.stats.errors.append(f"session {self.number}: could not start ({exc})")
            return
        self.started = True
        actions = (self.open_page, self.change_filter, self.save_progress)
        for number in range(max_actions):
            now = time.monotonic()
            waiting = killed is not None and (not killed.is_set() or not self.after_kill)
            if now >= deadline and number >= len(actions) and (not waiting or now >= deadline + AFTER_KILL_LIMIT):
                break  # the first tour is always finished; in a kill run, the kill is met first
            if think > 0:
                await asyncio.sleep(self.rng.uniform(0, 2 * think))
            # A tour first (a page, a filter, a report), then at random (weights 4:3:2).
            action = actions[number] if number < len(actions) else self.rng.choices(actions, (4, 3, 2))[0]
            if killed is not None and killed.is_set():
                self.after_kill += 1
            try:
                await action()
            except RerunTimeout:  # counted where it happened; a browser this slow has been given up on
                await self.close()
                self.ws = None
                break
            except (Disconnected, OSError) as exc:
                self.stats.disconnects += 1
                if not on_disconnect(self):
                    self.stats.errors.append(f"session {self.number}: disconnected ({exc})")
                    return
                try:
                    await self._reconnect_with_retries()
                except (Disconnected, OSError) as again:
                    self.stats.errors.append(f"session {self.number}: could not reconnect ({again})")
                    return
        if self.ws is not None:
            self.stats.held += 1
        await self.close()


# ---------------------------------------------------------------------------------- running


def lost_writes(database: str, writes: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """The confirmed writes the database does not hold (by report id, note and the account that made it)."""
    from sqlalchemy import create_engine, select

    from analysis.store.db import normalise_url
    from analysis.store.models import ProgressReportRow

    engine = create_engine(normalise_url(database))
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(ProgressReportRow.id, ProgressReportRow.note,
                                             ProgressReportRow.reported_by)).all()
    finally:
        engine.dispose()
    held = {(int(i), str(n), str(b)) for i, n, b in rows}
    return [w for w in writes if w not in held]


async def drive(url: str, sessions: int, seconds: float, *, think: float, max_actions: int, seed: int,
                tag: str, during: Callable[[list[Client]], Any] | None = None, reconnect: bool = False,
                filter_first: bool = False, accounts: list[SignIn] | None = None,
                killed: asyncio.Event | None = None, ramp: float = 0.0) -> tuple[Stats, float]:
    """Run the sessions against ``url``, session i signed in as ``accounts[i]`` (each needs one)
    and arriving ``i * ramp / sessions`` seconds in; returns the stats and the wall time.
    ``killed``: see ``Client.scenario``."""
    if accounts is None or len(accounts) < sessions:
        raise ValueError(f"{sessions} sessions need {sessions} accounts (make_accounts)")
    stats = Stats()
    clients = [Client(url, i, stats, random.Random(seed * 1000 + i), tag=tag, sign_in=accounts[i])
               for i in range(sessions)]
    for client in clients:
        client.filter_first = filter_first
        client.arrival = client.number * ramp / sessions
    started = time.monotonic()
    deadline = started + seconds
    tasks = [asyncio.create_task(c.scenario(deadline, think, max_actions, lambda _c: reconnect, killed))
             for c in clients]
    if during is not None:
        await during(clients)
    await asyncio.gather(*tasks)
    return stats, time.monotonic() - started


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3) if ordered else 0.0


def summary(stats: Stats, *, servers: int, sessions: int, wall: float, lost: int) -> dict[str, Any]:
    times = sorted(stats.times)

    return {
        "servers": servers, "sessions": sessions,
        "reruns_per_s": round(len(times) / wall, 2) if wall else 0.0,
        "p50_s": round(statistics.median(times), 3) if times else 0.0, "p95_s": _p95(times),
        "errors": len(stats.errors), "writes": len(stats.writes), "lost_writes": lost,
        "reruns": len(times), "max_s": round(times[-1], 3) if times else 0.0, "seconds": round(wall, 1),
        "sessions_held": stats.held, "conflicts": stats.conflicts, "disconnects": stats.disconnects,
        "reconnects": stats.reconnects, "restored": stats.restored, "sign_ins": stats.sign_ins,
        "restored_filters": stats.restored_filters, "not_restored": stats.not_restored[:10],
        "error_samples": stats.errors[:10],
        "p50_by_page_s": {page: round(statistics.median(values), 3) for page, values in sorted(stats.by_page.items())},
        "p95_by_page_s": {page: _p95(values) for page, values in sorted(stats.by_page.items())},
        # A session's first reruns (open, sign in, first filter) apart from its work after them.
        "p95_by_phase_s": {phase: _p95(values) for phase, values in sorted(stats.by_phase.items())},
    }


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory so far, MB (Linux /proc ``VmHWM``), 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), 0 when it is gone."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def warm_up(urls: list[str], tag: str) -> None:
    """Every page once on each server directly (not counted): the first run of a page imports and
    caches what every later one reuses, which is the cold start, not the load."""
    async def one(url: str) -> None:
        client = Client(url, 0, Stats(), random.Random(0), tag=tag + "-warm")
        await client.start()
        for page in PAGES:
            await client.rerun(page=page)
        await client.close()

    await asyncio.gather(*(one(url) for url in urls))


def run_load(servers: int, sessions: int, seconds: float, *, think: float = 1.0, max_actions: int = 10_000,
             ramp: float = 0.0, seed: int = 1, kill_after: float | None = None, database: str | None = None,
             warm: bool = True) -> dict[str, Any]:
    """Start the stack, drive it, check the database, stop it. ``kill_after``: SIGKILL, that many
    seconds into the run, the app server holding the most sessions (they reconnect through nginx
    to another one; every session sets an agency filter first, which must come back from the URL).
    ``warm``: open every page once on each server first (not counted)."""
    from deploy.stack import running_stack

    tag = f"load-{int(time.time())}"
    killed: list[str] = []
    kill_event: asyncio.Event | None = None
    accounts: list[SignIn] = []

    def prepare(url: str) -> None:  # before the servers start: the accounts the sessions sign in as
        accounts.extend(make_accounts(url, sessions))

    with running_stack(servers, database=database, prepare=prepare) as stack:
        during = None
        if kill_after is not None:
            async def during(clients: list[Client]) -> None:
                # Not before every session has started (opened, signed in, filtered): a slow machine's
                # first reruns may take longer than kill_after; at most KILL_WAIT seconds more.
                await asyncio.sleep(kill_after)
                limit = time.monotonic() + KILL_WAIT
                while not all(c.started or c.finished for c in clients) and time.monotonic() < limit:
                    await asyncio.sleep(0.1)
                held = [c.upstream for c in clients if c.upstream and not c.finished]
                busiest = max(set(held), key=held.count) if held else ""
                index = next((i for i, s in enumerate(stack.servers) if busiest.endswith(f":{s.port}")), 0)
                killed.append(f"127.0.0.1:{stack.servers[index].port} ({held.count(busiest)} sessions)")
                await asyncio.to_thread(stack.kill, index)
                assert kill_event is not None
                kill_event.set()

        if warm:
            asyncio.run(warm_up([server.url for server in stack.servers], tag))
        cpu_before = [cpu_seconds(server.process.pid) for server in stack.servers]

        async def drive_all() -> tuple[Stats, float]:
            nonlocal kill_event
            kill_event = asyncio.Event() if kill_after is not None else None  # made inside the run's loop
            return await drive(stack.url, sessions, seconds, think=think, max_actions=max_actions, seed=seed,
                               tag=tag, during=during, reconnect=kill_after is not None,
                               filter_first=kill_after is not None, accounts=accounts, killed=kill_event,
                               ramp=ramp)

        stats, wall = asyncio.run(drive_all())
        cpu = sum(max(0.0, cpu_seconds(s.process.pid) - b) for s, b in zip(stack.servers, cpu_before, strict=True))
        peak = max((peak_rss_mb(s.process.pid) for s in stack.servers), default=0.0)
        lost = lost_writes(stack.database, stats.writes)
    result = summary(stats, servers=servers, sessions=sessions, wall=wall, lost=len(lost))
    # The app servers' own CPU time per rerun: what a rerun costs, whatever else runs on the machine.
    result["server_cpu_s"] = round(cpu, 1)
    result["server_cpu_per_rerun_s"] = round(cpu / len(stats.times), 3) if stats.times else 0.0
    result["think_s"], result["ramp_s"] = think, ramp  # the load model: mean pause, arrivals spread
    result["server_peak_rss_mb"] = peak  # the largest app server's peak resident memory
    if kill_after is not None:
        result["killed"] = killed[0] if killed else "none"
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean pause between a session's actions, seconds (an official reading a chart: "
                             "default 10; 0: as fast as the server answers)")
    parser.add_argument("--ramp", type=float, default=None,
                        help="spread the sessions' arrivals over this many seconds (default: a third of "
                             "--seconds; 0: all at once)")
    parser.add_argument("--max-actions", type=int, default=10_000, help="at most this many actions per session")
    parser.add_argument("--kill-after", type=float, default=None,
                        help="kill one server this many seconds in; its sessions reconnect through nginx")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-warm-up", action="store_true",
                        help="do not open every page once on each server before measuring")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    if not 1 <= args.servers <= 16 or not 1 <= args.sessions <= 500 or not 0 < args.seconds <= 3600:
        parser.error("--servers 1-16, --sessions 1-500, --seconds up to 3600")
    if args.ramp is None:
        args.ramp = round(args.seconds / 3, 1)
    if not 0 <= args.ramp < args.seconds:
        parser.error("--ramp must be at least 0 and shorter than --seconds")
    if args.kill_after is not None and args.servers < 2:
        parser.error("--kill-after needs at least 2 servers")
    from deploy.stack import stop_on_sigterm

    stop_on_sigterm()
    result = run_load(args.servers, args.sessions, args.seconds, think=args.think, max_actions=args.max_actions,
                      ramp=args.ramp, seed=args.seed, kill_after=args.kill_after, warm=not args.no_warm_up)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for name, value in result.items():
            print(f"{name:>14}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["Client", "SignIn", "Stats", "asdict", "drive", "lost_writes", "make_accounts", "run_load", "summary"]
