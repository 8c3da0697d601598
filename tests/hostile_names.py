"""Names from a hostile upstream that a spreadsheet would run as formulas, a home that holds them, and the
check every CSV written for people must pass (no cell starting a formula unless it is a number)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from tests import seeded_boards as sb
from tracker import store
from tracker.config import Settings, load_settings
from tracker.parsed import conform
from tracker.read import cells

HOSTILE = {
    "display_name": '=HYPERLINK("http://attacker.example/","open me")',
    "organization": "@SUM(1+1)*cmd|' /C calc'!A0",
    "license": "+cmd|' /C calc'!A0",
}
HOSTILE_KEY = "-2+3+cmd"
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(cells.PLAIN_NUMBER)
ROWS = 31  # rank_history rows of the home: the seeded history's 29 and the hostile board's 2


def hostile_board() -> pl.DataFrame:
    """One snapshot of the text/hostile board, whose model key, name, organisation and license start formulas."""
    return conform(
        pl.DataFrame(
            [
                {
                    "arena": "text",
                    "category": "hostile",
                    "style_control": False,
                    "as_of": datetime(2025, 1, 29, 12, tzinfo=UTC),
                    "as_of_kind": "publish_date",
                    "rank_meaning": None,
                    "model_key": key,
                    "display_name": HOSTILE["display_name"] if key == HOSTILE_KEY else key.title(),
                    "organization": HOSTILE["organization"],
                    "license": HOSTILE["license"],
                    "rating": rating,
                    "rating_lower": rating - 5,
                    "rating_upper": rating + 5,
                    "votes": 1000,
                    "rank_published": None,
                    "extra": None,
                }
                for key, rating in ((HOSTILE_KEY, 1300.0), ("plain", 1290.0))
            ]
        )
    )


def build_home(home: Path) -> Settings:
    """The seeded history (tests/seeded_boards.py) and the hostile board, published."""
    settings = load_settings(environ={}, home=home)
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
        w.con.execute("BEGIN TRANSACTION")
        store.load_frame(
            w.con, hostile_board(), source="arena-dataset", payload_hash="hostile",
            fetched_at=datetime(2025, 2, 6, tzinfo=UTC),
        )  # fmt: skip
        w.con.execute("COMMIT")
        store.publish(w)
    return settings


def formula_cells(text: str) -> list[str]:
    """The cells of a CSV text that a spreadsheet would run as a formula."""
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if FORMULA.match(cell) and not NUMBER.fullmatch(cell)
    ]
