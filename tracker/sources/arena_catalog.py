"""Source ``arena-catalog``: LMArena's GitHub repository ``lmarena/arena-catalog``, ``data/leaderboard-*.json``.

Upstream: ``https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/leaderboard-{text,
text-style-control,vision,vision-style-control,image}.json`` (``leaderboard-data.json`` and
``leaderboard-data-style-control.json`` are the older names of the two text files, until 2025-03).
History: the file's git history (``tracker backfill arena-catalog`` walks its commits).

Format: ``{category: {model_key: {rating, rating_q975, rating_q025}}}``: no votes, no rank, no dates.
The file name says the board: ``data``/``text`` -> text, ``vision`` -> vision, ``image`` -> text_to_image, and
``-style-control`` -> style-controlled; categories are the HF Space's names (``full``, ``hard_6``, ``if``,
``long_user``, ...), mapped by tracker.boards. A category name carrying a style suffix
(``full_style_control``) overrides the file's style.

As-of: the file has no date. A commit date (``as_of`` hint from the backfill, or the
``YYYY-MM-DD_COMMIT`` folder name of an offline copy) gives ``commit_date``; a file fetched over HTTP is
dated by the capture. A local copy with neither is not read (``refusal`` says why; a folder walk skips it):
its import time would put an old board on today's date.
Quirks: ``scatterplot-data.json`` sits in the same folder and is not a board (a JSON list: never sniffed);
a model key repeated inside one category is kept as two rows so validation names it.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from tracker.boards import canonical_arena, canonical_category, split_style
from tracker.errors import ParseError
from tracker.parsed import STANDINGS_SCHEMA, AsOfKind, conform, normalise_key
from tracker.sources.format import SourceFormat

SOURCE = "arena-catalog"
_FILE = re.compile(r"^leaderboard-(?P<name>[a-z0-9_-]+?)(?P<style>-style-control)?\.json$")
_DATED_FOLDER = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})_(?P<commit>[0-9a-f]{7,40})$")
_ARENA_NAMES = {"data": "text"}  # the text files' older name
_FIELDS = {"rating": "rating", "rating_lower": "rating_q025", "rating_upper": "rating_q975"}


class _Object(list):
    """A JSON object as its (key, value) pairs, so a key repeated upstream is not silently dropped."""


def hints_for_path(path: Path) -> dict:
    """``history/2025-03-07_b3b0fef89/leaderboard-text.json`` -> {"as_of": "2025-03-07", "commit": "b3b0fef89"}."""
    folder = _DATED_FOLDER.match(path.parent.name)
    if not _FILE.match(path.name) or not folder:
        return {}
    return {"as_of": folder["date"], "commit": folder["commit"]}


def _looks_like_a_board(body: bytes) -> bool:
    head = body[:65536].lstrip()
    return (
        head[:1] == b"{"
        and b'"rating_q975"' in head
        and b'"rating_q025"' in head
        and b'"row_idx"' not in head
    )


def _dated(origin: str) -> bool:
    """Fetched over HTTP (dated by the capture), or carrying a commit date (folder name or origin hint)."""
    base, _, fragment = origin.partition("#")
    if base.startswith(("http://", "https://")) or "as_of=" in fragment:
        return True
    return bool(hints_for_path(Path(base)))


def sniff(body: bytes, origin: str) -> bool:
    # A local copy says nothing about when it was current: dating it by the import would put an old board
    # on today's date, so an undated copy is not read (``refusal`` says why).
    return _looks_like_a_board(body) and _dated(origin)


def refusal(body: bytes, origin: str) -> str | None:
    """Why a recognised arena-catalog file is not read: a local copy without a commit date."""
    if not _looks_like_a_board(body) or _dated(origin):
        return None
    return (
        "an arena-catalog file without a date (the files carry none, and the import time would put an old "
        "board on today's date): keep it in a folder named YYYY-MM-DD_COMMIT after its commit date, poll its "
        "raw URL to date it now, or run `tracker backfill arena-catalog`"
    )


def board_of(file_name: str, origin: str) -> tuple[str, bool]:
    """``leaderboard-text-style-control.json`` -> ("text", True)."""
    match = _FILE.match(file_name)
    if not match:
        raise ParseError(
            origin,
            f"cannot tell the board from the file name {file_name!r}: arena-catalog files are named "
            "leaderboard-{text,vision,image}[-style-control].json; keep that name (or pass the hint 'file')",
            field="file",
        )
    name = match["name"]
    return canonical_arena(_ARENA_NAMES.get(name, name), origin=origin), bool(match["style"])


def _file_name(origin: str, hints: dict) -> str:
    if hints.get("file"):
        return Path(str(hints["file"])).name
    return Path(origin.split("#", 1)[0].split("?", 1)[0]).name


def as_of_from(hints: dict, fetched_at: datetime, origin: str) -> tuple[datetime, AsOfKind]:
    value = hints.get("as_of")
    if not value:
        return fetched_at.astimezone(UTC), "capture_time"
    if isinstance(value, datetime):
        at = value
    else:
        try:
            at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ParseError(
                origin, f"as_of hint {value!r} is not an ISO date or time", field="as_of"
            ) from None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC), "commit_date"


def _number(value: Any, origin: str, row: int, field: str, where: str) -> float | None:
    if value is None and field != "rating":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError(origin, f"{where}: {value!r} is not a number", row=row, field=field)
    return float(value)


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    """One leaderboard file -> canonical standings, one snapshot per category."""
    hints = hints or {}
    arena, file_style = board_of(_file_name(origin, hints), origin)
    as_of, as_of_kind = as_of_from(hints, fetched_at, origin)
    try:
        doc = json.loads(body, object_pairs_hook=_Object)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ParseError(origin, f"not valid JSON: {exc}") from None
    if not isinstance(doc, _Object):
        raise ParseError(origin, "expected an object {category: {model: {rating, ...}}}")
    rows: list[dict[str, Any]] = []
    for category_name, models in doc:
        base, style = split_style(category_name)
        category = canonical_category(base or category_name, origin=origin)
        if not isinstance(models, _Object):
            raise ParseError(
                origin, f"category {category_name!r} is not an object of models", field=category_name
            )
        for model, values in models:
            row = len(rows) + 1
            where = f"category {category_name!r}, model {model!r}"
            if not isinstance(values, _Object):
                raise ParseError(origin, f"{where}: expected an object with a rating", row=row, field=model)
            fields = dict(values)
            if "rating" not in fields:
                raise ParseError(origin, f"{where}: 'rating' is missing", row=row, field="rating")
            extra = {k: v for k, v in fields.items() if k not in _FIELDS.values()}
            rows.append(
                {
                    "category": category,
                    "style_control": file_style if style is None else style,
                    "model_key": model,
                    "display_name": model,
                    **{
                        column: _number(fields.get(upstream), origin, row, upstream, where)
                        for column, upstream in _FIELDS.items()
                    },
                    "extra": json.dumps(extra, sort_keys=True, ensure_ascii=False) if extra else None,
                }
            )
    if not rows:
        raise ParseError(origin, "the file has no models in any category")
    schema = {name: STANDINGS_SCHEMA[name] for name in rows[0]}
    frame = pl.DataFrame(rows, schema=schema).with_columns(
        pl.lit(arena).alias("arena"),
        pl.lit(as_of).cast(STANDINGS_SCHEMA["as_of"]).alias("as_of"),
        pl.lit(as_of_kind).alias("as_of_kind"),
        normalise_key(),
    )
    return conform(frame)


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse, hints_for_path=hints_for_path, refusal=refusal)
