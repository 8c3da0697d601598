"""``tracker models`` and ``tracker alias ...``: the shell over ``tracker.identity`` (``tracker/cli.py`` mounts it).

Reads (``models``, ``alias list``) use the published read copy; changes (``alias add|remove|reset|org``)
take the writer, store a kind 'user' row, refresh identity and publish, so every view follows at once.
Each command's docstring is its --help, with an example. Each imports identity, the store and the readers
when it runs, so declaring them (``tracker --help``) loads none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.consoles import Stdout, err
from tracker.cli.options import HomeOption, MaxRowsOption, writing
from tracker.cli.render import FORMATS, MAX_ROWS, render
from tracker.config import load_settings
from tracker.errors import TrackerError
from tracker.sqlfiles import sql

if TYPE_CHECKING:
    from tracker.identity import OrgMerge

alias_app = typer.Typer(
    help="Merge or split model identities (user overrides that survive re-seeding); list aliases.\n\n"
    "Example: [bold]tracker alias add gpt-4 gpt-4-0314[/bold]",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
console = Stdout()  # exits 0 quietly into a closed pipe (`| head`)

FormatOption = Annotated[str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")]
PatternArgument = Annotated[
    str | None,
    typer.Argument(
        help="Part of a key, display name, organisation or alias; `*` is a wildcard.", show_default=False
    ),
]


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise TrackerError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def models(
    pattern: PatternArgument = None,
    unmatched: Annotated[
        bool,
        typer.Option(
            "--unmatched",
            help="Only the names one leaderboard lists that resolve to no model another leaderboard lists, "
            "each with the closest model there by name (PATTERN may name the leaderboard too).",
        ),
    ] = False,
    fmt: FormatOption = "table",
    max_rows: MaxRowsOption = MAX_ROWS,
    home: HomeOption = None,
) -> None:
    """List canonical models with their aliases, organisation, family, leaderboards, sources, first and last seen.

    With --unmatched: the models one leaderboard lists under names that resolve to no model another
    leaderboard lists (LMArena, Artificial Analysis), likeliest misses first; `tracker alias add NAME MODEL`
    fixes one.

    Example: [bold]tracker models mai[/bold], [bold]tracker models --unmatched "artificial analysis"[/bold]
    """
    from tracker import identity
    from tracker.read import query

    settings = load_settings(home=home)
    like = identity.like_pattern(pattern)
    if unmatched:
        frame = query.read_statement(settings, "read/identity_unmatched.sql", {"pattern": like})
    else:
        # the matching keys first, so only their standings are aggregated (identity_models.sql says why)
        keys = None
        if like is not None:
            found = query.read_statement(settings, "read/identity_models_matching.sql", {"pattern": like})
            keys = found["models"].to_list()[0] or []  # null when none matches
        frame = query.read_statement(settings, "read/identity_models.sql", {"models": keys})
    title = "Names no other leaderboard lists" if unmatched else "Models"
    render(frame, _format(fmt), console, title=title, max_rows=max_rows)


@alias_app.command("list")
def list_aliases(
    pattern: PatternArgument = None,
    fmt: FormatOption = "table",
    max_rows: MaxRowsOption = MAX_ROWS,
    home: HomeOption = None,
) -> None:
    """List aliases (user, rename, display_name, learned) and the model each resolves to.

    Example: [bold]tracker alias list gpt-4[/bold]
    """
    from tracker import identity
    from tracker.read import query

    frame = query.read_statement(
        load_settings(home=home), "read/identity_aliases.sql", {"pattern": identity.like_pattern(pattern)}
    )
    render(frame, _format(fmt), console, title="Aliases", max_rows=max_rows)


@alias_app.command("add")
def add(
    alias: Annotated[str, typer.Argument(help="A model key or display name as some source shows it.")],
    model: Annotated[str, typer.Argument(help="The canonical model it is the same as.")],
    note: Annotated[str | None, typer.Option("--note", help="Why (kept with the alias).")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Merge even models listed together on the same snapshots.")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Merge: make ALIAS one more name of MODEL in every view (stored as a user alias).

    Two models listed side by side on the same snapshot are different models there, and a merge would keep
    one row per snapshot and hide the other's: that is refused unless --force.

    Example: [bold]tracker alias add "gemini-2.0-flash" gemini-2.0-flash-001 --note "GA key carries its version"[/bold]
    """
    from tracker import identity

    with writing(load_settings(home=home), "tracker alias add") as (w, _):
        notes = _check_merge(w.con, alias, model, force=force)
        final = identity.add_alias(w.con, alias, model, note=note)
        w.dirty = True
    for line in notes:
        err.print(f"note: {line}", markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"{identity.normalise(alias)} -> {final} (user alias; every view follows)",
        markup=False,
        highlight=False,
    )


