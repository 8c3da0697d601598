"""Read-only queries for users, the CLI and the dashboard, against the published read copy.

Every connection is opened read-only with external access disabled and the configuration locked, so
SQL from a user can read the tracker's tables and views and nothing else: no writes, no files, no network.
Statements that are not queries are refused before anything runs (``refuse_unless_query``). Connections
are shared within a process (``tracker.read.readers``), so repeated queries skip opening the file.

Limits: a query that runs past ``query_timeout`` is interrupted (DuckDB has no statement timeout: the
process's watchdog thread interrupts the query's cursor, ``tracker.read.time_limit``), and one past the
connection's memory cap (``query_memory_limit``, ``tracker.read.connection``) stops with DuckDB's
out-of-memory error; either ends in a one-line QueryError naming the setting that raises it. The cursor
that saw either is closed, so the shared connection is fine for the next query.

``run_sql`` answers with a polars frame; ``peek`` with the rows a table shows, as Python values
(``tracker.read.rows``), so that a one-off ``tracker sql`` loads neither polars nor pyarrow for a small answer.
"""

from __future__ import annotations

import contextlib
import importlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from tracker.config import Settings
from tracker.errors import QueryError, StoreError
from tracker.read import lake, readers, rows
from tracker.read.time_limit import Deadline
from tracker.sqlfiles import sql

if TYPE_CHECKING:
    import polars as pl

# DuckDB warns that Arrow output of an executed statement copies its rows once more: it reads the held result
# back through a statement of its own. The alternative it suggests, con.sql(text).pl(), binds every statement
# twice (once to describe the relation). run_sql takes neither when it can (``_arrow_rows``); ``peek`` reads
# the rest of a large answer that way (``tracker.read.rows``). The filter names this one message.
ARROW_COPY_WARNING = "Arrow output on a DB-API result makes an extra copy of the rows"
warnings.filterwarnings("ignore", message=ARROW_COPY_WARNING, category=UserWarning)

# DuckDB's own call that runs one statement with its values straight to a result in a given format (what its
# relations' to_arrow_table runs, after they have bound the statement): one bind, one run, the rows written as
# Arrow once. Measured on the 1x benchmark's read copy: a named query's whole read 0.25-1.0 ms faster of 3.5-10
# ms (BENCHMARKS.md, Findings, stop 32). It is not public API (pyproject asks for duckdb>=2.0, not this exact
# call), so the first read of a process tries it on a constant statement (``_direct``) and a DuckDB without it,
# or whose call answers otherwise, gets the DB-API path rather than failing every read.
_SUBMIT = getattr(duckdb.DuckDBPyConnection, "_submit", None)
_BATCH_ROWS = 131_072  # DuckDB's default Arrow batch
_submit_works: bool | None = None  # the first read's finding (_direct)


def run_sql(
    settings: Settings, text: str, params: dict | list | None = None, *, path: Path | None = None
) -> pl.DataFrame:
    """Run one user query on the read copy (or the Parquet lake in ``settings.lake``) and return the
    result as a polars frame. The connection is the process's shared one (``tracker.read.readers``)."""
    _check(settings, text, path)
    # the rows come back as Arrow: the first query of a process imports pyarrow, which is not the query's time
    importlib.import_module("pyarrow")
    with _limited(settings, path) as con:
        table = _arrow_rows(con, text, params)
    return _as_frame(table)


def peek(
    settings: Settings, text: str, params: dict | list | None = None, *, first: int | None, last: int = 0
) -> rows.Rows | pl.DataFrame:
    """Run one user query as ``run_sql`` does, for a reader that shows its ``first`` and ``last`` rows
    (``first`` None: every row): those rows as Python values, without loading polars or pyarrow for a small
    answer (``tracker.read.rows``); the frame ``run_sql`` returns when a column's type needs it."""
    _check(settings, text, None)
    with _executed(settings, text, params, None) as con:
        shown = rows.fetch(con, first, last)
        # a frame after all: pyarrow, when not loaded yet, loads within the time limit (a fraction of a second)
        table = con.to_arrow_table() if shown is None else None
    return shown if table is None else _as_frame(table)


