"""Rebuild every snapshot and standing from the stored raw payloads, e.g. after a parser fix.

All in one transaction: either the whole rebuild lands or the database is as it was. Payloads that
now fail are reported and marked rejected; payloads that now parse are marked loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker import identity, pipeline, sources, store
from tracker.errors import SourceError
from tracker.sqlfiles import sql


@dataclass(frozen=True)
class ReparseResult:
    payloads: int
    snapshots: int
    rows: int
    failures: tuple[tuple[str, str], ...]  # (origin, error)


def reparse(w: store.Writer, *, on_payload: Callable[[str], None] | None = None) -> ReparseResult:
    con = w.con
    payloads = con.execute(sql("read/raw_payload_list")).fetchall()
    snapshots = rows = 0
    failures = []
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(sql("load/clear_standings"))
        con.execute(sql("load/clear_snapshots"))
        con.execute(sql("load/clear_observations"))
        con.execute(sql("load/clear_board_identities"))
        con.execute(sql("load/identity_clear_sightings"))
        for payload_hash, source, origin, first_seen_at in payloads:
            payload = pipeline.Payload(
                store.read_raw(con, w.settings.home, payload_hash),
                origin,
                first_seen_at,
                source=source,
                hints=sources.hints_for_path(Path(origin)),
            )
            try:
                module = sources.for_payload(payload.body, origin, source, payload.hints)
                frame, sightings = pipeline.parse_checked(module, payload)
            except SourceError as exc:
                failures.append((origin, str(exc)))
                con.execute(
                    sql("load/set_payload_status"), {"status": "rejected", "payload_hash": payload_hash}
                )
            else:
                loaded = store.load_frame(
                    con, frame, source=source, payload_hash=payload_hash, fetched_at=first_seen_at
                )
                identity.load_sightings(con, sightings, source=source, payload_hash=payload_hash)
                snapshots += loaded.snapshots_new
                rows += loaded.rows_written
                con.execute(
                    sql("load/set_payload_status"), {"status": "loaded", "payload_hash": payload_hash}
                )
            if on_payload:
                on_payload(origin)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    w.dirty = True
    return ReparseResult(len(payloads), snapshots, rows, tuple(failures))
