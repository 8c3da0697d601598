"""The hardened read-only connection to the read copy: no writes, no file or network access from SQL.

Every reader (``tracker.read.readers``, so ``tracker sql``, the dashboard and the Python API) opens the read
copy through ``open_reader``; none ever opens the writer's database.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tracker import frames
from tracker.config import Settings
from tracker.errors import StoreError
from tracker.sqlfiles import sql
from tracker.store.writer import configure_session


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
    return frames.first(con.execute(sql("read/reader_catalog.sql")))[0]
