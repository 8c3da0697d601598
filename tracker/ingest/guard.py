"""Sanity guard for polled boards: refuse a board that shrank implausibly or lost a field it had.

It sits in the ingest pipeline between validate and store (``pipeline.ingest(..., guard=check)``); the poller
passes it for every fetch. A live page that suddenly lists 40 models instead of 350, or whose votes column is
empty, is far more likely a partial render, an A/B test or a changed layout than a real board. When the guard
raises ``SanityError`` the pipeline keeps the raw bytes (status ``rejected``) for inspection, writes the reason
in the fetch row and leaves the standings untouched. ``tracker reparse`` replays stored payloads without the
guard, so a board that truly shrank can still be loaded.

Rules, for each board (and as-of) in the payload, against the previous snapshot of the same board from the
same source (the newest one at or before the new as-of):

- more than half of its models lost → rejected;
- a guarded field (display name, CI bounds, votes, organisation) that the previous snapshot had in some row is
  empty in every row → rejected;
- live pages must always carry display names, CI bounds and votes, even in a board's first snapshot.

One rule needs no previous snapshot and holds for every payload, imported or polled (``pipeline.parse_checked``
applies it, so a reparse keeps it too): a payload that lists no models holds no board, and is refused
(``refuse_empty``) instead of being stored as an empty one. Upstream feeds do go empty (the Artificial Analysis
video arenas since April 2026); the boards stored before stay as they were.
"""

from __future__ import annotations

import duckdb
import polars as pl

from tracker import frames
from tracker.boards import Board
from tracker.errors import EmptyBoardError, SanityError
from tracker.sqlfiles import sql

BOARD = ("leaderboard", "arena", "category", "style_control", "as_of")
GUARDED = ("display_name", "rating_lower", "rating_upper", "votes", "organization")
ALWAYS_REQUIRED = {"arena-page": ("display_name", "rating_lower", "rating_upper", "votes")}
MIN_KEPT = 0.5  # a board may lose up to half its models between two snapshots


def _label(row: dict) -> str:
    return Board(row["arena"], row["category"], row["style_control"], row["leaderboard"]).slug


def refuse_empty(frame: pl.DataFrame, source: str, origin: str) -> None:
    """Raise ``EmptyBoardError`` when the parsed payload has no row (no model on any board)."""
    if frame.is_empty():
        raise EmptyBoardError(
            f"{origin}: rejected by the sanity guard: it lists no models, so it holds no board to store (an "
            "emptied feed is never stored as an empty board); the stored boards are unchanged.",
            origin=origin,
            source=source,
            problems=["no models"],
        )


def check(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, source: str, origin: str) -> None:
    """Raise ``SanityError`` naming every implausible board of ``frame``; return quietly otherwise."""
    summary = frame.group_by(BOARD).agg(
        pl.col("model_key").n_unique().alias("models"),
        *[pl.col(f).count().alias(f"has_{f}") for f in GUARDED],
    )
    problems: list[str] = []
    for row in summary.sort(BOARD).iter_rows(named=True):
        missing = [f for f in ALWAYS_REQUIRED.get(source, ()) if row[f"has_{f}"] == 0]
        if missing:
            problems.append(f"{_label(row)} has no {', '.join(missing)} in any row")
    with frames.registered(con, guard_boards=summary.select(BOARD)):
        previous = frames.to_polars(con.sql(sql("read/guard_previous.sql"), params={"source": source}))
    if not previous.is_empty():
        # the session's time zone names UTC differently ('UTC', 'Etc/UTC'); the join needs one spelling
        previous = previous.with_columns(pl.col("as_of").dt.convert_time_zone("UTC"))
        summary = summary.with_columns(pl.col("as_of").dt.convert_time_zone("UTC"))
        joined = summary.join(previous, on=BOARD, how="inner").sort(BOARD)
        for row in joined.iter_rows(named=True):
            before = f"the previous {source} snapshot (as of {row['previous_as_of']:%Y-%m-%d %H:%MZ})"
            if row["models"] < MIN_KEPT * row["previous_models"]:
                problems.append(
                    f"{_label(row)} has {row['models']} models, fewer than half of the "
                    f"{row['previous_models']} in {before}"
                )
            lost = [f for f in GUARDED if row[f"has_{f}"] == 0 and row[f"had_{f}"] > 0]
            if lost:
                problems.append(f"{_label(row)} has no {', '.join(lost)} in any row, unlike {before}")
    if problems:
        raise SanityError(
            f"{origin}: rejected by the sanity guard: {'; '.join(problems)}. The raw payload is kept for "
            "inspection and the stored boards are unchanged; if the board really changed this way, "
            "`tracker reparse` loads it without the guard.",
            origin=origin,
            source=source,
            problems=problems,
        )
