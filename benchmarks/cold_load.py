"""Cold first paint: `python -m benchmarks.cold_load [--runs 3]`.

Starts a fresh `streamlit run app.py` (nothing cached, nothing imported), opens the Overview in
headless Chromium and times, from the page request: the page title drawn, the first chart
drawn and the script finished. Separately times the imports a first script run pays (a fresh
interpreter each) and the first parse of the bundled plan. Prints a Markdown table of medians.
Figures are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = {
    "streamlit": "import streamlit",
    "dashboard (state, ui) and its analysis modules": "import streamlit; t=__import__('time').perf_counter();"
    " from dashboard import state, ui; print(__import__('time').perf_counter()-t)",
    "first parse of the bundled plan": "from analysis.agencies import load_registry; from analysis.model import"
    " load_bundled_plan; t=__import__('time').perf_counter(); load_bundled_plan(load_registry());"
    " print(__import__('time').perf_counter()-t)",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _timed(code: str) -> float:
    """Seconds a fresh interpreter spends on `code` (its own figure when it prints one)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return float(out.strip()) if out.strip() else time.perf_counter() - start


def browser_run(browser) -> dict[str, float]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("h1", timeout=120_000)
        title = time.perf_counter() - start
        page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=120_000)
        chart = time.perf_counter() - start
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
        done = time.perf_counter() - start
        page.close()
        return {"title drawn": title, "first chart drawn": chart, "script finished": done}
    finally:
        process.terminate()
        process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for name, code in IMPORTS.items():
            rows.setdefault(name, []).append(_timed(code))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for _ in range(args.runs):
            for name, value in browser_run(browser).items():
                rows.setdefault("browser: " + name, []).append(value)
        browser.close()
    print("| step | median s | min–max s |\n|---|---|---|")
    for name, values in rows.items():
        print(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f}–{max(values):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
