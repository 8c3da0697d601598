"""acarter881's structured snapshots: doubled organisation text, ± CIs, the page's date as the as-of."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest

from tests.conftest import shared_path
from tracker import sources
from tracker.errors import ParseError
from tracker.ingest.validate import validate
from tracker.sources import acarter881

NOW = datetime(2026, 11, 1, tzinfo=UTC)
FOLDER = "acarter881-llm-leaderboard"


def snapshot(models: list[dict], **top) -> bytes:
    data = {
        "timestamp": "2026-02-15T21:14:53Z",
        "leaderboard_date": "Feb 11, 2026",
        "total_models": len(models),
    }
    return json.dumps({**data, **top, "models": models}).encode()


def model(name: str, score, org="Anthropic  Anthropic", ci=5, rank=1, votes=1000) -> dict:
    return {
        "rank": rank,
        "rank_spread_raw": "1 2",
        "model_url": "https://x",
        "model_name": name,
        "organization": org,
        "license": "Proprietary",
        "score": score,
        "ci": ci,
        "is_preliminary": False,
        "votes": votes,
    }


def parse(body: bytes) -> pl.DataFrame:
    return validate(acarter881.parse(body, "structured_snapshot.json", fetched_at=NOW), "s.json")


def test_doubled_organisation_text_keeps_the_organisation():
    frame = parse(
        snapshot(
            [
                model("a", 1500),
                model("b", 1400, org="Azure  Microsoft", rank=2),
                model("c", 1300, org="", rank=3),
            ]
        )
    )
    assert frame["organization"].to_list() == ["Anthropic", "Microsoft", None]
    assert json.loads(frame.row(1, named=True)["extra"])["organization_raw"] == "Azure  Microsoft"
    assert acarter881.organisation("01.AI  01 AI") == "01 AI"


def test_plus_minus_ci_becomes_bounds_and_the_page_date_is_the_as_of():
    frame = parse(snapshot([model("mai-1-preview", 1393, org="Microsoft AI", ci=5, rank=67, votes=18103)]))
    row = frame.row(0, named=True)
    assert (row["rating_lower"], row["rating"], row["rating_upper"], row["votes"], row["rank_published"]) == (
        1388.0,
        1393.0,
        1398.0,
        18103,
        67,
    )
    assert (row["as_of"], row["as_of_kind"], row["rank_meaning"]) == (
        datetime(2026, 2, 11, tzinfo=UTC),
        "publish_date",
        "ordinal",
    )
    assert (row["arena"], row["category"], row["style_control"]) == ("text", "overall", False)


def test_without_a_page_date_the_capture_time_is_used():
    frame = parse(snapshot([model("a", 1500)], leaderboard_date=None))
    assert frame.select("as_of", "as_of_kind").row(0) == (
        datetime(2026, 2, 15, 21, 14, 53, tzinfo=UTC),
        "capture_time",
    )


def test_a_missing_score_names_row_and_field():
    with pytest.raises(ParseError) as err:
        parse(snapshot([model("a", 1500), model("b", None, rank=2)]))
    assert (err.value.row, err.value.field) == (2, "score")


def test_real_snapshots_follow_mai_1_preview(shared_data):
    files = sorted((shared_data / FOLDER).glob("structured_snapshot_*.json"))
    assert len(files) == 4
    seen = []
    for path in files:
        body = path.read_bytes()
        assert sources.detect(body, str(path)) is acarter881.FORMAT
        frame = validate(acarter881.parse(body, str(path), fetched_at=NOW), str(path))
        assert 305 <= frame.height <= 308
        assert not frame["organization"].drop_nulls().str.contains("  ").any()
        mai = frame.filter(pl.col("model_key") == "mai-1-preview").row(0, named=True)
        seen.append((mai["as_of"].date().isoformat(), mai["rank_published"], mai["rating"], mai["votes"]))
    assert seen[0] == ("2026-02-11", 67, 1393.0, 18103)
    assert seen[-1] == ("2026-02-18", 69, 1393.0, 18088)


def test_one_real_file_by_name():
    path = shared_path(FOLDER, "structured_snapshot_lbdate-2026-02-15_captured-20260216T171037Z.json")
    frame = acarter881.parse(path.read_bytes(), str(path), fetched_at=NOW)
    assert frame["as_of"].unique().to_list() == [datetime(2026, 2, 15, tzinfo=UTC)]


def rejected(models: list[dict], **top) -> ParseError:
    with pytest.raises(ParseError) as err:
        acarter881.parse(snapshot(models, **top), "s.json", fetched_at=NOW)
    return err.value


def test_json_nested_thousands_deep_is_a_parse_error():
    body = snapshot([model("a", 1500)]).replace(b'"Proprietary"', b"[" * 5000 + b"]" * 5000)
    with pytest.raises(ParseError, match="nested deeper"):
        acarter881.parse(body, "s.json", fetched_at=NOW)


def test_a_list_or_object_where_text_belongs_names_row_and_field():
    error = rejected([model("a", 1500), model(["b"], 1400, rank=2)])
    assert (error.row, error.field) == (2, "model_name")
    error = rejected([model("a", 1500, org={"name": "Anthropic"})])
    assert (error.row, error.field) == (1, "organization")


def test_a_lone_surrogate_in_a_field_kept_in_extra_names_that_field():
    bad = {**model("b", 1400, rank=2), "rank_spread_raw": "1 \udc80"}
    error = rejected([model("a", 1500), bad])
    assert (error.row, error.field) == (2, "rank_spread_raw")
    assert "lone surrogate" in error.detail


def test_votes_that_are_infinite_or_fractional_name_row_and_field():
    error = rejected([model("a", 1500), model("b", 1400, rank=2, votes="1e999")])
    assert (error.row, error.field) == (2, "votes")
    error = rejected([model("a", 1500), model("b", 1400, rank=2.5)])
    assert (error.row, error.field) == (2, "rank")
