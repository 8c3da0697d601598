"""Validation of a parsed standings frame before anything is stored.

Invariants: non-empty; required fields present; one row per model per snapshot; finite ratings;
rating_lower <= rating <= rating_upper where bounds exist; votes >= 0. The first broken row is
reported with its origin, row number (1-based, in payload order) and field, so the user can find it.

Every check runs in one pass over the frame (a full-history file is ~1.7 M rows); only when one fails is
the frame searched again for the first row that breaks it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl

from tracker.errors import ValidationError
from tracker.parsed import STANDINGS_SCHEMA

REQUIRED = ("arena", "category", "style_control", "as_of", "model_key", "rating")
SNAPSHOT_KEY = ("arena", "category", "style_control", "as_of")


def _checks(frame: pl.DataFrame) -> list[tuple[str, pl.Expr, str]]:
    """(field, expression true on a bad row, what is wrong), in the order they are reported."""
    checks = []
    for name in REQUIRED:
        missing = pl.col(name).is_null()
        if frame.schema[name] == pl.Utf8:  # an empty text is as missing as a null (other types cannot be "")
            missing = missing | (pl.col(name) == "")
        checks.append((name, missing, "required value is missing"))
    checks += [
        ("rating", ~pl.col("rating").is_finite(), "rating is not a finite number"),
        ("rating_lower", ~pl.col("rating_lower").is_finite(), "rating_lower is not a finite number"),
        ("rating_upper", ~pl.col("rating_upper").is_finite(), "rating_upper is not a finite number"),
        ("rating_lower", pl.col("rating_lower") > pl.col("rating"), "rating_lower is above the rating"),
        ("rating_upper", pl.col("rating_upper") < pl.col("rating"), "rating_upper is below the rating"),
        ("votes", pl.col("votes") < 0, "votes is negative"),
        ("rank_published", pl.col("rank_published") < 1, "published rank is below 1"),
    ]
    return [(field, bad.fill_null(False), detail) for field, bad, detail in checks]


def _first_bad(frame: pl.DataFrame, bad: pl.Expr) -> tuple[int, str]:
    hit = frame.select(bad.arg_true().first().alias("_row")).item()
    return int(hit) + 1, str(frame["model_key"][int(hit)])


# a board may be dated a little after its fetch (a publish date in a time zone ahead of UTC), not more
FUTURE_TOLERANCE = timedelta(days=2)


def validate(frame: pl.DataFrame, origin: str, *, fetched_at: datetime | None = None) -> pl.DataFrame:
    """Return the frame unchanged if it is valid; raise ValidationError naming the first bad row. With
    ``fetched_at``, a board dated more than FUTURE_TOLERANCE after it was fetched is refused too (a wrong
    date in a file name would otherwise become every board's newest snapshot)."""
    if list(frame.schema.keys()) != list(STANDINGS_SCHEMA):
        raise ValidationError(origin, f"columns {list(frame.columns)} are not the canonical schema")
    if frame.is_empty():
        raise ValidationError(origin, "the board is empty (no rows)")
    checks = _checks(frame)
    # a board dated after its fetch (never, when not asked): in the same select, one pass over the frame
    future = pl.col("as_of") > fetched_at + FUTURE_TOLERANCE if fetched_at is not None else pl.lit(False)
    *failed, dated_later = frame.select(
        *(bad.any().alias(str(i)) for i, (_, bad, _) in enumerate(checks)), future.any().alias("future")
    ).row(0)
    for (field, bad, detail), hit in zip(checks, failed, strict=True):
        if hit:
            row, model = _first_bad(frame, bad)
            raise ValidationError(origin, f"{detail} (model {model!r})", row=row, field=field)
    # one row per model and snapshot: checked as counts (one hash pass), the culprit found only when it fails
    key = pl.struct([*SNAPSHOT_KEY, "model_key"])
    if frame.select(key.n_unique()).item() != frame.height:
        row, model = _first_bad(frame, key.is_duplicated())
        raise ValidationError(
            origin, f"model {model!r} appears more than once on one board", row=row, field="model_key"
        )
    if dated_later:
        row, model = _first_bad(frame, future)
        day = frame["as_of"][row - 1].date()
        raise ValidationError(
            origin,
            f"dated {day}, after it was fetched ({fetched_at.date()}): a leaderboard cannot come from the "
            f"future (a wrong date in the file name?) (model {model!r})",
            row=row,
            field="as_of",
        )
    return frame
