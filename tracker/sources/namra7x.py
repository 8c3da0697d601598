"""Source ``namra7x``: the arena site's model registry, as saved by Namra7-x/lmarena-tracker.

Upstream: ``https://raw.githubusercontent.com/Namra7-x/lmarena-tracker/main/snapshot.json`` (the site's
``initialModels`` list, keyed by model UUID).

Format: ``{uuid: {id, name, publicName, displayName, organization, provider, capabilities,
rankByModality, userSelectable}}``. Not a board (no ratings): identity only. ``publicName`` is the name
the boards show, ``organization`` a lower-case slug (``microsoft-ai``, ``inception-ai``). ``parse``
returns no standings; ``parse_identity`` returns one sighting per entry: the shown name with its
organisation, so boards that show that name get a canonical organisation.

Quirks: ``name`` is an internal routing name, not the leaderboard key (``claude-opus-4-7-vertex`` for the
board's ``claude-opus-4-7``, ``andwise-evfd`` for a codename), so it is kept in ``extra`` only and the
sightings are not keyed (they teach no aliases). Two entries can share a shown name
(``hailuo-02-standard`` is both the text-to-video and the image-to-video model). An empty registry is a
ParseError (it is never a real upstream state), and a shown name or organisation that is not text names
its entry and field.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl

from tracker.errors import ParseError
from tracker.parsed import empty_standings
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "namra7x"
_SCHEMA = {
    "model_key": pl.Utf8,
    "display_name": pl.Utf8,
    "organization": pl.Utf8,
    "keyed": pl.Boolean,
    "extra": pl.Utf8,
}


def sniff(body: bytes, origin: str) -> bool:
    head = body[:8192]
    return (
        head.lstrip().startswith(b"{")
        and b'"publicName"' in head
        and b'"rankByModality"' in head
        and b'"capabilities"' in head
    )


def _entries(body: bytes, origin: str) -> list[dict]:
    data = af.load_json(body, origin)
    if isinstance(data, dict) and isinstance(data.get("initialModels"), list | dict):
        data = data["initialModels"]
    entries = list(data.values()) if isinstance(data, dict) else data
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ParseError(origin, "expected an object of registry entries keyed by model id")
    if not entries:
        raise ParseError(origin, "the registry lists no models: check the file is the site's model list")
    return entries


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    """A registry has no ratings: no standings (its identity rows come from ``parse_identity``)."""
    _entries(body, origin)
    return empty_standings()


def _shown(entry: dict, origin: str, row: int) -> str:
    """The name the boards show: the first of publicName, displayName, name that is set."""
    for field in ("publicName", "displayName", "name"):
        if shown := af.text_value(entry.get(field), origin, row=row, field=field):
            return shown
    raise ParseError(origin, "registry entry has neither name nor publicName", row=row, field="name")


def parse_identity(
    body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
) -> pl.DataFrame:
    entries = _entries(body, origin)
    day = af.hinted_date(origin, hints)
    as_of = af.midnight_utc(day) if day else fetched_at.astimezone(UTC)
    rows = []
    for index, entry in enumerate(entries, start=1):
        shown = _shown(entry, origin, index)
        rows.append(
            {
                "model_key": shown,
                "display_name": shown,
                "organization": af.text_value(
                    entry.get("organization"), origin, row=index, field="organization"
                )
                or None,
                "keyed": False,
                # ensure_ascii (the default) escapes any lone surrogate, so the JSON text is always storable
                "extra": json.dumps(
                    {
                        k: entry.get(k)
                        for k in ("id", "name", "provider", "displayName")
                        if entry.get(k) is not None
                    },
                    sort_keys=True,
                ),
            }
        )
    return pl.from_dicts(rows, schema=_SCHEMA).with_columns(as_of=pl.lit(as_of))


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse, parse_identity=parse_identity)
