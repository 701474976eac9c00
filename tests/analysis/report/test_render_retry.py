"""figure_png tries a render once more when kaleido's page script had not loaded yet, and only then."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from analysis.report import render

PNG = b"\x89PNG\r\n\x1a\nrest"


def _to_image_failing(errors: list[Exception]):
    calls = []

    def to_image(fig, **kwargs):
        calls.append(kwargs)
        if errors:
            raise errors.pop(0)
        return PNG

    return to_image, calls


def test_a_render_before_the_script_loaded_is_tried_again(monkeypatch):
    to_image, calls = _to_image_failing([RuntimeError("ReferenceError: kaleido_scopes is not defined")])
    monkeypatch.setattr(render.pio, "to_image", to_image)
    assert render.figure_png(go.Figure(), width=100, height=50) == PNG
    assert len(calls) == 2


@pytest.mark.parametrize("errors", [
    [RuntimeError("ReferenceError: kaleido_scopes is not defined")] * 2,  # twice: no third try
    [RuntimeError("Chromium crashed")],  # any other error: at once
])
def test_other_failures_are_not_retried(monkeypatch, errors):
    count = len(errors)
    to_image, calls = _to_image_failing(list(errors))
    monkeypatch.setattr(render.pio, "to_image", to_image)
    with pytest.raises(render.ChartRenderError, match="cannot render"):
        render.figure_png(go.Figure(), width=100, height=50)
    assert len(calls) == min(count, 2)
