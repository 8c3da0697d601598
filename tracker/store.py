"""The DuckDB store: open (writer or reader), migrate, load a validated frame, publish the read copy.

Locking (see STACK.md): DuckDB lets one process open a file read-write or many read-only, never both.
So the writer alone opens ``tracker.duckdb``; after each change it publishes ``tracker.read.duckdb``
(built in a temp file, in full or for the boards that changed, then an atomic ``os.replace``:
``tracker.read_copy``) which every reader opens read-only. A reader never meets a lock and never sees half a snapshot. Both files use storage
compatibility v1.5.0 so the duckdb-cli 1.5.x from PyPI can open them.

A second writer is refused through ``writer.lock`` (an fcntl lock that names the holding process),
before DuckDB's own lock could give a bare "Could not set lock" error.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from tracker import frames, identity, methodology, payload_files, ranks
from tracker.config import Settings
from tracker.errors import StoreError, WriterBusyError
from tracker.sqlfiles import sql, sql_files

STORAGE_VERSION = "v1.5.0"
# Rows per row group in the read copy (DuckDB's default is 122,880). Zone maps skip whole row groups, so
# smaller ones let a board's or a model's rows be read without their neighbours': one model's history on
# one board scanned 369k rows for 272 at the default and ~50k at this size, at no cost to full scans.
READ_COPY_ROW_GROUP_SIZE = 16_384


def configure_session(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET TimeZone = 'UTC'")
    # DuckDB 2.0.1's top-N window rewrite mis-binds a pushed-down filter when rank_history is a plain
    # table (the read copy, a lake): `SELECT model, gone FROM exits WHERE arena = 'text' ...` failed with
    # "invalid date field format". Without it those windows cost a little more and answer right.
    con.execute("SET disabled_optimizers = 'top_n_window_elimination'")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")


@dataclass
class Writer:
    """An open writer: the DuckDB connection and the held lock file."""

    con: duckdb.DuckDBPyConnection
    settings: Settings
    lock_file: object
    last_publish: float = 0.0
    dirty: bool = False  # written since the last publish
    last_published: object = None  # read_copy.Published of the last publish
    memory_limit: str | None = None  # DuckDB's memory cap for this writer, when one was set
    read_copy_baseline: int | None = None  # bytes of the read copy after its last full publish (read_copy)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.con.close()
        with contextlib.suppress(Exception):
            self.lock_file.close()  # type: ignore[attr-defined]


def _acquire_lock(settings: Settings, purpose: str):
    settings.home.mkdir(parents=True, exist_ok=True)
    handle = open(settings.lock_path, "a+")  # noqa: SIM115 - held for the writer's lifetime
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "an unknown process"
        handle.close()
        raise WriterBusyError(
            f"another tracker writer is running ({holder}); one command at a time may write to "
            f"{settings.database_path} (init, import, poll, backfill, reparse, alias, schedule, up). Wait for it "
            "or stop it, then retry; reading (sql, model, models, export, the dashboard) works meanwhile.",
            holder=holder,
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}: {purpose} (since {datetime.now(UTC):%Y-%m-%d %H:%M:%SZ})\n")
    handle.flush()
    return handle


def open_writer(settings: Settings, purpose: str | None = None, *, memory_limit: str | None = None) -> Writer:
    """Take the writer lock, open (or create) the database, migrate, and (re)apply views and macros.

    ``memory_limit`` caps DuckDB's memory (a size such as ``256MB``, validated by ``Settings``); default
    ``settings.memory_limit``, empty for DuckDB's own default."""
    limit = settings.memory_limit if memory_limit is None else memory_limit
    lock = _acquire_lock(settings, purpose or " ".join(sys.argv[:3]) or "tracker")
    config = {"storage_compatibility_version": STORAGE_VERSION}
    if limit:
        config["memory_limit"] = limit  # from the first block read, not after the open's own reads
    try:
        con = duckdb.connect(str(settings.database_path), config=config)
    except duckdb.Error as exc:
        lock.close()
        raise StoreError(f"cannot open {settings.database_path}: {exc}") from exc
    configure_session(con)
    writer = Writer(con, settings, lock, memory_limit=limit or None)
    try:
        migrate(con)
        apply_views(con)
        held = payload_files.bodies_in_table(con)
        if held:  # a database from before payload files: its bodies are read to move them
            with uncapped(writer):
                payload_files.move_bodies_out(con, settings.home, held)
        methodology.load(con)  # seeded methodology events, re-read so edits to the seed file show
        identity.refresh(con)  # seeded catalogue + learned aliases, so views resolve names from the start
    except Exception:
        writer.close()
        raise
    return writer


@contextlib.contextmanager
def writer(settings: Settings, purpose: str | None = None) -> Iterator[Writer]:
    w = open_writer(settings, purpose)
    try:
        yield w
        if w.dirty:
            publish(w)
    finally:
        w.close()


