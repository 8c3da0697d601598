"""Ingest, publish and page benchmarks, each run in a child process (``worker``) so its peak memory is its own.

- ``ingest``: a fresh home, ``importer.import_paths`` over the dataset's full files (the same code as
  ``tracker import``: hash, detect, parse, validate, one transaction per file), writer open to close. The
  connection is wrapped so the time of every SQL file is recorded, and the Python stages are timed too.
- ``floor``: DuckDB alone loading the same files into one table (``sql/floor_ingest.sql``); also, as a
  reference, with an ordinal rank window added (``sql/floor_ranked_ingest.sql``).
- ``publish``: the writer's open on a full database, then full publishes (``store.publish`` with no read copy
  to start from), against the floor (copy the database file, then one CREATE TABLE AS of rank_history's
  rows into it: ``sql/floor_publish.sql``) and copying the database file alone (the I/O floor of any publish).
- ``pages``: new arena.ai pages through ``pipeline.ingest`` into the loaded database, one by one, each
  followed by the incremental publish a poll makes.
- ``reparse``: ``tracker reparse``'s rebuild from the stored payloads (before its publish) on a copy of the
  ingested home, against the ingest of the same history.
- ``import_shared``: every real archive in ../shared/data through ``tracker import``'s code path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from benchmarks.timing import (
    Samples,
    StagePeaks,
    TimedConnection,
    bench_sql,
    new_stages,
    table_rows,
    timed,
    timed_parts,
)
from tracker import sources, store
from tracker.config import load_settings
from tracker.ingest import files as importer
from tracker.ingest import pipeline
from tracker.ingest import reparse as rebuild
from tracker.store import read_copy


def _fresh_home(home: Path):
    if home.exists():
        shutil.rmtree(home)
    return load_settings(environ={}, home=home)


def ingest(home: str, paths: list[str]) -> dict:
    settings = _fresh_home(Path(home))
    stages, peaks = new_stages(), StagePeaks()
    pipeline.checked_parts = timed_parts(stages, "parse + validate (python)", pipeline.checked_parts, peaks)
    pipeline.validate = timed(stages, "  of which validate (python)", pipeline.validate, peaks)
    sources.for_payload = timed(stages, "detect format (python)", sources.for_payload, peaks)
    # the Python of a part's store around its statements (its snapshot keys, the frames it registers)
    store.load_frame = peaks.charged("load_frame (python, outside its statements)", store.load_frame)
    hashed = time.perf_counter()
    for path in paths:  # what pipeline.ingest spends on sha256 of each body, measured on the side
        hashlib.sha256(Path(path).read_bytes()).hexdigest()
    sha_seconds = time.perf_counter() - hashed
    with peaks:
        cpu0, started = time.process_time(), time.perf_counter()
        w = store.open_writer(settings, "benchmark ingest")
        opened = time.perf_counter()
        w.con = TimedConnection(w.con, stages, peaks)
        results, skipped = importer.import_paths(w, [Path(p) for p in paths])
        imported = time.perf_counter()
        counts = table_rows(w.con)
        w.close()
        finished = time.perf_counter()
    failed = [f"{r.origin}: {r.error}" for r in results if not r.ok]
    if failed or skipped:
        raise RuntimeError(f"ingest failed: {failed or skipped}")
    stages["open writer"] = opened - started
    stages["close (checkpoint)"] = finished - imported
    stages["sha256 of bodies (measured apart)"] = sha_seconds
    return {
        "seconds": finished - started - 0.0,
        "cpu_seconds": time.process_time() - cpu0,
        "rows": counts["standings"],
        "snapshots": counts["snapshots"],
        "files": len(results),
        "stages": dict(stages),
        "stage_peaks_mb": dict(peaks.peaks),
        "db_bytes": settings.database_path.stat().st_size,
    }


def floor(db: str, paths: list[str], statement: str = "floor_ingest") -> dict:
    """DuckDB alone loading the files (``statement``: ``floor_ingest``, or ``floor_ranked_ingest``, the same
    load with an ordinal rank window, what ranking alone adds), into a new database file, open to close."""
    target = Path(db)
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(target), config={"storage_compatibility_version": store.STORAGE_VERSION})
    con.execute("SET enable_progress_bar = false")  # a session option: no bar on the worker's stdout
    rows = con.execute(bench_sql(statement), {"files": paths}).fetchall()[0][0]  # CTAS answers its count
    con.close()
    seconds = time.perf_counter() - started
    size = target.stat().st_size
    target.unlink()
    return {"seconds": seconds, "rows": int(rows), "db_bytes": size}


# the agent config's columns under the arena configs' names, so that every file ranks the same way
_AGENT_AS_ARENA = {
    "score": "rating",
    "score_ci_lower": "rating_lower",
    "score_ci_upper": "rating_upper",
    "observation_count": "vote_count",
}


def ranked_store_floor(db: str, paths: list[str]) -> dict:
    """The least any ingest that stores the tracker's ranks does, with the ranks computed as the tracker
    computes them (``tracker.ranks``, polars; DuckDB's own windows cost more): read each file with polars,
    add the three ranks per publish date and category, and store every file's rows with one CREATE TABLE
    AS into a new database file, open to close. No checks, identity, snapshots or per-file transactions,
    and every row held at once (no parts): a lower bound of time, not of memory."""
    import polars as pl

    from tracker import frames, ranks

    target = Path(db)
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    ranked, ranking = [], 0.0
    for number, path in enumerate(paths):
        rows = pl.read_parquet(path)
        rows = rows.rename({k: v for k, v in _AGENT_AS_ARENA.items() if k in rows.columns})
        begun = time.perf_counter()
        day = pl.col("leaderboard_publish_date").str.to_date("%Y-%m-%d").dt.epoch("d")
        snapshot = pl.col("category").cast(pl.Categorical).to_physical().cast(pl.Int64) * (1 << 32) + day
        rows = ranks.with_ranks(rows.with_columns(snapshot.alias("_snap")), "_snap").drop("_snap")
        ranking += time.perf_counter() - begun
        ranked.append(rows.with_columns(pl.lit(number, pl.Int32).alias("file")))
    everything = pl.concat(ranked, how="diagonal_relaxed")
    del ranked
    stored = time.perf_counter()
    con = duckdb.connect(str(target), config={"storage_compatibility_version": store.STORAGE_VERSION})
    with frames.registered(con, ranked=everything):
        con.execute(bench_sql("floor_ranked_store"))
    con.close()
    finished = time.perf_counter()
    target.unlink()
    return {
        "seconds": finished - started,
        "ranks_seconds": ranking,
        "store_seconds": finished - stored,
        "rows": everything.height,
    }


def publish(home: str, runs: int) -> dict:
    """Full publishes (the read copy removed before each, as after an import into a new home or an upgrade)
    against two baselines, each run in turn with ours: the floor (copying the database file, then one
    CREATE TABLE AS of rank_history's rows into it, ``sql/floor_publish.sql``), and as a reference copying
    the database file alone (the I/O floor of any publish)."""
    settings = load_settings(environ={}, home=Path(home))
    started = time.perf_counter()
    w = store.open_writer(settings, "benchmark publish")
    open_seconds = time.perf_counter() - started
    stages = new_stages()
    scratch = settings.database_path.with_name("copy-floor.duckdb")
    bare = w.con
    try:
        ours, floors, copies = Samples(), Samples(), Samples()
        for run in range(runs):
            settings.read_copy_path.unlink(missing_ok=True)
            if run == runs - 1:  # the last run records where the time goes
                w.con = TimedConnection(bare, stages)
            ours.add(store.publish(w))
            w.con = bare
            if w.last_published.mode != "full":
                raise RuntimeError(f"expected a full publish, got {w.last_published.mode}")
            floors.add(_floor_publish(bare, settings.database_path, scratch))
            begun = time.perf_counter()
            shutil.copyfile(settings.database_path, scratch)
            copies.add(time.perf_counter() - begun)
            scratch.unlink()
        counts = table_rows(bare)
    finally:
        w.con = bare
        w.close()
    return {
        "ours": ours.to_json(),
        "floor": floors.to_json(),
        "copy": copies.to_json(),
        "open_seconds": open_seconds,
        "stages": dict(stages),
        "rows": counts["standings"],
        "db_bytes": settings.database_path.stat().st_size,
        "read_bytes": settings.read_copy_path.stat().st_size,
    }


def _floor_publish(con: duckdb.DuckDBPyConnection, database: Path, scratch: Path) -> float:
    """Seconds to copy the writer's database file and materialise rank_history's rows into the copy, attached
    as the read copy is (the file's storage version, the read copy's row group size)."""
    con.execute("CHECKPOINT")  # as a publish starts: everything in the file (nothing to write here)
    begun = time.perf_counter()
    shutil.copyfile(database, scratch)
    con.execute(f"ATTACH '{scratch}' AS floor_copy (ROW_GROUP_SIZE {read_copy.ROW_GROUP_SIZE})")
    try:
        con.execute(bench_sql("floor_publish"))
    finally:
        con.execute("DETACH floor_copy")
    seconds = time.perf_counter() - begun
    scratch.unlink()
    return seconds


def pages(home: str, paths: list[str]) -> dict:
    """New arena pages one by one, as polls bring them: each stored (``pipeline.ingest``), then the read copy
    published (incrementally: the page's board is recomputed). A first full publish makes the read copy the
    incremental ones start from (the ingest run leaves none)."""
    settings = load_settings(environ={}, home=Path(home))
    w = store.open_writer(settings, "benchmark pages")
    ingests, publishes, rows, modes = Samples(), Samples(), 0, set()
    ingest_stages, publish_stages = new_stages(), new_stages()
    pipeline.checked_parts = timed_parts(ingest_stages, "parse + validate (python)", pipeline.checked_parts)
    copy_file = shutil.copyfile
    bare = w.con
    try:
        store.publish(w)
        full_seconds = w.last_published.seconds
        # each incremental publish starts from a copy of the current read copy (tracker/read_copy.py), the
        # part of its time no statement shows (10x: a 1.6 GB file, 0.4-2 s by the day's disk)
        shutil.copyfile = timed(publish_stages, "copy the read copy's file", copy_file)
        for path in paths:
            body = Path(path).read_bytes()
            payload = pipeline.Payload(body, path, datetime.now(UTC))
            w.con = TimedConnection(bare, ingest_stages)
            begun = time.perf_counter()
            result = pipeline.ingest(w, payload)
            ingests.add(time.perf_counter() - begun)
            if result.outcome != "new":
                raise RuntimeError(f"page {path}: {result.outcome} {result.error}")
            rows += result.rows_written
            w.con = TimedConnection(bare, publish_stages)
            publishes.add(store.publish(w))
            modes.add(w.last_published.mode)
    finally:
        shutil.copyfile = copy_file
        w.con = bare
        w.close()
    n = max(len(paths), 1)
    return {
        "samples": ingests.to_json(),
        "publish": publishes.to_json(),
        "publish_modes": sorted(modes),
        "full_publish_seconds": full_seconds,
        "rows": rows,
        "pages": len(paths),
        "stages": {name: s / n for name, s in ingest_stages.items()},
        "publish_stages": {name: s / n for name, s in publish_stages.items()},
    }


def reparse(home: str, scratch: str) -> dict:
    """The rebuild of ``tracker reparse`` (every stored payload parsed, checked and loaded again in one
    transaction; no publish) on a copy of ``home``'s database, its payload files linked, not copied."""
    source, copy = Path(home), Path(scratch)
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    shutil.copyfile(source / "tracker.duckdb", copy / "tracker.duckdb")
    shutil.copytree(source / "payloads", copy / "payloads", copy_function=os.link)
    w = store.open_writer(load_settings(environ={}, home=copy), "benchmark reparse")
    try:
        started = time.perf_counter()
        result = rebuild.reparse(w)
        seconds = time.perf_counter() - started
    finally:
        w.close()
        shutil.rmtree(copy, ignore_errors=True)
        # its writes reach the disk now, not while the next figures (an I/O-bound publish) are timed
        os.sync()
    return {"seconds": seconds, "rows": result.rows, "failures": len(result.failures)}


def import_shared(home: str, folder: str) -> dict:
    settings = _fresh_home(Path(home))
    started = time.perf_counter()
    with store.writer(settings, "benchmark shared import") as w:
        results, skipped = importer.import_paths(w, [Path(folder)])
        counts = table_rows(w.con)
    return {
        "seconds": time.perf_counter() - started,
        "files": len(results),
        "skipped": len(skipped),
        "failed": sum(not r.ok for r in results),
        "rows": counts["standings"],
        "snapshots": counts["snapshots"],
    }
