"""The writer: the one process that opens ``tracker.duckdb`` read-write, under a lock file.

Locking: DuckDB lets one process open a file read-write or many read-only, never both. So the writer alone
opens ``tracker.duckdb``; every reader opens the read copy it publishes (``tracker.store.read_copy``). A second
writer is refused through ``writer.lock`` (an fcntl lock that names the holding process), before DuckDB's own
lock could give a bare "Could not set lock" error.

Identity, the seeded methodology and publishing (which read seed files and frames with polars) are imported
when a writer opens and closes, not with this module: the readers import ``configure_session`` from here.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import duckdb

from tracker.config import Settings
from tracker.errors import StoreError, WriterBusyError
from tracker.store import memory, migrations, payload_files
from tracker.store.migrations import STORAGE_VERSION


def configure_session(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET TimeZone = 'UTC'")
    # DuckDB 2.0.1's top-N window rewrite mis-binds a pushed-down filter when rank_history is a plain
    # table (the read copy, a lake): `SELECT model, gone FROM exits WHERE arena = 'text' ...` failed with
    # "invalid date field format". Without it those windows cost a little more and answer right.
    con.execute("SET disabled_optimizers = 'top_n_window_elimination'")
    # DuckDB's own progress bar draws on standard output during a statement over ~2 s (a full publish at the
    # end of `tracker import`): in a command's output, or in CSV piped to a file. The commands draw their own.
    con.execute("SET enable_progress_bar = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")


@dataclass
class PublishState:
    """What the one publish decision (``tracker.store.read_copy.publish_if_due``) needs to know: shared by a
    writer and every cursor view of it, so a job on its own cursor updates the writer's state directly."""

    last_publish: float = 0.0  # time.monotonic() of the last publish
    dirty: bool = False  # written since the last publish
    last_published: object = None  # tracker.store.read_copy.Published of the last publish
    read_copy_baseline: int | None = None  # bytes of the read copy after its last full publish
    identity_refreshed: tuple | None = None  # what the last identity refresh left (table_hashes)


@dataclass
class Writer:
    """An open writer: the DuckDB connection, the held lock file and the publish state."""

    con: duckdb.DuckDBPyConnection
    settings: Settings
    lock_file: object
    memory_limit: str | None = None  # DuckDB's memory cap for this writer, when one was set
    state: PublishState = field(default_factory=PublishState)
    # called as a publish of the read copy starts: a command says so on screen (it takes seconds to a minute)
    on_publish: Callable[[], None] | None = None

    def on_cursor(self, cursor: duckdb.DuckDBPyConnection) -> Writer:
        """The same writer working through ``cursor`` (a job's thread): one lock, one publish state."""
        configure_session(cursor)  # a cursor starts with default settings (time zone, no extension autoload)
        return replace(self, con=cursor)

    @property
    def dirty(self) -> bool:
        return self.state.dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        self.state.dirty = value

    @property
    def last_publish(self) -> float:
        return self.state.last_publish

    @property
    def last_published(self):
        return self.state.last_published

    @property
    def read_copy_baseline(self) -> int | None:
        return self.state.read_copy_baseline

    @read_copy_baseline.setter
    def read_copy_baseline(self, value: int | None) -> None:
        self.state.read_copy_baseline = value

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
    from tracker.store import methodology, table_hashes

    limit = settings.memory_limit if memory_limit is None else memory_limit
    lock = _acquire_lock(settings, purpose or " ".join(sys.argv[:3]) or "tracker")
    config = {"storage_compatibility_version": STORAGE_VERSION}
    if limit:
        config["memory_limit"] = limit  # from the first block read, not after the open's own reads
    new = not settings.database_path.exists()
    copied, copy_identity = (
        migrations.start_from_schema_copy(settings.database_path) if new else (False, None)
    )
    try:
        con = duckdb.connect(str(settings.database_path), config=config)
    except duckdb.Error as exc:
        lock.close()
        raise StoreError(f"cannot open {settings.database_path}: {exc}") from exc
    configure_session(con)
    writer = Writer(con, settings, lock, memory_limit=limit or None)
    try:
        applied = migrations.migrate(con)
        migrations.apply_views(con, force=bool(applied))
        if copied:
            migrations.stamp_copied_schema(con)
            # its identity tables are as its refresh left them: the refresh below checks and skips
            writer.state.identity_refreshed = copy_identity
        elif new:
            table_hashes.refresh_identity(writer)  # the seeds' identity, kept with the schema copy
            migrations.keep_schema_copy(con, settings.database_path, writer.state.identity_refreshed)
        held = payload_files.bodies_in_table(con)
        if held:  # a database from before payload files: its bodies are read to move them
            with memory.uncapped(writer):
                payload_files.move_bodies_out(con, settings.home, held)
        methodology.load(con)  # seeded methodology events, re-read so edits to the seed file show
        # seeded catalogue + learned aliases: views resolve names at once
        table_hashes.refresh_identity(writer)
    except Exception:
        writer.close()
        raise
    return writer


@contextlib.contextmanager
def writer(settings: Settings, purpose: str | None = None) -> Iterator[Writer]:
    """An open writer for a command's work; what it wrote is published as it closes."""
    from tracker.store import read_copy

    w = open_writer(settings, purpose)
    try:
        yield w
        read_copy.publish_if_due(w, closing=True)
    finally:
        w.close()
