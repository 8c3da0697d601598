"""The ``tracker`` command: a thin layer over the library. Each command's docstring is its --help.

The commands live by stage: ``ingest`` (init, build-starter, import, backfill, reparse), ``poll`` (poll,
schedule, up, status), ``read`` (sql, model, export), ``alias`` (models, alias ...), ``alerts`` (alerts ...).
Expected failures (``TrackerError``) print one message and exit 1, and so does a disk that refuses a write
(full, read-only, no permission), however deep in DuckDB it showed; anything else keeps its traceback.

Declaring the app loads typer, rich and the command modules, which import the library modules each command
runs only when it runs: ``tracker --help`` loads neither DuckDB nor polars, and ``tracker sql`` no writer,
poller or HTTP client (tests/test_cli_imports.py checks both).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import typer
import typer.main
from typer.exceptions import TyperException

from tracker.cli import ingest, poll, read
from tracker.cli.alerts import app as alerts_app
from tracker.cli.alias import alias_app
from tracker.cli.alias import models as models_command
from tracker.cli.consoles import err
from tracker.cli.options import reflow_help
from tracker.errors import TrackerError

# An unexpected error prints Python's own traceback (typer's richer one is installed only by calling the app,
# which main does not: see _command)
app = typer.Typer(
    pretty_exceptions_enable=False,
    help="Track LMArena-style leaderboards over time: import, poll, query with SQL, chart.\n\n"
    "Example: [bold]tracker up[/bold] (seed the data folder, poll in the background, serve the dashboard), or "
    "[bold]tracker init[/bold] then [bold]tracker sql --list[/bold]. Every command has --help with an example.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _print_version(asked: bool) -> None:
    if asked:
        from tracker import __version__

        typer.echo(f"tracker {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool | None,
        typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = None,
) -> None:
    """Options of `tracker` itself; each command has its own."""


# in the order `tracker --help` lists them
app.command()(ingest.init)
app.command("build-starter")(ingest.build_starter)
app.command("import")(ingest.import_)
app.command()(poll.poll)
app.command()(poll.schedule)
app.command()(poll.up)
app.command("sql")(read.sql_)
app.command("model")(read.model_)
app.command("export")(read.export_)
app.command()(poll.status)
app.command("backfill")(ingest.backfill_)
app.command("reparse")(ingest.reparse_)
app.add_typer(alerts_app, name="alerts")
app.add_typer(alias_app, name="alias")
app.command("models")(models_command)
reflow_help(app)


@functools.cache
def _command():
    """The click command typer builds from ``app``, once per process: calling the app builds it again each
    time, from every command's signature and type hints (~30 ms of CPU), which a process running ``main``
    more than once (tests/cli.py runs the CLI in-process) paid on every run."""
    return typer.main.get_command(app)


def main() -> None:
    try:
        # standalone_mode=False makes click return the exit code of typer.Exit instead of raising it;
        # `python -m tracker` too says "tracker"
        code = _command()(standalone_mode=False, prog_name="tracker")
        sys.exit(code if isinstance(code, int) else 0)
    except TrackerError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except (FileExistsError, NotADirectoryError) as exc:  # a folder was asked for where a file stands
        err.print(
            f"error: {_not_a_folder(exc)} is a file, not a folder: pass a folder",
            markup=False,
            highlight=False,
        )
        sys.exit(1)
    except OSError as exc:  # the file system refused: permissions, a full disk, a missing mount
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"error: {where}{exc.strerror or exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except TyperException as exc:
        # usage errors (an unknown option, a value of the wrong type, a missing argument) arrive here in
        # non-standalone mode; typer raises its own bundled click's exceptions, not click's
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            err.print(f"error: {exc.format_message()}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # a full disk as DuckDB reports it (or as a cleanup after it did): one line
        failure = _disk_refused(exc)
        if failure is None:
            raise
        err.print(f"error: {failure}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)


def _disk_refused(exc: Exception) -> TrackerError | None:
    """The one-line error for ``exc`` when it is DuckDB's report of a disk refusing a write, else None. Only a
    command that loaded DuckDB can raise its errors (no DuckDB error is an OSError or a usage error, so
    this comes after those)."""
    duckdb = sys.modules.get("duckdb")
    if duckdb is None or not isinstance(exc, duckdb.Error):
        return None
    from tracker.store import write_failure

    return write_failure(exc)


def _not_a_folder(exc: OSError) -> str:
    """The first part of the path in ``exc`` that is a file (NotADirectoryError names the whole path)."""
    path = Path(exc.filename) if exc.filename else None
    if path is None:
        return "a path"
    for part in [*reversed(path.parents), path]:
        if part.exists() and not part.is_dir():
            return str(part)
    return str(path)
