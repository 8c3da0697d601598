"""Every dashboard page, run headless with Streamlit's AppTest through the same page registry and entry
script the app uses, on a real tracker home: a small hand-built history (hand-written arena.ai pages sent
through the real ingest pipeline, so it runs without ../shared) and the two real arena.ai pages from
../shared/data/podsieve-prediction_mkt (skipped with the reason when ../shared is absent).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.compute
import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from streamlit.testing.v1 import AppTest

from dashboards import chart_layout, data, registry, text
from tests.cli import run_tracker
from tests.conftest import shared_path
from tests.pages import entry, leaderboard, page
from tracker import alerts, seeds, store
from tracker.config import Settings, load_settings
from tracker.errors import FetchError
from tracker.ingest import files as importer
from tracker.ingest import pipeline
from tracker.poll import jobs, status
from tracker.read import export, query, readers, story

APP = Path(registry.__file__).with_name("app.py")
TIMEOUT = 60

# The hand-built history, ten board dates two weeks apart from 2025-07-17 (so the seeded 2025-07-23 CI
# methodology change falls inside): (display name, organisation, license, base rating, slope per snapshot,
# first and last snapshot index). gpt-5-high and gemini-2.5-pro trade #1; mai-1-preview debuts on
# 2025-08-28 (index 3) and is last listed on 2025-11-06 (index 8); llama-4-maverick leaves after index 5.
DATES = [date(2025, 7, 17) + timedelta(days=14 * k) for k in range(10)]
MODELS = [
    ("gemini-2.5-pro", "Google", "Proprietary", 1462.0, -1.0, 0, 9),
    ("gpt-5-high", "OpenAI", "Proprietary", 1447.0, 4.0, 0, 9),
    ("claude-opus-4-1", "Anthropic", "Proprietary", 1449.0, 0.5, 0, 9),
    ("grok-4", "xAI", "Proprietary", 1425.0, 2.5, 0, 9),
    ("gpt-4o", "OpenAI", "Proprietary", 1420.0, -2.0, 0, 9),
    ("deepseek-r1", "DeepSeek", "MIT", 1412.0, 0.5, 0, 9),
    ("qwen3-max", "Alibaba", "Proprietary", 1405.0, 3.0, 1, 9),
    ("mai-1-preview", "Microsoft AI", "Proprietary", 1418.0, -3.5, 3, 8),
    ("llama-4-maverick", "Meta", "Llama 4", 1409.0, -1.5, 0, 5),
    ("kimi-k2", "Moonshot", "Modified MIT", 1416.0, 1.0, 4, 9),
]
# style control reorders the top: (name -> rating offset)
STYLE_OFFSET = {"claude-opus-4-1": 14.0, "gemini-2.5-pro": 3.0, "grok-4": -9.0}
FAILURE = "GET https://arena.ai/leaderboard/text failed: connection refused"


def rating_of(name: str, index: int, *, style: bool) -> float:
    """The hand-built rating: a trend plus a small fixed wobble, so ranks shuffle between snapshots."""
    _, _, _, base, slope, _, _ = next(m for m in MODELS if m[0] == name)
    wobble = ((index * 3 + len(name)) % 5 - 2) * 2.5
    return base + slope * index + wobble + (STYLE_OFFSET.get(name, 0.0) if style else 0.0)


def listed(index: int, *, arena: str = "text") -> list[str]:
    return [
        m[0]
        for m in MODELS
        if m[5] <= index <= m[6] and not (arena == "webdev" and m[0] in ("gpt-4o", "llama-4-maverick"))
    ]


# the seeded aliases some of these names have (grok-4 is grok-4-0709): the pages show the canonical model
SEED_ALIASES = dict(
    pl.read_csv(seeds.seeds_dir() / "model_aliases.csv", comment_prefix="#")
    .select("alias", "model_key")
    .rows()
)


def expected_ranks(index: int, *, style: bool = False) -> dict[str, int]:
    """Ordinal ranks computed here, independently of the SQL: 1 + models rated strictly higher (by name, as the
    pages show them; ``by_key`` gives them by model key, as the SQL answers)."""
    ratings = {name: rating_of(name, index, style=style) for name in listed(index)}
    return {name: 1 + sum(r > own for r in ratings.values()) for name, own in ratings.items()}


def by_key(ranks: dict[str, int]) -> dict[str, int]:
    """``ranks`` by the model key each name resolves to through the seeded aliases (grok-4 is grok-4-0709)."""
    return {SEED_ALIASES.get(name, name): rank for name, rank in ranks.items()}


def _entries(index: int, *, style: bool, arena: str) -> list[dict]:
    rows = []
    for name in listed(index, arena=arena):
        _, org, lic, _, _, first, _ = next(m for m in MODELS if m[0] == name)
        rating = rating_of(name, index, style=style)
        half = 9.0 - 0.5 * (index - first)  # intervals narrow as votes accumulate
        votes = 2500 + 1800 * (index - first)
        rows.append(
            entry(name, rating, rating - half, rating + half, votes, modelOrganization=org, license=lic)
        )
    return rows


def build_small_home(settings: Settings) -> None:
    """Write the hand-built history through pipeline.ingest (the path every import takes), with one failed
    poll for the health page, and publish the read copy."""
    boards = [("text", "overall", False), ("text", "overall", True), ("webdev", "overall", False)]
    with store.writer(settings, "pytest dashboard") as w:
        for arena, category, style in boards:
            for index, day in enumerate(DATES):
                if arena == "webdev" and index % 2:
                    continue
                cutoff = f"{day:%Y-%m-%d}T14:00:00.000Z"
                body = page(
                    leaderboard(
                        _entries(index, style=style, arena=arena),
                        arena=arena,
                        category=category,
                        style=style,
                        cutoff=cutoff,
                    )
                )
                result = pipeline.ingest(
                    w,
                    pipeline.Payload(
                        body,
                        f"hand/{arena}-{category}-{style}-{day}.html",
                        datetime(2025, 11, 20, tzinfo=UTC),
                        source="arena-page",
                    ),
                )
                assert result.outcome == "new", result
        pipeline.record_without_payload(
            w,
            "failed",
            origin="https://arena.ai/leaderboard/text",
            source="arena-page",
            job="arena-text",
            error=FetchError(FAILURE),
            started_at=pipeline.utc_now(),
            duration_ms=12.0,
        )


@pytest.fixture(scope="session")
def small_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("dashboard-small") / "home"
    build_small_home(load_settings(environ={}, home=home))
    return home


@pytest.fixture(scope="session")
def real_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = shared_path("podsieve-prediction_mkt")
    home = tmp_path_factory.mktemp("dashboard-real") / "home"
    with store.writer(load_settings(environ={}, home=home), "pytest dashboard") as w:
        results, _ = importer.import_paths(w, sorted(folder.glob("*.html")))
    assert [r.outcome for r in results] == ["new", "new"]
    return home


def _serve(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A private copy of a built home (tests may write to it), served through TRACKER_HOME, fresh cache."""
    home = tmp_path / "home"
    shutil.copytree(built, home)
    monkeypatch.setenv("TRACKER_HOME", str(home))
    monkeypatch.delenv("TRACKER_LAKE", raising=False)
    data.clear()
    yield load_settings(environ={}, home=home)
    data.clear()


