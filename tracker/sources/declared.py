"""The format of a declared source: a JSON or CSV leaderboard read as its ``[[sources]]`` table in
``tracker.toml`` says (``tracker.config.declarations.Declaration``).

Not in the registry's ``FORMATS``: ``format_for(declaration)`` builds one ``SourceFormat`` per declaration at
runtime, and ``tracker.sources.declared_formats`` hands them out by name to ``tracker import --source NAME``,
the poll job of the declaration's ``urls`` and ``tracker reparse``. A payload no one named is never read as a
declared source: detection asks only the built-in formats.

Upstream: whatever the declaration's ``urls`` serve, or the files ``tracker import --source NAME`` is given.

Format: JSON: the list at the dotted path ``rows`` ("" is the document itself), each row's fields read from
their dotted paths (a number picks a list item). CSV: one row per line under a header; each field is a
column. A numeric value may be a number or text with thousands separators ("1,572"); a CI given as one text
is "±17", "+17/-15" or "-17/+17". ``model`` defaults to the key made from ``display_name`` (trimmed, lower
case, as every source's keys: ``tracker.parsed.normalise_key``); ``extra`` keeps every unmapped field.

As-of: the date or ISO timestamp at ``as_of`` (json: a path in the document; csv: a column, so one file may
hold several dates), stored as ``publish_date`` unless the declaration says ``as_of_kind``; without
``as_of``, the fetch time, stored as ``capture_time``. Published rank: ``rank`` when mapped, ``ordinal``
unless the declaration says ``rank_meaning``.

Quirks: a path or column that matches nothing in the file is the declaration's mistake, refused naming the
source and its key (``rows``, ``as_of``, ``fields.rating``); a row missing a required value (the rating, or
both model and display_name) or holding one that cannot be read is refused naming the row (1-based, the CSV
header not counted) and the field.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial

import polars as pl

from tracker.config.declarations import Declaration
from tracker.errors import ParseError
from tracker.parsed import conform, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

_MISSING = object()  # nothing at a path (a JSON null is None)
_NUMBERS = ("rating", "rating_lower", "rating_upper", "votes", "rank")
_TEXTS = ("model", "display_name", "organization", "license")


def sniff(declaration: Declaration, body: bytes, origin: str) -> bool:
    """Whether the bytes look like the declaration's format at all (a JSON document, a CSV table): asked only
    when the payload is named for this source, to tell its own file from another format's."""
    head = body[:4096].lstrip()
    if declaration.format == "json":
        return head[:1] in (b"{", b"[")
    return (
        head[:1] not in (b"", b"{", b"[", b"<") and not body.startswith(b"PAR1") and len(af.header(body)) > 1
    )


def _about(declaration: Declaration, key: str) -> str:
    """How a message names the declaration and its key: ``source 'edit-arena' (tracker.toml [[sources]], key
    rows)``."""
    return f"source {declaration.name!r} ({declaration.config} [[sources]], key {key})"


def value_at(value: object, path: str) -> object:
    """The value at a dotted path ("" is ``value`` itself; a number picks a list item), or ``_MISSING``."""
    if path == "":
        return value
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isascii() and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _unmapped(value: object, paths: list[list[str]]) -> object:
    """``value`` without what ``paths`` (split at the dots) read; a container they emptied is ``_MISSING``."""
    if [] in paths:
        return _MISSING
    if isinstance(value, dict):
        items = [(key, _unmapped(item, [p[1:] for p in paths if p[0] == key])) for key, item in value.items()]
        left = {key: item for key, item in items if item is not _MISSING}
    elif isinstance(value, list):
        items = [
            (i, _unmapped(item, [p[1:] for p in paths if p[0] == str(i)])) for i, item in enumerate(value)
        ]
        left = [item for _, item in items if item is not _MISSING]  # type: ignore[assignment]
    else:
        return value
    return left if left or not value else _MISSING


