"""协调会 Meetings: the meetings of a workspace plan, one meeting's agenda and decisions, the minutes.

The agenda comes from the red/amber/green warnings of the meeting date; a decision that moves a
deadline or changes the units changes the plan as decided (the published values stay beside it).
"""

import dashboard.boot  # noqa: F401  # isort: skip  (first: the heavy imports, one thread at a time)
import datetime as dt

import streamlit as st

from analysis import derive, figures
from analysis.i18n import label, t
from analysis.meetings import agenda_table, decisions_table, task_history_table
from analysis.store import Workspace, WorkspaceError
from analysis.store.access import Action
from analysis.vocab import Bilingual, ProgressStatus
from dashboard import state, ui, workspace_ui
from dashboard import workspace_state as wss

lang = state.language()


def _say(kind: str, text: str) -> None:
    st.session_state["mt_message"] = (kind, text)


def _failed(exc: Exception) -> None:
    _say("error", exc.message(lang) if isinstance(exc, WorkspaceError) else str(exc))


def _workspace() -> Workspace:
    """The server's workspace (one engine per server, ``dashboard.workspace_state``), never a new one per rerun."""
    ws = wss.workspace()
    if ws is None:
        raise WorkspaceError(Bilingual("工作区数据库不可用：" + wss.unavailable_reason(),
                                       "the workspace database is unavailable: " + wss.unavailable_reason()))
    return ws


# Writes run in button callbacks: before the script, so a rerun of the page never loses a click.
def _create(plan_id: int) -> None:
    ss = st.session_state
    try:
        created = _workspace().meetings.add(plan_id, ss["mt_date"], actor=wss.actor(), title=ss.get("mt_title", ""),
                                            place=ss.get("mt_place", ""), attendees=ss.get("mt_attendees", []))
    except (WorkspaceError, ValueError) as exc:
        _failed(exc)
        return
    wss.changed()
    ss["mt_meeting"] = created.meeting_id
    _say("success", t("meetings_created", lang, id=created.meeting_id, n=len(created.agenda)))


def _edit_agenda(meeting_id: int) -> None:
    ss = st.session_state
    try:
        _workspace().meetings.set_agenda(meeting_id, actor=wss.actor(), add=ss.get("mt_add", []),
                                         drop=ss.get("mt_drop", []))
    except WorkspaceError as exc:
        _failed(exc)
        return
    wss.changed()
    ss.update({"mt_add": [], "mt_drop": []})


def _decide(meeting_id: int) -> None:
    ss = st.session_state
    task = ss["mt_task"]
    try:
        _workspace().meetings.decide(
            meeting_id, task, actor=wss.actor(), deadline=ss.get("mt_deadline"),
            lead=ss.get("mt_lead") or None, support=ss.get("mt_support") or None,
            status=ss.get("mt_status") or None, note=ss.get("mt_note", ""),
            follow_up_by=ss.get("mt_follow_by", ""), follow_up_due=ss.get("mt_due"),
        )
    except WorkspaceError as exc:
        _failed(exc)
        return
    wss.changed()
    _say("success", t("meetings_decision_saved", lang, task=task))
    # The inputs start empty again (set, not deleted: the browser would send its old values back).
    ss.update({"mt_deadline": None, "mt_status": "", "mt_lead": [], "mt_support": [], "mt_note": "",
               "mt_follow_by": "", "mt_due": None})


ws = wss.workspace()
if ws is None:
    st.title(t("page_meetings", lang))
    st.warning(t("ws_unavailable", lang, reason=ui.md_escape(wss.unavailable_reason())))
    st.stop()
cached = wss.reads(ws)  # the reads below, once per workspace revision and server (the writes go to ws)
plans = cached.list_plans()
if not plans:
    st.title(t("page_meetings", lang))
    st.info(t("meetings_no_plans", lang))
    st.stop()
titles = {p.plan_id: f"{p.plan_id} · {wss.plan_title(p, lang)}" for p in plans}
if st.session_state.get("mt_plan") not in titles:
    st.session_state["mt_plan"] = plans[0].plan_id
chosen = wss.chosen()
if chosen is not None and chosen.plan_id in titles:  # the plan chosen in the sidebar, as on every page
    st.session_state["mt_plan"] = chosen.plan_id
