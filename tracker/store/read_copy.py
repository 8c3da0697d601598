"""The read copy (``tracker.read.duckdb``): what every reader opens, written by the writer after each change.

Where it sits: last in the store, before the readers (``tracker.read.readers``). ``publish_if_due`` is the
one place that decides whether to publish: after a poll run that brought new data at once, after one that
wrote nothing only once the copy is older than ``publish_min_interval`` (a poller's catch-up publishes what is
left once it is), and whatever is unpublished when a writer closes.

Between two publishes it keeps what ``tracker status`` reads current with a status publish, and every
publish writes the status files too, so they are never behind the copy (``tracker.store.status_files``).
The copy is built in a temporary file and swapped in with ``os.replace``, so a reader never meets a lock or
half a snapshot. It differs from the writer's database where reads are hot (``sql/publish/``):

- ``board_dates`` and ``ranked`` are tables computed from the writer's views; ``ranked`` is rank_history
  with its comparable ranks, board context and each model's previous appearance (the writer's ``ranked``
  view, stored), and the copy's ``rank_history`` is a plain view over it. It reads ``rank_history_rows``
  (rank_history before its dedupe) directly for every model no two source keys resolve to, so
  rank_history's dedupe window runs only for the merged models' rows; it is sorted by board, model and date,
  which its zone maps need;
- ``crowns``, ``org_race``, ``events`` and ``model_spans`` are tables computed from the copy's own
  ``ranked`` with the board-scoped macros ``crowns_for``, ``org_race_for``,
  ``events_for`` and ``model_spans_for``;
- raw payload bodies are not in it (they are files under ``payloads/``, ``tracker.store.payload_files``).

Two ways to publish, with the same result (tests compare them row for row):

- **full**: copy the writer's database file (after a checkpoint, so it holds everything; only this writer
  writes to it) and attach the copy, empty any body left in raw_payloads, drop the views it holds as tables
  and the writer-only ``rank_history_rows``, then compute every derived table. The schema and every table's rows then cost a file copy, not a
  ``COPY FROM DATABASE`` and an insert of every row (the standings' insert alone was 0.84 s of 8.6 s at 1x);
- **incremental**, when the current copy allows it (``publish_state``: built by the same SQL, nothing it
  holds since removed): take the previous read copy (``previous_copy``: the one the last publish replaced,
  when no reader holds it) or else a copy of the current one's file, append the standings, snapshots and
  fetches written since it was published, replace the small tables whose rows changed since (``publish_state`` records a hash of each small
  table's rows as copied: a page's publish copies two or three of some twenty), and recompute the derived
  tables only for the boards that changed: boards with new snapshots, and boards whose rows the identity
  tables now resolve differently. For a
  board whose new dates all come after its others (a poll's next snapshot) the ``ranked`` rows it holds
  stay, updated only in their board context, and the new dates' rows are appended (their ``org_race``
  rows too, and the ``events`` dated after the board's newest complete date before them); for a date before
  the board's newest (a late or re-sent page) that date's rows are replaced and the later rows' previous
  appearances set again. A publish then costs what changed (plus one file copy when a reader still holds
  the previous copy), not the whole history.

A copy left by an older tracker (other SQL), a reparse, or a missing file gets a full publish.

Either way a publish first refreshes the identity tables (``table_hashes.refresh_identity``: skipped when nothing the
refresh reads or writes changed since this writer's last one), writes the copy without DuckDB's syncs and
syncs its file once, after the DETACH, before it is swapped in (``scopes.unsynced``). A small publish is mostly
fixed costs (the statements' planning, commits and syncs), so the bookkeeping statements share one
transaction each.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from tracker.boards import board_label
from tracker.sqlfiles import fingerprint as sql_fingerprint
from tracker.sqlfiles import sql
from tracker.store import memory, previous_copy, scopes, table_hashes
from tracker.store.status_files import publish_status

# Rows per row group in the read copy (DuckDB's default is 122,880). Zone maps skip whole row groups, so
# smaller ones let a board's or a model's rows be read without their neighbours': one model's history on
# one board scanned 369k rows for 272 at the default and ~50k at this size, at no cost to full scans.
ROW_GROUP_SIZE = 16_384

# The read copy's derived tables, in dependency order: sql/publish/<name>.sql selects a table's rows for one
# board (null arguments: all), delete_<name>.sql removes them before an incremental publish recomputes
# them. One board per statement, as constants: zone maps and the views' partitions then narrow every scan
# to the board (a list of boards in one statement costs far more than a board given as constants).
DERIVED = ("board_dates", "ranked", "crowns", "org_race", "events", "model_spans")
# table -> (the SELECT of its rows, the DELETE of a board's rows), by full path so a grep finds this user
DERIVED_SQL = {
    "board_dates": ("publish/board_dates.sql", "publish/delete_board_dates.sql"),
    "ranked": ("publish/ranked.sql", "publish/delete_ranked.sql"),
    "crowns": ("publish/crowns.sql", "publish/delete_crowns.sql"),
    "org_race": ("publish/org_race.sql", "publish/delete_org_race.sql"),
    "events": ("publish/events.sql", "publish/delete_events.sql"),
    "model_spans": ("publish/model_spans.sql", "publish/delete_model_spans.sql"),
}
# ... of which a date's rows depend on that date's rows alone, but for the board's next complete date: a
# board's appended dates (a poll's next snapshot) add their rows and the board's others stay, rather than the
# board being recomputed, their next date set again by the statement named here
DATE_LOCAL = {"org_race": "publish/update_org_race_next.sql"}
# ... of which a board's appended dates add only the rows dated after its newest complete date before them
# (the statement named here says which; events.sql takes its answer), the rows before it staying but for
# what the statement's second file deletes: a board's events then cost its new dates, not its history
SINCE_APPENDED = {"events": ("publish/events_since.sql", "publish/delete_relisted_exits.sql")}
# ... of which these are computed from the copy's own objects (its macros read its ranked), so they run with
# the copy as the default catalogue; the others read the writer's views.
FROM_COPY = ("crowns", "org_race", "events", "model_spans")
# The copy's view over its ranked table (the writer's rank_history, replaced by it).
RANK_HISTORY_VIEW = "publish/rank_history_view.sql"
# The writer's views the copy holds as tables or, rank_history, as a view over one (each dropped from the
# copied schema, then built by the copy's own SQL).
REPLACED_VIEWS = ("board_dates", "ranked", "rank_history", *FROM_COPY)
# The writer's views only ranked.sql reads (dropped from the copied schema).
WRITER_ONLY_VIEWS = ("rank_history_rows",)
# Tables that only grow (by this id): an incremental publish appends their new rows; every other table is
# small and copied whole.
APPEND_ONLY = {
    "standings": "snapshot_id",
    "snapshots": "snapshot_id",
    "board_identities": "first_snapshot_id",
    "fetches": "fetch_id",
}
BODY_TABLE = "raw_payloads"  # copied without its bodies
# an incremental publish redoes the event stream's methodology rows only when this table's rows changed
METHODOLOGY_TABLE = "methodology_events"
# An incremental publish deletes and re-inserts the changed boards' rows, and DuckDB reuses only part of the
# space the deleted rows held (the 1x copy grew 25% over 36 page publishes). Once the copy is this many times
# its size after the last full publish (as this writer saw it), a full publish compacts it again.
REBUILD_GROWTH = 2.0
# SQL whose change changes what the copy holds: a copy built by other SQL is rebuilt in full.
_FINGERPRINTED = ("migrations", "macros", "views", "publish")


Board = tuple[str, str, str, bool]  # (leaderboard, arena, category, style_control)


@dataclass(frozen=True)
class Published:
    mode: Literal["full", "incremental"]
    seconds: float
    boards: tuple[Board, ...] | None  # boards recomputed (None: every board)
    # an incremental publish that updated the previous read copy (``previous_copy``), not a copy of the current
    from_previous: bool = False

    @property
    def labels(self) -> tuple[str, ...] | None:
        """The recomputed boards as 'text/overall (raw)' labels (as sql/macros/board_label.sql)."""
        if self.boards is None:
            return None
        return tuple(board_label(*board) for board in self.boards)


def publish_if_due(
    w, *, new_data: bool = False, closing: bool = False, fetched: bool = False, catch_up: bool = False
) -> bool:
    """The one decision to publish, for every writer. Returns whether it published the read copy.

    - After a poll job run (the default): at once when it brought ``new_data``, when this writer has not
      published yet, or when the copy is older than ``publish_min_interval``; otherwise a status publish.
    - After one fetch of a run (``fetched``): a status publish, so its outcome reaches ``tracker status`` at
      once (the run's end publishes the data).
    - ``catch_up`` (the poller, every few seconds between runs): what a run left unpublished, once the copy is
      older than ``publish_min_interval``.
    - A writer ``closing`` publishes whatever it left unpublished, and a first read copy (``tracker init`` of
      an empty database).

    With no read copy yet, any of them publishes one."""
    first = not w.settings.read_copy_path.exists()
    if closing:
        due = w.dirty or first
    elif catch_up:
        due = catch_up_due(w)
    else:
        w.dirty = True
        due = first or (not fetched and (new_data or _stale(w)))
    if due:
        publish(w)
    elif w.dirty and not (closing or catch_up):
        publish_status(w)
    return due


def _stale(w) -> bool:
    """The read copy is older than ``publish_min_interval`` (as this writer last published it)."""
    return time.monotonic() - w.last_publish >= w.settings.publish_min_interval


def catch_up_due(w) -> bool:
    """Whether a poller's catch-up would publish now: rows written since the last publish (shown so far by the
    status files alone) and the copy older than ``publish_min_interval``. Reads only the writer's state."""
    return w.dirty and _stale(w)


