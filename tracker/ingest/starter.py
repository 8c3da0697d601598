"""The bundled starter history: build it from a tracker database, and load it into a new one.

``build`` writes ``seeds/history/<source>.parquet``: the standings of the boards in ``STARTER_BOARDS`` (LMArena's
text boards in the main categories and its image board, raw and style-controlled; Artificial Analysis' arenas'
overall boards and its LLM leaderboard's boards) of each upstream source in the canonical schema, zstd-compressed, tagged so the
``starter`` format (tracker/sources/starter.py) recognises them. ``load`` reads those files through
the normal pipeline, so a new installation starts with real 2023-2026 history and every figure keeps
its upstream source. The starter is data, not a fetch: loading it stores raw payloads and snapshots (so
``tracker reparse`` rebuilds them) but writes no fetch row, so ``tracker status``, the Health page and the
sidebar say "never polled" until a poll reaches upstream.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from tracker import frames, seeds, sources, store
from tracker.boards import ARTIFICIAL_ANALYSIS, DEFAULT_LEADERBOARD, MAIN_TEXT_CATEGORIES
from tracker.ingest import pipeline
from tracker.parsed import conform
from tracker.sources.starter import MARKER
from tracker.sqlfiles import sql

# what the starter carries, per leaderboard and arena: the categories kept (raw and style-controlled boards
# both). The official dataset, the live pages and every other category are a poll away once online.
STARTER_CATEGORIES = (*MAIN_TEXT_CATEGORIES, "chinese", "english")
STARTER_BOARDS: dict[str, dict[str, tuple[str, ...]]] = {
    DEFAULT_LEADERBOARD: {"text": STARTER_CATEGORIES, "text_to_image": ("overall",)},
    ARTIFICIAL_ANALYSIS: {
        "text_to_speech": ("overall",),
        "text_to_image": ("overall",),
        "image_edit": ("overall",),
        "text_to_video": ("overall",),
        "image_to_video": ("overall",),
        "text": ("intelligence_index", "coding_index", "agentic_index", "gdpval"),
    },
}


def history_dir() -> Path:
    """The bundled starter files: seeds/history in a checkout, tracker/_seeds/history in a wheel."""
    return seeds.seeds_dir() / "history"


def build(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    boards: dict[str, dict[str, Sequence[str]]] = STARTER_BOARDS,
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
        wanted = [
            {"leaderboard": leaderboard, "arena": arena, "category": category}
            for leaderboard, arenas in boards.items()
            for arena, categories in arenas.items()
            for category in categories
        ]
        params = {"source": source, "boards": wanted}
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
    """Load the starter files (all of them, in name order) through the pipeline, without fetch rows."""
    folder = folder or history_dir()
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    results = []
    with store.deferred_checkpoints(w):
        for path in files:
            payload = pipeline.Payload(
                path.read_bytes(), str(path), pipeline.utc_now(), hints=sources.hints_for_path(path)
            )
            results.append(pipeline.ingest(w, payload, job="seed", fetch_row=False))
    return results
