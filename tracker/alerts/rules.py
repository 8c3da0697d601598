"""Evaluate the watchlists: which events of the ``events`` stream have persisted long enough to alert, and
record the new ones (alerts, their watches, one pending delivery per target, a local notification).

Where it sits: after an ingest that wrote new snapshots, before delivery (``deliver.py``). The rules are
set-based SQL over the views (``sql/alerts/confirmed.sql`` on ``events_for``, ``board_dates`` and
``ranked``); Python only turns the watches into a small rules table and binds parameters. An evaluation
looks at the whole history of the boards it reads, and the stored alerts make it idempotent: an event
already recorded is never recorded, matched or queued for a target again. Events confirmed longer ago than
``max_age`` (an archive imported today) are history, not news: they are left out.

Which boards: after an ingest, only those with snapshots newer than the last evaluation's
(``boards_to_evaluate``), as a board's events change only with its own snapshots and with how their
standings resolve to models and organisations. When the identity tables changed since (a poll that brought
a new model or spelling, an alias added), the boards the change resolves differently in snapshots already
evaluated are read too (``sql/publish/identity_boards.sql`` against the identity the last evaluation saw,
kept in the ``alert_seen_*`` tables); a model seen for the first time adds none. Every watched board is
read when anything else the events are computed from changed (the watches, ``max_age``, the methodology
events, source precedence, the views' SQL: ``inputs_hashes``), at the first evaluation, and when more than
``MAX_SCOPED_BOARDS`` boards are due. When an evaluation fails the next one covers its boards too: an
evaluation is recorded only after success.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from tracker import frames, store
from tracker.alerts.config import AlertsConfig, Watch
from tracker.sqlfiles import fingerprint, sql
from tracker.store import scopes, table_hashes

RULE_SCHEMA = {
    "watch": pl.Utf8,
    "kind": pl.Utf8,
    "leaderboard": pl.Utf8,
    "arena": pl.Utf8,
    "category": pl.Utf8,
    "style_control": pl.Boolean,
    "models": pl.List(pl.Utf8),
    "orgs": pl.List(pl.Utf8),
    "board_wide": pl.Boolean,
    "top_n": pl.Int32,
    "min_move": pl.Int32,
    "persist": pl.Int32,
    "significant": pl.Boolean,
}


@dataclass(frozen=True)
class Recorded:
    alerts: int  # new events
    matches: int  # new (event, watch) pairs
    deliveries: int  # new (event, target) deliveries queued
    notifications: int


def rules_frame(watches: tuple[Watch, ...] | list[Watch]) -> pl.DataFrame:
    """One row per watch, event kind and board filter: the ``alert_rules`` table the SQL joins."""
    rows = []
    for w in watches:
        for kind in w.events:
            for board in w.boards or (None,):
                rows.append(
                    {
                        "watch": w.name,
                        "kind": kind,
                        "leaderboard": board.leaderboard if board else None,
                        "arena": board.arena if board else None,
                        "category": board.category if board else None,
                        "style_control": board.style_control if board else None,
                        "models": list(w.models),
                        "orgs": list(w.organizations),
                        "board_wide": w.board_wide,
                        "top_n": w.top_n,
                        "min_move": w.min_move,
                        "persist": w.persist,
                        "significant": w.significant,
                    }
                )
    return pl.DataFrame(rows, schema=RULE_SCHEMA)


BOARD_FILTER = ("leaderboard", "arena", "category", "style_control")
# An evaluation after an ingest reads the boards with new snapshots one by one when there are at most this
# many; more (an import) are read in one run over every board, which costs about as much as this many
# one-board runs (1x history, a watch of one model on every board: docs/alerts.md)
MAX_SCOPED_BOARDS = 8


def find(con, config: AlertsConfig, boards: list[dict] | None = None) -> pl.DataFrame:
    """Every confirmed (event, watch) over the watched boards' whole history (with ``boards``, a list of
    board filters: only on those boards): new #1s from the crowns walk (``confirmed_crowns.sql``), the other
    kinds from the events stream (``confirmed.sql``, once per distinct top N among the watches: ``events_for``
    takes N as a parameter), each run once per board filter (``_by_board``). A watch listing overlapping
    boards, and a methodology change (on every board), can come out of more than one run: each (event,
    watch) is kept once, from its first."""
    rules = rules_frame(config.watches)
    runs = [
        ("alerts/confirmed_crowns.sql", scoped, board)
        for board, scoped in _by_board(rules.filter(pl.col("kind") == "new_leader"), boards)
    ]
    others = rules.filter(pl.col("kind") != "new_leader")
    for (top_n,), group in others.group_by("top_n", maintain_order=True):
        params = {"top_n": int(top_n), "min_move": int(group["min_move"].min())}
        runs += [
            ("alerts/confirmed.sql", scoped, {**board, **params})
            for board, scoped in _by_board(group, boards)
        ]
    found = [_run(con, path, scoped, params) for path, scoped, params in runs]
    if not found:
        return pl.DataFrame()
    return pl.concat(found, how="vertical_relaxed").unique(
        subset=["event_key", "watch"], keep="first", maintain_order=True
    )


def _by_board(rules: pl.DataFrame, boards: list[dict] | None = None) -> list[tuple[dict, pl.DataFrame]]:
    """The rules split by board filter, each part with its filter as the statement's parameters: it reaches
    the scans as constants, below the windows, so a watch of ``text/overall`` reads those boards' history
    rather than every board's (1x history: 2.7 -> 0.3 s for one board's new #1s). All of them in one part
    without a filter when any of them watches every board: that part reads every board anyway. With
    ``boards``, one part per board of them that some rule watches (a rule's null fields match any board),
    with that board as its filter."""
    if rules.is_empty():
        return []
    if boards is not None:
        parts = []
        for board in boards:
            watching = pl.all_horizontal(pl.col(f).is_null() | (pl.col(f) == board[f]) for f in BOARD_FILTER)
            scoped = rules.filter(watching)
            if scoped.height:
                parts.append((dict(board), scoped))
        return parts
    if rules.filter(pl.all_horizontal(pl.col(BOARD_FILTER).is_null())).height:
        return [(dict.fromkeys(BOARD_FILTER), rules)]
    return [
        (dict(zip(BOARD_FILTER, values, strict=True)), scoped)
        for values, scoped in rules.group_by(BOARD_FILTER, maintain_order=True)
    ]


def _run(con, path: str, rules: pl.DataFrame, params: dict) -> pl.DataFrame:
    with frames.registered(con, alert_rules=rules):
        return frames.to_polars(con.sql(sql(path), params=params))


def fresh(found: pl.DataFrame, config: AlertsConfig, now: datetime) -> pl.DataFrame:
    """Only events confirmed within ``max_age`` of ``now`` (all of them when max_age is 0)."""
    if found.is_empty() or not config.max_age:
        return found
    cutoff = (now - timedelta(seconds=config.max_age)).date()
    return found.filter(pl.col("confirmed_as_of") >= cutoff)


def record(w: store.Writer, found: pl.DataFrame, config: AlertsConfig, now: datetime) -> Recorded:
    """Store what is new in ``found`` in one transaction: alerts, matches, deliveries, notifications."""
    if found.is_empty():
        return Recorded(0, 0, 0, 0)
    con = w.con
    routes = pl.DataFrame(config.routes(), schema={"watch": pl.Utf8, "target": pl.Utf8}, orient="row")
    with frames.registered(con, alert_found=found, alert_routes=routes) as views:
        con.execute("BEGIN TRANSACTION")
        try:
            params = {"now": now}
            new_keys = con.execute(sql("alerts/insert_alerts.sql"), params).fetchall()
            new_matches = pl.DataFrame(
                con.execute(sql("alerts/insert_matches.sql"), params).fetchall(),
                schema={"event_key": pl.Utf8, "watch": pl.Utf8},
                orient="row",
            )
            views.add("alert_new_matches", new_matches)
            deliveries = con.execute(sql("alerts/insert_deliveries.sql"), params).fetchall()
            notifications = con.execute(sql("alerts/insert_notifications.sql"), params).fetchall()
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    recorded = Recorded(len(new_keys), new_matches.height, len(deliveries), len(notifications))
    if recorded.matches:
        w.dirty = True
    return recorded


# the tables besides the identity tables that decide which events the boards' snapshots make
_DECIDING_TABLES = frozenset({"methodology_events", "source_precedence"})
# the prefix of the tables holding the identity the last evaluation saw (``publish/identity_boards.sql``'s
# $before; migrations/0190_alert_seen_identity.sql)
SEEN_IDENTITY = "alert_seen_"


@dataclass(frozen=True)
class Inputs:
    """What decides which events an evaluation confirms besides the boards' snapshots, as two hashes."""

    other: str  # the watches, max_age, the methodology events, source precedence, the views' SQL
    identity: str  # the identity tables


def inputs_hashes(config: AlertsConfig, hashes: dict[str, str]) -> Inputs:
    """``Inputs`` from the watches and the tables' content hashes (``hashes``, as ``current_hashes`` returns
    them)."""
    tables = sorted((name, hashes[name]) for name in _DECIDING_TABLES)
    other = (config.watches, config.max_age, tables, fingerprint(("macros", "views", "alerts")))
    identity = sorted((name, hashes[name]) for name in table_hashes.IDENTITY_TABLES)
    return Inputs(_sha256(other), _sha256(identity))


def _sha256(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def current_hashes(w: store.Writer) -> dict[str, str]:
    """The content hashes ``inputs_hashes`` reads, identity refreshed first (``table_hashes.refresh_identity``),
    in one statement with the ones the refresh needs."""
    tables = table_hashes.IDENTITY_TABLES | table_hashes.IDENTITY_INPUTS | _DECIDING_TABLES
    return table_hashes.refresh_identity(w, table_hashes.content_hashes(w.con, tables))


def last_evaluation(con) -> tuple | None:
    """The last evaluation's (newest snapshot, other inputs' hash, identity hash); None before the first."""
    return frames.first(con.execute(sql("alerts/last_evaluation.sql")))


def boards_to_evaluate(con, inputs: Inputs, last: tuple | None) -> list[dict] | None:
    """The boards with snapshots newer than the ``last`` evaluation's (``last_evaluation``), and when the
    identity changed since, the boards it resolves differently in the snapshots that evaluation saw, as board
    filters for ``find``; None (every board) when there was none, it had other inputs or more than
    MAX_SCOPED_BOARDS boards are due."""
    if last is None or last[1] != inputs.other:
        return None
    snapshot_id, _, identity = last
    boards = set(con.execute(sql("alerts/boards_since.sql"), {"snapshot_id": snapshot_id}).fetchall())
    if identity != inputs.identity:
        found = con.execute(
            sql("publish/identity_boards.sql"), {"before": SEEN_IDENTITY, "max_snapshot_id": snapshot_id}
        ).fetchall()
        # a board the change reaches only in its new snapshots (a model seen for the first time) is due anyway
        boards |= {tuple(row[:4]) for row in found if row[4]}
    if len(boards) > MAX_SCOPED_BOARDS:
        return None
    return [dict(zip(BOARD_FILTER, board, strict=True)) for board in sorted(boards)]


def evaluate(w: store.Writer, config: AlertsConfig, now: datetime, *, since_last: bool = False) -> Recorded:
    """Find the confirmed events of every watch and record the new ones: on every watched board, or with
    ``since_last`` (after an ingest) on those with snapshots since the last evaluation or an identity change
    reaching them (``boards_to_evaluate``). The evaluation is recorded once what it found is stored, so a
    failed one is covered by the next."""
    if not config.watches:
        return Recorded(0, 0, 0, 0)
    con = w.con
    # the new keys of the ingest resolved before its events are read (the publish after it then has nothing
    # to refresh)
    inputs = inputs_hashes(config, current_hashes(w))
    last = last_evaluation(con)
    boards = boards_to_evaluate(con, inputs, last) if since_last else None
    recorded = record(w, fresh(find(con, config, boards), config, now), config, now)
    with scopes.transaction(con):
        if last is None or last[2] != inputs.identity:
            con.execute(sql("alerts/set_seen_identity.sql"))
        con.execute(
            sql("alerts/set_evaluation.sql"),
            {"inputs_hash": inputs.other, "identity_hash": inputs.identity, "now": now},
        )
    return recorded
