"""Cells as people get them outside a table: CSV for spreadsheets, and the JSON text of a value.

``to_csv`` writes the CSV of ``tracker sql --format csv`` (and the other CLI commands' ``--format csv``) and
of the dashboard's downloads: a list or struct as its JSON text (``json_text``, as the JSON lines write it),
bytes as hex, timestamps in ISO 8601, NaN and infinities empty.

CSV is opened in spreadsheets, and a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
(the OWASP list) is a formula to Excel, LibreOffice and Google Sheets. Model and organisation names come from
upstream, so a name such as ``=HYPERLINK(...)`` would run when a user opens the file. So every text cell of
such a start gets a leading ``'``, which spreadsheets show as text (``neutralise``, set-based over the
frame's text columns); ``tracker export --format csv`` does the same in its COPY (``sql/export/csv_text.sql``).
A text that is a plain number (``-5``, ``+1.5e3``) stays as it is, and so does every cell of a numeric
column. JSON and Parquet keep every value as it is.
"""

from __future__ import annotations

import datetime
import decimal
import json
import math

import polars as pl

# what starts a formula, and a plain number (which may start with + or -, harmlessly);
# sql/export/csv_text.sql holds the same two patterns
FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_TEXT = (pl.String, pl.Categorical, pl.Enum)

# ISO 8601 as the JSON lines write a timestamp (datetime.isoformat): a zoned one with its offset as +00:00,
# a naive one (date_trunc, ts + interval) without one; chrono refuses an offset for a naive timestamp
_CSV_DATETIME = "%Y-%m-%dT%H:%M:%S%.f"
_CSV_DATETIME_ZONED = _CSV_DATETIME + "%:z"


def to_csv(frame: pl.DataFrame) -> str:
    """``frame`` as CSV with a header, for a spreadsheet: flat (``flat``), every text and nested column
    neutralised (``neutralise``)."""
    text = [name for name, dtype in frame.schema.items() if isinstance(dtype, _TEXT) or dtype.is_nested()]
    return neutralise(flat(frame), text).write_csv()


def neutralise(frame: pl.DataFrame, columns: list[str] | None = None) -> pl.DataFrame:
    """``frame`` with each text cell of ``columns`` (default: every text column) that a spreadsheet would
    run as a formula prefixed with ``'``."""
    if columns is None:
        columns = [name for name, dtype in frame.schema.items() if isinstance(dtype, _TEXT)]
    return frame.with_columns(
        pl.when(text.str.contains(FORMULA_START) & ~text.str.contains(PLAIN_NUMBER))
        .then(pl.lit("'") + text)
        .otherwise(text)
        .alias(name)
        for name in columns
        for text in [pl.col(name).cast(pl.String)]
    )


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """What CSV can hold, written as the JSON lines write it: a list or struct (crowns' co_holders) as its JSON
    text, bytes as hex, timestamps in ISO 8601, NaN and infinities empty (JSON's null)."""
    nested = {
        name: pl.Series(name, [json_text(v) for v in frame[name].to_list()], dtype=pl.Utf8)
        for name, dtype in frame.schema.items()
        if dtype.is_nested()
    }
    flattened = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.Binary:
            flattened.append(column.bin.encode("hex"))
        elif isinstance(dtype, pl.Datetime):
            flattened.append(column.dt.to_string(_CSV_DATETIME_ZONED if dtype.time_zone else _CSV_DATETIME))
        elif dtype.is_float():
            flattened.append(pl.when(column.is_finite()).then(column))
    return frame.with_columns(*nested.values(), *flattened)


def json_text(value: object) -> str | None:
    """``value`` as JSON text (None stays None)."""
    return None if value is None else json.dumps(_json_safe(value), default=_json_value, ensure_ascii=False)


def _json_safe(value: object) -> object:
    """NaN and infinities as null (JSON has neither), inside lists and objects too."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _json_value(value: object) -> object:
    """A value JSON has no type for: dates and times in ISO 8601, decimals as numbers, the rest as text."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):  # a whole one (HUGEINT, DECIMAL(p, 0)) stays an integer
        if not value.is_finite():
            return None
        return int(value) if value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)
