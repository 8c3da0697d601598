"""Alerts: watchlists from tracker.toml, the statistics-aware rules (persistence, CI overlap, hysteresis), and
delivery to a real webhook receiver on 127.0.0.1 (at least once, never twice, failing targets isolated).

Boards are hand-built snapshot sequences loaded through the real pipeline; the receiver below answers POSTs
(conftest's http_server only answers GETs) and can be told to fail.
"""

from __future__ import annotations

import base64
import io
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import httpx
import polars as pl
import pytest
from typer.testing import CliRunner

from tests.cli import run_tracker
from tests.conftest import Route
from tests.pages import entry, leaderboard, page
from tracker import alerts, logs, store
from tracker.alerts import rules
from tracker.alerts.config import parse_alerts
from tracker.cli import app
from tracker.config import load_settings
from tracker.errors import ConfigError
from tracker.http import make_client
from tracker.identity import aliases
from tracker.ingest import pipeline
from tracker.poll import cycle, jobs

T0 = datetime(2026, 5, 1, 14, tzinfo=UTC)


# --- a webhook receiver -------------------------------------------------------------------------------


@dataclass
class Receiver:
    """Records every POST; answers ``plan.pop(0)`` while the plan lasts, then ``status``."""

    base_url: str
    received: list[dict] = field(default_factory=list)
    plan: list[int] = field(default_factory=list)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    echo: bool = False  # a failure's body repeats the request (its headers and path), as many servers do
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return self.base_url + path

    def bodies(self, path: str | None = None, *, accepted: bool = True) -> list[dict]:
        return [
            r["body"]
            for r in self.received
            if (path is None or r["path"] == path) and (not accepted or 200 <= r["status"] < 300)
        ]


def _receiver_handler(rx: Receiver):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            with rx.lock:
                status = rx.plan.pop(0) if rx.plan else rx.status
                rx.received.append(
                    {
                        "path": self.path,
                        "status": status,
                        "headers": dict(self.headers),
                        "body": json.loads(raw),
                    }
                )
            body = b"ok" if status < 300 else b"receiver trouble"
            if rx.echo and status >= 300:
                body = f"{self.headers.get('Authorization')} {self.headers.get('X-Api-Key')} {self.path}".encode()
            self.send_response(status)
            for name, value in rx.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rx = Receiver("")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _receiver_handler(rx))
    rx.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rx
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A loopback URL nothing listens on (connection refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


# --- hand-built boards ---------------------------------------------------------------------------------


def day(n: int) -> datetime:
    return T0 + timedelta(days=n - 1)


def snapshot(w, n: int, rows: list[tuple], **board) -> pipeline.IngestResult:
    """Board date ``n`` (2026-05-0n): rows of (name, rating[, half CI width[, organisation]])."""
    entries = []
    for i, row in enumerate(rows):
        name, rating, half = row[0], row[1], row[2] if len(row) > 2 else 5
        extra = {"modelOrganization": row[3]} if len(row) > 3 else {}
        entries.append(entry(name, rating, rating - half, rating + half, rank=i + 1, **extra))
    cutoff = day(n).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    body = page(leaderboard(entries, cutoff=cutoff, **board))
    result = pipeline.ingest(w, pipeline.Payload(body, f"day{n}.html", day(n)))
    assert result.outcome == "new", result
    return result


def config(*watches: dict, targets: tuple[dict, ...] = (), **alerts_table) -> alerts.AlertsConfig:
    return parse_alerts(
        {"alerts": {"max_age": 0, **alerts_table, "watch": list(watches), "targets": list(targets)}}
    )


def run(w, cfg, n: int | None = None, **kwargs) -> alerts.AlertRun:
    """Evaluate and deliver as the poller would right after board date ``n`` landed."""
    clock = kwargs.pop("clock", None) or (lambda: day(n or 1) + timedelta(hours=1))
    return alerts.evaluate_and_deliver(w, cfg, clock=clock, **kwargs)


def stored(w, *columns: str) -> list[tuple]:
    cols = ", ".join(columns or ("kind", "model", "event_date", "confirmed_as_of"))
    return w.con.execute(
        f"select {cols} from alerts order by confirmed_as_of, event_date, kind, model"
    ).fetchall()


def d(n: int) -> date:
    return day(n).date()


# --- configuration -------------------------------------------------------------------------------------


def test_config_reads_watches_and_targets_with_defaults():
    cfg = parse_alerts(
        {
            "alerts": {
                "persist": 3,
                "max_age": "7d",
                "targets": [
                    {"name": "slack", "kind": "slack", "url": "https://hooks.slack.com/services/T/B/secret"},
                    {"name": "hook", "url": "http://127.0.0.1:9/x", "headers": {"Authorization": "Bearer x"}},
                ],
                "watch": [
                    {
                        "name": "mai",
                        "models": ["MAI-1-preview"],
                        "organizations": ["Microsoft AI"],
                        "boards": ["text/overall", "webdev/overall-style-control", "vision/*"],
                        "events": ["debut", "exit"],
                        "targets": ["slack"],
                    },
                    {"name": "crown", "boards": ["text/overall-no-style-control"], "persist": 1},
                ],
            }
        }
    )
    mai, crown = cfg.watches
    assert mai.models == ("mai-1-preview",) and mai.organizations == ("microsoftai",)
    assert [(b.arena, b.category, b.style_control) for b in mai.boards] == [
        ("text", "overall", None),
        ("webdev", "overall", True),
        ("vision", None, None),
    ]
    assert (mai.persist, mai.top_n, mai.significant, mai.events) == (3, 10, True, ("debut", "exit"))
    assert crown.persist == 1 and crown.board_wide and crown.events == alerts.config.EVENT_KINDS
    assert cfg.max_age == 7 * 86400 and cfg.targets[1].kind == "json"
    assert cfg.routes() == [("mai", "slack"), ("crown", "slack"), ("crown", "hook")]
    assert cfg.targets[0].where == "https://hooks.slack.com/..."  # the secret path never reaches a message


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"watch": [{"name": "w", "events": ["new_number_one"]}]}, "unknown event kind"),
        ({"watch": [{"name": "w", "targets": ["nowhere"]}]}, "unknown target(s) nowhere"),
        ({"watch": [{"name": "w", "persist": 0}]}, "persist = 0"),
        ({"watch": [{"name": "w", "colour": "red"}]}, "unknown key(s) colour"),
        ({"targets": [{"name": "t", "url": "ftp://x"}]}, "url must be an http(s) URL"),
        ({"targets": [{"name": "t", "kind": "teams", "url": "https://x"}]}, "kind = 'teams'"),
        ({"watch": [{"name": "w"}, {"name": "w"}]}, "defined twice"),
        ({"max_age": "soon"}, "not a duration"),
        ({"persist": "two"}, "persist = 'two'"),
    ],
)
def test_config_errors_name_the_file_and_the_key(table, message, tmp_path):
    with pytest.raises(ConfigError, match="tracker.toml") as info:
        parse_alerts({"alerts": table}, tmp_path / "tracker.toml")
    assert message in str(info.value)


