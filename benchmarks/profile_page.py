"""Profile one page run through AppTest: `python -m benchmarks.profile_page PAGE --size N`.

    python -m benchmarks.profile_page network --size 10000            # a warm rerun
    python -m benchmarks.profile_page tasks --size 10000 --cold       # fresh caches
    python -m benchmarks.profile_page overview --size 35 --sort tottime --top 50

AppTest runs the script in its own thread, so the script thread is profiled with cProfile
(patched in around the runner's thread body) and the main thread (AppTest turning the
messages into its element tree) separately. Prints the script thread's profile, then the
main thread's; `--dump PREFIX` writes PREFIX.script.prof / PREFIX.main.prof for snakeviz.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time

from benchmarks import synth
from benchmarks.worker import APP, MEETING_DATE, PAGES, PLAN_NAME, _clear_caches


def profile_script_thread() -> tuple[cProfile.Profile, dict[str, bool]]:
    """Patch AppTest's script runner so that its script thread runs under a profiler while
    ``active["on"]`` is true: (the profile, that switch). AppTest runs the script in a thread of
    its own, which a profiler started in the main thread does not see."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    script_profile = cProfile.Profile()
    original = LocalScriptRunner._run_script_thread
    active = {"on": False}

    def profiled(self):  # noqa: ANN001 - patched method
        if not active["on"]:
            return original(self)
        script_profile.enable()
        try:
            return original(self)
        finally:
            script_profile.disable()

    LocalScriptRunner._run_script_thread = profiled
    return script_profile, active


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_page")
    parser.add_argument("page", choices=PAGES)
    parser.add_argument("--size", type=int, default=35)
    parser.add_argument("--cold", action="store_true", help="profile a run with fresh caches")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", default=None)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args(argv)

    from streamlit.testing.v1 import AppTest
    script_profile, active = profile_script_thread()

    data = synth.generate(args.size).data
    at = AppTest.from_file(str(APP), default_timeout=args.timeout)
    at.session_state["plan_bytes"] = data
    at.session_state["plan_name"] = PLAN_NAME
    at.session_state["meeting_date"] = MEETING_DATE
    at.run()
    at.switch_page(f"pages/{args.page}.py")
    at.run()  # warm the caches (and the imports)
    if args.cold:
        _clear_caches()
    main_profile = cProfile.Profile()
    active["on"] = True
    start = time.perf_counter()
    main_profile.enable()
    at.run()
    main_profile.disable()
    elapsed = time.perf_counter() - start
    active["on"] = False
    if at.exception:
        print("exception:", [e.value for e in at.exception])
    print(f"{args.page} @ {args.size} tasks, {'cold' if args.cold else 'warm'} run: {elapsed:.3f} s\n")
    for name, profile in (("script thread", script_profile), ("main thread (AppTest)", main_profile)):
        stream = io.StringIO()
        stats = pstats.Stats(profile, stream=stream)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(f"==== {name} ====")
        print(stream.getvalue())
        if args.dump:
            stats.dump_stats(f"{args.dump}.{'script' if name == 'script thread' else 'main'}.prof")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
