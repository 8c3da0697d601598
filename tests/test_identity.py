"""Model and organisation identity: seeds, learned display-name aliases, user merges and splits, renamed
2023 keys, MAI-1-preview across sources, source disagreements, and the `models` / `alias` commands."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tests.cli import run_tracker
from tests.conftest import shared_path
from tracker import identity, seeds, store
from tracker.cli import app
from tracker.errors import ConfigError, QueryError
from tracker.ingest import pipeline, reparse
from tracker.read import query as tracker_query
from tracker.read import story

NOW = datetime(2026, 11, 1, tzinfo=UTC)
KEYED = (  # jasontrigg0 alltime.csv layout: publishes keys and display names
    "key,Model,rating,License,Organization,date\n"
    "claude-3-opus-20240229,Claude 3 Opus,1250.0,Proprietary,Anthropic,20240605\n"
    "gpt-4,ChatGPT-4,1160.0,Proprietary,OpenAI,20231116\n"
    "gpt-4-0314,GPT-4-0314,1150.0,Proprietary,OpenAI,20231206\n"
    "mai-x,MAI X,1100.0,Proprietary,Microsoft AI,20240605\n"
    "twin-a,Twin,1000.0,Open,Foo Labs,20240605\n"
    "twin-b,Twin,990.0,Open,foo-labs,20240605\n"
    "real-key,Other Name,980.0,Open,DeepSeek AI,20240605\n"
    "other-name,Other-Name,970.0,Open,DeepSeek,20240605\n"
)
SHOWN = (  # kevinschaul layout: shows names only (no keys)
    "date,rank,model,score,ci95,votes,organization,license\n"
    '2024-06-05,1,Claude 3 Opus,1251,±4,"10,000",Anthropic,Proprietary\n'
    "2024-06-05,2,MAI X,1101,±4,900,Microsoft,Proprietary\n"
    "2024-06-05,3,Twin,1000,±4,900,Foo Labs,Open\n"
)


def ingest(w, text: str, origin: str) -> pipeline.IngestResult:
    result = pipeline.ingest(w, pipeline.Payload(text.encode(), origin, NOW))
    assert result.ok, result.error
    return result


def rows(con, query: str, params: dict | None = None) -> list[tuple]:
    return con.execute(query, params or {}).fetchall()


def rows_of(settings, query: str) -> list[tuple]:
    """Rows from the published read copy, as every reader sees them."""
    return [tuple(r) for r in tracker_query.run_sql(settings, query).iter_rows()]


def history(con, model: str) -> list[tuple]:
    return rows(
        con,
        "select as_of::varchar, source, source_key, organization from rank_history where model = $m order by all",
        {"m": model},
    )


def test_seeds_load_on_writer_open_and_a_refresh_is_idempotent(writer):
    con = writer.con
    assert rows(con, "select model_key, kind from model_aliases where alias = 'gpt-4'") == [
        ("gpt-4-0314", "rename")
    ]
    assert rows(con, "select org_key from org_aliases where alias = 'zhipu ai'") == [("zai",)]
    assert rows(
        con, "select display_name, org_key, family from models where model_key = 'mai-1-preview'"
    ) == [("MAI-1-preview", "microsoft-ai", "mai-1")]
    snapshot = {
        t: sorted(rows(con, f"select * from {t}"))
        for t in ("models", "model_aliases", "organizations", "org_aliases")
    }
    identity.refresh(con)
    identity.refresh(con)
    assert {t: sorted(rows(con, f"select * from {t}")) for t in snapshot} == snapshot


def test_a_display_name_from_a_keyed_source_resolves_a_source_that_shows_only_names(writer):
    ingest(writer, KEYED, "alltime.csv")
    ingest(writer, SHOWN, "history.csv")
    identity.refresh(writer.con)
    assert rows(writer.con, "select model_key, kind from model_aliases where alias = 'claude 3 opus'") == [
        ("claude-3-opus-20240229", "learned")
    ]
    assert [s for _, s, _, _ in history(writer.con, "claude-3-opus-20240229")] == [
        "jasontrigg0",
        "kevinschaul",
    ]


def test_ambiguous_names_and_names_that_are_real_keys_are_not_learned(writer):
    ingest(writer, KEYED, "alltime.csv")
    ingest(writer, SHOWN, "history.csv")
    identity.refresh(writer.con)
    # "Twin" names two keys; "other-name" is a key of its own in a keyed source
    assert rows(writer.con, "select alias from model_aliases where alias in ('twin', 'other-name')") == []
    assert rows(writer.con, "select distinct model from rank_history where source_key = 'twin'") == [
        ("twin",)
    ]


def test_renames_are_data_and_variants_stay_separate(writer):
    ingest(writer, KEYED, "alltime.csv")
    identity.refresh(writer.con)
    assert [d for d, *_ in history(writer.con, "gpt-4-0314")] == ["2023-11-16", "2023-12-06"]
    assert rows(writer.con, "select count(*) from rank_history where model = 'gpt-4'") == [(0,)]
    models = {m for (m,) in rows(writer.con, "select model_key from models")}
    assert {
        "gpt-4-0613",
        "gpt-4-1106-preview",
    } <= models  # seeded catalogue: dated variants are separate models


def test_organisations_are_canonical_and_one_per_model(writer):
    ingest(writer, KEYED, "alltime.csv")
    ingest(writer, SHOWN, "history.csv")
    identity.refresh(writer.con)
    orgs = dict(
        rows(
            writer.con, "select source_key, organization from standings_resolved where source = 'jasontrigg0'"
        )
    )
    assert orgs["real-key"] == orgs["other-name"] == "DeepSeek"  # DeepSeek AI / DeepSeek
    assert orgs["twin-a"] == orgs["twin-b"] == "Foo Labs"  # same slug: one learned organisation
    # the name-only source says "Microsoft" for MAI X; the model keeps its one canonical organisation
    assert {o for *_, o in history(writer.con, "mai-x")} == {"Microsoft AI"}


def test_a_user_merge_survives_reseeding_and_every_view_follows(writer):
    ingest(writer, KEYED, "alltime.csv")
    assert identity.add_alias(writer.con, "twin", "twin-a", note="the shown name is twin-a") == "twin-a"
    identity.refresh(writer.con)
    assert rows(writer.con, "select model_key, kind, note from model_aliases where alias = 'twin'") == [
        ("twin-a", "user", "the shown name is twin-a")
    ]
    ingest(writer, SHOWN, "history.csv")
    identity.refresh(writer.con)
    assert ("2024-06-05", "kevinschaul", "twin", "Foo Labs") in history(writer.con, "twin-a")


def test_a_user_split_overrides_a_seeded_rename_and_reset_restores_it(writer):
    ingest(writer, KEYED, "alltime.csv")
    identity.remove_alias(writer.con, "gpt-4")
    assert [d for d, *_ in history(writer.con, "gpt-4")] == ["2023-11-16"]
    assert [d for d, *_ in history(writer.con, "gpt-4-0314")] == ["2023-12-06"]
    assert identity.reset_alias(writer.con, "gpt-4")
    assert [d for d, *_ in history(writer.con, "gpt-4-0314")] == ["2023-11-16", "2023-12-06"]


def test_reversing_a_rename_makes_no_cycle(writer):
    ingest(writer, KEYED, "alltime.csv")
    assert identity.add_alias(writer.con, "gpt-4-0314", "gpt-4") == "gpt-4"
    assert [d for d, *_ in history(writer.con, "gpt-4")] == ["2023-11-16", "2023-12-06"]
    assert rows(
        writer.con, "select count(*) from model_aliases where alias = model_key and alias = 'gpt-4'"
    ) == [(1,)]


def test_a_user_organisation_merge(writer):
    ingest(writer, KEYED, "alltime.csv")
    identity.add_org_alias(writer.con, "Foo Labs", "deepseek")
    assert {o for *_, o in history(writer.con, "twin-a")} == {"DeepSeek"}


def test_an_organisation_merge_refuses_an_unknown_key_unless_new(writer):
    ingest(writer, KEYED, "alltime.csv")
    with pytest.raises(QueryError, match=r"no organisation has the key 'deepsek'; did you mean deepseek\? "):
        identity.add_org_alias(writer.con, "Foo Labs", "deepsek")
    with pytest.raises(QueryError, match=r"key 'DeepSeek AI'; did you mean deepseek\? .*pass --new"):
        identity.add_org_alias(writer.con, "Foo Labs", "DeepSeek AI")  # a spelling, not a key
    assert rows(writer.con, "select count(*) from org_aliases where kind = 'user'") == [(0,)]
    assert {o for *_, o in history(writer.con, "twin-a")} == {"Foo Labs"}
    made = identity.add_org_alias(writer.con, "Foo Labs", "foo-research", new=True)
    assert (made.org_key, made.new_org, made.followed, made.kept) == ("foo-research", True, ("twin-a",), ())
    assert {o for *_, o in history(writer.con, "twin-a")} == {"foo-research"}


def test_an_organisation_merge_names_the_models_the_catalogue_keeps(writer):
    ingest(writer, KEYED, "alltime.csv")
    # gpt-4 (renamed to gpt-4-0314) and gpt-4-0314 are spelt OpenAI; seeds/models.csv fixes gpt-4-0314's organisation
    merged = identity.add_org_alias(writer.con, "OpenAI", "microsoft")
    assert (merged.followed, merged.kept) == ((), (("gpt-4-0314", "OpenAI", True),))
    assert {o for *_, o in history(writer.con, "gpt-4-0314")} == {"OpenAI"}
    assert identity.add_org_alias(writer.con, "Foo Labs", "deepseek").followed == ("twin-a",)


def test_reset_drops_a_user_organisation_alias(writer):
    ingest(writer, KEYED, "alltime.csv")
    identity.add_org_alias(writer.con, "Foo Labs", "deepseek")
    assert identity.reset_alias(writer.con, "foo labs") == ("organisation",)
    assert rows(writer.con, "select kind from org_aliases where alias = 'foo labs'") == [("learned",)]
    assert {o for *_, o in history(writer.con, "twin-a")} == {"Foo Labs"}
    assert identity.reset_alias(writer.con, "foo labs") == ()


def test_a_split_of_an_unknown_name_or_of_a_model_is_refused(writer):
    ingest(writer, KEYED, "alltime.csv")
    with pytest.raises(
        QueryError, match=r"no such alias or model: 'not-an-alias-at-all'; `tracker alias list"
    ):
        identity.remove_alias(writer.con, "not-an-alias-at-all")
    with pytest.raises(QueryError, match=r"no such alias or model: 'gpt-4-0315'; did you mean gpt-4-0314"):
        identity.remove_alias(writer.con, "gpt-4-0315")
    with pytest.raises(QueryError, match="gpt-4-0314 is already its own model"):
        identity.remove_alias(writer.con, "gpt-4-0314")
    assert rows(writer.con, "select count(*) from model_aliases where kind = 'user'") == [(0,)]
    assert identity.remove_alias(writer.con, "GPT-4") == "gpt-4-0314"


def test_reparse_rebuilds_sightings_and_identity(writer):
    path = shared_path("jasontrigg0-chatbot-arena-history", "key_to_model.csv")
    ingest(writer, path.read_text(), str(path))
    before = rows(writer.con, "select * from model_sightings order by model_key")
    result = reparse.reparse(writer)
    assert not result.failures
    assert rows(writer.con, "select * from model_sightings order by model_key") == before
    assert len(before) == 13


FROM_STANDINGS = """
    WITH snapshot_keyed AS (
        SELECT snapshot_id, bool_or(display_name IS NULL OR lower(trim(display_name)) <> model_key) AS keyed
        FROM standings GROUP BY snapshot_id
    )
    SELECT st.model_key, st.display_name, st.organization, k.keyed, count(*), max(sn.as_of)
    FROM standings AS st JOIN snapshots AS sn USING (snapshot_id) JOIN snapshot_keyed AS k USING (snapshot_id)
    GROUP BY ALL ORDER BY ALL
