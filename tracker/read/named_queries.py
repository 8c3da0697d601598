"""Named queries: the parameterised reads in ``sql/queries/*.sql`` that users, the CLI and the dashboard share.

A named query is one ``.sql`` file. Its first line is a comment saying what rows come back; each
parameter is declared in the header as ``-- $name TYPE [in (a, b, ...) | >= N | >= $other] [= default]: help``
and used in the body as ``$name``. A parameter without a default is required; ``= null`` makes it optional.
The optional domain lists the only values allowed (``in (ordinal, ub)``), the smallest (``>= 1``), or an
earlier parameter it may not precede (``$to_date DATE >= $from_date``: the end of a range): a value outside
it is refused before any SQL runs, since the SQL would answer it with no rows, or backwards, and no reason.
Values arrive as text (``tracker sql NAME --param k=v``) and are converted here to the declared type,
checked, then bound, never formatted into the SQL. Model and organisation parameters (``IDENTITY``) are read
through the aliases first (``gpt-4`` means gpt-4-0314, ``microsoft-ai`` means Microsoft AI), on the read copy;
a lake holds no aliases. ``note`` says why an answer is empty or what it cannot show (a misspelt board, model
or organisation, a date before the board's first snapshot). Where this sits: CLI / dashboard -> ``run`` ->
``query.run_sql``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.boards import board_label, canonical_leaderboard
from tracker.config import Settings
from tracker.errors import QueryError
from tracker.read import query, readers
from tracker.sqlfiles import sql_files

if TYPE_CHECKING:
    import polars as pl

FOLDER = "queries"
_DECLARATION = re.compile(
    r"""^--\s*\$(?P<name>[a-z_][a-z0-9_]*)\s+(?P<type>[A-Z]+)
    (?:\s+in\s*\((?P<choices>[^)]*)\)|\s*>=\s*(?P<minimum>[^\s=:]+))?
    (?:\s*=\s*(?P<default>[^:]+?))?
    \s*:\s*(?P<help>.*)$""",
    re.VERBOSE,
)
_DECLARED = re.compile(r"^--\s*\$")
_SYNTAX = "-- $name TYPE [in (a, b, ...) | >= N | >= $other] [= default]: help"
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_EXAMPLE_IN_HELP = re.compile(r"\be\.g\. (?P<value>'[^']+'|[^\s,;)]+)")
_REQUIRED = object()
_TRUE = {"true", "t", "yes", "y", "1", "on"}
_FALSE = {"false", "f", "no", "n", "0", "off"}
EXAMPLES = {
    "VARCHAR": "text",
    "INTEGER": "10",
    "DOUBLE": "1.5",
    "BOOLEAN": "true or false",
    "DATE": "2025-08-28",
    "TIMESTAMPTZ": "2025-08-28T12:00:00Z",
}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: object
    help: str
    choices: tuple[object, ...] = ()  # the only values allowed (besides null); empty: any of its type
    minimum: object = None  # the smallest value allowed; None: no bound
    not_before: str | None = None  # an earlier parameter this one may not precede (the end of a range)

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def example(self) -> str:
        """A value to show in a hint: its first allowed value, else the one the help names ("e.g.
        mai-1-preview"), else one of its type."""
        if self.choices:
            return str(self.choices[0])
        named = _EXAMPLE_IN_HELP.search(self.help)
        return named["value"] if named else EXAMPLES.get(self.type, "VALUE").split(" ")[0]

    def allowed(self) -> str:
        """The declared domain as shown to users: ``ordinal, ub``, ``>= 1``, or empty when any value goes."""
        if self.choices:
            return ", ".join(map(str, self.choices))
        if self.not_before is not None:
            return f">= ${self.not_before}"
        return "" if self.minimum is None else f">= {self.minimum}"

    def signature(self) -> str:
        domain = f"in ({self.allowed()})" if self.choices else self.allowed()
        declared = " ".join(filter(None, (self.name, self.type, domain)))
        if self.required:
            return declared
        shown = "null" if self.default is None else str(self.default)
        shown = shown.lower() if isinstance(self.default, bool) else shown
        return f"{declared} = {shown}"

    def check(self, value: object, *, given: str, where: str) -> object:
        """``value`` when the declared domain allows it (null always passes: it means "not given"), else a
        QueryError naming the value ``given`` and what is allowed."""
        if value is None:
            return None
        if self.choices and value not in self.choices:
            choices = [str(c) for c in self.choices]
            close = difflib.get_close_matches(str(value).lower(), choices, n=1, cutoff=0.6)
            guess = f" (did you mean {close[0]}?)" if close else ""
            raise QueryError(
                f"{where}: {given!r} is not allowed; use one of {', '.join(choices)}{guess}",
                value=given,
                allowed=choices,
            )
        if self.minimum is not None and value < self.minimum:
            raise QueryError(
                f"{where}: {given!r} is not allowed; use a value >= {self.minimum}",
                value=given,
                minimum=self.minimum,
            )
        return value


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def convert(value: str, type_: str, *, where: str) -> object:
    """Text from the command line (or a default) -> the Python value bound for a declared SQL type."""
    raw = value.strip()
    if raw.lower() == "null":
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        raw = raw[1:-1]
    try:
        if type_ == "VARCHAR":
            return raw
        if type_ in ("INTEGER", "BIGINT"):
            return int(raw)
        if type_ == "DOUBLE":
            return float(raw)
        if type_ == "BOOLEAN":
            if raw.lower() in _TRUE:
                return True
            if raw.lower() in _FALSE:
                return False
            raise ValueError(f"{raw!r} is not true or false")
        if type_ == "DATE":
            return date.fromisoformat(raw)
        if type_ == "TIMESTAMPTZ":
            stamp = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    except ValueError as exc:
        raise QueryError(
            f"{where}: {value!r} is not a valid {type_} ({exc}); for example {EXAMPLES.get(type_, 'a value')}",
            value=value,
            type=type_,
        ) from None
    raise QueryError(f"{where}: unsupported parameter type {type_}; use one of {', '.join(EXAMPLES)}")


def parse_file(path: Path) -> NamedQuery:
    """Read one query file: its description line, parameter declarations and SQL text."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("--"):
        raise QueryError(f"{path}: a named query must start with a '-- description' line")
    params = []
    for line in lines[1:]:
        if not line.startswith("--"):
            break
        match = _DECLARATION.match(line)
        if match is None:
            if _DECLARED.match(line):  # a misspelt declaration would leave its parameter unchecked
                raise QueryError(f"{path.name}: {line!r} is not a parameter declaration; write {_SYNTAX}")
            continue
        where = f"{path.name}, parameter ${match['name']}"
        type_ = match["type"]
        if type_ not in EXAMPLES and type_ != "BIGINT":
            raise QueryError(f"{where}: unsupported type {type_}; use one of {', '.join(EXAMPLES)}")
        choices = tuple(
            convert(c, type_, where=where) for c in (match["choices"] or "").split(",") if c.strip()
        )
        if match["choices"] is not None and not choices:
            raise QueryError(f"{where}: 'in ()' lists no values; list them, e.g. in (ordinal, ub)")
        minimum, not_before = match["minimum"], None
        if minimum is not None and minimum.startswith("$"):
            minimum, not_before = None, minimum[1:]
            earlier = next((p for p in params if p.name == not_before), None)
            if earlier is None or earlier.type != type_:
                raise QueryError(
                    f"{where}: '>= ${not_before}' names no earlier {type_} parameter; declare ${not_before} "
                    "above it, e.g. -- $since DATE = null: ... then -- $until DATE >= $since = null: ..."
                )
        elif minimum is not None:
            minimum = convert(minimum, type_, where=where)
        param = Param(match["name"], type_, _REQUIRED, match["help"].strip(), choices, minimum, not_before)
        if match["default"] is not None:
            default = convert(match["default"], type_, where=where)
            param = replace(param, default=param.check(default, given=str(default), where=where))
        params.append(param)
    description = lines[0].lstrip("-").strip()
    return NamedQuery(path.stem, description, tuple(params), text, path)


@cache
def catalogue() -> dict[str, NamedQuery]:
    """Every named query, by name (read once per process, like every ``sql/`` file: ``sqlfiles.sql``)."""
    return {path.stem: parse_file(path) for path in sql_files(FOLDER)}


def is_name(text: str) -> bool:
    """True when ``text`` is a bare word (a named query's name, known or not) rather than SQL."""
    return bool(_NAME.match(text.strip()))


def get(name: str) -> NamedQuery:
    queries = catalogue()
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"no named query {name!r}.{hint} `tracker sql --list` shows them all.", name=name)
    return queries[name]


def parse_pairs(pairs: list[str] | None) -> dict[str, str]:
    """``['model=mai-1-preview', 'at=2025-09-01']`` -> ``{'model': 'mai-1-preview', 'at': '2025-09-01'}``."""
    values: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair!r} is not NAME=VALUE; for example --param model=mai-1-preview")
        if name.strip() in values:
            raise QueryError(
                f"--param {name.strip()} is given twice ({values[name.strip()]!r} and {value!r}); pass it once"
            )
        values[name.strip()] = value
    return values


