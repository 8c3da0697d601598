"""The canonical standings frame every parser returns, and the helpers that build it.

One row per model per snapshot; a snapshot is (leaderboard, arena, category, style_control, as_of) of one
payload. ``leaderboard`` is the publisher and its ranking ("LMArena", "Artificial Analysis" or one a user
declares); a parser that leaves it null publishes LMArena's boards, as every archive format does.
``extra`` holds every upstream field the canonical columns do not cover, as JSON text, so nothing
the source published is lost. ``rank_meaning`` says what ``rank_published`` meant upstream:
``ub`` (Rank UB), ``ordinal`` (position by rating) or null (no rank published).
"""

from __future__ import annotations

from typing import Literal, get_args

import polars as pl

from tracker.boards import DEFAULT_LEADERBOARD

# What a snapshot's as_of is: the date the board says it was published, the vote cutoff it states, when it
# was fetched or captured (a board that carries no date), or the date of the archive commit it came from.
AsOfKind = Literal["publish_date", "vote_cutoff", "capture_time", "commit_date"]
RankMeaning = Literal["ub", "ordinal"]  # see the module docstring; null when no rank was published

STANDINGS_SCHEMA: dict[str, pl.DataType] = {
    "leaderboard": pl.Utf8(),
    "arena": pl.Utf8(),
    "category": pl.Utf8(),
    "style_control": pl.Boolean(),
    "as_of": pl.Datetime("us", "UTC"),
    "as_of_kind": pl.Utf8(),  # an AsOfKind
    "rank_meaning": pl.Utf8(),  # a RankMeaning, or null
    "model_key": pl.Utf8(),  # upstream key, normalised (lower case, trimmed)
    "display_name": pl.Utf8(),
    "organization": pl.Utf8(),
    "license": pl.Utf8(),
    "rating": pl.Float64(),
    "rating_lower": pl.Float64(),
    "rating_upper": pl.Float64(),
    "votes": pl.Int64(),
    "rank_published": pl.Int32(),
    "extra": pl.Utf8(),
    # the tracker's own ranks (tracker/ranks.py): left null by a parser, computed by the store's load; the
    # dataset parser fills them, as it needs them to tell what the published ranks mean
    "rank_ordinal": pl.Int32(),
    "rank_ub": pl.Int32(),
    "rank_lb": pl.Int32(),
}

AS_OF_KINDS: tuple[AsOfKind, ...] = get_args(AsOfKind)
RANK_MEANINGS: tuple[RankMeaning, ...] = get_args(RankMeaning)


def empty_standings() -> pl.DataFrame:
    return pl.DataFrame(schema=STANDINGS_SCHEMA)


def normalise_key(column: str = "model_key") -> pl.Expr:
    return pl.col(column).str.strip_chars().str.to_lowercase()


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Add missing optional columns as nulls, cast to the canonical types, order the columns."""
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in STANDINGS_SCHEMA.items()
        if name not in frame.columns
    ]
    frame = frame.with_columns(missing) if missing else frame
    frame = frame.with_columns(pl.col("leaderboard").fill_null(DEFAULT_LEADERBOARD))
    return frame.select(pl.col(name).cast(dtype, strict=False) for name, dtype in STANDINGS_SCHEMA.items())
