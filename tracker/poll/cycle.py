"""One poll cycle of a job: fetch every target through the one pipeline, one log line per fetch, one
``job_runs`` row, alerts, then the publish decision. ``Runner`` runs jobs by name against one open writer,
one at a time: the scheduler's jobs (``tracker.poll.service``) and ``tracker poll`` (``poll_once``) both
call ``Runner.run``.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import httpx

from tracker import logs, store
from tracker.alerts import after_ingest as alerts_after_ingest
from tracker.config import Settings
from tracker.errors import FetchError
from tracker.http import HostGate, make_client
from tracker.ingest import fetch, pipeline
from tracker.ingest import guard as sanity
from tracker.poll.jobs import Job, period
from tracker.sqlfiles import sql

RunOutcome = Literal["ok", "partial", "failed", "interrupted"]


@dataclass(frozen=True)
class JobRun:
    job: str
    outcome: RunOutcome
    started_at: datetime
    finished_at: datetime
    targets: int
    results: tuple[pipeline.IngestResult, ...] = field(default=())

    @property
    def failures(self) -> int:
        return sum(not r.ok for r in self.results)

    @property
    def snapshots_new(self) -> int:
        return sum(r.snapshots_new for r in self.results)


def run_job(
    w: store.Writer,
    job: Job,
    *,
    client,
    guard: pipeline.Guard | None = sanity.check,
    stop: threading.Event | None = None,
    clock: pipeline.Clock = pipeline.utc_now,
) -> JobRun:
    """One poll cycle: fetch every target through the pipeline, log one line per fetch, record the run and
    publish. Stops between targets once ``stop`` is set (the fetch in progress finishes and is stored)."""
    started_at = clock()
    results: list[pipeline.IngestResult] = []
    for target in job.targets:
        if stop is not None and stop.is_set():
            break
        result = fetch.poll_url(
            w,
            client,
            target.url,
            source=job.source,
            job=job.name,
            hints=dict(target.hints),
            guard=guard,
            clock=clock,
        )
        results.append(result)
        logs.fetch_line(
            job=job.name,
            source=result.source or job.source,
            board=target.board,
            url=target.url,
            outcome=result.outcome,
            http_status=result.http_status,
            size_bytes=result.size_bytes,
            duration_ms=result.duration_ms,
            snapshots_new=result.snapshots_new,
            error=result.error,
        )
    failures = sum(not r.ok for r in results)
    if len(results) < len(job.targets):
        outcome = "interrupted"
    elif failures == 0:
        outcome = "ok"
    else:
        outcome = "failed" if failures == len(results) else "partial"
    run = JobRun(job.name, outcome, started_at, clock(), len(job.targets), tuple(results))
    first_error = next((r.error for r in results if r.error), None)
    w.con.execute(
        sql("load/job_run_insert.sql"),
        {
            "job": job.name,
            "source": job.source,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "outcome": outcome,
            "targets": run.targets,
            "fetches": len(results),
            "failures": failures,
            "snapshots_new": run.snapshots_new,
            "error": first_error,
        },
    )
    # alerts: evaluate the watches when this run stored new snapshots, send due deliveries either way (never raises)
    alerts_after_ingest(w, wrote=run.snapshots_new > 0, clock=clock)
    store.publish_if_due(w, new_data=run.snapshots_new > 0)
    return run


@dataclass
class Runner:
    """Runs configured jobs by name against one open writer, one at a time. The scheduler's jobs and
    ``tracker poll`` both call ``run``."""

    writer: store.Writer
    jobs: dict[str, Job]
    stop: threading.Event = field(default_factory=threading.Event)
    gate: HostGate = field(default_factory=HostGate)
    clock: pipeline.Clock = pipeline.utc_now
    guard: pipeline.Guard | None = sanity.check
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] | None = None
    on_run: Callable[[str, JobRun | None], None] | None = None
    _busy: threading.Lock = field(default_factory=threading.Lock)

    def _wait(self, seconds: float) -> None:
        # A wait between retries ends at once on shutdown: the fetch fails and the job stops after it.
        # Polled with is_set() rather than stop.wait(): a signal handler setting the Event while this (main)
        # thread holds the Event's lock inside wait() would deadlock.
        end = time.monotonic() + seconds
        while not self.stop.is_set() and (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))
        if self.stop.is_set():
            raise FetchError("stopped by a shutdown while waiting to retry; the next run will fetch it")

    def run(self, name: str) -> JobRun | None:
        """One poll cycle of job ``name``; None when another cycle is still running (never two at once)."""
        job = self.jobs[name]
        if not self._busy.acquire(blocking=False):
            logs.event("job_skipped", f"job {name}: skipped, another poll is still running", job=name)
            return None
        cursor = self.writer.con.cursor()  # one DuckDB connection per thread
        view = self.writer.on_cursor(cursor)
        run = None
        try:
            with make_client(
                self.writer.settings,
                self.transport,
                gate=self.gate,
                max_wait=period(job, self.clock()),
                sleep=self.sleep or self._wait,
                now=self.clock,
            ) as client:
                run = run_job(view, job, client=client, guard=self.guard, stop=self.stop, clock=self.clock)
            logs.event(
                "job",
                f"job {name}: {run.outcome}, {len(run.results)}/{run.targets} fetched, {run.failures} failed, "
                f"{run.snapshots_new} new snapshot(s)",
                level=logging.INFO if run.outcome == "ok" else logging.WARNING,
                job=name,
                outcome=run.outcome,
                fetched=len(run.results),
                targets=run.targets,
                failures=run.failures,
                snapshots_new=run.snapshots_new,
            )
            return run
        finally:
            cursor.close()
            self._busy.release()
            if self.on_run is not None:
                self.on_run(name, run)

    def scheduled(self, name: str) -> None:
        """What APScheduler calls: ``run``, with any crash logged (the scheduler keeps going)."""
        try:
            self.run(name)
        except Exception as exc:
            logs.event(
                "job_error", f"job {name} crashed: {exc}", level=logging.ERROR, exc_info=True, job=name
            )


@contextlib.contextmanager
def signals_set(stop: threading.Event, received: list[str]) -> Iterator[None]:
    """SIGTERM / SIGINT set ``stop`` (only the main thread may install handlers); restored on exit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, _frame):
        received.append(signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def poll_once(
    settings: Settings,
    job_list: list[Job],
    *,
    transport: httpx.BaseTransport | None = None,
    clock: pipeline.Clock = pipeline.utc_now,
    stop: threading.Event | None = None,
) -> list[JobRun]:
    """One cycle of each job now, through the scheduler's own ``Runner.run`` (``tracker poll``)."""
    stop = stop or threading.Event()
    received: list[str] = []
    runs: list[JobRun] = []
    with signals_set(stop, received), store.writer(settings, "tracker poll") as w:
        runner = Runner(w, {j.name: j for j in job_list}, stop=stop, clock=clock, transport=transport)
        for job in job_list:
            if stop.is_set():
                break
            run = runner.run(job.name)
            if run is not None:
                runs.append(run)
    return runs
