"""A model's story in plain sentences: debut, best rank, latest rank, biggest moves and exit, across boards.

``tell`` reads three named queries (``model_boards``: one summary row per board; ``model_moves``: the
biggest moves; ``model_arenas``: when it was last seen in each arena and what was published after), so
every figure in the story can be reproduced with ``tracker sql``; ``sentences`` and
``board_table`` turn them into what ``tracker model NAME`` prints. A name is found exactly first (an alias
such as a rename or your merge, a model key, a display name), and only then as a part of a key or name
(``find_model``), which must match exactly one model; the story says how a name led to its model.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

import polars as pl

from tracker.config import Settings
from tracker.errors import QueryError
from tracker.read import named_queries, query

MOVES_SHOWN = 3
FIND_MODEL_LIMIT = 50  # the LIMIT of sql/queries/find_model.sql: that many rows may mean more models


@dataclass(frozen=True)
class Story:
    model: str
    display_name: str
    organization: str | None
    boards: pl.DataFrame  # model_boards: one row per board, oldest debut first
    moves: pl.DataFrame  # model_moves: biggest moves first
    arenas: pl.DataFrame  # model_arenas: one row per arena, with the snapshots published after it left
    found_by: str | None = None  # how the name asked for led to the model; None when it is the model's key
    merged: tuple[str, ...] = ()  # the user's aliases merged into the model (tracker alias add)


@dataclass(frozen=True)
class Found:
    """The model a name stands for, and how it was found (None: the name is the model's key)."""

    model: str
    how: str | None


ALIAS_KINDS = {  # model_aliases.kind as `tracker model` says it
    "user": "your alias",
    "rename": "a rename in seeds/model_aliases.csv",
    "display_name": "a display name in seeds/model_aliases.csv",
    "key": "a key in seeds/model_aliases.csv",
    "learned": "a display name learned from the data",
}


def resolve(settings: Settings, name: str) -> str:
    """The model key for ``name``, as ``find`` finds it."""
    return find(settings, name).model


def find(settings: Settings, name: str) -> Found:
    """The model ``name`` stands for, exact matches first: an alias (a rename, a display name, your merge)
    resolves to its model; a key with history is itself; a display name shown for one model only is that
    model; else a part of a key or name must match exactly one model."""
    key = name.strip().lower()
    if not key:
        raise QueryError("pass a model key or a part of one; `tracker models` lists them", name=name)
    aliased = _alias(settings, key)
    if aliased is not None:
        return aliased
    found = named_queries.run(settings, "find_model", {"pattern": key})
    if key in found["model"].to_list():
        return Found(key, None)
    if found.height > 1:
        shown_as = query.read_statement(settings, "read/model_by_display_name.sql", {"name": key})[
            "model"
        ].to_list()
        if len(shown_as) == 1:
            return Found(shown_as[0], f"{name.strip()!r} is the display name of {shown_as[0]}.")
        if shown_as:
            raise QueryError(
                f"{name!r} is the display name of {len(shown_as)} models ({', '.join(shown_as)}); pass one key",
                name=name,
            )
    if found.height == 1:
        return Found(found["model"][0], f"{name.strip()!r} matches one model: {found['model'][0]}.")
    if found.is_empty():
        keys = query.read_statement(settings, "read/model_keys.sql")["model"].to_list()
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.8)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise QueryError(
            f"no model matches {name!r}; {hint}"
            "`tracker sql find_model --param pattern=PART` searches keys and names",
            name=name,
        )
    shown = ", ".join(found["model"].head(10).to_list()) + (", ..." if found.height > 10 else "")
    many = f"{found.height} or more" if found.height >= FIND_MODEL_LIMIT else str(found.height)
    raise QueryError(f"{name!r} matches {many} models ({shown}); pass one key", name=name)


def _alias(settings: Settings, key: str) -> Found | None:
    """The model an alias (a rename, a display name, ``tracker alias add``) maps ``key`` to, if another one.
    A lake has no alias table (its rows are already resolved), so there the answer is None."""
    if settings.lake is not None:
        return None
    rows = query.read_statement(settings, "read/identity_resolve.sql", {"alias": key})
    if not rows.height or rows["model_key"][0] == key:
        return None
    model, kind = rows["model_key"][0], rows["kind"][0]
    return Found(model, f"{key} is an alias of {model} ({ALIAS_KINDS.get(kind, kind)}).")


