"""Shared fixtures: a tracker home under tmp_path, an open writer, the real upstream copies in
../shared/data (tests that need them skip with a stated reason when absent), and a real HTTP server on
127.0.0.1 whose routes a test can change between requests.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.bytecode import use_cache

# before the imports below and before the test processes start, so that all of them keep their bytecode
use_cache()

from tests.cli import run_tracker  # noqa: E402
from tracker import store  # noqa: E402
from tracker.config import Settings, load_settings  # noqa: E402
from tracker.read import readers  # noqa: E402

# the reliability ledger (RELIABILITY.md) is a plugin, so that a controlling pytest-xdist process has it too
pytest_plugins = ["tests.reliability.ledger"]

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SKIP_NO_SHARED = f"real upstream copies not found at {SHARED_DATA} (the ../shared folder is absent)"


# Files holding a test with one of these marks run first: `--dist loadfile` hands files to the test processes
# in collection order, so the longest start first and no process is left running one alone at the end
HEAVY_MARKS = ("slow", "browser")


# Temporary homes go to memory (/dev/shm) when it has this much room and TMPDIR is not set: every commit and
# publish of a DuckDB file ends in an fsync, which a disk makes each test wait for and memory does not. A
# passing test's folder is removed at once (pyproject: tmp_path_retention_policy), so the run holds little.
MEMORY_TMP = Path("/dev/shm")
MEMORY_TMP_ROOM = 8 * 2**30


def pytest_configure(config: pytest.Config) -> None:
    if "TMPDIR" in os.environ or config.option.basetemp or not os.access(MEMORY_TMP, os.W_OK | os.X_OK):
        return
    room = os.statvfs(MEMORY_TMP)
    if room.f_bavail * room.f_frsize >= MEMORY_TMP_ROOM:
        os.environ["TMPDIR"] = str(MEMORY_TMP)  # test processes and their children inherit it
        tempfile.tempdir = None  # gettempdir() reads TMPDIR again


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    heavy = {item.path for item in items if any(next(item.iter_markers(m), None) for m in HEAVY_MARKS)}
    items.sort(key=lambda item: item.path not in heavy)  # stable: each file's tests keep their order


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data; skips the calling test with the reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{SKIP_NO_SHARED}: needs {'/'.join(parts)}")
    return path


@pytest.fixture(autouse=True)
def _close_shared_readers() -> Iterator[None]:
    """Each test's shared read connections (``tracker.readers``) end with it, as they would with its process."""
    yield
    readers.close_all()


@pytest.fixture(scope="session", autouse=True)
def _scan_streamlit_components_once() -> Iterator[None]:
    """Streamlit's AppTest scans every installed package for Streamlit components each time one is made (~0.3 s
    of CPU, a third of a page test); the installed packages do not change during a run, so the first scan's
    answer serves every AppTest after it."""
    if "streamlit.testing.v1" not in sys.modules:  # no test module of this process uses AppTest
        yield
        return
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(scan)
    try:
        yield
    finally:
        manifest_scanner.scan_component_manifests = scan


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(SKIP_NO_SHARED)
    return SHARED_DATA


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(environ={}, home=tmp_path / "home", publish_min_interval=0.0)


@pytest.fixture(scope="session")
def starter_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home as `tracker init` leaves it (the bundled starter history, nothing fetched), built once per test
    process: a test that needs such a home but does not test `init` itself copies it (``starter_home``)."""
    home = tmp_path_factory.mktemp("starter-template") / "home"
    run_tracker(home, "init", check=True)
    return home


@pytest.fixture
def starter_home(starter_template: Path, tmp_path: Path) -> Path:
    """A copy of ``starter_template`` of the test's own: what it writes reaches no other test."""
    home = tmp_path / "home"
    shutil.copytree(starter_template, home)
    return home


@pytest.fixture
def writer(settings: Settings) -> Iterator[store.Writer]:
    w = store.open_writer(settings, "pytest")
    try:
        yield w
    finally:
        w.close()


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class LoopbackServer:
    """A real HTTP server on 127.0.0.1; ``routes[path]`` says what each path answers, ``requests`` logs calls."""

    base_url: str
    routes: dict[str, Route]
    requests: list[dict]

    def url(self, path: str) -> str:
        return self.base_url + path


def _handler(routes: dict[str, Route], log: list[dict]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            log.append({"path": self.path, "headers": dict(self.headers)})
            route = routes.get(self.path.split("?")[0]) or routes.get(self.path)
            if route is None:
                route = Route(404, b"not found")
            etag = route.headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    routes: dict[str, Route] = {}
    log: list[dict] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes, log))
    # a short poll interval: shutdown() waits up to one interval (0.5 s by default) per test
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield LoopbackServer(f"http://127.0.0.1:{server.server_address[1]}", routes, log)
    finally:
        server.shutdown()
        server.server_close()
