"""Leaderboard page: the chosen board at any snapshot date (default the newest), with rank, rank spread,
rank changes since the previous snapshot and since 7 / 30 days, rating with CI, votes, organisation,
license and a rank sparkline over the sidebar's date range. Reads ``sql/read/dashboard_leaderboard.sql``.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import data, sidebar, tables
from dashboards.text import md, short_names

LEADER_CHARS = 28  # what the #1 metric's column shows at 1400 px wide; a longer name keeps its start and end

st.title("Leaderboard")
sel = sidebar.current()
if sel is None:
    st.info("No board has data yet.")
    st.stop()

board_dates = data.read("read/dashboard_board_dates.sql", **sel.board)
dates = board_dates["as_of"].to_list()
partial = set(board_dates.filter(pl.col("partial"))["as_of"].to_list())
complete = [d for d in dates if d not in partial] or dates
sidebar.follow_default("lb_date", sidebar.linked_date("at", dates) or complete[0], options=dates)
top = st.columns([1, 1.5, 1.5, 0.9, 1.1], vertical_alignment="bottom")
at = top[0].selectbox(
    "Board as of",
    dates,
    key="lb_date",
    format_func=lambda d: f"{d:%Y-%m-%d}" + (" (partial)" if d in partial else ""),
    help="Snapshot dates. A partial snapshot lists only some models (e.g. a transcription of one model's rows).",
)
show_gone = top[4].toggle(
    "Show leavers",
    key="lb_show_gone",
    help="Also list models seen on this board before but not on this date.",
)
board = data.read("read/dashboard_leaderboard.sql", **sel.board, at=at, start=sel.start, show_gone=show_gone)

orgs = sorted(board["organization"].drop_nulls().unique().to_list())
licenses = sorted(board["license"].drop_nulls().unique().to_list())
for key, options in (("lb_orgs", orgs), ("lb_licenses", licenses)):
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options]
picked_orgs = top[1].multiselect("Organisation", orgs, key="lb_orgs", placeholder="all")
picked_licenses = top[2].multiselect("License", licenses, key="lb_licenses", placeholder="all")
min_votes = top[3].number_input("Minimum votes", min_value=0, step=1000, key="lb_min_votes")

shown = board.filter(
    (pl.col("organization").is_in(picked_orgs) if picked_orgs else pl.lit(True))
    & (pl.col("license").is_in(picked_licenses) if picked_licenses else pl.lit(True))
    & (pl.col("votes").fill_null(0) >= min_votes)
)

listed = board.filter(~pl.col("gone"))
leader = listed.filter(pl.col("rank_ordinal") == 1)["display_name"].to_list()
# the leader's name gets the room it needs: the widest column; a tie is named in the caption below
facts = st.columns([3.2, 1, 1.1, 1.2])
whole = ", ".join(leader) or "-"
if len(leader) == 1:
    leader_text = short_names(leader, LEADER_CHARS)[leader[0]]
else:
    leader_text = f"{len(leader)} models, tied" if leader else "-"
facts[0].metric("#1", md(leader_text), help=f"Rank 1 on {at:%Y-%m-%d}: {md(whole)}")
facts[1].metric("Models", f"{listed.height}", help="Models on the board on this date.")
facts[2].metric("New", f"{listed['is_new'].sum()}", help="Models not on the previous snapshot.")
votes = listed["votes"].drop_nulls()
facts[3].metric(
    "Votes (sum)",
    f"{votes.sum():,}" if not votes.is_empty() else "not published",
    help="All votes behind the ratings on this date.",
)
st.caption(
    f"{md(sel.label)} as of {at:%Y-%m-%d}"
    + (f"; #1, tied: {md(whole)}." if len(leader) > 1 else ".")
    + " Rank = 1 + models rated strictly higher; rank (UB) = 1 + models "
    "whose whole CI lies above this one's; spread = the ranks the CIs allow. ▲ rose, ▼ fell; 'new' = not on "
    "the previous snapshot. Trend: rank over the sidebar's date range (up = better)."
)


def arrows(column: str) -> pl.Expr:
    change = pl.col(column)
    return (
        pl.when(change > 0)
        .then(pl.format("▲ {}", change))
        .when(change < 0)
        .then(pl.format("▼ {}", change.abs()))
        .when(change == 0)
        .then(pl.lit("="))
        .otherwise(pl.lit(""))
    )


def change_pills(column: str) -> pl.Expr:
    # a one-item list shows as a coloured pill in a MultiselectColumn: green rises, red falls
    return pl.concat_list(arrows(column)).list.eval(pl.element().filter(pl.element() != ""))


table = shown.select(
    pl.col("rank_ordinal").alias("Rank"),
    pl.col("display_name").alias("Model"),
    pl.col("rank_ub").alias("Rank (UB)"),
    pl.format("{}–{}", "rank_ub", "rank_lb").alias("Spread"),
    pl.when(pl.col("gone"))
    .then(pl.format("left (last seen {})", pl.col("last_seen").dt.strftime("%Y-%m-%d")))
    .when(pl.col("is_new"))
    .then(pl.lit("new"))
    .otherwise(pl.lit(""))
    .alias("Status"),
    change_pills("change_prev").alias("Δ prev"),
    change_pills("change_7d").alias("Δ 7 d"),
    change_pills("change_30d").alias("Δ 30 d"),
    pl.col("rating").round(1).alias("Rating"),
    pl.format(
        "+{} / −{}",
        (pl.col("rating_upper") - pl.col("rating")).round(1),
        (pl.col("rating") - pl.col("rating_lower")).round(1),
    ).alias("95% CI"),
    pl.col("votes").alias("Votes"),
    pl.col("organization").alias("Organisation"),
    pl.col("license").alias("License"),
    pl.col("rank_trend").alias("Trend"),
)
labels = sorted(
    set(table["Δ prev"].explode().drop_nulls())
    | set(table["Δ 7 d"].explode().drop_nulls())
    | set(table["Δ 30 d"].explode().drop_nulls())
)
pill = st.column_config.MultiselectColumn(
    options=labels,
    color=["green" if v.startswith("▲") else "red" if v.startswith("▼") else "gray" for v in labels],
    width="small",
)
tables.show(
    table,
    key="lb_table",
    height=min(38 + 35 * max(table.height, 1), 720),
    column_config={
        "Rank": st.column_config.NumberColumn(width="small", pinned=True),
        "Rank (UB)": st.column_config.NumberColumn(width="small"),
        "Spread": st.column_config.TextColumn(width="small"),
        # not pinned: Streamlit draws pinned columns faded, and the names are what people read
        "Model": st.column_config.TextColumn(width="medium"),
        "Δ prev": pill,
        "Δ 7 d": pill,
        "Δ 30 d": pill,
        "Rating": st.column_config.NumberColumn(format="%.1f", width="small"),
        "Votes": st.column_config.NumberColumn(format="localized"),
        "Trend": st.column_config.LineChartColumn(width="small", color="auto"),
    },
)
