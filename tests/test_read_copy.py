"""Publishing the read copy (tracker.read_copy) on a real DuckDB file: an incremental publish leaves exactly
the read copy a full publish would build (every table and view, row for row), recomputing only the boards
that changed; anything it cannot follow gets a full publish; a failed publish leaves the old copy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from tests import seeded_boards as sb
from tracker import identity, store
from tracker.ingest import reparse, starter
from tracker.read import connection
from tracker.sqlfiles import sql, sql_files
from tracker.store import previous_copy, read_copy, table_hashes

NEW_DAY = date(2025, 2, 12)
PARTIAL_DAY = date(2025, 1, 18)  # gamma's partial snapshot (seeded_boards)


@pytest.fixture
def seeded(writer):
    sb.seed(writer)  # ends with a full publish
    assert writer.last_published.mode == "full"
    return writer


def load(
    w: store.Writer, rows: dict, *, style_control: bool = False, payload: str = "more", later_by: str = ""
) -> None:
    """Store ``rows`` ({day: [(model, rating, lower, upper, votes)]}) as one payload's snapshots;
    ``later_by`` (a polars offset such as "6h") publishes them that much later in their day."""
    frame = sb.frame(rows, style_control=style_control)
    if later_by:
        frame = frame.with_columns(frame["as_of"].dt.offset_by(later_by))
    w.con.execute("BEGIN TRANSACTION")
    store.load_frame(
        w.con,
        frame,
        source="arena-dataset",
        payload_hash=payload,
        fetched_at=datetime(2025, 2, 13, tzinfo=UTC),
    )
    w.con.execute("COMMIT")


def contents(path) -> dict[str, list[tuple]]:
    """Every table and view of a read copy (but the publish bookkeeping), its rows sorted."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"ATTACH '{path}' AS c (READ_ONLY)")
        con.execute("USE c")
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'c' ORDER BY 1"
            ).fetchall()
        ]
        return {
            name: con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
            for name in names
            if name != "publish_state"
        }
    finally:
        con.close()


def from_the_current_copy(w: store.Writer) -> None:
    """Drop the previous read copy, so that the next incremental publish updates a copy of the current one:
    what it recomputes is then what changed since the last publish (the previous copy is one publish older)."""
    previous_copy.path_of(w.settings.read_copy_path).unlink(missing_ok=True)


def assert_same_as_a_full_publish(w: store.Writer, tmp_path) -> None:
    incremental = contents(w.settings.read_copy_path)
    kept = tmp_path / "incremental.duckdb"
    shutil.copyfile(w.settings.read_copy_path, kept)
    w.settings.read_copy_path.unlink()
    store.publish(w)
    assert w.last_published.mode == "full"
    full = contents(w.settings.read_copy_path)
    assert incremental.keys() == full.keys()
    different = [name for name in full if incremental[name] != full[name]]
    assert different == [], f"the incremental publish differs from a full one in {different}"


def assert_same_as_the_writers_views(w: store.Writer) -> None:
    """The read copy's rank_history and ranked (projections of its history table) hold the rows of the
    writer's views of those names."""
    copied = contents(w.settings.read_copy_path)
    for name in ("rank_history", "ranked"):
        assert copied[name] == w.con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall(), name


def test_a_new_board_date_recomputes_that_board_alone_and_matches_a_full_publish(seeded, tmp_path):
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700), ("eps", 1310, 1300, 1320, 2000)]})
    store.publish(seeded)
    assert seeded.last_published.mode == "incremental"
    assert seeded.last_published.labels == ("text/overall (raw)",)
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_full_publish_stores_each_boards_history_together_by_model_and_date(seeded):
    """The order zone maps rely on (ranked.sql): each board's rows together, by model and date."""
    con = duckdb.connect(str(seeded.settings.read_copy_path), read_only=True)
    try:
        stored = con.execute(
            "SELECT leaderboard, arena, category, style_control, model, as_of FROM ranked ORDER BY rowid"
        ).fetchall()
    finally:
        con.close()
    boards = [row[:4] for row in stored]
    runs = [board for i, board in enumerate(boards) if i == 0 or boards[i - 1] != board]
    assert len(runs) == len(set(boards)) > 1  # each board's rows in one run
    assert runs == sorted(runs)  # and the boards in order (a row group spans neighbours, not any two)
    for board in set(boards):
        rows = [row[4:] for row in stored if row[:4] == board]
        assert rows == sorted(rows)


