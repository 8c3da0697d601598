"""The polite HTTP client: User-Agent, conditional GET, redirects, body cap, deadline, one request per host,
retries with capped jittered backoff, Retry-After (seconds and HTTP date) and giving up until the next run.

Real loopback server for what a server does; ``httpx.MockTransport`` only for status/header sequences.
Every wait goes through an injected ``sleep`` (recorded, never slept).
"""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from tests.conftest import Route
from tracker.errors import FetchError
from tracker.http import HostGate, Policy, RetryLater, fetch, make_client, parse_retry_after

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Clock:
    """A fake monotonic clock that advances only when the fetch 'sleeps'."""

    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def now(self) -> datetime:
        return NOW + timedelta(seconds=self.t)


def client_for(settings, transport=None, clock: Clock | None = None, **kwargs):
    clock = clock or Clock()
    return make_client(
        settings,
        transport,
        sleep=clock.sleep,
        monotonic=clock.monotonic,
        now=clock.now,
        random=lambda: 0.5,
        **kwargs,
    )


def sequence(*answers: httpx.Response | Exception):
    """A MockTransport answering each request with the next item (an exception is raised)."""
    calls: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return httpx.MockTransport(handler), calls


def test_sends_identifying_user_agent_and_conditional_headers(settings, http_server):
    http_server.routes["/board"] = Route(200, b"hello", {"ETag": '"v1"', "Last-Modified": "Sun, 01 Nov 2026"})
    with client_for(settings) as client:
        got = fetch(client, http_server.url("/board"))
        again = fetch(client, http_server.url("/board"), etag=got.etag, last_modified=got.last_modified)
    assert (got.status, got.body, got.etag) == (200, b"hello", '"v1"')
    assert again.not_modified and again.body == b""
    first, second = http_server.requests
    assert first["headers"]["User-Agent"] == settings.user_agent
    assert "If-None-Match" not in first["headers"]
    assert second["headers"]["If-None-Match"] == '"v1"'
    assert second["headers"]["If-Modified-Since"] == "Sun, 01 Nov 2026"


def test_follows_a_bounded_number_of_redirects(settings, http_server):
    http_server.routes["/old"] = Route(301, b"", {"Location": "/new"})
    http_server.routes["/new"] = Route(200, b"moved here")
    with client_for(settings) as client:
        got = fetch(client, http_server.url("/old"))
    assert got.body == b"moved here" and got.final_url == http_server.url("/new")

    http_server.routes["/loop"] = Route(302, b"", {"Location": "/loop"})
    with client_for(settings) as client, pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(client, http_server.url("/loop"))
    assert sum(r["path"] == "/loop" for r in http_server.requests) == settings.max_redirects + 1


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.org/board", "gopher://x/"])
def test_refuses_non_http_urls_and_redirect_targets(settings, http_server, target):
    with client_for(settings) as client, pytest.raises(FetchError, match="only http and https"):
        fetch(client, target)
    http_server.routes["/sneaky"] = Route(302, b"", {"Location": target})
    with client_for(settings) as client, pytest.raises(FetchError, match="redirected from"):
        fetch(client, http_server.url("/sneaky"))


def test_refuses_a_body_over_the_limit(settings, http_server):
    http_server.routes["/big"] = Route(200, b"x" * 5000)
    with client_for(settings.replace(max_body_bytes=1000)) as client:
        with pytest.raises(FetchError, match="larger than max_body_bytes"):
            fetch(client, http_server.url("/big"))
        # without a Content-Length the stream itself is cut at the cap
        chunked = httpx.MockTransport(lambda r: httpx.Response(200, content=iter([b"y" * 600, b"y" * 600])))
    with (
        client_for(settings.replace(max_body_bytes=1000), chunked) as client,
        pytest.raises(FetchError, match="larger than max_body_bytes"),
    ):
        fetch(client, "https://example.org/stream")