def _user_aliases(settings: Settings, model: str) -> tuple[str, ...]:
    if settings.lake is not None:
        return ()
    return tuple(
        query.read_statement(settings, "read/identity_user_aliases_of.sql", {"model": model})[
            "alias"
        ].to_list()
    )


def tell(settings: Settings, name: str) -> Story:
    key = name.strip().lower()
    found = _alias(settings, key) or Found(key, None)
    boards = named_queries.run(settings, "model_boards", {"model": found.model})
    if boards.is_empty():  # not a key with history: aliases, display names, then parts of keys and names
        found = find(settings, name)
        boards = named_queries.run(settings, "model_boards", {"model": found.model})
    if boards.is_empty():
        raise QueryError(
            (f"{found.how} " if found.how else "")
            + f"{found.model} has no history on any board yet; `tracker alias list {found.model}` shows "
            "what maps to it",
            name=name,
        )
    model = found.model
    moves = named_queries.run(settings, "model_moves", {"model": model, "limit": str(MOVES_SHOWN)})
    arenas = named_queries.run(settings, "model_arenas", {"model": model})
    newest = boards.sort("last_as_of").row(-1, named=True)
    return Story(
        model,
        newest["display_name"] or model,
        newest["organization"],
        boards,
        moves,
        arenas,
        found_by=found.how,
        merged=_user_aliases(settings, model),
    )


def _day(value: date | None) -> str:
    return value.isoformat() if value else "?"


def _rating(rating: float | None, votes: int | None) -> str:
    parts = [f"rating {rating:.0f}"] if rating is not None else []
    if votes is not None:
        parts.append(f"{votes:,} votes")
    return ", ".join(parts)


def _rank(rank: int | None, rank_ub: int | None) -> str:
    if rank is None:
        return f"rank (UB) {rank_ub}" if rank_ub is not None else "an unknown rank"
    return f"#{rank}" + (f" (rank (UB) {rank_ub})" if rank_ub is not None and rank_ub != rank else "")


def _boards(n: int) -> str:
    return f"{n} board" + ("" if n == 1 else "s")


def _debut(rows: list[dict]) -> str:
    debut = rows[0]
    # a debut only when the tracker saw that arena before the model appeared anywhere in it
    is_debut = debut["arena_first_as_of"] is not None and debut["first_as_of"] > debut["arena_first_as_of"]
    text = (
        f"{'Debut' if is_debut else 'First seen'}: {_day(debut['first_as_of'])} on {debut['board']} at "
        f"{_rank(debut['debut_rank'], debut['debut_rank_ub'])}"
    )
    figures = _rating(debut["debut_rating"], debut["debut_votes"])
    text += f", {figures}" if figures else ""
    if not is_debut:
        text += " (already listed when the tracker's history of that arena begins)"
    return text + "."


def _best(rows: list[dict]) -> str:
    parts = []
    ordinal = [r for r in rows if r["best_rank"] is not None]
    if ordinal:
        best = min(ordinal, key=lambda r: (r["best_rank"], r["best_first_as_of"]))
        parts.append(f"#{best['best_rank']} on {best['board']}, first on {_day(best['best_first_as_of'])}")
    ub = [r for r in rows if r["best_rank_ub"] is not None]
    if ub:
        best = min(ub, key=lambda r: (r["best_rank_ub"], r["best_ub_first_as_of"]))
        parts.append(
            f"rank (UB) {best['best_rank_ub']} on {best['board']}, first on {_day(best['best_ub_first_as_of'])}"
        )
    return "Best: " + ("; ".join(parts) if parts else "no rank known") + "."


