"""Declared sources: a leaderboard the tracker has never seen, read from tracker.toml's [[sources]] alone.

Small JSON and CSV files written here go through the real CLI (`tracker import --source NAME`, `tracker poll`,
`tracker reparse`, `tracker status`) into a real DuckDB file, and are read back with `tracker sql` and a
read-only DuckDB connection. Every refusal names the source and the key (a bad declaration) or the row and
the field (a bad row), and writes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.cli import run_tracker
from tests.conftest import Route
from tracker import parsed, sources
from tracker.config import load_settings
from tracker.config.declarations import AS_OF_KINDS, RANK_MEANINGS, read_declarations
from tracker.errors import ConfigError
from tracker.poll import jobs

# The contract, as written (less the `ci` line: it maps the CI instead of lower/upper)
CONTRACT = """
[[sources]]
name = "edit-arena"                 # source name stored with every row
leaderboard = "Example Edit Arena"  # the leaderboard its boards belong to
arena = "image-edit"
category = "overall"                # default "overall"
format = "json"                     # json | csv
rows = "data.entries"               # json: dotted path to the list of rows ("" = the document itself)
as_of = "generated"                 # json: dotted path to a date/timestamp in the document; csv: a column
urls = []                           # optional: polled with the default page interval, or `interval`/`cron`
[sources.fields]                    # canonical field = dotted path in a row (json; a number picks a list item) or column (csv)
model = "model.id"
display_name = "model.label"
organization = "model.vendor"
rating = "score.value"
rating_lower = "score.ci.0"
rating_upper = "score.ci.1"
votes = "battles"                   # "1,572" and 1572 both read as 1572
rank = "rank"                       # optional: the published rank, kept as rank_published
"""

# The same file, its CI read from the one text field instead
CI_TEXT = """
[[sources]]
name = "edit-arena-ci"
leaderboard = "Example Edit Arena"
arena = "image-edit"
format = "json"
rows = "data.entries"
as_of = "generated"
[sources.fields]
display_name = "model.label"
rating = "score.value"
ci = "ci95"
votes = "battles"
"""

# A CSV without dates, keys or lower/upper: model from display_name, as-of from the import, rank in UB terms
CSV_SOURCE = """
[[sources]]
name = "edit-csv"
leaderboard = "Example Edit Arena (CSV)"
arena = "Image Edit"
category = "Hard Prompts"
style_control = true
format = "csv"
rank_meaning = "ub"
[sources.fields]
display_name = "Model"
organization = "Org"
rating = "Score"
ci = "CI"
votes = "Votes"
rank = "Rank"
"""

ENTRIES = [
    {
        "rank": 1,
        "model": {"id": "Fixit-Pro-2", "label": "Fixit Pro 2", "vendor": "Brushworks"},
        "score": {"value": 1261.4, "ci": [1244.4, 1276.4]},
        "ci95": "±17",
        "battles": "1,572",
        "tier": "gold",
    },
    {
        "rank": 2,
        "model": {"id": "canvas-mender", "label": "Canvas Mender", "vendor": "Pixel Co"},
        "score": {"value": 1240.0, "ci": [1225.0, 1257.0]},
        "ci95": "+17/-15",
        "battles": 1572,
    },
    {
        "rank": 3,
        "model": {"id": "patchwork-xl", "label": "Patchwork XL", "vendor": "Loom"},
        "score": {"value": 1201.5, "ci": [1184.5, 1213.5]},
        "ci95": "-17/+12",
        "battles": 980,
    },
]

CSV_ROWS = [
    ["Model", "Org", "Score", "CI", "Votes", "Rank", "Notes"],
    ["Fixit Pro 2", "Brushworks", "1261.4", "±17", "1,572", "1", "fast"],
    ["Canvas Mender", "Pixel Co", "1240", "+17/-15", "1572", "1", ""],
    ["  Patchwork XL ", "Loom", "1201.5", "-17/+12", "980", "3", "beta"],
]


def document(entries: list | None = None, generated: str = "2026-07-01T09:30:00Z") -> dict:
    return {"generated": generated, "data": {"entries": ENTRIES if entries is None else entries}}


def write_json(folder: Path, doc: object, name: str = "edit-arena.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def write_csv(folder: Path, rows: list[list[str]], name: str = "edit-arena.csv") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def make_home(tmp_path: Path, config: str) -> Path:
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "tracker.toml").write_text(config, encoding="utf-8")
    return home


def sql_rows(home: Path, query: str) -> list[dict]:
    out = run_tracker(home, "sql", query, "-f", "json", check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def stored(home: Path, query: str, params: dict | None = None) -> list[tuple]:
    """A read of the database itself (not the read copy), after the command's writer has closed it."""
    con = duckdb.connect(str(home / "tracker.duckdb"), read_only=True)
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


