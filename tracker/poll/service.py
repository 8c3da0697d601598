"""The long-lived poller (``tracker schedule``): APScheduler 3.11 wiring around ``cycle.Runner``.

- One writer for the process's life (a second ``schedule``, ``import``, ``poll`` or ``backfill`` is refused by
  ``store.open_writer`` with a message naming this process); jobs run one at a time on a one-thread executor,
  each on its own DuckDB cursor.
- Job stores are in memory (jobs come from config); each job's last successful run is kept in DuckDB
  (``job_runs``). At start a job that never succeeded (a fresh home, a new job) or whose next time after that
  run has passed runs once, at once (catch-up after downtime); otherwise it waits for that time. The start
  line names the jobs running now and the time of the others. ``coalesce=True``, ``max_instances=1`` and a
  misfire grace time give one run for many missed times and never two runs of a job at once.
- Between runs, a catch-up publishes the read copy once ``store.read_copy.catch_up_due`` says a run left rows
  unpublished and the copy is older than ``publish_min_interval`` (what ``tracker status`` reads is current
  sooner: the status files, after every fetch). It runs as a one-off job on the same one-thread executor, so
  it never overlaps a run.
- SIGTERM / SIGINT set an Event; the main thread then shuts the scheduler down: the job in progress finishes
  the fetch it is on (waits between retries end at once), stores it, skips the rest; the read copy is
  published and the process exits 0.
- ``tracker poll`` runs jobs through the same ``Runner.run`` (``tracker.poll.cycle``) the scheduled jobs call.
- The state file (``tracker.poll.status``) holds the process id and each job's next run time.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from datetime import UTC, datetime

import httpx
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

from tracker import logs, store
from tracker.config import Settings
from tracker.errors import ConfigError
from tracker.ingest import pipeline
from tracker.poll.cycle import Runner, signals_set
from tracker.poll.jobs import Job, trigger_for, utc_minute
from tracker.poll.status import write_state
from tracker.sqlfiles import sql
from tracker.store.read_copy import catch_up_due

CATCH_UP_JOB = "(publish)"  # the scheduler's id of the catch-up publish; no configured job has this name


def first_run_time(trigger: BaseTrigger, last_success: datetime | None, now: datetime) -> datetime:
    """When a job should first run after a (re)start: now when it never succeeded or its next time after
    the last success has passed (one catch-up run, however many times were missed), else that next time."""
    if last_success is None:
        return now
    following = trigger.get_next_fire_time(last_success, now)
    return now if following is None or following <= now else following


def start_line(planned: dict[str, datetime], now: datetime, pid: int) -> str:
    """The line a scheduler logs as it starts: the jobs running now and when each other one runs first."""
    # in the order the scheduler takes them: by time, then by name (APScheduler's job store order)
    due = sorted(name for name, at in planned.items() if at <= now)
    later = sorted((at, name) for name, at in planned.items() if at > now)
    parts = []
    if due:
        parts.append(f"running now: {', '.join(due)}")
    if later:
        parts.append("next: " + ", ".join(f"{name} at {utc_minute(at)}" for at, name in later))
    return f"scheduler started (pid {pid}): {len(planned)} job(s); {'; '.join(parts)}"


def build_scheduler(
    runner: Runner,
    job_list: list[Job],
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


def serve(
    settings: Settings,
    job_list: list[Job],
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
        next_runs = {j.id: j.next_run_time for j in scheduler.get_jobs()} if scheduler and running else {}
        write_state(settings, scheduled, next_runs, running=running)

    names = {j.name for j in scheduled}
    catching_up = threading.Event()  # a catch-up publish is queued or running

    try:
        with signals_set(stop, received):
            last_success = dict(w.con.execute(sql("read/poll_last_success.sql")).fetchall())
            runner = Runner(w, {j.name: j for j in scheduled}, stop=stop, clock=clock, transport=transport)
            now = clock()
            scheduler = build_scheduler(
                runner, scheduled, settings=settings, last_success=last_success, now=now
            )
            # the first run times as planned: once started, a job running now already shows its next time
            planned = {j.id: j.next_run_time for j in scheduler.get_jobs()}
            scheduler.add_listener(
                lambda event: changed.set() if event.job_id in names else None,
                EVENT_JOB_SUBMITTED
                | EVENT_JOB_EXECUTED
                | EVENT_JOB_ERROR
                | EVENT_JOB_MISSED
                | EVENT_JOB_MAX_INSTANCES,
            )
            scheduler.start()
            save_state()
            logs.event(
                "scheduler_started",
                start_line(planned, now, os.getpid()),
                pid=os.getpid(),
                jobs=[j.name for j in scheduled],
                running_now=sorted(name for name, at in planned.items() if at <= now),
                first_runs={name: at.isoformat() for name, at in planned.items()},
            )

            def catch_up() -> None:
                try:
                    runner.catch_up()
                finally:
                    catching_up.clear()

            # is_set() and sleep, not stop.wait(): see Runner._wait
            while not stop.is_set():
                if changed.is_set():
                    changed.clear()
                    save_state()
                if not catching_up.is_set() and catch_up_due(w):
                    catching_up.set()
                    scheduler.add_job(
                        catch_up,
                        id=CATCH_UP_JOB,
                        name=CATCH_UP_JOB,
                        misfire_grace_time=None,
                        replace_existing=True,
                    )
                time.sleep(0.2)
            logs.event(
                "scheduler_stopping",
                f"{' and '.join(received) or 'stop'} received: finishing the fetch in progress, then exiting",
                signal=received[0] if received else None,
            )
            scheduler.shutdown(wait=True)
            store.publish_if_due(w, closing=True)
            logs.event("scheduler_stopped", "scheduler stopped; the read copy is published")
    finally:
        with contextlib.suppress(Exception):
            save_state(running=False)
        w.close()
    return 0