"""


def test_identity_observations_keep_up_with_every_load_and_a_reparse(writer):
    for text, origin in ((KEYED, "jasontrigg0/alltime.csv"), (SHOWN, "kevinschaul/history.csv")):
        ingest(writer, text, origin)
        kept = rows(writer.con, "SELECT * FROM identity_observations ORDER BY ALL")
        assert kept and kept == rows(writer.con, FROM_STANDINGS)
    ingest(writer, KEYED.replace("20240605", "20240612"), "jasontrigg0/alltime-later.csv")  # counts add up
    assert rows(writer.con, "SELECT * FROM identity_observations ORDER BY ALL") == rows(
        writer.con, FROM_STANDINGS
    )
    reparse.reparse(writer)
    assert rows(writer.con, "SELECT * FROM identity_observations ORDER BY ALL") == rows(
        writer.con, FROM_STANDINGS
    )


def test_malformed_seeds_fail_naming_the_file(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(seeds.seeds_dir(), folder, ignore=shutil.ignore_patterns("history*", "*.parquet"))
    with (folder / "model_aliases.csv").open("a") as handle:
        handle.write("GPT-4,gpt-4-0613,rename,twice\n")
    with pytest.raises(ConfigError, match=r"model_aliases\.csv.*'GPT-4' is listed twice"):
        seeds.read_all(folder)
    (folder / "org_aliases.csv").write_text("spelling,org\n")
    with pytest.raises(ConfigError, match=r"org_aliases\.csv has columns"):
        seeds.read(folder / "org_aliases.csv", ("alias", "org_key"), ("alias",))


def test_an_edited_seed_file_is_read_again_by_the_next_refresh_of_the_same_process(writer, tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(seeds.seeds_dir(), folder, ignore=shutil.ignore_patterns("history*", "*.parquet"))
    new_lab = "select display_name from organizations where org_key = 'a-new-lab'"
    identity.refresh(writer.con, seeds_dir=folder)
    assert rows(writer.con, new_lab) == []
    with (folder / "organizations.csv").open("a") as handle:
        handle.write("a-new-lab,A New Lab\n")
    identity.refresh(writer.con, seeds_dir=folder)
    assert rows(writer.con, new_lab) == [("A New Lab",)]
    (folder / "organizations.csv").write_text("org_key\n")
    with pytest.raises(ConfigError, match=r"organizations\.csv has columns"):
        identity.refresh(writer.con, seeds_dir=folder)


def test_source_disagreements_ignore_rounding_and_list_real_differences(writer):
    keyed = "key,Model,rating,License,Organization,date\nx,X,1393.73,P,O,20250505\ny,Y,1300.4,P,O,20250505\n"
    shown = (
        "rank,model,arena_score,95_pct_ci,votes,organization,license\n"
        "1,X,1393,+5/-5,100,O,P\n2,Y,1300,+5/-5,100,O,P\n"
    )
    ingest(writer, keyed, "alltime.csv")
    ingest(writer, shown, "lmsys_2025-05-05.csv")
    found = rows(
        writer.con,
        "select model, source_a, source_b, round(difference, 2), tolerance from source_disagreements",
    )
    # integer scores (step 1) against two decimals (step 0.01): tolerance (1 + 0.01) / 2
    assert found == [("x", "fboulnois", "jasontrigg0", 0.73, 0.505)]  # y differs by 0.4: rounding, not listed


def test_renamed_2023_keys_continue_one_history_without_a_gap(writer):
    path = shared_path("nakasyou-lmarena-history", "result.csv")
    ingest(writer, path.read_text(), str(path))
    identity.refresh(writer.con)
    dates = [d for (d,) in rows(writer.con, "select distinct as_of from snapshots order by 1")]
    renamed = {
        "gpt-4-0314": "gpt-4",
        "gpt-3.5-turbo-0314": "gpt-3.5-turbo",
        "claude-1": "claude-v1",
        "claude-instant-1": "claude-instant-v1",
        "claude-2.0": "claude-2",
        "gpt-4-1106-preview": "gpt-4-turbo",
    }
    for model, old in renamed.items():
        seen = rows(
            writer.con,
            "select as_of_at, list(distinct source_key) from rank_history where model = $m group by 1 order by 1",
            {"m": model},
        )
        got = [d for d, _ in seen]
        expected = [d for d in dates if got[0] <= d <= got[-1]]
        assert got == expected, f"{model} has a gap in its history"
        keys = {k for _, ks in seen for k in ks}
        assert keys == {model, old}, f"{model} does not continue {old}: {keys}"
        assert rows(writer.con, "select count(*) from rank_history where model = $m", {"m": old}) == [(0,)]


def test_mai_1_preview_is_one_model_of_microsoft_ai_across_sources(writer, shared_data):
    paths = [
        shared_data / "kevinschaul-lmarena-leaderboard-history" / "mai-1-preview_rows_from_history.csv",
        *sorted((shared_data / "acarter881-llm-leaderboard").glob("*.json")),
        *sorted((shared_data / "podsieve-prediction_mkt").glob("*.html")),
        shared_data / "namra7x-lmarena-tracker" / "snapshot.json",
    ]
    for path in paths:
        ingest(writer, path.read_bytes().decode(), str(path))
    identity.refresh(writer.con)
    found = rows(
        writer.con,
        "select count(distinct as_of), count(distinct source), list(distinct organization), list(distinct model) "
        "from rank_history where source_key = 'mai-1-preview' or model = 'mai-1-preview'",
    )[0]
    assert found[0] >= 13 and found[1] == 3
    assert found[2] == ["Microsoft AI"] and found[3] == ["mai-1-preview"]


def test_models_and_alias_commands(settings, monkeypatch):
    monkeypatch.setenv("TRACKER_HOME", str(settings.home))
    with store.writer(settings, "pytest") as w:
        ingest(w, KEYED, "alltime.csv")
        ingest(w, SHOWN, "history.csv")
        w.dirty = True
    runner = CliRunner()
    listed = runner.invoke(app, ["models", "claude 3 opus", "--format", "csv", "--home", str(settings.home)])
    assert listed.exit_code == 0, listed.output
    frame = pl.read_csv(listed.output.encode())
    assert frame["model"].to_list() == ["claude-3-opus-20240229"]
    assert "claude 3 opus (learned)" in frame["aliases"][0]
    assert frame["sources"][0] == "jasontrigg0, kevinschaul"
    assert (frame["first_seen"][0], frame["last_seen"][0]) == ("2024-06-05", "2024-06-05")

    merged = runner.invoke(app, ["alias", "add", "Twin", "twin-b", "--home", str(settings.home)])
    assert merged.exit_code == 0 and "twin -> twin-b" in merged.output
    aliases = runner.invoke(app, ["alias", "list", "twin", "-f", "csv", "--home", str(settings.home)])
    assert "twin,twin-b,user" in aliases.output
    shown = runner.invoke(app, ["models", "twin-b", "-f", "csv", "--home", str(settings.home)])
    assert "kevinschaul" in shown.output  # the read copy follows the merge

    # twin-a and twin-b stand side by side on alltime.csv: merged, one of their rows there would vanish
    refused = run_tracker(settings.home, "alias", "add", "twin-a", "twin-b")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "refused: twin-a and twin-b are both listed on 1 snapshot(s)" in refused.stderr
    assert "--force" in refused.stderr
    assert rows_of(settings, "select count(*) from rank_history where model = 'twin-a'") == [(1,)]
    typo = run_tracker(settings.home, "alias", "add", "mai-x", "mai-y", check=True)
    assert "note: mai-y has no history: mai-x's rows are now shown under mai-y" in typo.stderr
    run_tracker(settings.home, "alias", "reset", "mai-x", check=True)
    forced = run_tracker(settings.home, "alias", "add", "twin-a", "twin-b", "--force", check=True)
    assert "twin-a -> twin-b" in forced.stdout
    assert rows_of(settings, "select count(*) from rank_history where model = 'twin-a'") == [(0,)]
    assert story.resolve(settings, "twin-a") == "twin-b"  # tracker model follows the merge
    split = runner.invoke(app, ["alias", "remove", "gpt-4", "--home", str(settings.home)])
    assert split.exit_code == 0
    sql = runner.invoke(
        app,
        [
            "sql",
            "select distinct model from rank_history where source_key='gpt-4'",
            "-f",
            "csv",
            "--home",
            str(settings.home),
        ],
    )
    assert sql.output.splitlines()[1:] == ["gpt-4"]
    assert runner.invoke(app, ["alias", "reset", "gpt-4", "--home", str(settings.home)]).exit_code == 0

    typo_org = run_tracker(settings.home, "alias", "org", "OpenAI", "microsfot")
    assert typo_org.returncode == 1 and "did you mean microsoft or microsoft-ai?" in typo_org.stderr
    org = run_tracker(settings.home, "alias", "org", "OpenAI", "microsoft", check=True)
    assert (
        "openai -> microsoft (user alias): 0 of the 1 model(s) spelt 'openai' now show microsoft"
        in org.stdout
    )
    assert (
        "note: not following (the seed catalogue (seeds/models.csv) fixes its organisation): gpt-4-0314 (OpenAI)"
        in org.stderr
    )
    reset = run_tracker(settings.home, "alias", "reset", "OpenAI", check=True)
    assert reset.stdout.strip() == "openai: user organisation alias dropped"
    gone = run_tracker(settings.home, "alias", "remove", "not-an-alias-at-all")
    assert gone.returncode == 1 and "error: no such alias or model: 'not-an-alias-at-all'" in gone.stderr


def test_like_pattern():
    assert identity.like_pattern("mai") == "%mai%"
    assert identity.like_pattern("gpt-4*") == "gpt-4%"
    assert identity.like_pattern("internlm2_5") == "%internlm2\\_5%"
    assert identity.like_pattern(" ") is None
    assert Path(seeds.seeds_dir(), "models.csv").is_file()


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("claude", {"claude-3-opus-20240229"}),  # the key
        ("ChatGPT-4", {"gpt-4-0314"}),  # an alias only (a display name gpt-4 showed, learned for gpt-4-0314)
        ("microsoft", {"mai-x"}),  # the organisation's display name
        ("twin", {"twin-a", "twin-b"}),
        ("twin-*", {"twin-a", "twin-b"}),
        ("nothing-like-it", set()),
    ],
)
def test_models_with_a_pattern_are_the_whole_listing_s_rows_of_the_models_it_matches(
    settings, pattern, expected
):
    # the matching models are looked up first and only their standings aggregated: each row must still be
    # the one the unfiltered listing shows, the same models as the pattern matches anywhere, nothing else
    with store.writer(settings, "pytest") as w:
        ingest(w, KEYED, "alltime.csv")
        ingest(w, SHOWN, "history.csv")
        w.dirty = True
    runner = CliRunner()

    def listing(*args: str) -> pl.DataFrame:
        out = runner.invoke(
            app, ["models", *args, "-f", "csv", "--max-rows", "0", "--home", str(settings.home)]
        )
        assert out.exit_code == 0, out.output
        return pl.read_csv(out.output.encode(), infer_schema=False) if out.output.strip() else pl.DataFrame()

    everything = listing()
    found = listing(pattern)
    models = set(found["model"].to_list()) if found.height else set()
    assert expected <= models, (pattern, models)
    matching = everything.filter(
        pl.any_horizontal(
            pl.col(c).fill_null("").str.to_lowercase().str.contains(pattern.lower().replace("*", ".*"))
            for c in ("model", "display_name", "organization", "aliases")
        )
    )
    assert models == set(matching["model"].to_list())
    if found.height:
        assert found.sort("model").equals(everything.filter(pl.col("model").is_in(models)).sort("model"))
        assert found["sources"].null_count() < found.height  # the standings were aggregated for them
