"""Source ``legacy-space``: the frozen Hugging Face Space ``lmarena-ai/chatbot-arena-leaderboard``.

Upstream: ``https://huggingface.co/spaces/lmarena-ai/chatbot-arena-leaderboard/resolve/main/
leaderboard_table_YYYYMMDD.csv`` (one per publish, 2023-06 .. 2025-05) next to ``elo_results_YYYYMMDD.pkl``.

Format: CSV whose header changed four times:
  1. 2023-06:          ``Model,MT-bench (win rate %),MT-bench (score),Arena Elo rating,MMLU,License,Link``
  2. 2023-07..12:      ``Model,MT-bench (score),Arena Elo rating,MMLU,License,Link``
  3. 2024-01-09/18:    ``key,Model,MT-bench (score),MMLU,License,Organization,Link``
  4. from 2024-01-25:  ``key,Model,MT-bench (score),MMLU,Knowledge cutoff date,License,Organization,Link``
Eras 1-2 carry the text arena's (raw, overall) Elo rating: those rows become standings, keyed on the
display name (no key column yet). Every era feeds identity (key, display name, organisation, licence,
knowledge cutoff, link) through ``parse_identity``; from era 3 on the file is metadata only.

Quirks: ``-`` means missing; some files mix CRLF and LF line ends; every file from 2024-06 on lists
``yi-34b-chat`` twice (identical rows, kept once); the publish date is only in the file name
(``leaderboard_table_20230619.csv``), so an origin without it needs ``hints["as_of"]``.

The Space's ``elo_results_*.pkl`` are Python pickles: loading one runs arbitrary code, so this module
claims them (by name or by the pickle magic bytes) only to refuse them with ``UnsafeFormatError``.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePath

import polars as pl

from tracker.errors import ParseError, UnsafeFormatError
from tracker.parsed import conform, empty_standings, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "legacy-space"

_NAME = re.compile(r"leaderboard_table_(\d{8})\.csv$", re.IGNORECASE)
_PICKLE_NAME = re.compile(r"(^|/)elo_results_[^/]*\.pkl$", re.IGNORECASE)
_KNOWN = {"key", "Model", "MT-bench (win rate %)", "MT-bench (score)", "Arena Elo rating", "MMLU"}
_KNOWN |= {"Knowledge cutoff date", "License", "Organization", "Link"}
_EXTRA = ("MT-bench (win rate %)", "MT-bench (score)", "MMLU")


def is_pickle(body: bytes, origin: str) -> bool:
    """A Python pickle by name (``elo_results_*.pkl``) or by its magic bytes (PROTO 2..5)."""
    name = af.file_name(origin)
    if _PICKLE_NAME.search(name) or name.lower().endswith((".pkl", ".pickle")):
        return True
    return len(body) > 2 and body[0] == 0x80 and 2 <= body[1] <= 5


def sniff(body: bytes, origin: str) -> bool:
    if is_pickle(body, origin):
        return True
    cells = af.header(body)
    return (
        bool(cells)
        and cells[:2] in (["Model", "MT-bench (win rate %)"], ["Model", "MT-bench (score)"], ["key", "Model"])
        and "MT-bench (score)" in cells
    )


def hints_for_path(path) -> dict:
    match = _NAME.search(PurePath(path).name)
    return {"as_of": f"{match[1][:4]}-{match[1][4:6]}-{match[1][6:]}"} if match else {}


def _refuse_pickle(origin: str) -> None:
    raise UnsafeFormatError(
        f"{origin}: refusing to load a Python pickle. Unpickling runs arbitrary code from the file, so the "
        "tracker never opens elo_results_*.pkl. Import the same publish from a safe format instead: the "
        "Space's leaderboard_table_YYYYMMDD.csv, the official dataset (lmarena-ai/leaderboard-dataset "
        "Parquet, `tracker import` or `tracker backfill arena-dataset`), or the community CSV archives "
        "(nakasyou result.csv, jasontrigg0 alltime.csv, fboulnois lmsys_*.csv).",
        origin=origin,
    )


def _table(body: bytes, origin: str, hints: dict | None) -> tuple[pl.DataFrame, datetime]:
    if is_pickle(body, origin):
        _refuse_pickle(origin)
    frame = af.read_csv_text(body, origin)
    if "Model" not in frame.columns or "MT-bench (score)" not in frame.columns:
        raise ParseError(origin, f"columns {frame.columns} are not a leaderboard_table header", field="Model")
    day = af.hinted_date(origin, hints)
    if day is None:
        raise ParseError(
            origin,
            "the publish date is only in the file name (leaderboard_table_YYYYMMDD.csv); rename the file "
            "or pass hints={'as_of': 'YYYY-MM-DD'}",
        )
    return frame, af.midnight_utc(day)


def _key(frame: pl.DataFrame) -> pl.Expr:
    """The model key: the ``key`` column (era 3+) or, before it existed, the display name."""
    if "key" in frame.columns:
        return pl.coalesce(af.text("key"), af.text("Model"))
    return af.text("Model")


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    """Standings from the eras that carry an Arena Elo rating; an empty frame for metadata-only files."""
    frame, as_of = _table(body, origin, hints)
    if "Arena Elo rating" not in frame.columns:
        return empty_standings()
    frame = frame.with_columns(af.number("Arena Elo rating").alias("rating"))
    af.check_numbers(frame, origin, "Arena Elo rating", "rating")
    extra = [c for c in frame.columns if c not in _KNOWN or c in _EXTRA]
    rows = (
        frame.filter(pl.col("rating").is_not_null())
        .select(
            _key(frame).alias("model_key"),
            af.text("Model").alias("display_name"),
            (af.text("Organization") if "Organization" in frame.columns else pl.lit(None, pl.Utf8)).alias(
                "organization"
            ),
            af.text("License").alias("license") if "License" in frame.columns else pl.lit(None, pl.Utf8),
            pl.col("rating"),
            af.extra_json(extra),
        )
        .with_columns(normalise_key())
        .with_columns(
            arena=pl.lit("text"),
            category=pl.lit("overall"),
            style_control=pl.lit(False),
            as_of=pl.lit(as_of),
            as_of_kind=pl.lit("publish_date"),
            rank_meaning=pl.lit(None, pl.Utf8),
        )
    )
    return conform(af.deduplicate(rows))


def parse_identity(
    body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
) -> pl.DataFrame:
    """Every row's key, display name, organisation, licence, knowledge cutoff and link."""
    frame, as_of = _table(body, origin, hints)
    optional = {
        "organization": "Organization",
        "license": "License",
        "knowledge_cutoff": "Knowledge cutoff date",
        "url": "Link",
    }
    return frame.select(
        _key(frame).alias("model_key"),
        af.text("Model").alias("display_name"),
        *[
            (af.text(column) if column in frame.columns else pl.lit(None, pl.Utf8)).alias(name)
            for name, column in optional.items()
        ],
        pl.lit(as_of).alias("as_of"),
        pl.lit("key" in frame.columns).alias("keyed"),
    )


FORMAT = SourceFormat(
    source=SOURCE, sniff=sniff, parse=parse, hints_for_path=hints_for_path, parse_identity=parse_identity
)
