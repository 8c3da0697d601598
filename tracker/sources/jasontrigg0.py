"""Source ``jasontrigg0``: the community history jasontrigg0/chatbot-arena-history.

Upstream: ``https://raw.githubusercontent.com/jasontrigg0/chatbot-arena-history/main/alltime.csv`` and
``key_to_model.csv``.

Formats:
- ``alltime.csv``: long table ``key,Model,rating,License,Organization,date``: one row per model per
  pickle date (``date`` = YYYYMMDD, 2023-05-08 .. 2025-03-26), so one file holds ~105 snapshots of the
  raw text overall board. Only the rating is published (no CI, votes or rank).
- ``key_to_model.csv``: ``key,Model,License,Organization``: the author's hand map for keys the Space's
  metadata tables never listed (the renamed 2023 keys: ``claude-v1``, ``gpt-4`` ...). Identity only.

Quirks: keys keep upstream case (``RWKV-4-Raven-14B``; normalised here); rows are duplicated where the
Space's metadata table listed a key twice (``yi-34b-chat``; identical, kept once).
``alltime_by_org.csv`` (per-organisation maxima) is derived, not a board, and is not claimed.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from tracker.errors import ParseError
from tracker.parsed import conform, empty_standings, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "jasontrigg0"

_ALLTIME = ["key", "Model", "rating", "License", "Organization", "date"]
_KEY_MAP = ["key", "Model", "License", "Organization"]


def sniff(body: bytes, origin: str) -> bool:
    return af.header(body) in (_ALLTIME, _KEY_MAP)


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    """alltime.csv -> one snapshot per date; key_to_model.csv -> no standings (identity only)."""
    frame = af.read_csv_text(body, origin)
    if frame.columns == _KEY_MAP:
        return empty_standings()
    if frame.columns != _ALLTIME:
        raise ParseError(origin, f"columns {frame.columns} are not {_ALLTIME}")
    frame = frame.with_columns(af.number("rating").alias("rating_n"), af.yyyymmdd("date").alias("as_of"))
    af.check_numbers(frame, origin, "rating", "rating_n")
    bad_date = frame.with_row_index("_row").filter(pl.col("as_of").is_null())
    if bad_date.height:
        raise ParseError(
            origin,
            f"{bad_date['date'][0]!r} is not a YYYYMMDD date",
            row=int(bad_date["_row"][0]) + 2,
            field="date",
        )
    rows = (
        frame.filter(pl.col("rating_n").is_not_null())
        .select(
            af.text("key").alias("model_key"),
            af.text("Model").alias("display_name"),
            af.text("Organization").alias("organization"),
            af.text("License").alias("license"),
            pl.col("rating_n").alias("rating"),
            "as_of",
        )
        .with_columns(normalise_key())
        .with_columns(
            arena=pl.lit("text"),
            category=pl.lit("overall"),
            style_control=pl.lit(False),
            as_of_kind=pl.lit("publish_date"),
            rank_meaning=pl.lit(None, pl.Utf8),
        )
    )
    return conform(af.deduplicate(rows))


def parse_identity(
    body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
) -> pl.DataFrame | None:
    """key_to_model.csv: key, display name, organisation and licence of each renamed key.

    alltime.csv needs no sightings (None): its standings carry the same key / display-name pairs.
    """
    frame = af.read_csv_text(body, origin)
    if frame.columns != _KEY_MAP:
        return None
    return frame.select(
        af.text("key").alias("model_key"),
        af.text("Model").alias("display_name"),
        af.text("Organization").alias("organization"),
        af.text("License").alias("license"),
        pl.lit(True).alias("keyed"),
    )


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse, parse_identity=parse_identity)
