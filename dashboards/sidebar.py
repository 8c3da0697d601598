"""The shared sidebar: which board (leaderboard, then arena, category, style control), which date range, and how fresh the
data is (the chosen board's newest snapshot against its usual cadence; when the tracker last reached
upstream). ``app.py`` draws it on every rerun before the page runs; pages read the result with ``current()``.

Widget values live in ``st.session_state`` under stable keys. When a choice stops being valid (another
arena has no such category, a board's dates differ), the stored value is reset before the widget is drawn,
so a widget never receives a value outside its options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
import streamlit as st

from dashboards import data
from dashboards.text import ago, md
from tracker.boards import DEFAULT_LEADERBOARD
from tracker.read import story

_SELECTION = "_selection"
DEFAULT_ARENA = "text"  # on the default leaderboard (LMArena); another opens on its first arena
DEFAULT_CATEGORY = "overall"


@dataclass(frozen=True)
class Selection:
    leaderboard: str
    arena: str
    category: str
    style_control: bool
    start: date
    end: date
    first_as_of: date  # the board's whole history, whatever the chosen range
    newest_as_of: date
    cadence_days: float | None = None  # the board's usual interval between complete snapshots

    @property
    def freshness(self) -> story.Freshness:
        """How old the board's newest snapshot is, against its usual cadence (the same rule as the Model
        page and `tracker model`)."""
        return story.freshness(self.newest_as_of, self.cadence_days)

    @property
    def board(self) -> dict[str, object]:
        """The board as bind parameters for the read SQL."""
        return {
            "leaderboard": self.leaderboard,
            "arena": self.arena,
            "category": self.category,
            "style_control": self.style_control,
        }

    @property
    def label(self) -> str:
        place = f"{self.arena} / {self.category} / {style_label(self.style_control)}"
        return place if self.leaderboard == DEFAULT_LEADERBOARD else f"{self.leaderboard}: {place}"


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
    """A choice given in the page's URL (``?leaderboard=LMArena&arena=text&category=coding&style=1&from=2024-06-01
    &model=...``)
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
    leaderboards = boards["leaderboard"].unique(maintain_order=True).to_list()
    # LMArena first (the long history), then the others by name
    leaderboards.sort(key=lambda name: (name != DEFAULT_LEADERBOARD, name))
    follow_default(
        "board_leaderboard", linked("leaderboard", leaderboards) or leaderboards[0], options=leaderboards
    )
    leaderboard = st.selectbox(
        "Leaderboard",
        leaderboards,
        key="board_leaderboard",
        help="The publisher and its ranking: LMArena, Artificial Analysis, or one declared in tracker.toml.",
    )
    boards = boards.filter(pl.col("leaderboard") == leaderboard)

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


def freshness_lines(selection: Selection, upstream: dict | None, published_at: datetime | None) -> list[str]:
    """The sidebar's freshness note as Markdown lines: the selected board's newest snapshot and how old it
    is; separately when the tracker last reached upstream (the fetch log; "never polled" until a real
    fetch, since imports and the bundled starter history are data, not fetches); when the data was
    published."""
    fresh = selection.freshness
    lines = [
        f"**Newest snapshot of this board:** {fresh.newest:%Y-%m-%d} ({md(fresh.words())})"
        + (" — old" if fresh.old else "")
    ]
    if upstream is not None:  # a lake carries no fetch log
        success, attempt = upstream["last_success_at"], upstream["last_attempt_at"]
        if attempt is None:
            lines.append("**Last reached upstream:** never polled")
        else:
            lines.append(f"**Last reached upstream:** {md(ago(success)) if success else 'never'}")
            if success is None or attempt > success:
                lines.append(f"**Last attempt:** {md(ago(attempt))}, failed")
    if published_at is not None:
        lines.append(f"**Data published:** {md(ago(published_at))}")
    return lines


def _freshness(src: data.DataSource, selection: Selection) -> None:
    upstream = None if src.is_lake else data.read("read/dashboard_last_upstream.sql", src).row(0, named=True)
    lines = freshness_lines(selection, upstream, src.published_at)
    st.caption(
        "  \n".join(lines),
        help=f"{md(story.OLD_RULE)} Upstream is reached by polls, never by imports or the starter history.",
    )


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
        selection = Selection(
            board["leaderboard"],
            board["arena"],
            board["category"],
            board["style_control"],
            start,
            end,
            data.as_date(board["first_as_of"]),
            data.as_date(board["newest_as_of"]),
            board["cadence_days"],
        )
        st.divider()
        _freshness(src, selection)
    st.session_state[_SELECTION] = selection
    return selection


def current() -> Selection | None:
    """The sidebar's selection for this rerun (None when there is no data yet)."""
    return st.session_state.get(_SELECTION)
