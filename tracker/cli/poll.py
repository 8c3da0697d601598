"""Commands that poll and report on polling: ``poll``, ``schedule``, ``up`` and ``status``.

Each command imports the poller, the scheduler or the dashboard's launcher when it runs, so declaring them
(``tracker --help``) loads none of APScheduler, httpx or polars.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker import logs
from tracker.cli.consoles import console, err
from tracker.cli.options import ConfigOption, HomeOption, LogJsonOption, settings_for
from tracker.cli.render import print_table
from tracker.config import load_settings

if TYPE_CHECKING:
    import polars as pl

    from tracker.poll.status import StatusReport

VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Also log one line per URL (outcome, HTTP status, bytes, ms, or why it was skipped), not only one "
        "per job run. The JSON log (--log-json) always has them.",
    ),
]


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
    verbose: VerboseOption = False,
) -> None:
    """Run one poll cycle now, through the same code as the scheduler's jobs (conditional GET, retries,
    sanity guard); a URL is fetched once as an ad-hoc job. Prints one line per job run (what was fetched,
    new, unchanged, failed, skipped) and each failure's message.

    Example: [bold]tracker poll text-pages[/bold]  or  [bold]tracker poll https://arena.ai/leaderboard/text/overall-no-style-control --verbose[/bold]
    """
    from tracker.poll import cycle, jobs

    settings = settings_for(home, config)
    # the job lines go to stdout below; the log (stderr) keeps them only as JSON
    logs.configure(json_lines=log_json, verbose=verbose, omit=("job",))
    selected = jobs.select(jobs.load_jobs(settings), targets or [])
    runs = cycle.poll_once(settings, selected)
    failed = False
    for run in runs:
        for r in run.results:
            if not r.ok:
                err.print(f"{r.outcome}: {r.error}", markup=False, highlight=False, soft_wrap=True)
        console.print(cycle.summary(run), markup=False, highlight=False, soft_wrap=True)
        failed = failed or run.outcome != "ok"
    if failed:
        raise typer.Exit(1)


def schedule(
    home: HomeOption = None,
    config: ConfigOption = None,
    log_json: LogJsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the poller until SIGTERM / Ctrl-C: every configured job on its interval or cron, each job that never
    succeeded (or missed a run while stopped) once at start, one log line per job run. On SIGTERM it finishes
    the fetch in progress, publishes, exits 0.

    Example: [bold]tracker schedule --config ./tracker.toml --log-json[/bold]
    """
    from tracker.poll import jobs, service

    settings = settings_for(home, config)
    logs.configure(json_lines=log_json, verbose=verbose)
    raise typer.Exit(service.serve(settings, jobs.load_jobs(settings)))


def up(
    home: HomeOption = None,
    config: ConfigOption = None,
    port: Annotated[
        int | None,
        typer.Option("--port", help="Dashboard port on 127.0.0.1 (default: $TRACKER_PORT or 8501)."),
    ] = None,
    app_path: Annotated[Path | None, typer.Option("--app", hidden=True)] = None,
    verbose: VerboseOption = False,
) -> None:
    """The main job: initialise the data folder if empty, poll in the background, and serve the dashboard on
    127.0.0.1 (its URL is printed). The poller prints one line per job run. Ctrl-C stops both and leaves no
    process behind.

    Example: [bold]tracker up --port 8501[/bold]
    """
    from tracker.cli import up as up_module

    settings = load_settings(home=home, config=config, port=port)
    code = up_module.up(
        settings,
        app=app_path,
        out=lambda text: console.print(text, markup=False, highlight=False, soft_wrap=True),
        verbose=verbose,
    )
    raise typer.Exit(code)


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

    from tracker.poll import status as poll_status
    from tracker.poll.jobs import utc_minute

    settings = settings_for(home, config)
    report = poll_status.status_report(settings)
    if check:
        limit = max_failures if max_failures is not None else settings.max_failures
        failing = report.sources.filter(pl.col("consecutive_failures") >= limit)
        for row in failing.iter_rows(named=True):
            err.print(
                f"{row['source'] or 'unrecognised payloads'}: failed {_times(row['consecutive_failures'])} in a "
                f"row (last success {utc_minute(row['last_success_at'], 'never')}): {row['last_error']}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        if failing.height:
            raise typer.Exit(1)
        console.print(
            f"ok: no source failed {limit} times in a row; {report.note}", markup=False, highlight=False
        )
        return
    for title, frame in _status_views(report):
        print_table(console, frame, title)
    console.print(report.note, highlight=False)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _status_views(report: StatusReport) -> list[tuple[str, pl.DataFrame]]:
    """Narrow, readable versions of the status frames (times in UTC, errors shortened)."""
    import polars as pl

    def when(column: str) -> pl.Expr:
        # as tracker.poll.jobs.utc_minute writes one time
        return pl.col(column).dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%d %H:%M UTC").fill_null("")

    def short(column: str) -> pl.Expr:
        text = pl.col(column).fill_null("")
        return pl.when(text.str.len_chars() > 60).then(text.str.slice(0, 59) + "…").otherwise(text)

    never = pl.when(pl.col("fetches") == 0).then(pl.lit("never polled")).otherwise(pl.lit("never"))
    sources = report.sources.select(
        pl.col("source").fill_null("(unrecognised)"),
        pl.when(pl.col("last_success_at").is_null())
        .then(never)
        .otherwise(when("last_success_at"))
        .alias("last success"),
        when("last_failure_at").alias("last failure"),
        pl.col("consecutive_failures").alias("fails in a row"),
        when("next_run_at").alias("next run"),
        short("last_error").alias("last error"),
    )
    jobs_view = report.jobs.select(
        "job",
        pl.col("schedule").fill_null("(not configured)"),
        when("next_run_at").alias("next run"),
        when("last_run_at").alias("last run"),
        pl.col("last_outcome").fill_null("").alias("outcome"),
        pl.col("last_snapshots_new").alias("new"),
    )
    boards = report.boards.select(
        "board",
        "snapshots",
        "sources",
        pl.col("newest_as_of").cast(pl.Utf8).alias("newest as-of"),
    )
    return [("Sources", sources), ("Poll jobs", jobs_view), ("Boards", boards)]
