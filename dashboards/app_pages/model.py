"""Model page: one model's story (default mai-1-preview): debut, best, latest rank and exit on the sidebar's
board, its record on every board, its rank on every board as small multiples, its events, and the other
models of its organisation. Reads ``dashboard_models``, ``dashboard_model_boards``,
``dashboard_model_history``, ``dashboard_model_events`` and ``dashboard_org_models``.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts, data, sidebar, tables

FEATURED = "mai-1-preview"


def day(value: object) -> str:
    return f"{value:%Y-%m-%d}" if value is not None else "-"


st.title("Model")
sel = sidebar.current()
if sel is None:
    st.info("No board has data yet.")
    st.stop()

models = data.read("read/dashboard_models.sql")
names = dict(zip(models["model"], models["display_name"], strict=True))
orgs = dict(zip(models["model"], models["organization"], strict=True))
sidebar.follow_default(
    "model_pick",
    sidebar.linked("model", list(names)) or (FEATURED if FEATURED in names else models["model"][0]),
    options=list(names),
)
model = st.selectbox(
    "Model",
    list(names),
    key="model_pick",
    format_func=lambda m: f"{names[m]} ({orgs[m]})" if orgs.get(m) else names[m],
)

boards = data.read("read/dashboard_model_boards.sql", model=model)
here = boards.filter(
    (pl.col("arena") == sel.arena)
    & (pl.col("category") == sel.category)
    & (pl.col("style_control") == sel.style_control)
)
# the sidebar's board when the model is on it, else the board where it first appeared
focus = here if not here.is_empty() else boards.sort("debut").head(1)
row = focus.row(0, named=True)
first = boards.sort("debut").row(0, named=True)
st.caption(
    f"{names[model]} by {orgs.get(model) or 'an unknown organisation'}: first seen {day(first['debut'])} "
    f"on {first['board']}, on {boards.height} board(s). The figures below are for {row['board']}"
    + (" (the sidebar's board)." if not here.is_empty() else " (it is not on the sidebar's board).")
)


facts = st.columns(4)
facts[0].metric(
    "Debut",
    day(row["debut"]),
    "listed when the board's history begins"
    if row["listed_from_start"]
    else (f"at rank {row['debut_rank']}" if row["debut_rank"] is not None else None),
    delta_color="off",
    delta_arrow="off",
)
facts[1].metric(
    "Best rank",
    row["best_rank"],
    f"first on {day(row['best_at'])}" if row["best_rank"] is not None else None,
    delta_color="off",
    delta_arrow="off",
)
# partial snapshots (one model's rows) carry no comparable rank: no change is claimed then
gained = (
    row["debut_rank"] - row["latest_rank"]
    if row["debut_rank"] is not None and row["latest_rank"] is not None
    else None
)
facts[2].metric(
    "Latest rank",
    row["latest_rank"],
    f"{gained:+d} places since debut" if gained is not None else None,
    help=f"On {day(row['last_seen'])}; positive = better than at its debut.",
)
facts[3].metric(
    "Exit",
    day(row["last_seen"]) if row["gone"] else "still listed",
    f"last listed; gone from {day(row['missing_since'])}" if row["gone"] else None,
    delta_color="off",
    delta_arrow="off",
)

history = data.read("read/dashboard_model_history.sql", model=model)
st.subheader("Rank on every board")
st.caption("Ordinal rank per arena and category, raw and style-controlled; each panel has its own axis.")
# overall first in each arena, as the boards are read
panels = sorted(
    history["panel"].unique().to_list(), key=lambda p: (p.split("/")[0], not p.endswith("/overall"), p)
)
st.altair_chart(
    charts.small_multiples(
        history.select("panel", "style", "as_of", "rank_ordinal", "rank_ub"), order=panels
    ),
    key="model_multiples",
)

st.subheader("On every board")
tables.show(
    boards.select(
        pl.col("board").alias("Board"),
        pl.col("debut").alias("Debut"),
        pl.col("debut_rank").alias("Debut rank"),
        pl.col("listed_from_start").alias("Listed from start"),
        pl.col("best_rank").alias("Best rank"),
        pl.col("best_at").alias("Best on"),
        pl.col("last_seen").alias("Last seen"),
        pl.col("latest_rank").alias("Latest rank"),
        pl.col("latest_rank_ub").alias("Latest rank (UB)"),
        pl.col("latest_rating").round(1).alias("Latest rating"),
        pl.col("latest_votes").alias("Votes"),
        pl.when(pl.col("gone"))
        .then(pl.format("left; gone from {}", pl.col("missing_since").dt.strftime("%Y-%m-%d")))
        .otherwise(pl.lit("listed"))
        .alias("Status"),
    ),
    key="model_boards",
)

st.subheader("Events")
events = data.read("read/dashboard_model_events.sql", model=model)
if events.is_empty():
    st.caption("No events: it never entered or left the top 10, led, or moved 10+ places at once.")
else:
    tables.show(
        events.select(
            pl.col("event_date").alias("Date"),
            pl.col("board").alias("Board"),
            pl.col("kind").alias("Kind"),
            pl.col("sentence").alias("What happened"),
            pl.col("significant").alias("Significant"),
        ),
        key="model_events",
        column_config={"What happened": st.column_config.TextColumn(width="large")},
    )

st.subheader(f"Other {orgs.get(model) or ''} models on {sel.label}".replace("  ", " "))
if orgs.get(model):
    mates = data.read("read/dashboard_org_models.sql", **sel.board, organization=orgs[model]).filter(
        pl.col("model") != model
    )
    if mates.is_empty():
        st.caption("No other model of this organisation on this board.")
    else:
        tables.show(
            mates.select(
                pl.col("display_name").alias("Model"),
                pl.col("latest_rank").alias("Latest rank"),
                pl.col("best_rank").alias("Best rank"),
                pl.col("latest_rating").round(1).alias("Rating"),
                pl.col("latest_votes").alias("Votes"),
                pl.col("last_seen").alias("Last seen"),
                pl.when(pl.col("listed")).then(pl.lit("listed")).otherwise(pl.lit("left")).alias("Status"),
            ),
            key="model_org_mates",
        )
else:
    st.caption("The source gave no organisation for this model.")
