"""SQL page: a read-only console over the same data as every other page. Run a named query from
``sql/queries/`` (``tracker.read.named_queries``) with a widget per typed parameter, or free SQL; results as a
table with CSV and Parquet downloads (the CSV for spreadsheets, as ``tracker sql --format csv`` writes it: a text
cell a spreadsheet would run as a formula gets a leading ', ``tracker.read.cells``). Queries run through ``tracker.read.query`` on a hardened read-only
connection (no writes, no file or network access), exactly as ``tracker sql`` does.
"""

from __future__ import annotations

import io
import shlex
from datetime import date

import streamlit as st

from dashboards import data, tables
from dashboards.text import md
from tracker.errors import TrackerError
from tracker.read import cells, named_queries

EXAMPLE = (
    "select as_of, rank_ordinal, rank_ub, rating, votes\n"
    "from rank_history\n"
    "where model = 'mai-1-preview' and arena = 'text' and category = 'overall'\n"
    "order by style_control, as_of"
)
DEFAULT_QUERY = "model_history"
PREFILL = {"model": "mai-1-preview", "model_a": "mai-1-preview"}  # required text a first run can use
MAX_ROWS_SHOWN = 5000  # the table widget slows down beyond this; downloads carry every row
MODES = ("Named query", "Free SQL")


def param_widget(query: named_queries.NamedQuery, p: named_queries.Param) -> str:
    """Draw one parameter's widget and return its value as the text ``named_queries.bind`` converts."""
    key = f"sql_param_{query.name}_{p.name}"
    label = f"{p.name} ({p.type}{'' if p.required else ', optional'})"
    default = None if p.required else p.default
    if p.type == "BOOLEAN":
        options = ["true", "false"] if default is not None or p.required else ["any", "true", "false"]
        start = "any" if not p.required and default is None else str(bool(default)).lower()
        picked = st.selectbox(label, options, index=options.index(start), key=key, help=p.help)
        return "null" if picked == "any" else picked
    if p.choices:  # the declared values only, so the form cannot send one the query would refuse
        options = [str(c) for c in p.choices]
        if not p.required and default is None:
            options.insert(0, "any")
        start = options[0] if default is None else str(default)
        picked = st.selectbox(label, options, index=options.index(start), key=key, help=p.help)
        return "null" if picked == "any" else picked
    if p.type == "DATE":
        picked = st.date_input(label, value=default, key=key, help=p.help, min_value=date(2023, 1, 1))
        return picked.isoformat() if isinstance(picked, date) else "null"
    if p.type in ("INTEGER", "BIGINT"):
        picked = st.number_input(
            label, value=default, min_value=p.minimum, step=1, key=key, help=p.help, placeholder="none"
        )
        return "null" if picked is None else str(int(picked))
    if p.type == "DOUBLE":
        picked = st.number_input(
            label, value=default, min_value=p.minimum, key=key, help=p.help, placeholder="none"
        )
        return "null" if picked is None else str(picked)
    prefill = PREFILL.get(p.name, "") if p.required else ("" if default is None else str(default))
    picked = st.text_input(label, value=prefill, key=key, help=p.help, placeholder="none")
    return picked if picked.strip() or p.required else "null"


def headline(description: str, limit: int = 90) -> str:
    """A query's description in a few words for the picker: up to its first colon (descriptions read
    "One model's full history: one row per ..."), else whole words up to ``limit`` characters; the full
    description is shown under the picker."""
    head = description.split(": ", 1)[0]
    if head.count("(") > head.count(")"):  # the colon was inside a parenthesis: stop before it
        head = head[: head.rindex("(")].rstrip()
    if len(head) <= limit:
        return head
    return head[:limit].rsplit(" ", 1)[0] + " …"


def named_form() -> tuple[str, dict[str, object]] | None:
    catalogue = named_queries.catalogue()
    names = list(catalogue)
    choice = st.selectbox(
        "Named query",
        names,
        index=names.index(DEFAULT_QUERY) if DEFAULT_QUERY in names else 0,
        key="sql_named",
        format_func=lambda n: f"{n}: {headline(catalogue[n].description)}",
    )
    query = catalogue[choice]
    st.caption(query.description)
    raw: dict[str, str] = {}
    columns = st.columns(3)
    for i, p in enumerate(query.params):
        with columns[i % 3]:
            raw[p.name] = param_widget(query, p)
    given = {k: v for k, v in raw.items() if v != "null"}
    cli = " ".join(f"--param {shlex.quote(f'{k}={v}')}" for k, v in given.items())
    with st.expander("SQL and command line"):
        st.code(f"tracker sql {query.name} {cli}".strip(), language="bash")
        st.code(query.text, language="sql")
    try:
        return query.text, named_queries.bind(query, raw)
    except TrackerError as exc:
        st.warning(md(exc), icon=":material/edit:")
        return None


st.title("SQL")
st.caption(
    "Read-only: views such as `rank_history`, `latest`, `rank_moves`, `crowns`, `events` and the tracker's "
    "tables. Nothing you run here can change the data."
)
mode = st.segmented_control("Run", MODES, key="sql_mode", default=MODES[0]) or MODES[0]
if mode == MODES[0]:
    prepared = named_form()
else:
    text = st.text_area("Query", value=EXAMPLE, height=160, key="sql_text")
    prepared = (text, {})
run = st.button("Run", type="primary", key="sql_run", icon=":material/play_arrow:", disabled=prepared is None)

if run and prepared is not None:
    st.session_state["sql_last"] = prepared
if "sql_last" in st.session_state:
    last_text, last_params = st.session_state["sql_last"]
    try:
        result = data.run(last_text, last_params)
    except TrackerError as exc:
        st.error(md(exc), icon=":material/error:")
        st.stop()
    st.caption(f"{result.height:,} rows × {result.width} columns")
    tables.show(result.head(MAX_ROWS_SHOWN), key="sql_result")
    parquet = io.BytesIO()
    result.write_parquet(parquet)
    downloads = st.columns(2)
    downloads[0].download_button(
        "Download CSV",
        cells.to_csv(result),
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
