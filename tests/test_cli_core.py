"""The core commands end to end through the real CLI: import, sql, status, reparse, errors."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import duckdb
import pytest

from tests.cli import run_tracker
from tests.conftest import shared_path
from tests.pages import entry, leaderboard, page

MAI_QUERY = (
    "select rank_ordinal, rating, votes from rank_history where model='mai-1-preview' and category='overall'"
)


def test_import_real_pages_then_query_mai_1_preview(tmp_path):
    folder = shared_path("podsieve-prediction_mkt")
    pages = sorted(str(p) for p in folder.glob("*.html"))
    home = tmp_path / "home"
    first = run_tracker(home, "import", *pages, check=True)
    assert "2 new snapshot(s)" in first.stdout
    out = run_tracker(home, "sql", MAI_QUERY, "--format", "csv", check=True).stdout
    assert out.strip().splitlines() == ["rank_ordinal,rating,votes", "111,1393.73,17899"]
    detail = run_tracker(
        home,
        "sql",
        "select arena, style_control, as_of, source from rank_history "
        "where model='mai-1-preview' and category='overall'",
        "-f",
        "csv",
        check=True,
    ).stdout
    assert detail.strip().splitlines()[1] == "text,false,2026-05-07,arena-page"
    again = run_tracker(home, "import", *pages, check=True)
    assert "nothing new" in again.stdout and "nothing written" in again.stdout


def test_sql_formats(tmp_path):
    home = tmp_path / "home"
    body = page(leaderboard([entry("alpha", 1400, 1390, 1410), entry("beta", 1300, 1290, 1310)]))
    (tmp_path / "p.html").write_bytes(body)
    run_tracker(home, "import", str(tmp_path / "p.html"), check=True)
    query = "select model, rank_ordinal from rank_history order by rank_ordinal"
    assert run_tracker(home, "sql", query, "-f", "json", check=True).stdout.splitlines() == [
        '{"model": "alpha", "rank_ordinal": 1}',
        '{"model": "beta", "rank_ordinal": 2}',
    ]
    table = run_tracker(home, "sql", query, check=True).stdout
    assert "alpha" in table and "2 rows" in table


@pytest.mark.parametrize(
    "query",
    [
        "drop table standings",
        "insert into snapshots select * from snapshots",
        "select * from read_csv('/etc/passwd')",
        "attach '/tmp/x.duckdb' as x",
        "copy standings to '/tmp/out.csv'",
        "set enable_external_access = true",
    ],
)
def test_sql_refuses_writes_files_and_config_changes(starter_home, query):
    proc = run_tracker(starter_home, "sql", query)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr


def test_expected_errors_print_one_message_and_exit_1(tmp_path):
    home = tmp_path / "home"
    proc = run_tracker(home, "sql", "select 1")
    assert proc.returncode == 1 and "tracker init" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_tracker(home, "import", str(tmp_path / "missing.html"))
    assert proc.returncode == 1 and "no such file" in proc.stderr


def test_rejected_import_exits_1_and_names_the_problem(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_bytes(page(leaderboard([entry("a", 1400, 1390, 1410), entry("a", 1300, 1290, 1310)])))
    proc = run_tracker(tmp_path / "home", "import", str(bad))
    assert proc.returncode == 1
    assert "bad.html" in proc.stderr and "appears more than once" in proc.stderr


def test_status_and_reparse(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "p.html").write_bytes(page(leaderboard([entry("alpha", 1400, 1390, 1410)])))
    (tmp_path / "s.html").write_bytes(page(leaderboard([entry("alpha", 1400, 1390, 1410)], style=True)))
    run_tracker(home, "import", str(tmp_path / "p.html"), str(tmp_path / "s.html"), check=True)
    status = run_tracker(home, "status", check=True).stdout
    assert "arena-page" in status
    # both boards named as tracker model and the dashboard name them (sql/macros/board_label.sql)
    assert "text/overall (raw)" in status and "text/overall (style control)" in status
    out = run_tracker(home, "reparse", check=True).stdout
    assert "reparsed 2 payload(s): 2 snapshot(s), 2 row(s)" in out


# rich's own switches: a console that is a terminal and draws live displays, as in a shell
TERMINAL = {"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1"}


def test_long_work_names_each_step_on_standard_error_in_a_terminal_and_nowhere_else(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "p.html").write_bytes(page(leaderboard([entry("alpha", 1400, 1390, 1410)])))
    shown = run_tracker(home, "import", str(tmp_path / "p.html"), env=TERMINAL, check=True)
    # the file being imported (with its folder: every dataset file has the same name), then the publish
    # that follows it, on standard error; the answer alone on standard output
    assert f"importing {tmp_path.name}/p.html" in shown.stderr
    assert "publishing the read copy" in shown.stderr
    answer = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.stdout)  # styled: standard output is a terminal too
    assert "1 new snapshot(s)" in answer and "publishing" not in answer
    reparsed = run_tracker(home, "reparse", env=TERMINAL, check=True)
    assert "reparsing the stored payloads" in reparsed.stderr and "1/1" in reparsed.stderr
    assert "publishing the read copy" in reparsed.stderr
    exported = run_tracker(home, "export", str(tmp_path / "lake"), env=TERMINAL, check=True)
    assert "writing rank_history" in exported.stderr and "writing methodology_events" in exported.stderr
    # in a pipe or a log: not a byte of it
    (tmp_path / "q.html").write_bytes(page(leaderboard([entry("beta", 1400, 1390, 1410)])))
    piped = run_tracker(home, "import", str(tmp_path / "q.html"), check=True)
    assert "1 new snapshot(s)" in piped.stdout and piped.stderr == ""
    assert run_tracker(home, "reparse", check=True).stderr == ""
    assert run_tracker(home, "export", str(tmp_path / "lake"), check=True).stderr == ""


def duplicated_page() -> bytes:
    return page(leaderboard([entry("a", 1400, 1390, 1410), entry("a", 1300, 1290, 1310)]))


def test_reparse_names_a_payload_still_rejected_since_import_and_exits_0(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "p.html").write_bytes(page(leaderboard([entry("alpha", 1400, 1390, 1410)])))
    (tmp_path / "bad.html").write_bytes(duplicated_page())
    assert run_tracker(home, "import", str(tmp_path / "p.html"), str(tmp_path / "bad.html")).returncode == 1
    proc = run_tracker(home, "reparse")
    assert proc.returncode == 0, proc.stderr
    assert "reparsed 2 payload(s): 1 snapshot(s), 1 row(s)" in proc.stdout
    assert "still rejected: 1 payload(s)" in proc.stdout and "bad.html" in proc.stdout
    assert "newly failing" not in proc.stdout + proc.stderr


def test_reparse_exits_1_naming_a_payload_that_loaded_before_and_fails_now(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "p.html").write_bytes(page(leaderboard([entry("alpha", 1400, 1390, 1410)])))
    (tmp_path / "bad.html").write_bytes(duplicated_page())
    run_tracker(home, "import", str(tmp_path / "p.html"))
    [stored] = (home / "payloads").glob("*/*.zlib")
    # p.html's stored bytes now fail to parse: the same as a parser that regressed on them
    stored.write_bytes(zlib.compress(duplicated_page()))
    run_tracker(home, "import", str(tmp_path / "bad.html"))
    proc = run_tracker(home, "reparse")
    assert proc.returncode == 1
    assert "newly failing: 1 payload(s) loaded before, rejected now" in proc.stderr
    assert "p.html" in proc.stderr and "appears more than once" in proc.stderr
    assert "bad.html" not in proc.stderr  # rejected at import: still rejected, on stdout
    assert "still rejected: 1 payload(s)" in proc.stdout and "bad.html" in proc.stdout


def test_reparse_names_a_payload_rejected_before_that_loads_now(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "p.html").write_bytes(page(leaderboard([entry("alpha", 1400, 1390, 1410)])))
    run_tracker(home, "import", str(tmp_path / "p.html"), check=True)
    # as if an older parser had rejected it
    with duckdb.connect(str(home / "tracker.duckdb")) as con:
        con.execute("update raw_payloads set status = 'rejected'")
    proc = run_tracker(home, "reparse", check=True)
    assert "recovered: 1 payload(s) rejected before, loaded now" in proc.stdout and "p.html" in proc.stdout
    assert "still rejected" not in proc.stdout and "newly failing" not in proc.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["sql", "--bogus"], "No such option: --bogus"),
        (["nosuchcmd"], "No such command 'nosuchcmd'"),
        (["model"], "Missing argument 'name'"),
        (["sql", "--max-rows", "abc", "select 1"], "Invalid value for '--max-rows'"),
        (["sql", "--max-rows", "-1", "select 1"], "Invalid value for '--max-rows'"),
        (["status", "--max-failures", "0"], "Invalid value for '--max-failures'"),
        (["alerts", "list", "--limit", "-1"], "Invalid value for '--limit'"),
        (["backfill", "arena-catalog", "--since", "notadate"], "Invalid value for '--since'"),
    ],
)
def test_a_usage_error_is_one_message_and_exit_2_not_a_traceback(tmp_path, args, says):
    proc = run_tracker(tmp_path / "home", *args)
    assert proc.returncode == 2, proc.stderr
    assert says in proc.stderr and "Traceback" not in proc.stderr
    assert f"Try 'tracker {args[0]}" in proc.stderr or args == ["nosuchcmd"]


@pytest.mark.parametrize(
    "args",
    [
        ["init", "--home", "{file}"],
        ["sql", "select 1", "--home", "{file}"],
        ["export", "{file}"],
        ["export", "{file}/lake"],
    ],
)
def test_a_file_where_a_folder_belongs_is_named_in_one_line(tmp_path, args):
    file = tmp_path / "notes.txt"
    file.write_text("not a folder")
    if args[0] == "export":
        run_tracker(tmp_path / "home", "init", "--empty", check=True)
    proc = run_tracker(tmp_path / "home", *(a.format(file=file) for a in args))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"error: {file} is a file, not a folder: pass a folder"
    assert file.read_text() == "not a folder"


def test_an_error_message_keeps_its_brackets(tmp_path):
    proc = run_tracker(tmp_path / "home", "alerts", "test", "nosuch")
    assert proc.returncode == 1
    assert "Add it as an [[alerts.targets]] table." in proc.stderr


def _commands(command, path=("tracker",)):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_every_help_paragraph_is_one_line_so_the_terminal_wraps_it():
    import typer.main

    from tracker.cli import app

    for path, command in _commands(typer.main.get_command(app)):
        for paragraph in (command.help or "").split("\n\n"):
            assert "\n" not in paragraph.strip(), f"{' '.join(path)}: {paragraph[:60]!r}"
    top = run_tracker(Path("/nonexistent"), "--help", check=True).stdout
    assert "Example: tracker up" in " ".join(top.split())


def test_every_date_option_shows_a_date_placeholder_in_help():
    # before: backfill --since showed <%Y-%m-%d> (click's format list) and export --since <str>
    import typer.main
    from typer.testing import CliRunner

    from tracker.cli import app

    runner = CliRunner()
    for path, command in _commands(typer.main.get_command(app)):
        shown = " ".join(runner.invoke(app, [*path[1:], "--help"], env={"COLUMNS": "200"}).output.split())
        assert "<%" not in shown, " ".join(path)
        for param in getattr(command, "params", []):
            if "--since" in getattr(param, "opts", ()):
                assert "--since <date>" in shown, " ".join(path)


def test_a_folder_import_names_the_files_it_skipped(tmp_path):
    folder = tmp_path / "copies"
    folder.mkdir()
    body = page(leaderboard([entry("alpha", 1400, 1390, 1410)]))
    (folder / "good.html").write_bytes(body)
    (folder / "cut.html").write_bytes(body[:200])  # still an arena page: rejected, naming where it breaks
    (folder / "empty.html").write_bytes(b"")  # no format at all: skipped, and named
    proc = run_tracker(tmp_path / "home", "import", str(folder))
    assert proc.returncode == 1
    assert f"rejected: cannot parse {folder / 'cut.html'}: a flight chunk at byte" in proc.stderr
    line = next(line for line in proc.stdout.splitlines() if line.startswith("skipped"))
    assert line == f"skipped 1 file(s) in no leaderboard format: {folder / 'empty.html'} (empty)"
    assert "1 new snapshot(s)" in proc.stdout


def test_a_board_dated_after_its_fetch_is_refused_and_nothing_is_written(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "now.html").write_bytes(page(leaderboard([entry("alpha", 1400, 1390, 1410)])))
    run_tracker(home, "import", str(tmp_path / "now.html"), check=True)
    future = tmp_path / "future.html"  # a vote cut-off 73 years after the import fetches it
    future.write_bytes(
        page(leaderboard([entry("beta", 1500, 1490, 1510)], cutoff="2099-01-02T14:00:00.000Z"))
    )
    proc = run_tracker(home, "import", str(future))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "dated 2099-01-02, after it was fetched" in proc.stderr and "future.html" in proc.stderr
    newest = run_tracker(home, "sql", "select max(as_of) AS d, count(*) AS n from rank_history", "-f", "csv")
    assert newest.stdout.splitlines()[1] == "2026-05-07,1"  # the earlier board alone, nothing partial
