"""Source ``artificial-analysis-llms``: the LLM leaderboard of Artificial Analysis, as scraped from its page.

Upstream: ``https://artificialanalysis.ai/leaderboards/models`` is an HTML page whose model table travels in
React Server Components flight data; ``Samica666/artificial-analysis-leaderboards`` saves it daily as
``data/DATE/llms.json``. Only that JSON is read: the page itself is not (the default poll jobs leave it out).

Format: ``{meta: {endpoint: "llms", source_url, model_count, fetched_at, ...}, models: [{slug, name,
short_name, creator: {name}, release_date, deprecated, reasoning_model, evaluations: {
artificial_analysis_{intelligence,coding,agentic}_index, artificial_analysis_intelligence_index_is_estimated,
gpqa, hle, ...}, breakdowns: {gdpval: {elo, lower95ci, upper95ci, avgTurns}, ...}, pricing, speed, ...}]}``.

Boards, all ``leaderboard`` "Artificial Analysis", arena ``text``, raw, keyed on ``slug`` (unique per file;
``name`` carries the reasoning effort, ``GPT-5 (high)``):

- ``intelligence_index``, ``coding_index``, ``agentic_index``: the 0-100 indices. Scored boards: the index is
  the rating, with no votes and no published rank. An index is an exact score, not an estimate from votes, so
  it is stored with an interval of no width (rating_lower = rating_upper = rating): no lead is uncertain, and
  the tracker's rank (UB) is the ordinal rank (``tracker.ranks``, the same rule as every board). A model whose index is null is not on that board; ``_is_estimated`` goes to ``extra``.
- ``gdpval``: GDPval's Elo, an arena-style board whose ``lower95ci``/``upper95ci`` are absolute bounds (below
  and above the Elo on every model of the copies), on about a fifth of the models.

Prices, speeds, capabilities and the single benchmarks are facts about a model, not rankings: ``extra`` keeps
only ``short_name``, ``release_date``, ``reasoning_model`` and ``deprecated``.
As-of: ``meta.fetched_at`` (the capture time), else the fetch time.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import polars as pl

from tracker.errors import ParseError
from tracker.parsed import STANDINGS_SCHEMA, conform, empty_standings, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.artificial_analysis import LEADERBOARD, models_of
from tracker.sources.format import SourceFormat

SOURCE = "artificial-analysis-llms"
_META_URL = re.compile(rb'"source_url"\s*:\s*"https?://(?:www\.)?artificialanalysis\.ai/leaderboards/models')
INDEXES = {
    "intelligence_index": "artificial_analysis_intelligence_index",
    "coding_index": "artificial_analysis_coding_index",
    "agentic_index": "artificial_analysis_agentic_index",
}
FACTS = ("short_name", "release_date", "reasoning_model", "deprecated")  # what extra keeps of a model
_GDPVAL = {"rating": "elo", "rating_lower": "lower95ci", "rating_upper": "upper95ci"}
_SCHEMA = {
    name: STANDINGS_SCHEMA[name]
    for name in (
        "category",
        "model_key",
        "display_name",
        "organization",
        "rating",
        "rating_lower",
        "rating_upper",
        "extra",
    )
}


def sniff(body: bytes, origin: str) -> bool:
    head = body[:4096]
    return head.lstrip()[:1] == b"{" and _META_URL.search(head) is not None


def _section(model: dict, name: str, origin: str, row: int) -> dict:
    value = model.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParseError(origin, f"{type(value).__name__} where an object is expected", row=row, field=name)
    return value


def _rows(model: object, row: int, origin: str) -> list[dict]:
    if not isinstance(model, dict):
        raise ParseError(
            origin, f"{type(model).__name__} where an object is expected", row=row, field="models"
        )
    key = af.text_value(model.get("slug"), origin, row=row, field="slug")
    if not key or not key.strip():
        raise ParseError(origin, "required value is missing", row=row, field="slug")
    creator = _section(model, "creator", origin, row)
    base = {
        "model_key": key,
        "display_name": af.text_value(model.get("name"), origin, row=row, field="name"),
        "organization": af.text_value(creator.get("name"), origin, row=row, field="creator.name"),
    }
    facts = {name: model[name] for name in FACTS if model.get(name) is not None}
    evaluations = _section(model, "evaluations", origin, row)
    rows = []
    for board, name in INDEXES.items():
        value = af.number_value(evaluations.get(name), origin, row=row, field=f"evaluations.{name}")
        if value is None:
            continue
        extra = dict(facts)
        if (estimated := evaluations.get(f"{name}_is_estimated")) is not None:
            extra["is_estimated"] = estimated
        # an exact score: its interval has no width, so rank (UB) is the ordinal rank (tracker.ranks)
        rows.append(
            {
                **base,
                "category": board,
                "rating": value,
                "rating_lower": value,
                "rating_upper": value,
                "extra": _json(extra),
            }
        )
    gdpval = _section(model, "breakdowns", origin, row).get("gdpval")
    if gdpval is not None:
        if not isinstance(gdpval, dict):
            raise ParseError(
                origin,
                f"{type(gdpval).__name__} where an object is expected",
                row=row,
                field="breakdowns.gdpval",
            )
        values = {
            column: af.number_value(gdpval.get(name), origin, row=row, field=f"breakdowns.gdpval.{name}")
            for column, name in _GDPVAL.items()
        }
        if values["rating"] is None:
            raise ParseError(origin, "required value is missing", row=row, field="breakdowns.gdpval.elo")
        extra = {**facts, **{k: v for k, v in gdpval.items() if k not in _GDPVAL.values()}}
        rows.append({**base, "category": "gdpval", **values, "extra": _json(extra)})
    return rows


def _json(extra: dict) -> str | None:
    return json.dumps(extra, sort_keys=True) if extra else None


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    meta, models = models_of(af.load_json(body, origin), origin)
    as_of = af.capture_time(meta, fetched_at, origin)
    rows = [r for row, model in enumerate(models, start=1) for r in _rows(model, row, origin)]
    if not rows:
        return empty_standings()  # no model on any board: refused by the pipeline, never stored empty
    frame = pl.DataFrame(rows, schema=_SCHEMA).with_columns(
        normalise_key(),
        leaderboard=pl.lit(LEADERBOARD),
        arena=pl.lit("text"),
        style_control=pl.lit(False),
        as_of=pl.lit(as_of),
        as_of_kind=pl.lit("capture_time"),
    )
    return conform(frame)


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse)
