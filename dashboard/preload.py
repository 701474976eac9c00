"""What a first page load can start before the app's heavy imports: kept light on purpose
(streamlit and the standard library only), imported first by app.py.

Measured on a cold start (benchmarks/RESULTS.md, "Cold first paint"): the browser waited for
the script's imports (pandas, plotly, the analysis modules: ~2 s) and only then, at the first
chart, fetched and ran Streamlit's plotly chunk (4.7 MB: several seconds more). Starting that
chunk at once lets the browser work on it while the server imports.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

ICON = Path(__file__).with_name("icon.png")  # the browser tab's icon, served by this app


@cache
def _plotly_chunk() -> str | None:
    """The file name of Streamlit's plotly chunk in this installation (hashed per release)."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(folder.glob("PlotlyChart.*.js"))
    return found[0].name if found else None


def plotly_script() -> str | None:
    """A script that loads and runs the plotly chunk now; the app's own later import of the
    same URL reuses the module. Static text: no user data in it."""
    chunk = _plotly_chunk()
    if chunk is None:
        return None
    path = json.dumps(f"static/js/{chunk}")
    return f"<script>import(new URL({path}, document.baseURI).href).catch(() => {{}});</script>"


def start_plotly() -> None:
    """Send the preload script (once per session: a rerun has it already)."""
    script = plotly_script()
    if script is not None:
        st.sidebar.html(script, unsafe_allow_javascript=True)
