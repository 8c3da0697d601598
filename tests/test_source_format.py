"""The format contract (tracker/sources/format.py) and the registry that lists each module's ``FORMAT``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker import sources
from tracker.errors import UnknownFormatError
from tracker.identity import catalogue as identity
from tracker.parsed import empty_standings
from tracker.sources.format import SourceFormat

NOW = datetime(2026, 1, 2, tzinfo=UTC)


def test_every_format_is_registered_once_under_its_own_name():
    names = [fmt.source for fmt in sources.FORMATS]
    assert len(names) == len(set(names))
    for fmt in sources.FORMATS:
        assert sources.by_name(fmt.source) is fmt


def test_a_format_without_optional_hooks_does_nothing_there():
    plain = SourceFormat(
        source="plain", sniff=lambda body, origin: False, parse=lambda *a, **k: empty_standings()
    )
    assert plain.hints_for_path(Path("history/2025-03-07_b3b0fef89/leaderboard-text.json")) == {}
    assert plain.refusal(b"anything", "x.json") is None
    assert plain.source_of(b"anything", "x.json") == "plain"
    assert plain.parse_identity(b"anything", "x.json", fetched_at=NOW) is None
    assert identity.sightings_of(plain, b"anything", "x.json", fetched_at=NOW).is_empty()


def test_a_format_that_names_its_upstream_stores_rows_under_it():
    named = SourceFormat(
        source="bundle",
        sniff=lambda body, origin: True,
        parse=lambda *a, **k: empty_standings(),
        upstream=lambda body, origin: body.decode(),
    )
    assert named.source_of(b"arena-page", "x.parquet") == "arena-page"


def test_an_unknown_source_name_lists_the_known_ones():
    with pytest.raises(UnknownFormatError, match="known: starter, arena-page"):
        sources.by_name("no-such-format")
