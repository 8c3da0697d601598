"""The arena.ai page parser on the real captured pages and on hand-written edge cases."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest

from tests.conftest import shared_path
from tests.pages import entry, leaderboard, page
from tracker.errors import ParseError, ValidationError
from tracker.ingest.validate import validate
from tracker.sources import arena_page, detect

NOW = datetime(2026, 11, 1, tzinfo=UTC)
OVERALL = ("podsieve-prediction_mkt", "arena_text_overall-no-style-control_cutoff-2026-05-07.html")
CODING = ("podsieve-prediction_mkt", "arena_text_coding-no-style-control_cutoff-2026-05-17.html")


def parse(body: bytes) -> pl.DataFrame:
    return arena_page.parse(body, "test.html", fetched_at=NOW)


@pytest.mark.parametrize(
    ("parts", "category", "rows", "cutoff", "mai"),
    [
        (OVERALL, "overall", 357, datetime(2026, 5, 7, 14, tzinfo=UTC), (111, 1393.73, 17899)),
        (CODING, "coding", 355, datetime(2026, 5, 17, 20, tzinfo=UTC), (126, 1396.3, 2781)),
    ],
)
def test_real_page_parses_to_the_board_it_shows(parts, category, rows, cutoff, mai):
    body = shared_path(*parts).read_bytes()
    assert detect(body, "page.html") is arena_page.FORMAT
    frame = validate(parse(body), "page.html")
    assert frame.height == rows
    assert frame.select("arena", "category", "style_control").unique().rows() == [("text", category, False)]
    assert frame["as_of"].unique().to_list() == [cutoff]
    assert frame["as_of_kind"].unique().to_list() == ["vote_cutoff"]
    row = frame.filter(pl.col("model_key") == "mai-1-preview").row(0, named=True)
    assert (row["rank_published"], row["rating"], row["votes"]) == mai
    assert row["organization"] == "Microsoft AI"
    # unknown / non-canonical upstream fields are kept, not dropped
    assert json.loads(row["extra"])["modelUrl"].startswith("https://microsoft.ai/")


def test_computed_ranks_reproduce_the_published_rank_spread(writer):
    from tracker.ingest import pipeline

    for parts in (OVERALL, CODING):
        body = shared_path(*parts).read_bytes()
        result = pipeline.ingest(writer, pipeline.Payload(body, str(parts), NOW))
        assert result.outcome == "new"
    total, ub_ok, lb_ok, ordinal_ok = writer.con.execute(
        """select count(*),
                  count(*) filter (where rank_ub = (extra->>'rankUpper')::int),
                  count(*) filter (where rank_lb = (extra->>'rankLower')::int),
                  count(*) filter (where rank_ordinal = rank_published)
           from standings"""
    ).fetchall()[0]
    assert total == 712
    assert ub_ok == total  # rankUpper reproduced for every row
    assert lb_ok >= 0.99 * total  # rankLower and rank: at least 99% (upstream rounds the bounds)
    assert ordinal_ok >= 0.99 * total


def test_board_is_found_by_content_whatever_its_line_id_and_chunking():
    board = leaderboard([entry("a", 1300, 1290, 1310, rank=1), entry("b", 1200, 1190, 1210, rank=2)])
    first = parse(page(board, line_id="b", chunks=1))
    for line_id, chunks in (("11", 7), ("zz", 40)):
        other = parse(
            page(board, line_id=line_id, chunks=chunks, extra_lines=('5:["$","div",null,{"entries":1}]',))
        )
        assert other.equals(first)


def test_model_key_is_used_when_present_else_the_display_name():
    board = leaderboard(
        [
            entry("Claude Opus 4.7 (high)", 1300, 1290, 1310, modelKey="claude-opus-4-7-thinking"),
            entry("GPT-5", 1200, 1190, 1210),
        ]
    )
    frame = parse(page(board))
    assert frame.select("model_key", "display_name").rows() == [
        ("claude-opus-4-7-thinking", "Claude Opus 4.7 (high)"),
        ("gpt-5", "GPT-5"),
    ]


def test_style_controlled_board_from_params():
    frame = parse(page(leaderboard([entry("a", 1300, 1290, 1310)], category="hard-prompts", style=True)))
    assert frame.select("category", "style_control").row(0) == ("hard_prompts", True)


def test_new_unknown_fields_are_kept():
    frame = parse(page(leaderboard([entry("a", 1300, 1290, 1310, factualityScore=0.7)])))
    assert json.loads(frame["extra"][0]) == {"factualityScore": 0.7}


@pytest.mark.parametrize(
    "extras",
    [
        [{"b": 1, "a": "x, y"}, {"b": None, "a": "%s}, {"}],  # one key set; texts that would trip a split
        [{"k%s": True, "k, j": -0.0}, {"k%s": 2**40, "k, j": 'q\\", '}],
        [{"z": [1, {"y": 2, "b": 3}]}, {"z": 1.5}],  # a nested object: its keys are sorted too
        [{"a": float("nan")}, {"b": "é"}, {}],  # key sets that differ
        [{}, {}],
    ],
)
def test_extra_is_the_sorted_json_of_each_entry_s_unknown_fields(extras):
    entries = [entry(f"m{j}", 1300 - j, 1290 - j, 1310 - j, **extra) for j, extra in enumerate(extras)]
    frame = parse(page(leaderboard(entries)))
    expected = [json.dumps(extra, sort_keys=True, ensure_ascii=False) if extra else None for extra in extras]
    assert frame["extra"].to_list() == expected


def test_missing_required_field_names_row_and_field():
    bad = entry("b", 1200, 1190, 1210)
    del bad["ratingUpper"]
    with pytest.raises(ParseError) as info:
        parse(page(leaderboard([entry("a", 1300, 1290, 1310), bad])))
    assert info.value.row == 2 and info.value.field == "ratingUpper"
    assert "test.html" in str(info.value) and "ratingUpper" in str(info.value)


def test_non_numeric_rating_is_a_parse_error():
    with pytest.raises(ParseError, match="rating"):
        parse(page(leaderboard([entry("a", "high", 1290, 1310)])))


def test_duplicate_model_fails_validation_naming_it():
    frame = parse(page(leaderboard([entry("a", 1300, 1290, 1310), entry("A", 1200, 1190, 1210)])))
    with pytest.raises(ValidationError, match="'a' appears more than once"):
        validate(frame, "test.html")


def test_empty_board_is_an_error():
    with pytest.raises(ParseError, match="no entries"):
        parse(page(leaderboard([])))


def test_ci_out_of_order_fails_validation():
    frame = parse(page(leaderboard([entry("a", 1300, 1290, 1310), entry("b", 1200, 1210, 1220)])))
    with pytest.raises(ValidationError) as info:
        validate(frame, "test.html")
    assert info.value.row == 2 and info.value.field == "rating_lower"


def test_page_without_board_payload_is_a_clear_error():
    with pytest.raises(ParseError, match="no leaderboard payload"):
        parse(page(None))


def test_invalid_utf8_is_a_parse_error():
    with pytest.raises(ParseError, match="UTF-8"):
        parse(page(leaderboard([entry("a", 1300, 1290, 1310)])) + b"\xff\xfe")


def test_2025_variant_with_two_tables():
    raw = {
        "leaderboardType": "remove-style-control",
        "voteCutoffISOString": "2025-08-28T00:00:00Z",
        "entries": [
            {
                "modelName": "mai-1-preview",
                "score": 1399,
                "confidenceIntervalLower": 1392,
                "confidenceIntervalUpper": 1406,
                "votes": 4500,
                "rank": 13,
                "modelOrganization": "Microsoft AI",
            }
        ],
    }
    styled = {**raw, "leaderboardType": "default"}
    props = {"arenaSlug": "text", "leaderboards": [raw, styled]}
    text = "0:[]\n7:" + json.dumps(["$", "$L2", None, props]) + "\n"
    body = f"<!DOCTYPE html><html><script>self.__next_f.push([1,{json.dumps(text)}])</script></html>".encode()
    frame = parse(body)
    assert sorted(frame.select("style_control", "rank_meaning").rows()) == [(False, "ub"), (True, "ub")]
    assert frame["rating"].to_list() == [1399.0, 1399.0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("votes", 1.5, "not a whole count"),
        ("votes", 10**30, "not a whole count"),
        ("rank", 10**17, "not a whole count"),
        ("modelOrganization", ["Anthropic"], "list where text was expected"),
        ("modelDisplayName", {"name": "x"}, "dict where text was expected"),
        ("license", "\ud800", "unpaired surrogate"),
    ],
)
def test_malformed_entry_values_are_parse_errors_naming_the_field(field, value, message):
    bad = entry("b", 1200, 1190, 1210)
    bad[field] = value
    with pytest.raises(ParseError, match=message) as info:
        parse(page(leaderboard([entry("a", 1300, 1290, 1310), bad])))
    assert info.value.row == 2 and info.value.field == field


def test_params_of_the_wrong_type_are_a_parse_error():
    board = leaderboard([entry("a", 1300, 1290, 1310)])
    board["params"] = 7
    with pytest.raises(ParseError, match="params"):
        parse(page(board))
    board = leaderboard([entry("a", 1300, 1290, 1310)])
    board["arenaSlug"] = ["text"]
    with pytest.raises(ParseError, match="arenaSlug"):
        parse(page(board))