@contextlib.contextmanager
def deferred_checkpoints(w: Writer) -> Iterator[None]:
    """For many transactions in a row (an import, a backfill): DuckDB checkpoints its WAL into the file after
    every commit that takes the WAL past 16 MB, so a full-history import checkpointed after each file (3.2 s
    of COMMIT at 1.7 M standings); here it checkpoints once, at the end (0.9 s of COMMIT plus 1.0 s). The
    WAL still makes every commit durable in between."""
    w.con.execute("SET checkpoint_threshold = '1TB'")
    try:
        yield
    finally:
        w.con.execute("RESET checkpoint_threshold")
    w.con.execute("CHECKPOINT")  # after a failure DuckDB checkpoints at its next chance instead


@contextlib.contextmanager
def uncapped(w: Writer) -> Iterator[None]:
    """Lift the writer's memory cap for work whose memory grows with the whole history (a full read-copy
    build: ~7 GB at 15 M standings, where 256 MB ran out; the alerts' event stream), then set it again."""
    if not w.memory_limit:
        yield
        return
    w.con.execute("RESET memory_limit")
    cap = f"SET memory_limit = '{w.memory_limit}'"  # validated by Settings
    try:
        yield
    finally:
        try:
            w.con.execute(cap)
        except duckdb.OutOfMemoryException:
            # DuckDB lets go of the work's blocks only once they are written out
            w.con.execute("CHECKPOINT")
            w.con.execute(cap)


# How low release_memory briefly sets the cap: DuckDB then gives back what it does not need (lower than what
# it holds pinned fails, and is ignored).
RELEASE_FLOOR = "32MB"


