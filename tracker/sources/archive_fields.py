"""Field readers shared by the legacy and community archive formats (CSV and JSON snapshots).

Archives print the same facts in several text forms: a CI as "+6/-8", "+14 / -15" or "±4"; votes as
"4,539"; a missing value as "-" or ""; the publish date only in the file name
(``leaderboard_table_20230619.csv``, ``lmsys_2024-06-19.csv``). These helpers turn them into the
canonical types with polars expressions (whole columns at once), and say what failed when a value
cannot be read. The JSON archives are read entry by entry: ``load_json`` and the ``*_value`` readers
check one upstream value before it goes into a frame, so a hostile file (nested thousands deep, a list
where a name belongs, a lone surrogate escape) fails as a ParseError naming the row and field, never as
a Python or polars error. Not a format: the registry never lists this module.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import UTC, date, datetime
from pathlib import PurePath

import polars as pl

from tracker.errors import ParseError

MISSING = ("", "-", "—", "N/A", "n/a", "nan", "NaN", "None", "null")

# a date in a file name: 20230619, 2024-06-19 or 2024_06_19, not inside a longer digit run
_NAME_DATE = re.compile(r"(?<!\d)(20\d\d)[-_]?([01]\d)[-_]?([0-3]\d)(?!\d)")


def read_csv_text(body: bytes, origin: str) -> pl.DataFrame:
    """All columns as text (explicit casts come later); a BOM and CRLF/LF mixes are tolerated."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(origin, f"the file is not valid UTF-8 (byte {exc.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_cut_off(text, origin)
    try:
        return pl.read_csv(io.StringIO(text), infer_schema_length=0, truncate_ragged_lines=False)
    except pl.exceptions.PolarsError as exc:
        raise ParseError(origin, f"not a readable CSV table: {str(exc).splitlines()[0]}") from None


def _refuse_cut_off(text: str, origin: str) -> None:
    # polars pads a short row with nulls, so a copy cut off mid-row (a broken download, `head -c`) would
    # store its last model with the missing fields null; such a copy also ends without a line break
    if text.endswith("\n") or "\n" not in text:
        return
    header, last = text.split("\n", 1)[0], text.rsplit("\n", 1)[1]
    want, got = len(next(csv.reader([header]))), len(next(csv.reader([last])))
    if got < want:
        line = text.count("\n") + 1
        raise ParseError(
            origin, f"the file looks cut off: its last line ({line}) has {got} of the header's {want} fields"
        )


def load_json(body: bytes, origin: str) -> object:
    """The JSON document of a payload; undecodable, malformed or absurdly nested bytes are a ParseError."""
    try:
        return json.loads(body)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, an integer of over 4,300 digits
        raise ParseError(origin, f"not valid JSON: {str(exc)[:200]}") from None
    except RecursionError:
        # the decoder recurses once per level: thousands of nested brackets exhaust Python's stack
        raise ParseError(
            origin, "not valid JSON for the tracker: nested deeper than Python's JSON reader allows"
        ) from None


def _shown(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(value)[:60]


def text_value(
    value: object, origin: str, *, row: int | None, field: str, numbers: bool = False
) -> str | None:
    """One JSON value where the file has text (None stays None); ``numbers``: a number reads as its text.

    Anything else (a list, an object, a boolean, a number where a name belongs) is a ParseError, and so is
    a string polars cannot store (a lone UTF-16 surrogate, which a ``"\\ud800"`` escape decodes to); both
    name the row and field.
    """
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ParseError(
                origin,
                f"the text holds a lone surrogate (\\u{ord(value[exc.start]):04x} at character {exc.start}), "
                "which is not valid Unicode: the file is corrupt, fetch or export it again",
                row=row,
                field=field,
            ) from None
        return value
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ParseError(origin, f"{_shown(value)} where text is expected", row=row, field=field)


def number_value(value: object, origin: str, *, row: int | None, field: str) -> float | None:
    """One JSON number as a float (None stays None); anything else, or an integer too large, is a ParseError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError(origin, f"{_shown(value)} is not a number", row=row, field=field)
    try:
        return float(value)
    except OverflowError:
        raise ParseError(origin, f"{_shown(value)} is too large for a number", row=row, field=field) from None


def whole_value(
    value: float | None, origin: str, *, row: int | None, field: str, limit: int = 2**63
) -> int | None:
    """A count or rank read as a number: finite, whole and below ``limit`` in size, else a ParseError."""
    if value is None:
        return None
    if not math.isfinite(value) or not float(value).is_integer() or abs(value) >= limit:
        raise ParseError(
            origin, f"{_shown(value)} is not a whole number the column can hold", row=row, field=field
        )
    return int(value)


def capture_time(meta: dict, fetched_at: datetime, origin: str) -> datetime:
    """A scraper's ``meta.fetched_at`` (ISO text) as a UTC time; without one, ``fetched_at`` (the fetch's own)."""
    value = text_value(meta.get("fetched_at"), origin, row=None, field="meta.fetched_at")
    if not value:
        return fetched_at.astimezone(UTC)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ParseError(
            origin, f"meta.fetched_at {value!r} is not an ISO time", field="meta.fetched_at"
        ) from None


def header(body: bytes, limit: int = 4096) -> list[str]:
    """The first CSV line's cells, stripped (for sniffing; never raises)."""
    head = body[:limit].decode("utf-8-sig", errors="replace")
    first = head.replace("\r\n", "\n").split("\n", 1)[0]
    try:
        return [cell.strip() for cell in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return []


def text(column: str) -> pl.Expr:
    """A text cell, with the archives' missing markers as null."""
    value = pl.col(column).str.strip_chars()
    return pl.when(value.is_in(MISSING) | value.is_null()).then(None).otherwise(value)


def number(column: str) -> pl.Expr:
    """A number that may carry thousands separators or a percent sign; missing markers become null."""
    cleaned = text(column).str.replace_all(r"[,\s%]", "")
    return cleaned.cast(pl.Float64, strict=False)


def check_numbers(frame: pl.DataFrame, origin: str, column: str, parsed: str, *, row_offset: int = 2) -> None:
    """Fail on the first cell that had text but did not read as a number (names row and field)."""
    bad = frame.with_row_index("_row").filter(pl.col(parsed).is_null() & text(column).is_not_null())
    if bad.height:
        raise ParseError(
            origin,
            f"{bad[column][0]!r} is not a number",
            row=int(bad["_row"][0]) + row_offset,
            field=column,
        )


def whole_column(
    frame: pl.DataFrame, origin: str, column: str, parsed: str, *, limit: int = 2**63, row_offset: int = 2
) -> pl.DataFrame:
    """Cast a count or rank read as a float to Int64, failing on the first that is not whole or too large."""
    value = pl.col(parsed)
    bad = frame.with_row_index("_row").filter(
        value.is_not_null() & (~value.is_finite() | (value.abs() >= float(limit)) | (value != value.floor()))
    )
    if bad.height:
        raise ParseError(
            origin,
            f"{bad[column][0]!r} is not a whole number the column can hold",
            row=int(bad["_row"][0]) + row_offset,
            field=column,
        )
    return frame.with_columns(value.cast(pl.Int64))


def ci_bounds(column: str, rating: str = "rating") -> tuple[pl.Expr, pl.Expr]:
    """(lower, upper) absolute bounds from CI text: "+a/-b" (upper +a, lower -b), "+a / -b", "-b/+a" or "±n"."""
    ci = text(column).str.replace_all(r"\s", "")
    plus = ci.str.extract(r"^\+?([0-9.]+)/-", 1).cast(pl.Float64, strict=False)
    minus = ci.str.extract(r"/-([0-9.]+)$", 1).cast(pl.Float64, strict=False)
    minus_first = ci.str.extract(r"^-([0-9.]+)/\+[0-9.]+$", 1).cast(pl.Float64, strict=False)
    plus_last = ci.str.extract(r"^-[0-9.]+/\+([0-9.]+)$", 1).cast(pl.Float64, strict=False)
    both = ci.str.extract(r"^(?:±|\+/-|\+-)([0-9.]+)$", 1).cast(pl.Float64, strict=False)
    up = pl.coalesce(plus, plus_last, both)
    down = pl.coalesce(minus, minus_first, both)
    return (pl.col(rating) - down).alias("rating_lower"), (pl.col(rating) + up).alias("rating_upper")


def check_ci(frame: pl.DataFrame, origin: str, column: str, *, row_offset: int = 2) -> None:
    """Fail on CI text that is present but in neither known form."""
    bad = frame.with_row_index("_row").filter(
        text(column).is_not_null() & (pl.col("rating_lower").is_null() | pl.col("rating_upper").is_null())
    )
    if bad.height:
        raise ParseError(
            origin,
            f"CI {bad[column][0]!r} is neither '+a/-b', '-b/+a' nor '±n'",
            row=int(bad["_row"][0]) + row_offset,
            field=column,
        )


def file_name(origin: str) -> str:
    """The file name of a path or URL, without a query or a ``#hints`` fragment."""
    return PurePath(origin.split("#", 1)[0].split("?", 1)[0]).name


def date_in_name(origin: str) -> date | None:
    """The publish date a file name carries (last match in the name), or None."""
    found = _NAME_DATE.findall(file_name(origin))
    if not found:
        return None
    year, month, day = found[-1]
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def hinted_date(origin: str, hints: dict | None) -> date | None:
    """``hints["as_of"]`` (a date or ISO text) when given, else the date in the file name."""
    value = (hints or {}).get("as_of")
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return date_in_name(origin)


def midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def yyyymmdd(column: str) -> pl.Expr:
    """A date column written 20230508 or 2023-05-08 -> UTC midnight timestamp."""
    return (
        pl.col(column)
        .str.strip_chars()
        .str.replace_all("-", "")
        .str.strptime(pl.Date, "%Y%m%d", strict=False)
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone("UTC")
    )


def extra_json(columns: list[str], alias: str = "extra") -> pl.Expr:
    """Upstream columns without a canonical home, as one JSON object per row (null when all are null)."""
    if not columns:
        return pl.lit(None, dtype=pl.Utf8).alias(alias)
    return pl.struct([pl.col(c) for c in columns]).struct.json_encode().alias(alias)


def deduplicate(frame: pl.DataFrame, by: tuple[str, ...] = ("as_of", "model_key")) -> pl.DataFrame:
    """One row per model per snapshot, without inventing or losing measurements.

    Rows that repeat a model's measurement (same rating, CI and votes; only the position may differ, as
    when a metadata join listed ``yi-34b-chat`` twice) are kept once. Rows that share a name but measure
    differently are different models the source printed under one display name (two Imagen 4.0 Ultra
    entries in fboulnois' image CSVs): the second and later keep the display name and get ``#2``, ``#3``
    appended to the key, so neither is dropped and neither is merged into the other.
    """
    keys = [c for c in by if c in frame.columns]
    measured = [c for c in ("rating", "rating_lower", "rating_upper", "votes") if c in frame.columns]
    frame = frame.unique([*keys, *measured], keep="first", maintain_order=True)
    occurrence = pl.int_range(pl.len()).over(keys)
    return frame.with_columns(
        pl.when(occurrence > 0)
        .then(pl.col("model_key") + " #" + (occurrence + 1).cast(pl.Utf8))
        .otherwise(pl.col("model_key"))
        .alias("model_key")
    )