def test_alerts_table_is_read_from_tracker_toml(settings):
    path = settings.home / "tracker.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[alerts]\npersist = 4\n\n[[alerts.watch]]\nname = "crown"\nevents = ["new_leader"]\n')
    cfg = alerts.load_alerts(settings.replace(config=path))
    assert cfg.watches[0].persist == 4 and cfg.source == path


# --- rules: persistence, CI overlap, hysteresis -------------------------------------------------------


def test_new_leader_alerts_only_once_it_has_persisted(writer):
    cfg = config({"name": "crown", "events": ["new_leader"], "persist": 2})
    snapshot(writer, 1, [("a", 1400), ("b", 1390)])
    snapshot(writer, 2, [("b", 1430), ("a", 1400)])  # b leads, CIs disjoint: one date is not enough
    assert run(writer, cfg, 2).recorded.alerts == 0
    snapshot(writer, 3, [("b", 1431), ("a", 1400)])
    assert run(writer, cfg, 3).recorded.alerts == 1
    assert stored(writer) == [("new_leader", "b", d(2), d(3))]
    sentence = stored(writer, "sentence")[0][0]
    assert "b is the new #1 on text/overall (raw), taking over from a" in sentence
    assert "beyond the confidence intervals" in sentence


def test_new_leader_waits_until_its_ci_clears_the_old_leader(writer):
    """Overlapping CIs (both rank (UB) 1): no alert, however long it lasts, until the CIs separate."""
    cfg = config({"name": "crown", "events": ["new_leader"], "persist": 2})
    snapshot(writer, 1, [("a", 1400, 10), ("b", 1390, 10)])
    snapshot(writer, 2, [("b", 1405, 10), ("a", 1400, 10)])
    snapshot(writer, 3, [("b", 1406, 10), ("a", 1400, 10)])
    snapshot(writer, 4, [("b", 1408, 10), ("a", 1400, 10)])
    assert run(writer, cfg, 4).recorded.alerts == 0
    snapshot(writer, 5, [("b", 1425, 10), ("a", 1400, 10)])  # 1415 > 1410: no overlap any more
    assert run(writer, cfg, 5).recorded.alerts == 1
    assert stored(writer, "kind", "model", "event_date", "confirmed_as_of", "significant") == [
        ("new_leader", "b", d(2), d(5), True)
    ]


def test_sole_rank_ub_one_confirms_a_new_leader_even_with_overlapping_ci(writer):
    """The old #1 fell far behind (another model's CI is above its own): the new #1 alone has rank (UB) 1."""
    cfg = config({"name": "crown", "events": ["new_leader"], "persist": 1})
    snapshot(writer, 1, [("a", 1400, 4), ("b", 1395, 4), ("c", 1300, 4)])
    snapshot(writer, 2, [("b", 1420, 4), ("c", 1410, 4), ("a", 1380, 4)])
    assert stored(writer) == [] and run(writer, cfg, 2).recorded.alerts == 1
    ub = writer.con.execute(
        "select model, rank_ub from rank_history where as_of = '2026-05-02' order by model"
    ).fetchall()
    assert ub == [("a", 3), ("b", 1), ("c", 2)]


def test_significant_false_alerts_on_persistence_alone(writer):
    cfg = config({"name": "crown", "events": ["new_leader"], "persist": 2, "significant": False})
    snapshot(writer, 1, [("a", 1400, 10), ("b", 1390, 10)])
    snapshot(writer, 2, [("b", 1405, 10), ("a", 1400, 10)])
    snapshot(writer, 3, [("b", 1406, 10), ("a", 1400, 10)])
    run(writer, cfg, 3)
    assert stored(writer, "kind", "model", "confirmed_as_of", "significant") == [
        ("new_leader", "b", d(3), False)
    ]
    assert "the confidence intervals still overlap" in stored(writer, "sentence")[0][0]


def test_a_one_date_flip_of_the_crown_is_not_an_alert(writer):
    """a -> b for one date -> a again: neither change persisted, and a taking back its own crown is no news."""
    cfg = config({"name": "crown", "events": ["new_leader"], "persist": 2})
    snapshot(writer, 1, [("a", 1430), ("b", 1400)])
    snapshot(writer, 2, [("b", 1440), ("a", 1400)])
    snapshot(writer, 3, [("a", 1450), ("b", 1400)])
    snapshot(writer, 4, [("a", 1451), ("b", 1400)])
    snapshot(writer, 5, [("a", 1452), ("b", 1400)])
    assert run(writer, cfg, 5).recorded.alerts == 0
    # without persistence both changes alert
    loose = config({"name": "crown", "events": ["new_leader"], "persist": 1})
    run(writer, loose, 5)
    assert stored(writer, "kind", "model", "event_date") == [
        ("new_leader", "b", d(2)),
        ("new_leader", "a", d(3)),
    ]