def _counts(home: Path, source: str) -> tuple[int, int]:
    """The snapshots and standings stored under ``source``."""
    query = (
        "select (select count(*) from snapshots where source = $s), "
        "(select count(*) from standings join snapshots using (snapshot_id) where source = $s)"
    )
    return stored(home, query, {"s": source})[0]


def nothing_stored(home: Path, source: str) -> bool:
    """No snapshot and no standing of ``source`` (or no database at all)."""
    return not (home / "tracker.duckdb").exists() or _counts(home, source) == (0, 0)


# --- reading a declared JSON and CSV file through the real CLI --------------------------------------------


def test_a_declared_json_source_is_imported_with_its_ratings_bounds_votes_and_ranks(tmp_path):
    home = make_home(tmp_path, CONTRACT)
    path = write_json(tmp_path, document())
    ran = run_tracker(home, "import", "--source", "edit-arena", str(path), check=True)
    assert "1 new snapshot(s), 3 row(s) written" in ran.stdout
    rows = sql_rows(
        home,
        "select source, arena, category, style_control, as_of, model, source_key, display_name, organization, "
        "rating, rating_lower, rating_upper, votes, rank_published, rank_meaning, rank_ordinal, rank_ub, rank_lb "
        "from rank_history where source = 'edit-arena' order by rank_published",
    )
    assert [(r["source_key"], r["display_name"], r["organization"]) for r in rows] == [
        ("fixit-pro-2", "Fixit Pro 2", "Brushworks"),
        ("canvas-mender", "Canvas Mender", "Pixel Co"),
        ("patchwork-xl", "Patchwork XL", "Loom"),
    ]
    assert {(r["source"], r["arena"], r["category"], r["style_control"], r["as_of"]) for r in rows} == {
        ("edit-arena", "image_edit", "overall", False, "2026-07-01")
    }
    assert [(r["rating"], r["rating_lower"], r["rating_upper"]) for r in rows] == [
        (1261.4, 1244.4, 1276.4),
        (1240.0, 1225.0, 1257.0),
        (1201.5, 1184.5, 1213.5),
    ]
    assert [r["votes"] for r in rows] == [1572, 1572, 980]  # "1,572" and 1572 alike
    assert [(r["rank_published"], r["rank_meaning"]) for r in rows] == [
        (1, "ordinal"),
        (2, "ordinal"),
        (3, "ordinal"),
    ]
    # the tracker's own ranks, computed by the store as for every board
    assert [r["rank_ordinal"] for r in rows] == [1, 2, 3]
    assert all(r["rank_ub"] is not None and r["rank_lb"] is not None for r in rows)
    snapshot = stored(
        home, "select as_of, as_of_kind, rank_meaning from snapshots where source = 'edit-arena'"
    )
    assert snapshot == [(datetime(2026, 7, 1, 9, 30, tzinfo=UTC), "publish_date", "ordinal")]
    extra = sql_rows(
        home,
        "select source_key, extra from standings_resolved where source = 'edit-arena' order by source_key",
    )
    # unmapped fields are kept: the CI text this declaration does not read, and the tier
    assert {r["source_key"]: json.loads(r["extra"]) for r in extra} == {
        "canvas-mender": {"ci95": "+17/-15"},
        "fixit-pro-2": {"ci95": "±17", "tier": "gold"},
        "patchwork-xl": {"ci95": "-17/+12"},
    }
    again = run_tracker(home, "import", "--source", "edit-arena", str(path), check=True)
    assert "nothing new" in again.stdout


