"""Source ``artificial-analysis``: the preference arenas of Artificial Analysis, a second publisher.

Upstream: ``https://artificialanalysis.ai/api/{text-to-speech,text-to-image,text-to-video}/arena/preferences``
(JSON). The image arena's URL with ``?supports_image_input=true`` is image editing, the video arena's with
``?supports-image-input=true`` image-to-video (the two spell the parameter differently). Daily copies:
``Samica666/artificial-analysis-leaderboards``, ``data/DATE/{text-to-speech,text-to-image,image-editing,
text-to-video,image-to-video}.json``.

Format: one arena, one moment per payload. The copies are ``{meta: {endpoint, source_url, model_count,
fetched_at, ...}, models: [{slug, name, creator: {name}, release_date, elo, ci95: "-17/+17", appearances,
rank, wins, win_rate, is_current, ..., elos: [{elo, ci95, appearances, tag, category, accent, ...}]}]}``.
The live endpoint answers ``{models: [...]}`` alone, in its own spelling (``overallRank``, ``releaseDate``,
``ciDelta`` as a number, the overall rating only in ``elos``): both are read, the arena then coming from the
URL's path and query, the as-of from the fetch.

Boards: every row is ``leaderboard`` "Artificial Analysis", raw (no style control), keyed on ``slug``. The
arena's ``overall`` board is each model's ``elo`` with its ``ci95`` bounds, ``appearances`` as votes and
``rank`` as published (the ordinal position). Each ``elos[]`` breakdown with a CI is a board of the same arena:
a speech ``category`` is named by its slug (``customer_service``), an ``accent`` ``accent_<slug>``, both
``<category>_accent_<slug>``; an image or video ``tag`` ``<type>_<slug>`` (``subject_people_portraits``), and
``tag_<slug>`` when its type is empty. Breakdowns publish no rank. The rest of a model's fields, and the
``elos[]`` entries that make no board, go to ``extra``.
As-of: ``meta.fetched_at`` (the capture time), else the fetch time.

Quirks: a feed lists models it does not rank (retired ones, ``is_current`` false, and pipelines it does not
count as foundational models); ``rank`` counts only the others. Those unranked rows are not on the published
board and would shift every computed rank, so they are left out of every board (the raw payload keeps them);
a feed that ranks no model at all keeps every model. The video feeds went empty upstream in mid-April 2026
(``model_count`` 0, ``models`` []): such a payload parses to no rows, and the pipeline refuses it
(``tracker.ingest.guard.refuse_empty``) instead of storing an empty board.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import polars as pl

from tracker.boards import canonical_arena, canonical_category
from tracker.errors import ParseError
from tracker.parsed import STANDINGS_SCHEMA, conform, empty_standings, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "artificial-analysis"
LEADERBOARD = "Artificial Analysis"

# the endpoint's path on any host (a mirror, a test server: ``artificial_analysis_url``)
_ARENA_URL = re.compile(
    r"^https?://[^/?#]+(?:/[^?#]*)?/api/(?P<path>[a-z0-9-]+)/arena/preferences/?(?:[?#]|$)"
)
_META_URL = re.compile(
    rb'"source_url"\s*:\s*"https?://(?:www\.)?artificialanalysis\.ai/api/[a-z0-9-]+/arena/preferences'
)
# (endpoint path, whether it reads an input image) -> the feed's name; another path is its own name
_FEEDS = {
    ("text-to-speech", False): "text-to-speech",
    ("text-to-image", False): "text-to-image",
    ("text-to-image", True): "image-editing",
    ("text-to-video", False): "text-to-video",
    ("text-to-video", True): "image-to-video",
}
_CI_PAIR = re.compile(r"^([+-])\s*(\d+(?:\.\d+)?)\s*/\s*([+-])\s*(\d+(?:\.\d+)?)$")
_CI_BOTH = re.compile(r"^(?:±|\+/-|\+-)\s*(\d+(?:\.\d+)?)$")
# model fields that become columns (or boards) rather than ``extra``, in either spelling
_MAPPED = {"slug", "name", "elo", "ci95", "appearances", "rank", "overallRank", "elos", "overallElo"}
_MEASURED = {"elo", "ci95", "appearances"}
_KINDS = {"tag", "category", "accent"}  # what an elos[] entry is a breakdown by
# the columns its rows give, typed as the canonical frame types them
_SCHEMA = {
    name: STANDINGS_SCHEMA[name]
    for name in (
        "leaderboard",
        "arena",
        "category",
        "style_control",
        "model_key",
        "display_name",
        "organization",
        "rating",
        "rating_lower",
        "rating_upper",
        "votes",
        "rank_published",
        "rank_meaning",
        "extra",
    )
}


def feed_of_url(url: str) -> str | None:
    """An arena endpoint URL (``.../api/text-to-image/arena/preferences?supports_image_input=true``) -> the
    feed's name (``image-editing``); None when the URL does not have an arena endpoint's path."""
    match = _ARENA_URL.match(url)
    if not match:
        return None
    query = {k.replace("-", "_"): v for k, v in parse_qsl(urlsplit(url).query)}
    reads_image = query.get("supports_image_input", "").strip().lower() == "true"
    path = match["path"]
    return _FEEDS.get((path, reads_image), None if reads_image else path)


def sniff(body: bytes, origin: str) -> bool:
    head = body[:4096]
    if head.lstrip()[:1] != b"{":
        return False
    if _META_URL.search(head):
        return True
    # the live endpoint's bytes carry no meta: the URL they came from says which feed they are
    return feed_of_url(origin.split("#", 1)[0]) is not None and b'"models"' in body[:65536]


def _object(value: object, origin: str, *, row: int | None, field: str) -> dict:
    if not isinstance(value, dict):
        raise ParseError(origin, f"{type(value).__name__} where an object is expected", row=row, field=field)
    return value


def _arena(meta: dict, origin: str) -> str:
    """meta.endpoint (``image-editing``), else meta.source_url, else the origin's URL -> the canonical arena."""
    endpoint = af.text_value(meta.get("endpoint"), origin, row=None, field="meta.endpoint")
    url = af.text_value(meta.get("source_url"), origin, row=None, field="meta.source_url")
    from_url = feed_of_url(url) if url else None
    if endpoint and endpoint.strip():
        arena = canonical_arena(endpoint, origin=origin)
        if from_url and canonical_arena(from_url, origin=origin) != arena:
            raise ParseError(
                origin,
                f"meta.endpoint {endpoint!r} and meta.source_url {url!r} name different arenas",
                field="meta.endpoint",
            )
        return arena
    feed = from_url or feed_of_url(origin.split("#", 1)[0])
    if not feed:
        raise ParseError(
            origin,
            "cannot tell the arena: no meta.endpoint, and neither meta.source_url nor the origin is an "
            "Artificial Analysis arena URL (.../api/ARENA/arena/preferences)",
            field="meta.endpoint",
        )
    return canonical_arena(feed, origin=origin)