def test_model_watch_gets_debut_top_n_entry_move_and_exit_after_persisting(writer):
    cfg = config(
        {
            "name": "mai",
            "models": ["mai-1-preview"],
            "events": ["debut", "top_n_entry", "top_n_exit", "rank_move", "exit"],
            "top_n": 2,
            "min_move": 2,
            "persist": 2,
        }
    )
    others = [("a", 1450), ("b", 1440), ("c", 1430), ("d", 1420)]
    snapshot(writer, 1, others)
    snapshot(writer, 2, [*others, ("mai-1-preview", 1425)])  # debut at #4: alerts at once
    assert run(writer, cfg, 2).recorded.alerts == 1
    assert stored(writer) == [("debut", "mai-1-preview", d(2), d(2))]
    snapshot(writer, 3, [*others, ("mai-1-preview", 1424)])  # #4 holds
    snapshot(writer, 4, [("mai-1-preview", 1445), *others])  # #2: into the top 2, up 2 places
    assert run(writer, cfg, 4).recorded.alerts == 0  # not yet persisted
    snapshot(writer, 5, [("mai-1-preview", 1446), *others])
    run(writer, cfg, 5)
    snapshot(writer, 6, others)
    assert run(writer, cfg, 6).recorded.alerts == 0  # gone for one board date only
    snapshot(writer, 7, others)
    run(writer, cfg, 7)
    assert stored(writer, "kind", "event_date", "confirmed_as_of", "rank_before", "rank_after", "top_n") == [
        ("debut", d(2), d(2), None, 4, None),
        ("rank_move", d(4), d(5), 4, 2, None),
        ("top_n_entry", d(4), d(5), 4, 2, 2),
        ("exit", d(6), d(7), 2, None, None),
        ("top_n_exit", d(6), d(7), 2, None, 2),
    ]


def test_a_move_that_does_not_hold_is_not_an_alert(writer):
    cfg = config({"name": "m", "models": ["x"], "events": ["rank_move"], "min_move": 2, "persist": 2})
    others = [("a", 1450), ("b", 1440), ("c", 1430)]
    snapshot(writer, 1, [*others, ("x", 1400)])  # x #4
    snapshot(writer, 2, [("x", 1460), *others])  # #1: up 3
    snapshot(writer, 3, [*others, ("x", 1400)])  # back to #4
    snapshot(writer, 4, [*others, ("x", 1401)])
    # neither the spike to #1 nor the way back from it (#1 never held) is a move
    assert run(writer, cfg, 4).recorded.alerts == 0
    # with persist 1 every move alerts
    run(
        writer,
        config({"name": "m", "models": ["x"], "events": ["rank_move"], "min_move": 2, "persist": 1}),
        4,
    )
    assert stored(writer, "kind", "event_date", "rank_before", "rank_after") == [
        ("rank_move", d(2), 4, 1),
        ("rank_move", d(3), 1, 4),
    ]


def test_organisation_watch_matches_its_models_in_any_spelling(writer):
    cfg = config({"name": "msft", "organizations": ["microsoft-ai"], "events": ["debut"]})
    snapshot(writer, 1, [("a", 1450, 5, "Other Lab")])
    snapshot(
        writer, 2, [("a", 1450, 5, "Other Lab"), ("mai-x", 1400, 5, "Microsoft AI"), ("z", 1300, 5, "Zed")]
    )
    run(writer, cfg, 2)
    assert stored(writer, "kind", "model") == [("debut", "mai-x")]


def test_board_filters_and_board_wide_top_n_limits(writer):
    cfg = config(
        {"name": "top", "boards": ["text/overall-no-style-control"], "events": ["debut"], "top_n": 2}
    )
    snapshot(writer, 1, [("a", 1450), ("b", 1440)])
    snapshot(writer, 2, [("new-top", 1460), ("a", 1450), ("b", 1440), ("new-low", 1300)])
    snapshot(writer, 1, [("a", 1450)], style=True)
    snapshot(writer, 2, [("styled", 1460), ("a", 1450)], style=True)
    run(writer, cfg, 2)
    assert stored(writer, "kind", "model", "style_control") == [("debut", "new-top", False)]


def test_watches_of_some_boards_find_what_a_watch_of_every_board_finds_there_once(writer):
    # rules.find runs each board filter on its own (the filter reaching the scans): split that way, overlapping
    # filters and the methodology changes (on every board) must still give each (event, watch) once, and the
    # boards' events must be the ones a watch of every board finds on them
    for style in (False, True):
        snapshot(writer, 1, [("a", 1450), ("b", 1440)], style=style)
        snapshot(writer, 2, [("b", 1460), ("a", 1450), (f"new-{style}", 1300)], style=style)
    snapshot(writer, 1, [("v", 1400)], arena="vision")
    snapshot(writer, 2, [("w", 1420), ("v", 1400)], arena="vision")
    kinds = {"events": ["new_leader", "debut", "rank_move", "methodology"], "persist": 1, "min_move": 1}
    kinds["significant"] = False  # one date after the change: persistence alone decides
    some = ["text/overall", "text/*", "text/overall-no-style-control"]
    split = rules.find(writer.con, config({"name": "w", "boards": some, **kinds}))
    whole = rules.find(writer.con, config({"name": "w", **kinds}))
    assert split.height == split.select("event_key", "watch").n_unique()
    on_text = whole.filter(pl.col("arena").is_null() | (pl.col("arena") == "text"))
    assert set(split["event_key"]) == set(on_text["event_key"])
    assert {"new_leader", "debut", "rank_move", "methodology"} <= set(split["kind"])
    assert "vision" in set(whole["arena"]) and "vision" not in set(split["arena"])


def two_boards(w) -> None:
    snapshot(w, 1, [("a", 1450), ("b", 1440)])
    snapshot(w, 1, [("v", 1400), ("w", 1390)], arena="vision")


VISION = {"leaderboard": "LMArena", "arena": "vision", "category": "overall", "style_control": False}


def boards_read(monkeypatch) -> list:
    """The boards each evaluation from now on reads (``rules.find``'s ``boards``; None: every board)."""
    read = []
    find = rules.find
    monkeypatch.setattr(
        rules, "find", lambda con, c, boards=None: read.append(boards) or find(con, c, boards)
    )
    return read


def due(w, cfg) -> list[dict] | None:
    """The boards an evaluation after an ingest would read now (None: every board)."""
    inputs = rules.inputs_hashes(cfg, rules.current_hashes(w))
    return rules.boards_to_evaluate(w.con, inputs, rules.last_evaluation(w.con))


def test_after_an_ingest_only_the_boards_with_new_snapshots_are_read_and_nothing_is_missed(
    writer, monkeypatch
):
    # a watch of models on every board: after an ingest only the boards it brought snapshots to are read
    cfg = config(
        {"name": "follow", "models": ["b", "w"], "events": ["new_leader", "rank_move"], "persist": 1}
    )
    two_boards(writer)
    read = boards_read(monkeypatch)
    run(writer, cfg, 1, since_last=True)  # the first evaluation reads every board
    snapshot(writer, 2, [("w", 1420), ("v", 1400)], arena="vision")
    assert run(writer, cfg, 2, since_last=True).recorded.alerts == 1  # w's new #1
    assert read == [None, [VISION]]
    assert due(writer, cfg) == []  # nothing new since
    assert run(writer, cfg, 2).recorded.alerts == 0  # every board read again: the scoped run missed nothing
    assert read[-1] is None


