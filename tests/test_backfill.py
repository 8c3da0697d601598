"""`tracker backfill`: the official dataset's full files and arena-catalog's commit history, served by a real
HTTP server on 127.0.0.1 from the real history copies and generated Parquet files. Covers dating by commit,
resuming after an interruption or a failed fetch, and a second run that writes nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import polars as pl
import pytest

from tests import dataset_files
from tests.cli import run_tracker
from tests.conftest import Route, shared_path
from tracker import store
from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.http import make_client
from tracker.ingest import backfill
from tracker.read import connection

API = "/repos/lmarena/arena-catalog"
DELETED = "deadbeef0"  # the commit that renamed leaderboard-data.json away: the raw file is 404 there
TABLES = "select (select count(*) from snapshots), (select count(*) from standings), (select count(*) from raw_payloads)"


@pytest.fixture
def remote(settings: Settings, http_server) -> Settings:
    """Settings whose upstream URLs point at the loopback server (no retries: failures are immediate)."""
    return settings.replace(
        catalog_api_url=http_server.url(API),
        catalog_raw_url=http_server.url("/raw"),
        dataset_url=http_server.url("/hf"),
        dataset_configs="text,text_style_control",
        retries=0,
    )


def commits_path(file: str, page: int = 1, since: date | None = None) -> str:
    params = {"path": f"data/{file}", "per_page": 100, "page": page}
    if since is not None:
        params["since"] = f"{since.isoformat()}T00:00:00Z"
    return f"{API}/commits?{urlencode(params)}"


def serve_commits(http_server, file: str, commits: list[tuple[str, str]], since: date | None = None) -> None:
    """GitHub's commits API for one path (newest first, 100 a page) and the raw file routes are set by caller."""
    newest_first = sorted(commits, key=lambda c: c[1], reverse=True)
    pages = [newest_first[i : i + 100] for i in range(0, len(newest_first), 100)] or [[]]
    for number, items in enumerate(pages, start=1):
        body = [
            {"sha": sha, "commit": {"committer": {"date": at}, "author": {"date": at}}} for sha, at in items
        ]
        http_server.routes[commits_path(file, number, since)] = Route(200, json.dumps(body).encode())


SMALL = "leaderboard-vision.json,leaderboard-vision-style-control.json,leaderboard-image.json"  # 38 versions


def serve_catalog_history(
    http_server, since: date | None = None, deleted_in: str = "leaderboard-data.json"
) -> dict[str, list[tuple[str, str]]]:
    """Every commit copy in ../shared/data/lmarena-arena-catalog/history, one commit per folder, plus the
    commit that removed ``deleted_in`` (its raw file answers 404)."""
    history = shared_path("lmarena-arena-catalog", "history")
    by_file: dict[str, list[tuple[str, str]]] = {}
    for n, folder in enumerate(sorted(history.iterdir())):
        day, sha = folder.name.split("_")
        at = f"{day}T{n % 24:02d}:00:00Z"  # same-day commits keep their folder order
        for path in sorted(folder.glob("leaderboard-*.json")):
            by_file.setdefault(path.name, []).append((sha, at))
            http_server.routes[f"/raw/{sha}/data/{path.name}"] = Route(200, path.read_bytes())
    by_file[deleted_in].append((DELETED, "2025-03-07T09:00:00Z"))
    for file, commits in by_file.items():
        serve_commits(http_server, file, commits, since)
    return by_file


def run(settings: Settings, source: str, **kwargs) -> backfill.BackfillResult:
    with store.writer(settings, "pytest backfill") as w, make_client(settings) as client:
        return backfill.run(w, client, source, **kwargs)


def tables(settings: Settings) -> tuple:
    con = connection.open_reader(settings)
    try:
        return con.execute(TABLES).fetchall()[0]
    finally:
        con.close()


def raw_requests(http_server) -> list[str]:
    return [r["path"] for r in http_server.requests if r["path"].startswith("/raw/")]


@pytest.mark.slow
def test_catalog_backfill_reads_every_commit_dated_by_its_commit(remote, http_server):
    commits = serve_catalog_history(http_server)
    versions = sum(len(c) for c in commits.values())
    result = run(remote, "arena-catalog")
    assert result.planned == versions == 76 and result.already_stored == 0
    assert result.absent == 1 and not result.failures  # the rename commit, not an error
    assert {r.outcome for r in result.results if r.ok} <= {"new", "unchanged"}
    con = connection.open_reader(remote)
    try:
        kinds = con.execute("select distinct source, as_of_kind from snapshots").fetchall()
        dates = {d for (d,) in con.execute("select distinct cast(as_of as date) from snapshots").fetchall()}
        mai = con.execute(
            "select as_of, rating from rank_history where model = 'mai-1-preview' and category = 'overall' "
            "and not style_control order by as_of"
        ).fetchall()
    finally:
        con.close()
    assert kinds == [("arena-catalog", "commit_date")]
    folders = {
        date.fromisoformat(p.name.split("_")[0])
        for p in shared_path("lmarena-arena-catalog", "history").iterdir()
    }
    assert dates == folders
    assert [(d.isoformat(), r) for d, r in mai] == [
        ("2025-11-05", 1403.041),
        ("2025-11-06", 1393.777),
        ("2025-12-11", 1393.422),
    ]

    fetched = len(raw_requests(http_server))
    again = run(remote, "arena-catalog")
    assert again.already_stored == again.planned == versions and again.results == []
    assert len(raw_requests(http_server)) == fetched  # only the commit lists were asked again
    assert again.snapshots_new == 0


