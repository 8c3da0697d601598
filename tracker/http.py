"""HTTP at the I/O boundary: one polite, robust httpx client and ``fetch`` (one conditional GET).

Every caller (the scheduler's jobs, ``tracker poll``, backfills) gets the same behaviour from here:

- an identifying User-Agent; connect/read timeouts and an overall deadline per fetch, retries included;
- http and https only, for the URL and for every redirect target; at most ``max_redirects`` hops (followed
  here rather than by httpx so each target is checked before it is requested);
- a body-size cap, checked against Content-Length and again while streaming decoded bytes (a gzip bomb stops
  at the cap too);
- one request at a time per host (a lock per host, shared through a ``HostGate``);
- retries with capped, jittered exponential backoff after connection errors, timeouts and 5xx; 429 and 503
  honour ``Retry-After`` (seconds or an HTTP date). A wait that does not fit in the fetch's deadline or is
  longer than the job's interval is not slept: the host is paused until then and the fetch fails with
  ``RetryLater``; fetches of that host before the pause ends fail at once without a request, so the job gives
  up until a run after the pause;
- a host that could not be reached at all (every attempt a DNS failure, a refused connection or a connect
  timeout) is paused the same way, for the job's interval (or one fetch deadline when there is no job), so a
  job's other URLs on it fail at once instead of each spending its retries (offline, 18 pages took 3 min).

``make_client(settings, transport=None, ...)``: tests inject a transport, ``sleep``, ``random`` and clocks
instead of patching. ``fetch(client, url, ...)`` returns a ``Fetched`` or raises ``FetchError``.
"""

from __future__ import annotations

import email.utils
import functools
import random as _random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from tracker.config import Settings
from tracker.errors import FetchError

_SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)
_RETRY_AFTER_STATUSES = (429, 503)


class RetryLater(FetchError):
    """The server asked for a pause (Retry-After) longer than this fetch may wait; the host is paused."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class HostGate:
    """Politeness state per host, shared by every client of one process: a lock so that only one request
    runs per host at a time, and the time until which a host is not to be contacted, with why."""

    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _paused: dict[str, tuple[datetime, str]] = field(default_factory=dict)
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    def lock(self, host: str) -> threading.Lock:
        with self._mutex:
            return self._locks.setdefault(host, threading.Lock())

    def pause(self, host: str, until: datetime, why: str) -> None:
        """No request to ``host`` before ``until``; ``why`` ends the sentence "HOST ..." of the refusals."""
        with self._mutex:
            earlier = self._paused.get(host)
            if earlier is None or until > earlier[0]:
                self._paused[host] = (until, why)

    def paused(self, host: str, now: datetime) -> tuple[datetime, str] | None:
        """(until, why) while ``host`` is paused, else None."""
        with self._mutex:
            entry = self._paused.get(host)
            if entry is not None and entry[0] <= now:
                del self._paused[host]
                return None
            return entry


@dataclass(frozen=True)
class Policy:
    """How hard and how long ``fetch`` tries. ``max_wait`` is the job's interval: no wait may exceed it."""

    retries: int = 4
    deadline: float = 120.0
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    max_bytes: int = 200_000_000
    max_redirects: int = 5
    max_wait: float | None = None
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = _random.random
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = _utc_now

    def backoff(self, attempt: int) -> float:
        """Wait before retry ``attempt`` (0-based): exponential, capped, with 'equal jitter' (half fixed,
        half random) so that several trackers restarted together do not retry in step."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2**attempt)
        return ceiling / 2 + self.random() * ceiling / 2


class Client(httpx.Client):
    """An ``httpx.Client`` that carries the tracker's fetch policy and the process's host gate."""

    def __init__(self, *, policy: Policy, gate: HostGate, **kwargs) -> None:
        super().__init__(**kwargs)
        self.policy = policy
        self.gate = gate


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None
    final_url: str | None = None  # after redirects
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The certificates every client of the process verifies with, as httpx's default reads them (certifi's,
    or SSL_CERT_FILE / SSL_CERT_DIR when its first client is made): loading them cost each new client 30-80
    ms of CPU, and the poller makes a client per job run."""
    return httpx.create_ssl_context()


