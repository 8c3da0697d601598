"""Command-line options shared by every ``tracker`` sub-app (main CLI, alerts, identity)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.errors import TrackerError

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home", help="Data folder (default: $TRACKER_HOME or ./tracker-data).", show_default=False
    ),
]

MaxRowsOption = Annotated[
    int,
    typer.Option(
        "--max-rows",
        help="Table format: show at most this many rows, the first and last halves (0: every row). "
        "CSV and JSON always carry every row.",
    ),
]


def checked_max_rows(value: int) -> int:
    """``--max-rows`` as given, refused when negative (typer's own bound check ends in a traceback)."""
    if value < 0:
        raise TrackerError(f"--max-rows must be 0 (every row) or more, not {value}")
    return value
