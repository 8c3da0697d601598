"""The time limit of a user's query: one watchdog thread per process interrupts a query's cursor once its
deadline passes (DuckDB has no statement timeout).

Why one thread: a timer thread per query (``threading.Timer``) cost 0.2-0.5 ms of a 3-5 ms named query at 1x,
as starting it waits for the new thread to run; here a query's deadline is a push onto a heap the watchdog
sleeps on. The watchdog is started with the first limited query, and again in a forked child, which inherits
no threads.

Where it sits: ``tracker.read.query`` wraps each statement and its fetch in a ``Deadline``.
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
import time

import duckdb


class Deadline:
    """Interrupt ``con``'s running query once ``seconds`` have passed (0: never). It interrupts only while
    the query runs: after ``stop`` (under the same lock) it never touches ``con`` again, so a cursor given
    back for the next caller cannot be interrupted by this one's deadline."""

    def __init__(self, con: duckdb.DuckDBPyConnection, seconds: float) -> None:
        self._con: duckdb.DuckDBPyConnection | None = con
        self._lock = threading.Lock()
        self.fired = False
        if seconds > 0:
            _WATCHDOG.watch(time.monotonic() + seconds, self)

    def interrupt(self) -> None:
        """The watchdog's call when the deadline passes."""
        with self._lock:
            if self._con is not None:
                self.fired = True
                self._con.interrupt()

    def stop(self) -> None:
        with self._lock:
            self._con = None  # nor is the cursor kept alive by the watchdog's heap until the deadline


class _Watchdog:
    """Deadlines in a heap, earliest first, and the one thread that waits for the earliest."""

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        # a forked child starts without the parent's thread, and with a lock that thread may have held
        self._wake = threading.Condition()
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()  # ties broken by arrival, never by comparing Deadlines
        self._thread: threading.Thread | None = None

    def watch(self, when: float, deadline: Deadline) -> None:
        with self._wake:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="tracker-query-time-limit", daemon=True
                )
                self._thread.start()
            heapq.heappush(self._heap, (when, next(self._order), deadline))
            if self._heap[0][2] is deadline:  # earlier than what the watchdog sleeps towards
                self._wake.notify()

    def _run(self) -> None:
        wake, heap = self._wake, self._heap
        while True:
            with wake:
                while not heap or heap[0][0] > time.monotonic():
                    wake.wait(heap[0][0] - time.monotonic() if heap else None)
                _, _, due = heapq.heappop(heap)
            due.interrupt()  # outside the heap's lock: a query starting now need not wait for DuckDB


_WATCHDOG = _Watchdog()
