"""What the progress screens show, computed from a plan, its latest reports and a reference date.

Pure pandas (no database, no Streamlit): the dashboard reads the reports from the workspace
(``analysis.store``) and hands them here. ``status`` everywhere is the result of
``analysis.progress.task_rag`` (one row per task: id, status, rag, percent, reported_at,
reported_by, reason); ``latest`` is the latest report of each task (``REPORT_COLUMNS``).

Definitions shown on screen (``progress_scorecard_note`` in the catalogue):

- overdue: the deadline is before the reference date and the task is not reported done;
- not reported: not done, and no report in the reference date's period (month or quarter);
- done on time: the latest report says done and is dated on or before the task's deadline;
- reported on time: a report in the reference date's period, or done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final

import pandas as pd

from analysis.i18n import label, t
from analysis.model import Plan
from analysis.progress import RagRule, period_of
from analysis.progress_forms import CHANGE_LABELS, Change
from analysis.versions import PlanDiff
from analysis.vocab import PROGRESS_STATUSES, ProgressStatus, Rag, Role

RAGS: Final = (Rag.RED, Rag.AMBER, Rag.GREEN)


def status_frame(plan: Plan, status: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """status joined with the task fields and the latest report's date and period: what the overdue,
    not-reported and scorecard tables read (pass it as their ``frame`` to join once for the three)."""
    tasks = plan.tasks[["task_id", "text", "theme", "deadline", "lead_text"]].rename(columns={"task_id": "id"})
    # the period comes from the latest report (task_status carries the same one)
    frame = tasks.merge(status.drop(columns=["period"], errors="ignore"), on="id", how="inner")
    reports = latest[["task_id", "as_of", "period", "note"]].rename(columns={"task_id": "id"})
    return frame.merge(reports, on="id", how="left")


def rag_counts(plan: Plan, status: pd.DataFrame, by: str) -> pd.DataFrame:
    """Tasks per red/amber/green and group: ``by`` "lead" (lead agency) or "theme".

    Columns: group, red, amber, green, total; groups with most red first (then amber, total).
    A task with two lead agencies counts for each of them.
    """
    rag_of = dict(zip(status["id"].astype(str).tolist(), status["rag"].astype(str).tolist(), strict=True))
    if by == "theme":
        ids, groups = plan.tasks["task_id"], plan.tasks["theme"]
    else:
        lead = plan.assignments.loc[plan.assignments["role"] == Role.LEAD]
        ids, groups = lead["task_id"], lead["agency"]
    # Counted in one pass over (task, group) pairs: a frame this small costs more in pandas' merge,
    # groupby and unstack than in the counting itself (the same table, groups in sorted order).
    column = {rag.value: i for i, rag in enumerate(RAGS)}
    counts: dict[str, list[int]] = {}
    for task, group in zip(ids.astype(str).tolist(), groups.tolist(), strict=True):
        rag = rag_of.get(task)
        if rag is None or not isinstance(group, str):
            continue
        row = counts.setdefault(group, [0] * len(RAGS))
        if rag in column:
            row[column[rag]] += 1
    order = sorted(counts)
    order.sort(key=lambda g: (-counts[g][0], -counts[g][1], -sum(counts[g])))  # stable: ties by name
    table = pd.DataFrame({"group": pd.Series(order, dtype="str"),
                          **{rag.value: pd.Series([counts[g][i] for g in order], dtype="int64")
                             for i, rag in enumerate(RAGS)},
                          "total": pd.Series([sum(counts[g]) for g in order], dtype="int64")})
    table.columns.name = "rag"
    return table


def overdue_table(plan: Plan, status: pd.DataFrame, latest: pd.DataFrame, reference: dt.date,
                  lang: str, *, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tasks past their deadline on ``reference`` and not reported done, most overdue first."""
    frame = status_frame(plan, status, latest) if frame is None else frame
    deadline = pd.to_datetime(frame["deadline"]).dt.date
    late = frame.loc[(deadline < reference) & (frame["status"] != ProgressStatus.DONE)].copy()
    late["days"] = [(reference - d).days for d in pd.to_datetime(late["deadline"]).dt.date]
    late = late.sort_values("days", ascending=False, kind="stable")
    return pd.DataFrame({
        t("col_task_id", lang): late["id"].astype(str),
        t("col_text", lang): late["text"].astype(str),
        t("col_lead", lang): late["lead_text"].astype(str),
        t("col_deadline", lang): pd.to_datetime(late["deadline"]).dt.strftime("%Y-%m-%d"),
        t("col_days_overdue", lang): late["days"].astype(int),
        t("col_progress", lang): [label(ProgressStatus(s), lang) for s in late["status"]],
        t("col_percent", lang): late["percent"].astype("Int64"),
    })


