"""Health page: is the tracker keeping up? The same report as ``tracker status`` (per source the last success
and failure with its message and the next poll; per scheduled job its last run and next run; whether the
scheduler runs), fetches per day by outcome, snapshots per board, and the size of the database and its read
copy. On a Parquet lake only the lake's snapshots and size exist (a lake carries no fetch log).

Only polls and backfills are fetches: until one reaches upstream a source reads "never polled" (the starter
history and imported files are data). The report follows the poller within seconds (the status files it
writes after every fetch), not only at each publish of the read copy.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import streamlit as st

from dashboards import charts, data, sidebar, tables
from tracker.store import previous_copy

st.title("Health")
src = data.source()
# every time as `2026-12-06 07:53 UTC`, as `tracker status` prints it
UTC_MINUTE = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm [UTC]", timezone="UTC")

if src.is_lake:
    st.info(
        f"Serving the Parquet lake {src.path}: it holds snapshots, not the fetch log.", icon=":material/info:"
    )
else:
    report = data.status(src)
    sources, jobs = report.sources, report.jobs
    polled = sources.filter(pl.col("fetches") > 0)
    failing = polled.filter(pl.col("consecutive_failures") > 0)
    if polled.is_empty():
        st.info(
            "No fetch recorded yet: every source reads never polled until a poll reaches upstream "
            "(`tracker up` or `tracker poll`). The starter history and imported files are data, not fetches.",
            icon=":material/info:",
        )
    elif failing.is_empty():
        st.success(
            f"Every polled source's last fetch of each URL succeeded ({polled.height} of {sources.height} "
            "sources polled).",
            icon=":material/check:",
        )
    for row in failing.iter_rows(named=True):
        urls = row["failing_origins"]
        st.warning(
            f"**{row['source'] or 'unrecognised payload'}**: failed {row['consecutive_failures']} time(s) in a "
            f"row{f' on {urls} URLs' if urls and urls > 1 else ''}, last "
            f"{sidebar.ago(row['last_failure_at'])}: {row['last_error']}",
            icon=":material/warning:",
        )
    note = str(report.note)
    st.caption(note[:1].upper() + note[1:])

    st.subheader("Sources")
    tables.show(
        sources.select(
            pl.col("source").fill_null("(unrecognised)").alias("Source"),
            pl.when(pl.col("fetches") == 0)
            .then(pl.lit("never polled"))
            .otherwise(pl.col("last_outcome"))
            .alias("Last outcome"),
            pl.col("last_success_at").alias("Last success"),
            pl.col("last_failure_at").alias("Last failure"),
            pl.col("next_run_at").alias("Next poll"),
            pl.col("consecutive_failures").alias("Failures in a row"),
            pl.col("fetches").alias("Fetches"),
            pl.col("last_error").alias("Last failure message"),
        ),
        key="health_sources",
        column_config={
            "Last success": UTC_MINUTE,
            "Last failure": UTC_MINUTE,
            "Next poll": UTC_MINUTE,
            "Last failure message": st.column_config.TextColumn(width="large"),
        },
    )

    st.subheader("Scheduled jobs")
    tables.show(
        jobs.select(
            pl.col("job").alias("Job"),
            pl.col("source").alias("Source"),
            pl.col("schedule").alias("Schedule"),
            pl.col("next_run_at").alias("Next run"),
            pl.col("last_run_at").alias("Last run"),
            pl.col("last_outcome").fill_null("never run").alias("Last outcome"),
            pl.col("last_fetches").alias("Fetched"),
            pl.col("last_snapshots_new").alias("New snapshots"),
            pl.col("failed_runs_in_a_row").alias("Failed runs in a row"),
            pl.col("last_error").alias("Last error"),
        ),
        key="health_jobs",
        column_config={"Next run": UTC_MINUTE, "Last run": UTC_MINUTE},
    )

    st.subheader("Fetches and imports per day")
    days = st.slider("Days shown", min_value=1, max_value=365, value=30, key="health_days")
    # whole days, so the cached result is reused for the rest of the day
    since = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
    timeline = data.read("read/dashboard_fetch_timeline.sql", src, since=since)
    if timeline.is_empty():
        st.caption("No fetch or import in this window.")
    else:
        st.altair_chart(
            charts.fetch_timeline(timeline.select("day", "outcome", "fetches")),
            key="health_timeline",
            width="stretch",
        )

st.subheader("Snapshots per board")
per_board = data.read("read/dashboard_snapshots_per_board.sql", src)
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
sizes = st.columns(3)
places = (
    [("Lake", src.path)]
    if src.is_lake
    else [
        ("Database", src.settings.database_path),
        ("Read copy", src.settings.read_copy_path),
    ]
)
for column, (label, path) in zip(sizes, places, strict=False):
    size = data.file_size(path)
    about = str(path)
    kept = data.file_size(previous_copy.path_of(path)) if label == "Read copy" else None
    if kept is not None:  # the copy the last publish replaced: on disk too, for the next publish to update
        about += f"; the previous copy, which the next publish updates, takes {kept / 1e6:,.1f} MB more"
    column.metric(label, f"{size / 1e6:,.1f} MB" if size is not None else "absent", help=about)
if not src.is_lake:
    row_counts = data.read("read/dashboard_table_rows.sql", src)
    standings = row_counts.filter(pl.col("table_name") == "standings")["rows"].sum()
    sizes[2].metric("Standings rows", f"{standings:,}")
    tables.show(row_counts.rename({"table_name": "Table", "rows": "Rows"}), key="health_tables")
