"""Rank movement page: a bump chart (rank 1 on top) of the top N or chosen models on the sidebar's board
and date range, by ordinal rank or rank (UB), with the rank spread shaded; below it rating over time with
CI bands; methodology changes marked on both. Reads ``dashboard_top_models``, ``dashboard_rank_series``
and ``dashboard_methodology``.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import chart_layout, charts, data, sidebar
from dashboards.text import md, model_names

FEATURED = "mai-1-preview"  # the model this project was started to follow; on by default when listed
RANKS = {"Rank": "rank_ordinal", "Rank (UB)": "rank_ub"}

st.title("Rank movement")
sel = sidebar.current()
if sel is None:
    st.info("No board has data yet.")
    st.stop()

controls = st.columns([0.9, 3, 1.3, 1, 1], vertical_alignment="bottom")
top_n = controls[0].number_input("Top N", min_value=1, max_value=50, value=10, key="rm_top_n")
top = data.read("read/dashboard_top_models.sql", **sel.board, end=sel.end, n=top_n)
everyone = data.read("read/dashboard_board_models.sql", **sel.board)
# one name per model (its newest on this board), whatever it was called at each snapshot
names = model_names(dict(zip(everyone["model"], everyone["display_name"], strict=True)))
default = top["model"].to_list() + ([FEATURED] if FEATURED in names and FEATURED not in top["model"] else [])
sidebar.follow_default("rm_models", default)
st.session_state["rm_models"] = [m for m in st.session_state["rm_models"] if m in names]
models = controls[1].multiselect(
    "Models",
    list(names),
    key="rm_models",
    format_func=lambda m: names.get(m, m),
    help=f"The top N on the range's last snapshot, plus {FEATURED} when it is on this board.",
)
basis = controls[2].segmented_control("Rank by", list(RANKS), key="rm_basis", default="Rank")
spread = controls[3].toggle(
    "Spread", value=True, key="rm_spread", help="Shade the ranks each model's CI allows."
)
rank_col = RANKS.get(basis or "Rank", "rank_ordinal")

series = data.read("read/dashboard_rank_series.sql", **sel.board, start=sel.start, end=sel.end, models=models)
markers = data.read("read/dashboard_methodology.sql", **sel.board, start=sel.start, end=sel.end).select(
    "as_of", "label"
)
if series.is_empty():
    st.info(f"No snapshots of the chosen models on {md(sel.label)} between {sel.start} and {sel.end}.")
    st.stop()

board_dates = data.read("read/dashboard_board_dates.sql", **sel.board)
in_range = board_dates.filter(pl.col("as_of").is_between(sel.start, sel.end))
complete = in_range.filter(~pl.col("partial"))
partial = in_range.height - complete.height
shown_on = series["as_of"].n_unique()
st.caption(
    f"{md(sel.label)}, {sel.start:%Y-%m-%d} to {sel.end:%Y-%m-%d}: the board has {complete.height} complete "
    f"snapshot{'s' if complete.height != 1 else ''} in this range"
    + (f" and {partial} partial" if partial else "")
    + f"; the chosen models appear on {shown_on} snapshot date{'s' if shown_on != 1 else ''}. "
    "Shaded: the rank spread, the ranks each model's rating CI allows (rank (UB) to rank (LB)). "
    "Dashed lines: methodology changes. A line breaks where two of its points are more than "
    f"{chart_layout.GAP_INTERVALS} of the board's usual intervals between snapshots apart."
)
deepest = series[rank_col].max() or 1
# a log axis keeps the top readable when a followed model sits far below it (mai-1-preview near #100)
sidebar.follow_default("rm_log", deepest > 3 * top_n)
log = controls[4].toggle("Log rank axis", key="rm_log")
plotted = series.select(
    "as_of",
    pl.col("model").replace_strict(names, default=pl.col("display_name")).alias("display_name"),
    pl.col(rank_col).alias("rank"),
    pl.col("rank_ub").alias("spread_top"),
    pl.col("rank_lb").alias("spread_bottom"),
)
if not spread:
    plotted = plotted.select("as_of", "display_name", "rank")
gaps = board_dates.filter(~pl.col("partial"))["as_of"].to_list()
st.altair_chart(
    charts.bump(
        plotted, rank_title=basis or "Rank", spread=spread, log=log, markers=markers, board_dates=gaps
    ),
    key="rm_bump",
    width="stretch",
)

st.subheader("Rating over time")
st.altair_chart(
    charts.rating_bands(
        series.select(
            "as_of",
            pl.col("model").replace_strict(names, default=pl.col("display_name")).alias("display_name"),
            "rating",
            "rating_lower",
            "rating_upper",
        ),
        markers=markers,
        board_dates=gaps,
    ),
    key="rm_rating",
    width="stretch",
)
