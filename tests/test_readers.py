"""The shared read connections (tracker.readers) on a real read copy that a real writer replaces: one instance
per published copy, the new copy read after a publish, the old one closed once its last query is done, and
many threads at once without an error."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.pages import entry, leaderboard, page
from tracker import store
from tracker.errors import StoreError
from tracker.ingest import pipeline
from tracker.read import query, readers


def board_page(day: int, models: int = 5) -> bytes:
    rows = [entry(f"model-{j}", 1400 - 3 * j, 1395 - 3 * j, 1405 - 3 * j) for j in range(models)]
    return page(leaderboard(rows, cutoff=f"2026-03-{day:02d}T14:00:00.000Z"))


def publish_day(w: store.Writer, day: int) -> None:
    result = pipeline.ingest(w, pipeline.Payload(board_page(day), f"day-{day}.html", datetime.now(UTC)))
    assert result.outcome == "new", result
    store.publish(w)


def dates(settings) -> int:
    return query.run_sql(settings, "select count(distinct as_of) from rank_history").item()


def deleted_files_held() -> list[str]:
    """Files this process still has open although they were replaced (what a stale reader would hold)."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.endswith("(deleted)") and "read.duckdb" in target:
            held.append(target)
    return held


def test_queries_share_one_connection_per_published_copy(writer, settings):
    publish_day(writer, 1)
    assert dates(settings) == dates(settings) == 1
    held = readers.held()
    assert held == [(str(Path(settings.read_copy_path).absolute()), held[0][1])]


def test_a_publish_is_read_at_once_and_the_old_copy_is_let_go(writer, settings):
    publish_day(writer, 1)
    assert dates(settings) == 1
    before = readers.held()
    publish_day(writer, 2)
    assert dates(settings) == 2
    assert readers.held() != before and len(readers.held()) == 1
    assert deleted_files_held() == []


def test_a_query_running_across_a_publish_finishes_on_its_copy(writer, settings):
    publish_day(writer, 1)
    with readers.cursor(settings) as cur:
        publish_day(writer, 2)
        assert dates(settings) == 2  # a new caller reads the new copy ...
        # ... while the cursor taken before the publish still reads the copy it started on
        assert cur.execute("select count(distinct as_of) from rank_history").fetchall()[0][0] == 1
        assert len(deleted_files_held()) >= 1
    assert deleted_files_held() == []  # the old copy is closed once its last cursor is back


@pytest.mark.slow
def test_threads_read_while_the_writer_publishes_without_errors(writer, settings):
    publish_day(writer, 1)
    errors: list[str] = []
    seen: dict[int, list[int]] = {}
    stop = threading.Event()

    def read(n: int) -> None:
        counts = seen.setdefault(n, [])
        try:
            while not stop.is_set() or len(counts) < 10:
                counts.append(dates(settings))
            counts.append(dates(settings))  # begun after the last publish: must see it
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            errors.append(repr(exc))

    threads = [threading.Thread(target=read, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for day in range(2, 8):
        publish_day(writer, day)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    for counts in seen.values():  # each thread saw the copies in publish order, never an older one again
        assert counts == sorted(counts) and counts[-1] == 7
    assert len(readers.held()) == 1 and deleted_files_held() == []


def test_a_lake_cursor_reads_the_lake(writer, settings, tmp_path):
    from tracker.read import export

    publish_day(writer, 1)
    export.export(settings, tmp_path / "lake")
    on_lake = settings.replace(lake=tmp_path / "lake")
    assert dates(on_lake) == dates(on_lake) == 1
    assert [key for key, _ in readers.held()][0] == str((tmp_path / "lake").resolve())


def test_a_cursor_given_back_serves_the_next_query_and_one_that_failed_is_closed(writer, settings):
    publish_day(writer, 1)
    with readers.cursor(settings) as first:
        pass
    with readers.cursor(settings) as again:
        assert again is first  # kept, with its USE of the copy's catalogue still in force
        assert again.execute("select count(distinct as_of) from rank_history").fetchall() == [(1,)]
    with readers.cursor(settings) as outer, readers.cursor(settings) as inner:
        assert outer is not inner  # two at once in one thread: each its own
    try:
        with readers.cursor(settings) as failing:
            failing.execute("select * from no_such_table")
    except Exception:  # noqa: BLE001 - the failure is the point
        pass
    with readers.cursor(settings) as after:
        assert after is not failing
        assert after.execute("select count(*) from rank_history").fetchall()[0][0] > 0
    publish_day(writer, 2)
    with readers.cursor(settings) as on_new_copy:
        assert on_new_copy is not after  # the old copy's cursors went with it
        assert on_new_copy.execute("select count(distinct as_of) from rank_history").fetchall() == [(2,)]
    assert deleted_files_held() == []


def test_an_open_that_meets_a_half_swapped_copy_is_tried_again(writer, settings, monkeypatch):
    # DuckDB reads a file's headers and its blocks through separate opens of its name, so a publish swapping the
    # read copy in between makes an open fail (tracker.read.connection.OPEN_ATTEMPTS). Here the first try finds
    # the file cut short, as such an open reads it, and the copy is whole again before the second.
    from tracker.read import connection

    publish_day(writer, 1)
    whole = settings.read_copy_path.read_bytes()
    settings.read_copy_path.write_bytes(whole[: len(whole) // 8])
    monkeypatch.setattr(connection, "_OPEN_PAUSE", 0.5)
    mend = threading.Timer(0.1, settings.read_copy_path.write_bytes, args=(whole,))
    mend.start()
    try:
        con = connection.open_reader(settings)
    finally:
        mend.join()
    try:
        assert con.execute("select count(*) from snapshots").fetchone() == (1,)
    finally:
        con.close()
    # a copy that stays broken is refused after every try, saying so
    settings.read_copy_path.write_bytes(whole[: len(whole) // 8])
    monkeypatch.setattr(connection, "_OPEN_PAUSE", 0.0)
    with pytest.raises(StoreError, match=rf"\({connection.OPEN_ATTEMPTS} tries\)"):
        connection.open_reader(settings)
