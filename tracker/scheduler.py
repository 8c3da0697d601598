"""The long-lived poller: APScheduler 3.11 wiring around ``jobs.run_job``, and the state file ``tracker status``
reads.

- One writer for the process's life (a second ``schedule``, ``import``, ``poll`` or ``backfill`` is refused by
  ``store.open_writer`` with a message naming this process); jobs run one at a time on a one-thread executor,
  each on its own DuckDB cursor.
- Job stores are in memory (jobs come from config); each job's last successful run is kept in DuckDB
  (``job_runs``). At start a job whose next time after that run has passed runs once, at once (catch-up after
  downtime); otherwise it waits for that time. ``coalesce=True``, ``max_instances=1`` and a misfire grace time
  give one run for many missed times and never two runs of a job at once.
- SIGTERM / SIGINT set an Event; the main thread then shuts the scheduler down: the job in progress finishes
  the fetch it is on (waits between retries end at once), stores it, skips the rest; the read copy is
  published and the process exits 0.
- ``poll_once`` (``tracker poll``) runs jobs through the same ``Runner.run`` the scheduled jobs call.
- The state file ``$TRACKER_HOME/scheduler-state.json`` holds the process id and each job's next run time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import polars as pl
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from tracker import guard as sanity
from tracker import jobs as joblib
from tracker import logs, pipeline, query, store
from tracker.config import Settings
from tracker.errors import ConfigError, FetchError, TrackerError
from tracker.http import HostGate, make_client
from tracker.sqlfiles import sql

STATE_NAME = "scheduler-state.json"


def state_path(settings: Settings):
    return settings.home / STATE_NAME


def trigger_for(job: joblib.Job) -> BaseTrigger:
    """The APScheduler trigger of a job (UTC; jitter in whole seconds)."""
    jitter = int(job.jitter) or None
    if job.cron:
        minute, hour, day, month, day_of_week = job.cron.split()
        try:
            return CronTrigger(
                minute=minute,
                hour=hour,
                day=day,
                month=month,
                day_of_week=day_of_week,
                timezone=UTC,
                jitter=jitter,
            )
        except ValueError as exc:
            raise ConfigError(f"job {job.name!r}: cron {job.cron!r} is not valid: {exc}") from None
    if job.interval:
        return IntervalTrigger(seconds=job.interval, timezone=UTC, jitter=jitter)
    raise ConfigError(f"job {job.name!r} has no interval or cron expression, so it cannot be scheduled")


def period(job: joblib.Job, now: datetime) -> float | None:
    """Seconds between two runs of a job (its interval, or the gap between its next two cron times)."""
    if job.interval:
        return job.interval
    if job.cron:
        trigger = trigger_for(job)
        first = trigger.get_next_fire_time(None, now)
        second = trigger.get_next_fire_time(first, first) if first else None
        if first and second:
            return (second - first).total_seconds()
    return None


def first_run_time(trigger: BaseTrigger, last_success: datetime | None, now: datetime) -> datetime:
    """When a job should first run after a (re)start: now when it never succeeded or its next time after
    the last success has passed (one catch-up run, however many times were missed), else that next time."""
    if last_success is None:
        return now
    following = trigger.get_next_fire_time(last_success, now)
    return now if following is None or following <= now else following


@dataclass
class Runner:
    """Runs configured jobs by name against one open writer, one at a time. The scheduler's jobs and
    ``tracker poll`` both call ``run``."""

    writer: store.Writer
    jobs: dict[str, joblib.Job]
    stop: threading.Event = field(default_factory=threading.Event)
    gate: HostGate = field(default_factory=HostGate)
    clock: pipeline.Clock = pipeline.utc_now
    guard: pipeline.Guard | None = sanity.check
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] | None = None
    on_run: Callable[[str, joblib.JobRun | None], None] | None = None
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

    def run(self, name: str) -> joblib.JobRun | None:
        """One poll cycle of job ``name``; None when another cycle is still running (never two at once)."""
        job = self.jobs[name]
        if not self._busy.acquire(blocking=False):
            logs.event("job_skipped", f"job {name}: skipped, another poll is still running", job=name)
            return None
        cursor = self.writer.con.cursor()  # one DuckDB connection per thread
        store.configure_session(
            cursor
        )  # a cursor starts with default settings (time zone, no extension autoload)
        view = store.Writer(
            cursor, self.writer.settings, self.writer.lock_file, self.writer.last_publish, self.writer.dirty
        )
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
                run = joblib.run_job(
                    view, job, client=client, guard=self.guard, stop=self.stop, clock=self.clock
                )
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
            self.writer.dirty, self.writer.last_publish = view.dirty, view.last_publish
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


def build_scheduler(
    runner: Runner,
    job_list: list[joblib.Job],
    *,
    settings: Settings,
    last_success: dict[str, datetime],
    now: datetime,
    executor=None,
) -> BackgroundScheduler:
    """A BackgroundScheduler (not started) with one job per configured job, first runs planned for catch-up."""
    grace = int(settings.misfire_grace_time)
    scheduler = BackgroundScheduler(
        timezone=UTC,
        executors={"default": executor or ThreadPoolExecutor(max_workers=1)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": grace if grace > 0 else None,
        },
    )
    for job in job_list:
        trigger = trigger_for(job)
        scheduler.add_job(
            runner.scheduled,
            trigger,
            args=[job.name],
            id=job.name,
            name=job.name,
            next_run_time=first_run_time(trigger, last_success.get(job.name), now),
        )
    return scheduler


def write_state(
    settings: Settings, scheduler: BackgroundScheduler | None, job_list, *, running: bool
) -> None:
    """Write the state file atomically: pid, running flag, and each job's source, schedule and next run."""
    next_runs = {}
    if scheduler is not None and running:
        next_runs = {j.id: j.next_run_time for j in scheduler.get_jobs()}
    doc = {
        "pid": os.getpid(),
        "running": running,
        "updated_at": datetime.now(UTC).isoformat(),
        "jobs": {
            job.name: {
                "source": job.source,
                "schedule": job.schedule,
                "next_run_at": next_runs[job.name].astimezone(UTC).isoformat()
                if next_runs.get(job.name)
                else None,
            }
            for job in job_list
        },
    }
    path = state_path(settings)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state(settings: Settings) -> dict | None:
    """The scheduler's state file, with ``alive`` = it says running and its process exists; None if absent."""
    path = state_path(settings)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None
    doc["alive"] = bool(doc.get("running")) and _alive(doc.get("pid"))
    return doc


