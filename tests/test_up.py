"""`tracker up` end to end: a real process initialises an empty home, starts the poller and the real Streamlit
dashboard (dashboards/app.py) on 127.0.0.1, the health endpoint answers, and Ctrl-C (SIGINT to its process
group, as a terminal sends it) stops everything with no process left behind. The poll target is a loopback port
nobody listens on: offline, polls fail and are recorded while the dashboard keeps serving.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from tracker.cli import up as up_module

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_members(pgids: set[int]) -> set[int]:
    """Live (non-zombie) processes in any of the given process groups, from /proc."""
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, pgid = fields[0], int(fields[2])
        if pgid in pgids and state != "Z":
            members.add(int(entry.name))
    return members


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_tracker_up_serves_the_dashboard_and_ctrl_c_leaves_no_process(tmp_path):
    assert up_module.dashboard_app().is_file(), "the dashboards package must ship its app.py"
    home = tmp_path / "home"
    home.mkdir()
    dead_port = free_port()  # offline: nobody listens here
    config = tmp_path / "tracker.toml"
    config.write_text(
        "default_jobs = false\n[settings]\nretries = 0\n"
        f"[[jobs]]\nname = 'pages'\nsource = 'arena-page'\nurls = ['http://127.0.0.1:{dead_port}/leaderboard/text']\n"
        "interval = '1h'\n",
        encoding="utf-8",
    )
    port = free_port()
    env = {**os.environ, "COLUMNS": "300", "NO_COLOR": "1"}
    env.pop("TRACKER_HOME", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from tracker.cli import main; main()",
            "up",
            "--home",
            str(home),
            "--config",
            str(config),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,  # its own group, like a shell job; Ctrl-C goes to this group
    )
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True)
    reader.start()

    def wait_line(pattern: str, timeout: float = 120.0, *, earlier: bool = False) -> re.Match:
        # earlier: a line already read while waiting for another counts too (the poller and the dashboard
        # log from two processes, in either order)
        for line in seen if earlier else ():
            if match := re.search(pattern, line):
                return match
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                if proc.poll() is not None:
                    break
                continue
            seen.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r}; output:\n{''.join(seen)}")

    try:
        started = wait_line(r"dashboard: (http://127\.0\.0\.1:\d+) \(poller pid (\d+), dashboard pid (\d+)\)")
        url, poller_pid, dashboard_pid = started.group(1), int(started.group(2)), int(started.group(3))
        assert url == f"http://127.0.0.1:{port}"
        wait_line(r"dashboard ready: http://127\.0\.0\.1")
        # the poller, in the background, prints one line per job run (offline, failing) to the same terminal
        wait_line(r"warning job pages: failed, 1 fetched \(1 failed\)$", earlier=True)
        health = httpx.get(f"{url}/_stcore/health", timeout=10, trust_env=False)
        assert (health.status_code, health.text) == (200, "ok")
        members = group_members({poller_pid, dashboard_pid}) | {proc.pid}
        assert {poller_pid, dashboard_pid} <= members
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        try:
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    reader.join(30)
    proc.stdout.close()
    wait_line(r"SIGINT received: stopping the poller and the dashboard", timeout=10)
    assert proc.returncode == 0, "".join(seen)
    # a handful of short lines: no line per URL (that is --verbose) and no second welcome from Streamlit
    assert not [line for line in seen if re.search(r"Z \w+ +fetch |You can now view", line)], "".join(seen)
    assert len([line for line in seen if line.strip()]) <= 10, "".join(seen)
    (started,) = [line for line in seen if "scheduler started" in line]
    assert started.rstrip().endswith("1 job(s); running now: pages"), started
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in members):
        time.sleep(0.1)
    assert not [pid for pid in members if alive(pid)], "processes left behind"
    assert not group_members({poller_pid, dashboard_pid})

    # the home was initialised, and the poller ran offline: its failed fetch is recorded and published
    con = duckdb.connect(str(home / "tracker.read.duckdb"), read_only=True)
    try:
        outcomes = con.execute("select outcome, error from fetches where job = 'pages'").fetchall()
    finally:
        con.close()
    assert outcomes and outcomes[0][0] == "failed" and "ConnectError" in outcomes[0][1]
