"""The site model registry (Namra7-x copy): identity only, the shown name with its organisation."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.conftest import shared_path
from tracker import identity, sources
from tracker.errors import ParseError
from tracker.ingest import pipeline
from tracker.sources import namra7x

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def registry() -> bytes:
    caps = {"inputCapabilities": {"text": True}, "outputCapabilities": {"text": True}}
    return json.dumps(
        {
            "u1": {
                "capabilities": caps,
                "displayName": "claude-opus-4-7",
                "id": "u1",
                "name": "claude-opus-4-7-vertex",
                "organization": "anthropic",
                "publicName": "claude-opus-4-7",
                "rankByModality": {"chat": 3},
            },
            "u2": {
                "capabilities": caps,
                "displayName": "flying-octopus",
                "id": "u2",
                "publicName": "flying-octopus",
                "rankByModality": {"chat": 9},
            },
        }
    ).encode()


def test_registry_entries_are_unkeyed_sightings_of_the_shown_name():
    body = registry()
    assert sources.detect(body, "snapshot.json") is namra7x.FORMAT
    assert namra7x.parse(body, "snapshot.json", fetched_at=NOW).is_empty()
    seen = identity.sightings_of(namra7x.FORMAT, body, "snapshot.json", fetched_at=NOW)
    assert seen.select("model_key", "organization", "keyed").rows() == [
        ("claude-opus-4-7", "anthropic", False),
        ("flying-octopus", None, False),
    ]
    assert json.loads(seen["extra"][0])["name"] == "claude-opus-4-7-vertex"


def test_real_registry_imports_as_sightings(writer):
    path = shared_path("namra7x-lmarena-tracker", "snapshot.json")
    result = pipeline.ingest(writer, pipeline.Payload(path.read_bytes(), str(path), NOW))
    assert (result.source, result.outcome, result.snapshots_new) == ("namra7x", "new", 0)
    count, mai = writer.con.execute(
        "select count(*), max(organization) filter (where model_key = 'mai-1-preview') from model_sightings"
    ).fetchall()[0]
    assert count == 993
    assert mai in (None, "microsoft-ai")


def sightings_error(mutate) -> ParseError:
    """The ParseError of the two-entry registry after ``mutate(document)``, read for sightings."""
    document = json.loads(registry())
    mutate(document)
    with pytest.raises(ParseError) as err:
        identity.sightings_of(namra7x.FORMAT, json.dumps(document).encode(), "snapshot.json", fetched_at=NOW)
    return err.value


def test_json_nested_thousands_deep_is_a_parse_error():
    body = registry().replace(b'"anthropic"', b"[" * 5000 + b"]" * 5000)
    with pytest.raises(ParseError, match="nested deeper"):
        namra7x.parse(body, "snapshot.json", fetched_at=NOW)


def test_a_list_where_the_organisation_belongs_names_row_and_field():
    error = sightings_error(lambda d: d["u2"].update(organization=["x"]))
    assert (error.row, error.field) == (2, "organization")


def test_a_lone_surrogate_in_the_shown_name_names_row_and_field():
    error = sightings_error(lambda d: d["u1"].update(publicName="claude\udfff"))
    assert (error.row, error.field) == (1, "publicName")
    assert "lone surrogate" in error.detail


def test_an_empty_registry_is_a_parse_error():
    with pytest.raises(ParseError, match="lists no models"):
        identity.sightings_of(namra7x.FORMAT, b"{}", "snapshot.json", fetched_at=NOW)
