"""Load one validated frame inside the caller's transaction: its new snapshots and standings (with the
tracker's ranks), the raw payload's row and file, and the fetch row that records what happened.

When the disk refuses a write (full, over quota, read-only, no permission), the transaction is undone and
the error says so in one line (``write_failure``): cleaning up after a failed statement (``rollback``,
unregistering staged frames) never replaces the error that made it fail.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import duckdb
import polars as pl

from tracker import frames, ranks
from tracker.errors import StoreError
from tracker.sqlfiles import sql
from tracker.store import payload_files

# raw_payloads.status: its bytes loaded (standings or identity sightings), or were refused (parse, validation,
# the sanity guard); a reparse moves a payload either way.
PayloadStatus = Literal["loaded", "rejected"]
# what the file system says when it refuses a write, as DuckDB and Python quote it
_WRITE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EIO)
_QUOTED_FILE = re.compile(r'file "([^"]+)"')


@dataclass(frozen=True)
class LoadResult:
    snapshots_new: int
    rows_written: int


def payload_loaded(con: duckdb.DuckDBPyConnection, payload_hash: str) -> bool:
    return (
        frames.first(con.execute(sql("load/payload_loaded.sql"), {"payload_hash": payload_hash})) is not None
    )


def save_raw(
    con,
    *,
    home: Path,
    payload_hash: str,
    source: str,
    origin: str,
    body: bytes,
    status: PayloadStatus,
    at: datetime,
) -> None:
    """Keep a payload's bytes once (a file under ``home``, ``tracker.store.payload_files``, and its row); a
    payload first rejected and later loaded (after a parser fix) becomes loaded, and a loaded one never goes
    back to rejected."""
    row = frames.first(con.execute(sql("read/raw_payload_status.sql"), {"payload_hash": payload_hash}))
    if row is not None:
        if status == "loaded" and row[0] != "loaded":
            con.execute(
                sql("load/set_payload_status.sql"), {"status": "loaded", "payload_hash": payload_hash}
            )
        return
    compression, stored = payload_files.compress(body)
    payload_files.write(home, payload_hash, compression, stored)  # before the row: a row has its file
    con.execute(
        sql("load/insert_raw_payload.sql"),
        {
            "payload_hash": payload_hash,
            "source": source,
            "origin": origin,
            "size_bytes": len(body),
            "compression": compression,
            "status": status,
            "first_seen_at": at,
        },
    )


def read_raw(con, home: Path, payload_hash: str) -> bytes:
    """A stored payload's uncompressed bytes (from its file; from the table for a body not yet moved out)."""
    compression, stored = frames.first(
        con.execute(sql("read/raw_payload_body.sql"), {"payload_hash": payload_hash})
    )
    if stored:
        return payload_files.decompress(compression, stored)
    return payload_files.read(home, payload_hash, compression)


SNAPSHOT_KEY = ("leaderboard", "arena", "category", "style_control", "as_of")


def load_frame(
    con, frame: pl.DataFrame, *, source: str, payload_hash: str, fetched_at: datetime
) -> LoadResult:
    """Insert the new snapshots of a validated frame and their standings (with the tracker's ranks).

    Runs inside the caller's transaction. A snapshot is new unless this source already stored the same
    board and as-of with the same content; contents are hashed only to answer that (sql/load/
    fill_content_hashes.sql), so loading the same frame twice writes nothing and a first load hashes nothing.
    """
    keys, rows = _snapshot_keys(frame)
    snapshots = keys.height
    with frames.registered(con, staged_keys=keys) as views:
        params = {"source": source}
        existing = [r[0] for r in con.execute(sql("load/existing_snapshot_keys.sql"), params).fetchall()]
        hashes = pl.DataFrame(schema={"_snap": pl.UInt32, "content_hash": pl.Utf8})
        if existing:
            views.add("staged_rows", rows.filter(pl.col("_snap").is_in(existing)))
            con.execute(sql("load/stage_content_hashes.sql"))
            con.execute(sql("load/fill_content_hashes.sql"), params)
            same = [r[0] for r in con.execute(sql("load/matching_snapshots.sql"), params).fetchall()]
            hashes = frames.to_polars(con.sql("SELECT _snap, content_hash FROM staged_hashes"))
            hashes = hashes.cast({"_snap": pl.UInt32})
            con.execute("DROP TABLE staged_hashes")
            keys = keys.filter(~pl.col("_snap").is_in(same))
        if keys.is_empty():
            return LoadResult(0, 0)
        views.add("new_keys", keys.select("_snap"))
        ids = frames.to_polars(con.sql(sql("load/next_snapshot_ids.sql"))).cast({"_snap": pl.UInt32})
        new_snapshots = keys.join(ids, on="_snap").join(hashes, on="_snap", how="left")
        # each row's snapshot id as a column added to the rows (a join would copy every column of them)
        snapshot_id = pl.col("_snap").replace_strict(ids["_snap"], ids["snapshot_id"], default=None)
        new_standings = rows.with_columns(snapshot_id.alias("snapshot_id"))
        if keys.height < snapshots:  # the rows of snapshots stored before go
            new_standings = new_standings.filter(pl.col("snapshot_id").is_not_null())
        if new_standings["rank_ordinal"].null_count():
            new_standings = ranks.with_ranks(new_standings, "snapshot_id")
        views.add("new_snapshots", new_snapshots)
        views.add("new_standings", new_standings)
        con.execute(
            sql("load/insert_snapshots.sql"),
            {**params, "fetched_at": fetched_at, "payload_hash": payload_hash},
        )
        con.execute(sql("load/insert_standings.sql"))
        con.execute(sql("load/observe_identity.sql"))
        con.execute(sql("load/observe_board_identities.sql"))
        return LoadResult(new_snapshots.height, new_standings.height)