def test_every_board_is_read_when_the_watches_change_or_many_boards_have_new_snapshots(writer, monkeypatch):
    cfg = config({"name": "crown", "events": ["new_leader"], "persist": 1})
    two_boards(writer)
    assert due(writer, cfg) is None  # never evaluated
    run(writer, cfg, 1, since_last=True)
    snapshot(writer, 2, [("w", 1420), ("v", 1400)], arena="vision")
    assert due(writer, cfg) == [VISION]
    assert due(writer, config({"name": "crown", "events": ["new_leader"], "persist": 2})) is None
    monkeypatch.setattr(rules, "MAX_SCOPED_BOARDS", 0)
    assert due(writer, cfg) is None


TEXT = {**VISION, "arena": "text"}


def test_an_identity_change_adds_the_boards_it_resolves_differently_and_a_new_model_none(writer, monkeypatch):
    # a watch of a model on every board: after an ingest the boards with new snapshots are read, and when
    # the identity changed, the boards whose snapshots already evaluated now resolve differently
    cfg = config({"name": "follow", "models": ["b"], "events": ["new_leader", "overtake"], "persist": 1})
    two_boards(writer)
    read = boards_read(monkeypatch)
    run(writer, cfg, 1, since_last=True)
    snapshot(writer, 2, [("x", 1430), ("w", 1420), ("v", 1400)], arena="vision")  # x: a new model
    assert due(writer, cfg) == [VISION]
    run(writer, cfg, 2, since_last=True)
    # vision's w is b under another name: w's overtake of v on date 2, evaluated then, is now b's
    aliases.add_alias(writer.con, "w", "b")
    snapshot(writer, 3, [("b", 1470), ("a", 1450)])  # and b takes text's #1
    assert due(writer, cfg) == [TEXT, VISION]
    assert run(writer, cfg, 3, since_last=True).recorded.alerts == 3
    assert read == [None, [VISION], [TEXT, VISION]]
    assert stored(writer, "kind", "model", "arena") == [
        ("overtake", "b", "vision"),  # found only because vision was read
        ("new_leader", "b", "text"),
        ("overtake", "b", "text"),
    ]
    assert due(writer, cfg) == []  # the identity the evaluation saw is the one recorded
    assert run(writer, cfg, 3).recorded.alerts == 0  # every board read again: the scoped runs missed nothing


def test_the_boards_of_a_failed_evaluation_are_read_by_the_next(writer, monkeypatch):
    cfg = config({"name": "crown", "events": ["new_leader"], "persist": 1})
    two_boards(writer)
    run(writer, cfg, 1, since_last=True)
    snapshot(writer, 2, [("b", 1470), ("a", 1450)])  # b takes text's #1 ...
    record = rules.record
    monkeypatch.setattr(rules, "record", lambda *a: (_ for _ in ()).throw(duckdb.IOException("disk trouble")))
    with pytest.raises(duckdb.IOException):
        run(writer, cfg, 2, since_last=True)  # ... and the evaluation that would tell fails
    monkeypatch.setattr(rules, "record", record)
    snapshot(writer, 3, [("w", 1420), ("v", 1400)], arena="vision")  # the next ingest is vision's alone
    assert run(writer, cfg, 3, since_last=True).recorded.alerts == 2
    assert stored(writer, "model", "arena") == [("b", "text"), ("w", "vision")]


def test_events_older_than_max_age_are_history_not_news(writer):
    cfg = config({"name": "crown", "events": ["new_leader"], "persist": 1}, max_age="3d")
    snapshot(writer, 1, [("a", 1400), ("b", 1390)])
    snapshot(writer, 2, [("b", 1430), ("a", 1400)])
    assert run(writer, cfg, clock=lambda: day(10)).recorded.alerts == 0  # imported long after
    assert run(writer, cfg, clock=lambda: day(4)).recorded.alerts == 1


def test_methodology_changes_from_the_seeds_alert_once(writer):
    cfg = config({"name": "method", "events": ["methodology"]})
    snapshot(writer, 1, [("a", 1400)])
    first = run(writer, cfg, 1).recorded
    assert first.alerts >= 2 and run(writer, cfg, 1).recorded.alerts == 0
    kinds = {k for (k,) in writer.con.execute("select distinct kind from alerts").fetchall()}
    assert kinds == {"methodology"}


# --- delivery -----------------------------------------------------------------------------------------


def three_debuts(w) -> None:
    snapshot(w, 1, [("a", 1450)])
    snapshot(w, 2, [("a", 1450), ("x1", 1440), ("x2", 1430), ("x3", 1420)])


def debut_config(*targets: dict, watches: tuple[dict, ...] | None = None, **table) -> alerts.AlertsConfig:
    return config(*(watches or ({"name": "debuts", "events": ["debut"]},)), targets=targets, **table)


def log_rows(w) -> list[tuple]:
    return w.con.execute(
        "select target, attempt, outcome, http_status from alert_delivery_log order by attempt_id"
    ).fetchall()


