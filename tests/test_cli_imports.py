"""The command pays only for what it runs: ``tracker --help`` (and declaring the app at all) loads no data
stack, no HTTP client, no UI and no stage of the ingest, and ``tracker sql`` on a small answer loads no
frames. Checked on ``sys.modules`` in a process of its own, after the command ran; no time is measured
(benchmarks/startup.py measures the start-up against its baselines).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import run_tracker
from tracker.cli import ingest as ingest_commands
from tracker.cli import read as read_commands

# what only the commands that need them may load
HEAVY = ("polars", "pyarrow", "httpx", "streamlit", "apscheduler", "pandas")
STAGES = ("tracker.ingest", "tracker.sources", "tracker.poll", "tracker.alerts", "tracker.identity")
NOT_FOR_HELP = (*HEAVY, "duckdb", *STAGES, "tracker.store")

RUN = """
import json, sys
sys.argv = ["tracker", *json.loads(sys.argv[1])]
from tracker.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\nloaded: " + json.dumps(sorted(sys.modules)))
"""


def _loaded(home: Path, *args: str) -> set[str]:
    """The modules loaded by the end of ``tracker ARGS`` in a new process."""
    env = {**os.environ, "TRACKER_HOME": str(home), "COLUMNS": "120", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(args)], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.rstrip().splitlines()[-1]
    assert last.startswith("loaded: "), proc.stdout
    return set(json.loads(last.removeprefix("loaded: ")))


def _among(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded if any(m == n or m.startswith(n + ".") for n in names))


def test_import_tracker_cli_loads_no_data_stack_http_client_ui_or_ingest():
    code = "import json, sys, tracker.cli; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert _among(set(json.loads(out)), NOT_FOR_HELP) == []


@pytest.mark.parametrize("args", [("--help",), ("sql", "--help"), ("alias", "--help")], ids=" ".join)
def test_help_loads_no_data_stack_http_client_ui_or_ingest(tmp_path, args):
    loaded = _loaded(tmp_path / "home", *args)
    assert "typer" in loaded  # it ran
    assert _among(loaded, NOT_FOR_HELP) == []


def test_tracker_sql_on_a_small_answer_loads_no_frames_writer_poller_or_http_client(tmp_path):
    home = tmp_path / "home"
    run_tracker(home, "init", "--empty", check=True)
    loaded = _loaded(home, "sql", "select 1 as n, 'x' as t")
    assert "tracker.read.query" in loaded  # it ran
    assert _among(loaded, (*HEAVY, *STAGES, "tracker.store.load", "tracker.store.read_copy")) == []


def test_the_help_names_the_backfill_sources_and_export_formats_the_library_has():
    from tracker.ingest import backfill
    from tracker.read import export

    assert ingest_commands.BACKFILL_SOURCES == backfill.SOURCES
    assert read_commands.EXPORT_FORMATS == export.FORMATS
