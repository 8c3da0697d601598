"""jasontrigg0's alltime.csv (many dated snapshots in one long file) and key_to_model.csv (identity only)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from tests.conftest import shared_path
from tracker import identity, sources
from tracker.errors import ParseError
from tracker.ingest import pipeline
from tracker.ingest.validate import validate
from tracker.sources import jasontrigg0

NOW = datetime(2026, 11, 1, tzinfo=UTC)
FOLDER = "jasontrigg0-chatbot-arena-history"
ALLTIME = (
    "key,Model,rating,License,Organization,date\n"
    "gpt-4,ChatGPT-4,1274.18,Proprietary,OpenAI,20230508\n"
    "RWKV-4-Raven-14B,RWKV-4-Raven-14B,950.5,Apache 2.0,RWKV,20230508\n"
    "gpt-4-0314,GPT-4-0314,1124.9,Proprietary,OpenAI,20231206\n"
    "yi-34b-chat,Yi-34B-Chat,1110.2,Yi License,01 AI,20231206\n"
    "yi-34b-chat,Yi-34B-Chat,1110.2,Yi License,01 AI,20231206\n"
)
KEY_MAP = "key,Model,License,Organization\nclaude-v1,Claude 1,Proprietary,Anthropic\n"


def parse(text: str) -> pl.DataFrame:
    return jasontrigg0.parse(text.encode(), "alltime.csv", fetched_at=NOW)


def test_one_long_file_is_one_snapshot_per_date_of_the_raw_text_board():
    frame = validate(parse(ALLTIME), "alltime.csv")
    per_date = frame.group_by("as_of").len().sort("as_of")
    assert per_date.rows() == [(datetime(2023, 5, 8, tzinfo=UTC), 2), (datetime(2023, 12, 6, tzinfo=UTC), 2)]
    assert frame.select("arena", "category", "style_control", "rank_meaning").unique().rows() == [
        ("text", "overall", False, None)
    ]
    assert "rwkv-4-raven-14b" in frame["model_key"].to_list()  # keys are normalised
    row = frame.filter(pl.col("model_key") == "gpt-4").row(0, named=True)
    assert (row["display_name"], row["organization"], row["rating"]) == ("ChatGPT-4", "OpenAI", 1274.18)


def test_key_to_model_has_no_standings_but_keyed_sightings():
    assert sources.detect(KEY_MAP.encode(), "key_to_model.csv") is jasontrigg0.FORMAT
    assert jasontrigg0.parse(KEY_MAP.encode(), "key_to_model.csv", fetched_at=NOW).is_empty()
    seen = identity.sightings_of(jasontrigg0.FORMAT, KEY_MAP.encode(), "key_to_model.csv", fetched_at=NOW)
    assert seen.select("model_key", "display_name", "organization", "keyed").rows() == [
        ("claude-v1", "Claude 1", "Anthropic", True)
    ]
    assert identity.sightings_of(
        jasontrigg0.FORMAT, ALLTIME.encode(), "alltime.csv", fetched_at=NOW
    ).is_empty()


def test_a_bad_date_names_its_row():
    with pytest.raises(ParseError) as err:
        parse(ALLTIME.replace("20231206", "2023-13-45", 1))
    assert (err.value.row, err.value.field) == (4, "date")


def test_the_per_organisation_file_is_not_a_board():
    body = shared_path(FOLDER, "alltime_by_org.csv").read_bytes()
    assert not jasontrigg0.sniff(body, "alltime_by_org.csv")


def test_real_alltime_holds_105_dated_snapshots():
    path = shared_path(FOLDER, "alltime.csv")
    body = path.read_bytes()
    assert sources.detect(body, str(path)) is jasontrigg0.FORMAT
    frame = validate(jasontrigg0.parse(body, str(path), fetched_at=NOW), str(path))
    assert frame["as_of"].n_unique() == 105
    assert frame.height == 13434 - 96  # yi-34b-chat is listed twice on 96 dates
    assert frame["as_of"].min() == datetime(2023, 5, 8, tzinfo=UTC)
    assert frame["as_of"].max() == datetime(2025, 3, 26, tzinfo=UTC)


def test_real_alltime_imports_once(writer):
    path = shared_path(FOLDER, "alltime.csv")
    payload = pipeline.Payload(path.read_bytes(), str(path), NOW)
    assert pipeline.ingest(writer, payload).snapshots_new == 105
    assert pipeline.ingest(writer, payload).outcome == "unchanged"
    assert writer.con.execute("select count(*) from snapshots").fetchall() == [(105,)]
