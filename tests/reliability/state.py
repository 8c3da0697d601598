"""What the reliability tests compare: the full standings of a database, its counts, and half-written
snapshots. Reads go through a DuckDB connection the caller passes (the writer's, or a read-only one on a
file), so the same checks run on the main database and on the published read copy.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

STANDINGS = """
    select s.source, s.arena, s.category, s.style_control, s.as_of, t.model_key, t.display_name,
           t.rating, t.rating_lower, t.rating_upper, t.votes, t.rank_published, t.rank_ordinal
    from standings t join snapshots s using (snapshot_id)
    order by all
"""
# snapshots whose standings do not number exactly row_count (a half-written snapshot), and standings
# rows with no snapshot
HALF_WRITTEN = """
    select (select count(*) from snapshots s
            left join (select snapshot_id, count(*) n from standings group by all) c using (snapshot_id)
            where coalesce(c.n, 0) <> s.row_count)
         + (select count(*) from standings where snapshot_id not in (select snapshot_id from snapshots))
"""
COUNTS = "select (select count(*) from snapshots), (select count(*) from standings)"
KEY = ["source", "arena", "category", "style_control", "as_of", "model_key"]


def standings(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql(STANDINGS).pl()


def half_written(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(HALF_WRITTEN).fetchall()[0][0])


def counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    snapshots, rows = con.execute(COUNTS).fetchall()[0]
    return int(snapshots), int(rows)


def missing(before: pl.DataFrame, after: pl.DataFrame) -> int:
    """Rows of ``before`` that are absent from ``after`` or changed in it (a lost or corrupted row)."""
    if before.is_empty():
        return 0
    return before.join(after, on=before.columns, how="anti", nulls_equal=True).height


def read_only(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    return con
