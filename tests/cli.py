"""Run the real ``tracker`` command as a user would.

``run_tracker`` runs it in this process: the real entry point (``tracker.cli.main``, so its error handling, exit
codes and messages are exactly what a user sees) with the argv, environment and standard streams a new process
would have, without paying a second of interpreter start-up and imports per call. ``run_tracker_process`` runs
``python -m tracker`` in a new process, for tests about the process itself (signals, a closed pipe, concurrency
with other processes, ``python -m tracker``) and the smoke tests in tests/test_cli_process.py.

What a process would start afresh is made afresh for each in-process run and put back after it: ``sys.argv``,
the standard streams, the environment, the commands' rich consoles (rich reads COLUMNS and NO_COLOR, and decides
on colours, when a console is made), the tracker's log handlers, the exception hook and the
SIGINT/SIGTERM handlers; the shared read connections (``tracker.read.readers``) close at its end, as they would
with the process.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from tracker import logs
from tracker.cli import main
from tracker.read import readers


@dataclass
class Ran:
    """What a run of the command left: as ``subprocess.CompletedProcess`` names it."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def _environ(home: Path, env: Mapping[str, str | None] | None) -> dict[str, str | None]:
    return {"TRACKER_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}


def _checked(ran, args: tuple[str, ...], check: bool):
    if check and ran.returncode != 0:
        raise AssertionError(f"tracker {' '.join(args)} exited {ran.returncode}\n{ran.stdout}\n{ran.stderr}")
    return ran


def run_tracker(
    home: Path,
    *args: str,
    check: bool = False,
    env: Mapping[str, str | None] | None = None,
    timeout: float = 300,
    process: bool = False,
):
    """``tracker ARGS`` with TRACKER_HOME=home, COLUMNS=200 and NO_COLOR=1 (plus ``env``; None unsets), in this
    process (``process=True``: in a new one, which ``timeout`` bounds; in this one pytest-timeout does)."""
    if process:
        return run_tracker_process(home, *args, check=check, env=env, timeout=timeout)
    stdout, stderr = _stream("strict"), _stream("backslashreplace")  # as Python's own are
    with _as_a_new_process(["tracker", *args], _environ(home, env), stdout, stderr):
        returncode = _main()
        sys.stdout.flush()  # as the interpreter does on its way out
        sys.stderr.flush()
    ran = Ran(["tracker", *args], returncode, _text(stdout), _text(stderr))
    return _checked(ran, args, check)


def run_tracker_process(
    home: Path,
    *args: str,
    check: bool = False,
    env: Mapping[str, str | None] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """``python -m tracker ARGS`` in a new process, with the environment ``run_tracker`` gives."""
    environ = {**os.environ, **_environ(home, env)}
    environ = {name: value for name, value in environ.items() if value is not None}
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", *args], capture_output=True, text=True, env=environ, timeout=timeout
    )
    return _checked(proc, args, check)


def _main() -> int:
    """``tracker.cli.main()``'s exit code, as the interpreter turns its ending into one."""
    try:
        main()
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:  # an unexpected error: its traceback, through the hook the process would use
        sys.excepthook(*sys.exc_info())
        return 1
    return 0


def _stream(errors: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8").replace("\r\n", "\n")  # type: ignore[attr-defined]


@contextlib.contextmanager
def _as_a_new_process(
    argv: list[str], env: Mapping[str, str | None], stdout: io.TextIOWrapper, stderr: io.TextIOWrapper
) -> Iterator[None]:
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_argv, saved_hook = sys.argv, sys.excepthook
    saved_signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    saved_env = {name: os.environ.get(name) for name in env}
    saved_logs = [
        (log, list(log.handlers), log.level, log.propagate)
        for log in (logs.logger(), logging.getLogger("apscheduler"))
    ]
    try:
        _set_environ(env)
        sys.argv = list(argv)
        sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # nothing to read, as from /dev/null
        sys.stdout, sys.stderr = stdout, stderr
        with _fresh_consoles():
            yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv, sys.excepthook = saved_argv, saved_hook
        for signum, handler in saved_signals.items():
            signal.signal(signum, handler)
        _set_environ(saved_env)
        for log, handlers, level, propagate in saved_logs:
            log.handlers[:] = handlers
            log.setLevel(level)
            log.propagate = propagate
        readers.close_all()


def _set_environ(env: Mapping[str, str | None]) -> None:
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextlib.contextmanager
def _fresh_consoles() -> Iterator[None]:
    """Each ``tracker.cli`` module's rich consoles, made again for this run's environment and streams."""
    found = [
        (module, name, value)
        for module_name, module in list(sys.modules.items())
        if module_name == "tracker.cli" or module_name.startswith("tracker.cli.")
        for name, value in list(vars(module).items())
        if isinstance(value, Console)
    ]
    made: dict[int, Console] = {}
    for module, name, old in found:
        # the commands' consoles take no arguments but stderr (tracker/cli/consoles.py)
        new = made.setdefault(id(old), type(old)(stderr=old.stderr))
        setattr(module, name, new)
    try:
        yield
    finally:
        for module, name, old in found:
            setattr(module, name, old)
