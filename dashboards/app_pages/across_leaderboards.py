"""Across leaderboards page: one organisation's models on every board they are ranked on, LMArena's and
every other leaderboard's, as small multiples over time (the ``org_leaderboards`` named query, which
``tracker sql org_leaderboards`` runs too), and a table of where each model stands on each board.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import data, panels, sidebar, tables
from dashboards.text import md

DEFAULT_ORGANISATION = "Microsoft AI"  # the story this page was made for: MAI-1, MAI-Voice-1, MAI-Image
BASES = {"Rank": "rank_ordinal", "Rank (UB)": "rank_ub"}


def _counts(frame: pl.DataFrame, name: str) -> str:
    row = frame.filter(pl.col("organization") == name).row(0, named=True)
    return (
        f"{row['leaderboards']} leaderboard{'s' if row['leaderboards'] != 1 else ''}, "
        f"{row['models']} model{'s' if row['models'] != 1 else ''}"
    )


st.title("Across leaderboards")
choices = data.read("read/dashboard_org_choices.sql")
if sidebar.current() is None or choices.is_empty():
    st.info("No board has data yet.")
    st.stop()
orgs = choices["organization"].to_list()
default = sidebar.linked("organization", orgs) or (
    DEFAULT_ORGANISATION if DEFAULT_ORGANISATION in orgs else orgs[0]
)
sidebar.follow_default("across_org", default, options=orgs)

controls = st.columns([3, 1.3, 1.2], vertical_alignment="bottom")
org = controls[0].selectbox(
    "Organisation",
    orgs,
    key="across_org",
    format_func=lambda name: f"{name} ({_counts(choices, name)})",
)
basis = controls[1].segmented_control("Rank by", list(BASES), key="across_basis", default="Rank")
every = controls[2].toggle(
    "Every category",
    key="across_every",
    help="Off: each arena's overall board (or every board of an arena "
    "that has no overall one, such as the LLM leaderboard's indices).",
)
rank_col = BASES[basis or "Rank"]

rows = data.read(
    "queries/org_leaderboards.sql", organization=org, leaderboard=None, every_category=every, since=None
)
if rows.is_empty():
    st.info(f"No board ranks a model of {md(org)}.")
    st.stop()

boards = rows["board"].unique(maintain_order=True).to_list()
leaderboards = rows["leaderboard"].unique(maintain_order=True).to_list()
# one name per model on every board (leaderboards spell it differently: "MAI Image 1", "mai-image-1"): the
# newest spelling anywhere
named = rows.sort("as_of").group_by("model").agg(pl.col("display_name").drop_nulls().last().alias("name"))
rows = rows.join(named.with_columns(pl.col("name").fill_null(pl.col("model"))), on="model")
latest = (
    rows.sort("as_of")
    .group_by("board", "model", maintain_order=True)
    .agg(
        pl.col("leaderboard").last(),
        pl.col("name").last(),
        pl.col("as_of").first().alias("first_seen"),
        pl.col("as_of").last().alias("last_seen"),
        pl.col(rank_col).last().alias("last_rank"),
        pl.col("board_models").last(),
        pl.col(rank_col).min().alias("best_rank"),
        pl.len().alias("snapshots"),
    )
)
# one colour per model in every panel, best-ranked first
names = latest.sort("best_rank", "name")["name"].unique(maintain_order=True).to_list()
st.caption(
    f"{md(org)}: {len(names)} model{'s' if len(names) != 1 else ''} on {len(boards)} "
    f"board{'s' if len(boards) != 1 else ''} of {len(leaderboards)} "
    f"leaderboard{'s' if len(leaderboards) != 1 else ''} ({md(', '.join(leaderboards))}). Each panel is one "
    "board with its own rank axis (rank 1 on top); a line breaks where its board went more than 3 of its "
    "usual intervals without a snapshot. Ranks are the tracker's own, computed the same way on every board."
)
complete = data.read("read/dashboard_complete_dates.sql")
series = rows.select(
    "board",
    pl.col("name").alias("series"),
    "as_of",
    pl.col(rank_col).alias("rank"),
    "rank_ub",
    "rating",
    "board_models",
)
st.altair_chart(
    panels.boards_of_models(
        series.drop_nulls("rank"), order=boards, names=names, board_dates=complete, width=215
    ),
    key="across_multiples",
)

st.subheader("Where each model stands")
tables.show(
    latest.sort("leaderboard", "board", "best_rank").select(
        pl.col("leaderboard").alias("Leaderboard"),
        pl.col("board").alias("Board"),
        pl.col("name").alias("Model"),
        pl.col("first_seen").alias("First seen"),
        pl.col("last_seen").alias("Last seen"),
        pl.format("#{} of {}", "last_rank", "board_models").alias("Last rank"),
        pl.col("best_rank").alias("Best rank"),
        pl.col("snapshots").alias("Snapshots"),
    ),
    key="across_table",
)
st.caption("The same rows in SQL: `tracker sql org_leaderboards --param organization='...'`.")
