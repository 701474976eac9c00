"""What a user waits for in a browser: `python -m benchmarks.browser [--sizes 35,10000]`.

AppTest (the main benchmark) times the page script only; this drives the real app in Debian's
headless Chromium (Playwright) and times a click on a page link to the last change on screen:
the script, the websocket transfer and plotly drawing the charts. A page counts as settled
after `--quiet` seconds without a change in its text or drawn charts. Size 35 is the bundled
Zhejiang plan; other sizes are synthetic plans (`benchmarks.synth`) uploaded through the
sidebar. Prints a Markdown table: first visit of each page after loading the plan, then the
median (min–max) of `--repeat` later visits. Figures are reported, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import synth

PAGES = (("总览", "overview"), ("工作量", "workload"), ("时间线", "timeline"), ("协作网络", "network"),
         ("任务清单", "tasks"))
SIGNATURE = """() => document.body.innerText.length + ':' + document.querySelectorAll('.main-svg').length
  + ':' + document.querySelectorAll('[data-stale=true]').length"""
HEADING = "(n) => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === n)"


def switch(page, label: str, quiet: float) -> float:
    """Seconds from a click on the page link to the last change on screen."""
    start = time.perf_counter()
    page.get_by_role("link", name=label).click()
    page.wait_for_function(HEADING, arg=label, timeout=300_000, polling=20)
    last, changed = page.evaluate(SIGNATURE), time.perf_counter()
    while time.perf_counter() - changed < quiet:
        now = page.evaluate(SIGNATURE)
        if now != last:
            last, changed = now, time.perf_counter()
        time.sleep(0.02)
    return changed - start


def measure(browser, url: str, plan: Path | None, repeat: int, quiet: float) -> dict[str, tuple[float, list[float]]]:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=120_000)
    if plan is not None:
        page.set_input_files("[data-testid=stFileUploaderDropzoneInput]", str(plan))
        page.wait_for_function(f"document.body.innerText.includes('{plan.name}')", timeout=600_000)
        page.wait_for_function("() => document.body.innerText.includes('已导入')", timeout=600_000)
        time.sleep(quiet)
    order = PAGES[1:] + PAGES[:1]  # the overview is open already: visit it last
    first = {key: switch(page, label, quiet) for label, key in order}
    again: dict[str, list[float]] = {key: [] for _, key in PAGES}
    for _ in range(repeat):
        for label, key in PAGES:
            again[key].append(switch(page, label, quiet))
    page.close()
    return {key: (first[key], again[key]) for _, key in PAGES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser")
    parser.add_argument("--sizes", default="35,10000", help="task counts; 35 = the bundled plan")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quiet", type=float, default=1.5, help="seconds without change = settled")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    from playwright.sync_api import sync_playwright

    from tests.hardening.appserver import CHROMIUM, LAUNCH_ARGS, running_app

    print("| tasks | page | first (s) | again (s) |\n|---:|---|---:|---:|")
    with tempfile.TemporaryDirectory() as folder, running_app() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for size in sizes:
            plan = None
            if size != 35:
                plan = Path(folder) / f"synthetic_{size}.csv"
                plan.write_bytes(synth.generate(size).data)
            for key, (first, again) in measure(browser, url, plan, args.repeat, args.quiet).items():
                print(f"| {size:,} | {key} | {first:.2f} | {statistics.median(again):.2f} "
                      f"({min(again):.2f}–{max(again):.2f}) |", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