def executed_files(w: store.Writer, run) -> set[str]:
    """The sql/publish files whose text ``run()`` executed on the writer's connection."""
    ran = "\n".join(executed(w, run))
    return {p.stem for p in sql_files("publish") if p.read_text(encoding="utf-8").strip().rstrip(";") in ran}


def executed(w: store.Writer, run) -> list[str]:
    """Every statement ``run()`` executed on the writer's connection, in order."""
    ran: list[str] = []
    real = w.con

    class Recording:
        def execute(self, text, *args, **kwargs):
            ran.append(text)
            return real.execute(text, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(real, name)

    w.con = Recording()
    try:
        run()
    finally:
        w.con = real
    return ran


def copied_tables(statements: list[str]) -> set[str]:
    """The small tables an incremental publish emptied and copied again."""
    prefix = 'DELETE FROM publish_copy."'
    return {text[len(prefix) :].rstrip('"') for text in statements if text.startswith(prefix)}


def test_an_incremental_publish_copies_only_the_small_tables_whose_rows_changed(seeded, tmp_path):
    ran = executed(seeded, lambda: store.publish(seeded))  # nothing new since the full publish
    assert copied_tables(ran) == set()
    for unchanged in ("publish/identity_changed.sql", "publish/delete_methodology_events.sql"):
        assert not any(sql(unchanged) in text for text in ran), unchanged
    # a change that keeps the row count: the table is copied, and the methodology rows follow it
    seeded.con.execute("UPDATE methodology_events SET title = title || ' (revised)'")
    from_the_current_copy(seeded)
    ran = executed(seeded, lambda: store.publish(seeded))
    assert copied_tables(ran) == {"methodology_events"}
    assert any(sql("publish/delete_methodology_events.sql") in text for text in ran)
    assert_same_as_a_full_publish(seeded, tmp_path)
    # a new page: what a load writes besides the appended tables, and no identity table (nothing renamed)
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
    from_the_current_copy(seeded)
    ran = executed(seeded, lambda: store.publish(seeded))
    assert "identity_observations" in copied_tables(ran)
    assert not copied_tables(ran) & (
        table_hashes.IDENTITY_TABLES | {"methodology_events", "schema_migrations"}
    )
    assert seeded.last_published.labels == ("text/overall (raw)",)
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_while_duckdb_s_syncs_are_off_a_publish_writes_the_copy_alone(seeded, monkeypatch):
    """``fsync_mode`` is the whole DuckDB instance's: while a publish has it off (the copy is synced once,
    before it is swapped in), no statement writes the writer's database, and it is on again after a
    publish, whether the publish succeeded or failed."""

    def publishes():
        load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
        identity.add_alias(seeded.con, "zeta", "eps")
        store.publish(seeded)  # incremental, one board whole (an alias) and one new date
        seeded.settings.read_copy_path.unlink()
        store.publish(seeded)  # full

    off = False
    for text in executed(seeded, publishes):
        if text in ("SET fsync_mode = 'NONE'", "RESET fsync_mode"):
            off = text.startswith("SET")
            continue
        statement = " ".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
        statement = statement.strip().upper()
        writes = re.match(r"(INSERT|DELETE|UPDATE|CREATE|DROP|ALTER|MERGE|COPY|CHECKPOINT)\b", statement)
        if off and writes:
            assert re.match(r"[A-Z ]*(PUBLISH_COPY\.|TEMP TABLE |TABLE KEPT_HISTORY)", statement), statement[
                :120
            ]
    assert not off
    assert seeded.con.execute("SELECT current_setting('fsync_mode')").fetchall() == [("STANDARD",)]
    load(seeded, {date(2025, 2, 19): [("beta", 1326, 1321, 1331, 3800)]}, payload="later")
    break_crowns_statement(monkeypatch)
    with pytest.raises(duckdb.CatalogException):
        store.publish(seeded)
    assert seeded.con.execute("SELECT current_setting('fsync_mode')").fetchall() == [("STANDARD",)]


def test_a_publish_refreshes_identity_only_when_what_the_refresh_reads_or_writes_changed(
    seeded, tmp_path, monkeypatch
):
    refreshes = []
    real = identity.refresh

    def counted(con, **kwargs):
        refreshes.append(1)
        return real(con, **kwargs)

    monkeypatch.setattr(table_hashes.identity, "refresh", counted)

    def refreshed() -> bool:
        before = len(refreshes)
        store.publish(seeded)
        return len(refreshes) > before

    assert not refreshed()  # nothing written since the last refresh
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
    assert refreshed()  # identity_observations grew
    assert not refreshed()
    # a refreshed table written behind the refresh's back: the refresh runs and puts it back
    seeded.con.execute("DELETE FROM models WHERE model_key = 'alpha'")
    assert refreshed()
    assert seeded.con.execute("SELECT count(*) FROM models WHERE model_key = 'alpha'").fetchall() == [(1,)]
    # a user's alias (its own refresh is not this writer's): the publish refreshes once more
    identity.add_alias(seeded.con, "zeta", "eps")
    assert refreshed()
    assert seeded.last_published.labels == ("text/overall (raw)",)
    assert not refreshed()
    # seed files read again (edited): new frames, so the refresh runs
    frames = table_hashes.seeds.read_all()
    monkeypatch.setattr(
        table_hashes.seeds, "read_all", lambda folder=None: {k: v.clone() for k, v in frames.items()}
    )
    assert refreshed()
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_new_dates_after_the_board_s_others_append_only_their_rows(seeded, tmp_path):
    # two new dates at once: gamma back after missing dates (its previous appearance is an old kept row),
    # a new model, eps missing on the first and back on the second
    load(
        seeded,
        {
            NEW_DAY: [
                ("beta", 1325, 1320, 1330, 3700),
                ("gamma", 1255, 1245, 1265, 900),
                ("zeta", 1240, 1200, 1280, 50),
            ],
            date(2025, 2, 19): [
                ("beta", 1326, 1321, 1331, 3800),
                ("eps", 1310, 1300, 1320, 2000),
                ("zeta", 1260, 1240, 1280, 400),
            ],
        },
    )
    ran = executed_files(seeded, lambda: store.publish(seeded))
    assert seeded.last_published.labels == ("text/overall (raw)",)
    assert {"appends_only", "kept_last_rows", "update_ranked_context"} <= ran
    assert "delete_ranked" not in ran and "kept_history" not in ran
    # the board's events: only those dated after its newest complete date are computed (and added)
    assert {"events_since", "delete_relisted_exits"} <= ran and "delete_events" not in ran
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_board_s_appended_date_adds_only_its_events_and_drops_the_exit_of_a_model_back(seeded, tmp_path):
    # delta left after 2025-01-22 (an exit and a top-10 exit dated 2025-01-29) and is back: its exit goes,
    # the top-10 exit stays, and it re-enters the top 10 rather than debuts (its previous appearance is
    # older than the board's newest date, so the new date's events read further back than that date)
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700), ("delta", 1205, 1195, 1215, 900)]})
    ran = executed_files(seeded, lambda: store.publish(seeded))
    assert {"events_since", "delete_relisted_exits"} <= ran and "delete_events" not in ran
    with connection.open_reader(seeded.settings) as reader:
        kinds = reader.execute(
            "SELECT event_date, kind FROM events WHERE model = 'delta' AND arena = 'text' AND NOT style_control"
            " AND event_date >= DATE '2025-01-29' ORDER BY ALL"
        ).fetchall()
    assert kinds == [(sb.D5, "top_n_exit"), (NEW_DAY, "top_n_entry")]
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_real_history_s_last_dates_published_one_by_one_match_a_full_publish(writer, tmp_path):
    # the bundled starter history (real 2023-2026 boards of two leaderboards from several sources): all but
    # its last four days loaded and published in full, then each day loaded and published on its own, as the
    # next dates of the boards it reaches (two LMArena boards, some 400 models each): the copy must be the
    # one a full publish builds.
    files = sorted(starter.history_dir().glob("*.parquet"))
    assert files, "seeds/history has no starter files"
    tables = {path.name: pq.read_table(path) for path in files}  # with the metadata naming their source
    days = sorted(set().union(*(set(pl.from_arrow(t)["as_of"].dt.date().to_list()) for t in tables.values())))
    last = days[-4:]

    def load_rows(folder, keep: pl.Expr) -> None:
        folder.mkdir()
        for name, table in tables.items():
            part = pl.from_arrow(table).filter(keep)
            if part.height:
                pq.write_table(part.to_arrow().replace_schema_metadata(table.schema.metadata), folder / name)
        assert {r.outcome for r in starter.load(writer, folder)} == {"new"}

    load_rows(tmp_path / "before", pl.col("as_of").dt.date() < last[0])
    store.publish(writer)
    assert writer.last_published.mode == "full"
    ran: set[str] = set()
    for day in last:
        load_rows(tmp_path / day.isoformat(), pl.col("as_of").dt.date() == day)
        ran |= executed_files(writer, lambda: store.publish(writer))
        assert writer.last_published.mode == "incremental"
    assert {"appends_only", "kept_last_rows", "events_since", "delete_relisted_exits"} <= ran
    assert_same_as_a_full_publish(writer, tmp_path)


