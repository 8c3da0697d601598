"""Movers and events page: on the sidebar's board, the biggest risers and fallers between the board as it
stood at the start and at the end of the sidebar's date range, entrants and leavers (the ``movers``
macro); the crown history with reign lengths (``crowns``); and the dated event stream (``events``).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts, data, sidebar, tables

TOP = 10
BASES = {"Rank": "ordinal", "Rank (UB)": "ub"}

st.title("Movers and events")
sel = sidebar.current()
if sel is None:
    st.info("No board has data yet.")
    st.stop()

moves = data.read("dashboard_movers", **sel.board, from_date=sel.start, to_date=sel.end)
if moves.is_empty():
    st.caption(f"{sel.label}: no rank changed between {sel.start:%Y-%m-%d} and {sel.end:%Y-%m-%d}.")
else:
    first = moves["from_as_of"].drop_nulls().min()
    last = moves["to_as_of"].drop_nulls().max()
    st.caption(
        f"{sel.label}: the board as of {first or sel.start:%Y-%m-%d} against {last or sel.end:%Y-%m-%d} "
        "(change the sidebar's date range to compare other dates). Significant: the move is beyond the "
        "rating CIs or rank (UB) changed."
    )
by_kind = {
    kind: moves.filter(pl.col("movement") == kind) for kind in ("riser", "faller", "entrant", "leaver")
}
facts = st.columns(4)
for column, (kind, label) in zip(
    facts,
    (("riser", "Risers"), ("faller", "Fallers"), ("entrant", "Entrants"), ("leaver", "Leavers")),
    strict=True,
):
    column.metric(label, by_kind[kind].height)

moved = {
    "display_name": "Model",
    "from_rank": "From",
    "to_rank": "To",
    "ordinal_gain": "Places",
    "rating_change": "Rating Δ",
    "significant": "Significant",
    "organization": "Organisation",
}
sides = st.columns(2)
for column, kind, title, order in (
    (sides[0], "riser", "Biggest risers", True),
    (sides[1], "faller", "Biggest fallers", False),
):
    with column:
        st.subheader(title)
        frame = by_kind[kind].sort("ordinal_gain", descending=order).head(TOP)
        tables.show(
            frame.select(list(moved)).rename(moved).with_columns(pl.col("Rating Δ").round(1)),
            key=f"mv_{kind}s",
        )

sides = st.columns(2)
with sides[0]:
    st.subheader("Entrants")
    tables.show(
        by_kind["entrant"].select(
            pl.col("display_name").alias("Model"),
            pl.col("to_rank").alias("Rank"),
            pl.col("to_rating").round(1).alias("Rating"),
            pl.col("to_votes").alias("Votes"),
            pl.col("organization").alias("Organisation"),
        ),
        key="mv_entrants",
    )
with sides[1]:
    st.subheader("Leavers")
    tables.show(
        by_kind["leaver"].select(
            pl.col("display_name").alias("Model"),
            pl.col("from_rank").alias("Last rank"),
            pl.col("from_rating").round(1).alias("Rating"),
            pl.col("organization").alias("Organisation"),
        ),
        key="mv_leavers",
    )

st.subheader("Crown history")
basis = st.segmented_control("#1 by", list(BASES), key="mv_crown_basis", default="Rank")
crowns = data.read("dashboard_crowns", **sel.board, rank_basis=BASES[basis or "Rank"])
if crowns.is_empty():
    st.caption("No #1 recorded on this board.")
else:
    st.altair_chart(
        charts.reigns(crowns.select("display_name", "reign_start", "shown_until", "days")),
        key="mv_reigns",
        width="stretch",
    )
    tables.show(
        crowns.select(
            pl.col("display_name").alias("Model"),
            pl.col("organization").alias("Organisation"),
            pl.col("reign_start").alias("From"),
            pl.col("reign_end").alias("Until"),
            pl.col("days").alias("Days"),
            pl.col("snapshots").alias("Snapshots"),
            pl.col("current").alias("Current"),
            pl.col("co_holders").list.join(", ").alias("Shared with"),
        ),
        key="mv_crowns",
    )

st.subheader("Events")
events = data.read("dashboard_events", **sel.board, start=sel.start, end=sel.end)
kinds = sorted(events["kind"].unique().to_list())
st.session_state["mv_kinds"] = [k for k in st.session_state.get("mv_kinds", []) if k in kinds]
picked = st.multiselect("Kinds", kinds, key="mv_kinds", placeholder="all kinds")
shown = events.filter(pl.col("kind").is_in(picked)) if picked else events
tables.show(
    shown.select(
        pl.col("event_date").alias("Date"),
        pl.col("kind").alias("Kind"),
        pl.col("sentence").alias("What happened"),
        pl.col("significant").alias("Significant"),
    ),
    key="mv_events",
    column_config={"What happened": st.column_config.TextColumn(width="large")},
)
