"""Model page: one model's story (default mai-1-preview), told by ``tracker.read.story`` exactly as
``tracker model`` tells it: debut, best, latest and exit as metrics and as the same sentences, the exit per
arena and per board with the snapshots that show it (a board whose newest snapshot is old is not called
current); then its rank on every board as small multiples, its record and status on every board (the CLI's
status words), its events, and the other models of its organisation. Reads the named queries behind the
story, ``dashboard_models``, ``dashboard_model_history``, ``dashboard_complete_dates``,
``dashboard_model_events`` and ``dashboard_org_models``.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import data, panels, sidebar, tables
from dashboards.text import md
from tracker.read import story

FEATURED = "mai-1-preview"

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

told = data.model_story(model)
on = story.today()  # one day for the whole page, as `tracker model` tells it
lines = story.sentences(told, on)
facts = story.facts(told, on)

# the figures at a glance (their boards and dates are in the sentences below, and on hover: a column is
# too narrow to hold a board's name without cutting it)
columns = st.columns(4)
for column, fact in zip(columns, facts.values(), strict=True):
    column.metric(md(fact.label), md(fact.value), help=md(" ".join(fact.sentences)))
with st.container(key="model_story"):
    st.markdown("\n".join(f"- {md(line)}" for line in lines))

here = told.boards.filter(
    (pl.col("leaderboard") == sel.leaderboard)
    & (pl.col("arena") == sel.arena)
    & (pl.col("category") == sel.category)
    & (pl.col("style_control") == sel.style_control)
)
if here.is_empty():
    st.caption(f"It was never listed on the sidebar's board, {md(sel.label)}.")
else:
    st.caption(
        f"On the sidebar's board, {md(sel.label)}: last seen {here['last_as_of'][0]:%Y-%m-%d}; "
        f"{md(story.board_status(here.row(0, named=True), on))}."
    )

history = data.read("read/dashboard_model_history.sql", model=model)
st.subheader("Rank on every board")
st.caption(
    "Ordinal rank per arena and category, raw and style-controlled; each panel has its own axis. A line "
    "breaks where two of its points are more than 3 of the board's usual intervals between snapshots apart."
)
# overall first in each arena, as the boards are read
panel_order = sorted(
    history["panel"].unique().to_list(), key=lambda p: (p.split("/")[0], not p.endswith("/overall"), p)
)
complete = data.read("read/dashboard_complete_dates.sql")
st.altair_chart(
    panels.small_multiples(
        history.select("panel", "style", "as_of", "rank_ordinal", "rank_ub"),
        order=panel_order,
        board_dates=complete,
    ),
    key="model_multiples",
)

st.subheader("On every board")
# the table `tracker model` prints: the same ranks and the same status words
tables.show(
    story.board_table(told, on).select(
        pl.col("board").alias("Board"),
        pl.col("first_seen").alias("First seen"),
        pl.col("debut").alias("Debut"),
        pl.col("best").alias("Best"),
        pl.col("last_seen").alias("Last seen"),
        pl.col("last").alias("Last"),
        pl.col("status").alias("Status"),
        pl.col("appearances").alias("Snapshots"),
    ),
    key="model_boards",
    column_config={"Status": st.column_config.TextColumn(width=400)},
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

org = orgs.get(model)
st.subheader(f"Other {md(org)} models on {md(sel.label)}" if org else f"Other models on {md(sel.label)}")
if org:
    mates = data.read("read/dashboard_org_models.sql", **sel.board, organization=org).filter(
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
                pl.when(~pl.col("listed"))
                .then(pl.lit("left"))
                # on an old board, "listed" would claim more than the data says
                .when(pl.lit(sel.freshness.old))
                .then(pl.lit(f"listed on {sel.newest_as_of:%Y-%m-%d}, an old snapshot"))
                .otherwise(pl.lit("listed"))
                .alias("Status"),
            ),
            key="model_org_mates",
        )
else:
    st.caption("The source gave no organisation for this model.")
