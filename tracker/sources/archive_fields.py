"""Field readers shared by the legacy and community archive formats (CSV and JSON snapshots).

Archives print the same facts in several text forms: a CI as "+6/-8", "+14 / -15" or "±4"; votes as
"4,539"; a missing value as "-" or ""; the publish date only in the file name
(``leaderboard_table_20230619.csv``, ``lmsys_2024-06-19.csv``). These helpers turn them into the
canonical types with polars expressions (whole columns at once), and say what failed when a value
cannot be read. Not a format: the registry never lists this module.
"""

from __future__ import annotations

import csv
import io
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
    try:
        return pl.read_csv(io.StringIO(text), infer_schema_length=0, truncate_ragged_lines=False)
    except pl.exceptions.PolarsError as exc:
        raise ParseError(origin, f"not a readable CSV table: {str(exc).splitlines()[0]}") from None


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


def ci_bounds(column: str, rating: str = "rating") -> tuple[pl.Expr, pl.Expr]:
    """(lower, upper) absolute bounds from CI text: "+a/-b" (upper +a, lower -b), "+a / -b" or "±n"."""
    ci = text(column).str.replace_all(r"\s", "")
    plus = ci.str.extract(r"^\+?([0-9.]+)/-", 1).cast(pl.Float64, strict=False)
    minus = ci.str.extract(r"/-([0-9.]+)$", 1).cast(pl.Float64, strict=False)
    both = ci.str.extract(r"^(?:±|\+/-|\+-)([0-9.]+)$", 1).cast(pl.Float64, strict=False)
    up = pl.coalesce(plus, both)
    down = pl.coalesce(minus, both)
    return (pl.col(rating) - down).alias("rating_lower"), (pl.col(rating) + up).alias("rating_upper")


def check_ci(frame: pl.DataFrame, origin: str, column: str, *, row_offset: int = 2) -> None:
    """Fail on CI text that is present but in neither known form."""
    bad = frame.with_row_index("_row").filter(
        text(column).is_not_null() & (pl.col("rating_lower").is_null() | pl.col("rating_upper").is_null())
    )
    if bad.height:
        raise ParseError(
            origin,
            f"CI {bad[column][0]!r} is neither '+a/-b' nor '±n'",
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
