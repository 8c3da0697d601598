"""The analytics views and macros (sql/views/04xx_*.sql) on a hand-built history with known facts
(tests/seeded_boards.py), and on real upstream copies: the 2024 #1 sequence on text/overall (raw) from the
community archive, derived independently with polars, and partial snapshots found in a transcription."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from tests import seeded_boards as sb
from tests.conftest import shared_path
from tracker import store
from tracker.config import Settings, load_settings
from tracker.errors import StoreError
from tracker.ingest import files as importer
from tracker.read import query
from tracker.store import methodology


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Settings:
    settings = load_settings(environ={}, home=tmp_path_factory.mktemp("seeded") / "home")
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
    return settings


def rows(settings: Settings, text: str, params: dict | None = None) -> list[tuple]:
    return query.run_sql(settings, text, params).rows()


RAW = "arena = 'text' AND category = 'overall' AND NOT style_control"


def plan_nodes(plan: str | list) -> Iterator[dict]:
    """Every node of a plan from ``EXPLAIN (FORMAT json)`` (its text, or a list of nodes), depth first."""
    for node in json.loads(plan) if isinstance(plan, str) else plan:
        yield node
        yield from plan_nodes(node.get("children", []))


def test_board_dates_mark_partial_snapshots_and_chain_only_complete_dates(seeded):
    got = rows(
        seeded,
        f"SELECT as_of, partial, seq, prev_as_of, next_as_of, is_newest FROM board_dates WHERE {RAW} ORDER BY as_of",
    )
    assert got == [
        (sb.D1, False, 1, None, sb.D2, False),
        (sb.D2, False, 2, sb.D1, sb.D3, False),
        (sb.D3, False, 3, sb.D2, sb.D4, False),
        (date(2025, 1, 18), True, 3, sb.D3, sb.D4, False),
        (sb.D4, False, 4, sb.D3, sb.D5, False),
        (sb.D5, False, 5, sb.D4, None, True),
        (date(2025, 2, 5), True, 5, sb.D5, None, False),
    ]


def test_ranked_uses_the_published_rank_on_a_partial_snapshot(seeded):
    got = rows(
        seeded,
        "SELECT as_of, model, rank_ordinal, rank_ub, rank_lb FROM ranked WHERE partial ORDER BY as_of",
    )
    # computed ranks there would be 1; the published ranks were Rank (UB) 4 and ordinal 3
    assert got == [(date(2025, 1, 18), "gamma", None, 4, None), (date(2025, 2, 5), "alpha", 3, None, None)]
    history = rows(seeded, "SELECT rank_ordinal FROM rank_history WHERE as_of = DATE '2025-01-18'")
    assert history == [(1,)]
    # rank_history's own ranks stay beside the comparable ones, on every row
    computed = rows(
        seeded,
        "SELECT as_of, computed_rank_ordinal, computed_rank_ub, computed_rank_lb FROM ranked WHERE partial "
        "ORDER BY as_of",
    )
    assert computed == rows(
        seeded,
        "SELECT r.as_of, r.rank_ordinal, r.rank_ub, r.rank_lb FROM rank_history AS r JOIN board_dates AS d "
        "USING (leaderboard, arena, category, style_control, as_of) WHERE d.partial ORDER BY r.as_of",
    )
    assert [row[1] for row in computed] == [1, 1]
    differing = rows(
        seeded,
        "SELECT count(*) FROM ranked AS k JOIN rank_history AS r "
        "USING (leaderboard, arena, category, style_control, as_of, model) "
        "WHERE (k.computed_rank_ordinal, k.computed_rank_ub, k.computed_rank_lb) "
        "IS DISTINCT FROM (r.rank_ordinal, r.rank_ub, r.rank_lb)",
    )
    assert differing == [(0,)]


def test_latest_is_each_boards_newest_complete_snapshot(seeded):
    got = rows(
        seeded,
        "SELECT style_control, as_of, model, rank_ordinal FROM latest ORDER BY style_control, rank_ordinal",
    )
    assert got == [
        (False, sb.D5, "zeta", 1),
        (False, sb.D5, "beta", 2),
        (False, sb.D5, "alpha", 3),
        (False, sb.D5, "eps", 4),
        (False, sb.D5, "gamma", 5),
        (True, sb.D5, "alpha", 1),
        (True, sb.D5, "beta", 2),
    ]


@pytest.mark.parametrize(
    ("at", "expected_date", "expected_models"),
    [
        ("DATE '2024-12-31'", None, []),
        ("DATE '2025-01-10'", sb.D2, ["beta", "alpha", "eps", "gamma", "delta"]),
        ("TIMESTAMP '2025-01-15 00:00:00'", sb.D3, ["beta", "alpha", "eps", "delta"]),
        ("'2025-01-20'", sb.D3, ["beta", "alpha", "eps", "delta"]),  # the partial 2025-01-18 is skipped
        ("NULL", sb.D5, ["zeta", "beta", "alpha", "eps", "gamma"]),
    ],
)
def test_board_as_of_gives_the_board_as_it_stood(seeded, at, expected_date, expected_models):
    got = rows(
        seeded, f"SELECT as_of, model FROM board_as_of('text', 'overall', false, {at}) ORDER BY rank_ordinal"
    )
    assert [m for _, m in got] == expected_models
    assert {d for d, _ in got} == ({expected_date} if expected_date else set())


def test_rank_moves_compare_with_the_previous_appearance(seeded):
    got = {
        (r[0], r[1]): r[2:]
        for r in rows(
            seeded,
            f"SELECT model, as_of, prev_as_of, ordinal_gain, ub_gain, rating_change, votes_change, significant "
            f"FROM rank_moves WHERE {RAW}",
        )
    }
    # beta's new interval [1315, 1325] lies above its old [1285, 1295]
    assert got[("beta", sb.D2)] == (sb.D1, 1, 0, 30.0, 1000, True)
    # overlapping intervals and the same rank (UB): not significant
    assert got[("alpha", sb.D3)] == (sb.D2, 0, 0, 1.0, 300, False)
    # delta's rating fell 51 with disjoint intervals, one place lower
    assert got[("delta", sb.D4)] == (sb.D3, -1, -1, -51.0, 50, True)
    # gamma missed 2025-01-15; its 2025-01-22 move is against the partial 2025-01-18 (rank (UB) only)
    assert got[("gamma", sb.D4)][:3] == (date(2025, 1, 18), None, 0)
    assert not any(
        model == m and day == sb.D1 for m, day in got for model in ("alpha",)
    )  # debuts have no move


def test_movers_lists_entrants_risers_fallers_and_leavers(seeded):
    got = rows(
        seeded,
        "SELECT model, movement, from_rank, to_rank, ordinal_gain FROM movers('text', 'overall', false, "
        "DATE '2025-01-01', NULL)",
    )
    assert got == [
        ("zeta", "entrant", None, 1, None),
        ("eps", "entrant", None, 4, None),
        ("alpha", "faller", 1, 3, -2),
        ("gamma", "faller", 3, 5, -2),
        ("delta", "leaver", 4, None, None),
    ]
    # between two dates where nothing moved on the style board, no row comes back
    assert (
        rows(seeded, "SELECT * FROM movers('text', 'overall', true, DATE '2025-01-01', DATE '2025-01-20')")
        == []
    )


def test_movers_between_any_two_days_compares_the_board_as_of_each(seeded):
    # every pair of days around the raw board's dates: before it began, on and between complete dates, on
    # its partial snapshots (01-18, 02-05), after its newest, and now (null)
    days = [
        None,
        date(2024, 12, 31),
        sb.D1,
        sb.D2,
        sb.D3,
        sb.D4,
        sb.D5,
        date(2025, 1, 10),
        date(2025, 1, 18),
        date(2025, 2, 5),
    ]
    compared = """
        WITH a AS (FROM board_as_of('text', 'overall', false, $from_date)),
             b AS (FROM board_as_of('text', 'overall', false, $to_date))
        SELECT coalesce(b.model, a.model) AS model, a.as_of AS a_as_of, b.as_of AS b_as_of,
               a.rank_ordinal AS a_rank, b.rank_ordinal AS b_rank, a.rating AS a_rating, b.rating AS b_rating
        FROM a FULL OUTER JOIN b USING (model)
        WHERE a.rank_ordinal IS DISTINCT FROM b.rank_ordinal
        ORDER BY model
    """
    moved = """
        SELECT model, from_as_of, to_as_of, from_rank, to_rank, from_rating, to_rating
        FROM movers('text', 'overall', false, $from_date, $to_date)
        ORDER BY model
    """
    pairs = 0
    for start in days:
        for end in days:
            params = {"from_date": start, "to_date": end}
            expected = rows(seeded, compared, params)
            assert rows(seeded, moved, params) == expected, (start, end)
            pairs += bool(expected)
    assert pairs > 40  # most pairs have movers: the comparison is not of empty answers


def test_entrants_know_debuts_from_models_already_there(seeded):
    got = {
        r[0]: r[1:]
        for r in rows(
            seeded,
            f"SELECT model, first_as_of, rank_ordinal, with_board, appearances FROM entrants WHERE {RAW}",
        )
    }
    assert got["eps"] == (sb.D2, 3, False, 4)
    assert got["zeta"] == (sb.D5, 1, False, 1)
    assert got["alpha"][2] is True and got["delta"][2] is True
    assert got["gamma"][3] == 5  # four complete dates and the partial one


def test_exits_are_gone_only_when_missing_from_the_newest_complete_snapshot(seeded):
    got = {
        r[0]: r[1:]
        for r in rows(seeded, f"SELECT model, last_as_of, gone, missing_since FROM exits WHERE {RAW}")
    }
    assert got["delta"] == (sb.D4, True, sb.D5)
    # alpha's last row is the partial 2025-02-05 snapshot, which lists nobody else: nobody is gone for it
    assert got["alpha"] == (date(2025, 2, 5), False, None)
    assert [m for m, (_, gone, _) in got.items() if gone] == ["delta"]


def test_crowns_by_ordinal_rank_and_by_rank_ub(seeded):
    ordinal = rows(
        seeded,
        f"SELECT model, reign_start, last_held, reign_end, days, snapshots, shared, current FROM crowns "
        f"WHERE {RAW} AND rank_basis = 'ordinal' ORDER BY reign_start",
    )
    assert ordinal == [
        ("alpha", sb.D1, sb.D1, sb.D2, 7, 1, False, False),
        ("beta", sb.D2, sb.D4, sb.D5, 21, 3, False, False),
        ("zeta", sb.D5, sb.D5, None, 0, 1, False, True),
    ]
    ub = rows(
        seeded,
        f"SELECT model, reign_start, reign_end, days, shared, co_holders, current FROM crowns "
        f"WHERE {RAW} AND rank_basis = 'ub' ORDER BY reign_start, model",
    )
    assert ub == [
        ("alpha", sb.D1, sb.D2, 7, True, ["beta"], False),
        ("beta", sb.D1, None, 28, True, ["alpha", "zeta"], True),
        ("zeta", sb.D5, None, 0, True, ["beta"], True),
    ]


def test_a_partial_snapshot_crowns_nobody(seeded):
    # gamma and alpha are alone (computed rank 1) in the partial snapshots of 2025-01-18 and 2025-02-05
    got = rows(
        seeded, "SELECT model, reign_start FROM crowns WHERE reign_start IN ('2025-01-18', '2025-02-05')"
    )
    assert got == []


def test_org_race_counts_top_10_models_per_organisation(seeded):
    got = rows(
        seeded,
        f"SELECT as_of, organization, best_rank, best_rank_ub, best_model, top10, models FROM org_race "
        f"WHERE {RAW} AND as_of IN ('2025-01-15', '2025-01-29') ORDER BY as_of, best_rank",
    )
    assert got == [
        (sb.D3, "Org B", 1, 1, "beta", 2, 2),
        (sb.D3, "Org A", 2, 2, "alpha", 1, 1),  # gamma was not listed that day
        (sb.D3, "Org C", 4, 4, "delta", 1, 1),
        (sb.D5, "Org B", 2, 1, "beta", 2, 2),  # zeta (#1) has no organisation and is left out
        (sb.D5, "Org A", 3, 2, "alpha", 2, 2),
    ]


def test_events_with_small_thresholds_tell_what_happened(seeded):
    got = rows(
        seeded,
        "SELECT event_date, kind, model, other_model, rank_before, rank_after, significant FROM events_with(3, 2) "
        "WHERE kind <> 'methodology'",
    )
    assert got == [
        (sb.D2, "new_leader", "beta", "alpha", 2, 1, True),
        (sb.D2, "overtake", "beta", "alpha", 2, 1, True),
        (sb.D2, "top_n_entry", "eps", None, None, 3, False),
        (sb.D2, "top_n_exit", "gamma", None, 3, 4, False),
        (sb.D2, "debut", "eps", None, None, 3, False),
        (sb.D5, "new_leader", "zeta", "beta", None, 1, False),  # zeta's interval still overlaps beta's
        (sb.D5, "top_n_entry", "zeta", None, None, 1, False),
        (sb.D5, "top_n_exit", "eps", None, 3, 4, False),
        (sb.D5, "debut", "zeta", None, None, 1, False),
        (sb.D5, "exit", "delta", None, 5, None, False),
    ]


def test_events_have_sentences_and_methodology_markers(seeded):
    sentences = dict(
        rows(
            seeded,
            "SELECT kind || ':' || coalesce(model, ''), sentence FROM events_with(3, 1) WHERE event_date = DATE '2025-01-08'",
        )
    )
    assert sentences["new_leader:beta"] == (
        "Beta became #1 on text/overall (raw), taking over from Alpha - a lead beyond the confidence intervals."
    )
    assert sentences["rank_move:alpha"] == "Alpha fell 1 place on text/overall (raw): #1 -> #2."
    markers = rows(
        seeded, "SELECT event_date, arena, sentence FROM events WHERE kind = 'methodology' ORDER BY 1"
    )
    assert [(d, a) for d, a, _ in markers] == [(date(2025, 7, 23), None), (date(2026, 2, 11), None)]
    assert markers[0][2].startswith("CI method change: ")


def test_default_events_view_uses_top_10_and_moves_of_10(seeded):
    kinds = rows(seeded, "SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind")
    # five models never move 10 places; gamma's and delta's disappearances leave the top 10
    assert dict(kinds) == {
        "debut": 2,
        "exit": 1,
        "methodology": 2,
        "new_leader": 2,
        "overtake": 1,
        "top_n_entry": 3,
        "top_n_exit": 2,
    }


# ---- real upstream copies ------------------------------------------------------------------------


def import_into(tmp_path: Path, *paths: Path) -> Settings:
    settings = load_settings(environ={}, home=tmp_path / "home")
    with store.writer(settings, "pytest") as w:
        results, _ = importer.import_paths(w, list(paths))
        assert all(r.ok for r in results), [r.error for r in results if not r.ok]
        store.publish(w)
    return settings


def holders_by_date(archive: Path) -> pl.DataFrame:
    """The #1 of each date in jasontrigg0's alltime.csv, computed from the raw CSV (not from the views)."""
    frame = pl.read_csv(archive).select(
        pl.col("key").str.strip_chars().str.to_lowercase().alias("model"),
        pl.col("rating"),
        pl.col("date").cast(pl.Utf8).str.strptime(pl.Date, "%Y%m%d").alias("day"),
    )
    return frame.sort("rating", descending=True).group_by("day", maintain_order=True).first().sort("day")


