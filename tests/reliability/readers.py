"""Reader processes for the concurrency test: ``python -m tests.reliability.readers KIND HOME STOP OUT``.

Each kind reads the published read copy in a loop until the file STOP exists, then writes a JSON report
(reads, errors, partial reads, first error messages, snapshots seen) to OUT:

- ``dashboard``: the dashboard's own data functions (``dashboards.data``), cache cleared on every round so
  every round really reads;
- ``duckdb``: a user's own short read-only DuckDB connection per round;
- ``duckdb-held``: a user's read-only connection opened once and kept for the whole run.

A read is partial when some snapshot does not hold exactly ``row_count`` standings rows, or when the
number of snapshots seen goes down (a reader must never see the past after the present).

The two DuckDB readers open the file as docs/storage.md tells a client of its own to: an open that fails with
an IO error is tried again (three tries), since DuckDB reads a file's headers and its blocks through separate
opens of its name and a publish swapping the copy in between fails that open (this test's ``duckdb`` reader
met it once in CI, 2026-12-07, as the tracker's own readers had: ``tracker.read.connection.OPEN_ATTEMPTS``).
Such opens are counted (``reopened``); an open that fails every try, or any failed query, is an error.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from tests.reliability.state import HALF_WRITTEN

SNAPSHOTS = "select count(*) from snapshots"
PAUSE = 0.05  # between rounds: readers run continuously but leave a small machine's CPU to the writer
RANKS = "select count(*), max(rank_ordinal) from rank_history"
OPEN_TRIES = 3


def open_read_copy(path: Path, counts: dict[str, int]) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``path``, an open that meets a swap tried again (the module's docstring),
    each such open counted in ``counts["reopened"]``."""
    for attempt in range(1, OPEN_TRIES + 1):
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException:
            if attempt == OPEN_TRIES:
                raise
            counts["reopened"] += 1
            time.sleep(0.02 * attempt)
    raise AssertionError("unreachable")


def _duckdb_round(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    half = con.execute(HALF_WRITTEN).fetchall()[0][0]
    con.execute(RANKS).fetchall()
    return int(half), int(con.execute(SNAPSHOTS).fetchall()[0][0])


def main(kind: str, home: Path, stop: Path, out: Path) -> None:
    reads = errors = partial = 0
    messages: list[str] = []
    seen: list[int] = []
    counts = {"reopened": 0}  # opens of the DuckDB readers tried again (open_read_copy)
    held = None
    read_round = None
    if kind == "dashboard":
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from dashboards import data
        from tracker.config import load_settings

        settings = load_settings(environ={}, home=home)

        def read_round() -> tuple[int, int]:
            data.clear()
            src = data.source(settings)
            half = int(data.run(HALF_WRITTEN, src=src).row(0)[0])
            for path in (
                "read/dashboard_boards.sql",
                "read/dashboard_freshness.sql",
                "read/dashboard_models.sql",
            ):
                data.read(path, src=src)
            return half, int(data.run(SNAPSHOTS, src=src).row(0)[0])

    elif kind == "duckdb-held":
        held = open_read_copy(home / "tracker.read.duckdb", counts)

        def read_round() -> tuple[int, int]:
            return _duckdb_round(held)

    elif kind == "duckdb":

        def read_round() -> tuple[int, int]:
            con = open_read_copy(home / "tracker.read.duckdb", counts)
            try:
                return _duckdb_round(con)
            finally:
                con.close()

    else:
        raise SystemExit(f"unknown reader kind {kind!r}")
    progress = out.with_suffix(".reads")
    started = time.perf_counter()
    while not stop.exists():
        try:
            half, snapshots = read_round()
        except Exception as exc:  # every failure counts; the report carries the first few
            errors += 1
            if len(messages) < 5:
                messages.append(repr(exc)[:300])
            continue
        reads += 1
        partial += half > 0 or (bool(seen) and snapshots < seen[-1])
        progress.write_text(str(reads), encoding="utf-8")  # the test keeps publishing until every reader read
        time.sleep(PAUSE)
        if not seen or snapshots != seen[-1]:
            seen.append(snapshots)
    if held is not None:
        held.close()
    report = {
        "kind": kind,
        "reads": reads,
        "errors": errors,
        "partial": partial,
        "reopened": counts["reopened"],
        "messages": messages,
        "versions_seen": len(seen),
        "seconds": time.perf_counter() - started,
    }
    out.write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