def test_a_declared_leaderboard_stands_apart_in_sql_and_on_the_dashboard(tmp_path, monkeypatch):
    """Its boards carry its leaderboard in rank_history and every board-level view, and the dashboard's
    sidebar offers it (the leaderboard first, then its arena), with the board's rows on the Leaderboard page."""
    from streamlit.testing.v1 import AppTest

    from dashboards import data, registry

    home = make_home(tmp_path, CONTRACT)
    run_tracker(home, "import", "--source", "edit-arena", str(write_json(tmp_path, document())), check=True)
    assert sql_rows(
        home, "select leaderboard, arena, category, count(*) as n from rank_history group by all"
    ) == [{"leaderboard": "Example Edit Arena", "arena": "image_edit", "category": "overall", "n": 3}]
    boards = run_tracker(home, "sql", "boards", "-f", "json", check=True)
    assert [
        (b["leaderboard"], b["arena"], b["dates"]) for b in map(json.loads, boards.stdout.splitlines())
    ] == [("Example Edit Arena", "image_edit", 1)]
    on_it = run_tracker(
        home,
        "sql",
        "leaderboard",
        "-p",
        "leaderboard=Example Edit Arena",
        "-p",
        "arena=image_edit",
        "-f",
        "json",
    )
    assert [json.loads(line)["model"] for line in on_it.stdout.splitlines()] == [
        "fixit-pro-2",
        "canvas-mender",
        "patchwork-xl",
    ]

    monkeypatch.setenv("TRACKER_HOME", str(home))
    monkeypatch.delenv("TRACKER_LAKE", raising=False)
    data.clear()
    try:
        at = AppTest.from_file(str(registry.HERE / "app.py"), default_timeout=60).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.sidebar.selectbox(key="board_leaderboard").options == ["Example Edit Arena"]
        assert at.sidebar.selectbox(key="board_arena").value == "image_edit"
        (board,) = [el for el in at.get_by_key("lb_table") if el.type == "dataframe"]
        assert list(board.value["Model"]) == ["Fixit Pro 2", "Canvas Mender", "Patchwork XL"]
        # captions are Markdown with upstream text escaped: read them as shown
        captions = [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]
        assert any("Example Edit Arena: image_edit / overall" in c for c in captions), captions
    finally:
        data.clear()


def test_a_ci_given_as_one_text_reads_plus_minus_and_both_orders(tmp_path):
    home = make_home(tmp_path, CI_TEXT)
    path = write_json(tmp_path, document())
    run_tracker(home, "import", "--source", "edit-arena-ci", str(path), check=True)
    rows = sql_rows(
        home,
        "select source_key, rating, rating_lower, rating_upper, votes, rank_published, rank_meaning "
        "from rank_history where source = 'edit-arena-ci' order by rating desc",
    )
    assert [(r["rating_lower"], r["rating_upper"]) for r in rows] == [
        (1261.4 - 17, 1261.4 + 17),  # ±17
        (1240.0 - 15, 1240.0 + 17),  # +17/-15
        (1201.5 - 17, 1201.5 + 12),  # -17/+12
    ]
    # model defaults to the key made from display_name, as every source's keys: trimmed, lower case
    assert [r["source_key"] for r in rows] == ["fixit pro 2", "canvas mender", "patchwork xl"]
    assert {(r["rank_published"], r["rank_meaning"]) for r in rows} == {(None, None)}  # no rank mapped


