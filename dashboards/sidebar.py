"""The shared sidebar: which board (arena, category, style control), which date range, and how fresh the
data is. ``app.py`` draws it on every rerun before the page runs; pages read the result with ``current()``.

Widget values live in ``st.session_state`` under stable keys. When a choice stops being valid (another
arena has no such category, a board's dates differ), the stored value is reset before the widget is drawn,
so a widget never receives a value outside its options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import polars as pl
import streamlit as st

from dashboards import data

_SELECTION = "_selection"
DEFAULT_ARENA = "text"
DEFAULT_CATEGORY = "overall"


@dataclass(frozen=True)
class Selection:
    arena: str
    category: str
    style_control: bool
    start: date
    end: date
    first_as_of: date  # the board's whole history, whatever the chosen range
    newest_as_of: date

    @property
    def board(self) -> dict[str, object]:
        """The board as bind parameters for the read SQL."""
        return {"arena": self.arena, "category": self.category, "style_control": self.style_control}

    @property
    def label(self) -> str:
        return f"{self.arena} / {self.category} / {style_label(self.style_control)}"


def style_label(style_control: bool) -> str:
    return "style control" if style_control else "raw (no style control)"


def follow_default(key: str, default: object, *, options: list | None = None) -> None:
    """Settle a widget's stored value before it is drawn: take ``default`` when the value is unset, no
    longer among ``options``, or still the previous default (the user has not chosen, so the choice follows
    the data: a new snapshot becomes the shown date, a new top 10 the charted models)."""
    marker = f"_default_{key}"
    current = st.session_state.get(key)
    if (
        key not in st.session_state
        or current == st.session_state.get(marker)
        or (options is not None and current not in options)
    ):
        st.session_state[key] = default
    st.session_state[marker] = default


def linked(name: str, options: list) -> object | None:
    """A choice given in the page's URL (``?arena=text&category=coding&style=1&from=2024-06-01&model=...``)
    when it is among ``options``: a link opens the app on a given board, range or model."""
    raw = st.query_params.get(name)
    if raw is None:
        return None
    for option in options:
        if str(option).lower() == raw.lower() or (
            isinstance(option, bool) and raw in ("0", "1") and option == (raw == "1")
        ):
            return option
    return None


def linked_date(name: str, dates: list[date] | None = None) -> date | None:
    """A date given in the URL (YYYY-MM-DD); with ``dates``, the newest of them on or before it."""
    try:
        wanted = date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None
    if dates is None:
        return wanted
    return max((d for d in dates if d <= wanted), default=None)


def _pick_board(boards: pl.DataFrame) -> dict:
    arenas = boards["arena"].unique(maintain_order=True).to_list()
    follow_default(
        "board_arena",
        linked("arena", arenas) or (DEFAULT_ARENA if DEFAULT_ARENA in arenas else arenas[0]),
        options=arenas,
    )
    arena = st.selectbox("Arena", arenas, key="board_arena")

    of_arena = boards.filter(pl.col("arena") == arena)
    categories = of_arena["category"].unique(maintain_order=True).to_list()
    # overall first, then the rest by name: the usual way people read the arena
    categories.sort(key=lambda c: (c != DEFAULT_CATEGORY, c))
    follow_default("board_category", linked("category", categories) or categories[0], options=categories)
    category = st.selectbox("Category", categories, key="board_category")

    styles = of_arena.filter(pl.col("category") == category)["style_control"].to_list()
    # raw first: the long history (2023-2025 archives) exists for raw boards
    picked_style = linked("style", styles)
    follow_default("board_style", min(styles) if picked_style is None else picked_style, options=styles)
    style = st.toggle(
        "Style control",
        key="board_style",
        disabled=len(styles) < 2,
        help="Ratings adjusted for answer length and formatting. Disabled when this board exists only one way.",
    )
    return of_arena.filter((pl.col("category") == category) & (pl.col("style_control") == style)).row(
        0, named=True
    )


def _pick_dates(board: dict) -> tuple[date, date]:
    first, newest = data.as_date(board["first_as_of"]), data.as_date(board["newest_as_of"])
    stored = st.session_state.get("date_range")
    valid = (
        isinstance(stored, tuple)
        and len(stored) in (1, 2)
        and all(isinstance(d, date) and first <= d <= newest for d in stored)
    )
    # the whole history until the user narrows it; a new snapshot then extends it
    start = min(max(linked_date("from") or first, first), newest)
    end = max(min(linked_date("to") or newest, newest), start)
    follow_default("date_range", (start, end), options=[stored] if valid else [])
    picked = st.date_input(
        "Date range",
        min_value=first,
        max_value=newest,
        key="date_range",
        help="Charts and trends use this window; the leaderboard shows any single date.",
    )
    # while a user is mid-way through picking a range the widget holds one date
    start, end = (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else (first, newest)
    return start, end


def _freshness(src: data.DataSource) -> None:
    fresh = data.read("read/dashboard_freshness.sql", src).row(0, named=True)
    newest = fresh["newest_as_of_at"]
    lines = [f"**Newest snapshot:** {newest:%Y-%m-%d %H:%M} UTC" if newest else "**Newest snapshot:** none"]
    if not src.is_lake:  # a lake carries no fetch log
        fetched = data.read("read/dashboard_last_fetch.sql", src).row(0, named=True)
        if fetched["last_success_at"] is not None:
            lines.append(f"**Last successful fetch:** {ago(fetched['last_success_at'])}")
    if src.published_at is not None:
        lines.append(f"**Data published:** {ago(src.published_at)}")
    st.caption("  \n".join(lines))


def ago(moment: datetime, now: datetime | None = None) -> str:
    """'3 h ago (2026-05-07 14:00 UTC)': relative time for a glance, the timestamp for certainty."""
    now = now or datetime.now(UTC)
    seconds = max(0.0, (now - moment).total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            rel = f"{seconds // size:.0f} {unit} ago"
            break
    else:
        rel = "just now"
    return f"{rel} ({moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"


def render(src: data.DataSource) -> Selection | None:
    """Draw the sidebar; returns the selection (also kept for pages), or None when no board has data."""
    with st.sidebar:
        boards = data.read("read/dashboard_boards.sql", src)
        if boards.is_empty():
            st.info("No snapshots yet.")
            st.session_state[_SELECTION] = None
            return None
        st.subheader("Board")
        board = _pick_board(boards)
        start, end = _pick_dates(board)
        st.divider()
        _freshness(src)
    selection = Selection(
        board["arena"],
        board["category"],
        board["style_control"],
        start,
        end,
        data.as_date(board["first_as_of"]),
        data.as_date(board["newest_as_of"]),
    )
    st.session_state[_SELECTION] = selection
    return selection


def current() -> Selection | None:
    """The sidebar's selection for this rerun (None when there is no data yet)."""
    return st.session_state.get(_SELECTION)
