"""The DuckDB store and the ingest pipeline: migrations, the read copy, idempotent loads, rejected payloads,
raw payloads and reparse."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import duckdb
import pytest

from tests.cli import run_tracker_process
from tests.pages import entry, leaderboard, page
from tracker import identity, store
from tracker.config import load_settings
from tracker.errors import StoreError, WriterBusyError
from tracker.ingest import pipeline, reparse
from tracker.ingest.guard import check
from tracker.read import connection
from tracker.sqlfiles import fingerprint, sql_files
from tracker.store import payload_files
from tracker.store.table_hashes import IDENTITY_TABLES as IDENTITY

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def good_page(cutoff="2026-05-07T14:00:00.000Z", bump=0.0) -> bytes:
    return page(
        leaderboard(
            [
                entry("alpha", 1400 + bump, 1390 + bump, 1410 + bump, rank=1),
                entry("beta", 1300, 1290, 1310, rank=2),
            ],
            cutoff=cutoff,
        )
    )


def ingest(writer, body: bytes, origin="page.html"):
    return pipeline.ingest(writer, pipeline.Payload(body, origin, NOW))


def count(con, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def test_migrations_apply_once_in_order_and_are_recorded(settings):
    with store.writer(settings) as w:
        first = w.con.execute("select version, name from schema_migrations order by version").fetchall()
    with store.writer(settings) as w:
        again = w.con.execute("select version, name from schema_migrations order by version").fetchall()
        assert store.migrate(w.con) == []
    assert first == again
    assert [name for _, name in first] == [p.stem for p in sql_files("migrations")]


def test_macros_and_views_are_recreated_when_their_sql_or_the_schema_changed_not_on_every_open(settings):
    def views(con) -> set[str]:
        return {
            r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()
        }

    with store.writer(settings) as w:
        created = views(w.con)
        recorded = w.con.execute("select fingerprint from sql_objects").fetchall()
        assert recorded == [(fingerprint(store.migrations.VIEW_FOLDERS),)]
        w.con.execute("DROP VIEW latest")  # as if it were not there: the next open does not look
    with store.writer(settings) as w:
        assert "latest" not in views(w.con)  # the SQL did not change: nothing was recreated
        w.con.execute("UPDATE sql_objects SET fingerprint = 'sql of an older tracker'")
    with store.writer(settings) as w:
        assert views(w.con) == created  # other SQL: every macro and view recreated
        w.con.execute("DROP VIEW latest")
        w.con.execute("DELETE FROM schema_migrations WHERE name = '0170_sql_objects'")
        w.con.execute("DROP TABLE sql_objects")
    with store.writer(settings) as w:
        assert views(w.con) == created  # a migration ran: recreated too


def test_a_new_database_started_from_this_process_s_schema_copy_is_one_built_from_nothing(tmp_path):
    """The first new database of a process keeps a copy of its empty schema; the next ones start from it: the
    same tables, views and macros, the identity the seeds give, migrated now, and nothing the first one
    stored."""

    def schema(con) -> tuple:
        return tuple(
            con.execute(q).fetchall()
            for q in (
                # the database's own: a refresh's temporary tables are the session's
                "select table_name, column_name, data_type from duckdb_columns() "
                "where database_name = current_database() order by all",
                "select view_name, sql from duckdb_views() where not internal order by all",
                "select function_name, macro_definition from duckdb_functions() "
                "where function_type like '%macro' and not internal order by all",
                "select version, name from schema_migrations order by all",
            )
        )

    first = load_settings(environ={}, home=tmp_path / "first")
    with store.writer(first) as w:
        assert ingest(w, good_page()).outcome == "new"
    with store.writer(
        first
    ) as w:  # read back from the file, as the copy is (DuckDB spells 1e-9 as 1e-09 then)
        built = schema(w.con)
    before = datetime.now(UTC)
    second = load_settings(environ={}, home=tmp_path / "second")
    copied, refreshed = store.migrations.start_from_schema_copy(tmp_path / "probe.duckdb")
    assert copied and refreshed is not None  # there is a copy to start from, its identity refreshed
    with store.writer(second) as w:
        assert schema(w.con) == built
        # the copy's identity tables are what a refresh from the seeds gives (its refresh was skipped)
        identity_rows = "select * from {} order by all"
        kept = {t: w.con.execute(identity_rows.format(t)).fetchall() for t in IDENTITY}
        assert kept["models"] and kept["org_aliases"]
        identity.refresh(w.con)
        assert {t: w.con.execute(identity_rows.format(t)).fetchall() for t in IDENTITY} == kept
        assert count(w.con, "snapshots") == 0 and count(w.con, "standings") == 0
        assert count(w.con, "raw_payloads") == 0 and count(w.con, "fetches") == 0
        oldest = w.con.execute("select min(applied_at) from schema_migrations").fetchall()[0][0]
        assert oldest >= before
        assert ingest(w, good_page()).outcome == "new"


def test_read_copy_is_published_readable_and_compatible(writer, settings):
    assert ingest(writer, good_page()).outcome == "new"
    assert not settings.read_copy_path.exists()  # an ingest stores; its stage decides when to publish
    assert store.publish_if_due(writer, new_data=True)
    assert settings.read_copy_path.exists()
    con = duckdb.connect(str(settings.read_copy_path), read_only=True)
    try:
        assert con.execute("select count(*) from rank_history").fetchall() == [(2,)]
        tags = con.execute(
            "select tags from duckdb_databases() where database_name = current_database()"
        ).fetchall()
        assert tags[0][0].get("storage_version", "").startswith("v1.5.0")
        # raw bodies stay in the writer's file only
        assert con.execute("select sum(octet_length(body)) from raw_payloads").fetchall() == [(0,)]
    finally:
        con.close()


def test_same_payload_twice_writes_only_a_fetch_row(writer):
    assert ingest(writer, good_page()).outcome == "new"
    before = [count(writer.con, t) for t in ("snapshots", "standings", "raw_payloads")]
    result = ingest(writer, good_page())
    assert (result.outcome, result.snapshots_new, result.rows_written) == ("unchanged", 0, 0)
    assert [count(writer.con, t) for t in ("snapshots", "standings", "raw_payloads")] == before
    assert writer.con.execute("select outcome from fetches order by fetch_id").fetchall() == [
        ("new",),
        ("unchanged",),
    ]


def test_different_bytes_with_the_same_board_store_no_new_snapshot(writer):
    ingest(writer, good_page())
    result = ingest(writer, good_page() + b"<!-- build 2 -->")
    assert result.outcome == "unchanged" and count(writer.con, "snapshots") == 1


def test_a_changed_board_is_a_new_snapshot(writer):
    ingest(writer, good_page())
    result = ingest(writer, good_page(cutoff="2026-05-08T14:00:00.000Z", bump=3))
    assert (result.outcome, result.snapshots_new, result.rows_written) == ("new", 1, 2)


def test_invalid_payload_writes_nothing_but_its_fetch_row_and_keeps_earlier_data(writer):
    ingest(writer, good_page())
    before = writer.con.execute("select * from standings order by all").fetchall()
    bad = page(
        leaderboard(
            [entry("alpha", 1400, 1410, 1420), entry("beta", 1300, 1290, 1310)], cutoff="2026-06-01T00:00:00Z"
        )
    )
    result = ingest(writer, bad, origin="bad.html")
    assert result.outcome == "rejected"
    assert "bad.html" in result.error and "row 1" in result.error and "rating_lower" in result.error
    assert writer.con.execute("select * from standings order by all").fetchall() == before
    assert count(writer.con, "snapshots") == 1
    fetch = writer.con.execute(
        "select outcome, error from fetches order by fetch_id desc limit 1"
    ).fetchall()[0]
    assert fetch[0] == "rejected" and "rating_lower" in fetch[1]
    # the bytes are kept for inspection, marked rejected
    assert writer.con.execute("select status from raw_payloads where origin = 'bad.html'").fetchall() == [
        ("rejected",)
    ]


def test_unknown_format_is_rejected_with_a_message(writer):
    result = ingest(writer, b"<html>maintenance</html>", origin="down.html")
    assert result.outcome == "rejected" and "down.html" in result.error and "not a format" in result.error


def test_raw_payload_is_kept_compressed_in_its_own_file_and_round_trips(writer, settings):
    body = good_page()
    ingest(writer, body)
    payload_hash, compression, held = writer.con.execute(
        "select payload_hash, compression, octet_length(body) from raw_payloads"
    ).fetchall()[0]
    stored = payload_files.path_for(settings.home, payload_hash, compression)
    assert (compression, held) == ("zlib", 0) and 0 < stored.stat().st_size < len(body)
    assert store.read_raw(writer.con, settings.home, payload_hash) == body


def test_bodies_held_in_the_table_move_to_files_when_the_writer_opens(settings):
    with store.writer(settings, "pytest") as w:
        ingest(w, good_page())
        payload_hash, compression = w.con.execute(
            "select payload_hash, compression from raw_payloads"
        ).fetchall()[0]
        path = payload_files.path_for(settings.home, payload_hash, compression)
        # a database from before payload files: the bytes in the table, no file
        w.con.execute("update raw_payloads set body = $b", {"b": path.read_bytes()})
        path.unlink()
    with store.writer(settings, "pytest") as w:
        assert w.con.execute("select octet_length(body) from raw_payloads").fetchall() == [(0,)]
        assert store.read_raw(w.con, settings.home, payload_hash) == good_page()
        result = reparse.reparse(w)
        assert (result.payloads, result.failures) == (1, ())


def test_a_missing_payload_file_is_an_error_naming_it(writer, settings):
    ingest(writer, good_page())
    payload_hash, compression = writer.con.execute(
        "select payload_hash, compression from raw_payloads"
    ).fetchall()[0]
    payload_files.path_for(settings.home, payload_hash, compression).unlink()
    with pytest.raises(StoreError, match=payload_hash):
        store.read_raw(writer.con, settings.home, payload_hash)


def test_reparse_rebuilds_the_same_standings(writer):
    ingest(writer, good_page())
    ingest(writer, good_page(cutoff="2026-05-08T14:00:00.000Z", bump=3))
    query = "select s.source, s.arena, s.as_of, st.* exclude (snapshot_id) from standings st join snapshots s using (snapshot_id) order by all"
    before = writer.con.execute(query).fetchall()
    result = reparse.reparse(writer)
    assert (result.payloads, result.snapshots, result.failures) == (2, 2, ())
    assert writer.con.execute(query).fetchall() == before


def test_reparse_tells_a_new_failure_from_payloads_still_rejected_and_recovered(writer, settings):
    three = [entry(name, 1400 - i, 1390 - i, 1410 - i, rank=i + 1) for i, name in enumerate("abc")]
    ingest(writer, page(leaderboard(three)), "kept.html")
    ingest(writer, page(leaderboard(three, style=True)), "regressed.html")
    duplicated = page(leaderboard([entry("a", 1400, 1390, 1410), entry("a", 1300, 1290, 1310)]))
    assert ingest(writer, duplicated, "dup.html").outcome == "rejected"
    shrunk = page(leaderboard(three[:1], cutoff="2026-05-08T14:00:00.000Z"))
    held_back = pipeline.ingest(writer, pipeline.Payload(shrunk, "shrunk.html", NOW), guard=check)
    assert held_back.outcome == "rejected"  # the sanity guard; a reparse loads without it
    # the parser now fails on a payload that loaded: its stored bytes stand in for a regression
    payload_hash, compression = writer.con.execute(
        "select payload_hash, compression from raw_payloads where origin = 'regressed.html'"
    ).fetchall()[0]
    stored = payload_files.path_for(settings.home, payload_hash, compression)
    stored.write_bytes(payload_files.compress(page(leaderboard(three * 2, style=True)))[1])

    result = reparse.reparse(writer)

    assert [origin for origin, _ in result.newly_failing] == ["regressed.html"]
    assert "appears more than once" in result.newly_failing[0][1]
    assert [origin for origin, _ in result.still_rejected] == ["dup.html"]
    assert result.recovered == ("shrunk.html",)
    assert (result.payloads, len(result.failures)) == (4, 2)
    statuses = dict(writer.con.execute("select origin, status from raw_payloads").fetchall())
    assert statuses == {
        "kept.html": "loaded",
        "regressed.html": "rejected",
        "dup.html": "rejected",
        "shrunk.html": "loaded",
    }
    again = reparse.reparse(writer)  # marked rejected, the regression now counts as rejected before
    assert (again.newly_failing, again.recovered) == ((), ())
    assert sorted(origin for origin, _ in again.still_rejected) == ["dup.html", "regressed.html"]


def test_second_writer_is_refused_naming_the_first(settings):
    with store.writer(settings, "first writer"), pytest.raises(WriterBusyError) as info:
        store.open_writer(settings, "second")
    assert f"pid {os.getpid()}" in str(info.value) and "first writer" in str(info.value)
    assert "one command at a time may write" in str(info.value)


@pytest.mark.slow
def test_reads_the_busy_message_promises_work_beside_a_writer(starter_home, tmp_path):
    # the writer-busy message says sql, model, models and export read on while a writer runs
    home = starter_home
    settings = load_settings(environ={}, home=home)
    with store.writer(settings, "a long import"):
        for command in (
            ("sql", "select count(*) from rank_history"),
            ("model", "mai-1-preview"),
            ("models",),
            ("export", str(tmp_path / "lake")),
        ):
            proc = run_tracker_process(home, *command)  # a reader's own process, as a user's would be
            assert (command, proc.returncode) == (command, 0), proc.stderr


def test_reader_without_published_data_says_what_to_run(settings):
    with pytest.raises(StoreError, match="tracker init"):
        connection.open_reader(settings)


def test_snapshots_from_before_published_ranks_were_stored_get_them_from_their_standings(settings):
    partial = page(leaderboard([entry("gamma", 1350, 1340, 1360, rank=7)], cutoff="2026-05-08T14:00:00.000Z"))
    with store.writer(settings) as w:
        assert ingest(w, good_page()).outcome == "new"
        assert ingest(w, partial, "partial.html").outcome == "new"
        stored = w.con.execute("select snapshot_id, published_ranks from snapshots order by 1").fetchall()
        assert [ranks for _, ranks in stored] == [2, 7]
        store.publish(w)  # published as that tracker did; nothing is left to publish at close
        # the database as a tracker before migration 0130 left it
        w.con.execute("ALTER TABLE snapshots DROP COLUMN published_ranks")
        w.con.execute("DELETE FROM schema_migrations WHERE name = '0130_snapshot_published_ranks'")
    with store.writer(settings) as w:
        assert (
            w.con.execute("select snapshot_id, published_ranks from snapshots order by 1").fetchall()
            == stored
        )
        flags = w.con.execute("select as_of, partial from board_dates order by as_of").fetchall()
        assert [p for _, p in flags] == [False, True]  # one row of a board that publishes 7 ranks


def test_no_connection_draws_duckdb_s_progress_bar(writer, settings):
    """DuckDB draws its progress bar on standard output during a statement of more than ~2 s (a full publish
    at the end of an import): into a command's output, or CSV piped to a file. The writer, its cursors and
    the readers turn it off."""
    off = "select current_setting('enable_progress_bar')"
    assert writer.con.execute(off).fetchall() == [(False,)]
    assert writer.on_cursor(writer.con.cursor()).con.execute(off).fetchall() == [(False,)]
    assert store.publish_if_due(writer, new_data=True)
    reader = connection.open_reader(settings)
    try:
        assert reader.execute(off).fetchall() == [(False,)]
    finally:
        reader.close()
