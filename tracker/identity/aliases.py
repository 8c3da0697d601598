"""Your own identity edits (``tracker alias``): merge a name into a model, split it off again, move an
organisation's spelling. Each edit is a row of kind ``user`` that no refresh touches, followed by a refresh
(``tracker.identity.catalogue``) so every view resolves names the new way at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import duckdb

from tracker.errors import QueryError
from tracker.identity.catalogue import refresh
from tracker.sqlfiles import sql


def normalise(name: str) -> str:
    """The alias form of a key or display name: trimmed, lower case (as ``schema.normalise_key``)."""
    return name.strip().lower()


def resolve(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The canonical model a key or display name stands for now (itself when no alias maps it)."""
    rows = con.execute(sql("read/identity_resolve.sql"), {"alias": normalise(name)}).fetchall()
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
            sql("load/identity_upsert_user_alias.sql"),
            {"alias": model_n, "model_key": model_n, "note": f"pinned when {alias_n} was merged into it"},
        ).fetchall()
    con.execute(
        sql("load/identity_upsert_user_alias.sql"), {"alias": alias_n, "model_key": model_n, "note": note}
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
        if not con.execute(sql("read/identity_name_known.sql"), {"name": alias_n}).fetchone()[0]:
            names = [r[0] for r in con.execute(sql("read/identity_names.sql")).fetchall()]
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
        sql("load/identity_upsert_user_alias.sql"),
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
            ("model", "load/identity_delete_user_alias.sql"),
            ("organisation", "load/identity_delete_user_org_alias.sql"),
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
    known = {r[0]: r[1] for r in con.execute(sql("read/identity_org_keys.sql")).fetchall()}
    if org_n not in known and not new:
        spelt = con.execute(sql("read/identity_org_of_spelling.sql"), {"alias": org_n}).fetchone()
        close = [spelt[0]] if spelt else difflib.get_close_matches(org_n, list(known), n=3, cutoff=0.6)
        raise QueryError(
            f"no organisation has the key {org_key!r}; {_did_you_mean(close)}"
            '`tracker sql "from organizations"` lists the keys; pass --new to start a new organisation',
            org_key=org_n,
        )
    con.execute(
        sql("load/identity_upsert_user_org_alias.sql"), {"alias": spelling_n, "org_key": org_n}
    ).fetchall()
    refresh(con)
    spelt_by = con.execute(sql("read/identity_org_spelling_models.sql"), {"alias": spelling_n}).fetchall()
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