def test_a_declared_csv_source_derives_keys_and_is_dated_by_its_fetch(tmp_path):
    home = make_home(tmp_path, CSV_SOURCE)
    path = write_csv(tmp_path, CSV_ROWS)
    before = datetime.now(UTC)
    run_tracker(home, "import", "--source", "edit-csv", str(path), check=True)
    rows = sql_rows(
        home,
        "select arena, category, style_control, source_key, display_name, organization, rating, rating_lower, "
        "rating_upper, votes, rank_published, rank_meaning, rank_ordinal from rank_history "
        "where source = 'edit-csv' order by rating desc",
    )
    assert {(r["arena"], r["category"], r["style_control"]) for r in rows} == {
        ("image_edit", "hard_prompts", True)
    }
    assert [(r["source_key"], r["display_name"], r["organization"]) for r in rows] == [
        ("fixit pro 2", "Fixit Pro 2", "Brushworks"),
        ("canvas mender", "Canvas Mender", "Pixel Co"),
        ("patchwork xl", "Patchwork XL", "Loom"),
    ]
    assert [(r["rating_lower"], r["rating_upper"]) for r in rows] == [
        (1244.4, 1278.4),
        (1225.0, 1257.0),
        (1184.5, 1213.5),
    ]
    assert [r["votes"] for r in rows] == [1572, 1572, 980]
    assert [(r["rank_published"], r["rank_meaning"]) for r in rows] == [(1, "ub"), (1, "ub"), (3, "ub")]
    assert [r["rank_ordinal"] for r in rows] == [1, 2, 3]
    ((as_of, kind),) = stored(home, "select as_of, as_of_kind from snapshots where source = 'edit-csv'")
    assert kind == "capture_time" and before <= as_of <= datetime.now(UTC)
    extra = sql_rows(
        home, "select extra from standings_resolved where source = 'edit-csv' order by rating desc"
    )
    assert json.loads(extra[0]["extra"]) == {"Notes": "fast"}


def test_a_csv_as_of_column_dates_each_row(tmp_path):
    config = CSV_SOURCE.replace(
        'rank_meaning = "ub"', 'rank_meaning = "ub"\nas_of = "Date"\nas_of_kind = "vote_cutoff"'
    )
    home = make_home(tmp_path, config)
    rows = [[*CSV_ROWS[0], "Date"]] + [[*r, "2026-06-30"] for r in CSV_ROWS[1:]]
    run_tracker(home, "import", "--source", "edit-csv", str(write_csv(tmp_path, rows)), check=True)
    assert stored(home, "select as_of, as_of_kind from snapshots where source = 'edit-csv'") == [
        (datetime(2026, 6, 30, tzinfo=UTC), "vote_cutoff")
    ]


def test_the_parsed_frame_carries_the_declared_leaderboard(tmp_path):
    # the frame a declared source parses to carries its leaderboard (the store keys its boards by it)
    home = make_home(tmp_path, CONTRACT + CSV_SOURCE)
    settings = load_settings(environ={}, home=home)
    fetched = datetime(2026, 7, 2, tzinfo=UTC)
    json_format = sources.by_name("edit-arena", settings.declared_sources)
    frame = json_format.parse(json.dumps(document()).encode(), "edit-arena.json", fetched_at=fetched)
    assert list(frame.schema) == list(parsed.STANDINGS_SCHEMA)
    assert frame["leaderboard"].unique().to_list() == ["Example Edit Arena"]
    assert frame["rank_ordinal"].null_count() == frame.height  # the store computes the tracker's ranks
    body = write_csv(tmp_path, CSV_ROWS).read_bytes()
    csv_frame = sources.by_name("edit-csv", settings.declared_sources).parse(
        body, "x.csv", fetched_at=fetched
    )
    assert csv_frame["leaderboard"].unique().to_list() == ["Example Edit Arena (CSV)"]
    assert csv_frame["as_of"].unique().to_list() == [fetched]


