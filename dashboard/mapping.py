"""The column mapping step of an upload or a paste: the detected role of each column and the first rows,
each role changeable; "Import with this mapping" imports the file with it.

A file whose header lacks a required column opens the step (the refusal says so); a file read
as it stands shows it folded, to check or correct. A mapping confirmed once is remembered
for files with the same header (this session), and offered first for them.

Hooked into the upload flow by one call in :mod:`dashboard.ui` and :mod:`dashboard.workspace_ui`
(:func:`column_step`); the paste box (:func:`paste_box`) opens the same step for the text it
imported, with keys of its own. What it imports goes the way of an upload (``workspace_ui.import_confirmed``):
saved to the workspace with its mapping when the signed-in account may write, else shown for the
session only, with the reason said.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from analysis import isolate
from analysis.findings import PlanImportError
from analysis.i18n import t
from analysis.io.dispatch import ColumnPreview, preview_columns
from analysis.io.headers import ROLE_CODES
from analysis.model import content_hash
from analysis.store import WorkspaceError
from dashboard import state

REMEMBERED = "column_mappings"  # header signature → {header: role}
PREVIEWS = "column_previews"  # upload marker → ColumnPreview | None
CONFIRM_ERROR = "column_mapping_error"
CONFIRMED = "column_mapping_done"  # (file name, header signature) of the file last imported through the step


@dataclass(frozen=True)
class _Source:
    """Where the table of a mapping step came from: the session keys of its widgets and outcomes, so
    the uploader's step and the paste box's step never share a widget or a message."""

    prefix: str  # of the widget keys
    refusal: str  # the session key of the import's refusal the step answers
    confirm_error: str  # the session key of the outcome of "Import with this mapping"
    confirmed: str  # the session key of (file name, header signature) last imported through the step


UPLOADED = _Source("", state.IMPORT_ERROR, CONFIRM_ERROR, CONFIRMED)


def _preview(data: bytes, name: str, marker: tuple[Any, ...]) -> ColumnPreview | None:
    """The columns of the table, read once per upload or paste (``marker`` starts with its source)."""
    previews: dict[tuple[Any, ...], ColumnPreview | None] = st.session_state.setdefault(PREVIEWS, {})
    if marker not in previews:
        for older in [m for m in previews if m[0] == marker[0]]:
            del previews[older]  # one table per source at a time: the memory of older previews is given back
        try:
            previews[marker] = isolate.run(preview_columns, data, name, file=name)
        except PlanImportError:
            previews[marker] = None  # the import says why the file cannot be read
    return previews[marker]


def _missing_column(*problems: object) -> bool:
    """Whether an import was refused for a required column its header lacks (the step answers that)."""
    return any(isinstance(p, PlanImportError) and p.findings[0].code == "missing_column" for p in problems)


def column_step(uploaded: Any, lang: str) -> None:
    """The mapping step for the file in the uploader (nothing for a plan document)."""
    if uploaded is None:
        return
    from dashboard.workspace_ui import UPLOAD_ERROR

    refused = _missing_column(st.session_state.get(state.IMPORT_ERROR), st.session_state.get(UPLOAD_ERROR))
    _step(uploaded.getvalue(), uploaded.name, ("upload", uploaded.name, uploaded.size, uploaded.file_id),
          lang, source=UPLOADED, refused=refused)


def _step(data: bytes, name: str, marker: tuple[Any, ...], lang: str, *, source: _Source, refused: bool) -> None:
    """The columns with their detected roles, the first rows, a role chooser per column and the
    confirmation; open when the import was ``refused`` for a missing column or a required role is
    not recognised, folded otherwise (to check or correct)."""
    preview = _preview(data, name, marker)
    if preview is None or not preview.columns:
        return
    remembered: dict[str, dict[str, str]] = st.session_state.setdefault(REMEMBERED, {})
    chosen = remembered.get(preview.signature, {})
    done = st.session_state.get(source.confirmed) == (name, preview.signature)
    with st.expander(t("mapping_title", lang), expanded=not done and (refused or bool(preview.missing)),
                     icon=":material/view_column:"):
        st.caption(t("mapping_help", lang))
        if done:
            st.caption(t("mapping_imported", lang))
        elif preview.missing:
            names = "、".join(t(f"column_role_{m}", lang) for m in preview.missing)
            st.warning(t("mapping_missing", lang, columns=names), icon=":material/help:")
        elif chosen:
            st.caption(t("mapping_remembered", lang))
        for i, (header, detected) in enumerate(preview.columns):  # one a line: the sidebar is narrow
            initial = chosen.get(header, detected)
            st.selectbox(
                t("mapping_role_of", lang, header=header or f"#{i + 1}"), ROLE_CODES,
                index=ROLE_CODES.index(initial) if initial in ROLE_CODES else ROLE_CODES.index("other"),
                format_func=lambda code: t(f"column_role_{code}", lang),
                key=f"{source.prefix}column_role_{preview.signature}_{i}",
            )
        st.caption(t("mapping_rows", lang))
        frame = pd.DataFrame(list(preview.rows), columns=[h or f"#{i + 1}" for i, (h, _) in enumerate(preview.columns)])
        st.dataframe(frame, hide_index=True, width="stretch")
        headers = [header for header, _ in preview.columns]
        st.button(
            t("mapping_confirm", lang), icon=":material/check:", key=f"{source.prefix}column_mapping_confirm",
            on_click=_confirm, args=(data, name, preview.signature, headers, lang, source),
        )
        _problem(st.session_state.get(source.confirm_error), lang)


def _problem(problem: object, lang: str) -> None:
    """A refused import (the file) or a refused save (the workspace), said under the button."""
    from dashboard.ui import md_escape

    if isinstance(problem, PlanImportError):
        st.error(t("upload_failed", lang) + " " + md_escape(problem.message(lang)), icon=":material/error:")
    elif isinstance(problem, WorkspaceError):
        st.error(md_escape(problem.message(lang)), icon=":material/error:")


def _confirm(data: bytes, name: str, signature: str, headers: list[str], lang: str,
             source: _Source = UPLOADED) -> None:
    """Import the table with the roles chosen in the step (a button callback: it runs once,
    before the script, with the selectboxes' values in the session), as an upload is."""
    mapping = {
        header: str(st.session_state[f"{source.prefix}column_role_{signature}_{i}"])
        for i, header in enumerate(headers)
        if header and f"{source.prefix}column_role_{signature}_{i}" in st.session_state
    }
    from dashboard.workspace_ui import import_confirmed

    problem = import_confirmed(data, name, lang, columns=mapping)
    st.session_state[source.refusal] = problem if isinstance(problem, PlanImportError) else None
    st.session_state[source.confirm_error] = problem
    if problem is None:
        st.session_state.setdefault(REMEMBERED, {})[signature] = mapping
        st.session_state[source.confirmed] = (name, signature)


PASTE_ERROR = "pasted_table_error"
PASTE_SUBMITTED = "pasted_table_submitted"  # (text, name) of the paste last imported
PASTED = _Source("pasted_", PASTE_ERROR, "pasted_mapping_error", "pasted_mapping_done")


def pasted_name(lang: str) -> str:
    """The file name a pasted table is imported under, which its refusals name: in the user's language."""
    return t("paste_file", lang)


def paste_box(lang: str) -> None:
    """A table pasted as text (Word, WPS, Excel and browsers copy a table as tab-separated
    lines), imported like an uploaded file; its mapping step as an upload's, for the text imported
    (while the box still holds it): open when the paste was refused for a missing column."""
    with st.expander(t("paste_title", lang), icon=":material/content_paste:",
                     expanded=_missing_column(st.session_state.get(PASTE_ERROR))):
        text = st.text_area(t("paste_label", lang), key="pasted_table", height=160, help=t("paste_help", lang))
        st.button(t("paste_import", lang), key="pasted_import", on_click=_import_pasted, args=(lang,),
                  disabled=not text.strip())
        _problem(st.session_state.get(PASTE_ERROR), lang)
    submitted = st.session_state.get(PASTE_SUBMITTED)
    if submitted and submitted[0] == text and text.strip():
        data = text.encode("utf-8")
        _step(data, submitted[1], ("paste", content_hash(data)), lang, source=PASTED,
              refused=_missing_column(st.session_state.get(PASTE_ERROR)))


def _import_pasted(lang: str) -> None:
    """The pasted table, imported as an upload is (``workspace_ui.import_confirmed``)."""
    from dashboard.workspace_ui import import_confirmed

    text = str(st.session_state.get("pasted_table", ""))
    name = pasted_name(lang)
    st.session_state[PASTE_SUBMITTED] = (text, name)
    st.session_state.pop(PASTED.confirmed, None)
    st.session_state.pop(PASTED.confirm_error, None)
    problem = import_confirmed(text.encode("utf-8"), name, lang)
    st.session_state[PASTE_ERROR] = problem