def bind(named: NamedQuery, raw: dict[str, str]) -> dict[str, object]:
    """Typed values for every declared parameter: given ones converted, the rest from their defaults."""
    unknown = sorted(set(raw) - {p.name for p in named.params})
    if unknown:
        known = ", ".join(p.name for p in named.params) or "none"
        raise QueryError(f"{named.name} has no parameter {', '.join(unknown)} (its parameters: {known})")
    values: dict[str, object] = {}
    for p in named.params:
        if p.name in raw:
            where = f"{named.name}, parameter {p.name}"
            value = convert(raw[p.name], p.type, where=where)
            if p.name == "leaderboard" and value is not None:  # `aa`, `lmarena`: the built-in names
                value = canonical_leaderboard(str(value))
            values[p.name] = p.check(value, given=raw[p.name], where=where)
        elif p.required:
            raise QueryError(
                f"{named.name} needs --param {p.name}=... ({p.type}: {p.help}); "
                f"for example --param {p.name}={p.example()}"
            )
        else:
            values[p.name] = p.default
    for p in named.params:
        start = values.get(p.not_before) if p.not_before else None
        if start is not None and values[p.name] is not None and values[p.name] < start:
            raise QueryError(
                f"{named.name}: {p.not_before}={start} is after {p.name}={values[p.name]}; {p.not_before} "
                f"starts the range and {p.name} ends it, so swap them",
                value=str(values[p.name]),
                earlier=str(start),
            )
    return values