def test_a_declared_source_is_read_only_when_named(tmp_path):
    home = make_home(tmp_path, CONTRACT)
    path = write_json(tmp_path, document())
    unnamed = run_tracker(home, "import", str(path))
    assert unnamed.returncode == 1 and "not a format the tracker reads" in unnamed.stderr
    assert nothing_stored(home, "edit-arena")


def test_a_folder_imported_with_source_skips_files_not_in_its_format(tmp_path):
    home = make_home(tmp_path, CONTRACT)
    folder = tmp_path / "drops"
    folder.mkdir()
    write_json(folder, document(), "2026-07-01.json")
    write_json(folder, document(generated="2026-07-08"), "2026-07-08.json")
    (folder / "index.html").write_text("<html>an index</html>", encoding="utf-8")
    ran = run_tracker(home, "import", "--source", "edit-arena", str(folder), check=True)
    assert (
        "2 new snapshot(s)" in ran.stdout and "skipped 1 file(s)" in ran.stdout and "index.html" in ran.stdout
    )


def test_an_unknown_source_name_is_refused_before_anything_is_written(tmp_path):
    home = make_home(tmp_path, CONTRACT)
    ran = run_tracker(home, "import", "--source", "edit-arena-typo", str(write_json(tmp_path, document())))
    assert ran.returncode == 1
    assert "unknown source 'edit-arena-typo'" in ran.stderr and "edit-arena" in ran.stderr
    assert not (home / "tracker.duckdb").exists()


def test_import_source_names_a_built_in_format_too(tmp_path):
    home = make_home(tmp_path, CONTRACT)
    ran = run_tracker(home, "import", "--source", "samica666", str(write_json(tmp_path, document())))
    # read as the built-in format, which refuses it
    assert ran.returncode == 1 and "no 'categories' object" in ran.stderr
    assert stored(home, "select source, outcome from fetches") == [("samica666", "rejected")]


# --- refusals of a bad declaration: named source and key, nothing written ----------------------------------


def _replace(old: str, new: str):
    return lambda text: text.replace(old, new, 1)


def _drop(key: str):
    """Drop the line that sets ``key`` (its comment too)."""
    return lambda text: "\n".join(line for line in text.splitlines() if not line.startswith(f"{key} ="))


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (_replace('arena = "image-edit"', 'arena = "image-edit"\ncolour = "blue"'), "colour"),
        (_replace('votes = "battles"', 'votes = "battles"\nwins = "wins"'), "fields.wins"),
        (_drop("rating"), "fields.rating"),
        (_replace('format = "json"', 'format = "xml"'), "format"),
        (_drop("leaderboard"), "leaderboard"),
        (_replace('rank = "rank"', 'rank = "rank"\nci = "ci95"'), "fields.ci"),
        (_drop("rating_upper"), "fields.rating_upper"),
        (_replace('model = "model.id"\ndisplay_name = "model.label"\n', ""), "fields.model"),
        (_replace("urls = []", 'urls = ["ftp://example.org/x.json"]'), "urls"),
        (_replace("urls = []", 'interval = "1h"'), "interval"),
        (_replace('category = "overall"', "category = 3"), "category"),
        (lambda text: text + text, "name"),  # the same name twice
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_bad_declaration_is_refused_naming_source_and_key(tmp_path, change, key):
    home = make_home(tmp_path, change(CONTRACT))
    ran = run_tracker(home, "import", "--source", "edit-arena", str(write_json(tmp_path, document())))
    assert ran.returncode == 1
    assert "[[sources]] 'edit-arena'" in ran.stderr and f"{key}:" in ran.stderr, ran.stderr
    assert ran.stderr.startswith("error: ") and "Traceback" not in ran.stderr
    assert not (home / "tracker.duckdb").exists()  # refused when the config loads, before the writer


