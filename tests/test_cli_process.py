"""The ``tracker`` command in a process of its own: every command and sub-command starts and answers --help,
and ``python -m tracker`` prints and exits (0, 1 on an expected error, 2 on a usage error) exactly as the
in-process runner the other CLI tests use (tests/cli.py) says it does.

The rest of the process's own behaviour is tested where it matters: a closed pipe (tests/test_render.py), signals
and a second writer (tests/test_scheduler.py, tests/test_up.py), readers beside a writer
(tests/test_store.py, tests/test_concurrent_readers.py, tests/reliability), kill -9 (tests/reliability).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests import commands_reference
from tests.cli import run_tracker, run_tracker_process

COMMANDS = ["tracker", *(name for name, _ in commands_reference.commands())]


@pytest.fixture(scope="module")
def helps(tmp_path_factory) -> Iterator[tuple[Path, dict[str, Future]]]:
    """Every command's ``--help``, each in a process of its own, a few side by side: their start-ups (a second
    or two of imports each) overlap instead of adding up."""
    home = tmp_path_factory.mktemp("help") / "home"
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        yield (
            home,
            {name: pool.submit(run_tracker_process, home, *name.split()[1:], "--help") for name in COMMANDS},
        )


@pytest.mark.parametrize("name", COMMANDS, ids=COMMANDS)
def test_every_command_starts_in_its_own_process_and_answers_help(helps, name):
    home, started = helps
    proc = started[name].result(timeout=300)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    assert f"Usage: {name} " in " ".join(proc.stdout.split()), proc.stdout
    assert not home.exists()  # --help touches no data


@pytest.fixture(scope="module")
def empty_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("cli") / "home"
    run_tracker(home, "init", "--empty", check=True)
    return home


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--help",), 0, "Usage: tracker [OPTIONS] COMMAND [ARGS]..."),
        (("sql", "select range AS n, 'value ' || range AS label from range(60)"), 0, "60 rows"),
        (("sql", "select range AS n from range(3)", "--format", "json"), 0, '{"n": 2}'),
        (("alias", "list", "--format", "csv"), 0, "alias,"),  # a command module with consoles of its own
        (("sql", "select nothing"), 1, "error: "),
        (("sql", "--bogus"), 2, "No such option: --bogus"),
    ],
    ids=["help", "table", "json", "alias-csv", "expected-error", "usage-error"],
)
def test_the_in_process_runner_prints_what_python_m_tracker_prints(empty_home, args, code, says):
    process = run_tracker_process(empty_home, *args)
    in_process = run_tracker(empty_home, *args)
    assert process.returncode == code and says in process.stdout + process.stderr, process.stderr
    assert "Traceback" not in process.stderr
    assert (in_process.returncode, in_process.stdout, in_process.stderr) == (
        process.returncode,
        process.stdout,
        process.stderr,
    )


def test_the_in_process_runner_leaves_no_trace_in_this_process(tmp_path, monkeypatch):
    import logging
    import os
    import signal
    import sys

    import polars  # noqa: F401 - its first import sets _RJEM_MALLOC_CONF: a library's trace, not the runner's

    from tracker import logs

    monkeypatch.delenv("NO_COLOR", raising=False)

    def process_state() -> tuple:
        """What a command run in this process could leave changed behind it."""
        return (
            sys.stdout,
            sys.stderr,
            sys.argv,
            sys.excepthook,
            signal.getsignal(signal.SIGINT),
            logs.logger().handlers[:],
            logs.logger().propagate,
            logging.getLogger("apscheduler").handlers[:],
        )

    before = process_state()
    environ = dict(os.environ)
    # a poll sets up the tracker's log handlers on its standard error, one line per fetch with --verbose
    # (nothing listens on port 9)
    polled = run_tracker(
        tmp_path / "home", "poll", "--verbose", "http://127.0.0.1:9/board", env={"TRACKER_RETRIES": "0"}
    )
    assert polled.returncode == 1 and "fetch poll" in polled.stderr, polled.stderr
    run_tracker(tmp_path / "home", "sql", "select 1", env={"TRACKER_EXTRA": "x"})
    after = process_state()
    assert after == before and dict(os.environ) == environ