def test_a_new_date_before_the_board_s_newest_recomputes_that_date_alone(seeded, tmp_path):
    load(seeded, {date(2025, 2, 19): [("beta", 1326, 1321, 1331, 3800), ("eps", 1310, 1300, 1320, 2000)]})
    store.publish(seeded)
    load(
        seeded,
        {NEW_DAY: [("beta", 1325, 1320, 1330, 3700), ("eps", 1305, 1295, 1315, 1900)]},
        payload="older",
    )
    from_the_current_copy(seeded)
    ran = executed_files(seeded, lambda: store.publish(seeded))
    assert {"delete_ranked_dates", "update_ranked_context", "update_ranked_prev"} <= ran
    assert "delete_ranked" not in ran and "kept_last_rows" not in ran
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_late_page_among_the_board_s_dates_sets_the_later_rows_previous_appearances(seeded, tmp_path):
    # between D2 and D3: gamma (absent on D3: its next row, the partial snapshot of 01-18, now follows this
    # date rather than D2), zeta (first seen on D5 until now, so its D5 row gets one), alpha missing (its D3
    # row keeps D2); then D3 replaced without eps (its D4 row's previous appearance goes back to D2)
    late = date(2025, 1, 11)
    load(
        seeded,
        {
            late: [
                ("beta", 1321, 1316, 1326, 2200),
                ("zeta", 1300, 1280, 1320, 100),
                ("gamma", 1251, 1241, 1261, 870),
            ]
        },
        payload="late",
    )
    ran = executed_files(seeded, lambda: store.publish(seeded))
    assert {"delete_ranked_dates", "update_ranked_prev"} <= ran and "delete_ranked" not in ran
    reader = connection.open_reader(seeded.settings)
    try:
        prev = dict(
            reader.execute(
                "SELECT model || ' ' || as_of, prev_as_of FROM ranked "
                "WHERE NOT style_control AND model IN ('gamma', 'alpha', 'zeta') AND as_of IN ($d3, $p, $d4, $d5)",
                {"d3": sb.D3, "p": PARTIAL_DAY, "d4": sb.D4, "d5": sb.D5},
            ).fetchall()
        )
    finally:
        reader.close()
    assert prev == {
        f"gamma {PARTIAL_DAY}": late,
        f"gamma {sb.D4}": PARTIAL_DAY,
        f"gamma {sb.D5}": sb.D4,
        f"zeta {sb.D5}": late,
        f"alpha {sb.D3}": sb.D2,
        f"alpha {sb.D4}": sb.D3,
        f"alpha {sb.D5}": sb.D4,
    }
    assert_same_as_a_full_publish(seeded, tmp_path)

    load(seeded, {sb.D3: [r for r in sb.RAW[sb.D3] if r[0] != "eps"]}, payload="d3-again", later_by="6h")
    store.publish(seeded)
    assert seeded.last_published.labels == ("text/overall (raw)",)
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_new_snapshot_for_a_date_already_published_replaces_that_date(seeded, tmp_path):
    # the same day, a later publish of the board with another #1: it wins the date (a later as-of that day)
    rows = [("alpha", 1340, 1335, 1345, 2300), *(r for r in sb.RAW[sb.D5] if r[0] != "alpha")]
    load(seeded, {sb.D5: rows}, payload="same-day", later_by="6h")
    store.publish(seeded)
    assert seeded.last_published.labels == ("text/overall (raw)",)
    reader = connection.open_reader(seeded.settings)
    try:
        top = reader.execute(
            "SELECT model FROM rank_history WHERE as_of = $d AND NOT style_control AND rank_ordinal = 1",
            {"d": sb.D5},
        ).fetchall()
    finally:
        reader.close()
    assert top == [("alpha",)]
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_nothing_new_recomputes_no_board(seeded, tmp_path):
    store.publish(seeded)
    assert (seeded.last_published.mode, seeded.last_published.labels) == ("incremental", ())
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_page_s_publish_updates_the_previous_copy_in_place_of_a_copy_of_the_current_one(seeded, tmp_path):
    target = seeded.settings.read_copy_path
    previous = previous_copy.path_of(target)
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
    store.publish(seeded)  # the seed's full publish replaced nothing: no previous copy yet
    assert (seeded.last_published.mode, seeded.last_published.from_previous) == ("incremental", False)
    kept = os.stat(previous).st_ino  # the full publish's copy, kept under a second name
    load(seeded, {date(2025, 2, 19): [("beta", 1326, 1321, 1331, 3800)]}, payload="later")
    store.publish(seeded)
    assert seeded.last_published.from_previous
    assert os.stat(target).st_ino == kept  # the same file, brought up to date and swapped in
    assert sorted(p.name for p in target.parent.glob(target.name + "*")) == [target.name, previous.name]
    assert_same_as_a_full_publish(seeded, tmp_path)  # both pages' changes, as a full publish has them