@pytest.mark.shared
def test_2024_number_one_sequence_on_text_overall_raw_matches_the_archive(tmp_path):
    archive = shared_path("jasontrigg0-chatbot-arena-history", "alltime.csv")
    settings = import_into(tmp_path, archive)
    # the archive's keys through the tracker's renames (gpt-4-turbo -> gpt-4-1106-preview, ...), so that
    # a renamed model stays one model; the #1 itself comes from the raw ratings
    aliases = dict(rows(settings, "SELECT alias, model_key FROM model_aliases"))
    daily = (
        holders_by_date(archive)
        .filter(pl.col("day").dt.year() == 2024)
        .with_columns(pl.col("model").replace(aliases))
    )
    # consecutive dates with the same #1 are one reign, starting on its first date
    changed = daily.filter(pl.col("model") != pl.col("model").shift(1).fill_null(""))
    expected = changed.select("model", "day").rows()
    assert len(expected) >= 10  # 2024 had many changes at the top

    reigns = rows(
        settings,
        "SELECT model, greatest(reign_start, DATE '2024-01-01') FROM crowns WHERE arena = 'text' "
        "AND category = 'overall' AND NOT style_control AND rank_basis = 'ordinal' "
        "AND reign_start <= DATE '2024-12-31' AND last_held >= DATE '2024-01-01' ORDER BY reign_start",
    )
    assert [m for m, _ in reigns] == [m for m, _ in expected]
    # reigns that began in 2024 began on the archive's first date with that #1 (the first 2024 date opens
    # with the reign carried over from 2023)
    assert reigns[1:] == expected[1:]


