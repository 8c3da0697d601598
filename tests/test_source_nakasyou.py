"""nakasyou's result.csv: a wide date x model matrix where 0.0 means absent, not a rating of zero."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from tests.conftest import shared_path
from tracker import sources
from tracker.errors import ParseError
from tracker.ingest.validate import validate
from tracker.sources import nakasyou

NOW = datetime(2026, 11, 1, tzinfo=UTC)
MATRIX = ",gpt-4,claude-v1,vicuna-13b\n20230508,1274.2,1224.7,0.0\n20230522,1224.6,,1006.8\n"


def parse(text: str) -> pl.DataFrame:
    return nakasyou.parse(text.encode(), "result.csv", fetched_at=NOW)


def test_zero_and_empty_cells_are_absent_models():
    frame = validate(parse(MATRIX), "result.csv")
    assert sorted(frame.select(pl.col("as_of").dt.date().cast(pl.Utf8), "model_key").rows()) == [
        ("2023-05-08", "claude-v1"),
        ("2023-05-08", "gpt-4"),
        ("2023-05-22", "gpt-4"),
        ("2023-05-22", "vicuna-13b"),
    ]
    assert 0.0 not in frame["rating"].to_list()
    assert frame.select("arena", "category", "style_control", "as_of_kind").unique().rows() == [
        ("text", "overall", False, "publish_date")
    ]


def test_detected_by_its_shape():
    assert sources.detect(MATRIX.encode(), "anything.csv") is nakasyou.FORMAT
    assert not nakasyou.sniff(b"date,model\n20230508,x\n", "x.csv")


def test_text_in_a_rating_cell_is_an_error():
    with pytest.raises(ParseError, match="'abc' is not a number"):
        parse(MATRIX.replace("1006.8", "abc"))


def test_real_matrix_matches_jasontrigg0_for_the_same_dates():
    from tracker.sources import jasontrigg0

    path = shared_path("nakasyou-lmarena-history", "result.csv")
    frame = validate(nakasyou.parse(path.read_bytes(), str(path), fetched_at=NOW), str(path))
    assert frame["as_of"].n_unique() == 98
    assert frame["model_key"].n_unique() == 227
    other = shared_path("jasontrigg0-chatbot-arena-history", "alltime.csv")
    long = jasontrigg0.parse(other.read_bytes(), str(other), fetched_at=NOW)
    joined = frame.join(long, on=["as_of", "model_key"], suffix="_j")
    assert joined.height == 11827
    differ = joined.filter((pl.col("rating") - pl.col("rating_j")).abs() > 1e-6)
    # equal everywhere except the pickles of 2024-03-27 .. 2024-06-26, where the two archives read
    # different ratings out of the same pickle (source_disagreements lists them)
    assert differ.height == 2280
    assert differ["as_of"].min() == datetime(2024, 3, 27, tzinfo=UTC)
    assert differ["as_of"].max() == datetime(2024, 6, 26, tzinfo=UTC)
