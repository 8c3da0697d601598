"""The starter history: built from a database by the project's own export, loaded by `tracker init` into an
empty home with every figure under its upstream source, and the bundled files give real 2023-2026 history."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.cli import run_tracker
from tests.pages import entry, leaderboard, page
from tracker import store
from tracker.config import load_settings
from tracker.ingest import pipeline, reparse, starter
from tracker.read import connection

HISTORY_QUERY = (
    "select source, arena, category, style_control, as_of, model, rating, rating_lower, rating_upper, votes, "
    "rank_ordinal, rank_ub, rank_lb, rank_published from rank_history order by all"
)


def test_built_starter_loads_into_a_new_home_with_the_same_history(tmp_path):
    source_home = load_settings(environ={}, home=tmp_path / "a")
    with store.writer(source_home) as w:
        for day, bump in ((1, 0), (2, 5)):
            body = page(
                leaderboard(
                    [
                        entry("alpha", 1400 + bump, 1390 + bump, 1410 + bump),
                        entry("mai-1-preview", 1393, 1388, 1399, votes=17899),
                    ],
                    cutoff=f"2026-05-0{day}T14:00:00Z",
                )
            )
            pipeline.ingest(w, pipeline.Payload(body, f"p{day}.html", datetime.now(UTC)))
        body = page(leaderboard([entry("alpha", 1300, 1290, 1310)], arena="vision"))
        pipeline.ingest(w, pipeline.Payload(body, "vision.html", datetime.now(UTC)))
    reader = connection.open_reader(source_home)
    try:
        written = starter.build(reader, tmp_path / "seeds")
        expected = reader.execute(HISTORY_QUERY + "").fetchall()
    finally:
        reader.close()
    assert [(p.name, rows) for p, rows in written] == [
        ("arena-page.parquet", 4)
    ]  # vision is not starter material
    expected = [row for row in expected if row[1] == "text"]

    new_home = load_settings(environ={}, home=tmp_path / "b")
    with store.writer(new_home) as w:
        assert starter.is_empty(w)
        results = starter.load(w, tmp_path / "seeds")
        assert [r.outcome for r in results] == ["new"]
        assert starter.load(w, tmp_path / "seeds")[0].outcome == "unchanged"
        # data, not a fetch: its payload is kept (a reparse rebuilds from it), no fetch row is written
        assert w.con.execute("select count(*) from fetches").fetchall() == [(0,)]
        assert w.con.execute("select count(*) from raw_payloads").fetchall() == [(1,)]
    reader = connection.open_reader(new_home)
    try:
        assert reader.execute(HISTORY_QUERY).fetchall() == expected
    finally:
        reader.close()
    with store.writer(new_home) as w:
        rebuilt = reparse.reparse(w)
    assert (rebuilt.payloads, rebuilt.snapshots, rebuilt.failures) == (1, 2, ())
    reader = connection.open_reader(new_home)
    try:
        assert reader.execute(HISTORY_QUERY).fetchall() == expected
    finally:
        reader.close()


def test_fresh_init_shows_real_history_from_the_bundled_seeds(tmp_path):
    if not list(starter.history_dir().glob("*.parquet")):
        pytest.fail(
            "seeds/history has no starter files; build them with `tracker build-starter seeds/history`"
        )
    home = tmp_path / "home"
    out = run_tracker(home, "init", check=True).stdout
    assert "loaded the starter history" in out
    query = (
        "select min(as_of), max(as_of), count(distinct as_of) from rank_history "
        "where arena='text' and category='overall' and not style_control"
    )
    first, last, dates = (
        run_tracker(home, "sql", query, "-f", "csv", check=True).stdout.splitlines()[1].split(",")
    )
    assert first < "2023-06-01" and last >= "2026-01-01" and int(dates) > 100
    mai = run_tracker(
        home,
        "sql",
        "select count(distinct as_of) from rank_history where model='mai-1-preview'",
        "-f",
        "csv",
        check=True,
    ).stdout.splitlines()[1]
    assert int(mai) >= 5
    # the starter history is data, not a fetch: no fetch row, and every source reads never polled
    fetches = run_tracker(home, "sql", "select count(*) from fetches", "-f", "csv", check=True).stdout
    assert fetches.splitlines()[1] == "0"
    status = run_tracker(home, "status", env={"COLUMNS": "300"}, check=True).stdout
    table = status.split("Sources", 1)[1].split("Poll jobs", 1)[0]
    for source in ("arena-page", "arena-dataset"):  # the default jobs' sources
        assert re.search(rf"│ {source} +│ never polled +│", table), status
    assert "UTC" not in table and "never" in table  # no last success, no last failure for any source
    # a second init does not load the starter again
    assert "loaded the starter history" not in run_tracker(home, "init", check=True).stdout
