"""Export: the history as a hive-partitioned lake of Parquet (or CSV) files that any engine reads as is.

Layout under the target folder (partitioned tables: one folder level per key, DuckDB ``PARTITION_BY``):

    rank_history/leaderboard=LMArena/arena=text/category=overall/year=2025/data_0.parquet
    snapshots/leaderboard=LMArena/arena=text/category=overall/year=2025/data_0.parquet
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

Nothing but its own: an export records the files it wrote in a manifest (``.tracker-export.json`` in the
folder) and replaces or removes only files an earlier export recorded there. Before anything is written,
every file under ``rank_history/`` and ``snapshots/`` and each table file must be in the manifest, and none of
them (nor those folders) may be a symbolic link; anything else (a user's photo in ``snapshots/2024``, a lake
written by a version that kept no manifest) is refused with its path, and the folder is left untouched. Files
beside the lake's (a README) are never touched. The manifest is rewritten before the swap (listing the old
files and the new) and after it (the new), so an export killed halfway leaves nothing the next one cannot
prove it wrote.

CSV is written for people, who open it in spreadsheets: a text cell that a spreadsheet would run as a formula
(one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and not a number) is written with a
leading ``'`` (``sql/export/csv_text.sql``, over every VARCHAR column in the COPY itself); numbers are untouched.
Parquet keeps every value as it is.

It reads the published read copy (read-only, so it runs beside a polling writer); the SELECTs live in
``sql/export/`` and are wrapped here in ``COPY (...) TO $path (options)`` with a fixed option list.
``tracker.read.lake`` reads a Parquet lake back for ``tracker sql --lake`` and the dashboard.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
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
PARTITION_KEYS = ("leaderboard", "arena", "category", "year")
_OPTIONS = {"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER true"}
MANIFEST = ".tracker-export.json"  # in the lake folder: the files the exports wrote there
STAGING = ".export-staging"
_STAGING_MARK = ".tracker-export-staging"  # in the staging folder: an export made it
_WRITTEN_BY = "tracker export"


@dataclass(frozen=True)
class ExportResult:
    dest: Path
    fmt: str
    since: date | None
    rows: dict[str, int]  # table -> rows written
    files: int
    seconds: float


def export(
    settings: Settings,
    dest: Path,
    *,
    fmt: str = "parquet",
    since: date | None = None,
    on_table: Callable[[str], None] | None = None,
) -> ExportResult:
    """Write rank_history, snapshots, board_dates and methodology_events under ``dest``; ``on_table`` is told
    each table's name as its files are begun."""
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
    owned = _owned(dest)
    _refuse_foreign(dest, owned)  # before anything in dest is touched
    if since is not None:
        _check_same_format(dest, fmt, since)
    staging = dest / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # what an interrupted export left (proved by its mark)
    staging.mkdir()
    (staging / _STAGING_MARK).write_text("written by tracker export; removed when it ends\n")
    try:
        rows = _write_staged(source, staging, fmt, since, on_table)
        if since is None and not rows["rank_history"]:
            # a lake without rank_history files cannot be read back (tracker.read.lake); say so before it is made
            raise StoreError(
                f"nothing to export: the read copy {source} holds no standings yet; load some with "
                "`tracker import PATH`, `tracker backfill SOURCE` or `tracker poll` (or `tracker init` for the "
                f"bundled history). {dest} is left as it was.",
                path=str(source),
            )
        new = _staged_files(staging)
        # first the old files and the new: whatever a kill during the swap leaves, the manifest names it
        _write_manifest(dest, staging, fmt, owned | new)
        _swap_in(staging, dest, fmt, since)
        _write_manifest(dest, staging, fmt, {f for f in owned if os.path.lexists(dest / f)} | new)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ExportResult(dest, fmt, since, rows, _count_files(dest, fmt), time.perf_counter() - started)


def _owned(dest: Path) -> set[str]:
    """The files (paths relative to ``dest``) that earlier exports recorded writing there."""
    path = dest / MANIFEST
    if not os.path.lexists(path):
        return set()
    problem = None
    if path.is_symlink() or not path.is_file():
        problem = "is not a regular file"
    else:
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            found, problem = None, f"cannot be read ({exc})"
        files = found.get("files") if isinstance(found, dict) else None
        if problem is None and (
            not isinstance(found, dict)
            or found.get("written_by") != _WRITTEN_BY
            or not isinstance(files, list)
            or not all(isinstance(f, str) and _is_lake_file(f) for f in files)
        ):
            problem = "is not the manifest of a `tracker export`"
    if problem:
        raise StoreError(
            f"{path} {problem}; the export lists the files it wrote there. Move it away (and the lake's files "
            "with it), or export to another folder; nothing was changed.",
            path=str(path),
        )
    return set(files)


def _is_lake_file(relative: str) -> bool:
    """A path the export could have written: under a partitioned table's folder, or a whole table's file."""
    parts = relative.split("/")
    if not relative or any(part in ("", ".", "..") for part in parts) or relative.startswith("/"):
        return False
    return (len(parts) > 1 and parts[0] in PARTITIONED) or relative in {
        f"{table}.{fmt}" for table in WHOLE for fmt in FORMATS
    }


