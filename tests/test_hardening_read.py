"""The read side against a hostile user, each promise checked by class rather than by one case (CSV for people:
tests/test_render.py and tests/test_export.py):

- Sandbox: from a working directory holding ``.tmp/secret`` (DuckDB's default temporary directory of an
  in-memory database, which it lets SQL read even with external access off), no user query reads a file but
  the read copy, or a lake's own data files: every file-reading table function DuckDB has, replacement scans,
  relative and absolute paths; through ``run_sql``, ``tracker sql`` and the dashboard's SQL path, in database
  and lake mode (a lake from ``tracker export``), and a file in the lake folder that is not its data.
- Limits: a runaway query ends at ``query_timeout`` with a message naming the setting and the next query
  works on the same shared connection; a query building a multi-GB string ends at ``query_memory_limit``
  with the process's peak RSS under 3 GB; the reader's threads are ``query_threads``, nothing spills.
- A broken ``tracker.toml`` does not stop ``tracker sql``: one warning line on stderr naming the file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboards import data
from tests import hostile_names as hn
from tests.cli import run_tracker
from tracker import cli
from tracker.config import Settings, load_reader_settings, load_settings
from tracker.errors import ConfigError, QueryError
from tracker.read import export, query, readers

SECRET = "secret-3f9c2e7d-in-dot-tmp"  # the content of .tmp/secret in the working directory
NOTE = "note-8a1b6c0e-beside-the-lake"  # the content of a user's file in the lake folder


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Settings:
    return hn.build_home(tmp_path_factory.mktemp("hardening") / "home")


@pytest.fixture(scope="module")
def lake_dir(seeded) -> Path:
    """A lake written by the command, with a user's files in it that are not its data."""
    dest = seeded.home.parent / "lake"
    run_tracker(seeded.home, "export", str(dest), check=True)
    (dest / "notes.txt").write_text(NOTE + "\n")
    (dest / "rank_history" / "notes.txt").write_text(NOTE + "\n")
    return dest


# ---------------------------------------------------------------------------------------------------------
# the sandbox


def file_functions() -> list[str]:
    """Every table function of this DuckDB whose first parameter is a file path or pattern (read_text,
    read_csv, read_blob, glob, read_parquet, read_json and the rest, present and future)."""
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'table' "
            "AND parameters[1] IN ('path', 'paths', 'pattern', 'file', 'files') ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    return [name for (name,) in rows]


def attempts(workdir: Path, lake: Path) -> list[str]:
    """Queries that try to read the secret and the user's files in the lake folder."""
    targets = [
        ".tmp/secret", ".tmp/*", ".tmp/**", str(workdir / ".tmp" / "secret"), "./.tmp/secret",
        str(lake / "notes.txt"), str(lake / "rank_history" / "notes.txt"), str(lake / "*.txt"),
        str(lake / "**" / "*.txt"), str(lake / ".tracker-export.json"),
    ]  # fmt: skip
    texts = [f"select * from {fn}('{t}')" for fn in file_functions() for t in targets]
    texts += [
        f"select * from {fn}(['{t}'])" for fn in ("read_text", "read_blob", "read_csv") for t in targets
    ]
    texts += [f"select * from '{t}'" for t in targets]  # replacement scans
    return texts


