"""The Space's leaderboard_table CSVs (four header eras, metadata and 2023 ratings) and the pickle refusal."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import shared_path
from tracker import identity, sources
from tracker.errors import ParseError, UnsafeFormatError
from tracker.ingest import pipeline
from tracker.ingest.validate import validate
from tracker.sources import legacy_space

NOW = datetime(2026, 11, 1, tzinfo=UTC)
SPACE = "utterstep-chatbot-arena-leaderbord-vis"

ERA_1 = (
    "Model,MT-bench (win rate %),MT-bench (score),Arena Elo rating,MMLU,License,Link\n"
    "GPT-4,69.38%,8.99,1227,0.864,Proprietary,https://openai.com/research/gpt-4\n"
    "Vicuna-33B,43.75%,7.12,-,0.592,Non-commercial,https://huggingface.co/lmsys/vicuna-33b-v1.3\r\n"
    "Claude-v1,46.88%,7.90,1178,0.756,Proprietary,https://www.anthropic.com/index/introducing-claude\r\n"
)
ERA_2 = (
    "Model,MT-bench (score),Arena Elo rating,MMLU,License,Link\n"
    "GPT-4-Turbo,9.32,1249,-,Proprietary,https://openai.com/blog/new-models\n"
    "Claude-1,7.9,1149,0.770,Proprietary,https://www.anthropic.com/index/introducing-claude\n"
)
ERA_3 = (
    "key,Model,MT-bench (score),MMLU,License,Organization,Link\n"
    "gpt-4-turbo,GPT-4-Turbo,9.32,-,Proprietary,OpenAI,https://openai.com/blog/new-models\n"
    "tulu-30b,Tulu-30B,6.43,0.581,Non-commercial,,https://huggingface.co/allenai/tulu-30b\n"
)
ERA_4 = (
    "key,Model,MT-bench (score),MMLU,Knowledge cutoff date,License,Organization,Link\n"
    "yi-34b-chat,Yi-34B-Chat,-,0.735,2023/6,Yi License,01 AI,https://huggingface.co/01-ai/Yi-34B-Chat\n"
    "chatgpt-4o-latest-20240903,ChatGPT-4o-latest (2024-09-03),-,-,2023/10,Proprietary,OpenAI,https://x\n"
    "yi-34b-chat,Yi-34B-Chat,-,0.735,2023/6,Yi License,01 AI,https://huggingface.co/01-ai/Yi-34B-Chat\n"
)


def parse(text: str, name: str = "leaderboard_table_20230619.csv") -> pl.DataFrame:
    return legacy_space.parse(text.encode(), name, fetched_at=NOW)


def sightings(text: str, name: str = "leaderboard_table_20240828.csv") -> pl.DataFrame:
    return identity.sightings_of(legacy_space.FORMAT, text.encode(), name, fetched_at=NOW)


@pytest.mark.parametrize(
    "text", [ERA_1, ERA_2, ERA_3, ERA_4], ids=["2023-06", "2023-07", "2024-01", "2024-01-25"]
)
def test_every_header_era_is_detected(text):
    assert sources.detect(text.encode(), "leaderboard_table_20240101.csv") is legacy_space.FORMAT


def test_2023_rows_with_an_elo_rating_become_the_raw_text_board_keyed_on_the_display_name():
    frame = validate(parse(ERA_1), "t")
    assert frame["model_key"].to_list() == ["gpt-4", "claude-v1"]  # '-' rating: no standing
    assert frame.select("arena", "category", "style_control", "as_of_kind").unique().rows() == [
        ("text", "overall", False, "publish_date")
    ]
    assert frame["as_of"].unique().to_list() == [datetime(2023, 6, 19, tzinfo=UTC)]
    gpt4 = frame.row(0, named=True)
    assert (gpt4["display_name"], gpt4["rating"], gpt4["rank_published"], gpt4["rank_meaning"]) == (
        "GPT-4",
        1227.0,
        None,
        None,
    )
    assert json.loads(gpt4["extra"])["MT-bench (win rate %)"] == "69.38%"


def test_second_era_reads_the_same_way():
    frame = validate(parse(ERA_2, "leaderboard_table_20231220.csv"), "t")
    assert frame.select("model_key", "rating").rows() == [("gpt-4-turbo", 1249.0), ("claude-1", 1149.0)]


@pytest.mark.parametrize("text", [ERA_3, ERA_4], ids=["2024-01", "2024-01-25"])
def test_2024_files_are_metadata_only(text):
    assert parse(text, "leaderboard_table_20240828.csv").is_empty()
    seen = sightings(text)
    assert seen["keyed"].unique().to_list() == [True]
    assert seen["as_of"].unique().to_list() == [datetime(2024, 8, 28, tzinfo=UTC)]


def test_metadata_keeps_organisation_licence_cutoff_and_link_and_lists_a_repeated_key_once():
    seen = sightings(ERA_4)
    assert seen["model_key"].to_list() == ["yi-34b-chat", "chatgpt-4o-latest-20240903"]
    row = seen.row(1, named=True)
    assert (row["display_name"], row["organization"], row["license"], row["knowledge_cutoff"]) == (
        "ChatGPT-4o-latest (2024-09-03)",
        "OpenAI",
        "Proprietary",
        "2023/10",
    )


def test_empty_organisation_and_dash_are_missing_not_text():
    seen = sightings(ERA_3)
    assert seen.filter(pl.col("model_key") == "tulu-30b")["organization"].to_list() == [None]
    assert sightings(ERA_1, "leaderboard_table_20230619.csv")["organization"].to_list() == [None] * 3


def test_the_publish_date_comes_from_the_file_name_or_a_hint():
    assert parse(ERA_2, "leaderboard_table_20231116.csv")["as_of"][0] == datetime(2023, 11, 16, tzinfo=UTC)
    hinted = legacy_space.parse(ERA_2.encode(), "upload.csv", fetched_at=NOW, hints={"as_of": "2023-12-06"})
    assert hinted["as_of"][0] == datetime(2023, 12, 6, tzinfo=UTC)
    with pytest.raises(ParseError, match=r"upload\.csv.*leaderboard_table_YYYYMMDD"):
        legacy_space.parse(ERA_2.encode(), "upload.csv", fetched_at=NOW)
    assert legacy_space.hints_for_path(Path("a/leaderboard_table_20240109.csv")) == {"as_of": "2024-01-09"}


def test_a_rating_that_is_not_a_number_names_row_and_field():
    with pytest.raises(ParseError) as err:
        parse(ERA_2.replace("1249", "12x9"), "leaderboard_table_20231220.csv")
    assert (err.value.row, err.value.field) == (2, "Arena Elo rating")


class _Trap:
    """Unpickling this creates a file: proof that nothing was unpickled when the file stays absent."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.touch, (self.target,))