plan = cached.load_plan(st.session_state["mt_plan"])  # the plan as decided
ui.page_header(plan, "page_meetings", lang)
if "mt_message" in st.session_state:
    kind, message = st.session_state.pop("mt_message")
    (st.error if kind == "error" else st.success)(ui.md_escape(message))
if chosen is not None and chosen.plan_id in titles:
    plan_id = chosen.plan_id
else:
    plan_id = st.selectbox(t("meetings_plan", lang), list(titles), format_func=titles.__getitem__, key="mt_plan")
agencies = [str(a) for a in plan.agencies["agency"]]
task_ids = [str(k) for k in plan.tasks["task_id"]]
captions = {k: derive.task_caption(plan, k) for k in task_ids}
workspace_ui.actor_input(lang, "mt_actor")  # the signed-in account records (sidebar sign-in)
may_record = workspace_ui.may(Action.MEETING, plan_id)  # buttons off for others; the store checks anyway

# ------------------------------------------------------------------ a new meeting
meetings = cached.meetings.of_plan(plan_id)
with st.expander(t("meetings_new", lang), expanded=not meetings, icon=":material/add:"):
    st.date_input(t("meetings_date", lang), value=derive.default_meeting_date(plan), key="mt_date")
    st.text_input(t("meetings_title", lang), key="mt_title")
    st.text_input(t("meetings_place", lang), key="mt_place")
    st.multiselect(t("meetings_attendees", lang), agencies, key="mt_attendees", accept_new_options=True, placeholder=t("choose_or_type", lang))
    st.button(t("meetings_create", lang), type="primary", key="mt_create", on_click=_create, args=(plan_id,),
          disabled=not may_record)

if not meetings:
    st.info(t("meetings_none", lang))
    st.stop()

# ------------------------------------------------------------------ one meeting
ids = [m.meeting_id for m in meetings]
if st.session_state.get("mt_meeting") not in ids:
    st.session_state["mt_meeting"] = ids[-1]
names = {m.meeting_id: f"{m.date.isoformat()} · {m.title}" for m in meetings}
meeting_id = st.selectbox(t("meetings_choose", lang), ids, format_func=names.__getitem__, key="mt_meeting")
meeting = cached.meetings.get(meeting_id)
decided = cached.load_plan(plan_id, as_of=meeting.date)

st.subheader(t("meetings_agenda", lang))
items = cached.meetings.agenda_items(meeting_id)
ui.table(agenda_table(decided, items, lang), key="mt_agenda", file_stem="agenda", lang=lang,
         column_config={t("col_text", lang): st.column_config.TextColumn(width="large")})
with st.container(key="mt_agenda_edit", border=True):
    cols = st.columns(2)
    cols[0].multiselect(t("meetings_agenda_add", lang), [k for k in task_ids if k not in meeting.agenda],
                        format_func=captions.__getitem__, key="mt_add", placeholder=t("choose_or_type", lang))
    cols[1].multiselect(t("meetings_agenda_drop", lang), list(meeting.agenda),
                        format_func=lambda k: captions.get(k, k), key="mt_drop", placeholder=t("choose_or_type", lang))
    st.button(t("meetings_agenda_save", lang), key="mt_agenda_save", on_click=_edit_agenda, args=(meeting_id,),
          disabled=not may_record)

