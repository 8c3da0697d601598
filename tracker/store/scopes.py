"""The scopes a read-copy publish runs its statements in (``read_copy``): one transaction, a default
catalogue, the copy written without DuckDB's syncs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


@contextlib.contextmanager
def unsynced(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The block's statements without DuckDB's syncs (a sync of the copy's log at every commit, and of its
    file at the DETACH's checkpoint): the copy is synced once, as a whole, before it is swapped in. The
    setting (``fsync_mode``) is the whole DuckDB instance's, so a block writes the copy and temporary
    tables alone, never the writer's database: the publish's ``_update``, ``_build`` and the DETACH
    (``read_copy``), each inside any ``memory.uncapped`` (whose way out may checkpoint the writer's
    database)."""
    con.execute("SET fsync_mode = 'NONE'")
    try:
        yield
    finally:
        con.execute("RESET fsync_mode")


@contextlib.contextmanager
def default_catalog(con: duckdb.DuckDBPyConnection, catalog: str, writer_db: str) -> Iterator[None]:
    """``USE`` a catalogue for the block, then the writer's again (the default of every publish statement): a
    table macro reads the tables of the caller's default catalogue, whichever catalogue holds the macro, so
    the copy's macros must run with the copy as the default."""
    if catalog == writer_db:
        yield
        return
    con.execute(f'USE "{catalog}"')
    try:
        yield
    finally:
        con.execute(f'USE "{writer_db}"')


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The block's statements in one transaction: one commit (a write of the copy's log and a sync) instead
    of one per statement, which is most of what a small table's copy costs. For the small statements
    only: the derived tables' statements each commit on their own, so what one holds is let go before the
    next."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # the failed statement may have ended it already
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