def test_each_target_kind_gets_its_own_body(writer, receiver):
    cfg = config(
        {"name": "crown", "events": ["new_leader"], "persist": 1},
        targets=(
            {
                "name": "generic",
                "kind": "json",
                "url": receiver.url("/json"),
                "headers": {"X-Token": "t0ken"},
            },
            {"name": "slack", "kind": "slack", "url": receiver.url("/slack")},
            {"name": "discord", "kind": "discord", "url": receiver.url("/discord")},
        ),
    )
    snapshot(writer, 1, [("a", 1400), ("b", 1390)])
    snapshot(writer, 2, [("<b>", 1430), ("a", 1400)])
    result = run(writer, cfg, 2)
    assert result.recorded.deliveries == 3 and result.count("sent") == 3
    (generic,) = receiver.bodies("/json")
    key = stored(writer, "event_key")[0][0]
    assert generic["event_key"] == key and generic["dedupe_key"] == f"{key}:generic"
    assert generic["kind"] == "new_leader" and generic["test"] is False
    assert generic["model"] == {"key": "<b>", "name": "<b>"} and generic["other_model"]["key"] == "a"
    assert generic["board"] == {
        "leaderboard": "LMArena",
        "arena": "text",
        "category": "overall",
        "style_control": False,
        "label": "text/overall (raw)",
    }
    assert generic["title"] == "New #1 on text/overall (raw): <b>"
    assert generic["event_date"] == "2026-05-02" and generic["watches"] == ["crown"]
    json_request = next(r for r in receiver.received if r["path"] == "/json")
    assert json_request["headers"]["X-Token"] == "t0ken"
    assert json_request["headers"]["Idempotency-Key"] == f"{key}:generic"
    (slack,) = receiver.bodies("/slack")
    assert slack["text"].startswith("New #1 on text/overall (raw): &lt;b&gt;")
    assert [b["type"] for b in slack["blocks"]] == ["header", "section", "context"]
    (discord,) = receiver.bodies("/discord")
    assert discord["content"] == "New #1 on text/overall (raw): <b>"
    assert discord["embeds"][0]["description"].startswith("<b> is the new #1")
    assert discord["allowed_mentions"] == {"parse": []}


def test_an_event_reaches_a_target_once_however_often_it_is_evaluated_or_matched(writer, receiver):
    target = {"name": "hook", "url": receiver.url()}
    watches = ({"name": "debuts", "events": ["debut"]}, {"name": "x1", "models": ["x1"], "events": ["debut"]})
    cfg = debut_config(target, watches=watches)
    three_debuts(writer)
    first = run(writer, cfg, 2)
    assert (first.recorded.alerts, first.recorded.matches, first.recorded.deliveries) == (3, 4, 3)
    for _ in range(2):
        again = run(writer, cfg, 2)
        assert again.recorded == alerts.rules.Recorded(0, 0, 0, 0) and again.attempts == ()
    keys = [b["event_key"] for b in receiver.bodies()]
    assert len(keys) == 3 == len(set(keys))
    assert [b["model"]["key"] for b in receiver.bodies()] == ["x1", "x2", "x3"]
    x1 = next(b for b in receiver.bodies() if b["model"]["key"] == "x1")
    assert x1["watches"] == ["debuts", "x1"]


def test_a_receiver_that_fails_then_recovers_gets_every_alert_once(writer, receiver):
    receiver.plan = [500, 503]
    cfg = debut_config({"name": "hook", "url": receiver.url()}, retry_base="60s")
    three_debuts(writer)
    now = day(2) + timedelta(hours=1)
    first = run(writer, cfg, clock=lambda: now)
    # the first alert failed; the other two wait behind it so the receiver gets them in order
    assert [(a.outcome, a.http_status) for a in first.attempts] == [("retry", 500)]
    assert run(writer, cfg, clock=lambda: now + timedelta(seconds=30), evaluate_rules=False).attempts == ()
    second = run(writer, cfg, clock=lambda: now + timedelta(seconds=61), evaluate_rules=False)
    assert [(a.outcome, a.http_status) for a in second.attempts] == [("retry", 503)]
    third = run(writer, cfg, clock=lambda: now + timedelta(seconds=61 + 121), evaluate_rules=False)
    assert [a.outcome for a in third.attempts] == ["sent", "sent", "sent"]
    assert run(writer, cfg, clock=lambda: now + timedelta(days=1)).attempts == ()
    assert [b["model"]["key"] for b in receiver.bodies()] == ["x1", "x2", "x3"]
    assert len(receiver.received) == 5
    assert log_rows(writer) == [
        ("hook", 1, "retry", 500),
        ("hook", 2, "retry", 503),
        ("hook", 3, "sent", 200),
        ("hook", 1, "sent", 200),
        ("hook", 1, "sent", 200),
    ]
    assert writer.con.execute("select status, count(*) from alert_deliveries group by all").fetchall() == [
        ("sent", 3)
    ]


def test_a_dead_target_never_holds_up_the_others(writer, receiver):
    cfg = debut_config({"name": "dead", "url": closed_port_url()}, {"name": "live", "url": receiver.url()})
    three_debuts(writer)
    result = run(writer, cfg, 2)
    assert [(a.target, a.outcome) for a in result.attempts] == [
        ("dead", "retry"),
        ("live", "sent"),
        ("live", "sent"),
        ("live", "sent"),
    ]
    dead = result.attempts[0]
    assert (
        dead.http_status is None and "ConnectError" in dead.error and "dead (http://127.0.0.1" in dead.error
    )
    assert len(receiver.bodies()) == 3
    pending = writer.con.execute(
        "select target, status, attempts from alert_deliveries where status <> 'sent' order by event_key"
    ).fetchall()
    assert sorted(pending) == [("dead", "pending", 0), ("dead", "pending", 0), ("dead", "pending", 1)]


def test_a_rejected_body_fails_at_once_and_says_what_to_check(writer, receiver):
    receiver.status = 404
    cfg = debut_config({"name": "hook", "url": receiver.url()})
    three_debuts(writer)
    result = run(writer, cfg, 2)
    assert [a.outcome for a in result.attempts] == [
        "failed",
        "failed",
        "failed",
    ]  # not transient: no hold-back
    assert "HTTP 404" in result.attempts[0].error and "tracker alerts test" in result.attempts[0].error
    later = run(writer, cfg, clock=lambda: day(5), evaluate_rules=False)
    assert later.attempts == () and len(receiver.received) == 3


def test_retry_after_is_honoured_and_delivery_gives_up_after_max_attempts(writer, receiver):
    receiver.status, receiver.headers = 429, {"Retry-After": "900"}
    cfg = debut_config(
        {"name": "hook", "url": receiver.url()},
        watches=({"name": "x1", "models": ["x1"], "events": ["debut"]},),
        max_attempts=2,
    )
    three_debuts(writer)
    now = day(2) + timedelta(hours=1)
    assert [a.outcome for a in run(writer, cfg, clock=lambda: now).attempts] == ["retry"]
    (next_at,) = writer.con.execute("select next_attempt_at from alert_deliveries").fetchall()[0]
    assert next_at == now + timedelta(seconds=900)
    assert run(writer, cfg, clock=lambda: now + timedelta(seconds=899), evaluate_rules=False).attempts == ()
    last = run(writer, cfg, clock=lambda: now + timedelta(seconds=900), evaluate_rules=False).attempts
    assert [a.outcome for a in last] == ["failed"] and "gave up after 2 attempt(s)" in last[0].error
    assert writer.con.execute("select status, attempts from alert_deliveries").fetchall() == [("failed", 2)]


