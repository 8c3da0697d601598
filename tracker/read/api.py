"""The Python API for notebooks and scripts: the same sandboxed, read-only path as ``tracker sql`` and
``tracker model``, over the published read copy of a tracker home (or a Parquet lake set by
``TRACKER_LAKE``).

``tracker.sql``, ``tracker.query``, ``tracker.connect`` and ``tracker.model`` are these functions; ``home``
defaults to ``$TRACKER_HOME`` or ``./tracker-data``, as for the commands. Errors are the ``TrackerError``
family (``tracker.errors``): a refused statement or a bad parameter raises ``QueryError``, no published data
``StoreError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from tracker.config import Settings, load_settings
from tracker.read import connection, named_queries, story
from tracker.read import query as user_query


def _settings(home: str | Path | None) -> Settings:
    return load_settings(home=Path(home) if home is not None else None)


def sql(
    text: str, params: Mapping[str, object] | None = None, *, home: str | Path | None = None
) -> pl.DataFrame:
    """Run one read-only SQL statement over the documented views; ``$name`` placeholders take ``params``.

    Example: ``tracker.sql("select * from ranked where model = $m", {"m": "mai-1-preview"})``
    """
    return user_query.run_sql(_settings(home), text, dict(params) if params else None)


def query(name: str, *, home: str | Path | None = None, **params: object) -> pl.DataFrame:
    """Run a named query of ``sql/queries/`` (``tracker sql --list``) with typed, checked parameters.

    Values may be strings (as on the command line) or Python values (dates, numbers, booleans).
    Example: ``tracker.query("model_history", model="mai-1-preview", category="overall")``
    """
    raw = {key: _as_text(value) for key, value in params.items()}
    return named_queries.run(_settings(home), name, raw)


def connect(*, home: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only, hardened DuckDB connection to the read copy (no writes, no file or network access from
    SQL), for relations, ``.pl()`` and ``.df()``. Close it when done; it holds the copy it opened."""
    return connection.open_reader(_settings(home))


def model(name: str, *, home: str | Path | None = None) -> story.Story:
    """One model's story, as ``tracker model NAME`` tells it: the model it found, its boards, its biggest
    moves and its arenas (``Story``); ``tracker.read.story.sentences(story)`` gives the sentences."""
    return story.tell(_settings(home), name)


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