def _in_process_cli(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["tracker", *args])
    with pytest.raises(SystemExit) as done:
        cli.main()
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out + out.err


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["database", "lake"])
def test_no_user_query_reads_a_file_but_the_data(seeded, lake_dir, tmp_path, monkeypatch, capsys, mode):
    # before: read_text('.tmp/*') printed the secret (DuckDB allows its temporary directory, the relative
    # .tmp of an in-memory database), and a lake's connection could read every file in the lake folder
    workdir = tmp_path / "work"
    (workdir / ".tmp").mkdir(parents=True)
    (workdir / ".tmp" / "secret").write_text(SECRET + "\n")
    (workdir / ".tmp" / "secret.csv").write_text(f"a\n{SECRET}\n")
    monkeypatch.chdir(workdir)
    monkeypatch.delenv("TRACKER_LAKE", raising=False)
    settings = seeded.replace(lake=lake_dir) if mode == "lake" else seeded
    lake_args = ["--lake", str(lake_dir)] if mode == "lake" else []
    texts = attempts(workdir, lake_dir)
    leaks, ran = [], []
    for text in texts:
        try:
            frame = query.run_sql(settings, text)
            ran.append(f"run_sql: {text}")
            shown = str(frame.rows())
        except QueryError as exc:
            shown = str(exc)
        code, printed = _in_process_cli(monkeypatch, capsys, "sql", text, "-f", "json", *lake_args)
        if code == 0:
            ran.append(f"tracker sql: {text}")
        data.clear()
        try:
            dashboard = str(data.run(text, src=data.source(settings)).rows())
            ran.append(f"dashboard: {text}")
        except QueryError as exc:
            dashboard = str(exc)
        leaks += [f"{where}: {text}" for where, out in (("run_sql", shown), ("tracker sql", printed),
                  ("dashboard", dashboard)) if SECRET in out or NOTE in out]  # fmt: skip
    assert len(texts) > 300 and {
        "read_text",
        "read_csv",
        "read_blob",
        "glob",
        "read_parquet",
        "read_json",
    } <= set(file_functions())
    assert not leaks, "\n".join(leaks)
    assert not ran, "\n".join(ran)
    # the refusal says so, in every path
    with pytest.raises(QueryError, match="refused: reading or writing files"):
        query.run_sql(settings, "select content from read_text('.tmp/*')")
    # and the command run as a user runs it, from that working directory
    for text in (
        "select content from read_text('.tmp/*')",
        f"select * from read_text('{lake_dir}/notes.txt')",
    ):
        proc = run_tracker(seeded.home, "sql", text, *lake_args)
        assert proc.returncode == 1 and "refused: reading or writing files" in proc.stderr, proc.stderr
        assert SECRET not in proc.stdout + proc.stderr and NOTE not in proc.stdout + proc.stderr
    # the data itself still answers
    assert query.run_sql(settings, "select count(*) as n from rank_history")["n"][0] == hn.ROWS


def test_the_lake_follows_a_new_export_with_its_new_files(seeded, tmp_path):
    # the lake's connection allows the files it listed when it opened; a new export (a new manifest) is
    # read by a new connection, which allows the new files
    dest = tmp_path / "lake"
    export.export(seeded, dest)
    lake_settings = seeded.replace(lake=dest)
    assert query.run_sql(lake_settings, "select count(*) as n from rank_history")["n"][0] == hn.ROWS
    before = readers.held()
    export.export(seeded, dest, since=date(2025, 1, 1))
    assert query.run_sql(lake_settings, "select count(*) as n from rank_history")["n"][0] == hn.ROWS
    assert readers.held() != before


# ---------------------------------------------------------------------------------------------------------
# limits

