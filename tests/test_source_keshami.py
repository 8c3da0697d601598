"""The Gradio-era tables (KeSHaMI copy): one raw overall board per arena table, keys from the overview
table when it lines up row for row, the arena-hard benchmark skipped."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest

from tests.conftest import shared_path
from tracker import sources
from tracker.errors import ParseError
from tracker.ingest.validate import validate
from tracker.sources import keshami

NOW = datetime(2026, 11, 1, tzinfo=UTC)
BOARD = [
    "Rank* (UB)",
    "Rank (StyleCtrl)",
    "Model",
    "Arena Score",
    "95% CI",
    "Votes",
    "Organization",
    "License",
]
OVERVIEW = ["Model", "Overall", "Overall w/ Style Control", "Coding"]


def tables(overview_rows) -> bytes:
    meta = {
        "captured": "2025-03-28 (commit date)",
        "last_updated_markdown": ["Last updated: 2025-03-25 (text/vision)"],
    }
    board = [
        [
            1,
            1,
            {"name": "Gemini-2.5-Pro-Exp-03-25", "url": "u"},
            1443,
            "+11/-8",
            3474,
            "Google",
            "Proprietary",
        ],
        [
            2,
            2,
            {"name": "ChatGPT-4o-latest (2025-03-26)", "url": "u"},
            1408,
            "+11/-12",
            2676,
            "OpenAI",
            "Proprietary",
        ],
    ]
    copilot = [
        [1, "[Deepseek V2.5 (FIM)](https://hf.co/x)", 1029, "+14 / -15", 2292, "Deepseek AI", "Deepseek"]
    ]
    hard = [[1, {"name": "GPT-4-Turbo", "url": "u"}, 82.6, "+2.0/-1.9", 662.0, "OpenAI"]]
    return json.dumps(
        {
            "meta": meta,
            "tables": [
                {"headers": BOARD, "rows": board, "arena_guess": "text / overall (default view)"},
                {"headers": OVERVIEW, "rows": overview_rows, "arena_guess": "text / arena overview"},
                {
                    "headers": [h for h in BOARD if h != "Rank (StyleCtrl)"],
                    "rows": copilot,
                    "arena_guess": "copilot arena",
                },
                {
                    "headers": [
                        "Rank* (UB)",
                        "Model",
                        "Win-rate",
                        "95% CI",
                        "Average Tokens",
                        "Organization",
                    ],
                    "rows": hard,
                    "arena_guess": "arena-hard-auto v0.1",
                },
            ],
        }
    ).encode()


ALIGNED = [["gemini-2.5-pro-exp-03-25", 1, 1, 1], ["chatgpt-4o-latest-20250326", 2, 2, 1]]


def test_board_rows_get_the_keys_of_an_aligned_overview_table():
    frame = validate(keshami.parse(tables(ALIGNED), "g.json", fetched_at=NOW), "g")
    text = frame.filter(pl.col("arena") == "text")
    assert text.select("model_key", "display_name").rows() == [
        ("gemini-2.5-pro-exp-03-25", "Gemini-2.5-Pro-Exp-03-25"),
        ("chatgpt-4o-latest-20250326", "ChatGPT-4o-latest (2025-03-26)"),
    ]
    assert text.select("as_of", "as_of_kind", "rank_meaning", "style_control").unique().rows() == [
        (datetime(2025, 3, 25, tzinfo=UTC), "publish_date", "ub", False)
    ]
    assert text.row(0, named=True)["rating_lower"] == 1435.0


def test_a_misaligned_overview_leaves_the_shown_names_as_keys():
    frame = keshami.parse(tables([ALIGNED[1], ALIGNED[0]]), "g.json", fetched_at=NOW)
    assert frame.filter(pl.col("arena") == "text")["model_key"].to_list() == [
        "gemini-2.5-pro-exp-03-25",
        "chatgpt-4o-latest (2025-03-26)",
    ]


def test_markdown_link_names_spaced_ci_and_the_benchmark_table_is_skipped():
    frame = keshami.parse(tables(ALIGNED), "g.json", fetched_at=NOW)
    assert set(frame["arena"]) == {"text", "copilot"}
    copilot = frame.filter(pl.col("arena") == "copilot").row(0, named=True)
    assert (copilot["display_name"], copilot["rating_lower"], copilot["rating_upper"]) == (
        "Deepseek V2.5 (FIM)",
        1014.0,
        1043.0,
    )
    assert (copilot["as_of"], copilot["as_of_kind"]) == (datetime(2025, 3, 28, tzinfo=UTC), "commit_date")
    assert (copilot["organization"], copilot["license"]) == ("Deepseek AI", "Deepseek")


def test_real_copy():
    path = shared_path("keshami-lmarena-monitor", "gradio_tables_2025-03-28.json")
    body = path.read_bytes()
    assert sources.detect(body, str(path)) is keshami.FORMAT
    frame = validate(keshami.parse(body, str(path), fetched_at=NOW), str(path))
    counts = dict(frame.group_by("arena").len().rows())
    assert counts == {"text": 183, "vision": 48, "text_to_image": 8, "copilot": 13}
    text = frame.filter(pl.col("arena") == "text")
    assert (
        text["model_key"] != text["display_name"].str.to_lowercase()
    ).sum() == 49  # keys came from the overview
    assert json.loads(text.row(0, named=True)["extra"])["rank_style_control_ub"] == 1


def hostile(mutate) -> ParseError:
    """The ParseError of the hand-written page after ``mutate(document)``."""
    document = json.loads(tables(ALIGNED))
    mutate(document)
    with pytest.raises(ParseError) as err:
        keshami.parse(json.dumps(document).encode(), "g.json", fetched_at=NOW)
    return err.value


def test_json_nested_thousands_deep_is_a_parse_error():
    body = tables(ALIGNED).replace(b'"Google"', b"[" * 5000 + b"]" * 5000)
    with pytest.raises(ParseError, match="nested deeper"):
        keshami.parse(body, "g.json", fetched_at=NOW)


def test_meta_that_is_not_an_object_names_meta():
    assert hostile(lambda d: d.update(meta=["Last updated: 2025-03-25 (text)"])).field == "meta"


def test_an_impossible_last_updated_date_names_the_line():
    error = hostile(
        lambda d: d["meta"].update(last_updated_markdown=["x", "Last updated: 2025-13-45 (text)"])
    )
    assert (error.row, error.field) == (2, "meta.last_updated_markdown")


def test_board_rows_of_the_wrong_type_are_parse_errors():
    assert hostile(lambda d: d["tables"][0].update(rows=7)).field == "rows"
    error = hostile(lambda d: d["tables"][0]["rows"].__setitem__(1, 42))
    assert error.row == 2
    assert "not a list of cells" in error.detail


def test_a_table_that_is_not_an_object_is_no_board_and_is_skipped():
    document = json.loads(tables(ALIGNED))
    document["tables"][3] = "arena-hard"
    document["tables"][1]["rows"][0] = 42  # a broken overview lines up with nothing
    frame = keshami.parse(json.dumps(document).encode(), "g.json", fetched_at=NOW)
    assert set(frame["arena"]) == {"text", "copilot"}
    assert "chatgpt-4o-latest (2025-03-26)" in frame["model_key"].to_list()


def test_a_list_where_the_organisation_belongs_names_table_row_and_field():
    error = hostile(lambda d: d["tables"][0]["rows"][1].__setitem__(6, ["OpenAI"]))
    assert (error.origin, error.row, error.field) == ("g.json (table 1)", 2, "Organization")


def test_a_lone_surrogate_in_a_model_name_names_row_and_field():
    error = hostile(lambda d: d["tables"][2]["rows"][0].__setitem__(1, "[Deepseek \ud800](https://hf.co/x)"))
    assert (error.origin, error.row, error.field) == ("g.json (table 3)", 1, "Model")
    assert "lone surrogate" in error.detail


def test_votes_beyond_the_column_name_row_and_field():
    error = hostile(lambda d: d["tables"][0]["rows"][0].__setitem__(5, "1e999"))
    assert (error.row, error.field) == (1, "Votes")
