"""A fault-injecting HTTP server on 127.0.0.1 for the reliability tests, and the catalogue of faults.

``FaultServer`` is a real ``ThreadingHTTPServer`` whose handler writes raw bytes, so a fault can break the
protocol anywhere: never answer, drip the body, close early, lie about Content-Length, send gzip that does
not decode, loop redirects. ``server.serve(path, behaviour)`` says what a path answers; a behaviour is a
callable ``(handler) -> None`` built by the functions below. Two faults need no handler at all and have
their own helpers: ``refused_url()`` (nothing listens on the port) and ``BlackHole`` (a listening socket
whose accept queue is full, so a connect waits until the client's connect timeout).

``boards`` builds the page bodies: ``good(i)`` is a valid arena.ai-style page (40 models, a vote cutoff
that differs with ``i``); the other builders break one thing at a time, from the transport to the payload.
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.pages import entry, leaderboard, page

__all__ = ["entry", "leaderboard", "page"]  # re-exported for fault builders in the tests

Behaviour = Callable[["FaultHandler"], None]
MODELS = 40  # models on a good board; the sanity guard compares against this


# ---------------------------------------------------------------------------------------------------------
# payloads


def good_entries(i: int, n: int = MODELS) -> list[dict]:
    """Entries of the ``i``-th good board: ratings shift with ``i`` so each board is a new snapshot."""
    return [
        entry(
            f"model-{j:03d}",
            1500.0 - j * 4 + (i % 5),
            1490.0 - j * 4 + (i % 5),
            1510.0 - j * 4 + (i % 5),
            votes=2000 + 10 * i + j,
            rank=j + 1,
        )
        for j in range(n)
    ]


def cutoff(i: int) -> str:
    base = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=i)
    return base.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def board_page(entries: list[dict], i: int, **page_kwargs) -> bytes:
    return page(leaderboard(entries, cutoff=cutoff(i)), **page_kwargs)


def good(i: int) -> bytes:
    """A valid page: one board (text / overall / no style control), MODELS models, cutoff hour ``i``."""
    return board_page(good_entries(i), i)


def with_entries(i: int, change: Callable[[list[dict]], list[dict]]) -> bytes:
    return board_page(change(good_entries(i)), i)


def set_field(row: int, name: str, value: object) -> Callable[[list[dict]], list[dict]]:
    def change(entries: list[dict]) -> list[dict]:
        entries[row][name] = value
        return entries

    return change


def rename_field(old: str, new: str) -> Callable[[list[dict]], list[dict]]:
    def change(entries: list[dict]) -> list[dict]:
        return [{(new if k == old else k): v for k, v in e.items()} for e in entries]

    return change


def drop_field(name: str) -> Callable[[list[dict]], list[dict]]:
    def change(entries: list[dict]) -> list[dict]:
        return [{k: v for k, v in e.items() if k != name} for e in entries]

    return change


def moved_board(i: int) -> bytes:
    """A deploy that changes the page layout: new line ids before the board, the board on another line id,
    the flight text cut into a different number of chunks. The content is a good board."""
    extra = (
        '1:HL["/_next/static/css/a1b2c3.css","style"]',
        '2:I[12345,["chunks/999-abc.js"],"Leaderboard"]',
        '5:["$","div",null,{"className":"banner","children":"New layout"}]',
    )
    return board_page(good_entries(i), i, line_id="7f", chunks=7, extra_lines=extra)


def invalid_utf8(i: int) -> bytes:
    body = good(i)
    cut = body.index(b"model-010")
    return body[:cut] + b"\xff\xfe\xc3" + body[cut:]


def no_board_html() -> bytes:
    """A real-looking page with flight data but no leaderboard (an error or maintenance page)."""
    return page(None, extra_lines=('3:["$","h1",null,{"children":"We\'ll be right back"}]',))


def plain_html() -> bytes:
    return b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


# ---------------------------------------------------------------------------------------------------------
# the server


class FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultHTTPServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?")[0]
        self.server.log.append({"path": self.path, "headers": dict(self.headers), "at": time.monotonic()})
        behaviour = self.server.routes.get(path) or status(404, b"not found")
        try:
            behaviour(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True  # the client gave up first; that is the point of most faults

    def log_message(self, *args) -> None:
        pass

    # tools for behaviours

    def raw(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def head(self, code: int, headers: dict[str, str], length: int | None) -> None:
        lines = [f"HTTP/1.1 {code} {_REASONS.get(code, 'Status')}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if length is not None:
            lines.append(f"Content-Length: {length}")
        else:
            lines.append("Connection: close")  # body delimited by closing the connection
            self.close_connection = True
        self.raw(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def client_gone(self, wait: float) -> bool:
        """Wait up to ``wait`` seconds; True once the client closed its end (or the server stops)."""
        if self.server.stopping.is_set():
            return True
        ready, _, _ = select.select([self.connection], [], [], wait)
        if ready:
            try:
                return self.connection.recv(1, socket.MSG_PEEK) == b""
            except OSError:
                return True
        return self.server.stopping.is_set()


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), FaultHandler)
        self.routes: dict[str, Behaviour] = {}
        self.log: list[dict] = []
        self.stopping = threading.Event()


@dataclass
class FaultServer:
    """A running FaultHTTPServer: ``serve(path, behaviour)``, ``url(path)``, ``requests(path)``."""

    httpd: FaultHTTPServer
    thread: threading.Thread
    base_url: str = field(init=False)

    def __post_init__(self) -> None:
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def serve(self, path: str, behaviour: Behaviour) -> str:
        self.httpd.routes[path] = behaviour
        return self.url(path)

    def requests(self, path: str | None = None) -> list[dict]:
        return [r for r in self.httpd.log if path is None or r["path"].split("?")[0] == path]

    def stop(self) -> None:
        self.httpd.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def fault_server(port: int = 0) -> Iterator[FaultServer]:
    """A running fault server on 127.0.0.1 (``port`` 0: any free port), stopped on exit."""
    httpd = FaultHTTPServer(port)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server = FaultServer(httpd, thread)
    try:
        yield server
    finally:
        server.stop()


def refused_url(path: str = "/leaderboard/text") -> str:
    """A URL on a loopback port nobody listens on: connecting is refused at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}{path}"


