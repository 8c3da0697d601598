"""Hostile input at ingest and on the terminal, as a user meets it through the real ``tracker`` command:

- control characters (ESC sequences, NUL, BEL, C1) in upstream names are stored nowhere and never written to a
  terminal, whatever the output format;
- a full disk ends in one line naming the cause and the database, and the earlier data stays;
- a named pipe, a device, a loop of symbolic links or a file over ``max_import_bytes`` is refused at once;
- ratings and votes outside the plausible ranges (settings) are refused, naming file, row and value.
"""

from __future__ import annotations

import os
import pty
import re
import resource
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.cli import run_tracker
from tests.pages import entry, leaderboard, page
from tracker import store
from tracker.config import load_settings
from tracker.sources import arena_page

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what no stored text or terminal output may hold
HOSTILE = ["red\x1b[31mmodel", "nul\x00model", "bell\x07model", "csi\x9b2Jmodel", "del\x7fmodel"]


def hostile_page(cutoff: str = "2026-05-07T14:00:00.000Z") -> bytes:
    entries = [
        entry(name, 1400 - i, 1395 - i, 1405 - i, rank=i + 1, modelOrganization="Org\r\n\x1b]0;pwned\x07")
        for i, name in enumerate(HOSTILE)
    ]
    return page(leaderboard(entries, cutoff=cutoff))


HOSTILE_CSV = (
    "rank,rank_stylectrl,model,arena_score,95_pct_ci,votes,organization,license,knowledge_cutoff,url\n"
    "1,1,Evil\x1b[2J\x1b[HModel,1470,+5/-5,26019,Goo\x9bgle,Propri\x00etary,,http://a\x07\n"
    "2,2,Calm Model,1446,+6/-6,13715,Google,Proprietary,,http://b\n"
)
HOSTILE_KEY_MAP = "key,Model,License,Organization\nkey\x1b[31m-one,Shown\x07 Name,MIT,Org\x9bX\n"


