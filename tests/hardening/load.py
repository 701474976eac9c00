"""Load test: many people using the dashboard at once, in real browsers, on loopback only.

    python -m tests.hardening.load --sessions 20            # the full size (figures: LOAD_RESULTS.md)
    python -m tests.hardening.load --sessions 4 --actions 3 # what tests/e2e/test_load.py runs

Starts `streamlit run app.py` on a free 127.0.0.1 port (or uses --url, which must be a
loopback address), opens N browser contexts (N people: separate Streamlit sessions) in
one headless Chromium, and has them all work at once: switch pages, pick an agency and a
role in the sidebar filters, clear them. Each action is timed from the click to the moment
its new content is on screen and Streamlit's status widget is gone (the rerun is over).
Reports errors (exceptions on a page, "Page not found" dialogs, page errors, timeouts:
target none) and rerun times (median, 95th percentile, max), as text and optionally JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlparse

from tests.hardening.appserver import (
    CHROMIUM,
    LAUNCH_ARGS,
    require_chromium,
    running_app,
)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
STATUS_GONE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


@dataclass
class Timing:
    session: int
    action: str
    seconds: float


@dataclass
class Result:
    sessions: int
    actions: int
    timings: list[Timing] = field(default_factory=list)
    first_loads: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0
    retries: int = 0  # dropdowns that closed under load and were opened again
    server_cpu_seconds: float | None = None  # CPU time of the streamlit process during the run
    machine_cpu_seconds: float | None = None  # CPU time of the whole machine (server, Chromium, this script)

    def rerun_times(self) -> list[float]:
        return [t.seconds for t in self.timings]

    def summary(self) -> dict[str, object]:
        def stats(values: list[float]) -> dict[str, float | int | None]:
            if not values:
                return {"n": 0, "median": None, "p95": None, "max": None}
            ordered = sorted(values)
            return {
                "n": len(values),
                "median": round(statistics.median(ordered), 3),
                "p95": round(percentile(ordered, 95), 3),
                "max": round(ordered[-1], 3),
            }

        by_action: dict[str, list[float]] = {}
        for timing in self.timings:
            by_action.setdefault(timing.action, []).append(timing.seconds)
        return {
            "sessions": self.sessions,
            "actions_per_session": self.actions,
            "errors": len(self.errors),
            "reruns": stats(self.rerun_times()),
            "first_load": stats(self.first_loads),
            "by_action": {name: stats(values) for name, values in by_action.items()},
            "wall_seconds": round(self.wall_seconds, 1),
            "retries": self.retries,
            "server_cpu_seconds": None if self.server_cpu_seconds is None else round(self.server_cpu_seconds, 1),
            "machine_cpu_seconds": None if self.machine_cpu_seconds is None else round(self.machine_cpu_seconds, 1),
        }


def percentile(ordered: list[float], q: float) -> float:
    """The q-th percentile by linear interpolation (numpy's default)."""
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def expected_counts() -> dict[str, tuple[int, int]]:
    """agency → (tasks it has a part in, tasks it leads) in the bundled plan, for the checks."""
    from analysis import derive
    from analysis.derive import Filters
    from analysis.model import load_bundled_plan

    plan = load_bundled_plan()
    top = plan.agencies.sort_values("tasks", ascending=False)["agency"].head(8)
    return {
        agency: (
            len(derive.apply_filters(plan, Filters(agencies=(agency,))).tasks),
            len(derive.apply_filters(plan, Filters(agencies=(agency,), roles=("lead",))).tasks),
        )
        for agency in top
    }


# --------------------------------------------------------------------------- a person


async def _ready(page, timeout: float) -> None:
    await page.wait_for_function(STATUS_GONE, timeout=timeout * 1000)


async def _nav(page, title: str, timeout: float) -> None:
    await page.locator("[data-testid='stTopNavLink']:not([inert] *)", has_text=title).click(timeout=timeout * 1000)
    await page.get_by_role("heading", name=title).first.wait_for(timeout=timeout * 1000)
    await _ready(page, timeout)


async def _pick(page, index: int, value: str, timeout: float, result: Result) -> None:
    """Choose `value` in the sidebar's index-th multiselect (0 agency, 1 type, 2 theme, 3 role).

    Under load the dropdown can close again while a rerun redraws the sidebar: like a person,
    try again (counted in `retries`, not an error) before giving up.
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    field = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(index).locator("input")
    for attempt in range(3):
        await field.click(timeout=timeout * 1000)
        await field.fill(value, timeout=timeout * 1000)
        try:
            await page.get_by_role("option", name=value, exact=True).first.click(timeout=timeout * 1000 / 3)
            break
        except PlaywrightTimeout:
            result.retries += 1
            await page.keyboard.press("Escape")
            if attempt == 2:
                raise
    await page.keyboard.press("Escape")


async def _expect_text(page, text: str, timeout: float) -> None:
    await page.get_by_text(text).first.wait_for(timeout=timeout * 1000)
    await _ready(page, timeout)


async def person(browser, url: str, index: int, actions: int, counts, result: Result, timeout: float) -> None:
    agency = list(counts)[index % len(counts)]
    total_in, led = counts[agency]
    steps = [
        ("page: workload", lambda p: _nav(p, "工作量", timeout)),
        ("filter: agency", lambda p: _pick(p, 0, agency, timeout, result),
         lambda p: _expect_text(p, f"已筛选：{total_in} 项任务", timeout)),
        ("page: timeline", lambda p: _nav(p, "时间线", timeout)),
        ("filter: role", lambda p: _pick(p, 3, "牵头", timeout, result),
         lambda p: _expect_text(p, f"已筛选：{led} 项任务", timeout)),
        ("page: tasks", lambda p: _nav(p, "任务清单", timeout)),
        ("filter: clear", lambda p: p.get_by_role("button", name="清除筛选").click(timeout=timeout * 1000),
         lambda p: _expect_text(p, "共 35 项任务", timeout)),
        ("page: network", lambda p: _nav(p, "协作网络", timeout)),
        ("page: overview", lambda p: _nav(p, "总览", timeout)),
    ]
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = await context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)[:200]))
    try:
        started = time.perf_counter()
        await page.goto(f"{url}/", timeout=timeout * 1000)
        await page.locator("[data-testid='stSidebar'] [data-testid='stRadio']").first.wait_for(timeout=timeout * 1000)
        await page.get_by_role("heading", name="总览").first.wait_for(timeout=timeout * 1000)
        await _ready(page, timeout)
        result.first_loads.append(time.perf_counter() - started)
        for n in range(actions):
            name, act, *check = steps[n % len(steps)]
            started = time.perf_counter()
            try:
                await act(page)
                if check:
                    await check[0](page)
            except Exception as exc:  # noqa: BLE001 - recorded as an error of this session
                result.errors.append(f"session {index}, {name}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
                continue
            result.timings.append(Timing(index, name, time.perf_counter() - started))
            if await page.locator("[data-testid='stException']").count():
                text = await page.locator("[data-testid='stException']").first.inner_text()
                result.errors.append(f"session {index}, {name}: exception on the page: {text[:160]}")
            if await page.get_by_text("Page not found").count():
                result.errors.append(f"session {index}, {name}: 'Page not found' dialog")
    except Exception as exc:  # noqa: BLE001
        result.errors.append(f"session {index}, opening: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        result.errors.extend(f"session {index}: page error: {e}" for e in page_errors)
        await context.close()


def _machine_cpu() -> float | None:
    """Busy CPU seconds of the whole machine so far, all CPUs together (Linux /proc/stat)."""
    try:
        with open("/proc/stat") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _process_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of a process (Linux /proc), None when unknown."""
    if pid is None:
        return None
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


async def _run(url: str, sessions: int, actions: int, timeout: float, stagger: float, server_pid: int | None) -> Result:
    from playwright.async_api import async_playwright

    counts = expected_counts()
    result = Result(sessions, actions)
    server_before, machine_before = _process_cpu(server_pid), _machine_cpu()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            async def start(index: int) -> None:
                await asyncio.sleep(index * stagger)
                await person(browser, url, index, actions, counts, result, timeout)

            started = time.perf_counter()
            await asyncio.gather(*(start(i) for i in range(sessions)))
            result.wall_seconds = time.perf_counter() - started
        finally:
            await browser.close()
    machine_after, server_after = _machine_cpu(), _process_cpu(server_pid)
    if machine_before is not None and machine_after is not None:
        result.machine_cpu_seconds = machine_after - machine_before
    if server_before is not None and server_after is not None:
        result.server_cpu_seconds = server_after - server_before
    return result


def run_load(url: str, *, sessions: int, actions: int, timeout: float = 120, stagger: float = 0.25,
             server_pid: int | None = None) -> Result:
    host = urlparse(url).hostname
    if host not in LOOPBACK:
        raise ValueError(f"the load test runs against this machine only (127.0.0.1), not {host!r}")
    return asyncio.run(_run(url, sessions, actions, timeout, stagger, server_pid))


def format_result(result: Result) -> str:
    summary = result.summary()
    lines = [
        f"sessions {summary['sessions']} × {summary['actions_per_session']} actions, "
        f"wall {summary['wall_seconds']} s, errors {summary['errors']}, dropdown retries {summary['retries']}",
        f"CPU seconds: streamlit server {summary['server_cpu_seconds']} of {summary['machine_cpu_seconds']} "
        f"for the whole machine (the rest: Chromium); {os.cpu_count()} CPUs",
        f"{'':<18}{'n':>5}{'median s':>10}{'p95 s':>9}{'max s':>9}",
    ]
    rows = [("all reruns", summary["reruns"]), ("first load", summary["first_load"])]
    rows += list(summary["by_action"].items())
    for name, s in rows:
        if s["n"]:
            lines.append(f"{name:<18}{s['n']:>5}{s['median']:>10.2f}{s['p95']:>9.2f}{s['max']:>9.2f}")
    lines += [f"  error: {e}" for e in result.errors]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.hardening.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions at once (default 20)")
    parser.add_argument("--actions", type=int, default=8, help="actions per session (default 8: every step once)")
    parser.add_argument("--url", default=None, help="a running app on this machine (default: start one)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds an action may take (default 120)")
    parser.add_argument("--stagger", type=float, default=0.25, help="seconds between session starts (default 0.25)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    require_chromium()
    if args.url:
        result = run_load(args.url, sessions=args.sessions, actions=args.actions, timeout=args.timeout, stagger=args.stagger)
    else:
        with running_app() as url:
            result = run_load(url, sessions=args.sessions, actions=args.actions, timeout=args.timeout,
                              stagger=args.stagger, server_pid=url.pid)
    print(format_result(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({
                "summary": result.summary(), "errors": result.errors,
                "timings": [asdict(t) for t in result.timings], "first_loads": result.first_loads,
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
            }, handle, ensure_ascii=False, indent=2)
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
