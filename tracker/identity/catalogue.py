"""Model and organisation identity: one canonical key per model across sources and eras.

Where it sits: after every load and before every publish (``refresh``), and in the views, which
resolve each stored ``standings.model_key`` through ``model_aliases`` and each organisation string
through ``org_aliases`` (sql/views/0010_standings_resolved.sql).

What feeds it, strongest first:
1. user overrides (``tracker alias``), rows of kind ``user``: never touched by a refresh;
2. the catalogue in ``seeds/`` (renames such as gpt-4 -> gpt-4-0314, organisations and their spellings,
   curated models with a family), loaded by ``tracker.seeds`` on every writer open and refresh;
3. what the data teaches (kind ``learned``): a source that publishes both a key and a display name
   (the official dataset, the Space's metadata tables, jasontrigg0, samica666 ...) maps that display
   name to the key, so a source that only shows display names (2023 CSVs, fboulnois, pages without
   ``modelKey``) lands on the same model. A display name is learned only when it is unambiguous (one
   canonical target) and is not itself a key some keyed source publishes.

Metadata-only files (the Space's 2024+ ``leaderboard_table`` CSVs, jasontrigg0's ``key_to_model.csv``,
the site registry) produce "sightings" (key, display name, organisation, licence) instead of standings;
formats return them from their ``parse_identity`` hook and the pipeline stores them in
``model_sightings`` in the same transaction as the payload.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from tracker import frames, seeds
from tracker.errors import QueryError
from tracker.sqlfiles import sql

if TYPE_CHECKING:  # the store imports this module; it has no need to load every parser
    from tracker.sources.format import Format

SIGHTINGS_SCHEMA: dict[str, pl.DataType] = {
    "model_key": pl.Utf8(),  # normalised upstream key (the display name when the file has no key)
    "display_name": pl.Utf8(),
    "organization": pl.Utf8(),
    "license": pl.Utf8(),
    "knowledge_cutoff": pl.Utf8(),
    "url": pl.Utf8(),
    "as_of": pl.Datetime("us", "UTC"),
    "keyed": pl.Boolean(),  # the file publishes real keys (not display names standing in for keys)
    "extra": pl.Utf8(),
}

# Refresh order: organisations, then model aliases (seeds, learned, chains resolved), then models.
_REFRESH = (
    "load/identity_stage_observed",
    "load/identity_stage_org_spellings",
    "load/identity_clear_organizations",
    "load/seed_organizations",
    "load/identity_clear_org_aliases",
    "load/seed_org_aliases",
    "load/identity_learn_organizations",
    "load/identity_learn_org_aliases",
    "load/identity_clear_model_aliases",
    "load/seed_model_aliases",
    "load/identity_learn_model_aliases",
    "load/identity_resolve_model_aliases",
    "load/identity_clear_models",
    "load/identity_insert_models",
)


def empty_sightings() -> pl.DataFrame:
    return pl.DataFrame(schema=SIGHTINGS_SCHEMA)


def conform_sightings(frame: pl.DataFrame) -> pl.DataFrame:
    """Missing columns as nulls, canonical types and order, keys normalised, exact duplicates dropped."""
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in SIGHTINGS_SCHEMA.items()
        if name not in frame.columns
    ]
    frame = frame.with_columns(missing) if missing else frame
    frame = frame.select(pl.col(name).cast(dtype, strict=False) for name, dtype in SIGHTINGS_SCHEMA.items())
    return (
        frame.with_columns(pl.col("model_key").str.strip_chars().str.to_lowercase())
        .filter(pl.col("model_key").is_not_null() & (pl.col("model_key") != ""))
        .unique(maintain_order=True)
    )


def sightings_of(
    fmt: Format, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
) -> pl.DataFrame:
    """The identity rows a payload carries (empty when its format has none)."""
    found = fmt.parse_identity(body, origin, fetched_at=fetched_at, hints=hints)
    return empty_sightings() if found is None else conform_sightings(found)


def load_sightings(
    con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, *, source: str, payload_hash: str
) -> int:
    """Store a payload's sightings (inside the caller's transaction); a payload's rows are replaced."""
    con.execute(sql("load/identity_delete_sightings"), {"payload_hash": payload_hash})
    if frame.is_empty():
        return 0
    frames.register(con, "staged_sightings", frame)
    try:
        con.execute(sql("load/identity_insert_sightings"), {"source": source, "payload_hash": payload_hash})
    finally:
        con.unregister("staged_sightings")
    return frame.height