def test_a_declared_name_a_built_in_source_has_is_refused(tmp_path):
    home = make_home(tmp_path, CONTRACT.replace('name = "edit-arena"', 'name = "samica666"'))
    for args in (["--source", "samica666"], []):  # named or not, the import refuses the config
        ran = run_tracker(home, "import", *args, str(write_json(tmp_path, document())))
        assert ran.returncode == 1
        assert "[[sources]] 'samica666': name:" in ran.stderr and "built-in" in ran.stderr, ran.stderr
    assert not (home / "tracker.duckdb").exists()
    with pytest.raises(ConfigError, match=r"\[\[sources\]\] 'samica666': name:"):
        jobs.load_jobs(load_settings(environ={}, home=home))


def test_a_declaration_that_is_not_a_table_array_is_refused(tmp_path):
    home = make_home(tmp_path, 'sources = "edit-arena"\n')
    ran = run_tracker(home, "import", "--source", "edit-arena", str(write_json(tmp_path, document())))
    assert ran.returncode == 1 and "sources must be an array of tables" in ran.stderr


@pytest.mark.parametrize(
    ("change", "key", "detail"),
    [
        (
            _replace('rows = "data.entries"', 'rows = "data.items"'),
            "rows",
            "rows = 'data.items' matches nothing",
        ),
        (_replace('rows = "data.entries"', 'rows = "data"'), "rows", "is an object, not the list of rows"),
        (_replace('as_of = "generated"', 'as_of = "meta.generated"'), "as_of", "matches nothing in the file"),
        (
            _replace('rating = "score.value"', 'rating = "score.elo"'),
            "fields.rating",
            "'score.elo' matches nothing",
        ),
        (_replace('votes = "battles"', 'votes = "n_battles"'), "fields.votes", "'n_battles' matches nothing"),
    ],
    ids=["rows", "rows-not-a-list", "as_of", "rating", "votes"],
)
def test_a_path_that_matches_nothing_in_the_file_is_refused_naming_source_and_key(
    tmp_path, change, key, detail
):
    home = make_home(tmp_path, change(CONTRACT))
    ran = run_tracker(home, "import", "--source", "edit-arena", str(write_json(tmp_path, document())))
    assert ran.returncode == 1
    assert f"field '{key}'" in ran.stderr and detail in ran.stderr, ran.stderr
    assert "source 'edit-arena'" in ran.stderr
    assert nothing_stored(home, "edit-arena")
    assert stored(home, "select source, outcome from fetches") == [("edit-arena", "rejected")]


def test_a_csv_column_that_is_not_in_the_file_is_refused_naming_source_and_key(tmp_path):
    home = make_home(tmp_path, CSV_SOURCE.replace('votes = "Votes"', 'votes = "Battles"'))
    ran = run_tracker(home, "import", "--source", "edit-csv", str(write_csv(tmp_path, CSV_ROWS)))
    assert ran.returncode == 1
    assert "field 'fields.votes'" in ran.stderr and "column 'Battles' is not in the file" in ran.stderr
    assert "source 'edit-csv'" in ran.stderr
    assert nothing_stored(home, "edit-csv")


# --- refusals of a bad row: named row and field, nothing written -------------------------------------------


def _entries(index: int, **changes) -> list:
    entries = json.loads(json.dumps(ENTRIES))
    for path, value in changes.items():
        target = entries[index]
        *parents, last = path.split("__")
        for part in parents:
            target = target[part]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return entries