@contextlib.contextmanager
def _signals_set(stop: threading.Event, received: list[str]) -> Iterator[None]:
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


def serve(
    settings: Settings,
    job_list: list[joblib.Job],
    *,
    stop: threading.Event | None = None,
    transport: httpx.BaseTransport | None = None,
    clock: pipeline.Clock = pipeline.utc_now,
) -> int:
    """Run the scheduler until SIGTERM / SIGINT (or ``stop``); returns the exit code (0)."""
    scheduled = [j for j in job_list if j.interval or j.cron]
    if not scheduled:
        raise ConfigError(
            "no jobs to schedule: every job is disabled or has no interval or cron; check tracker.toml"
        )
    for job in scheduled:
        trigger_for(job)  # a bad cron fails here, before the writer is taken
    stop = stop or threading.Event()
    received: list[str] = []
    # the poller keeps the writer for days: a cap keeps DuckDB from holding every block it ever read
    w = store.open_writer(settings, "tracker schedule", memory_limit=settings.poller_memory_limit)
    scheduler: BackgroundScheduler | None = None
    # Scheduler events only flag a change; the main thread writes the state file. A listener that read the
    # job list itself would wait for the scheduler's lock, which shutdown() holds while it waits for the job.
    changed = threading.Event()

    def save_state(running: bool = True) -> None:
        write_state(settings, scheduler, scheduled, running=running)

    try:
        with _signals_set(stop, received):
            last_success = dict(w.con.execute(sql("read/poll_last_success")).fetchall())
            runner = Runner(w, {j.name: j for j in scheduled}, stop=stop, clock=clock, transport=transport)
            scheduler = build_scheduler(
                runner, scheduled, settings=settings, last_success=last_success, now=clock()
            )
            scheduler.add_listener(
                lambda _event: changed.set(),
                EVENT_JOB_SUBMITTED
                | EVENT_JOB_EXECUTED
                | EVENT_JOB_ERROR
                | EVENT_JOB_MISSED
                | EVENT_JOB_MAX_INSTANCES,
            )
            scheduler.start()
            save_state()
            upcoming = ", ".join(
                f"{j.id} at {j.next_run_time:%Y-%m-%d %H:%M:%SZ}" for j in scheduler.get_jobs()
            )
            logs.event(
                "scheduler_started",
                f"scheduler started (pid {os.getpid()}): {len(scheduled)} job(s); next: {upcoming}",
                pid=os.getpid(),
                jobs=[j.name for j in scheduled],
            )
            # is_set() and sleep, not stop.wait(): see Runner._wait
            while not stop.is_set():
                if changed.is_set():
                    changed.clear()
                    save_state()
                time.sleep(0.2)
            logs.event(
                "scheduler_stopping",
                f"{' and '.join(received) or 'stop'} received: finishing the fetch in progress, then exiting",
                signal=received[0] if received else None,
            )
            scheduler.shutdown(wait=True)
            if w.dirty:
                store.publish(w)
            logs.event("scheduler_stopped", "scheduler stopped; the read copy is published")
    finally:
        with contextlib.suppress(Exception):
            save_state(running=False)
        w.close()
    return 0