@pytest.fixture
def small_home(small_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    yield from _serve(small_built, tmp_path, monkeypatch)


@pytest.fixture
def real_home(real_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    yield from _serve(real_built, tmp_path, monkeypatch)


def run_page(url_path: str, **state) -> AppTest:
    """Run the entry script, switch to one registry page and run it, with optional widget state."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    spec = registry.by_url(url_path)
    at.switch_page(spec.file)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == spec.title
    return at


def charts(at: AppTest) -> list:
    return [el for el in at.main if el.type == "vega_lite_chart"]


def chart_spec(chart) -> dict:
    return json.loads(chart.proto.spec)


def chart_data(chart) -> list[pa.Table]:
    """The datasets a chart sends to the browser, as Arrow tables."""
    return [pa.ipc.open_stream(d.data.data).read_all() for d in chart.proto.datasets]


def table(at: AppTest, key: str):
    """The frame of the table a page shows in the container keyed ``key``."""
    (frame,) = [el for el in at.get_by_key(key) if el.type == "dataframe"]
    return frame.value


def metric(at: AppTest, label: str) -> str:
    """A metric's value as the reader sees it (the pages escape text for Markdown)."""
    return plain(next(m.value for m in at.metric if plain(m.label) == label))


def plain(markdown: str) -> str:
    """Markdown written by ``text.md`` as the text it shows: escapes and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def marks(spec: dict) -> list[str]:
    found = []
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        found.append(mark if isinstance(mark, str) else mark["type"])
    return found


# ---------------------------------------------------------------------------------------------- the registry


def test_registry_lists_every_page_file_once():
    files = {p.name for p in (APP.parent / "app_pages").glob("*.py")}
    assert sorted(Path(spec.file).name for spec in registry.PAGES) == sorted(files)
    assert len({spec.url_path for spec in registry.PAGES}) == len(registry.PAGES)
    assert registry.PAGES[0].route == "" and registry.PAGES[1].route == registry.PAGES[1].url_path


WIDGETS = {
    "button", "checkbox", "date_input", "download_button", "multiselect", "number_input", "radio",
    "segmented_control", "select_slider", "selectbox", "slider", "text_area", "text_input", "toggle", "pills",
}  # fmt: skip


def test_every_widget_has_a_stable_key():
    """A widget without a key changes identity when its label or position changes and loses its state."""
    unkeyed, widgets = [], 0
    for path in sorted(APP.parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WIDGETS
            ):
                widgets += 1
                if not any(k.arg == "key" for k in node.keywords):
                    unkeyed.append(f"{path.name}:{node.lineno} {node.func.attr}")
    assert widgets >= 30 and unkeyed == []


@pytest.mark.parametrize("spec", registry.PAGES, ids=lambda s: s.url_path)
def test_every_page_runs_on_the_hand_built_history(small_home, spec):
    at = run_page(spec.url_path)
    assert at.sidebar.selectbox(key="board_arena").value == "text"
    assert at.sidebar.selectbox(key="board_category").value == "overall"
    if spec.has_chart:
        assert charts(at), f"{spec.title} drew no chart"


# ---------------------------------------------------------------------------------------------- pages


def test_leaderboard_shows_the_newest_board_with_rank_changes(small_home):
    at = run_page("leaderboard")
    assert at.selectbox(key="lb_date").value == DATES[-1]
    board = table(at, "lb_table")
    now, before, month_ago = expected_ranks(9), expected_ranks(8), expected_ranks(6)
    assert dict(zip(board["Model"], board["Rank"], strict=True)) == now
    assert metric(at, "#1") == "gpt-5-high"
    assert metric(at, "Models") == str(len(now))

    def arrow(change: int) -> list[str]:
        return ["=" if change == 0 else f"▲ {change}" if change > 0 else f"▼ {-change}"]

    for row in board.itertuples():
        assert list(row[board.columns.get_loc("Δ prev") + 1]) == arrow(before[row.Model] - now[row.Model])
        # 30 days before 2025-11-20 the board stood as on 2025-10-09 (index 6)
        assert list(row[board.columns.get_loc("Δ 30 d") + 1]) == arrow(month_ago[row.Model] - now[row.Model])
    assert "mai-1-preview" not in set(board["Model"])


def test_leaderboard_at_an_earlier_date_with_filters_and_leavers(small_home):
    at = run_page("leaderboard", lb_date=DATES[3])
    board = table(at, "lb_table")
    assert dict(zip(board["Model"], board["Rank"], strict=True)) == expected_ranks(3)
    assert board.set_index("Model").loc["mai-1-preview", "Status"] == "new"

    at.multiselect(key="lb_orgs").set_value(["OpenAI"]).run()
    assert sorted(table(at, "lb_table")["Model"]) == ["gpt-4o", "gpt-5-high"]

    at.multiselect(key="lb_orgs").set_value([]).run()
    at.selectbox(key="lb_date").set_value(DATES[-1]).run()
    at.toggle(key="lb_show_gone").set_value(True).run()
    status = table(at, "lb_table").set_index("Model")["Status"]
    assert status["mai-1-preview"] == f"left (last seen {DATES[8]})"
    assert status["llama-4-maverick"] == f"left (last seen {DATES[5]})"


def test_rank_movement_bump_chart_follows_the_top_models_and_mai(small_home):
    at = run_page("rank-movement")
    assert at.multiselect(key="rm_models").value[-1] == "mai-1-preview"
    assert len(at.multiselect(key="rm_models").value) == len(expected_ranks(9)) + 1
    bump, rating = charts(at)
    spec = chart_spec(bump)
    lines = next(layer for layer in spec["layer"] if marks({"layer": [layer]}) == ["line"])
    assert lines["encoding"]["y"]["scale"]["reverse"] is True
    assert lines["encoding"]["y"]["title"] == "Rank"
    assert "area" in marks(spec)  # the shaded rank spread
    assert "rule" in marks(spec)  # the 2025-07-23 CI methodology change
    sent = chart_data(bump)
    series = max(sent, key=len)
    # segment and alone: where a line breaks over a gap, and a point drawn alone
    assert set(series.column_names) == {
        "as_of", "series", "rank", "spread_top", "spread_bottom", "segment", "alone"
    }  # fmt: skip
    mai = series.filter(pa.compute.equal(series["series"], "mai-1-preview"))
    assert mai.num_rows == 6 and mai["rank"].to_pylist() == [
        expected_ranks(i)["mai-1-preview"] for i in range(3, 9)
    ]
    assert {tuple(t.column_names) for t in chart_data(rating)} >= {
        ("as_of", "series", "rating", "rating_lower", "rating_upper", "segment", "alone")
    }
    # every line is named at its end, the labels moved apart (none closer than a line of text)
    labels = next(t for t in sent if "label_at" in t.column_names)
    # each by the name the page shows for it (a key's display name: grok-4-0709 is shown as grok-4)
    board = {"leaderboard": "LMArena", "arena": "text", "category": "overall", "style_control": False}
    shown = text.model_names(
        dict(
            query.read_statement(small_home, "read/dashboard_board_models.sql", board)
            .select("model", "display_name")
            .rows()
        )
    )
    assert sorted(labels["label"].to_pylist()) == sorted(
        shown[m] for m in at.multiselect(key="rm_models").value
    )

    at.button_group(key="rm_basis").set_value("Rank (UB)").run()
    at.toggle(key="rm_spread").set_value(False).run()
    spec = chart_spec(charts(at)[0])
    assert "area" not in marks(spec)
    assert (
        next(layer for layer in spec["layer"] if marks({"layer": [layer]}) == ["line"])["encoding"]["y"][
            "title"
        ]
        == "Rank (UB)"
    )


def story_lines(at: AppTest) -> list[str]:
    """The sentences of the Model page's story, as the reader sees them."""
    (text,) = [el.value for el in at.get_by_key("model_story") if el.type == "markdown"]
    return [plain(line.removeprefix("- ")) for line in text.splitlines()]


def test_model_page_tells_mai_1_preview_from_debut_to_exit(small_home):
    at = run_page("model")
    assert at.selectbox(key="model_pick").value == "mai-1-preview"
    told = story.tell(small_home, "mai-1-preview")
    facts = story.facts(told)
    # the page tells the story `tracker model` tells, from the same code, in the same words
    assert story_lines(at) == story.sentences(told)
    assert metric(at, "Debut") == "2025-08-28"
    # it left both text boards (absent from their 2025-11-20 snapshots); the webdev board's newest
    # snapshot (2025-11-06) still lists it, but that snapshot is old: no "still listed"
    assert metric(at, "Exit") == "left" == facts["exit"].value
    best = min(expected_ranks(i)["mai-1-preview"] for i in range(3, 9))
    assert metric(at, "Best") == facts["best"].value and int(facts["best"].value[1:]) <= best
    assert metric(at, "Latest") == facts["latest"].value
    boards = table(at, "model_boards")
    assert list(boards["Board"]) == [
        "text/overall (raw)",
        "text/overall (style control)",
        "webdev/overall (raw)",
    ]
    webdev = told.boards.filter(pl.col("arena") == "webdev").row(0, named=True)
    assert list(boards["Status"]) == [f"left: absent from the 1 complete snapshot since {DATES[9]}"] * 2 + [
        story.board_status(webdev)
    ]
    assert story.board_status(webdev).startswith("listed; snapshot old (")
    (multiples,) = charts(at)
    assert {tuple(t.column_names) for t in chart_data(multiples)} == {
        ("panel", "style", "as_of", "rank_ordinal", "rank_ub", "segment", "alone")
    }
    kinds = set(table(at, "model_events")["Kind"])
    assert {"debut", "exit"} <= kinds

    at.selectbox(key="model_pick").set_value("gpt-4o").run()
    mates = table(at, "model_org_mates")
    assert list(mates["Model"]) == ["gpt-5-high"]
    # the board's newest snapshot (2025-11-20) is old by now: listed there, not "listed" today
    assert list(mates["Status"]) == [f"listed on {DATES[9]}, an old snapshot"]


def test_movers_page_compares_the_range_ends_and_lists_the_reigns(small_home):
    at = run_page("movers")
    # by default the range's last date against the board about a month before (2025-10-09, index 6)
    assert (at.selectbox(key="mv_from").value, at.selectbox(key="mv_to").value) == (DATES[6], DATES[9])
    month, last = expected_ranks(6), expected_ranks(9)
    gains = {m: month[m] - last[m] for m in month.keys() & last.keys() if month[m] != last[m]}
    assert dict(zip(table(at, "mv_risers")["Model"], table(at, "mv_risers")["Places"], strict=True)) == {
        m: g for m, g in gains.items() if g > 0
    }
    at.selectbox(key="mv_from").set_value(DATES[0]).run()
    first = expected_ranks(0)
    risers = {m for m in first.keys() & last.keys() if last[m] < first[m]}
    fallers = {m for m in first.keys() & last.keys() if last[m] > first[m]}
    assert metric(at, "Risers") == str(len(risers))
    assert metric(at, "Fallers") == str(len(fallers))
    assert set(table(at, "mv_entrants")["Model"]) == last.keys() - first.keys()
    assert set(table(at, "mv_leavers")["Model"]) == first.keys() - last.keys()
    assert set(table(at, "mv_risers")["Model"]) == risers
    # #1 by ordinal rank: gemini, then gpt-5-high from 2025-08-28 on, sharing #1 with gemini on 2025-09-25
    reigns = table(at, "mv_crowns")
    starts = []
    for name in {m[0] for m in MODELS}:
        held = [i for i in range(len(DATES)) if expected_ranks(i).get(name) == 1]
        starts += [(name, DATES[i]) for i in held if i - 1 not in held]
    assert sorted(zip(reigns["Model"], reigns["From"].dt.date, strict=True)) == sorted(starts)
    assert len(starts) == 3
    assert list(reigns.loc[reigns["Current"], "Model"]) == ["gpt-5-high"]
    assert any(chart_spec(c)["mark"]["type"] == "bar" for c in charts(at) if "mark" in chart_spec(c))
    events = table(at, "mv_events")
    assert "new_leader" in set(events["Kind"]) and "methodology" in set(events["Kind"])


def test_movers_page_lists_the_alerts_a_watch_raised(small_home):
    at = run_page("movers")
    assert any("No alerts yet" in c.value for c in at.caption)
    # a debut is a fact: it alerts at once, without waiting for persistence
    watch = {
        "alerts": {
            "max_age": "365d",
            "watch": [{"name": "mai", "models": ["mai-1-preview"], "events": ["debut"]}],
        }
    }
    with store.writer(small_home, "pytest dashboard") as w:
        run = alerts.evaluate_and_deliver(
            w, alerts.parse_alerts(watch), clock=lambda: datetime(2025, 11, 21, tzinfo=UTC)
        )
        w.dirty = True
    assert run.recorded is not None and run.recorded.notifications > 0
    at.run()
    raised = table(at, "mv_alerts")
    assert len(raised) == run.recorded.notifications
    # mai-1-preview's debuts: both text boards on 2025-08-28, webdev on 2025-09-11
    assert sorted(zip(raised["Board"], raised["Date"].dt.date, strict=True)) == [
        ("text/overall (raw)", DATES[3]),
        ("text/overall (style control)", DATES[3]),
        ("webdev/overall (raw)", DATES[4]),
    ]
    assert set(raised["Watches"]) == {"mai"}


def test_organisations_page_races_the_labs(small_home):
    at = run_page("organisations")
    assert at.multiselect(key="org_pick").value[:4] == ["OpenAI", "Google", "xAI", "Anthropic"]
    standing = table(at, "org_standing").set_index("Organisation")
    now = expected_ranks(9)
    orgs = {m[0]: m[1] for m in MODELS}
    for org in ("OpenAI", "Google", "Anthropic", "Moonshot"):
        assert standing.loc[org, "Best rank"] == min(r for m, r in now.items() if orgs[m] == org)
    assert standing.loc["OpenAI", "Models listed"] == 2
    best, counts = charts(at)
    assert {tuple(t.column_names) for t in chart_data(best) if "best_rank" in t.column_names} == {
        ("as_of", "series", "best_rank", "segment", "alone")
    }


def test_sql_console_runs_a_named_query_with_parameter_widgets(small_home):
    at = run_page("sql")
    assert at.selectbox(key="sql_named").value == "model_history"
    # each query is offered by its name and the head of its description, never cut mid-phrase
    offered = at.selectbox(key="sql_named").options
    assert "model_history: One model's full history" in offered
    assert "movers: Risers, fallers, entrants and leavers on one board between two dates" in offered
    assert at.text_input(key="sql_param_model_history_model").value == "mai-1-preview"
    at.text_input(key="sql_param_model_history_arena").input("text").run()
    at.button(key="sql_run").click().run()
    result = table(at, "sql_result")
    # mai-1-preview is on both text boards from 2025-08-28 (index 3) to 2025-11-06 (index 8)
    assert len(result) == 2 * 6 and set(result["arena"]) == {"text"}
    raw = result[~result["style_control"]].sort_values("as_of")
    assert list(raw["rank_ordinal"]) == [expected_ranks(i)["mai-1-preview"] for i in range(3, 9)]
    assert {b.label for b in at.get("download_button")} == {"Download CSV", "Download Parquet"}
    assert "tracker sql model_history --param model=mai-1-preview --param arena=text" in [
        c.value for c in at.code
    ]


def test_sql_console_offers_only_the_values_a_parameter_allows(small_home):
    at = run_page("sql", sql_named="crowns")
    basis = at.selectbox(key="sql_param_crowns_rank_basis")
    assert basis.options == ["ordinal", "ub"] and basis.value == "ordinal"
    basis.set_value("ub").run()
    at.button(key="sql_run").click().run()
    assert not at.warning and len(table(at, "sql_result")) > 0
    at.selectbox(key="sql_named").set_value("events").run()
    kind = at.selectbox(key="sql_param_events_kind")
    assert kind.options[:2] == ["any", "new_leader"] and kind.value == "any"
    assert at.number_input(key="sql_param_events_top_n").min == 1
    kind.set_value("new_leader").run()
    at.button(key="sql_run").click().run()
    result = table(at, "sql_result")
    assert not at.warning and len(result) > 0 and set(result["kind"]) == {"new_leader"}


def test_sql_console_runs_free_sql_read_only(small_home):
    at = run_page("sql", sql_mode="Free SQL")
    at.text_area(key="sql_text").input(
        "select model, rank_ordinal from latest where arena = 'text' and category = 'overall' "
        "and not style_control order by 2"
    ).run()
    at.button(key="sql_run").click().run()
    result = table(at, "sql_result")
    assert dict(zip(result["model"], result["rank_ordinal"], strict=True)) == by_key(expected_ranks(9))

    for hostile in ("delete from snapshots", "select * from read_csv('/etc/passwd')"):
        at.text_area(key="sql_text").input(hostile).run()
        at.button(key="sql_run").click().run()
        assert not at.exception
        assert at.error and "query failed" in at.error[0].value
    at.text_area(key="sql_text").input("select count(*) as n from snapshots").run()
    at.button(key="sql_run").click().run()
    assert table(at, "sql_result")["n"][0] == 10 + 10 + 5


def test_health_page_shows_the_failed_poll_and_the_storage(small_home):
    at = run_page("health")
    assert any(FAILURE in w.value for w in at.warning)
    assert any("not started" in c.value for c in at.caption)
    sources = table(at, "health_sources").set_index("Source")
    assert sources.loc["arena-page", "Last outcome"] == "failed"
    assert sources.loc["arena-page", "Fetches"] == 1  # the failed poll; the 25 imported pages are no fetch
    # a default job's source that no poll reached yet
    assert sources.loc["arena-dataset", "Last outcome"] == "never polled"
    assert sources.loc[["arena-dataset"], "Last success"].isna().all()
    boards = table(at, "health_boards")
    assert list(boards["Snapshots"]) == [10, 10, 5]
    assert metric(at, "Database").endswith("MB")
    (timeline,) = charts(at)
    assert {tuple(t.column_names) for t in chart_data(timeline)} == {("day", "outcome", "fetches", "day_end")}


def test_health_page_shows_the_next_poll_of_a_running_scheduler(small_home):
    job_list = jobs.load_jobs(small_home)
    planned = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    running = BackgroundScheduler(timezone=UTC)
    for job in job_list:
        running.add_job(print, "interval", hours=1, id=job.name, next_run_time=planned)
    running.start(paused=True)
    try:
        next_runs = {j.id: j.next_run_time for j in running.get_jobs()}
        status.write_state(small_home, job_list, next_runs, running=True)
    finally:
        running.shutdown(wait=False)
    at = run_page("health")
    assert any("running (pid" in c.value for c in at.caption)
    # a time as people read it, not 2026-12-06t07:53:45.393199+00:00
    assert any(re.search(r"state updated \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$", c.value) for c in at.caption)
    next_runs = table(at, "health_jobs")["Next run"]
    assert len(next_runs) == len(job_list) and set(next_runs.dt.tz_convert("UTC")) == {planned}
    page_source = table(at, "health_sources").set_index("Source").loc["arena-page", "Next poll"]
    assert page_source.tz_convert("UTC") == planned


def test_rank_movement_counts_the_boards_own_snapshots(small_home):
    """The caption counts the board's snapshots in the range, and separately the dates the chosen models
    appear on (it once gave the second number as the first)."""
    at = run_page("rank-movement", rm_models=[SEED_ALIASES.get("llama-4-maverick", "llama-4-maverick")])
    caption = plain(next(c.value for c in at.caption if "complete snapshot" in c.value))
    assert "the board has 10 complete snapshots in this range" in caption
    assert "the chosen models appear on 6 snapshot dates" in caption
    at.sidebar.date_input(key="date_range").set_value((DATES[2], DATES[4])).run()
    caption = plain(next(c.value for c in at.caption if "complete snapshot" in c.value))
    assert "the board has 3 complete snapshots in this range" in caption


def sidebar_note(at: AppTest) -> str:
    """The sidebar's freshness note, without its bold markers."""
    return plain(next(c.value for c in at.sidebar.caption if "Newest snapshot" in c.value)).replace("**", "")


def test_the_sidebar_dates_the_chosen_board_and_says_when_upstream_was_reached(small_home):
    at = run_page("leaderboard")
    note = sidebar_note(at)
    # the text board's own newest date, with its age against its usual interval (14 days): old by now
    age = (datetime.now(UTC).date() - DATES[9]).days
    assert f"Newest snapshot of this board: {DATES[9]} ({age} days ago; usually every 14 days) — old" in note
    # the hand-built history came from files; the one fetch of a URL failed
    assert "Last reached upstream: never" in note
    assert re.search(r"Last attempt: .* \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\), failed", note), note
    at.sidebar.selectbox(key="board_arena").set_value("webdev").run()
    assert f"Newest snapshot of this board: {DATES[8]} (" in sidebar_note(at)


@pytest.fixture(scope="session")
def starter_built(tmp_path_factory: pytest.TempPathFactory, starter_template: Path) -> Path:
    """A home as `tracker init` leaves it: the bundled starter history (seeds/history), nothing fetched."""
    home = tmp_path_factory.mktemp("dashboard-starter") / "home"
    shutil.copytree(starter_template, home)
    return home


def test_the_model_page_and_tracker_model_tell_the_same_story(starter_built, tmp_path, monkeypatch):
    """On the starter history, `tracker model mai-1-preview` and the Model page state the same debut,
    best, latest and exit, in the same words (the CLI once said it left the text arena after 2026-05-17
    while the page said "Exit: still listed")."""
    printed = run_tracker(starter_built, "model", "mai-1-preview", check=True).stdout.splitlines()
    cli = printed[: next(i for i, line in enumerate(printed) if line.strip() == "Boards")]
    for home in _serve(starter_built, tmp_path, monkeypatch):
        at = run_page("model")
        assert at.selectbox(key="model_pick").value == "mai-1-preview"
        page = story_lines(at)
        assert page == cli
        lines = {line.split(":")[0]: line for line in cli if ":" in line}
        assert lines["Debut"].startswith(f"Debut: {metric(at, 'Debut')} on text/overall (style control)")
        assert lines["Best"].startswith(f"Best: {metric(at, 'Best')} on ")
        assert lines["Latest"].startswith(
            f"Latest: {metric(at, 'Latest')} (rank (UB) 99) on text/coding (raw)"
        )
        assert metric(at, "Exit") == "left"
        assert lines["Exit"].startswith(
            "Exit: left the text arena after 2026-05-17 (last listed on text/coding"
        )
        assert re.search(r"absent from the \d+ complete text snapshots since 2026-07-29", lines["Exit"])
        # no board is called current: the starter history ends months before today
        assert not any("Still listed" in line for line in page)
        assert any(
            line.startswith("Listed in the newest complete snapshot of 20 boards, but") for line in page
        )
        assert (
            table(at, "model_boards")["Status"].to_list()
            == story.board_table(story.tell(home, "mai-1-preview"))["status"].to_list()
        )
        # nothing was fetched: the sidebar says so
        assert "Last reached upstream: never polled" in sidebar_note(at)


HOSTILE = "![x](http://attacker/p.png) [Verify your account](http://phish/)"
HOSTILE_ORG = "[Org](http://phish/) :red[urgent] $x^2$ www.phish.example"


def markdown_sources(at: AppTest) -> list[str]:
    """Every Markdown string a page sent: text elements, alerts, and metrics' label, value, delta and help."""
    found = []
    for kind in (
        "markdown",
        "caption",
        "title",
        "header",
        "subheader",
        "info",
        "warning",
        "error",
        "success",
    ):
        found += [el.value for el in at.get(kind)]
    for m in at.get("metric"):
        found += [m.proto.label, m.proto.body, m.proto.delta, m.proto.help]
    return found


def test_upstream_names_reach_the_pages_as_text_not_markdown(small_home):
    """A model named like a Markdown image and link (and an organisation with a link, a colour directive, a
    formula and a bare domain) shows as its text: no image fetched, no link, on every page that names it."""
    from markdown_it import MarkdownIt

    later = DATES[-1] + timedelta(days=14)
    hostile = entry(HOSTILE, 1600.0, 1590.0, 1610.0, 5000, modelOrganization=HOSTILE_ORG)
    with store.writer(small_home, "pytest dashboard") as w:
        body = page(
            leaderboard([*_entries(9, style=False, arena="text"), hostile], cutoff=f"{later}T14:00:00.000Z")
        )
        assert (
            pipeline.ingest(w, pipeline.Payload(body, "hand/hostile.html", pipeline.utc_now())).outcome
            == "new"
        )
    (key,) = query.run_sql(
        small_home, "select distinct model from rank_history where display_name = $n", {"n": HOSTILE}
    )["model"].to_list()
    render = MarkdownIt("commonmark")
    seen = set()
    for url_path, state in (
        ("leaderboard", {}),
        ("model", {"model_pick": key}),
        ("rank-movement", {}),
        ("movers", {}),
        ("organisations", {}),
    ):
        at = run_page(url_path, **state)
        for source in markdown_sources(at):
            html = render.render(source)
            assert "<a " not in html and "<img" not in html, (url_path, source)
            assert "://" not in source and "www." not in source, (url_path, source)
            if "Verify your account" in source or "urgent" in source:
                seen.add(url_path)
                assert any(name in plain(source) for name in (HOSTILE, HOSTILE_ORG)), source
    # the #1 metric, the model's story, and the organisation's subheader all named it
    assert {"leaderboard", "model"} <= seen
    at = run_page("model", model_pick=key)
    assert f"Other {HOSTILE_ORG} models on text / overall / raw (no style control)" in [
        plain(h.value) for h in at.subheader
    ]


# ---------------------------------------------------------------------------------------------- the frame


def test_a_link_opens_a_board_range_and_model(small_home):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(
        {"arena": "webdev", "from": "2025-09-01", "to": "2025-10-20", "model": "gpt-5-high"}
    )
    at.run()
    at.switch_page(registry.by_url("model").file).run()
    assert not at.exception
    assert at.sidebar.selectbox(key="board_arena").value == "webdev"
    assert at.sidebar.date_input(key="date_range").value == (date(2025, 9, 1), date(2025, 10, 20))
    assert at.selectbox(key="model_pick").value == "gpt-5-high"


def test_a_partial_snapshot_is_shown_but_not_taken_for_the_board(small_home):
    """A capture of one model's row (as some archives transcribe them) must not make it #1 or end reigns."""
    later = DATES[-1] + timedelta(days=7)
    mai = entry("mai-1-preview", 1391.0, 1384.0, 1398.0, 20000, rank=12, modelOrganization="Microsoft AI")
    with store.writer(small_home, "pytest dashboard") as w:
        body = page(leaderboard([mai], cutoff=f"{later}T14:00:00.000Z"))
        assert (
            pipeline.ingest(w, pipeline.Payload(body, "hand/partial.html", pipeline.utc_now())).outcome
            == "new"
        )
    at = run_page("leaderboard")
    picker = at.selectbox(key="lb_date")
    assert picker.value == DATES[-1]  # the newest complete board, not the partial capture
    assert f"{later} (partial)" in picker.options
    picker.set_value(later).run()
    assert not at.exception
    assert list(table(at, "lb_table")["Model"]) == ["mai-1-preview"]
    at = run_page("model")
    assert metric(at, "Latest") == "#12"  # the rank it published, not 1 of 1
    assert metric(at, "Best") == story.facts(story.tell(small_home, "mai-1-preview"))["best"].value


def test_an_empty_home_says_how_to_load_data(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "empty"))
    data.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "tracker init" in at.warning[0].value


@pytest.mark.parametrize("spec", registry.PAGES, ids=lambda s: s.url_path)
def test_every_page_copes_with_a_database_without_snapshots(tmp_path, monkeypatch, spec):
    settings = load_settings(environ={}, home=tmp_path / "home")
    with store.writer(settings, "pytest dashboard") as w:
        store.publish(w)
    monkeypatch.setenv("TRACKER_HOME", str(settings.home))
    data.clear()
    at = run_page(spec.url_path)
    if spec.url_path == "health":
        assert any("No fetch recorded yet" in i.value for i in at.info)
        assert set(table(at, "health_sources")["Last outcome"]) == {"never polled"}
    elif spec.url_path != "sql":
        assert "No board has data yet." in [i.value for i in at.info]


def test_a_publish_shows_on_the_next_rerun_without_clearing_the_cache(small_home):
    at = run_page("leaderboard")
    assert at.selectbox(key="lb_date").value == DATES[-1]
    newer = DATES[-1] + timedelta(days=14)
    with store.writer(small_home, "pytest dashboard") as w:
        body = page(leaderboard(_entries(9, style=False, arena="text"), cutoff=f"{newer}T14:00:00.000Z"))
        pipeline.ingest(w, pipeline.Payload(body, "hand/newer.html", pipeline.utc_now()))
    at.run()
    assert at.selectbox(key="lb_date").value == newer


def test_the_app_keeps_one_shared_reader_and_lets_the_old_copy_go_after_a_publish(small_home):
    for spec in registry.PAGES:
        run_page(spec.url_path)
    held = readers.held()
    assert [path for path, _ in held] == [str(small_home.read_copy_path.absolute())]
    old = held[0][1]
    with store.writer(small_home, "pytest dashboard") as w:  # the writer publishes beside the open reader
        newer = DATES[-1] + timedelta(days=14)
        body = page(leaderboard(_entries(9, style=False, arena="text"), cutoff=f"{newer}T14:00:00.000Z"))
        pipeline.ingest(w, pipeline.Payload(body, "hand/newer.html", pipeline.utc_now()))
    at = run_page("leaderboard")
    assert at.selectbox(key="lb_date").value == newer
    assert [version for _, version in readers.held()] != [old]  # the new copy, and only it, is held
    assert len(readers.held()) == 1


@pytest.mark.parametrize("spec", registry.PAGES, ids=lambda s: s.url_path)
def test_every_page_runs_on_an_exported_lake(small_home, tmp_path, monkeypatch, spec):
    lake = tmp_path / "lake"
    export.export(small_home, lake)
    monkeypatch.setenv("TRACKER_LAKE", str(lake))
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "no-database-here"))
    data.clear()
    at = run_page(spec.url_path)
    if spec.url_path == "leaderboard":
        assert dict(zip(table(at, "lb_table")["Model"], table(at, "lb_table")["Rank"], strict=True)) == (
            expected_ranks(9)
        )
    if spec.url_path == "health":
        assert "Parquet lake" in at.info[0].value
        assert metric(at, "Lake").endswith("MB")


