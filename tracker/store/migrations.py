"""Schema: apply ``sql/migrations/NNNN_*.sql`` once each (recorded in ``schema_migrations``), and (re)create
the macros and views of ``sql/macros`` and ``sql/views`` (they hold no data) whenever their SQL or the schema
changed: ``sql_objects`` records the fingerprint they were created from."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tracker.errors import StoreError
from tracker.sqlfiles import fingerprint, sql, sql_files

# The database and its read copy use this storage compatibility so the duckdb-cli 1.5.x from PyPI opens them.
STORAGE_VERSION = "v1.5.0"


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every ``sql/migrations/NNNN_*.sql`` not yet recorded, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for path in sql_files("migrations"):
        version = int(path.name.split("_", 1)[0])
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, path.stem, datetime.now(UTC)]
            )
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"migration {path.name} failed: {exc}") from exc
        applied.append(path.stem)
    return applied


VIEW_FOLDERS = ("macros", "views")


def apply_views(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """(Re)create every macro and view unless the database holds them as this SQL creates them already (and
    not ``force``: a migration just ran). Returns whether they were recreated."""
    current = fingerprint(VIEW_FOLDERS)
    if not force and con.execute(sql("read/sql_objects_fingerprint.sql")).fetchall()[0][0] == current:
        return False
    for folder in VIEW_FOLDERS:
        for path in sql_files(folder):
            try:
                con.execute(path.read_text(encoding="utf-8"))
            except duckdb.Error as exc:
                raise StoreError(f"{folder}/{path.name} failed: {exc}") from exc
    con.execute(sql("load/record_sql_objects.sql"), {"fingerprint": current})
    return True


# A new database starts as a copy of the schema (migrations, macros, views) this process built for its first
# one, with the identity tables as the bundled seeds make them: building it costs ~0.15 s and its identity
# refresh ~50 ms, copying it ~1 ms, for processes that create many databases (the tests, the benchmarks).
# Keyed by the SQL it was built from; kept in a temporary folder removed at exit, with what its identity
# refresh left (``table_hashes.refresh_identity``), so a copy's first refresh finds nothing to do.
_SCHEMA_FOLDERS = ("migrations", *VIEW_FOLDERS)
_schema_copies: dict[str, tuple[Path, tuple | None]] = {}


def start_from_schema_copy(database: Path) -> tuple[bool, tuple | None]:
    """Before a new database at ``database`` is opened: copy the empty schema this process built for an
    earlier one from the same SQL, if there is one. Returns whether it did, and what the copy's identity
    refresh left (None without a copy)."""
    kept = _schema_copies.get(fingerprint(_SCHEMA_FOLDERS))
    if kept is None or database.exists() or not kept[0].exists():
        return False, None
    shutil.copyfile(kept[0], database)
    return True, kept[1]


def keep_schema_copy(
    con: duckdb.DuckDBPyConnection, database: Path, identity_refreshed: tuple | None
) -> None:
    """After a new database's schema was built and its identity refreshed from the seeds (no data written
    yet): checkpoint it and keep a copy for the next new database of this process, with what that refresh
    left (``identity_refreshed``)."""
    key = fingerprint(_SCHEMA_FOLDERS)
    if key in _schema_copies:
        return
    con.execute("CHECKPOINT")  # the whole schema in the file, none of it in the WAL
    folder = Path(tempfile.mkdtemp(prefix="tracker-schema-"))
    atexit.register(shutil.rmtree, folder, True)
    shutil.copyfile(database, folder / "schema.duckdb")
    _schema_copies[key] = (folder / "schema.duckdb", identity_refreshed)


def stamp_copied_schema(con: duckdb.DuckDBPyConnection) -> None:
    """A database started from a schema copy says it was migrated now, as one built from nothing would."""
    con.execute(sql("load/stamp_copied_schema.sql"), {"now": datetime.now(UTC)})