def test_a_previous_copy_from_before_a_reparse_gives_way_to_a_copy_of_the_current_one(seeded, tmp_path):
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
    store.publish(seeded)
    reparse.reparse(seeded)
    store.publish(seeded)
    assert seeded.last_published.mode == "full"  # the previous copy is now the one from before the reparse
    load(seeded, {date(2025, 2, 19): [("beta", 1326, 1321, 1331, 3800)]}, payload="later")
    store.publish(seeded)
    assert (seeded.last_published.mode, seeded.last_published.from_previous) == ("incremental", False)
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_previous_copy_a_reader_of_this_process_holds_is_copied_not_changed(seeded, tmp_path):
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
    store.publish(seeded)
    reader = connection.open_reader(seeded.settings)  # the current copy: the previous one after a publish
    try:
        before = reader.execute("SELECT count(*), max(as_of) FROM rank_history").fetchall()
        load(seeded, {date(2025, 2, 19): [("beta", 1326, 1321, 1331, 3800)]}, payload="later")
        store.publish(seeded)
        assert seeded.last_published.from_previous  # the copy before, which no reader holds
        load(seeded, {date(2025, 2, 20): [("beta", 1327, 1322, 1332, 3900)]}, payload="latest")
        store.publish(seeded)
        assert not seeded.last_published.from_previous
        assert reader.execute("SELECT count(*), max(as_of) FROM rank_history").fetchall() == before
    finally:
        reader.close()
    assert_same_as_a_full_publish(seeded, tmp_path)


