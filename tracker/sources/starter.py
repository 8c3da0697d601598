"""Format ``starter``: the bundled starter history in ``seeds/history/<source>.parquet``.

Each file is the tracker's own export (``tracker build-starter``) of one upstream source's
standings in the canonical schema, tagged in the Parquet key-value metadata with
``tracker_format=starter`` and the upstream ``source``; loading one stores its snapshots under that
upstream source, so ``rank_history`` names where each figure came from.
"""

from __future__ import annotations

import io
from datetime import datetime

import polars as pl

from tracker.errors import ParseError
from tracker.parsed import STANDINGS_SCHEMA, conform
from tracker.ranks import RANK_COLUMNS
from tracker.sources.format import SourceFormat

SOURCE = "starter"
MARKER = b"leaderboard-tracker-starter"


def _metadata(body: bytes) -> dict[str, str]:
    try:
        return pl.read_parquet_metadata(io.BytesIO(body))
    except Exception:  # not a readable Parquet footer: not this format
        return {}


def sniff(body: bytes, origin: str) -> bool:
    return (
        body[:4] == b"PAR1"
        and body[-4:] == b"PAR1"
        and _metadata(body).get("tracker_format") == MARKER.decode()
    )


def source_of(body: bytes, origin: str) -> str:
    """The upstream source the file's rows came from (stored as the snapshots' source)."""
    source = _metadata(body).get("source", "")
    if not source:
        raise ParseError(origin, "starter file has no 'source' in its Parquet metadata")
    return source


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(body))
    except Exception as exc:
        raise ParseError(origin, f"unreadable Parquet: {exc}") from None
    # files built before the leaderboard column hold LMArena's boards only: conform fills it
    optional = {*RANK_COLUMNS, "leaderboard"}
    missing = sorted(set(STANDINGS_SCHEMA) - optional - set(frame.columns))
    if missing:
        raise ParseError(origin, f"starter file lacks columns {missing}")
    # the tracker's ranks are the store's to compute, whatever the file carries
    return conform(frame.drop(RANK_COLUMNS, strict=False))


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse, upstream=source_of)
