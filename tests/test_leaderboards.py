"""The leaderboard dimension: a board is (leaderboard, arena, category, style_control). Two leaderboards'
boards with the same arena and category never mix; a database from before leaderboards migrates with every
row as LMArena's and nothing lost; the board-level macros keep their LMArena-only forms."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pytest

from tests import seeded_boards as sb
from tests.cli import run_tracker
from tracker import store
from tracker.boards import board_label, canonical_leaderboard
from tracker.config import load_settings
from tracker.read import named_queries, query
from tracker.sqlfiles import sql_files
from tracker.store.migrations import STORAGE_VERSION

AA = "Artificial Analysis"
DAY = date(2026, 5, 1)


def image_board(leaderboard: str, rows: list[tuple[str, float]], on: date = DAY) -> pl.DataFrame:
    """One text_to_image/overall snapshot of ``leaderboard`` on ``on``: (model, rating), CI +-5."""
    frame = sb.frame({on: [(m, r, r - 5, r + 5, 100) for m, r in rows]}, style_control=False)
    return frame.with_columns(arena=pl.lit("text_to_image"), leaderboard=pl.lit(leaderboard))


@pytest.fixture(scope="module")
def two_leaderboards(tmp_path_factory):
    settings = load_settings(
        environ={}, home=tmp_path_factory.mktemp("lb") / "home", publish_min_interval=0.0
    )
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
        # the same arena, category, style and date on two leaderboards, with the order reversed
        for leaderboard, source, rows in (
            ("LMArena", "arena-dataset", [("alpha", 1300), ("beta", 1200)]),
            (AA, "artificial-analysis", [("beta", 1250), ("gamma", 1240), ("alpha", 1100)]),
        ):
            w.con.execute("BEGIN TRANSACTION")
            store.load_frame(
                w.con,
                image_board(leaderboard, rows),
                source=source,
                payload_hash=f"image-{source}",
                fetched_at=datetime(2026, 5, 2, tzinfo=UTC),
            )
            w.con.execute("COMMIT")
        assert store.publish_if_due(w, new_data=True)
    return settings


def rows(settings, text: str, params: dict | None = None) -> list[tuple]:
    return query.run_sql(settings, text, params).rows()


def test_two_leaderboards_boards_with_the_same_arena_never_mix(two_leaderboards):
    boards = rows(
        two_leaderboards,
        "select leaderboard, row_count from board_dates where arena = 'text_to_image' order by leaderboard",
    )
    assert boards == [(AA, 3), ("LMArena", 2)]
    ranks = rows(
        two_leaderboards,
        "select leaderboard, model, rank_ordinal, rank_ub from rank_history where arena = 'text_to_image' "
        "order by leaderboard, rank_ordinal",
    )
    # each leaderboard ranks its own rows: beta is #1 on one and #2 on the other
    assert ranks == [
        (AA, "beta", 1, 1),
        (AA, "gamma", 2, 1),
        (AA, "alpha", 3, 3),
        ("LMArena", "alpha", 1, 1),
        ("LMArena", "beta", 2, 2),
    ]


def test_board_macros_take_a_leaderboard_and_default_to_lmarena(two_leaderboards):
    on_aa = rows(
        two_leaderboards, f"select model from board_as_of('{AA}', 'text_to_image', 'overall', false, null)"
    )
    assert sorted(r[0] for r in on_aa) == ["alpha", "beta", "gamma"]
    old_form = rows(
        two_leaderboards, "select model from board_as_of('text_to_image', 'overall', false, null)"
    )
    assert sorted(r[0] for r in old_form) == ["alpha", "beta"]
    assert rows(two_leaderboards, "select board_label('text', 'overall', true)") == [
        ("text/overall (style control)",)
    ]
    assert rows(two_leaderboards, f"select board_label('{AA}', 'text_to_image', 'overall', false)") == [
        (board_label(AA, "text_to_image", "overall", False),)
    ]
    assert (
        board_label(AA, "text_to_image", "overall", False)
        == "Artificial Analysis · text_to_image/overall (raw)"
    )


def test_named_queries_take_the_leaderboard_by_any_common_name(two_leaderboards):
    for given in ("aa", "Artificial Analysis", "artificial-analysis"):
        answer = named_queries.run(
            two_leaderboards, "leaderboard", {"leaderboard": given, "arena": "text_to_image"}
        )
        assert answer["model"].to_list() == ["beta", "gamma", "alpha"], given
    default = named_queries.run(two_leaderboards, "leaderboard", {"arena": "text_to_image"})
    assert default["model"].to_list() == ["alpha", "beta"]
    # an optional board filter: the arena alone takes both leaderboards' boards, the leaderboard narrows it
    beta = named_queries.run(two_leaderboards, "model_history", {"model": "beta", "arena": "text_to_image"})
    assert sorted(beta["leaderboard"].to_list()) == [AA, "LMArena"]
    only_aa = {"model": "beta", "arena": "text_to_image", "leaderboard": "aa"}
    assert named_queries.run(two_leaderboards, "model_history", only_aa)["rank_ordinal"].to_list() == [1]
    note = named_queries.why_empty(two_leaderboards, "leaderboard", {"leaderboard": "Nope", "arena": "text"})
    assert note is not None and "no leaderboard 'Nope'" in note and AA in note


def test_the_lake_partitions_by_leaderboard_first(two_leaderboards, tmp_path):
    home = two_leaderboards.home
    run_tracker(home, "export", str(tmp_path / "lake"), check=True)
    folders = sorted(p.name for p in (tmp_path / "lake" / "rank_history").iterdir())
    # hive folders escape what a path may not hold as is: the space reads back as a space
    assert folders == ["leaderboard=Artificial%20Analysis", "leaderboard=LMArena"]
    proc = run_tracker(
        home,
        "sql",
        "--lake",
        str(tmp_path / "lake"),
        "-f",
        "json",
        "select leaderboard, count(*) as n from rank_history where arena = 'text_to_image' group by all order by 1",
        check=True,
    )
    assert [json.loads(line) for line in proc.stdout.splitlines()] == [
        {"leaderboard": AA, "n": 3},
        {"leaderboard": "LMArena", "n": 2},
    ]


def test_canonical_leaderboard_names():
    assert canonical_leaderboard(" LMArena ") == canonical_leaderboard("lmarena") == "LMArena"
    assert canonical_leaderboard("AA") == canonical_leaderboard("artificial_analysis") == AA
    assert canonical_leaderboard("Example Edit Arena") == "Example Edit Arena"


def test_a_database_from_before_leaderboards_migrates_with_every_row_as_lmarenas(tmp_path):
    settings = load_settings(environ={}, home=tmp_path / "home", publish_min_interval=0.0)
    settings.home.mkdir(parents=True)
    before = [p for p in sql_files("migrations") if int(p.stem.split("_")[0]) < 160]
    # as every tracker creates its database (an older one too)
    con = duckdb.connect(
        str(settings.database_path), config={"storage_compatibility_version": STORAGE_VERSION}
    )
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMPTZ NOT NULL)"
    )
    for path in before:
        con.execute(path.read_text(encoding="utf-8"))
        con.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, now())", [int(path.stem.split("_")[0]), path.stem]
        )
    # rows as the previous release stored them (no leaderboard column anywhere)
    con.execute(
        "INSERT INTO snapshots (snapshot_id, source, arena, category, style_control, as_of, as_of_kind, "
        "rank_meaning, fetched_at, payload_hash, content_hash, row_count, published_ranks) VALUES "
        "(1, 'arena-dataset', 'text', 'overall', false, TIMESTAMPTZ '2025-01-01 12:00:00+00', 'publish_date', "
        "NULL, TIMESTAMPTZ '2025-01-02 00:00:00+00', 'p1', 'c1', 2, NULL)"
    )
    con.execute(
        "INSERT INTO standings VALUES (1, 'alpha', 'Alpha', 'Org A', NULL, 1300, 1295, 1305, 10, NULL, 1, 1, 1, NULL),"
        " (1, 'beta', 'Beta', 'Org B', NULL, 1200, 1195, 1205, 10, NULL, 2, 2, 2, NULL)"
    )
    con.execute(
        "INSERT INTO board_identities VALUES ('text', 'overall', false, 'alpha', 'Org A', 1), "
        "('text', 'overall', false, 'beta', 'Org B', 1)"
    )
    con.execute(
        "INSERT INTO alerts (event_key, kind, event_date, confirmed_as_of, arena, category, style_control, "
        "sentence, detected_at) VALUES ('k1', 'new_leader', DATE '2025-01-01', DATE '2025-01-01', 'text', "
        "'overall', false, 'Alpha is #1', now())"
    )
    con.close()

    with store.writer(settings, "pytest") as w:
        assert w.con.execute("select count(*) from standings").fetchall() == [(2,)]
        for table in ("snapshots", "board_identities", "alerts"):
            assert w.con.execute(f"select distinct leaderboard from {table}").fetchall() == [("LMArena",)], (
                table
            )
        assert w.con.execute(
            "select count(*) from methodology_events where leaderboard <> 'LMArena'"
        ).fetchall() == [(0,)]
        store.publish_if_due(w, new_data=True)
    assert rows(settings, "select leaderboard, model, rank_ordinal from rank_history order by 3") == [
        ("LMArena", "alpha", 1),
        ("LMArena", "beta", 2),
    ]


def test_a_watch_names_another_leaderboards_boards_after_a_colon():
    from tracker.alerts.config import BoardFilter, parse_board

    assert parse_board("text/overall", "w") == BoardFilter("LMArena", "text", "overall", None)
    assert parse_board("aa: text-to-speech/overall", "w") == BoardFilter(
        AA, "text_to_speech", "overall", None
    )
    assert parse_board("Artificial Analysis: *", "w") == BoardFilter(AA, None, None, None)
    assert parse_board("Example Edit Arena: image_edit", "w") == BoardFilter(
        "Example Edit Arena", "image_edit", None, None
    )
    assert parse_board("*", "w") == BoardFilter(None, None, None, None)


def test_a_watch_on_one_leaderboards_board_alerts_only_for_that_board(tmp_path):
    from tests.test_alerts import config, run

    settings = load_settings(environ={}, home=tmp_path / "home", publish_min_interval=0.0)
    with store.writer(settings, "pytest") as w:
        # on both leaderboards the same arena changes its #1 on the second date
        for n, (first, second) in enumerate([(1300, 1200), (1200, 1300)]):
            for leaderboard, source in (("LMArena", "arena-dataset"), (AA, "artificial-analysis")):
                w.con.execute("BEGIN TRANSACTION")
                store.load_frame(
                    w.con,
                    image_board(leaderboard, [("alpha", first), ("beta", second)], date(2026, 5, 1 + n)),
                    source=source,
                    payload_hash=f"{source}-{n}",
                    fetched_at=datetime(2026, 5, 2 + n, tzinfo=UTC),
                )
                w.con.execute("COMMIT")
        watch = {"name": "aa-images", "events": ["new_leader"], "boards": ["aa: text_to_image"], "persist": 1}
        result = run(w, config(watch), clock=lambda: datetime(2026, 5, 3, tzinfo=UTC))
        assert result.recorded.alerts == 1
        found = w.con.execute(
            "select a.leaderboard, a.arena, a.model, n.title from alerts as a join notifications as n using (event_key)"
        ).fetchall()
    assert found == [
        (AA, "text_to_image", "beta", "New #1 on Artificial Analysis · text_to_image/overall (raw): Beta")
    ]
