"""deploy/: the nginx site is valid for Debian's nginx, keeps a browser on one server, spreads browsers
over all of them, passes a dead server's browsers to a live one; health checks; settings agree."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
import urllib.request
from pathlib import Path

import pytest

from deploy import health
from deploy.stack import NGINX, UPLOAD_MB, UPSTREAM_HEADER, _main_conf, nginx_site, running_stack
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None and not Path(NGINX).exists(),
                                reason="needs Debian's nginx: bash scripts/install.sh --dev")


def _get(url: str, cookie: str = "") -> tuple[str, str]:
    """(the app server that answered, the affinity cookie nginx set) for one page request."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        cookies = [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("taskboard_node=")]
        return response.headers[UPSTREAM_HEADER], cookies[0].split(";")[0] if cookies else ""


def test_the_site_passes_nginx_t_and_matches_the_upload_limit(tmp_path):
    site = tmp_path / "taskboard.conf"
    text = nginx_site([8501, 8502, 8503], "127.0.0.1:18080")
    site.write_text(text, encoding="utf-8")
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / name).mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(_main_conf(tmp_path, site), encoding="utf-8")
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "@" not in text.split("upstream taskboard")[1]  # every placeholder filled
    assert text.count("max_fails=1 fail_timeout=10s;") == 3
    assert UPSTREAM_HEADER not in text  # the trial's header is not in a real deployment's site
    for needed in ("hash $taskboard_node consistent;", "location /_stcore/stream", "proxy_read_timeout 3600s;",
                   "proxy_set_header Upgrade $http_upgrade;", "location /_stcore/upload_file",
                   "proxy_set_header Host $http_host;", "proxy_next_upstream error timeout"):
        assert needed in text
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == UPLOAD_MB
    # No full garbage collection after each script run: 0.25 s of server CPU per rerun (issue 19).
    assert config["runner"]["postScriptGC"] is False
    assert f"client_max_body_size {UPLOAD_MB + 2}m;" in text


def test_affinity_spread_failover_and_health(tmp_path):
    with running_stack(2, database=f"sqlite:///{tmp_path / 'taskboard.db'}") as stack:
        ports = {f"127.0.0.1:{s.port}" for s in stack.servers}
        first = [_get(stack.url + "/") for _ in range(24)]
        assert {upstream for upstream, _ in first} == ports  # new browsers go to both servers
        assert all(cookie.startswith("taskboard_node=") for _, cookie in first)
        for upstream, cookie in first[:6]:  # one browser stays on its server, for every kind of request
            for path in ("/", "/_stcore/health", "/progress?plan=1", "/_stcore/host-config"):
                assert _get(stack.url + path, cookie)[0] == upstream
        assert health.main([stack.url, *(s.url for s in stack.servers)]) == 0

        stack.kill(0)
        dead = f"127.0.0.1:{stack.servers[0].port}"
        assert health.main([stack.servers[0].url]) == 1
        moved = [cookie for upstream, cookie in first if upstream == dead]
        assert moved
        for cookie in moved:  # its browsers are served by the other server
            upstream, _ = _get(stack.url + "/", cookie)
            assert upstream.split(", ")[-1] == f"127.0.0.1:{stack.servers[1].port}"
        assert health.main([stack.url]) == 0


def test_sessions_opening_together_on_a_fresh_server_get_their_page_and_filter(tmp_path):
    """What the users of a killed server meet on the other one, if it has served nobody yet: six
    sessions open six deep links with a filter at the same moment. Each is shown its page framed by
    app.py, with the sidebar's agency filter from its address, and no error. Before dashboard/boot.py
    and the per-run frame check (dashboard/ui.py), all six failed with a half-imported SQLAlchemy, then
    five of six lost their filter (only the first to switch off Streamlit's legacy page mode was framed)."""
    import asyncio
    import random
    from urllib.parse import quote

    from benchmarks.load import Client, Stats, selected

    pages = ("tasks", "network", "progress", "timeline", "workload", "meetings")
    agency = "省卫健委"

    async def one(url: str, n: int, hashes: dict[str, str], stats: Stats) -> tuple[str, bool, bool]:
        client = Client(url, n, stats, random.Random(n), tag="fresh")
        await client.connect()
        client.page_hashes, client.page = dict(hashes), pages[n]
        client.query_string = f"agency={quote(agency)}&plan=1"
        run = await client.rerun()
        await client.close()
        chosen = run.widget("f_agency")
        return pages[n], run.page_hash == hashes[pages[n]], chosen is not None and selected(chosen) == [agency]

    async def scenario(urls: list[str]) -> tuple[list[tuple[str, bool, bool]], Stats]:
        stats = Stats()
        first = Client(urls[0], 99, stats, random.Random(0), tag="fresh")  # learns the page hashes
        await first.connect()
        await first.rerun()
        await first.close()
        shown = await asyncio.gather(*(one(urls[1], n, first.page_hashes, stats) for n in range(len(pages))))
        return list(shown), stats

    with running_stack(2) as stack:
        shown, stats = asyncio.run(scenario([server.url for server in stack.servers]))
    assert stats.errors == []
    assert shown == [(page, True, True) for page in pages]
