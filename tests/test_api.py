"""The Python API (``tracker.sql``, ``query``, ``connect``, ``model``) and the worked example of docs/python.md,
run against a home initialised with the bundled starter history."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

import tracker
from tests.cli import run_tracker

DOC = Path(__file__).resolve().parent.parent / "docs" / "python.md"


@pytest.fixture(scope="module")
def home(tmp_path_factory, starter_template) -> Path:
    home = tmp_path_factory.mktemp("api") / "home"
    shutil.copytree(starter_template, home)
    return home


def test_sql_binds_a_dict_of_named_parameters(home):
    frame = tracker.sql("select * from rank_history where model = $m", {"m": "mai-1-preview"}, home=home)
    assert isinstance(frame, pl.DataFrame) and frame.height >= 3
    assert set(frame["model"].unique()) == {"mai-1-preview"}


def test_sql_is_read_only_and_says_so(home):
    with pytest.raises(tracker.QueryError, match="read-only"):
        tracker.sql("create table x as select 1", home=home)
    with pytest.raises(tracker.TrackerError):
        tracker.sql("select * from read_csv('/etc/passwd')", home=home)


def test_query_checks_and_types_its_parameters(home):
    frame = tracker.query("model_history", model="mai-1-preview", style_control=True, home=home)
    assert frame.height >= 3 and frame["style_control"].all()
    with pytest.raises(tracker.QueryError, match="top"):
        tracker.query("org_race", top=0, home=home)
    with pytest.raises(tracker.QueryError):
        tracker.query("no_such_query", home=home)


def test_connect_is_read_only_duckdb(home):
    con = tracker.connect(home=home)
    try:
        assert isinstance(con, duckdb.DuckDBPyConnection)
        assert con.execute("select count(*) from ranked").fetchall()[0][0] > 1000
        with pytest.raises(duckdb.Error):
            con.execute("delete from standings")
    finally:
        con.close()


def test_model_is_the_story_tracker_model_tells(home):
    story = tracker.model("mai-1-preview", home=home)
    assert story.model == "mai-1-preview" and story.boards.height >= 1
    told = run_tracker(home, "model", "mai-1-preview", check=True).stdout
    assert story.display_name in told


def test_a_home_without_data_raises_a_store_error(tmp_path):
    with pytest.raises(tracker.StoreError, match="tracker init"):
        tracker.sql("select 1", home=tmp_path / "empty")


def test_import_tracker_loads_neither_the_ui_nor_the_scheduler_nor_the_data_stack():
    code = "import sys, tracker; print(sorted(m for m in ('streamlit', 'apscheduler', 'polars', 'duckdb') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_docs_worked_example_runs(home, tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks, "docs/python.md has no python example"
    script = tmp_path / "example.py"
    script.write_text("\n".join(blocks), encoding="utf-8")
    env = {**os.environ, "TRACKER_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "mai-1-preview.html").is_file()
    assert "read-only" in proc.stdout


def test_version_comes_from_the_installed_metadata():
    from importlib import metadata

    assert tracker.__version__ == metadata.version("leaderboard-tracker")
    assert (
        run_tracker(Path("unused"), "--version", check=True).stdout.strip()
        == f"tracker {tracker.__version__}"
    )
