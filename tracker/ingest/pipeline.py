"""The one ingest path: payload -> hash (seen: record 'unchanged', write nothing) -> detect format
-> parse -> validate -> one transaction (raw payload, snapshots, standings, fetch row); a large file is
parsed, validated and stored one part at a time (``checked_parts``), inside that one transaction. Whether the read copy
is published after is decided by the caller's stage, through ``store.publish_if_due``.

Imports, polls and backfills all come through ``ingest``; a payload that fails anywhere writes
nothing but its fetch row (and its raw bytes, kept for inspection), and earlier data stays intact.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import polars as pl

from tracker import identity, sources, store
from tracker.errors import EmptyBoardError, ParseError, SourceError, TrackerError, ValidationError, rows_later
from tracker.ingest import guard as sanity
from tracker.ingest.validate import Bounds, clean_text, validate
from tracker.parsed import empty_standings
from tracker.sources.format import Format
from tracker.store.load import PayloadStatus

Clock = Callable[[], datetime]
# What one fetch or file came to: new snapshots (or identity facts), the same bytes or content as before, an
# HTTP 304, bytes refused (parse, validation or the sanity guard), or no bytes at all (network, HTTP error).
Outcome = Literal["new", "unchanged", "not_modified", "rejected", "failed"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Payload:
    """Bytes from one file or HTTP response, with where and when they came from."""

    body: bytes
    origin: str
    fetched_at: datetime
    source: str | None = None  # format name when known (a declared source's too); detected otherwise
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    hints: dict = field(default_factory=dict)  # e.g. {"config": "text"} for dataset files


@dataclass(frozen=True)
class IngestResult:
    origin: str
    source: str | None
    outcome: Outcome
    snapshots_new: int = 0
    rows_written: int = 0
    error: str | None = None
    boards: tuple[tuple[str, str, bool], ...] = ()
    # rejected only because the payload lists no models (an emptied feed, ``guard.refuse_empty``): an import
    # reports it without failing, a poll counts it as any rejection
    empty: bool = False
    # as the fetch row this ingest recorded says (the poller's log line shows them without reading it back)
    http_status: int | None = None
    size_bytes: int | None = None
    duration_ms: float | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("new", "unchanged", "not_modified")


Guard = Callable[[object, pl.DataFrame, str, str], None]  # (con, frame, source, origin) -> raises SanityError


def stored_source(fmt: Format, payload: Payload) -> str:
    """The source name snapshots are stored under: the format's own, unless the payload names its
    upstream (the bundled starter history keeps each figure's original source)."""
    return fmt.source_of(payload.body, payload.origin)


def parse_checked(
    fmt: Format, payload: Payload, *, bounds: Bounds | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validated standings and the identity sightings of a payload, the standings whole: ``checked_parts``
    with its parts put together."""
    parts, sightings = checked_parts(fmt, payload, bounds=bounds)
    frames = list(parts)
    return (frames[0] if len(frames) == 1 else pl.concat(frames)), sightings


def checked_parts(
    fmt: Format, payload: Payload, *, bounds: Bounds | None = None
) -> tuple[Iterator[pl.DataFrame], pl.DataFrame]:
    """Validated standings in parts (``Format.parse_parts``: a large file one part of whole snapshots at a
    time, anything else one part) and the identity sightings of a payload (``identity.sightings_of``), all
    with their text cleaned of control characters (``validate.clean_text``): every parsed frame passes here.
    The first part is parsed and checked before this returns, the others as the iterator reaches them; an
    error in any part is the payload's, its row counted from the payload's first.

    A metadata-only payload (sightings but no standings, e.g. the Space's 2024+ leaderboard_table CSVs)
    is valid without rows; one with neither is refused by the sanity guard's one rule that needs no history
    (``guard.refuse_empty``: an emptied feed is never an empty board); anything else must pass ``validate``
    (with ``bounds``, the plausible ranges).

    Hostile or corrupt bytes must end as a rejected fetch, never as a crashed import or poll: a parser
    that fails with anything but a ``TrackerError`` (a type it did not expect, a JSON nest too deep, a
    polars error) is a parser bug, reported here as a ``ParseError`` that names the format and the error.
    """
    parts = fmt.parse_parts(payload.body, payload.origin, fetched_at=payload.fetched_at, hints=payload.hints)
    first = _next_part(fmt, payload, parts)
    try:
        sightings = identity.sightings_of(
            fmt, payload.body, payload.origin, fetched_at=payload.fetched_at, hints=payload.hints
        )
    except TrackerError:
        raise
    except (Exception, pl.exceptions.PanicException) as exc:
        raise _parser_bug(fmt, payload, exc) from exc
    cleaned = clean_text(sightings)
    if cleaned is not sightings:  # a key that was only control characters is no key; one cleaned may repeat
        sightings = identity.conform_sightings(cleaned)
    if first is None:  # a format that found no part at all: an empty board
        first = (0, empty_standings())
    checked = _checked(fmt, payload, sightings, bounds, parts, first)
    return itertools.chain([next(checked)], checked), sightings


def _checked(fmt, payload, sightings, bounds, parts, part) -> Iterator[pl.DataFrame]:
    """Each part of ``parts`` checked as ``checked_parts`` says, from ``part``, the first, already read."""
    while part is not None:
        rows_before, frame = part
        if not (frame.is_empty() and sightings.height):
            sanity.refuse_empty(frame, fmt.source, payload.origin)
            try:
                frame = validate(frame, payload.origin, fetched_at=payload.fetched_at, bounds=bounds)
            except ValidationError as exc:
                raise rows_later(exc, rows_before) from None
        yield frame
        del frame, part  # one part held at a time: this one is let go before the next is read
        part = _next_part(fmt, payload, parts)


def _next_part(fmt: Format, payload: Payload, parts: Iterator) -> tuple[int, pl.DataFrame] | None:
    try:
        return next(parts, None)
    except TrackerError:
        raise
    except (Exception, pl.exceptions.PanicException) as exc:
        raise _parser_bug(fmt, payload, exc) from exc


def _parser_bug(fmt: Format, payload: Payload, exc: BaseException) -> ParseError:
    return ParseError(
        payload.origin,
        f"the {fmt.source} parser failed on this payload ({type(exc).__name__}: {str(exc)[:300]}); "
        "the payload is kept for inspection; this is a tracker bug, please report it with the file",
    )


def ingest(
    w: store.Writer,
    payload: Payload,
    *,
    job: str = "import",
    guard: Guard | None = None,
    clock: Clock = utc_now,
    fetch_row: bool = True,
) -> IngestResult:
    """Run one payload through the pipeline; never raises for bad input, the result says what happened.
    ``fetch_row=False`` records no fetch row: for data that was not fetched (the bundled starter history),
    so nothing counts it as a fetch."""
    started_at, t0 = clock(), time.perf_counter()
    payload_hash = hashlib.sha256(payload.body).hexdigest()
    meta = {
        "origin": payload.origin,
        "job": job,
        "started_at": started_at,
        "http_status": payload.http_status,
        "size_bytes": len(payload.body),
        "payload_hash": payload_hash,
        "etag": payload.etag,
        "last_modified": payload.last_modified,
    }

    def finish(outcome: Outcome, source: str | None, **extra) -> dict:
        return {
            **meta,
            **extra,
            "source": source,
            "outcome": outcome,
            "finished_at": clock(),
            "duration_ms": (time.perf_counter() - t0) * 1000,
        }

    con = w.con
    fmt: Format | None = None
    source: str | None = None

    def keep_raw(source: str, status: PayloadStatus) -> None:
        store.save_raw(
            con,
            home=w.settings.home,
            payload_hash=payload_hash,
            source=source,
            origin=payload.origin,
            body=payload.body,
            status=status,
            at=started_at,
        )

    def rejected(exc: SourceError) -> IngestResult:
        """What a refused payload leaves: its bytes kept for inspection (once its format is known) and its
        fetch row, in a transaction of their own."""
        where = source if source is not None else (fmt.source if fmt else payload.source)
        con.execute("BEGIN TRANSACTION")
        if fmt is not None:
            keep_raw(where, "rejected")
        row = finish("rejected", where, error=str(exc))
        if fetch_row:
            store.record_fetch(con, **row)
        con.execute("COMMIT")
        w.dirty = True
        return IngestResult(
            payload.origin,
            where,
            "rejected",
            error=str(exc),
            empty=isinstance(exc, EmptyBoardError),
            **_as_logged(row),
        )

    try:
        fmt = sources.for_payload(
            payload.body, payload.origin, payload.source, payload.hints, w.settings.declared_sources
        )
        source = stored_source(fmt, payload)
        if store.payload_loaded(con, payload_hash):
            row = finish("unchanged", source)
            if fetch_row:
                store.record_fetch(con, **row)
            w.dirty = True
            return IngestResult(payload.origin, source, "unchanged", **_as_logged(row))
        parts, sightings = checked_parts(fmt, payload, bounds=Bounds.of(w.settings))
        frame = next(parts)  # the first part (most payloads' only one) is checked before anything is written
        if guard is not None and frame.height:
            guard(con, frame, source, payload.origin)
    except SourceError as exc:
        return rejected(exc)

    con.execute("BEGIN TRANSACTION")
    try:
        keep_raw(source, "loaded")
        snapshots_new = rows_written = 0
        boards: list[pl.DataFrame] = []
        while frame is not None:  # a later part's error rejects the whole payload: nothing stays
            loaded = store.load_frame(
                con, frame, source=source, payload_hash=payload_hash, fetched_at=payload.fetched_at
            )
            snapshots_new += loaded.snapshots_new
            rows_written += loaded.rows_written
            boards.append(frame.select("leaderboard", "arena", "category", "style_control").unique())
            frame = None  # one part held at a time: this one is let go of before the next is parsed
            frame = next(parts, None)
            if guard is not None and frame is not None and frame.height:
                guard(con, frame, source, payload.origin)
        seen = identity.load_sightings(con, sightings, source=source, payload_hash=payload_hash)
        outcome = "new" if snapshots_new or seen else "unchanged"
        row = finish(outcome, source, snapshots_new=snapshots_new, rows_written=rows_written)
        if fetch_row:
            store.record_fetch(con, **row)
        con.execute("COMMIT")
    except SourceError as exc:
        store.rollback(con)
        return rejected(exc)
    except Exception as exc:
        store.rollback(con)  # never in place of the error that got here
        failure = store.write_failure(exc, w.settings.database_path, payload.origin)
        if failure is not None:  # a full disk: one line naming the cause and the database
            raise failure from exc
        raise
    w.dirty = True
    return IngestResult(
        payload.origin,
        source,
        outcome,
        snapshots_new,
        rows_written,
        boards=tuple(pl.concat(boards).unique().sort(pl.all()).iter_rows()),
        **_as_logged(row),
    )


def _as_logged(row: dict) -> dict:
    """The fields of a recorded fetch row that an IngestResult carries."""
    return {
        "http_status": row["http_status"],
        "size_bytes": row["size_bytes"],
        "duration_ms": row["duration_ms"],
    }


def record_without_payload(
    w: store.Writer,
    outcome: Outcome,
    *,
    origin: str,
    source: str | None,
    job: str,
    started_at: datetime,
    duration_ms: float,
    error: TrackerError | None = None,
    http_status: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    clock: Clock = utc_now,
) -> IngestResult:
    """A fetch that brought no payload: 'failed' (network error, 404, ...) or 'not_modified' (a 304).

    One fetch row and nothing else.
    """
    message = str(error) if error is not None else None
    store.record_fetch(
        w.con,
        origin=origin,
        source=source,
        job=job,
        started_at=started_at,
        finished_at=clock(),
        duration_ms=duration_ms,
        outcome=outcome,
        http_status=http_status,
        etag=etag,
        last_modified=last_modified,
        error=message,
    )
    w.dirty = True
    return IngestResult(
        origin, source, outcome, error=message, http_status=http_status, duration_ms=duration_ms
    )