# ------------------------------------------------------------------ decisions
st.subheader(t("meetings_decisions", lang))
with st.container(key="mt_decide", border=True):
    st.markdown("**" + t("meetings_decide", lang) + "**")
    choices = [*meeting.agenda, *[k for k in task_ids if k not in meeting.agenda]]
    st.selectbox(t("meetings_task", lang), choices, format_func=lambda k: captions.get(k, k), key="mt_task")
    cols = st.columns(2)
    cols[0].date_input(t("meetings_new_deadline", lang), value=None, key="mt_deadline",
                       min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
    cols[1].selectbox(t("meetings_status", lang), ["", *ProgressStatus], key="mt_status",
                      format_func=lambda s: label(ProgressStatus(s), lang) if s
                      else t("meetings_status_unchanged", lang))
    cols[0].multiselect(t("meetings_new_lead", lang), agencies, key="mt_lead", accept_new_options=True, placeholder=t("choose_or_type", lang))
    cols[1].multiselect(t("meetings_new_support", lang), agencies, key="mt_support", accept_new_options=True, placeholder=t("choose_or_type", lang))
    st.text_area(t("meetings_note", lang), key="mt_note")
    cols = st.columns(2)
    cols[0].text_input(t("meetings_follow_up_by", lang), key="mt_follow_by")
    cols[1].date_input(t("meetings_follow_up_due", lang), value=None, key="mt_due",
                       min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
    st.button(t("meetings_save_decision", lang), type="primary", key="mt_save_decision", on_click=_decide, disabled=not may_record,
              args=(meeting_id,))
decisions = cached.meetings.decisions(plan_id, meeting_id=meeting_id)
follow = cached.meetings.follow_ups(plan_id, max(meeting.date, dt.date.today()))
if decisions:
    ui.table(decisions_table(decisions, lang, follow=[f for f in follow if f.decision.meeting_id == meeting_id]),
             key="mt_decisions", file_stem="decisions", lang=lang)
else:
    st.caption(t("meetings_no_decisions", lang))
st.download_button(
    # Built when the button is clicked (a Word file on every rerun cost 0.1-0.3 s).
    t("meetings_minutes", lang), lambda: ws.meetings.minutes(meeting_id, lang=lang),
    file_name=f"minutes-{meeting.date.isoformat()}-{meeting_id}.docx", key="mt_minutes",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    icon=":material/description:", on_click="ignore",
)

# ------------------------------------------------------------------ moved deadlines on the timeline
def moved_figure():
    """The timeline of the tasks whose deadline a decision moved (None: none moved). Reads the plan as
    decided itself, after the key's revision was read: never older than its key (state.memo)."""
    decided = cached.load_plan(plan_id, as_of=meeting.date)
    if "published_deadline" not in decided.tasks.columns:
        return None
    moved = decided.tasks.loc[decided.tasks["deadline"] != decided.tasks["published_deadline"], "task_id"]
    if not len(moved):
        return None
    status = derive.due_status(decided, meeting.date)
    rows = status.loc[status["task_id"].isin(set(moved))]
    return figures.timeline_figure(decided, derive.timeline_order(rows, decided), meeting.date, lang,
                                   scale=state.chart_scale())


moved_chart = state.memo("mt_timeline", (ws.url, wss.revision(ws), plan_id, meeting.date, lang, state.chart_scale()),
                         moved_figure)
if moved_chart is not None:
    st.subheader(t("meetings_moved", lang))
    ui.chart(moved_chart, key="mt_timeline")

# ------------------------------------------------------------------ since the previous meeting
st.subheader(t("meetings_changes", lang))
changes = cached.meetings.changes(meeting_id)
if changes is None:
    st.caption(t("meetings_first", lang))
else:
    cols = st.columns(4)
    for col, key, value in zip(cols, ("meetings_done", "meetings_newly_late", "meetings_carried_out",
                                      "meetings_not_carried_out"),
                               (changes.done, changes.newly_late, changes.carried_out, changes.not_carried_out),
                               strict=True):
        col.metric(t(key, lang), len(value), border=True)
    for key, tasks in (("meetings_done", changes.done), ("meetings_newly_late", changes.newly_late)):
        if tasks:
            st.caption(t(key, lang) + "：" + "、".join(ui.md_escape(captions.get(k, k)) for k in tasks))
    if changes.not_carried_out:
        ui.table(decisions_table([f.decision for f in changes.not_carried_out], lang,
                                 follow=changes.not_carried_out), key="mt_open", file_stem="open_follow_ups",
                 lang=lang)

# ------------------------------------------------------------------ one task's history
st.subheader(t("meetings_history", lang))
history_task = st.selectbox(t("meetings_task", lang), task_ids, format_func=captions.__getitem__, key="mt_history")
held = [(m.meeting_id, m.date, m.title) for m in cached.meetings.task_meetings(plan_id, history_task)]
ui.table(task_history_table(plan, history_task, held,
                            cached.meetings.decisions(plan_id, task_id=history_task), lang),
         key="mt_history_table", file_stem=f"task_{history_task}_meetings", lang=lang)
