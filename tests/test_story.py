"""`tracker model NAME`: a model's story (debut, best, latest, biggest moves, exit) on the seeded history, and
MAI-1-preview's arc from its 2025-08-28 debut to its exit on the real upstream copies."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import polars as pl
import pytest

from tests import seeded_boards as sb
from tests.cli import run_tracker
from tests.conftest import shared_path
from tracker import identity, store
from tracker.config import Settings, load_settings
from tracker.errors import QueryError
from tracker.ingest import files as importer
from tracker.read import export, named_queries, story
from tracker.sqlfiles import sql_root


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Settings:
    settings = load_settings(environ={}, home=tmp_path_factory.mktemp("story") / "home")
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
    return settings


# the day after the newest snapshot (2025-01-29): every board is current
FRESH = date(2025, 1, 30)


def test_a_model_that_left_the_board(seeded):
    told = story.tell(seeded, "delta")
    assert story.sentences(told, FRESH) == [
        "Delta (Org C): listed on 1 board from 2025-01-01 to 2025-01-22.",
        "First seen: 2025-01-01 on text/overall (raw) at #4, rating 1200, 700 votes (already listed when the "
        "tracker's history of that arena begins).",
        "Best: #4 on text/overall (raw), first on 2025-01-01; rank (UB) 4 on text/overall (raw), first on 2025-01-01.",
        "Latest: #5 on text/overall (raw) on 2025-01-22, rating 1150, 850 votes.",
        "Biggest moves: fell 1 place on text/overall (raw) (2025-01-01 to 2025-01-08: 4 -> 5); rose 1 place on "
        "text/overall (raw) (2025-01-08 to 2025-01-15: 5 -> 4); fell 1 place on text/overall (raw) "
        "(2025-01-15 to 2025-01-22: 4 -> 5).",
        "Exit: left the text arena after 2025-01-22 (last listed on text/overall (raw) at #5); absent from the "
        "2 complete text snapshots since 2025-01-29, on 2 boards.",
        "Left 1 of 1 board: text/overall (raw) after 2025-01-22 (absent from the 1 complete snapshot since "
        "2025-01-29).",
    ]
    table = story.board_table(told, FRESH)
    assert table.rows() == [
        (
            "text/overall (raw)",
            sb.D1,
            "#4",
            "#4",
            sb.D4,
            "#5",
            "left: absent from the 1 complete snapshot since 2025-01-29",
            4,
        )
    ]
    facts = story.facts(told, FRESH)
    assert facts["exit"].value == "left"
    assert [f.label for f in facts.values()] == ["First seen", "Best", "Latest", "Exit"]


def test_a_debut_after_the_arena_history_begins(seeded):
    lines = story.sentences(story.tell(seeded, "EPS"), FRESH)
    assert lines[1] == "Debut: 2025-01-08 on text/overall (raw) at #3, rating 1260, 300 votes."
    assert (
        lines[3] == "Latest: #4 (rank (UB) 2) on text/overall (raw) on 2025-01-29, rating 1292, 1,800 votes."
    )
    assert lines[-1] == (
        "Still listed in the newest complete snapshot of 1 board (the newest of them from 2025-01-29)."
    )


def test_a_model_on_an_old_board_is_not_called_still_listed(seeded):
    """The weekly board's newest snapshot (2025-01-29) is old three weeks later: the story says so and
    claims no current listing; the board table's status says why, with the board's cadence."""
    told = story.tell(seeded, "eps")
    on_time, late = date(2025, 2, 19), date(2025, 2, 20)  # 21 and 22 days after, the board is weekly
    assert story.facts(told, on_time)["exit"].value == "still listed"
    exit_ = story.facts(told, late)["exit"]
    assert exit_.value == "not known"
    assert exit_.sentences == (
        "Listed in the newest complete snapshot of 1 board, but that snapshot (2025-01-29) is old on "
        f"2025-02-20, so whether it is still listed there is not known. ({story.OLD_RULE})",
    )
    assert story.sentences(told, late)[-1] == exit_.sentences[-1]
    assert story.board_table(told, late)["status"].to_list() == [
        "listed; snapshot old (22 days ago; usually every 7 days)"
    ]


def test_freshness_counts_the_usual_interval_of_the_board_at_most_a_week():
    daily = story.freshness(date(2025, 1, 10), 1.0, date(2025, 1, 13))
    assert (daily.age_days, daily.limit_days, daily.old) == (3, 3.0, False)
    assert story.freshness(date(2025, 1, 10), 1.0, date(2025, 1, 14)).old
    # a board with a few scattered snapshots: its interval counts as a week at most
    assert story.freshness(date(2025, 1, 10), 84.0, date(2025, 2, 1)).old
    assert story.freshness(date(2025, 1, 10), None, date(2025, 1, 31)).old is False
    assert daily.words() == "3 days ago; usually every day"


def test_a_partial_snapshot_shows_its_published_rank(seeded):
    told = story.tell(seeded, "gamma")
    moves = story.sentences(told, FRESH)[4]
    assert "fell 1 place by rank (UB) on text/overall (raw) (2025-01-08 to 2025-01-18: 3 -> 4)" in moves
    alpha = story.board_table(story.tell(seeded, "alpha"), FRESH).row(0, named=True)
    assert (alpha["last_seen"], alpha["last"], alpha["status"]) == (
        date(2025, 2, 5),
        "#3",
        "listed in the newest snapshot",
    )


def test_a_part_of_a_name_finds_one_model_or_lists_the_candidates(seeded):
    assert story.resolve(seeded, "zet") == "zeta"
    with pytest.raises(QueryError, match=r"'ta' matches 3 models \(beta, zeta, delta\); pass one key"):
        story.resolve(seeded, "ta")
    with pytest.raises(QueryError, match="no model matches 'omega'"):
        story.resolve(seeded, "omega")
    with pytest.raises(QueryError, match="no model matches 'zetta'; did you mean zeta\\? "):
        story.resolve(seeded, "zetta")
    with pytest.raises(QueryError, match="pass a model key or a part of one; `tracker models` lists them"):
        story.resolve(seeded, "  ")


def test_a_part_matching_find_models_limit_says_or_more(seeded, monkeypatch):
    # 'ta' matches beta, zeta and delta: at a limit of 3 they fill find_model's answer
    monkeypatch.setattr(story, "FIND_MODEL_LIMIT", 3)
    with pytest.raises(QueryError, match=r"'ta' matches 3 or more models"):
        story.resolve(seeded, "ta")


def test_find_model_matches_the_text_as_written_not_as_a_like_pattern(seeded):
    # before: ILIKE made % and _ wildcards, so pattern=% listed every model (up to the limit)
    def find(pattern: str) -> list[str]:
        return named_queries.run(seeded, "find_model", {"pattern": pattern})["model"].to_list()

    assert find("%") == find("_") == find("t_a") == []
    assert sorted(find("TA ")) == ["beta", "delta", "zeta"]


def test_find_model_limit_is_the_querys():
    text = (sql_root() / "queries" / "find_model.sql").read_text()
    assert re.search(r"LIMIT (\d+);", text)[1] == str(story.FIND_MODEL_LIMIT)


@pytest.fixture(scope="module")
def aliased(tmp_path_factory) -> Settings:
    """The seeded history plus your alias 'ta' -> zeta ('ta' is also part of beta, zeta and delta), an alias
    to a model with no history, and m-eta, shown as 'Eta' ('eta' is also part of beta and zeta)."""
    settings = load_settings(environ={}, home=tmp_path_factory.mktemp("aliased") / "home")
    eta = sb.frame({date(2025, 2, 12): [("zeta", 1200, 1190, 1210, 100)]}, style_control=False)
    eta = eta.with_columns(
        model_key=pl.lit("m-eta"), display_name=pl.lit("Eta"), organization=pl.lit("Org C")
    )
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
        w.con.execute("BEGIN TRANSACTION")
        store.load_frame(
            w.con, eta, source="kevinschaul", payload_hash="eta", fetched_at=datetime(2025, 2, 13, tzinfo=UTC)
        )
        w.con.execute("COMMIT")
        identity.add_alias(w.con, "ta", "zeta")
        identity.add_alias(w.con, "ghost", "nowhere")
        w.dirty = True
    return settings


def test_an_exact_alias_or_display_name_wins_over_a_part_of_a_name(aliased, tmp_path):
    assert story.find(aliased, "TA") == story.Found("zeta", "ta is an alias of zeta (your alias).")
    learned = story.Found("m-eta", "eta is an alias of m-eta (a display name learned from the data).")
    assert story.find(aliased, "Eta") == learned
    # a lake holds no aliases: there the exact display name wins
    export.export(aliased, tmp_path / "lake")
    in_lake = aliased.replace(lake=tmp_path / "lake")
    assert story.find(in_lake, "Eta") == story.Found("m-eta", "'Eta' is the display name of m-eta.")
    assert story.find(in_lake, "eta ") == story.Found("m-eta", "'eta' is the display name of m-eta.")
    with pytest.raises(QueryError, match=r"'et' matches 3 models \(beta, m-eta, zeta\)"):
        story.resolve(aliased, "et")
    with pytest.raises(
        QueryError, match="ghost is an alias of nowhere .*nowhere has no history on any board"
    ):
        story.tell(aliased, "ghost")


def test_the_story_says_which_alias_it_followed_and_shows_the_key_beside_another_name(aliased):
    lines = story.sentences(story.tell(aliased, "ta"))
    assert lines[:3] == [
        "ta is an alias of zeta (your alias).",
        "Zeta: listed on 1 board from 2025-01-29 to 2025-01-29.",
        "Includes your alias ta (`tracker alias reset ta` undoes it).",
    ]
    assert story.sentences(story.tell(aliased, "m-eta"))[0].startswith(
        "Eta (m-eta, Org C): listed on 1 board from 2025-02-12"
    )
    proc = run_tracker(aliased.home, "model", "ta", check=True)
    assert proc.stdout.startswith("ta is an alias of zeta (your alias).\nZeta: listed on 1 board")


def test_cli_prints_the_story_and_the_boards(seeded):
    proc = run_tracker(seeded.home, "model", "zeta", check=True)
    assert proc.stdout.startswith("Zeta: listed on 1 board from 2025-01-29 to 2025-01-29.\n")
    assert "Debut: 2025-01-29 on text/overall (raw) at #1" in proc.stdout
    assert "gone since" not in proc.stdout and "text/overall (raw)" in proc.stdout.split("Boards")[1]


# ---- MAI-1-preview on the real upstream copies -----------------------------------------------------


@pytest.mark.shared
def test_mai_1_preview_from_its_debut_to_its_exit(tmp_path):
    kevinschaul = shared_path(
        "kevinschaul-lmarena-leaderboard-history", "mai-1-preview_rows_from_history.csv"
    )
    pages = shared_path("podsieve-prediction_mkt")
    later = shared_path("samica666-artificial-analysis-leaderboards")
    captures = shared_path("acarter881-llm-leaderboard")
    # the text arena's history before the debut: without it the tracker could only say "first seen"
    archive = shared_path("jasontrigg0-chatbot-arena-history", "alltime.csv")

    # the expected facts, read from the copies themselves
    rows = pl.read_csv(kevinschaul).filter(pl.col("model") == "mai-1-preview").sort("date")
    debut_day, debut_rank, debut_votes = rows.row(0)[0], rows.row(0)[1], rows.row(0)[5]
    page_days = []
    for page in sorted(pages.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "mai-1-preview" in text:
            page_days.append(re.search(r'voteCutoffISOString\\":\\"(\d{4}-\d{2}-\d{2})', text).group(1))
    last_seen = max(page_days)
    absent_days = sorted(
        p.stem.removeprefix("lmarena_")
        for p in later.glob("lmarena_*.json")
        if not any(
            r["model_key"].startswith("mai-1")
            for rs in json.loads(p.read_text())["categories"].values()
            for r in rs
        )
    )
    assert (debut_day, last_seen, absent_days[0]) == ("2025-08-28", "2026-05-17", "2026-07-29")

    settings = load_settings(environ={}, home=tmp_path / "home")
    with store.writer(settings, "pytest") as w:
        results, _ = importer.import_paths(w, [archive, kevinschaul, pages, later, captures])
        assert all(r.ok for r in results)
        store.publish(w)

    lines = story.sentences(story.tell(settings, "mai-1-preview"))
    assert lines[0].startswith(
        "mai-1-preview (Microsoft AI): listed on 3 boards from 2025-08-28 to 2026-05-17"
    )
    assert lines[1] == (
        f"Debut: {debut_day} on text/overall (style control) at rank (UB) {debut_rank}, rating 1399, "
        f"{debut_votes} votes."
    )
    (exit_,) = [line for line in lines if line.startswith("Exit:")]
    assert exit_ == (
        f"Exit: left the text arena after {last_seen} (last listed on text/coding (raw) at #126 (rank (UB) "
        f"99)); absent from the {2 * len(absent_days)} complete text snapshots since {absent_days[0]}, on 2 "
        "boards."
    )