def test_deliveries_to_a_removed_target_give_up(writer, receiver):
    three_debuts(writer)
    run(writer, debut_config({"name": "old", "url": closed_port_url()}), 2)
    result = run(writer, debut_config({"name": "new", "url": receiver.url()}), 2)
    assert result.attempts == () and receiver.received == []
    errors = writer.con.execute("select distinct status, last_error from alert_deliveries").fetchall()
    assert errors == [("failed", "target old is no longer in the [[alerts.targets]] of tracker.toml")]


def test_notifications_list_each_alert_once_in_event_order(writer):
    cfg = config(
        {"name": "crown", "events": ["new_leader"], "persist": 1},
        {"name": "debuts", "events": ["debut"]},
    )
    three_debuts(writer)
    snapshot(writer, 3, [("x3", 1470), ("a", 1450), ("x1", 1440), ("x2", 1430)])
    run(writer, cfg, 3)
    run(writer, cfg, 3)
    rows = writer.con.execute(
        "select event_date, kind, board, title, watches from notifications order by notification_id"
    ).fetchall()
    assert rows == [
        (d(2), "debut", "text/overall (raw)", "x1 debuts at #2 on text/overall (raw)", ["debuts"]),
        (d(2), "debut", "text/overall (raw)", "x2 debuts at #3 on text/overall (raw)", ["debuts"]),
        (d(2), "debut", "text/overall (raw)", "x3 debuts at #4 on text/overall (raw)", ["debuts"]),
        (d(3), "new_leader", "text/overall (raw)", "New #1 on text/overall (raw): x3", ["crown"]),
    ]


# --- the hook in the poll cycle, and the commands --------------------------------------------------------


def home_with_toml(tmp_path, text: str):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "tracker.toml").write_text(text, encoding="utf-8")
    return load_settings(environ={}, home=home, publish_min_interval=0.0)


def board_page(n: int, rows: list[tuple]) -> bytes:
    entries = [entry(name, r, r - 5, r + 5, rank=i + 1) for i, (name, r) in enumerate(rows)]
    return page(leaderboard(entries, cutoff=day(n).strftime("%Y-%m-%dT%H:%M:%S.000Z")))


def test_a_poll_cycle_that_stores_new_data_evaluates_and_delivers(
    tmp_path, http_server, receiver, monkeypatch
):
    settings = home_with_toml(
        tmp_path,
        f"""
default_jobs = false

[settings]
arena_url = "{http_server.base_url}"
retries = 0

[[jobs]]
name = "text-pages"
source = "arena-page"
boards = ["text/overall-no-style-control"]
interval = "1h"

[alerts]
max_age = 0

[[alerts.targets]]
name = "hook"
url = "{receiver.url()}"

[[alerts.watch]]
name = "debuts"
events = ["debut"]
""",
    )
    path = "/leaderboard/text/overall-no-style-control"
    (job,) = jobs.load_jobs(settings)
    read = boards_read(monkeypatch)
    with store.writer(settings, "pytest") as w, make_client(settings) as client:
        http_server.routes[path] = Route(200, board_page(1, [("a", 1450), ("b", 1440)]))
        assert cycle.run_job(w, job, client=client).snapshots_new == 1
        assert receiver.received == []
        http_server.routes[path] = Route(200, board_page(2, [("a", 1450), ("newcomer", 1445), ("b", 1440)]))
        assert cycle.run_job(w, job, client=client).snapshots_new == 1
        assert [b["title"] for b in receiver.bodies()] == ["newcomer debuts at #2 on text/overall (raw)"]
        cycle.run_job(w, job, client=client)  # nothing new: nothing evaluated, nothing resent
        http_server.routes[path] = Route(200, board_page(3, [("a", 1452), ("newcomer", 1446), ("b", 1441)]))
        assert cycle.run_job(w, job, client=client).snapshots_new == 1
    assert len(receiver.received) == 1
    # the first evaluation reads every board; the others only the board their poll brought a snapshot to,
    # the second's new model included
    text = {"leaderboard": "LMArena", "arena": "text", "category": "overall", "style_control": False}
    assert read == [None, [text], [text]]
    # the dashboard's notification is in the published read copy
    con = duckdb.connect(str(settings.read_copy_path), read_only=True)
    try:
        assert con.execute("select title from notifications").fetchall() == [
            ("newcomer debuts at #2 on text/overall (raw)",)
        ]
    finally:
        con.close()


def test_a_broken_alerts_table_never_stops_a_poll(tmp_path, http_server):
    settings = home_with_toml(
        tmp_path,
        f"""
default_jobs = false

[settings]
arena_url = "{http_server.base_url}"

[[jobs]]
name = "text-pages"
boards = ["text/overall-no-style-control"]
interval = "1h"

[alerts]
persist = "two"
""",
    )
    http_server.routes["/leaderboard/text/overall-no-style-control"] = Route(
        200, board_page(1, [("a", 1450)])
    )
    (job,) = jobs.load_jobs(settings)
    with store.writer(settings, "pytest") as w, make_client(settings) as client:
        assert alerts.after_ingest(w, wrote=True) is None
        run_ = cycle.run_job(w, job, client=client)
    assert (run_.outcome, run_.snapshots_new) == ("ok", 1)


