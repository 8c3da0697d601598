"""Health page: is the tracker keeping up? Per source the last success and failure with its message (the
same ``status_sources`` query as ``tracker status``), per scheduled job its last run and next poll, fetches
per day by outcome, snapshots per board, and the size of the database and its read copy.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import streamlit as st

from dashboards import charts, data, sidebar, tables

st.title("Health")
src = data.source()

sources = data.read("status_sources", src)
failing = sources.filter(pl.col("last_outcome").is_in(["rejected", "failed"]))
if failing.is_empty():
    st.success(f"Every source's last fetch succeeded ({sources.height} sources).", icon=":material/check:")
else:
    for row in failing.iter_rows(named=True):
        st.warning(
            f"**{row['source'] or 'unrecognised payload'}**: last fetch {row['last_outcome']} "
            f"{sidebar.ago(row['last_failure_at'])}: {row['last_error']}",
            icon=":material/warning:",
        )

st.subheader("Sources")
tables.show(
    sources.select(
        pl.col("source").fill_null("(unrecognised)").alias("Source"),
        pl.col("last_outcome").alias("Last outcome"),
        pl.col("last_success_at").alias("Last success"),
        pl.col("last_failure_at").alias("Last failure"),
        pl.col("last_error").alias("Last failure message"),
        pl.col("consecutive_failures").alias("Failures in a row"),
        pl.col("fetches").alias("Fetches"),
    ),
    key="health_sources",
    column_config={"Last failure message": st.column_config.TextColumn(width="large")},
)

st.subheader("Fetches per day")
days = st.slider("Days shown", min_value=1, max_value=365, value=30, key="health_days")
# whole days, so the cached result is reused for the rest of the day
since = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
timeline = data.read("dashboard_fetch_timeline", src, since=since)
if timeline.is_empty():
    st.caption("No fetches in this window.")
else:
    st.altair_chart(
        charts.fetch_timeline(timeline.select("day", "outcome", "fetches")), key="health_timeline"
    )

st.subheader("Snapshots per board")
per_board = data.read("dashboard_snapshots_per_board", src)
tables.show(
    per_board.select(
        pl.col("board").alias("Board"),
        pl.col("source").alias("Source"),
        pl.col("snapshots").alias("Snapshots"),
        pl.col("rows").alias("Rows"),
        pl.col("first_as_of").alias("First as-of"),
        pl.col("newest_as_of").alias("Newest as-of"),
    ),
    key="health_boards",
)

st.subheader("Storage")
row_counts = data.read("dashboard_table_rows", src)
sizes = st.columns(3)
for column, (label, path) in zip(
    sizes,
    (("Database", src.settings.database_path), ("Read copy" if not src.is_lake else "Lake", src.path)),
    strict=False,
):
    size = data.file_size(path)
    column.metric(label, f"{size / 1e6:,.1f} MB" if size is not None else "absent", help=str(path))
sizes[2].metric("Standings rows", f"{row_counts.filter(pl.col('table_name') == 'standings')['rows'].sum():,}")
tables.show(row_counts.rename({"table_name": "Table", "rows": "Rows"}), key="health_tables")