def release_memory(w: Writer) -> None:
    """Make DuckDB give back the memory it keeps after a statement, under the writer's cap: the buffers and
    blocks a finished statement used stay allocated to the instance (and resident) until the cap needs
    them, though ``duckdb_memory()`` no longer counts them, so each statement of a publish starts from the
    last one's high-water mark. Briefly lowering the cap frees them (~1 ms). The poller calls it between a
    publish's statements: at 10x one new page's publish peaked at 349 MB without, 257 MB with
    (BENCHMARKS.md, Findings). Without a cap (DuckDB's default) it does nothing."""
    if not w.memory_limit:
        return
    with contextlib.suppress(duckdb.OutOfMemoryException):
        w.con.execute(f"SET memory_limit = '{RELEASE_FLOOR}'")
    w.con.execute(f"SET memory_limit = '{w.memory_limit}'")  # validated by Settings


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every ``sql/migrations/NNNN_*.sql`` not yet recorded, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for path in sql_files("migrations"):
        version = int(path.name.split("_", 1)[0])
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, path.stem, datetime.now(UTC)]
            )
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"migration {path.name} failed: {exc}") from exc
        applied.append(path.stem)
    return applied


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every macro and view; they hold no data, so this runs on every start."""
    for folder in ("macros", "views"):
        for path in sql_files(folder):
            try:
                con.execute(path.read_text(encoding="utf-8"))
            except duckdb.Error as exc:
                raise StoreError(f"{folder}/{path.name} failed: {exc}") from exc


@dataclass(frozen=True)
class LoadResult:
    snapshots_new: int
    rows_written: int


def first(result: duckdb.DuckDBPyConnection) -> tuple | None:
    """The first row of a result, consuming it (DuckDB 2.0 refuses new work while a result is unfinished)."""
    rows = result.fetchall()
    return rows[0] if rows else None


def payload_loaded(con: duckdb.DuckDBPyConnection, payload_hash: str) -> bool:
    return first(con.execute(sql("load/payload_loaded"), {"payload_hash": payload_hash})) is not None


def save_raw(
    con,
    *,
    home: Path,
    payload_hash: str,
    source: str,
    origin: str,
    body: bytes,
    status: str,
    at: datetime,
) -> None:
    """Keep a payload's bytes once (a file under ``home``, ``tracker.payload_files``, and its row); a
    payload first rejected and later loaded (after a parser fix) becomes loaded, and a loaded one never goes
    back to rejected."""
    row = first(con.execute(sql("read/raw_payload_status"), {"payload_hash": payload_hash}))
    if row is not None:
        if status == "loaded" and row[0] != "loaded":
            con.execute(sql("load/set_payload_status"), {"status": "loaded", "payload_hash": payload_hash})
        return
    compression, stored = payload_files.compress(body)
    payload_files.write(home, payload_hash, compression, stored)  # before the row: a row has its file
    con.execute(
        sql("load/insert_raw_payload"),
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
    compression, stored = first(con.execute(sql("read/raw_payload_body"), {"payload_hash": payload_hash}))
    if stored:
        return payload_files.decompress(compression, stored)
    return payload_files.read(home, payload_hash, compression)


SNAPSHOT_KEY = ("arena", "category", "style_control", "as_of")


def load_frame(
    con, frame: pl.DataFrame, *, source: str, payload_hash: str, fetched_at: datetime
) -> LoadResult:
    """Insert the new snapshots of a validated frame and their standings (with the tracker's ranks).

    Runs inside the caller's transaction. A snapshot is new unless this source already stored the same
    board and as-of with the same content; contents are hashed only to answer that (sql/load/
    fill_content_hashes.sql), so loading the same frame twice writes nothing and a first load hashes nothing.
    """
    keys, rows = _snapshot_keys(frame)
    registered = ["staged_keys"]
    frames.register(con, "staged_keys", keys)
    try:
        params = {"source": source}
        existing = [r[0] for r in con.execute(sql("load/existing_snapshot_keys"), params).fetchall()]
        hashes = pl.DataFrame(schema={"_snap": pl.UInt32, "content_hash": pl.Utf8})
        if existing:
            registered.append("staged_rows")
            frames.register(con, "staged_rows", rows.filter(pl.col("_snap").is_in(existing)))
            con.execute(sql("load/stage_content_hashes"))
            con.execute(sql("load/fill_content_hashes"), params)
            same = [r[0] for r in con.execute(sql("load/matching_snapshots"), params).fetchall()]
            hashes = frames.to_polars(con.sql("SELECT _snap, content_hash FROM staged_hashes"))
            hashes = hashes.cast({"_snap": pl.UInt32})
            con.execute("DROP TABLE staged_hashes")
            keys = keys.filter(~pl.col("_snap").is_in(same))
        if keys.is_empty():
            return LoadResult(0, 0)
        registered.append("new_keys")
        frames.register(con, "new_keys", keys.select("_snap"))
        ids = frames.to_polars(con.sql(sql("load/next_snapshot_ids"))).cast({"_snap": pl.UInt32})
        new_snapshots = keys.join(ids, on="_snap").join(hashes, on="_snap", how="left")
        new_standings = rows.join(ids, on="_snap", how="inner")
        if new_standings["rank_ordinal"].null_count():
            new_standings = ranks.with_ranks(new_standings, "snapshot_id")
        registered += ["new_snapshots", "new_standings"]
        frames.register(con, "new_snapshots", new_snapshots)
        frames.register(con, "new_standings", new_standings)
        con.execute(
            sql("load/insert_snapshots"), {**params, "fetched_at": fetched_at, "payload_hash": payload_hash}
        )
        con.execute(sql("load/insert_standings"))
        con.execute(sql("load/observe_identity"))
        con.execute(sql("load/observe_board_identities"))
        return LoadResult(new_snapshots.height, new_standings.height)
    finally:
        for name in registered:
            con.unregister(name)


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
    rows = frame.join(keys.select(*SNAPSHOT_KEY, "_snap"), on=list(SNAPSHOT_KEY), how="left")
    return keys, rows


def record_fetch(con, **fields: object) -> None:
    defaults = dict.fromkeys(
        ("source", "job", "http_status", "size_bytes", "payload_hash", "etag", "last_modified", "error"), None
    )
    con.execute(sql("load/insert_fetch"), {**defaults, "snapshots_new": 0, "rows_written": 0, **fields})


def publish(w: Writer) -> float:
    """Write the read copy next to the database and swap it in atomically (``tracker.read_copy``: in full,
    or only the boards that changed). Returns seconds taken; ``w.last_published`` says how it went."""
    from tracker import read_copy  # it builds on this module

    done = read_copy.publish(w, row_group_size=READ_COPY_ROW_GROUP_SIZE, storage_version=STORAGE_VERSION)
    w.last_publish = time.monotonic()
    w.last_published = done
    w.dirty = False
    return done.seconds


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def open_reader(settings: Settings, *, path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A hardened read-only connection to the read copy: no writes, no file or network access from SQL.

    The file is attached read-only to a new in-memory instance (and made the default catalogue) rather
    than opened by path: DuckDB shares one instance per path between the connections of a process, so
    opening by path while any connection to the previous copy lives would give back that stale copy
    (duckdb/duckdb#15912), and the first connection's hardening would lock the settings of every later
    one. Its cursors start in the in-memory catalogue: ``USE`` ``reader_catalog(con)`` on each.
    """
    target = path or settings.read_copy_path
    if not target.exists():
        raise StoreError(
            f"no published data at {target}; run `tracker init` (loads the bundled seeds) or `tracker import PATH`.",
            path=str(target),
        )
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{_quote(target)}' (READ_ONLY)")
        con.execute(f'USE "{reader_catalog(con)}"')
        con.execute("SET GLOBAL TimeZone = 'UTC'")  # global, so the cursors of this connection are UTC too
        configure_session(con)
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"cannot open the read copy {target}: {exc}", path=str(target)) from exc
    return con


def reader_catalog(con: duckdb.DuckDBPyConnection) -> str:
    """The catalogue name of the read copy attached by ``open_reader``."""
    return first(con.execute(sql("read/reader_catalog")))[0]
