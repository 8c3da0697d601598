"""The hardened read-only connection to the read copy: no writes, no file or network access from SQL, and
limits on what one query may take.

Every reader (``tracker.read.readers``, so ``tracker sql``, the dashboard and the Python API) opens the read
copy through ``open_reader``; none ever opens the writer's database. A lake (``tracker.read.lake``) is locked
down by the same ``new_instance`` and ``lock_down``.

What a query can reach: the attached read copy (or a lake's own data files, named one by one in
``allowed_paths``), nothing else. DuckDB always lets SQL read its temporary directory, even with external
access off; an in-memory instance's is the relative ``.tmp``, which would be whatever ``.tmp`` the process's
working directory holds. So the instance has none: nothing spills to disk, and a query past the memory cap
(``query_memory_limit``) stops instead. ``query_threads`` caps its threads; ``tracker.read.query`` stops a
query past ``query_timeout``.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from tracker import frames
from tracker.config import Settings
from tracker.errors import StoreError
from tracker.sqlfiles import sql
from tracker.store.writer import configure_session


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def new_instance(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB instance with the read limits: no temporary directory (no spilling, and no
    ``.tmp`` of the working directory readable from SQL), ``query_memory_limit`` and ``query_threads``."""
    config: dict[str, object] = {"temp_directory": "", "threads": settings.query_threads}
    if settings.query_memory_limit:
        config["memory_limit"] = settings.query_memory_limit
    return duckdb.connect(":memory:", config=config)


def lock_down(con: duckdb.DuckDBPyConnection, paths: list[str] | None = None) -> None:
    """Switch off every file, network and extension access but to ``paths`` (exact files, no folders), and
    lock the configuration so SQL cannot change it back."""
    if paths:
        con.execute("SET allowed_paths = $paths", {"paths": paths})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


# How often a reader tries to open the read copy, and the pause before each later try. DuckDB opens a file
# by its name three times: twice to read its headers, then once to read its blocks with what the headers
# said. A publish that swaps a new read copy in between those opens (os.replace) makes the open fail, e.g.
# "Metadata block index 67 exceeds metadata block count 64": rare (a reader opening in a loop beside a
# writer swapping two files in a loop failed 1 open in 433), and the next open finds the new copy whole.
OPEN_ATTEMPTS = 3
_OPEN_PAUSE = 0.02


def open_reader(settings: Settings, *, path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A hardened read-only connection to the read copy: no writes, no file or network access from SQL.

    The file is attached read-only to a new in-memory instance (and made the default catalogue) rather
    than opened by path: DuckDB shares one instance per path between the connections of a process, so
    opening by path while any connection to the previous copy lives would give back that stale copy
    (duckdb/duckdb#15912), and the first connection's hardening would lock the settings of every later
    one. Its cursors start in the in-memory catalogue: ``USE`` ``reader_catalog(con)`` on each. An open
    that meets a publish swapping the file in is tried again (``OPEN_ATTEMPTS``).
    """
    target = path or settings.read_copy_path
    if not target.exists():
        raise StoreError(
            f"no published data at {target}; run `tracker init` (loads the bundled seeds) or `tracker import PATH`.",
            path=str(target),
        )
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        try:
            return _attached(settings, target)
        except duckdb.IOException as exc:
            if attempt == OPEN_ATTEMPTS:
                message = f"cannot open the read copy {target} ({OPEN_ATTEMPTS} tries): {exc}"
                raise StoreError(message, path=str(target)) from exc
            time.sleep(_OPEN_PAUSE * attempt)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the read copy {target}: {exc}", path=str(target)) from exc
    raise AssertionError("unreachable: the last try returns or raises")


def _attached(settings: Settings, target: Path) -> duckdb.DuckDBPyConnection:
    """One try of ``open_reader``: a new instance with ``target`` attached and locked down."""
    con = new_instance(settings)
    try:
        con.execute(f"ATTACH '{_quote(target)}' (READ_ONLY)")
        con.execute(f'USE "{reader_catalog(con)}"')
        con.execute("SET GLOBAL TimeZone = 'UTC'")  # global, so the cursors of this connection are UTC too
        configure_session(con)
        lock_down(con)
    except BaseException:
        con.close()
        raise
    return con


def reader_catalog(con: duckdb.DuckDBPyConnection) -> str:
    """The catalogue name of the read copy attached by ``open_reader``."""
    return frames.first(con.execute(sql("read/reader_catalog.sql")))[0]
