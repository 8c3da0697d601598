"""What the poller is doing, for ``tracker status``, ``--check`` and the dashboard's Health page: the
scheduler's state file (``$TRACKER_HOME/scheduler-state.json``: process id and each job's next run), and
``status_report``, which joins it with the status of each source and job.

That status comes from the status files the writer keeps current after every fetch and job run
(``tracker.store.status_files.publish_status``), so it never waits for a publish of the read copy; a home
whose writer never wrote them (an older tracker) is read from the read copy's fetch and job rows. A source
of a configured job that was never polled is listed too, with no fetch: only polls and backfills count,
never the starter history or imported files.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.poll.jobs import Job, load_jobs, utc_minute
from tracker.read import query
from tracker.store.status_files import STATUS_FILES, status_dir

STATE_NAME = "scheduler-state.json"


@dataclass(frozen=True)
class StatusReport:
    """What ``tracker status`` shows: per source its last success and failure, failures in a row and next
    run; per job its schedule and last and next run; per board its snapshots and newest as-of; and a
    sentence on the scheduler (running, stopped, never started) and on the config."""

    sources: pl.DataFrame
    jobs: pl.DataFrame
    boards: pl.DataFrame
    note: str


def state_path(settings: Settings):
    return settings.home / STATE_NAME


def write_state(
    settings: Settings, job_list: list[Job], next_runs: dict[str, datetime | None], *, running: bool
) -> None:
    """Write the state file atomically: pid, running flag, and each job's source, schedule and next run."""
    next_runs = next_runs if running else {}
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


def status_files(settings: Settings) -> Path:
    """The folder of the status files (a reader's cache can key on its newest file)."""
    return status_dir(settings)


def _status(settings: Settings, name: str) -> pl.DataFrame:
    """One status file (``sources`` or ``jobs``), or the same statement on the read copy without it."""
    path = status_files(settings) / f"{name}.parquet"
    try:
        return pl.read_parquet(path, memory_map=False)
    except FileNotFoundError:
        return query.read_statement(settings, STATUS_FILES[name])


def _with_never_polled(sources: pl.DataFrame, job_list: list[Job]) -> pl.DataFrame:
    """The sources of the configured jobs that have no fetch yet, added with 0 fetches and no outcome."""
    polled = set(sources["source"].to_list())
    missing = sorted({j.source for j in job_list if j.source} - polled)
    if not missing:
        return sources
    never = pl.DataFrame(
        {"source": missing, "fetches": 0, "consecutive_failures": 0, "failing_origins": 0},
        schema_overrides={
            c: sources.schema[c] for c in ("fetches", "consecutive_failures", "failing_origins")
        },
    )
    return pl.concat([sources, never], how="diagonal_relaxed").sort("source", nulls_last=True)


def status_report(settings: Settings) -> StatusReport:
    """What ``tracker status`` shows: sources (with next run), jobs, boards, and a note on the scheduler."""
    state = read_state(settings)
    alive = bool(state and state.get("alive"))
    next_runs = (state or {}).get("jobs", {}) if alive else {}
    try:
        job_list = load_jobs(settings)
        config_note = ""
    except TrackerError as exc:
        job_list, config_note = [], f"; config not readable: {exc}"
    sources = _with_never_polled(_status(settings, "sources"), job_list)
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
    runs = _status(settings, "jobs")
    jobs_frame = planned.join(runs.drop("source"), on="job", how="full", coalesce=True)
    next_per_source = (
        planned.filter(pl.col("source").is_not_null()).group_by("source").agg(pl.col("next_run_at").min())
    )
    sources = sources.join(next_per_source, on="source", how="left")
    if state is None:
        note = "scheduler: not started here (no state file); run `tracker schedule` or `tracker up`"
    elif alive:
        note = f"scheduler: running (pid {state.get('pid')}, state updated {_when(state.get('updated_at'))})"
    else:
        note = (
            f"scheduler: not running (last pid {state.get('pid')}, stopped {_when(state.get('updated_at'))})"
        )
    return StatusReport(
        sources=sources,
        jobs=jobs_frame,
        boards=query.read_statement(settings, "read/status_boards.sql"),
        note=note + config_note,
    )


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _when(value: object) -> str:
    try:
        return utc_minute(_parse_time(value) if isinstance(value, str) else None, "at an unknown time")
    except ValueError:
        return "at an unknown time"