def _check(settings: Settings, text: str, path: Path | None) -> None:
    """Refuse, before anything runs, an empty text and anything but one read-only query."""
    if not text.strip():
        raise QueryError('the query is empty; pass SQL such as "select * from rank_history limit 5"')
    if settings.lake is not None and path is None:
        lake.check_read_only(text)
    else:
        if text not in _PARSED:
            # parsed on the connection the query runs on: DuckDB's own extract_statements opens an instance of
            # its own, a second one for a process's first query (30-50 ms of a one-off `tracker sql`). Without
            # a read copy it does, so that what is refused is refused before "no published data"
            with contextlib.suppress(StoreError), readers.cursor(settings, path=path) as con:
                _parse(con, text)
        refuse_unless_query(text)
    _refuse_several(text)


@contextlib.contextmanager
def _limited(settings: Settings, path: Path | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor for one statement under the time limit: the limit covers whatever the caller runs and fetches
    in the block, and a DuckDB error there ends in a QueryError in the user's terms."""
    with readers.cursor(settings, path=path) as con:
        deadline = Deadline(con, settings.query_timeout)
        try:
            yield con
        except duckdb.Error as exc:
            deadline.stop()
            raise QueryError(_timed_out(settings) if deadline.fired else _failure(exc, settings)) from None
        finally:
            deadline.stop()
        if deadline.fired:  # it finished as the deadline passed: the cursor may still hold the interrupt
            raise QueryError(_timed_out(settings))


@contextlib.contextmanager
def _executed(
    settings: Settings, text: str, params: dict | list | None, path: Path | None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor that has run ``text`` (DB-API ``execute``), for the caller to fetch its rows within the
    time limit."""
    with _limited(settings, path) as con:
        _execute(con, text, params)
        yield con


def _arrow_rows(con: duckdb.DuckDBPyConnection, text: str, params: dict | list | None):
    """Every row of ``text`` run on ``con``, as an Arrow table (see ``_SUBMIT``)."""
    if not _direct(con):
        _execute(con, text, params)
        return con.to_arrow_table()
    result = _SUBMIT(con, text, params or None, "arrow", _BATCH_ROWS)
    _has_rows(result.description)
    return result.arrow_table()


def _direct(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether DuckDB's direct call (``_SUBMIT``) is there and answers a constant statement as this module
    expects; tried once per process."""
    global _submit_works
    if _SUBMIT is None:
        return False
    if _submit_works is None:
        try:
            probe = _SUBMIT(con, "SELECT 42 AS probe", None, "arrow", _BATCH_ROWS).arrow_table()
            _submit_works = probe.column_names == ["probe"] and probe.column(0).to_pylist() == [42]
        except Exception:  # any way a changed private call fails means the same: use the public path
            _submit_works = False
    return _submit_works


def _execute(con: duckdb.DuckDBPyConnection, text: str, params: dict | list | None) -> None:
    """Run ``text`` with the DB-API ``execute``, its rows left for the caller to fetch."""
    con.execute(text, params) if params else con.execute(text)
    _has_rows(con.description)


def _has_rows(description: list | None) -> None:
    if description is None:
        raise QueryError("the statement returned no rows; `tracker sql` runs read-only SELECT queries")


def _timed_out(settings: Settings) -> str:
    seconds = f"{settings.query_timeout:g}"
    return (
        f"query stopped after {seconds} s, the time limit (setting query_timeout); narrow the query, or raise the "
        f"limit with TRACKER_QUERY_TIMEOUT={settings.query_timeout * 4:g} (or query_timeout in tracker.toml's "
        "[settings]; 0: no limit)"
    )


def _out_of_memory(settings: Settings) -> str:
    cap = settings.query_memory_limit or "DuckDB's default (80% of RAM)"
    return (
        f"query stopped: it needed more memory than the cap of {cap} (setting query_memory_limit); narrow the "
        "query, or raise the cap with TRACKER_QUERY_MEMORY_LIMIT=4GB (or query_memory_limit in tracker.toml's "
        "[settings])"
    )


def _as_frame(table) -> pl.DataFrame:
    # polars reads every type DuckDB hands over as Arrow but INTERVAL (month_day_nano), which it refuses
    # with a hint about an environment variable; name the columns and the cast instead
    intervals = [f.name for f in table.schema if str(f.type) == "month_day_nano_interval"]
    if intervals:
        names = ", ".join(intervals)
        raise QueryError(
            f"query failed: {names}: INTERVAL values cannot be returned; cast them, e.g. "
            f"CAST({intervals[0]} AS VARCHAR), or take a number from them, e.g. epoch({intervals[0]}) / 86400 "
            "for days"
        )
    import polars as pl  # with the first frame: `tracker sql`'s table of a small answer never loads it

    return pl.from_arrow(table)


_QUERIES = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
_WHAT_RUNS = (
    "`tracker sql` and the dashboard's SQL page run read-only queries (SELECT, WITH, FROM, DESCRIBE, "
    "SUMMARIZE, EXPLAIN) over the tracker's tables and views"
)


def refuse_unless_query(text: str) -> None:
    """Refuse, before anything runs, every statement that is not a query: writes, COPY, ATTACH,
    INSTALL/LOAD, SET/PRAGMA/CALL, transactions. The read-only connection would refuse most of them too,
    but in DuckDB's words; this says what is allowed and where data changes instead."""
    for kind, query in _statements(text):
        if kind not in _QUERIES:
            raise QueryError(
                f"query failed: refused {kind.name}, which is not a read-only query ({query.strip()[:80]!r}); "
                f"{_WHAT_RUNS}. "
                "Data changes only through tracker import, poll and backfill.",
                statement=kind.name,
            )


def _refuse_several(text: str) -> None:
    # DuckDB would run them all and return only the last one's rows, so the others' would vanish unseen
    statements = _statements(text)
    if len(statements) > 1:
        raise QueryError(
            f"query failed: {len(statements)} statements given; run one at a time "
            f"(the second: {statements[1][1].strip()[:80]!r})"
        )


# text -> its statements: the dashboard and named queries send the same texts again and again, parsed once
_PARSED: dict[str, tuple[tuple[duckdb.StatementType, str], ...]] = {}
_PARSED_KEPT = 512


def _statements(text: str) -> tuple[tuple[duckdb.StatementType, str], ...]:
    found = _PARSED.get(text)
    return found if found is not None else _parse(duckdb, text)  # the module's: its default connection


def _parse(parser, text: str) -> tuple[tuple[duckdb.StatementType, str], ...]:
    """``text``'s statements, parsed by ``parser`` (a connection, or the duckdb module) and kept."""
    try:
        parsed = tuple((s.type, s.query) for s in parser.extract_statements(text))
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {exc}") from None
    if len(_PARSED) >= _PARSED_KEPT:
        _PARSED.clear()
    _PARSED[text] = parsed
    return parsed


def _failure(exc: duckdb.Error, settings: Settings) -> str:
    """A DuckDB error in the user's terms: the locked-down connection's refusals say what was refused, a
    limit says which setting raises it."""
    text = str(exc)
    if isinstance(exc, duckdb.OutOfMemoryException):
        return _out_of_memory(settings)
    if isinstance(exc, duckdb.PermissionException) or "disabled by configuration" in text:
        return (
            "query failed: refused: reading or writing files, URLs, extensions and secrets is switched off for "
            "user SQL; "
            f"{_WHAT_RUNS} (DuckDB: {text})"
        )
    if "configuration has been locked" in text:
        return f"query failed: refused: settings cannot be changed from a query (DuckDB: {text})"
    if "read-only mode" in text:
        return f"query failed: refused: the read copy is read-only (DuckDB: {text})"
    if isinstance(exc, duckdb.CatalogException) and "does not exist" in text:
        # DuckDB's own "did you mean" points at its system views (pg_sequences, duckdb_tables)
        return (
            f"query failed: {text.split(chr(10))[0]}\n"
            'The tables and views: `tracker sql "show tables"`; what each holds: docs/sql.md.'
        )
    return f"query failed: {text}"


def read_statement(settings: Settings, path: str, params: dict | None = None) -> pl.DataFrame:
    """Run a tracker-owned statement (its path under ``sql/``, e.g. ``read/status_jobs.sql``) on the read copy."""
    return run_sql(settings, sql(path), params)