@pytest.mark.parametrize(
    ("entries", "row", "field", "detail"),
    [
        (_entries(1, score__value=None), 2, "score.value", "the row has no rating"),
        (_entries(2, score__value="about 1200"), 3, "score.value", "'about 1200' is not a number"),
        (_entries(0, battles="1,5x2"), 1, "battles", "'1,5x2' is not a number"),
        (_entries(1, battles="15.5"), 2, "battles", "not a whole number"),
        (_entries(2, model={"vendor": "Loom"}), 3, "model.id", "neither model nor display_name"),
        (_entries(0, rank=[1]), 1, "rank", "a list where text is expected"),
    ],
    ids=[
        "rating-missing",
        "rating-unreadable",
        "votes-unreadable",
        "votes-not-whole",
        "no-model",
        "rank-list",
    ],
)
def test_a_bad_row_is_refused_naming_row_and_field_and_nothing_is_written(
    tmp_path, entries, row, field, detail
):
    home = make_home(tmp_path, CONTRACT)
    path = write_json(tmp_path, document(entries))
    ran = run_tracker(home, "import", "--source", "edit-arena", str(path))
    assert ran.returncode == 1
    assert f"row {row}, field '{field}'" in ran.stderr and detail in ran.stderr, ran.stderr
    assert nothing_stored(home, "edit-arena")
    assert stored(home, "select outcome from fetches") == [("rejected",)]
    assert stored(home, "select status from raw_payloads") == [("rejected",)]  # kept for inspection only


def test_a_bad_csv_row_names_its_row_without_the_header_and_its_column(tmp_path):
    home = make_home(tmp_path, CSV_SOURCE)
    rows = [list(r) for r in CSV_ROWS]
    rows[3][3] = "~17"
    ran = run_tracker(home, "import", "--source", "edit-csv", str(write_csv(tmp_path, rows)))
    assert ran.returncode == 1
    assert "row 3, field 'CI'" in ran.stderr and "'~17'" in ran.stderr, ran.stderr
    assert nothing_stored(home, "edit-csv")


def test_an_unreadable_as_of_is_refused_naming_the_key(tmp_path):
    home = make_home(tmp_path, CONTRACT)
    ran = run_tracker(
        home, "import", "--source", "edit-arena", str(write_json(tmp_path, document(generated="July 1st")))
    )
    assert ran.returncode == 1
    assert "field 'generated'" in ran.stderr and "'July 1st' is not a date" in ran.stderr
    assert nothing_stored(home, "edit-arena")


# --- reparse ------------------------------------------------------------------------------------------------


def test_reparse_reads_a_declared_source_with_its_declaration_now(tmp_path):
    home = make_home(tmp_path, CONTRACT)
    run_tracker(home, "import", "--source", "edit-arena", str(write_json(tmp_path, document())), check=True)
    (home / "tracker.toml").write_text(CONTRACT.replace('category = "overall"', 'category = "hard-prompts"'))
    ran = run_tracker(home, "reparse", check=True)
    assert "reparsed 1 payload(s): 1 snapshot(s), 3 row(s)" in ran.stdout
    assert stored(
        home, "select category, count(*) from snapshots join standings using (snapshot_id) group by 1"
    ) == [("hard_prompts", 3)]


def test_reparse_without_the_declaration_is_refused_naming_the_source_and_changes_nothing(tmp_path):
    home = make_home(tmp_path, CONTRACT)
    run_tracker(home, "import", "--source", "edit-arena", str(write_json(tmp_path, document())), check=True)
    (home / "tracker.toml").write_text("# the [[sources]] table is gone\n")
    ran = run_tracker(home, "reparse")
    assert ran.returncode == 1
    assert "source 'edit-arena'" in ran.stderr and "declare it again" in ran.stderr, ran.stderr
    assert _counts(home, "edit-arena") == (1, 3)
    assert stored(home, "select status from raw_payloads") == [("loaded",)]


# --- polling ------------------------------------------------------------------------------------------------


def test_a_declared_source_with_urls_is_a_poll_job_named_after_it(tmp_path):
    config = CONTRACT.replace("urls = []", 'urls = ["https://example.org/edit-arena.json"]')
    home = make_home(tmp_path, config)
    by_name = {j.name: j for j in jobs.load_jobs(load_settings(environ={}, home=home))}
    job = by_name["edit-arena"]
    assert "text-pages" in by_name  # the default jobs stay
    assert (job.source, job.interval, job.cron, job.jitter) == ("edit-arena", 3600.0, None, 300.0)
    assert [(t.url, t.board) for t in job.targets] == [
        ("https://example.org/edit-arena.json", "image_edit/overall-no-style-control")
    ]
    own = make_home(tmp_path / "own", config.replace("urls = [", 'cron = "5 * * * *"\nurls = ['))
    job = {j.name: j for j in jobs.load_jobs(load_settings(environ={}, home=own))}["edit-arena"]
    assert (job.interval, job.cron) == (None, "5 * * * *")
    # a [[jobs]] table of the source's name changes its job as it would a default one
    dropped = make_home(tmp_path / "dropped", config + '\n[[jobs]]\nname = "edit-arena"\nenabled = false\n')
    assert "edit-arena" not in {j.name for j in jobs.load_jobs(load_settings(environ={}, home=dropped))}


