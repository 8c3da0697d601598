"""A board's usual interval (the ``board_cadence`` view: the median of its last 10 intervals between complete
snapshots) checked against the rule written out in Python, on boards of irregular rhythm with partial
snapshots among their dates, through the real ``board_dates`` and ``board_cadence`` view files."""

from __future__ import annotations

import random
import statistics
from datetime import date, timedelta

import duckdb
import pytest

from tracker.sqlfiles import sql


def _cadence(complete: list[date]) -> float | None:
    """The rule: the median number of days between the board's last 10 pairs of consecutive complete dates."""
    gaps = [(b - a).days for a, b in zip(complete, complete[1:], strict=False)]
    return float(statistics.median(gaps[-10:])) if gaps else None


@pytest.mark.parametrize("seed", range(10))
def test_the_usual_interval_is_the_median_of_the_last_ten_between_complete_snapshots(seed):
    rng = random.Random(seed)
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE chosen_snapshots (leaderboard VARCHAR, arena VARCHAR, category VARCHAR, "
        "style_control BOOLEAN, as_of_date DATE, source VARCHAR, row_count INTEGER, published_ranks INTEGER)"
    )
    expected = {}
    for board in range(6):
        day, complete, rows = date(2025, 1, 1), [], []
        for _ in range(30 if board == 0 else rng.choice([1, 2, 5, 11, 12, 30])):  # one board of many dates
            partial = bool(complete) and rng.random() < 0.25  # a transcription of a few rows of the board
            rows.append(
                ("LMArena", "text", f"c{board}", board % 2 == 0, day, "s", 3 if partial else 100, 100)
            )
            if not partial:
                complete.append(day)
            day += timedelta(days=rng.choice([1, 1, 2, 3, 7, 7, 14, 60]))
        con.executemany("INSERT INTO chosen_snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        expected[("LMArena", "text", f"c{board}", board % 2 == 0)] = _cadence(complete)
    con.execute(sql("views/0400_board_dates.sql"))
    con.execute(sql("views/0402_board_cadence.sql"))
    got = {tuple(row[:4]): row[4] for row in con.execute("SELECT * FROM board_cadence").fetchall()}
    assert got == expected