@pytest.mark.shared
def test_a_transcription_of_one_models_rows_is_a_partial_board(tmp_path):
    copy = shared_path("kevinschaul-lmarena-leaderboard-history", "mai-1-preview_rows_from_history.csv")
    settings = import_into(tmp_path, copy)
    published = (
        pl.read_csv(copy)
        .filter(pl.col("model") == "mai-1-preview")
        .sort("date")
        .select("date", "rank")
        .rows()
    )
    got = rows(
        settings,
        "SELECT strftime(as_of, '%Y-%m-%d'), rank_ub, rank_ordinal, partial FROM ranked "
        "WHERE model = 'mai-1-preview' ORDER BY as_of",
    )
    assert [(d, r) for d, r, _, _ in got] == published  # rank (UB) as published: 15, 24, 25, ...
    assert {(o, p) for _, _, o, p in got} == {(None, True)}
    assert rows(settings, "SELECT count(*) FROM crowns") == [(0,)]
    assert rows(settings, "SELECT count(*) FROM latest") == [(0,)]


def test_methodology_seed_loads_once_and_edits_show(tmp_path):
    settings = load_settings(environ={}, home=tmp_path / "home")
    w = store.open_writer(settings, "pytest")  # the writer loaded the bundled seed file on open
    try:
        seeded_rows = w.con.execute(
            "SELECT event_id, event_date FROM methodology_events ORDER BY 1"
        ).fetchall()
        assert seeded_rows == [
            ("ci-closed-form", date(2025, 7, 23)),
            ("rank-ub-to-ordinal", date(2026, 2, 11)),
        ]
        assert methodology.load(w.con) == 0  # unchanged: nothing written
        edited = tmp_path / "methodology_events.csv"
        text = methodology.seed_path().read_text(encoding="utf-8")
        edited.write_text(text.replace("2026-02-11", "2026-01-20", 1), encoding="utf-8")
        assert methodology.load(w.con, edited) == 1
        assert w.con.execute(
            "SELECT event_date FROM methodology_events WHERE event_id = 'rank-ub-to-ordinal'"
        ).fetchall() == [(date(2026, 1, 20),)]
        edited.write_text("event_id,event_date\nx,not a date\n", encoding="utf-8")
        with pytest.raises(StoreError, match="cannot load methodology events from .*ISO dates"):
            methodology.load(w.con, edited)
    finally:
        w.close()


