"""SQL page: a read-only console over the same data as every other page. Run a named query from
``sql/queries/`` with a widget per typed parameter, or free SQL; results as a table with CSV and Parquet
downloads. Queries run through ``tracker.query`` on a hardened read-only connection (no writes, no file
or network access), exactly as ``tracker sql`` does.
"""

from __future__ import annotations

import io

import streamlit as st

from dashboards import data, tables
from tracker.errors import TrackerError

EXAMPLE = (
    "select as_of, rank_ordinal, rank_ub, rating, votes\n"
    "from rank_history\n"
    "where model = 'mai-1-preview' and arena = 'text' and category = 'overall'\n"
    "order by style_control, as_of"
)
MAX_ROWS_SHOWN = 5000  # the table widget slows down beyond this; downloads carry every row

st.title("SQL")
st.caption(
    "Read-only: views such as `rank_history`, `latest`, `rank_moves` and the tracker's tables. "
    "Nothing you run here can change the data."
)

text = st.text_area("Query", value=EXAMPLE, height=160, key="sql_text")
params: dict[str, object] = {}
run = st.button("Run", type="primary", key="sql_run", icon=":material/play_arrow:")

if run:
    st.session_state["sql_last"] = (text, params)
if "sql_last" in st.session_state:
    last_text, last_params = st.session_state["sql_last"]
    try:
        result = data.run(last_text, last_params)
    except TrackerError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    st.caption(f"{result.height:,} rows × {result.width} columns")
    tables.show(result.head(MAX_ROWS_SHOWN), key="sql_result")
    parquet = io.BytesIO()
    result.write_parquet(parquet)
    downloads = st.columns(2)
    downloads[0].download_button(
        "Download CSV",
        result.write_csv(),
        file_name="query.csv",
        mime="text/csv",
        key="sql_csv",
        icon=":material/download:",
    )
    downloads[1].download_button(
        "Download Parquet",
        parquet.getvalue(),
        file_name="query.parquet",
        mime="application/vnd.apache.parquet",
        key="sql_parquet",
        icon=":material/download:",
    )
else:
    st.caption("Press Run to execute the query.")
