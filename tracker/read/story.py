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
from datetime import UTC, date, datetime

import polars as pl

from tracker.boards import DEFAULT_LEADERBOARD
from tracker.config import Settings
from tracker.errors import QueryError
from tracker.read import named_queries, query

MOVES_SHOWN = 3
# A board's newest snapshot is old after this many of its usual intervals between complete snapshots (the
# median gap); the dashboard's charts break a line over a gap of as many intervals.
OLD_AFTER_CADENCES = 3
MAX_CADENCE_DAYS = (
    7.0  # the longest usual interval counted; also taken for a board with one complete snapshot
)
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


def today() -> date:
    """The date the story is told on (UTC): a board's newest snapshot is old or not relative to it."""
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class Freshness:
    """How old a board's newest snapshot is, against the board's usual cadence."""

    newest: date
    age_days: int  # days from the newest snapshot to the day of telling
    cadence_days: float | None  # median days between consecutive complete snapshots; None: one snapshot

    @property
    def limit_days(self) -> float:
        """The age past which the snapshot is old: OLD_AFTER_CADENCES usual intervals, an interval counted
        as MAX_CADENCE_DAYS at most (a board with a few scattered snapshots has no real cadence)."""
        return OLD_AFTER_CADENCES * min(self.cadence_days or MAX_CADENCE_DAYS, MAX_CADENCE_DAYS)

    @property
    def old(self) -> bool:
        return self.age_days > self.limit_days

    def words(self) -> str:
        """'213 days ago; usually every 2 days', for a sidebar or a table cell."""
        usual = (
            "one complete snapshot"
            if self.cadence_days is None
            else f"usually every {_days(self.cadence_days)}"
        )
        return f"{_age(self.age_days)}; {usual}"


def freshness(newest: date, cadence_days: float | None, on: date | None = None) -> Freshness:
    return Freshness(newest, ((on or today()) - newest).days, cadence_days)


def _age(days: int) -> str:
    return "today" if days <= 0 else "1 day ago" if days == 1 else f"{days} days ago"


def _days(days: float) -> str:
    shown = f"{days:.0f}" if float(days).is_integer() else f"{days:.1f}"
    return "day" if shown == "1" else f"{shown} days"


