"""samica666's daily RSC extracts: one style-controlled text board per category, keys and display names."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest

from tracker import sources
from tracker.errors import ParseError
from tracker.ingest.validate import validate
from tracker.sources import samica666

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def extract(categories: dict, fetched_at="2026-07-29T17:16:52.602183+00:00") -> bytes:
    urls = {c: f"https://lmarena.ai/leaderboard/text/{c}" for c in categories}
    meta = {"endpoint": "lmarena-text-arena", "source_urls": urls, "fetched_at": fetched_at}
    return json.dumps({"meta": meta, "categories": categories}).encode()


def entry(key, shown, elo, rank=1, votes=100):
    return {
        "rank": rank,
        "model_key": key,
        "model_display_name": shown,
        "organization": "Anthropic",
        "elo": elo,
        "elo_upper": elo + 5 if isinstance(elo, float | int) else elo,
        "elo_lower": elo - 5 if isinstance(elo, float | int) else elo,
        "votes": votes,
    }


def test_each_category_is_a_style_controlled_text_board_at_the_capture_time():
    body = extract(
        {
            "coding": [entry("claude-fable-5-text", "claude-fable-5", 1510.5)],
            "instruction-following": [entry("b", "b", 1400)],
        }
    )
    assert sources.detect(body, "lmarena.json") is samica666.FORMAT
    frame = validate(samica666.parse(body, "lmarena.json", fetched_at=NOW), "x")
    assert sorted(frame.select("arena", "category", "style_control").rows()) == [
        ("text", "coding", True),
        ("text", "instruction_following", True),
    ]
    row = frame.filter(pl.col("category") == "coding").row(0, named=True)
    assert (row["model_key"], row["display_name"], row["rating_lower"], row["rating_upper"]) == (
        "claude-fable-5-text",
        "claude-fable-5",
        1505.5,
        1515.5,
    )
    assert (row["as_of_kind"], row["rank_meaning"]) == ("capture_time", "ordinal")
    assert row["as_of"] == datetime(2026, 7, 29, 17, 16, 52, 602183, tzinfo=UTC)


def test_a_rating_that_is_text_names_the_row():
    with pytest.raises(ParseError) as err:
        samica666.parse(
            extract({"coding": [entry("a", "a", 1400), entry("b", "b", "high", rank=2)]}), "x", fetched_at=NOW
        )
    assert (err.value.row, err.value.field) == (2, "elo")


def test_every_real_extract_parses(shared_data):
    files = sorted((shared_data / "samica666-artificial-analysis-leaderboards").glob("lmarena_*.json"))
    assert len(files) == 25
    for path in files:
        body = path.read_bytes()
        assert sources.detect(body, str(path)) is samica666.FORMAT
        frame = validate(samica666.parse(body, str(path), fetched_at=NOW), str(path))
        assert set(frame["category"]) == {"instruction_following", "coding"}
        assert frame["as_of"].dt.date().unique().to_list() == [datetime.fromisoformat(path.stem[-10:]).date()]


def hostile(mutate) -> ParseError:
    """The ParseError of a good two-entry extract after ``mutate(document)``."""
    document = json.loads(extract({"coding": [entry("a", "a", 1400), entry("b", "b", 1390, rank=2)]}))
    mutate(document)
    with pytest.raises(ParseError) as err:
        samica666.parse(json.dumps(document).encode(), "x", fetched_at=NOW)
    return err.value


def test_json_nested_thousands_deep_is_a_parse_error():
    body = extract({"coding": [entry("a", "a", 1400)]}).replace(b'"Anthropic"', b"[" * 5000 + b"]" * 5000)
    with pytest.raises(ParseError, match="nested deeper"):
        samica666.parse(body, "x", fetched_at=NOW)


def test_meta_that_is_not_an_object_names_meta():
    assert hostile(lambda d: d.update(meta=[1, 2])).field == "meta"


def test_a_list_where_a_name_belongs_names_row_and_field():
    error = hostile(lambda d: d["categories"]["coding"][1].update(model_display_name=["b"]))
    assert (error.row, error.field) == (2, "model_display_name")
    assert "a list where text is expected" in error.detail


def test_a_lone_surrogate_names_row_and_field():
    error = hostile(lambda d: d["categories"]["coding"][0].update(organization="Anth\ud800ropic"))
    assert (error.row, error.field) == (1, "organization")
    assert "lone surrogate (\\ud800" in error.detail


def test_votes_too_large_for_the_column_name_row_and_field():
    error = hostile(lambda d: d["categories"]["coding"][1].update(votes=2**70))
    assert (error.row, error.field) == (2, "votes")