# parameters naming a model or an organisation, by name: -> what they name. Their values are read through
# the aliases the identity tables hold (sql/read/named_*_names.sql), as every view shows the canonical model.
IDENTITY = {"model": "model", "model_a": "model", "model_b": "model", "organization": "organization"}


def resolve(settings: Settings, named: NamedQuery, values: dict[str, object]) -> dict[str, object]:
    """``values`` with each model or organisation given as an alias, a display name or an organisation key
    replaced by what the views show (``gpt-4`` -> ``gpt-4-0314``, ``microsoft-ai`` -> ``Microsoft AI``). On a
    lake (no alias tables) the values stay as given; ``note`` then names the closest ones."""
    asked = [p.name for p in named.params if p.name in IDENTITY and values.get(p.name) is not None]
    if settings.lake is not None or not asked:
        return values
    path = settings.read_copy_path
    version = readers.file_version(path)
    if version is None:
        return values  # run_sql says there is no read copy
    names = _identity_names(settings, (str(path), *version))
    resolved = dict(values)
    for name in asked:
        given = str(values[name]).strip().lower()
        resolved[name] = names[IDENTITY[name]].get(given, values[name])
    return resolved


_NAMES: dict[tuple, dict[str, dict]] = {}  # (read copy, inode, size, mtime) -> its names, the newest only


