"""The ``tracker`` command in a process of its own: every command and sub-command starts and answers --help,
``python -m tracker`` ends with the exit code and message ``main()`` gives, and the in-process runner the other
CLI tests use (tests/cli.py) prints what the process prints.

The rest of the process's own behaviour is tested where it matters: a closed pipe (tests/test_render.py), signals
and a second writer (tests/test_scheduler.py, tests/test_up.py), readers beside a writer
(tests/test_store.py, tests/test_concurrent_readers.py, tests/reliability), kill -9 (tests/reliability).
"""

from __future__ import annotations

import pytest

from tests import commands_reference
from tests.cli import run_tracker, run_tracker_process

COMMANDS = ["tracker", *(name for name, _ in commands_reference.commands())]


@pytest.mark.parametrize("name", COMMANDS, ids=COMMANDS)
def test_every_command_starts_in_its_own_process_and_answers_help(tmp_path, name):
    proc = run_tracker_process(tmp_path / "home", *name.split()[1:], "--help", check=True)
    assert f"Usage: {name} " in " ".join(proc.stdout.split()), proc.stdout
    assert proc.stderr == ""
    assert not (tmp_path / "home").exists()  # --help touches no data


def test_python_m_tracker_exits_1_with_one_message_on_an_expected_error(tmp_path):
    proc = run_tracker_process(tmp_path / "home", "sql", "select 1")
    assert proc.returncode == 1 and proc.stdout == ""
    assert (
        proc.stderr.startswith("error: ") and "tracker init" in proc.stderr and "Traceback" not in proc.stderr
    )


def test_python_m_tracker_exits_2_on_a_usage_error(tmp_path):
    proc = run_tracker_process(tmp_path / "home", "sql", "--bogus")
    assert (
        proc.returncode == 2 and "No such option: --bogus" in proc.stderr and "Traceback" not in proc.stderr
    )


@pytest.fixture(scope="module")
def empty_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli") / "home"
    run_tracker(home, "init", "--empty", check=True)
    return home


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("sql", "--help"),
        ("sql", "--list"),
        ("sql", "select range AS n, 'value ' || range AS label from range(60)"),
        ("sql", "select range AS n from range(3)", "--format", "json"),
        ("sql", "select nothing"),
        ("sql", "--max-rows", "abc", "select 1"),
        ("alias", "list", "--format", "csv"),
        ("model", "no-such-model"),
        ("nosuchcmd",),
    ],
    ids=lambda args: " ".join(args)[:40],
)
def test_the_in_process_runner_prints_what_the_process_prints(empty_home, args):
    in_process = run_tracker(empty_home, *args)
    process = run_tracker_process(empty_home, *args)
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

    from tracker import logs

    monkeypatch.delenv("NO_COLOR", raising=False)
    before = (
        sys.stdout,
        sys.stderr,
        sys.argv,
        sys.excepthook,
        signal.getsignal(signal.SIGINT),
        logs.logger().handlers[:],
        logs.logger().propagate,
        logging.getLogger("apscheduler").handlers[:],
    )
    environ = dict(os.environ)
    # a poll sets up the tracker's log handlers on its standard error (nothing listens on port 9)
    polled = run_tracker(tmp_path / "home", "poll", "http://127.0.0.1:9/board", env={"TRACKER_RETRIES": "0"})
    assert polled.returncode == 1 and "fetch poll" in polled.stderr, polled.stderr
    run_tracker(tmp_path / "home", "sql", "select 1", env={"TRACKER_EXTRA": "x"})
    after = (
        sys.stdout,
        sys.stderr,
        sys.argv,
        sys.excepthook,
        signal.getsignal(signal.SIGINT),
        logs.logger().handlers[:],
        logs.logger().propagate,
        logging.getLogger("apscheduler").handlers[:],
    )
    assert after == before and dict(os.environ) == environ
