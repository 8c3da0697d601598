"""Movers and events page: on the sidebar's board, the biggest risers and fallers between two snapshot dates
(default: the range's last date and about a month before it), entrants and leavers (the ``movers`` macro);
the crown history with reign lengths (``crowns``); the dated event stream of the range (``events``); and
the newest alerts your watches raised (``notifications``, from ``tracker.alerts``).
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import streamlit as st

from dashboards import charts, data, sidebar, tables
from dashboards.text import md, model_names, short_names

TOP = 10
ALERTS = 50
WINDOW = timedelta(days=30)  # default span compared: recent enough to be news, long enough to move
BASES = {"Rank": "ordinal", "Rank (UB)": "ub"}

st.title("Movers and events")
sel = sidebar.current()
if sel is None:
    st.info("No board has data yet.")
    st.stop()

dates = (
    data.read("read/dashboard_board_dates.sql", **sel.board)
    .filter(~pl.col("partial") & pl.col("as_of").is_between(sel.start, sel.end))["as_of"]
    .sort()
    .to_list()
)
if len(dates) < 2:
    st.info(f"{md(sel.label)} has fewer than two complete snapshots between {sel.start} and {sel.end}.")
    st.stop()
pick = st.columns(2)
sidebar.follow_default("mv_to", dates[-1], options=dates[1:])
to_date = pick[1].selectbox("To", dates[1:][::-1], key="mv_to", format_func=lambda d: f"{d:%Y-%m-%d}")
earlier = [d for d in dates if d < to_date]
month_before = [d for d in earlier if d <= to_date - WINDOW]
sidebar.follow_default("mv_from", month_before[-1] if month_before else earlier[0], options=earlier)
from_date = pick[0].selectbox("From", earlier[::-1], key="mv_from", format_func=lambda d: f"{d:%Y-%m-%d}")

moves = data.read("read/dashboard_movers.sql", **sel.board, from_date=from_date, to_date=to_date)
st.caption(
    f"{md(sel.label)}: the board as of {from_date:%Y-%m-%d} against {to_date:%Y-%m-%d}. Significant: the move "
    "is beyond the rating CIs or rank (UB) changed."
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
            frame.select(list(moved)).rename(moved),
            key=f"mv_{kind}s",
            column_config={
                "Rating Δ": st.column_config.NumberColumn(format="%+.1f"),
                "Model": st.column_config.TextColumn(width="medium"),
            },
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
        column_config={
            "Rating": st.column_config.NumberColumn(format="%.1f"),
            "Votes": st.column_config.NumberColumn(format="localized"),
        },
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
        column_config={"Rating": st.column_config.NumberColumn(format="%.1f")},
    )

st.subheader("Crown history")
basis = st.segmented_control("#1 by", list(BASES), key="mv_crown_basis", default="Rank")
crowns = data.read("read/dashboard_crowns.sql", **sel.board, rank_basis=BASES[basis or "Rank"])
if crowns.is_empty():
    st.caption("No #1 recorded on this board.")
else:
    # one name per model, its newest on this board (upstreams spelt the same model differently over the
    # years), shortened so that no two rows of the chart read alike; the full name is in the tooltip
    everyone = data.read("read/dashboard_board_models.sql", **sel.board)
    names = model_names(dict(zip(everyone["model"], everyone["display_name"], strict=True)))
    crowns = crowns.with_columns(
        pl.col("model").replace_strict(names, default=pl.col("display_name")).alias("display_name")
    )
    short = short_names(crowns["display_name"].unique().to_list(), 32)
    st.altair_chart(
        charts.reigns(
            crowns.select(
                pl.col("display_name").replace_strict(short).alias("label"),
                "display_name",
                "reign_start",
                "shown_until",
                "days",
            )
        ),
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
events = data.read("read/dashboard_events.sql", **sel.board, start=sel.start, end=sel.end)
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

if not data.source().is_lake:  # alerts live in the database, not in an exported lake
    st.subheader("Alerts")
    alerts = data.read("read/dashboard_notifications.sql", limit=ALERTS)
    if alerts.is_empty():
        st.caption("No alerts yet: add watches under [alerts] in tracker.toml (see `tracker alerts --help`).")
    else:
        st.caption(f"The newest {min(ALERTS, alerts.height)} alerts raised by your watches, on every board.")
        tables.show(
            alerts.select(
                pl.col("created_at").alias("Raised"),
                pl.col("event_date").alias("Date"),
                pl.col("board").alias("Board"),
                pl.col("title").alias("Alert"),
                pl.col("sentence").alias("What happened"),
                pl.col("watches").list.join(", ").alias("Watches"),
            ),
            key="mv_alerts",
            column_config={"What happened": st.column_config.TextColumn(width="large")},
        )
