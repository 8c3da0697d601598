"""Start-up: what one ``tracker`` command costs as a whole process, against Python doing the least that
command needs, measured side by side (``interleaved``) in the same run:

- ``tracker --help`` against ``python -c "import duckdb"``;
- ``tracker sql "select 1"`` (on a home's read copy) against ``python -c`` opening that read copy with DuckDB,
  read-only, and running the same query;
- ``tracker up`` on a fresh home (the starter history loaded, upstream a closed loopback port) until it prints
  that the dashboard is ready (its health endpoint answered, the data in place), against a bare ``streamlit
  run`` of a one-line app until its health endpoint answers.

Each is the installed ``tracker`` command (its console script) or the same Python, in a new process. Every
process reads and writes its modules' bytecode in a cache under the workdir (``PYTHONPYCACHEPREFIX``, and
``PYTHONDONTWRITEBYTECODE`` cleared), warmed by an untimed first round: an installed program runs so, while
a process that may not write bytecode compiles every module it imports each time, which would measure the
compiler. The detail tables are ``python -X importtime`` of both commands (median of a few runs): the imports
that take the longest, and the time by package.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from benchmarks.report import Report, Row, spread
from benchmarks.timing import Samples, WorkerError, interleaved

TARGET = 2.0  # at most twice the baseline
UP_TARGET_SECONDS = 5.0  # `tracker up` on a fresh home until the dashboard is ready
UP_RUNS = 3
UP_DEADLINE = 120.0
PROFILE_RUNS = 3
TOP_IMPORTS = 12
TOP_PACKAGES = 14
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)$")


def _environ(home: Path, cache: Path) -> dict[str, str]:
    env = {**os.environ, "TRACKER_HOME": str(home), "PYTHONPYCACHEPREFIX": str(cache), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _tracker() -> list[str]:
    """The installed console script beside this Python, else ``python -m tracker``."""
    script = Path(sys.executable).with_name("tracker")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracker"]


def commands(read_copy: Path) -> dict[str, list[str]]:
    """The four processes timed: each command and its baseline."""
    tracker = _tracker()
    select = (
        f"import duckdb; con = duckdb.connect({str(read_copy)!r}, read_only=True); "
        "print(con.sql('select 1').fetchall())"
    )
    return {
        "help": [*tracker, "--help"],
        "import duckdb": [sys.executable, "-c", "import duckdb"],
        "sql": [*tracker, "sql", "select 1"],
        "duckdb select": [sys.executable, "-c", select],
    }


def _run(argv: list[str], env: dict[str, str], extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [*argv[:1], *extra, *argv[1:]], env=env, capture_output=True, text=True, timeout=300
    )
    if proc.returncode != 0:
        raise WorkerError(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return proc


def measure(home: Path, cache: Path, runs: int) -> dict[str, Samples]:
    """Whole-process seconds of each of ``commands``, ``runs`` interleaved rounds after a warm-up round."""
    env = _environ(home, cache)
    argvs = commands(home / "tracker.read.duckdb")
    return interleaved({name: lambda a=argv: _run(a, env) for name, argv in argvs.items()}, runs, warmup=1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _until(argv: list[str], env: dict[str, str], ready) -> float:
    """Seconds from starting ``argv`` (its own process group) until ``ready(lines)`` holds; then the group is
    stopped with SIGINT, as Ctrl-C would, and killed if it lingers."""
    lines: list[str] = []
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        while not ready(lines):
            if proc.poll() is not None or time.perf_counter() - started > UP_DEADLINE:
                raise WorkerError(f"{' '.join(argv)} never got ready:\n{''.join(lines)[-2000:]}")
            time.sleep(0.02)
        return time.perf_counter() - started
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        reader.join(10)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1, trust_env=False).text == "ok"
    except httpx.HTTPError:
        return False


def measure_up(workdir: Path, cache: Path, runs: int, warmup: int = 1) -> dict[str, Samples]:
    """``tracker up`` on a fresh home until it says the dashboard is ready, and a bare ``streamlit run`` of a
    one-line app until its health endpoint answers: ``runs`` interleaved rounds after ``warmup`` rounds."""
    home, app = workdir / "up-home", workdir / "one_line_app.py"
    app.write_text("import streamlit as st\n\nst.write('hello')\n")
    closed = f"http://127.0.0.1:{_free_port()}"  # nobody listens there: every poll fails at once, offline
    env = {
        **_environ(home, cache),
        "TRACKER_ARENA_URL": closed,
        "TRACKER_DATASET_URL": closed,
        "TRACKER_ARTIFICIAL_ANALYSIS_URL": closed,
    }
    samples = {"up": Samples(), "bare streamlit": Samples()}
    for round_no in range(runs + warmup):
        shutil.rmtree(home, ignore_errors=True)
        port = _free_port()
        up = _until(
            [*_tracker(), "up", "--port", str(port)],
            env,
            lambda lines: any(line.startswith("dashboard ready:") for line in lines),
        )
        port = _free_port()
        bare_argv = [
            sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
            "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        bare = _until(bare_argv, env, lambda _lines, p=port: _answers(p))
        if round_no >= warmup:  # a warm-up round fills the bytecode cache
            samples["up"].add(up)
            samples["bare streamlit"].add(bare)
    shutil.rmtree(home, ignore_errors=True)
    return samples


def import_profile(
    home: Path, cache: Path, argv: list[str], rounds: int = PROFILE_RUNS
) -> dict[str, tuple[float, float, int]]:
    """``python -X importtime`` of ``argv``: module -> (cumulative ms, self ms, depth), medians of ``rounds`` runs."""
    env = _environ(home, cache)
    python = [sys.executable] if argv[0] != sys.executable else []
    runs: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for _ in range(rounds):
        # the console script is a Python file: run it with -X importtime
        proc = _run([*python, *argv], env, extra=("-X", "importtime"))
        for line in proc.stderr.splitlines():
            found = _IMPORT_LINE.match(line)
            if found:
                own, total, indent, name = found.groups()
                runs[name].append((int(total) / 1000, int(own) / 1000, len(indent) // 2))
    return {
        name: (statistics.median(t for t, _, _ in got), statistics.median(o for _, o, _ in got), got[0][2])
        for name, got in runs.items()
    }


def by_package(profile: dict[str, tuple[float, float, int]]) -> dict[str, float]:
    """Self time (ms) summed by top-level package."""
    totals: dict[str, float] = defaultdict(float)
    for name, (_, own, _) in profile.items():
        totals[name.split(".")[0]] += own
    return dict(totals)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def run(report: Report, home: Path, label: str, runs: int, log=print, up_runs: int = UP_RUNS) -> None:
    cache = home.parent / "pycache"
    log(f"[{label}] start-up: tracker --help and tracker sql against python -c ({runs} rounds) ...")
    started = time.perf_counter()
    timed = measure(home, cache, runs)
    for key, base, figure, baseline in (
        ("help", "import duckdb", "start-up: `tracker --help`, whole process", 'python -c "import duckdb"'),
        (
            "sql",
            "duckdb select",
            f'start-up: `tracker sql "select 1"` on the read copy, {label}, whole process',
            "python -c: duckdb read-only connect + select 1",
        ),
    ):
        ours, floor = timed[key], timed[base]
        ratio = ours.median / floor.median if floor.median > 0 else None
        report.add(
            Row(
                figure,
                spread(ours),
                f"{baseline}: {spread(floor)}",
                ratio,
                f"≤ {TARGET:g}x baseline",
                ratio is not None and ratio <= TARGET,
                kind=f"startup-{key}",
            )
        )
    log(f"[{label}] start-up: tracker up on a fresh home against a bare streamlit run ({up_runs} rounds) ...")
    # one round alone (--quick) runs warm from the rounds above, which fill the same bytecode cache
    up = measure_up(home.parent, cache, up_runs, warmup=1 if up_runs > 1 else 0)
    ours, bare = up["up"], up["bare streamlit"]
    report.add(
        Row(
            "start-up: `tracker up` on a fresh home (starter history) until the dashboard is ready",
            spread(ours),
            f"bare `streamlit run` of a one-line app until /_stcore/health answers: {spread(bare)}",
            ours.median / bare.median if bare.median > 0 else None,
            f"≤ {UP_TARGET_SECONDS:g} s",
            ours.median <= UP_TARGET_SECONDS,
            kind="startup-up",
        )
    )
    argvs = commands(home / "tracker.read.duckdb")
    profile_runs = PROFILE_RUNS if runs >= 5 else 1  # --quick: one profile run shows the table's shape
    profiles = {key: import_profile(home, cache, argvs[key], profile_runs) for key in ("help", "sql")}
    for key, title in (("help", "`tracker --help`"), ("sql", '`tracker sql "select 1"`')):
        profile = profiles[key]
        total = sum(own for _, own, _ in profile.values()) or 1
        top = sorted(profile.items(), key=lambda kv: -kv[1][0])[:TOP_IMPORTS]
        report.detail(
            f"Import time of {title}: the imports that take longest, cumulative (python -X importtime, "
            f"median of {profile_runs} runs; all imports {total:.0f} ms)",
            ("import", "cumulative ms", "self ms", "nesting"),
            [(name, f"{cum:.1f}", f"{own:.1f}", str(depth)) for name, (cum, own, depth) in top],
        )
    help_packages, sql_packages = by_package(profiles["help"]), by_package(profiles["sql"])
    ranked = sorted(
        {*help_packages, *sql_packages}, key=lambda p: -max(help_packages.get(p, 0), sql_packages.get(p, 0))
    )
    shown, rest = ranked[:TOP_PACKAGES], ranked[TOP_PACKAGES:]
    rows = [(p, _ms(help_packages.get(p)), _ms(sql_packages.get(p))) for p in shown]
    rows.append(
        (
            f"the {len(rest)} others",
            _ms(sum(help_packages.get(p, 0) for p in rest)),
            _ms(sum(sql_packages.get(p, 0) for p in rest)),
        )
    )
    report.detail(
        f"Import time by package: self time summed over its modules, ms (median of {profile_runs} runs; — not loaded)",
        ("package", "tracker --help", 'tracker sql "select 1"'),
        rows,
    )
    log(f"[{label}]   start-up done in {time.perf_counter() - started:.0f} s")