def _identity_names(settings: Settings, version: tuple) -> dict[str, dict]:
    """Name -> canonical, for models and organisations, of one read copy as published (``version`` changes
    with each publish, so a new copy is read again). A dictionary, not a query per call: looking the alias up on each
    call cost a named query with a model parameter a noticeable share of its time."""
    names = _NAMES.get(version)
    if names is None:
        names = {
            kind: dict(query.read_statement(settings, f"read/named_{kind}_names.sql").iter_rows())
            for kind in ("model", "organization")
        }
        _NAMES.clear()  # one read copy per process, in practice; a test's many homes need not pile up
        _NAMES[version] = names
    return names


def run(settings: Settings, name: str, raw: dict[str, str] | None = None) -> pl.DataFrame:
    """Run one named query with text parameters on the read copy (or the lake in ``settings.lake``)."""
    named = get(name.strip())
    return query.run_sql(settings, named.text, resolve(settings, named, bind(named, raw or {})) or None)


# date parameters that pick a board as it stood on a date: before the board's first complete snapshot there is
# no board to show or compare, yet movers answers (every model an "entrant"), so a note says so
AS_OF = ("at", "from_date", "to_date")
_SLUG = re.compile(r"[^a-z0-9]+")


def why_empty(settings: Settings, name: str, raw: dict[str, str]) -> str | None:
    """When a named query found nothing, why: the board asked about does not exist (an arena or category
    misspelt, or in capitals: keys are lower case), no model or organisation is called that (with the nearest
    ones), or a date is before the board's first snapshot (naming it). None when the answer is simply empty."""
    named = get(name.strip())
    values = resolve(settings, named, bind(named, raw))
    boards = run(settings, "boards")
    dates = tuple(p.name for p in named.params if p.type == "DATE")
    return (
        _unknown_board(boards, values)
        or _unknown_identity(settings, named, values)
        or _before_board(boards, values, dates)
    )


def note(settings: Settings, name: str, raw: dict[str, str], frame: pl.DataFrame) -> str | None:
    """The sentence to show under a named query's answer, or None: ``why_empty`` for an empty one; for rows,
    whether a date that picks the board (``AS_OF``) is before its first snapshot, so the rows compare with
    nothing (movers from a date before the board began calls every model an entrant)."""
    if frame.is_empty():
        return why_empty(settings, name, raw)
    named = get(name.strip())
    values = bind(named, raw)
    if not any(values.get(n) is not None for n in AS_OF):
        return None
    return _before_board(run(settings, "boards"), values, AS_OF)


def _unknown_board(boards: pl.DataFrame, values: dict[str, object]) -> str | None:
    import polars as pl

    leaderboard, arena, category = values.get("leaderboard"), values.get("arena"), values.get("category")
    if leaderboard is not None:
        leaderboards = sorted(set(boards["leaderboard"].to_list()))
        if leaderboard not in leaderboards:
            return f"no leaderboard {leaderboard!r} in the history (leaderboards: {', '.join(leaderboards)})"
        boards = boards.filter(pl.col("leaderboard") == leaderboard)
    if arena is None and category is None:
        return None
    arenas = sorted(set(boards["arena"].to_list()))
    if arena is not None and arena not in arenas:
        close = difflib.get_close_matches(str(arena).lower(), arenas, n=1, cutoff=0.6)
        guess = f"; did you mean {close[0]}?" if close else ""
        return f"no arena {arena!r} in the history (arenas: {', '.join(arenas)}){guess}"
    if category is None:
        return None
    in_arena = boards if arena is None else boards.filter(pl.col("arena") == arena)
    categories = sorted(set(in_arena["category"].to_list()))
    where = f"arena {arena}" if arena is not None else "any arena"
    if category not in categories:
        close = difflib.get_close_matches(str(category).lower(), categories, n=1, cutoff=0.6)
        guess = f"did you mean {close[0]}? " if close else ""
        return f"no category {category!r} in {where}; {guess}`tracker sql boards` lists every board"
    return None


