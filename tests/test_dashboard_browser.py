"""The dashboard in a real browser: ``streamlit run`` headless on 127.0.0.1, driven by Debian's Chromium through
Playwright, at 1400x1000. Every page of the registry must show its heading, draw its chart when it has one,
raise no exception, request nothing from any host but the app's own (the dashboard works offline), and show
every metric whole (no value cut to an ellipsis); on Rank movement no two chart labels may be drawn over
each other (their boxes are read from the SVG). On the bundled starter history, with a board whose model
is named like a Markdown image and link, that name shows as text: no image, no link. A screenshot of each
page is saved under the test's tmp folder.

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
from urllib.parse import quote, urlsplit

import httpx
import pytest

from dashboards import registry
from tests import pages as hand
from tests.conftest import SHARED_DATA
from tests.test_dashboard_pages import build_small_home
from tracker import store
from tracker.config import Settings, load_settings
from tracker.ingest import files as importer
from tracker.ingest import pipeline, starter
from tracker.read import query

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
    "across-leaderboards.png": "across-leaderboards",
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
    page.evaluate(PAINTED)  # what the checks and the screenshot measure is laid out in its fonts and drawn
    assert page.locator("h1").first.inner_text().strip() == spec.title
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"{spec.title}: {errors.first.inner_text()}"
    alerts = page.locator('[data-testid="stAlertContentError"]')
    assert alerts.count() == 0, f"{spec.title}: {alerts.first.inner_text()}"


# resolves once the page's fonts are loaded (text is measured in them) and two frames were painted after
PAINTED = """
() => document.fonts.ready.then(() => new Promise(done =>
    requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))
"""

# the boxes of every text mark (not axis labels) drawn by each chart on the page, in page pixels
CHART_TEXT_BOXES = """
() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]')).map(chart =>
    Array.from(chart.querySelectorAll('g.mark-text.role-mark text')).map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height};
    }).filter(b => b.text && b.w > 0 && b.h > 0))
"""
# metric labels, values and deltas wider than their box: shown cut off, with an ellipsis
CUT_METRICS = """
() => Array.from(document.querySelectorAll(
        ['stMetricLabel', 'stMetricValue', 'stMetricDelta']
            .map(id => `[data-testid="${id}"], [data-testid="${id}"] *`).join(', ')))
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)
"""


def overlapping(boxes: list[dict], tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of text boxes that overlap by more than ``tolerance`` px in both directions."""
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if dx > tolerance and dy > tolerance:
                pairs.append((a["text"], b["text"]))
    return pairs


def check_page(page, spec: registry.PageSpec) -> None:
    """What a careful reader needs of every page: metrics shown whole; on Rank movement, chart labels apart."""
    assert page.evaluate(CUT_METRICS) == [], f"{spec.title}: metric values cut off"
    if spec.url_path == "rank-movement":
        charts = page.evaluate(CHART_TEXT_BOXES)
        assert len(charts) == 2 and all(len(boxes) >= 2 for boxes in charts), charts
        for boxes in charts:
            assert overlapping(boxes) == [], f"labels drawn over each other: {overlapping(boxes)}"


