"""The ``tracker`` command: a thin layer over the library. Each command's docstring is its --help.

Expected failures (``TrackerError``) print one message and exit 1; anything else keeps its traceback.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.exceptions import TyperException

from tracker import (
    backfill,
    export,
    importer,
    jobs,
    logs,
    named_queries,
    query,
    reparse,
    scheduler,
    starter,
    store,
    story,
)
from tracker import up as up_module
from tracker.alerts import after_ingest as alerts_after_ingest
from tracker.alerts.commands import app as alerts_app
from tracker.cli_options import HomeOption, MaxRowsOption, reflow_help
from tracker.config import Settings, load_settings
from tracker.consoles import Stdout
from tracker.errors import TrackerError
from tracker.http import make_client
from tracker.identity_commands import alias_app
from tracker.identity_commands import models as models_command
from tracker.render import FORMATS, MAX_ROWS, print_table, render

app = typer.Typer(
    help="Track LMArena-style leaderboards over time: import, poll, query with SQL, chart.\n\n"
    "Example: [bold]tracker up[/bold] (seed the data folder, poll in the background, serve the dashboard), or "
    "[bold]tracker init[/bold] then [bold]tracker sql --list[/bold]. Every command has --help with an example.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
app.add_typer(alerts_app, name="alerts")
app.add_typer(alias_app, name="alias")
app.command("models")(models_command)
console = Stdout()
err = Console(stderr=True)


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


def settings_for(home: Path | None, config: Path | None = None) -> Settings:
    return load_settings(home=home, config=config)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@app.command()
def init(
    home: HomeOption = None,
    empty: Annotated[bool, typer.Option("--empty", help="Do not load the bundled starter history.")] = False,
) -> None:
    """Create the data folder and database (migrations, views), load the bundled starter history into an
    empty database, and publish the read copy.

    Example: [bold]tracker init --home ./tracker-data[/bold]
    """
    settings = settings_for(home)
    with store.writer(settings, "tracker init") as w:
        if not empty and starter.is_empty(w):
            results = starter.load(w)
            new = sum(r.snapshots_new for r in results)
            console.print(f"loaded the starter history: {len(results)} file(s), {new} snapshot(s)")
        store.publish(w)
    console.print(f"initialised {settings.database_path} (read copy: {settings.read_copy_path})")


@app.command("build-starter")
def build_starter(
    out: Annotated[
        Path, typer.Argument(help="Folder for the starter files (the repository's is seeds/history).")
    ],
    home: HomeOption = None,
) -> None:
    """Write the starter history (text boards, main categories, every source) from the read copy.

    Example: [bold]tracker import ../shared/data && tracker build-starter seeds/history[/bold]
    """
    settings = settings_for(home)
    con = store.open_reader(settings)
    try:
        written = starter.build(con, out)
    finally:
        con.close()
    for path, rows in written:
        console.print(f"{path}: {rows} rows, {path.stat().st_size / 1e6:.2f} MB")


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (folders are walked).")],
    home: HomeOption = None,
    dataset_config: Annotated[
        str | None,
        typer.Option(
            "--dataset-config",
            help="Official dataset config of the files (e.g. text_style_control) when their folder or URL "
            "does not say it. (--config means tracker.toml everywhere else.)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Import local copies of leaderboard pages and archives; the format is detected from content.

    Importing the same files again writes nothing and says so. A dataset Parquet file outside a folder
    named after its config needs --dataset-config.

    Example: [bold]tracker import ../shared/data/podsieve-prediction_mkt/*.html[/bold]  or
    [bold]tracker import --dataset-config text_style_control ./full-00000-of-00001.parquet[/bold]
    """
    settings = settings_for(home)
    items = importer.collect(paths)
    since = datetime.now(UTC)
    with store.writer(settings, "tracker import") as w, _progress() as progress:
        task = progress.add_task("importing", total=len(items))

        def advance(item, result):
            progress.update(task, advance=1, description=f"importing {item.path.name}")

        hints = {"config": dataset_config} if dataset_config else None
        results, skipped = importer.import_paths(w, paths, on_item=advance, hints=hints)
        if any(r.snapshots_new for r in results):
            alerts_after_ingest(w, wrote=True)
            store.publish(w)
        new_boards = importer.new_by_board(w.con, since)
    _import_summary(results, skipped, new_boards)
    if any(not r.ok for r in results):
        raise typer.Exit(1)


SKIPPED_SHOWN = 10  # skipped files named in an import's summary


