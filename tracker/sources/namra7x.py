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
(``hailuo-02-standard`` is both the text-to-video and the image-to-video model).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl

from tracker.errors import ParseError
from tracker.schema import empty_standings
from tracker.sources import archive_fields as af

SOURCE = "namra7x"


def sniff(body: bytes, origin: str) -> bool:
    head = body[:8192]
    return (
        head.lstrip().startswith(b"{")
        and b'"publicName"' in head
        and b'"rankByModality"' in head
        and b'"capabilities"' in head
    )


def _entries(body: bytes, origin: str) -> list[dict]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(origin, f"not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("initialModels"), list | dict):
        data = data["initialModels"]
    entries = list(data.values()) if isinstance(data, dict) else data
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ParseError(origin, "expected an object of registry entries keyed by model id")
    return entries


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    """A registry has no ratings: no standings (its identity rows come from ``parse_identity``)."""
    _entries(body, origin)
    return empty_standings()


def parse_identity(
    body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
) -> pl.DataFrame:
    entries = _entries(body, origin)
    day = af.hinted_date(origin, hints)
    as_of = af.midnight_utc(day) if day else fetched_at.astimezone(UTC)
    rows = []
    for index, entry in enumerate(entries, start=1):
        shown = entry.get("publicName") or entry.get("displayName") or entry.get("name")
        if not shown:
            raise ParseError(
                origin, "registry entry has neither name nor publicName", row=index, field="name"
            )
        rows.append(
            {
                "model_key": str(shown),
                "display_name": str(shown),
                "organization": entry.get("organization") or None,
                "keyed": False,
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
    return pl.from_dicts(rows, infer_schema_length=None).with_columns(as_of=pl.lit(as_of))