def _check_count(meta: dict, models: list, origin: str) -> None:
    """A copy whose ``meta.model_count`` disagrees with its ``models`` list was cut off or edited."""
    count = af.whole_value(
        af.number_value(meta.get("model_count"), origin, row=None, field="meta.model_count"),
        origin,
        row=None,
        field="meta.model_count",
    )
    if count is not None and count != len(models):
        raise ParseError(
            origin,
            f"meta.model_count says {count} models but 'models' lists {len(models)}: the copy looks cut off",
            field="meta.model_count",
        )


def _ci_offsets(text: str) -> tuple[float, float] | None:
    """CI text -> (below, above) the rating: "-17/+17", "+12/-15", "±4", "+/-4"; None in any other form."""
    text = text.strip()
    if both := _CI_BOTH.match(text):
        return float(both[1]), float(both[1])
    pair = _CI_PAIR.match(text)
    if not pair or pair[1] == pair[3]:
        return None
    offsets = {pair[1]: float(pair[2]), pair[3]: float(pair[4])}
    return offsets["-"], offsets["+"]


def _bounds(
    measured: dict, rating: float, origin: str, row: int, prefix: str
) -> tuple[float | None, float | None]:
    """The absolute CI bounds of one measurement: its ``ci95`` text, or the live ``ciDelta`` (±n)."""
    if measured.get("ci95") is not None:
        field = f"{prefix}ci95"
        text = af.text_value(measured["ci95"], origin, row=row, field=field)
        offsets = _ci_offsets(text)
        if offsets is None:
            raise ParseError(
                origin, f"CI {text!r} is neither '-a/+b', '+a/-b' nor '±n'", row=row, field=field
            )
    elif measured.get("ciDelta") is not None:
        field = f"{prefix}ciDelta"
        delta = af.number_value(measured["ciDelta"], origin, row=row, field=field)
        if delta < 0:
            raise ParseError(origin, f"CI half-width {delta:g} is negative", row=row, field=field)
        offsets = (delta, delta)
    else:
        return None, None
    return rating - offsets[0], rating + offsets[1]


