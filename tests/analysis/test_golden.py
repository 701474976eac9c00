"""The CLI's JSON on the bundled plan is byte-identical to the stored copy taken before the
restructuring (tests/analysis/golden/): a refactor changes no output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "analysis" / "golden"


@pytest.mark.parametrize("command", ["summary", "network"])
def test_cli_json_is_byte_identical(command: str) -> None:
    result = subprocess.run([sys.executable, "-m", "analysis", command, "--json"], cwd=ROOT,
                            capture_output=True, check=True, env={"PYTHONHASHSEED": "1", "PATH": "/usr/bin:/bin"})
    assert result.stdout == (GOLDEN / f"{command}.json").read_bytes()