@pytest.mark.parametrize("name", ["elo_results_20240813.pkl", "upload.bin"])
def test_a_pickle_is_refused_and_never_loaded(tmp_path, writer, name):
    trap = tmp_path / "unpickled"
    body = pickle.dumps(_Trap(trap), protocol=4)
    assert sources.detect(body, name) is legacy_space.FORMAT  # by name and by the magic bytes
    with pytest.raises(
        UnsafeFormatError, match=r"(?s)pickle.*runs arbitrary code.*leaderboard_table_YYYYMMDD\.csv"
    ):
        legacy_space.parse(body, name, fetched_at=NOW)
    result = pipeline.ingest(writer, pipeline.Payload(body, name, NOW))
    assert result.outcome == "rejected" and "refusing to load a Python pickle" in result.error
    assert not trap.exists()
    assert writer.con.execute("select count(*) from snapshots").fetchall() == [(0,)]


def test_an_lfs_pointer_named_like_a_pickle_is_refused_too():
    body = b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n"
    with pytest.raises(UnsafeFormatError):
        legacy_space.parse(body, "elo_results_20230508.pkl", fetched_at=NOW)


@pytest.mark.parametrize(
    ("name", "rated", "sighted"),
    [
        ("leaderboard_table_20230619.csv", 20, 31),
        ("leaderboard_table_20231220.csv", 51, 65),
        ("leaderboard_table_20240109.csv", 0, 68),
        ("leaderboard_table_20250511.csv", 0, 292),
    ],
)
def test_real_files_of_each_era(name, rated, sighted):
    path = shared_path(SPACE, name)
    body = path.read_bytes()
    assert sources.detect(body, str(path)) is legacy_space.FORMAT
    frame = legacy_space.parse(body, str(path), fetched_at=NOW)
    assert frame.height == rated
    if rated:
        validate(frame, str(path))
    assert identity.sightings_of(legacy_space.FORMAT, body, str(path), fetched_at=NOW).height == sighted


def test_real_2023_file_has_the_published_elo():
    path = shared_path(SPACE, "leaderboard_table_20230619.csv")
    frame = legacy_space.parse(path.read_bytes(), str(path), fetched_at=NOW)
    assert frame.filter(pl.col("model_key") == "gpt-4")["rating"].to_list() == [1227.0]


def test_every_real_file_parses(shared_data):
    files = sorted((shared_data / SPACE).glob("leaderboard_table_*.csv"))
    assert len(files) == 111
    for path in files:
        body = path.read_bytes()
        frame = legacy_space.parse(body, str(path), fetched_at=NOW)
        if frame.height:
            validate(frame, str(path))
        assert identity.sightings_of(legacy_space.FORMAT, body, str(path), fetched_at=NOW).height > 0


def test_metadata_files_import_as_sightings_once(writer):
    path = shared_path(SPACE, "leaderboard_table_20250511.csv")
    payload = pipeline.Payload(path.read_bytes(), str(path), NOW)
    first = pipeline.ingest(writer, payload)
    assert (first.outcome, first.snapshots_new) == ("new", 0)
    count = writer.con.execute("select count(*) from model_sightings").fetchall()[0][0]
    assert count == 292
    assert pipeline.ingest(writer, payload).outcome == "unchanged"
    assert writer.con.execute("select count(*) from model_sightings").fetchall()[0][0] == count


@pytest.mark.parametrize(
    "parts",
    [
        (SPACE, "index.csv"),
        (SPACE, "elo_data.json"),
        (SPACE, "arena_hard_auto_leaderboard_v0.1.csv"),
        (SPACE, "elo_results_pkl_lfs_pointers.csv"),
        ("fboulnois-llm-leaderboard-csv", "index.csv"),
        ("jasontrigg0-chatbot-arena-history", "alltime_by_org.csv"),
        ("kevinschaul-lmarena-leaderboard-history", "dates_in_history.csv"),
    ],
    ids=lambda parts: "/".join(parts),
)
def test_files_that_are_not_boards_are_not_detected(parts):
    path = shared_path(*parts)
    with pytest.raises(sources.UnknownFormatError):
        sources.detect(path.read_bytes(), str(path), sources.hints_for_path(path))
