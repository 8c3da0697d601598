"""Methodology events: dated upstream changes in how scores, CIs or ranks were computed or shown.

They come from the bundled seed file ``seeds/methodology_events.csv`` (found through
``tracker.seeds.seeds_dir``, like the identity catalogue) and are copied into the ``methodology_events``
table every time the writer opens (``store.open_writer``), so editing the seed file is enough to change
the markers on charts and the ``methodology`` rows of ``events``. The copy writes only rows that are new
or changed, so it is idempotent.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tracker import seeds
from tracker.errors import StoreError
from tracker.sqlfiles import sql

SEED_NAME = "methodology_events.csv"


def seed_path() -> Path:
    """The bundled methodology events file, next to the identity seeds (``tracker.seeds.seeds_dir``)."""
    path = seeds.seeds_dir() / SEED_NAME
    if not path.is_file():
        raise StoreError(
            f"the seed file {path} is missing; reinstall the tracker or restore seeds/{SEED_NAME} from the repository.",
            path=str(path),
        )
    return path


def load(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> int:
    """Copy the seed file into ``methodology_events``; returns how many rows were new or changed."""
    source = path or seed_path()
    try:
        rows = con.execute(sql("load/upsert_methodology_events.sql"), {"path": str(source)}).fetchall()
    except duckdb.Error as exc:
        # DuckDB's CSV errors run to twenty lines; the first two say what and where
        detail = "; ".join([line.strip() for line in str(exc).splitlines() if line.strip()][:3])
        raise StoreError(
            f"cannot load methodology events from {source}: {detail}. Check the file has the header "
            "event_id,event_date,kind,arena,category,style_control,title,description,date_note,reference,leaderboard "
            "and ISO dates (YYYY-MM-DD).",
            path=str(source),
        ) from exc
    return int(rows[0][0]) if rows else 0
