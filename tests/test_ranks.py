"""Ranks computed by the tracker from ratings and CIs (tracker/ranks.py, through store.load_frame), on hand-made boards
where every rank can be counted by hand with the definitions."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import polars as pl

from tracker import store
from tracker.parsed import conform

AT = datetime(2025, 1, 1, tzinfo=UTC)


def board(
    rows: list[tuple[str, float, float | None, float | None]], category: str = "overall"
) -> pl.DataFrame:
    return conform(
        pl.DataFrame(
            [
                {
                    "arena": "text",
                    "category": category,
                    "style_control": False,
                    "as_of": AT,
                    "as_of_kind": "publish_date",
                    "model_key": k,
                    "rating": r,
                    "rating_lower": lo,
                    "rating_upper": hi,
                    "votes": 100,
                }
                for k, r, lo, hi in rows
            ],
            schema_overrides={"rating_lower": pl.Float64, "rating_upper": pl.Float64},
        )
    )


def ranks(writer, frame) -> dict[str, tuple]:
    writer.con.execute("BEGIN")
    store.load_frame(writer.con, frame, source="test", payload_hash="h", fetched_at=AT)
    writer.con.execute("COMMIT")
    rows = writer.con.execute("select model_key, rank_ordinal, rank_ub, rank_lb from standings").fetchall()
    return {k: (o, u, lb) for k, o, u, lb in rows}


def by_definition(rows):
    out = {}
    for k, r, lo, hi in rows:
        ordinal = 1 + sum(1 for _, r2, _, _ in rows if r2 > r)
        ub = 1 + sum(1 for _, _, lo2, _ in rows if lo2 > hi)
        lb = sum(1 for _, _, _, hi2 in rows if hi2 >= lo)
        out[k] = (ordinal, ub, lb)
    return out


def test_ties_share_ordinal_rank_and_ub_counts_only_clear_leads(writer):
    rows = [
        ("a", 1400, 1390, 1410),
        ("b", 1380, 1370, 1395),
        ("c", 1380, 1375, 1385),
        ("d", 1300, 1290, 1310),
    ]
    got = ranks(writer, board(rows))
    assert got == {"a": (1, 1, 2), "b": (2, 1, 3), "c": (2, 2, 3), "d": (4, 4, 4)}


def test_equal_bounds_are_not_a_strict_lead(writer):
    # a's lower bound equals b's upper bound: not strictly above, so b keeps rank (UB) 1
    got = ranks(writer, board([("a", 1400, 1390, 1410), ("b", 1385, 1380, 1390)]))
    assert got["b"][1] == 1 and got["a"][2] == 2


def test_models_without_ci_get_ordinal_rank_only(writer):
    got = ranks(writer, board([("a", 1400, None, None), ("b", 1300, None, None)]))
    assert got == {"a": (1, None, None), "b": (2, None, None)}


def test_random_boards_match_the_definitions(writer):
    rng = random.Random(7)
    rows = []
    for i in range(300):
        rating = round(rng.uniform(1000, 1500), 1)
        width = round(rng.uniform(0, 20), 1)
        rows.append((f"m{i}", rating, rating - width, rating + round(rng.uniform(0, 20), 1)))
    assert ranks(writer, board(rows)) == by_definition(rows)


def test_ranks_are_computed_per_snapshot(writer):
    frame = pl.concat(
        [
            board([("a", 1400, 1390, 1410), ("b", 1300, 1290, 1310)]),
            board([("a", 1200, 1190, 1210), ("b", 1300, 1290, 1310)], category="coding"),
        ]
    )
    writer.con.execute("BEGIN")
    result = store.load_frame(writer.con, frame, source="test", payload_hash="h", fetched_at=AT)
    writer.con.execute("COMMIT")
    assert result.snapshots_new == 2
    got = writer.con.execute(
        "select category, model_key, rank_ordinal from standings join snapshots using (snapshot_id) order by all"
    ).fetchall()
    assert got == [("coding", "a", 2), ("coding", "b", 1), ("overall", "a", 1), ("overall", "b", 2)]
