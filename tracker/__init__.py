"""Leaderboard Tracker: a client and history store for LMArena-style leaderboards.

For notebooks and scripts::

    import tracker
    tracker.sql("select * from ranked where model = $m", {"m": "mai-1-preview"})   # a polars DataFrame
    tracker.query("model_history", model="mai-1-preview")                           # a named query
    tracker.connect()                                                               # read-only DuckDB
    tracker.model("mai-1-preview")                                                  # the model's story

Importing ``tracker`` is cheap: the API and its dependencies (DuckDB, polars) load on first use.
Data flows one way: fetch -> parse -> validate -> store (DuckDB, SQL from ``sql/``) -> views -> dashboard;
docs/architecture.md shows which package owns which stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.errors import ConfigError, FetchError, QueryError, StoreError, TrackerError

if TYPE_CHECKING:
    from tracker.read.api import connect, model, query, sql

__all__ = [
    "ConfigError",
    "FetchError",
    "QueryError",
    "StoreError",
    "TrackerError",
    "__version__",
    "connect",
    "model",
    "query",
    "sql",
]

_API = ("sql", "query", "connect", "model")


def __getattr__(name: str):
    # the API loads DuckDB and polars, the version importlib.metadata: `import tracker` (and so every
    # command's start) pays for none of them
    if name in _API:
        from tracker.read import api

        return getattr(api, name)
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'tracker' has no attribute {name!r}")


def _version() -> str:
    """The installed distribution's version, the one source of truth (pyproject.toml's ``version``)."""
    from importlib import metadata

    try:
        return metadata.version("leaderboard-tracker")
    except metadata.PackageNotFoundError:  # a copy of the sources that was never installed
        return "0+unknown"
