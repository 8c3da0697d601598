"""kevinschaul's accumulating history CSV: both CI text forms, votes with thousands separators, many dates
in one file, a date scraped twice, the style-controlled default view with Rank (UB)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from tests.conftest import shared_path
from tracker import sources
from tracker.errors import ParseError
from tracker.ingest.validate import validate
from tracker.sources import kevinschaul

NOW = datetime(2026, 11, 1, tzinfo=UTC)
HEADER = "date,rank,model,score,ci95,votes,organization,license\n"
ROWS = (
    '2025-07-01,1,gemini-2.5-pro,1460,+5/-6,"15,211",Google,Proprietary\n'
    '2025-07-28,1,gemini-2.5-pro,1458,±4,"16,002",Google,Proprietary\n'
    '2025-07-28,2,o3-2025-04-16,1451,±5,"12,001",OpenAI,Proprietary\n'
    "2025-08-04,1,gemini-2.5-pro,1455,±4,17100,Google,Proprietary\n"
    "2025-08-04,1,gemini-2.5-pro,1457,±4,17150,Google,Proprietary\n"
    "2025-08-04,3,grok-4,1430,±6,900,,Proprietary\n"
)


def parse(text: str) -> pl.DataFrame:
    return validate(kevinschaul.parse(text.encode(), "history.csv", fetched_at=NOW), "history.csv")


def test_both_ci_forms_and_thousands_separators():
    frame = parse(HEADER + ROWS)
    old = frame.filter(pl.col("as_of") == datetime(2025, 7, 1, tzinfo=UTC)).row(0, named=True)
    assert (old["rating_lower"], old["rating"], old["rating_upper"], old["votes"]) == (
        1454.0,
        1460.0,
        1465.0,
        15211,
    )
    new = frame.filter(pl.col("model_key") == "o3-2025-04-16").row(0, named=True)
    assert (new["rating_lower"], new["rating_upper"], new["votes"]) == (1446.0, 1456.0, 12001)


def test_one_file_is_one_snapshot_per_page_date_of_the_style_controlled_board():
    frame = parse(HEADER + ROWS)
    assert frame["as_of"].n_unique() == 3
    assert frame.select("arena", "category", "style_control", "rank_meaning").unique().rows() == [
        ("text", "overall", True, "ub")
    ]


def test_a_date_scraped_twice_keeps_the_later_block():
    frame = parse(HEADER + ROWS).filter(pl.col("as_of") == datetime(2025, 8, 4, tzinfo=UTC))
    assert frame.filter(pl.col("model_key") == "gemini-2.5-pro")["rating"].to_list() == [1457.0]


def test_empty_organisation_is_null():
    frame = parse(HEADER + ROWS)
    assert frame.filter(pl.col("model_key") == "grok-4")["organization"].to_list() == [None]


def test_unknown_ci_text_names_row_and_field():
    with pytest.raises(ParseError) as err:
        kevinschaul.parse((HEADER + ROWS.replace("±5", "about 5")).encode(), "h.csv", fetched_at=NOW)
    assert (err.value.row, err.value.field) == (4, "ci95")


def test_the_derived_date_index_is_not_a_board():
    body = shared_path("kevinschaul-lmarena-leaderboard-history", "dates_in_history.csv").read_bytes()
    with pytest.raises(sources.UnknownFormatError):
        sources.detect(body, "dates_in_history.csv")


def test_real_rows_tell_mai_1_preview_from_its_debut():
    path = shared_path("kevinschaul-lmarena-leaderboard-history", "mai-1-preview_rows_from_history.csv")
    body = path.read_bytes()
    assert sources.detect(body, str(path)) is kevinschaul.FORMAT
    frame = validate(kevinschaul.parse(body, str(path), fetched_at=NOW), str(path)).sort("as_of")
    assert frame.height == 7
    first = frame.row(0, named=True)
    assert (first["as_of"], first["rank_published"], first["rating"], first["votes"]) == (
        datetime(2025, 8, 28, tzinfo=UTC),
        15,
        1399.0,
        4539,
    )
    assert (first["rating_lower"], first["rating_upper"], first["organization"]) == (
        1390.0,
        1408.0,
        "Microsoft AI",
    )


def test_a_copy_cut_off_mid_row_is_refused_not_padded_with_nulls():
    whole = HEADER + ROWS
    cut = whole[: whole.rindex(",Proprietary")]  # the last row loses its licence field and line break
    with pytest.raises(
        ParseError, match=r"looks cut off: its last line \(7\) has 7 of the header's 8 fields"
    ):
        parse(cut)
    assert parse(whole.rstrip("\n")).height == 5  # no final line break alone is fine (a whole last row)