def make_client(
    settings: Settings,
    transport: httpx.BaseTransport | None = None,
    *,
    gate: HostGate | None = None,
    max_wait: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    random: Callable[[], float] = _random.random,
    monotonic: Callable[[], float] = time.monotonic,
    now: Callable[[], datetime] = _utc_now,
) -> Client:
    """The tracker's HTTP client. Share one ``gate`` between the clients of a process (the scheduler does)
    so per-host politeness holds across jobs; ``max_wait`` is the calling job's interval in seconds."""
    policy = Policy(
        retries=settings.retries,
        deadline=settings.deadline,
        backoff_base=settings.backoff_base,
        backoff_cap=settings.backoff_cap,
        max_bytes=settings.max_body_bytes,
        max_redirects=settings.max_redirects,
        max_wait=max_wait,
        sleep=sleep,
        random=random,
        monotonic=monotonic,
        now=now,
    )
    return Client(
        policy=policy,
        gate=gate or HostGate(),
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        follow_redirects=False,  # fetch follows them itself, checking each target
        transport=transport,
        verify=_tls_context(),
    )


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date); None when unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes
    final_url: str


class _Retryable(Exception):
    """A transport failure worth another attempt (connection refused or reset, timeout). ``unreachable``:
    no connection was made at all (DNS, refused, connect timeout), as opposed to one that broke."""

    def __init__(self, reason: str, *, unreachable: bool) -> None:
        super().__init__(reason)
        self.unreachable = unreachable


def _host(url: str) -> str:
    return httpx.URL(url).host


def _check_scheme(url: str, origin: str) -> None:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in _SCHEMES:
        where = "" if url == origin else f" (redirected from {origin})"
        raise FetchError(
            f"{url}{where}: only http and https URLs are fetched; fix the URL in the job config",
            url=origin,
        )


