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
from datetime import UTC, datetime

import polars as pl

from tracker.boards import page_slug_board
from tracker.errors import ParseError
from tracker.schema import conform, normalise_key

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
_REQUIRED = ("model_key", "elo")


def sniff(body: bytes, origin: str) -> bool:
    head = body[:4096]
    return (
        head.lstrip().startswith(b"{") and b'"lmarena-text-arena"' in head and b'"categories"' in body[:65536]
    )


def _as_of(meta: dict, fetched_at: datetime, origin: str) -> tuple[datetime, str]:
    value = meta.get("fetched_at")
    if not value:
        return fetched_at.astimezone(UTC), "capture_time"
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC), "capture_time"
    except ValueError:
        raise ParseError(
            origin, f"meta.fetched_at {value!r} is not an ISO time", field="meta.fetched_at"
        ) from None


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(origin, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise ParseError(origin, "no 'categories' object at the top level", field="categories")
    meta = data.get("meta") or {}
    as_of, kind = _as_of(meta, fetched_at, origin)
    urls = meta.get("source_urls") or {}
    rows = []
    for category, entries in data["categories"].items():
        slug = str(urls.get(category) or f"/leaderboard/text/{category}").rstrip("/").rsplit("/", 1)[-1]
        board = page_slug_board("text", slug, origin=origin)
        if not isinstance(entries, list):
            raise ParseError(origin, f"category {category!r} is not a list", field=f"categories.{category}")
        for index, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                raise ParseError(
                    origin, f"entry is {type(entry).__name__}, not an object", row=index, field=category
                )
            for name in _REQUIRED:
                if entry.get(name) in (None, ""):
                    raise ParseError(
                        origin, f"required value is missing in {category}", row=index, field=name
                    )
            row = {column: entry.get(name) for column, name in _FIELDS.items()}
            for column in ("rating", "rating_lower", "rating_upper", "votes", "rank_published"):
                value = row[column]
                if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                    raise ParseError(origin, f"{value!r} is not a number", row=index, field=_FIELDS[column])
            extra = {k: v for k, v in entry.items() if k not in _FIELDS.values()}
            row["extra"] = json.dumps(extra, sort_keys=True) if extra else None
            row.update(arena=board.arena, category=board.category, style_control=board.style_control)
            rows.append(row)
    if not rows:
        raise ParseError(origin, "no entries in any category", field="categories")
    frame = pl.from_dicts(rows, infer_schema_length=None).with_columns(
        normalise_key(),
        as_of=pl.lit(as_of),
        as_of_kind=pl.lit(kind),
        rank_meaning=pl.lit("ordinal"),
    )
    return conform(frame)
