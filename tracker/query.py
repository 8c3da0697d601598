"""Read-only queries for users, the CLI and the dashboard, against the published read copy.

Every connection is opened read-only with external access disabled and the configuration locked, so
SQL from a user can read the tracker's tables and views and nothing else: no writes, no files, no network.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from tracker import lake
from tracker.config import Settings
from tracker.errors import QueryError
from tracker.sqlfiles import sql
from tracker.store import open_reader


def run_sql(
    settings: Settings, text: str, params: dict | list | None = None, *, path: Path | None = None
) -> pl.DataFrame:
    """Run one user query on the read copy (or the Parquet lake in ``settings.lake``) and return the
    result as a polars frame."""
    if not text.strip():
        raise QueryError('the query is empty; pass SQL such as "select * from rank_history limit 5"')
    if settings.lake is not None and path is None:
        lake.check_read_only(text)
        con = lake.connect(settings.lake)
    else:
        con = open_reader(settings, path=path)
    try:
        result = con.sql(text, params=params) if params else con.sql(text)
        if result is None:
            raise QueryError("the statement returned no rows; `tracker sql` runs read-only SELECT queries")
        return result.pl()
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {exc}") from None
    finally:
        con.close()


def read_named(settings: Settings, name: str, params: dict | None = None) -> pl.DataFrame:
    """Run a tracker-owned statement from ``sql/read/`` on the read copy."""
    return run_sql(settings, sql(f"read/{name}"), params)
