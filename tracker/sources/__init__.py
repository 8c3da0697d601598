"""Registry of upstream formats: ``FORMATS`` lists each format module's ``FORMAT``, a ``Format``
(``tracker.sources.format``: ``source``, ``sniff(body, origin)``, ``parse(body, origin, *, fetched_at,
hints=None)`` and the optional hooks); ``detect`` picks the format by content, never by file name alone.

To add a format: write ``tracker/sources/<format>.py`` with ``SOURCE``, ``sniff`` and ``parse`` (and any
optional hook it needs), end it with ``FORMAT = SourceFormat(...)`` naming them, and list that ``FORMAT``
in ``FORMATS`` (more specific sniffers first).

``FORMATS`` stays the built-in formats. A source declared in ``tracker.toml`` (``[[sources]]``,
``Settings.declared_sources``) gets its format at runtime (``declared_formats``); ``by_name`` and
``for_payload`` find it when given the declarations, and ``detect`` never asks it: a declared source reads
only the payloads named for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from tracker.config.declarations import Declaration
from tracker.errors import ConfigError, UnknownFormatError
from tracker.sources import (
    acarter881,
    arena_catalog,
    arena_dataset,
    arena_page,
    artificial_analysis,
    artificial_analysis_llms,
    declared,
    fboulnois,
    jasontrigg0,
    keshami,
    kevinschaul,
    legacy_space,
    nakasyou,
    namra7x,
    samica666,
    starter,
)
from tracker.sources.format import Format

# Legacy and community archives come after the official formats; each sniffs an exact header or
# distinctive JSON keys, and legacy_space also claims pickles (by name or magic bytes) to refuse them.
_ARCHIVES: list[Format] = [
    legacy_space.FORMAT,
    kevinschaul.FORMAT,
    jasontrigg0.FORMAT,
    fboulnois.FORMAT,
    nakasyou.FORMAT,
    acarter881.FORMAT,
    samica666.FORMAT,
    keshami.FORMAT,
    namra7x.FORMAT,
]

# The official dataset sniffs its Parquet schema or datasets-server row pages; arena-catalog sniffs the
# rating_q975/rating_q025 object layout (its folder's scatterplot-data.json is a list and never matches).
# Artificial Analysis, a second publisher: each sniffs its own meta.source_url (the arena feeds also bytes
# polled from their own URL); samica666's lmarena.json files from the same repository name lmarena.ai.
FORMATS: list[Format] = [
    starter.FORMAT,
    arena_page.FORMAT,
    arena_dataset.FORMAT,
    arena_catalog.FORMAT,
    artificial_analysis.FORMAT,
    artificial_analysis_llms.FORMAT,
    *_ARCHIVES,
]


def declared_formats(declarations: Sequence[Declaration] = ()) -> dict[str, Format]:
    """The format of each declared source, by name; a declared name that a built-in format has is refused,
    naming the source and its key."""
    return _declared_formats(tuple(declarations))


@cache
def _declared_formats(declarations: tuple[Declaration, ...]) -> dict[str, Format]:
    builtin = [fmt.source for fmt in FORMATS]
    for declaration in declarations:
        if declaration.name in builtin:
            raise ConfigError(
                f"{declaration.where}: name: {declaration.name!r} is the name of a built-in source; give the "
                f"declared source another (built-in: {', '.join(builtin)})",
                source=declaration.name,
                key="name",
            )
    return {d.name: declared.format_for(d) for d in declarations}


def by_name(source: str, declarations: Sequence[Declaration] = ()) -> Format:
    """The built-in format named ``source``, else the declared source of that name."""
    declared_by_name = declared_formats(declarations)  # first: a declared name a built-in has is refused
    for fmt in FORMATS:
        if source == fmt.source:
            return fmt
    if source in declared_by_name:
        return declared_by_name[source]
    known = [*(f.source for f in FORMATS), *(d.name for d in declarations)]
    raise UnknownFormatError(
        f"unknown source {source!r}; known: {', '.join(known)} (a source of your own is declared in "
        "tracker.toml's [[sources]], see docs/sources.md)",
        source=source,
    )


def hints_for_path(path: Path) -> dict:
    """What a file's location says about its content (a dataset config folder, a commit-dated folder).

    Each format's ``hints_for_path(path) -> dict`` is asked in turn; the first non-empty answer wins.
    An origin may also carry hints in a ``#key=value&...`` fragment (a backfilled commit's date, an
    import's ``--config``), so ``reparse`` rebuilds a payload with the hints it was first read with.
    """
    path, recorded = _fragment_hints(path)
    for fmt in FORMATS:
        if hints := fmt.hints_for_path(path):
            return {**hints, **recorded}
    return recorded


_FRAGMENT = re.compile(r"#((?:[a-z_]+=[^&#]*)(?:&[a-z_]+=[^&#]*)*)$")


def _fragment_hints(path: Path) -> tuple[Path, dict]:
    match = _FRAGMENT.search(str(path))
    if not match:
        return path, {}
    return Path(str(path)[: match.start()]), dict(parse_qsl(match[1], keep_blank_values=True))


def origin_with_hints(origin: str, hints: dict) -> str:
    """``origin#key=value&...``: the hints travel with the stored origin (see ``hints_for_path``)."""
    if not hints:
        return origin
    return f"{origin}#{urlencode({k: str(v) for k, v in sorted(hints.items())}, safe=':')}"


def detect(body: bytes, origin: str, hints: dict | None = None) -> Format:
    for fmt in FORMATS:
        if fmt.sniff(body, origin):
            return fmt
    # a format may recognise bytes it will not read from here (an undated copy) and say why
    for fmt in FORMATS:
        if reason := fmt.refusal(body, origin):
            raise UnknownFormatError(f"{origin}: {reason}", origin=origin)
    raise UnknownFormatError(
        f"{origin}: not a format the tracker reads (known: {', '.join(f.source for f in FORMATS)}). "
        "Check the file is a leaderboard page or export, not an error page.",
        origin=origin,
    )


def for_payload(
    body: bytes,
    origin: str,
    source: str | None = None,
    hints: dict | None = None,
    declarations: Sequence[Declaration] = (),
) -> Format:
    """The format of a payload: the named source's format when it recognises the bytes, else detection.

    A stored payload names the source its snapshots were filed under, which is not always the format
    that reads it (the starter history files carry upstream source names); a named source whose
    parser does not recognise the bytes still gets them when nothing else does, so its parse error
    says what is wrong. ``declarations`` are the sources ``tracker.toml`` declares: a payload named for
    one is read by it (its sniff only tells a JSON document or a CSV table from another format's file).
    """
    declared_formats(declarations)  # a declared name a built-in has is refused, named or not
    named = None
    if source:
        try:
            named = by_name(source, declarations)
        except UnknownFormatError:
            named = None
        if named is not None and named.sniff(body, origin):
            return named
    try:
        return detect(body, origin, hints)
    except UnknownFormatError:
        if named is not None:
            return named
        raise
