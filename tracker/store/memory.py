"""Memory and checkpoints of the long-lived writer: lift its DuckDB memory cap for work that grows with the
whole history, give back what a finished statement kept, and checkpoint once after many transactions."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


@contextlib.contextmanager
def deferred_checkpoints(w) -> Iterator[None]:
    """For many transactions in a row (an import, a backfill): DuckDB checkpoints its WAL into the file after
    every commit that takes the WAL past 16 MB, so a full-history import checkpointed after each file; here it
    checkpoints once, at the end. The WAL still makes every commit durable in between."""
    w.con.execute("SET checkpoint_threshold = '1TB'")
    try:
        yield
    finally:
        w.con.execute("RESET checkpoint_threshold")
    w.con.execute("CHECKPOINT")  # after a failure DuckDB checkpoints at its next chance instead


@contextlib.contextmanager
def uncapped(w) -> Iterator[None]:
    """Lift the writer's memory cap for work whose memory grows with the whole history (a full read-copy
    build, which a poller's cap cannot hold at large histories; the alerts' event stream), then set it again."""
    if not w.memory_limit:
        yield
        return
    w.con.execute("RESET memory_limit")
    cap = f"SET memory_limit = '{w.memory_limit}'"  # validated by Settings
    try:
        yield
    finally:
        try:
            w.con.execute(cap)
        except duckdb.OutOfMemoryException:
            # DuckDB lets go of the work's blocks only once they are written out
            w.con.execute("CHECKPOINT")
            w.con.execute(cap)


# How low release_memory briefly sets the cap: DuckDB then gives back what it does not need (lower than what
# it holds pinned fails, and is ignored).
RELEASE_FLOOR = "32MB"


def release_memory(w) -> None:
    """Make DuckDB give back the memory it keeps after a statement, under the writer's cap: the buffers and
    blocks a finished statement used stay allocated to the instance (and resident) until the cap needs
    them, though ``duckdb_memory()`` no longer counts them, so each statement of a publish starts from the
    last one's high-water mark. Briefly lowering the cap frees them, cheaply. The poller calls it between a
    publish's statements, which lowers the peak of a page's publish (BENCHMARKS.md, Findings). Without a cap (DuckDB's default) it does nothing."""
    if not w.memory_limit:
        return
    with contextlib.suppress(duckdb.OutOfMemoryException):
        w.con.execute(f"SET memory_limit = '{RELEASE_FLOOR}'")
    w.con.execute(f"SET memory_limit = '{w.memory_limit}'")  # validated by Settings
