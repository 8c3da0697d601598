"""The dashboard in a real browser: ``streamlit run`` headless on 127.0.0.1, driven by Debian's Chromium through
Playwright. Every page of the registry must show its heading, draw its chart (SVG or canvas) when it has
one, and raise no exception; a screenshot of each is saved under the test's tmp folder.

With ``TRACKER_UPDATE_SCREENSHOTS=1`` the test also rewrites the README screenshots
(docs/screenshots/leaderboard.png, rank-movement.png, model.png) from the seeded starter history (``tracker
init``), or, when no starter history is bundled, from the real upstream copies in ../shared/data.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from dashboards import registry
from tests.conftest import SHARED_DATA
from tests.test_dashboard_pages import build_small_home
from tracker import store
from tracker.config import Settings, load_settings
from tracker.ingest import files as importer
from tracker.ingest import starter

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboards" / "app.py"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# README screenshot -> the view it shows (a link into the app: page route and query)
README_SHOTS = {
    "leaderboard.png": "?at=2026-05-07",
    "rank-movement.png": "rank-movement?from=2024-06-01&to=2025-07-18",
    "model.png": "model?model=mai-1-preview",
}
STARTUP_SECONDS = 60
PAGE_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"Chromium not found at {CHROMIUM}; install Debian's package (apt-get install chromium), "
        "as .ci/run does",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen
    log: Path


@contextlib.contextmanager
def serve(settings: Settings, log: Path) -> Iterator[RunningApp]:
    """``streamlit run dashboards/app.py`` on a free loopback port, its home given through TRACKER_HOME."""
    port = free_port()
    env = {**os.environ, "TRACKER_HOME": str(settings.home)}
    env.pop("TRACKER_LAKE", None)
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit did not answer on {url} within {STARTUP_SECONDS} s:\n{log.read_text()}"
                )
            time.sleep(0.2)  # waiting for a real process to bind its port
        yield RunningApp(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def open_page(page, url: str, spec: registry.PageSpec) -> None:
    """Load one page and wait until it has finished: heading, chart or table drawn, no script running; then
    check that it raised nothing."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]', timeout=PAGE_MS)
    page.wait_for_selector(f'h1:has-text("{spec.title}")', timeout=PAGE_MS)
    if spec.has_chart:
        drawn = '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas'
        page.wait_for_selector(drawn, timeout=PAGE_MS)
    else:
        if spec.url_path == "sql":  # the console shows a table once a query has run
            page.get_by_role("button", name="Run").click()
        page.wait_for_selector('[data-testid="stDataFrame"] canvas', timeout=PAGE_MS)
    # the run is over when the "running" status widget is gone
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=PAGE_MS)
    page.wait_for_timeout(500)  # let charts finish their first paint before a screenshot
    assert page.locator("h1").first.inner_text().strip() == spec.title
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"{spec.title}: {errors.first.inner_text()}"
    alerts = page.locator('[data-testid="stAlertContentError"]')
    assert alerts.count() == 0, f"{spec.title}: {alerts.first.inner_text()}"


@contextlib.contextmanager
def chromium(width: int, height: int):
    """A page in Debian's Chromium (never a downloaded browser build)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def visit_every_page(app: RunningApp, out_dir: Path) -> dict[str, Path]:
    """Open each registry page, check it, save a full-page screenshot; returns url_path -> file."""
    shots = {}
    with chromium(1400, 1000) as page:
        for spec in registry.PAGES:
            open_page(page, f"{app.url}/{spec.route}", spec)
            shots[spec.url_path] = out_dir / f"{spec.url_path}.png"
            page.screenshot(path=str(shots[spec.url_path]), full_page=True)
    return shots


def test_every_page_renders_in_chromium(tmp_path):
    settings = load_settings(environ={}, home=tmp_path / "home")
    build_small_home(settings)
    with serve(settings, tmp_path / "streamlit.log") as app:
        shots = visit_every_page(app, tmp_path)
        assert app.process.poll() is None, "the app died while pages were open"
    assert sorted(shots) == sorted(spec.url_path for spec in registry.PAGES)
    assert all(path.stat().st_size > 10_000 for path in shots.values())
    log = (tmp_path / "streamlit.log").read_text()
    assert "Traceback" not in log, log


def seeded_home(home: Path) -> Settings:
    """The data behind the README screenshots: the bundled starter history, else the real upstream copies."""
    settings = load_settings(environ={}, home=home)
    if any(starter.history_dir().glob("*.parquet")):
        with store.writer(settings, "screenshots") as w:
            starter.load(w)
    elif SHARED_DATA.is_dir():
        with store.writer(settings, "screenshots") as w:
            importer.import_paths(w, [SHARED_DATA])
    else:
        pytest.skip(
            f"no starter history in {starter.history_dir()} and no {SHARED_DATA} to build screenshots from"
        )
    return settings


@pytest.mark.skipif(
    os.environ.get("TRACKER_UPDATE_SCREENSHOTS") != "1",
    reason="README screenshots are rewritten only with TRACKER_UPDATE_SCREENSHOTS=1",
)
def test_update_readme_screenshots(tmp_path):
    settings = seeded_home(tmp_path / "home")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with serve(settings, tmp_path / "streamlit.log") as app, chromium(1440, 900) as page:
        for name, link in README_SHOTS.items():
            spec = registry.by_url(link.split("?")[0] or registry.PAGES[0].url_path)  # "" is the first page
            open_page(page, f"{app.url}/{link}", spec)
            page.screenshot(path=str(SCREENSHOTS / name))