def publish(w) -> float:
    """Write the read copy next to the writer's database and swap it in (in full, or only the boards that
    changed). ``w`` is a ``tracker.store.writer.Writer``. Returns seconds taken; ``w.last_published`` says
    how it went."""
    if w.on_publish is not None:
        w.on_publish()
    done = _publish(w, row_group_size=ROW_GROUP_SIZE)
    w.state.last_publish = time.monotonic()
    w.state.last_published = done
    w.state.dirty = False
    publish_status(w)  # never behind the copy just published
    return done.seconds


def _publish(w, *, row_group_size: int) -> Published:
    started = time.perf_counter()
    memory.release_memory(w)  # what storing the page left behind
    # aliases learned from what was just loaded reach the read copy with it
    small = [t for t in _tables(w.con) if t not in APPEND_ONLY]
    # the small tables as this publish copies them (raw_payloads without its bodies)
    hashes = table_hashes.refresh_identity(
        w, table_hashes.content_hashes(w.con, small, without={BODY_TABLE: "body"})
    )
    target: Path = w.settings.read_copy_path
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    # Only the lock-holding writer publishes, so any other temporary copy was left by a writer killed
    # mid-publish: remove it, or every crash would leave a copy of the database on disk.
    for stale in target.parent.glob(target.name + ".tmp*"):
        stale.unlink(missing_ok=True)
    con = w.con
    writer_db = con.execute("SELECT current_database()").fetchall()[0][0]
    # the copy is a copy of a file (the writer's, or the current read copy): it keeps that file's storage
    # version, the one the writer's database was created with (migrations.STORAGE_VERSION)
    attach = f"ATTACH '{_quote(tmp)}' AS publish_copy (ROW_GROUP_SIZE {row_group_size})"
    boards: tuple[Board, ...] | None = None
    mode = "full"
    from_previous = False
    size = target.stat().st_size if target.exists() else None
    baseline = w.read_copy_baseline or size
    if size is not None and size <= REBUILD_GROWTH * baseline:
        boards, from_previous = _incremental(
            w, writer_db, target, tmp, attach, hashes, REBUILD_GROWTH * baseline
        )
        mode = "full" if boards is None else "incremental"
    if mode == "full":
        # the writer's file holds everything once checkpointed, and only this writer writes to it
        con.execute("CHECKPOINT")
        try:
            shutil.copyfile(w.settings.database_path, tmp)
        except BaseException:
            tmp.unlink(missing_ok=True)  # a part-written copy (a full disk)
            raise
        con.execute(attach)
        try:
            with memory.uncapped(w), scopes.unsynced(con):
                _build(con, writer_db)
        except BaseException:
            con.execute("DETACH publish_copy")
            tmp.unlink(missing_ok=True)
            raise
    with scopes.unsynced(con):
        try:
            _record_state(con, Published(mode, 0.0, boards), hashes)
        finally:
            con.execute("DETACH publish_copy")  # its checkpoint writes what the copy's log holds
    with open(tmp, "rb") as copy:
        os.fsync(copy.fileno())  # on disk before it is swapped in: one sync of the whole file
    previous_copy.keep(target)  # the next incremental publish updates it rather than copy the new one
    os.replace(tmp, target)
    memory.release_memory(w)  # a poller waits for its next poll holding only what it needs
    w.read_copy_baseline = target.stat().st_size if mode == "full" else baseline
    return Published(mode, time.perf_counter() - started, boards, from_previous)