def _unknown_identity(settings: Settings, named: NamedQuery, values: dict[str, object]) -> str | None:
    asked = [
        (p.name, IDENTITY[p.name]) for p in named.params if p.name in IDENTITY and values[p.name] is not None
    ]
    if not asked:
        return None
    known = query.read_statement(settings, "read/named_identities.sql")
    for param, kind in asked:
        given = str(values[param]).strip()
        names = sorted(set(known[kind].drop_nulls().to_list()))
        if given.lower() in {n.lower() for n in names}:
            continue
        near = _nearest(given, names)
        noun = "organisation" if kind == "organization" else kind
        if near:
            return f"no {noun} {given!r}; did you mean {', '.join(near)}?"
        return f"no {noun} {given!r} in the history; `tracker sql find_model -p pattern=...` searches models"
    return None


def _nearest(given: str, names: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` of ``names`` nearest ``given``, ignoring case and punctuation: the same spelling, then the
    shortest that contain it, then the closest by difflib."""
    slug = _SLUG.sub("-", given.lower()).strip("-")
    slugs = {name: _SLUG.sub("-", name.lower()).strip("-") for name in names}
    same = [name for name, s in slugs.items() if s == slug]
    containing = sorted((name for name, s in slugs.items() if slug and slug in s), key=lambda k: (len(k), k))
    by_slug = {s: name for name, s in slugs.items()}
    close = [by_slug[s] for s in difflib.get_close_matches(slug, list(by_slug), n=n, cutoff=0.6)]
    return list(dict.fromkeys(same + containing + close))[:n]


def _before_board(boards: pl.DataFrame, values: dict[str, object], dates: tuple[str, ...]) -> str | None:
    import polars as pl

    key = ("leaderboard", "arena", "category", "style_control")
    board = tuple(values.get(n) for n in key)
    early = [n for n in dates if values.get(n) is not None]
    if None in board or not early:
        return None
    found = boards.filter(*(pl.col(n) == v for n, v in zip(key, board, strict=True)))
    first = None if found.is_empty() else found.item(0, "first_as_of")
    label = board_label(*board)
    if first is None:
        return f"{label} has no complete snapshot; `tracker sql boards` lists every board"
    early = [n for n in early if values[n] < first]
    if not early:
        return None
    given = ", ".join(f"{n}={values[n]}" for n in early)
    return f"{label} begins {first}: {given} {'is' if len(early) == 1 else 'are'} before its first snapshot"


def parameters(name: str) -> pl.DataFrame:
    """One row per parameter of the named query ``name``: name, type, the values allowed (empty: any of its
    type), default (or required) and help."""
    import polars as pl

    named = get(name.strip())
    rows = [
        {
            "parameter": p.name,
            "type": p.type,
            "allowed": p.allowed(),
            "default": "(required)"
            if p.required
            else ("null" if p.default is None else str(p.default).lower()),
            "help": p.help,
        }
        for p in named.params
    ]
    columns = ("parameter", "type", "allowed", "default", "help")
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.Utf8))


_FREE_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def check_free_params(text: str, params: dict[str, str]) -> None:
    """Free SQL takes ``--param`` values as ``$name`` placeholders (as text): each given name must be used,
    or DuckDB answers with a bare "argument count mismatch"."""
    used = set(_FREE_PARAM.findall(text))
    unused = sorted(set(params) - used)
    if unused:
        names = ", ".join(f"${n}" for n in unused)
        raise QueryError(
            f"--param {', '.join(unused)} given, but the query has no {names}; free SQL reads a parameter as "
            "$name (a named query's parameters: tracker sql --list NAME)"
        )


def listing() -> pl.DataFrame:
    """One row per named query: name, parameters (with types and defaults) and description."""
    import polars as pl

    rows = [
        {
            "name": q.name,
            "parameters": ", ".join(p.signature() for p in q.params),
            "description": q.description,
        }
        for q in catalogue().values()
    ]
    return pl.DataFrame(rows, schema={"name": pl.Utf8, "parameters": pl.Utf8, "description": pl.Utf8})
