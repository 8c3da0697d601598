"""The bundled starter history: build it from a tracker database, and load it into a new one.

``build`` writes ``seeds/history/<source>.parquet``: the text boards' standings (main categories, raw and
style-controlled) of each upstream source in the canonical schema, zstd-compressed, tagged so the
``starter`` format (tracker/sources/starter.py) recognises them. ``load`` imports those files through
the normal pipeline, so a new installation starts with real 2023-2026 history and every figure keeps
its upstream source.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from tracker import frames, store
from tracker.boards import MAIN_TEXT_CATEGORIES
from tracker.ingest import files as importer
from tracker.ingest import pipeline
from tracker.parsed import conform
from tracker.sources.starter import MARKER
from tracker.sqlfiles import sql

# tracker/ingest/starter.py: the project root is three levels up; an installed wheel carries tracker/_seeds
SEEDS_HISTORY = Path(__file__).resolve().parents[2] / "seeds" / "history"
_PACKAGED = Path(__file__).resolve().parents[1] / "_seeds" / "history"
# what the starter carries; the official dataset and live pages are a poll away once online
STARTER_CATEGORIES = (*MAIN_TEXT_CATEGORIES, "chinese", "english")


def history_dir() -> Path:
    return SEEDS_HISTORY if SEEDS_HISTORY.is_dir() else _PACKAGED


def build(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    arenas: Sequence[str] = ("text",),
    categories: Sequence[str] = STARTER_CATEGORIES,
) -> list[tuple[Path, int]]:
    """Write one starter file per source from the database behind ``con``; returns (file, rows)."""
    # imported here: writing the files' key-value metadata is the tracker's one use of pyarrow, and a
    # process that never builds the starter (a poller) then never loads it
    import pyarrow.parquet as pq

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for (source,) in con.execute(sql("read/starter_sources.sql")).fetchall():
        if source == "starter":
            continue
        params = {"source": source, "arenas": list(arenas), "categories": list(categories)}
        frame = conform(frames.to_polars(con.sql(sql("read/starter_rows.sql"), params=params)))
        if frame.is_empty():
            continue
        table = frame.to_arrow()
        table = table.replace_schema_metadata({b"tracker_format": MARKER, b"source": source.encode()})
        path = out_dir / f"{source}.parquet"
        tmp = path.with_suffix(".parquet.tmp")
        pq.write_table(table, tmp, compression="zstd", compression_level=9, row_group_size=200_000)
        tmp.replace(path)
        written.append((path, frame.height))
    return written


def is_empty(w: store.Writer) -> bool:
    return frames.first(w.con.execute(sql("read/snapshot_count.sql")))[0] == 0


def load(w: store.Writer, folder: Path | None = None) -> list[pipeline.IngestResult]:
    """Import the starter files (all of them, in name order) through the pipeline."""
    folder = folder or history_dir()
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    results, _ = importer.import_paths(w, files, job="seed")
    return results