def fetch(
    client: httpx.Client,
    url: str,
    *,
    max_bytes: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """One conditional GET of ``url`` with the client's policy; raises ``FetchError`` after the retries."""
    _check_scheme(url, url)
    policy: Policy = getattr(client, "policy", None) or Policy()
    gate: HostGate = getattr(client, "gate", None) or HostGate()
    limit = max_bytes if max_bytes is not None else policy.max_bytes
    host = _host(url)
    if (paused := gate.paused(host, policy.now())) is not None:
        until, why = paused
        raise RetryLater(
            f"{url}: not requested: {host} {why}, so it is left until {until:%Y-%m-%d %H:%M:%SZ}; "
            "a run after that time will fetch it",
            url=url,
            host=host,
            until=until,
        )
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = policy.monotonic()
    attempt = 0
    unreachable = True  # until an attempt reaches the host
    while True:
        remaining = policy.deadline - (policy.monotonic() - started)
        if remaining <= 0:
            raise _given_up(
                f"{url}: no answer within the {policy.deadline:g} s deadline ({attempt} attempt(s))",
                url,
                host,
                gate,
                policy,
                unreachable and attempt > 0,
                status=None,
                attempts=attempt,
            )
        retry_after: float | None = None
        status: int | None = None
        try:
            answer = _get(client, url, headers, limit, started, policy, gate)
        except _Retryable as exc:
            reason = str(exc)
            unreachable = unreachable and exc.unreachable
        else:
            unreachable = False
            status = answer.status
            if status == 304 or status < 400:
                return Fetched(
                    url=url,
                    status=status,
                    body=answer.body,
                    etag=answer.headers.get("etag"),
                    last_modified=answer.headers.get("last-modified"),
                    content_type=answer.headers.get("content-type"),
                    final_url=answer.final_url,
                    attempts=attempt + 1,
                )
            if status < 500 and status != 429:
                raise FetchError(
                    f"{url}: HTTP {status}; not retried (check the URL in the job config)",
                    url=url,
                    status=status,
                    attempts=attempt + 1,
                )
            reason = f"HTTP {status}"
            if status in _RETRY_AFTER_STATUSES:
                retry_after = parse_retry_after(answer.headers.get("retry-after"), policy.now())
        if attempt >= policy.retries:
            raise _given_up(
                f"{url}: {reason}; gave up after {attempt + 1} attempt(s)",
                url,
                host,
                gate,
                policy,
                unreachable,
                status=status,
                attempts=attempt + 1,
            )
        wait = retry_after if retry_after is not None else policy.backoff(attempt)
        remaining = policy.deadline - (policy.monotonic() - started)
        too_long_for_job = policy.max_wait is not None and wait > policy.max_wait
        if retry_after is not None and (too_long_for_job or wait > remaining):
            until = policy.now() + timedelta(seconds=wait)
            gate.pause(host, until, f"asked to wait (Retry-After {wait:g} s)")
            longer_than = (
                f"the job's interval ({policy.max_wait:g} s)"
                if too_long_for_job
                else f"the fetch deadline ({policy.deadline:g} s)"
            )
            raise RetryLater(
                f"{url}: {reason} with Retry-After {wait:g} s, longer than {longer_than}; {host} is paused "
                f"until {until:%Y-%m-%d %H:%M:%SZ} and a run after that will try again",
                url=url,
                status=status,
                host=host,
                until=until,
                attempts=attempt + 1,
            )
        if wait > remaining:
            raise _given_up(
                f"{url}: {reason}; the next retry (in {wait:.1f} s) would pass the {policy.deadline:g} s "
                f"deadline, gave up after {attempt + 1} attempt(s)",
                url,
                host,
                gate,
                policy,
                unreachable,
                status=status,
                attempts=attempt + 1,
            )
        policy.sleep(wait)
        attempt += 1


def _given_up(
    message: str,
    url: str,
    host: str,
    gate: HostGate,
    policy: Policy,
    unreachable: bool,
    *,
    status: int | None,
    attempts: int,
) -> FetchError:
    """The error of a fetch that gave up. When no attempt reached the host, the host is paused for the job's
    interval (or one deadline), so the other URLs of a run do not each spend their retries on it."""
    if not unreachable:
        return FetchError(message, url=url, status=status, attempts=attempts)
    pause = policy.max_wait if policy.max_wait is not None else policy.deadline
    until = policy.now() + timedelta(seconds=pause)
    gate.pause(host, until, f"could not be reached ({attempts} attempt(s) for {url})")
    return FetchError(
        f"{message}; {host} is not requested again until {until:%Y-%m-%d %H:%M:%SZ}",
        url=url,
        status=status,
        attempts=attempts,
        host=host,
        until=until,
    )


def _get(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    limit: int,
    started: float,
    policy: Policy,
    gate: HostGate,
) -> _Answer:
    """One attempt: GET, following at most ``max_redirects`` checked redirects, body capped at ``limit``."""
    current = url
    for _ in range(policy.max_redirects + 1):
        remaining = max(0.001, policy.deadline - (policy.monotonic() - started))
        base = client.timeout
        timeout = httpx.Timeout(
            connect=min(base.connect or remaining, remaining),
            read=min(base.read or remaining, remaining),
            write=min(base.write or remaining, remaining),
            pool=min(base.pool or remaining, remaining),
        )
        try:
            with (
                gate.lock(_host(current)),
                client.stream(
                    "GET", current, headers=headers, timeout=timeout, follow_redirects=False
                ) as response,
            ):
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    target = str(response.url.join(response.headers["location"]))
                    _check_scheme(target, url)
                    current = target
                    continue
                return _Answer(
                    response.status_code,
                    response.headers,
                    _read_body(response, url, limit, started, policy),
                    str(response.url),
                )
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            # a redirect target that cannot be reached says nothing of the first host, which answered
            never_connected = current == url and isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
            raise _Retryable(reason, unreachable=never_connected) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}", url=url) from None
    raise FetchError(
        f"{url}: more than {policy.max_redirects} redirects (last to {current}); fix the URL in the job config",
        url=url,
    )


def _read_body(response: httpx.Response, url: str, limit: int, started: float, policy: Policy) -> bytes:
    declared = response.headers.get("content-length", "")
    # a compressed Content-Length above the cap means an even larger decoded body
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            f"{url}: body of {int(declared)} bytes is larger than max_body_bytes ({limit}); refused",
            url=url,
            status=response.status_code,
        )
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(
                f"{url}: body larger than max_body_bytes ({limit}); refused",
                url=url,
                status=response.status_code,
            )
        if policy.monotonic() - started > policy.deadline:
            raise FetchError(
                f"{url}: body still arriving after the {policy.deadline:g} s deadline ({size} bytes so far)",
                url=url,
                status=response.status_code,
            )
        chunks.append(chunk)
    return b"".join(chunks)
