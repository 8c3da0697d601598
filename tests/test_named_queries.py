"""Named queries: header parsing, typed parameters, helpful errors, and `tracker sql --list` / `tracker sql
NAME --param k=v` run as a user would (the real command, tests/cli.py, on a seeded home)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests import seeded_boards as sb
from tests.cli import run_tracker
from tracker import identity, sqlfiles, store
from tracker.config import Settings, load_settings
from tracker.errors import QueryError
from tracker.read import named_queries, query


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


DOMAINS = """-- Demo rows: one row per thing.
-- $basis VARCHAR in (ordinal, ub) = 'ordinal': which rank
-- $kind VARCHAR in (debut, exit) = null: only this kind
-- $top INTEGER >= 1 = null: how many
-- $step INTEGER >= 1: required and bounded
SELECT $basis AS basis, $kind AS kind, $top AS top, $step AS step;
"""


def test_header_declares_the_values_a_parameter_allows(tmp_path):
    q = write_query(tmp_path, DOMAINS)
    assert [(p.name, p.choices, p.minimum, p.required) for p in q.params] == [
        ("basis", ("ordinal", "ub"), None, False),
        ("kind", ("debut", "exit"), None, False),
        ("top", (), 1, False),
        ("step", (), 1, True),
    ]
    assert [p.signature() for p in q.params] == [
        "basis VARCHAR in (ordinal, ub) = ordinal",
        "kind VARCHAR in (debut, exit) = null",
        "top INTEGER >= 1 = null",
        "step INTEGER >= 1",
    ]
    assert named_queries.bind(q, {"basis": "ub", "kind": "exit", "top": "1", "step": "3"}) == {
        "basis": "ub",
        "kind": "exit",
        "top": 1,
        "step": 3,
    }
    # null is "not given", never outside the domain
    assert named_queries.bind(q, {"kind": "null", "step": "1"})["kind"] is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "-- $basis VARCHAR in (ordinal, ub) = 'ordinl': which rank",
            "demo.sql, parameter $basis: 'ordinl' is not allowed; use one of ordinal, ub (did you mean ordinal?)",
        ),
        (
            "-- $top INTEGER >= 1 = 0: how many",
            "demo.sql, parameter $top: '0' is not allowed; use a value >= 1",
        ),
        ("-- $top INTEGER in () = null: how many", "'in ()' lists no values"),
        ("-- $top INTEGER <= 5 = null: how many", "is not a parameter declaration; write -- $name TYPE"),
        ("-- $top INTEGER >= 1 = null how many", "is not a parameter declaration"),  # no colon
        ("-- $top INTEGER >= one = null: how many", "'one' is not a valid INTEGER"),
    ],
)
def test_a_domain_that_cannot_hold_is_refused_when_the_file_is_read(tmp_path, line, message):
    with pytest.raises(QueryError) as error:
        write_query(tmp_path, f"-- Demo rows.\n{line}\nSELECT $top, $basis;\n")
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("query", "given", "message"),
    [
        (
            "crowns",
            {"rank_basis": "bogus"},
            "crowns, parameter rank_basis: 'bogus' is not allowed; use one of ordinal, ub",
        ),
        (
            "crowns",
            {"rank_basis": "UB"},
            "crowns, parameter rank_basis: 'UB' is not allowed; use one of ordinal, ub (did you mean ub?)",
        ),
        (
            "events",
            {"kind": "nonsense"},
            "events, parameter kind: 'nonsense' is not allowed; use one of new_leader, top_n_entry, "
            "top_n_exit, debut, exit, rank_move, overtake, methodology",
        ),
        ("events", {"kind": "new_leaders"}, "(did you mean new_leader?)"),
        ("leaderboard", {"top": "-3"}, "leaderboard, parameter top: '-3' is not allowed; use a value >= 1"),
        ("leaderboard", {"top": "0"}, "leaderboard, parameter top: '0' is not allowed; use a value >= 1"),
        ("org_race", {"top": "0"}, "org_race, parameter top: '0' is not allowed; use a value >= 1"),
        ("events", {"top_n": "0"}, "events, parameter top_n: '0' is not allowed; use a value >= 1"),
        ("events", {"min_move": "-1"}, "events, parameter min_move: '-1' is not allowed; use a value >= 1"),
        (
            "model_moves",
            {"model": "alpha", "limit": "0"},
            "model_moves, parameter limit: '0' is not allowed; use a value >= 1",
        ),
    ],
)
def test_a_value_outside_the_declared_domain_is_refused_before_any_sql_runs(tmp_path, query, given, message):
    # a home with no database: reaching the SQL would fail with "no published data" instead
    empty = load_settings(environ={}, home=tmp_path / "empty-home")
    with pytest.raises(QueryError) as error:
        named_queries.run(empty, query, given)
    assert str(error.value) == message or str(error.value).endswith(message)
    assert "\n" not in str(error.value)


def test_every_allowed_value_still_answers(seeded):
    for basis in ("ordinal", "ub"):
        assert named_queries.run(seeded, "crowns", {"rank_basis": basis}).height > 0
    events = named_queries.run(seeded, "events", {"kind": "new_leader", "top_n": "1", "min_move": "1"})
    assert events.height > 0 and set(events["kind"]) == {"new_leader"}
    assert named_queries.run(seeded, "leaderboard", {"top": "1"})["rank"].to_list() == [1]
    assert named_queries.run(seeded, "model_moves", {"model": "delta", "limit": "1"}).height == 1


def test_the_events_query_reads_the_stored_stream_at_the_default_thresholds(seeded, tmp_path):
    # the answers are the stream computed from the boards: every board at the default thresholds, one
    # board (with every methodology change) at others
    computed = query.run_sql(seeded, "SELECT * FROM events_with(10, 10)")
    default = named_queries.run(seeded, "events", {})
    assert default.height == computed.height > 0
    assert sorted(default.select("kind", "model", "event_date").rows()) == sorted(
        computed.select("kind", "model", "event_date").rows()
    )
    board = {"arena": "text", "category": "overall", "style_control": "false"}
    asked = named_queries.run(seeded, "events", {**board, "top_n": "2", "min_move": "1"})
    every = query.run_sql(
        seeded,
        "SELECT * FROM events_with(2, 1) WHERE arena IS NULL OR (arena = 'text' AND category = 'overall' "
        "AND NOT style_control)",
    )
    assert asked.height == every.height > 0 and set(asked["kind"]) > {"methodology"}
    assert sorted(asked.select("kind", "model", "event_date").rows()) == sorted(
        every.select("kind", "model", "event_date").rows()
    )
    # at the default thresholds the rows are the read copy's stored ones: a copy missing one answers without it
    copy = load_settings(environ={}, home=tmp_path / "copy")
    copy.home.mkdir()
    shutil.copyfile(seeded.read_copy_path, copy.read_copy_path)
    con = duckdb.connect(str(copy.read_copy_path))
    gone = con.execute(
        "DELETE FROM events WHERE kind = 'new_leader' AND event_date = (SELECT max(event_date) FROM events "
        "WHERE kind = 'new_leader') RETURNING model"
    ).fetchall()
    con.close()
    assert len(gone) == 1
    assert named_queries.run(copy, "events", {}).height == default.height - 1
    assert named_queries.run(copy, "events", {**board, "top_n": "2", "min_move": "1"}).height == asked.height


@pytest.mark.parametrize(
    ("query", "param", "view", "column"),
    [
        ("crowns", "rank_basis", "views/0460_crowns_for.sql", "rank_basis"),
        ("events", "kind", "views/0479_events_for.sql", "kind"),
    ],
)
def test_declared_values_are_the_ones_the_view_produces(query, param, view, column):
    """A value the view gains but the header lacks would be refused; one the header keeps but the view
    dropped would answer no rows again."""
    produced = set(re.findall(rf"'(\w+)' AS {column}\b", sqlfiles.sql(view)))
    declared = named_queries.get(query).param(param)
    assert declared is not None and set(declared.choices) == produced


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
    assert frame.columns == ["parameter", "type", "allowed", "default", "help"]
    rows = {r["parameter"]: r for r in frame.iter_rows(named=True)}
    assert rows["arena"]["default"] == "text" and rows["at"]["default"] == "null"
    assert rows["at"]["type"] == "DATE" and "as of this date" in rows["at"]["help"]
    assert rows["top"]["allowed"] == ">= 1" and rows["arena"]["allowed"] == ""
    assert named_queries.parameters("model_history").row(0) == (
        "model",
        "VARCHAR",
        "",
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
    assert lines[0] == "parameter,type,allowed,default,help"
    assert [line.split(",")[0] for line in lines[1:]] == [
        "leaderboard",
        "arena",
        "category",
        "style_control",
        "from_date",
        "to_date",
    ]


def test_cli_lists_the_values_a_parameter_allows(seeded):
    proc = run_tracker(seeded.home, "sql", "--list", "events", "-f", "json", check=True)
    allowed = {row["parameter"]: row["allowed"] for row in map(json.loads, proc.stdout.splitlines())}
    assert allowed["kind"] == (
        "new_leader, top_n_entry, top_n_exit, debut, exit, rank_move, overtake, methodology"
    )
    assert allowed["top_n"] == allowed["min_move"] == ">= 1" and allowed["model"] == ""


def test_cli_lists_named_queries(seeded):
    proc = run_tracker(seeded.home, "sql", "--list", "--format", "json", check=True)
    listed = {row["name"]: row for row in map(json.loads, proc.stdout.splitlines())}
    assert listed["movers"]["parameters"] == (
        "leaderboard VARCHAR = LMArena, arena VARCHAR = text, category VARCHAR = overall, "
        "style_control BOOLEAN = false, from_date DATE, "
        "to_date DATE >= $from_date = null"
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
        (
            ("sql", "crowns", "-p", "rank_basis=bogus"),
            "error: crowns, parameter rank_basis: 'bogus' is not allowed; use one of ordinal, ub\n",
        ),
        (
            ("sql", "leaderboard", "-p", "top=-3"),
            "error: leaderboard, parameter top: '-3' is not allowed; use a value >= 1\n",
        ),
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
        (
            ["at=2000-01-01"],
            "note: text/overall (raw) begins 2025-01-01: at=2000-01-01 is before its first snapshot",
        ),
    ],
)
def test_an_empty_answer_says_when_the_board_or_date_asked_about_does_not_exist(seeded, params, note):
    args = [a for p in params for a in ("-p", p)]
    proc = run_tracker(seeded.home, "sql", "leaderboard", *args, "-f", "csv", check=True)
    assert len(proc.stdout.splitlines()) == 1  # the CSV header alone: the note is on stderr
    assert (proc.stderr.strip() or None) == note


def test_boards_newest_date_is_its_newest_complete_snapshot(seeded):
    # text/overall (raw): five complete weekly dates, then a one-row partial snapshot on 2025-02-05
    boards = named_queries.run(seeded, "boards").filter(~pl.col("style_control"))
    assert boards.select(
        "first_as_of", "newest_as_of", "dates", "partial_dates", "models_newest", "source_newest"
    ).rows() == [(sb.D1, sb.D5, 5, 2, 5, "arena-dataset")]
    status = query.read_statement(seeded, "read/status_boards.sql").filter(~pl.col("style_control"))
    assert status.select("snapshots", "first_as_of", "newest_as_of").rows() == [(7, sb.D1, sb.D5)]


def test_org_race_on_any_day_is_the_board_on_its_newest_complete_date_by_then(seeded):
    # the named query and the Organisations page's standing alike
    # every day from before the board began to after its newest date, partial dates (01-18, 02-05) included
    dates = query.run_sql(
        seeded,
        "SELECT as_of FROM board_dates WHERE arena = 'text' AND category = 'overall' AND NOT style_control "
        "AND NOT partial ORDER BY as_of",
    )["as_of"].to_list()
    race = query.run_sql(
        seeded,
        "SELECT * FROM org_race WHERE arena = 'text' AND category = 'overall' AND NOT style_control",
    )
    columns = [
        "as_of",
        "organization",
        "best_rank",
        "best_rank_ub",
        "best_model",
        "top10",
        "top10_ub",
        "models",
    ]
    days = pl.date_range(date(2024, 12, 30), date(2025, 2, 10), eager=True).to_list()
    for day in days:
        on = max((d for d in dates if d <= day), default=date.min)  # before the board began: no rows
        expected = race.filter(pl.col("as_of") == on).sort("best_rank", "organization").select(columns)
        found = named_queries.run(seeded, "org_race", {"at": day.isoformat()})
        assert found.rows() == expected.rows(), day
        # the dashboard's standing on the range's last day: before, a day on or after a partial snapshot's
        # (before the next complete one) showed no organisation
        board = {"leaderboard": "LMArena", "arena": "text", "category": "overall", "style_control": False}
        standing = query.read_statement(seeded, "read/dashboard_org_standing.sql", {**board, "end": day})
        assert (
            standing.select("as_of", "organization", "best_rank").rows()
            == expected.select("as_of", "organization", "best_rank").rows()
        ), day
    assert len({d for d in days if any(d >= x for x in dates)}) > 30 and race["as_of"].n_unique() == 5


RANGES = [("movers", "from_date", "to_date"), ("crowns", "since", "until"), ("events", "since", "until")]


@pytest.mark.parametrize(("query_name", "start", "end"), RANGES)
def test_a_reversed_range_is_refused_naming_both_ends(tmp_path, query_name, start, end):
    empty = load_settings(environ={}, home=tmp_path / "empty-home")  # refused before any SQL runs
    with pytest.raises(QueryError) as error:
        named_queries.run(empty, query_name, {start: "2026-01-01", end: "2025-01-01"})
    assert str(error.value) == (
        f"{query_name}: {start}=2026-01-01 is after {end}=2025-01-01; {start} starts the range and {end} ends it, "
        "so swap them"
    )


def test_a_one_day_range_still_answers(seeded):
    frame = named_queries.run(seeded, "movers", {"from_date": "2025-01-08", "to_date": "2025-01-08"})
    assert frame.is_empty()  # the same board on both sides: nobody moved


def test_every_date_range_declares_which_end_comes_first():
    ends = {"until": "since", "to_date": "from_date"}
    declared = [
        (q.name, p.not_before, p.name)
        for q in named_queries.catalogue().values()
        for p in q.params
        if p.name in ends and q.param(ends[p.name]) is not None
    ]
    assert sorted(declared) == sorted(RANGES)
    assert named_queries.get("movers").param("to_date").allowed() == ">= $from_date"


def test_a_range_end_must_name_an_earlier_parameter_of_its_type(tmp_path):
    with pytest.raises(QueryError, match=r"'>= \$since' names no earlier DATE parameter"):
        write_query(tmp_path, "-- Demo rows.\n-- $until DATE >= $since = null: end\nSELECT $until;\n")


def test_rows_from_a_date_before_the_board_began_carry_a_note(seeded):
    early = {"from_date": "2024-12-01"}
    frame = named_queries.run(seeded, "movers", early)
    assert set(frame["movement"]) == {"entrant"}  # nothing to compare with: the note says why
    assert named_queries.note(seeded, "movers", early, frame) == (
        "text/overall (raw) begins 2025-01-01: from_date=2024-12-01 is before its first snapshot"
    )
    on_time = {"from_date": "2025-01-01"}
    assert named_queries.note(seeded, "movers", on_time, named_queries.run(seeded, "movers", on_time)) is None
    proc = run_tracker(seeded.home, "sql", "movers", "-p", "from_date=2024-12-01", "-f", "csv", check=True)
    assert proc.stdout.count("entrant") == frame.height  # the rows stay clean CSV; the note goes to stderr
    assert "note: text/overall (raw) begins 2025-01-01: from_date=2024-12-01" in proc.stderr


@pytest.fixture(scope="module")
def aliased(tmp_path_factory) -> Settings:
    settings = load_settings(environ={}, home=tmp_path_factory.mktemp("aliased") / "home")
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
        identity.add_alias(w.con, "alpha-preview", "alpha", note="an earlier name, in no snapshot")
        store.publish(w)
    return settings


def test_model_and_organisation_parameters_are_read_through_the_aliases(aliased):
    by_key = named_queries.run(aliased, "model_history", {"model": "alpha"})
    assert not by_key.is_empty()
    assert named_queries.run(aliased, "model_history", {"model": " Alpha-Preview "}).equals(by_key)
    compared = named_queries.run(aliased, "compare", {"model_a": "alpha-preview", "model_b": "beta"})
    assert compared.height == 7  # both on the raw board's five dates and the style board's two
    by_name = named_queries.run(aliased, "org_history", {"organization": "Org A"})
    assert by_name.height == 5
    assert named_queries.run(aliased, "org_history", {"organization": "org-a"}).equals(by_name)


@pytest.mark.parametrize(
    ("args", "note"),
    [
        (("model_history", "-p", "model=alph"), "note: no model 'alph'; did you mean alpha?"),
        (
            ("compare", "-p", "model_a=alpha", "-p", "model_b=et"),
            "note: no model 'et'; did you mean beta, zeta?",
        ),
        (
            ("org_history", "-p", "organization=org"),
            "note: no organisation 'org'; did you mean Org A, Org B, Org C?",
        ),
        (
            ("model_history", "-p", "model=delta", "-p", "style_control=true"),
            None,
        ),  # known, not on that board
    ],
)
def test_an_empty_answer_names_the_nearest_model_or_organisation(seeded, args, note):
    proc = run_tracker(seeded.home, "sql", *args, "-f", "csv", check=True)
    assert len(proc.stdout.splitlines()) == 1
    assert (proc.stderr.strip() or None) == note
