"""Artificial Analysis, a second publisher: its five preference arenas (``artificial-analysis``) and its LLM
leaderboard copies (``artificial-analysis-llms``), on the real daily copies in ../shared/data/samica666-aa-arenas
and on small payloads written here (the live endpoint's own spelling, CI forms, broken rows, empty feeds).

Expected values are read from the copies themselves, never from the parser's output.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from tests.cli import run_tracker
from tests.conftest import Route, shared_path
from tracker import sources, store
from tracker.config import load_settings
from tracker.errors import EmptyBoardError, ParseError
from tracker.ingest import guard, pipeline
from tracker.ingest.validate import validate
from tracker.parsed import STANDINGS_SCHEMA
from tracker.poll import cycle, jobs
from tracker.ranks import with_ranks
from tracker.sources import artificial_analysis as aa
from tracker.sources import artificial_analysis_llms as llms
from tracker.sources import samica666

NOW = datetime(2026, 11, 1, tzinfo=UTC)
COPIES = "samica666-aa-arenas"
FEEDS = {  # the copies' endpoint -> the canonical arena
    "text-to-speech": "text_to_speech",
    "text-to-image": "text_to_image",
    "image-editing": "image_edit",
    "text-to-video": "text_to_video",
    "image-to-video": "image_to_video",
}
EMPTY_DAY = "2026-05-15"  # text-to-video.json of that day lists no models (the video feeds went empty)


def copies(endpoint: str) -> list[Path]:
    return sorted(shared_path(COPIES).glob(f"*/{endpoint}.json"))


def raw(path: Path) -> dict:
    return json.loads(path.read_bytes())


def parsed(path: Path) -> pl.DataFrame:
    fmt = sources.detect(path.read_bytes(), str(path))
    return validate(fmt.parse(path.read_bytes(), str(path), fetched_at=NOW), str(path))


def overall(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("category") == "overall")


def ranked(frame: pl.DataFrame) -> pl.DataFrame:
    return with_ranks(frame.with_columns(pl.col("category").alias("_board")), "_board")


def offsets(ci: str) -> tuple[float, float]:
    """'-17/+17' -> (17, 17): how the copies print a CI (the scraper's format), read independently here."""
    minus, plus = ci.split("/")
    return float(minus.removeprefix("-")), float(plus.removeprefix("+"))


# ---- the real copies --------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", list(FEEDS))
def test_each_feed_is_one_arena_with_an_overall_board_and_one_board_per_breakdown(endpoint):
    path = next(p for p in copies(endpoint) if raw(p)["models"])
    data = raw(path)
    assert sources.detect(path.read_bytes(), str(path)) is aa.FORMAT
    frame = parsed(path)

    assert frame.select("leaderboard", "arena", "style_control", "as_of_kind").unique().rows() == [
        ("Artificial Analysis", FEEDS[endpoint], False, "capture_time")
    ]
    assert frame["as_of"].unique().to_list() == [datetime.fromisoformat(data["meta"]["fetched_at"])]
    on_board = [m for m in data["models"] if m["rank"] is not None]
    top = overall(frame)
    assert sorted(top["model_key"]) == sorted(m["slug"].lower() for m in on_board)
    assert top["rank_meaning"].unique().to_list() == ["ordinal"]
    assert top.sort("rank_published")["rank_published"].to_list() == sorted(m["rank"] for m in on_board)
    breakdowns = frame.filter(pl.col("category") != "overall")
    assert breakdowns["rank_published"].null_count() == breakdowns.height
    assert breakdowns["rank_meaning"].null_count() == breakdowns.height
    # one row per breakdown with a CI of every model on the board
    with_ci = sum(
        1 for m in on_board for e in m["elos"] if (e["tag"] or e["category"] or e["accent"]) and e["ci95"]
    )
    assert breakdowns.height == with_ci > 0


def test_breakdowns_are_named_by_category_accent_and_tag():
    speech = parsed(shared_path(COPIES, "2026-07-03", "text-to-speech.json"))
    assert {"assistants", "customer_service", "accent_uk", "accent_us", "knowledge_sharing_accent_us"} <= set(
        speech["category"]
    )
    image = parsed(shared_path(COPIES, "2026-07-03", "text-to-image.json"))
    # typed tags are <type>_<slug>; the untyped ones (type "") tag_<slug>
    assert {"style_anime", "subject_people_portraits", "tag_photorealism", "tag_ui_ux"} <= set(
        image["category"]
    )
    editing = parsed(shared_path(COPIES, "2026-07-03", "image-editing.json"))
    # no style control at this publisher: a name ending in "style" keeps that word
    assert "editing_action_alter_background_texture_or_style" in set(editing["category"])
    video = parsed(shared_path(COPIES, "2026-04-10", "image-to-video.json"))
    assert {"format_moving_camera", "subject_physics", "style_3d_animation"} <= set(video["category"])


def test_the_image_editing_arena_comes_from_the_endpoint_not_the_shared_url_path():
    path = shared_path(COPIES, "2026-07-03", "image-editing.json")
    assert "/api/text-to-image/" in raw(path)["meta"]["source_url"]
    assert parsed(path)["arena"].unique().to_list() == ["image_edit"]


def test_the_published_rank_lies_within_the_computed_rank_spread_on_every_overall_board():
    checked = 0
    for endpoint in FEEDS:
        for path in copies(endpoint):
            if not raw(path)["models"]:
                continue
            frame = parsed(path)
            board = ranked(overall(frame))
            outside = board.filter(~pl.col("rank_published").is_between(pl.col("rank_ub"), pl.col("rank_lb")))
            assert outside.is_empty(), (
                path,
                outside.select("model_key", "rank_published", "rank_ub", "rank_lb"),
            )
            checked += 1
    assert checked == 29  # 13 speech, 7 text-to-image, 7 image editing days; one day of each video feed


def test_models_the_feed_does_not_rank_are_on_no_board():
    path = shared_path(COPIES, "2026-07-03", "text-to-image.json")
    unranked = {m["slug"] for m in raw(path)["models"] if m["rank"] is None}
    assert {"imagen-4-ultra-preview-0606", "sourceful_riverflow-2"} <= unranked  # retired, and not counted
    assert unranked.isdisjoint(set(parsed(path)["model_key"]))


def test_mai_voice_1_is_on_the_speech_arena_every_day():
    days = copies("text-to-speech")
    assert len(days) == 13
    for path in days:
        (model,) = [m for m in raw(path)["models"] if m["slug"] == "mai-voice-1"]
        board = ranked(overall(parsed(path)))
        row = board.filter(pl.col("model_key") == "mai-voice-1").row(0, named=True)
        below, above = offsets(model["ci95"])
        assert (row["display_name"], row["organization"]) == ("MAI-Voice-1", model["creator"]["name"])
        assert (row["rating"], row["rating_lower"], row["rating_upper"]) == (
            model["elo"],
            model["elo"] - below,
            model["elo"] + above,
        )
        assert (row["votes"], row["rank_published"]) == (model["appearances"], model["rank"])
        assert row["rank_ub"] <= row["rank_published"] <= row["rank_lb"]
        assert board.height == len(raw(path)["models"])  # every speech model is ranked
        assert json.loads(row["extra"])["release_date"] == model["release_date"]


def test_the_mai_image_models_on_text_to_image_and_image_editing():
    names = {"MAI-Image-2", "MAI-Image-2.5", "MAI-Image-2.5-Flash"}
    for endpoint in ("text-to-image", "image-editing"):
        path = shared_path(COPIES, "2026-07-03", f"{endpoint}.json")
        listed = {m["name"]: m for m in raw(path)["models"] if m["name"] in names}
        frame = overall(parsed(path))
        for name, model in listed.items():
            row = frame.filter(pl.col("display_name") == name).row(0, named=True)
            assert (row["model_key"], row["rating"], row["rank_published"]) == (
                model["slug"].lower(),
                model["elo"],
                model["rank"],
            )
            assert row["organization"] == "Microsoft AI"
        assert listed["MAI-Image-2.5"]["rank"] <= 5  # in the top 5 on both arenas
    # MAI-Image-2 (keyed "smith" upstream) is on text-to-image only; editing lists the two 2.5 models
    image = overall(parsed(shared_path(COPIES, "2026-07-03", "text-to-image.json")))
    editing = overall(parsed(shared_path(COPIES, "2026-07-03", "image-editing.json")))
    assert names <= set(image["display_name"])
    assert names & set(editing["display_name"]) == {"MAI-Image-2.5", "MAI-Image-2.5-Flash"}
    assert image.filter(pl.col("display_name") == "MAI-Image-2")["model_key"].to_list() == ["smith"]


def test_llm_boards_are_the_three_indices_and_gdpval():
    path = shared_path(COPIES, "2026-08-14", "llms.json")
    assert sources.detect(path.read_bytes(), str(path)) is llms.FORMAT
    models = raw(path)["models"]
    frame = parsed(path)
    assert frame.select("leaderboard", "arena", "style_control").unique().rows() == [
        ("Artificial Analysis", "text", False)
    ]
    for board, name in llms.INDEXES.items():
        # keys are normalised: the copies spell one slug "QwQ-32B-Preview"
        expected = {
            m["slug"].lower(): m["evaluations"][name] for m in models if m["evaluations"][name] is not None
        }
        rows = frame.filter(pl.col("category") == board)
        assert dict(rows.select("model_key", "rating").rows()) == pytest.approx(expected)
        # an exact score: an interval of no width, no votes, no published rank
        assert (rows["rating_lower"] == rows["rating"]).all() and (
            rows["rating_upper"] == rows["rating"]
        ).all()
        assert rows.select("votes", "rank_published").null_count().row(0) == (rows.height,) * 2
    gdpval = {m["slug"].lower(): m["breakdowns"]["gdpval"] for m in models if m["breakdowns"]["gdpval"]}
    rows = frame.filter(pl.col("category") == "gdpval")
    assert rows.height == len(gdpval) > 100
    for key, low, rating, high in rows.select("model_key", "rating_lower", "rating", "rating_upper").rows():
        assert (low, rating, high) == (gdpval[key]["lower95ci"], gdpval[key]["elo"], gdpval[key]["upper95ci"])
        assert low < rating < high  # absolute bounds, not deltas
    # the reasoning effort is part of the name; the estimate flag goes with the intelligence index
    effort = next(
        m
        for m in models
        if m["name"].endswith("(high)") and m["evaluations"][llms.INDEXES["intelligence_index"]]
    )
    row = frame.filter(
        (pl.col("model_key") == effort["slug"].lower()) & (pl.col("category") == "intelligence_index")
    )
    assert row["display_name"].item() == effort["name"]
    extra = json.loads(row["extra"].item())
    assert (
        extra["is_estimated"] == effort["evaluations"]["artificial_analysis_intelligence_index_is_estimated"]
    )
    assert "pricing" not in extra and "speed" not in extra


def test_index_boards_rank_by_the_index_with_rank_ub_equal_to_the_ordinal_rank():
    frame = parsed(shared_path(COPIES, "2026-08-14", "llms.json"))
    board = ranked(frame.filter(pl.col("category") == "coding_index"))
    assert (board["rank_ub"] == board["rank_ordinal"]).all()
    assert (board["rank_lb"] >= board["rank_ordinal"]).all()
    top = board.sort("rating", descending=True).row(0, named=True)
    assert (top["rank_ordinal"], top["rank_ub"]) == (1, 1)
    gdpval = ranked(frame.filter(pl.col("category") == "gdpval"))  # an arena-style board: its CIs decide
    assert (gdpval["rank_ub"] <= gdpval["rank_ordinal"]).all() and (
        gdpval["rank_ub"] != gdpval["rank_ordinal"]
    ).any()


def test_every_llm_copy_reads():
    paths = copies("llms")
    assert len(paths) == 6
    for path in paths:
        assert set(parsed(path)["category"]) == {*llms.INDEXES, "gdpval"}


def test_sniffers_keep_to_their_own_files():
    for path in sorted(shared_path(COPIES).glob("*/*.json")):
        want = llms.FORMAT if path.name == "llms.json" else aa.FORMAT
        assert sources.detect(path.read_bytes(), str(path)) is want, path
    # the same upstream repository's lmarena.json extracts stay samica666's
    for path in sorted(shared_path("samica666-artificial-analysis-leaderboards").glob("*.json")):
        body = path.read_bytes()
        assert not aa.sniff(body, str(path)) and not llms.sniff(body, str(path))
        assert sources.detect(body, str(path)) is samica666.FORMAT


# ---- empty feeds ------------------------------------------------------------------------------------------


def test_an_emptied_feed_is_refused_on_import_and_nothing_is_stored(writer):
    path = shared_path(COPIES, EMPTY_DAY, "text-to-video.json")
    assert raw(path)["meta"]["model_count"] == 0 and raw(path)["models"] == []
    assert aa.parse(path.read_bytes(), str(path), fetched_at=NOW).is_empty()

    result = pipeline.ingest(writer, pipeline.Payload(path.read_bytes(), str(path), NOW))

    assert (result.outcome, result.empty, result.source) == ("rejected", True, "artificial-analysis")
    assert f"{path}: rejected by the sanity guard: it lists no models" in result.error
    assert "\n" not in result.error
    assert writer.con.execute("select count(*) from snapshots").fetchall() == [(0,)]
    assert writer.con.execute("select status from raw_payloads").fetchall() == [("rejected",)]


def test_importing_a_day_with_an_emptied_feed_loads_the_rest_and_says_why_in_one_line(tmp_path):
    day = shared_path(COPIES, EMPTY_DAY)
    ran = run_tracker(tmp_path / "home", "import", str(day))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    refused = [line for line in ran.stderr.splitlines() if line.startswith("refused:")]
    assert refused == [
        f"refused: {day / 'text-to-video.json'}: rejected by the sanity guard: it lists no models, so it holds "
        "no board to store (an emptied feed is never stored as an empty board); the stored boards are unchanged."
    ]
    assert "2 file(s): 1 new, 1 refused" in ran.stdout
    again = run_tracker(tmp_path / "home", "import", str(day))
    assert again.returncode == 0 and "nothing new" in again.stdout


def test_polled_feeds_are_read_in_the_live_spelling_and_an_empty_one_is_refused(tmp_path, http_server):
    speech = live_model("tts-one", rank=1, elo=1200.0, delta=20, accent="us")
    http_server.routes["/api/text-to-speech/arena/preferences"] = Route(
        200, json.dumps({"models": [speech]}).encode()
    )
    http_server.routes["/api/text-to-video/arena/preferences?supports-image-input=false"] = Route(
        200, b'{"models": []}'
    )
    settings = load_settings(
        environ={},
        home=tmp_path / "home",
        artificial_analysis_url=http_server.base_url,
        publish_min_interval=0.0,
        retries=0,
    )
    default = next(j for j in jobs.default_jobs(settings) if j.source == aa.SOURCE)
    # the video feeds, left out of the default job since upstream emptied them, added back as a user would
    base = http_server.base_url.rstrip("/")
    video_feeds = tuple(jobs.Target(f"{base}/{path}", feed) for path, feed in jobs.AA_VIDEO_FEEDS)
    job = dataclasses.replace(default, targets=default.targets + video_feeds)
    (run,) = cycle.poll_once(settings, [job])

    outcomes = {t.board: r.outcome for t, r in zip(job.targets, run.results, strict=True)}
    assert outcomes["text-to-speech"] == "new"
    assert outcomes["text-to-video"] == "rejected"  # the guard's refusal, as for any polled board
    video = next(r for t, r in zip(job.targets, run.results, strict=True) if t.board == "text-to-video")
    assert video.empty and "it lists no models" in video.error
    with store.writer(settings, "pytest") as w:
        rows = w.con.execute(
            "select arena, category, model_key, rating, rating_lower, rating_upper, votes, rank_published "
            "from standings join snapshots using (snapshot_id) order by category"
        ).fetchall()
    assert rows == [
        ("text_to_speech", "accent_us", "tts-one", 1190.0, 1160.0, 1220.0, 40, None),
        ("text_to_speech", "overall", "tts-one", 1200.0, 1180.0, 1220.0, 400, 1),
    ]


# ---- payloads written here --------------------------------------------------------------------------------


def copy_model(slug="m", rank=1, elo=1200.0, ci="-10/+10", changes: dict | None = None) -> dict:
    """A model as the copies print it (snake case, ci95 text, the overall figures on the model)."""
    model = {
        "id": "x",
        "name": slug.upper(),
        "slug": slug,
        "release_date": "2026-01-01",
        "creator": {"name": "Lab", "color": "#000"},
        "elo": elo,
        "rank": rank,
        "ci95": ci,
        "appearances": 500,
        "wins": 300,
        "elos": [
            {"elo": elo, "ci95": ci, "appearances": 500, "tag": None, "category": None, "accent": None},
            {
                "elo": elo - 5,
                "ci95": "-30/+30",
                "appearances": 90,
                "tag": {"slug": "anime", "type": "style", "label": "Anime"},
                "category": None,
                "accent": None,
            },
        ],
    }
    return {**model, **(changes or {})}


def live_model(slug, *, rank, elo, delta, accent) -> dict:
    """A model as the live endpoint answers it: camel case, ciDelta, the overall figures only in elos[]."""
    return {
        "id": "x",
        "name": slug,
        "slug": slug,
        "releaseDate": "2026-01-01",
        "creator": {"name": "Lab"},
        "overallRank": rank,
        "isCurrent": True,
        "elos": [
            {
                "elo": elo,
                "appearances": 400,
                "wins": 250,
                "winRate": 0.6,
                "ciDelta": delta,
                "tag": None,
                "category": None,
                "accent": None,
            },
            {
                "elo": elo - 10,
                "appearances": 40,
                "wins": 20,
                "winRate": 0.5,
                "ciDelta": 30,
                "tag": None,
                "category": None,
                "accent": {"slug": accent},
            },
            {"elo": elo + 1, "appearances": 3, "tag": None, "category": {"slug": "no-ci"}, "accent": None},
        ],
    }


def feed(models: list, endpoint="text-to-image", **meta) -> bytes:
    url = "https://artificialanalysis.ai/api/text-to-image/arena/preferences?supports_image_input=false"
    head = {"endpoint": endpoint, "source_url": url, "fetched_at": "2026-07-03T08:23:34+00:00", **meta}
    return json.dumps({"meta": head, "models": models}).encode()


def read(body: bytes, origin: str = "feed.json") -> pl.DataFrame:
    return aa.parse(body, origin, fetched_at=NOW)


@pytest.mark.parametrize(
    ("ci", "lower", "upper"),
    [
        ("-17/+17", 1183, 1217),
        ("+12/-15", 1185, 1212),
        ("-3/+9", 1197, 1209),
        ("±4", 1196, 1204),
        ("+/-4", 1196, 1204),
    ],
)
def test_ci_text_in_either_sign_order_or_plus_minus(ci, lower, upper):
    frame = read(feed([copy_model(ci=ci)]))
    row = overall(frame).row(0, named=True)
    assert (row["rating_lower"], row["rating_upper"]) == (lower, upper)


def test_the_live_spelling_is_read_with_the_arena_from_the_url():
    body = json.dumps(
        {"models": [live_model("edit-one", rank=2, elo=1100.0, delta=12, accent="uk")]}
    ).encode()
    origin = "https://artificialanalysis.ai/api/text-to-image/arena/preferences?supports_image_input=true"
    assert sources.detect(body, origin) is aa.FORMAT
    assert not aa.sniff(body, "feed.json")  # without the URL (or a meta) nothing says whose bytes these are
    frame = validate(read(body, origin), origin)
    assert frame["arena"].unique().to_list() == ["image_edit"]
    assert frame["as_of"].unique().to_list() == [NOW]  # no meta: the fetch time
    row = overall(frame).row(0, named=True)
    assert (row["rating_lower"], row["rating_upper"], row["votes"], row["rank_published"]) == (
        1088,
        1112,
        400,
        2,
    )
    # the model's other fields, the overall entry's (wins, winRate, ciDelta) and the entries that make no board
    assert json.loads(row["extra"]) == {
        "ciDelta": 12,
        "elos": [
            {"elo": 1101.0, "appearances": 3, "tag": None, "category": {"slug": "no-ci"}, "accent": None}
        ],
        "id": "x",
        "isCurrent": True,
        "releaseDate": "2026-01-01",
        "winRate": 0.6,
        "wins": 250,
    }
    assert set(frame["category"]) == {"overall", "accent_uk"}  # the breakdown without a CI makes no board


def test_a_feed_that_ranks_no_model_keeps_every_model():
    frame = read(feed([copy_model("a", rank=None), copy_model("b", rank=None, elo=1100.0)]))
    assert sorted(overall(frame)["model_key"]) == ["a", "b"]
    assert overall(frame)["rank_meaning"].null_count() == 2


@pytest.mark.parametrize(
    ("change", "row", "field", "message"),
    [
        ({"ci95": "17"}, 2, "ci95", "neither"),
        ({"ci95": "+3/+4"}, 2, "ci95", "neither"),
        ({"elo": "high"}, 2, "elo", "not a number"),
        ({"elo": None}, 2, "elo", "missing"),
        ({"creator": ["Lab"]}, 2, "creator", "object"),
        ({"elos": {"elo": 1}}, 2, "elos", "list"),
        ({"slug": None}, 2, "slug", "missing"),
        ({"name": {"x": 1}}, 2, "name", "text"),
        ({"appearances": 1.5}, 2, "appearances", "whole"),
        ({"rank": "1"}, 2, "rank", "not a number"),
        ({"elos": ["x"]}, 2, "elos[0]", "object"),
        ({"elos": [{"elo": 1, "ci95": "-1/+1", "tag": {"type": "style"}}]}, 2, "elos[0].tag.slug", "missing"),
        (
            {"elos": [{"elo": 1, "ci95": "wide", "tag": {"type": "style", "slug": "a"}}]},
            2,
            "elos[0].ci95",
            "neither",
        ),
        (
            {"elos": [{"elo": 1, "ci95": "-1/+1", "tag": {"slug": "a", "type": "s"}}] * 2},
            2,
            "elos[1]",
            "repeats an earlier one",
        ),
        ({"elos": [{"elo": 1, "ciDelta": -3, "accent": {"slug": "us"}}]}, 2, "elos[0].ciDelta", "negative"),
        (
            {"elos": [{"elo": 1, "ci95": "-1/+1", "category": {"slug": "full"}}]},
            2,
            "elos[0]",
            "overall board",
        ),
    ],
)
def test_a_malformed_row_is_a_parse_error_naming_row_and_field(change, row, field, message):
    body = feed([copy_model("fine"), copy_model("broken", 2, changes=change)])
    with pytest.raises(ParseError, match=message) as caught:
        read(body)
    assert (caught.value.row, caught.value.field) == (row, field)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (feed([copy_model()], model_count=3), "meta.model_count", "cut off"),
        (feed([copy_model()], endpoint="text-to-speech"), "meta.endpoint", "different arenas"),
        (json.dumps({"meta": {"endpoint": "text-to-image"}, "models": {"a": 1}}).encode(), "models", "list"),
        (json.dumps({"meta": [], "models": []}).encode(), "meta", "object"),
        (feed([copy_model()], fetched_at="yesterday"), "meta.fetched_at", "ISO"),
    ],
)
def test_a_malformed_payload_is_a_parse_error_naming_the_field(body, field, message):
    with pytest.raises(ParseError, match=message) as caught:
        read(body)
    assert caught.value.field == field


