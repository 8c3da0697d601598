"""Faults from upstream: each trial polls a URL of the fault server (tests/faults.py) through the real poll
path (``tracker.ingest.fetch.poll_url`` with the client from ``tracker.http.make_client`` and the sanity guard),
after a good poll of the same URL, and checks what the issue asks:

- the poll ends with one recorded fetch row whose outcome is the expected one and whose message says what
  happened (a pattern per fault);
- nothing partial is written (no snapshot without exactly ``row_count`` standings; nothing at all for a
  failed or rejected poll);
- every earlier standings row is intact, in the database and in the published read copy;
- the next good response of the same URL is stored.

Each trial reports to the reliability ledger (trials, survived, rows lost) before it asserts, so
RELIABILITY.md shows a failure as a number, not only as a red test. The client gets small timeouts, a
no-op sleep (waits are recorded, not slept) and a clock the test moves forward past any Retry-After pause.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from tests import faults as F
from tests.reliability import state
from tracker import store
from tracker.config import load_settings
from tracker.http import Client, make_client
from tracker.ingest import fetch as poller
from tracker.ingest import guard

PATH = "/leaderboard/text/overall-no-style-control"
MAX_BODY = 150_000
RETRIES = 2


@dataclass(frozen=True)
class Fault:
    name: str
    injects: str
    behaviour: Callable[[int], F.Behaviour] | None  # None: a socket-level fault (see ``socket``)
    outcome: str  # the fetch row's expected outcome
    message: str  # a pattern the fetch row's error must match (ignored for stored outcomes)
    http_status: int | None = None  # the status the fetch row must record, when there is one
    socket: str | None = None  # refused | blackhole
    waits: Callable[[list[float]], bool] | None = None  # a check on the waits the client asked for


def _page(fn: Callable[[int], bytes]) -> Callable[[int], F.Behaviour]:
    return lambda i: F.respond(fn(i))


def _entries(change) -> Callable[[int], F.Behaviour]:
    return _page(lambda i: F.with_entries(i, change))


def _duplicate(entries: list[dict]) -> list[dict]:
    return [*entries, dict(entries[5])]


def _ci_swapped(entries: list[dict]) -> list[dict]:
    e = entries[7]
    e["ratingLower"], e["ratingUpper"] = e["ratingUpper"], e["ratingLower"]
    return entries


FAULTS = [
    # the socket
    Fault(
        "refused connection", "nothing listens on the port", None, "failed", r"(?i)connect", socket="refused"
    ),
    Fault(
        "connect timeout",
        "SYN never answered (full accept queue)",
        None,
        "failed",
        r"(?i)timeout|timed out",
        socket="blackhole",
    ),
    Fault(
        "read timeout", "request read, no answer ever", lambda i: F.hang(), "failed", r"(?i)timeout|timed out"
    ),
    Fault(
        "slow drip",
        "64 bytes every 50 ms, past the deadline",
        lambda i: F.drip(F.good(i)),
        "failed",
        r"(?i)deadline",
    ),
    Fault(
        "closed without answer",
        "connection closed after the request",
        lambda i: F.close_without_answer(),
        "failed",
        r"(?i)disconnect|closed|protocol",
    ),
    Fault(
        "not HTTP",
        "an SSH banner instead of a status line",
        lambda i: F.garbage_status_line(),
        "failed",
        r"(?i)protocol|invalid|illegal",
    ),
    # HTTP status
    Fault("HTTP 500", "500 on every attempt", lambda i: F.status(500), "failed", r"HTTP 500", 500),
    Fault("HTTP 502", "502 on every attempt", lambda i: F.status(502), "failed", r"HTTP 502", 502),
    Fault("HTTP 503", "503 on every attempt", lambda i: F.status(503), "failed", r"HTTP 503", 503),
    Fault("HTTP 504", "504 on every attempt", lambda i: F.status(504), "failed", r"HTTP 504", 504),
    Fault("HTTP 404", "404", lambda i: F.status(404), "failed", r"HTTP 404", 404),
    Fault(
        "429 Retry-After seconds",
        "429 with Retry-After: 1",
        lambda i: F.retry_after_seconds(429, 1),
        "failed",
        r"HTTP 429",
        429,
        waits=lambda w: bool(w) and all(x == 1.0 for x in w),
    ),
    Fault(
        "429 Retry-After date (long)",
        "429 with Retry-After an HTTP date 1 h ahead",
        lambda i: F.retry_after_date(429, 3600, now=CLOCK),
        "failed",
        r"(?i)HTTP 429.*Retry-After",
        429,
        waits=lambda w: not w,
    ),
    Fault(
        "503 Retry-After seconds (long)",
        "503 with Retry-After: 7200",
        lambda i: F.retry_after_seconds(503, 7200),
        "failed",
        r"(?i)HTTP 503.*Retry-After",
        503,
        waits=lambda w: not w,
    ),
    Fault(
        "503 Retry-After date",
        "503 with Retry-After an HTTP date 2 s ahead",
        lambda i: F.retry_after_date(503, 2, now=CLOCK),
        "failed",
        r"HTTP 503",
        503,
        waits=lambda w: bool(w) and all(0.0 <= x <= 2.5 for x in w),
    ),
    Fault("301 loop", "301 to itself, forever", lambda i: F.redirect(301, PATH), "failed", r"(?i)redirect"),
    Fault(
        "302 loop", "302 between two paths", lambda i: F.redirect(302, PATH + "/b"), "failed", r"(?i)redirect"
    ),
    Fault(
        "redirect to file://",
        "302 to file:///etc/passwd",
        lambda i: F.redirect(302, "file:///etc/passwd"),
        "failed",
        r"(?i)only http and https",
    ),
    Fault(
        "redirect to ftp://",
        "301 to ftp://127.0.0.1/board",
        lambda i: F.redirect(301, "ftp://127.0.0.1/board"),
        "failed",
        r"(?i)only http and https",
    ),
    # the body on the wire
    Fault(
        "truncated body",
        "Content-Length 5000 bytes more than sent",
        lambda i: F.truncated(F.good(i)),
        "failed",
        r"(?i)incomplete|closed|protocol|peer",
    ),
    Fault(
        "gzip that does not decode",
        "Content-Encoding: gzip on junk",
        lambda i: F.bad_gzip(F.good(i)),
        "failed",
        r"(?i)decod|gzip|compress",
    ),
    Fault(
        "gzip bomb",
        "2 KB of gzip decoding to 5 MB",
        lambda i: F.gzip_bomb(5_000_000),
        "failed",
        r"(?i)larger than",
    ),
    Fault(
        "oversized body (declared)",
        "1 MB body, Content-Length 1 MB",
        lambda i: F.oversized(1_000_000, True),
        "failed",
        r"(?i)larger than",
    ),
    Fault(
        "oversized body (undeclared)",
        "1 MB body until close, no length",
        lambda i: F.oversized(1_000_000, False),
        "failed",
        r"(?i)larger than",
    ),
    Fault(
        "wrong content type",
        "a good page served as image/png",
        lambda i: F.respond(F.good(i), content_type="image/png"),
        "new",
        "",
    ),
    Fault(
        "missing content type",
        "a good page with no Content-Type",
        lambda i: F.respond(F.good(i), content_type=None),
        "new",
        "",
    ),
    # the payload
    Fault(
        "invalid UTF-8", "bytes ff fe c3 inside the flight data", _page(F.invalid_utf8), "rejected", r"UTF-8"
    ),
    Fault(
        "HTML without a board",
        "a page with flight data but no leaderboard",
        lambda i: F.respond(F.no_board_html()),
        "rejected",
        r"(?i)no leaderboard payload",
    ),
    Fault(
        "error page with 200",
        "an nginx error page, status 200",
        lambda i: F.respond(F.plain_html()),
        "rejected",
        r"(?i)not a format the tracker reads",
    ),
    Fault(
        "empty 200",
        "status 200, empty body",
        lambda i: F.respond(b""),
        "rejected",
        r"(?i)not a format the tracker reads",
    ),
    Fault(
        "page cut mid-flight",
        "the first half of a page, correctly framed",
        lambda i: F.respond(F.good(i)[: len(F.good(i)) // 2]),
        "rejected",
        r"(?i)cannot parse",
    ),
    Fault(
        "renamed required field",
        "ratingUpper renamed ratingHigh",
        _entries(F.rename_field("ratingUpper", "ratingHigh")),
        "rejected",
        r"required field 'ratingUpper' is missing",
    ),
    Fault(
        "missing required field",
        "votes dropped from every entry",
        _entries(F.drop_field("votes")),
        "rejected",
        r"required field 'votes' is missing",
    ),
    Fault(
        "missing model name",
        "modelDisplayName dropped",
        _entries(F.drop_field("modelDisplayName")),
        "rejected",
        r"required field 'modelDisplayName' is missing",
    ),
    Fault("empty board", "entries: []", _entries(lambda e: []), "rejected", r"(?i)no entries|empty"),
    Fault("duplicate models", "one model listed twice", _entries(_duplicate), "rejected", r"more than once"),
    Fault(
        "NaN rating",
        "rating: NaN",
        _entries(F.set_field(3, "rating", float("nan"))),
        "rejected",
        r"rating is not a finite number",
    ),
    Fault(
        "infinite bound",
        "ratingUpper: Infinity",
        _entries(F.set_field(4, "ratingUpper", float("inf"))),
        "rejected",
        r"not a finite number",
    ),
    Fault(
        "negative votes", "votes: -5", _entries(F.set_field(6, "votes", -5)), "rejected", r"votes is negative"
    ),
    Fault("negative rank", "rank: -1", _entries(F.set_field(2, "rank", -1)), "rejected", r"rank is below 1"),
    Fault(
        "rating as text",
        'rating: "1500"',
        _entries(F.set_field(1, "rating", "1500")),
        "rejected",
        r"is not a number",
    ),
    Fault(
        "CI bounds out of order",
        "ratingLower and ratingUpper swapped",
        _entries(_ci_swapped),
        "rejected",
        r"rating_lower is above|rating_upper is below",
    ),
    Fault(
        "type-confused board",
        'params.category: ["overall"] (a list)',
        _page(
            lambda i: F.page(
                dict(
                    F.leaderboard(F.good_entries(i), cutoff=F.cutoff(i)),
                    params={"category": ["overall"], "styleControl": False},
                )
            )
        ),
        "rejected",
        r"cannot parse",
    ),
    Fault(
        "board lost most models",
        "5 of 40 models left",
        _entries(lambda e: e[:5]),
        "rejected",
        r"fewer than half",
    ),
    # changes that are not faults: they must be stored
    Fault(
        "page layout moved the board",
        "board on line 7f after new lines, 7 chunks",
        _page(F.moved_board),
        "new",
        "",
    ),
    Fault(
        "transient 503, 502, then good",
        "two 5xx then the page, in one poll",
        lambda i: F.sequence(F.status(503), F.status(502), F.respond(F.good(i))),
        "new",
        "",
    ),
    Fault("one redirect, then good", "301 to another path that serves the page", None, "new", ""),
]


@dataclass
class Clock:
    """The client's wall clock: real time plus an offset the test advances past Retry-After pauses."""

    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


