"""Validation of a parsed standings frame before anything is stored.

Text first: every text column of every parsed frame (standings here, identity sightings through
``clean_text`` in ``pipeline.parse_checked``) loses its control characters. No standings text field holds
more than one line, so none keeps any: tab, newline and carriage return become a space, the rest of C0, DEL
and C1 (ESC, NUL, BEL, CSI ...) are removed, and a value that changed is trimmed. Upstream text can then never
drive a terminal that shows it (``tracker sql``, ``tracker models``).

Invariants: non-empty; required fields present; one row per model per snapshot; finite ratings within
the plausible range (``Bounds``: settings ``min_rating``, ``max_rating``, ``max_votes``);
rating_lower <= rating <= rating_upper where bounds exist; 0 <= votes <= max_votes. The first broken row is
reported with its origin, row number (1-based, in payload order), field and value, so the user can find it.

Every check runs in one pass over the frame (a full-history file is ~1.7 M rows); only when one fails is
the frame searched again for the first row that breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from tracker.config import Settings
from tracker.errors import ValidationError
from tracker.parsed import STANDINGS_SCHEMA

REQUIRED = ("leaderboard", "arena", "category", "style_control", "as_of", "model_key", "rating")
SNAPSHOT_KEY = ("leaderboard", "arena", "category", "style_control", "as_of")
# what no stored text keeps: every C0 control, DEL and every C1 control (0x80-0x9f)
_CONTROLS = r"[\x00-\x1f\x7f-\x9f]"
_LINE_BREAKS = r"[\t\n\r\x0b\x0c]+"


@dataclass(frozen=True)
class Bounds:
    """The plausible range of ratings (and their CI bounds) and of vote counts."""

    min_rating: float = Settings.min_rating
    max_rating: float = Settings.max_rating
    max_votes: int = Settings.max_votes

    @classmethod
    def of(cls, settings: Settings) -> Bounds:
        return cls(settings.min_rating, settings.max_rating, settings.max_votes)


def clean_text(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with no control character in any text column (see the module's docstring). One pass finds
    the columns holding any; only those are rewritten, and in them only the values holding one."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.Utf8]
    if not text or frame.is_empty():
        return frame
    hits = frame.select(pl.col(text).str.contains(_CONTROLS).any()).row(0, named=True)
    dirty = [name for name in text if hits[name]]
    if not dirty:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_CONTROLS))
        .then(
            pl.col(name).str.replace_all(_LINE_BREAKS, " ").str.replace_all(_CONTROLS, "").str.strip_chars()
        )
        .otherwise(pl.col(name))
        .alias(name)
        for name in dirty
    )


def _checks(frame: pl.DataFrame, bounds: Bounds) -> list[tuple[str, pl.Expr, str]]:
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
    ]
    for name in ("rating", "rating_lower", "rating_upper"):
        checks.append(
            (
                name,
                (pl.col(name) < bounds.min_rating) | (pl.col(name) > bounds.max_rating),
                f"{name} is outside the plausible range {bounds.min_rating:g} to {bounds.max_rating:g} "
                "(settings min_rating, max_rating)",
            )
        )
    checks += [
        ("rating_lower", pl.col("rating_lower") > pl.col("rating"), "rating_lower is above the rating"),
        ("rating_upper", pl.col("rating_upper") < pl.col("rating"), "rating_upper is below the rating"),
        ("votes", pl.col("votes") < 0, "votes is negative"),
        (
            "votes",
            pl.col("votes") > bounds.max_votes,
            f"votes is above the plausible {bounds.max_votes:,} (setting max_votes)",
        ),
        ("rank_published", pl.col("rank_published") < 1, "published rank is below 1"),
    ]
    return [(field, bad.fill_null(False), detail) for field, bad, detail in checks]


def _first_bad(frame: pl.DataFrame, bad: pl.Expr) -> tuple[int, str]:
    hit = frame.select(bad.arg_true().first().alias("_row")).item()
    return int(hit) + 1, str(frame["model_key"][int(hit)])


def _value(frame: pl.DataFrame, row: int, field: str) -> str:
    """The offending number as the message shows it (nothing for a missing or text value)."""
    value = frame[field][row - 1]
    if isinstance(value, float):
        return f" (value {value:.10g})"
    return f" (value {value})" if isinstance(value, int) and not isinstance(value, bool) else ""


# a board may be dated a little after its fetch (a publish date in a time zone ahead of UTC), not more
FUTURE_TOLERANCE = timedelta(days=2)


def validate(
    frame: pl.DataFrame, origin: str, *, fetched_at: datetime | None = None, bounds: Bounds | None = None
) -> pl.DataFrame:
    """Return the frame with its text cleaned (``clean_text``) if it is valid; raise ValidationError naming
    the first bad row. ``bounds`` are the plausible ranges (default: the settings' defaults). With
    ``fetched_at``, a board dated more than FUTURE_TOLERANCE after it was fetched is refused too (a wrong
    date in a file name would otherwise become every board's newest snapshot)."""
    if list(frame.schema.keys()) != list(STANDINGS_SCHEMA):
        raise ValidationError(origin, f"columns {list(frame.columns)} are not the canonical schema")
    if frame.is_empty():
        raise ValidationError(origin, "the board is empty (no rows)")
    frame = clean_text(frame)
    checks = _checks(frame, bounds or Bounds())
    # a board dated after its fetch (never, when not asked): in the same select, one pass over the frame
    future = pl.col("as_of") > fetched_at + FUTURE_TOLERANCE if fetched_at is not None else pl.lit(False)
    *failed, dated_later = frame.select(
        *(bad.any().alias(str(i)) for i, (_, bad, _) in enumerate(checks)), future.any().alias("future")
    ).row(0)
    for (field, bad, detail), hit in zip(checks, failed, strict=True):
        if hit:
            row, model = _first_bad(frame, bad)
            raise ValidationError(
                origin, f"{detail}{_value(frame, row, field)} (model {model!r})", row=row, field=field
            )
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
