"""Frames between polars and DuckDB through the Arrow C stream interface (``__arrow_c_stream__``), not pyarrow.

Why not DuckDB's own ``register(name, polars_frame)`` and ``relation.pl()``: both import pyarrow, a large share of a
poller's resident memory, and the writer needs nothing else from it. DuckDB scans any object that offers an Arrow stream, and polars reads a DuckDB relation the
same way, with the same column types.

polars itself is imported on first use (``to_polars``): a reader that only needs ``first`` (the read connection,
``tracker sql``) does not pay for it.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import polars as pl


class _Stream:
    """A frame as an Arrow stream source: a fresh stream each time it is asked, since DuckDB scans a
    registered name once per reference (a capsule alone is spent after one scan)."""

    __slots__ = ("frame",)

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame: pl.DataFrame | None = frame

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        if self.frame is None:
            raise RuntimeError("a registered frame was read after its block ended (frames.registered)")
        return self.frame.__arrow_c_stream__(requested_schema)


class Registered:
    """Frames readable as views on one connection for the length of a ``with`` block (``registered``).

    On leaving the block each view is unregistered and its stream lets go of its frame: DuckDB keeps every
    object registered during a transaction until that transaction ends, unregistered or not, so an import,
    one transaction per file, held every part of a large file until the file's COMMIT (text's at 1x: ~300 MB).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._streams: dict[str, _Stream] = {}

    def add(self, name: str, frame: pl.DataFrame) -> None:
        """Make ``frame`` readable as the view ``name`` until the block ends (replacing one of that name)."""
        stream = _Stream(frame)
        self._con.register(name, stream)
        self._streams[name] = stream

    def __enter__(self) -> Registered:
        return self

    def __exit__(self, *exc: object) -> None:
        for name, stream in self._streams.items():
            stream.frame = None
            # after a failed statement DuckDB refuses this too ("transaction is aborted"); that refusal must
            # not replace the error that got here
            with contextlib.suppress(duckdb.Error):
                self._con.unregister(name)
        self._streams.clear()


def registered(con: duckdb.DuckDBPyConnection, **named: pl.DataFrame) -> Registered:
    """``with registered(con, staged=frame) as views:``: each frame readable as the view of its name
    within the block (``views.add`` registers more), and let go of at its end (``Registered``)."""
    views = Registered(con)
    for name, frame in named.items():
        views.add(name, frame)
    return views


def to_polars(relation: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """Run ``relation`` and return its rows as a polars frame."""
    import polars as pl

    return pl.DataFrame(relation)


def first(result: duckdb.DuckDBPyConnection) -> tuple | None:
    """The first row of a result, consuming it (DuckDB 2.0 refuses new work while a result is unfinished)."""
    rows = result.fetchall()
    return rows[0] if rows else None
