"""Crashes: a writer process (tests/reliability/crash_worker.py) is killed with SIGKILL at a random moment
while it imports, backfills, publishes or reparses. After every kill:

- the database opens for a new writer (the dead process's lock is gone) and the read copy opens read-only;
- no snapshot is half-written (standings count == ``snapshots.row_count`` for every snapshot), in either file;
- every row stored before the killed run is still there, and the read copy holds nothing the clean run
  would not hold;
- a rerun of the same work completes, and the final standings equal, row for row, those of a clean run
  without a kill.

Kill delays come from a seeded generator, spread over the duration of the clean run of the same work, so
the trials are reproducible in number and spread; where exactly a kill lands still depends on the
machine, which is the point.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from tests import faults as F
from tests.pages import leaderboard, page
from tests.reliability import crash_worker, state
from tracker import store
from tracker.ingest import files as importer

REPO = Path(__file__).resolve().parents[2]
SEED = 20261101
TRIALS = {"import": 8, "backfill": 8, "publish": 7, "reparse": 7}
INJECTS = {
    "import": "SIGKILL during `tracker import` of 12 files",
    "backfill": "SIGKILL during `tracker backfill arena-catalog` (10 commits, loopback)",
    "publish": "SIGKILL during read-copy publishes",
    "reparse": "SIGKILL during `tracker reparse` (one transaction)",
}
EARLIER = 4  # files stored before the killed run starts
COMMITS = 10  # of the loopback arena-catalog copy the backfill walks


def serve_catalogue(server: F.FaultServer) -> str:
    """A loopback arena-catalog: the GitHub commits API for one file and the file at each commit."""
    commits = []
    for k in range(COMMITS):
        sha = hashlib.sha1(f"commit-{k}".encode()).hexdigest()
        board = {
            "full": {
                f"model-{j:02d}": {
                    "rating": 1300.0 - 3 * j + k,
                    "rating_q975": 1305.0 - 3 * j + k,
                    "rating_q025": 1295.0 - 3 * j + k,
                }
                for j in range(20)
            }
        }
        server.serve(
            f"/raw/{sha}/data/{crash_worker.CATALOG_FILE}",
            F.respond(json.dumps(board).encode(), content_type="application/json"),
        )
        commits.append({"sha": sha, "commit": {"committer": {"date": f"2025-02-{k + 1:02d}T12:00:00Z"}}})
    server.serve(
        "/api/commits", F.respond(json.dumps(commits[::-1]).encode(), content_type="application/json")
    )
    return server.base_url


def write_files(folder: Path) -> None:
    """10 good pages on four boards (overall / coding, with and without style control) and 2 bad ones."""
    folder.mkdir()
    for k in range(10):
        board = leaderboard(
            F.good_entries(k, n=20),
            category=("overall", "coding")[k % 2],
            style=k % 4 >= 2,
            cutoff=F.cutoff(k),
        )
        (folder / f"page-{k:02d}.html").write_bytes(page(board))
    (folder / "page-90-duplicate.html").write_bytes(F.with_entries(90, lambda e: [*e, dict(e[0])]))
    (folder / "page-91-nan.html").write_bytes(F.with_entries(91, F.set_field(2, "rating", float("nan"))))


@dataclass(frozen=True)
class Reference:
    standings: pl.DataFrame
    counts: tuple[int, int]
    seconds: float


@dataclass(frozen=True)
class Lab:
    root: Path
    files: Path
    catalogue: str  # base URL of the loopback arena-catalog
    templates: dict[str, Path]  # mode -> a home to start from (copied per trial)
    earlier: dict[str, pl.DataFrame]  # mode -> standings stored before the killed run
    reference: dict[str, Reference]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    with F.fault_server() as server:
        yield _build_lab(tmp_path_factory.mktemp("crash"), serve_catalogue(server))


def _build_lab(root: Path, catalogue: str) -> Lab:
    files = root / "files"
    write_files(files)
    first = root / "first"
    first.mkdir()
    for path in sorted(files.glob("page-0*.html"))[:EARLIER]:
        shutil.copy(path, first / path.name)
    base, full = root / "base", root / "full"
    stored = {}
    for home, folder in ((base, first), (full, files)):
        with store.writer(crash_worker.settings_for(home, catalogue), "crash lab") as w:
            importer.import_paths(w, [folder])
            store.publish(w)
            stored[home] = state.standings(w.con)
    templates = {"import": base, "backfill": base, "publish": full, "reparse": full}
    reference = {}
    for mode, template in templates.items():
        home = root / f"clean-{mode}"
        shutil.copytree(template, home)
        with store.writer(crash_worker.settings_for(home, catalogue), "crash lab") as w:
            started = time.perf_counter()  # the work only: a worker is killed after it holds the writer
            crash_worker.run(mode, w, files)
            store.publish(w)
            seconds = time.perf_counter() - started
            reference[mode] = Reference(state.standings(w.con), state.counts(w.con), seconds)
    earlier = {mode: stored[home] for mode, home in templates.items()}
    # the clean runs did real work: the backfill stored one snapshot per commit, the import the rest
    assert reference["backfill"].counts[0] == len(stored[base]["as_of"].unique()) + COMMITS
    assert reference["import"].counts == reference["publish"].counts
    return Lab(root, files, catalogue, templates, earlier, reference)


class ForkServer:
    """The crash worker (tests/reliability/crash_worker.py) as a fork server, started once for the module:
    it pays Python's start-up and the tracker's imports once, and each trial's writer is a child it forks,
    a process of its own that the trial kills. Its stderr (a child's traceback) goes to ``log``."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.pending = b""  # read from the server's stdout, not yet a whole line
        self.child = 0  # the pid of a forked child the server has not collected yet
        self.since = 0  # where the log stood when the current job started
        self.imported = False  # the server said so

    def spawn(self) -> None:
        with self.log.open("ab") as err:
            self.since = err.tell()
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.crash_worker"],
                cwd=REPO,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                bufsize=0,
            )
        self.pending = b""
        self.child = 0
        self.imported = False

    def _line(self, timeout: float) -> str:
        """The next line, or "" at a timeout or the end of the output. Reads the pipe itself: a buffered
        readline could take two lines at once and leave the second where select does not see it."""
        assert self.proc is not None and self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                return ""
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                return ""
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line.decode()

    def _send(self, line: str) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(f"{line}\n".encode())
        self.proc.stdin.flush()

    def stderr(self) -> str:
        with self.log.open("rb") as f:
            f.seek(self.since)
            return f.read().decode(errors="replace")[-2000:]

    def _expect(self, word: str, timeout: float = 60.0) -> str:
        line = self._line(timeout)
        if line.split(" ")[0] != word:
            self.stop()
            raise AssertionError(f"the crash worker did not say {word!r}: {line!r} {self.stderr()}")
        return line

    def start(self, job: str) -> int:
        """Fork a child for ``job``; its pid, once it holds the writer."""
        if self.child:  # the last job was never collected (its trial was interrupted): start afresh
            self.stop()
        if self.proc is None or self.proc.poll() is not None:
            self.spawn()
        if not self.imported:
            self._expect("imported")
            self.imported = True
        self.since = self.log.stat().st_size
        self._send(job)
        self.child = int(self._expect("forked").split(" ")[1])
        self._expect("ready")
        return self.child

    def collect(self, timeout: float = 30.0) -> tuple[int, list[str]]:
        """Let the server collect the child: its exit code (``-9`` when killed) and the lines it printed."""
        self._send("reap")
        out = []
        while (line := self._line(timeout)) and not line.startswith("exit "):
            out.append(line)
        if not line:
            self.stop()
            raise AssertionError(f"the crash worker did not collect its child: {out} {self.stderr()}")
        self.child = 0
        return int(line.split(" ")[1]), out

    def stop(self) -> None:
        """Kill a child not yet collected, then end the server (at the end of its input it kills a child
        still running). The pid is only killed while the server lives: an uncollected child's pid cannot
        have been reused then."""
        if self.proc is None:
            return
        if self.child and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.child, signal.SIGKILL)
        self.child = 0
        self.proc.stdin.close()  # type: ignore[union-attr]  # end of input ends the server
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()  # type: ignore[union-attr]
        self.proc = None


