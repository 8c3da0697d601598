"""Rebuild every snapshot and standing from the stored raw payloads, e.g. after a parser fix.

All in one transaction: either the whole rebuild lands or the database is as it was. Payloads that
now fail are reported and marked rejected; payloads that now parse are marked loaded.

Each payload's status before the rebuild sorts the outcome: a payload that was loaded and now fails is
newly failing (a parser regression, what a reparse exists to catch); one that was rejected and still
fails is still rejected (as it was at import, not a new problem); one that was rejected and now parses
is recovered (a parser fix, or a board the sanity guard held back, which the rebuild loads unguarded).
Once marked rejected, a newly failing payload counts as still rejected at the next reparse.

A payload stored under a declared source (``[[sources]]`` in tracker.toml) is read with that declaration.
When the declaration is gone, a payload of it that was loaded cannot be read again: the whole rebuild is
refused, naming the source, and the database stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from tracker import identity, sources, store
from tracker.config import Settings
from tracker.errors import ConfigError, SourceError
from tracker.ingest import pipeline, validate
from tracker.sources.format import Format
from tracker.sqlfiles import sql


@dataclass(frozen=True)
class ReparseResult:
    payloads: int
    snapshots: int
    rows: int
    newly_failing: tuple[tuple[str, str], ...]  # (origin, error): loaded before, fails now
    still_rejected: tuple[tuple[str, str], ...]  # (origin, error): rejected before, fails again
    recovered: tuple[str, ...]  # origins: rejected before, loaded now

    @property
    def failures(self) -> tuple[tuple[str, str], ...]:
        """Every payload that failed this rebuild, whatever its status before."""
        return self.newly_failing + self.still_rejected


def reparse(
    w: store.Writer,
    *,
    on_plan: Callable[[int], None] | None = None,
    on_payload: Callable[[str], None] | None = None,
) -> ReparseResult:
    """Rebuild as the module says. ``on_plan`` is told how many payloads there are, ``on_payload`` the origin
    of each once it is read (a progress bar's two hooks)."""
    con = w.con
    payloads = con.execute(sql("read/raw_payload_list.sql")).fetchall()
    if on_plan:
        on_plan(len(payloads))
    bounds = validate.Bounds.of(w.settings)
    declarations = w.settings.declared_sources
    known = {fmt.source for fmt in sources.FORMATS} | set(sources.declared_formats(declarations))
    snapshots = rows = 0
    newly_failing: list[tuple[str, str]] = []
    still_rejected: list[tuple[str, str]] = []
    recovered: list[str] = []
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(sql("load/clear_standings.sql"))
        con.execute(sql("load/clear_snapshots.sql"))
        con.execute(sql("load/clear_observations.sql"))
        con.execute(sql("load/clear_board_identities.sql"))
        con.execute(sql("load/identity_clear_sightings.sql"))
        for payload_hash, source, origin, first_seen_at, status_before in payloads:
            payload = pipeline.Payload(
                store.read_raw(con, w.settings.home, payload_hash),
                origin,
                first_seen_at,
                source=source,
                hints=sources.hints_for_path(Path(origin)),
            )
            try:
                fmt = sources.for_payload(payload.body, origin, source, payload.hints, declarations)
                frames, sightings = _checked(fmt, payload, bounds)
            except SourceError as exc:
                if status_before == "loaded" and source not in known:
                    raise _undeclared(source, origin, w.settings) from None
                failed = newly_failing if status_before == "loaded" else still_rejected
                failed.append((origin, str(exc)))
                con.execute(
                    sql("load/set_payload_status.sql"), {"status": "rejected", "payload_hash": payload_hash}
                )
            else:
                for frame in frames:
                    loaded = store.load_frame(
                        con, frame, source=source, payload_hash=payload_hash, fetched_at=first_seen_at
                    )
                    snapshots += loaded.snapshots_new
                    rows += loaded.rows_written
                    del frame  # one part held at a time
                identity.load_sightings(con, sightings, source=source, payload_hash=payload_hash)
                if status_before != "loaded":
                    recovered.append(origin)
                con.execute(
                    sql("load/set_payload_status.sql"), {"status": "loaded", "payload_hash": payload_hash}
                )
            if on_payload:
                on_payload(origin)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    w.dirty = True
    return ReparseResult(
        len(payloads), snapshots, rows, tuple(newly_failing), tuple(still_rejected), tuple(recovered)
    )


def _checked(
    fmt: Format, payload: pipeline.Payload, bounds: validate.Bounds
) -> tuple[Iterator[pl.DataFrame], pl.DataFrame]:
    """A payload's checked standings to load, and its identity sightings; a ``SourceError`` before anything
    of it is loaded. The rebuild is one transaction, so a payload that failed in a later part could not take
    back what its earlier parts loaded: a payload of several parts (a large dataset file) is checked to its
    end first, one part held at a time, and read again part by part as the load takes them; one of a single
    part (every page) is read once."""
    parts, sightings = pipeline.checked_parts(fmt, payload, bounds=bounds)
    first = next(parts)
    second = next(parts, None)
    if second is None:
        return iter([first]), sightings
    del first, second
    for _ in parts:  # each later part checked and let go of
        pass
    again, _ = pipeline.checked_parts(fmt, payload, bounds=bounds)
    return again, sightings


def _undeclared(source: str, origin: str, settings: Settings) -> ConfigError:
    config = settings.config or "tracker.toml (there is none)"
    return ConfigError(
        f"cannot reparse: payloads of source {source!r} (e.g. {origin}) were loaded with its [[sources]] "
        f"declaration, and {config} declares no source {source!r}; declare it again (docs/sources.md) and run "
        "tracker reparse again. Nothing was changed.",
        source=source,
        origin=origin,
    )
