"""A query's answer as Python values, for a reader that shows only some of its rows: ``tracker sql``'s table.

Where it sits: ``query.peek`` runs the query and hands its cursor to ``fetch``; ``tracker.cli.render`` prints
the ``Rows``. A one-off ``tracker sql`` would otherwise pay more for importing pyarrow and polars than for
everything else it does; DuckDB gives a small answer as Python values directly.

What is shown must not depend on the path taken, so ``fetch`` reads only columns of the types whose Python
value from DuckDB is the very value polars gives through Arrow (``AS_POLARS``: numbers but HUGEINT, text,
dates, times and timestamps in microseconds, BLOB, ENUM). A column of any other type (HUGEINT and UUID come
back as other Python types, TIMETZ loses its offset through Arrow, lists, structs, maps, INTERVAL...) leaves
the answer to the frame ``query.run_sql`` makes. An answer longer than the rows asked for (a table shows the
first and last 20) is read as Arrow past its first rows, with its last rows through polars: however long it
is, it costs what the frame did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

# DuckDB type ids (DuckDBPyType.id) whose Python values are those polars gives; the numeric ones are the
# columns polars calls numeric (dtype.is_numeric()), which a table aligns right
NUMERIC = frozenset(
    ("tinyint", "smallint", "integer", "bigint", "utinyint", "usmallint", "uinteger", "ubigint")
    + ("float", "double", "decimal")
)
AS_POLARS = NUMERIC | {
    "boolean",
    "varchar",
    "enum",
    "blob",
    "date",
    "time",
    "timestamp",
    "timestamp with time zone",
    "null",
}


@dataclass(frozen=True)
class Rows:
    """Some rows of an answer: the first (``head``), and the last (``tail``) when more were left out between
    them than ``height`` (every row) minus those shown; one tuple of Python values per row."""

    columns: tuple[str, ...]
    numeric: tuple[bool, ...]
    head: list[tuple]
    tail: list[tuple]
    height: int

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def elided_at(self) -> int | None:
        """Where the rows left out sit among those shown (after ``head``); None when every row is shown."""
        return len(self.head) if self.height > len(self.head) + len(self.tail) else None


def fetch(con: duckdb.DuckDBPyConnection, first: int | None, last: int = 0) -> Rows | None:
    """The rows of the query ``con`` just ran: every row (``first`` None), or the ``first`` and the ``last``
    when there are more than both; None when a column's type is not in ``AS_POLARS`` (nothing fetched)."""
    types = [column[1].id for column in con.description]
    if not all(t in AS_POLARS for t in types):
        return None
    columns = tuple(column[0] for column in con.description)
    numeric = tuple(t in NUMERIC for t in types)
    if first is None:
        rows = con.fetchall()
        return Rows(columns, numeric, rows, [], len(rows))
    rows = con.fetchmany(first + last + 1)
    if len(rows) <= first + last:
        return Rows(columns, numeric, rows, [], len(rows))
    # the rest as Arrow: a million rows take milliseconds so, and seconds as Python values
    rest = con.to_arrow_table()
    ending = rows[first:] + _last_rows(rest, last)
    return Rows(columns, numeric, rows[:first], ending[len(ending) - last :], len(rows) + rest.num_rows)


def _last_rows(table, count: int) -> list[tuple]:
    """The last ``count`` rows of an Arrow table as polars gives them (``query.run_sql``'s frame)."""
    if not count:
        return []
    import polars as pl

    return list(pl.from_arrow(table.slice(max(table.num_rows - count, 0))).iter_rows())