def _snapshot_keys(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per snapshot of the frame (its key, a local number ``_snap``, row count, highest published
    rank, as-of kind and rank meaning), and the frame's rows with their ``_snap``."""
    keys = (
        frame.group_by(SNAPSHOT_KEY, maintain_order=True)
        .agg(
            pl.len().cast(pl.Int32).alias("row_count"),
            pl.col("rank_published").max().cast(pl.Int32).alias("published_ranks"),
            pl.col("as_of_kind").first(),
            pl.col("rank_meaning").first(),
        )
        .with_row_index("_snap")
    )
    # each row's _snap from a join of the key columns alone, added to the frame: its other columns are shared,
    # not copied (the whole frame joined held a second copy of each part of a large file)
    snap = frame.select(SNAPSHOT_KEY).join(
        keys.select(*SNAPSHOT_KEY, "_snap"), on=list(SNAPSHOT_KEY), how="left", maintain_order="left"
    )["_snap"]
    return keys, frame.with_columns(snap)


def record_fetch(con, **fields: object) -> None:
    defaults = dict.fromkeys(
        ("source", "job", "http_status", "size_bytes", "payload_hash", "etag", "last_modified", "error"), None
    )
    con.execute(sql("load/insert_fetch.sql"), {**defaults, "snapshots_new": 0, "rows_written": 0, **fields})


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction. When there is none (a failed COMMIT has ended it) or the database can no
    longer be used, nothing: the error being handled is the one to report."""
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


def _refused_write(exc: BaseException) -> tuple[str, str | None] | None:
    """(the file system's reason, the file named) when ``exc`` itself is a refused write."""
    if isinstance(exc, OSError) and exc.errno in _WRITE_ERRNOS:
        return exc.strerror or os.strerror(exc.errno), exc.filename
    if isinstance(exc, duckdb.Error):
        text = str(exc)
        cause = next((os.strerror(n) for n in _WRITE_ERRNOS if os.strerror(n) in text), None)
        if cause is not None:
            quoted = _QUOTED_FILE.search(text)
            return cause, quoted.group(1) if quoted else None
    return None


def write_failure(
    exc: BaseException, database: Path | None = None, what: str | None = None
) -> StoreError | None:
    """A one-line ``StoreError`` naming the cause and the database when ``exc``, or an error it caused while
    being handled (a rollback refused after a failed COMMIT), is the disk refusing a write; else None.
    ``what``: what was being stored (a file, a URL), for the message."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        refused = _refused_write(current)
        if refused is not None:
            cause, filename = refused
            # the database names its WAL and temp files too (tracker.duckdb.wal); another file (a payload's)
            # is named as it is
            target = Path(filename.removesuffix(".wal")) if filename else database
            if database is not None and (target is None or str(target).startswith(str(database))):
                target = database
            where = str(target) if target is not None else "the database"
            stored = (
                f"nothing of {what} was stored, and what was stored before is intact"
                if what
                else "the command stopped there (what it had committed is kept)"
            )
            return StoreError(
                f"cannot write to {where}: {cause}; {stored}. Free space on that disk (or fix its permissions) "
                "and run the command again.",
                path=where,
                cause=cause,
            )
        current = current.__cause__ or current.__context__
    return None