# ---------------------------------------------------------------------------------------------- real pages


@pytest.mark.shared
@pytest.mark.parametrize("spec", registry.PAGES, ids=lambda s: s.url_path)
def test_every_page_runs_on_the_real_arena_pages(real_home, spec):
    at = run_page(spec.url_path)
    if spec.has_chart and spec.url_path != "movers":  # one snapshot per board: no reign has a length yet
        assert charts(at), f"{spec.title} drew no chart"


@pytest.mark.shared
def test_real_boards_show_every_model_with_mai_1_preview(real_home):
    at = run_page("leaderboard")
    board = table(at, "lb_table").set_index("Model")
    assert len(board) == 357
    assert board.loc["mai-1-preview", "Votes"] == 17899
    at.sidebar.selectbox(key="board_category").set_value("coding").run()
    board = table(at, "lb_table").set_index("Model")
    assert len(board) == 355
    assert board.loc["mai-1-preview", "Votes"] == 2781


# ---------------------------------------------------------------------------------------------- text and layout


def test_md_shows_any_text_as_itself():
    from markdown_it import MarkdownIt

    for hostile in (HOSTILE, HOSTILE_ORG, "**bold** _it_ `code` # h <script>x</script> a\nb |t|", "&amp; \\"):
        shown = text.md(hostile)
        assert plain(shown) == hostile.replace("\n", " ")
        html = MarkdownIt("commonmark").render(shown)
        assert not re.search(r"<(a|img|strong|em|code|h1|script)\b", html), html
        assert "://" not in shown and "www." not in shown


