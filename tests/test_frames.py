"""Frames between polars and DuckDB without pyarrow (tracker.frames): a registered frame can be scanned as
often as a query refers to it, column types come back as polars reads them, and the whole write path of a
poll (parse, guard, store, identity, publish) runs in a process that never imports pyarrow."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import duckdb
import polars as pl
import pytest

from tests import dataset_files
from tracker import frames


def test_a_registered_frame_is_read_by_every_reference_to_it():
    con = duckdb.connect()
    frame = pl.DataFrame({"model": ["a", "b", "c"], "rating": [1400.5, None, 1390.0]})
    with frames.registered(con, staged=frame):
        assert con.execute("SELECT count(*) FROM staged").fetchall() == [(3,)]
        joined = con.execute("SELECT count(*) FROM staged AS x JOIN staged AS y USING (model)").fetchall()
        assert joined == [(3,)]  # a second scan, and a third: a spent stream would fail here
        assert con.execute("SELECT rating FROM staged WHERE model = 'b'").fetchall() == [(None,)]
    with pytest.raises(duckdb.CatalogException):
        con.execute("SELECT count(*) FROM staged")


def test_a_registered_frame_is_let_go_of_at_the_end_of_its_block_inside_a_transaction():
    # DuckDB keeps whatever was registered during a transaction until it ends, unregistered or not: an
    # import's parts would all stay in memory until the file's COMMIT
    con = duckdb.connect()
    con.execute("CREATE TABLE kept (model VARCHAR)")
    frame = pl.DataFrame({"model": ["a", "b"]})
    references = sys.getrefcount(frame)
    con.execute("BEGIN TRANSACTION")
    with frames.registered(con) as views:
        views.add("staged", frame)
        con.execute("INSERT INTO kept SELECT model FROM staged")
    assert sys.getrefcount(frame) == references  # the transaction is still open
    con.execute("COMMIT")
    assert con.execute("SELECT count(*) FROM kept").fetchall() == [(2,)]


def test_a_relation_comes_back_with_duckdb_s_column_types():
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # as every tracker session (store.configure_session)
    got = frames.to_polars(
        con.sql(
            "SELECT 1::UINTEGER AS id, 'x' AS name, DATE '2025-08-28' AS as_of, [1, 2] AS ranks, "
            "NULL::DOUBLE AS rating, TIMESTAMPTZ '2025-08-28 12:00:00+00' AS at WHERE $keep",
            params={"keep": True},
        )
    )
    assert got.schema == pl.Schema(
        {
            "id": pl.UInt32,
            "name": pl.String,
            "as_of": pl.Date,
            "ranks": pl.List(pl.Int32),
            "rating": pl.Float64,
            "at": pl.Datetime("us", "UTC"),
        }
    )
    assert got.row(0)[:3] == (1, "x", date(2025, 8, 28))
    empty = frames.to_polars(con.sql("SELECT 1 AS a WHERE false"))
    assert empty.height == 0 and empty.columns == ["a"]


def test_the_write_path_of_a_poll_never_imports_pyarrow(tmp_path):
    dataset = tmp_path / "text" / "full-00000-of-00001.parquet"
    dataset.parent.mkdir()
    dataset.write_bytes(dataset_files.parquet_bytes(dataset_files.full_frame(models=12, dates=4)))
    script = textwrap.dedent(
        f"""
        import sys
        from datetime import UTC, datetime
        from pathlib import Path

        import tracker.cli  # everything `tracker schedule` loads
        from tests.pages import entry, leaderboard, page
        from tracker import store
        from tracker.ingest import guard
        from tracker.ingest import pipeline
        from tracker.config import load_settings

        settings = load_settings(environ={{}}, home=Path({str(tmp_path / "home")!r}))
        def board(day, models):
            rows = [entry(f"model-{{j}}", 1400 - 3 * j, 1395 - 3 * j, 1405 - 3 * j) for j in range(models)]
            return page(leaderboard(rows, cutoff=f"2026-03-{{day:02d}}T14:00:00.000Z"))
        now = datetime.now(UTC)
        with store.writer(settings, "pytest") as w:
            for body, origin in [
                (board(1, 5), "day-1.html"),
                (board(1, 6), "day-1-again.html"),  # the same board and date: its content hashed
                (board(2, 6), "day-2.html"),
                (Path({str(dataset)!r}).read_bytes(), {str(dataset)!r}),
            ]:
                result = pipeline.ingest(w, pipeline.Payload(body, origin, now), guard=guard.check)
                assert result.outcome == "new", result
        print(sorted(m for m in sys.modules if m.split(".")[0] == "pyarrow"))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
