"""The sanity guard: a polled board that lost more than half its models versus the previous snapshot of the same
board (same source), or lost a field, is rejected: raw bytes kept, fetch row says why, standings untouched.

Uses the real captured arena.ai page and pages derived from its own board (fewer entries, a field blanked).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.conftest import shared_path
from tests.pages import entry, leaderboard, page
from tracker.errors import SanityError
from tracker.ingest import pipeline
from tracker.ingest.guard import check
from tracker.sources import arena_page
from tracker.sources.arena_page import flight_text

NOW = datetime(2026, 11, 1, tzinfo=UTC)
OVERALL = ("podsieve-prediction_mkt", "arena_text_overall-no-style-control_cutoff-2026-05-07.html")


def real_board() -> dict:
    """The leaderboard object of the real captured page (357 entries)."""
    html = shared_path(*OVERALL).read_text(encoding="utf-8")
    for line in flight_text(html, "real").split("\n"):
        if '"entries"' in line and '"leaderboard"' in line:
            value = json.loads(line.partition(":")[2])
            return value[3]["leaderboard"]
    raise AssertionError("no board in the real page")


def derived(
    board: dict, *, keep: int | None = None, cutoff: str = "2026-05-08T14:00:00.000Z", **blank
) -> bytes:
    entries = [dict(e) for e in board["entries"][:keep]]
    for field in blank:
        for e in entries:
            e[field] = None
    return page(
        leaderboard(
            entries,
            category=board["params"]["category"],
            style=board["params"]["styleControl"],
            cutoff=cutoff,
        )
    )


def ingest(writer, body: bytes, origin: str):
    return pipeline.ingest(writer, pipeline.Payload(body, origin, NOW), job="test", guard=check)


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in ("snapshots", "standings")}


def test_a_board_that_lost_more_than_half_its_models_is_rejected(writer):
    board = real_board()
    assert len(board["entries"]) == 357
    assert ingest(writer, shared_path(*OVERALL).read_bytes(), "https://arena.ai/x").outcome == "new"
    before = counts(writer.con)

    shrunk = derived(board, keep=150)
    result = ingest(writer, shrunk, "https://arena.ai/leaderboard/text/overall-no-style-control")

    assert result.outcome == "rejected"
    assert "text/overall-no-style-control has 150 models, fewer than half of the 357" in result.error
    assert counts(writer.con) == before  # standings untouched
    status, error = writer.con.execute(
        "select r.status, f.error from raw_payloads r join fetches f using (payload_hash) "
        "where f.outcome = 'rejected'"
    ).fetchall()[0]
    assert status == "rejected" and "sanity guard" in error  # raw bytes kept, the fetch row says why


def test_losing_exactly_half_passes_and_one_more_is_rejected(writer):
    board = real_board()
    first = derived(board, keep=200, cutoff="2026-05-07T14:00:00.000Z")
    assert ingest(writer, first, "a").outcome == "new"
    assert ingest(writer, derived(board, keep=99), "b").outcome == "rejected"
    assert ingest(writer, derived(board, keep=100), "c").outcome == "new"


def test_a_field_the_board_had_but_lost_is_rejected(writer):
    board = real_board()
    assert ingest(writer, derived(board, cutoff="2026-05-07T14:00:00.000Z"), "a").outcome == "new"
    result = ingest(writer, derived(board, modelOrganization=None), "b")
    assert result.outcome == "rejected"
    assert "has no organization in any row, unlike the previous arena-page snapshot" in result.error


def test_live_pages_always_need_votes_and_bounds(writer):
    board = leaderboard([entry("alpha", 1400, 1390, 1410), entry("beta", 1300, 1290, 1310)])
    for e in board["entries"]:
        e["votes"] = None  # present but empty: the parser accepts it, the guard does not
    result = ingest(writer, page(board), "first-ever")
    assert result.outcome == "rejected" and "has no votes in any row" in result.error


def test_first_snapshot_and_other_sources_are_not_compared(writer):
    three = page(
        leaderboard(
            [
                entry("alpha", 1400, 1390, 1410),
                entry("beta", 1300, 1290, 1310),
                entry("gamma", 1200, 1190, 1210),
            ]
        )
    )
    assert ingest(writer, three, "first").outcome == "new"  # no previous snapshot: nothing to compare
    one = arena_page.parse(three, "x", fetched_at=NOW).head(1)
    check(writer.con, one, "another-source", "x")  # the board from another source is not "previous"
    with pytest.raises(SanityError, match="has 1 models, fewer than half of the 3"):
        check(writer.con, one, "arena-page", "x")


def test_an_older_snapshot_is_compared_with_the_one_before_it(writer):
    board = real_board()
    assert ingest(writer, derived(board, cutoff="2026-05-07T14:00:00.000Z"), "newer").outcome == "new"
    # a small board dated before everything stored has no previous snapshot: it passes
    older = derived(board, keep=10, cutoff="2026-01-01T00:00:00.000Z")
    assert ingest(writer, older, "older").outcome == "new"