def not_reported_table(plan: Plan, status: pd.DataFrame, latest: pd.DataFrame, reference: dt.date,
                       rule: RagRule, lang: str, *, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tasks not done with no report in the reference date's period (never reported included)."""
    frame = status_frame(plan, status, latest) if frame is None else frame
    current = period_of(reference, rule.period_kind)
    missing = frame.loc[(frame["status"] != ProgressStatus.DONE) & (frame["period"].astype(object) != current)]
    return pd.DataFrame({
        t("col_task_id", lang): missing["id"].astype(str),
        t("col_text", lang): missing["text"].astype(str),
        t("col_lead", lang): missing["lead_text"].astype(str),
        t("col_last_report", lang): [
            "—" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d") for d in missing["as_of"]
        ],
        t("col_progress", lang): [label(ProgressStatus(s), lang) for s in missing["status"]],
    })


def reports_by_period(reports: pd.DataFrame) -> pd.DataFrame:
    """Every report counted by reporting period and status: one row per period (in order),
    one column per status code (``PROGRESS_STATUSES`` order)."""
    if reports.empty:
        return pd.DataFrame(columns=["period", *PROGRESS_STATUSES])
    counts: dict[str, dict[str, int]] = {}
    for period, code in zip(reports["period"].astype(str).tolist(), reports["status"].astype(str).tolist(),
                            strict=True):
        if isinstance(period, str) and isinstance(code, str):  # as a crosstab, missing values not counted
            row = counts.setdefault(period, {})
            row[code] = row.get(code, 0) + 1
    periods = sorted(counts)
    table = pd.DataFrame({"period": pd.Series(periods, dtype="str"),
                          **{code: pd.Series([counts[p].get(code, 0) for p in periods], dtype="int64")
                             for code in PROGRESS_STATUSES}})
    table.columns.name = "status"
    return table


def scorecard(plan: Plan, status: pd.DataFrame, latest: pd.DataFrame, reference: dt.date,
              rule: RagRule, lang: str, *, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per lead agency: tasks led, done, done on time, due by the reference date,
    reported on time (this period, or done), and the red/amber/green counts."""
    frame = status_frame(plan, status, latest) if frame is None else frame
    current = period_of(reference, rule.period_kind)
    deadlines = pd.to_datetime(frame["deadline"]).dt.date.tolist()
    as_of = [None if pd.isna(d) else pd.Timestamp(d).date() for d in frame["as_of"]]
    # Each task's flags, then summed over its lead agencies in one pass (agencies in the order of the
    # plan's lead assignments; a frame this small costs more in pandas' merge and groupby than this).
    flags: dict[str, tuple[int, ...]] = {}
    for task, code, rag, period, stamped, deadline in zip(
        frame["id"].astype(str).tolist(), frame["status"].tolist(), frame["rag"].tolist(),
        frame["period"].astype(object).tolist(), as_of, deadlines, strict=True,
    ):
        done = code == ProgressStatus.DONE
        flags[task] = (1, int(done), int(done and stamped is not None and stamped <= deadline),
                       int(deadline <= reference), int(done or period == current), *(int(rag == r) for r in RAGS))
    columns = ["led", "done", "on_time", "due", "reported", *[r.value for r in RAGS]]
    sums: dict[str, list[int]] = {}
    lead = plan.assignments.loc[plan.assignments["role"] == Role.LEAD]
    for task, agency in zip(lead["task_id"].astype(str).tolist(), lead["agency"].tolist(), strict=True):
        found = flags.get(task)
        if found is None or not isinstance(agency, str):
            continue
        row = sums.setdefault(agency, [0] * len(columns))
        for i, value in enumerate(found):
            row[i] += value
    red = columns.index(Rag.RED.value)
    order = sorted(sums, key=lambda a: (-sums[a][red], -sums[a][0]))  # most red, then most led; stable
    table = pd.DataFrame({"agency": pd.Series(order, dtype="str"),
                          **{c: pd.Series([sums[a][i] for a in order], dtype="int64") for i, c in enumerate(columns)}})
    names = {
        "agency": t("col_agency", lang), "led": t("col_lead_count", lang), "done": t("score_done", lang),
        "on_time": t("score_on_time", lang), "due": t("score_due", lang), "reported": t("score_reported", lang),
        **{r.value: label(r, lang) for r in RAGS},
    }
    table = table.rename(columns=names)
    table[t("score_report_rate", lang)] = [
        f"{round(100 * r / n)}%" if n else "—"
        for r, n in zip(table[names["reported"]], table[names["led"]], strict=True)
    ]
    return table


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A task's reports (``REPORT_COLUMNS``), newest first, for people."""
    rows = history.iloc[::-1]
    return pd.DataFrame({
        t("col_report_no", lang): rows["report_id"].astype(int),
        t("col_as_of", lang): [pd.Timestamp(d).strftime("%Y-%m-%d") for d in rows["as_of"]],
        t("col_progress", lang): [label(ProgressStatus(s), lang) for s in rows["status"]],
        t("col_percent", lang): rows["percent"].astype("Int64"),
        t("col_note", lang): rows["note"].astype(str),
        t("col_evidence", lang): rows["evidence"].astype(str),
        t("col_report_agency", lang): rows["agency"].astype(str),
        t("col_reported_by", lang): rows["reported_by"].astype(str),
        t("col_reported_at", lang): [pd.Timestamp(d).strftime("%Y-%m-%d %H:%M") for d in rows["reported_at"]],
        t("col_version", lang): rows["version"].astype(int),
    })


def diff_table(diff: PlanDiff, lang: str) -> pd.DataFrame:
    """Every change of a new plan version, one row each: task, what changed, before, after."""
    rows: list[tuple[str, str, str, str]] = []
    for task in diff.added:
        rows.append((task, t("diff_added", lang), "", ""))
    for task in diff.removed:
        rows.append((task, t("diff_removed", lang), "", ""))
    for r in diff.reworded:
        rows.append((r.task_id, t("diff_reworded", lang, similarity=f"{r.similarity:.0%}"), r.old_text, r.new_text))
    sep = "、" if lang != "en" else ", "
    for kind, changes in (("diff_lead", diff.lead_changed), ("diff_support", diff.support_changed)):
        for c in changes:
            rows.append((c.task_id, t(kind, lang), sep.join(c.old), sep.join(c.new)))
    for d in diff.deadline_changed:
        rows.append((d.task_id, t("diff_deadline", lang), d.old, d.new))
    for old, new in diff.renumbered:
        rows.append((new, t("diff_renumbered", lang, old=old), old, new))
    return pd.DataFrame(rows, columns=[t("col_task_id", lang), t("col_change", lang), t("col_before", lang),
                                       t("col_after", lang)])


def changes_table(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``progress_forms.describe_changes`` for people: task, agency, change, summary, file, row."""
    return pd.DataFrame({
        t("col_task_id", lang): changes["task_id"].astype(str),
        t("col_report_agency", lang): changes["agency"].astype(str),
        t("col_change", lang): [CHANGE_LABELS[Change(c)](lang) for c in changes["change"]],
        t("col_summary", lang): changes["summary"].astype(str),
        t("col_note", lang): changes["note_after"].astype(str),
        t("col_as_of", lang): [pd.Timestamp(d).strftime("%Y-%m-%d") for d in changes["as_of"]],
        t("col_file", lang): changes["file"].astype(str),
        t("col_finding_row", lang): changes["row"].astype(int),
    })


def workload_by_status(
    plan: Plan, agencies: Sequence[str], progress: Mapping[str, str], *, lead_weight: float = 1.0
) -> pd.DataFrame:
    """Each agency's tasks (led and supported) split by the task's latest reported status.

    One row per agency of ``agencies``, in that order; a column per ``ProgressStatus`` code and
    ``total``. ``progress`` maps task id → status; a task without a report counts as not
    started. A led task counts ``lead_weight`` (1: the task count; the workload page's weight:
    its score), a supported one 1, so the totals equal the workload chart's bars.
    """
    chosen = plan.assignments.loc[plan.assignments["agency"].isin(list(agencies)), ["task_id", "agency", "role"]]
    statuses = chosen["task_id"].astype(str).map(lambda task: progress.get(task, ProgressStatus.NOT_STARTED.value))
    weights = chosen["role"].map(lambda role: lead_weight if role == Role.LEAD else 1.0)
    frame = pd.DataFrame({"agency": chosen["agency"].astype(str), "status": statuses, "weight": weights})
    table = frame.pivot_table(index="agency", columns="status", values="weight", aggfunc="sum", fill_value=0.0)
    codes = [s.value for s in ProgressStatus]
    table = table.reindex(index=[str(a) for a in agencies], columns=codes, fill_value=0.0).fillna(0.0)
    table["total"] = table[codes].sum(axis=1)
    return table.rename_axis(index="agency", columns=None).reset_index()