class BlackHole:
    """A listening socket that never accepts, its one-slot queue already taken: a new connection's SYN is
    dropped, so the client waits for its connect timeout (the loopback stand-in for an unreachable host)."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.port = self.listener.getsockname()[1]
        self.fillers: list[socket.socket] = []
        for _ in range(4):
            filler = socket.socket()
            filler.settimeout(0.2)
            try:
                filler.connect(("127.0.0.1", self.port))
            except OSError:
                filler.close()
                break
            self.fillers.append(filler)

    def url(self, path: str = "/leaderboard/text") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        for s in [*self.fillers, self.listener]:
            s.close()


# ---------------------------------------------------------------------------------------------------------
# behaviours: what one path answers


def respond(
    body: bytes, code: int = 200, content_type: str | None = "text/html; charset=utf-8", **headers: str
) -> Behaviour:
    def behaviour(h: FaultHandler) -> None:
        hdrs = {k.replace("_", "-"): v for k, v in headers.items()}
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        h.head(code, hdrs, len(body))
        h.raw(body)

    return behaviour


def status(code: int, body: bytes = b"", **headers: str) -> Behaviour:
    return respond(body or f"{code}".encode(), code, "text/plain", **headers)


def retry_after_seconds(code: int, seconds: int) -> Behaviour:
    return status(code, b"slow down", Retry_After=str(seconds))


def retry_after_date(code: int, seconds: int, now: Callable[[], datetime] | None = None) -> Behaviour:
    """Retry-After as an HTTP date ``seconds`` after the request arrives, by the clock ``now`` (the test's
    clock, so that server and client agree on the time when the test moves it)."""

    def behaviour(h: FaultHandler) -> None:
        when = (now or (lambda: datetime.now(UTC)))() + timedelta(seconds=seconds)
        status(code, b"slow down", Retry_After=email.utils.format_datetime(when, usegmt=True))(h)

    return behaviour


def redirect(code: int, location: str) -> Behaviour:
    return status(code, b"moved", Location=location)


def hang() -> Behaviour:
    """Read the request, then never answer (a read timeout on the status line)."""

    def behaviour(h: FaultHandler) -> None:
        while not h.client_gone(0.05):
            pass
        h.close_connection = True

    return behaviour


def drip(body: bytes, every: float = 0.05, step: int = 64) -> Behaviour:
    """Headers at once, then ``step`` bytes every ``every`` seconds: never idle long enough for a read
    timeout, so only an overall deadline stops it."""

    def behaviour(h: FaultHandler) -> None:
        h.head(200, {"Content-Type": "text/html"}, len(body))
        for start in range(0, len(body), step):
            if h.client_gone(every):
                h.close_connection = True
                return
            h.raw(body[start : start + step])

    return behaviour


def truncated(body: bytes, missing: int = 5000) -> Behaviour:
    """Content-Length promises more than is sent, then the connection closes."""

    def behaviour(h: FaultHandler) -> None:
        h.head(200, {"Content-Type": "text/html"}, len(body) + missing)
        h.raw(body[: len(body) // 2])
        h.close_connection = True

    return behaviour


def close_without_answer() -> Behaviour:
    def behaviour(h: FaultHandler) -> None:
        h.close_connection = True

    return behaviour


def garbage_status_line() -> Behaviour:
    def behaviour(h: FaultHandler) -> None:
        h.raw(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        h.close_connection = True

    return behaviour


def bad_gzip(body: bytes) -> Behaviour:
    """Content-Encoding: gzip on bytes that are not gzip past the magic number."""
    junk = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)) * 4 + body[:200]

    def behaviour(h: FaultHandler) -> None:
        h.head(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, len(junk))
        h.raw(junk)

    return behaviour


def gzip_bomb(decoded_size: int) -> Behaviour:
    """A small gzip body that decodes to ``decoded_size`` bytes (Content-Length is the small size)."""
    packed = gzip.compress(b"<!DOCTYPE html><html>" + b" " * decoded_size, compresslevel=9)

    def behaviour(h: FaultHandler) -> None:
        h.head(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, len(packed))
        h.raw(packed)

    return behaviour


def oversized(size: int, declare_length: bool) -> Behaviour:
    """A body of ``size`` bytes, with or without Content-Length (without: until the connection closes)."""

    def behaviour(h: FaultHandler) -> None:
        h.head(200, {"Content-Type": "text/html"}, size if declare_length else None)
        block = b"<!-- padding -->" * 4096
        sent = 0
        while sent < size:
            piece = block[: size - sent]
            h.raw(piece)
            sent += len(piece)
        h.close_connection = True

    return behaviour


def sequence(*behaviours: Behaviour) -> Behaviour:
    """The first request gets the first behaviour, and so on; the last one repeats."""
    calls = {"n": 0}
    lock = threading.Lock()

    def behaviour(h: FaultHandler) -> None:
        with lock:
            index = min(calls["n"], len(behaviours) - 1)
            calls["n"] += 1
        behaviours[index](h)

    return behaviour
