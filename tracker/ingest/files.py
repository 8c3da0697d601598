"""Import local copies: walk files and folders, send each file through the pipeline, summarise.

Files are read in a stable order (sorted paths) so an import is reproducible; a folder walk skips files
that are not a leaderboard format (READMEs, indexes) and reports them, while a file named explicitly
must be readable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from tracker import frames, sources, store
from tracker.errors import TrackerError, UnknownFormatError
from tracker.ingest import pipeline
from tracker.sqlfiles import sql

SKIP_SUFFIXES = {".md", ".txt", ".py", ".lock", ".toml", ".yml", ".yaml"}


@dataclass(frozen=True)
class ImportItem:
    path: Path
    explicit: bool  # named on the command line, not found by walking a folder


def collect(paths: Iterable[Path]) -> list[ImportItem]:
    items: list[ImportItem] = []
    for path in paths:
        if path.is_dir():
            items += [
                ImportItem(p, False)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() not in SKIP_SUFFIXES and not p.name.startswith(".")
            ]
        elif path.exists():
            items.append(ImportItem(path, True))
        else:
            raise TrackerError(f"{path}: no such file or folder", path=str(path))
    return items


def new_by_board(con, since: datetime) -> pl.DataFrame:
    """Snapshots stored since ``since`` (one import's additions), counted per source and board."""
    return frames.to_polars(con.sql(sql("read/archive_new_snapshots.sql"), params={"since": since}))


def import_paths(
    w: store.Writer,
    paths: Iterable[Path],
    *,
    on_item: Callable[[ImportItem, pipeline.IngestResult | None], None] | None = None,
    job: str = "import",
    hints: dict | None = None,
) -> tuple[list[pipeline.IngestResult], list[Path]]:
    """Ingest every file; returns the results and the files skipped as not-a-leaderboard-format.

    ``hints`` (e.g. ``{"config": "text"}`` from ``--config``) apply to every file and override what its
    location says; they are kept in the stored origin (``path#config=text``) so a reparse reads the
    file the same way.
    """
    results, skipped = [], []
    with store.deferred_checkpoints(w):
        for item in collect(paths):
            _import_one(w, item, results, skipped, on_item=on_item, job=job, hints=hints)
    return results, skipped


def _import_one(w, item: ImportItem, results: list, skipped: list, *, on_item, job: str, hints) -> None:
    body = item.path.read_bytes()
    origin = sources.origin_with_hints(str(item.path), hints or {})
    hints_here = {**sources.hints_for_path(item.path), **(hints or {})}
    source = None
    if not item.explicit:
        try:
            source = sources.detect(body, origin, hints=hints_here).source
        except UnknownFormatError:
            skipped.append(item.path)
            if on_item:
                on_item(item, None)
            return
    result = pipeline.ingest(
        w,
        pipeline.Payload(body, origin, pipeline.utc_now(), source=source, hints=hints_here),
        job=job,
    )
    results.append(result)
    if on_item:
        on_item(item, result)