CLOCK = Clock()


@dataclass
class Rig:
    """A writer and one client (shared by every poll, as in the scheduler's process) whose waits are
    recorded instead of slept and whose clock the test moves."""

    w: store.Writer
    client: Client
    waits: list[float]

    def poll(self, url: str):
        """One fetch as a poll cycle makes it: the fetch, then the publish decision (at once here)."""
        result = poller.poll_url(self.w, self.client, url, guard=guard.check)
        store.publish_if_due(self.w, new_data=result.snapshots_new > 0)
        return result


@pytest.fixture(scope="module")
def rig(tmp_path_factory) -> Iterator[Rig]:
    """One database for every trial, as a long-running poller has: each fault meets the data that the
    earlier trials left, which starts with one good page."""
    settings = load_settings(
        environ={},
        home=tmp_path_factory.mktemp("faults") / "home",
        publish_min_interval=0.0,
        connect_timeout=0.5,
        read_timeout=1.0,
        deadline=2.5,
        retries=RETRIES,
        backoff_base=0.01,
        backoff_cap=0.05,
        max_body_bytes=MAX_BODY,
        max_redirects=3,
    )
    waits: list[float] = []
    with (
        store.writer(settings, "reliability faults") as w,
        make_client(settings, sleep=waits.append, now=CLOCK) as client,
        F.fault_server() as server,
    ):
        rig = Rig(w, client, waits)
        first = rig.poll(server.serve(PATH, F.respond(F.good(0))))
        assert first.outcome == "new" and first.rows_written == F.MODELS, first
        yield rig


