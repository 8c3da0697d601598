"""Commands that bring data in: ``init``, ``build-starter``, ``import``, ``backfill`` and ``reparse``.

Each command imports the library modules it runs (the store, the sources and their parsers, the HTTP client)
when it runs: ``tracker --help`` and the other commands declare these without loading polars or httpx.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from tracker.cli.consoles import console, err
from tracker.cli.options import ConfigOption, HomeOption, progress_bar, settings_for, writing
from tracker.cli.render import print_table

if TYPE_CHECKING:
    from tracker.ingest.backfill import BackfillResult

# what `tracker backfill` knows, as tracker.ingest.backfill.SOURCES names them (a test checks they agree):
# written out so that the help does not import the backfill and its HTTP client
BACKFILL_SOURCES = ("arena-dataset", "arena-catalog")


def init(
    home: HomeOption = None,
    empty: Annotated[bool, typer.Option("--empty", help="Do not load the bundled starter history.")] = False,
) -> None:
    """Create the data folder and database (migrations, views), load the bundled starter history into an
    empty database, and publish the read copy.

    Example: [bold]tracker init --home ./tracker-data[/bold]
    """
    from tracker.ingest import starter

    settings = settings_for(home)
    results = None
    with writing(settings, "tracker init") as (w, steps):
        w.dirty = True  # init always leaves a read copy built by this version of the tracker
        if not empty and starter.is_empty(w):
            steps.show("loading the starter history")
            results = starter.load(w)
    if results is not None:
        new = sum(r.snapshots_new for r in results)
        console.print(f"loaded the starter history: {len(results)} file(s), {new} snapshot(s)")
    console.print(f"initialised {settings.database_path} (read copy: {settings.read_copy_path})")


def build_starter(
    out: Annotated[
        Path, typer.Argument(help="Folder for the starter files (the repository's is seeds/history).")
    ],
    home: HomeOption = None,
) -> None:
    """Write the starter history (text boards, main categories, every source) from the read copy.

    Example: [bold]tracker import ../shared/data && tracker build-starter seeds/history[/bold]
    """
    from tracker.ingest import starter
    from tracker.read import connection

    settings = settings_for(home)
    con = connection.open_reader(settings)
    try:
        written = starter.build(con, out)
    finally:
        con.close()
    for path, rows in written:
        console.print(f"{path}: {rows} rows, {path.stat().st_size / 1e6:.2f} MB")


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
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="The source of the files: a built-in format's name, or the name of a source declared in "
            "tracker.toml (read only when named here; docs/sources.md). Default: detected from content.",
            show_default=False,
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Import local copies of leaderboard pages and archives; the format is detected from content.

    Importing the same files again writes nothing and says so. A file that lists no models (an emptied
    upstream feed) is refused in one line and does not fail the import. A dataset Parquet file outside a
    folder named after its config needs --dataset-config. A leaderboard the tracker has no format for is
    read by declaring it as a source in tracker.toml and naming it with --source.

    Example: [bold]tracker import ../shared/data/podsieve-prediction_mkt/*.html[/bold]  or
    [bold]tracker import --dataset-config text_style_control ./full-00000-of-00001.parquet[/bold]  or
    [bold]tracker import --source edit-arena ./edit-arena.json[/bold]
    """
    from tracker import sources
    from tracker.alerts import after_ingest as alerts_after_ingest
    from tracker.ingest import files as importer

    settings = settings_for(home, config)
    # a declared source named like a built-in one, or an unknown --source: refused before the lock
    sources.declared_formats(settings.declared_sources)
    if source is not None:
        sources.by_name(source, settings.declared_sources)
    items = importer.collect(paths, max_bytes=settings.max_import_bytes)  # refused before the lock
    since = datetime.now(UTC)
    with writing(settings, "tracker import") as (w, steps):
        with progress_bar() as progress:
            task = progress.add_task("importing", total=len(items))

            def begin(item):
                # with its folder: every dataset file is called full-00000-of-00001.parquet
                progress.update(task, description=f"importing {item.path.parent.name}/{item.path.name}")

            def advance(item, result):
                progress.update(task, advance=1)

            hints = {"config": dataset_config} if dataset_config else None
            results, skipped = importer.import_paths(
                w, paths, on_start=begin, on_item=advance, hints=hints, source=source
            )
        if any(r.snapshots_new for r in results):
            steps.show("checking the alert watches")
            alerts_after_ingest(w, wrote=True)
        new_boards = importer.new_by_board(w.con, since)
    _import_summary(results, skipped, new_boards)
    # a file that lists no models (an emptied upstream feed) is refused and said so, without failing the import
    if any(not r.ok and not r.empty for r in results):
        raise typer.Exit(1)


SKIPPED_SHOWN = 10  # skipped files named in an import's summary


def _import_summary(results, skipped, new_boards) -> None:
    new = sum(r.snapshots_new for r in results)
    rows = sum(r.rows_written for r in results)
    outcomes = Counter("refused" if r.empty else r.outcome for r in results)
    if new_boards.height:
        print_table(console, new_boards, "New snapshots by source and board")
    for r in results:
        if not r.ok:
            label = "[yellow]refused[/yellow]" if r.empty else f"[red]{r.outcome}[/red]"
            err.print(f"{label}: {escape(str(r.error))}", highlight=False, soft_wrap=True)
    summary = ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
    refused = outcomes.get("refused", 0)
    settled = all(r.ok or r.empty for r in results)  # stored before, or refused as an emptied feed
    if not results:
        console.print("no leaderboard file among them; nothing written")
    elif not outcomes.get("new") and settled:  # "new" also counts metadata-only files
        kept = f"{len(results) - refused} file(s) already stored" + (
            f", {refused} refused" if refused else ""
        )
        console.print(f"nothing new: {kept} ({summary}); nothing written")
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


def backfill_(
    source: Annotated[str, typer.Argument(help=f"The source: {' or '.join(BACKFILL_SOURCES)}.")],
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
    from tracker.http import make_client
    from tracker.ingest import backfill

    settings = settings_for(home, config)
    with (
        writing(settings, f"tracker backfill {source}") as (w, _),
        make_client(settings) as client,
        progress_bar() as progress,
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


def _backfill_summary(result: BackfillResult) -> None:
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


def reparse_(home: HomeOption = None, config: ConfigOption = None) -> None:
    """Rebuild all snapshots and standings from the stored raw payloads (after a parser fix).

    Names the payloads rejected before that load now (recovered) and those still rejected; exits 1 only
    when a payload that loaded before fails now (newly failing: a parser regression). Payloads of a source
    declared in tracker.toml are read with its declaration; without it the rebuild is refused.

    Example: [bold]tracker reparse[/bold]
    """
    from tracker.ingest import reparse

    settings = settings_for(home, config)
    with writing(settings, "tracker reparse") as (w, _), progress_bar() as progress:
        task = progress.add_task("reparsing the stored payloads", total=None)
        result = reparse.reparse(
            w,
            on_plan=lambda total: progress.update(task, total=total),
            on_payload=lambda origin: progress.update(task, advance=1),
        )
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
