"""The dashboard's entry script: page config, the shared sidebar and ``st.navigation`` over the pages of
``dashboards/registry.py``. Run it with ``streamlit run dashboards/app.py`` (``tracker up`` does);
``TRACKER_HOME`` (or ``TRACKER_LAKE``) says which data to show.

This script is a frame: it reads nothing itself beyond what the sidebar needs, and an expected error
(no data yet, a query refused) is shown as a message on the page rather than a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboards/app.py` puts dashboards/ first on sys.path; the project root makes
# `dashboards` and `tracker` importable even when the project is not installed in editable mode.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(1, _ROOT)

import streamlit as st  # noqa: E402

from dashboards import data, registry, sidebar  # noqa: E402
from dashboards.text import md  # noqa: E402
from tracker.errors import TrackerError  # noqa: E402

# The tab's icon is an emoji, drawn by the browser itself: a ":material/...:" page icon would be fetched as
# an SVG from fonts.gstatic.com, a request that leaves the machine (and fails offline). The menu's icons
# come from the Material Symbols font bundled with Streamlit, served by the app.
st.set_page_config(page_title="Leaderboard Tracker", page_icon="📈", layout="wide")

page = st.navigation(
    [
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=i == 0)
        for i, spec in enumerate(registry.PAGES)
    ]
)

try:
    src = data.source()
    data.require_data(src)
    sidebar.render(src)
except TrackerError as exc:
    st.title(page.title)
    st.warning(md(exc), icon=":material/database:")
    st.stop()

try:
    page.run()
except TrackerError as exc:
    st.error(md(exc), icon=":material/error:")
