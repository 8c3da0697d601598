"""``tracker sql``'s table without polars: ``query.peek`` reads the rows a table shows as Python values, and the
table they print is the very table the polars frame of ``query.run_sql`` prints, row for row and cell for cell,
whatever the answer's length, the cap and the console; a column of a type whose Python value would differ
(HUGEINT, UUID, lists, structs, INTERVAL...) leaves the answer to the frame."""

from __future__ import annotations

import io

import polars as pl
import pytest
from rich.console import Console

from tests.cli import run_tracker
from tracker.cli.render import print_table, split
from tracker.config import Settings, load_settings
from tracker.errors import QueryError, StoreError
from tracker.read import query, rows

# every type of rows.AS_POLARS, with nulls, negatives, fractions and text that looks like markup
PLAIN = """
select
    range::integer as i,
    case when range % 5 = 0 then null else (range - 7) * 1.5 end as d,
    (range / 7)::float as f,
    ((range - 3) * 1.25)::decimal(10, 2) as money,
    (range * 1000000)::decimal(38, 4) as wide_money,
    range::ubigint as u,
    (range % 100)::tinyint as tiny,
    (range % 3 = 0) as even,
    case when range % 4 = 0 then null else 'model-' || range || ' [bold]x[/bold]' end as name,
    date '2025-01-01' + range::integer as day,
    timestamptz '2025-01-01 10:00:00+00' + to_minutes(range) as at,
    timestamp '2025-01-01 10:00:00.123456' + to_seconds(range) as naive,
    time '10:00:00' as clock,
    ('a' || (range % 2))::enum('a0', 'a1') as kind,
    '\\x41\\x42'::blob as raw,
    null as nothing
from range({n})
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Settings:
    folder = tmp_path_factory.mktemp("peek") / "home"
    run_tracker(folder, "init", "--empty", check=True)
    return load_settings(environ={}, home=folder)


def _printed(data, max_rows: int | None, terminal: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=100, color_system=None)
    print_table(console, data, max_rows=max_rows, footer=True, hidden_hint="a wider terminal shows them")
    return out.getvalue()


@pytest.mark.parametrize("n", [0, 1, 3, 40, 41, 100])
@pytest.mark.parametrize("max_rows", [40, 0, 1, 2, 3])
def test_the_table_of_the_rows_peek_reads_is_the_table_of_the_frame(home, n, max_rows):
    text = PLAIN.format(n=n)
    first, last = split(max_rows)
    peeked = query.peek(home, text, first=first, last=last)
    assert isinstance(peeked, rows.Rows)  # no frame: every column is of a type read as Python values
    frame = query.run_sql(home, text)
    assert peeked.height == frame.height and peeked.columns == tuple(frame.columns)
    for terminal in (False, True):
        assert _printed(peeked, max_rows, terminal) == _printed(frame, max_rows, terminal)


def test_the_rows_peek_reads_are_the_values_of_the_frame(home):
    text = PLAIN.format(n=100)
    peeked = query.peek(home, text, first=None)
    assert peeked.head == list(query.run_sql(home, text).iter_rows()) and peeked.tail == []
    cut = query.peek(home, text, first=2, last=3)
    assert (len(cut.head), len(cut.tail), cut.height, cut.elided_at) == (2, 3, 100, 2)
    assert cut.head + cut.tail == peeked.head[:2] + peeked.head[-3:]


@pytest.mark.parametrize(
    "text",
    [
        "select 1::hugeint as n",
        "select '00000000-0000-0000-0000-000000000001'::uuid as id",
        "select [1, 2] as l",
        "select {'a': 1} as s",
        "select map {'a': 1} as m",
        "select timestamp_ns '2025-01-01 10:00:00' as t",
        "select 1 as n, [1] as l",
    ],
)
def test_a_column_of_another_type_leaves_the_answer_to_the_frame(home, text):
    peeked = query.peek(home, text, first=20, last=20)
    assert isinstance(peeked, pl.DataFrame) and peeked.equals(query.run_sql(home, text))


def test_peek_refuses_and_fails_as_run_sql_does(home):
    for text in ("", "drop table x", "select 1; select 2", "select nothing", "select interval 3 day as gap"):
        with pytest.raises(QueryError) as ran:
            query.run_sql(home, text)
        with pytest.raises(QueryError) as peeked:
            query.peek(home, text, first=20, last=20)
        assert str(peeked.value) == str(ran.value)


def test_without_a_read_copy_what_is_refused_is_still_refused_first(tmp_path):
    # the statements are parsed on the read connection when there is one; without it, they still are
    empty = load_settings(environ={}, home=tmp_path / "empty-home")
    for text in ("drop table x", "select 1; select 2", "selec 1"):
        for run in (query.run_sql, lambda s, t: query.peek(s, t, first=20, last=20)):
            with pytest.raises(QueryError):
                run(empty, text)
    with pytest.raises(StoreError, match="tracker init"):
        query.peek(empty, "select 1", first=20, last=20)


# every type of the two tests above, parameters by name and by position, an empty answer
DIRECT_OR_NOT = [
    (PLAIN.format(n=41), None),
    ("select 1::hugeint as n, [1, 2] as l, {'a': 1} as s, map {'a': 1} as m", None),
    ("select $x::integer + 1 as y, $s as s", {"x": 2, "s": "a [b]"}),
    ("select ?::date as d, ? as n", ["2025-01-02", 3]),
    ("select 1 as n where false", None),
]


def test_run_sql_answers_alike_with_and_without_duckdb_s_direct_arrow_call(home, monkeypatch):
    """run_sql reads the rows through DuckDB's call that runs a statement straight to Arrow where DuckDB has
    it (the locked version does, so the tests above cover it), else through ``execute`` and the result's
    Arrow: the same frame, types and all, and the same refusals, either way."""
    assert query._SUBMIT is not None
    direct = [query.run_sql(home, text, params) for text, params in DIRECT_OR_NOT]
    assert query._submit_works is True  # the first read found the call answering as expected
    failures = ("select nothing", "select interval 3 day as gap")
    refused = [str(pytest.raises(QueryError, query.run_sql, home, text).value) for text in failures]
    monkeypatch.setattr(query, "_SUBMIT", None)
    for frame, (text, params) in zip(direct, DIRECT_OR_NOT, strict=True):
        executed = query.run_sql(home, text, params)
        assert frame.schema == executed.schema and frame.equals(executed), text
    assert [str(pytest.raises(QueryError, query.run_sql, home, text).value) for text in failures] == refused


def _raises(con, *args):
    raise TypeError("_submit(): incompatible function arguments")  # a DuckDB whose call takes others


def _answers_otherwise(con, text, *args):
    return query.duckdb.DuckDBPyConnection._submit(con, "select 1 as other", None, "arrow", 10)


@pytest.mark.parametrize("changed", [_raises, _answers_otherwise])
def test_a_duckdb_whose_direct_call_changed_gets_the_db_api_path(home, monkeypatch, changed):
    """The direct call is not public API: a DuckDB in which it fails, or answers otherwise, on the first
    read's constant statement gets every read through ``execute``, not a failure or another answer."""
    monkeypatch.setattr(query, "_SUBMIT", changed)
    monkeypatch.setattr(query, "_submit_works", None)
    frame = query.run_sql(home, "select $n::integer as n, 'a' as s", {"n": 7})
    assert frame.to_dicts() == [{"n": 7, "s": "a"}]
    assert query._submit_works is False