def _incremental(
    w, writer_db: str, target: Path, tmp: Path, attach: str, hashes: dict[str, str], max_bytes: float
) -> tuple[tuple[Board, ...] | None, bool]:
    """Try an incremental publish into the previous read copy (``previous_copy``) or a copy of ``target``:
    the boards recomputed (None, and no copy left, when it cannot be one) and whether it updated the previous
    copy (never one over ``max_bytes``). Under a memory cap, a board too big for it is retried once with the
    cap lifted, rather than failing."""
    con = w.con
    for capped in (True, False) if w.memory_limit else (False,):
        from_previous = previous_copy.attach_copy(con, target, tmp, attach, max_bytes=max_bytes)
        try:
            with contextlib.nullcontext() if capped else memory.uncapped(w):
                release = functools.partial(memory.release_memory, w) if capped else _keep_memory
                with scopes.unsynced(con):
                    boards = _update(con, writer_db, hashes=hashes, release=release)
        except duckdb.OutOfMemoryException:
            con.execute("DETACH publish_copy")
            tmp.unlink(missing_ok=True)
            if not capped:
                raise
            continue
        except BaseException:
            con.execute("DETACH publish_copy")
            tmp.unlink(missing_ok=True)
            raise
        if boards is None:  # the copy cannot take the changes: start again from nothing
            con.execute("DETACH publish_copy")
            tmp.unlink()
            if from_previous:  # it is older than what changed (a reparse): the current copy may take them
                return _incremental(w, writer_db, target, tmp, attach, hashes, max_bytes=0)
        return boards, from_previous
    raise AssertionError("unreachable")


