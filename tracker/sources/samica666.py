"""Source ``samica666``: daily live-site extracts from Samica666/artificial-analysis-leaderboards.

Upstream: ``https://raw.githubusercontent.com/Samica666/artificial-analysis-leaderboards/main/data/
YYYY-MM-DD/lmarena.json`` (saved offline as ``lmarena_YYYY-MM-DD.json``), 2026-07 .. 2026-08.

Format: ``{meta: {endpoint: "lmarena-text-arena", source_urls: {category: url}, fetched_at, ...},
categories: {category: [{rank, model_key, model_display_name, organization, elo, elo_upper, elo_lower,
votes}]}}``: RSC extracts of the text arena's category pages. A page URL without
``-no-style-control`` is the site default, style control on; ``rank`` is the 2026 ordinal position.
As-of: ``meta.fetched_at`` (a capture time: the extract keeps no vote cutoff).

Quirks: keys and display names differ (``claude-fable-5-text`` shown as ``claude-fable-5``): both kept,
the display name becomes a learned alias of the key.
"""

from __future__ import annotations

import json
from datetime import datetime

import polars as pl

from tracker.boards import page_slug_board
from tracker.errors import ParseError
from tracker.parsed import conform, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "samica666"

_FIELDS = {
    "model_key": "model_key",
    "display_name": "model_display_name",
    "organization": "organization",
    "rating": "elo",
    "rating_lower": "elo_lower",
    "rating_upper": "elo_upper",
    "votes": "votes",
    "rank_published": "rank",
}
_TEXT = ("model_key", "display_name", "organization")
_REQUIRED = ("model_key", "elo")


def sniff(body: bytes, origin: str) -> bool:
    head = body[:4096]
    return (
        head.lstrip().startswith(b"{") and b'"lmarena-text-arena"' in head and b'"categories"' in body[:65536]
    )


def _row(entry: object, category: str, index: int, origin: str) -> dict:
    """One entry's canonical values, each checked for its type before it goes into the frame."""
    if not isinstance(entry, dict):
        raise ParseError(
            origin,
            f"entry of {category!r} is {type(entry).__name__}, not an object",
            row=index,
            field=f"categories[{category!r}]",
        )
    for name in _REQUIRED:
        if entry.get(name) in (None, ""):
            raise ParseError(origin, f"required value is missing in {category!r}", row=index, field=name)
    row = {}
    for column, name in _FIELDS.items():
        if column in _TEXT:
            row[column] = af.text_value(entry.get(name), origin, row=index, field=name)
        else:
            row[column] = af.number_value(entry.get(name), origin, row=index, field=name)
    row["votes"] = af.whole_value(row["votes"], origin, row=index, field="votes")
    row["rank_published"] = af.whole_value(
        row["rank_published"], origin, row=index, field="rank", limit=2**31
    )
    extra = {k: v for k, v in entry.items() if k not in _FIELDS.values()}
    # ensure_ascii (the default) escapes any lone surrogate, so the JSON text is always storable
    row["extra"] = json.dumps(extra, sort_keys=True) if extra else None
    return row


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    data = af.load_json(body, origin)
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise ParseError(origin, "no 'categories' object at the top level", field="categories")
    meta = data.get("meta") or {}
    if not isinstance(meta, dict):
        raise ParseError(origin, f"'meta' is {type(meta).__name__}, not an object", field="meta")
    as_of = af.capture_time(meta, fetched_at, origin)  # the extract keeps no vote cutoff
    urls = meta.get("source_urls") or {}
    if not isinstance(urls, dict):
        raise ParseError(
            origin, f"'meta.source_urls' is {type(urls).__name__}, not an object", field="meta.source_urls"
        )
    rows = []
    for category, entries in data["categories"].items():
        url = af.text_value(urls.get(category), origin, row=None, field=f"meta.source_urls[{category!r}]")
        slug = (url or f"/leaderboard/text/{category}").rstrip("/").rsplit("/", 1)[-1]
        board = page_slug_board("text", slug, origin=origin)
        if not isinstance(entries, list):
            raise ParseError(
                origin, f"category {category!r} is not a list", field=f"categories[{category!r}]"
            )
        for index, entry in enumerate(entries, start=1):
            row = _row(entry, category, index, origin)
            row.update(arena=board.arena, category=board.category, style_control=board.style_control)
            rows.append(row)
    if not rows:
        raise ParseError(origin, "no entries in any category", field="categories")
    frame = pl.from_dicts(rows, infer_schema_length=None).with_columns(
        normalise_key(),
        as_of=pl.lit(as_of),
        as_of_kind=pl.lit("capture_time"),
        rank_meaning=pl.lit("ordinal"),
    )
    return conform(frame)


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse)
