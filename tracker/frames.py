"""Frames between polars and DuckDB through the Arrow C stream interface (``__arrow_c_stream__``), not pyarrow.

Why not DuckDB's own ``register(name, polars_frame)`` and ``relation.pl()``: both import pyarrow, a large share of a
poller's resident memory, and the writer needs nothing else from it. DuckDB scans any object that offers an Arrow stream, and polars reads a DuckDB relation the
same way, with the same column types.

polars itself is imported on first use (``to_polars``): a reader that only needs ``first`` (the read connection,
``tracker sql``) does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import polars as pl


class _Stream:
    """A frame as an Arrow stream source: a fresh stream each time it is asked, since DuckDB scans a
    registered name once per reference (a capsule alone is spent after one scan)."""

    __slots__ = ("frame",)

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self.frame.__arrow_c_stream__(requested_schema)


def register(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Make ``frame`` readable as the view ``name`` on ``con`` (until unregistered or replaced)."""
    con.register(name, _Stream(frame))


def to_polars(relation: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """Run ``relation`` and return its rows as a polars frame."""
    import polars as pl

    return pl.DataFrame(relation)


def first(result: duckdb.DuckDBPyConnection) -> tuple | None:
    """The first row of a result, consuming it (DuckDB 2.0 refuses new work while a result is unfinished)."""
    rows = result.fetchall()
    return rows[0] if rows else None