CROSS_JOIN = "select count(*) as n from range(2000000) a, range(2000000) b"
BIG_STRING = "select string_agg(repeat('x', 1000000), '') as s from range(5000)"
RUNAWAY = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from tracker.config import load_settings
    from tracker.errors import QueryError
    from tracker.read import query, readers

    home, timeout, text = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    lake = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    settings = load_settings(environ={}, home=home, lake=lake, query_timeout=timeout)
    query.run_sql(settings, "select 1")  # the shared connection is open before the clock starts
    held = readers.held()
    started = time.monotonic()
    try:
        query.run_sql(settings, text)
        message = None
    except QueryError as exc:
        message = str(exc)
    seconds = time.monotonic() - started
    after = query.run_sql(settings, "select count(*) as n from rank_history")["n"].to_list()
    print(json.dumps({
        "message": message, "seconds": seconds, "after": after, "same_connection": readers.held() == held,
        "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))
    """
)


def _runaway(home: Path, timeout: float, text: str, lake: Path | None = None) -> dict:
    args = [sys.executable, "-c", RUNAWAY, str(home), str(timeout), text, *([str(lake)] if lake else [])]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["database", "lake"])
def test_a_runaway_query_stops_at_the_time_limit_and_the_next_one_works(seeded, lake_dir, mode):
    # before: the cross join ran until killed (the subprocess's 180 s here)
    found = _runaway(seeded.home, 1.5, CROSS_JOIN, lake_dir if mode == "lake" else None)
    assert found["message"] is not None and found["message"].startswith("query stopped after 1.5 s")
    assert "query_timeout" in found["message"] and "TRACKER_QUERY_TIMEOUT=" in found["message"]
    assert "\n" not in found["message"]
    assert found["seconds"] < 1.5 + 1.5, (
        found
    )  # interrupted within the limit, give or take the machine's load
    assert found["after"] == [hn.ROWS] and found["same_connection"]


@pytest.mark.slow
def test_a_query_past_the_memory_cap_stops_and_the_process_stays_small(seeded):
    # before: DuckDB's default cap (80% of RAM) let the string grow to gigabytes
    found = _runaway(seeded.home, 0, BIG_STRING)
    assert found["message"] is not None and "query_memory_limit" in found["message"], found
    assert "TRACKER_QUERY_MEMORY_LIMIT=" in found["message"] and "\n" not in found["message"]
    assert found["peak_bytes"] < 3 * 1024**3, found
    assert found["after"] == [hn.ROWS] and found["same_connection"]


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_the_limits_hold_for_the_command_and_the_dashboard(seeded, monkeypatch):
    proc = run_tracker(seeded.home, "sql", CROSS_JOIN, env={"TRACKER_QUERY_TIMEOUT": "1"}, timeout=120)
    assert proc.returncode == 1 and proc.stderr.startswith("error: query stopped after 1 s"), proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    # the dashboard's path reads its settings from the environment `tracker up` gives it
    monkeypatch.setenv("TRACKER_QUERY_TIMEOUT", "1")
    monkeypatch.delenv("TRACKER_LAKE", raising=False)
    data.clear()
    src = data.source(seeded)
    with pytest.raises(
        QueryError, match=r"query stopped after 1 s, the time limit \(setting query_timeout\)"
    ):
        data.run(CROSS_JOIN, src=src)
    assert data.run("select count(*) as n from rank_history", src=src)["n"][0] == hn.ROWS
    data.clear()


@pytest.mark.parametrize("mode", ["database", "lake"])
def test_the_reader_runs_with_the_thread_and_memory_caps_and_no_temporary_directory(seeded, lake_dir, mode):
    # before: every core, 80% of RAM, and the working directory's .tmp as temporary directory
    settings = seeded.replace(query_threads=1, query_memory_limit="512MB")
    if mode == "lake":
        settings = settings.replace(lake=lake_dir)
    found = query.run_sql(
        settings,
        "select current_setting('threads') as threads, current_setting('memory_limit') as memory, "
        "current_setting('temp_directory') as temp",
    ).row(0, named=True)
    assert found == {"threads": 1, "memory": "488.2 MiB", "temp": ""}


def test_the_limit_settings_are_checked(tmp_path):
    for bad, message in (
        ({"query_timeout": -1.0}, "query_timeout = -1.0 must be 0"),
        ({"query_timeout": float("inf")}, "query_timeout = inf must be 0"),
        ({"query_threads": 0}, "query_threads = 0 must be 1 or more"),
        ({"query_memory_limit": "lots"}, "query_memory_limit = 'lots' is not a memory size"),
    ):
        with pytest.raises(ConfigError, match=re.escape(message)):
            load_settings(environ={}, home=tmp_path, **bad)


# ---------------------------------------------------------------------------------------------------------
# a broken tracker.toml


def test_a_broken_config_file_does_not_stop_tracker_sql(seeded, tmp_path):
    # before: `tracker sql` failed with the writer's refusal of the file
    home = tmp_path / "home"
    home.mkdir()
    for name in ("tracker.duckdb", "tracker.read.duckdb"):
        (home / name).write_bytes((seeded.home / name).read_bytes())
    config = home / "tracker.toml"
    config.write_text("[settings\nport = 'x'\n")
    proc = run_tracker(home, "sql", "select count(*) as n from rank_history", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"n": hn.ROWS}
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: ") and str(config) in lines[0], proc.stderr
    # a command that writes still refuses it
    refused = run_tracker(home, "import", str(tmp_path / "nothing.json"))
    assert refused.returncode == 1 and "is not valid TOML" in refused.stderr


def test_reader_settings_warn_about_the_file_but_not_a_bad_environment(tmp_path):
    (tmp_path / "tracker.toml").write_text("[settings]\nno_such_setting = 1\n")
    settings, warning = load_reader_settings(environ={}, home=tmp_path)
    assert settings.home == tmp_path and settings.config is None
    assert warning is not None and str(tmp_path / "tracker.toml") in warning and "no_such_setting" in warning
    (tmp_path / "tracker.toml").write_text("[settings]\nquery_memory_limit = 'lots'\n")
    settings, warning = load_reader_settings(environ={}, home=tmp_path)
    assert warning is not None and warning.startswith(f"{tmp_path / 'tracker.toml'}: query_memory_limit")
    with pytest.raises(ConfigError, match="TRACKER_QUERY_TIMEOUT='soon' is not a valid float"):
        load_reader_settings(environ={"TRACKER_QUERY_TIMEOUT": "soon"}, home=tmp_path)
    (tmp_path / "tracker.toml").write_text("[settings]\nquery_threads = 3\n")
    assert load_reader_settings(environ={}, home=tmp_path) == (
        load_settings(environ={}, home=tmp_path),
        None,
    )
