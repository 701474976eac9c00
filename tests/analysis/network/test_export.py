"""`python -m analysis network --json`: identical across fresh runs, equal to the library."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.analysis.network.raw import COLLECTIVES, RAW_ORDER, ROOT, expected_edges


def run_cli(*args: str, hash_seed: str = "0") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [sys.executable, "-m", "analysis", "network", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=120, check=False,
    )


def test_cli_json_is_identical_across_fresh_runs_and_matches_the_library(graph, metrics):
    first = run_cli("--json", hash_seed="1")
    second = run_cli("--json", hash_seed="2")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert set(data) == {
        "nodes", "edges", "density", "communities", "components", "degree_centralization",
        "average_clustering", "modularity", "betweenness_sampled", "betweenness_k",
    }
    assert [n["name"] for n in data["nodes"]] == RAW_ORDER
    assert set(data["nodes"][0]) == {
        "name", "type", "lead", "support", "degree", "weighted_degree", "betweenness",
        "closeness", "eigenvector", "core", "community",
    }
    order = {a: i for i, a in enumerate(RAW_ORDER)}
    keys = [(order[e["source"]], order[e["target"]]) for e in data["edges"]]
    assert keys == sorted(keys) and all(s < t for s, t in keys)
    expected = expected_edges()
    assert {frozenset((e["source"], e["target"])): [str(t) for t in e["tasks"]] for e in data["edges"]} == expected
    assert all(isinstance(t, int) for e in data["edges"] for t in e["tasks"])
    frame, stats = metrics
    for node, row in zip(data["nodes"], frame.itertuples(index=False), strict=True):
        assert node["betweenness"] == round(row.betweenness, 6)
        assert node["eigenvector"] == round(row.eigenvector, 6)
        assert node["community"] == row.community and node["degree"] == row.degree
    assert data["communities"] == stats.communities
    assert data["density"] == round(stats.density, 6)
    assert data["betweenness_sampled"] is False and data["betweenness_k"] is None
    for value in re.findall(r"\d+\.\d+", first.stdout):
        assert len(value.split(".")[1]) <= 6


def test_cli_options_and_errors(tmp_path):
    result = run_cli("--json", "--compact", "--no-collective", "--min-weight", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    data = json.loads(result.stdout)
    assert not {n["name"] for n in data["nodes"]} & COLLECTIVES
    assert len(data["nodes"]) == 31
    assert all(e["weight"] >= 2 for e in data["edges"])
    assert len(data["edges"]) == sum(1 for e, t in expected_edges().items() if len(t) >= 2 and not e & COLLECTIVES)
    text = run_cli()
    assert text.returncode == 0 and "省经信厅" in text.stdout
    missing = run_cli(str(tmp_path / "missing.txt"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and missing.stderr.startswith("错误 error")
    bad = run_cli("--min-weight", "0")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


# ----------------------------------------------------------------------------- golden file

GOLDEN = ROOT / "tests" / "analysis" / "golden" / "network.json"


def test_cli_json_equals_the_golden_file_byte_for_byte(capsys):
    """The bundled plan's `network --json`, as saved before analysis.network became a
    package: any change to a graph, metric, rounding or order shows up here."""
    from analysis.__main__ import main

    assert main(["network", "--json"]) == 0
    out = capsys.readouterr().out
    assert out.encode("utf-8") == GOLDEN.read_bytes()


@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_cli_json_in_fresh_processes_equals_the_golden_file(hash_seed):
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "network", "--json"],
        capture_output=True, cwd=ROOT, env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stdout == GOLDEN.read_bytes()
