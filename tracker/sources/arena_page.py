"""Source ``arena-page``: the live arena.ai / lmarena.ai leaderboard pages.

Upstream: ``https://arena.ai/leaderboard/{arena}[/{category}[-no-style-control]]`` (HTML).
Format: Next.js React Server Components flight data, pushed as JSON strings in
``<script>self.__next_f.push([1,"…"])</script>``. The strings are joined in page order and split into
``ID:PAYLOAD`` lines; the board is the line whose payload is ``["$","$L..",null,{props}]`` with
``props.leaderboard.entries``.

Quirks: lines break across chunks (never parse chunk by chunk); the line id changes between deploys
(find the board by content); ``modelKey`` only exists from mid-2026 (else the display name is the key);
unknown fields appear over time (kept in ``extra``); 2026 ``rank`` is the ordinal position, the 2025
variant (``leaderboards[]`` with ``leaderboardType``) published Rank (UB).

Speed: a well-formed board is converted a column at a time (bulk type checks, one frame build); a board
that fails any bulk check goes through the row-by-row checks instead, which name the bad row and field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl

from tracker.boards import DEFAULT_LEADERBOARD, Board, canonical_arena, canonical_category, page_slug_board
from tracker.errors import ParseError
from tracker.parsed import (
    STANDINGS_SCHEMA,
    AsOfKind,
    RankMeaning,
    conform,
    normalise_key,
)
from tracker.sources.format import SourceFormat

SOURCE = "arena-page"
_PUSH = "self.__next_f.push([1,"
_DECODER = json.JSONDecoder()

# canonical column -> the upstream names it may come under, in order of preference
_FIELDS_2026 = {
    "display_name": ("modelDisplayName", "modelName", "model_display_name"),
    "model_key": ("modelKey", "model_key"),
    "rating": ("rating", "score"),
    "rating_lower": ("ratingLower", "confidenceIntervalLower", "score_ci_lower"),
    "rating_upper": ("ratingUpper", "confidenceIntervalUpper", "score_ci_upper"),
    "votes": ("votes", "observation_count"),
    "rank_published": ("rank",),
    "organization": ("modelOrganization", "organization"),
    "license": ("license",),
}
_REQUIRED = ("display_name", "rating", "rating_lower", "rating_upper", "votes")
_USED = {name for names in _FIELDS_2026.values() for name in names}  # the rest of an entry goes to extra
_EXTRA_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False)  # json.dumps's, built once
_PLAIN_ENCODER = json.JSONEncoder(ensure_ascii=False)  # the same text for values that hold no object


def sniff(body: bytes, origin: str) -> bool:
    head = body[:4096].lstrip().lower()
    return (head.startswith(b"<!doctype html") or head.startswith(b"<html")) and b"self.__next_f" in body


def flight_text(html: str, origin: str) -> str:
    """Join every pushed flight string of the page, in order."""
    parts: list[str] = []
    pos = html.find(_PUSH)
    while pos != -1:
        start = pos + len(_PUSH)
        try:
            value, end = _DECODER.raw_decode(html, start)
        except json.JSONDecodeError as exc:
            raise ParseError(
                origin, f"a flight chunk at byte {start} is not a JSON string: {exc.msg}"
            ) from None
        if isinstance(value, str):
            parts.append(value)
        pos = html.find(_PUSH, end)
    if not parts:
        raise ParseError(
            origin, "no self.__next_f.push flight data found; is this an arena.ai leaderboard page?"
        )
    return "".join(parts)


def _lines_with_entries(text: str) -> Iterator[str]:
    """The flight lines that mention ``"entries"``, in order; found by search, as the text is mostly other
    lines (module references, the component tree) that splitting would copy for nothing."""
    pos = text.find('"entries"')
    while pos != -1:
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        yield text[text.rfind("\n", 0, pos) + 1 : end]
        pos = text.find('"entries"', end)


def _board_props(text: str, origin: str) -> list[dict[str, Any]]:
    """Every props object on a flight line that carries leaderboard entries."""
    found = []
    for line in _lines_with_entries(text):
        if '"leaderboard' not in line:
            continue
        _, sep, payload = line.partition(":")
        if not sep:
            continue
        try:
            value = json.loads(payload)
        except (json.JSONDecodeError, RecursionError):  # not JSON, or nested past any real board
            continue
        if isinstance(value, list) and len(value) >= 4 and value[0] == "$" and isinstance(value[3], dict):
            props = value[3]
            if isinstance(props.get("leaderboard"), dict) or isinstance(props.get("leaderboards"), list):
                found.append(props)
    if not found:
        raise ParseError(
            origin, "the page has no leaderboard payload (no flight line with leaderboard entries)"
        )
    return found


def _pick(entry: dict[str, Any], names: tuple[str, ...]) -> tuple[bool, Any]:
    for name in names:
        if name in entry:
            return True, entry[name]
    return False, None


_NUMBERS = ("rating", "rating_lower", "rating_upper")
_COUNTS = ("votes", "rank_published")
_TEXTS = ("display_name", "model_key", "organization", "license")
_MAX_COUNT = 2**53  # beyond this a vote count or rank is not a real one (and would not fit Int64 exactly)


def _checked(value: Any, column: str, origin: str, row: int, field: str) -> Any:
    """One entry value, type-checked for its canonical column, so a malformed page fails with a clear
    ParseError instead of a silent null or a polars error later."""
    if value is None:
        return None
    if column in _NUMBERS or column in _COUNTS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParseError(origin, f"{value!r} is not a number", row=row, field=field)
        if column in _COUNTS:
            if value != value or not float(value).is_integer() or abs(value) > _MAX_COUNT:
                raise ParseError(origin, f"{value!r} is not a whole count", row=row, field=field)
            return int(value)
        return float(value)
    if column in _TEXTS:
        if not isinstance(value, str):
            raise ParseError(origin, f"{type(value).__name__} where text was expected", row=row, field=field)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(origin, "text with an unpaired surrogate", row=row, field=field) from None
    return value


def _rows(
    entries: list[Any],
    origin: str,
    board: Board,
    as_of: datetime,
    as_of_kind: AsOfKind,
    rank_meaning: RankMeaning | None,
) -> list[dict]:
    """The reference conversion, one entry at a time: the first problem raises, naming its row and field."""
    rows = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ParseError(origin, f"entry is {type(entry).__name__}, not an object", row=index)
        row: dict[str, Any] = {}
        for column, names in _FIELDS_2026.items():
            present, value = _pick(entry, names)
            if not present and column in _REQUIRED:
                raise ParseError(origin, f"required field {names[0]!r} is missing", row=index, field=names[0])
            row[column] = _checked(value, column, origin, index, names[0])
        if row["model_key"] is None:
            row["model_key"] = row["display_name"]
        if not isinstance(row["model_key"], str):
            raise ParseError(origin, "the model name is not a string", row=index, field="modelDisplayName")
        row["extra"] = _extra_json(entry)
        rows.append(row)
    for row in rows:
        row.update(
            arena=board.arena,
            category=board.category,
            style_control=board.style_control,
            as_of=as_of,
            as_of_kind=as_of_kind,
            rank_meaning=rank_meaning,
        )
    return rows


class _Irregular(Exception):
    """A board the column path leaves to the row path: one the row path would fail, with its own error."""


_NONE = type(None)
_NUMBER_TYPES = {float, int, _NONE}  # exact types: bool is not a number here
_TEXT_TYPES = {str, _NONE}
_SCALAR_TYPES = {str, int, float, bool, _NONE}
_INT32 = (-(2**31), 2**31 - 1)  # rank_published's column type
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _extra_json(entry: dict[str, Any]) -> str | None:
    extra = {k: v for k, v in entry.items() if k not in _USED}
    return _EXTRA_ENCODER.encode(extra) if extra else None


def _extra_jsons(entries: list[dict[str, Any]]) -> list[str | None]:
    """``_extra_json`` of every entry. When the entries share one key set (the usual board) the values are
    encoded in one call and put into a template of the keys: a call per entry costs more than the
    encoding, and so does encoding every key again."""
    keys = entries[0].keys() if entries else set()
    if not all(map(keys.__eq__, map(dict.keys, entries))):
        return list(map(_extra_json, entries))
    names = sorted(keys - _USED)  # sort_keys order
    if not names:
        return [None] * len(entries)
    texts = _value_texts([entry[name] for entry in entries for name in names])
    if texts is None:
        return list(map(_extra_json, entries))
    keyed = (_PLAIN_ENCODER.encode(name).replace("%", "%%") + ": %s" for name in names)
    template = "{" + ", ".join(keyed) + "}"
    return list(map(template.__mod__, zip(*[iter(texts)] * len(names), strict=True)))


def _value_texts(values: list[Any]) -> list[str] | None:
    """The JSON text of each value, from one encoder call split at ``, `` (exact for scalars, as no
    scalar's text holds ``, `` unless a string does); None where it would not be."""
    kinds = set(map(type, values))
    if not kinds <= _SCALAR_TYPES:
        return None
    if str in kinds and ", " in "\n".join(v for v in values if type(v) is str):  # "\n": no ", " across two
        return None
    return _PLAIN_ENCODER.encode(values)[1:-1].split(", ")


def _picked(entries: list[dict], names: tuple[str, ...], required: bool) -> list[Any]:
    try:
        return [entry[names[0]] for entry in entries]
    except KeyError:  # some entry has the field under another name, or not at all
        pass
    values = []
    for entry in entries:
        present, value = _pick(entry, names)
        if not present and required:
            raise _Irregular
        values.append(value)
    return values


def _numbers(values: list[Any]) -> list[Any]:
    kinds = set(map(type, values))
    if not kinds <= _NUMBER_TYPES:
        raise _Irregular
    if int not in kinds:
        return values
    try:
        return [v if v is None else float(v) for v in values]
    except OverflowError:  # an int past float range
        raise _Irregular from None


def _counts(values: list[Any], low: int, high: int) -> list[Any]:
    kinds = set(map(type, values))
    if not kinds <= _NUMBER_TYPES:
        raise _Irregular
    if float in kinds:
        if not all(type(v) is not float or v.is_integer() for v in values):  # False for NaN and inf too
            raise _Irregular
        values = [int(v) if type(v) is float else v for v in values]
    present = [v for v in values if v is not None] if _NONE in kinds else values
    if present and (min(present) < low or max(present) > high):
        raise _Irregular
    return values


def _texts(values: list[Any]) -> list[Any]:
    if not set(map(type, values)) <= _TEXT_TYPES:
        raise _Irregular
    return values


def _require_utf8(texts: list[str | None]) -> None:
    """Raise _Irregular unless every text encodes as UTF-8 (one with an unpaired surrogate does not, and
    polars cannot store it)."""
    try:
        "".join(filter(None, texts)).encode("utf-8")
    except UnicodeEncodeError:
        raise _Irregular from None


def _columns(entries: list[Any]) -> dict[str, list[Any]]:
    """The entries' canonical columns, checked in bulk: every check of ``_checked`` and ``_rows``, plus
    what the frame build would reject (a rank past Int32, unpaired surrogates in ``extra``)."""
    if not set(map(type, entries)) <= {dict}:
        raise _Irregular
    picked = {column: _picked(entries, names, column in _REQUIRED) for column, names in _FIELDS_2026.items()}
    columns = {column: _numbers(picked[column]) for column in _NUMBERS}
    columns["votes"] = _counts(picked["votes"], -_MAX_COUNT, _MAX_COUNT)
    columns["rank_published"] = _counts(picked["rank_published"], *_INT32)
    columns |= {column: _texts(picked[column]) for column in _TEXTS}
    keys = [
        name if key is None else key
        for key, name in zip(columns["model_key"], columns["display_name"], strict=True)
    ]
    if None in keys:
        raise _Irregular
    columns["model_key"] = keys
    columns["extra"] = _extra_jsons(entries)
    _require_utf8([text for column in (*_TEXTS, "extra") for text in columns[column]])
    return columns


def _frame(
    entries: list[Any], board: Board, as_of: datetime, as_of_kind: AsOfKind, rank_meaning: RankMeaning | None
) -> pl.DataFrame:
    """The entries as canonical standings, built by columns (in ``STANDINGS_SCHEMA`` already)."""
    columns = _columns(entries)
    constants = {
        "leaderboard": DEFAULT_LEADERBOARD,
        "arena": board.arena,
        "category": board.category,
        "style_control": board.style_control,
        "as_of_kind": as_of_kind,
        "rank_meaning": rank_meaning,
    }
    # Series built directly: a select with literals and expressions costs more than the whole frame
    series = {
        name: pl.Series(name, [value], STANDINGS_SCHEMA[name]).new_from_index(0, len(entries))
        for name, value in constants.items()
    }
    # from epoch microseconds, as polars converts an aware datetime several times slower
    micros = pl.Series("as_of", [(as_of - _EPOCH) // _MICROSECOND], pl.Int64())
    series["as_of"] = micros.cast(STANDINGS_SCHEMA["as_of"]).new_from_index(0, len(entries))
    series |= {name: pl.Series(name, values, STANDINGS_SCHEMA[name]) for name, values in columns.items()}
    missing = [name for name in STANDINGS_SCHEMA if name not in series]  # the tracker's ranks: the store's
    series |= {name: pl.Series(name, [None] * len(entries), STANDINGS_SCHEMA[name]) for name in missing}
    return pl.DataFrame([series[name] for name in STANDINGS_SCHEMA]).with_columns(normalise_key())


def _as_of(leaderboard: dict[str, Any], fetched_at: datetime, origin: str) -> tuple[datetime, AsOfKind]:
    cutoff = leaderboard.get("voteCutoffISOString")
    if cutoff:
        try:
            return datetime.fromisoformat(str(cutoff).replace("Z", "+00:00")).astimezone(UTC), "vote_cutoff"
        except (ValueError, OverflowError):
            raise ParseError(
                origin, f"voteCutoffISOString {cutoff!r} is not an ISO time", field="voteCutoffISOString"
            ) from None
    return fetched_at.astimezone(UTC), "capture_time"


def _board_2026(leaderboard: dict[str, Any], origin: str) -> Board:
    params = leaderboard.get("params") or {}
    arena = leaderboard.get("arenaSlug")
    if not arena or not isinstance(arena, str):
        raise ParseError(origin, f"leaderboard.arenaSlug is {arena!r}, not a name", field="arenaSlug")
    if not isinstance(params, dict):
        raise ParseError(
            origin, f"leaderboard.params is {type(params).__name__}, not an object", field="params"
        )
    slug = leaderboard.get("leaderboardSlug") or "overall"
    if not isinstance(slug, str) or not isinstance(params.get("category", ""), str):
        raise ParseError(origin, "the board's category is not a name", field="params.category")
    if "category" in params and "styleControl" in params:
        return Board(
            canonical_arena(arena, origin=origin),
            canonical_category(params["category"], origin=origin),
            bool(params["styleControl"]),
        )
    return page_slug_board(arena, slug, origin=origin)


def _arena_slug_2025(props: dict[str, Any]) -> str | None:
    arena = props.get("arena")
    if isinstance(arena, dict):
        return arena.get("slug") or arena.get("arenaSlug")
    return props.get("arenaSlug") or (arena if isinstance(arena, str) else None)


# entries, board, as_of, as_of_kind, rank_meaning
_Table = tuple[list[Any], Board, datetime, AsOfKind, RankMeaning]


def _tables(found: list[dict[str, Any]], origin: str, fetched_at: datetime) -> Iterator[_Table]:
    """Each board table of the props objects, checked as it comes (so errors arise in page order)."""
    for props in found:
        if isinstance(props.get("leaderboard"), dict):
            leaderboard = props["leaderboard"]
            entries = leaderboard.get("entries")
            if not isinstance(entries, list):
                raise ParseError(origin, "leaderboard.entries is not a list", field="entries")
            as_of, kind = _as_of(leaderboard, fetched_at, origin)
            yield entries, _board_2026(leaderboard, origin), as_of, kind, "ordinal"
        else:  # 2025 variant: one props object, a raw and a style-controlled table
            arena = _arena_slug_2025(props)
            if arena is not None and not isinstance(arena, str):
                raise ParseError(origin, "the page's arena slug is not a name", field="arenaSlug")
            category = props.get("category") if isinstance(props.get("category"), str) else "overall"
            for index, table in enumerate(props["leaderboards"]):
                if not isinstance(table, dict) or not isinstance(table.get("entries"), list):
                    raise ParseError(
                        origin, "a leaderboards[] item has no entries list", row=index + 1, field="entries"
                    )
                style = table.get("leaderboardType", "default") != "remove-style-control"
                board = Board(
                    canonical_arena(arena or "text", origin=origin),
                    canonical_category(category, origin=origin),
                    style,
                )
                as_of, kind = _as_of(table, fetched_at, origin)
                yield table["entries"], board, as_of, kind, "ub"


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    """Page bytes -> canonical standings (one snapshot per board found on the page)."""
    try:
        html = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(origin, f"the page is not valid UTF-8 (byte {exc.start})") from None
    frames: list[pl.DataFrame] = []
    rows: list[dict] = []  # once a table needs the row path, later ones take it too: errors keep page order
    for entries, *table in _tables(_board_props(flight_text(html, origin), origin), origin, fetched_at):
        if not rows:
            try:
                frames.append(_frame(entries, *table))
                continue
            except _Irregular:
                pass
        rows += _rows(entries, origin, *table)
    if rows:
        frames.append(conform(pl.from_dicts(rows, schema=STANDINGS_SCHEMA).with_columns(normalise_key())))
    if not any(frame.height for frame in frames):
        raise ParseError(origin, "the leaderboard has no entries", field="entries")
    return pl.concat(frames) if len(frames) > 1 else frames[0]


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse)
