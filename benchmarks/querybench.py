"""Query benchmarks, run in a child process on a published home: five named queries (``sql/queries``) the way
the dashboard, a notebook and a long-running process run them (``named_queries.run``: on the process's shared
hardened read-only connection to the read copy, ``tracker.readers``), against two baselines computing the
same answer:

- a hand-written query on the raw ``standings`` / ``snapshots`` tables (``benchmarks/sql/raw_*.sql``), run
  through the same ``query.run_sql``;
- pandas on a Parquet export (``tracker export``), loaded once as a notebook would (``notebook``).

The named query is also timed by DuckDB alone (``duckdb``: its text and parameters on a plain read-only
connection to the read copy, the rows fetched as Arrow; no checks, time limit or frame): the floor of what any
caller of DuckDB pays for the same answer, planning included. And on a fresh connection per call (``fresh``: ``connection.open_reader``, the query,
close), what a one-off ``tracker sql`` process pays on top of starting Python: a new DuckDB instance costs
~30-45 ms here, even an in-memory one.

And the least statement giving the same rows (``least``: ``benchmarks/sql/least_*.sql`` on the same plain
connection, its dates given as the board stores them, on the read copy's own tables, no view or optional
filter; rows as Arrow): what any read of these rows costs here, the floor a 1x target is measured against.

Parameters are chosen from the data (not timed): the raw text/overall board, the model with the longest
history there, past board dates at 40% (board as of), 60% -> 80% (movers) of the board's dates.
Answers are compared by row count, so a baseline that does less work cannot pass unnoticed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from benchmarks import notebook
from benchmarks.timing import bench_sql, interleaved
from tracker.config import load_settings
from tracker.read import connection, export, named_queries, query
from tracker.store import configure_session

MIN_ROUNDS = 5
BOARD = {"arena": "text", "category": "overall", "style_control": False}
LEAST_BOARD = {"leaderboard": "LMArena", **BOARD}  # the named queries' default leaderboard


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    named: str
    params: dict[str, str]  # named query parameters as text (as `tracker sql NAME --param k=v`)
    raw: str  # benchmarks/sql file
    raw_params: dict
    pandas: Callable
    least: str  # benchmarks/sql file, run with LEAST_BOARD and ``least_params``
    least_params: dict


def _choose(settings) -> dict:
    """The model and dates the queries ask about, from the read copy."""
    board = query.run_sql(settings, bench_sql("choose_board_dates"), BOARD)
    days: list[date] = board["as_of"].to_list()
    model = query.run_sql(settings, bench_sql("choose_model"), BOARD)
    return {
        "model": model["model"][0],
        "source_key": model["source_key"][0],
        "at": days[int(len(days) * 0.4)],
        "from_date": days[int(len(days) * 0.6)],
        "to_date": days[int(len(days) * 0.8)],
        "newest": days[-1],
        "board_dates": len(days),
    }


def cases(ctx: dict) -> list[Case]:
    text = {"arena": "text", "category": "overall", "style_control": "false"}
    a, c, s = BOARD["arena"], BOARD["category"], BOARD["style_control"]
    return [
        Case(
            "model_history",
            "one model's full history on one board",
            "model_history",
            {**text, "model": ctx["model"]},
            "raw_model_history",
            {**BOARD, "model": ctx["source_key"]},
            lambda rh: notebook.model_history(rh, ctx["model"], a, c, s),
            "least_model_history",
            {"model": ctx["model"]},
        ),
        Case(
            "board_as_of",
            "a board as of a past date",
            "leaderboard",
            {**text, "at": ctx["at"].isoformat()},
            "raw_leaderboard",
            {**BOARD, "at": ctx["at"]},
            lambda rh: notebook.leaderboard(rh, a, c, s, ctx["at"]),
            "least_leaderboard",
            {"at": ctx["at"]},
        ),
        Case(
            "movers",
            "movers between two dates",
            "movers",
            {**text, "from_date": ctx["from_date"].isoformat(), "to_date": ctx["to_date"].isoformat()},
            "raw_movers",
            {**BOARD, "from_date": ctx["from_date"], "to_date": ctx["to_date"]},
            lambda rh: notebook.movers(rh, a, c, s, ctx["from_date"], ctx["to_date"]),
            "least_movers",
            {"from_date": ctx["from_date"], "to_date": ctx["to_date"]},
        ),
        Case(
            "crowns",
            "crown history",
            "crowns",
            text,
            "raw_crowns",
            dict(BOARD),
            lambda rh: notebook.crowns(rh, a, c, s),
            "least_crowns",
            {},
        ),
        Case(
            "org_race",
            "org race",
            "org_race",
            text,
            "raw_org_race",
            dict(BOARD),
            lambda rh: notebook.org_race(rh, a, c, s, None),
            "least_org_race",
            {"at": ctx["newest"]},
        ),
    ]


def _rounds(runners: dict[str, Callable], reps: int, budget: float, only_first: dict[str, int]) -> dict:
    """``reps`` rounds of every runner in turn (a runner in ``only_first`` only in that many first rounds),
    fewer once ``budget`` seconds are spent and ``MIN_ROUNDS`` were made."""
    samples = interleaved(runners, reps, budget=budget, min_runs=MIN_ROUNDS, only_first=only_first)
    return {name: s.to_json() for name, s in samples.items()}


def queries(home: str, lake: str, reps: int, pandas_reps: int, budget: float = 60.0) -> dict:
    """Each query and its two baselines, interleaved run by run (so a change in machine load hits all three
    alike): ``reps`` rounds (pandas in the first ``pandas_reps``), fewer once a query's rounds have taken
    ``budget`` seconds and at least ``MIN_ROUNDS`` were made (slow queries at 10x).

    The fresh-connection timings run apart, before the others (each opens and closes its own instance)."""
    settings = load_settings(environ={}, home=Path(home))
    ctx = _choose(settings)
    out: dict = {"context": {k: str(v) for k, v in ctx.items()}, "cases": {}}
    started = time.perf_counter()
    exported = export.export(settings, Path(lake))
    out["export_seconds"] = time.perf_counter() - started
    out["export_rows"] = exported.rows.get("rank_history", 0)
    started = time.perf_counter()
    rh = notebook.load(Path(lake))
    out["pandas_load_seconds"] = time.perf_counter() - started
    out["pandas_rows"] = len(rh)
    all_cases = cases(ctx)
    for case in all_cases:
        named = named_queries.get(case.named)
        bound = named_queries.bind(named, case.params)

        def fresh(named=named, bound=bound):
            con = connection.open_reader(settings)
            try:
                return con.sql(named.text, params=bound).pl()
            finally:
                con.close()

        out["cases"][case.key] = _rounds({"fresh": fresh}, max(MIN_ROUNDS, reps // 2), budget, {})
    bare = duckdb.connect(str(settings.read_copy_path), read_only=True)
    configure_session(bare)  # the session settings every tracker connection has (time zone, optimizers)
    for case in all_cases:
        raw_text, least = bench_sql(case.raw), bench_sql(case.least)
        named = named_queries.get(case.named)
        bound = named_queries.bind(named, case.params)
        runners = {
            "ours": lambda case=case: named_queries.run(settings, case.named, case.params),
            "raw": lambda case=case, text=raw_text: query.run_sql(settings, text, case.raw_params),
            "pandas": lambda case=case: case.pandas(rh),
            "duckdb": lambda text=named.text, params=bound: bare.sql(text, params=params).to_arrow_table(),
            "least": lambda text=least, params=LEAST_BOARD | case.least_params: bare.execute(
                text, params
            ).to_arrow_table(),
        }
        answers = {name: len(fn()) for name, fn in runners.items()}  # also the warm-up run
        out["cases"][case.key] |= {
            "title": case.title,
            **_rounds(runners, reps, budget, {"pandas": pandas_reps}),
            **{f"rows_{name}": n for name, n in answers.items()},
        }
    bare.close()
    return out