def poll_once(
    settings: Settings,
    job_list: list[joblib.Job],
    *,
    transport: httpx.BaseTransport | None = None,
    clock: pipeline.Clock = pipeline.utc_now,
    stop: threading.Event | None = None,
) -> list[joblib.JobRun]:
    """One cycle of each job now, through the scheduler's own ``Runner.run`` (``tracker poll``)."""
    stop = stop or threading.Event()
    received: list[str] = []
    runs: list[joblib.JobRun] = []
    with _signals_set(stop, received), store.writer(settings, "tracker poll") as w:
        runner = Runner(w, {j.name: j for j in job_list}, stop=stop, clock=clock, transport=transport)
        for job in job_list:
            if stop.is_set():
                break
            run = runner.run(job.name)
            if run is not None:
                runs.append(run)
    return runs


def status_report(settings: Settings) -> dict[str, pl.DataFrame | str]:
    """What ``tracker status`` shows: sources (with next run), jobs, boards, and a note on the scheduler."""
    state = read_state(settings)
    alive = bool(state and state.get("alive"))
    next_runs = (state or {}).get("jobs", {}) if alive else {}
    sources = query.read_named(settings, "status_sources")
    try:
        job_list = joblib.load_jobs(settings)
        config_note = ""
    except TrackerError as exc:
        job_list, config_note = [], f"; config not readable: {exc}"
    per_job = [
        {
            "job": j.name,
            "source": j.source,
            "schedule": j.schedule,
            "targets": len(j.targets),
            "next_run_at": _parse_time(next_runs.get(j.name, {}).get("next_run_at")),
        }
        for j in job_list
    ]
    configured = {j.name for j in job_list}
    per_job += [  # jobs the running scheduler has that the config here does not (another --config)
        {
            "job": name,
            "source": entry.get("source"),
            "schedule": entry.get("schedule"),
            "targets": None,
            "next_run_at": _parse_time(entry.get("next_run_at")),
        }
        for name, entry in next_runs.items()
        if name not in configured
    ]
    planned = pl.DataFrame(
        per_job,
        schema={
            "job": pl.Utf8,
            "source": pl.Utf8,
            "schedule": pl.Utf8,
            "targets": pl.Int64,
            "next_run_at": pl.Datetime("us", "UTC"),
        },
    )
    runs = query.read_named(settings, "status_jobs")
    jobs_frame = planned.join(runs.drop("source"), on="job", how="full", coalesce=True)
    next_per_source = (
        planned.filter(pl.col("source").is_not_null()).group_by("source").agg(pl.col("next_run_at").min())
    )
    sources = sources.join(next_per_source, on="source", how="left")
    if state is None:
        note = "scheduler: not started here (no state file); run `tracker schedule` or `tracker up`"
    elif alive:
        note = f"scheduler: running (pid {state.get('pid')}, state updated {state.get('updated_at')})"
    else:
        note = f"scheduler: not running (last pid {state.get('pid')}, stopped {state.get('updated_at')})"
    return {
        "sources": sources,
        "jobs": jobs_frame,
        "boards": query.read_named(settings, "status_boards"),
        "note": note + config_note,
    }


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
