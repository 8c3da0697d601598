"""Concurrency: readers of every kind run continuously while the poller ingests and publishes.

The writer polls a fault-server URL through ``tracker.ingest.fetch.poll_url`` (a new board each time, a 503 and
a rejected page now and then) and publishes after each change. Meanwhile:

- ``tracker sql`` runs again and again as a separate process (the CLI a user types);
- a process calls the dashboard's data functions (``dashboards.data``), as the Streamlit server does;
- a process opens its own read-only DuckDB connection on the read copy for every read, and another keeps
  one connection open for the whole run.

The DuckDB readers try an open again that a publish's swap made fail, as docs/storage.md tells a client to
(``tests.reliability.readers``). Every read must succeed and see whole snapshots (each snapshot holds exactly
``row_count`` rows, and the number of snapshots a reader sees never goes down). At the end the read copy holds
every stored row.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import faults as F
from tests.cli import run_tracker_process
from tests.reliability import state
from tracker import store
from tracker.config import load_settings
from tracker.http import make_client
from tracker.ingest import fetch as poller
from tracker.ingest import guard

REPO = Path(__file__).resolve().parents[2]
PATH = "/leaderboard/text/overall-no-style-control"
PUBLISHES = 30  # polls that store a new board (each one publishes)
KINDS = ("dashboard", "duckdb", "duckdb-held")
CHECK = f"select ({state.HALF_WRITTEN}) as half_written, (select count(*) from snapshots) as snapshots"
MIN_SQL_RUNS = 3  # each run is a new process (about 2 s of start-up)
SQL_PAUSE = 0.5  # between two `tracker sql` processes: back to back they took a core from the writer
MIN_READS = 10  # every other reader reads at least this often while the poller publishes


def _poll(w, client, url):
    """One poll of the URL as a poll cycle does it: fetch, then publish (the poller's decision, at once here)."""
    result = poller.poll_url(w, client, url, guard=guard.check)
    store.publish_if_due(w, new_data=True)
    return result


def _reads(outs: dict[str, Path]) -> int:
    """The fewest reads any reader process has reported so far."""
    counts = []
    for out in outs.values():
        try:
            counts.append(int(out.with_suffix(".reads").read_text() or 0))
        except (FileNotFoundError, ValueError):
            counts.append(0)
    return min(counts)


def _sql_reader(home: Path, stop: threading.Event, report: dict) -> None:
    """`tracker sql` in a loop, each run a new process, as a user's script would call it."""
    last = 0
    while not stop.is_set():
        proc = run_tracker_process(home, "sql", CHECK, "--format", "json", timeout=120)
        try:
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            ok = proc.returncode == 0
        except (ValueError, IndexError):
            ok, row = False, {}
        if not ok:
            report["errors"] += 1
            report["messages"].append(f"exit {proc.returncode}: {proc.stderr[-300:]}")
            continue
        report["reads"] += 1
        report["partial"] += row["half_written"] > 0 or row["snapshots"] < last
        last = row["snapshots"]
        stop.wait(SQL_PAUSE)


@pytest.mark.slow
def test_readers_see_whole_snapshots_while_the_poller_publishes(tmp_path, ledger):
    home = tmp_path / "home"
    settings = load_settings(
        environ={}, home=home, publish_min_interval=0.0, retries=1, backoff_base=0.01, deadline=10.0
    )
    stop_file, stop = tmp_path / "stop", threading.Event()
    sql_report = {"kind": "tracker sql", "reads": 0, "errors": 0, "partial": 0, "messages": []}
    outs = {kind: tmp_path / f"{kind}.json" for kind in KINDS}
    stored = publishes = 0
    with (
        store.writer(settings, "concurrency test") as w,
        make_client(settings, sleep=lambda s: None) as client,
        F.fault_server() as server,
    ):
        url = server.serve(PATH, F.respond(F.good(0)))
        assert _poll(w, client, url).outcome == "new"
        readers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.reliability.readers",
                    kind,
                    str(home),
                    str(stop_file),
                    str(out),
                ],
                cwd=REPO,
                stderr=subprocess.PIPE,
                text=True,
            )
            for kind, out in outs.items()
        ]
        sql_thread = threading.Thread(target=_sql_reader, args=(home, stop, sql_report), daemon=True)
        sql_thread.start()
        started = time.perf_counter()
        try:
            i = 0
            while publishes < PUBLISHES or (
                min(_reads(outs), sql_report["reads"] * MIN_READS // MIN_SQL_RUNS) < MIN_READS
                and time.perf_counter() - started < 90
            ):
                i += 1
                if i % 7 == 0:  # now and then a fault, which writes a fetch row and publishes too
                    server.serve(
                        PATH, F.status(503) if i % 2 else F.respond(F.with_entries(i, lambda e: e[:3]))
                    )
                    assert _poll(w, client, url).outcome in (
                        "failed",
                        "rejected",
                    )
                server.serve(PATH, F.respond(F.good(i)))
                result = _poll(w, client, url)
                assert result.outcome == "new", result
                stored += result.rows_written
                publishes += 1
        finally:
            stop_file.touch()
            stop.set()
            failures = [proc.communicate(timeout=120)[1] for proc in readers]
            sql_thread.join(timeout=180)
        writer_standings = state.standings(w.con)
    window = time.perf_counter() - started

    for proc, err in zip(readers, failures, strict=True):
        assert proc.returncode == 0, f"a reader process failed: {err[-2000:]}"
    reports = [json.loads(out.read_text()) for out in outs.values()] + [sql_report]
    con = state.read_only(settings.read_copy_path)
    try:
        lost = state.missing(writer_standings, state.standings(con))
    finally:
        con.close()
    expected_rows = (publishes + 1) * F.MODELS
    lost += expected_rows - len(writer_standings)
    errors = sum(r["errors"] for r in reports)
    partial = sum(r["partial"] for r in reports)
    for r in reports:
        ok = r["errors"] == 0 and r["partial"] == 0
        ledger.record(
            f"concurrency: {r['kind']} reader",
            f"{PUBLISHES} publishes by the poller while it reads",
            trials=PUBLISHES,
            survived=PUBLISHES if ok else 0,
            rows_lost=lost if r is reports[0] else 0,
        )
    ledger.note(
        f"concurrency: {publishes} publishes in {window:.1f} s; reads: "
        + ", ".join(f"{r['kind']} {r['reads']}" for r in reports)
        + f"; opens met by a swap and tried again: {sum(r.get('reopened', 0) for r in reports)}"
    )
    assert errors == 0, [r["messages"] for r in reports]
    assert partial == 0, reports
    assert lost == 0
    for r in reports:
        assert r["reads"] >= (MIN_SQL_RUNS if r["kind"] == "tracker sql" else MIN_READS), r
