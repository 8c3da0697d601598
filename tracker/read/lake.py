"""Read a Parquet lake written by ``tracker export`` as if it were the database.

``connect(root)`` gives an in-memory DuckDB whose ``rank_history``, ``snapshots``, ``board_dates`` and
``methodology_events`` are views over the lake's files (``sql/lake/``), with the tracker's macros and
analytics views (``sql/macros/``, ``sql/views/``) on top, so named queries and the dashboard run unchanged
on many machines reading one exported lake.

Hardening. The read copy is opened read-only with ``enable_external_access = false``; a lake cannot be,
since its views must read files at query time. So the lake's data files are listed when it is opened
(``data_files``: the Parquet files under ``rank_history/`` and ``snapshots/``, and the two whole tables;
regular files only, no symbolic links followed), the views read exactly those (the variables of ``point``),
and ``allowed_paths`` names exactly those files: any other file, in the lake folder or not, the network,
extensions and ATTACH stay switched off, and the configuration is locked so SQL cannot widen it. The instance
has the same limits as the read copy's (``tracker.read.connection``). Its configuration is fixed, so a new
export (a new manifest, ``version``) is read by a new connection (``tracker.read.readers``). The allowed
files could be written too (``COPY ... TO``) and an in-memory database accepts DDL, so ``check_read_only``
admits only SELECT and EXPLAIN statements before anything runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tracker import store
from tracker.config import Settings
from tracker.errors import QueryError, StoreError
from tracker.read import connection
from tracker.read.export import MANIFEST
from tracker.sqlfiles import sql, sql_files

# the lake's base views, each over its files
BASE = {
    "rank_history": "lake/rank_history.sql",
    "snapshots": "lake/snapshots.sql",
    "board_dates": "lake/board_dates.sql",
    "methodology_events": "lake/methodology_events.sql",
}
PARTITIONED = ("rank_history", "snapshots")  # folders of hive partitions
WHOLE = ("board_dates", "methodology_events")  # one file each
# sql/views files the lake replaces with its own definitions: the core views read the raw tables
# (standings, snapshots) that a lake does not hold, and board_dates reads chosen_snapshots.
_REPLACED_PREFIXES = ("00",)
_REPLACED = {"0400_board_dates"}
_READ_ONLY = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


@dataclass(frozen=True)
class LakeFiles:
    """A lake's data files (absolute paths): the only files its connection may read."""

    root: Path
    rank_history: tuple[str, ...]
    snapshots: tuple[str, ...]

    @property
    def whole(self) -> tuple[str, ...]:
        return tuple(str(self.root / f"{table}.parquet") for table in WHOLE)

    @property
    def every(self) -> list[str]:
        return [*self.rank_history, *self.snapshots, *self.whole]


def _parquet_files(folder: Path) -> tuple[str, ...]:
    """The regular ``*.parquet`` files under ``folder``, without following a symbolic link."""
    if folder.is_symlink():
        raise StoreError(
            f"{folder} is a symbolic link; a lake's folders are the real folders `tracker export` writes",
            path=str(folder),
        )
    found = []
    for parent, _dirs, names in os.walk(folder, followlinks=False):
        for name in names:
            path = Path(parent) / name
            if name.endswith(".parquet") and path.is_file() and not path.is_symlink():
                found.append(str(path))
    return tuple(sorted(found))


def data_files(root: Path) -> LakeFiles:
    """The data files of the lake at ``root``; a StoreError saying how to write one when it is incomplete."""
    root = root.resolve()
    if not root.is_dir():
        raise StoreError(f"no lake folder at {root}; write one with `tracker export {root}`.", path=str(root))
    files = LakeFiles(root, *(_parquet_files(root / table) for table in PARTITIONED))
    missing = [f"{table}/**/*.parquet" for table in PARTITIONED if not getattr(files, table)]
    missing += [
        f"{table}.parquet"
        for table, path in zip(WHOLE, files.whole, strict=True)
        if not Path(path).is_file() or Path(path).is_symlink()
    ]
    if missing:
        raise StoreError(
            f"{root} is not a complete Parquet lake (missing {', '.join(missing)}); write it with "
            f"`tracker export {root} --format parquet` (a CSV export cannot be read as a lake).",
            path=str(root),
        )
    return files


def version(root: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime_ns) of the lake's export manifest, which every export rewrites; None when there is
    none (a lake written before exports kept one)."""
    try:
        st = (root / MANIFEST).stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def connect(
    root: Path, settings: Settings | None = None, *, files: LakeFiles | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory, locked-down connection whose views read the lake at ``root`` (its ``files``, listed
    now when not given), with the read limits of ``settings``."""
    files = files or data_files(root)
    con = connection.new_instance(settings or Settings())
    try:
        store.configure_session(con)  # the same session settings as every tracker connection
        point(con, files)
        for path in BASE.values():
            con.execute(sql(path))
        _apply_views(con)
        connection.lock_down(con, files.every)
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"cannot open the lake at {files.root}: {exc}", path=str(files.root)) from exc
    return con


def point(con: duckdb.DuckDBPyConnection, files: LakeFiles) -> None:
    """Point the lake's views at its files. A variable belongs to one DuckDB connection, so every cursor of a
    lake connection needs this too (``tracker.read.readers``)."""
    con.execute("SET VARIABLE lake_root = $root", {"root": str(files.root)})
    con.execute("SET VARIABLE lake_rank_history = $files", {"files": list(files.rank_history)})
    con.execute("SET VARIABLE lake_snapshots = $files", {"files": list(files.snapshots)})


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
