"""Source ``keshami``: Gradio-era lmarena.ai tables, as extracted from KeSHaMI/lmarena-monitor's page copy.

Upstream: ``https://raw.githubusercontent.com/KeSHaMI/lmarena-monitor/main/data/page_source.html`` (the
Gradio app lmarena.ai served until spring 2025); the offline copy ``gradio_tables_YYYY-MM-DD.json`` holds
the page's dataframe values: ``{meta: {captured, last_updated_markdown: ["Last updated: 2025-03-25
(text/vision)", ...]}, tables: [{component_id, headers, rows, arena_guess}]}``.

Boards: a table whose headers are ``Rank* (UB), [Rank (StyleCtrl),] Model, Arena Score, 95% CI, Votes,
Organization, License`` is one raw overall board (the score is raw; style control was only a rank
column then); ``arena_guess`` names its arena (text, vision, text-to-image, copilot). The arena-hard
table (an LLM-judge benchmark, not votes) is skipped. Rank meaning: Rank (UB).

Identity: the text overview table lists the model keys in the same order as the overall board; when
both tables agree row by row on the two ranks they share, the board rows get the keys (the shown names
stay as display names, so they become learned aliases). Otherwise the shown name is the key.
As-of: the page's "Last updated" date for the board's arena, else the capture (commit) date.

Checks: every cell is type-checked before it goes into a frame (a list where a name belongs, a lone
surrogate, a vote count too large for a column: a ParseError naming table, row and header). A table that
is not an object with a header list cannot be a board and is skipped like the benchmark table; an
overview whose rows are not all lists lines up with nothing.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import polars as pl

from tracker.boards import canonical_arena
from tracker.errors import ParseError
from tracker.parsed import conform, normalise_key
from tracker.sources import archive_fields as af
from tracker.sources.format import SourceFormat

SOURCE = "keshami"

_BOARD = ["Rank* (UB)", "Model", "Arena Score", "95% CI", "Votes", "Organization", "License"]
# the board's cells read as text, under their upstream headers (so a bad cell's error names the header)
_TEXT = ("Organization", "License", "Arena Score", "95% CI", "Votes", "Rank* (UB)")
_NUMBERS = ("Arena Score", "95% CI", "Votes", "Rank* (UB)")  # cells the page gives as numbers or text
_RECORD = {name: pl.Utf8 for name in ("model_key", "display_name", *_TEXT, "extra")}
_OVERVIEW = ("Model", "Overall", "Overall w/ Style Control")
_UPDATED = re.compile(r"(\d{4}-\d\d-\d\d)\s*\(([^)]*)\)")
_LINK = re.compile(r"^\[(?P<name>[^\]]+)\]\((?P<url>[^)]*)\)$")


def sniff(body: bytes, origin: str) -> bool:
    head = body[:4096]
    return head.lstrip().startswith(b"{") and b'"last_updated_markdown"' in head and b'"tables"' in body


def _arena(guess: str) -> str | None:
    guess = guess.lower()
    if "arena-hard" in guess or "arena hard" in guess:
        return None
    for prefix, arena in (("text-to-image", "text_to_image"), ("vision", "vision"), ("copilot", "copilot")):
        if guess.startswith(prefix):
            return arena
    return "text" if guess.startswith("text") else None


def _dates(meta: dict, origin: str) -> dict[str, datetime]:
    """Arena -> "Last updated" date, from lines like 'Last updated: 2025-03-25 (text/vision)'."""
    lines = meta.get("last_updated_markdown") or []
    if isinstance(lines, str):
        lines = [lines]
    if not isinstance(lines, list):
        raise ParseError(
            origin, "'meta.last_updated_markdown' is not a list of lines", field="meta.last_updated_markdown"
        )
    found: dict[str, datetime] = {}
    for number, line in enumerate(lines, start=1):
        for day, scope in _UPDATED.findall(str(line)):
            try:
                when = datetime.fromisoformat(day).replace(tzinfo=UTC)
            except ValueError:
                raise ParseError(
                    origin, f"{day!r} is not a date", row=number, field="meta.last_updated_markdown"
                ) from None
            for part in re.split(r"[/,]", scope):
                if part.strip():
                    found[canonical_arena(part.strip(), origin=origin)] = when
    return found


def _board_rows(table: dict, number: int, origin: str) -> list[list]:
    """A board table's rows, each a list of one cell per header (else a ParseError naming the row)."""
    rows, width = table.get("rows") or [], len(table["headers"])
    if not isinstance(rows, list):
        raise ParseError(origin, f"table {number}: 'rows' is not a list", field="rows")
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, list):
            raise ParseError(
                origin, f"table {number}: the row is {type(row).__name__}, not a list of cells", row=index
            )
        if len(row) != width:
            raise ParseError(
                origin, f"table {number} row has {len(row)} cells for {width} headers", row=index
            )
    return rows


def _headers(table: object) -> list:
    """A table's headers; a table that is not an object with a header list is no board (skipped)."""
    headers = table.get("headers") if isinstance(table, dict) else None
    return headers if isinstance(headers, list) else []