def stored_controls(database: Path) -> list[str]:
    """Every text value of every table of ``database`` (VARCHAR and JSON columns) holding a control character."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        columns = con.execute(
            "select c.table_name, c.column_name from information_schema.columns c "
            "join information_schema.tables t using (table_schema, table_name) "
            "where t.table_type = 'BASE TABLE' and (c.data_type in ('VARCHAR', 'JSON') or c.data_type like 'VARCHAR[]')"
        ).fetchall()
        assert len(columns) > 50, columns  # every table, not a few
        found = []
        for table, column in columns:
            for (value,) in con.execute(f'select distinct "{column}"::VARCHAR from "{table}"').fetchall():
                if value is not None and CONTROL.search(value):
                    found.append(f"{table}.{column}: {value!r}")
        return found
    finally:
        con.close()


def run_in_terminal(home: Path, *args: str, timeout: float = 120) -> str:
    """``tracker ARGS`` with its standard output on a pseudo-terminal (a terminal that styles nothing, so any
    control character in what it shows came from the data), as text with the terminal's CRLF as LF."""
    master, slave = pty.openpty()
    env = {**os.environ, "TRACKER_HOME": str(home), "TERM": "dumb", "COLUMNS": "200", "NO_COLOR": "1"}
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker", *args], stdout=slave, stderr=subprocess.PIPE, env=env
        )
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=timeout) == 0, proc.stderr.read()
    proc.stderr.close()
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.fixture
def hostile_home(tmp_path) -> Path:
    """A home that imported a page, a CSV and an identity file whose names hold control characters."""
    files = tmp_path / "files"
    (files / "snapshots").mkdir(parents=True)
    (files / "page.html").write_bytes(hostile_page())
    (files / "snapshots" / "lmarena_text_2025-08-04.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    (files / "key_to_model.csv").write_text(HOSTILE_KEY_MAP, encoding="utf-8")
    home = tmp_path / "home"
    for name in ("page.html", "snapshots/lmarena_text_2025-08-04.csv", "key_to_model.csv"):
        run_tracker(home, "import", str(files / name), check=True)
    return home


def test_control_characters_in_upstream_text_are_stored_nowhere(hostile_home):
    settings = load_settings(environ={}, home=hostile_home)
    found = stored_controls(settings.database_path) + stored_controls(settings.read_copy_path)
    assert not found, "\n".join(found)
    con = duckdb.connect(str(settings.database_path), read_only=True)
    try:
        names = {r[0] for r in con.execute("select display_name from standings").fetchall()}
        orgs = {r[0] for r in con.execute("select organization from standings").fetchall()}
        sighted = con.execute("select model_key, display_name, organization from model_sightings").fetchall()
    finally:
        con.close()
    # the text around the controls is kept: only the control characters went
    assert {"red[31mmodel", "nulmodel", "bellmodel", "csi2Jmodel", "delmodel"} <= names
    assert {"Evil[2J[HModel", "Calm Model"} <= names and "Org ]0;pwned" in orgs and "Google" in orgs
    assert ("key[31m-one", "Shown Name", "OrgX") in sighted


def test_no_control_character_reaches_the_terminal_in_any_format(hostile_home):
    query = "select display_name, organization, chr(27) || '[31m' || 'made by a query' || chr(155) as made from standings"
    shown = {
        "models (pipe)": run_tracker(hostile_home, "models", check=True).stdout,
        "sql table (pipe)": run_tracker(hostile_home, "sql", query, check=True).stdout,
        "models (terminal)": run_in_terminal(hostile_home, "models"),
    }
    for fmt in ("table", "csv", "json"):
        shown[f"sql {fmt} (terminal)"] = run_in_terminal(hostile_home, "sql", "--format", fmt, query)
    for what, text in shown.items():
        assert "model" in text.lower(), (what, text)
        assert not CONTROL.search(text), f"{what}: {CONTROL.findall(text)} in {text!r}"
    assert "made by a query" in shown["sql csv (terminal)"]  # shown, without the ESC (as U+FFFD)
    assert "\ufffd[31mmade by a query\ufffd" in shown["sql table (terminal)"]


def test_a_pipe_or_a_file_gets_csv_and_json_exactly_as_stored(hostile_home):
    out = run_tracker(
        hostile_home, "sql", "--format", "csv", "select chr(27) || 'x' as esc", check=True
    ).stdout
    assert out == "esc\n\x1bx\n"  # a program reading the pipe gets the text the query made


# --- a full disk ------------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 64 MiB tmpfs mounted under tmp_path: a disk that really fills up (needs root, as CI runs)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs to fill needs root and mount(8)")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def big_page(models: int, cutoff: str) -> bytes:
    entries = [
        entry(f"model-{i:05d}-{'x' * 60}", 1500 - i * 0.01, 1490 - i * 0.01, 1510 - i * 0.01, rank=i + 1)
        for i in range(models)
    ]
    return page(leaderboard(entries, cutoff=cutoff))


def standings_rows(database: Path) -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute("select count(*) from standings").fetchone()[0]
    finally:
        con.close()


def test_a_full_disk_ends_in_one_line_naming_the_cause_and_the_database(small_disk, tmp_path):
    home = small_disk / "home"
    first, second, third = (tmp_path / f"{n}.html" for n in ("first", "second", "third"))
    first.write_bytes(big_page(50, "2026-05-01T14:00:00.000Z"))
    second.write_bytes(big_page(20000, "2026-05-02T14:00:00.000Z"))
    third.write_bytes(big_page(50, "2026-05-03T14:00:00.000Z"))
    run_tracker(home, "import", str(first), check=True)
    database = load_settings(environ={}, home=home).database_path
    before = standings_rows(database)
    free = os.statvfs(small_disk)
    filler = small_disk / "filler"
    with open(filler, "wb") as handle:  # leave 1 MiB: enough to start, not to store the second page
        os.posix_fallocate(handle.fileno(), 0, free.f_bavail * free.f_frsize - 2**20)
    full = run_tracker(home, "import", str(second))
    assert full.returncode == 1, full.stdout + full.stderr
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1, full.stderr
    assert lines[0].startswith(f"error: cannot write to {database}: No space left on device"), lines[0]
    assert f"nothing of {second} was stored, and what was stored before is intact" in lines[0]
    filler.unlink()
    assert standings_rows(database) == before == 50
    again = run_tracker(home, "import", str(third), check=True)  # with room again, it goes on
    assert "50 row(s) written" in again.stdout and standings_rows(database) == 100


def test_a_failed_load_reports_its_own_error_not_the_aborted_transaction(writer):
    # a statement inside load_frame fails; unregistering the staged frames afterwards must not replace its error
    # with DuckDB's "Current transaction is aborted", as it did when a full disk failed an insert
    body = page(leaderboard([entry("a", 1400, 1390, 1410), entry("b", 1300, 1290, 1310, rank=2)]))
    frame = arena_page.parse(body, "p.html", fetched_at=datetime.now(UTC))
    broken = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("model_key"))  # standings refuse it
    writer.con.execute("BEGIN TRANSACTION")
    with pytest.raises(duckdb.ConstraintException, match="NOT NULL constraint failed: standings.model_key"):
        store.load_frame(
            writer.con, broken, source="arena-page", payload_hash="h", fetched_at=datetime.now(UTC)
        )
    store.rollback(writer.con)
    store.rollback(writer.con)  # and again, with no transaction open: nothing to undo, no error
    assert writer.con.execute("select count(*) from snapshots").fetchone() == (0,)


