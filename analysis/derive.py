"""Views derived from the plan model: filtering, workload, deadlines, matrices.

Pure functions over `Plan`; every page and export calls these instead of computing.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.i18n import label, role_label, t, type_label
from analysis.model import AGENCY_COLUMNS, ROLES, Plan
from analysis.vocab import DEFAULTS, DUE_STATUSES, DeadlineKind, DueStatus, Role

DEFAULT_LEAD_WEIGHT = DEFAULTS.lead_weight
DEFAULT_DUE_WINDOW_DAYS = DEFAULTS.due_window_days


@dataclass(frozen=True)
class Filters:
    """Sidebar filters, shared by every page. Empty means 'no restriction'."""

    agencies: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.agencies or self.types or self.themes or self.roles)


# Lookups built once per frame (a plan's frames are read-only): a selectbox formats every
# option through `agency_name` / `task_caption`, which must not scan the frame each time
# (10 000 tasks × a scan = seconds per rerun). Keyed by the frame's identity, dropped with it.
_LOOKUPS: dict[tuple[int, str], tuple[weakref.ref[pd.DataFrame], Any]] = {}


def _lookup(frame: pd.DataFrame, name: str, build: Callable[[pd.DataFrame], Any]) -> Any:
    key = (id(frame), name)
    entry = _LOOKUPS.get(key)
    if entry is not None and entry[0]() is frame:
        return entry[1]
    value = build(frame)

    def forget(_ref: weakref.ref[pd.DataFrame], key: tuple[int, str] = key) -> None:
        _LOOKUPS.pop(key, None)

    _LOOKUPS[key] = (weakref.ref(frame, forget), value)
    return value


def _positions(frame: pd.DataFrame, column: str) -> dict[Any, int]:
    """value → position of its first row."""
    positions: dict[Any, int] = _lookup(frame, f"positions:{column}", lambda f: {
        v: i for i, v in reversed(list(enumerate(f[column].tolist())))
    })
    return positions


def _matching_assignments(plan: Plan, filters: Filters) -> pd.DataFrame:
    a = plan.assignments
    mask = pd.Series(True, index=a.index)
    if filters.agencies:
        mask &= a["agency"].isin(filters.agencies)
    if filters.types:
        types = a["agency"].map(dict(zip(plan.agencies["agency"], plan.agencies["type"].astype(str), strict=True)))
        mask &= types.isin(filters.types)
    if filters.roles:
        mask &= a["role"].isin(filters.roles)
    return a.loc[mask]


def apply_filters(plan: Plan, filters: Filters) -> Plan:
    """The plan restricted to tasks that match every filter.

    A task matches when its theme is selected and it has an assignment whose agency,
    agency type and role are all selected. Kept tasks keep all their assignments, so
    the partners of a chosen agency stay visible; agency counts are recounted.
    """
    if not filters.active:
        return plan
    tasks = plan.tasks
    if filters.themes:
        tasks = tasks.loc[tasks["theme"].isin(filters.themes)]
    if filters.agencies or filters.types or filters.roles:
        matched = _matching_assignments(plan, filters)["task_id"].unique()
        tasks = tasks.loc[tasks["task_id"].isin(matched)]
    assignments = plan.assignments.loc[plan.assignments["task_id"].isin(tasks["task_id"])]
    return replace(plan, tasks=tasks, assignments=assignments, agencies=recount_agencies(plan.agencies, assignments))


def recount_agencies(agencies: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """Agency rows with lead/support/tasks counted on `assignments` (zero rows dropped)."""
    counts = (
        assignments.groupby(["agency", "role"]).size().unstack(fill_value=0).reindex(columns=list(ROLES), fill_value=0)
    )
    frame = agencies.drop(columns=["lead", "support", "tasks"]).merge(
        counts, left_on="agency", right_index=True, how="inner"
    )
    frame["tasks"] = frame["lead"] + frame["support"]
    return frame[AGENCY_COLUMNS].reset_index(drop=True)


def focus_agencies(plan: Plan, filters: Filters) -> list[str]:
    """Agencies an agency-centric chart should show under the filters, in table order."""
    agencies = plan.agencies
    keep = pd.Series(True, index=agencies.index)
    if filters.agencies:
        keep &= agencies["agency"].isin(filters.agencies)
    if filters.types:
        keep &= agencies["type"].astype(str).isin(filters.types)
    return [str(a) for a in agencies.loc[keep, "agency"]]


# ------------------------------------------------------------------------------ workload


def workload(plan: Plan, *, lead_weight: float = DEFAULT_LEAD_WEIGHT, agencies: list[str] | None = None) -> pd.DataFrame:
    """Per agency: tasks led, supported, total, and weighted score (lead × weight + support)."""
    frame = plan.agencies[["agency", "full_name", "english_name", "type", "lead", "support"]].copy()
    if agencies is not None:
        frame = frame.loc[frame["agency"].isin(agencies)]
    frame["total"] = frame["lead"] + frame["support"]
    frame["score"] = frame["lead"] * lead_weight + frame["support"]
    return frame.reset_index(drop=True)


def sort_workload(frame: pd.DataFrame, by: str = "total") -> pd.DataFrame:
    """Sorted descending by `by` (total, lead, support or score); ties keep table order."""
    secondary = {"total": "lead", "lead": "total", "support": "total", "score": "lead"}[by]
    return frame.sort_values([by, secondary], ascending=False, kind="stable").reset_index(drop=True)


def agency_theme_counts(plan: Plan, agencies: list[str] | None = None) -> pd.DataFrame:
    """Agency × theme table of task counts (lead or support), themes in plan order.

    Rows follow `agencies` when given (e.g. the workload chart's order), else table order.
    """
    merged = plan.assignments.merge(plan.tasks[["task_id", "theme"]], on="task_id")
    if agencies is not None:
        merged = merged.loc[merged["agency"].isin(agencies)]
    table = merged.groupby(["agency", "theme"]).size().unstack(fill_value=0)
    themes = [th for th in plan.themes["theme"] if th in table.columns]
    order = [a for a in (agencies if agencies is not None else plan.agencies["agency"]) if a in table.index]
    return table.reindex(index=order, columns=themes, fill_value=0)


def responsibility_matrix(plan: Plan, lang: str = "zh", agencies: list[str] | None = None) -> pd.DataFrame:
    """Task × agency matrix in the manner of a RACI chart: 牵 (lead), 配 (support) or blank.

    Agencies are ordered by total tasks, so the busiest stand at the left. Filled from the
    assignments' positions in one step (a pivot table took 0.75 s at 10 000 tasks).
    """
    a = plan.assignments
    if agencies is not None:
        a = a.loc[a["agency"].isin(agencies)]
    marks = {Role.LEAD: t("matrix_lead_mark", lang), Role.SUPPORT: t("matrix_support_mark", lang)}
    values = a["role"].map(marks)
    a = a.loc[values.notna().to_numpy()]
    values = values.loc[a.index]
    busiest = sort_workload(workload(plan), "total")["agency"]
    present = set(a["agency"].tolist())
    columns = [ag for ag in busiest if ag in present]
    rows = plan.tasks["task_id"].tolist()
    row = pd.Index(rows).get_indexer(a["task_id"])
    col = pd.Index(columns).get_indexer(a["agency"])
    cells = np.full((len(rows), len(columns)), "", dtype=object)
    chosen = np.flatnonzero((row >= 0) & (col >= 0))[::-1]  # reversed: the first mark wins
    cells[row[chosen], col[chosen]] = values.to_numpy(dtype=object)[chosen]
    if lang == "en":  # agencies named as in the charts (two agencies sharing a name keep their labels)
        names = plan.agency_names(lang, short=True)
        shown = [names.get(ag, ag) for ag in columns]
        if len(set(shown)) == len(shown):
            columns = shown
    return pd.DataFrame(
        cells, index=pd.Index(rows, name="task_id", dtype=str), columns=pd.Index(columns, name="agency", dtype=str)
    )


def agency_tasks(plan: Plan, agency: str) -> pd.DataFrame:
    """The tasks an agency leads or supports, with its role: those led first, then those
    supported, each in table order."""
    mine = plan.assignments.loc[plan.assignments["agency"] == agency, ["task_id", "role"]]
    return plan.tasks.merge(mine, on="task_id").sort_values(["role", "seq"]).reset_index(drop=True)


# ----------------------------------------------------------------------------- deadlines


def default_meeting_date(plan: Plan, today: dt.date | None = None) -> dt.date:
    """Today, kept inside the plan period so the timeline shows it."""
    today = today or dt.date.today()
    return min(max(today, plan.meta.period_start), plan.meta.period_end)


def due_status(
    plan: Plan, meeting_date: dt.date, *, window_days: int = DEFAULT_DUE_WINDOW_DAYS
) -> pd.DataFrame:
    """Each task's standing on the meeting date.

    overdue  — an explicit deadline before the meeting date
    due_soon — an explicit deadline within `window_days` from the meeting date
    later    — an explicit deadline after that window
    plan_end — no explicit deadline: the task runs to the end of the plan period
    """
    tasks = plan.tasks.copy()
    meeting = pd.Timestamp(meeting_date)
    days = (tasks["deadline"] - meeting).dt.days
    explicit = tasks["deadline_kind"] == DeadlineKind.EXPLICIT
    status = pd.Series(DueStatus.LATER.value, index=tasks.index)
    status[explicit & (days < 0)] = DueStatus.OVERDUE.value
    status[explicit & (days >= 0) & (days <= window_days)] = DueStatus.DUE_SOON.value
    status[~explicit] = DueStatus.PLAN_END.value
    tasks["status"] = pd.Categorical(status, categories=list(DUE_STATUSES))
    tasks["days"] = days
    return tasks


def timeline_order(status: pd.DataFrame, plan: Plan, *, group_by: str = "none", lang: str = "zh") -> pd.DataFrame:
    """Tasks in the timeline's row order: table order, or grouped by theme or lead agency.

    Grouped, each row carries its group's name in a ``group`` column (in `lang`), which the
    timeline draws as a header above the group: themes in the plan's order, lead agencies
    from the one leading most tasks down (tasks led jointly form a group of their own)."""
    if group_by == "theme":
        order = {th: i for i, th in enumerate(plan.themes["theme"])}
        labels = {th: plan.theme_label(th, lang) for th in plan.themes["theme"]}
        ordered = status.assign(_g=status["theme"].map(order)).sort_values(["_g", "seq"]).drop(columns="_g")
        return ordered.assign(group=ordered["theme"].map(labels).fillna(ordered["theme"]).astype(str))
    if group_by == "lead":
        names = plan.agency_names(lang, short=True)
        leads = plan.assignments.loc[plan.assignments["role"] == Role.LEAD].sort_values(["task_id", "position"])
        by_task = leads.groupby("task_id", sort=False)["agency"].agg(tuple)
        keys = status["task_id"].map(by_task)
        keys = keys.where(keys.notna(), status["lead_text"].map(lambda text: (str(text),)))
        size = keys.map(keys.value_counts())
        sep = "、" if lang == "zh" else ", "
        group = keys.map(lambda key: sep.join(names.get(a, a) for a in key) or "—")
        ordered = status.assign(group=group, _n=-size, _k=keys.map(sep.join))
        return ordered.sort_values(["_n", "_k", "seq"]).drop(columns=["_n", "_k"])
    return status.sort_values("seq")


def days_text(status: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Each task's distance from the meeting date in words: "已过期限 852 天" (overdue),
    "还有 12 天" (due later), "至规划期末" (no deadline of its own)."""
    days = status["days"]
    overdue = days < 0
    text = days.abs().astype("Int64").astype(str)
    words = pd.Series(
        [t("days_overdue", lang, n=n) if late else t("days_left", lang, n=n) for n, late in zip(text, overdue, strict=True)],
        index=status.index, dtype=object,
    )
    return words.where(status["deadline_kind"] == DeadlineKind.EXPLICIT, t("days_plan_end", lang))


def due_counts(status: pd.DataFrame) -> dict[str, int]:
    counts = status["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in DUE_STATUSES}


# ---------------------------------------------------------------------------- for display


def targets_text(targets: list[dict[str, object]]) -> str:
    return "；".join(str(target["text"]) for target in targets)


def agency_name(plan: Plan, agency: str, lang: str = "zh") -> str:
    """The label in Chinese; the English name in English when the registry has it."""
    return plan.agency_names(lang).get(agency, agency)


def units_text(plan: Plan, tasks: pd.DataFrame, role: str, lang: str = "zh", *, short: bool = False) -> pd.Series:
    """Each task's lead or supporting units as shown: in Chinese the cell as written, in English
    the agencies' English names (Plan.agency_names; `short`: the charts' short names, as a
    table's narrow column needs) in the cell's order; a task whose cell named no agency keeps
    its text."""
    column = "lead_text" if role == Role.LEAD else "support_text"
    if lang != "en":
        return tasks[column]
    names = plan.agency_names(lang, short=short)
    mine = plan.assignments.loc[(plan.assignments["role"] == role)
                                & plan.assignments["task_id"].isin(tasks["task_id"])]
    mine = mine.sort_values(["task_id", "position"], kind="stable")
    joined = mine["agency"].map(lambda a: names.get(a, a)).groupby(mine["task_id"], sort=False).agg(", ".join)
    shown = tasks["task_id"].map(joined)
    return shown.where(shown.notna(), tasks[column])


def task_table(plan: Plan, lang: str = "zh", search: str = "") -> pd.DataFrame:
    """The task list as shown and exported: localised headers, one row per task.

    What an official looks for first leads (number, deadline, lead units), the long task
    text follows; agencies are named in `lang` as in the charts (short English names)."""
    tasks = plan.tasks
    if search.strip():
        needle = search.strip().lower()
        # each field on its own: a query never matches across two fields
        found = pd.Series(False, index=tasks.index)
        columns = ["task_id", "text", "lead_text", "support_text"]
        for column in columns:
            found |= tasks[column].astype(str).str.lower().str.contains(needle, regex=False)
        if lang == "en":  # the English names match too, short (as shown) and full
            for role in (Role.LEAD, Role.SUPPORT):
                for short in (True, False):
                    found |= units_text(plan, tasks, role, lang, short=short).astype(str).str.lower().str.contains(
                        needle, regex=False)
        tasks = tasks.loc[found]
    theme_labels = dict(zip(plan.themes["theme"], plan.themes["label_en" if lang == "en" else "label_zh"], strict=True))
    return pd.DataFrame({
        t("col_task_id", lang): tasks["task_id"],
        t("col_deadline", lang): tasks["deadline"].dt.date,
        t("col_deadline_kind", lang): tasks["deadline_kind"].map(
            {k: t(f"deadline_kind_{k}", lang) for k in tasks["deadline_kind"].unique()}
        ),
        t("col_lead", lang): units_text(plan, tasks, Role.LEAD, lang, short=True),
        t("col_text", lang): tasks["text"],
        t("col_support", lang): units_text(plan, tasks, Role.SUPPORT, lang, short=True),
        t("col_theme", lang): tasks["theme"].map(theme_labels),
        t("col_deadline_text", lang): tasks["deadline_text"],
        t("col_targets", lang): tasks["targets"].map(targets_text),
    }).reset_index(drop=True)


def search_examples(plan: Plan, lang: str = "zh") -> str:
    """What to type in the task search, taken from the plan on screen: its busiest lead
    agency, the year of its first explicit deadline and a task number."""
    examples: list[str] = []
    leads = plan.assignments.loc[plan.assignments["role"] == Role.LEAD, "agency"]
    if len(leads):
        agency = str(leads.value_counts().index[0])
        examples.append(plan.agency_names(lang, short=True).get(agency, agency) if lang == "en" else agency)
    explicit = plan.tasks.loc[plan.tasks["deadline_kind"] == DeadlineKind.EXPLICIT, "deadline"]
    if len(explicit):
        year = int(explicit.min().year)
        examples.append(f"{year}年" if lang == "zh" else str(year))
    if len(plan.tasks):
        examples.append(str(plan.tasks["task_id"].iloc[0]))
    return ("、" if lang == "zh" else ", ").join(examples) + "…"


CAPTION_LENGTH = 40


def _captions(tasks: pd.DataFrame) -> dict[str, str]:
    # vectorised: a selectbox of 10 000 tasks captions every option on every rerun
    text = tasks["text"].astype(str)
    cut = text.where(text.str.len() <= CAPTION_LENGTH, text.str.slice(0, CAPTION_LENGTH - 1) + "…")
    captions = tasks["task_id"].astype(str) + " · " + cut
    return dict(zip(tasks["task_id"].tolist()[::-1], captions.tolist()[::-1]))  # first row wins


def task_caption(plan: Plan, task_id: str) -> str:
    """"id · first 40 characters of the text" for pickers."""
    return str(_lookup(plan.tasks, "captions", _captions)[task_id])


def task_detail(plan: Plan, task_id: str, lang: str = "zh") -> dict[str, str]:
    """One task's fields for a detail card: label → text (all user text, unformatted)."""
    task = plan.tasks.iloc[_positions(plan.tasks, "task_id")[task_id]]
    deadline = task["deadline"].date().isoformat()
    kind = t(f"deadline_kind_{task['deadline_kind']}", lang)
    detail = {
        t("col_task_id", lang): task_id,
        t("col_theme", lang): plan.theme_label(task["theme"], lang),
        t("col_text", lang): task["text"],
        t("col_lead", lang): _units_of(plan, task, Role.LEAD, lang) or "—",
        t("col_support", lang): _units_of(plan, task, Role.SUPPORT, lang) or "—",
        t("col_deadline", lang): f"{deadline}（{kind}）" if lang == "zh" else f"{deadline} ({kind})",
        t("col_deadline_text", lang): task["deadline_text"] or "—",
        t("col_targets", lang): targets_text(task["targets"]) or "—",
    }
    leaders = task.get("leaders")
    if leaders is not None and len(leaders):
        detail[t("col_leaders", lang)] = "、".join(leaders)
    return detail


def _units_of(plan: Plan, task: pd.Series, role: str, lang: str) -> str:
    one = plan.tasks.iloc[[_positions(plan.tasks, "task_id")[task["task_id"]]]]
    return str(units_text(plan, one, role, lang).iloc[0] or "")


def _names(plan: Plan | None, agencies: pd.Series, lang: str) -> pd.Series:
    """Agency labels as the charts name them in `lang` (Plan.agency_names, short)."""
    if plan is None or lang != "en":
        return agencies
    names = plan.agency_names(lang, short=True)
    return agencies.map(lambda a: names.get(a, a))


def workload_table(frame: pd.DataFrame, lang: str = "zh", plan: Plan | None = None) -> pd.DataFrame:
    """A workload frame with localised headers and type labels, for display and export
    (agencies named as in the charts when `plan` is given)."""
    return pd.DataFrame({
        t("col_agency", lang): _names(plan, frame["agency"], lang),
        t("col_full_name", lang): frame["english_name"] if lang == "en" else frame["full_name"],
        t("col_type", lang): frame["type"].astype(str).map(lambda x: type_label(x, lang)),
        t("col_lead_count", lang): frame["lead"],
        t("col_support_count", lang): frame["support"],
        t("col_total", lang): frame["total"],
        t("col_score", lang): frame["score"],
    })


def agency_tasks_table(plan: Plan, agency: str, lang: str = "zh") -> pd.DataFrame:
    mine = agency_tasks(plan, agency)
    table = task_table(replace(plan, tasks=mine), lang)
    table.insert(1, t("col_role", lang), mine["role"].map(lambda r: role_label(r, lang)).to_numpy())
    return table


def due_table(status: pd.DataFrame, plan: Plan, lang: str = "zh", statuses: tuple[str, ...] = DUE_STATUSES) -> pd.DataFrame:
    """Tasks of the chosen statuses, earliest deadline first: status, the distance in words
    ("已过期限 852 天", as the slides say), deadline and lead units before the long text."""
    rows = status.loc[status["status"].isin(statuses)].sort_values(["deadline", "seq"])
    table = task_table(replace(plan, tasks=rows), lang)
    labels = {s: label(DueStatus(s), lang) for s in DUE_STATUSES}
    table.insert(1, t("col_status", lang), rows["status"].astype(str).map(labels).to_numpy())
    table.insert(2, t("col_days", lang), days_text(rows, lang).to_numpy())
    return table


# ------------------------------------------------------------------------ network tables


SHARED_TASK_TEXT = 24  # characters of each shared task's text in the partners table


def partners_table(partners: pd.DataFrame, lang: str = "zh", plan: Plan | None = None) -> pd.DataFrame:
    """An agency's partners as shown and exported; with `plan`, partners are named as in the
    charts and each shared task is listed with the start of its text ("1 推进5G基站…")."""
    if plan is not None:
        captions = dict(zip(plan.tasks["task_id"].astype(str), plan.tasks["text"].astype(str), strict=False))

        def listed(ids: object) -> str:
            return "\n".join(f"{i} {_cut(captions.get(str(i), ''), SHARED_TASK_TEXT)}".strip() for i in ids)  # type: ignore[attr-defined]
    else:
        def listed(ids: object) -> str:
            return "、".join(map(str, ids))  # type: ignore[call-overload]
    return pd.DataFrame({
        t("col_partner", lang): _names(plan, partners["partner"], lang),
        t("col_type", lang): partners["type"].map(lambda x: type_label(x, lang)),
        t("col_shared", lang): partners["weight"],
        t("col_shared_tasks", lang): partners["tasks"].map(listed),
    })


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def metrics_table(metrics: pd.DataFrame, explanations: dict[str, dict[str, str]], lang: str = "zh",
                  plan: Plan | None = None) -> pd.DataFrame:
    """Per-agency network metrics with localised headers, busiest agency first."""
    columns = ["lead", "support", "degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "core",
               "community"]
    ordered = metrics.sort_values(["degree", "weighted_degree"], ascending=False, kind="stable")
    table = pd.DataFrame({
        t("col_agency", lang): _names(plan, ordered["agency"], lang),
        t("col_type", lang): ordered["type"].astype(str).map(lambda x: type_label(x, lang)),
    })
    for column in columns:
        values = ordered[column]
        table[explanations[column][f"name_{lang}"]] = values.round(3) if values.dtype.kind == "f" else values
    return table.reset_index(drop=True)


def stats_table(stats: dict[str, object], explanations: dict[str, dict[str, str]], lang: str = "zh") -> pd.DataFrame:
    """Network-level numbers as a two-column table (name, value)."""
    rows = []
    for key, value in stats.items():
        if key in explanations:
            shown = round(value, 3) if isinstance(value, float) else value
            rows.append({t("metric", lang): explanations[key][f"name_{lang}"], t("value", lang): str(shown)})
    return pd.DataFrame(rows)