def test_an_interrupted_backfill_resumes_where_it_stopped(remote, http_server, tmp_path):
    serve_catalog_history(http_server, deleted_in="leaderboard-vision.json")
    remote = remote.replace(catalog_files=SMALL)
    seen = []

    def stop_after_ten(step, result):
        seen.append(step)
        if len(seen) == 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(remote, "arena-catalog", on_step=stop_after_ten)
    stored_before = tables(remote)  # published even though interrupted
    assert stored_before[0] > 0
    assert len(raw_requests(http_server)) == 10

    resumed = run(remote, "arena-catalog")
    assert resumed.already_stored == 10
    assert len(raw_requests(http_server)) == resumed.planned  # every version fetched exactly once
    assert resumed.snapshots_new > 0

    clean = remote.replace(home=tmp_path / "clean")
    run(clean, "arena-catalog")
    assert tables(clean) == tables(remote)
    second = run(remote, "arena-catalog")
    assert second.snapshots_new == 0 and tables(remote) == tables(clean)


def test_a_failed_version_is_fetched_again_on_the_next_run(remote, http_server):
    commits = serve_catalog_history(http_server)
    remote = remote.replace(catalog_files="leaderboard-vision.json")
    sha, _ = commits["leaderboard-vision.json"][0]
    good = http_server.routes[f"/raw/{sha}/data/leaderboard-vision.json"]
    http_server.routes[f"/raw/{sha}/data/leaderboard-vision.json"] = Route(500, b"upstream hiccup")
    first = run(remote, "arena-catalog")
    assert [f.origin.split("#")[0].rsplit("/", 3)[-3] for f in first.failures] == [sha]
    assert "HTTP 500" in first.failures[0].error
    http_server.routes[f"/raw/{sha}/data/leaderboard-vision.json"] = good
    http_server.requests.clear()
    second = run(remote, "arena-catalog")
    assert raw_requests(http_server) == [f"/raw/{sha}/data/leaderboard-vision.json"]
    assert not second.failures and second.results[0].outcome == "new"


def test_since_keeps_only_later_commits(remote, http_server):
    serve_catalog_history(http_server, since=date(2025, 11, 1))
    result = run(remote, "arena-catalog", since=date(2025, 11, 1))
    assert result.planned == 16 and not result.failures
    assert all("/raw/" in r["path"] or "since=2025-11-01" in r["path"] for r in http_server.requests)
    con = connection.open_reader(remote)
    try:
        first = con.execute("select min(as_of) from snapshots").fetchall()[0][0]
    finally:
        con.close()
    assert first >= datetime(2025, 11, 1, tzinfo=UTC)