def _measure(measured: dict, origin: str, row: int, prefix: str) -> dict:
    """rating, bounds and votes of one measurement (the model's overall one, or a breakdown)."""
    rating = af.number_value(measured.get("elo"), origin, row=row, field=f"{prefix}elo")
    if rating is None:
        raise ParseError(origin, "required value is missing", row=row, field=f"{prefix}elo")
    lower, upper = _bounds(measured, rating, origin, row, prefix)
    votes = af.number_value(measured.get("appearances"), origin, row=row, field=f"{prefix}appearances")
    return {
        "rating": rating,
        "rating_lower": lower,
        "rating_upper": upper,
        "votes": af.whole_value(votes, origin, row=row, field=f"{prefix}appearances"),
    }


def _slug(value: object, origin: str, row: int, field: str) -> str:
    slug = af.text_value(value, origin, row=row, field=field)
    if not slug or not slug.strip():
        raise ParseError(origin, "required value is missing", row=row, field=field)
    return slug.strip()


def _breakdown_name(entry: dict, origin: str, row: int, field: str) -> str | None:
    """The category of an ``elos[]`` entry; None for the overall entry (tag, category and accent all null)."""
    parts = []
    if entry.get("tag") is not None:
        tag = _object(entry["tag"], origin, row=row, field=f"{field}.tag")
        slug = _slug(tag.get("slug"), origin, row, f"{field}.tag.slug")
        kind = af.text_value(tag.get("type"), origin, row=row, field=f"{field}.tag.type")
        parts.append(f"{kind.strip()}_{slug}" if kind and kind.strip() else f"tag_{slug}")
    if entry.get("category") is not None:
        category = _object(entry["category"], origin, row=row, field=f"{field}.category")
        parts.append(_slug(category.get("slug"), origin, row, f"{field}.category.slug"))
    if entry.get("accent") is not None:
        accent = _object(entry["accent"], origin, row=row, field=f"{field}.accent")
        parts.append("accent_" + _slug(accent.get("slug"), origin, row, f"{field}.accent.slug"))
    return canonical_category("_".join(parts), origin=origin, styled=False) if parts else None