@contextlib.contextmanager
def chromium(width: int, height: int, allowed: str | None = None):
    """A page in Debian's Chromium (never a downloaded browser build). With ``allowed`` (the app's URL),
    every request the page makes elsewhere is recorded in ``page.foreign`` and refused, as offline."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.foreign = []
            if allowed is not None:
                own = urlsplit(allowed).netloc

                def route(r):
                    url = r.request.url
                    if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == own:
                        r.continue_()
                    else:
                        page.foreign.append(url)
                        r.abort()

                page.route("**/*", route)
            yield page
        finally:
            browser.close()


def visit_every_page(app: RunningApp, out_dir: Path, page=None) -> dict[str, Path]:
    """Open each registry page (in ``page``, or a Chromium of its own), check it, save a screenshot; returns
    url_path -> file."""
    if page is None:
        with chromium(1400, 1000, allowed=app.url) as own:
            return visit_every_page(app, out_dir, own)
    shots = {}
    for spec in registry.PAGES:
        open_page(page, f"{app.url}/{spec.route}", spec)
        check_page(page, spec)
        shots[spec.url_path] = out_dir / f"{spec.url_path}.png"
        page.screenshot(path=str(shots[spec.url_path]), full_page=True)
    assert page.foreign == [], f"requests that left the machine: {page.foreign}"
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


HOSTILE = "![x](http://attacker.example/p.png) [Verify your account](http://phish.example/)"


def add_hostile_board(settings: Settings) -> str:
    """A 'vision' board whose leader is named like a Markdown image and link; returns its model key."""
    entries = [
        hand.entry(HOSTILE, 1500.0, 1490.0, 1510.0, 9000, modelOrganization="[Org](http://phish.example/)"),
        hand.entry("plain-model", 1400.0, 1390.0, 1410.0, 9000, rank=2),
    ]
    with store.writer(settings, "pytest browser") as w:
        body = hand.page(hand.leaderboard(entries, arena="vision", cutoff="2026-05-07T14:00:00.000Z"))
        assert (
            pipeline.ingest(w, pipeline.Payload(body, "hand/vision.html", pipeline.utc_now())).outcome
            == "new"
        )
    found = query.run_sql(
        settings, "select distinct model from rank_history where display_name = $n", {"n": HOSTILE}
    )
    return found["model"][0]


@pytest.fixture(scope="module")
def starter_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    settings = seeded_home(tmp_path_factory.mktemp("browser-starter") / "home")
    return settings, add_hostile_board(settings)


def test_the_starter_history_reads_well_offline(starter_home, tmp_path):
    """The bundled history as a new user first sees it (the log rank axis with mai-1-preview near #100 packs
    the top ten's end labels together), and a hostile name, shown as text."""
    settings, hostile = starter_home
    with (
        serve(settings, tmp_path / "streamlit.log") as app,
        chromium(1400, 1000, allowed=app.url) as browser_page,
    ):
        shots = visit_every_page(app, tmp_path, browser_page)
        for link, spec in (
            ("?arena=vision", registry.by_url("leaderboard")),
            (f"model?arena=vision&model={quote(hostile)}", registry.by_url("model")),
        ):
            open_page(browser_page, f"{app.url}/{link}", spec)
            check_page(browser_page, spec)
            main = browser_page.locator('[data-testid="stMain"]')
            # shown as text (in the table's cells, which the grid may attach after the run ends)
            main.get_by_text("Verify your account", exact=False).first.wait_for(
                state="attached", timeout=PAGE_MS
            )
            assert main.locator("img").count() == 0
            # links out of the page (a heading's own anchor, '#...', is no link out)
            assert main.locator('a[href^="http"], a[href^="//"]').count() == 0
        # Microsoft AI across leaderboards, on the starter alone: a panel per board of both leaderboards,
        # MAI-Voice-1 on the Speech Arena among the lines
        spec = registry.by_url("across-leaderboards")
        open_page(browser_page, f"{app.url}/{spec.route}", spec)
        check_page(browser_page, spec)
        chart = browser_page.locator('[data-testid="stVegaLiteChart"] svg').first
        drawn = " ".join(t or "" for t in chart.locator("text").all_text_contents())
        for title in (
            "text/overall (raw)",
            "text_to_image/overall (raw)",
            "Artificial Analysis · text_to_speech/overall (raw)",
            "Artificial Analysis · text_to_image/overall (raw)",
            "MAI-Voice-1",
            "mai-1-preview",
        ):
            assert title in drawn, f"{title!r} is not drawn on Across leaderboards: {drawn[:400]}"
        assert chart.locator("path[aria-roledescription='line mark']").count() >= 6
        caption = browser_page.locator('[data-testid="stMain"]').inner_text()
        assert "Microsoft AI" in caption and "2 leaderboards (LMArena, Artificial Analysis)" in caption
        assert browser_page.foreign == [], f"requests that left the machine: {browser_page.foreign}"
    assert all(path.stat().st_size > 10_000 for path in shots.values())
    assert "Traceback" not in (tmp_path / "streamlit.log").read_text()


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
    with serve(settings, tmp_path / "streamlit.log") as app, chromium(1440, 900, allowed=app.url) as browser:
        for name, link in README_SHOTS.items():
            spec = registry.by_url(link.split("?")[0] or registry.PAGES[0].url_path)  # "" is the first page
            open_page(browser, f"{app.url}/{link}", spec)
            check_page(browser, spec)
            browser.screenshot(path=str(SCREENSHOTS / name))
        assert browser.foreign == []