def _refuse_foreign(dest: Path, owned: set[str]) -> None:
    """Refuse, before anything is touched, a lake folder holding anything an export would replace or remove
    (under the partitioned tables' folders, or a whole table's file) that no earlier export recorded writing,
    any symbolic link among them, and a staging folder without an export's mark."""
    foreign: list[tuple[Path, str]] = []
    for table in PARTITIONED:
        folder = dest / table
        if folder.is_symlink():
            foreign.append((folder, "is a symbolic link"))
        elif folder.exists() and not folder.is_dir():
            foreign.append((folder, "is not a folder"))
        elif folder.is_dir():
            foreign += _foreign_under(dest, folder, owned)
    for name in (f"{table}.{fmt}" for table in WHOLE for fmt in FORMATS):
        path = dest / name
        if path.is_symlink():
            foreign.append((path, "is a symbolic link"))
        elif os.path.lexists(path) and (name not in owned or not path.is_file()):
            foreign.append((path, "was not written by an earlier export"))
    staging = dest / STAGING
    if os.path.lexists(staging) and (
        staging.is_symlink() or not staging.is_dir() or not (staging / _STAGING_MARK).is_file()
    ):
        foreign.append((staging, "is not a staging folder an export left"))
    if foreign:
        path, why = foreign[0]
        more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
        raise StoreError(
            f"{path} {why}{more}; `tracker export` replaces only the files it recorded writing in "
            f"{dest / MANIFEST}. Move it out of {dest} (or export to another folder); nothing was changed.",
            path=str(path),
        )


def _foreign_under(dest: Path, folder: Path, owned: set[str]) -> list[tuple[Path, str]]:
    foreign = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        for name in [*dirs, *names]:
            path = Path(parent) / name
            if path.is_symlink():
                foreign.append((path, "is a symbolic link"))
            elif name in names and (not path.is_file() or path.relative_to(dest).as_posix() not in owned):
                foreign.append((path, "was not written by an earlier export"))
    return foreign


def _staged_files(staging: Path) -> set[str]:
    """Every file the COPYs wrote, as its path in the lake."""
    return {
        (Path(parent) / name).relative_to(staging).as_posix()
        for parent, _dirs, names in os.walk(staging)
        for name in names
        if name != _STAGING_MARK
    }


def _write_manifest(dest: Path, staging: Path, fmt: str, files: set[str]) -> None:
    """Replace the manifest in one rename (written in the staging folder, on the same file system)."""
    body = {"written_by": _WRITTEN_BY, "format": fmt, "files": sorted(files)}
    temporary = staging / MANIFEST
    temporary.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, dest / MANIFEST)


def _write_staged(
    source: Path, staging: Path, fmt: str, since: date | None, on_table: Callable[[str], None] | None
) -> dict[str, int]:
    """Every table's files under ``staging``, in the lake's layout; the rows each COPY wrote."""
    con = duckdb.connect(str(source), read_only=True)
    rows: dict[str, int] = {}
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET autoinstall_known_extensions = false")
        if fmt == "csv":
            con.execute(sql("export/csv_text.sql"))
        for table, path in PARTITIONED.items():
            if on_table:
                on_table(table)
            rows[table] = _copy(
                con,
                _cells(con, sql(path), fmt, {"since": since}),
                staging / table,
                f"{_OPTIONS[fmt]}, PARTITION_BY ({', '.join(PARTITION_KEYS)}), "
                "OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'data_{i}'",
                {"since": since},
            )
        for table, path in WHOLE.items():
            if on_table:
                on_table(table)
            rows[table] = _copy(
                con, _cells(con, sql(path), fmt, None), staging / f"{table}.{fmt}", _OPTIONS[fmt], None
            )
    except duckdb.Error as exc:
        raise StoreError(
            f"export to {staging.parent} failed, the lake is left as it was: {exc}. "
            "Check the folder is writable and has room.",
            path=str(staging.parent),
        ) from exc
    finally:
        con.close()
    return rows


def _cells(con: duckdb.DuckDBPyConnection, select: str, fmt: str, params: dict | None) -> str:
    """``select`` as the export writes it: for CSV, every VARCHAR column but the partition keys (folder names,
    not cells) through ``csv_text`` (a text that a spreadsheet would run as a formula gets a leading ')."""
    select = select.strip().rstrip(";")
    if fmt != "csv":
        return select
    columns = con.execute(f"SELECT * FROM ({select}\n) LIMIT 0", params).description
    text = [name for name, kind, *_ in columns if str(kind) == "VARCHAR" and name not in PARTITION_KEYS]
    if not text:
        return select
    quoted = ['"' + name.replace('"', '""') + '"' for name in text]
    replaced = ", ".join(f"csv_text({q}) AS {q}" for q in quoted)
    return f"SELECT * REPLACE ({replaced}) FROM ({select}\n)"


def _copy(
    con: duckdb.DuckDBPyConnection, select: str, target: Path, options: str, params: dict | None
) -> int:
    statement = f"COPY ({select}\n) TO $target ({options})"
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
    each whole table in any format (a full export in the other format leaves none of the old files). What is
    replaced was proved the export's own (``_refuse_foreign``)."""
    for table in PARTITIONED:
        staged, target = staging / table, dest / table
        if since is None:
            if target.exists():
                target.rename(staging / f"replaced-{table}")  # removed with the staging folder
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
        for year_dir in table_dir.glob("leaderboard=*/arena=*/category=*/year=*")
        if (year := year_dir.name.removeprefix("year=")).isdigit() and int(year) >= since.year
    ]


def _count_files(dest: Path, fmt: str) -> int:
    """The lake's files of this format: the partitions and the whole tables, nothing else in the folder."""
    partitions = sum(1 for table in PARTITIONED for p in (dest / table).rglob(f"*.{fmt}") if p.is_file())
    return partitions + sum((dest / f"{table}.{fmt}").is_file() for table in WHOLE)