def _check_merge(con, alias: str, model: str, *, force: bool) -> list[str]:
    """Refuse a merge that would hide rows (the two listed on the same snapshots) unless ``force``; say
    when either side has no history yet, so a typo in MODEL does not silently rename ALIAS."""
    from tracker import identity

    alias_model, target = identity.resolve(con, alias), identity.resolve(con, model)
    if alias_model == target:
        return []
    counts = con.execute(
        sql("read/identity_merge_check.sql"), {"alias_model": alias_model, "model": target}
    ).fetchone()
    alias_snapshots, model_snapshots, together = counts
    if together and not force:
        raise TrackerError(
            f"refused: {alias_model} and {target} are both listed on {together} snapshot(s), so they are "
            "different models there; merged, each of those snapshots would keep one of their rows and hide "
            "the other. Pass --force to merge anyway."
        )
    notes = []
    if alias_snapshots and not model_snapshots:
        notes.append(f"{target} has no history: {alias_model}'s rows are now shown under {target}")
    if not alias_snapshots:
        notes.append(f"{alias_model} has no history yet; the alias applies once a source lists it")
    return notes


@alias_app.command("remove")
def remove(
    alias: Annotated[str, typer.Argument(help="A key or display name to make its own model again.")],
    home: HomeOption = None,
) -> None:
    """Split: make ALIAS its own model again, whatever the seeds or the data map it to.

    Refused when ALIAS is no alias, model or key any source published (did you mean ...?), or is already its
    own model.

    Example: [bold]tracker alias remove gpt-3.5-turbo[/bold]
    """
    from tracker import identity

    with writing(load_settings(home=home), "tracker alias remove") as (w, _):
        before = identity.remove_alias(w.con, alias)
        w.dirty = True
    console.print(
        f"{identity.normalise(alias)} is its own model, no longer part of {before} "
        "(user split; every view follows)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@alias_app.command("reset")
def reset(
    alias: Annotated[
        str, typer.Argument(help="A key, display name or organisation spelling you aliased before.")
    ],
    home: HomeOption = None,
) -> None:
    """Drop your merge or split of ALIAS (and your `alias org` of that spelling), so the seeds and the data
    decide again.

    Example: [bold]tracker alias reset gpt-3.5-turbo[/bold]
    """
    from tracker import identity

    with writing(load_settings(home=home), "tracker alias reset") as (w, _):
        dropped = identity.reset_alias(w.con, alias)
        w.dirty = bool(dropped)
    name = identity.normalise(alias)
    said = " and ".join(f"user {what} alias" for what in dropped)
    console.print(
        f"{name}: {said} dropped" if dropped else f"{name}: there was no user model or organisation alias",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@alias_app.command("org")
def org(
    spelling: Annotated[str, typer.Argument(help="An organisation as some source spells it.")],
    org_key: Annotated[str, typer.Argument(help="The canonical organisation key (e.g. microsoft-ai).")],
    new: Annotated[
        bool,
        typer.Option("--new", help="ORG_KEY is a new organisation (named by its key until a seed names it)."),
    ] = False,
    home: HomeOption = None,
) -> None:
    """Merge an organisation spelling into a canonical organisation (stored as a user alias).

    ORG_KEY must be an organisation's key (did you mean ...?) unless --new. Says how many models whose
    rows use SPELLING now show ORG_KEY, and names those that keep another organisation: the seed catalogue
    (seeds/models.csv) fixes a model's organisation, and otherwise the spelling most of its rows use decides.

    Example: [bold]tracker alias org "Azure" microsoft[/bold]
    """
    from tracker import identity

    with writing(load_settings(home=home), "tracker alias org") as (w, _):
        merged = identity.add_org_alias(w.con, spelling, org_key, new=new)
        w.dirty = True
    for line in _org_notes(merged):
        err.print(f"note: {line}", markup=False, highlight=False, soft_wrap=True)
    created = "; a new organisation" if merged.new_org else ""
    spelt = len(merged.followed) + len(merged.kept)
    count = (
        f": {len(merged.followed)} of the {spelt} model(s) spelt {merged.spelling!r} now show {merged.org_key}"
        if spelt
        else ""
    )
    console.print(
        f"{merged.spelling} -> {merged.org_key} (user alias{created}){count}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


KEPT_SHOWN = 10  # models named in `alias org`'s note of those that keep their organisation


def _org_notes(merged: OrgMerge) -> list[str]:
    if not merged.followed and not merged.kept:
        return [f"no source spells an organisation {merged.spelling!r} yet; the alias applies once one does"]
    notes = []
    for seeded, why in (
        (True, "the seed catalogue (seeds/models.csv) fixes its organisation"),
        (False, "most of its rows spell its organisation another way"),
    ):
        kept = [f"{model} ({shown})" for model, shown, seed in merged.kept if seed is seeded]
        if kept:
            more = f", and {len(kept) - KEPT_SHOWN} more" if len(kept) > KEPT_SHOWN else ""
            notes.append(f"not following ({why}): {', '.join(kept[:KEPT_SHOWN])}{more}")
    return notes
