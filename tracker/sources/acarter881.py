"""Source ``acarter881``: structured snapshots from acarter881/LLM-Leaderboard's HTML-table scraper.

Upstream: ``https://raw.githubusercontent.com/acarter881/LLM-Leaderboard/main/.github/state/
structured_snapshot.json`` (each version = one scrape of https://arena.ai/leaderboard/text/
overall-no-style-control, 2026-02).

Format: ``{timestamp, leaderboard_date ("Feb 11, 2026"), total_models, total_votes, models: [{rank,
rank_spread_raw ("lo hi"), model_url, model_name, organization, license, score (int), ci (± int),
is_preliminary, votes}]}``. Board: text, overall, raw. ``rank`` is the 2026 site's ordinal position;
``rank_spread_raw`` the rank spread (kept in ``extra``). ``model_name`` is the shown name (no key).
As-of: the page's "last updated" date (``leaderboard_date``), else the capture ``timestamp``.

Quirks: the scraper concatenates the provider icon's text with the organisation, giving doubled text
such as "Anthropic  Anthropic" or "Azure  Microsoft" (two spaces): the organisation is the last part.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl

from tracker.errors import ParseError
from tracker.parsed import AsOfKind, conform, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "acarter881"

_REQUIRED = ("model_name", "score")


def sniff(body: bytes, origin: str) -> bool:
    head = body[:4096].lstrip()
    return head.startswith(b"{") and b'"leaderboard_date"' in head and b'"rank_spread_raw"' in body[:65536]


def _load(body: bytes, origin: str) -> dict:
    data = af.load_json(body, origin)
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise ParseError(origin, "no 'models' list at the top level", field="models")
    return data


def _as_of(data: dict, fetched_at: datetime, origin: str) -> tuple[datetime, AsOfKind]:
    shown = data.get("leaderboard_date")
    if shown:
        for pattern in ("%b %d, %Y", "%B %d, %Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(str(shown).strip(), pattern).replace(tzinfo=UTC), "publish_date"
            except ValueError:
                continue
        raise ParseError(
            origin, f"leaderboard_date {shown!r} is not a date like 'Feb 11, 2026'", field="leaderboard_date"
        )
    captured = data.get("timestamp")
    if captured:
        try:
            return datetime.fromisoformat(str(captured).replace("Z", "+00:00")).astimezone(
                UTC
            ), "capture_time"
        except (ValueError, OverflowError):
            raise ParseError(
                origin, f"timestamp {captured!r} is not an ISO time", field="timestamp"
            ) from None
    return fetched_at.astimezone(UTC), "capture_time"


def _number(value, origin: str, row: int, field: str, *, required: bool = False) -> float | None:
    if value is None or value == "":
        if required:
            raise ParseError(origin, "required value is missing", row=row, field=field)
        return None
    if isinstance(value, bool):
        raise ParseError(origin, f"{value!r} is not a number", row=row, field=field)
    if isinstance(value, int | float):
        return af.number_value(value, origin, row=row, field=field)
    try:
        return float(str(value).replace(",", "").replace("±", "").strip())
    except ValueError:
        raise ParseError(origin, f"{str(value)[:60]!r} is not a number", row=row, field=field) from None


def _extra(fields: dict, origin: str, row: int) -> str | None:
    """Fields without a column as JSON text, non-ASCII kept as is; a lone surrogate names its field."""
    if not fields:
        return None
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        for key in sorted(fields):
            shown = key.encode("utf-8", "backslashreplace").decode()  # the key itself may be the bad text
            af.text_value(json.dumps({key: fields[key]}, ensure_ascii=False), origin, row=row, field=shown)
    return text


def organisation(raw) -> str | None:
    """The organisation from the scraper's doubled text ("Azure  Microsoft" -> "Microsoft")."""
    if raw is None:
        return None
    parts = [part.strip() for part in str(raw).split("  ") if part.strip()]
    return parts[-1] if parts else None


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    data = _load(body, origin)
    as_of, kind = _as_of(data, fetched_at, origin)
    rows = []
    for index, model in enumerate(data["models"], start=1):
        if not isinstance(model, dict):
            raise ParseError(origin, f"entry is {type(model).__name__}, not an object", row=index)
        for field in _REQUIRED:
            if model.get(field) in (None, ""):
                raise ParseError(origin, "required value is missing", row=index, field=field)
        rating = _number(model["score"], origin, index, "score", required=True)
        ci = _number(model.get("ci"), origin, index, "ci")
        rank = af.whole_value(
            _number(model.get("rank"), origin, index, "rank"), origin, row=index, field="rank", limit=2**31
        )
        votes = af.whole_value(
            _number(model.get("votes"), origin, index, "votes"), origin, row=index, field="votes"
        )
        name = af.text_value(model["model_name"], origin, row=index, field="model_name")
        raw_org = af.text_value(model.get("organization"), origin, row=index, field="organization")
        extra = {
            k: v
            for k, v in model.items()
            if k not in ("model_name", "organization", "license", "score", "ci", "votes", "rank")
        }
        if organisation(raw_org) != raw_org:
            extra["organization_raw"] = raw_org
        rows.append(
            {
                "model_key": name,
                "display_name": name,
                "organization": organisation(raw_org),
                "license": af.text_value(model.get("license"), origin, row=index, field="license") or None,
                "rating": rating,
                "rating_lower": None if ci is None else rating - ci,
                "rating_upper": None if ci is None else rating + ci,
                "votes": votes,
                "rank_published": rank,
                "extra": _extra(extra, origin, index),
            }
        )
    if not rows:
        raise ParseError(origin, "the snapshot lists no models", field="models")
    frame = pl.from_dicts(rows, infer_schema_length=None).with_columns(
        normalise_key(),
        arena=pl.lit("text"),
        category=pl.lit("overall"),
        style_control=pl.lit(False),
        as_of=pl.lit(as_of),
        as_of_kind=pl.lit(kind),
        rank_meaning=pl.lit("ordinal"),
    )
    return conform(frame)


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse)
