"""The writer the crash tests kill: ``python -m tests.reliability.crash_worker``, then
``MODE\tHOME\tFILES\tCATALOGUE_URL`` on its stdin.

Each mode does what the matching tracker command does, through the same library calls, so a SIGKILL lands
in real work: ``import`` (``tracker import FILES``: the importer, one publish at the end), ``backfill``
(``tracker backfill arena-catalog``: a commit walk over a loopback copy of the catalogue, each file polled
through the pipeline, resumable, one publish at the end), ``publish`` (the read copy rebuilt again and
again) and ``reparse`` (``tracker reparse``: every snapshot rebuilt from the raw payloads in one
transaction). The process prints ``ready`` once it holds the writer
and ``done`` when the work is over, so the test knows whether its kill landed mid-work. The test calls
``work`` in its own process for the clean reference run and for the rerun after a kill.
"""

from __future__ import annotations

import sys
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


if __name__ == "__main__":
    # Imports are done by now: say so, then wait for the job, so that a test can start the next worker
    # while it checks the last one and the kill lands in the work, not in Python's start-up.
    _announce("imported")
    mode, home, files, catalogue = sys.stdin.readline().rstrip("\n").split("\t")
    work(mode, settings_for(Path(home), catalogue), Path(files), _announce)