def test_commit_lists_are_read_page_by_page(remote, http_server):
    body = json.dumps({"full": {"model-a": {"rating": 1300, "rating_q975": 1310, "rating_q025": 1290}}})
    commits = []
    for n in range(101):
        sha = f"{n:040x}"
        at = (
            datetime(2025, 1, 1, tzinfo=UTC)
            .replace(day=1 + n % 28, hour=n // 28)
            .strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        commits.append((sha, at))
        rating = body.replace("1300", f"{1300 + n / 1000:.3f}").encode()
        http_server.routes[f"/raw/{sha}/data/leaderboard-webdev.json"] = Route(200, rating)
    serve_commits(http_server, "leaderboard-webdev.json", commits)
    result = run(remote.replace(catalog_files="leaderboard-webdev.json"), "arena-catalog")
    assert result.planned == 101 and result.snapshots_new == 101
    assert sum("/commits?" in r["path"] for r in http_server.requests) == 2


def test_dataset_backfill_loads_each_full_file_and_rechecks_with_etags(remote, http_server):
    frames = {}
    for n, config in enumerate(("text", "text_style_control")):
        frames[config] = dataset_files.full_frame(models=15, dates=6, seed=n)
        http_server.routes[f"/hf/{config}/full-00000-of-00001.parquet"] = Route(
            200, dataset_files.parquet_bytes(frames[config]), {"ETag": f'"{config}-v1"'}
        )
    first = run(remote, "arena-dataset")
    assert [r.outcome for r in first.results] == ["new", "new"]
    expected = sum(f.select("category", "leaderboard_publish_date").unique().height for f in frames.values())
    assert first.snapshots_new == expected
    assert first.rows_written == sum(f.height for f in frames.values())
    before = tables(remote)
    second = run(remote, "arena-dataset", since=date(2025, 1, 1))
    assert [r.outcome for r in second.results] == ["not_modified", "not_modified"]
    assert second.notes and "--since" in second.notes[0]
    assert tables(remote) == before

    # a new publish changes one file: only its new snapshots are written
    last = frames["text"]["leaderboard_publish_date"].max()
    later = (
        frames["text"]
        .filter(pl.col("leaderboard_publish_date") == last)
        # the day after (not a far future day: a board dated after its fetch is refused)
        .with_columns(pl.lit(_next_day(last)).alias("leaderboard_publish_date"), pl.col("rating") + 1)
    )
    grown = pl.concat([frames["text"], later])
    http_server.routes["/hf/text/full-00000-of-00001.parquet"] = Route(
        200, dataset_files.parquet_bytes(grown), {"ETag": '"text-v2"'}
    )
    third = run(remote, "arena-dataset")
    assert [r.outcome for r in third.results] == ["new", "not_modified"]
    assert third.snapshots_new == grown.select("category", "leaderboard_publish_date").unique().height - (
        frames["text"].select("category", "leaderboard_publish_date").unique().height
    )


def test_a_missing_dataset_file_is_reported_with_its_url(remote, http_server):
    result = run(remote.replace(dataset_configs="text"), "arena-dataset")
    assert len(result.failures) == 1
    assert (
        "/hf/text/full-00000-of-00001.parquet" in result.failures[0].error
        and "404" in result.failures[0].error
    )


def test_unknown_source_and_bad_settings_are_clear_errors(remote):
    with pytest.raises(TrackerError, match="backfill knows the sources arena-dataset, arena-catalog"):
        run(remote, "fboulnois")
    with pytest.raises(TrackerError, match="unknown dataset config 'holograms'"):
        run(remote.replace(dataset_configs="text,holograms"), "arena-dataset")


def test_cli_backfill_prints_a_summary_and_a_second_run_writes_nothing(remote, http_server, tmp_path):
    serve_catalog_history(http_server, deleted_in="leaderboard-image.json")
    env = {
        "TRACKER_CATALOG_API_URL": remote.catalog_api_url,
        "TRACKER_CATALOG_RAW_URL": remote.catalog_raw_url,
        "TRACKER_CATALOG_FILES": "leaderboard-image.json",
        "TRACKER_RETRIES": "0",
    }
    home = tmp_path / "cli-home"
    first = run_tracker(home, "backfill", "arena-catalog", env=env, check=True)
    assert "arena-catalog: 8 version(s) listed, 0 already stored" in first.stdout
    assert "1 commit(s) where the file was absent (HTTP 404)" in first.stdout
    assert "new snapshot(s)" in first.stdout
    second = run_tracker(home, "backfill", "arena-catalog", env=env, check=True)
    assert "8 already stored" in second.stdout and "nothing new" in second.stdout
    bad = run_tracker(home, "backfill", "nakasyou", env=env)
    assert (
        bad.returncode == 1 and "backfill knows the sources" in bad.stderr and "Traceback" not in bad.stderr
    )


def test_backfilled_versions_reparse_to_the_same_dates(remote, http_server):
    from tracker.ingest import reparse

    serve_catalog_history(http_server)
    remote = remote.replace(catalog_files=SMALL)
    run(remote, "arena-catalog")
    query = "select source, arena, category, style_control, as_of, content_hash from snapshots order by all"
    with store.writer(remote, "pytest") as w:
        before = w.con.execute(query).fetchall()
        result = reparse.reparse(w)
        assert not result.failures
        assert w.con.execute(query).fetchall() == before


def test_raw_origin_keeps_the_commit_in_its_fragment(remote, http_server):
    serve_catalog_history(http_server)
    result = run(remote.replace(catalog_files="leaderboard-image.json"), "arena-catalog")
    origin = next(r.origin for r in result.results if "ea8297b54" in r.origin)
    assert origin.startswith(remote.catalog_raw_url + "/ea8297b54/data/leaderboard-image.json#")
    assert "as_of=2025-12-11T" in origin and "commit=ea8297b54" in origin
    assert Path(origin.split("#")[0]).name == "leaderboard-image.json"


def _next_day(day: object) -> str:
    return (date.fromisoformat(str(day)[:10]) + timedelta(days=1)).isoformat()
