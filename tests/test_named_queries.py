"""Named queries: header parsing, typed parameters, helpful errors, and `tracker sql --list` / `tracker sql
NAME --param k=v` run as a user would (the real command in a subprocess on a seeded home)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests import seeded_boards as sb
from tests.cli import run_tracker
from tracker import named_queries, store
from tracker.config import Settings, load_settings
from tracker.errors import QueryError


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Settings:
    settings = load_settings(environ={}, home=tmp_path_factory.mktemp("named") / "home")
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
    return settings


def write_query(tmp_path: Path, text: str) -> named_queries.NamedQuery:
    path = tmp_path / "demo.sql"
    path.write_text(text, encoding="utf-8")
    return named_queries.parse_file(path)


DEMO = """-- Demo rows: one row per thing.
-- $name VARCHAR: a name
-- $when DATE = null: a day (default: none)
-- $flag BOOLEAN = true: a switch
-- $n INTEGER = 5: how many
-- $at TIMESTAMPTZ = null: a moment
SELECT $name AS name, $when AS d, $flag AS f, $n AS n, $at AS at;
"""


def test_header_declares_description_types_and_defaults(tmp_path):
    q = write_query(tmp_path, DEMO)
    assert q.description == "Demo rows: one row per thing."
    assert [(p.name, p.type, p.required) for p in q.params] == [
        ("name", "VARCHAR", True),
        ("when", "DATE", False),
        ("flag", "BOOLEAN", False),
        ("n", "INTEGER", False),
        ("at", "TIMESTAMPTZ", False),
    ]
    assert [p.signature() for p in q.params][:3] == [
        "name VARCHAR",
        "when DATE = null",
        "flag BOOLEAN = true",
    ]


def test_text_values_become_typed_values(tmp_path):
    q = write_query(tmp_path, DEMO)
    bound = named_queries.bind(
        q,
        {
            "name": "mai-1-preview",
            "when": "2025-08-28",
            "flag": "no",
            "n": "12",
            "at": "2025-08-28T14:00:00Z",
        },
    )
    assert bound == {
        "name": "mai-1-preview",
        "when": date(2025, 8, 28),
        "flag": False,
        "n": 12,
        "at": datetime(2025, 8, 28, 14, tzinfo=UTC),
    }
    assert named_queries.bind(q, {"name": "x"}) == {
        "name": "x",
        "when": None,
        "flag": True,
        "n": 5,
        "at": None,
    }


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "demo needs --param name=... (VARCHAR: a name)"),
        ({"name": "x", "when": "28/08/2025"}, "demo, parameter when: '28/08/2025' is not a valid DATE"),
        ({"name": "x", "flag": "maybe"}, "'maybe' is not a valid BOOLEAN"),
        ({"name": "x", "n": "ten"}, "'ten' is not a valid INTEGER"),
        (
            {"name": "x", "colour": "red"},
            "demo has no parameter colour (its parameters: name, when, flag, n, at)",
        ),
    ],
)
def test_bad_parameters_name_the_parameter_and_an_example(tmp_path, given, message):
    q = write_query(tmp_path, DEMO)
    with pytest.raises(QueryError) as error:
        named_queries.bind(q, given)
    assert message in str(error.value)


def test_pairs_must_be_name_equals_value():
    assert named_queries.parse_pairs(["model=mai-1-preview", "at=2025-09-01", "x=a=b"]) == {
        "model": "mai-1-preview",
        "at": "2025-09-01",
        "x": "a=b",
    }
    with pytest.raises(QueryError, match="is not NAME=VALUE"):
        named_queries.parse_pairs(["model"])
    with pytest.raises(QueryError, match=r"--param top is given twice \('10' and '5'\); pass it once"):
        named_queries.parse_pairs(["top=10", "top=5"])


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("model_history", "--param model=mai-1-preview"),  # the example its help names, not "text"
        ("org_history", "--param organization='Microsoft AI'"),
        ("movers", "--param from_date=2025-08-28"),  # no example in its help: one of its type
    ],
)
def test_a_missing_parameter_is_hinted_with_the_example_its_help_gives(query, hint):
    with pytest.raises(QueryError) as error:
        named_queries.bind(named_queries.get(query), {})
    assert str(error.value).endswith(f"for example {hint}")


def test_one_querys_parameters_with_what_each_means():
    frame = named_queries.parameters("leaderboard")
    assert frame.columns == ["parameter", "type", "default", "help"]
    rows = {r["parameter"]: r for r in frame.iter_rows(named=True)}
    assert rows["arena"]["default"] == "text" and rows["at"]["default"] == "null"
    assert rows["at"]["type"] == "DATE" and "as of this date" in rows["at"]["help"]
    assert named_queries.parameters("model_history").row(0) == (
        "model",
        "VARCHAR",
        "(required)",
        "the model key, e.g. mai-1-preview (case-insensitive)",
    )


def test_free_sql_refuses_a_parameter_it_does_not_use():
    named_queries.check_free_params("select $m, $n", {"m": "1", "n": "2"})
    with pytest.raises(QueryError, match=r"--param x given, but the query has no \$x"):
        named_queries.check_free_params("select $m", {"m": "1", "x": "2"})


def test_unknown_query_suggests_the_closest_name():
    with pytest.raises(QueryError, match="no named query 'crownz'. Did you mean crowns"):
        named_queries.get("crownz")


def test_catalogue_has_the_queries_the_issue_asks_for():
    names = set(named_queries.catalogue())
    assert {"model_history", "leaderboard", "movers", "crowns", "org_race", "compare"} <= names
    listing = named_queries.listing()
    assert listing["name"].to_list() == sorted(names)
    assert all(listing["description"].str.len_chars() > 20)


def test_run_binds_typed_values_on_the_read_copy(seeded):
    frame = named_queries.run(seeded, "leaderboard", {"at": "2025-01-10", "top": "2"})
    assert frame.select("as_of", "rank", "model", "gain").rows() == [
        (sb.D2, 1, "beta", 1),
        (sb.D2, 2, "alpha", -1),
    ]
    crowns = named_queries.run(seeded, "crowns", {"rank_basis": "ub"})
    assert crowns["model"].to_list() == ["alpha", "beta", "zeta"]
    history = named_queries.run(seeded, "model_history", {"model": " GAMMA ", "style_control": "false"})
    assert history.height == 5 and history["partial"].to_list() == [False, False, True, False, False]


def test_compare_puts_two_models_side_by_side(seeded):
    frame = named_queries.run(
        seeded, "compare", {"model_a": "alpha", "model_b": "beta", "style_control": "false"}
    )
    assert frame.select("as_of", "rank_a", "rank_b", "ci_overlap").rows() == [
        (sb.D1, 1, 2, True),
        (sb.D2, 2, 1, False),
        (sb.D3, 2, 1, False),
        (sb.D4, 2, 1, False),
        (sb.D5, 3, 2, False),
    ]


def test_cli_lists_one_querys_parameters(seeded):
    proc = run_tracker(seeded.home, "sql", "--list", "movers", "-f", "csv", check=True)
    lines = proc.stdout.splitlines()
    assert lines[0] == "parameter,type,default,help"
    assert [line.split(",")[0] for line in lines[1:]] == [
        "arena",
        "category",
        "style_control",
        "from_date",
        "to_date",
    ]


def test_cli_lists_named_queries(seeded):
    proc = run_tracker(seeded.home, "sql", "--list", "--format", "json", check=True)
    listed = {row["name"]: row for row in map(json.loads, proc.stdout.splitlines())}
    assert listed["movers"]["parameters"] == (
        "arena VARCHAR = text, category VARCHAR = overall, style_control BOOLEAN = false, from_date DATE, "
        "to_date DATE = null"
    )
    assert listed["compare"]["description"].startswith("Two models side by side")


def test_cli_runs_a_named_query_with_parameters(seeded):
    proc = run_tracker(
        seeded.home,
        "sql",
        "movers",
        "--param",
        "from_date=2025-01-01",
        "-p",
        "to_date=2025-01-29",
        "-f",
        "csv",
        check=True,
    )
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("model,movement,from_as_of,to_as_of,from_rank,to_rank,ordinal_gain")
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["zeta", "entrant"],
        ["eps", "entrant"],
        ["alpha", "faller"],
        ["gamma", "faller"],
        ["delta", "leaver"],
    ]


def test_cli_sql_text_still_runs_and_may_take_parameters(seeded):
    proc = run_tracker(
        seeded.home,
        "sql",
        "select count(*) AS n from rank_history where model = $m",
        "-p",
        "m=beta",
        "-f",
        "csv",
        check=True,
    )
    assert proc.stdout.splitlines() == ["n", "7"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sql", "crownz"), "no named query 'crownz'. Did you mean crowns?"),
        (("sql", "movers"), "movers needs --param from_date=..."),
        (
            ("sql", "leaderboard", "-p", "at=yesterday"),
            "leaderboard, parameter at: 'yesterday' is not a valid DATE",
        ),
        (("sql",), "pass a query, or a named query's name"),
        (("sql", "select 1", "-p", "x=1"), "--param x given, but the query has no $x"),
        (("sql", "select 1; select 2"), "2 statements given; run one at a time (the second: 'select 2')"),
        (("sql", "select * from nosuch"), 'The tables and views: `tracker sql "show tables"`'),
    ],
)
def test_cli_errors_say_what_to_do(seeded, args, message):
    proc = run_tracker(seeded.home, *args)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("params", "note"),
    [
        (
            ["category=Overall"],
            "note: no category 'Overall' in arena text; did you mean overall? `tracker sql boards` lists every board",
        ),
        (["arena=txt"], "note: no arena 'txt' in the history (arenas: text); did you mean text?"),
        (["at=2000-01-01"], None),  # the board exists; it simply had no snapshot yet
    ],
)
def test_an_empty_answer_says_when_the_board_asked_about_does_not_exist(seeded, params, note):
    args = [a for p in params for a in ("-p", p)]
    proc = run_tracker(seeded.home, "sql", "leaderboard", *args, "-f", "csv", check=True)
    assert len(proc.stdout.splitlines()) == 1  # the CSV header alone: the note is on stderr
    assert (proc.stderr.strip() or None) == note
