"""The query time limit's watchdog (``tracker.read.time_limit``): one thread for every query of a process.

What it must keep from the timer thread per query it replaced: each deadline fires on time whatever else is
waiting (an earlier one added after a later one wakes it), a stopped deadline never interrupts its cursor
(cursors are lent to the next caller), and a forked child has a watchdog of its own. The limit through
``run_sql``, ``tracker sql`` and the dashboard: ``tests/test_hardening_read.py``.
"""

from __future__ import annotations

import multiprocessing
import time

import duckdb
import pytest

from tracker.read.time_limit import Deadline

RUNAWAY = "SELECT sum(hash(i)) FROM range(10000000000) AS t(i)"  # minutes of work on this machine
SHORT = "SELECT sum(hash(i)) FROM range(20000000) AS t(i)"  # a fraction of a second


def _interrupted_after(con: duckdb.DuckDBPyConnection, seconds: float) -> float | None:
    """Run RUNAWAY under a deadline of ``seconds``; how long until it was interrupted (None: it finished)."""
    deadline = Deadline(con, seconds)
    started = time.monotonic()
    try:
        con.execute(RUNAWAY).fetchall()
    except duckdb.InterruptException:
        return time.monotonic() - started
    finally:
        deadline.stop()
    return None


@pytest.mark.timeout(60)
def test_an_earlier_deadline_added_after_a_later_one_fires_on_time():
    waiting = duckdb.connect()
    later = Deadline(waiting, 600)  # the watchdog sleeps towards this one first
    try:
        seconds = _interrupted_after(duckdb.connect(), 0.3)
    finally:
        later.stop()
    assert seconds is not None and seconds < 5, seconds


@pytest.mark.timeout(60)
def test_a_stopped_deadline_never_interrupts_its_cursor():
    con = duckdb.connect()
    for _ in range(200):  # deadlines stopped long before they pass, as every query that ends in time
        Deadline(con, 0.05).stop()
    time.sleep(0.3)  # each of them has passed
    started = time.monotonic()
    assert con.execute(SHORT).fetchall()  # not interrupted by any of them
    assert time.monotonic() - started < 30
    deadline = Deadline(con, 0.2)
    deadline.stop()
    time.sleep(0.4)
    assert con.execute(SHORT).fetchall() and not deadline.fired


def _child_interrupted(results) -> None:
    results.put(_interrupted_after(duckdb.connect(), 0.3))


@pytest.mark.timeout(120)
def test_a_forked_child_has_a_watchdog_of_its_own():
    # the parent's watchdog is running when it forks; the child inherits its heap but not its thread
    assert _interrupted_after(duckdb.connect(), 0.2) is not None
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_child_interrupted, args=(results,))
    child.start()
    try:
        seconds = results.get(timeout=60)
    finally:
        child.join(10)
        if child.is_alive():
            child.kill()
    assert seconds is not None and seconds < 5, seconds
