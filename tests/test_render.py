"""Tables for people: a long result shows its first and last rows, a wide one the columns that fit a terminal,
and the footer says what was left out; off a terminal every column keeps its natural width. CSV for people: no
cell of `tracker sql --format csv` or of the dashboard's CSV download starts a spreadsheet formula (=, +, -, @,
tab, carriage return) unless it is a number, and a negative number stays as it is."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from rich.console import Console
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from dashboards import data, registry
from tests import hostile_names as hn
from tests.cli import run_tracker
from tracker.cli.render import print_table, render
from tracker.config import Settings
from tracker.read import cells
from tracker.sqlfiles import sql

WIDE = pl.DataFrame({f"column_{i:02d}": [f"value-{i}-{r}" for r in range(3)] for i in range(13)})


def _terminal(width: int = 80) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=width, color_system=None), out


def _pipe() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=80), out


def test_a_wide_table_in_a_terminal_shows_the_columns_that_fit_whole_and_names_the_rest():
    console, out = _terminal(80)
    render(WIDE, "table", console)
    text = out.getvalue()
    lines = text.splitlines()
    table_lines = [line for line in lines if line[:1] in "┏┃┡│└"]
    assert table_lines and all(len(line) <= 80 for line in table_lines)
    shown = [name for name in WIDE.columns if name in lines[1]]
    assert shown == WIDE.columns[: len(shown)] and 1 < len(shown) < WIDE.width
    assert "value-0-0" in text and "…" not in lines[1]  # whole headers and values, not one letter each
    hidden = WIDE.columns[len(shown) :]
    footer = " ".join(lines[-3:])
    assert f"{len(shown)} of 13 columns fit, not {', '.join(hidden)}" in footer
    assert "--format csv" in footer


def test_a_squeezed_text_column_wraps_whole_and_numbers_are_never_cut():
    frame = pl.DataFrame(
        {
            "board": ["text/instruction_following (style control)"],
            "rating": [1393.7312],
            "votes": [1_234_567],
            "status": ["gone since 2026-07-29"],
        }
    )
    console, out = _terminal(60)
    print_table(console, frame)
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "1393.73" in text and "1234567" in text and "…" not in text
    cells = " ".join(line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│"))
    assert cells.replace(" ", "") == "text/instruction_following(stylecontrol)"  # folded, nothing cut
    assert "status" in text and "columns fit" not in text  # squeezing made room for every column


def test_a_wide_table_written_to_a_pipe_keeps_every_column():
    console, out = _pipe()
    render(WIDE, "table", console)
    header = out.getvalue().splitlines()[1]
    assert all(name in header for name in WIDE.columns)
    assert len(header) > 80
    assert "columns fit" not in out.getvalue()


def test_a_long_result_shows_its_first_and_last_rows_and_says_so():
    frame = pl.DataFrame({"n": list(range(100)), "label": [f"row{n:03d}" for n in range(100)]})
    console, out = _pipe()
    render(frame, "table", console, max_rows=10)
    text = out.getvalue()
    shown = [n for n in range(100) if f"row{n:03d}" in text]
    assert shown == [0, 1, 2, 3, 4, 95, 96, 97, 98, 99]
    body = [line for line in text.splitlines() if line.startswith("│")]
    assert "…" in body[5] and "row004" in body[4] and "row095" in body[6]
    assert "100 rows; 10 shown, the first 5 and the last 5 (--max-rows 0 shows all)" in text


@pytest.mark.parametrize("max_rows", [None, 0, 100])
def test_no_cap_or_a_cap_the_result_fits_shows_every_row(max_rows):
    frame = pl.DataFrame({"label": [f"row{n:03d}" for n in range(100)]})
    console, out = _pipe()
    render(frame, "table", console, max_rows=max_rows)
    text = out.getvalue()
    assert all(f"row{n:03d}" in text for n in range(100))
    assert "…" not in text and text.rstrip().endswith("100 rows")


def test_a_cap_of_one_row_shows_the_first():
    frame = pl.DataFrame({"label": ["first", "middle", "last"]})
    console, out = _pipe()
    render(frame, "table", console, max_rows=1)
    text = out.getvalue()
    assert "first" in text and "middle" not in text and "last\n" not in text.replace("last 0", "")
    assert "3 rows; 1 shown, the first 1 (--max-rows 0 shows all)" in text


def test_csv_and_json_carry_every_row_whatever_the_cap():
    frame = pl.DataFrame({"n": list(range(100))})
    for fmt, expected in (("csv", 101), ("json", 100)):
        console, out = _pipe()
        render(frame, fmt, console, max_rows=10)
        assert len(out.getvalue().splitlines()) == expected


def test_a_table_without_a_footer_speaks_only_when_it_left_columns_out():
    console, out = _terminal(200)
    print_table(console, WIDE.select(WIDE.columns[:3]), "Small")
    assert "rows" not in out.getvalue()
    console, out = _terminal(60)
    print_table(console, WIDE, "Wide")
    assert "3 rows; " in out.getvalue() and "a wider terminal shows them" in out.getvalue()


def test_tracker_sql_caps_a_table_at_max_rows(tmp_path):
    home = tmp_path / "home"
    run_tracker(home, "init", "--empty", check=True)
    query = "select range AS n, 'row' || lpad(range::varchar, 3, '0') AS label from range(100)"
    capped = run_tracker(home, "sql", query, check=True).stdout
    assert "row019" in capped and "row020" not in capped and "row079" not in capped and "row080" in capped
    assert "100 rows; 40 shown, the first 20 and the last 20" in capped
    every = run_tracker(home, "sql", query, "--max-rows", "0", check=True).stdout
    assert all(f"row{n:03d}" in every for n in range(100))
    refused = run_tracker(home, "sql", query, "--max-rows", "-1")
    assert refused.returncode != 0 and "--max-rows" in refused.stderr


def _written(frame: pl.DataFrame, fmt: str) -> str:
    console, out = _pipe()
    render(frame, fmt, console)
    return out.getvalue()


ODD = pl.DataFrame(
    {
        "holders": [["a", "b"], [], None],
        "info": [{"n": 1, "x": float("nan")}, {"n": 2, "x": 1.5}, None],
        "raw": [b"ab", b"", None],
        "ratio": [float("nan"), float("inf"), 0.5],
        "at": [datetime(2026, 8, 3, tzinfo=UTC), None, datetime(2026, 8, 3, 12, 30, tzinfo=UTC)],
        "day": [date(2025, 1, 2), None, None],
        "big": pl.Series([Decimal("12345678901234567890"), Decimal(1), None], dtype=pl.Decimal(38, 0)),
    }
)


def test_csv_writes_lists_and_structs_as_json_and_bytes_as_hex():
    rows = list(csv.DictReader(io.StringIO(_written(ODD, "csv"))))
    assert [json.loads(r["holders"]) for r in rows[:2]] == [["a", "b"], []] and rows[2]["holders"] == ""
    assert json.loads(rows[0]["info"]) == {"n": 1, "x": None}
    assert [r["raw"] for r in rows] == ["6162", "", ""]
    assert rows[0]["at"] == "2026-08-03T00:00:00+00:00"  # as the JSON lines write it
    assert datetime.fromisoformat(rows[2]["at"]) == datetime(2026, 8, 3, 12, 30, tzinfo=UTC)
    assert rows[0]["big"] == "12345678901234567890"


def test_json_lines_are_valid_json_with_iso_dates_and_no_nan():
    lines = _written(ODD, "json").splitlines()
    assert "NaN" not in "".join(lines) and "Infinity" not in "".join(lines)
    first, second, third = (json.loads(line) for line in lines)  # strict JSON: no NaN literals
    assert first["ratio"] is None and second["ratio"] is None and third["ratio"] == 0.5
    assert first["info"] == {"n": 1, "x": None} and first["holders"] == ["a", "b"]
    assert first["at"] == "2026-08-03T00:00:00+00:00" and first["day"] == "2025-01-02"
    assert first["big"] == 12345678901234567890 and first["raw"] == "6162"
    assert datetime.fromisoformat(third["at"]) == datetime(2026, 8, 3, 12, 30, tzinfo=UTC)


def test_an_interval_column_is_refused_with_the_cast_to_use(tmp_path):
    home = tmp_path / "home"
    run_tracker(home, "init", "--empty", check=True)
    proc = run_tracker(home, "sql", "select interval 3 day AS gap")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "gap: INTERVAL values cannot be returned; cast them, e.g. CAST(gap AS VARCHAR)" in proc.stderr


NAIVE = pl.DataFrame(
    {
        "month": [datetime(2025, 1, 1), datetime(2025, 1, 29, 12, 30, 15, 250000), None],
        "days": [[datetime(2025, 1, 29)], [], None],
        "zoned": [[datetime(2026, 8, 3, tzinfo=UTC)], None, []],
        "span": [{"from": datetime(2025, 1, 1), "to": datetime(2025, 2, 1)}, None, None],
    }
)


def test_csv_writes_a_timestamp_without_a_time_zone_in_iso_8601_without_an_offset():
    rows = list(csv.DictReader(io.StringIO(_written(NAIVE, "csv"))))  # date_trunc, as_of + interval
    assert [r["month"] for r in rows] == ["2025-01-01T00:00:00", "2025-01-29T12:30:15.250", ""]
    assert datetime.fromisoformat(rows[1]["month"]) == datetime(2025, 1, 29, 12, 30, 15, 250000)
    assert json.loads(rows[0]["days"]) == ["2025-01-29T00:00:00"] and rows[1]["days"] == "[]"
    assert json.loads(rows[0]["zoned"]) == ["2026-08-03T00:00:00+00:00"]
    assert json.loads(rows[0]["span"]) == {"from": "2025-01-01T00:00:00", "to": "2025-02-01T00:00:00"}
    first = json.loads(_written(NAIVE, "json").splitlines()[0])  # as the JSON lines write them
    assert first["month"] == rows[0]["month"] and first["days"] == json.loads(rows[0]["days"])


def test_csv_writes_nan_and_infinities_empty_as_json_writes_null():
    frame = pl.DataFrame(
        {
            "ratio": [float("nan"), float("inf"), float("-inf"), 0.5, None],
            "single": pl.Series([float("nan"), float("inf"), float("-inf"), 1.5, None], dtype=pl.Float32),
            "nested": [[float("nan"), float("inf")], None, None, [0.5], None],
        }
    )
    rows = list(csv.DictReader(io.StringIO(_written(frame, "csv"))))
    assert [r["ratio"] for r in rows] == ["", "", "", "0.5", ""]
    assert [r["single"] for r in rows] == ["", "", "", "1.5", ""]
    assert json.loads(rows[0]["nested"]) == [None, None]
    lines = [json.loads(line) for line in _written(frame, "json").splitlines()]
    assert [line["ratio"] for line in lines] == [None, None, None, 0.5, None]


def test_a_table_shows_lists_and_structs_as_csv_writes_them_and_brackets_as_text():
    frame = pl.DataFrame(
        {
            "days": [[date(2024, 1, 1), date(2024, 2, 1)]],
            "times": [[datetime(2025, 1, 29, 10, 0)]],
            "ints": [[1, 2]],
            "span": [{"n": 1, "on": date(2024, 1, 1)}],
            "note": ["[bold]not markup[/bold] [datetime.date(2024)]"],
            "[col]": [1],
        }
    )
    text = _written(frame, "table")
    assert '["2024-01-01", "2024-02-01"]' in text and '["2025-01-29T10:00:00"]' in text
    assert "[1, 2]" in text and '{"n": 1, "on": "2024-01-01"}' in text
    assert "[bold]not markup[/bold] [datetime.date(2024)]" in text and "[col]" in text
    row = next(r for r in csv.DictReader(io.StringIO(_written(frame, "csv"))))
    assert row["days"] in text and row["span"] in text


@pytest.mark.slow
def test_tracker_sql_into_a_closed_pipe_exits_0_quietly_in_every_format(tmp_path):
    home = tmp_path / "home"
    run_tracker(home, "init", "--empty", check=True)
    environ = {**os.environ, "TRACKER_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1"}
    commands = [["sql", "select * from range(1000)", "--format", fmt] for fmt in ("table", "csv", "json")]
    commands += [["alias", "list"], ["alias", "list", "--format", "csv"], ["alerts", "list"]]  # own modules
    started = []  # side by side, each in a process of its own: their start-ups overlap instead of adding up
    try:
        for command in commands:
            read_end, write_end = os.pipe()
            os.close(read_end)  # a reader that went away before the first line, as `| head -0` does
            try:
                started.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "tracker", *command],
                        stdout=write_end,
                        stderr=subprocess.PIPE,
                        text=True,
                        env=environ,
                    )
                )
            finally:
                os.close(write_end)
        ended = [
            (command, proc.communicate(timeout=300)[1], proc.returncode)
            for command, proc in zip(commands, started, strict=False)
        ]
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for command, stderr, returncode in ended:
        assert (command, returncode, stderr) == (command, 0, "")


# ---------------------------------------------------------------------------------------------------------
# CSV for people: no formulas


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Settings:
    return hn.build_home(tmp_path_factory.mktemp("hostile") / "home")


def test_the_neutralising_rule_is_the_same_in_sql_and_python():
    samples = ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-5", "+1.5e3", "-.5", "a=b", "", "'=x", "x"]
    con = duckdb.connect()
    try:
        con.execute(sql("export/csv_text.sql"))
        from_sql = [con.execute("SELECT csv_text($v)", {"v": v}).fetchone()[0] for v in samples]
    finally:
        con.close()
    from_polars = cells.neutralise(pl.DataFrame({"v": samples}))["v"].to_list()
    assert from_sql == from_polars == [
        "'=1+2", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-5", "+1.5e3", "-.5", "a=b", "", "'=x", "x",
    ]  # fmt: skip


def test_tracker_sql_csv_holds_no_formula_and_keeps_negative_numbers(hostile):
    text = (
        "select model, -5 as n, -1.5 as x, '-5' as t, '=1+2' as f, '@x' as a, [model] as l "
        "from rank_history where category = 'hostile' order by model"
    )
    proc = run_tracker(hostile.home, "sql", text, "--format", "csv", check=True)
    assert hn.formula_cells(proc.stdout) == []
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [r["model"] for r in rows] == ["'" + hn.HOSTILE_KEY, "plain"]
    assert {(r["n"], r["x"], r["t"], r["f"], r["a"]) for r in rows} == {("-5", "-1.5", "-5", "'=1+2", "'@x")}
    assert rows[0]["l"] == json.dumps([hn.HOSTILE_KEY])  # a list's JSON text starts with [, never a formula


APP = Path(registry.__file__).with_name("app.py")


@pytest.mark.slow
def test_the_dashboards_csv_download_holds_no_formula(hostile, monkeypatch):
    # before: the download was result.write_csv(), the names verbatim (and a list column, crowns'
    # co_holders, failed the page)
    served: list[tuple[bytes, str | None]] = []
    load = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename and filename.endswith(".csv"):
            served.append((path_or_data, filename))
        return load(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    monkeypatch.setenv("TRACKER_HOME", str(hostile.home))
    monkeypatch.delenv("TRACKER_LAKE", raising=False)
    data.clear()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(registry.by_url("sql").file)
    at.session_state["sql_mode"] = "Free SQL"
    at.run()
    at.text_area(key="sql_text").input(
        "select model, display_name, -5 as n, '+1' as t from latest where category = 'hostile' order by model"
    ).run()
    at.button(key="sql_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = served[-1][0].decode() if isinstance(served[-1][0], bytes) else served[-1][0]
    assert hn.formula_cells(text) == [], text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["model"], r["display_name"], r["n"], r["t"]) for r in rows] == [
        ("'" + hn.HOSTILE_KEY, "'" + hn.HOSTILE["display_name"], "-5", "+1"),
        ("plain", "Plain", "-5", "+1"),
    ]
    # a list column (crowns' co_holders) goes out as its JSON text
    at.session_state["sql_mode"] = "Named query"
    at.run()
    at.selectbox(key="sql_named").set_value("crowns").run()
    at.button(key="sql_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    data.clear()
    crowns = served[-1][0]
    crowns = crowns.decode() if isinstance(crowns, bytes) else crowns
    assert "co_holders" in crowns.splitlines()[0] and hn.formula_cells(crowns) == []
    assert ",[]" in crowns or ',"[' in crowns  # the list as JSON text


def test_an_emoji_code_in_upstream_text_is_printed_as_written():
    """rich turns ``:smile:`` into an emoji by default; a model named with colons must read as it came, on
    the commands' console in a terminal and into a pipe (a table as wide as it is)."""
    from tracker.cli.consoles import Stdout

    names = pl.DataFrame({"model": ["gpt:smile:", ":thumbs_up:-7b"], "votes": [1, 2]})
    for terminal in (True, False):
        out = io.StringIO()
        render(names, "table", Stdout(file=out, force_terminal=terminal, width=80, color_system=None))
        text = out.getvalue()
        assert "gpt:smile:" in text and ":thumbs_up:-7b" in text, text
        assert "\N{GRINNING FACE WITH SMILING EYES}" not in text and "\N{THUMBS UP SIGN}" not in text
