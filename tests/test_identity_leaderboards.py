"""One model across leaderboards: Artificial Analysis's slugs and names resolve to LMArena's canonical keys
where they are the same model, MAI models stay Microsoft AI whatever creator name a row carries (Phi stays
Microsoft), and `tracker models --unmatched` lists the names no other leaderboard lists.

Frames are built by hand in the shape the Artificial Analysis formats give (key = its slug, display name =
its `name`, organisation = its `creator.name`) and stored through ``store.load_frame``, so these tests do not
depend on that parser; the identity comes from the real seeds, refreshed in a real DuckDB file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest
from typer.testing import CliRunner

from tests.conftest import shared_path
from tracker import identity, store
from tracker.cli import app
from tracker.parsed import conform

AA_ARENAS = "artificial-analysis"  # speech, image and video arenas
AA_LLMS = "artificial-analysis-llms"
AT = datetime(2026, 7, 3, 8, tzinfo=UTC)

# (key, display name, organisation) as LMArena's keyed sources publish them
LMARENA_TEXT = [
    ("gpt-5-high", "gpt-5-high", "OpenAI"),
    ("gpt-5.4-mini-high", "gpt-5.4-mini-high", "OpenAI"),
    ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929", "Anthropic"),
    ("claude-sonnet-4-5-20250929-thinking-32k", "claude-sonnet-4-5-20250929-thinking-32k", "Anthropic"),
    ("phi-4", "phi-4", "Microsoft"),
    ("mai-1-preview", "mai-1-preview", "Microsoft AI"),
]
LMARENA_IMAGE = [("mai-image-1", "mai-image-1", None), ("flux-2-pro", "flux-2-pro", None)]
# (slug, name, creator.name) as Artificial Analysis publishes them
AA_LLM_ROWS = [
    ("gpt-5", "GPT-5 (high)", "OpenAI"),
    ("gpt-5-4-mini", "GPT-5.4 mini (xhigh)", "OpenAI"),  # LMArena lists it at high effort only
    ("claude-4-5-sonnet", "Claude 4.5 Sonnet (Non-reasoning)", "Anthropic"),
    ("claude-4-5-sonnet-thinking", "Claude 4.5 Sonnet (Reasoning)", "Anthropic"),  # budget unknown
    ("phi-4", "Phi-4", "Microsoft Azure"),
    ("phi-4-mini", "Phi-4 Mini Instruct", "Microsoft Azure"),
]
AA_SPEECH_ROWS = [("mai-voice-1", "MAI-Voice-1", "Microsoft Azure"), ("eleven-v3", "Eleven v3", "ElevenLabs")]
AA_IMAGE_ROWS = [
    ("microsoft_mai-image-1", "MAI Image 1", "Microsoft Azure"),
    ("smith", "MAI-Image-2", "Microsoft"),
    ("mai-image-2-5", "MAI-Image-2.5", "Microsoft AI"),
    ("mai-image-2-5-flash", "MAI-Image-2.5-Flash", "Microsoft AI"),
    ("flux_flux-2--pro", "FLUX.2 [pro]", "Black Forest Labs"),
]


def board(rows: list[tuple], *, arena: str, leaderboard: str = "LMArena", at: datetime = AT) -> pl.DataFrame:
    """A standings frame: one snapshot, ratings falling by 10 from 1400 in row order."""
    return conform(
        pl.DataFrame(
            [
                {
                    "leaderboard": leaderboard,
                    "arena": arena,
                    "category": "overall",
                    "style_control": False,
                    "as_of": at,
                    "as_of_kind": "capture_time",
                    "model_key": key,
                    "display_name": name,
                    "organization": org,
                    "rating": 1400.0 - 10 * i,
                    "votes": 1000,
                }
                for i, (key, name, org) in enumerate(rows)
            ],
            infer_schema_length=None,
        )
    )


def put(w: store.Writer, frame: pl.DataFrame, source: str, payload_hash: str) -> None:
    """Store a frame as the pipeline does (one transaction), then refresh identity."""
    w.con.execute("BEGIN TRANSACTION")
    store.load_frame(w.con, frame, source=source, payload_hash=payload_hash, fetched_at=AT)
    w.con.execute("COMMIT")
    identity.refresh(w.con)


def load_lmarena(w: store.Writer) -> None:
    put(w, board(LMARENA_TEXT, arena="text"), "arena-dataset", "lmarena-text")
    put(w, board(LMARENA_IMAGE, arena="text_to_image"), "arena-catalog", "lmarena-image")


def load_artificial_analysis(w: store.Writer) -> None:
    aa = "Artificial Analysis"
    put(w, board(AA_LLM_ROWS, arena="llm", leaderboard=aa), AA_LLMS, "aa-llms")
    put(w, board(AA_SPEECH_ROWS, arena="text_to_speech", leaderboard=aa), AA_ARENAS, "aa-speech")
    put(w, board(AA_IMAGE_ROWS, arena="text_to_image", leaderboard=aa), AA_ARENAS, "aa-image")


def organisations(con, source: str) -> dict[str, str]:
    found = con.execute(
        "SELECT source_key, organization FROM standings_resolved WHERE source = $s", {"s": source}
    ).fetchall()
    return dict(found)


def test_artificial_analysis_slugs_and_names_resolve_to_lmarena_keys(writer):
    load_lmarena(writer)
    load_artificial_analysis(writer)
    expected = {
        "gpt-5": "gpt-5-high",  # GPT-5 at high reasoning effort
        "GPT-5 (high)": "gpt-5-high",  # AA's display name, learned from its rows
        "claude-4-5-sonnet": "claude-sonnet-4-5-20250929",  # without reasoning: LMArena's key without -thinking
        "Claude 4.5 Sonnet (Non-reasoning)": "claude-sonnet-4-5-20250929",
        "claude-4-5-sonnet-thinking": "claude-4-5-sonnet-thinking",  # thinking budget unknown: left alone
        "gpt-5-4-mini": "gpt-5-4-mini",  # xhigh is not LMArena's high
        "phi-4": "phi-4",
        "mai-voice-1": "mai-voice-1",
        "MAI-Voice-1": "mai-voice-1",
        "microsoft_mai-image-1": "mai-image-1",
        "MAI Image 1": "mai-image-1",
        "smith": "mai-image-2",  # AA's codename slug for MAI-Image-2
        "mai-image-2-5": "mai-image-2.5",
        "MAI-Image-2.5-Flash": "mai-image-2.5-flash",
        "flux_flux-2--pro": "flux-2-pro",
    }
    assert {name: identity.resolve(writer.con, name) for name in expected} == expected
    shared = writer.con.execute(
        "SELECT model, list(DISTINCT source ORDER BY source) FROM standings_resolved "
        "WHERE model IN ('gpt-5-high', 'claude-sonnet-4-5-20250929', 'mai-image-1', 'phi-4') GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert shared == [
        ("claude-sonnet-4-5-20250929", ["arena-dataset", AA_LLMS]),
        ("gpt-5-high", ["arena-dataset", AA_LLMS]),
        ("mai-image-1", ["arena-catalog", AA_ARENAS]),
        ("phi-4", ["arena-dataset", AA_LLMS]),
    ]


def test_mai_models_are_microsoft_ai_whatever_the_creator_and_phi_stays_microsoft(writer):
    load_artificial_analysis(writer)  # no LMArena rows: the catalogue alone decides
    arenas, llms = organisations(writer.con, AA_ARENAS), organisations(writer.con, AA_LLMS)
    assert arenas["mai-voice-1"] == "Microsoft AI"  # creator "Microsoft Azure"
    assert {
        arenas[k] for k in ("microsoft_mai-image-1", "smith", "mai-image-2-5", "mai-image-2-5-flash")
    } == {"Microsoft AI"}
    assert llms["phi-4"] == llms["phi-4-mini"] == "Microsoft"  # creator "Microsoft Azure"
    assert writer.con.execute(
        "SELECT org_key, kind FROM org_aliases WHERE alias = 'microsoft azure'"
    ).fetchall() == [("microsoft", "seed")]
    catalogue = writer.con.execute(
        "SELECT model_key, display_name, org_key, kind FROM models WHERE model_key LIKE 'mai-%' ORDER BY 1"
    ).fetchall()
    assert catalogue == [
        ("mai-1-preview", "MAI-1-preview", "microsoft-ai", "seed"),
        ("mai-image-1", "MAI-Image-1", "microsoft-ai", "seed"),
        ("mai-image-2", "MAI-Image-2", "microsoft-ai", "seed"),
        ("mai-image-2-efficient", "MAI-Image-2-Efficient", "microsoft-ai", "seed"),
        ("mai-image-2.5", "MAI-Image-2.5", "microsoft-ai", "seed"),
        ("mai-image-2.5-flash", "MAI-Image-2.5-Flash", "microsoft-ai", "seed"),
        ("mai-voice-1", "MAI-Voice-1", "microsoft-ai", "seed"),
    ]


def unmatched(settings, *args: str) -> pl.DataFrame:
    result = CliRunner().invoke(
        app, ["models", "--unmatched", *args, "--format", "csv", "--home", str(settings.home)]
    )
    assert result.exit_code == 0, result.output
    return pl.read_csv(result.output.encode()) if result.output.strip() else pl.DataFrame()


def test_unmatched_lists_the_names_no_other_leaderboard_lists(settings):
    with store.writer(settings, "pytest") as w:
        load_lmarena(w)
        w.dirty = True
    assert unmatched(settings).is_empty()  # one leaderboard: nothing to match against
    with store.writer(settings, "pytest") as w:
        load_artificial_analysis(w)
        w.dirty = True
    found = unmatched(settings)
    listed = {(r["leaderboard"], r["model"]) for r in found.iter_rows(named=True)}
    assert listed == {
        ("Artificial Analysis", "claude-4-5-sonnet-thinking"),
        ("Artificial Analysis", "gpt-5-4-mini"),
        ("Artificial Analysis", "phi-4-mini"),
        ("Artificial Analysis", "mai-voice-1"),
        ("Artificial Analysis", "eleven-v3"),
        ("Artificial Analysis", "mai-image-2"),
        ("Artificial Analysis", "mai-image-2.5"),
        ("Artificial Analysis", "mai-image-2.5-flash"),
        ("LMArena", "claude-sonnet-4-5-20250929-thinking-32k"),
        ("LMArena", "gpt-5.4-mini-high"),
        ("LMArena", "mai-1-preview"),
    }
    row = found.filter(pl.col("model") == "gpt-5-4-mini").row(0, named=True)
    assert (row["names"], row["display_name"], row["arenas"]) == (
        "gpt-5-4-mini",
        "GPT-5.4 mini (xhigh)",
        "llm",
    )
    assert row["closest"] == "gpt-5.4-mini-high" and row["similarity"] >= 0.9  # the likeliest miss, first
    assert found.filter(pl.col("leaderboard") == "Artificial Analysis")["model"][0] == "gpt-5-4-mini"
    assert found.filter(pl.col("model") == "smith").is_empty()  # names are shown under their canonical model
    assert set(unmatched(settings, "artificial analysis")["leaderboard"]) == {"Artificial Analysis"}
    assert unmatched(settings, "mai-voice")["model"].to_list() == ["mai-voice-1"]

    # the fix the report points to: an alias, and the name leaves the report
    with store.writer(settings, "pytest") as w:
        identity.add_alias(w.con, "gpt-5-4-mini", "gpt-5.4-mini-high", note="test")
        w.dirty = True
    assert "gpt-5-4-mini" not in unmatched(settings)["model"].to_list()


def aa_feed(path) -> list[tuple[str, str, str]]:
    """(slug, name, creator) of an Artificial Analysis copy, slugs lower-cased as its formats key them."""
    models = json.loads(path.read_text())["models"]
    return [(m["slug"].strip().lower(), m["name"], (m.get("creator") or {}).get("name")) for m in models]


@pytest.mark.parametrize(
    ("endpoint", "arena"),
    [
        ("llms", "llm"),
        ("text-to-image", "text_to_image"),
        ("image-editing", "image_edit"),
        ("text-to-speech", "text_to_speech"),
    ],
)
def test_seeded_aliases_never_merge_two_models_an_artificial_analysis_board_lists(writer, endpoint, arena):
    path = shared_path("samica666-aa-arenas", "2026-07-03", f"{endpoint}.json")
    rows = list({slug: (slug, name, org) for slug, name, org in aa_feed(path)}.values())
    source = AA_LLMS if endpoint == "llms" else AA_ARENAS
    put(writer, board(rows, arena=arena, leaderboard="Artificial Analysis"), source, f"aa-{endpoint}")
    merged = writer.con.execute(
        "SELECT model, list(source_key ORDER BY source_key) FROM standings_resolved GROUP BY model HAVING count(*) > 1"
    ).fetchall()
    assert merged == []
    orgs = organisations(writer.con, source)
    mai = {key: org for key, org in orgs.items() if identity.resolve(writer.con, key).startswith("mai-")}
    assert set(mai.values()) <= {"Microsoft AI"}
    assert {org for key, org in orgs.items() if key.startswith("phi-")} <= {"Microsoft"}
    if endpoint == "text-to-image":
        assert {identity.resolve(writer.con, k) for k in mai} == {
            "mai-image-1",
            "mai-image-2",
            "mai-image-2-efficient",
            "mai-image-2.5",
            "mai-image-2.5-flash",
        }
