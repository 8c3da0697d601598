"""A model's story in plain sentences: debut, best rank, latest rank, biggest moves and exit, across boards.

``tell`` reads two named queries (``model_boards``: one summary row per board; ``model_moves``: the
biggest moves), so every figure in the story can be reproduced with ``tracker sql``; ``sentences`` and
``board_table`` turn them into what ``tracker model NAME`` prints. A name that is not a model key is
looked up with ``find_model``; it must match exactly one model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from tracker import named_queries
from tracker.config import Settings
from tracker.errors import QueryError

MOVES_SHOWN = 3


@dataclass(frozen=True)
class Story:
    model: str
    display_name: str
    organization: str | None
    boards: pl.DataFrame  # model_boards: one row per board, oldest debut first
    moves: pl.DataFrame  # model_moves: biggest moves first


def resolve(settings: Settings, name: str) -> str:
    """The model key for ``name``: itself when it is a key with history, else the one model it matches."""
    key = name.strip().lower()
    found = named_queries.run(settings, "find_model", {"pattern": key})
    if key in found["model"].to_list():
        return key
    if found.height == 1:
        return found["model"][0]
    if found.is_empty():
        raise QueryError(
            f"no model matches {name!r}; `tracker sql find_model --param pattern=PART` searches keys and names",
            name=name,
        )
    shown = ", ".join(found["model"].head(10).to_list())
    raise QueryError(f"{name!r} matches {found.height} models ({shown}); pass one key", name=name)


def tell(settings: Settings, name: str) -> Story:
    model = resolve(settings, name)
    boards = named_queries.run(settings, "model_boards", {"model": model})
    moves = named_queries.run(settings, "model_moves", {"model": model, "limit": str(MOVES_SHOWN)})
    newest = boards.sort("last_as_of").row(-1, named=True)
    return Story(model, newest["display_name"] or model, newest["organization"], boards, moves)


def _day(value: date | None) -> str:
    return value.isoformat() if value else "?"


def _rating(rating: float | None, votes: int | None) -> str:
    parts = [f"rating {rating:.0f}"] if rating is not None else []
    if votes is not None:
        parts.append(f"{votes:,} votes")
    return ", ".join(parts)


def _rank(rank: int | None, rank_ub: int | None) -> str:
    text = f"#{rank}"
    return text + (f" (rank (UB) {rank_ub})" if rank_ub is not None and rank_ub != rank else "")


def sentences(story: Story) -> list[str]:
    """The story as a few sentences, oldest first."""
    rows = story.boards.sort("first_as_of", "category", "style_control").to_dicts()
    org = f" ({story.organization})" if story.organization else ""
    first_seen = min(r["first_as_of"] for r in rows)
    last_seen = max(r["last_as_of"] for r in rows)
    lines = [
        f"{story.display_name}{org}: listed on {len(rows)} board(s) from {_day(first_seen)} to {_day(last_seen)}."
    ]

    debut = rows[0]
    what = "First seen" if debut["with_board"] else "Debut"
    lines.append(
        f"{what}: {_day(debut['first_as_of'])} on {debut['board']} at "
        f"{_rank(debut['debut_rank'], debut['debut_rank_ub'])}, {_rating(debut['debut_rating'], debut['debut_votes'])}"
        + (
            " (already listed when the tracker's history of that board begins)."
            if debut["with_board"]
            else "."
        )
    )

    best = min(rows, key=lambda r: (r["best_rank"], r["best_first_as_of"]))
    lines.append(
        f"Best rank: #{best['best_rank']} on {best['board']}, first on {_day(best['best_first_as_of'])}."
    )

    latest = max(rows, key=lambda r: (r["last_as_of"], -r["last_rank"]))
    lines.append(
        f"Latest: {_rank(latest['last_rank'], latest['last_rank_ub'])} on {latest['board']} on "
        f"{_day(latest['last_as_of'])}, {_rating(latest['last_rating'], latest['last_votes'])}."
    )

    if story.moves.height:
        moves = [
            f"{'rose' if m['ordinal_gain'] > 0 else 'fell'} {abs(m['ordinal_gain'])} place"
            f"{'s' if abs(m['ordinal_gain']) != 1 else ''} on {m['board']} "
            f"(#{m['prev_rank_ordinal']} -> #{m['rank_ordinal']}, {_day(m['prev_as_of'])} to {_day(m['as_of'])})"
            for m in story.moves.to_dicts()
        ]
        lines.append("Biggest moves: " + "; ".join(moves) + ".")

    gone = [r for r in rows if r["gone"]]
    listed = [r for r in rows if not r["gone"]]
    if gone and not listed:
        last = max(gone, key=lambda r: r["last_as_of"])
        lines.append(
            f"Exit: gone from every board; last listed on {_day(last['last_as_of'])} on {last['board']} at "
            f"#{last['last_rank']}, absent from {_day(last['missing_since'])} on."
        )
    elif gone:
        left = "; ".join(
            f"{r['board']} after {_day(r['last_as_of'])} (absent from {_day(r['missing_since'])})"
            for r in sorted(gone, key=lambda r: r["missing_since"])
        )
        lines.append(f"Exit: left {len(gone)} of {len(rows)} boards: {left}.")
        lines.append(f"Still listed on {len(listed)} board(s) in their newest snapshots.")
    else:
        lines.append(f"No exit: still listed on all {len(rows)} board(s) in their newest snapshots.")
    return lines


def board_table(story: Story) -> pl.DataFrame:
    """One row per board: first seen and debut rank, best rank, last seen and last rank, status."""
    return story.boards.select(
        "board",
        pl.col("first_as_of").alias("first_seen"),
        pl.col("debut_rank").alias("debut"),
        pl.col("best_rank").alias("best"),
        pl.col("last_as_of").alias("last_seen"),
        pl.col("last_rank").alias("last"),
        pl.when(pl.col("gone"))
        .then(pl.lit("gone since ") + pl.col("missing_since").cast(pl.Utf8))
        .otherwise(pl.lit("listed"))
        .alias("status"),
        "appearances",
    )
