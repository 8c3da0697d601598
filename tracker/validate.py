"""Validation of a parsed standings frame before anything is stored.

Invariants: non-empty; required fields present; one row per model per snapshot; finite ratings;
rating_lower <= rating <= rating_upper where bounds exist; votes >= 0. The first broken row is
reported with its origin, row number (1-based, in payload order) and field, so the user can find it.
"""

from __future__ import annotations

import polars as pl

from tracker.errors import ValidationError
from tracker.schema import STANDINGS_SCHEMA

REQUIRED = ("arena", "category", "style_control", "as_of", "model_key", "rating")
SNAPSHOT_KEY = ("arena", "category", "style_control", "as_of")


def _first_bad(frame: pl.DataFrame, bad: pl.Expr) -> tuple[int, str] | None:
    hit = frame.with_row_index("_row").filter(bad).select("_row", "model_key").head(1)
    if hit.is_empty():
        return None
    return int(hit["_row"][0]) + 1, str(hit["model_key"][0])


def validate(frame: pl.DataFrame, origin: str) -> pl.DataFrame:
    """Return the frame unchanged if it is valid; raise ValidationError naming the first bad row."""
    if list(frame.schema.keys()) != list(STANDINGS_SCHEMA):
        raise ValidationError(origin, f"columns {list(frame.columns)} are not the canonical schema")
    if frame.is_empty():
        raise ValidationError(origin, "the board is empty (no rows)")
    for name in REQUIRED:
        if (
            hit := _first_bad(frame, pl.col(name).is_null() | (pl.col(name).cast(pl.Utf8) == ""))
        ) is not None:
            raise ValidationError(
                origin, f"required value is missing (model {hit[1]!r})", row=hit[0], field=name
            )
    checks = [
        ("rating", ~pl.col("rating").is_finite(), "rating is not a finite number"),
        ("rating_lower", ~pl.col("rating_lower").is_finite(), "rating_lower is not a finite number"),
        ("rating_upper", ~pl.col("rating_upper").is_finite(), "rating_upper is not a finite number"),
        ("rating_lower", pl.col("rating_lower") > pl.col("rating"), "rating_lower is above the rating"),
        ("rating_upper", pl.col("rating_upper") < pl.col("rating"), "rating_upper is below the rating"),
        ("votes", pl.col("votes") < 0, "votes is negative"),
        ("rank_published", pl.col("rank_published") < 1, "published rank is below 1"),
    ]
    for field, bad, detail in checks:
        if (hit := _first_bad(frame, bad.fill_null(False))) is not None:
            raise ValidationError(origin, f"{detail} (model {hit[1]!r})", row=hit[0], field=field)
    duplicated = pl.struct([*SNAPSHOT_KEY, "model_key"]).is_duplicated()
    if (hit := _first_bad(frame, duplicated)) is not None:
        raise ValidationError(
            origin, f"model {hit[1]!r} appears more than once on one board", row=hit[0], field="model_key"
        )
    return frame