def test_retries_5xx_and_connection_errors_with_capped_jittered_backoff(settings):
    transport, calls = sequence(
        httpx.ConnectError("connection refused"),
        httpx.Response(500),
        httpx.ReadTimeout("slow"),
        httpx.Response(502),
        httpx.Response(200, content=b"finally"),
    )
    clock = Clock()
    with client_for(settings.replace(backoff_base=1.0, backoff_cap=5.0), transport, clock) as client:
        got = fetch(client, "https://example.org/board")
    assert (got.body, got.attempts, len(calls)) == (b"finally", 5, 5)
    # equal jitter with random()=0.5: 3/4 of min(cap, base * 2**attempt)
    assert clock.sleeps == [0.75, 1.5, 3.0, 3.75]


def test_backoff_stays_within_its_jitter_bounds():
    for attempt in range(8):
        ceiling = min(10.0, 2.0 * 2**attempt)
        low = Policy(backoff_base=2.0, backoff_cap=10.0, random=lambda: 0.0).backoff(attempt)
        high = Policy(backoff_base=2.0, backoff_cap=10.0, random=lambda: 0.999999).backoff(attempt)
        assert low == ceiling / 2 and ceiling / 2 < high <= ceiling


def test_gives_up_after_the_configured_retries(settings):
    transport, calls = sequence(*[httpx.Response(503) for _ in range(10)])
    with client_for(settings.replace(retries=2), transport) as client, pytest.raises(FetchError) as info:
        fetch(client, "https://example.org/board")
    assert len(calls) == 3 and "gave up after 3 attempt(s)" in str(info.value)
    assert info.value.fields["status"] == 503


def test_client_errors_are_not_retried(settings):
    transport, calls = sequence(httpx.Response(404), httpx.Response(200))
    with client_for(settings, transport) as client, pytest.raises(FetchError, match="HTTP 404; not retried"):
        fetch(client, "https://example.org/missing")
    assert len(calls) == 1


def test_a_real_refused_connection_is_retried(settings):
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    clock = Clock()
    with client_for(settings.replace(retries=2), clock=clock) as client, pytest.raises(FetchError) as info:
        fetch(client, f"http://127.0.0.1:{port}/board")
    assert "ConnectError" in str(info.value) and len(clock.sleeps) == 2
    # the host answered no attempt: the run's other URLs on it fail at once, without their own retries
    until = clock.now() + timedelta(seconds=settings.deadline)  # no job: one fetch deadline
    assert f"127.0.0.1 is not requested again until {until:%Y-%m-%d %H:%M:%SZ}" in str(info.value)
    with (
        client_for(settings.replace(retries=2), clock=clock, gate=client.gate) as again,
        pytest.raises(RetryLater, match="not requested: 127.0.0.1 could not be reached"),
    ):
        fetch(again, f"http://127.0.0.1:{port}/other-board")
    assert len(clock.sleeps) == 2


def test_an_unreachable_host_is_left_until_the_next_run_and_other_hosts_are_not(settings):
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.host == "down.example":
            raise httpx.ConnectError("[Errno -2] Name or service not known")
        return httpx.Response(200, content=b"ok")

    clock, gate = Clock(), HostGate()
    transport = httpx.MockTransport(handler)
    with client_for(settings.replace(retries=4), transport, clock, gate=gate, max_wait=3600) as client:
        with pytest.raises(FetchError, match="gave up after 5 attempt"):
            fetch(client, "https://down.example/a")
        for page in ("b", "c"):
            with pytest.raises(RetryLater, match=r"down.example could not be reached \(5 attempt"):
                fetch(client, f"https://down.example/{page}")
        assert fetch(client, "https://up.example/a").body == b"ok"
    assert len(calls) == 6 and len(clock.sleeps) == 4
    clock.t += 3600  # the job's next run tries the host again
    with (
        client_for(settings.replace(retries=0), transport, clock, gate=gate) as client,
        pytest.raises(FetchError, match="gave up after 1 attempt"),
    ):
        fetch(client, "https://down.example/b")
    assert calls[-1] == "https://down.example/b"