def _timestamp(value: object, origin: str, *, row: int | None, field: str, about: str) -> datetime:
    """A date (midnight UTC) or an ISO timestamp (UTC; one without an offset is read as UTC)."""
    if isinstance(value, str):
        try:
            at = datetime.fromisoformat(value.strip())
            return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        except (ValueError, OverflowError):
            pass
    shown = "an empty value" if value in (None, "") else repr(value)[:60]
    raise ParseError(
        origin, f"{shown} is not a date (YYYY-MM-DD) or an ISO timestamp; {about}", row=row, field=field
    )


def _json_rows(declaration: Declaration, data: object, origin: str) -> list:
    rows = value_at(data, declaration.rows)
    shown = repr(declaration.rows)
    if rows is _MISSING:
        raise ParseError(
            origin, f"rows = {shown} matches nothing in the file; {_about(declaration, 'rows')}", field="rows"
        )
    if not isinstance(rows, list):
        kind = "an object" if isinstance(rows, dict) else type(rows).__name__
        raise ParseError(
            origin,
            f"rows = {shown} is {kind}, not the list of rows; {_about(declaration, 'rows')}",
            field="rows",
        )
    if not rows:
        raise ParseError(
            origin, f"rows = {shown} is an empty list; {_about(declaration, 'rows')}", field="rows"
        )
    return rows


def _json_text(declaration: Declaration, body: bytes, origin: str, fetched_at: datetime) -> pl.DataFrame:
    """A JSON payload as one text column per mapped field, plus ``as_of`` and ``extra``."""
    data = af.load_json(body, origin)
    rows = _json_rows(declaration, data, origin)
    columns: dict[str, list] = {}
    for name, path in declaration.fields:
        found = [value_at(row, path) for row in rows]
        if all(value is _MISSING for value in found):
            raise ParseError(
                origin,
                f"{path!r} matches nothing in any of the {len(rows)} row(s); {_about(declaration, f'fields.{name}')}",
                field=f"fields.{name}",
            )
        columns[name] = [
            None if value is _MISSING else af.text_value(value, origin, row=index, field=path, numbers=True)
            for index, value in enumerate(found, start=1)
        ]
    if declaration.as_of is not None:
        value = value_at(data, declaration.as_of)
        if value is _MISSING:
            raise ParseError(
                origin,
                f"as_of = {declaration.as_of!r} matches nothing in the file; {_about(declaration, 'as_of')}",
                field="as_of",
            )
        as_of = _timestamp(
            value, origin, row=None, field=declaration.as_of, about=_about(declaration, "as_of")
        )
    else:
        as_of = fetched_at.astimezone(UTC)
    paths = [path.split(".") for _, path in declaration.fields]
    extra = []
    for row in rows:
        left = _unmapped(row, paths)
        # ensure_ascii (the default) escapes any lone surrogate, so the JSON text is always storable
        extra.append(None if left is _MISSING or left in ({}, []) else json.dumps(left, sort_keys=True))
    return pl.DataFrame(
        {**columns, "extra": extra}, schema={**dict.fromkeys(columns, pl.Utf8), "extra": pl.Utf8}
    ).with_columns(as_of=pl.lit(as_of, pl.Datetime("us", "UTC")))


def _csv_text(declaration: Declaration, body: bytes, origin: str, fetched_at: datetime) -> pl.DataFrame:
    """A CSV payload as one text column per mapped field, plus ``as_of`` and ``extra``."""
    table = af.read_csv_text(body, origin)
    if table.is_empty():
        raise ParseError(origin, f"the file has a header and no rows; {_about(declaration, 'format')}")
    header = ", ".join(table.columns)
    mapped = [*declaration.fields, *([("as_of", declaration.as_of)] if declaration.as_of else [])]
    for name, column in mapped:
        if column not in table.columns:
            key = "as_of" if name == "as_of" else f"fields.{name}"
            raise ParseError(
                origin,
                f"column {column!r} is not in the file (its columns: {header}); {_about(declaration, key)}",
                field=key,
            )
    used = {column for _, column in mapped}
    frame = table.select(
        *(pl.col(column).alias(name) for name, column in declaration.fields),
        af.extra_json([c for c in table.columns if c not in used]),
    )
    if declaration.as_of is None:
        return frame.with_columns(as_of=pl.lit(fetched_at.astimezone(UTC), pl.Datetime("us", "UTC")))
    about = _about(declaration, "as_of")
    dates = table[declaration.as_of].to_list()
    as_of = [
        _timestamp(value, origin, row=index, field=declaration.as_of, about=about)
        for index, value in enumerate(dates, start=1)
    ]
    return frame.with_columns(as_of=pl.Series(as_of, dtype=pl.Datetime("us", "UTC")))