def _model(model: object, row: int, origin: str) -> tuple[int | None, list[dict]]:
    """One model's published rank and its rows: the overall board's first, then one per breakdown with a CI."""
    model = _object(model, origin, row=row, field="models")
    key = _slug(model.get("slug"), origin, row, "slug")
    creator = model.get("creator")
    if creator is not None:
        creator = _object(creator, origin, row=row, field="creator")
    rank_field = "rank" if "rank" in model else "overallRank"
    rank = af.whole_value(
        af.number_value(model.get(rank_field), origin, row=row, field=rank_field),
        origin,
        row=row,
        field=rank_field,
        limit=2**31,
    )
    elos = model.get("elos")
    if elos is not None and not isinstance(elos, list):
        raise ParseError(origin, f"{type(elos).__name__} where a list is expected", row=row, field="elos")
    base = {
        "model_key": key,
        "display_name": af.text_value(model.get("name"), origin, row=row, field="name"),
        "organization": af.text_value((creator or {}).get("name"), origin, row=row, field="creator.name"),
    }

    overall, unused, rows, seen = None, [], [], set()
    for index, entry in enumerate(elos or []):
        field = f"elos[{index}]"
        entry = _object(entry, origin, row=row, field=field)
        name = _breakdown_name(entry, origin, row, field)
        if name is None:  # the overall entry (the first, should a feed repeat it)
            if overall is None:
                overall = (entry, f"{field}.")
            continue
        if entry.get("ci95") is None and entry.get("ciDelta") is None:
            unused.append(entry)
            continue
        if name == "overall" or name in seen:
            clash = (
                "names the overall board" if name == "overall" else "repeats an earlier one for this model"
            )
            raise ParseError(origin, f"breakdown {name!r} {clash}", row=row, field=field)
        seen.add(name)
        extra = {k: v for k, v in entry.items() if k not in _MEASURED and (v is not None or k not in _KINDS)}
        rows.append(
            {**base, "category": name, **_measure(entry, origin, row, f"{field}."), "extra": _json(extra)}
        )

    # the copies print the overall figures on the model; the live endpoint only in overallElo or elos[]
    if "elo" in model:
        measured, prefix = model, ""
    elif isinstance(model.get("overallElo"), dict):
        measured, prefix = model["overallElo"], "overallElo."
    elif overall is not None:
        measured, prefix = overall
    else:
        raise ParseError(
            origin, "no overall rating (elo, overallElo or an untagged elos[] entry)", row=row, field="elo"
        )
    extra = {k: v for k, v in model.items() if k not in _MAPPED and k != "creator"}
    if creator and (rest := {k: v for k, v in creator.items() if k != "name"}):
        extra["creator"] = rest
    if measured is not model:  # the live spelling: wins, winRate and ciDelta sit with the overall rating
        extra.update({k: v for k, v in measured.items() if k not in _MEASURED | _KINDS and k not in extra})
    if unused:
        extra["elos"] = unused
    first = {
        **base,
        "category": "overall",
        **_measure(measured, origin, row, prefix),
        "rank_published": rank,
        "extra": _json(extra),
    }
    return rank, [first, *rows]


def _json(extra: dict) -> str | None:
    # ensure_ascii (the default) escapes any lone surrogate, so the JSON text is always storable
    return json.dumps(extra, sort_keys=True) if extra else None


def models_of(data: object, origin: str) -> tuple[dict, list]:
    """The ``meta`` object ({} when absent) and the ``models`` list of a payload, checked for their types."""
    if not isinstance(data, dict):
        raise ParseError(origin, "not a JSON object with a 'models' list", field="models")
    meta = data.get("meta")
    meta = {} if meta is None else _object(meta, origin, row=None, field="meta")
    models = data.get("models")
    if not isinstance(models, list):
        raise ParseError(origin, "no 'models' list at the top level", field="models")
    _check_count(meta, models, origin)
    return meta, models


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    meta, models = models_of(af.load_json(body, origin), origin)
    arena = _arena(meta, origin)
    as_of = af.capture_time(meta, fetched_at, origin)
    read = [_model(model, row, origin) for row, model in enumerate(models, start=1)]
    ranks_any = any(rank is not None for rank, _ in read)
    rows = [r for rank, model_rows in read if rank is not None or not ranks_any for r in model_rows]
    if not rows:
        return empty_standings()  # an emptied feed: refused by the pipeline, never stored as an empty board
    frame = pl.DataFrame(rows, schema=_SCHEMA).with_columns(
        normalise_key(),
        leaderboard=pl.lit(LEADERBOARD),
        arena=pl.lit(arena),
        style_control=pl.lit(False),
        as_of=pl.lit(as_of),
        as_of_kind=pl.lit("capture_time"),
        # the published rank is the overall board's; breakdowns publish none
        rank_meaning=pl.when((pl.col("category") == "overall") & pl.lit(ranks_any))
        .then(pl.lit("ordinal"))
        .otherwise(pl.lit(None, pl.Utf8)),
    )
    return conform(frame)


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse)
