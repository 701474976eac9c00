"""Plotly figures as PNG images, through kaleido and one long-lived headless Chromium.

Starting Chromium costs about two seconds; rendering a chart in a running browser about a
third of a second. `chart_renderer()` keeps kaleido's sync server (one browser) alive for
a block of work, so a deck with several charts starts the browser once:

    with chart_renderer():
        png = figure_png(fig, width=1280, height=592, scale=2.5)

Blocks may nest and may run in several threads at once (Streamlit sessions): the server is
started by the first user and stopped when the last one leaves, and images are rendered
one at a time because kaleido's sync server hands results back through a single queue.
Outside any block, `figure_png` starts a browser for that one image (slow, but works).

Every render is timed; `timings()` returns the recent ones (seconds per image).
"""

from __future__ import annotations

import threading
import time
import warnings
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

_STATE_LOCK = threading.Lock()  # guards the user count and server start/stop
_RENDER_LOCK = threading.Lock()  # one image at a time through the shared server
_users = 0
_started_here = False
_timings: deque[float] = deque(maxlen=200)
# kaleido's tab evaluated a render before its page script had loaded (seen on a loaded machine):
# the render is tried once more.
_SCRIPT_NOT_LOADED = "kaleido_scopes is not defined"
RENDER_TIMEOUT = 120.0  # seconds for one image (kaleido's own limit is 90)


class ChartRenderError(RuntimeError):
    """A chart could not be rendered to an image (no Chromium, browser crash, timeout)."""


def _server() -> Any:
    import kaleido

    return getattr(kaleido, "_global_server", None)  # kaleido's singleton; no public accessor


def _server_running() -> bool:
    server = _server()
    return bool(server is not None and server.is_running())


def _server_alive() -> bool:
    """False when the server's thread has died (e.g. Chromium failed to start): a call to it
    would then wait forever, so `figure_png` checks this while it waits."""
    server = _server()
    if server is None or not server.is_running():
        return True  # not in use: plotly starts a one-off browser
    thread = getattr(server, "_thread", None)
    return thread is None or thread.is_alive()


def browser_available() -> bool:
    """Whether kaleido can find a Chromium (BROWSER_PATH, PATH, or its own download)."""
    try:
        from choreographer.browsers.chromium import Chromium

        path = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - any failure means: not available
        return False
    return bool(path)


@contextmanager
def chart_renderer() -> Iterator[None]:
    """Keep one rendering browser alive for the block (shared by nested and concurrent blocks)."""
    global _users, _started_here
    import kaleido

    with _STATE_LOCK:
        if _users == 0 and not _server_running():
            if not browser_available():
                raise ChartRenderError("no Chromium found for rendering charts (install Debian's chromium)")
            try:
                # mathjax=False: no MathJax download from a CDN (the charts use no LaTeX).
                kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            except Exception as exc:
                raise ChartRenderError(f"cannot start the chart renderer (Chromium): {exc}") from exc
            _started_here = True
        _users += 1
    try:
        yield
    finally:
        with _STATE_LOCK:
            _users -= 1
            if _users == 0 and _started_here:
                _started_here = False
                kaleido.stop_sync_server(silence_warnings=True)


def _to_png(fig: go.Figure, width: int, height: int, scale: float, out: dict[str, object]) -> None:
    try:
        with warnings.catch_warnings():
            # plotly passes its default HTTP headers as kaleido options, which a running
            # server ignores with a warning; they do not matter for local rendering.
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            out["data"] = pio.to_image(fig, format="png", width=width, height=height, scale=scale)
    except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
        out["error"] = exc


def figure_png(
    fig: go.Figure, *, width: int, height: int, scale: float = 2.0, timeout: float = RENDER_TIMEOUT
) -> bytes:
    """The figure as PNG bytes: `width` × `height` layout pixels, times `scale` physical pixels."""
    started = time.perf_counter()
    out: dict[str, object] = {}
    with _RENDER_LOCK:
        for attempt in range(2):
            out.clear()
            # The call runs in a helper thread so that a dead server (which would make kaleido
            # wait forever) or a stuck browser ends in an error instead of a hang.
            worker = threading.Thread(target=_to_png, args=(fig, width, height, scale, out), daemon=True)
            worker.start()
            while worker.is_alive():
                worker.join(0.01)
                if worker.is_alive() and (not _server_alive() or time.perf_counter() - started > timeout):
                    raise ChartRenderError("the chart renderer (Chromium) stopped responding")
            if attempt == 0 and _SCRIPT_NOT_LOADED in str(out.get("error", "")):
                continue  # kaleido returns the tab reloaded: the next render finds its script
            break
    if "error" in out:
        raise ChartRenderError(f"cannot render a chart to PNG: {out['error']}") from out["error"]  # type: ignore[misc]
    data = out["data"]
    assert isinstance(data, bytes)
    _timings.append(time.perf_counter() - started)
    if not data.startswith(b"\x89PNG"):
        raise ChartRenderError("the chart renderer returned something that is not a PNG image")
    return data


def timings() -> list[float]:
    """Seconds taken by the most recent renders, oldest first."""
    return list(_timings)


def clear_timings() -> None:
    _timings.clear()