def test_a_hostile_feed_is_rejected_by_the_pipeline_not_crashed_on(writer):
    body = feed(
        [copy_model("a"), copy_model("b", changes={"elos": [{"elo": 1, "ci95": "-1/+1", "tag": [1]}]})]
    )
    result = pipeline.ingest(writer, pipeline.Payload(body, "feed.json", NOW))
    assert result.outcome == "rejected" and "row 2, field 'elos[0].tag'" in result.error
    assert not result.empty


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"evaluations": [1]}, "evaluations"),
        (
            {"evaluations": {"artificial_analysis_coding_index": "high"}},
            "evaluations.artificial_analysis_coding_index",
        ),
        ({"breakdowns": {"gdpval": {"lower95ci": 1}}}, "breakdowns.gdpval.elo"),
        ({"breakdowns": {"gdpval": [1]}}, "breakdowns.gdpval"),
        ({"slug": ""}, "slug"),
    ],
)
def test_a_malformed_llm_row_is_a_parse_error_naming_row_and_field(change, field):
    good = {"slug": "a", "name": "A (high)", "creator": {"name": "Lab"}, "evaluations": {}, "breakdowns": {}}
    meta = {"endpoint": "llms", "source_url": "https://artificialanalysis.ai/leaderboards/models"}
    body = json.dumps({"meta": meta, "models": [good, {**good, "slug": "b", **change}]}).encode()
    assert llms.sniff(body, "llms.json")
    with pytest.raises(ParseError) as caught:
        llms.parse(body, "llms.json", fetched_at=NOW)
    assert (caught.value.row, caught.value.field) == (2, field)


def test_an_llm_payload_with_no_index_and_no_gdpval_is_refused_as_empty():
    meta = {"endpoint": "llms", "source_url": "https://artificialanalysis.ai/leaderboards/models"}
    model = {"slug": "a", "name": "A", "evaluations": {"artificial_analysis_intelligence_index": None}}
    frame = llms.parse(json.dumps({"meta": meta, "models": [model]}).encode(), "llms.json", fetched_at=NOW)
    assert frame.is_empty() and list(frame.schema) == list(STANDINGS_SCHEMA)
    with pytest.raises(EmptyBoardError):
        guard.refuse_empty(frame, llms.SOURCE, "llms.json")
