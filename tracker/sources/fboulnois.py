"""Source ``fboulnois``: the community CSV renders of the Space's pickles (fboulnois/llm-leaderboard-csv).

Upstream: ``https://raw.githubusercontent.com/fboulnois/llm-leaderboard-csv/main/csv/lmsys.csv`` (text,
2024-06 .. 2025-07) and ``csv/lmarena_{text,vision,image}.csv`` (2025-07 .. 2025-08); every historic version
is one commit, saved offline as ``lmsys_YYYY-MM-DD.csv`` / ``lmarena_text_YYYY-MM-DD.csv`` (date = the
pickle's data version, i.e. the publish date).

Format: ``rank,[rank_stylectrl,]model,arena_score|arena_elo,95_pct_ci,votes,organization,license,
knowledge_cutoff,url``; ``model`` is the display name (no key), ``arena_score`` an integer, the CI
"+a/-b". The board is the raw (no style control) overall board of the file's arena.

Rank meaning differs by file family: in ``lmsys*.csv`` ``rank`` is Rank (UB) and ``rank_stylectrl`` the
style-controlled board's rank; in ``lmarena_*.csv`` ``rank`` is the ordinal position and
``rank_stylectrl`` is mislabelled: it holds the same (raw) board's Rank (UB). Both are kept in ``extra``
under honest names (``rank_style_control_ub`` / ``rank_ub_published``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import PurePath

import polars as pl

from tracker.errors import ParseError
from tracker.parsed import conform, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "fboulnois"

_NAME = re.compile(r"^(lmsys|lmarena_(text|vision|image))(?:_(\d{4}-\d\d-\d\d))?\.csv$", re.IGNORECASE)
_ARENAS = {"text": "text", "vision": "vision", "image": "text_to_image"}
_BASE = ["rank", "model", "95_pct_ci", "votes", "organization", "license"]


def sniff(body: bytes, origin: str) -> bool:
    cells = af.header(body)
    return (
        bool(cells)
        and cells[0] == "rank"
        and all(c in cells for c in _BASE)
        and ("arena_score" in cells or "arena_elo" in cells)
    )


def _family(origin: str, hints: dict | None) -> tuple[str, str | None]:
    """('lmsys' | 'lmarena', arena) from hints or the file name."""
    hints = hints or {}
    match = _NAME.match(af.file_name(origin))
    family = hints.get("family") or (match[1].split("_")[0].lower() if match else None)
    arena = hints.get("arena") or (_ARENAS[match[2].lower()] if match and match[2] else None)
    return family or "lmsys", arena or "text"


def hints_for_path(path) -> dict:
    match = _NAME.match(PurePath(path).name)
    if not match:
        return {}
    hints = {"family": match[1].split("_")[0].lower()}
    if match[2]:
        hints["arena"] = _ARENAS[match[2].lower()]
    if match[3]:
        hints["as_of"] = match[3]
    return hints


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    frame = af.read_csv_text(body, origin)
    score = "arena_score" if "arena_score" in frame.columns else "arena_elo"
    missing = [c for c in [*_BASE, score] if c not in frame.columns]
    if missing:
        raise ParseError(origin, f"missing column(s) {missing}", field=missing[0])
    family, arena = _family(origin, hints)
    day = af.hinted_date(origin, hints)
    as_of, kind = (
        (af.midnight_utc(day), "publish_date") if day else (fetched_at.astimezone(UTC), "capture_time")
    )
    frame = frame.with_columns(
        af.number(score).alias("rating"),
        af.number("votes").alias("votes_n"),
        af.number("rank").alias("rank_n"),
    )
    af.check_numbers(frame, origin, score, "rating")
    af.check_numbers(frame, origin, "votes", "votes_n")
    af.check_numbers(frame, origin, "rank", "rank_n")
    frame = frame.with_columns(*af.ci_bounds("95_pct_ci"))
    af.check_ci(frame, origin, "95_pct_ci")
    second = "rank_ub_published" if family == "lmarena" else "rank_style_control_ub"
    if "rank_stylectrl" in frame.columns:
        frame = frame.with_columns(af.number("rank_stylectrl").cast(pl.Int64).alias(second))
    known = {*_BASE, score, "rank_stylectrl", "rating", "votes_n", "rank_n", "rating_lower", "rating_upper"}
    extra = [c for c in frame.columns if c not in known]
    rows = frame.select(
        af.text("model").alias("model_key"),
        af.text("model").alias("display_name"),
        af.text("organization").alias("organization"),
        af.text("license").alias("license"),
        "rating",
        "rating_lower",
        "rating_upper",
        pl.col("votes_n").alias("votes"),
        pl.col("rank_n").alias("rank_published"),
        af.extra_json(extra),
    ).with_columns(
        normalise_key(),
        arena=pl.lit(arena),
        category=pl.lit("overall"),
        style_control=pl.lit(False),
        as_of=pl.lit(as_of),
        as_of_kind=pl.lit(kind),
        rank_meaning=pl.lit("ordinal" if family == "lmarena" else "ub"),
    )
    return conform(af.deduplicate(rows))


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse, hints_for_path=hints_for_path)