def test_a_board_filter_on_rank_history_reaches_every_snapshots_scan(seeded):
    # rank_history keeps the rows of chosen_snapshots, which ranks every snapshot of a board and date; were
    # the board's values not carried over to its scans, every query on one board (each publish of a new page)
    # would rank all snapshots of every board (at 10x, 170k: 182 ms and ~70 MB for one board's newest date)
    w = store.open_writer(seeded, "pytest")
    try:
        plan = w.con.execute(
            "EXPLAIN (FORMAT json) SELECT * FROM rank_history "
            "WHERE arena = 'text' AND category = 'overall' AND style_control = false AND as_of = $day",
            {"day": sb.D3},
        ).fetchall()[0][1]
    finally:
        w.close()
    scans = [
        node["extra_info"].get("Filters") or []
        for node in plan_nodes(plan)
        if node.get("name") == "SEQ_SCAN"
        and str(node.get("extra_info", {}).get("Table", "")).endswith(".snapshots")
    ]
    assert len(scans) >= 2, "rank_history reads snapshots for the standings and for chosen_snapshots"
    # (the seeded history is all text/overall, so DuckDB drops those two filters as always true; the style
    # and the date, which rule out rows here, must reach every scan)
    for filters in scans:
        assert any("style_control = false" in f for f in filters), filters
        assert any(sb.D3.isoformat() in f for f in filters), filters


