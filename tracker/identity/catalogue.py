"""Model and organisation identity: one canonical key per model across sources and eras.

Where it sits: after every load and before every publish (``refresh``), and in the views, which
resolve each stored ``standings.model_key`` through ``model_aliases`` and each organisation string
through ``org_aliases`` (sql/views/0010_standings_resolved.sql).

What feeds it, strongest first:
1. user overrides (``tracker alias``), rows of kind ``user``: never touched by a refresh;
2. the catalogue in ``seeds/`` (renames such as gpt-4 -> gpt-4-0314, organisations and their spellings,
   curated models with a family), loaded by ``tracker.seeds`` on every writer open and refresh;
3. what the data teaches (kind ``learned``): a source that publishes both a key and a display name
   (the official dataset, the Space's metadata tables, jasontrigg0, samica666 ...) maps that display
   name to the key, so a source that only shows display names (2023 CSVs, fboulnois, pages without
   ``modelKey``) lands on the same model. A display name is learned only when it is unambiguous (one
   canonical target) and is not itself a key some keyed source publishes.

Metadata-only files (the Space's 2024+ ``leaderboard_table`` CSVs, jasontrigg0's ``key_to_model.csv``,
the site registry) produce "sightings" (key, display name, organisation, licence) instead of standings;
formats return them from their ``parse_identity`` hook and the pipeline stores them in
``model_sightings`` in the same transaction as the payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from tracker import frames, seeds
from tracker.sqlfiles import sql

if TYPE_CHECKING:  # the store imports this module; it has no need to load every parser
    from tracker.sources.format import Format

SIGHTINGS_SCHEMA: dict[str, pl.DataType] = {
    "model_key": pl.Utf8(),  # normalised upstream key (the display name when the file has no key)
    "display_name": pl.Utf8(),
    "organization": pl.Utf8(),
    "license": pl.Utf8(),
    "knowledge_cutoff": pl.Utf8(),
    "url": pl.Utf8(),
    "as_of": pl.Datetime("us", "UTC"),
    "keyed": pl.Boolean(),  # the file publishes real keys (not display names standing in for keys)
    "extra": pl.Utf8(),
}

# Refresh order: organisations, then model aliases (seeds, learned, chains resolved), then models.
_REFRESH = (
    "load/identity_stage_observed.sql",
    "load/identity_stage_org_spellings.sql",
    "load/identity_clear_organizations.sql",
    "load/seed_organizations.sql",
    "load/identity_clear_org_aliases.sql",
    "load/seed_org_aliases.sql",
    "load/identity_learn_organizations.sql",
    "load/identity_learn_org_aliases.sql",
    "load/identity_clear_model_aliases.sql",
    "load/seed_model_aliases.sql",
    "load/identity_learn_model_aliases.sql",
    "load/identity_resolve_model_aliases.sql",
    "load/identity_clear_models.sql",
    "load/identity_insert_models.sql",
)


def empty_sightings() -> pl.DataFrame:
    return pl.DataFrame(schema=SIGHTINGS_SCHEMA)


def conform_sightings(frame: pl.DataFrame) -> pl.DataFrame:
    """Missing columns as nulls, canonical types and order, keys normalised, exact duplicates dropped."""
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in SIGHTINGS_SCHEMA.items()
        if name not in frame.columns
    ]
    frame = frame.with_columns(missing) if missing else frame
    frame = frame.select(pl.col(name).cast(dtype, strict=False) for name, dtype in SIGHTINGS_SCHEMA.items())
    return (
        frame.with_columns(pl.col("model_key").str.strip_chars().str.to_lowercase())
        .filter(pl.col("model_key").is_not_null() & (pl.col("model_key") != ""))
        .unique(maintain_order=True)
    )


def sightings_of(
    fmt: Format, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
) -> pl.DataFrame:
    """The identity rows a payload carries (empty when its format has none)."""
    found = fmt.parse_identity(body, origin, fetched_at=fetched_at, hints=hints)
    return empty_sightings() if found is None else conform_sightings(found)


def load_sightings(
    con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, *, source: str, payload_hash: str
) -> int:
    """Store a payload's sightings (inside the caller's transaction); a payload's rows are replaced."""
    con.execute(sql("load/identity_delete_sightings.sql"), {"payload_hash": payload_hash})
    if frame.is_empty():
        return 0
    with frames.registered(con, staged_sightings=frame):
        con.execute(
            sql("load/identity_insert_sightings.sql"), {"source": source, "payload_hash": payload_hash}
        )
    return frame.height


@dataclass(frozen=True)
class RefreshResult:
    models: int
    model_aliases: int
    organizations: int
    org_aliases: int


def refresh(con: duckdb.DuckDBPyConnection, *, seeds_dir: Path | None = None) -> RefreshResult:
    """Rebuild the identity tables from seeds, data and user overrides, in one transaction.

    Idempotent and set-based: running it twice gives the same tables; user rows are never changed.
    """
    with frames.registered(con, **seeds.read_all(seeds_dir)):
        con.execute("BEGIN TRANSACTION")
        try:
            for name in _REFRESH:
                con.execute(sql(name))
            counts = con.execute(sql("read/identity_counts.sql")).fetchall()[0]
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return RefreshResult(*(int(c) for c in counts))