# a reader process: the read copy opened at start (``open``, given argv[1]), queried for each line of its stdin
QUERIES = """
for line in sys.stdin:
    print(con.execute("SELECT count(*), max(as_of) FROM rank_history").fetchall(), flush=True)
"""
READER = f"""
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
{QUERIES}"""
# a reader that opened the read copy twice and closed one connection: POSIX dropped its lock on the file with
# that descriptor, so DuckDB's lock no longer refuses a writer (CI met this once: a changing file under a reader)
TWO_CONNECTIONS = f"""
import sys
from pathlib import Path
from tracker.config import load_settings
from tracker.read import connection
settings = load_settings(environ=dict(), home=Path(sys.argv[1]).parent)
first = connection.open_reader(settings)
con = connection.open_reader(settings)
first.close()
{QUERIES}"""


@pytest.mark.parametrize("script", [READER, TWO_CONNECTIONS], ids=["its-lock", "without-its-lock"])
def test_a_previous_copy_a_reader_of_another_process_holds_is_copied_not_changed(seeded, tmp_path, script):
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
    store.publish(seeded)
    reader = subprocess.Popen(
        [sys.executable, "-c", script, str(seeded.settings.read_copy_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:

        def read() -> str:
            reader.stdin.write("read\n")
            reader.stdin.flush()
            return reader.stdout.readline()

        before = read()
        load(seeded, {date(2025, 2, 19): [("beta", 1326, 1321, 1331, 3800)]}, payload="later")
        store.publish(seeded)
        assert seeded.last_published.from_previous
        load(seeded, {date(2025, 2, 20): [("beta", 1327, 1322, 1332, 3900)]}, payload="latest")
        store.publish(seeded)  # the reader holds the previous copy open: a copy of the current one
        assert not seeded.last_published.from_previous
        assert read() == before
        assert list(seeded.settings.home.glob("*.tmp*")) == []
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
        reader.stdout.close()
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_an_alias_merge_and_its_undoing_reach_every_board_the_model_is_on(seeded, tmp_path):
    identity.add_alias(seeded.con, "zeta", "eps")  # zeta is on the raw board only
    store.publish(seeded)
    assert seeded.last_published.labels == ("text/overall (raw)",)
    assert_same_as_a_full_publish(seeded, tmp_path)
    identity.add_alias(seeded.con, "alpha", "beta")  # both are on both boards
    store.publish(seeded)
    assert seeded.last_published.labels == ("text/overall (raw)", "text/overall (style control)")
    assert_same_as_a_full_publish(seeded, tmp_path)
    assert_same_as_the_writers_views(seeded)  # two keys of one snapshot now one model: one row kept
    identity.reset_alias(seeded.con, "alpha")
    from_the_current_copy(seeded)  # the previous copy is from before the merge: no board of it changed
    store.publish(seeded)
    assert "text/overall (style control)" in seeded.last_published.labels
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_model_seen_for_the_first_time_adds_the_new_date_without_rewriting_the_board(seeded, tmp_path):
    # omega and Org D are new to the identity tables, but no row the copy holds resolves differently
    load(seeded, {NEW_DAY: [("omega", 1340, 1330, 1350, 500), ("beta", 1325, 1320, 1330, 3700)]})
    ran = executed_files(seeded, lambda: store.publish(seeded))
    assert seeded.last_published.labels == ("text/overall (raw)",)
    assert {"identity_changed", "identity_boards", "kept_last_rows"} <= ran and "delete_ranked" not in ran
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_each_load_keeps_board_identities_as_its_migration_computes_them(seeded):
    from_standings = (
        "SELECT sn.arena, sn.category, sn.style_control, st.model_key, st.organization, min(st.snapshot_id), "
        "sn.leaderboard "
        "FROM standings AS st JOIN snapshots AS sn USING (snapshot_id) GROUP BY ALL ORDER BY ALL"
    )
    load(seeded, {NEW_DAY: [("omega", 1340, 1330, 1350, 500), ("beta", 1325, 1320, 1330, 3700)]})
    load(seeded, {date(2025, 2, 19): [("omega", 1341, 1331, 1351, 600)]}, payload="again")
    kept = seeded.con.execute("SELECT * FROM board_identities ORDER BY ALL").fetchall()
    assert kept == seeded.con.execute(from_standings).fetchall()
    assert ("text", "overall", False, "omega", "Org D") in [row[:5] for row in kept]
    reparse.reparse(seeded)
    assert seeded.con.execute("SELECT * FROM board_identities ORDER BY ALL").fetchall() == (
        seeded.con.execute(from_standings).fetchall()
    )


def test_an_organisation_merge_reaches_the_boards_of_its_models(seeded, tmp_path):
    identity.add_org_alias(seeded.con, "Org C", "org-b")  # delta (raw board only) joins Org B
    store.publish(seeded)
    assert seeded.last_published.mode == "incremental"
    assert "text/overall (raw)" in seeded.last_published.labels
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_methodology_change_reaches_the_stored_events(seeded, tmp_path):
    seeded.con.execute(
        "INSERT INTO methodology_events SELECT * REPLACE ('test-change' AS event_id, 'test change' AS title, DATE '2025-01-20' AS event_date) "
        "FROM methodology_events LIMIT 1"
    )
    store.publish(seeded)
    assert (seeded.last_published.mode, seeded.last_published.labels) == ("incremental", ())
    reader = connection.open_reader(seeded.settings)
    try:
        found = reader.execute("SELECT count(*) FROM events WHERE sentence LIKE 'test change%'").fetchall()
    finally:
        reader.close()
    assert found == [(1,)]
    assert_same_as_a_full_publish(seeded, tmp_path)


def test_a_reparse_gets_a_full_publish(seeded):
    reparse.reparse(seeded)
    store.publish(seeded)
    assert seeded.last_published.mode == "full"


@pytest.mark.parametrize(
    "tamper", ["DROP TABLE publish_state", "UPDATE publish_state SET fingerprint = 'old'"]
)
def test_a_copy_built_by_other_sql_is_rebuilt_in_full(seeded, tamper):
    con = duckdb.connect(str(seeded.settings.read_copy_path))
    con.execute(tamper)
    con.close()
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
    store.publish(seeded)
    assert seeded.last_published.mode == "full"


def break_crowns_statement(monkeypatch):
    """The next publish fails at its crowns statement (a table that does not exist); returns the real
    ``_select``, to put back."""
    real = read_copy._select

    def broken(name: str) -> str:
        return "SELECT * FROM no_such_table" if name == "publish/crowns.sql" else real(name)

    monkeypatch.setattr(read_copy, "_select", broken)
    return real


def test_a_failed_incremental_publish_leaves_the_old_copy(seeded, monkeypatch):
    before = contents(seeded.settings.read_copy_path)
    inode = os.stat(seeded.settings.read_copy_path).st_ino
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
    real = break_crowns_statement(monkeypatch)
    with pytest.raises(duckdb.CatalogException):
        store.publish(seeded)
    assert os.stat(seeded.settings.read_copy_path).st_ino == inode
    assert contents(seeded.settings.read_copy_path) == before
    assert list(seeded.settings.home.glob("*.tmp*")) == []
    monkeypatch.setattr(read_copy, "_select", real)
    store.publish(seeded)  # the writer's connection is usable again: the next publish takes the new date
    assert seeded.last_published.labels == ("text/overall (raw)",)


def test_every_publish_file_runs_in_a_full_or_an_incremental_publish(seeded):
    def publishes():
        seeded.settings.read_copy_path.unlink()
        store.publish(seeded)  # full
        identity.add_alias(seeded.con, "zeta", "eps")
        load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
        store.publish(seeded)  # incremental, a board whose identity changed: recomputed whole
        load(seeded, {date(2025, 2, 19): [("beta", 1326, 1321, 1331, 3800)]}, payload="later")
        seeded.con.execute("UPDATE methodology_events SET title = title || ' (revised)'")  # redone as well
        from_the_current_copy(seeded)
        store.publish(seeded)  # incremental, a new date after the others: its rows appended
        load(seeded, {date(2025, 2, 15): [("beta", 1324, 1319, 1329, 3750)]}, payload="between")
        from_the_current_copy(seeded)
        store.publish(seeded)  # incremental, a date before the newest: that date recomputed, the others kept

    ran = executed_files(seeded, publishes)
    missing = [p.name for p in sql_files("publish") if p.stem not in ran]
    assert missing == []


def test_a_publish_that_runs_out_under_the_memory_cap_is_redone_without_it(settings, monkeypatch):
    w = store.open_writer(settings, "pytest", memory_limit="64MB")
    try:
        sb.seed(w)
        capped = w.con.execute("SELECT current_setting('memory_limit')").fetchall()
        load(w, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
        real, calls = read_copy._update, []

        def runs_out_once(con, writer_db, **kwargs):
            calls.append(con.execute("SELECT current_setting('memory_limit')").fetchall())
            if len(calls) == 1:
                raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block (test)")
            return real(con, writer_db, **kwargs)

        monkeypatch.setattr(read_copy, "_update", runs_out_once)
        store.publish(w)
        assert w.last_published.mode == "incremental"
        assert w.last_published.labels == ("text/overall (raw)",)
        assert calls[0] == capped and calls[1] != capped  # the retry ran without the cap ...
        assert (
            w.con.execute("SELECT current_setting('memory_limit')").fetchall() == capped
        )  # ... and it is back
    finally:
        w.close()


def test_a_copy_grown_past_twice_its_compact_size_is_rebuilt_in_full(seeded):
    size = seeded.settings.read_copy_path.stat().st_size
    seeded.read_copy_baseline = size // 2 - 1  # as if it had grown to over twice what the last full one was
    load(seeded, {NEW_DAY: [("beta", 1325, 1320, 1330, 3700)]})
    store.publish(seeded)
    assert seeded.last_published.mode == "full"
    assert seeded.read_copy_baseline == seeded.settings.read_copy_path.stat().st_size
    store.publish(seeded)
    assert seeded.last_published.mode == "incremental"


def test_the_copy_s_ranked_and_rank_history_have_the_writer_s_columns_in_order(seeded):
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{seeded.settings.read_copy_path}' AS copy (READ_ONLY)")
        for view in ("ranked", "rank_history"):
            in_copy = con.execute(f'DESCRIBE copy."{view}"').fetchall()
            in_writer = seeded.con.execute(f'DESCRIBE "{view}"').fetchall()
            assert [c[:2] for c in in_copy] == [c[:2] for c in in_writer], view
    finally:
        con.close()