def _read_numbers(frame: pl.DataFrame, declaration: Declaration, origin: str) -> pl.DataFrame:
    """Each mapped number, CI and count read from its text; the first that cannot be read is refused naming
    its row and the path it came from."""

    def checked(check, name: str, *args, **kwargs):
        try:
            return check(frame, origin, name, *args, row_offset=1, **kwargs)
        except ParseError as exc:
            raise ParseError(
                origin,
                f"{exc.detail}; {_about(declaration, f'fields.{name}')}",
                row=exc.row,
                field=declaration.field(name),
            ) from None

    numbers = [name for name in _NUMBERS if declaration.field(name)]
    frame = frame.with_columns(af.number(name).alias(f"_{name}") for name in numbers)
    for name in numbers:
        checked(af.check_numbers, name, f"_{name}")
    for name, limit in (("votes", 2**63), ("rank", 2**31)):
        if declaration.field(name):
            frame = checked(af.whole_column, name, f"_{name}", limit=limit)
    frame = frame.drop(numbers).rename({f"_{name}": name for name in numbers})
    if declaration.field("ci"):
        frame = frame.with_columns(af.ci_bounds("ci"))
        checked(af.check_ci, "ci")
    return frame


def _require(frame: pl.DataFrame, declaration: Declaration, origin: str) -> None:
    """Every row has a rating and a model key (from model, else display_name)."""
    keyed = pl.coalesce(
        *(af.text(name) for name in ("model", "display_name") if declaration.field(name))
    ).is_null()
    for name, missing in (("model", keyed), ("rating", pl.col("rating").is_null())):
        bad = frame.with_row_index("_row").filter(missing)
        if bad.height:
            field = declaration.field(name) or declaration.field("display_name")
            what = "model (neither model nor display_name has a value)" if name == "model" else "rating"
            raise ParseError(
                origin,
                f"the row has no {what}; {_about(declaration, f'fields.{name}')}",
                row=int(bad["_row"][0]) + 1,
                field=field,
            )


def parse(
    declaration: Declaration, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
) -> pl.DataFrame:
    read = _json_text if declaration.format == "json" else _csv_text
    frame = _read_numbers(read(declaration, body, origin, fetched_at), declaration, origin)
    _require(frame, declaration, origin)
    keys = [af.text(name) for name in ("model", "display_name") if declaration.field(name)]
    texts = [af.text(name).alias(name) for name in _TEXTS[1:] if declaration.field(name)]
    frame = frame.with_columns(pl.coalesce(*keys).alias("model_key"), *texts)
    if declaration.field("rank"):
        frame = frame.rename({"rank": "rank_published"})
    kind = "capture_time" if declaration.as_of is None else declaration.as_of_kind
    frame = frame.drop("model", "ci", strict=False).with_columns(
        normalise_key(),
        leaderboard=pl.lit(declaration.leaderboard),
        arena=pl.lit(declaration.arena),
        category=pl.lit(declaration.category),
        style_control=pl.lit(declaration.style_control),
        as_of_kind=pl.lit(kind),
        rank_meaning=pl.lit(declaration.rank_meaning, pl.Utf8),
    )
    return conform(frame)


def format_for(declaration: Declaration) -> SourceFormat:
    """The ``Format`` of one declared source: its name, and the sniff and parser bound to its declaration."""
    return SourceFormat(
        source=declaration.name, sniff=partial(sniff, declaration), parse=partial(parse, declaration)
    )
