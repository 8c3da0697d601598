"""The store: the writer's DuckDB database, what loads into it, and the read copy it publishes.

- ``writer``: the lock, ``open_writer`` and the ``writer`` context (migrates, applies views, publishes on close);
- ``migrations``: ``sql/migrations`` once each, ``sql/macros`` and ``sql/views`` when their SQL changed;
- ``load``: a validated frame's snapshots and standings, raw payloads, fetch rows;
- ``payload_files``: raw payload bodies as compressed files under ``$TRACKER_HOME/payloads``;
- ``read_copy``: the read copy (full or incremental) and ``publish_if_due``, the one decision to publish;
- ``memory``: the writer's memory cap and checkpoints; ``methodology``: the seeded methodology events.

The names below are the store's surface for the stages after it (ingest, poll, alerts, the CLI). Loading
and publishing (``load``, ``read_copy``) work on polars frames, so their names load on first use: a reader
that only needs ``configure_session`` (``tracker.read.connection``, so ``tracker sql``) does not pay for polars.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from tracker.store.memory import deferred_checkpoints, release_memory, uncapped
from tracker.store.migrations import STORAGE_VERSION, apply_views, migrate
from tracker.store.writer import Writer, configure_session, open_writer, writer

if TYPE_CHECKING:
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
    from tracker.store.read_copy import publish, publish_if_due

_LOAD = ("LoadResult", "load_frame", "payload_loaded", "read_raw", "record_fetch", "rollback", "save_raw")
# name -> the submodule that defines it, imported on first use of the name
_LAZY = {
    **dict.fromkeys((*_LOAD, "write_failure"), "load"),
    "publish": "read_copy",
    "publish_if_due": "read_copy",
}

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


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"tracker.store.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'tracker.store' has no attribute {name!r}")