def _fetches(con) -> list[tuple]:
    return con.execute("select outcome, error, http_status from fetches order by fetch_id").fetchall()


def _snapshot_rows(con, i: int) -> int:
    as_of = datetime.fromisoformat(F.cutoff(i).replace("Z", "+00:00"))
    return int(
        con.execute(
            "select coalesce(sum(row_count), 0) from snapshots s where as_of = $as_of "
            "and (select count(*) from standings t where t.snapshot_id = s.snapshot_id) = s.row_count",
            {"as_of": as_of},
        ).fetchall()[0][0]
    )


@dataclass
class Target:
    """Where the faulty answer is served, and how the same URL comes back with a good page."""

    url: str
    recover: Callable[[bytes], None]


@contextlib.contextmanager
def inject(fault: Fault, server: F.FaultServer, i: int) -> Iterator[Target]:
    """Serve ``fault`` (its payload built from board ``i`` where it has one)."""
    if fault.socket == "refused":
        url = F.refused_url(PATH)
        with contextlib.ExitStack() as stack:

            def come_back(body: bytes) -> None:
                revived = stack.enter_context(F.fault_server(port=int(url.split(":")[2].split("/")[0])))
                revived.serve(PATH, F.respond(body))

            yield Target(url, come_back)
    elif fault.socket == "blackhole":
        hole = F.BlackHole()
        with contextlib.ExitStack() as stack:
            stack.callback(hole.close)

            def come_back(body: bytes) -> None:
                hole.close()
                revived = stack.enter_context(F.fault_server(port=hole.port))
                revived.serve(PATH, F.respond(body))

            yield Target(hole.url(PATH), come_back)
    elif fault.behaviour is None:  # one redirect to a path serving a good page
        server.serve("/moved", F.respond(F.good(i)))
        yield Target(
            server.serve(PATH, F.redirect(301, "/moved")), lambda b: server.serve(PATH, F.respond(b))
        )
    else:
        url = server.serve(PATH, fault.behaviour(i))
        server.serve(PATH + "/b", F.redirect(302, PATH))  # the other half of the 302 loop
        yield Target(url, lambda b: server.serve(PATH, F.respond(b)))


