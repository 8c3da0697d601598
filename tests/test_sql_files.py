"""Every SQL file is run against a real seeded database (tests/seeded_boards.py), one test per file.

- sql/macros, sql/views: each file's CREATE runs again on the writer (they are re-applied on every open),
  then the object it creates is queried on the read copy: views are selected from, macros are called.
- sql/queries: each named query runs with sample parameters and returns rows; its declared parameters
  are exactly the ones its SQL uses.
- sql/export: each SELECT runs (with $since where it has one); sql/lake: each view is created over a
  lake exported from the same database and selected from.
- sql/read: each SELECT runs on the read copy with sample parameters (or NULL).
- sql/load, sql/alerts, sql/migrations: statements that write. Each is bound against the seeded schema
  with PREPARE (tables, columns and types checked, nothing written), with the relations its module
  registers at run time; migrations run on every writer open and are checked as recorded.
- A statement that reads a relation only another module builds at run time (RUNTIME) is skipped with
  that reason; that module's tests run it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests import seeded_boards as sb
from tracker import identity, seeds, store
from tracker.config import Settings, load_settings
from tracker.read import connection, export, lake, named_queries, query
from tracker.sqlfiles import sql_root
from tracker.store import load, read_copy

ROOT = sql_root()
ALL_FILES = sorted(ROOT.rglob("*.sql"))
_CREATE = re.compile(
    r"CREATE\s+OR\s+REPLACE\s+(?P<kind>VIEW|MACRO)\s+(?P<name>\w+)\s*(?P<args>\([^)]*\))?\s*AS\s*(?P<table>TABLE)?",
    re.IGNORECASE,
)
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")

# table macros: a call that returns rows on the seeded history
MACRO_CALLS = {
    "board_as_of": "board_as_of('text', 'overall', false, DATE '2025-01-10')",
    "movers": "movers('text', 'overall', false, DATE '2025-01-01', NULL)",
    "events_with": "events_with(3, 1)",
    "board_as_of_on": "board_as_of_on('LMArena', 'text', 'overall', false, DATE '2025-01-10')",
    "movers_on": "movers_on('LMArena', 'text', 'overall', false, DATE '2025-01-01', NULL)",
    "events_for": "events_for(3, 1, 'LMArena', 'text', 'overall', false)",
    "crowns_for": "crowns_for('LMArena', 'text', 'overall', false)",
    "org_race_for": "org_race_for('LMArena', 'text', 'overall', true)",
    "model_spans_for": "model_spans_for('LMArena', 'text', 'overall', false)",
}
SCALAR_CALLS = {
    "board_label": ("board_label('text', 'overall', true)", "text/overall (style control)"),
    "ci_disjoint": ("ci_disjoint(1300, 1310, 1280, 1290)", True),
    "comparable_rank": (
        "[comparable_rank(false, 2, 5, 'ub', 'ub'), comparable_rank(true, 2, 5, 'ub', 'ub')]",
        [2, 5],
    ),
}
# sample values for the parameters of sql/read files, by name; anything else is bound as NULL
READ_SAMPLES = {
    "arena": "text",
    "category": "overall",
    "style_control": False,
    "model": "beta",
    "model_a": "alpha",
    "model_b": "beta",
    "pattern": "a",
    "at": sb.D3,
    "from_date": sb.D1,
    "to_date": sb.D5,
    "since": sb.D1,
    "start": sb.D1,
    "end": sb.D5,
    "source": "arena-dataset",
    "payload_hash": "seeded-raw",
    "limit": 10,
    "top": 10,
    "top_n": 10,
    "n": 10,
    "min_move": 1,
    "rank_basis": "ordinal",
    "organization": "Org A",
    "alias": "beta",
    "show_gone": True,
}
# relations a module registers around its statements at run time (con.register), which this file does not
# build; a statement reading one is skipped with the reason (that module's tests run it)
RUNTIME = {
    "guard_boards": "tracker.guard registers it while a payload is checked",
    "alert_found": "tracker.alerts.rules registers it while matching events",
    "alert_new_matches": "tracker.alerts.rules registers it while matching events",
    "alert_rules": "tracker.alerts.rules registers it while matching events",
    "alert_routes": "tracker.alerts.rules registers it while matching events",
}
_CREATE_AS = re.compile(
    r"^CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+\w+\s+AS\s+", re.IGNORECASE
)


def needs_runtime(text: str) -> str | None:
    for name, why in RUNTIME.items():
        if re.search(rf"\b{name}\b", text):
            return f"reads {name}: {why}"
    return None


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def files(*folders: str) -> list[Path]:
    return [p for p in ALL_FILES if p.parent.name in folders]


def test_every_sql_file_is_covered_here():
    covered = files(
        "macros", "views", "queries", "export", "lake", "read", "load", "alerts", "migrations", "publish"
    )
    assert sorted(map(rel, covered)) == sorted(map(rel, ALL_FILES)), "a new sql/ folder needs a test here"
    for path in ALL_FILES:
        assert path.read_text(encoding="utf-8").lstrip().startswith("--"), (
            f"{rel(path)} has no header comment"
        )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Settings:
    settings = load_settings(environ={}, home=tmp_path_factory.mktemp("sqlfiles") / "home")
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
    return settings


@pytest.fixture(scope="module")
def seeded_writer(seeded) -> Iterator[store.Writer]:
    """The seeded database's writer, open for the whole module (no publish per test)."""
    w = store.open_writer(seeded, "pytest")
    try:
        yield w
    finally:
        w.close()


