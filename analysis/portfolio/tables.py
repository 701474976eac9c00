"""The tables of the 跨计划 page as shown and exported: columns named from the catalogue,
values in the chosen language (roles, statuses, colours), shares as percentages."""

from __future__ import annotations

import pandas as pd

from analysis.i18n import label, role_label, t
from analysis.vocab import ProgressStatus, Rag


def region_text(region: str, lang: str) -> str:
    return region or t("pf_unknown_region", lang)


def plans_table(overview: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``analysis.portfolio.plans_overview`` as shown."""
    return pd.DataFrame({
        "ID": overview["plan_id"].astype(int),
        t("pf_col_plan", lang): overview["title"].astype(str),
        t("pf_col_region", lang): [region_text(str(r), lang) for r in overview["region"]],
        t("pf_col_period", lang): [f"{s.year}–{e.year}" for s, e in zip(overview["period_start"], overview["period_end"],
                                                                           strict=True)],
        t("pf_col_tasks", lang): overview["tasks"].astype(int),
        t("pf_col_agencies", lang): overview["agencies"].astype(int),
        t("pf_col_share_late", lang): [f"{v:.0%}" for v in overview["share_late"]],
        t("pf_col_share_done", lang): [f"{v:.0%}" for v in overview["share_done"]],
    })


def load_table(load: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``analysis.portfolio.agency_load`` as shown."""
    return pd.DataFrame({
        t("pf_col_agency", lang): load["agency"].astype(str),
        t("pf_col_region", lang): [region_text(str(r), lang) for r in load["region"]],
        t("pf_col_lead", lang): load["lead"].astype(int),
        t("pf_col_support", lang): load["support"].astype(int),
        t("pf_col_weighted", lang): load["weighted"].astype(float),
        t("pf_col_plans", lang): load["plans"].astype(int),
    })


def per_plan_table(plans: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An agency's tasks per plan (``AgencyView.plans``) as shown."""
    return pd.DataFrame({
        "ID": plans["plan_id"].astype(int),
        t("pf_col_plan", lang): plans["title"].astype(str),
        t("pf_col_region", lang): [region_text(str(r), lang) for r in plans["region"]],
        t("pf_col_lead", lang): plans["lead"].astype(int),
        t("pf_col_support", lang): plans["support"].astype(int),
    })


def _status(value: object, lang: str) -> str:
    try:
        return label(ProgressStatus(str(value)), lang)
    except ValueError:
        return ""


def _rag(value: object, lang: str) -> str:
    try:
        return label(Rag(str(value)), lang)
    except ValueError:
        return ""


def tasks_table(tasks: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Tasks across plans (``AgencyView.due`` / ``.warnings``) as shown."""
    return pd.DataFrame({
        t("pf_col_plan", lang): tasks["title"].astype(str),
        t("pf_col_task", lang): [f"{i} {str(x)[:60]}" for i, x in zip(tasks["task_id"], tasks["text"], strict=True)],
        t("pf_col_role", lang): [role_label(str(r), lang) for r in tasks["role"]],
        t("pf_col_deadline", lang): [pd.Timestamp(d).date().isoformat() if pd.notna(d) else "" for d in tasks["deadline"]],
        t("pf_col_status", lang): [_status(s, lang) for s in tasks["status"]],
        t("pf_col_rag", lang): [_rag(r, lang) for r in tasks["rag"]],
    })


def partners_table(partners: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("pf_col_agency", lang): partners["name"].astype(str),
        t("pf_col_region", lang): [region_text(str(r), lang) for r in partners["region"]],
        t("pf_col_shared", lang): partners["shared_tasks"].astype(int),
        t("pf_col_plans", lang): partners["plans"].astype(int),
    })


def comparison_table(table: pd.DataFrame, title_a: str, title_b: str, lang: str) -> pd.DataFrame:
    """``analysis.portfolio.compare_plans`` as shown: sections and fixed items named; themes,
    years and target kinds as written; every cell as text."""
    fixed = {"tasks", "agencies", "only_here", "no_date", "ties", "density", "components", "average_clustering",
             "degree_centralization"}

    def item(section: str, value: str) -> str:
        if value in fixed and not (section == "tasks" and value != "tasks"):
            return t(f"pf_item_{value}", lang)
        return value

    return pd.DataFrame({
        t("pf_section", lang): [t(f"pf_section_{s}", lang) for s in table["section"]],
        t("pf_item", lang): [item(str(s), str(i)) for s, i in zip(table["section"], table["item"], strict=True)],
        "A · " + title_a: [str(v) for v in table["a"]],
        "B · " + title_b: [str(v) for v in table["b"]],
    })


def centrality_table(metrics: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("pf_col_agency", lang): metrics["name"].astype(str),
        t("pf_col_region", lang): [region_text(str(r), lang) for r in metrics["region"]],
        t("pf_col_lead", lang): metrics["lead"].astype(int),
        t("pf_col_support", lang): metrics["support"].astype(int),
        t("pf_col_plans", lang): metrics["plans"].astype(int),
        t("pf_col_degree", lang): metrics["degree"].astype(int),
        t("pf_col_weighted_degree", lang): metrics["weighted_degree"],
        t("pf_col_betweenness", lang): metrics["betweenness"].round(3),
        t("pf_col_eigenvector", lang): metrics["eigenvector"].round(3),
    })
