"""Export: the history as a hive-partitioned lake of Parquet (or CSV) files that any engine reads as is.

Layout under the target folder (partitioned tables: one folder level per key, DuckDB ``PARTITION_BY``):

    rank_history/arena=text/category=overall/year=2025/data_0.parquet
    snapshots/arena=text/category=overall/year=2025/data_0.parquet
    board_dates.parquet
    methodology_events.parquet

``since`` makes an export incremental at partition granularity: only the year partitions from the
year of ``since`` on are rewritten (their old files are removed first, so a rerun never duplicates
rows); older years stay as they are. The small unpartitioned tables are always rewritten whole.

It reads the published read copy (read-only, so it runs beside a polling writer); the SELECTs live in
``sql/export/`` and are wrapped here in ``COPY (...) TO $path (options)`` with a fixed option list.
``tracker.lake`` reads a Parquet lake back for ``tracker sql --lake`` and the dashboard.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from tracker.config import Settings
from tracker.errors import StoreError, TrackerError
from tracker.sqlfiles import sql

FORMATS = ("parquet", "csv")
PARTITIONED = ("rank_history", "snapshots")
WHOLE = ("board_dates", "methodology_events")
PARTITION_KEYS = ("arena", "category", "year")
_OPTIONS = {"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER true"}


@dataclass(frozen=True)
class ExportResult:
    dest: Path
    fmt: str
    since: date | None
    rows: dict[str, int]  # table -> rows written
    files: int
    seconds: float


def export(
    settings: Settings, dest: Path, *, fmt: str = "parquet", since: date | None = None
) -> ExportResult:
    """Write rank_history, snapshots, board_dates and methodology_events under ``dest``."""
    if fmt not in FORMATS:
        raise TrackerError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    source = settings.read_copy_path
    if not source.exists():
        raise StoreError(
            f"no published data at {source} to export; run `tracker import PATH` or `tracker init` first.",
            path=str(source),
        )
    started = time.perf_counter()
    dest = dest.resolve()
    dest.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(source), read_only=True)
    rows: dict[str, int] = {}
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET autoinstall_known_extensions = false")
        for table in PARTITIONED:
            target = dest / table
            _clear_partitions(target, since)
            target.mkdir(exist_ok=True)
            rows[table] = _copy(
                con,
                sql(f"export/{table}"),
                target,
                f"{_OPTIONS[fmt]}, PARTITION_BY ({', '.join(PARTITION_KEYS)}), "
                "OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'data_{i}'",
                {"since": since},
            )
        for table in WHOLE:
            rows[table] = _copy(con, sql(f"export/{table}"), dest / f"{table}.{fmt}", _OPTIONS[fmt], None)
    except duckdb.Error as exc:
        raise StoreError(
            f"export to {dest} failed: {exc}. Check the folder is writable.", path=str(dest)
        ) from exc
    finally:
        con.close()
    files = sum(1 for p in dest.rglob(f"*.{fmt}") if p.is_file())
    return ExportResult(dest, fmt, since, rows, files, time.perf_counter() - started)


def _copy(
    con: duckdb.DuckDBPyConnection, select: str, target: Path, options: str, params: dict | None
) -> int:
    statement = f"COPY ({select.strip().rstrip(';')}\n) TO $target ({options})"
    result = con.execute(statement, {"target": str(target), **(params or {})}).fetchall()
    return int(result[0][0]) if result else 0


def _clear_partitions(table_dir: Path, since: date | None) -> None:
    """Remove the partitions about to be rewritten: all of them, or the years from ``since`` on."""
    if not table_dir.exists():
        return
    if since is None:
        shutil.rmtree(table_dir)
        return
    for year_dir in table_dir.glob("arena=*/category=*/year=*"):
        year = year_dir.name.removeprefix("year=")
        if year.isdigit() and int(year) >= since.year:
            shutil.rmtree(year_dir)
