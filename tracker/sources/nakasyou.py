"""Source ``nakasyou``: the community history nakasyou/lmarena-history.

Upstream: ``https://raw.githubusercontent.com/nakasyou/lmarena-history/main/output/result.csv``.

Format: a wide matrix: the header is an empty first cell then one column per model key; each row is one
pickle date (``20230508``) followed by that date's raw text overall rating of every model. One file
holds ~98 snapshots (2023-05-08 .. 2025-02-27). Only ratings are published (no CI, votes or rank).

Quirks: ``0.0`` means the model was absent on that date, not a rating of zero (dropped, like empty
cells); the values equal jasontrigg0's ``alltime.csv`` for the same dates.
"""

from __future__ import annotations

import re
from datetime import datetime

import polars as pl

from tracker.errors import ParseError
from tracker.parsed import conform, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "nakasyou"

_DATE_ROW = re.compile(rb"\n\s*\d{8}\s*,")


def sniff(body: bytes, origin: str) -> bool:
    cells = af.header(body, limit=65536)
    return len(cells) > 1 and cells[0] == "" and bool(_DATE_ROW.search(body[:65536]))


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    frame = af.read_csv_text(body, origin)
    date_column = frame.columns[0]
    if len(frame.columns) < 2:
        raise ParseError(origin, "the matrix has no model columns")
    frame = frame.rename({date_column: "date"}).with_columns(af.yyyymmdd("date").alias("as_of"))
    bad = frame.with_row_index("_row").filter(pl.col("as_of").is_null())
    if bad.height:
        raise ParseError(
            origin, f"{bad['date'][0]!r} is not a YYYYMMDD date", row=int(bad["_row"][0]) + 2, field="date"
        )
    long = frame.drop("date").unpivot(index="as_of", variable_name="model_key", value_name="value")
    long = long.with_row_index("_cell").with_columns(af.number("value").alias("rating"))
    bad = long.filter(pl.col("rating").is_null() & af.text("value").is_not_null())
    if bad.height:
        raise ParseError(origin, f"{bad['value'][0]!r} is not a number", field=str(bad["model_key"][0]))
    rows = (
        long.filter(pl.col("rating").is_not_null() & (pl.col("rating") != 0.0))
        .select("as_of", "model_key", "rating")
        .with_columns(
            normalise_key(),
            arena=pl.lit("text"),
            category=pl.lit("overall"),
            style_control=pl.lit(False),
            as_of_kind=pl.lit("publish_date"),
            rank_meaning=pl.lit(None, pl.Utf8),
        )
    )
    duplicated = rows.filter(pl.struct("as_of", "model_key").is_duplicated())
    if duplicated.height:
        raise ParseError(
            origin,
            f"model {duplicated['model_key'][0]!r} has two columns (keys differ only in case)",
            field="header",
        )
    return conform(rows)


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse)
