"""Command-line options shared by every ``tracker`` sub-app (main CLI, alerts, identity)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
        min=0,
        help="Table format: show at most this many rows, the first and last halves (0: every row). "
        "CSV and JSON always carry every row.",
    ),
]