# --- special files -----------------------------------------------------------------------------------------

# a regression that read /dev/zero again would take this machine's memory: the child gets at most this much
ADDRESS_SPACE = 4 * 2**30


def import_refused(home: Path, path: Path | str, **env: str) -> str:
    """``tracker import PATH``: must end within 20 s with exit 1 and one ``error:`` line; returns the line."""
    environ = {**os.environ, "TRACKER_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1", **env}
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", "import", str(path)],
        capture_output=True,
        text=True,
        env=environ,
        timeout=20,
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE)),
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith(f"error: {path}"), proc.stderr
    return proc.stderr


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "board.html"
    os.mkfifo(fifo)
    assert "is a named pipe (FIFO), not a regular file" in import_refused(tmp_path / "home", fifo)
    assert not (tmp_path / "home" / "tracker.duckdb").exists()  # refused before the writer opened anything


def test_a_device_is_refused_without_reading_it(tmp_path):
    assert "is a character device, not a regular file" in import_refused(tmp_path / "home", "/dev/zero")


def test_a_loop_of_symbolic_links_is_refused(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert "a loop of symbolic links" in import_refused(tmp_path / "home", tmp_path / "a")


def test_a_folder_walk_reads_only_its_regular_files_and_follows_no_folder_link(tmp_path):
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "page.html").write_bytes(hostile_page())
    (folder / "sub" / "back").symlink_to(folder)  # a folder loop
    (folder / "loop1").symlink_to(folder / "loop2")
    (folder / "loop2").symlink_to(folder / "loop1")
    os.mkfifo(folder / "pipe.html")
    (folder / "zero.html").symlink_to("/dev/zero")
    ran = run_tracker(tmp_path / "home", "import", str(folder), timeout=60)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 file(s): 1 new" in ran.stdout


def test_a_file_over_max_import_bytes_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(hostile_page())
    line = import_refused(tmp_path / "home", path, TRACKER_MAX_IMPORT_BYTES="1000")
    assert "larger than max_import_bytes (1,000 bytes)" in line


# --- plausible ratings and votes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "rating",
            1e15,
            "rating is outside the plausible range -10000 to 10000 (settings min_rating, max_rating) (value 1e+15)",
        ),
        ("rating", 1e308, "(value 1e+308)"),
        ("rating", -1e6, "rating is outside the plausible range"),
        ("ratingUpper", 1e12, "rating_upper is outside the plausible range"),
        (
            "votes",
            2_000_000_000,
            "votes is above the plausible 1,000,000,000 (setting max_votes) (value 2000000000)",
        ),
    ],
)
def test_implausible_ratings_and_votes_are_refused_naming_file_row_and_value(tmp_path, field, value, message):
    entries = [entry("a", 1400, 1395, 1405, rank=1), entry("b", 1390, 1385, 1395, rank=2)]
    entries[1][field] = value
    if field == "rating":
        entries[1]["ratingLower"], entries[1]["ratingUpper"] = value, value
    path = tmp_path / "page.html"
    path.write_bytes(page(leaderboard(entries)))
    ran = run_tracker(tmp_path / "home", "import", str(path))
    assert ran.returncode == 1
    assert f"invalid data in {path}, row 2, field" in ran.stderr and message in ran.stderr, ran.stderr
    con = duckdb.connect(str(tmp_path / "home" / "tracker.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from standings").fetchone() == (0,)
    finally:
        con.close()


def test_the_plausible_ranges_are_settings(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(page(leaderboard([entry("a", 25000, 24990, 25010, rank=1)])))
    refused = run_tracker(tmp_path / "home", "import", str(path))
    assert refused.returncode == 1 and "outside the plausible range" in refused.stderr
    allowed = run_tracker(tmp_path / "home", "import", str(path), env={"TRACKER_MAX_RATING": "100000"})
    assert allowed.returncode == 0, allowed.stderr
    wrong = run_tracker(tmp_path / "home", "import", str(path), env={"TRACKER_MIN_RATING": "20000"})
    assert wrong.returncode == 1 and "min_rating = 20000 must be below max_rating = 10000" in wrong.stderr
