"""Organisations page: the race between labs on the sidebar's board: each organisation's best rank over
time and how many of its models sit in the top 10, from the ``org_race`` view; and every organisation's
standing on the range's last date.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts, data, sidebar, tables
from dashboards.text import md

# The race people ask about; shown by default when present, topped up with the best-ranked others.
FEATURED = ("Microsoft AI", "OpenAI", "Google", "xAI", "Anthropic")
DEFAULT_COUNT = 6
BASES = {"Rank": ("best_rank", "top10"), "Rank (UB)": ("best_rank_ub", "top10_ub")}

st.title("Organisations")
sel = sidebar.current()
if sel is None:
    st.info("No board has data yet.")
    st.stop()

standing = data.read("read/dashboard_org_standing.sql", **sel.board, end=sel.end)
orgs = standing["organization"].to_list()
default = [o for o in FEATURED if o in orgs]
default += [o for o in orgs if o not in default][: max(0, DEFAULT_COUNT - len(default))]
sidebar.follow_default("org_pick", default)
st.session_state["org_pick"] = [o for o in st.session_state["org_pick"] if o in orgs]

controls = st.columns([4, 1.3, 1], vertical_alignment="bottom")
picked = controls[0].multiselect("Organisations", orgs, key="org_pick")
basis = controls[1].segmented_control("Rank by", list(BASES), key="org_basis", default="Rank")
rank_col, top_col = BASES[basis or "Rank"]

race = data.read(
    "read/dashboard_org_race.sql", **sel.board, start=sel.start, end=sel.end, organizations=picked
)
markers = data.read("read/dashboard_methodology.sql", **sel.board, start=sel.start, end=sel.end)
st.caption(
    f"{md(sel.label)}, {sel.start:%Y-%m-%d} to {sel.end:%Y-%m-%d}. Best rank: the organisation's best-ranked "
    "model on each date (rank 1 on top). A line breaks where the board went more than 3 of its usual "
    "intervals without a snapshot."
)
if race.is_empty():
    st.info("Pick at least one organisation with models on this board in the date range.")
else:
    gaps = (
        data.read("read/dashboard_board_dates.sql", **sel.board).filter(~pl.col("partial"))["as_of"].to_list()
    )
    sidebar.follow_default("org_log", (race[rank_col].max() or 1) > 30)
    log = controls[2].toggle("Log rank axis", key="org_log")
    st.altair_chart(
        charts.org_best_rank(
            race.select("as_of", "organization", pl.col(rank_col).alias("best_rank")),
            log=log,
            markers=markers.select("as_of", "label"),
            board_dates=gaps,
        ),
        key="org_best",
        width="stretch",
    )
    st.subheader("Models in the top 10")
    st.altair_chart(
        charts.org_top_counts(
            race.select("as_of", "organization", pl.col(top_col).alias("models_in_top")),
            top=10,
            board_dates=gaps,
        ),
        key="org_top10",
        width="stretch",
    )

st.subheader(f"Standing on {standing['as_of'].max() or sel.end:%Y-%m-%d}")
tables.show(
    standing.select(
        pl.col("organization").alias("Organisation"),
        pl.col("best_rank").alias("Best rank"),
        pl.col("best_rank_ub").alias("Best rank (UB)"),
        pl.col("best_display_name").alias("Best model"),
        pl.col("top10").alias("In top 10"),
        pl.col("top10_ub").alias("In top 10 (UB)"),
        pl.col("models").alias("Models listed"),
    ),
    key="org_standing",
)
