"""The store: the writer's DuckDB database, what loads into it, and the read copy it publishes.

- ``writer``: the lock, ``open_writer`` and the ``writer`` context (migrates, applies views, publishes on close);
- ``migrations``: ``sql/migrations`` once each, ``sql/macros`` and ``sql/views`` on every start;
- ``load``: a validated frame's snapshots and standings, raw payloads, fetch rows;
- ``payload_files``: raw payload bodies as compressed files under ``$TRACKER_HOME/payloads``;
- ``read_copy``: the read copy (full or incremental) and ``publish_if_due``, the one decision to publish;
- ``memory``: the writer's memory cap and checkpoints; ``methodology``: the seeded methodology events.

The names below are the store's surface for the stages after it (ingest, poll, alerts, the CLI).
"""

from tracker.store.load import (
    LoadResult,
    load_frame,
    payload_loaded,
    read_raw,
    record_fetch,
    rollback,
    save_raw,
    write_failure,
)
from tracker.store.memory import deferred_checkpoints, release_memory, uncapped
from tracker.store.migrations import STORAGE_VERSION, apply_views, migrate
from tracker.store.read_copy import publish, publish_if_due
from tracker.store.writer import Writer, configure_session, open_writer, writer

__all__ = [
    "STORAGE_VERSION",
    "LoadResult",
    "Writer",
    "apply_views",
    "configure_session",
    "deferred_checkpoints",
    "load_frame",
    "migrate",
    "open_writer",
    "payload_loaded",
    "publish",
    "publish_if_due",
    "read_raw",
    "record_fetch",
    "release_memory",
    "rollback",
    "save_raw",
    "uncapped",
    "write_failure",
    "writer",
]
