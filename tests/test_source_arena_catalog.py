"""The arena-catalog parser on every real copy (history commits and the latest files) and on hand-written
edge cases: board from the file name, dates from the commit folder, duplicate keys, the scatterplot file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import shared_path
from tracker import sources
from tracker.errors import ParseError, ValidationError
from tracker.ingest import files as importer
from tracker.ingest import pipeline
from tracker.ingest.validate import validate
from tracker.sources import arena_catalog

NOW = datetime(2026, 11, 1, tzinfo=UTC)
CATALOG = "lmarena-arena-catalog"


def parse(body: bytes, origin: str = "leaderboard-text.json", **hints) -> pl.DataFrame:
    return arena_catalog.parse(body, origin, fetched_at=NOW, hints=hints)


def board(categories: dict) -> bytes:
    return json.dumps(categories).encode()


def entry(rating, upper=None, lower=None) -> dict:
    return {"rating": rating, "rating_q975": upper, "rating_q025": lower}


@pytest.mark.parametrize(
    ("name", "arena", "style"),
    [
        ("leaderboard-data.json", "text", False),
        ("leaderboard-data-style-control.json", "text", True),
        ("leaderboard-text.json", "text", False),
        ("leaderboard-text-style-control.json", "text", True),
        ("leaderboard-vision.json", "vision", False),
        ("leaderboard-vision-style-control.json", "vision", True),
        ("leaderboard-image.json", "text_to_image", False),
    ],
)
def test_file_name_says_the_board(name, arena, style):
    assert arena_catalog.board_of(name, "x") == (arena, style)


def test_every_history_copy_parses_to_commit_dated_boards():
    history = shared_path(CATALOG, "history")
    files = sorted(history.rglob("leaderboard-*.json"))
    assert len(files) == 75
    for path in files:
        hints = sources.hints_for_path(path)
        folder_date = path.parent.name.split("_")[0]
        assert hints == {"as_of": folder_date, "commit": path.parent.name.split("_")[1]}
        body = path.read_bytes()
        assert sources.detect(body, str(path), hints) is arena_catalog.FORMAT
        frame = validate(arena_catalog.parse(body, str(path), fetched_at=NOW, hints=hints), str(path))
        assert frame["as_of"].unique().to_list() == [datetime.fromisoformat(folder_date).replace(tzinfo=UTC)]
        assert frame["as_of_kind"].unique().to_list() == ["commit_date"]
        assert frame["rank_published"].null_count() == frame.height  # no rank, no votes upstream
        assert frame["votes"].null_count() == frame.height


def test_mai_1_preview_on_both_text_boards_in_november_2025():
    folder = shared_path(CATALOG, "history", "2025-11-06_99f1eadee")
    got = {}
    for name in ("leaderboard-text.json", "leaderboard-text-style-control.json"):
        path = folder / name
        frame = arena_catalog.parse(
            path.read_bytes(), str(path), fetched_at=NOW, hints=sources.hints_for_path(path)
        )
        mai = frame.filter((pl.col("model_key") == "mai-1-preview") & (pl.col("category") == "overall"))
        got[name] = mai.select("style_control", "rating", "rating_lower", "rating_upper").row(0)
    assert got == {
        "leaderboard-text.json": (False, 1393.777, 1388.326, 1399.228),
        "leaderboard-text-style-control.json": (True, 1390.428, 1384.956, 1395.899),
    }


def test_space_category_names_map_to_the_canonical_ones():
    path = shared_path(CATALOG, "history", "2025-01-28_d15d54c77", "leaderboard-data.json")
    frame = arena_catalog.parse(path.read_bytes(), str(path), fetched_at=NOW)
    categories = set(frame["category"])
    assert {
        "overall",
        "hard_prompts",
        "hard_prompts_english",
        "instruction_following",
        "longer_query",
        "multi_turn",
        "exclude_ties",
    } <= categories
    assert not {"full", "hard_6", "if", "long_user", "multiturn"} & categories
    assert frame.filter(pl.col("category") == "overall").height == 195


def test_latest_files_over_http_are_dated_by_capture_time_and_scatterplot_is_not_a_board():
    latest = shared_path(CATALOG, "latest")
    scatter = (latest / "scatterplot-data.json").read_bytes()
    assert not arena_catalog.sniff(scatter, "scatterplot-data.json")
    text = parse(
        (latest / "leaderboard-text.json").read_bytes(),
        "https://raw.githubusercontent.com/x/main/data/leaderboard-text.json",
    )
    assert text.select("as_of", "as_of_kind").unique().rows() == [(NOW, "capture_time")]
    assert text["category"].n_unique() == 29


def test_a_folder_walk_imports_the_boards_and_skips_the_scatterplot(writer, tmp_path):
    latest = shared_path(CATALOG, "latest")
    dated = tmp_path / "2025-12-17_c9558b606"  # the commit MANIFEST.md names for latest/
    dated.mkdir()
    for path in latest.iterdir():
        (dated / path.name).write_bytes(path.read_bytes())
    results, skipped = importer.import_paths(writer, [dated])
    assert skipped == [dated / "scatterplot-data.json"]
    assert sorted(Path(r.origin).name for r in results) == sorted(
        p.name for p in latest.glob("leaderboard-*.json")
    )
    assert all(r.outcome == "new" and r.source == "arena-catalog" for r in results)
    dates = writer.con.execute("select distinct cast(as_of as date), as_of_kind from snapshots").fetchall()
    assert dates == [(datetime(2025, 12, 17).date(), "commit_date")]
    again, _ = importer.import_paths(writer, [dated])
    assert {r.outcome for r in again} == {"unchanged"}


def test_an_undated_local_copy_is_not_read_and_says_why(writer):
    latest = shared_path(CATALOG, "latest")
    results, skipped = importer.import_paths(writer, [latest])  # a walk skips them: no date to give them
    assert results == [] and len(skipped) == 6
    [result], _ = importer.import_paths(
        writer, [latest / "leaderboard-text.json"]
    )  # named: rejected, with why
    assert result.outcome == "rejected"
    assert "without a date" in result.error and "YYYY-MM-DD_COMMIT" in result.error
    assert "tracker backfill arena-catalog" in result.error
    assert writer.con.execute("select count(*) from snapshots").fetchall() == [(0,)]


def test_style_suffix_in_a_category_name_overrides_the_file():
    frame = parse(
        board({"full": {"a": entry(1300, 1310, 1290)}, "full_style_control": {"a": entry(1280, 1290, 1270)}})
    )
    assert frame.select("category", "style_control", "rating").rows() == [
        ("overall", False, 1300.0),
        ("overall", True, 1280.0),
    ]


def test_missing_bounds_are_allowed_but_a_missing_rating_is_not():
    frame = parse(board({"full": {"a": entry(1300)}}))
    assert frame.select("rating", "rating_lower", "rating_upper").row(0) == (1300.0, None, None)
    with pytest.raises(ParseError) as info:
        parse(board({"full": {"a": entry(1300, 1310, 1290), "b": {"rating_q975": 1}}}))
    assert info.value.row == 2 and info.value.field == "rating" and "'b'" in str(info.value)


def test_non_numeric_values_name_category_model_and_field():
    with pytest.raises(ParseError) as info:
        parse(board({"coding": {"a": entry(1300, "high", 1290)}}))
    assert info.value.field == "rating_q975" and "category 'coding', model 'a'" in str(info.value)
    with pytest.raises(ParseError, match="not a number"):
        parse(board({"coding": {"a": entry(True, 1310, 1290)}}))


def test_a_key_repeated_in_one_category_fails_validation_naming_it():
    body = (
        b'{"full": {"gpt-4o": {"rating": 1300, "rating_q975": 1310, "rating_q025": 1290},'
        b' "gpt-4o": {"rating": 1200, "rating_q975": 1210, "rating_q025": 1190}}}'
    )
    frame = parse(body)
    assert frame.height == 2  # json.loads would have kept only the last one
    with pytest.raises(ValidationError, match="'gpt-4o' appears more than once on one board"):
        validate(frame, "leaderboard-text.json")
    case_variants = parse(
        board({"full": {"GPT-4o": entry(1300, 1310, 1290), "gpt-4o": entry(1200, 1210, 1190)}})
    )
    with pytest.raises(ValidationError, match="appears more than once"):
        validate(case_variants, "leaderboard-text.json")


def test_a_file_name_that_names_no_board_is_a_clear_error_unless_hinted():
    body = board({"full": {"a": entry(1300, 1310, 1290)}})
    with pytest.raises(ParseError, match="leaderboard-\\{text,vision,image\\}"):
        parse(body, "/tmp/download.json")
    assert parse(body, "/tmp/download.json", file="leaderboard-vision.json")["arena"][0] == "vision"


def test_commit_time_hint_and_bad_hints():
    body = board({"full": {"a": entry(1300, 1310, 1290)}})
    frame = parse(body, as_of="2025-03-07T18:22:11Z")
    assert frame.select("as_of", "as_of_kind").row(0) == (
        datetime(2025, 3, 7, 18, 22, 11, tzinfo=UTC),
        "commit_date",
    )
    with pytest.raises(ParseError, match="as_of hint 'yesterday'"):
        parse(body, as_of="yesterday")


def test_shape_errors():
    with pytest.raises(ParseError, match="not valid JSON"):
        parse(b'{"full": ')
    with pytest.raises(ParseError, match="expected an object"):
        parse(b"[1, 2]")
    with pytest.raises(ParseError, match="is not an object of models"):
        parse(board({"full": [1, 2]}))
    with pytest.raises(ParseError, match="no models"):
        parse(board({"full": {}}))


def test_reparse_keeps_the_commit_date_carried_in_the_origin(writer):
    from tracker.ingest import reparse

    path = shared_path(CATALOG, "history", "2025-03-07_b3b0fef89", "leaderboard-vision.json")
    origin = sources.origin_with_hints(
        "https://raw.githubusercontent.com/lmarena/arena-catalog/b3b0fef89/data/leaderboard-vision.json",
        {"as_of": "2025-03-07T10:11:12Z", "commit": "b3b0fef89"},
    )
    hints = sources.hints_for_path(Path(origin))
    assert hints == {"as_of": "2025-03-07T10:11:12Z", "commit": "b3b0fef89"}
    result = pipeline.ingest(writer, pipeline.Payload(path.read_bytes(), origin, NOW, hints=hints))
    assert result.outcome == "new"
    query = "select distinct as_of, as_of_kind from snapshots"
    before = writer.con.execute(query).fetchall()
    assert before == [(datetime(2025, 3, 7, 10, 11, 12, tzinfo=UTC), "commit_date")]
    reparse.reparse(writer)
    assert writer.con.execute(query).fetchall() == before
