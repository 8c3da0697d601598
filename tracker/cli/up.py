"""``tracker up``: the whole product in one command: data folder, poller and dashboard.

1. An empty ``$TRACKER_HOME`` is initialised the way ``tracker init`` does it (migrations, the bundled starter
   history, the read copy), so the dashboard has data before the first poll lands.
2. The poller runs in the background as a child process (``tracker schedule``, same home and config, and
   ``--verbose`` when given); it writes to the same terminal, one line per job run.
3. The Streamlit dashboard (``dashboards/app.py``) is served on 127.0.0.1 at ``settings.port``. It is started
   before step 1, so that its start-up overlaps the initialising (it reads nothing until a browser opens it);
   its URL is printed after step 1, and again once its health endpoint ``/_stcore/health`` answers (Streamlit's own welcome message
   and info lines are left out: they say the same; its warnings and errors still show).

Each child gets its own process group, so a terminal's Ctrl-C reaches only this process, which then stops them
in order: SIGTERM to both groups (the poller finishes the fetch in progress, publishes and exits 0), a grace
period, then SIGKILL to whatever is left in either group. No process outlives ``tracker up``.
Offline, polls fail (a line per job run, each fetch row and the dashboard's health page say why) and the
dashboard still serves the stored data.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tracker import store
from tracker.config import Settings, child_environ
from tracker.errors import ConfigError
from tracker.ingest import starter


def dashboard_app() -> Path:
    """The dashboard's entry script: the ``dashboards`` package beside ``tracker`` (a checkout, or the
    wheel, which ships both packages)."""
    spec = importlib.util.find_spec("dashboards")
    folders = list(spec.submodule_search_locations or []) if spec else []
    return Path(folders[0]) / "app.py" if folders else Path("dashboards") / "app.py"


POLLER_GRACE = 60.0  # seconds for the poller to finish a write before it is killed
DASHBOARD_GRACE = 10.0


def initialise(settings: Settings) -> str | None:
    """Create and seed the database when the home has none; returns what was done (None: nothing)."""
    if settings.database_path.exists():
        return None
    with store.writer(settings, "tracker up (initialising)") as w:
        results = starter.load(w) if starter.is_empty(w) else []
    new = sum(r.snapshots_new for r in results)
    return f"initialised {settings.home} with the starter history ({len(results)} file(s), {new} snapshot(s))"


def tracker_command(*args: str) -> list[str]:
    """The ``tracker`` CLI in a child process, with this interpreter."""
    return [sys.executable, "-c", "from tracker.cli import main; main()", *args]


def dashboard_command(app: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--logger.hideWelcomeMessage",
        "true",
        "--logger.level",
        "warning",
    ]


def healthy(url: str) -> bool:
    try:
        response = httpx.get(f"{url}/_stcore/health", timeout=2.0, trust_env=False)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and response.text.strip() == "ok"


def _stop(processes: list[tuple[str, subprocess.Popen, float]]) -> None:
    """SIGTERM each child's process group, wait its grace period, SIGKILL what is left of each group."""
    for _, proc, _ in processes:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
    for _, proc, grace in processes:
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        # grandchildren that outlived their parent in the group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


def up(
    settings: Settings,
    *,
    app: Path | None = None,
    out: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    verbose: bool = False,
) -> int:
    """Serve until Ctrl-C / SIGTERM (or ``stop``); returns the exit code."""
    app = Path(app) if app is not None else dashboard_app()
    if not app.is_file():
        raise ConfigError(
            f"dashboard app {app} not found: the `dashboards` package is missing from this installation; "
            "reinstall leaderboard-tracker"
        )
    env = child_environ(settings)
    poll_args = ["schedule", "--home", str(Path(settings.home).resolve())]
    if settings.config is not None:
        poll_args += ["--config", str(Path(settings.config).resolve())]
    if verbose:
        poll_args.append("--verbose")
    stop = stop or threading.Event()
    received: list[str] = []

    def handler(signum, _frame):
        received.append(signal.Signals(signum).name)
        stop.set()

    in_main = threading.current_thread() is threading.main_thread()
    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)} if in_main else {}
    children: list[tuple[str, subprocess.Popen, float]] = []
    code = 0
    try:
        # the dashboard starts first: its start-up (a second or two of imports) overlaps the initialising of
        # an empty data folder. It reads nothing until a browser opens it, and its URL is printed only once
        # the data is there.
        dashboard = subprocess.Popen(dashboard_command(app, settings.port), env=env, start_new_session=True)
        children.append(("dashboard", dashboard, DASHBOARD_GRACE))
        if note := initialise(settings):
            out(note)
        poller = subprocess.Popen(tracker_command(*poll_args), env=env, start_new_session=True)
        children.insert(0, ("poller", poller, POLLER_GRACE))  # stopped first: it may be writing
        url = f"http://127.0.0.1:{settings.port}"
        out(f"dashboard: {url} (poller pid {poller.pid}, dashboard pid {dashboard.pid}); Ctrl-C stops both")
        ready = poller_done = False
        # is_set() and sleep, not stop.wait(): the signal handler sets the Event in this thread, and setting
        # it while this thread holds the Event's lock inside wait() would deadlock
        while not stop.is_set():
            time.sleep(0.5 if ready else 0.1)  # the ready line soon after health answers
            if (rc := dashboard.poll()) is not None:
                out(f"the dashboard exited with code {rc}; stopping the poller")
                code = rc or 1
                break
            if not poller_done and (rc := poller.poll()) is not None:
                poller_done = True
                out(f"the poller exited with code {rc}; the dashboard keeps serving the stored data")
            if not ready and healthy(url):
                ready = True
                out(f"dashboard ready: {url}")
        if received:
            out(f"{received[0]} received: stopping the poller and the dashboard")
    finally:
        _stop(children)
        for s, h in previous.items():
            signal.signal(s, h)
    return code