def _import_summary(results, skipped, new_boards) -> None:
    new = sum(r.snapshots_new for r in results)
    rows = sum(r.rows_written for r in results)
    outcomes = Counter(r.outcome for r in results)
    if new_boards.height:
        print_table(console, new_boards, "New snapshots by source and board")
    for r in results:
        if not r.ok:
            err.print(f"[red]{r.outcome}[/red]: {escape(str(r.error))}", highlight=False, soft_wrap=True)
    summary = ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
    if not results:
        console.print("no leaderboard file among them; nothing written")
    elif not outcomes.get("new") and all(r.ok for r in results):  # "new" also counts metadata-only files
        console.print(f"nothing new: {len(results)} file(s) already stored ({summary}); nothing written")
    else:
        console.print(f"{len(results)} file(s): {summary}; {new} new snapshot(s), {rows} row(s) written")
    if skipped:
        # named, so a truncated or empty copy of a page does not pass unseen for an unrelated file (a file
        # given by name is never skipped: it is stored and rejected, and the import exits 1)
        shown = [f"{p} (empty)" if p.stat().st_size == 0 else str(p) for p in skipped[:SKIPPED_SHOWN]]
        more = f" and {len(skipped) - SKIPPED_SHOWN} more" if len(skipped) > SKIPPED_SHOWN else ""
        console.print(
            f"skipped {len(skipped)} file(s) in no leaderboard format: {', '.join(shown)}{more}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@app.command()
def poll(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            help="Job names, sources or http(s) URLs (none: every configured job).", show_default=False
        ),
    ] = None,
    home: HomeOption = None,
    config: ConfigOption = None,
    log_json: LogJsonOption = False,
) -> None:
    """Run one poll cycle now, through the same code as the scheduler's jobs (conditional GET, retries,
    sanity guard, one log line per fetch); a URL is fetched once as an ad-hoc job.

    Example: [bold]tracker poll text-pages[/bold]  or  [bold]tracker poll https://arena.ai/leaderboard/text/overall-no-style-control[/bold]
    """
    settings = settings_for(home, config)
    logs.configure(json_lines=log_json)
    selected = jobs.select(jobs.load_jobs(settings), targets or [])
    runs = scheduler.poll_once(settings, selected)
    failed = False
    for run in runs:
        for r in run.results:
            line = f"{r.origin}: {r.outcome}"
            if r.snapshots_new:
                line += f" ({r.snapshots_new} new snapshot(s), {r.rows_written} rows)"
            if r.error:
                line += f": {r.error}"
            (console if r.ok else err).print(line, highlight=False, soft_wrap=True)
        console.print(
            f"{run.job}: {run.outcome}, {len(run.results)}/{run.targets} fetched, {run.failures} failed, "
            f"{run.snapshots_new} new snapshot(s)",
            highlight=False,
        )
        failed = failed or run.outcome != "ok"
    if failed:
        raise typer.Exit(1)


@app.command()
def schedule(home: HomeOption = None, config: ConfigOption = None, log_json: LogJsonOption = False) -> None:
    """Run the poller until SIGTERM / Ctrl-C: every configured job on its interval or cron, one catch-up run
    after downtime, one log line per fetch. On SIGTERM it finishes the fetch in progress, publishes, exits 0.

    Example: [bold]tracker schedule --config ./tracker.toml --log-json[/bold]
    """
    settings = settings_for(home, config)
    logs.configure(json_lines=log_json)
    raise typer.Exit(scheduler.serve(settings, jobs.load_jobs(settings)))


@app.command()
def up(
    home: HomeOption = None,
    config: ConfigOption = None,
    port: Annotated[
        int | None,
        typer.Option("--port", help="Dashboard port on 127.0.0.1 (default: $TRACKER_PORT or 8501)."),
    ] = None,
    app_path: Annotated[Path | None, typer.Option("--app", hidden=True)] = None,
) -> None:
    """The main job: initialise the data folder if empty, poll in the background, and serve the dashboard on
    127.0.0.1 (its URL is printed). Ctrl-C stops both and leaves no process behind.

    Example: [bold]tracker up --port 8501[/bold]
    """
    settings = load_settings(home=home, config=config, port=port)
    code = up_module.up(
        settings,
        app=app_path or up_module.APP,
        out=lambda text: console.print(text, highlight=False, soft_wrap=True),
    )
    raise typer.Exit(code)


LakeOption = Annotated[
    Path | None,
    typer.Option(
        "--lake",
        help="Read this Parquet lake (from `tracker export`) instead of the database (default: $TRACKER_LAKE).",
        show_default=False,
    ),
]


def _reader_settings(home: Path | None, lake_dir: Path | None) -> Settings:
    settings = settings_for(home)
    return settings.replace(lake=lake_dir) if lake_dir is not None else settings


@app.command("sql")
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
    else:
        named_queries.check_free_params(text, params)
        frame = query.run_sql(settings, text, params or None)
    render(frame, fmt, console, max_rows=max_rows)
    reason = named_queries.note(settings, text, params, frame) if named else None
    if reason is not None:  # on stderr, so CSV and JSON stay clean
        err.print(f"note: {reason}", markup=False, highlight=False, soft_wrap=True)


