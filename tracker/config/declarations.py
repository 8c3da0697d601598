"""Declared sources: the ``[[sources]]`` tables of ``tracker.toml``, read into frozen ``Declaration``s.

A declaration tells the tracker how to read a leaderboard it has no parser for, a JSON or CSV file, from the
config alone::

    [[sources]]
    name = "edit-arena"                 # the source stored with every row
    leaderboard = "Example Edit Arena"  # the leaderboard its boards belong to
    arena = "image-edit"
    format = "json"                     # json | csv
    rows = "data.entries"               # json: dotted path to the list of rows
    [sources.fields]
    display_name = "model.label"
    rating = "score.value"

``tracker.config.load_settings`` reads them with the settings (``Settings.declared_sources``) and refuses a bad
one here, naming the source and the key: an unknown key, a missing one (``leaderboard``, ``arena``,
``format``, ``fields.rating``, ``fields.model`` or ``fields.display_name``), a value of the wrong kind, ``ci``
given with ``rating_lower``/``rating_upper``, a name given twice. What needs more than the config is checked
later: a name taken by a built-in format where the formats are assembled (``tracker.sources.declared_formats``),
a path that matches nothing in a file when the file is parsed (``tracker.sources.declared``), the poll
schedule where the jobs are made (``tracker.poll.jobs``). Pure Python: this module loads no data stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tracker.boards import canonical_arena, canonical_category
from tracker.errors import ConfigError, ParseError

FORMATS = ("json", "csv")
# the canonical fields a row can map, as ``[sources.fields]`` names them
FIELDS = (
    "model",
    "display_name",
    "organization",
    "license",
    "rating",
    "rating_lower",
    "rating_upper",
    "ci",
    "votes",
    "rank",
)
# what a date in the document can be (``tracker.parsed.AsOfKind``, the kinds a file's own date can have)
AS_OF_KINDS = ("publish_date", "vote_cutoff")
RANK_MEANINGS = ("ordinal", "ub")  # as ``tracker.parsed.RankMeaning``
_KEYS = (
    "name",
    "leaderboard",
    "arena",
    "category",
    "style_control",
    "format",
    "rows",
    "as_of",
    "as_of_kind",
    "rank_meaning",
    "urls",
    "interval",
    "cron",
    "fields",
)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Declaration:
    """One ``[[sources]]`` table, checked; ``arena`` and ``category`` are canonical (``tracker.boards``)."""

    name: str
    leaderboard: str
    arena: str
    format: str  # one of FORMATS
    fields: tuple[tuple[str, str], ...]  # (canonical field, path in a row or CSV column), in FIELDS order
    category: str = "overall"
    style_control: bool = False
    rows: str = ""  # json: dotted path to the list of rows; "" is the document itself
    as_of: str | None = None  # json: dotted path in the document; csv: a column
    as_of_kind: str = "publish_date"  # what a date read from ``as_of`` is (else the fetch time: capture_time)
    rank_meaning: str | None = None  # what a mapped ``rank`` means; "ordinal" unless declared
    urls: tuple[str, ...] = ()
    interval: float | str | None = None  # as a [[jobs]] interval; parsed with the jobs
    cron: str | None = None
    config: str = "tracker.toml"  # the file that declared it, for messages

    @property
    def where(self) -> str:
        """``tracker.toml [[sources]] 'edit-arena'``: how messages name the declaration."""
        return f"{self.config} [[sources]] {self.name!r}"

    def field(self, name: str) -> str | None:
        """The path (json) or column (csv) ``name`` is read from, or None when it is not mapped."""
        return dict(self.fields).get(name)


def read_declarations(tables: object, config: Path | str | None) -> tuple[Declaration, ...]:
    """The ``[[sources]]`` array of a config document, checked (see the module docstring)."""
    where = str(config) if config is not None else "tracker.toml"
    if not isinstance(tables, list):
        raise ConfigError(
            f"{where}: sources must be an array of tables ([[sources]])", path=where, key="sources"
        )
    declared: dict[str, Declaration] = {}
    for index, table in enumerate(tables, start=1):
        declaration = _declaration(table, index, where)
        if declaration.name in declared:
            raise _refuse(
                declaration.where,
                declaration.name,
                "name",
                f"declared twice (the second is [[sources]] #{index}); give each source one table and a "
                "name of its own",
            )
        declared[declaration.name] = declaration
    return tuple(declared.values())


def _refuse(where: str, name: str | None, key: str, detail: str) -> ConfigError:
    return ConfigError(f"{where}: {key}: {detail}", source=name, key=key)


def _declaration(table: object, index: int, config: str) -> Declaration:
    if not isinstance(table, dict):
        raise ConfigError(f"{config}: [[sources]] #{index} must be a table", path=config, key="sources")
    name = table.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ConfigError(
            f"{config}: [[sources]] #{index} needs a name of letters, digits, '-', '_' or '.' (name = "
            f"{name!r}); it is the source stored with every row",
            path=config,
            key="name",
        )
    where = f"{config} [[sources]] {name!r}"
    _known(table, _KEYS, where, name, prefix="")
    text = {key: _text(table, key, where, name) for key in ("leaderboard", "arena", "format")}
    for key, value in text.items():
        if value is None:
            raise _refuse(
                where, name, key, f"missing; every declared source needs {key} (see docs/sources.md)"
            )
    if text["format"] not in FORMATS:
        raise _refuse(
            where, name, "format", f"{text['format']!r} is not a format; use one of {', '.join(FORMATS)}"
        )
    fields = _fields(table.get("fields"), where, name)
    rows = _text(table, "rows", where, name, empty=True) or ""
    if rows and text["format"] != "json":
        raise _refuse(
            where, name, "rows", "only a json source has a path to its rows; a csv file's rows are its lines"
        )
    as_of = _text(table, "as_of", where, name)
    as_of_kind = _choice(table, "as_of_kind", AS_OF_KINDS, where, name)
    if as_of_kind is not None and as_of is None:
        raise _refuse(
            where,
            name,
            "as_of_kind",
            "given without as_of; a source without as_of is dated by its fetch time",
        )
    rank_meaning = _choice(table, "rank_meaning", RANK_MEANINGS, where, name)
    if rank_meaning is not None and "rank" not in dict(fields):
        raise _refuse(where, name, "rank_meaning", "given without fields.rank; map the published rank too")
    style_control = table.get("style_control", False)
    if not isinstance(style_control, bool):
        raise _refuse(where, name, "style_control", f"{style_control!r} must be true or false")
    urls, interval, cron = _schedule(table, where, name)
    try:
        arena = canonical_arena(text["arena"], origin=where)
        category = canonical_category(_text(table, "category", where, name) or "overall", origin=where)
    except ParseError as exc:
        raise _refuse(where, name, exc.field or "arena", exc.detail) from None
    return Declaration(
        name=name,
        leaderboard=text["leaderboard"],
        arena=arena,
        format=text["format"],
        fields=fields,
        category=category,
        style_control=style_control,
        rows=rows,
        as_of=as_of,
        as_of_kind=as_of_kind or "publish_date",
        rank_meaning=rank_meaning or ("ordinal" if "rank" in dict(fields) else None),
        urls=urls,
        interval=interval,
        cron=cron,
        config=config,
    )


def _known(table: dict, known: tuple[str, ...], where: str, name: str, *, prefix: str) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise _refuse(
            where,
            name,
            f"{prefix}{unknown[0]}",
            f"unknown key; known: {', '.join(prefix + k for k in known)}",
        )


def _text(table: dict, key: str, where: str, name: str, *, empty: bool = False) -> str | None:
    """A text value (None when absent); an empty one only when ``empty``, and never another type."""
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not (value.strip() or empty):
        raise _refuse(where, name, key, f"{value!r} must be a non-empty string")
    return value.strip()


def _choice(table: dict, key: str, choices: tuple[str, ...], where: str, name: str) -> str | None:
    value = _text(table, key, where, name)
    if value is not None and value not in choices:
        raise _refuse(where, name, key, f"{value!r} is not one of {', '.join(choices)}")
    return value


def _fields(table: object, where: str, name: str) -> tuple[tuple[str, str], ...]:
    if table is None:
        raise _refuse(
            where,
            name,
            "fields",
            "missing; map at least rating and model or display_name in [sources.fields]",
        )
    if not isinstance(table, dict):
        raise _refuse(where, name, "fields", "must be a table ([sources.fields]) of field = path")
    _known(table, FIELDS, where, name, prefix="fields.")
    paths = {key: _text(table, key, where, name) for key in FIELDS if key in table}
    if "rating" not in paths:
        raise _refuse(where, name, "fields.rating", "missing; every declared source maps the rating")
    if "model" not in paths and "display_name" not in paths:
        raise _refuse(
            where,
            name,
            "fields.model",
            "missing, and so is fields.display_name; map one (model defaults to a key "
            "made from display_name)",
        )
    if "ci" in paths and ({"rating_lower", "rating_upper"} & set(paths)):
        given = "rating_lower" if "rating_lower" in paths else "rating_upper"
        raise _refuse(
            where,
            name,
            "fields.ci",
            f"given with fields.{given}; map the CI either as one text (ci) or as "
            "rating_lower and rating_upper, not both",
        )
    for one, other in (("rating_lower", "rating_upper"), ("rating_upper", "rating_lower")):
        if one in paths and other not in paths:
            raise _refuse(
                where, name, f"fields.{other}", f"missing while fields.{one} is given; map both bounds"
            )
    return tuple((key, paths[key]) for key in FIELDS if key in paths)  # type: ignore[misc]


def _schedule(table: dict, where: str, name: str) -> tuple[tuple[str, ...], float | str | None, str | None]:
    urls = table.get("urls", [])
    if not isinstance(urls, list) or not all(isinstance(u, str) and u for u in urls):
        raise _refuse(where, name, "urls", "must be a list of http(s) URLs")
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise _refuse(where, name, "urls", f"{url!r} is not an http(s) URL")
    interval, cron = table.get("interval"), table.get("cron")
    for key, value in (("interval", interval), ("cron", cron)):
        if value is not None and not urls:
            raise _refuse(where, name, key, "given without urls; only a source with urls is polled")
    if interval is not None and cron is not None:
        raise _refuse(where, name, "cron", "given with interval; keep one")
    if interval is not None and (isinstance(interval, bool) or not isinstance(interval, int | float | str)):
        raise _refuse(where, name, "interval", f'{interval!r} is not a duration; use seconds or e.g. "1h"')
    if cron is not None and not isinstance(cron, str):
        raise _refuse(where, name, "cron", f"{cron!r} must be a cron expression in a string")
    return tuple(urls), interval, cron
