"""Command-line options shared by every ``tracker`` command module (ingest, poll, read, alias, alerts), the
settings they make, the progress bar of long work and the line that names each step after it (``writing``)."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.consoles import err
from tracker.config import Settings, load_settings

if TYPE_CHECKING:
    from rich.live import Live
    from rich.progress import Progress
    from rich.spinner import Spinner

    from tracker.store import Writer

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


def reflow_help(app: typer.Typer) -> None:
    """Give every command of ``app`` (and of its sub-apps) its docstring with each paragraph on one line.
    Typer's rich help keeps a docstring's line breaks after the first paragraph, so a paragraph wrapped at
    the source's 110 columns broke mid-sentence in an 80-column terminal; on one line, rich wraps it to fit."""
    for info in app.registered_commands:
        if info.help is None and info.callback is not None and info.callback.__doc__:
            paragraphs = inspect.getdoc(info.callback).split("\n\n")
            info.help = "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="tracker.toml with settings and poll jobs (default: $TRACKER_CONFIG or tracker.toml in the home).",
        show_default=False,
    ),
]
LogJsonOption = Annotated[
    bool, typer.Option("--log-json", help="Log one JSON object per line instead of readable text.")
]


LakeOption = Annotated[
    Path | None,
    typer.Option(
        "--lake",
        help="Read this Parquet lake (from `tracker export`) instead of the database (default: $TRACKER_LAKE).",
        show_default=False,
    ),
]


def settings_for(home: Path | None, config: Path | None = None) -> Settings:
    return load_settings(home=home, config=config)


def progress_bar() -> Progress:
    """A progress bar on standard error, shown only in a terminal and gone when the work ends."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


class Steps:
    """One line on standard error naming the step a command is in after its own work (checking the alert
    watches, publishing the read copy: seconds, a minute on a large history), with a spinner; shown only in a
    terminal and gone when the command ends. Each step is drawn as it starts, however short. The line starts
    with the first step, so a command's progress bar must have ended by then (rich draws one live display
    at a time)."""

    def __init__(self) -> None:
        self._live: Live | None = None
        self._spinner: Spinner | None = None

    def show(self, step: str) -> None:
        if not err.is_terminal:
            return
        from rich.live import Live
        from rich.spinner import Spinner

        if self._live is None:
            self._spinner = Spinner("dots", text=step)
            # standard output stays the command's own: not drawn through this line's console (standard error)
            self._live = Live(
                self._spinner, console=err, transient=True, refresh_per_second=12.5, redirect_stdout=False
            )
            self._live.start(refresh=True)
        else:
            self._spinner.update(text=step)
            self._live.refresh()

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


@contextlib.contextmanager
def writing(settings: Settings, purpose: str) -> Iterator[tuple[Writer, Steps]]:
    """``store.writer`` for a command, with its ``Steps``: the publish of the read copy as the writer closes
    is named there as it starts, and the command names its own steps (``steps.show``)."""
    from tracker import store

    steps = Steps()
    try:
        with store.writer(settings, purpose) as w:
            w.on_publish = lambda: steps.show("publishing the read copy")
            yield w, steps
    finally:
        steps.close()
