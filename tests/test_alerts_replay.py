"""Alerts on real history: the community archives replayed date by date through the real pipeline, as if
the tracker had been polling then, with the watches evaluated and delivered to a receiver on 127.0.0.1
after every date. The expected alerts are derived independently from the raw files with polars and a
few lines of Python (persistence and hysteresis on the sequence of #1s), not from the tracker's views.
Skips with a reason when ../shared is absent.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import shared_path
from tests.test_alerts import receiver  # noqa: F401 - the webhook receiver fixture
from tracker import alerts, pipeline
from tracker.alerts.config import parse_alerts

pytestmark = [pytest.mark.shared, pytest.mark.slow]

ALLTIME = ("jasontrigg0-chatbot-arena-history", "alltime.csv")


def slices_by_date(path: Path, first: str, last: str) -> list[tuple[date, bytes]]:
    """The archive cut into one payload per date (header + that date's lines, bytes as published)."""
    header, *lines = path.read_bytes().splitlines(keepends=True)
    by_day: dict[str, list[bytes]] = defaultdict(list)
    for line in lines:
        day = line.rstrip(b"\r\n").rsplit(b",", 1)[1].decode()
        if first <= day <= last:
            by_day[day].append(line)
    return [(datetime.strptime(d, "%Y%m%d").date(), header + b"".join(by_day[d])) for d in sorted(by_day)]


def expected_crowns(holders: list[tuple[date, str]], persist: int) -> list[tuple[str, date]]:
    """Reference: a change of #1 alerts when the new #1 holds for `persist` dates and differs from the last
    confirmed #1 (the first date's #1 is the baseline)."""
    confirmed, found = holders[0][1], []
    for i in range(1, len(holders)):
        leader = holders[i][1]
        if leader == holders[i - 1][1]:
            continue
        window = holders[i : i + persist]
        if len(window) == persist and all(h == leader for _, h in window) and leader != confirmed:
            found.append((leader, holders[i][0]))
            confirmed = leader
    return found


def replay(w, slices, cfg):
    """Ingest each date's payload, then evaluate and deliver as the poller would a day later."""
    for day, body in slices:
        at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        result = pipeline.ingest(w, pipeline.Payload(body, f"alltime-{day}.csv", at), publish=False)
        assert result.outcome == "new", result
        alerts.evaluate_and_deliver(w, cfg, clock=lambda at=at: at + timedelta(days=1))


def test_replaying_2024_gives_each_crown_change_once_after_it_held(writer, receiver):  # noqa: F811
    archive = shared_path(*ALLTIME)
    slices = slices_by_date(archive, "20231220", "20241231")
    cfg = parse_alerts(
        {
            "alerts": {
                "max_age": "7d",
                "targets": [{"name": "desk", "url": receiver.url()}],
                "watch": [
                    {"name": "crown", "boards": ["text/overall-no-style-control"], "events": ["new_leader"]}
                ],
            }
        }
    )
    replay(writer, slices, cfg)

    aliases = dict(writer.con.execute("select alias, model_key from model_aliases").fetchall())
    raw = pl.read_csv(archive).select(
        pl.col("key").str.strip_chars().str.to_lowercase().replace(aliases).alias("model"),
        pl.col("rating"),
        pl.col("date").cast(pl.Utf8).str.strptime(pl.Date, "%Y%m%d").alias("day"),
    )
    holders = (
        raw.filter(pl.col("day") >= date(2023, 12, 20), pl.col("day") <= date(2024, 12, 31))
        .sort("rating", descending=True)
        .group_by("day", maintain_order=True)
        .first()
        .sort("day")
        .select("day", "model")
        .rows()
    )
    expected = expected_crowns(holders, persist=2)
    changes = sum(1 for i in range(1, len(holders)) if holders[i][1] != holders[i - 1][1])
    assert len(expected) >= 5 and changes > len(expected)  # some changes did not hold: persistence matters

    sent = receiver.bodies()
    assert [(b["model"]["key"], date.fromisoformat(b["event_date"])) for b in sent] == expected
    assert len({b["event_key"] for b in sent}) == len(sent) == len(receiver.received)
    assert all("publishes no confidence intervals" in b["text"] for b in sent)
    # each alert went out right after the date that confirmed it (the next date of the archive)
    days = [d for d, _ in slices]
    assert [b["confirmed_as_of"] for b in sent] == [str(days[days.index(d) + 1]) for _, d in expected]
    # evaluating again writes and sends nothing
    again = alerts.evaluate_and_deliver(writer, cfg, clock=lambda: datetime(2025, 1, 1, tzinfo=UTC))
    assert again.recorded.alerts == 0 and again.attempts == ()
