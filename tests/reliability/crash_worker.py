"""The writers the crash tests kill: ``python -m tests.reliability.crash_worker`` is a fork server that
imports everything once, says ``imported``, then forks one child per job line
``MODE\tHOME\tFILES\tCATALOGUE_URL`` on its stdin; the child is the writer a test kills.

Each mode does what the matching tracker command does, through the same library calls, so a SIGKILL lands
in real work: ``import`` (``tracker import FILES``: the importer, one publish at the end), ``backfill``
(``tracker backfill arena-catalog``: a commit walk over a loopback copy of the catalogue, each file polled
through the pipeline, resumable, one publish at the end), ``publish`` (the read copy rebuilt again and
again) and ``reparse`` (``tracker reparse``: every snapshot rebuilt from the raw payloads in one
transaction). The child prints ``forked PID`` first, ``ready`` once it holds the writer and ``done`` when
the work is over (``failed`` and a traceback on stderr if it raised), so the test knows whom to kill and
whether its kill landed mid-work. The test calls ``work`` in its own process for the clean reference run
and for the rerun after a kill.

Why a fork server: each job used to start a new interpreter, and Python's start-up plus importing the
tracker (DuckDB, Polars, httpx) cost more CPU than most of the work it then did. The server only imports
before it forks: it never opens DuckDB or runs Polars, so no database, lock or thread pool is shared with
a child (importing Polars starts only idle allocator and spill-cleaner threads; a child starts its own
thread pools when it first needs them). The child, a separate process, opens the database itself: the
writer lock it holds is its own and dies with it.

After the child's lines, the server waits for ``reap`` on stdin before it collects the child and prints
``exit CODE`` (``-9`` for SIGKILL, as ``Popen.returncode``): until then an exited child stays a zombie, so
its pid cannot be reused by another process while a test may still send it SIGKILL. End of stdin ends
the server (and kills a child still running).
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

from tracker import store
from tracker.config import Settings, load_settings
from tracker.http import make_client
from tracker.ingest import backfill, reparse
from tracker.ingest import files as importer

MODES = ("import", "backfill", "publish", "reparse")
PUBLISHES = 6  # rounds of the publish mode
CATALOG_FILE = "leaderboard-text.json"


def settings_for(home: Path, catalogue: str = "") -> Settings:
    """The worker's settings; ``catalogue`` is the base URL of the loopback arena-catalog copy."""
    # the default publish interval: a payload already stored does not republish, new data does
    return load_settings(
        environ={},
        home=home,
        publish_min_interval=60.0,
        catalog_api_url=f"{catalogue}/api",
        catalog_raw_url=f"{catalogue}/raw",
        catalog_files=CATALOG_FILE,
    )


def work(
    mode: str, settings: Settings, files: Path, announce: Callable[[str], None] = lambda s: None
) -> None:
    """Open the writer, say ``ready``, do the mode's work, close (publishing), say ``done``."""
    with store.writer(settings, f"crash test {mode}") as w:
        announce("ready")
        run(mode, w, files)
    announce("done")


def run(mode: str, w: store.Writer, files: Path) -> None:
    """The mode's work on an open writer; the writer's context publishes once more on the way out."""
    if mode == "import":
        importer.import_paths(w, [files])
    elif mode == "backfill":
        with make_client(w.settings) as client:
            backfill.run(w, client, "arena-catalog")
    elif mode == "publish":
        for _ in range(PUBLISHES):
            store.publish(w)
    elif mode == "reparse":
        reparse.reparse(w)
    else:
        raise SystemExit(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
    w.dirty = True


def _announce(line: str) -> None:
    print(line, flush=True)


def _child(job: str) -> int:
    """A forked child: do one job, return its exit code."""
    _announce(f"forked {os.getpid()}")
    try:
        mode, home, files, catalogue = job.rstrip("\n").split("\t")
        work(mode, settings_for(Path(home), catalogue), Path(files), _announce)
    except BaseException:
        traceback.print_exc()
        _announce("failed")
        return 1
    return 0


def serve() -> None:
    """Fork a child per job line; after the test's ``reap`` line, collect it and report its exit code."""
    # Python 3.12+ warns on fork when other threads exist; those here are idle (see the docstring)
    warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
    _announce("imported")
    for job in iter(sys.stdin.readline, ""):
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(job)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        if sys.stdin.readline() != "reap\n":  # the test is gone: do not leave a writer behind
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        _announce(f"exit {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    serve()