def _keep_memory() -> None:
    """Uncapped (a retry after running out under the cap): nothing to give back early."""


def fingerprint() -> str:
    """A hash of the SQL that decides what the read copy holds (migrations, macros, views, publish files)."""
    return sql_fingerprint(_FINGERPRINTED)


def _build(con: duckdb.DuckDBPyConnection, writer_db: str) -> None:
    """A full publish into the attached ``publish_copy``, a copy of the writer's database file (its schema and
    every table's rows, at the cost of a file copy): the bodies left in raw_payloads emptied, the views the
    copy holds as tables replaced by them."""
    with scopes.transaction(con):
        con.execute(sql("publish/empty_bodies.sql"))
        for name in REPLACED_VIEWS:
            con.execute(f'DROP VIEW publish_copy."{name}"')  # replaced below by the copy's own
        for name in WRITER_ONLY_VIEWS:
            con.execute(f'DROP VIEW publish_copy."{name}"')
    every_board = dict.fromkeys(("leaderboard", "arena", "category", "style_control"))
    ranked = {**every_board, "dates": None, "new_only": False, "merged": _merged(con)}
    con.execute(f"CREATE OR REPLACE TEMP TABLE kept_history AS {_select('publish/no_kept_history.sql')}")
    for name in DERIVED:
        params = ranked if name == "ranked" else every_board
        if name in DATE_LOCAL:
            params = {**every_board, "dates": None}  # every date
        elif name in SINCE_APPENDED:
            params = {**every_board, "after": None, "from_date": None}  # every event
        with scopes.default_catalog(con, "publish_copy" if name in FROM_COPY else writer_db, writer_db):
            con.execute(f'CREATE TABLE publish_copy."{name}" AS {_select(DERIVED_SQL[name][0])}', params)
        if name == "ranked":
            con.execute(sql(RANK_HISTORY_VIEW))
    con.execute("DROP TABLE kept_history")


