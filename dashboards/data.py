"""Cached reads for the dashboard: the only module of ``dashboards/`` that touches the data.

Sits at the end of the flow (store -> read copy -> views -> here -> pages). Every read runs a SQL file
from ``sql/read/`` (or a user's query) through ``tracker.query``, on the process's one shared hardened
read-only connection to the published read copy (or the Parquet lake; ``tracker.read.readers``). Holding it
never blocks the writer, which swaps in a new copy by renaming a new file over the old one; the next read
after a publish opens the new copy and the old one is closed. Results are cached with ``st.cache_data``
keyed on the data's modification time, so a publish shows up on the next rerun and an unchanged file is
never queried twice for the same question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
import streamlit as st

from tracker.config import Settings, load_settings
from tracker.errors import StoreError
from tracker.poll import status as poll_status
from tracker.read import query, story
from tracker.sqlfiles import sql

# Enough for every page's reads on a few boards; old versions fall out as the data file changes.
_CACHE_ENTRIES = 512


@dataclass(frozen=True)
class DataSource:
    """Where the dashboard reads from and the version (modification time) that keys the cache."""

    settings: Settings
    path: Path  # the read copy, or the lake folder
    version: int  # st_mtime_ns of the read copy, or the newest file of the lake; 0 when absent

    @property
    def is_lake(self) -> bool:
        return self.settings.lake is not None

    @property
    def exists(self) -> bool:
        return self.version > 0

    @property
    def published_at(self) -> datetime | None:
        return datetime.fromtimestamp(self.version / 1e9).astimezone() if self.version else None


def settings() -> Settings:
    """The tracker's settings: ``TRACKER_HOME`` / ``TRACKER_LAKE`` from the environment, as for the CLI."""
    return load_settings()


def source(current: Settings | None = None) -> DataSource:
    s = current or settings()
    path = s.lake if s.lake is not None else s.read_copy_path
    return DataSource(s, path, _version(path))


def _version(path: Path) -> int:
    try:
        if path.is_dir():
            return max((f.stat().st_mtime_ns for f in path.rglob("*") if f.is_file()), default=0)
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        # the writer swaps the read copy with os.replace; a stat racing the swap sees no file for a moment
        return 0


def require_data(src: DataSource) -> None:
    """Raise the reader's own StoreError (which says how to load data) when nothing is published yet."""
    if not src.exists:
        where = "lake" if src.is_lake else "read copy"
        raise StoreError(
            f"no published data: the {where} {src.path} does not exist yet. Run `tracker init` (loads the "
            "bundled seeds), `tracker import PATH` or `tracker up`, then reload this page.",
            path=str(src.path),
        )


def _freeze(value: object) -> object:
    # st.cache_data hashes arguments; tuples keep lists hashable and are turned back into lists for DuckDB
    return tuple(value) if isinstance(value, list | tuple) else value


def _thaw(params: tuple[tuple[str, object], ...]) -> dict[str, object]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params}


@st.cache_data(show_spinner=False, max_entries=_CACHE_ENTRIES)
def _cached(version: int, home: str, lake: str | None, text: str, params: tuple) -> pl.DataFrame:
    # version is only part of the key: a new publish changes it, so the next call reads the new file
    s = load_settings(home=Path(home), lake=Path(lake) if lake else None)
    return query.run_sql(s, text, _thaw(params) or None)


def run(text: str, params: dict[str, object] | None = None, *, src: DataSource | None = None) -> pl.DataFrame:
    """Run SQL text (a user's query or a named query) read-only, cached until the data changes."""
    src = src or source()
    require_data(src)
    frozen = tuple(sorted((k, _freeze(v)) for k, v in (params or {}).items()))
    lake = str(src.settings.lake) if src.settings.lake is not None else None
    return _cached(src.version, str(src.settings.home), lake, text, frozen)


def read(path: str, src: DataSource | None = None, **params: object) -> pl.DataFrame:
    """Run one of the dashboard's statements (its path under ``sql/``, e.g. ``read/dashboard_models.sql``)
    with its bind parameters."""
    return run(sql(path), params, src=src)


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_story(version: int, home: str, lake: str | None, model: str) -> story.Story:
    s = load_settings(home=Path(home), lake=Path(lake) if lake else None)
    return story.tell(s, model)


def model_story(model: str, src: DataSource | None = None) -> story.Story:
    """A model's story as ``tracker model`` tells it (``tracker.read.story``: the same named queries), cached
    until the data changes."""
    src = src or source()
    require_data(src)
    lake = str(src.settings.lake) if src.settings.lake is not None else None
    return _cached_story(src.version, str(src.settings.home), lake, model)


@st.cache_data(show_spinner=False, max_entries=8, ttl=60)
def _cached_status(
    version: int, state_version: int, status_version: int, home: str
) -> poll_status.StatusReport:
    # ttl: the report says whether the scheduler's process is alive, which no file time reflects
    return poll_status.status_report(load_settings(home=Path(home)))


def status(src: DataSource | None = None) -> poll_status.StatusReport:
    """What ``tracker status`` shows (sources with their next poll, jobs, boards, a scheduler note), cached
    until the read copy, the scheduler's state file or the status files (written after every fetch) change.
    Needs the database's fetch log, so not on a lake."""
    src = src or source()
    require_data(src)
    state = poll_status.state_path(src.settings)
    status_files = _version(poll_status.status_files(src.settings))
    return _cached_status(src.version, _version(state), status_files, str(src.settings.home))


def file_size(path: Path) -> int | None:
    """Bytes on disk of a file, or of every file under a folder (a lake); None when absent."""
    try:
        if path.is_dir():
            return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        return path.stat().st_size
    except FileNotFoundError:
        return None


def clear() -> None:
    """Forget every cached result (tests; a user can also press C in the app)."""
    _cached.clear()
    _cached_story.clear()
    _cached_status.clear()


def as_date(value: object) -> date | None:
    """A polars/DuckDB date or datetime cell as a ``date`` (None stays None)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