@pytest.mark.parametrize(
    ("extra", "key"),
    [('interval = "soon"', "interval"), ('cron = "5 * *"', "cron")],
)
def test_a_bad_poll_schedule_is_refused_naming_source_and_key(tmp_path, extra, key):
    config = CONTRACT.replace("urls = []", f'urls = ["https://example.org/x.json"]\n{extra}')
    with pytest.raises(ConfigError, match=rf"\[\[sources\]\] 'edit-arena'.*{key}"):
        jobs.load_jobs(load_settings(environ={}, home=make_home(tmp_path, config)))


def test_a_source_named_like_a_default_job_is_refused(tmp_path):
    config = CONTRACT.replace('"edit-arena"', '"text-pages"').replace(
        "urls = []", 'urls = ["https://example.org/x"]'
    )
    with pytest.raises(ConfigError, match=r"\[\[sources\]\] 'text-pages': name: .*a default job has it"):
        jobs.load_jobs(load_settings(environ={}, home=make_home(tmp_path, config)))


def test_polling_a_declared_source_reads_its_url_with_its_format(tmp_path, http_server):
    http_server.routes["/edit-arena.json"] = Route(200, json.dumps(document()).encode())
    config = "default_jobs = false\n\n[settings]\nretries = 0\n" + CONTRACT.replace(
        "urls = []", f'urls = ["{http_server.url("/edit-arena.json")}"]'
    )
    home = make_home(tmp_path, config)
    ran = run_tracker(home, "poll", "edit-arena", check=True)
    assert "edit-arena: ok, 1 fetched (1 new), 1 new snapshot(s)" in ran.stdout
    assert [r["path"] for r in http_server.requests] == ["/edit-arena.json"]
    rows = sql_rows(home, "select source_key, votes from rank_history where source = 'edit-arena' order by 1")
    assert rows == [
        {"source_key": "canvas-mender", "votes": 1572},
        {"source_key": "fixit-pro-2", "votes": 1572},
        {"source_key": "patchwork-xl", "votes": 980},
    ]
    assert stored(home, "select job, source, outcome from fetches") == [("edit-arena", "edit-arena", "new")]
    status = run_tracker(home, "status", check=True).stdout
    job_line = next(line for line in status.splitlines() if "edit-arena" in line and "every 1h" in line)
    assert "ok" in job_line


# --- the module boundaries ----------------------------------------------------------------------------------


def test_reading_the_config_loads_no_data_stack():
    code = "import sys, tracker.config; print('polars' in sys.modules, 'tracker.sources' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_the_declarable_kinds_are_the_frames_kinds():
    assert set(AS_OF_KINDS) <= set(parsed.AS_OF_KINDS)
    assert set(RANK_MEANINGS) == set(parsed.RANK_MEANINGS)


@pytest.mark.parametrize("page", ["sources.md", "configuration.md"])
def test_the_documented_declarations_are_accepted(page):
    text = (Path(__file__).resolve().parent.parent / "docs" / page).read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```toml\n(.*?)```", text, re.DOTALL) if "[[sources]]" in b]
    assert blocks, f"docs/{page} shows no [[sources]] table"
    for block in blocks:
        declared = read_declarations(tomllib.loads(block)["sources"], f"docs/{page}")
        assert declared and declared[0].name == "edit-arena"