def _read_copy_matches(w: store.Writer, problems: list[str], when: str) -> None:
    try:
        con = state.read_only(w.settings.read_copy_path)
    except Exception as exc:  # the read copy must always open
        problems.append(f"{when}: the read copy does not open: {exc!r}")
        return
    try:
        if (bad := state.half_written(con)) != 0:
            problems.append(f"{when}: {bad} half-written snapshot(s) in the read copy")
        if not state.standings(con).equals(state.standings(w.con)):
            problems.append(f"{when}: the read copy's standings differ from the database's")
    finally:
        con.close()


def run_trial(rig: Rig, fault: Fault, k: int) -> tuple[list[str], int]:
    """Trial ``k``: the fault (board 2k+1 where it carries one), then a good page (board 2k+2) at the same
    URL; returns the problems found and the rows lost."""
    con, problems, faulty, good = rig.w.con, [], 2 * k + 1, 2 * k + 2
    rig.waits.clear()
    with F.fault_server() as server:
        before, counts_before, fetches_before = state.standings(con), state.counts(con), len(_fetches(con))

        with inject(fault, server, faulty) as target:
            result = rig.poll(target.url)
            fetches = _fetches(con)
            added = fetches[fetches_before:]
            if len(added) != 1:
                problems.append(f"the poll recorded {len(added)} fetch rows, not 1: {added}")
            outcome, error, http_status = added[-1] if added else (None, None, None)
            if outcome != fault.outcome or result.outcome != fault.outcome:
                problems.append(
                    f"outcome {outcome!r} (result {result.outcome!r}), expected {fault.outcome!r}: {error}"
                )
            if fault.outcome in ("failed", "rejected"):
                if not error or not re.search(fault.message, error):
                    problems.append(f"the message {error!r} does not say what happened (/{fault.message}/)")
                if result.error != error:
                    problems.append(
                        f"the poll's message {result.error!r} differs from the fetch row's {error!r}"
                    )
            if fault.http_status is not None and http_status != fault.http_status:
                problems.append(f"fetch row has HTTP status {http_status}, expected {fault.http_status}")
            if fault.waits is not None and not fault.waits(rig.waits):
                problems.append(f"the client asked to wait {rig.waits} s, not what Retry-After said")
            if (bad := state.half_written(con)) != 0:
                problems.append(f"{bad} half-written snapshot(s) after the fault")
            after = state.standings(con)
            if fault.outcome == "new":
                expected = (counts_before[0] + 1, counts_before[1] + F.MODELS)
                if state.counts(con) != expected:
                    problems.append(f"counts {state.counts(con)} after a stored page, expected {expected}")
            elif state.counts(con) != counts_before or not after.equals(before):
                problems.append(
                    f"standings changed by a {outcome} poll: {counts_before} -> {state.counts(con)}"
                )
            _read_copy_matches(rig.w, problems, "after the fault")

            target.recover(F.good(good))
            CLOCK.offset += timedelta(hours=3)  # past any Retry-After pause
            again = rig.poll(target.url)
            if again.outcome != "new" or again.rows_written != F.MODELS:
                problems.append(f"the next good page was not stored: {again.outcome} {again.error}")
            _read_copy_matches(rig.w, problems, "after the next good page")

    final = state.standings(con)
    lost = state.missing(before, final) + (F.MODELS - _snapshot_rows(con, good))
    if fault.outcome == "new":
        lost += F.MODELS - _snapshot_rows(con, faulty)
    if state.missing(before, final):
        problems.append(f"{state.missing(before, final)} earlier rows lost or changed")
    return problems, lost


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_poll_survives_fault(rig, fault, ledger):
    problems, lost = run_trial(rig, fault, FAULTS.index(fault))
    ledger.record(
        f"fault: {fault.name}",
        fault.injects,
        trials=1,
        survived=int(not problems and lost == 0),
        rows_lost=lost,
    )
    assert not problems, "\n".join(problems)
    assert lost == 0


def test_fault_catalogue_covers_the_issue():
    """At least 20 distinct fault kinds, every kind the issue names among them."""
    names = {f.name for f in FAULTS}
    assert len(names) == len(FAULTS) >= 20
    for must in (
        "refused connection",
        "connect timeout",
        "read timeout",
        "slow drip",
        "HTTP 500",
        "HTTP 502",
        "HTTP 503",
        "HTTP 504",
        "429 Retry-After seconds",
        "429 Retry-After date (long)",
        "503 Retry-After seconds (long)",
        "503 Retry-After date",
        "301 loop",
        "302 loop",
        "redirect to file://",
        "HTTP 404",
        "truncated body",
        "wrong content type",
        "missing content type",
        "gzip that does not decode",
        "oversized body (declared)",
        "invalid UTF-8",
        "HTML without a board",
        "renamed required field",
        "missing required field",
        "empty board",
        "duplicate models",
        "NaN rating",
        "infinite bound",
        "negative votes",
        "CI bounds out of order",
        "board lost most models",
        "page layout moved the board",
    ):
        assert must in names, must