def test_standings_resolved_dates_each_snapshot_once_not_each_standing(seeded):
    # the UTC date of a snapshot is computed on the snapshots side of the join with standings: per standing it
    # was 15 M time zone conversions at 10x history, 0.6 s of every full read of the view (rank_history, each
    # publish, `tracker models`, the alerts)
    w = store.open_writer(seeded, "pytest")
    try:
        plan = w.con.execute("EXPLAIN (FORMAT json) SELECT model, as_of FROM standings_resolved").fetchall()[
            0
        ][1]
        dated = w.con.execute(
            "SELECT count(*), count(*) FILTER (WHERE r.as_of = CAST(timezone('UTC', s.as_of) AS DATE)) "
            "FROM standings_resolved AS r JOIN snapshots AS s USING (snapshot_id)"
        ).fetchall()[0]
    finally:
        w.close()
    assert dated[0] > 0 and dated[0] == dated[1]  # each row dated by its snapshot's UTC day

    # the tables scanned below each projection that computes the date (names without catalogue and schema)
    found = [
        {
            str(n["extra_info"]["Table"]).rsplit(".", 1)[-1]
            for n in plan_nodes([node])
            if n.get("extra_info", {}).get("Table")
        }
        for node in plan_nodes(plan)
        if node.get("name") == "PROJECTION"
        and "as_of_date" in node.get("extra_info", {}).get("Projections", [])
    ]
    assert found == [{"snapshots"}], found