def _update(
    con: duckdb.DuckDBPyConnection, writer_db: str, hashes: dict[str, str], release: Callable[[], None]
) -> tuple[Board, ...] | None:
    """An incremental publish into ``publish_copy`` (a copy of the current read copy): the boards recomputed,
    or None when the copy cannot take the writer's changes (then nothing was changed). ``hashes`` are the
    writer's small tables' content hashes (``table_hashes.content_hashes``): a table whose hash is the one the copy
    recorded holds the rows the copy holds, and is not copied again. ``release`` runs before each board's
    statements (``memory.release_memory`` under the poller's cap), so that each starts from what the process
    needs, not from the previous one's peak."""
    try:
        compatible, max_snapshot_id, max_fetch_id = con.execute(
            sql("publish/copy_state.sql"), {"fingerprint": fingerprint()}
        ).fetchall()[0]
    except duckdb.CatalogException:  # a copy from before publish_state existed
        return None
    if not compatible:
        return None
    copied = _first(con, "publish/copied_hashes.sql", {})
    changed_tables = sorted(name for name, value in hashes.items() if copied.get(name) != value)
    new = set(con.execute(sql("publish/new_boards.sql"), {"max_snapshot_id": max_snapshot_id}).fetchall())
    renamed: set[Board] = set()
    if table_hashes.IDENTITY_TABLES.intersection(changed_tables) and _first(
        con, "publish/identity_changed.sql", {}
    ):
        # before the copy's identity tables are replaced below: the diff is between them and the writer's
        release()
        found = con.execute(
            sql("publish/identity_boards.sql"),
            {"before": "publish_copy.", "max_snapshot_id": max_snapshot_id},
        ).fetchall()
        # a board the change reaches only in new snapshots (a model seen for the first time) keeps its rows
        renamed = {tuple(row[:4]) for row in found if row[4]}
    since = {"snapshot_id": max_snapshot_id, "first_snapshot_id": max_snapshot_id, "fetch_id": max_fetch_id}
    with scopes.transaction(con):  # small statements: one commit, not one each
        for table, column in APPEND_ONLY.items():
            con.execute(
                f'INSERT INTO publish_copy."{table}" SELECT * FROM "{table}" WHERE "{column}" > $since',
                {"since": since[column]},
            )
        for table in changed_tables:
            con.execute(f'DELETE FROM publish_copy."{table}"')
            con.execute(_copy_rows(table))
    changed = tuple(sorted(new | renamed))
    merged = _merged(con)
    for key in changed:
        board = dict(zip(("leaderboard", "arena", "category", "style_control"), key, strict=True))
        dates = None  # every date of a board whose rows resolve differently now
        if key not in renamed:
            # only the dates new snapshots reached; the rest of the board is kept as the copy holds it
            found = con.execute(
                sql("publish/touched_dates.sql"), {**board, "since": max_snapshot_id}
            ).fetchall()
            dates = [row[0] for row in found]
        # the rows the copy holds for the board's other dates stay, updated where the new dates change their
        # board context or previous appearance, and only the new dates' rows are computed: a publish then
        # costs the page, not the board (rewriting a large board costs far more memory and time).
        # New dates after all the board's others (a poll's next snapshot) take their rows' previous
        # appearances from each model's newest kept row; a date before the newest (a late or re-sent page)
        # has them set afterwards by one window over three columns of the board (update_ranked_prev).
        appends = dates is not None and _first(con, "publish/appends_only.sql", {**board, "dates": dates})
        kept = "publish/kept_last_rows.sql" if appends else "publish/no_kept_history.sql"
        release()
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE kept_history AS {_select(kept)}", board if appends else None
        )
        for name in DERIVED:
            release()
            if name == "ranked" and dates is not None:
                if not appends:
                    con.execute(sql("publish/delete_ranked_dates.sql"), {**board, "dates": dates})
                con.execute(sql("publish/update_ranked_context.sql"), board)
                params = {**board, "dates": dates, "new_only": True, "merged": merged}
            elif name in DATE_LOCAL:
                if appends:  # the kept newest date's rows take the first new complete date as their next
                    con.execute(sql(DATE_LOCAL[name]), board)
                else:
                    con.execute(sql(DERIVED_SQL[name][1]), board)
                params = {**board, "dates": dates if appends else None}
            elif name in SINCE_APPENDED:
                since_sql, delete_stale = SINCE_APPENDED[name]
                after = from_date = None
                if appends:
                    after, from_date, listed_after = con.execute(
                        sql(since_sql), {**board, "dates": dates}
                    ).fetchall()[0]
                if after is None:  # not appends, or no complete date before the new ones: the board whole
                    con.execute(sql(DERIVED_SQL[name][1]), board)
                else:
                    con.execute(sql(delete_stale), {**board, "models": listed_after})
                params = {**board, "after": after, "from_date": from_date}
            else:
                con.execute(sql(DERIVED_SQL[name][1]), board)
                params = (
                    {**board, "dates": dates, "new_only": False, "merged": merged}
                    if name == "ranked"
                    else board
                )
            with scopes.default_catalog(con, "publish_copy" if name in FROM_COPY else writer_db, writer_db):
                con.execute(f'INSERT INTO publish_copy."{name}" {_select(DERIVED_SQL[name][0])}', params)
            if name == "ranked" and dates is not None and not appends:
                con.execute(sql("publish/update_ranked_prev.sql"), board)
        con.execute("DROP TABLE kept_history")
    if METHODOLOGY_TABLE in changed_tables:
        # the event stream's methodology rows belong to no board: they follow methodology_events, copied above
        with scopes.default_catalog(con, "publish_copy", writer_db), scopes.transaction(con):
            con.execute(sql("publish/delete_methodology_events.sql"))
            con.execute(f"INSERT INTO publish_copy.events {_select('publish/methodology_events.sql')}")
    return changed