def test_alerts_test_sends_a_sample_and_alerts_list_shows_alerts_and_deliveries(tmp_path, receiver):
    settings = home_with_toml(
        tmp_path,
        f"""
[alerts]
max_age = 0

[[alerts.targets]]
name = "team"
kind = "discord"
url = "{receiver.url("/discord")}"

[[alerts.targets]]
name = "down"
url = "{closed_port_url()}"

[[alerts.watch]]
name = "debuts"
events = ["debut"]
""",
    )
    runner = CliRunner()
    home = str(settings.home)
    result = runner.invoke(app, ["alerts", "test", "team", "--home", home])
    assert result.exit_code == 0, result.output
    assert "sent a test alert to team (http://127.0.0.1:" in result.output and "HTTP 200" in result.output
    (sample,) = receiver.bodies("/discord")
    assert sample["content"].startswith("Test alert") and sample["allowed_mentions"] == {"parse": []}
    failed = runner.invoke(app, ["alerts", "test", "down", "--home", home])
    assert failed.exit_code == 1 and "ConnectError" in failed.output
    unknown = runner.invoke(app, ["alerts", "test", "nope", "--home", home])
    assert isinstance(unknown.exception, ConfigError) and "known targets: team, down" in str(
        unknown.exception
    )

    with store.writer(settings, "pytest") as w:
        three_debuts(w)
    ran = runner.invoke(app, ["alerts", "run", "--home", home])
    assert ran.exit_code == 0, ran.output
    assert "3 new alert(s), 6 delivery(ies) queued; 3 sent, 1 to retry, 0 failed" in ran.output
    listed = runner.invoke(app, ["alerts", "list", "--home", home, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.output.splitlines() if line.startswith("{")]
    titles = [r["title"] for r in rows if "deliveries" in r]
    assert sorted(titles) == [f"x{i} debuts at #{i + 1} on text/overall (raw)" for i in (1, 2, 3)]
    assert {r["deliveries"] for r in rows if "deliveries" in r} >= {"down: pending (1 attempt), team: sent"}
    attempts = [(r["target"], r["outcome"]) for r in rows if "outcome" in r]
    assert sorted(attempts) == [("down", "retry"), ("team", "sent"), ("team", "sent"), ("team", "sent")]


@pytest.fixture
def hanging_url() -> Iterator[str]:
    """A loopback address that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield f"http://127.0.0.1:{s.getsockname()[1]}/hook"


def test_a_hanging_target_costs_one_timeout_per_round(writer, receiver, hanging_url):
    cfg = debut_config(
        {"name": "hangs", "url": hanging_url, "timeout": 0.3}, {"name": "live", "url": receiver.url()}
    )
    three_debuts(writer)
    result = run(writer, cfg, 2)
    assert [(a.target, a.outcome) for a in result.attempts] == [
        ("hangs", "retry"),
        ("live", "sent"),
        ("live", "sent"),
        ("live", "sent"),
    ]
    assert "ReadTimeout" in result.attempts[0].error and result.attempts[0].duration_ms < 3000


def test_a_round_stops_sending_when_its_budget_is_spent(writer, receiver):
    cfg = debut_config({"name": "hook", "url": receiver.url()}, budget="60s")
    three_debuts(writer)
    alerts.rules.evaluate(writer, cfg, day(2))
    ticks = iter(range(0, 1000, 40))  # every reading of the clock is 40 s later
    attempts = alerts.deliver.deliver_pending(
        writer, cfg, clock=lambda: day(2) + timedelta(hours=1), monotonic=lambda: next(ticks)
    )
    assert [a.outcome for a in attempts] == ["sent"]  # the second one would start past the budget
    rest = run(writer, cfg, 2, evaluate_rules=False).attempts
    assert [a.outcome for a in rest] == ["sent", "sent"] and len(receiver.bodies()) == 3


def test_alerts_can_be_switched_off(writer, receiver):
    cfg = debut_config({"name": "hook", "url": receiver.url()}, enabled=False)
    three_debuts(writer)
    assert run(writer, cfg, 2) == alerts.AlertRun(None)
    assert stored(writer) == [] and receiver.received == []


# --- credentials and addresses of targets --------------------------------------------------------------

USER, PASSWORD, TOKEN = "hookuser-5e1d", "pw-93ab17f2", "tok-4c2e8d1b9a"
BEARER, API_KEY, PATH_SECRET = "hdr-7f3a91c2d4", "key-0b5d2e7a61", "srv-6a0f3e88"
CREDENTIALS = {
    "user": USER,
    "password": PASSWORD,
    "token": TOKEN,
    "Authorization value": BEARER,
    "X-Api-Key value": API_KEY,
    "secret path": PATH_SECRET,
    "basic auth": base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()[:16],
}


def credentialed(url: str) -> str:
    """``url`` with a user and password, a secret path segment and a token in its query."""
    scheme, rest = url.split("://", 1)
    host, path = rest.split("/", 1)
    return f"{scheme}://{USER}:{PASSWORD}@{host}/{PATH_SECRET}/{path}?channel=alerts&token={TOKEN}"


def every_text(database) -> str:
    """Every value of every table of a DuckDB file, as text."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute(
            "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
        ).fetchall()
        return "\n".join(repr(con.execute(f'select * from "{name}"').fetchall()) for (name,) in tables)
    finally:
        con.close()


def leaks(where: str, text: str) -> list[str]:
    return [f"{where} holds the {name}" for name, secret in CREDENTIALS.items() if secret in text]


def test_no_credential_of_a_failing_target_reaches_output_logs_tables_or_the_read_copy(tmp_path, receiver):
    receiver.status, receiver.echo = 500, True
    headers = f'headers = {{ Authorization = "Bearer {BEARER}", X-Api-Key = "{API_KEY}" }}'
    settings = home_with_toml(
        tmp_path,
        f"""
[alerts]
max_age = 0
retry_base = "1s"

[[alerts.targets]]
name = "answers500"
url = "{credentialed(receiver.url("/hook"))}"
{headers}

[[alerts.targets]]
name = "closed"
url = "{credentialed(closed_port_url())}"
{headers}

[[alerts.watch]]
name = "debuts"
events = ["debut"]
""",
    )
    home, found = settings.home, []
    for name in ("answers500", "closed"):
        tested = run_tracker(home, "alerts", "test", name)
        assert tested.returncode == 1 and "failed" in tested.stderr, tested.stderr
        found += leaks(f"`alerts test {name}` output", tested.stdout + tested.stderr)
    sent = receiver.received[0]["headers"]  # as configured (httpx sends the URL's user as Basic auth)
    assert sent["X-Api-Key"] == API_KEY and sent["Authorization"].startswith("Basic ")
    with store.writer(settings, "pytest") as w:
        three_debuts(w)
    ran = run_tracker(home, "alerts", "run")
    assert ran.returncode == 0 and "0 sent, 2 to retry" in ran.stdout, ran.stdout + ran.stderr
    found += leaks("`alerts run` output", ran.stdout + ran.stderr)
    # a later round, its retries due, with the poller's logs (readable and JSON lines) captured
    for hours, json_lines in ((1, False), (2, True)):
        stream, at = io.StringIO(), datetime.now(UTC) + timedelta(hours=hours)
        logs.configure(json_lines=json_lines, stream=stream)
        try:
            with store.writer(settings, "pytest") as w:
                later = alerts.evaluate_and_deliver(w, clock=lambda at=at: at)
        finally:
            logs.configure(stream=io.StringIO())
        assert [a.outcome for a in later.attempts] == ["retry", "retry"], later
        assert "HTTP 500" in stream.getvalue() and "ConnectError" in stream.getvalue()
        found += leaks(f"the {'JSON' if json_lines else 'readable'} log", stream.getvalue())
    listed = run_tracker(home, "alerts", "list", "--format", "json")
    assert "answered HTTP 500" in listed.stdout
    found += leaks("`alerts list`", listed.stdout + listed.stderr)
    stored = {
        name: every_text(path)
        for name, path in (("database", settings.database_path), ("read copy", settings.read_copy_path))
    }
    for name, text in stored.items():
        found += leaks(f"the {name}", text)
    assert not found, "\n".join(found)
    where = (
        f"answers500 (http://127.0.0.1:{receiver.base_url.rsplit(':', 1)[1]}/...)"  # what is shown instead
    )
    assert all(where in text for text in stored.values())


