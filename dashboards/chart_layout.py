"""Geometry and colour for the charts, computed before Vega draws anything (pure functions, tested alone).

- ``PALETTE``: series colours that all read on white (WCAG contrast of at least 4.5 : 1, the figure for text,
  since each colour also draws its line's label).
- ``segments``: where a series breaks. Two consecutive points of a series are joined only when they are at
  most ``GAP_INTERVALS`` of the board's usual intervals apart; a longer gap (months without a snapshot, or a
  model absent from many snapshots) is drawn as a gap. The usual interval at a date is the median of the
  board's ``WINDOW`` intervals between complete snapshots around it, so a board that was published weekly in
  2023 and daily in 2025 is judged by its own rhythm at each time. A gap narrower than ``MIN_GAP_SHARE`` of the
  chart's time span (a few pixels) is not broken: on a chart of three years, a missing day or two would only
  turn lines into dashes.
- ``dodge``: end labels moved apart in pixel space so that no two overlap; None when they cannot all fit
  (the chart then falls back to a legend).
- ``RankScale`` / ``LinearScale``: the y mapping of a chart (domain, reversal, log), so a label's pixel
  position can be turned back into a data value that Vega puts exactly there.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from tracker.read.story import OLD_AFTER_CADENCES

# dark enough on white for text (contrast >= 4.5), hues far apart in the order they are handed out
PALETTE = (
    "#1565c0",  # blue
    "#c62828",  # red
    "#2e7d32",  # green
    "#6a1b9a",  # purple
    "#00838f",  # teal
    "#5d4037",  # brown
    "#ad1457",  # magenta
    "#827717",  # olive
    "#bf360c",  # burnt orange
    "#455a64",  # blue grey
    "#283593",  # indigo
    "#d81b60",  # pink
)
GAP_INTERVALS = OLD_AFTER_CADENCES  # a gap longer than this many usual intervals breaks a line
WINDOW = 10  # intervals around a date that make its usual interval
MIN_GAP_SHARE = 0.01  # of the plotted time span: the shortest gap drawn as a gap
LABEL_FONT = 11
LINE_HEIGHT = 15  # px between two labels: the height of a line of text at LABEL_FONT, as the browser boxes it
CHAR_WIDTH = 6.6  # px per character at LABEL_FONT, on the wide side for the dashboard's sans-serif
MIN_PLOT_WIDTH = 480  # px: the narrowest plot assumed when deciding whether labels at two dates can collide


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colours(names: Sequence[str]) -> list[str]:
    """One palette colour per name, in order (repeating after the palette's length)."""
    return [PALETTE[i % len(PALETTE)] for i in range(len(names))]


def usual_intervals(board_dates: Sequence[date] | pl.DataFrame, *, by: Sequence[str] = ()) -> pl.DataFrame:
    """For each date of a board (its complete snapshots: a sequence of dates, or a frame with the dates in
    ``day`` and the board's key in the ``by`` columns), sorted: the ``by`` columns, ``day`` and ``usual``, the
    median length in days of the board's ``WINDOW`` intervals around the date (half before, half after, more
    on one side at either end; all of them when the board has no more; null when it has one date). Column-wise
    over every board at once."""
    by = list(by)
    board_dates = _day_frame(board_dates)
    within = functools.partial(_within, by=by)
    board = board_dates.select(*by, "day").unique().sort(*by, "day")
    # a date's gap is the interval ending at it (none at a board's first), so the window of WINDOW intervals
    # starting at interval k ends at row k + WINDOW; rolling_median gives the median of the WINDOW ending there
    board = board.with_columns(
        within(pl.col("day").diff()).dt.total_days().cast(pl.Float64).alias("_gap"),
        within(pl.int_range(pl.len())).alias("_i"),
        within(pl.len()).alias("_dates"),
    )
    intervals = pl.col("_dates") - 1
    start = (pl.col("_i") - WINDOW // 2).clip(0, pl.max_horizontal(intervals - WINDOW, 0))
    board = board.with_columns(
        within(pl.col("_gap").rolling_median(WINDOW)).alias("_rolling"),
        within(pl.col("_gap").median()).alias("_all"),
        (pl.int_range(pl.len()) - pl.col("_i") + start + WINDOW).alias("_end"),
    )
    wide = intervals > WINDOW
    ends = pl.when(wide).then(pl.col("_end")).otherwise(0)
    usual = pl.when(wide).then(pl.col("_rolling").gather(ends)).otherwise(pl.col("_all"))
    return board.select(*by, "day", usual.alias("usual"))


def _within(expr: pl.Expr, *, by: list[str]) -> pl.Expr:
    return expr.over(by) if by else expr


def _day_frame(board_dates: Sequence[date] | pl.DataFrame) -> pl.DataFrame:
    """One board's dates as a frame of them in ``day``; a frame as it is."""
    if isinstance(board_dates, pl.DataFrame):
        return board_dates
    return pl.DataFrame({"day": pl.Series(board_dates)})


def segments(
    frame: pl.DataFrame,
    series: str,
    board_dates: Sequence[date] | pl.DataFrame | None,
    *,
    date_col: str = "as_of",
    chart: Sequence[str] = (),
) -> pl.DataFrame:
    """``frame`` sorted by chart, series and date, with ``segment`` (a line's id: its chart and series, and a
    number that grows at each break) and ``alone`` (a point with no neighbour in its segment, drawn as a dot).
    A break falls between two consecutive points of a series more than GAP_INTERVALS usual intervals apart
    (the usual interval of the board at the earlier point) and at least MIN_GAP_SHARE of the chart's time
    span. ``chart``: the columns that tell the charts of small multiples apart (none: one chart), each with
    its own lines, span and board; ``board_dates``: the board's complete dates (a sequence, for one chart),
    or a frame of them in ``day`` keyed by the ``chart`` columns; a chart without any: its points' own
    dates. Column-wise over every chart at once: the Model page draws one per board, at every rerun."""
    if frame.is_empty():
        return frame.with_columns(segment=pl.lit("", pl.Utf8), alone=pl.lit(False))
    chart = list(chart)
    line = chart if series in chart else [*chart, series]
    frame = frame.sort(*line, date_col)
    own = frame.select(*chart, pl.col(date_col).alias("day"))
    given = (
        own.clear()
        if board_dates is None
        else _day_frame(board_dates).select(*chart, pl.col("day").cast(own["day"].dtype))
    )
    # a chart without board dates is judged by its points' own
    missing = own.join(given, on=chart, how="anti") if chart else own.filter(pl.lit(given.is_empty()))
    usual = usual_intervals(pl.concat([given, missing]), by=chart)
    within_chart = functools.partial(_within, by=chart)
    frame = frame.with_row_index("_row").with_columns(
        pl.col(date_col).shift(1).over(line).alias("_before"),
        within_chart(pl.col(date_col).max() - pl.col(date_col).min()).dt.total_days().alias("_span"),
    )
    # the usual interval at the earlier point: that of its board's newest date on or before it (of the board's
    # first date when the point comes before it)
    asked = frame.select("_row", *chart, "_before").drop_nulls("_before").sort("_before")
    # both sides sorted by date as the join needs (polars cannot check it when there are `by` groups)
    newest = asked.join_asof(
        usual.sort("day"),
        left_on="_before",
        right_on="day",
        by=chart or None,
        strategy="backward",
        check_sortedness=False,
    )
    first = usual.group_by(chart).first() if chart else usual.head(1)
    limits = (
        newest.join(first.select(*chart, pl.col("usual").alias("_first")), on=chart, how="left")
        if chart
        else newest.with_columns(_first=pl.lit(first["usual"][0] if first.height else None, pl.Float64))
    ).select("_row", pl.coalesce("usual", "_first").alias("_limit"))
    frame = frame.join(limits, on="_row", how="left", maintain_order="left")
    gap = (pl.col(date_col) - pl.col("_before")).dt.total_days()
    broken = (
        gap > pl.max_horizontal(GAP_INTERVALS * pl.col("_limit"), pl.col("_span") * MIN_GAP_SHARE)
    ) & pl.col("_limit").is_not_null()
    frame = frame.with_columns(broken.fill_null(False).cast(pl.Int32).alias("_breaks"))
    ids = [pl.col(c).cast(pl.Utf8).fill_null("None") for c in line]
    number = pl.col("_breaks").cum_sum().over(line).cast(pl.Utf8)
    segment = pl.concat_str([*ids, number], separator="\u241f")
    out = frame.with_columns(segment=segment).drop("_row", "_before", "_span", "_limit", "_breaks")
    return out.with_columns(alone=pl.len().over("segment") == 1)


@dataclass(frozen=True)
class LinearScale:
    """A linear y scale: ``low`` at the bottom of the plot (or at the top when ``reverse``)."""

    low: float
    high: float
    height: float
    reverse: bool = False

    def to_px(self, value: float) -> float:
        share = (value - self.low) / ((self.high - self.low) or 1.0)
        return share * self.height if self.reverse else (1 - share) * self.height

    def from_px(self, px: float) -> float:
        share = px / self.height if self.reverse else 1 - px / self.height
        return self.low + share * (self.high - self.low)


@dataclass(frozen=True)
class RankScale:
    """The rank axis of the bump charts: rank 1 on top, down to ``deepest``, linear or logarithmic."""

    deepest: float
    height: float
    log: bool = False

    def to_px(self, rank: float) -> float:
        if self.log:
            return math.log(max(rank, 1.0)) / math.log(self.deepest) * self.height
        return (rank - 1) / (self.deepest - 1) * self.height

    def from_px(self, px: float) -> float:
        if self.log:
            return math.exp(px / self.height * math.log(self.deepest))
        return 1 + px / self.height * (self.deepest - 1)


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def dodge(
    labels: Sequence[tuple[float, float, float]], height: float, *, line: float = LINE_HEIGHT
) -> list[float] | None:
    """New y positions (px, 0 = top) for labels given as (x start px, width px, wanted y px), so that no two
    whose x extents meet are closer than ``line``; each label moves as little as the ones placed before it
    allow, in order of wanted position. None when they cannot all fit between 0 and ``height``."""
    order = sorted(range(len(labels)), key=lambda i: labels[i][2])
    placed: list[tuple[float, float, float]] = []  # (x0, x1, y)
    result = [0.0] * len(labels)
    for i in order:
        x0, width, wanted = labels[i]
        x1 = x0 + width
        near = [y for a, b, y in placed if a < x1 and x0 < b]
        candidates = sorted(
            {wanted, *(y + line for y in near), *(y - line for y in near)}, key=lambda y: abs(y - wanted)
        )
        for y in candidates:
            if -line / 2 <= y <= height + line / 2 and all(abs(y - other) >= line - 1e-6 for other in near):
                break
        else:
            return None
        placed.append((x0, x1, y))
        result[i] = y
    return result
