"""Measuring: repeated timings with their median, min, max and percentiles; a connection wrapper that times
every statement by its ``sql/`` file name; peak resident memory; and child processes (``worker``) that
report their own figures as JSON.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tracker.sqlfiles import sql_root

ROOT = Path(__file__).resolve().parent.parent
_SQL = Path(__file__).resolve().parent / "sql"


def bench_sql(name: str) -> str:
    """The text of ``benchmarks/sql/<name>.sql`` (the baselines' and the harness's own statements)."""
    return (_SQL / f"{name}.sql").read_text(encoding="utf-8")


def table_rows(con) -> dict[str, int]:
    """Rows in standings, snapshots, raw_payloads and fetches (on the bare connection, outside any wrapper)."""
    con = getattr(con, "_con", con)
    cursor = con.execute(bench_sql("table_rows"))
    names = [d[0] for d in cursor.description]
    return dict(zip(names, (int(v) for v in cursor.fetchall()[0]), strict=True))


@dataclass
class Samples:
    """Seconds of repeated runs (the same work each time)."""

    values: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.values.append(seconds)

    @property
    def median(self) -> float:
        return float(np.median(self.values))

    @property
    def min(self) -> float:
        return float(np.min(self.values))

    @property
    def max(self) -> float:
        return float(np.max(self.values))

    def pct(self, q: float) -> float:
        return float(np.percentile(self.values, q))

    def to_json(self) -> list[float]:
        return list(self.values)


def repeat(
    fn: Callable[[], object], runs: int, *, warmup: int = 0, budget: float | None = None, min_runs: int = 5
) -> Samples:
    """Time ``runs`` calls of ``fn`` after ``warmup`` untimed ones. With ``budget`` (seconds), stop early once
    the timed calls have used it up and at least ``min_runs`` were made (slow queries at 10x)."""
    for _ in range(warmup):
        fn()
    samples = Samples()
    spent = 0.0
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.add(time.perf_counter() - started)
        spent += samples.values[-1]
        if budget is not None and spent >= budget and len(samples.values) >= min_runs:
            break
    return samples


def interleaved(
    fns: dict[str, Callable[[], object]],
    runs: int,
    *,
    warmup: int = 0,
    budget: float | None = None,
    min_runs: int = 5,
    only_first: dict[str, int] | None = None,
) -> dict[str, Samples]:
    """``runs`` rounds calling each of ``fns`` in turn, each call timed, after ``warmup`` untimed rounds: a
    figure and its baseline measured side by side, so a change in the machine's load hits both alike. A
    name in ``only_first`` runs only in that many first rounds; with ``budget`` (seconds) the rounds stop
    once that much time has passed and ``min_runs`` rounds were made."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    only_first = only_first or {}
    samples = {name: Samples() for name in fns}
    begun = time.perf_counter()
    for round_no in range(runs):
        for name, fn in fns.items():
            if round_no >= only_first.get(name, runs):
                continue
            started = time.perf_counter()
            fn()
            samples[name].add(time.perf_counter() - started)
        if budget is not None and time.perf_counter() - begun >= budget and round_no + 1 >= min_runs:
            break
    return samples


def peak_rss_mb(field: str = "VmHWM") -> float:
    """This process's peak resident set (``VmHWM`` from /proc, else ru_maxrss), or with ``field="VmRSS"`` the
    current one, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


class StagePeaks:
    """The highest resident set sampled while each stage ran: a thread reads this process's RSS every
    ``interval`` seconds and charges it to the innermost stage running (``enter`` / ``leave``, as ``timed``
    and ``TimedConnection`` call them when given this; ``OUTSIDE`` when none is). A ``with`` block runs the
    thread."""

    OUTSIDE = "between stages"

    def __init__(self, interval: float = 0.01) -> None:
        self.peaks: dict[str, float] = defaultdict(float)
        self._running: list[str] = []
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> StagePeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def charged(self, label: str, fn: Callable) -> Callable:
        """``fn`` as a stage of its own here, untimed: what it holds outside the stages it runs."""

        def wrapper(*args, **kwargs):
            self.enter(label)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()

        return wrapper

    def enter(self, label: str) -> None:
        self._running.append(label)

    def leave(self) -> None:
        self._running.pop()

    def _sample(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                label = self._running[-1]
            except IndexError:  # no stage running (or the last one just ended)
                label = self.OUTSIDE
            with open("/proc/self/statm", "rb") as statm:  # pages; one short line, cheaper than status
                rss = int(statm.read().split()[1]) * _PAGE_MB
            self.peaks[label] = max(self.peaks[label], rss)


def sql_names() -> dict[str, str]:
    """SQL text -> its file name under ``sql/`` (e.g. ``read/dashboard_models``), to label timings."""
    names = {}
    for path in sql_root().rglob("*.sql"):
        names[path.read_text(encoding="utf-8")] = str(path.relative_to(sql_root()).with_suffix(""))
    return names


class TimedConnection:
    """Wraps a DuckDB connection: every ``execute``/``sql`` is timed under its ``sql/`` file name (or its first
    words for inline SQL), so a run says which statements its time went to. Everything else passes through."""

    def __init__(self, con, stages: dict[str, float], peaks: StagePeaks | None = None) -> None:
        self._con = con
        self._stages = stages
        self._peaks = peaks
        self._names = sql_names()

    def _name(self, text: str) -> str:
        name = self._names.get(text)
        if name:
            return f"sql {name}"
        words = " ".join(text.split()[:3])
        return f"sql '{words}'"

    def execute(self, text, *args, **kwargs):
        return self._timed(self._con.execute, text, *args, **kwargs)

    def sql(self, text, *args, **kwargs):
        return self._timed(self._con.sql, text, *args, **kwargs)

    def _timed(self, run, text, *args, **kwargs):
        return timed(self._stages, self._name(text), run, self._peaks)(text, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def timed(stages: dict[str, float], label: str, fn: Callable, peaks: StagePeaks | None = None) -> Callable:
    """``fn`` with its time added to ``stages[label]`` (and with ``peaks``, the memory it holds charged to
    ``label``)."""

    def wrapper(*args, **kwargs):
        if peaks is not None:
            peaks.enter(label)
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            stages[label] += time.perf_counter() - started
            if peaks is not None:
                peaks.leave()

    return wrapper


def timed_parts(
    stages: dict[str, float], label: str, fn: Callable, peaks: StagePeaks | None = None
) -> Callable:
    """``fn`` (``pipeline.checked_parts``: its parts and a frame) with its own time and the time of reading
    each of its parts added to ``stages[label]``: the parts after the first are parsed as they are read."""
    next_part = timed(stages, label, lambda parts: next(parts, None), peaks)

    def parts_timed(parts):
        while (part := next_part(parts)) is not None:
            yield part

    def wrapper(*args, **kwargs):
        parts, *rest = timed(stages, label, fn, peaks)(*args, **kwargs)
        return (parts_timed(parts), *rest)

    return wrapper


def new_stages() -> dict[str, float]:
    return defaultdict(float)


class WorkerError(RuntimeError):
    pass


def run_worker(task: str, args: dict, *, timeout: float = 3600, env: dict | None = None) -> dict:
    """Run ``python -m benchmarks.worker TASK ARGS`` in a child process; its last stdout line is JSON (with
    the child's own ``peak_rss_mb``)."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", task, json.dumps(args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise WorkerError(f"worker {task} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(lines[-1])