def test_a_mask_covers_what_a_receiver_or_httpx_may_echo():
    (target,) = parse_alerts(
        {
            "alerts": {
                "targets": [
                    {
                        "name": "t",
                        "url": f"https://{USER}:{PASSWORD}@hooks.example/{PATH_SECRET}/x?sig={TOKEN}",
                        "headers": {"Authorization": f"Bearer {BEARER}", "X-Api-Key": API_KEY},
                    }
                ]
            }
        }
    ).targets
    assert target.where == "https://hooks.example/..."
    echoed = (
        f"GET {target.url} failed; Authorization: Bearer {BEARER}; Authorization: Basic "
        f"{CREDENTIALS['basic auth']}==; key {API_KEY}; path /{PATH_SECRET}/x; user {USER} "
        f"password {PASSWORD.replace('-', '%2D')} quoted {API_KEY.replace('-', '%2D')}"
    )
    masked = target.mask(echoed)
    assert "https://hooks.example/..." in masked and leaks("the masked text", masked) == []


@pytest.mark.parametrize(
    "host",
    [
        "169.254.169.254",
        "169.254.0.1:8080",
        "2852039166",  # 169.254.169.254 as one number
        "0xa9fea9fe",
        "[fe80::1]",
        "[::ffff:169.254.169.254]",
        "0.0.0.0:9",
        "[::]",
        "metadata.google.internal",
        "100.100.100.200",
    ],
)
def test_link_local_and_metadata_targets_are_refused_unless_allowed(host, tmp_path):
    table = {"targets": [{"name": "t", "url": f"http://{host}/latest/meta-data"}]}
    with pytest.raises(ConfigError, match="allow_link_local_targets = true") as info:
        parse_alerts({"alerts": table}, tmp_path / "tracker.toml")
    assert "refused" in str(info.value) and "latest" not in str(info.value)
    assert parse_alerts({"alerts": {**table, "allow_link_local_targets": True}}).targets[0].name == "t"


def test_loopback_and_private_targets_stay_allowed():
    urls = [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://[::1]/x",
        "http://10.0.0.5/x",
        "https://a.b/c",
    ]
    cfg = parse_alerts({"alerts": {"targets": [{"name": f"t{i}", "url": u} for i, u in enumerate(urls)]}})
    assert [t.url for t in cfg.targets] == urls


def test_a_target_resolving_to_a_link_local_address_is_not_posted_to(writer):
    # built in Python (as a library user could), past the checks of tracker.toml: refused before any POST.
    # The client's transport only records: no request may leave this machine, whatever the code under test does
    requested: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(599)

    target = alerts.config.Target("meta", "json", "http://169.254.169.254:9/latest")
    cfg = alerts.AlertsConfig(watches=(alerts.config.Watch("debuts", events=("debut",)),), targets=(target,))
    with make_client(writer.settings, transport=httpx.MockTransport(record)) as client:
        tested = alerts.deliver.send_test(cfg, "meta", client, now=T0)
        assert tested.outcome == "failed" and "link-local" in tested.error and tested.http_status is None
        assert "allow_link_local_targets = true" in tested.error
        three_debuts(writer)
        ran = run(writer, cfg, 2, client=client)
    assert [a.outcome for a in ran.attempts] == ["failed"] * 3  # at once, not retried
    assert requested == []
    allowed = alerts.AlertsConfig(targets=(target,), allow_link_local_targets=True)
    assert alerts.deliver.refused(target, allowed) is None


def test_header_values_http_cannot_carry_are_refused_without_quoting_them(tmp_path):
    table = {
        "targets": [{"name": "t", "url": "https://a.b/c", "headers": {"Authorization": "Bearer s3cr\u00e9t"}}]
    }
    with pytest.raises(ConfigError, match="header 'Authorization'") as info:
        parse_alerts({"alerts": table}, tmp_path / "tracker.toml")
    assert "s3cr" not in str(info.value)


def test_errors_stored_by_an_older_version_lose_the_credentials_they_held(settings):
    leaked = (
        f"ConnectError posting to target t (http://{USER}:{PASSWORD}@127.0.0.1:9?token={TOKEN}/...): refused"
    )
    with store.writer(settings, "pytest") as w:  # a database as an older version left it
        w.con.execute("DELETE FROM schema_migrations WHERE name = '0150_mask_alert_target_credentials'")
        w.con.execute(
            "INSERT INTO alert_delivery_log (event_key, target, attempt, attempted_at, outcome, duration_ms, error) "
            "VALUES ('e', 't', 1, now(), 'retry', 1.0, ?)",
            [leaked],
        )
        w.con.execute(
            "INSERT INTO alert_deliveries (event_key, target, status, attempts, created_at, next_attempt_at, "
            "last_error) VALUES ('e', 't', 'pending', 1, now(), now(), ?)",
            [leaked],
        )
    with store.writer(settings, "pytest") as w:  # opening it applies the migration
        masked = w.con.execute(
            "SELECT error FROM alert_delivery_log UNION ALL SELECT last_error FROM alert_deliveries"
        ).fetchall()
    assert masked == [("ConnectError posting to target t (http://***@127.0.0.1:9?token=*** refused",)] * 2
