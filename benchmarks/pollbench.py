"""The poll benchmark, run in a child process against a loopback server in another (``loopback``).

The writer is opened on a loaded database as the scheduler does (once, timed on its own; DuckDB capped at the
``poller_memory_limit`` setting), then poll cycles
run through ``cycle.run_job`` with one target each, as the scheduler's jobs do:

1. a changed page (a new board date): stored, then published;
2. unchanged, answered 304 (the route has an ETag, the poller sends If-None-Match);
3. unchanged, answered 200 with the same bytes (no ETag): hashed, recognised, nothing parsed.

Baseline: the same GET with plain httpx (conditional for the 304 route; plus the body's sha256 for the 200).
Per cycle: wall time, this process's CPU time (the server's is not in it), and rows written to standings,
snapshots and raw payloads (must stay 0 for unchanged polls; each fetch still logs one ``fetches`` row).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import httpx

from benchmarks.timing import Samples, TimedConnection, new_stages, peak_rss_mb, table_rows
from tracker import http, store
from tracker.config import load_settings
from tracker.poll import cycle, jobs


def _cycle(w, client, job) -> tuple[float, float, dict[str, int], str]:
    before = table_rows(w.con)
    cpu0, started = time.process_time(), time.perf_counter()
    run = cycle.run_job(w, job, client=client)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu0
    after = table_rows(w.con)
    outcome = run.results[0].outcome if run.results else run.outcome
    return seconds, cpu, {t: after[t] - before[t] for t in after}, outcome


def _bare_gets(url: str, name: str, runs: int) -> tuple[Samples, Samples]:
    """The floor of one unchanged poll: the same GET with plain httpx (the 304 one conditional), and for a
    200 the sha256 of the body that recognises it."""
    wall, cpu = Samples(), Samples()
    with httpx.Client() as bare:
        etag = bare.get(url).headers.get("ETag")
        headers = {"If-None-Match": etag} if name == "not_modified" and etag else {}
        for _ in range(runs):
            cpu0, started = time.process_time(), time.perf_counter()
            response = bare.get(url, headers=headers)
            hashlib.sha256(response.content).hexdigest()
            wall.add(time.perf_counter() - started)
            cpu.add(time.process_time() - cpu0)
    return wall, cpu


def poll(home: str, base_url: str, changed: str, etag_route: str, same_route: str, runs: int) -> dict:
    """The poll cycles (see the module docstring), on a writer opened as ``tracker schedule`` opens it: with
    DuckDB capped at ``poller_memory_limit``."""
    imported = peak_rss_mb()  # the interpreter, the tracker's modules and this harness's, before any work
    settings = load_settings(environ={}, home=Path(home), jitter=0.0, retries=0)
    started = time.perf_counter()
    w = store.open_writer(settings, "benchmark poll", memory_limit=settings.poller_memory_limit)
    open_seconds = time.perf_counter() - started
    client = http.make_client(settings)
    out: dict = {
        "open_seconds": open_seconds,
        "memory_limit": settings.poller_memory_limit,
        "peak_after": {"imports": imported, "open writer": peak_rss_mb()},
    }
    try:
        job = lambda route: jobs.Job("benchmark", None, (jobs.url_target(base_url + route),))  # noqa: E731
        seconds, cpu, written, outcome = _cycle(w, client, job(changed))
        out["changed"] = {
            "seconds": seconds,
            "cpu": cpu,
            "written": written,
            "outcome": outcome,
            "publish": w.last_published.mode if w.last_published else None,
        }
        out["peak_after"]["new page stored and published"] = peak_rss_mb()
        # prime both unchanged routes (first fetch of each stores its validators / its payload)
        for route in (etag_route, same_route):
            _cycle(w, client, job(route))
        out["peak_after"]["unchanged routes primed (first fetch of each)"] = peak_rss_mb()
        for name, route in (("not_modified", etag_route), ("same_hash", same_route)):
            wall, cpus, writes, outcomes = Samples(), Samples(), {}, set()
            stages = new_stages()
            for run in range(runs):
                if run == runs - 1:
                    w.con = TimedConnection(w.con, stages)
                seconds, cpu, written, outcome = _cycle(w, client, job(route))
                wall.add(seconds)
                cpus.add(cpu)
                outcomes.add(outcome)
                for table, n in written.items():
                    writes[table] = writes.get(table, 0) + n
                if isinstance(w.con, TimedConnection):
                    w.con = w.con._con
            floor, floor_cpu = _bare_gets(base_url + route, name, runs)
            out[name] = {
                "floor": floor.to_json(),
                "floor_cpu": floor_cpu.to_json(),
                "seconds": wall.to_json(),
                "cpu": cpus.to_json(),
                "written": writes,
                "outcomes": sorted(outcomes),
                "stages": dict(stages),
            }
            out["peak_after"][f"{runs} unchanged polls ({name})"] = peak_rss_mb()
    finally:
        client.close()
        w.close()
    return out