@pytest.fixture(scope="module")
def forks(tmp_path_factory) -> Iterator[ForkServer]:
    server = ForkServer(tmp_path_factory.mktemp("forks") / "stderr.log")
    server.spawn()  # now: its imports overlap the building of the lab
    try:
        yield server
    finally:
        server.stop()


def _check_read_copy(settings, earlier, reference, problems: list[str]) -> None:
    try:
        con = state.read_only(settings.read_copy_path)
    except Exception as exc:
        problems.append(f"the read copy does not open after the kill: {exc!r}")
        return
    try:
        if (bad := state.half_written(con)) != 0:
            problems.append(f"{bad} half-written snapshot(s) in the read copy after the kill")
        published = state.standings(con)
        if state.missing(earlier, published):
            problems.append("the read copy lost rows published before the killed run")
        if state.missing(published, reference.standings):
            problems.append("the read copy holds rows a clean run does not")
    finally:
        con.close()


def kill_and_check(
    lab: Lab, mode: str, home: Path, delay: float, forks: ForkServer
) -> tuple[list[str], int, bool]:
    """One trial: fork a writer for the job, SIGKILL it ``delay`` s after it holds the writer, then check
    both files, rerun the work and compare with the clean run."""
    problems: list[str] = []
    pid = forks.start(f"{mode}\t{home}\t{lab.files}\t{lab.catalogue}")
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    returncode, out = forks.collect()
    mid_work = "done" not in out
    if returncode not in (-signal.SIGKILL, 0):
        problems.append(f"the worker failed before the kill (exit {returncode}): {forks.stderr()[-1500:]}")

    settings = crash_worker.settings_for(home, lab.catalogue)
    earlier, reference = lab.earlier[mode], lab.reference[mode]
    _check_read_copy(settings, earlier, reference, problems)
    try:
        w = store.open_writer(settings, "crash check")
    except Exception as exc:
        return [*problems, f"the database does not open after the kill: {exc!r}"], len(earlier), mid_work
    try:
        if (bad := state.half_written(w.con)) != 0:
            problems.append(f"{bad} half-written snapshot(s) in the database after the kill")
        lost = state.missing(earlier, state.standings(w.con))
        if lost:
            problems.append(f"{lost} rows stored before the killed run are gone")
        try:
            crash_worker.run(mode, w, lab.files)  # the rerun
            store.publish(w)
        except Exception as exc:
            problems.append(f"the rerun failed: {exc!r}")
        final, counts, half = state.standings(w.con), state.counts(w.con), state.half_written(w.con)
    finally:
        w.close()
    con = state.read_only(settings.read_copy_path)
    try:
        published_final = state.standings(con)
    finally:
        con.close()
    lost += state.missing(reference.standings, final)
    if counts != reference.counts or not final.equals(reference.standings) or half:
        problems.append(
            f"after the rerun: counts {counts}, clean run {reference.counts}; half-written {half}"
        )
    if not published_final.equals(final):
        problems.append("after the rerun the read copy differs from the database")
    if stale := sorted(p.name for p in home.glob("*.tmp*")):
        problems.append(f"temporary publish files left behind after the rerun: {stale}")
    return problems, lost, mid_work


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(TRIALS))
def test_kill_minus_nine_loses_nothing(forks, lab, mode, ledger):
    rng = random.Random(f"{SEED}-{mode}")
    reference = lab.reference[mode]
    survived = lost_total = mid_work = 0
    failures: list[str] = []
    for trial in range(TRIALS[mode]):
        home = lab.root / f"{mode}-{trial}"
        shutil.copytree(lab.templates[mode], home)
        delay = rng.uniform(0.0, reference.seconds)
        problems, lost, landed = kill_and_check(lab, mode, home, delay, forks)
        survived += not problems and lost == 0
        lost_total += lost
        mid_work += landed
        failures += [f"trial {trial} (kill {delay:.2f} s into the work): {p}" for p in problems]
        shutil.rmtree(home, ignore_errors=True)
    ledger.record(
        f"crash: kill -9 during {mode}",
        INJECTS[mode],
        trials=TRIALS[mode],
        survived=survived,
        rows_lost=lost_total,
    )
    ledger.note(
        f"crash {mode}: {mid_work} of {TRIALS[mode]} kills landed mid-work (clean run {reference.seconds:.2f} s)"
    )
    assert not failures, "\n".join(failures)
    assert lost_total == 0
    assert sum(TRIALS.values()) >= 30
