"""fboulnois' CSV renders: lmsys_*.csv (rank = Rank UB) and lmarena_*.csv (ordinal rank, mislabelled
rank_stylectrl), "+a/-b" CIs, integer scores, dates and arenas from the file name."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import shared_path
from tracker import sources
from tracker.errors import ParseError
from tracker.ingest.validate import validate
from tracker.sources import fboulnois

NOW = datetime(2026, 11, 1, tzinfo=UTC)
SNAPSHOTS = ("fboulnois-llm-leaderboard-csv", "snapshots")
HEADER = "rank,rank_stylectrl,model,arena_score,95_pct_ci,votes,organization,license,knowledge_cutoff,url\n"
ROWS = (
    "1,1,Gemini-2.5-Pro,1470,+5/-5,26019,Google,Proprietary,,http://a\n"
    "2,2,Gemini-2.5-Pro-Preview-05-06,1446,+6/-6,13715,Google,Proprietary,,http://b\n"
    "3,2,GLM-4.5,1434,+9/-9,4112,Z.ai,MIT,,https://z.ai/blog/glm-4.5\n"
)


def parse(text: str, name: str) -> pl.DataFrame:
    return validate(fboulnois.parse(text.encode(), name, fetched_at=NOW), name)


def test_lmsys_rank_is_rank_ub_and_rank_stylectrl_is_the_style_board_rank():
    frame = parse(HEADER + ROWS, "lmsys_2025-07-18.csv")
    assert frame["rank_meaning"].unique().to_list() == ["ub"]
    assert frame.select("arena", "category", "style_control").unique().rows() == [("text", "overall", False)]
    glm = frame.filter(pl.col("model_key") == "glm-4.5").row(0, named=True)
    assert (glm["rating"], glm["rating_lower"], glm["rating_upper"], glm["votes"], glm["rank_published"]) == (
        1434.0,
        1425.0,
        1443.0,
        4112,
        3,
    )
    assert json.loads(glm["extra"])["rank_style_control_ub"] == 2
    assert frame["as_of"].unique().to_list() == [datetime(2025, 7, 18, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("name", "arena"),
    [
        ("lmarena_text_2025-08-04.csv", "text"),
        ("lmarena_vision_2025-08-04.csv", "vision"),
        ("lmarena_image_2025-08-04.csv", "text_to_image"),
    ],
)
def test_lmarena_files_publish_ordinal_rank_and_the_arena_is_in_the_name(name, arena):
    frame = parse(HEADER + ROWS, name)
    assert frame["rank_meaning"].unique().to_list() == ["ordinal"]
    assert frame["arena"].unique().to_list() == [arena]
    # the mislabelled column is this (raw) board's Rank (UB), kept under an honest name
    assert json.loads(frame.row(2, named=True)["extra"])["rank_ub_published"] == 2


def test_an_unequal_ci_reads_upper_then_lower():
    frame = parse(HEADER + "1,1,X,1300,+11/-8,3474,Google,Proprietary,,u\n", "lmsys_2025-03-26.csv")
    assert frame.select("rating_lower", "rating_upper").row(0) == (1292.0, 1311.0)


def test_the_2024_header_with_arena_elo_and_no_stylectrl_column():
    text = "rank,model,arena_elo,95_pct_ci,votes,organization,license,knowledge_cutoff,url\n1,GPT-4o-2024-05-13,1287,+3/-3,42046,OpenAI,Proprietary,2023/10,u\n"
    frame = parse(text, "lmsys_2024-06-19.csv")
    assert frame.select("model_key", "display_name", "rating").row(0) == (
        "gpt-4o-2024-05-13",
        "GPT-4o-2024-05-13",
        1287.0,
    )


def test_without_a_date_in_the_name_the_fetch_time_is_a_capture_time():
    frame = parse(
        HEADER + ROWS, "https://raw.githubusercontent.com/fboulnois/llm-leaderboard-csv/main/csv/lmsys.csv"
    )
    assert frame["as_of_kind"].unique().to_list() == ["capture_time"]
    assert frame["as_of"].unique().to_list() == [NOW]


def test_a_repeated_row_is_kept_once_and_a_name_shared_by_two_models_keeps_both():
    text = HEADER + ROWS + "4,3,GLM-4.5,1434,+9/-9,4112,Z.ai,MIT,,u\n5,4,GLM-4.5,1400,+9/-9,999,Z.ai,MIT,,u\n"
    frame = parse(text, "lmarena_text_2025-08-04.csv")
    glm = frame.filter(pl.col("display_name") == "GLM-4.5").sort("rating", descending=True)
    assert glm.select("model_key", "rating").rows() == [("glm-4.5", 1434.0), ("glm-4.5 #2", 1400.0)]


def test_bad_ci_text_names_row_and_field():
    with pytest.raises(ParseError) as err:
        fboulnois.parse(
            (HEADER + ROWS.replace("+9/-9", "9?")).encode(), "lmsys_2025-07-18.csv", fetched_at=NOW
        )
    assert (err.value.row, err.value.field) == (4, "95_pct_ci")


def test_hints_from_the_path():
    assert fboulnois.hints_for_path(Path("s/lmarena_vision_2025-07-27.csv")) == {
        "family": "lmarena",
        "arena": "vision",
        "as_of": "2025-07-27",
    }
    assert fboulnois.hints_for_path(Path("s/lmsys_2024-06-19.csv")) == {
        "family": "lmsys",
        "as_of": "2024-06-19",
    }


def test_every_real_snapshot_parses_on_its_board(shared_data):
    folder = shared_data.joinpath(*SNAPSHOTS)
    files = sorted(folder.glob("*.csv"))
    assert len(files) == 100
    boards = set()
    for path in files:
        body = path.read_bytes()
        assert sources.detect(body, str(path)) is fboulnois.FORMAT
        frame = validate(
            fboulnois.parse(body, str(path), fetched_at=NOW, hints=fboulnois.hints_for_path(path)), str(path)
        )
        boards |= set(frame.select("arena", "rank_meaning").unique().rows())
    assert boards == {
        ("text", "ub"),
        ("text", "ordinal"),
        ("vision", "ordinal"),
        ("text_to_image", "ordinal"),
    }


def test_real_lmarena_rank_is_the_ordinal_position_and_lmsys_rank_is_rank_ub():
    text = shared_path(*SNAPSHOTS, "lmarena_text_2025-08-04.csv")
    frame = fboulnois.parse(text.read_bytes(), str(text), fetched_at=NOW)
    ranks = frame["rank_published"].to_list()
    assert ranks == sorted(set(ranks))  # positions: no ties, in file order
    assert frame["rating"].is_sorted(descending=True)
    lmsys = shared_path(*SNAPSHOTS, "lmsys_2025-07-18.csv")
    frame = fboulnois.parse(lmsys.read_bytes(), str(lmsys), fetched_at=NOW).with_row_index("i")
    ub = (
        frame.join(frame.select(pl.col("rating_lower").alias("other_lower")), how="cross")
        .group_by("i")
        .agg(
            (1 + (pl.col("other_lower") > pl.col("rating_upper")).sum()).alias("ub"),
            pl.col("rank_published").first(),
        )
    )
    assert ub.height == 218
    # the file's scores and bounds are rounded to integers, so a recomputed Rank (UB) can be a few places off
    # where many bounds sit within a point of each other; an ordinal rank would be off by far more
    assert ub.filter((pl.col("ub").cast(pl.Int64) - pl.col("rank_published")).abs() > 3).is_empty()
    assert ub.filter(pl.col("ub") == pl.col("rank_published")).height > 0.7 * ub.height
    assert len(set(frame["rank_published"])) < frame.height  # Rank (UB) has ties