@dataclass(frozen=True)
class RefreshResult:
    models: int
    model_aliases: int
    organizations: int
    org_aliases: int


def refresh(con: duckdb.DuckDBPyConnection, *, seeds_dir: Path | None = None) -> RefreshResult:
    """Rebuild the identity tables from seeds, data and user overrides, in one transaction.

    Idempotent and set-based: running it twice gives the same tables; user rows are never changed.
    """
    staged = seeds.read_all(seeds_dir)
    for name, frame in staged.items():
        frames.register(con, name, frame)
    con.execute("BEGIN TRANSACTION")
    try:
        for name in _REFRESH:
            con.execute(sql(name))
        counts = con.execute(sql("read/identity_counts")).fetchall()[0]
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in staged:
            con.unregister(name)
    return RefreshResult(*(int(c) for c in counts))


def normalise(name: str) -> str:
    """The alias form of a key or display name: trimmed, lower case (as ``schema.normalise_key``)."""
    return name.strip().lower()


def resolve(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The canonical model a key or display name stands for now (itself when no alias maps it)."""
    rows = con.execute(sql("read/identity_resolve"), {"alias": normalise(name)}).fetchall()
    return rows[0][0] if rows else normalise(name)


def add_alias(con: duckdb.DuckDBPyConnection, alias: str, model: str, *, note: str | None = None) -> str:
    """Merge: ``alias`` (a key or display name) now means ``model``; returns the canonical model.

    Stored as kind 'user', so re-seeding and re-learning never undo it. When ``model`` itself resolves
    to ``alias`` (reversing a rename), ``model`` is pinned to itself too, so no cycle forms.
    """
    alias_n, model_n = normalise(alias), normalise(model)
    if not alias_n or not model_n:
        raise QueryError(
            "both the alias and the model must be non-empty, e.g. `tracker alias add gpt-4 gpt-4-0314`"
        )
    if alias_n == model_n:
        raise QueryError(
            f"`{alias}` cannot be an alias of itself; to make it its own model again use "
            f"`tracker alias remove {alias}`"
        )
    if resolve(con, model_n) == alias_n:
        con.execute(
            sql("load/identity_upsert_user_alias"),
            {"alias": model_n, "model_key": model_n, "note": f"pinned when {alias_n} was merged into it"},
        ).fetchall()
    con.execute(
        sql("load/identity_upsert_user_alias"), {"alias": alias_n, "model_key": model_n, "note": note}
    ).fetchall()
    refresh(con)
    return resolve(con, alias_n)


def remove_alias(con: duckdb.DuckDBPyConnection, alias: str, *, note: str | None = None) -> str:
    """Split: ``alias`` is its own model again, whatever the seeds or the data say (kind 'user'); returns the
    model it meant before. Refused when ``alias`` is no alias, model or source key (a typo would store a
    pointless row), and when it already is its own model (nothing to split)."""
    alias_n = normalise(alias)
    if not alias_n:
        raise QueryError("the alias to split off must be non-empty, e.g. `tracker alias remove gpt-4`")
    before = resolve(con, alias_n)
    if before == alias_n:
        if not con.execute(sql("read/identity_name_known"), {"name": alias_n}).fetchone()[0]:
            names = [r[0] for r in con.execute(sql("read/identity_names")).fetchall()]
            close = difflib.get_close_matches(alias_n, names, n=3, cutoff=0.8)
            raise QueryError(
                f"no such alias or model: {alias!r}; {_did_you_mean(close)}"
                "`tracker alias list PART` lists aliases, `tracker models PART` models",
                alias=alias_n,
            )
        raise QueryError(
            f"{alias_n} is already its own model (no alias maps it to another), so there is nothing to split; "
            f"`tracker alias list {alias_n}` shows what maps to it",
            alias=alias_n,
        )
    con.execute(
        sql("load/identity_upsert_user_alias"),
        {"alias": alias_n, "model_key": alias_n, "note": note or "split by user"},
    ).fetchall()
    refresh(con)
    return before


def reset_alias(con: duckdb.DuckDBPyConnection, alias: str) -> tuple[str, ...]:
    """Drop the user's merge or split of ``alias`` and the user's organisation alias of that spelling, so
    the seeds and the data decide again; returns what was dropped ("model", "organisation"), empty if none."""
    name = normalise(alias)
    dropped = tuple(
        what
        for what, statement in (
            ("model", "load/identity_delete_user_alias"),
            ("organisation", "load/identity_delete_user_org_alias"),
        )
        if con.execute(sql(statement), {"alias": name}).fetchall()
    )
    refresh(con)
    return dropped


@dataclass(frozen=True)
class OrgMerge:
    """What ``add_org_alias`` did: the spelling, its organisation now, and the models whose rows use that
    spelling: those that show the organisation now and those that keep another (``kept``: model key, the
    organisation it shows, whether the seed catalogue fixes it)."""

    spelling: str
    org_key: str
    new_org: bool
    followed: tuple[str, ...]
    kept: tuple[tuple[str, str, bool], ...]


def add_org_alias(
    con: duckdb.DuckDBPyConnection, spelling: str, org_key: str, *, new: bool = False
) -> OrgMerge:
    """Merge an organisation spelling into an organisation (kind 'user'). ``org_key`` must be a known
    organisation key unless ``new`` (a deliberate new organisation, named by its key until a seed names it):
    an unknown key is most likely a typo, and would split the spelling's models off their organisation."""
    spelling_n, org_n = normalise(spelling), normalise(org_key)
    if not spelling_n or not org_n:
        raise QueryError(
            "both the spelling and the organisation key must be non-empty, "
            "e.g. `tracker alias org 'Azure' microsoft`"
        )
    known = {r[0]: r[1] for r in con.execute(sql("read/identity_org_keys")).fetchall()}
    if org_n not in known and not new:
        spelt = con.execute(sql("read/identity_org_of_spelling"), {"alias": org_n}).fetchone()
        close = [spelt[0]] if spelt else difflib.get_close_matches(org_n, list(known), n=3, cutoff=0.6)
        raise QueryError(
            f"no organisation has the key {org_key!r}; {_did_you_mean(close)}"
            '`tracker sql "from organizations"` lists the keys; pass --new to start a new organisation',
            org_key=org_n,
        )
    con.execute(
        sql("load/identity_upsert_user_org_alias"), {"alias": spelling_n, "org_key": org_n}
    ).fetchall()
    refresh(con)
    spelt_by = con.execute(sql("read/identity_org_spelling_models"), {"alias": spelling_n}).fetchall()
    return OrgMerge(
        spelling_n,
        org_n,
        org_n not in known,
        tuple(model for model, org, _, _ in spelt_by if org == org_n),
        tuple((model, shown, kind == "seed") for model, org, shown, kind in spelt_by if org != org_n),
    )


def _did_you_mean(close: list[str]) -> str:
    return f"did you mean {' or '.join(close)}? " if close else ""


def like_pattern(pattern: str | None) -> str | None:
    """A user's pattern as an ILIKE pattern (backslash escapes): ``*`` is the wildcard, else a substring."""
    if pattern is None or not pattern.strip():
        return None
    text = pattern.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return text.replace("*", "%") if "*" in text else f"%{text}%"