@pytest.fixture(scope="module")
def lake_dir(seeded, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("lake") / "lake"
    export.export(seeded, dest)
    return dest


def one(settings: Settings, text: str, params: dict | None = None):
    return query.run_sql(settings, text, params).rows()[0][0]


@pytest.mark.parametrize("path", files("macros", "views"), ids=rel)
def test_view_or_macro_file_creates_what_it_names(path, seeded_writer):
    text = path.read_text(encoding="utf-8")
    match = _CREATE.search(text)
    assert match, f"{rel(path)} creates no view or macro"
    con = seeded_writer.con
    con.execute(text)

    def one(sql_text: str):
        return con.execute(sql_text).fetchall()[0][0]

    name = match["name"]
    if match["kind"].upper() == "VIEW":
        count = one(f"SELECT count(*) FROM {name}")
        if path.stem.startswith("04"):
            assert count > 0, f"{name} is empty on the seeded history"
    elif match["table"]:
        call = MACRO_CALLS.get(name) or f"{name}({', '.join(['NULL'] * _arity(match['args']))})"
        count = one(f"SELECT count(*) FROM {call}")
        if name in MACRO_CALLS:
            assert count > 0, f"{call} is empty on the seeded history"
    else:
        call, expected = SCALAR_CALLS.get(
            name, (f"{name}({', '.join(['NULL'] * _arity(match['args']))})", None)
        )
        value = one(f"SELECT {call}")
        if name in SCALAR_CALLS:
            assert value == expected


def _arity(args: str | None) -> int:
    inner = (args or "()").strip()[1:-1].strip()
    return len(inner.split(",")) if inner else 0


@pytest.mark.parametrize("path", files("queries"), ids=rel)
def test_named_query_runs_and_declares_exactly_the_parameters_it_uses(path, seeded):
    named = named_queries.parse_file(path)
    body = "\n".join(line for line in named.text.splitlines() if not line.startswith("--"))
    assert set(_PARAM.findall(body)) == {p.name for p in named.params}
    assert all(p.help for p in named.params), "every parameter needs a help text"
    frame = named_queries.run(seeded, named.name, sb.QUERY_PARAMS.get(named.name, {}))
    assert frame.height > 0, f"{named.name} returned no rows on the seeded history"


@pytest.mark.parametrize("path", files("export"), ids=rel)
def test_export_select_runs(path, seeded):
    text = path.read_text(encoding="utf-8").strip().rstrip(";")
    if re.search(r"CREATE\s+OR\s+REPLACE\s+TEMP\s+MACRO\s+csv_text", text):  # the CSV export's cell macro
        con = duckdb.connect()
        con.execute(text)
        assert con.execute("SELECT [csv_text('=1+2'), csv_text('-5'), csv_text('a')]").fetchall() == [
            (["'=1+2", "-5", "a"],)
        ]
        con.close()
        return
    params = {"since": date(2025, 1, 1)} if "$since" in text else None
    assert one(seeded, f"SELECT count(*) FROM (\n{text}\n)", params) > 0


@pytest.mark.parametrize("path", files("lake"), ids=rel)
def test_lake_view_reads_an_exported_lake(path, lake_dir):
    con = duckdb.connect()
    try:
        lake.point(con, lake.data_files(lake_dir))
        con.execute(path.read_text(encoding="utf-8"))
        assert con.execute(f"SELECT count(*) FROM {path.stem}").fetchall()[0][0] > 0
    finally:
        con.close()


@pytest.mark.parametrize("path", files("read"), ids=rel)
def test_read_file_runs_on_the_read_copy(path, seeded):
    text = path.read_text(encoding="utf-8")
    if reason := needs_runtime(text):
        pytest.skip(f"{rel(path)} {reason}")
    params = {name: READ_SAMPLES.get(name) for name in set(_PARAM.findall(text))}
    query.run_sql(seeded, text, params or None)  # runs to the end: every row is fetched


@pytest.mark.parametrize("path", files("load", "alerts", "migrations"), ids=rel)
def test_writing_statement_binds_against_the_seeded_schema(path, seeded_writer):
    text = path.read_text(encoding="utf-8").strip().rstrip(";")
    con = seeded_writer.con
    if path.parent.name == "migrations":
        applied = con.execute(
            "SELECT count(*) FROM schema_migrations WHERE name = $name", {"name": path.stem}
        )
        assert applied.fetchall() == [(1,)]
        return
    if reason := needs_runtime(text):
        pytest.skip(f"{rel(path)} {reason}")
    # the relations store.load_frame, tracker.seeds and tracker.identity register around these statements
    keys, rows = load._snapshot_keys(sb.frame(sb.STYLE, style_control=True))
    ids = keys.select("_snap", pl.lit(1, pl.Int64).alias("snapshot_id"))
    con.register("staged_keys", keys.to_arrow())
    con.register("staged_rows", rows.to_arrow())
    con.execute(
        "CREATE OR REPLACE TEMP TABLE staged_hashes AS SELECT 0::UINTEGER AS _snap, 'h' AS content_hash"
    )
    con.register("new_keys", keys.select("_snap").to_arrow())
    con.register(
        "new_snapshots",
        keys.join(ids, on="_snap").with_columns(pl.lit(None, pl.Utf8).alias("content_hash")).to_arrow(),
    )
    con.register("new_standings", rows.join(ids, on="_snap").to_arrow())
    for name, (file, columns, required) in seeds.FILES.items():
        con.register(name, seeds.read(seeds.seeds_dir() / file, columns, required).to_arrow())
    con.register("staged_sightings", pl.DataFrame(schema=identity.SIGHTINGS_SCHEMA).to_arrow())
    # CREATE ... AS cannot be prepared: bind its query instead
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    if body.lstrip().upper().startswith("MERGE"):  # not preparable either: run it and roll it back
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(text)
        finally:
            con.execute("ROLLBACK")
        return
    con.execute(f"PREPARE checked AS {_CREATE_AS.sub('', body.strip())}")
    con.execute("DEALLOCATE checked")


@pytest.mark.parametrize("name", [*read_copy.REPLACED_VIEWS], ids=str)
def test_the_read_copy_answers_what_the_writers_view_answers(name, seeded, seeded_writer):
    """The writer's views the read copy replaces (tables computed by sql/publish, or rank_history: a view over
    its ranked table) answer there row for row what the writer's view answers. Every sql/publish file runs in
    tests/test_read_copy.py, full and incremental."""
    expected = seeded_writer.con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
    assert expected, f"the seeded history has no {name} rows to compare"
    store.publish(seeded_writer)
    con = connection.open_reader(seeded)
    try:
        kind = con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = $v", {"v": name}
        ).fetchall()
        assert kind == [("VIEW" if name == "rank_history" else "BASE TABLE",)]
        assert con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() == expected
    finally:
        con.close()
