"""Small multiples: one small rank chart per board, several boards side by side (the Model page: one model on
every board it was listed on; Across leaderboards: an organisation's models on every board of every
leaderboard). Each panel has its own rank axis (rank 1 on top); lines break over a board's gaps as in every
chart (``chart_layout.segments``), and a point left alone is drawn as a dot.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from dashboards import chart_layout as layout
from dashboards.charts import date_x, few_dates, rank_axis, readable, series_colour


def _panel_segments(
    frame: pl.DataFrame, panel: str, series: str, board_dates: pl.DataFrame | None, board: Sequence[str]
) -> pl.DataFrame:
    """``frame`` with each panel's lines segmented (``chart_layout.segments``: each line of each panel a chart
    of its own, with its own span) against its board's complete dates: ``board_dates``' ``as_of``, keyed by
    the ``board`` columns (those of ``panel`` and ``series`` that name a board); a line without any: its own."""
    dates = None
    if board_dates is not None:
        known = board_dates.select(*board, pl.col("as_of").alias("day"))
        dates = frame.select(panel, series).unique().join(known, on=list(board))
    return layout.segments(frame, series, dates, chart=[panel, series])


def _faceted_lines(
    base: alt.Chart,
    framed: pl.DataFrame,
    facet: alt.Facet,
    *,
    columns: int,
    width: int,
    height: int,
    dot: int,
) -> alt.FacetChart:
    """Lines (broken at ``segment``) and dots (all while there are few dates, else the lone points), one panel
    per ``facet`` value, each panel with its own rank axis."""
    line = base.mark_line().encode(detail="segment:N")
    dots = base.mark_circle(size=dot, opacity=1)
    if not few_dates(framed):
        dots = dots.transform_filter(alt.datum.alone)
    return (
        alt.layer(line, dots, data=framed)
        .properties(width=width, height=height)
        .facet(facet=facet, columns=columns)
    )


def small_multiples(
    frame: pl.DataFrame,
    *,
    order: list[str] | None = None,
    columns: int = 3,
    width: int = 220,
    board_dates: pl.DataFrame | None = None,
) -> alt.FacetChart:
    """One small rank chart per arena/category, raw and style-controlled as two lines (columns: panel, style,
    as_of, rank_ordinal, rank_ub); each panel has its own rank axis (rank 1 on top). ``board_dates``: each
    board's complete snapshot dates (panel, style, as_of), where lines break over gaps."""
    framed = _panel_segments(frame, "panel", "style", board_dates, ("panel", "style"))
    styles = ["raw", "style control"]
    colour = alt.Color(
        "style:N",
        title="Board",
        scale=alt.Scale(domain=styles, range=[layout.PALETTE[0], layout.PALETTE[8]]),
        legend=alt.Legend(orient="top"),
    )
    y = alt.Y("rank_ordinal:Q", title="rank", scale=alt.Scale(reverse=True, zero=False), axis=rank_axis())
    tips = [
        alt.Tooltip("panel:N", title="board"),
        alt.Tooltip("style:N", title="variant"),
        alt.Tooltip("as_of:T", title="date"),
        alt.Tooltip("rank_ordinal:Q", title="rank"),
        alt.Tooltip("rank_ub:Q", title="rank (UB)"),
    ]
    base = alt.Chart().encode(x=date_x(), y=y, color=colour, tooltip=tips)
    facet = alt.Facet("panel:N", title=None, sort=order or "ascending")
    chart = _faceted_lines(base, framed, facet, columns=columns, width=width, height=140, dot=22)
    # facets take their panels' width
    return readable(chart.resolve_scale(y="independent", x="independent"), fit_width=False)


def boards_of_models(
    frame: pl.DataFrame,
    *,
    order: list[str],
    names: list[str],
    columns: int = 3,
    width: int = 260,
    board_dates: pl.DataFrame | None = None,
) -> alt.FacetChart:
    """One small rank chart per board (``order``: the boards' labels), a line per model coloured the same in
    every panel (``names``: the models, best first; columns: board, series, as_of, rank, rank_ub, rating,
    board_models); each panel has its own rank axis (rank 1 on top), and lines break over a board's gaps
    (``board_dates``: each board's complete snapshot dates, board and as_of). Every panel shares one time
    axis."""
    framed = _panel_segments(frame, "board", "series", board_dates, ("board",))
    y = alt.Y("rank:Q", title="rank", scale=alt.Scale(reverse=True, zero=False), axis=rank_axis())
    tips = [
        alt.Tooltip("board:N", title="board"),
        alt.Tooltip("series:N", title="model"),
        alt.Tooltip("as_of:T", title="date"),
        alt.Tooltip("rank:Q", title="rank"),
        alt.Tooltip("rank_ub:Q", title="rank (UB)"),
        alt.Tooltip("board_models:Q", title="models on the board"),
        alt.Tooltip("rating:Q", title="score", format=".1f"),
    ]
    base = alt.Chart().encode(x=date_x(), y=y, color=series_colour(names, "Model", legend=True), tooltip=tips)
    facet = alt.Facet("board:N", title=None, sort=order, header=alt.Header(labelLimit=0))
    chart = _faceted_lines(base, framed, facet, columns=columns, width=width, height=150, dot=26)
    # one time axis for every panel, so the boards' stories line up; each its own rank axis
    return readable(chart.resolve_scale(y="independent"), fit_width=False)
