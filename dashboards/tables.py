"""How the pages show tables: ``st.dataframe`` without the index, dates as YYYY-MM-DD (Streamlit would show
a DATE column with a midnight time), timestamps in UTC to the minute (``2026-12-06 07:53 UTC``, as the
rest of the dashboard writes them), each in a container with a stable key
(a read-only dataframe is no widget, so its own key is not kept; the container's is, for tests and CSS).
"""

from __future__ import annotations

import polars as pl
import streamlit as st


def show(frame: pl.DataFrame, key: str, *, column_config: dict | None = None, **kwargs: object) -> None:
    config: dict = {}
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            config[name] = st.column_config.DateColumn(format="YYYY-MM-DD")
        elif isinstance(dtype, pl.Datetime):
            # the tracker stores UTC; a naive column is UTC too
            utc = (
                pl.col(name).dt.replace_time_zone("UTC")
                if dtype.time_zone is None
                else pl.col(name).dt.convert_time_zone("UTC")
            )
            frame = frame.with_columns(utc)
            config[name] = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm [UTC]")
    config.update(column_config or {})
    with st.container(key=key):
        st.dataframe(frame, hide_index=True, column_config=config, **kwargs)
