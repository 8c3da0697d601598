"""The DuckDB store: open (writer or reader), migrate, load a validated frame, publish the read copy.

Locking (see STACK.md): DuckDB lets one process open a file read-write or many read-only, never both.
So the writer alone opens ``tracker.duckdb``; after each change it publishes ``tracker.read.duckdb``
(schema copy + table data into a temp file, then an atomic ``os.replace``) which every reader opens
read-only. A reader never meets a lock and never sees half a snapshot. Both files use storage
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
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from tracker import identity, methodology
from tracker.config import Settings
from tracker.errors import StoreError, WriterBusyError
from tracker.sqlfiles import sql, sql_files

STORAGE_VERSION = "v1.5.0"
# Rows per row group in the read copy (DuckDB's default is 122,880). Zone maps skip whole row groups, so
# smaller ones let a board's or a model's rows be read without their neighbours': one model's history on
# one board scanned 369k rows for 272 at the default and ~50k at this size, at no cost to full scans.
READ_COPY_ROW_GROUP_SIZE = 16_384
# How the read copy's schema differs from the writer's (readers query these on every page view; the writer
# keeps them as views so a load never pays for them), in dependency order (sql/publish/):
# - tables computed from the writer's views: board_dates, and `history` (rank_history with its board
#   context and each model's previous appearance) ...
FROM_WRITER = ("board_dates", "history")
# - ... which the copy's rank_history and ranked views then project ...
VIEWS_OVER_HISTORY = ("rank_history", "ranked")
# - ... and tables computed from the copy's own views of the same name, so from those tables.
FROM_COPY = ("crowns", "org_race", "events")
MATERIALISED_IN_READ_COPY = ("board_dates", *FROM_COPY)  # the writer's views the read copy holds as tables
# Tables copied into the read copy; raw payload bodies stay in the writer's file only.
_PUBLISH_SKIP_BODY = "raw_payloads"


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
            f"another tracker writer is running ({holder}); only one import, poll, backfill or schedule "
            f"may write to {settings.database_path} at a time. Wait for it or stop it, then retry.",
            holder=holder,
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}: {purpose} (since {datetime.now(UTC):%Y-%m-%d %H:%M:%SZ})\n")
    handle.flush()
    return handle


def open_writer(settings: Settings, purpose: str | None = None) -> Writer:
    """Take the writer lock, open (or create) the database, migrate, and (re)apply views and macros."""
    lock = _acquire_lock(settings, purpose or " ".join(sys.argv[:3]) or "tracker")
    try:
        con = duckdb.connect(
            str(settings.database_path), config={"storage_compatibility_version": STORAGE_VERSION}
        )
    except duckdb.Error as exc:
        lock.close()
        raise StoreError(f"cannot open {settings.database_path}: {exc}") from exc
    configure_session(con)
    writer = Writer(con, settings, lock)
    try:
        migrate(con)
        apply_views(con)
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


def compress(body: bytes) -> tuple[str, bytes]:
    """Compress text-like payloads; already-compressed formats (Parquet, gzip) are kept as they are."""
    if body[:4] == b"PAR1" or body[:2] == b"\x1f\x8b":
        return "none", body
    return "zlib", zlib.compress(body, 6)


def decompress(compression: str, body: bytes) -> bytes:
    return zlib.decompress(body) if compression == "zlib" else body


def save_raw(
    con, *, payload_hash: str, source: str, origin: str, body: bytes, status: str, at: datetime
) -> None:
    """Keep a payload's bytes once; a payload first rejected and later loaded (after a parser fix) becomes
    loaded, and a loaded one never goes back to rejected."""
    row = first(con.execute(sql("read/raw_payload_status"), {"payload_hash": payload_hash}))
    if row is not None:
        if status == "loaded" and row[0] != "loaded":
            con.execute(sql("load/set_payload_status"), {"status": "loaded", "payload_hash": payload_hash})
        return
    compression, stored = compress(body)
    con.execute(
        sql("load/insert_raw_payload"),
        {
            "payload_hash": payload_hash,
            "source": source,
            "origin": origin,
            "size_bytes": len(body),
            "compression": compression,
            "body": stored,
            "status": status,
            "first_seen_at": at,
        },
    )


def load_frame(
    con, frame: pl.DataFrame, *, source: str, payload_hash: str, fetched_at: datetime
) -> LoadResult:
    """Insert the new snapshots of a validated frame and their standings (with computed ranks).

    Runs inside the caller's transaction. Snapshots this source already stored with the same content
    are skipped, so loading the same frame twice writes nothing.
    """
    con.register("staged", frame.to_arrow())
    try:
        params = {"source": source}
        con.execute(sql("load/stage_snapshots"), params)
        count, rows = first(con.execute("SELECT count(*), coalesce(sum(row_count), 0) FROM staged_snapshots"))
        if count:
            con.execute(
                sql("load/insert_snapshots"),
                {**params, "fetched_at": fetched_at, "payload_hash": payload_hash},
            )
            con.execute(sql("load/insert_standings"))
        con.execute("DROP TABLE staged_snapshots")
    finally:
        con.unregister("staged")
    return LoadResult(int(count), int(rows))


def record_fetch(con, **fields: object) -> None:
    defaults = dict.fromkeys(
        ("source", "job", "http_status", "size_bytes", "payload_hash", "etag", "last_modified", "error"), None
    )
    con.execute(sql("load/insert_fetch"), {**defaults, "snapshots_new": 0, "rows_written": 0, **fields})


def publish(w: Writer) -> float:
    """Write the read copy next to the database and swap it in atomically. Returns seconds taken."""
    started = time.perf_counter()
    identity.refresh(w.con)  # aliases learned from what was just loaded reach the read copy with it
    target = w.settings.read_copy_path
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    # Only the lock-holding writer publishes, so any other temporary copy was left by a writer killed
    # mid-publish: remove it, or every crash would leave a copy of the database on disk.
    for stale in target.parent.glob(target.name + ".tmp*"):
        stale.unlink(missing_ok=True)
    con = w.con
    con.execute(
        f"ATTACH '{_quote(tmp)}' AS publish_copy "
        f"(STORAGE_VERSION '{STORAGE_VERSION}', ROW_GROUP_SIZE {READ_COPY_ROW_GROUP_SIZE})"
    )
    try:
        db = first(con.execute("SELECT current_database()"))[0]
        con.execute(f'COPY FROM DATABASE "{db}" TO publish_copy (SCHEMA)')
        tables = [r[0] for r in con.execute(sql("read/publish_tables")).fetchall()]
        for table in tables:
            if table == _PUBLISH_SKIP_BODY:
                con.execute(
                    f"INSERT INTO publish_copy.{table} SELECT * REPLACE (''::BLOB AS body) FROM {table}"
                )
            else:
                con.execute(f'INSERT INTO publish_copy."{table}" SELECT * FROM "{table}"')
        _derive_read_copy(con)
    finally:
        con.execute("DETACH publish_copy")
    os.replace(tmp, target)
    w.last_publish = time.monotonic()
    w.dirty = False
    return time.perf_counter() - started


def _derive_read_copy(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the copied views the read copy holds as tables (see FROM_WRITER, VIEWS_OVER_HISTORY,
    FROM_COPY). Names come from those constants, never from data."""
    for name in ("board_dates", *VIEWS_OVER_HISTORY):
        con.execute(f'DROP VIEW publish_copy."{name}"')  # replaced below by the copy's own
    for name in FROM_WRITER:
        con.execute(sql(f"publish/materialise_{name}"))
    for name in VIEWS_OVER_HISTORY:
        con.execute(sql(f"publish/{name}_view"))
    for name in FROM_COPY:  # computed from the copy's view under a temporary name, then renamed over it
        con.execute(sql(f"publish/materialise_{name}"))
        con.execute(f'DROP VIEW publish_copy."{name}"')
        con.execute(f'ALTER TABLE publish_copy."{name}_table" RENAME TO "{name}"')


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
