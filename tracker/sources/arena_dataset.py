"""Source ``arena-dataset``: the official Hugging Face dataset ``lmarena-ai/leaderboard-dataset`` (CC BY 4.0).

Upstream: ``https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main/{config}/{full,latest}-00000-of-00001.parquet``
(``full`` = every publish since 2023-05-08, ``latest`` = the newest row of each model and category), and the
datasets-server JSON API (``/rows``, ``/filter``: ``{features, rows: [{row_idx, row: {...}}], num_rows_total}``).
Also read: wrappers of those pages as people saved them (``{"dataset", "split", "configs": {config: [page...]}}``,
or one page with a ``provenance`` object naming the ``subset``).

One config per arena, with and without style control (``text`` is the raw board, ``text_style_control`` is
not); the config is not in the rows, so it comes from the file's location (``.../{config}/full-...parquet``),
the page's URL (``config=``), the wrapper, or ``tracker import --config``. Columns: ``model_name``,
``organization`` (slug, may be ""), ``license``, ``rating``, ``rating_lower``, ``rating_upper`` (nullable),
``variance``, ``vote_count``, ``rank``, ``category`` (snake_case), ``leaderboard_publish_date``; the ``agent``
config has ``score``, ``score_ci_lower/upper``, ``observation_count``, ``session_count`` instead.

Quirks: the JSON API sends ``vote_count`` and ``rank`` as floats (``17901.0``); ``rank`` is the ordinal
position in 2026 and may be rank (UB) in older publishes, so its meaning is decided per snapshot from the
data. A ``full`` file is ~1 M rows: it is read and reshaped in bulk (Parquet -> Arrow -> polars), never row
by row, and an import reads one in parts of whole publish dates (``parse_parts``), so that what it holds at
once does not grow with the history.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import polars as pl

from tracker import ranks
from tracker.boards import ARENAS, canonical_category, dataset_config_board, split_style
from tracker.errors import ParseError, rows_later
from tracker.parsed import conform, normalise_key
from tracker.sources.format import SourceFormat

SOURCE = "arena-dataset"
DATASET = "lmarena-ai/leaderboard-dataset"
CONFIGS = (
    "text",
    "text_style_control",
    "vision",
    "vision_style_control",
    "search",
    "search_style_control",
    "document",
    "document_style_control",
    "webdev",
    "text_to_image",
    "image_edit",
    "text_to_video",
    "image_to_video",
    "video_edit",
    "agent",
)
_FILE_NAME = re.compile(r"^(?P<split>[a-z_]+)-\d{5}-of-\d{5}\.parquet$")
_MARKER = b'"leaderboard_publish_date"'

# canonical column <- upstream column, for the arena schema and the agent schema
_ARENA_COLUMNS = {
    "rating": "rating",
    "rating_lower": "rating_lower",
    "rating_upper": "rating_upper",
    "votes": "vote_count",
    "rank_published": "rank",
}
_AGENT_COLUMNS = {
    "rating": "score",
    "rating_lower": "score_ci_lower",
    "rating_upper": "score_ci_upper",
    "votes": "observation_count",
    "rank_published": "rank",
}
_TYPES = {
    "rating": pl.Float64,
    "rating_lower": pl.Float64,
    "rating_upper": pl.Float64,
    "votes": pl.Int64,
    "rank_published": pl.Int64,
}
_COMMON = ("model_name", "organization", "license", "category", "leaderboard_publish_date")
_REQUIRED = ("model_name", "category", "leaderboard_publish_date")
SNAPSHOT = ("arena", "category", "style_control", "as_of")
# An import reads a Parquet file of more rows than this in parts of about this many, cut between publish
# dates (``parse_parts``), so what it holds at once does not grow with the history. Smaller parts hold less
# but cost more time, as each part's insert costs more while the file's one transaction grows (the sizes
# measured: BENCHMARKS.md, Findings).
PART_ROWS = 500_000


def hints_for_path(path: Path) -> dict:
    """``.../{config}/full-00000-of-00001.parquet`` (a folder or a ``resolve/main`` URL) -> {"config", "split"}."""
    match = _FILE_NAME.match(path.name)
    if not match or not path.parent.name:
        return {}
    return {"config": path.parent.name, "split": match["split"]}


def sniff(body: bytes, origin: str) -> bool:
    if body[:4] == b"PAR1":
        try:
            names = pl.read_parquet_schema(io.BytesIO(body))
        except (pl.exceptions.PolarsError, OSError, ValueError):
            return False
        return "leaderboard_publish_date" in names and "model_name" in names
    head = body[:65536].lstrip()
    return head[:1] == b"{" and _MARKER in head and b'"row_idx"' in body[:262144]


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    """Parquet file or JSON page(s) -> canonical standings, one snapshot per (board, publish date)."""
    hinted = (hints or {}).get("config")
    try:
        if body[:4] == b"PAR1":
            config = _one_config(hinted, None, origin)
            return standardise(_read_parquet(body, origin), config, origin)
        frames = [standardise(rows, config, origin) for config, rows in _json_tables(body, origin, hinted)]
        return pl.concat(frames) if len(frames) > 1 else frames[0]
    except pl.exceptions.PolarsError as exc:
        # a column of an unexpected type (a list where a name should be, mixed configs' columns): say so
        raise ParseError(origin, f"the rows do not have the dataset's column types: {exc}") from None


def parse_parts(
    body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
) -> Iterator[tuple[int, pl.DataFrame]]:
    """``parse``, a Parquet file of more than ``PART_ROWS`` rows read in parts of whole publish dates (each
    date's rows must lie together, as the dataset writes them; a file where they do not is read whole), each
    part with the number of the file's rows before it. Any other payload is one part."""
    parts = _part_bounds(body) if body[:4] == b"PAR1" else None
    if parts is None:
        yield 0, parse(body, origin, fetched_at=fetched_at, hints=hints)
        return
    config = _one_config((hints or {}).get("config"), None, origin)
    scan = pl.scan_parquet(io.BytesIO(body))
    for start, length in parts:
        try:
            # in one chunk: a part cut across the file's row groups comes in several, and a column added to
            # a frame of several chunks copied every column (with_rank_meaning held the part twice)
            frame = standardise(scan.slice(start, length).collect().rechunk(), config, origin)
        except pl.exceptions.PolarsError as exc:
            raise ParseError(origin, f"the rows do not have the dataset's column types: {exc}") from None
        except ParseError as exc:
            raise rows_later(exc, start) from None
        yield start, frame


def _part_bounds(body: bytes) -> list[tuple[int, int]] | None:
    """(first row, row count) of each part of a large Parquet file, cut where a publish date ends; None to
    read it whole (small, unreadable here, or a date's rows not together): ``parse`` says what is wrong."""
    try:
        days = pl.read_parquet(io.BytesIO(body), columns=["leaderboard_publish_date"]).to_series()
    except Exception:  # noqa: BLE001 - any failure here is parse's to report, on the whole file
        return None
    if days.len() <= PART_ROWS:
        return None
    n = days.len()
    ends = [*((days.slice(1).ne_missing(days.slice(0, n - 1))).arg_true() + 1).to_list(), n]
    if len(ends) != days.n_unique():  # a date that comes back later: its rows are not together
        return None
    parts, begin, end = [], 0, 0
    for date_end in ends:  # whole dates into a part while it stays within PART_ROWS (a bigger date alone)
        if date_end - begin > PART_ROWS and end > begin:
            parts.append((begin, end - begin))
            begin = end
        end = date_end
    parts.append((begin, end - begin))
    return parts


def _read_parquet(body: bytes, origin: str) -> pl.DataFrame:
    try:
        return pl.read_parquet(io.BytesIO(body))
    except Exception as exc:  # polars raises several unrelated types for a damaged file
        raise ParseError(origin, f"not a readable Parquet file: {exc}") from None


def _origin_config(origin: str) -> str | None:
    """The config named by a file location or a datasets-server URL, if any."""
    base = origin.split("#", 1)[0]
    query = parse_qs(urlsplit(base).query)
    if query.get("config"):
        return query["config"][0]
    return hints_for_path(Path(urlsplit(base).path or base)).get("config")


def _one_config(hinted: str | None, declared: str | None, origin: str) -> str:
    if hinted and declared and hinted != declared:
        raise ParseError(
            origin,
            f"the payload says config {declared!r} but {hinted!r} was given; drop --config or fix it",
            field="config",
        )
    config = declared or hinted or _origin_config(origin)
    if not config:
        raise ParseError(
            origin,
            "cannot tell which dataset config (arena) this is: keep the file in a folder named after its "
            f"config (e.g. text/full-00000-of-00001.parquet) or pass --dataset-config (one of {', '.join(CONFIGS)})",
            field="config",
        )
    return config


def _json_tables(body: bytes, origin: str, hinted: str | None) -> list[tuple[str, pl.DataFrame]]:
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ParseError(origin, f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise ParseError(origin, "expected a datasets-server page (a JSON object with 'rows')")
    if isinstance(doc.get("configs"), dict):  # saved wrapper: {"configs": {config: [page, ...]}}
        if hinted and hinted not in doc["configs"]:
            raise ParseError(
                origin, f"--config {hinted!r} is not among the file's configs {sorted(doc['configs'])}"
            )
        return [
            (config, _rows_frame(pages, origin, f"configs.{config}"))
            for config, pages in doc["configs"].items()
        ]
    provenance = doc.get("provenance") if isinstance(doc.get("provenance"), dict) else {}
    declared = provenance.get("subset") or _origin_config(str(provenance.get("sourceUrl") or ""))
    return [(_one_config(hinted, declared, origin), _rows_frame([doc], origin, "rows"))]


def _rows_frame(pages: Any, origin: str, where: str) -> pl.DataFrame:
    if not isinstance(pages, list):
        raise ParseError(origin, f"{where} is not a list of pages", field=where)
    rows: list[dict] = []
    for number, page in enumerate(pages, start=1):
        items = page.get("rows") if isinstance(page, dict) else None
        if not isinstance(items, list):
            raise ParseError(origin, f"page {number} has no 'rows' list", field=where)
        for item in items:
            row = item.get("row") if isinstance(item, dict) else None
            if not isinstance(row, dict):
                raise ParseError(origin, "a rows[] item has no 'row' object", row=len(rows) + 1, field="row")
            rows.append(row)
    if not rows:
        raise ParseError(origin, "the page has no rows", field="rows")
    try:
        return pl.from_dicts(rows, infer_schema_length=None)
    except Exception as exc:  # mixed types polars cannot unify
        raise ParseError(origin, f"the rows do not form a table: {exc}", field="row") from None


def config_board(config: str, origin: str) -> tuple[str, bool]:
    """A dataset config -> (arena, style_control); an arena the tracker does not know is a ParseError."""
    arena, style = dataset_config_board(config, origin=origin)
    if arena not in ARENAS:
        raise ParseError(
            origin,
            f"unknown dataset config {config!r}; known configs: {', '.join(CONFIGS)}. "
            "If upstream added an arena, add it to tracker/boards.py",
            field="config",
        )
    return arena, style


def _first_row(frame: pl.DataFrame, bad: pl.Expr) -> int | None:
    hit = frame.select(bad.fill_null(False).arg_true().first()).item()
    return None if hit is None else int(hit) + 1


def _number(frame: pl.DataFrame, column: str, origin: str, *, whole: bool) -> pl.Expr:
    """Cast one upstream column to a number; a value that is not one (or not whole) is a ParseError."""
    dtype = frame[column].dtype
    if dtype == pl.Null:
        return pl.lit(None, dtype=pl.Int64 if whole else pl.Float64).alias(column)
    value = pl.col(column).cast(pl.Float64, strict=False)
    if not dtype.is_numeric():
        # JSON rows mixing numbers and text arrive as text: the first value that is no number is the culprit
        bad = pl.col(column).is_not_null() & (value.is_null() if dtype == pl.Utf8 else pl.lit(True))
        if (row := _first_row(frame, bad)) is not None:
            raise ParseError(origin, f"{frame[column][row - 1]!r} is not a number", row=row, field=column)
    if whole:
        if (row := _first_row(frame, value.is_finite() & (value != value.round()))) is not None:
            raise ParseError(
                origin, f"{frame[column][row - 1]!r} is not a whole number", row=row, field=column
            )
        return value.cast(pl.Int64, strict=False).alias(column)
    return value.alias(column)


def _categories(frame: pl.DataFrame, origin: str) -> tuple[dict[str, str], dict[str, bool | None]]:
    names = frame["category"].cast(pl.Utf8).unique().to_list()
    if None in names:
        row = _first_row(frame, pl.col("category").is_null())
        raise ParseError(origin, "category is missing", row=row, field="category")
    canonical = {name: canonical_category(name, origin=origin) for name in names}
    style = {name: split_style(name)[1] for name in names}
    return canonical, style


def standardise(raw: pl.DataFrame, config: str, origin: str) -> pl.DataFrame:
    """One config's dataset table (Parquet or JSON rows) -> canonical standings, in bulk."""
    arena, config_style = config_board(config, origin)
    columns = _AGENT_COLUMNS if "score" in raw.columns and "rating" not in raw.columns else _ARENA_COLUMNS
    for name in (*_REQUIRED, columns["rating"]):
        if name not in raw.columns:
            raise ParseError(origin, f"required column {name!r} is missing (config {config!r})", field=name)
    for name in ("model_name", "category"):
        if raw[name].dtype not in (pl.Utf8, pl.Null):
            raise ParseError(origin, f"column {name!r} holds {raw[name].dtype}, not text", field=name)
    raw = raw.with_columns(
        _number(raw, upstream, origin, whole=canonical in ("votes", "rank_published"))
        for canonical, upstream in columns.items()
        if upstream in raw.columns
    )
    category, style = _categories(raw, origin)
    published = pl.col("leaderboard_publish_date")
    day = (
        published
        if raw["leaderboard_publish_date"].dtype == pl.Date
        else published.cast(pl.Utf8).str.to_date("%Y-%m-%d", strict=False)
    )
    bad_day = _first_row(raw, day.is_null())
    if bad_day is not None:
        value = raw["leaderboard_publish_date"][bad_day - 1]
        raise ParseError(
            origin, f"{value!r} is not a YYYY-MM-DD date", row=bad_day, field="leaderboard_publish_date"
        )
    mapped = set(columns.values()) | set(_COMMON)
    extra_columns = [c for c in raw.columns if c not in mapped]
    text = {c: pl.col(c).cast(pl.Utf8) if c in raw.columns else pl.lit(None, pl.Utf8) for c in _COMMON}
    frame = raw.select(
        pl.lit(arena).alias("arena"),
        pl.col("category").cast(pl.Utf8).replace_strict(category).alias("category"),
        pl.col("category")
        .cast(pl.Utf8)
        .replace_strict(style, return_dtype=pl.Boolean)
        .fill_null(config_style)
        .alias("style_control"),
        day.cast(pl.Datetime("us")).dt.replace_time_zone("UTC").alias("as_of"),
        pl.lit("publish_date").alias("as_of_kind"),
        text["model_name"].alias("model_key"),
        text["model_name"].alias("display_name"),
        pl.when(text["organization"].str.strip_chars() != "")
        .then(text["organization"])
        .alias("organization"),
        pl.when(text["license"].str.strip_chars() != "").then(text["license"]).alias("license"),
        *(
            (pl.col(upstream) if upstream in raw.columns else pl.lit(None))
            .cast(_TYPES[canonical])
            .alias(canonical)
            for canonical, upstream in columns.items()
        ),
        (pl.struct(extra_columns).struct.json_encode() if extra_columns else pl.lit(None, pl.Utf8)).alias(
            "extra"
        ),
    ).with_columns(normalise_key())
    return conform(with_rank_meaning(frame))


def with_rank_meaning(frame: pl.DataFrame) -> pl.DataFrame:
    """Decide per snapshot what ``rank_published`` means, from the data, set-based, and keep the tracker's
    own ranks it is decided from (``tracker.ranks``; the store then uses them as they are).

    ``ordinal`` when it equals the tracker's rank_ordinal (1 + the number of strictly higher ratings) on
    every row; else ``ub`` when every row has both bounds and it equals rank_ub (1 + the number of models
    whose lower bound is strictly above this model's upper bound) on every row; else null (no rank, or one
    that is neither).
    """
    # an integer id per snapshot keeps the ranks' sorts and windows on numbers: within one config the arena
    # is fixed and the style follows the category, and publish dates are whole days
    snapshot = (
        pl.col("category").cast(pl.Categorical).to_physical().cast(pl.Int64) * 2 + pl.col("style_control")
    ) * (1 << 32) + pl.col("as_of").dt.epoch("d")
    ranked = ranks.with_ranks(frame.with_columns(snapshot.alias("_snap")), "_snap")
    rank = pl.col("rank_published")
    meaning = ranked.group_by("_snap").agg(
        pl.when(rank.is_not_null().all() & (rank == pl.col("rank_ordinal")).all())
        .then(pl.lit("ordinal"))
        .when(
            rank.is_not_null().all()
            & (pl.col("rating_lower").is_not_null() & pl.col("rating_upper").is_not_null()).all()
            & (rank == pl.col("rank_ub")).all()
        )
        .then(pl.lit("ub"))
        .otherwise(pl.lit(None, pl.Utf8))
        .alias("rank_meaning")
    )
    return (
        ranked.drop("rank_meaning", strict=False)
        .join(meaning, on="_snap", how="left", maintain_order="left")
        .drop("_snap")
    )


FORMAT = SourceFormat(
    source=SOURCE, sniff=sniff, parse=parse, hints_for_path=hints_for_path, parts=parse_parts
)