def test_short_names_keep_names_apart():
    names = [
        "Gemini-2.5-Pro-Preview-03-25",
        "Gemini-2.5-Pro-Preview-05-06",
        "Gemini-2.5-Pro-Preview-06-05",
        "gemini-2.5-pro",
    ]
    short = text.short_names(names, 20)
    assert len(set(short.values())) == len(names)
    assert all(len(label) <= 20 for label in short.values())
    assert short["gemini-2.5-pro"] == "gemini-2.5-pro"
    assert short["Gemini-2.5-Pro-Preview-05-06"].endswith("05-06")
    # two models under one display name are told apart by their keys
    assert text.model_names({"a-1": "Same", "b-2": "same", "c": None}) == {
        "a-1": "Same (a-1)",
        "b-2": "same (b-2)",
        "c": "c",
    }


def test_timestamps_read_as_utc_minutes():
    moment = datetime(2026, 12, 6, 7, 53, 45, 393199, tzinfo=UTC)
    assert text.timestamp(moment) == "2026-12-06 07:53 UTC"
    assert text.ago(moment, moment + timedelta(hours=3)) == "3 h ago (2026-12-06 07:53 UTC)"


def test_every_series_colour_reads_on_white():
    assert all(chart_layout.contrast(c) >= 4.5 for c in chart_layout.PALETTE)
    assert len(set(chart_layout.PALETTE)) == len(chart_layout.PALETTE)


