"""One poll cycle of a job: fetch every target through the one pipeline (a URL whose host is paused is
skipped, not requested), one detail log line per URL, one ``job_runs`` row, one summary line, alerts, then the
publish decision. ``Runner`` runs jobs by name against one open writer, one at a time: the scheduler's jobs
(``tracker.poll.service``) and ``tracker poll`` (``poll_once``) both call ``Runner.run``.

The outcome of each fetch reaches ``tracker status`` at once: after each fetch but the job's last,
``store.publish_if_due`` writes the small status files (``tracker.store.status_files.publish_status``), and
after the run it publishes the read copy or, when nothing new came and the copy is recent, the status
files again (after the last fetch that publish follows at once: writing the files twice doubled the CPU of
an unchanged one-URL poll).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections import Counter
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
from tracker.poll.jobs import Job, period, utc_minute
from tracker.sqlfiles import sql

RunOutcome = Literal["ok", "partial", "failed", "interrupted"]


@dataclass(frozen=True)
class Skipped:
    """A target not requested this run: its host is paused (it could not be reached, or asked to wait)."""

    url: str
    board: str
    host: str
    until: datetime
    why: str  # ends the sentence "HOST ...", e.g. "could not be reached (5 attempt(s) for URL)"

    @property
    def reason(self) -> str:
        """``why`` without its parenthesis: "could not be reached", "asked to wait"."""
        return self.why.split(" (", 1)[0]

    @property
    def message(self) -> str:
        return (
            f"{self.url}: not requested: {self.host} {self.why}, so it is left until "
            f"{utc_minute(self.until)}; a run after that time will fetch it"
        )


@dataclass(frozen=True)
class JobRun:
    job: str
    outcome: RunOutcome
    started_at: datetime
    finished_at: datetime
    targets: int
    results: tuple[pipeline.IngestResult, ...] = field(default=())  # the targets requested, in order
    skipped: tuple[Skipped, ...] = field(default=())  # the targets not requested: their host is paused

    @property
    def fetched(self) -> int:
        return len(self.results)

    @property
    def failures(self) -> int:
        return sum(not r.ok for r in self.results)

    @property
    def snapshots_new(self) -> int:
        return sum(r.snapshots_new for r in self.results)


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host
    except (httpx.InvalidURL, TypeError):
        return ""


def summary(run: JobRun) -> str:
    """The one line of a job run: what was fetched, new, unchanged and failed, and per paused host how many
    of its URLs failed and how many were skipped, e.g. ``text-pages: failed, 1 of 18 fetched (1 failed);
    arena.ai could not be reached: 17 skipped until 2026-12-06 08:53 UTC``."""
    words = {"new": "new", "unchanged": "unchanged", "not_modified": "unchanged"}
    counts = Counter(words.get(r.outcome, r.outcome) for r in run.results)
    shown = [f"{counts[w]} {w}" for w in ("new", "unchanged", "rejected", "failed") if counts[w]]
    fetched = (
        f"{run.fetched} fetched" if run.fetched == run.targets else f"{run.fetched} of {run.targets} fetched"
    )
    line = f"{run.job}: {run.outcome}, {fetched}" + (f" ({', '.join(shown)})" if shown else "")
    if run.snapshots_new:
        line += f", {run.snapshots_new} new snapshot(s)"
    paused: dict[tuple[str, str], list[Skipped]] = {}
    for skip in run.skipped:
        paused.setdefault((skip.host, skip.reason), []).append(skip)
    for (host, why), skips in paused.items():
        until = max(s.until for s in skips)
        line += f"; {host} {why}: {len(skips)} skipped until {utc_minute(until)}"
    left = run.targets - run.fetched - len(run.skipped)
    if left:
        line += f"; stopped by a shutdown, {left} not fetched"
    return line


def run_job(
    w: store.Writer,
    job: Job,
    *,
    client,
    guard: pipeline.Guard | None = sanity.check,
    stop: threading.Event | None = None,
    clock: pipeline.Clock = pipeline.utc_now,
) -> JobRun:
    """One poll cycle: fetch every target through the pipeline (skipping those whose host is paused), log one
    detail line per target, record the run and publish. Stops between targets once ``stop`` is set (the
    fetch in progress finishes and is stored)."""
    started_at = clock()
    results: list[pipeline.IngestResult] = []
    skipped: list[Skipped] = []
    gate: HostGate | None = getattr(client, "gate", None)
    for number, target in enumerate(job.targets, start=1):
        if stop is not None and stop.is_set():
            break
        host = _host(target.url)
        if gate is not None and host and (pause := gate.paused(host, clock())) is not None:
            skip = Skipped(logs.redact(target.url), target.board, host, *pause)
            skipped.append(skip)
            logs.fetch_line(
                job=job.name,
                source=job.source,
                board=target.board,
                url=skip.url,
                outcome="skipped",
                http_status=None,
                size_bytes=None,
                duration_ms=None,
                error=skip.message,
            )
            continue
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
        if number < len(job.targets):  # the run's own publish decision follows the last one at once
            store.publish_if_due(w, fetched=True)  # this fetch's outcome reaches `tracker status` now
    ok = sum(r.ok for r in results)
    if len(results) + len(skipped) < len(job.targets):
        outcome = "interrupted"
    elif ok == len(job.targets):
        outcome = "ok"
    else:
        outcome = "failed" if ok == 0 else "partial"
    run = JobRun(job.name, outcome, started_at, clock(), len(job.targets), tuple(results), tuple(skipped))
    first_error = next((r.error for r in results if r.error), None) or next(
        (s.message for s in skipped), None
    )
    w.con.execute(
        sql("load/job_run_insert.sql"),
        {
            "job": job.name,
            "source": job.source,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "outcome": outcome,
            "targets": run.targets,
            "fetches": run.fetched,  # the URLs requested: a skipped one was not
            "failures": run.failures,
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
                f"job {summary(run)}",
                level=logging.INFO if run.outcome == "ok" else logging.WARNING,
                job=name,
                outcome=run.outcome,
                fetched=run.fetched,
                targets=run.targets,
                failures=run.failures,
                skipped=len(run.skipped),
                snapshots_new=run.snapshots_new,
            )
            return run
        finally:
            cursor.close()
            self._busy.release()
            if self.on_run is not None:
                self.on_run(name, run)

    def catch_up(self) -> None:
        """The poller's catch-up publish between runs (``store.publish_if_due(catch_up=True)``); nothing while
        a run holds the writer (the run publishes as it ends)."""
        if not self._busy.acquire(blocking=False):
            return
        cursor = self.writer.con.cursor()
        try:
            store.publish_if_due(self.writer.on_cursor(cursor), catch_up=True)
        except Exception as exc:
            logs.event("publish_error", f"publish failed: {exc}", level=logging.ERROR, exc_info=True)
        finally:
            cursor.close()
            self._busy.release()

    def scheduled(self, name: str) -> None:
        """What APScheduler calls: ``run``, with any crash logged (the scheduler keeps going). A run still
        queued when a shutdown begins does not start (nothing is recorded or logged of it)."""
        if self.stop.is_set():
            return
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
