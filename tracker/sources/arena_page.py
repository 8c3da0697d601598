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
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import polars as pl

from tracker.boards import Board, canonical_arena, canonical_category, page_slug_board
from tracker.errors import ParseError
from tracker.schema import STANDINGS_SCHEMA, conform, normalise_key

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


def _board_props(text: str, origin: str) -> list[dict[str, Any]]:
    """Every props object on a flight line that carries leaderboard entries."""
    found = []
    for line in text.split("\n"):
        if '"entries"' not in line or '"leaderboard' not in line:
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
    entries: list[Any], origin: str, board: Board, as_of: datetime, as_of_kind: str, rank_meaning: str | None
) -> list[dict]:
    used = {name for names in _FIELDS_2026.values() for name in names}
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
        extra = {k: v for k, v in entry.items() if k not in used}
        row["extra"] = json.dumps(extra, sort_keys=True, ensure_ascii=False) if extra else None
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


def _as_of(leaderboard: dict[str, Any], fetched_at: datetime, origin: str) -> tuple[datetime, str]:
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


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    """Page bytes -> canonical standings (one snapshot per board found on the page)."""
    try:
        html = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(origin, f"the page is not valid UTF-8 (byte {exc.start})") from None
    rows: list[dict] = []
    for props in _board_props(flight_text(html, origin), origin):
        if isinstance(props.get("leaderboard"), dict):
            leaderboard = props["leaderboard"]
            entries = leaderboard.get("entries")
            if not isinstance(entries, list):
                raise ParseError(origin, "leaderboard.entries is not a list", field="entries")
            as_of, kind = _as_of(leaderboard, fetched_at, origin)
            rows += _rows(entries, origin, _board_2026(leaderboard, origin), as_of, kind, "ordinal")
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
                rows += _rows(table["entries"], origin, board, as_of, kind, "ub")
    frame = pl.from_dicts(rows, schema=STANDINGS_SCHEMA) if rows else pl.DataFrame()
    if frame.is_empty():
        raise ParseError(origin, "the leaderboard has no entries", field="entries")
    return conform(frame.with_columns(normalise_key()))