@app.command("model")
def model_(
    name: Annotated[str, typer.Argument(help="A model key (or a unique part of its key or name).")],
    lake_dir: LakeOption = None,
    home: HomeOption = None,
) -> None:
    """Tell one model's story across boards: debut (date, rank, board), best rank, latest rank, biggest
    moves and exit, then one line per board.

    Example: [bold]tracker model mai-1-preview[/bold]
    """
    told = story.tell(_reader_settings(home, lake_dir), name)
    for line in story.sentences(told):
        console.print(line, highlight=False, soft_wrap=True)
    print_table(console, story.board_table(told), "Boards")


@app.command("export")
def export_(
    dest: Annotated[Path, typer.Argument(help="Folder to write the lake into (created if missing).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"File format: {', '.join(export.FORMATS)}.")
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
    """Export rank_history and the snapshots as a hive-partitioned lake (arena/category/year) that DuckDB,
    polars, Spark or MotherDuck read as is; `tracker sql --lake DIR` and the dashboard read it back.

    Example: [bold]tracker export ./lake --format parquet --since 2026-01-01[/bold]
    """
    since_date = named_queries.convert(since, "DATE", where="--since") if since else None
    result = export.export(settings_for(home), dest, fmt=fmt, since=since_date)
    written = ", ".join(f"{table} {rows}" for table, rows in result.rows.items())
    scope = f"years from {result.since.year} on" if result.since else "everything"
    console.print(
        f"exported {scope} to {result.dest} ({result.fmt}, {result.files} file(s); rows: {written}) "
        f"in {result.seconds:.1f} s",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def status(
    home: HomeOption = None,
    config: ConfigOption = None,
    check: Annotated[
        bool, typer.Option("--check", help="Print only problems; exit 1 when a source keeps failing.")
    ] = False,
    max_failures: Annotated[
        int | None,
        typer.Option(
            "--max-failures",
            min=1,
            help="Failures in a row that fail --check (default: $TRACKER_MAX_FAILURES or 3).",
        ),
    ] = None,
) -> None:
    """Show each source (last success, last failure and its message, failures in a row, next run), each poll
    job, and each board (snapshots, newest as-of). With --check, exit 1 when a source failed N times in a row.

    Example: [bold]tracker status --check --max-failures 3[/bold]
    """
    import polars as pl

    settings = settings_for(home, config)
    report = scheduler.status_report(settings)
    if check:
        limit = max_failures if max_failures is not None else settings.max_failures
        failing = report["sources"].filter(pl.col("consecutive_failures") >= limit)
        for row in failing.iter_rows(named=True):
            err.print(
                f"{row['source'] or 'unrecognised payloads'}: failed {_times(row['consecutive_failures'])} in a "
                f"row (last success {_utc(row['last_success_at'])}): {row['last_error']}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        if failing.height:
            raise typer.Exit(1)
        console.print(
            f"ok: no source failed {limit} times in a row; {report['note']}", markup=False, highlight=False
        )
        return
    for title, frame in _status_views(report):
        print_table(console, frame, title)
    console.print(report["note"], highlight=False)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _utc(at: datetime | None) -> str:
    return "never" if at is None else f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _status_views(report: dict) -> list[tuple[str, object]]:
    """Narrow, readable versions of the status frames (times in UTC, errors shortened)."""
    import polars as pl

    def when(column: str) -> pl.Expr:
        return pl.col(column).dt.strftime("%m-%d %H:%M").fill_null("")

    def short(column: str) -> pl.Expr:
        text = pl.col(column).fill_null("")
        return pl.when(text.str.len_chars() > 60).then(text.str.slice(0, 59) + "…").otherwise(text)

    sources = report["sources"].select(
        pl.col("source").fill_null("(unrecognised)"),
        when("last_success_at").alias("last ok (UTC)"),
        when("last_failure_at").alias("last failure"),
        pl.col("consecutive_failures").alias("fails in a row"),
        when("next_run_at").alias("next run"),
        short("last_error").alias("last error"),
    )
    jobs_view = report["jobs"].select(
        "job",
        pl.col("schedule").fill_null("(not configured)"),
        when("next_run_at").alias("next run (UTC)"),
        when("last_run_at").alias("last run"),
        pl.col("last_outcome").fill_null("").alias("outcome"),
        pl.col("last_snapshots_new").alias("new"),
    )
    boards = report["boards"].select(
        pl.concat_str(
            "arena",
            pl.lit("/"),
            "category",
            # as sql/macros/board_label.sql (tracker model, the dashboard) names it
            pl.when(pl.col("style_control")).then(pl.lit(" (style control)")).otherwise(pl.lit(" (raw)")),
        ).alias("board"),
        "snapshots",
        "sources",
        pl.col("newest_as_of").cast(pl.Utf8).alias("newest as-of"),
    )
    return [("Sources", sources), ("Poll jobs", jobs_view), ("Boards", boards)]


@app.command("backfill")
def backfill_(
    source: Annotated[str, typer.Argument(help=f"The source: {' or '.join(backfill.SOURCES)}.")],
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d"],
            metavar="<date>",
            help="Only versions from this date on (YYYY-MM-DD; arena-catalog commits).",
            show_default=False,
        ),
    ] = None,
    home: HomeOption = None,
    config: ConfigOption = None,
) -> None:
    """Fetch a source's published history through the same pipeline as polls, with a progress bar.

    arena-dataset loads the full Parquet file of every config (dataset_configs); arena-catalog walks the
    commits of its leaderboard files and reads each version, dated by its commit. Versions already stored
    are skipped, so an interrupted backfill resumes where it stopped and a second run writes nothing.

    Example: [bold]tracker backfill arena-catalog --since 2025-01-01[/bold]
    """
    settings = settings_for(home, config)
    with (
        store.writer(settings, f"tracker backfill {source}") as w,
        make_client(settings) as client,
        _progress() as progress,
    ):
        task = progress.add_task(f"{source}: listing versions", total=None)

        def planned(total: int) -> None:
            progress.update(task, total=total, description=source)

        def advance(step: backfill.Step, result) -> None:
            progress.update(task, advance=1, description=f"{source}: {step.label}")

        result = backfill.run(
            w, client, source, since=since.date() if since else None, on_plan=planned, on_step=advance
        )
    _backfill_summary(result)
    if result.failures:
        raise typer.Exit(1)


def _backfill_summary(result: backfill.BackfillResult) -> None:
    for note in result.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    outcomes = Counter(r.outcome for r in result.results if r.origin not in result.absent_origins)
    fetched = ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())) or "none"
    line = (
        f"{result.source}: {result.planned} version(s) listed, {result.already_stored} already stored; "
        f"fetched: {fetched}"
    )
    if result.absent:
        line += f"; {result.absent} commit(s) where the file was absent (HTTP 404)"
    console.print(line, highlight=False)
    for r in result.failures:
        err.print(
            f"[red]{r.outcome}[/red] {escape(f'{r.origin}: {r.error}')}", highlight=False, soft_wrap=True
        )
    if result.snapshots_new:
        console.print(
            f"{result.snapshots_new} new snapshot(s), {result.rows_written:,} row(s) written", highlight=False
        )
    else:
        console.print("nothing new: nothing written", highlight=False)


@app.command("reparse")
def reparse_(home: HomeOption = None) -> None:
    """Rebuild all snapshots and standings from the stored raw payloads (after a parser fix).

    Names the payloads rejected before that load now (recovered) and those still rejected; exits 1 only
    when a payload that loaded before fails now (newly failing: a parser regression).

    Example: [bold]tracker reparse[/bold]
    """
    settings = settings_for(home)
    with store.writer(settings, "tracker reparse") as w:
        result = reparse.reparse(w)
    console.print(
        f"reparsed {result.payloads} payload(s): {result.snapshots} snapshot(s), {result.rows} row(s)"
    )
    if result.recovered:
        console.print(f"recovered: {len(result.recovered)} payload(s) rejected before, loaded now:")
        for origin in result.recovered:
            console.print(f"  {escape(origin)}", highlight=False, soft_wrap=True)
    if result.still_rejected:
        console.print(
            f"still rejected: {len(result.still_rejected)} payload(s) rejected before this reparse too:"
        )
        for origin, _ in result.still_rejected:
            console.print(f"  {escape(origin)}", highlight=False, soft_wrap=True)
    if result.newly_failing:
        err.print(
            f"[red]newly failing[/red]: {len(result.newly_failing)} payload(s) loaded before, "
            "rejected now (a parser regression?):"
        )
        for origin, error in result.newly_failing:
            err.print(f"  {escape(f'{origin}: {error}')}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


reflow_help(app)


def main() -> None:
    try:
        # standalone_mode=False makes click return the exit code of typer.Exit instead of raising it
        code = app(standalone_mode=False, prog_name="tracker")  # `python -m tracker` too says "tracker"
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


def _not_a_folder(exc: OSError) -> str:
    """The first part of the path in ``exc`` that is a file (NotADirectoryError names the whole path)."""
    path = Path(exc.filename) if exc.filename else None
    if path is None:
        return "a path"
    for part in [*reversed(path.parents), path]:
        if part.exists() and not part.is_dir():
            return str(part)
    return str(path)
