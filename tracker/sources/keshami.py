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
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import polars as pl

from tracker.boards import canonical_arena
from tracker.errors import ParseError
from tracker.schema import conform, normalise_key
from tracker.sources import archive_fields as af

SOURCE = "keshami"

_BOARD = ["Rank* (UB)", "Model", "Arena Score", "95% CI", "Votes", "Organization", "License"]
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


def _dates(meta: dict) -> dict[str, datetime]:
    """Arena -> "Last updated" date, from lines like 'Last updated: 2025-03-25 (text/vision)'."""
    found: dict[str, datetime] = {}
    for line in meta.get("last_updated_markdown") or []:
        for day, scope in _UPDATED.findall(str(line)):
            when = datetime.fromisoformat(day).replace(tzinfo=UTC)
            for part in re.split(r"[/,]", scope):
                if part.strip():
                    found[canonical_arena(part.strip())] = when
    return found


def _name(cell) -> tuple[str | None, str | None]:
    if isinstance(cell, dict):
        return cell.get("name"), cell.get("url")
    if isinstance(cell, str) and (match := _LINK.match(cell.strip())):
        return match["name"], match["url"]
    return (cell if isinstance(cell, str) else None), None


def _keys_by_row(tables: list[dict], board: dict) -> list[str] | None:
    """Keys from the overview table when it matches ``board`` row for row on both shared ranks."""
    if "Rank (StyleCtrl)" not in board["headers"]:
        return None
    for table in tables:
        headers = table.get("headers") or []
        if tuple(headers[:3]) != _OVERVIEW or len(table.get("rows") or []) != len(board["rows"]):
            continue
        ub, sc = board["headers"].index("Rank* (UB)"), board["headers"].index("Rank (StyleCtrl)")
        pairs = zip(board["rows"], table["rows"], strict=True)
        if all(b[ub] == o[1] and b[sc] == o[2] for b, o in pairs):
            return [str(o[0]) for o in table["rows"]]
    return None


def parse(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> pl.DataFrame:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(origin, f"not valid JSON: {exc}") from None
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, list):
        raise ParseError(origin, "no 'tables' list at the top level", field="tables")
    meta = data.get("meta") or {}
    dates = _dates(meta)
    captured = af.date_in_name(str(meta.get("captured") or "")) or af.hinted_date(origin, hints)
    frames = []
    for number, table in enumerate(tables, start=1):
        headers = table.get("headers") or []
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
        keys = _keys_by_row(tables, table) if arena == "text" else None
        records = []
        for index, row in enumerate(table.get("rows") or [], start=1):
            if len(row) != len(headers):
                raise ParseError(
                    origin, f"table {number} row has {len(row)} cells for {len(headers)} headers", row=index
                )
            cells = dict(zip(headers, row, strict=True))
            name, url = _name(cells["Model"])
            if not name:
                raise ParseError(
                    origin, f"table {number}: the model name is missing", row=index, field="Model"
                )
            records.append(
                {
                    "model_key": keys[index - 1] if keys else name,
                    "display_name": name,
                    "organization": cells["Organization"],
                    "license": cells["License"],
                    "score": str(cells["Arena Score"]),
                    "ci": str(cells["95% CI"]),
                    "votes_text": str(cells["Votes"]),
                    "rank_text": str(cells["Rank* (UB)"]),
                    "extra": json.dumps(
                        {"url": url, "rank_style_control_ub": cells.get("Rank (StyleCtrl)")}, sort_keys=True
                    ),
                }
            )
        if not records:
            continue
        frame = pl.from_dicts(records, infer_schema_length=None).with_columns(
            af.number("score").alias("rating"),
            af.number("votes_text").cast(pl.Int64).alias("votes"),
            af.number("rank_text").cast(pl.Int64).alias("rank_published"),
        )
        for column, parsed in (("score", "rating"), ("votes_text", "votes"), ("rank_text", "rank_published")):
            af.check_numbers(frame, f"{origin} (table {number})", column, parsed, row_offset=1)
        frame = frame.with_columns(*af.ci_bounds("ci"))
        af.check_ci(frame, f"{origin} (table {number})", "ci", row_offset=1)
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
