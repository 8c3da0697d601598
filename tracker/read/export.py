"""Export: the history as a hive-partitioned lake of Parquet (or CSV) files that any engine reads as is.

Layout under the target folder (partitioned tables: one folder level per key, DuckDB ``PARTITION_BY``):

    rank_history/arena=text/category=overall/year=2025/data_0.parquet
    snapshots/arena=text/category=overall/year=2025/data_0.parquet
    board_dates.parquet
    methodology_events.parquet

``since`` makes an export incremental at partition granularity: only the year partitions from the
year of ``since`` on are rewritten (their old files are replaced, so a rerun never duplicates rows);
older years stay as they are. The small unpartitioned tables are always rewritten whole. An incremental
export must keep the lake's format: its older years would otherwise stay in the other one, and a reader
of one format would answer from part of the history.

Nothing partial: every file is first written to a staging folder beside the tables (``.export-staging``),
and the lake's files are replaced only once every COPY has succeeded, by renames on the same file system.
A failed export leaves the lake as it was.

It reads the published read copy (read-only, so it runs beside a polling writer); the SELECTs live in
``sql/export/`` and are wrapped here in ``COPY (...) TO $path (options)`` with a fixed option list.
``tracker.read.lake`` reads a Parquet lake back for ``tracker sql --lake`` and the dashboard.
"""

from __future__ import annotations

import os
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
# table -> the SELECT that exports it
PARTITIONED = {"rank_history": "export/rank_history.sql", "snapshots": "export/snapshots.sql"}
WHOLE = {"board_dates": "export/board_dates.sql", "methodology_events": "export/methodology_events.sql"}
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


STAGING = ".export-staging"


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
    if since is not None:
        _check_same_format(dest, fmt, since)
    staging = dest / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # what an interrupted export left
    staging.mkdir()
    try:
        rows = _write_staged(source, staging, fmt, since)
        if since is None and not rows["rank_history"]:
            # a lake without rank_history files cannot be read back (tracker.read.lake); say so before it is made
            raise StoreError(
                f"nothing to export: the read copy {source} holds no standings yet; load some with "
                "`tracker import PATH`, `tracker backfill SOURCE` or `tracker poll` (or `tracker init` for the "
                f"bundled history). {dest} is left as it was.",
                path=str(source),
            )
        _swap_in(staging, dest, fmt, since)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ExportResult(dest, fmt, since, rows, _count_files(dest, fmt), time.perf_counter() - started)


def _write_staged(source: Path, staging: Path, fmt: str, since: date | None) -> dict[str, int]:
    """Every table's files under ``staging``, in the lake's layout; the rows each COPY wrote."""
    con = duckdb.connect(str(source), read_only=True)
    rows: dict[str, int] = {}
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET autoinstall_known_extensions = false")
        for table, path in PARTITIONED.items():
            rows[table] = _copy(
                con,
                sql(path),
                staging / table,
                f"{_OPTIONS[fmt]}, PARTITION_BY ({', '.join(PARTITION_KEYS)}), "
                "OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'data_{i}'",
                {"since": since},
            )
        for table, path in WHOLE.items():
            rows[table] = _copy(con, sql(path), staging / f"{table}.{fmt}", _OPTIONS[fmt], None)
    except duckdb.Error as exc:
        raise StoreError(
            f"export to {staging.parent} failed, the lake is left as it was: {exc}. "
            "Check the folder is writable and has room.",
            path=str(staging.parent),
        ) from exc
    finally:
        con.close()
    return rows


def _copy(
    con: duckdb.DuckDBPyConnection, select: str, target: Path, options: str, params: dict | None
) -> int:
    statement = f"COPY ({select.strip().rstrip(';')}\n) TO $target ({options})"
    result = con.execute(statement, {"target": str(target), **(params or {})}).fetchall()
    return int(result[0][0]) if result else 0


def _check_same_format(dest: Path, fmt: str, since: date) -> None:
    """Refuse an incremental export in a format other than the lake's: the older years it keeps would stay
    in the other format."""
    for other in FORMATS:
        if other == fmt:
            continue
        found = [dest / table for table in PARTITIONED if any((dest / table).rglob(f"*.{other}"))]
        found += [dest / f"{table}.{other}" for table in WHOLE if (dest / f"{table}.{other}").is_file()]
        if found:
            raise TrackerError(
                f"{dest} holds a {other} export ({found[0]}); --since {since.isoformat()} would rewrite the "
                f"years from {since.year} on as {fmt} and keep the older ones as {other}. Export it whole "
                f"as {fmt} (without --since), or write the {fmt} export to another folder."
            )


def _swap_in(staging: Path, dest: Path, fmt: str, since: date | None) -> None:
    """Replace the lake's files with the staged ones: every partition (or the years from ``since`` on), and
    each whole table in any format (a full export in the other format leaves none of the old files)."""
    for table in PARTITIONED:
        staged, target = staging / table, dest / table
        if since is None:
            if target.exists():
                shutil.rmtree(target)
            if staged.exists():
                staged.rename(target)
            else:
                target.mkdir()  # an empty history: the folder still says the table exists
            continue
        target.mkdir(exist_ok=True)
        for year_dir in _years(target, since):
            shutil.rmtree(year_dir)
        for year_dir in _years(staged, since):
            moved = target / year_dir.relative_to(staged)
            moved.parent.mkdir(parents=True, exist_ok=True)
            year_dir.rename(moved)
    for table in WHOLE:
        for other in FORMATS:
            if other != fmt:
                (dest / f"{table}.{other}").unlink(missing_ok=True)
        os.replace(staging / f"{table}.{fmt}", dest / f"{table}.{fmt}")


def _years(table_dir: Path, since: date) -> list[Path]:
    """The year partitions of ``table_dir`` from ``since``'s year on."""
    if not table_dir.exists():
        return []
    return [
        year_dir
        for year_dir in table_dir.glob("arena=*/category=*/year=*")
        if (year := year_dir.name.removeprefix("year=")).isdigit() and int(year) >= since.year
    ]


def _count_files(dest: Path, fmt: str) -> int:
    """The lake's files of this format: the partitions and the whole tables, nothing else in the folder."""
    partitions = sum(1 for table in PARTITIONED for p in (dest / table).rglob(f"*.{fmt}") if p.is_file())
    return partitions + sum((dest / f"{table}.{fmt}").is_file() for table in WHOLE)