def test_a_host_that_answered_is_not_paused_when_it_times_out(settings):
    transport, calls = sequence(*[httpx.ReadTimeout("slow") for _ in range(3)], httpx.Response(200))
    clock, gate = Clock(), HostGate()
    with client_for(settings.replace(retries=2), transport, clock, gate=gate) as client:
        with pytest.raises(FetchError, match="gave up after 3 attempt") as info:
            fetch(client, "https://example.org/a")
        assert "not requested again" not in str(info.value)
        assert fetch(client, "https://example.org/b").status == 200
    assert len(calls) == 4


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_honoured(settings, status):
    transport, calls = sequence(
        httpx.Response(status, headers={"Retry-After": "7"}), httpx.Response(200, content=b"ok")
    )
    clock = Clock()
    with client_for(settings, transport, clock) as client:
        assert fetch(client, "https://example.org/board").body == b"ok"
    assert clock.sleeps == [7.0] and len(calls) == 2


def test_retry_after_http_date_is_honoured(settings):
    when = format_datetime(NOW + timedelta(seconds=42), usegmt=True)
    transport, _ = sequence(httpx.Response(429, headers={"Retry-After": when}), httpx.Response(200))
    clock = Clock()
    with client_for(settings, transport, clock) as client:
        fetch(client, "https://example.org/board")
    assert clock.sleeps == [42.0]


def test_parse_retry_after():
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after(format_datetime(NOW - timedelta(hours=1), usegmt=True), NOW) == 0.0
    assert parse_retry_after("soon", NOW) is None and parse_retry_after(None, NOW) is None


def test_retry_after_longer_than_the_job_interval_gives_up_until_the_next_run(settings):
    transport, calls = sequence(
        httpx.Response(429, headers={"Retry-After": "7200"}), httpx.Response(200), httpx.Response(200)
    )
    clock, gate = Clock(), HostGate()
    with client_for(settings, transport, clock, gate=gate, max_wait=3600) as client:
        with pytest.raises(RetryLater, match="longer than the job's interval") as info:
            fetch(client, "https://example.org/a")
        # other URLs of the paused host are not requested at all
        with pytest.raises(RetryLater, match="not requested"):
            fetch(client, "https://example.org/b")
    assert clock.sleeps == [] and len(calls) == 1
    assert info.value.fields["until"] == NOW + timedelta(hours=2)
    clock.t = 7200  # the next run after the pause
    with client_for(settings, transport, clock, gate=gate, max_wait=3600) as client:
        assert fetch(client, "https://example.org/a").status == 200
    assert len(calls) == 2


def test_retry_after_beyond_the_deadline_pauses_the_host(settings):
    transport, _ = sequence(httpx.Response(503, headers={"Retry-After": "600"}))
    with (
        client_for(settings.replace(deadline=120), transport) as client,
        pytest.raises(RetryLater, match="longer than the fetch deadline"),
    ):
        fetch(client, "https://example.org/board")


def test_backoff_that_would_pass_the_deadline_gives_up(settings):
    transport, calls = sequence(*[httpx.Response(500) for _ in range(10)])
    clock = Clock()
    tight = settings.replace(deadline=5.0, backoff_base=2.0, backoff_cap=60.0, retries=10)
    with client_for(tight, transport, clock) as client, pytest.raises(FetchError, match="deadline"):
        fetch(client, "https://example.org/board")
    assert sum(clock.sleeps) <= 5.0 and len(calls) < 10


def test_one_request_at_a_time_per_host(settings):
    entered: list[str] = []
    release = threading.Event()
    first_in = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        entered.append(request.url.path)
        if request.url.path == "/slow":
            first_in.set()
            assert release.wait(10)
        return httpx.Response(200, content=request.url.path.encode())

    gate = HostGate()
    transport = httpx.MockTransport(handler)
    results: dict[str, bytes] = {}

    def get(url: str) -> None:
        with make_client(settings, transport, gate=gate) as client:
            results[url] = fetch(client, url).body

    slow = threading.Thread(target=get, args=("https://a.example/slow",))
    slow.start()
    assert first_in.wait(10)
    # another host is not held up by the busy one
    get("https://b.example/other")
    same_host = threading.Thread(target=get, args=("https://a.example/second",))
    same_host.start()
    same_host.join(0.3)
    assert same_host.is_alive() and entered == ["/slow", "/other"]  # waiting for a.example's lock
    release.set()
    slow.join(10)
    same_host.join(10)
    assert entered == ["/slow", "/other", "/second"]
    assert results["https://a.example/second"] == b"/second"
