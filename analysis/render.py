"""Chart PNGs through kaleido: moved to `analysis.report.render`; this name stays importable."""

from analysis.report.render import (
    RENDER_TIMEOUT,
    ChartRenderError,
    browser_available,
    chart_renderer,
    clear_timings,
    figure_png,
    timings,
)

__all__ = ["RENDER_TIMEOUT", "ChartRenderError", "browser_available", "chart_renderer", "clear_timings",
           "figure_png", "timings"]