def _name(cell) -> tuple[object, object]:
    if isinstance(cell, dict):
        return cell.get("name"), cell.get("url")
    if isinstance(cell, str) and (match := _LINK.match(cell.strip())):
        return match["name"], match["url"]
    return cell, None


def _keys_by_row(tables: list, board: dict, board_rows: list[list], origin: str) -> list[str] | None:
    """Keys from the overview table when it matches ``board`` row for row on both shared ranks."""
    if "Rank (StyleCtrl)" not in board["headers"]:
        return None
    ub, sc = board["headers"].index("Rank* (UB)"), board["headers"].index("Rank (StyleCtrl)")
    for number, table in enumerate(tables, start=1):
        rows = table.get("rows") if isinstance(table, dict) else None
        if (
            tuple(_headers(table)[:3]) != _OVERVIEW
            or not isinstance(rows, list)
            or len(rows) != len(board_rows)
        ):
            continue
        if not all(isinstance(o, list) and len(o) >= len(_OVERVIEW) for o in rows):
            continue  # a broken overview lines up with nothing: the shown names stay the keys
        if all(b[ub] == o[1] and b[sc] == o[2] for b, o in zip(board_rows, rows, strict=True)):
            return [_key(o[0], f"{origin} (table {number})", index) for index, o in enumerate(rows, start=1)]
    return None


def _key(cell: object, where: str, index: int) -> str:
    key = af.text_value(cell, where, row=index, field="Model")
    if not key:
        raise ParseError(where, "the model key is missing", row=index, field="Model")
    return key


def _record(cells: dict, key: str | None, where: str, index: int) -> dict:
    """One board row's values as text (numbers read later, whole columns at once)."""
    shown, url = _name(cells["Model"])
    name = af.text_value(shown, where, row=index, field="Model")
    if not name:
        raise ParseError(where, "the model name is missing", row=index, field="Model")
    text = {
        header: af.text_value(cells[header], where, row=index, field=header, numbers=header in _NUMBERS)
        for header in _TEXT
    }
    # ensure_ascii (the default) escapes any lone surrogate, so the JSON text is always storable
    extra = json.dumps({"url": url, "rank_style_control_ub": cells.get("Rank (StyleCtrl)")}, sort_keys=True)
    return {"model_key": key or name, "display_name": name, **text, "extra": extra}


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    data = af.load_json(body, origin)
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, list):
        raise ParseError(origin, "no 'tables' list at the top level", field="tables")
    meta = data.get("meta") or {}
    if not isinstance(meta, dict):
        raise ParseError(origin, f"'meta' is {type(meta).__name__}, not an object", field="meta")
    dates = _dates(meta, origin)
    captured = af.date_in_name(str(meta.get("captured") or "")) or af.hinted_date(origin, hints)
    frames = []
    for number, table in enumerate(tables, start=1):
        headers = _headers(table)
        if [h for h in headers if h != "Rank (StyleCtrl)"] != _BOARD:
            continue
        arena = _arena(str(table.get("arena_guess") or ""))
        if arena is None:
            continue
        if arena in dates:
            as_of, kind = dates[arena], "publish_date"
        elif captured:
            as_of, kind = af.midnight_utc(captured), "commit_date"
        else:
            as_of, kind = fetched_at.astimezone(UTC), "capture_time"
        rows = _board_rows(table, number, origin)
        keys = _keys_by_row(tables, table, rows, origin) if arena == "text" else None
        where = f"{origin} (table {number})"
        records = [
            _record(dict(zip(headers, row, strict=True)), keys[index - 1] if keys else None, where, index)
            for index, row in enumerate(rows, start=1)
        ]
        if not records:
            continue
        frame = pl.from_dicts(records, schema=_RECORD).with_columns(
            pl.col("Organization").alias("organization"),
            pl.col("License").alias("license"),
            af.number("Arena Score").alias("rating"),
            af.number("Votes").alias("votes"),
            af.number("Rank* (UB)").alias("rank_published"),
        )
        for column, parsed in (
            ("Arena Score", "rating"),
            ("Votes", "votes"),
            ("Rank* (UB)", "rank_published"),
        ):
            af.check_numbers(frame, where, column, parsed, row_offset=1)
        frame = af.whole_column(frame, where, "Votes", "votes", row_offset=1)
        frame = af.whole_column(frame, where, "Rank* (UB)", "rank_published", limit=2**31, row_offset=1)
        frame = frame.with_columns(*af.ci_bounds("95% CI"))
        af.check_ci(frame, where, "95% CI", row_offset=1)
        frames.append(
            frame.with_columns(
                normalise_key(),
                arena=pl.lit(arena),
                category=pl.lit("overall"),
                style_control=pl.lit(False),
                as_of=pl.lit(as_of),
                as_of_kind=pl.lit(kind),
                rank_meaning=pl.lit("ub"),
            )
        )
    if not frames:
        raise ParseError(
            origin, "no leaderboard table (Rank* (UB), Model, Arena Score, ...) found", field="tables"
        )
    return conform(
        af.deduplicate(pl.concat([conform(f) for f in frames]), by=("arena", "as_of", "model_key"))
    )


FORMAT = SourceFormat(source=SOURCE, sniff=sniff, parse=parse)
