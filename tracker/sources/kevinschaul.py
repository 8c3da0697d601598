"""Source ``kevinschaul``: kevinschaul/lmarena-leaderboard-history's accumulating scrape of the site table.

Upstream: ``https://raw.githubusercontent.com/kevinschaul/lmarena-leaderboard-history/main/history.csv``
(scraped from the Next.js lmarena.ai/leaderboard/text HTML table, 2025-05 .. 2025-11).

Format: ``date,rank,model,score,ci95,votes,organization,license``; one block of rows per page date, so one
file holds many snapshots. The scraped view is the site default: text, overall, style control on.
``rank`` is the table's Rank (UB) (ties are normal); ``model`` is the name the table shows (no key);
``score`` an integer.

Quirks: ``ci95`` is "+a/-b" until 2025-07 and "±n" from 2025-07-28; ``votes`` has thousands separators
("4,539"); a page date can appear in two blocks (two scrapes of the same date with different values):
the later block in the file wins for each model, as the newer scrape of that date.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from tracker.errors import ParseError
from tracker.parsed import conform, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "kevinschaul"

_HEADER = ["date", "rank", "model", "score", "ci95", "votes", "organization", "license"]


def sniff(body: bytes, origin: str) -> bool:
    return af.header(body) == _HEADER


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    frame = af.read_csv_text(body, origin)
    if frame.columns != _HEADER:
        raise ParseError(origin, f"columns {frame.columns} are not {_HEADER}")
    frame = frame.with_columns(
        af.number("score").alias("rating"),
        af.number("votes").alias("votes_n"),
        af.number("rank").alias("rank_n"),
        af.yyyymmdd("date").alias("as_of"),
    )
    for column, parsed in (("score", "rating"), ("votes", "votes_n"), ("rank", "rank_n")):
        af.check_numbers(frame, origin, column, parsed)
    bad = frame.with_row_index("_row").filter(pl.col("as_of").is_null())
    if bad.height:
        raise ParseError(
            origin, f"{bad['date'][0]!r} is not a date", row=int(bad["_row"][0]) + 2, field="date"
        )
    frame = frame.with_columns(*af.ci_bounds("ci95"))
    af.check_ci(frame, origin, "ci95")
    rows = (
        frame.filter(pl.col("rating").is_not_null())
        .select(
            af.text("model").alias("model_key"),
            af.text("model").alias("display_name"),
            af.text("organization").alias("organization"),
            af.text("license").alias("license"),
            "rating",
            "rating_lower",
            "rating_upper",
            pl.col("votes_n").alias("votes"),
            pl.col("rank_n").alias("rank_published"),
            "as_of",
        )
        .with_columns(normalise_key())
        # a date scraped twice: keep each model's row from the later block
        .unique(["as_of", "model_key"], keep="last", maintain_order=True)
        .with_columns(
            arena=pl.lit("text"),
            category=pl.lit("overall"),
            style_control=pl.lit(True),
            as_of_kind=pl.lit("publish_date"),
            rank_meaning=pl.lit("ub"),
        )
    )
    return conform(rows)


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse)
