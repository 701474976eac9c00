"""`python -m analysis summary` ends its process without freeing the plan (`_run_as_script`):
its whole output is still written and flushed, its exit code kept, a closed pipe reported as before."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "fixtures" / "real" / "anhui_2022_province.txt"
# Output block-buffered, as a script's usually is (so an unflushed byte would be lost).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, timeout=120, env=ENV)


def test_json_output_is_whole() -> None:
    from analysis.__main__ import dumps_json, summary_dict
    from analysis.model import load_plan

    result = _run("summary", str(PLAN), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == dumps_json(summary_dict(load_plan(PLAN))) + "\n"


def test_text_output_and_warnings_are_whole() -> None:
    result = _run("summary", str(PLAN))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[1].startswith("任务 tasks:")
    assert len(lines) == 3 + int(lines[1].split("单位 agencies:")[1])  # title, counts, header, one per agency


def test_a_refused_file_exits_with_its_message() -> None:
    result = _run("summary", str(ROOT / "tests" / "fixtures" / "bad" / "empty.csv"), "--json")
    assert result.returncode == 2
    assert result.stdout == b""
    assert "empty.csv" in result.stderr.decode("utf-8")


def test_a_closed_pipe_is_no_traceback() -> None:
    with subprocess.Popen([sys.executable, "-m", "analysis", "summary", str(PLAN), "--json"], cwd=ROOT, env=ENV,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10)
        process.stdout.close()  # as `| head -c 10` does
        error = process.stderr.read()
        process.wait(timeout=120)
    assert b"Traceback" not in error


class _Trickle:
    """A raw stream that takes at most `step` bytes a write (as a raw stdout may under a signal)."""

    def __init__(self, step: int) -> None:
        self.step, self.data = step, bytearray()

    def write(self, data: memoryview) -> int:
        taken = bytes(data[: self.step])
        self.data += taken
        return len(taken)

    def flush(self) -> None:
        pass


class _Stdout:
    encoding = "utf-8"

    def __init__(self, buffer: _Trickle) -> None:
        self.buffer = buffer

    def flush(self) -> None:
        pass


def test_json_output_is_whole_on_a_raw_stdout_that_takes_part_of_each_write(monkeypatch) -> None:
    from analysis.__main__ import dumps_json, print_json

    data = {"tasks": [{"id": n, "text": "建设5G基站" * 3} for n in range(500)]}
    trickle = _Trickle(step=997)
    monkeypatch.setattr(sys, "stdout", _Stdout(trickle))
    print_json(data)
    assert trickle.data.decode("utf-8") == dumps_json(data) + "\n"
    assert len(trickle.data) > 10 * 997  # many partial writes


def test_what_a_script_holds_is_out_of_the_collectors_reach(monkeypatch) -> None:
    """`_hold` keeps a value to the end of the process and freezes what the process has made, so
    the collections after a command's pause do not walk it; main() called from Python holds nothing."""
    import gc

    import analysis.__main__ as cli

    kept = [[n] for n in range(1000)]
    cli._hold(kept)  # not run as a script: nothing kept, nothing frozen
    assert gc.get_freeze_count() == 0 and any(item is kept for item in gc.get_objects())
    monkeypatch.setattr(cli, "_held", [])
    try:
        cli._hold(kept)
        assert cli._held == [kept] and gc.get_freeze_count() > 0
        assert not any(item is kept or item is kept[0] for item in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(item is kept for item in gc.get_objects())


def test_a_script_leaves_the_collector_on_for_its_command() -> None:
    """Paused for the imports when run as a script, the collector is on again (and the imports'
    objects frozen) when the command runs: a command that holds nothing keeps collecting."""
    code = (
        "import gc, runpy, sys\n"
        "import analysis.model as model\n"
        "seen = []\n"
        "model.load_plan = lambda *a, **k: seen.append((gc.isenabled(), gc.get_freeze_count())) or 1 / 0\n"
        "sys.argv = ['analysis', 'summary', sys.argv[1], '--json']\n"
        "try:\n"
        "    runpy.run_module('analysis', run_name='__main__', alter_sys=True)\n"
        "except (SystemExit, ZeroDivisionError):\n"
        "    pass\n"
        "print(repr((seen, gc.isenabled())))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(PLAN)], cwd=ROOT, capture_output=True, timeout=120, env=ENV)
    assert result.returncode == 0, result.stderr
    [(collecting, frozen)], enabled = ast.literal_eval(result.stdout.decode())
    assert frozen > 10_000 and enabled is True
    assert collecting is False  # inside the summary's pause