def test_dodged_labels_never_overlap_and_give_up_when_crowded():
    wanted = [100.0, 101.0, 103.0, 104.0, 300.0, 0.0, 420.0]
    boxes = [(0.0, 80.0, y) for y in wanted]
    placed = chart_layout.dodge(boxes, 420.0)
    assert placed is not None
    ordered = sorted(placed)
    assert all(b - a >= chart_layout.LINE_HEIGHT - 1e-6 for a, b in zip(ordered, ordered[1:], strict=False))
    assert all(abs(p - w) <= 3 * chart_layout.LINE_HEIGHT for p, w in zip(placed, wanted, strict=True))
    # labels far apart in x may share a height
    assert chart_layout.dodge([(0.0, 50.0, 10.0), (200.0, 50.0, 10.0)], 100.0) == [10.0, 10.0]
    assert chart_layout.dodge([(0.0, 50.0, 10.0)] * 20, 100.0) is None
    # a pixel position maps back to the value Vega puts there
    for scale in (chart_layout.RankScale(120, 420, log=True), chart_layout.LinearScale(1300, 1500, 320)):
        assert scale.from_px(scale.to_px(57.0 if isinstance(scale, chart_layout.RankScale) else 1400.0)) == (
            pytest.approx(57.0 if isinstance(scale, chart_layout.RankScale) else 1400.0)
        )


def test_a_line_breaks_over_a_gap_longer_than_the_boards_rhythm():
    # a daily board with a 30-day hole, then weekly: the hole breaks lines, the weekly part does not
    daily = [date(2025, 1, 1) + timedelta(days=i) for i in range(20)]
    weekly = [date(2025, 2, 20) + timedelta(days=7 * i) for i in range(12)]
    board = daily + weekly
    frame = pl.DataFrame({"series": ["m"] * len(board), "as_of": board, "rank": list(range(len(board)))})
    segs = chart_layout.segments(frame, "series", board)
    assert segs["segment"].n_unique() == 2
    assert segs.filter(pl.col("as_of") >= date(2025, 2, 20))["segment"].n_unique() == 1
    # a model missing from many snapshots of a daily board breaks too, even without a hole in the board
    sparse = frame.filter(pl.col("as_of").is_in([daily[0], daily[1], daily[10]]))
    segs = chart_layout.segments(sparse, "series", board)
    assert segs["segment"].n_unique() == 2 and segs["alone"].to_list() == [False, False, True]
