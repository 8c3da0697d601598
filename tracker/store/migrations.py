"""Schema: apply ``sql/migrations/NNNN_*.sql`` once each (recorded in ``schema_migrations``), and (re)create
the macros and views of ``sql/macros`` and ``sql/views`` (they hold no data) whenever their SQL or the schema
changed: ``sql_objects`` records the fingerprint they were created from."""

from __future__ import annotations

from datetime import UTC, datetime

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
