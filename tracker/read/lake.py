"""Read a Parquet lake written by ``tracker export`` as if it were the database.

``connect(root)`` gives an in-memory DuckDB whose ``rank_history``, ``snapshots``, ``board_dates`` and
``methodology_events`` are views over the lake's files (``sql/lake/``), with the tracker's macros and
analytics views (``sql/macros/``, ``sql/views/``) on top, so named queries and the dashboard run unchanged
on many machines reading one exported lake.

Hardening. The read copy is opened read-only with ``enable_external_access = false``; a lake cannot be,
since its views must read files at query time. So: the views are created first; then
``allowed_directories`` is set to the lake folder alone, external access is switched off for everything
else (other files, network, extensions, ATTACH of files) and the configuration is locked, so SQL cannot
widen it. Access inside the lake folder would include writing (``COPY ... TO``), and an in-memory database
accepts DDL, so ``check_read_only`` admits only SELECT and EXPLAIN statements before anything runs.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tracker import store
from tracker.errors import QueryError, StoreError
from tracker.sqlfiles import sql, sql_files

# the lake's base views, each over its files
BASE = {
    "rank_history": "lake/rank_history.sql",
    "snapshots": "lake/snapshots.sql",
    "board_dates": "lake/board_dates.sql",
    "methodology_events": "lake/methodology_events.sql",
}
# sql/views files the lake replaces with its own definitions: the core views read the raw tables
# (standings, snapshots) that a lake does not hold, and board_dates reads chosen_snapshots.
_REPLACED_PREFIXES = ("00",)
_REPLACED = {"0400_board_dates"}
_READ_ONLY = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def _check_layout(root: Path) -> None:
    if not root.is_dir():
        raise StoreError(f"no lake folder at {root}; write one with `tracker export {root}`.", path=str(root))
    missing = [
        name
        for name, found in (
            ("rank_history/**/*.parquet", any((root / "rank_history").rglob("*.parquet"))),
            ("snapshots/**/*.parquet", any((root / "snapshots").rglob("*.parquet"))),
            ("board_dates.parquet", (root / "board_dates.parquet").is_file()),
            ("methodology_events.parquet", (root / "methodology_events.parquet").is_file()),
        )
        if not found
    ]
    if missing:
        raise StoreError(
            f"{root} is not a complete Parquet lake (missing {', '.join(missing)}); write it with "
            f"`tracker export {root} --format parquet` (a CSV export cannot be read as a lake).",
            path=str(root),
        )


def connect(root: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory, locked-down connection whose views read the lake at ``root``."""
    root = root.resolve()
    _check_layout(root)
    con = duckdb.connect(":memory:")
    try:
        store.configure_session(con)  # the same session settings as every tracker connection
        set_root(con, root)
        for path in BASE.values():
            con.execute(sql(path))
        _apply_views(con)
        con.execute("SET allowed_directories = $dirs", {"dirs": [str(root) + "/"]})
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"cannot open the lake at {root}: {exc}", path=str(root)) from exc
    return con


def set_root(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """Point the lake's views at ``root``. A variable belongs to one DuckDB connection, so every cursor of a
    lake connection needs this too (``tracker.read.readers``)."""
    con.execute("SET VARIABLE lake_root = $root", {"root": str(root.resolve())})


def _apply_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create the macros and the views that the lake can serve; returns the views left out."""
    skipped = []
    for path in sql_files("macros"):
        con.execute(path.read_text(encoding="utf-8"))
    for path in sql_files("views"):
        if path.stem.startswith(_REPLACED_PREFIXES) or path.stem in _REPLACED:
            continue
        try:
            con.execute(path.read_text(encoding="utf-8"))
        except duckdb.CatalogException:
            # a view over a table only the database holds (fetches, alerts, ...): not in a lake
            skipped.append(path.stem)
    return skipped


def check_read_only(text: str) -> None:
    """Refuse anything but SELECT / EXPLAIN before it reaches the lake connection."""
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {exc}") from None
    for statement in statements:
        if statement.type not in _READ_ONLY:
            kind = str(statement.type).rsplit(".", 1)[-1]
            raise QueryError(
                f"a lake is read-only: only SELECT (and EXPLAIN) queries run on it, not {kind}; "
                f"the statement was: {statement.query.strip()[:80]}"
            )
