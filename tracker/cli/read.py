"""Commands that read: ``sql``, ``model`` and ``export`` (the read copy, or a Parquet lake with --lake).

Each command imports the readers it runs when it runs: ``tracker --help`` loads none of them.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.consoles import console, err
from tracker.cli.options import HomeOption, LakeOption, MaxRowsOption, Steps, settings_for
from tracker.cli.render import FORMATS, MAX_ROWS, print_table, render, split
from tracker.config import Settings, load_reader_settings
from tracker.errors import TrackerError

# `tracker export --format`, as tracker.read.export.FORMATS names them (a test checks they agree)
EXPORT_FORMATS = ("parquet", "csv")


def _reader_settings(home: Path | None, lake_dir: Path | None) -> Settings:
    """The settings of a command that only reads: a broken tracker.toml is warned about on stderr, not fatal
    (``load_reader_settings``)."""
    settings, warning = load_reader_settings(home=home)
    if warning is not None:
        err.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    return settings.replace(lake=lake_dir) if lake_dir is not None else settings


def sql_(
    text: Annotated[
        str | None,
        typer.Argument(
            help="A read-only SQL query over the documented views, or a named query's name (see --list).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")
    ] = "table",
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as NAME=VALUE (repeatable).", show_default=False),
    ] = None,
    list_: Annotated[
        bool,
        typer.Option(
            "--list",
            help="List the named queries and their parameters; with a name, that query's parameters.",
        ),
    ] = False,
    max_rows: MaxRowsOption = MAX_ROWS,
    lake_dir: LakeOption = None,
    home: HomeOption = None,
) -> None:
    """Run read-only SQL, or a named query from sql/queries/, on the published read copy (no writes, no file
    or network access) or on a Parquet lake (--lake).

    Named queries take typed parameters: [bold]tracker sql --list[/bold] (and [bold]tracker sql --list model_history[/bold] for one query's, with what each means), then
    [bold]tracker sql model_history --param model=mai-1-preview[/bold]. Free SQL takes parameters as $name: [bold]tracker sql "select * from latest where model = $m" --param m=mai-1-preview[/bold].

    A table shows the first and last 20 rows of a longer result ([bold]--max-rows 0[/bold]: all) and, in a terminal, the columns that fit; [bold]--format csv[/bold] writes every row and column.

    Example: [bold]tracker sql "select as_of, rank_ordinal, rating, source from ranked where model='mai-1-preview' and category='overall'"[/bold]
    """
    from tracker.read import named_queries, query

    if fmt not in FORMATS:
        raise TrackerError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if list_:
        listed = named_queries.listing() if text is None else named_queries.parameters(text)
        render(listed, fmt, console, max_rows=None)
        return
    if text is None:
        raise TrackerError("pass a query, or a named query's name (`tracker sql --list` shows them)")
    settings = _reader_settings(home, lake_dir)
    params = named_queries.parse_pairs(param)
    named = named_queries.is_name(text)
    if named:
        frame = named_queries.run(settings, text, params)
    elif fmt == "table":  # the rows a table shows, as Python values: a small answer loads no polars
        named_queries.check_free_params(text, params)
        first, last = split(max_rows)
        frame = query.peek(settings, text, params or None, first=first, last=last)
    else:
        named_queries.check_free_params(text, params)
        frame = query.run_sql(settings, text, params or None)
    render(frame, fmt, console, max_rows=max_rows)
    reason = named_queries.note(settings, text, params, frame) if named else None
    if reason is not None:  # on stderr, so CSV and JSON stay clean
        err.print(f"note: {reason}", markup=False, highlight=False, soft_wrap=True)


def model_(
    name: Annotated[str, typer.Argument(help="A model key (or a unique part of its key or name).")],
    lake_dir: LakeOption = None,
    home: HomeOption = None,
) -> None:
    """Tell one model's story across boards: debut (date, rank, board), best rank, latest rank, biggest
    moves and exit (per arena and per board, with the snapshots that show it), then one line per board.
    A board whose newest snapshot is old (more than 3 of its usual intervals ago) is not called current.

    Example: [bold]tracker model mai-1-preview[/bold]
    """
    from tracker.read import story

    told = story.tell(_reader_settings(home, lake_dir), name)
    on = story.today()  # one day for every sentence and the table: a board's newest snapshot is old or not
    for line in story.sentences(told, on):
        # names come from upstream: printed as text, never read as console markup
        console.print(line, highlight=False, soft_wrap=True, markup=False)
    print_table(console, story.board_table(told, on), "Boards")


def export_(
    dest: Annotated[Path, typer.Argument(help="Folder to write the lake into (created if missing).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"File format: {', '.join(EXPORT_FORMATS)}.")
    ] = "parquet",
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="<date>",
            help="Incremental: rewrite only the year partitions from this date's year on (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Export rank_history and the snapshots as a hive-partitioned lake (leaderboard/arena/category/year) that DuckDB,
    polars, Spark or MotherDuck read as is; `tracker sql --lake DIR` and the dashboard read it back.

    Example: [bold]tracker export ./lake --format parquet --since 2026-01-01[/bold]
    """
    from tracker.read import export, named_queries

    since_date = named_queries.convert(since, "DATE", where="--since") if since else None
    with contextlib.closing(Steps()) as steps:
        result = export.export(
            settings_for(home), dest, fmt=fmt, since=since_date, on_table=lambda t: steps.show(f"writing {t}")
        )
    written = ", ".join(f"{table} {rows}" for table, rows in result.rows.items())
    scope = f"years from {result.since.year} on" if result.since else "everything"
    console.print(
        f"exported {scope} to {result.dest} ({result.fmt}, {result.files} file(s); rows: {written}) "
        f"in {result.seconds:.1f} s",
        highlight=False,
        soft_wrap=True,
    )
