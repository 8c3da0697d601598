"""The official dataset parser (arena-dataset) on the real datasets-server copies, on generated Parquet files
in the official schema, and on hand-written pages for the edge cases."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from tests import dataset_files
from tests import pages as arena_pages
from tests.cli import run_tracker
from tests.conftest import Route, shared_path
from tracker import sources, store
from tracker.config import load_settings
from tracker.errors import ParseError, ValidationError
from tracker.http import make_client
from tracker.ingest import fetch as poller
from tracker.ingest import pipeline, reparse
from tracker.ingest.validate import validate
from tracker.sources import arena_dataset

NOW = datetime(2026, 11, 1, tzinfo=UTC)
DOTKRNL = ("dotkrnl-ipbr-rank", "lmarena_overall_datasets-server_rows_latest_2026-04-23.json")
ROWS_URL = (
    "https://datasets-server.huggingface.co/rows?dataset=lmarena-ai%2Fleaderboard-dataset"
    "&config={config}&split=latest&offset=0&length=100"
)


def parse(body: bytes, origin: str = "page.json", **hints) -> pl.DataFrame:
    return arena_dataset.parse(body, origin, fetched_at=NOW, hints=hints)


def row(model: str, rating: float, lower: float | None, upper: float | None, **fields) -> dict:
    base = {
        "model_name": model,
        "organization": "org",
        "license": "Proprietary",
        "rating": rating,
        "rating_lower": lower,
        "rating_upper": upper,
        "variance": 4.0,
        "vote_count": 1000.0,
        "rank": 1.0,
        "category": "overall",
        "leaderboard_publish_date": "2026-04-23",
    }
    return {**base, **fields}


def page(rows: list[dict], **extra) -> bytes:
    return json.dumps(
        {
            "features": [],
            "rows": [{"row_idx": i, "row": r, "truncated_cells": []} for i, r in enumerate(rows)],
            "num_rows_total": len(rows),
            "num_rows_per_page": 100,
            "partial": False,
            **extra,
        }
    ).encode()


# ---- the real copies ---------------------------------------------------------------------------------


def test_saved_rows_wrapper_gives_every_config_and_mai_1_preview():
    body = shared_path(*DOTKRNL).read_bytes()
    assert sources.detect(body, "x.json") is arena_dataset.FORMAT
    frame = validate(parse(body), "x.json")
    assert frame.height == 8540 + 256 + 25 + 21
    boards = frame.group_by("arena", "style_control").len().sort("arena").rows()
    assert boards == [
        ("document", False, 21),
        ("search", False, 25),
        ("text", False, 8540),
        ("webdev", False, 256),
    ]
    text = frame.filter(pl.col("arena") == "text")
    assert text["category"].n_unique() == 27
    assert {"overall", "hard_prompts", "creative_writing", "instruction_following"} <= set(text["category"])
    mai = text.filter((pl.col("model_key") == "mai-1-preview") & (pl.col("category") == "overall")).row(
        0, named=True
    )
    assert mai["as_of"] == datetime(2026, 4, 23, tzinfo=UTC) and mai["as_of_kind"] == "publish_date"
    assert (mai["rank_published"], round(mai["rating"], 3), mai["votes"]) == (102, 1393.502, 17901)
    assert (round(mai["rating_lower"], 2), round(mai["rating_upper"], 2)) == (1388.08, 1398.92)
    assert mai["organization"] == "microsoft-ai"
    assert json.loads(mai["extra"]) == {"variance": pytest.approx(7.6486, abs=1e-4)}
    # 2026 ranks are the ordinal position (UPSTREAM.md 3), decided per snapshot from the data
    assert text.filter(pl.col("category") == "overall")["rank_meaning"].unique().to_list() == ["ordinal"]
    # the latest split mixes publish dates: webdev rows of 2026-04-14 are a snapshot of their own
    assert sorted(frame.filter(pl.col("arena") == "webdev")["as_of"].dt.date().unique()) == [
        date(2026, 4, 14),
        date(2026, 4, 23),
    ]


def test_filter_pages_take_the_config_from_their_provenance():
    folder = shared_path("monomind-ai-lab-tokenbench")
    got = {}
    for path in sorted(folder.glob("*.json")):
        body = path.read_bytes()
        assert sources.detect(body, str(path)) is arena_dataset.FORMAT
        frame = validate(parse(body, str(path)), str(path))
        got[path.stem] = frame.row(0, named=True)
    styled = got["text_style_control"]
    assert (styled["arena"], styled["category"], styled["style_control"]) == ("text", "overall", True)
    assert (styled["model_key"], styled["votes"], styled["rank_published"]) == ("claude-fable-5", 17799, 1)
    assert got["text_style_control_page_100"]["organization"] is None  # "" upstream
    assert got["text_style_control_page_100"]["rank_meaning"] is None  # 1 row at rank 161 proves nothing
    assert (got["text_to_image"]["arena"], got["text_to_image"]["style_control"]) == ("text_to_image", False)


def test_agent_schema_maps_score_and_observations():
    body = shared_path("monomind-ai-lab-tokenbench", "agent.json").read_bytes()
    agent = parse(body, "agent.json").row(0, named=True)
    assert agent["arena"] == "agent" and agent["model_key"] == "claude opus 5 (high)"
    assert agent["display_name"] == "Claude Opus 5 (High)"
    assert (agent["rating"], agent["rating_lower"], agent["rating_upper"]) == pytest.approx(
        (0.120999, 0.107016, 0.134983), abs=1e-6
    )
    assert agent["votes"] == 1845220
    assert json.loads(agent["extra"]) == {"session_count": 19135}


# ---- generated Parquet in the official schema --------------------------------------------------------


def test_full_parquet_reads_every_publish_with_its_rank_meaning(tmp_path):
    frame = dataset_files.full_frame(models=40, dates=30)
    path = tmp_path / "text_style_control" / "full-00000-of-00001.parquet"
    path.parent.mkdir()
    path.write_bytes(dataset_files.parquet_bytes(frame))
    hints = sources.hints_for_path(path)
    assert hints == {"config": "text_style_control", "split": "full"}
    body = path.read_bytes()
    assert sources.detect(body, str(path), hints) is arena_dataset.FORMAT
    got = validate(arena_dataset.parse(body, str(path), fetched_at=NOW, hints=hints), str(path))
    assert got.height == frame.height
    assert got.select("arena", "style_control").unique().rows() == [("text", True)]
    assert got["as_of"].n_unique() == 30
    meaning = got.group_by("as_of").agg(pl.col("rank_meaning").unique()).sort("as_of")
    expected = ["ub" if d < dataset_files.ORDINAL_FROM else "ordinal" for d in meaning["as_of"].dt.date()]
    assert [m[0] for m in meaning["rank_meaning"]] == expected
    assert got["votes"].dtype == pl.Int64 and got["rank_published"].dtype == pl.Int32


def test_integer_counts_and_a_config_hint_for_a_file_outside_its_folder(tmp_path):
    frame = dataset_files.full_frame(models=10, dates=3, float_counts=False)
    body = dataset_files.parquet_bytes(frame)
    with pytest.raises(ParseError, match="--dataset-config"):
        parse(body, str(tmp_path / "download.parquet"))
    got = parse(body, str(tmp_path / "download.parquet"), config="vision")
    assert got.select("arena", "style_control").unique().rows() == [("vision", False)]
    assert got["votes"].to_list() == frame["vote_count"].to_list()


def test_unknown_config_is_a_clear_error():
    body = dataset_files.parquet_bytes(dataset_files.full_frame(models=5, dates=1))
    with pytest.raises(ParseError) as info:
        parse(body, "/x/text_to_hologram/full-00000-of-00001.parquet")
    assert "text_to_hologram" in str(info.value) and "known configs: text, text_style_control" in str(
        info.value
    )


def test_parquet_without_the_official_columns_is_not_sniffed_and_fails_clearly():
    other = dataset_files.parquet_bytes(pl.DataFrame({"model": ["a"], "score": [1.0]}))
    assert not arena_dataset.sniff(other, "x.parquet")
    with pytest.raises(ParseError, match="required column 'model_name'"):
        parse(other, "/x/text/full-00000-of-00001.parquet")
    assert not arena_dataset.sniff(b"PAR1 not really parquet", "x.parquet")


# ---- hand-written JSON pages ------------------------------------------------------------------------


def test_float_counts_from_the_json_api_become_integers():
    body = page(
        [
            row("a", 1400.5, 1395.0, 1406.0, vote_count=17901.0, rank=1.0),
            row("b", 1300.0, 1290.0, 1310.0, vote_count=250.0, rank=2.0),
        ]
    )
    got = parse(body, ROWS_URL.format(config="text"))
    assert got["votes"].to_list() == [17901, 250]
    assert got["rank_published"].to_list() == [1, 2]
    assert got["rank_meaning"].unique().to_list() == ["ordinal"]


def test_a_fractional_count_names_row_and_field():
    body = page([row("a", 1400.0, 1390.0, 1410.0), row("b", 1300.0, 1290.0, 1310.0, vote_count=12.5)])
    with pytest.raises(ParseError) as info:
        parse(body, ROWS_URL.format(config="text"))
    assert (info.value.row, info.value.field) == (2, "vote_count") and "12.5" in str(info.value)


def test_text_in_a_number_field_names_row_and_field():
    body = page([row("a", 1400.0, 1390.0, 1410.0), row("b", "n/a", 1290.0, 1310.0)])
    with pytest.raises(ParseError) as info:
        parse(body, ROWS_URL.format(config="text"))
    assert (info.value.row, info.value.field) == (2, "rating") and "'n/a'" in str(info.value)


def test_missing_upper_bound_is_allowed():
    body = page([row("a", 1400.0, 1390.0, None, rank=1.0), row("b", 1300.0, None, None, rank=2.0)])
    got = validate(parse(body, ROWS_URL.format(config="webdev")), "page")
    assert got["rating_upper"].to_list() == [None, None]
    assert got["rank_meaning"].to_list() == ["ordinal", "ordinal"]


def test_rows_without_rank_or_bounds_still_parse():
    bare = {
        "model_name": "a",
        "rating": 1400.0,
        "category": "overall",
        "leaderboard_publish_date": "2026-01-01",
    }
    got = parse(page([bare, {**bare, "model_name": "b", "rating": 1300.0}]), "p", config="text")
    assert got.select("rank_published", "rank_meaning", "votes", "rating_upper").unique().rows() == [
        (None, None, None, None)
    ]
    assert got["extra"].to_list() == [None, None]


def test_a_name_that_is_not_text_is_a_parse_error():
    with pytest.raises(ParseError, match="'model_name' holds"):
        parse(page([row("a", 1400.0, 1390.0, 1410.0, model_name={"id": 1})]), "p", config="text")
    with pytest.raises(ParseError, match="'category' holds"):
        parse(page([row("a", 1400.0, 1390.0, 1410.0, category=5)]), "p", config="text")


def test_empty_organisation_and_licence_become_null():
    got = parse(page([row("a", 1400.0, 1390.0, 1410.0, organization="", license="  ")]), "p", config="text")
    assert got.select("organization", "license").row(0) == (None, None)


def test_rank_meaning_is_decided_per_snapshot_from_the_data():
    # overall: rank (UB) with a tie at 1 (b's upper bound is above a's lower bound); coding: ordinal;
    # math: a rank that is neither
    rows = [
        row("a", 1400.0, 1390.0, 1410.0, rank=1.0),
        row("b", 1380.0, 1370.0, 1395.0, rank=1.0),
        row("c", 1300.0, 1290.0, 1310.0, rank=3.0),
        row("a", 1400.0, 1390.0, 1410.0, rank=1.0, category="coding"),
        row("b", 1380.0, 1370.0, 1395.0, rank=2.0, category="coding"),
        row("a", 1400.0, 1390.0, 1410.0, rank=2.0, category="math"),
        row("b", 1380.0, 1370.0, 1395.0, rank=1.0, category="math"),
    ]
    got = parse(page(rows), "p", config="text").group_by("category").agg(pl.col("rank_meaning").first())
    assert dict(got.rows()) == {"overall": "ub", "coding": "ordinal", "math": None}


def test_equal_bounds_do_not_count_as_a_clear_lead():
    # b's upper bound equals a's lower bound: not strictly below, so b's rank (UB) is 1, not 2
    rows = [row("a", 1400.0, 1390.0, 1410.0, rank=1.0), row("b", 1385.0, 1380.0, 1390.0, rank=1.0)]
    assert parse(page(rows), "p", config="text")["rank_meaning"].unique().to_list() == ["ub"]


def test_categories_and_style_come_from_the_canonical_names():
    rows = [
        row("a", 1400.0, 1390.0, 1410.0, category="hard_6"),
        row("a", 1400.0, 1390.0, 1410.0, category="full_style_control"),
    ]
    got = parse(page(rows), "p", config="text").select("category", "style_control").rows()
    assert got == [("hard_prompts", False), ("overall", True)]


def test_config_from_the_datasets_server_url_and_conflicts_are_refused():
    body = page([row("a", 1400.0, 1390.0, 1410.0)])
    assert parse(body, ROWS_URL.format(config="vision_style_control"))["arena"][0] == "vision"
    assert parse(body, ROWS_URL.format(config="vision_style_control"))["style_control"][0]
    provenance = page([row("a", 1400.0, 1390.0, 1410.0)], provenance={"subset": "search"})
    with pytest.raises(ParseError, match="says config 'search' but 'text' was given"):
        parse(provenance, "p", config="text")


def test_duplicate_model_in_one_category_fails_validation_naming_it():
    body = page([row("gpt-4o", 1400.0, 1390.0, 1410.0), row("GPT-4o ", 1300.0, 1290.0, 1310.0)])
    with pytest.raises(ValidationError) as info:
        validate(parse(body, "p", config="text"), "p")
    assert "'gpt-4o' appears more than once" in str(info.value) and info.value.row == 1


def test_bad_publish_date_and_empty_pages_are_parse_errors():
    with pytest.raises(ParseError) as info:
        parse(page([row("a", 1.0, None, None, leaderboard_publish_date="23/04/2026")]), "p", config="text")
    assert info.value.field == "leaderboard_publish_date" and "23/04/2026" in str(info.value)
    with pytest.raises(ParseError, match="no rows"):
        parse(page([]), "p", config="text")
    with pytest.raises(ParseError, match="not valid JSON"):
        parse(b'{"rows": [', "p", config="text")


# ---- through the pipeline and the CLI ------------------------------------------------------------------


def test_import_with_config_survives_a_reparse(tmp_path):
    file = tmp_path / "download.parquet"
    file.write_bytes(dataset_files.parquet_bytes(dataset_files.full_frame(models=8, dates=2)))
    home = tmp_path / "home"
    first = run_tracker(home, "import", "--dataset-config", "text_style_control", str(file), check=True)
    assert "new snapshot(s)" in first.stdout
    boards = "select distinct arena, style_control, as_of_kind from snapshots"
    before = run_tracker(home, "sql", boards, "-f", "csv", check=True).stdout
    assert before.splitlines()[1:] == ["text,true,publish_date"]
    run_tracker(home, "reparse", check=True)
    assert run_tracker(home, "sql", boards, "-f", "csv", check=True).stdout == before


def test_import_of_a_file_without_config_says_how_to_fix_it(tmp_path):
    file = tmp_path / "download.parquet"
    file.write_bytes(dataset_files.parquet_bytes(dataset_files.full_frame(models=3, dates=1)))
    proc = run_tracker(tmp_path / "home", "import", str(file))
    assert proc.returncode == 1 and "--dataset-config" in proc.stderr


@pytest.mark.slow
def test_a_million_row_full_file_imports_in_seconds(tmp_path):
    # ~1.09 M rows, 422 models, 205 publishes six days apart, so the last (2026-09-13) is not after the
    # import's own clock (a board dated after its fetch is refused)
    frame = dataset_files.full_frame(dates=205, step_days=6)
    assert frame.height > 1_000_000
    path = tmp_path / "data" / "text" / "full-00000-of-00001.parquet"
    path.parent.mkdir(parents=True)
    path.write_bytes(dataset_files.parquet_bytes(frame))
    home = tmp_path / "home"
    started = time.perf_counter()
    first = run_tracker(home, "import", str(path), check=True)
    seconds = time.perf_counter() - started
    print(f"tracker import of {frame.height:,} rows ({path.stat().st_size / 1e6:.1f} MB): {seconds:.1f} s")
    assert f"{frame.height} row(s) written" in first.stdout
    # a generous bound: ~10 s on an idle 2-core machine, the bound leaves room for a busy one
    assert seconds < 90
    again = run_tracker(home, "import", str(path), check=True)
    assert "nothing new" in again.stdout
    counts = run_tracker(
        home, "sql", "select count(*), count(distinct snapshot_id) from standings", "-f", "csv", check=True
    ).stdout.splitlines()[1]
    snapshots = frame.select("category", "leaderboard_publish_date").unique().height
    assert counts == f"{frame.height},{snapshots}"


def test_a_full_file_polled_twice_writes_nothing_the_second_time(writer, http_server):
    frame = dataset_files.full_frame(models=12, dates=4)
    http_server.routes["/text/full-00000-of-00001.parquet"] = Route(
        200, dataset_files.parquet_bytes(frame), {"ETag": '"v1"'}
    )
    url = http_server.url("/text/full-00000-of-00001.parquet")
    hints = sources.hints_for_path(Path(url))
    with make_client(writer.settings) as client:
        first = poller.poll_url(writer, client, url, source="arena-dataset", hints=hints)
        second = poller.poll_url(writer, client, url, source="arena-dataset", hints=hints)
    assert first.outcome == "new"
    assert first.snapshots_new == frame.select("category", "leaderboard_publish_date").unique().height
    assert second.outcome == "not_modified"


def test_pipeline_stores_the_official_rows_with_computed_ranks(writer):
    body = shared_path(*DOTKRNL).read_bytes()
    result = pipeline.ingest(writer, pipeline.Payload(body, "dotkrnl.json", NOW))
    assert result.outcome == "new" and result.rows_written == 8842
    # the tracker's own ordinal rank reproduces the published (ordinal) rank on every 2026 text row
    total, same = writer.con.execute(
        "select count(*), count(*) filter (where rank_ordinal = rank_published) from standings "
        "join snapshots using (snapshot_id) where arena = 'text'"
    ).fetchall()[0]
    assert total == 8540 and same == total


# ---- a large file, read in parts ---------------------------------------------------------------------
# PART_ROWS is lowered so that a small file takes the path of a million-row one (which the slow test above
# imports through the CLI in parts of the real size).


def full_file(tmp_path: Path, frame: pl.DataFrame) -> tuple[Path, bytes, dict]:
    path = tmp_path / "text" / "full-00000-of-00001.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dataset_files.parquet_bytes(frame))
    return path, path.read_bytes(), sources.hints_for_path(path)


def test_a_large_file_is_read_in_parts_of_whole_dates_that_make_the_same_frame(tmp_path, monkeypatch):
    monkeypatch.setattr(arena_dataset, "PART_ROWS", 150)
    path, body, hints = full_file(tmp_path, dataset_files.full_frame(models=30, dates=12))
    whole = arena_dataset.parse(body, str(path), fetched_at=NOW, hints=hints)
    parts = list(arena_dataset.parse_parts(body, str(path), fetched_at=NOW, hints=hints))
    assert len(parts) >= 4
    assert pl.concat([frame for _, frame in parts]).equals(whole)
    before = 0
    for rows_before, frame in parts:
        assert rows_before == before  # the rows of the file before the part
        before += frame.height
        # every row of each of its dates, and no more than PART_ROWS unless one date holds more
        assert frame.height == whole.filter(pl.col("as_of").is_in(frame["as_of"].unique())).height
        assert frame.height <= 150 or frame["as_of"].n_unique() == 1


def test_a_file_whose_dates_are_not_together_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(arena_dataset, "PART_ROWS", 150)
    frame = dataset_files.full_frame(models=30, dates=12).sample(fraction=1.0, shuffle=True, seed=3)
    path, body, hints = full_file(tmp_path, frame)
    parts = list(arena_dataset.parse_parts(body, str(path), fetched_at=NOW, hints=hints))
    assert [(rows_before, part.height) for rows_before, part in parts] == [(0, frame.height)]


def stored(writer) -> pl.DataFrame:
    return pl.DataFrame(
        writer.con.execute(
            "select snapshot_id, arena, category, style_control, as_of, model_key, rating, rank_ordinal, "
            "rank_ub, rank_published, rank_meaning, votes from standings join snapshots using (snapshot_id) "
            "order by all"
        ).fetchall(),
        orient="row",
    )


def test_an_import_in_parts_stores_what_a_whole_import_stores(tmp_path, monkeypatch):
    path, body, hints = full_file(tmp_path, dataset_files.full_frame(models=30, dates=12))
    results, rows = [], []
    for part_rows in (10**9, 150):
        monkeypatch.setattr(arena_dataset, "PART_ROWS", part_rows)
        with store.writer(load_settings(environ={}, home=tmp_path / f"home-{part_rows}"), "pytest") as w:
            results.append(pipeline.ingest(w, pipeline.Payload(body, str(path), NOW, hints=hints)))
            rows.append(stored(w))
    whole, in_parts = results
    assert whole.outcome == in_parts.outcome == "new"
    assert (whole.snapshots_new, whole.rows_written, whole.boards) == (
        in_parts.snapshots_new,
        in_parts.rows_written,
        in_parts.boards,
    )
    assert rows[0].height == whole.rows_written and rows[0].equals(rows[1])


def stored_content(writer) -> pl.DataFrame:
    """What ``stored`` holds but the snapshot ids (a reparse numbers its snapshots anew)."""
    return stored(writer).drop("column_0").sort(pl.all())


def test_a_reparse_of_a_file_in_parts_stores_what_its_import_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(arena_dataset, "PART_ROWS", 150)
    path, body, hints = full_file(tmp_path, dataset_files.full_frame(models=30, dates=12))
    assert len(list(arena_dataset.parse_parts(body, str(path), fetched_at=NOW, hints=hints))) >= 4
    with store.writer(load_settings(environ={}, home=tmp_path / "home"), "pytest") as w:
        imported = pipeline.ingest(w, pipeline.Payload(body, str(path), NOW, hints=hints))
        before = stored_content(w)
        heights: list[int] = []
        load_frame = store.load_frame

        def counted_load(con, frame, **kwargs):
            heights.append(frame.height)
            return load_frame(con, frame, **kwargs)

        monkeypatch.setattr(store, "load_frame", counted_load)
        result = reparse.reparse(w)
        assert (result.snapshots, result.rows) == (imported.snapshots_new, imported.rows_written)
        assert result.failures == ()
        assert stored_content(w).equals(before)
        # loaded part by part, as the import did, not the file whole
        assert len(heights) >= 4 and sum(heights) == imported.rows_written


def test_a_reparse_keeps_nothing_of_a_file_whose_later_part_fails_now(tmp_path, monkeypatch):
    """A parser regression met in a later part of a large file: the file is named as newly failing, and not one
    row of its earlier parts stays, although they loaded before the failing part was read."""
    monkeypatch.setattr(arena_dataset, "PART_ROWS", 150)
    frame = dataset_files.full_frame(models=30, dates=12)
    path, body, hints = full_file(tmp_path, frame)
    page_path = tmp_path / "page.html"
    page_path.write_bytes(
        arena_pages.page(arena_pages.leaderboard([arena_pages.entry("alpha", 1400, 1390, 1410)]))
    )
    last_day = frame["leaderboard_publish_date"].max()
    with store.writer(load_settings(environ={}, home=tmp_path / "home"), "pytest") as w:
        pipeline.ingest(w, pipeline.Payload(body, str(path), NOW, hints=hints))
        pipeline.ingest(w, pipeline.Payload(page_path.read_bytes(), str(page_path), NOW))
        standardise = arena_dataset.standardise

        def regressed(raw, config, origin):  # the parser now fails on the file's newest date, its last part
            if raw["leaderboard_publish_date"].cast(pl.Utf8).str.contains(str(last_day)).any():
                raise ParseError(origin, "a regression on the newest date", row=1)
            return standardise(raw, config, origin)

        monkeypatch.setattr(arena_dataset, "standardise", regressed)
        result = reparse.reparse(w)
        assert [origin for origin, _ in result.newly_failing] == [str(path)]
        assert "a regression on the newest date" in result.newly_failing[0][1]
        # the page alone is stored: nothing of the file's parts before the failing one
        assert (result.snapshots, result.rows) == (1, 1)
        assert w.con.execute("select count(*) from standings").fetchall() == [(1,)]
        assert w.con.execute("select count(*) from snapshots where source = 'arena-dataset'").fetchall() == [
            (0,)
        ]


@pytest.mark.parametrize(
    ("column", "value", "error", "words"),
    [
        ("rank", 0.0, ValidationError, "published rank is below 1"),
        ("vote_count", 10.5, ParseError, "is not a whole number"),
    ],
)
def test_a_bad_row_in_a_later_part_rejects_the_whole_file_naming_its_row(
    tmp_path, monkeypatch, column, value, error, words
):
    frame = dataset_files.full_frame(models=30, dates=12)
    bad_row = frame.height - 5  # in the last part
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == bad_row - 1).then(value).otherwise(pl.col(column)).alias(column)
    )
    path, body, hints = full_file(tmp_path, frame)
    messages = []
    for part_rows in (10**9, 150):
        monkeypatch.setattr(arena_dataset, "PART_ROWS", part_rows)
        with pytest.raises(error, match=words) as raised:
            pipeline.parse_checked(arena_dataset.FORMAT, pipeline.Payload(body, str(path), NOW, hints=hints))
        assert raised.value.row == bad_row
        messages.append(str(raised.value))
        with store.writer(load_settings(environ={}, home=tmp_path / f"home-{part_rows}"), "pytest") as w:
            result = pipeline.ingest(w, pipeline.Payload(body, str(path), NOW, hints=hints))
            assert result.outcome == "rejected" and result.error == messages[-1]
            # nothing of the parts before it stayed: no snapshot, no standing; the bytes kept, as rejected
            assert w.con.execute("select count(*) from snapshots").fetchall() == [(0,)]
            assert w.con.execute("select count(*) from standings").fetchall() == [(0,)]
            assert w.con.execute("select status from raw_payloads").fetchall() == [("rejected",)]
    assert f"row {bad_row}," in messages[0] and messages[0] == messages[1]
