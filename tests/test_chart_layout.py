"""Where chart lines break (``dashboards.chart_layout.segments``), checked against the rule written out point
by point on boards of changing rhythm."""

from __future__ import annotations

import random
import statistics
from datetime import date, timedelta

import polars as pl
import pytest

from dashboards import chart_layout, panels


def _segments_one_point_at_a_time(frame: pl.DataFrame, board: list[date] | None) -> list[tuple[str, bool]]:
    """The rule of ``segments`` as a loop over the points (its definition, for reference): a point starts a
    new segment when the gap since its series' previous point is more than GAP_INTERVALS usual intervals (the
    median of the board's WINDOW intervals around the newest board date on or before that previous point)
    and at least MIN_GAP_SHARE of the plotted span. (segment, alone) per point, by series and date."""
    rows = sorted(frame.select("series", "as_of").rows())
    dates = sorted(set(board or [d for _, d in rows]))
    gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
    usual = {}
    for i, day in enumerate(dates):
        start = max(0, min(i - chart_layout.WINDOW // 2, len(gaps) - chart_layout.WINDOW))
        if gaps:
            usual[day] = statistics.median(gaps[start : start + chart_layout.WINDOW])
    own = [d for _, d in rows]
    visible = (max(own) - min(own)).days * chart_layout.MIN_GAP_SHARE
    ids, counters, previous = [], {}, {}
    for name, day in rows:
        before = previous.get(name)
        if before is not None and usual:
            newest = max([d for d in usual if d <= before] or [min(usual)])
            if (day - before).days > max(chart_layout.GAP_INTERVALS * usual[newest], visible):
                counters[name] = counters.get(name, 0) + 1
        previous[name] = day
        ids.append(f"{name}\u241f{counters.get(name, 0)}")
    return [(segment, ids.count(segment) == 1) for segment in ids]


def _board(rng: random.Random) -> list[date]:
    """Dates in runs of one rhythm (daily, every other day, weekly, monthly), some after a long hole."""
    day, board = date(2024, 1, 1), []
    for _ in range(rng.randint(1, 6)):
        step = rng.choice([1, 1, 2, 7, 30])
        for _ in range(rng.randint(1, 40)):
            board.append(day)
            day += timedelta(days=step)
        day += timedelta(days=rng.choice([0, 0, 20, 90, 400]))
    return board


@pytest.mark.parametrize("seed", range(60))
def test_lines_break_where_the_rule_says_point_by_point(seed):
    rng = random.Random(seed)
    board = _board(rng)
    rows = [
        (name, day)
        for name in ("a", "b", "c")[: rng.randint(1, 3)]
        for share in [rng.choice([0.2, 0.7, 1.0])]
        for day in board
        if rng.random() < share
    ] or [("a", board[0])]
    frame = pl.DataFrame(rows, schema={"series": pl.Utf8, "as_of": pl.Date}, orient="row").sample(
        fraction=1.0, shuffle=True, seed=seed
    )
    for dates in (board, None):  # the board's complete dates, or the series' own
        got = chart_layout.segments(frame, "series", dates)
        assert got.select("series", "as_of").rows() == sorted(frame.select("series", "as_of").rows())
        assert list(zip(got["segment"], got["alone"], strict=True)) == _segments_one_point_at_a_time(
            frame, dates
        )


def test_usual_intervals_are_the_median_of_the_intervals_around_each_date():
    # ten daily intervals, then weekly ones: the window slides from one rhythm to the other
    board = [date(2025, 1, 1) + timedelta(days=i) for i in range(11)]
    board += [board[-1] + timedelta(days=7 * i) for i in range(1, 12)]
    usual = chart_layout.usual_intervals(board)
    assert usual["day"].to_list() == board
    assert usual["usual"][0] == 1.0 and usual["usual"][-1] == 7.0
    assert usual["usual"][10] == 4.0  # the last daily date: five daily and five weekly intervals around it
    # with no more than WINDOW intervals, every date has the median of all of them
    few = chart_layout.usual_intervals([date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 5)])
    assert few["usual"].to_list() == [2.0, 2.0, 2.0]
    assert chart_layout.usual_intervals([date(2025, 1, 1)]).rows() == [(date(2025, 1, 1), None)]


@pytest.mark.parametrize("seed", range(20))
def test_small_multiples_break_each_line_by_its_own_board(seed):
    # panels of two boards each (raw and style control), each board of its own rhythm, one board with no
    # dates given (its line is judged by its own points): segmented at once as each line alone would be
    rng = random.Random(seed)
    boards = {
        (panel, style): _board(rng) for panel in ("text/overall", "vision/overall") for style in ("raw", "sc")
    }
    rows = [
        (panel, style, day, rank)
        for (panel, style), board in boards.items()
        for rank, day in enumerate(board)
        if rng.random() < 0.6
    ]
    frame = pl.DataFrame(rows, schema=["panel", "style", "as_of", "rank_ordinal"], orient="row")
    unknown = rng.choice(list(boards))
    given = pl.DataFrame(
        [(p, s, d) for (p, s), board in boards.items() if (p, s) != unknown for d in board],
        schema=["panel", "style", "as_of"],
        orient="row",
    )
    got = panels._panel_segments(frame, "panel", "style", given, ("panel", "style"))
    for (panel, style), part in got.group_by("panel", "style"):
        line = part.select(pl.col("style").alias("series"), "as_of")
        expected = _segments_one_point_at_a_time(
            line, None if (panel, style) == unknown else boards[(panel, style)]
        )
        assert [(seg.rsplit("\u241f", 1)[1], alone) for seg, alone in expected] == [
            (seg.rsplit("\u241f", 1)[1], alone) for seg, alone in part.select("segment", "alone").rows()
        ]
    # segment ids never repeat across panels or lines
    assert (
        got.group_by("segment")
        .agg(pl.col("panel").n_unique(), pl.col("style").n_unique())
        .select((pl.col("panel") == 1) & (pl.col("style") == 1))
        .to_series()
        .all()
    )