def _exit(rows: list[dict], arenas: list[dict]) -> list[str]:
    """Left when a board's newest complete snapshot lacks it, or (stronger) when every complete snapshot
    of its arena published after its last appearance anywhere lacks it."""
    lines = []
    left_arenas = [a for a in arenas if a["snapshots_after"]]
    for a in left_arenas:
        lines.append(
            f"Exit: last listed in the {a['arena']} arena on {_day(a['last_seen'])} ({a['last_board']} at "
            f"{_rank(a['last_rank'], a['last_rank_ub'])}); absent from all {a['snapshots_after']} complete "
            f"{a['arena']} board snapshot(s) published since, on {_boards(a['boards_after'])}, "
            f"the first on {_day(a['absent_since'])}."
        )
    gone = [r for r in rows if r["gone"] is True]
    listed = [r for r in rows if r["gone"] is False]
    if gone and not left_arenas:
        left = "; ".join(
            f"{r['board']} after {_day(r['last_as_of'])} (absent from {_day(r['missing_since'])})"
            for r in sorted(gone, key=lambda r: r["missing_since"])
        )
        lines.append(f"Left {len(gone)} of {_boards(len(rows))}: {left}.")
    if not lines:
        if listed:
            lines.append(f"No exit: still listed in the newest complete snapshot of {_boards(len(listed))}.")
        else:
            lines.append("Exit: unknown (its boards have only partial snapshots).")
    return lines


def sentences(story: Story) -> list[str]:
    """The story as a few sentences: who, debut, best, latest, biggest moves, exit."""
    rows = story.boards.sort("first_as_of", "arena", "category", "style_control").to_dicts()
    # the key too when the name shown differs from it, so the key to pass to other commands is in sight
    about = [story.model] if story.display_name.lower() != story.model else []
    about += [story.organization] if story.organization else []
    who = story.display_name + (f" ({', '.join(about)})" if about else "")
    first_seen = min(r["first_as_of"] for r in rows)
    last_seen = max(r["last_as_of"] for r in rows)
    lines = [story.found_by] if story.found_by else []
    lines += [
        f"{who}: listed on {_boards(len(rows))} from {_day(first_seen)} to {_day(last_seen)}.",
    ]
    if story.merged:
        names, one = ", ".join(story.merged), story.merged[0] if len(story.merged) == 1 else "ALIAS"
        lines.append(
            f"Includes your alias{'es' if len(story.merged) > 1 else ''} {names} "
            f"(`tracker alias reset {one}` undoes {'it' if len(story.merged) == 1 else 'one'})."
        )
    lines += [_debut(rows), _best(rows)]
    latest = max(rows, key=lambda r: (r["last_as_of"], r["board"]))
    figures = _rating(latest["last_rating"], latest["last_votes"])
    lines.append(
        f"Latest: {_rank(latest['last_rank'], latest['last_rank_ub'])} on {latest['board']} on "
        f"{_day(latest['last_as_of'])}" + (f", {figures}." if figures else ".")
    )
    if story.moves.height:
        moves = [
            f"{'rose' if m['gain'] > 0 else 'fell'} {abs(m['gain'])} place{'s' if abs(m['gain']) != 1 else ''}"
            f"{'' if m['basis'] == 'ordinal' else ' by rank (UB)'} on {m['board']} "
            f"({_day(m['prev_as_of'])} to {_day(m['as_of'])}: {m['prev_rank']} -> {m['rank']})"
            for m in story.moves.to_dicts()
        ]
        lines.append("Biggest moves: " + "; ".join(moves) + ".")
    return lines + _exit(rows, story.arenas.to_dicts())


def board_table(story: Story) -> pl.DataFrame:
    """One row per board: first seen and debut rank, best rank, last seen and last rank, status.
    Ranks are ordinal ('#12') or, where only that is known, rank (UB) ('UB 15')."""

    def shown(ordinal: str, ub: str) -> pl.Expr:
        # the ordinal rank, or the rank (UB) where only that is known (partial snapshots)
        return pl.coalesce(
            pl.lit("#") + pl.col(ordinal).cast(pl.Utf8), pl.lit("UB ") + pl.col(ub).cast(pl.Utf8)
        )

    return story.boards.select(
        "board",
        pl.col("first_as_of").alias("first_seen"),
        shown("debut_rank", "debut_rank_ub").alias("debut"),
        shown("best_rank", "best_rank_ub").alias("best"),
        pl.col("last_as_of").alias("last_seen"),
        shown("last_rank", "last_rank_ub").alias("last"),
        pl.when(pl.col("gone"))
        .then(pl.lit("gone since ") + pl.col("missing_since").cast(pl.Utf8))
        .when(pl.col("gone").not_())
        .then(pl.lit("listed"))
        .otherwise(pl.lit("partial data only"))
        .alias("status"),
        "appearances",
    )