def _record_state(con: duckdb.DuckDBPyConnection, done: Published, hashes: dict[str, str]) -> None:
    params = {
        "mode": done.mode,
        "fingerprint": fingerprint(),
        "boards": _list(done.labels),
        "hashed_tables": list(hashes),
        "hashes": list(hashes.values()),
    }
    with scopes.transaction(con):
        con.execute("DROP TABLE IF EXISTS publish_copy.publish_state")
        con.execute(
            f"CREATE TABLE publish_copy.publish_state AS {_select('publish/publish_state.sql')}", params
        )


def _list(labels: tuple[str, ...] | None) -> list[str] | None:
    return list(labels) if labels is not None else None


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(sql("read/publish_tables.sql")).fetchall()]


def _copy_rows(table: str) -> str:
    if table == BODY_TABLE:
        return f"INSERT INTO publish_copy.{table} SELECT * REPLACE (''::BLOB AS body) FROM {table}"
    return f'INSERT INTO publish_copy."{table}" SELECT * FROM "{table}"'


def _merged(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The models two source keys can resolve to (ranked.sql's ``$merged``), from the writer's aliases."""
    return [row[0] for row in con.execute(sql("publish/merged_models.sql")).fetchall()]


def _first(con: duckdb.DuckDBPyConnection, path: str, params: dict):
    return con.execute(sql(path), params).fetchall()[0][0]


def _select(path: str) -> str:
    return sql(path).strip().rstrip(";")


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
