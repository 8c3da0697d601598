"""Which of the writer's tables changed: a content hash per table, and the identity refresh skipped when
nothing it reads or writes changed since the writer's last one.

The read copy records the hashes of the small tables it copied (``publish_state.table_hashes``), so an
incremental publish copies only the tables whose rows changed since (``read_copy``); a writer keeps what its
last identity refresh left (``PublishState.identity_refreshed``).
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from tracker import identity, seeds

# The identity tables an identity refresh rebuilds (and publish/identity_changed.sql compares), and the
# tables it reads besides them and the seed files: with these and the seeds as the last refresh left them, a
# refresh would change nothing (refresh_identity). An incremental publish compares the identity of the copy
# and the writer's only when these tables' rows changed.
IDENTITY_TABLES = frozenset({"model_aliases", "models", "org_aliases", "organizations"})
IDENTITY_INPUTS = frozenset({"identity_observations", "model_sightings"})


def content_hashes(
    con: duckdb.DuckDBPyConnection, tables: Iterable[str], *, without: dict[str, str] | None = None
) -> dict[str, str]:
    """Each of ``tables`` -> a hash of its rows (its row count and the sum of its rows' hashes; a table in
    ``without`` leaves out that column), in one statement."""
    without = without or {}
    selects = [
        f"SELECT '{table}' AS table_name, CAST(hash(count(*), sum(hash(*COLUMNS("
        f"{f'* EXCLUDE ({without[table]})' if table in without else '*'})))) AS VARCHAR) "
        f'FROM "{table}"'
        for table in sorted(tables)
    ]
    return dict(con.execute(" UNION ALL ".join(selects)).fetchall())


def refresh_identity(w, hashes: dict[str, str] | None = None) -> dict[str, str]:
    """``identity.refresh`` (when a writer opens and before every publish), unless what it reads and writes
    (``IDENTITY_TABLES``, ``IDENTITY_INPUTS`` and the seed files) holds the rows the writer's last refresh
    left and the seed files are the ones it read: a refresh is a function of those alone and gives the same
    tables run twice, so it would change nothing (a load adds to identity_observations, so after one it
    runs). ``hashes`` are those tables' content hashes (``content_hashes``) as they are now, when the caller
    has them; returns them as they are after it, the refreshed tables' hashed anew."""
    con = w.con
    watched = IDENTITY_TABLES | IDENTITY_INPUTS
    seed_frames = tuple(seeds.read_all().values())  # the same objects while the files are unchanged
    last = w.state.identity_refreshed
    if last is not None:
        hashes = dict(hashes) if hashes is not None else content_hashes(con, watched)
        unchanged = all(a is b for a, b in zip(last[0], seed_frames, strict=True))
        if unchanged and last[1] == {t: hashes[t] for t in watched}:
            return hashes
    identity.refresh(con)
    hashes = {**(hashes or {}), **content_hashes(con, IDENTITY_TABLES if hashes else watched)}
    w.state.identity_refreshed = (seed_frames, {t: hashes[t] for t in watched})
    return hashes
