"""``tracker alerts ...``: the typer sub-app over ``tracker.alerts`` (the shell; ``tracker/cli.py`` mounts it).

Each command's docstring is its --help, with an example. Each imports the alerts, the store, the readers and
the HTTP client when it runs, so declaring them (``tracker --help``) loads none of them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tracker.cli.consoles import Stdout, err
from tracker.cli.options import HomeOption, writing
from tracker.cli.render import FORMATS, render
from tracker.config import load_settings
from tracker.errors import TrackerError
from tracker.sqlfiles import sql

app = typer.Typer(
    help="Alerts on watched boards, models and organisations: test a target, list alerts and deliveries.\n\n"
    "Example: [bold]tracker alerts list[/bold]",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
console = Stdout()  # exits 0 quietly into a closed pipe (`| head`)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="tracker.toml with the \\[alerts] table (default: $TRACKER_CONFIG or tracker.toml in the home).",
        show_default=False,
    ),
]


@app.command("test")
def test_target(
    target: Annotated[str, typer.Argument(help="A target name from \\[\\[alerts.targets]] in tracker.toml.")],
    home: HomeOption = None,
    config: ConfigOption = None,
) -> None:
    """Send a sample alert to one webhook target and show what it answered.

    The sample is marked "test": true. Nothing is stored and the database is not opened, so it works while
    the poller runs.

    Example: [bold]tracker alerts test newsroom-slack[/bold]
    """
    from tracker import alerts
    from tracker.alerts.deliver import send_test
    from tracker.http import make_client

    settings = load_settings(home=home, config=config)
    cfg = alerts.load_alerts(settings)
    with make_client(settings) as client:
        attempt = send_test(cfg, target, client, now=datetime.now(UTC))
    where = cfg.target(target).where
    if attempt.error:
        err.print(f"[red]failed[/red]: {escape(str(attempt.error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(
        f"sent a test alert to {target} ({where}): HTTP {attempt.http_status} in {attempt.duration_ms:.0f} ms",
        highlight=False,
    )


@app.command("list")
def list_alerts(
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="How many alerts and delivery attempts to show.")
    ] = 20,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")
    ] = "table",
    home: HomeOption = None,
) -> None:
    """Show recent alerts with each target's delivery status, and recent delivery attempts.

    Reads the published read copy, so it works while the poller runs.

    Example: [bold]tracker alerts list --limit 50[/bold]
    """
    from tracker.read import query

    if fmt not in FORMATS:
        raise TrackerError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    settings = load_settings(home=home)
    params = {"limit": limit}
    alerts = query.run_sql(settings, sql("alerts/list_alerts.sql"), params)
    render(alerts, fmt, console, title="Recent alerts", max_rows=None)  # --limit says how many
    render(
        query.run_sql(settings, sql("alerts/list_deliveries.sql"), params),
        fmt,
        console,
        title="Recent deliveries",
        max_rows=None,
    )


@app.command("run")
def run_now(home: HomeOption = None, config: ConfigOption = None) -> None:
    """Evaluate the watches on every board they watch now and send every delivery that is due.

    The poller does this after each poll, on the boards that changed since; run it after editing the \\[alerts]
    table or to retry at once.

    Example: [bold]tracker alerts run[/bold]
    """
    from tracker import alerts

    settings = load_settings(home=home, config=config)
    with writing(settings, "tracker alerts run") as (w, steps):
        steps.show("evaluating the watches and sending what is due")
        result = alerts.evaluate_and_deliver(w)
    recorded = result.recorded
    new = recorded.alerts if recorded else 0
    queued = recorded.deliveries if recorded else 0
    console.print(
        f"{new} new alert(s), {queued} delivery(ies) queued; {result.count('sent')} sent, "
        f"{result.count('retry')} to retry, {result.count('failed')} failed"
    )
    for attempt in result.attempts:
        if attempt.error:
            err.print(
                f"[yellow]{attempt.outcome}[/yellow] {escape(f'{attempt.target}: {attempt.error}')}",
                highlight=False,
            )