# how the story and the sidebar define an old snapshot, in their own words
OLD_RULE = (
    f"A board's newest snapshot is old once more than {OLD_AFTER_CADENCES} of its usual intervals between "
    f"snapshots have passed without a new one; the usual interval is the median of its last 10, counted as "
    f"{MAX_CADENCE_DAYS:.0f} days at most."
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


def _short_rank(rank: int | None, rank_ub: int | None) -> str:
    if rank is not None:
        return f"#{rank}"
    return f"UB {rank_ub}" if rank_ub is not None else "?"


def _boards(n: int) -> str:
    return f"{n} board" + ("" if n == 1 else "s")


def _snapshots(n: int) -> str:
    return f"the {n} complete snapshot" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class Fact:
    """One headline of the story (debut, best, latest, exit): a short value for a metric, and the
    sentences ``tracker model`` prints and the dashboard's Model page shows, in the same words."""

    label: str
    value: str
    sentences: tuple[str, ...]


def _board_freshness(row: dict, on: date) -> Freshness | None:
    if row["board_newest_as_of"] is None:
        return None
    return freshness(row["board_newest_as_of"], row["board_cadence_days"], on)


def _debut(rows: list[dict]) -> Fact:
    debut = rows[0]
    # a debut only when the tracker saw that arena before the model appeared anywhere in it
    is_debut = debut["arena_first_as_of"] is not None and debut["first_as_of"] > debut["arena_first_as_of"]
    label = "Debut" if is_debut else "First seen"
    rank = _rank(debut["debut_rank"], debut["debut_rank_ub"])
    text = f"{label}: {_day(debut['first_as_of'])} on {debut['board']} at {rank}"
    figures = _rating(debut["debut_rating"], debut["debut_votes"])
    text += f", {figures}" if figures else ""
    if not is_debut:
        text += " (already listed when the tracker's history of that arena begins)"
    return Fact(label, _day(debut["first_as_of"]), (text + ".",))


def _best(rows: list[dict]) -> Fact:
    parts, value = [], "?"
    ub = [r for r in rows if r["best_rank_ub"] is not None]
    if ub:
        best = min(ub, key=lambda r: (r["best_rank_ub"], r["best_ub_first_as_of"]))
        parts.append(
            f"rank (UB) {best['best_rank_ub']} on {best['board']}, first on {_day(best['best_ub_first_as_of'])}"
        )
        value = f"UB {best['best_rank_ub']}"
    ordinal = [r for r in rows if r["best_rank"] is not None]
    if ordinal:
        best = min(ordinal, key=lambda r: (r["best_rank"], r["best_first_as_of"]))
        parts.insert(0, f"#{best['best_rank']} on {best['board']}, first on {_day(best['best_first_as_of'])}")
        value = f"#{best['best_rank']}"
    return Fact("Best", value, ("Best: " + ("; ".join(parts) if parts else "no rank known") + ".",))


def _latest(rows: list[dict]) -> Fact:
    latest = max(rows, key=lambda r: (r["last_as_of"], r["board"]))
    figures = _rating(latest["last_rating"], latest["last_votes"])
    text = (
        f"Latest: {_rank(latest['last_rank'], latest['last_rank_ub'])} on {latest['board']} on "
        f"{_day(latest['last_as_of'])}" + (f", {figures}." if figures else ".")
    )
    return Fact("Latest", _short_rank(latest["last_rank"], latest["last_rank_ub"]), (text,))


def board_status(row: dict, on: date | None = None) -> str:
    """A board's exit status in a few words, with its evidence: what `tracker model` prints in its table
    and the Model page in its own."""
    if row["gone"] is None:
        return "partial snapshots only"
    if row["gone"]:
        return f"left: absent from {_snapshots(row['snapshots_after'])} since {_day(row['missing_since'])}"
    fresh = _board_freshness(row, on or today())
    if fresh is not None and fresh.old:
        # its last date is the board's newest, shown beside the status; say why that is not "listed now"
        return f"listed; snapshot old ({fresh.words()})"
    return "listed in the newest snapshot"


def _arena(row: dict) -> str:
    """An arena as sentences name it: ``text`` on LMArena, ``Artificial Analysis text_to_speech`` elsewhere."""
    if row["leaderboard"] == DEFAULT_LEADERBOARD:
        return row["arena"]
    return f"{row['leaderboard']} {row['arena']}"


def _exit(rows: list[dict], arenas: list[dict], on: date) -> Fact:
    """Per arena: left when complete snapshots of the arena's boards were published after its last
    appearance anywhere in it, none of them listing it. Per board: left when a complete snapshot followed its
    last appearance there; listed otherwise, unless the board's newest snapshot is old (then not known)."""
    lines, left = [], False
    for a in arenas:
        if not a["snapshots_after"]:
            continue
        left = True
        arena = _arena(a)
        lines.append(
            f"Exit: left the {arena} arena after {_day(a['last_seen'])} (last listed on {a['last_board']} "
            f"at {_rank(a['last_rank'], a['last_rank_ub'])}); absent from the {a['snapshots_after']} complete "
            f"{arena} snapshot{'' if a['snapshots_after'] == 1 else 's'} since {_day(a['absent_since'])}, "
            f"on {_boards(a['boards_after'])}."
        )
    gone = sorted((r for r in rows if r["gone"] is True), key=lambda r: (r["missing_since"], r["board"]))
    if gone:
        left_boards = "; ".join(
            f"{r['board']} after {_day(r['last_as_of'])} (absent from {_snapshots(r['snapshots_after'])} "
            f"since {_day(r['missing_since'])})"
            for r in gone
        )
        lines.append(f"Left {len(gone)} of {_boards(len(rows))}: {left_boards}.")
    listed = [(r, _board_freshness(r, on)) for r in rows if r["gone"] is False]
    fresh = [r for r, f in listed if f is None or not f.old]
    old = [f for _, f in listed if f is not None and f.old]
    if fresh:
        newest = max(r["last_as_of"] for r in fresh)
        lines.append(
            f"Still listed in the newest complete snapshot of {_boards(len(fresh))} (the newest of them from "
            f"{_day(newest)})."
        )
    if old:
        dates = sorted(f.newest for f in old)
        span = _day(dates[0]) if dates[0] == dates[-1] else f"from {_day(dates[0])} to {_day(dates[-1])}"
        lines.append(
            f"Listed in the newest complete snapshot of {_boards(len(old))}, but "
            f"{'that snapshot' if len(old) == 1 else 'those snapshots'} ({span}) "
            f"{'is' if len(old) == 1 else 'are'} old on {_day(on)}, so whether it is still listed there is "
            f"not known. ({OLD_RULE})"
        )
    partial = [r for r in rows if r["gone"] is None]
    if partial:
        lines.append(f"Exit not known on {_boards(len(partial))}: only partial snapshots list it.")
    # still listed anywhere current wins; else left (an arena published on without it); else not known
    value = "still listed" if fresh else "left" if left else "not known"
    return Fact("Exit", value, tuple(lines))


def facts(story: Story, on: date | None = None) -> dict[str, Fact]:
    """Debut, best, latest and exit, each as a Fact (keys: debut, best, latest, exit), told on ``on``
    (default today, UTC)."""
    # on one first date, the overall board tells the debut (not a breakdown such as accent_us)
    rows = (
        story.boards.with_columns(_breakdown=pl.col("category") != "overall")
        .sort("first_as_of", "leaderboard", "arena", "_breakdown", "category", "style_control")
        .drop("_breakdown")
        .to_dicts()
    )
    return {
        "debut": _debut(rows),
        "best": _best(rows),
        "latest": _latest(rows),
        "exit": _exit(rows, story.arenas.to_dicts(), on or today()),
    }


def sentences(story: Story, on: date | None = None) -> list[str]:
    """The story as a few sentences: who, debut, best, latest, biggest moves, exit."""
    rows = story.boards.to_dicts()
    told = facts(story, on)
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
    lines += [*told["debut"].sentences, *told["best"].sentences, *told["latest"].sentences]
    if story.moves.height:
        moves = [
            f"{'rose' if m['gain'] > 0 else 'fell'} {abs(m['gain'])} place{'s' if abs(m['gain']) != 1 else ''}"
            f"{'' if m['basis'] == 'ordinal' else ' by rank (UB)'} on {m['board']} "
            f"({_day(m['prev_as_of'])} to {_day(m['as_of'])}: {m['prev_rank']} -> {m['rank']})"
            for m in story.moves.to_dicts()
        ]
        lines.append("Biggest moves: " + "; ".join(moves) + ".")
    return lines + list(told["exit"].sentences)


def board_table(story: Story, on: date | None = None) -> pl.DataFrame:
    """One row per board: first seen and debut rank, best rank, last seen and last rank, status (in the
    words of ``board_status``). Ranks are ordinal ('#12') or, where only that is known, rank (UB) ('UB 15')."""

    def shown(ordinal: str, ub: str) -> pl.Expr:
        # the ordinal rank, or the rank (UB) where only that is known (partial snapshots)
        return pl.coalesce(
            pl.lit("#") + pl.col(ordinal).cast(pl.Utf8), pl.lit("UB ") + pl.col(ub).cast(pl.Utf8)
        )

    status = [board_status(row, on) for row in story.boards.to_dicts()]
    return story.boards.select(
        "board",
        pl.col("first_as_of").alias("first_seen"),
        shown("debut_rank", "debut_rank_ub").alias("debut"),
        shown("best_rank", "best_rank_ub").alias("best"),
        pl.col("last_as_of").alias("last_seen"),
        shown("last_rank", "last_rank_ub").alias("last"),
        pl.Series("status", status, dtype=pl.Utf8),
        "appearances",
    )
