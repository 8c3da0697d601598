"""Shared read-only connections: one hardened DuckDB instance per process and per published read copy (or
Parquet lake), lent out as cursors, so a query after the first pays neither for a new instance nor for
reading the catalogue and cold blocks again.

Where it sits: at the reading end of the flow (read copy -> here -> ``tracker.read.query`` -> CLI, dashboard,
notebooks). ``connection.open_reader`` makes the hardened connection; ``cursor`` shares it.

A read copy is replaced by the writer with ``os.replace``; when the file's inode, size or modification time
differs from the shared instance's, the next ``cursor`` opens the new file, and the old instance is closed
once its last cursor comes back (a query already running on it finishes on the copy it started on).
``connection.open_reader`` attaches the file to a fresh in-memory instance precisely so that this works: DuckDB
caches file instances by path and would hand back the old file's instance while any connection to it lives
(duckdb/duckdb#15912).

A lake's connection reads the data files it listed when it opened (``tracker.read.lake``): one per lake
folder, replaced in the same way when a new export rewrites the lake's manifest.

Thread-safe: the dashboard serves sessions from threads, and a DuckDB connection must not run two queries at
once, so each caller gets a cursor of its own. Cursors are kept for the next caller once given back (a new one
with its ``USE`` costs a noticeable part of a small named query): a cursor only ever runs read-only
queries (``tracker.read.query`` refuses SET, PRAGMA and the rest before they reach it), so it carries nothing from
one caller to the next. One that saw an error is closed instead.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tracker.config import Settings
from tracker.read import connection, lake

_LOCK = threading.Lock()


@dataclass
class _Shared:
    # (inode, size, mtime_ns) of the read copy, or of a lake's export manifest, when opened
    version: tuple[int, int, int] | None
    con: duckdb.DuckDBPyConnection
    catalog: str | None  # the read copy's catalogue, which every cursor must USE; None: a lake
    lake_files: lake.LakeFiles | None  # a lake's data files, which every cursor's views must be pointed at
    users: int = 0
    retired: bool = False
    idle: list[duckdb.DuckDBPyConnection] = field(default_factory=list)  # cursors given back, ready again

    def close(self) -> None:
        """Close the idle cursors and the instance (called once no caller holds a cursor)."""
        for cur in self.idle:
            with contextlib.suppress(duckdb.Error):
                cur.close()
        self.idle.clear()
        self.con.close()


_SHARED: dict[str, _Shared] = {}
# idle cursors kept per instance: as many as callers at once in a busy dashboard; beyond, they are closed
IDLE_CURSORS = 8


def file_version(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime_ns) of a read copy, which changes with each publish; None when there is none."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _open(settings: Settings, target: Path | None, version) -> _Shared:
    if target is None:
        files = lake.data_files(settings.lake)
        return _Shared(version, lake.connect(files.root, settings, files=files), None, files)
    con = connection.open_reader(settings, path=target)
    return _Shared(version, con, connection.reader_catalog(con), None)


def _acquire(settings: Settings, path: Path | None) -> tuple[_Shared, duckdb.DuckDBPyConnection]:
    target = None if settings.lake is not None and path is None else (path or settings.read_copy_path)
    key = str(settings.lake.resolve()) if target is None else str(target.absolute())
    version = lake.version(settings.lake.resolve()) if target is None else file_version(target)
    with _LOCK:
        entry = _SHARED.get(key)
        if entry is not None and entry.version != version:
            entry.retired = True
            _SHARED.pop(key)
            if entry.users == 0:
                entry.close()
            entry = None
        if entry is None:
            # opening under the lock: two threads asking at once for a new version get one instance
            entry = _open(settings, target, version)
            _SHARED[key] = entry
        entry.users += 1
        cur = entry.idle.pop() if entry.idle else None
    if cur is None:  # made outside the lock; the instance stays open while this caller counts as a user
        cur = entry.con.cursor()
        try:
            _set_up(entry, cur)
        except BaseException:
            _release(entry, cur, reusable=False)
            raise
    return entry, cur


def _set_up(entry: _Shared, cur: duckdb.DuckDBPyConnection) -> None:
    # a cursor is a new DuckDB connection: it starts in the in-memory catalogue, without variables
    if entry.catalog is not None:
        cur.execute(f'USE "{entry.catalog}"')
    if entry.lake_files is not None:
        lake.point(cur, entry.lake_files)


def _release(entry: _Shared, cur: duckdb.DuckDBPyConnection, *, reusable: bool) -> None:
    with _LOCK:
        entry.users -= 1
        keep = reusable and not entry.retired and len(entry.idle) < IDLE_CURSORS
        if keep:
            entry.idle.append(cur)
        if entry.retired and entry.users == 0:
            entry.close()
    if not keep:
        with contextlib.suppress(duckdb.Error):
            cur.close()


@contextlib.contextmanager
def cursor(settings: Settings, *, path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the shared connection to the read copy (``path`` or ``settings.read_copy_path``), or to
    the lake when ``settings.lake`` is set and no path is given. Close nothing: leaving the block gives it
    back (kept for the next caller, or closed after an error)."""
    entry, cur = _acquire(settings, path)
    reusable = False
    try:
        yield cur
        reusable = True
    finally:
        _release(entry, cur, reusable=reusable)


def held() -> list[tuple[str, tuple[int, int, int] | None]]:
    """The files (or lake folders) this process holds a shared connection to, with the version opened."""
    with _LOCK:
        return [(key, entry.version) for key, entry in _SHARED.items()]


def close_all() -> None:
    """Close every shared connection that no caller is using (tests; a long-lived process that is done)."""
    with _LOCK:
        for key, entry in list(_SHARED.items()):
            entry.retired = True
            if entry.users == 0:
                entry.close()
            _SHARED.pop(key)
