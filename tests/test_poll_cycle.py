"""Poll cycles end to end against a real HTTP server on 127.0.0.1 serving the real captured arena.ai pages (and
dataset Parquet built from the real datasets-server rows), then changing them: the first cycle stores, the
second skips (304 for the page with an ETag, same hash for the one without), the third stores the changed
page; the fetch rows, job runs, log lines and `tracker status` prove it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import threading
from pathlib import Path

import duckdb
import httpx
import polars as pl
import pytest
from typer.testing import CliRunner

from tests.cli import run_tracker
from tests.conftest import Route, shared_path
from tests.pages import entry, leaderboard, page
from tests.test_guard import derived, real_board
from tracker import logs, sources, store
from tracker.cli import app
from tracker.config import load_settings
from tracker.poll import cycle, jobs, status

PAGES = "podsieve-prediction_mkt"
OVERALL = "arena_text_overall-no-style-control_cutoff-2026-05-07.html"
CODING = "arena_text_coding-no-style-control_cutoff-2026-05-17.html"
OVERALL_PATH = "/leaderboard/text/overall-no-style-control"
CODING_PATH = "/leaderboard/text/coding-no-style-control"


def edited(body: bytes, *, cutoff: str, bump: float) -> bytes:
    """A copy of a real page as the site would publish it next: a new vote cutoff and every rating (and its
    bounds) moved by ``bump``."""
    old_cutoff = re.search(rb'voteCutoffISOString\\":\\"([^\\"]+)', body).group(1)
    body = body.replace(old_cutoff, cutoff.encode())

    def move(match: re.Match) -> bytes:
        return match.group(1) + f"{float(match.group(2)) + bump:.2f}".encode()

    return re.sub(rb'(\\"rating(?:Upper|Lower)?\\":)(-?\d+(?:\.\d+)?)', move, body)


def home_with_config(tmp_path: Path, text: str):
    home = tmp_path / "home"
    home.mkdir()
    (home / "tracker.toml").write_text(text, encoding="utf-8")
    return load_settings(environ={}, home=home, publish_min_interval=0.0)


def pages_config(base_url: str) -> str:
    return f"""
default_jobs = false

[settings]
arena_url = "{base_url}"
retries = 0

[[jobs]]
name = "text-pages"
source = "arena-page"
boards = ["text/overall-no-style-control", "text/coding-no-style-control"]
interval = "1h"
"""


def fetch_rows(settings) -> list[tuple]:
    con = duckdb.connect(str(settings.read_copy_path), read_only=True)
    try:
        return con.execute(
            "select regexp_extract(origin, '[^/]+$'), outcome, http_status, snapshots_new, job "
            "from fetches order by fetch_id"
        ).fetchall()
    finally:
        con.close()


def read(settings, query: str) -> list[tuple]:
    con = duckdb.connect(str(settings.read_copy_path), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


@pytest.fixture
def log_stream():
    stream = io.StringIO()
    logs.configure(json_lines=True, stream=stream)
    yield stream
    logs.configure(stream=sys.stderr)


def test_cycle_stores_the_first_skips_the_unchanged_and_stores_the_changed(tmp_path, http_server, log_stream):
    overall = shared_path(PAGES, OVERALL).read_bytes()
    coding = shared_path(PAGES, CODING).read_bytes()
    http_server.routes[OVERALL_PATH] = Route(
        200, overall, {"ETag": '"overall-v1"', "Content-Type": "text/html"}
    )
    http_server.routes[CODING_PATH] = Route(200, coding, {"Content-Type": "text/html"})  # no validators
    settings = home_with_config(tmp_path, pages_config(http_server.base_url))
    job_list = jobs.load_jobs(settings)

    (first,) = cycle.poll_once(settings, job_list)
    (second,) = cycle.poll_once(settings, job_list)
    http_server.routes[OVERALL_PATH] = Route(
        200, edited(overall, cutoff="2026-05-08T14:00:00.000Z", bump=1.0), {"ETag": '"overall-v2"'}
    )
    (third,) = cycle.poll_once(settings, job_list)

    assert [r.outcome for r in first.results] == ["new", "new"]
    assert [r.outcome for r in second.results] == ["not_modified", "unchanged"]
    assert [r.outcome for r in third.results] == ["new", "unchanged"]
    assert fetch_rows(settings) == [
        ("overall-no-style-control", "new", 200, 1, "text-pages"),
        ("coding-no-style-control", "new", 200, 1, "text-pages"),
        ("overall-no-style-control", "not_modified", 304, 0, "text-pages"),
        ("coding-no-style-control", "unchanged", 200, 0, "text-pages"),
        ("overall-no-style-control", "new", 200, 1, "text-pages"),
        ("coding-no-style-control", "unchanged", 200, 0, "text-pages"),
    ]
    # the conditional GET carried the stored ETag; the page without validators got a plain GET
    overall_requests = [r for r in http_server.requests if r["path"] == OVERALL_PATH]
    assert [r["headers"].get("If-None-Match") for r in overall_requests] == [
        None,
        '"overall-v1"',
        '"overall-v1"',
    ]
    assert all("If-None-Match" not in r["headers"] for r in http_server.requests if r["path"] == CODING_PATH)
    # the changed board is a new snapshot with the new ratings; the old one is kept
    history = read(
        settings,
        "select as_of::date, rating, rank_ordinal from rank_history "
        "where model = 'mai-1-preview' and category = 'overall' order by as_of",
    )
    assert [(str(d), round(r, 2)) for d, r, _ in history] == [
        ("2026-05-07", 1393.73),
        ("2026-05-08", 1394.73),
    ]
    assert read(
        settings, "select outcome, targets, fetches, failures, snapshots_new from job_runs order by run_id"
    ) == [
        ("ok", 2, 2, 0, 2),
        ("ok", 2, 2, 0, 0),
        ("ok", 2, 2, 0, 1),
    ]
    # one log line per fetch with source, board, outcome, HTTP status, bytes and ms
    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    fetch_lines = [line for line in lines if line["event"] == "fetch"]
    assert len(fetch_lines) == 6
    assert fetch_lines[0] | {"ms": 0, "at": ""} == fetch_lines[0] | {
        "ms": 0,
        "at": "",
        "source": "arena-page",
        "board": "text/overall-no-style-control",
        "outcome": "new",
        "http_status": 200,
        "bytes": len(overall),
    }
    assert fetch_lines[2]["outcome"] == "not_modified" and fetch_lines[2]["http_status"] == 304
    assert all(line["ms"] >= 0 for line in fetch_lines)


def test_a_failing_and_a_shrunk_page_are_recorded_not_stored(tmp_path, http_server, log_stream):
    overall = shared_path(PAGES, OVERALL).read_bytes()
    http_server.routes[OVERALL_PATH] = Route(200, overall)
    http_server.routes[CODING_PATH] = Route(500, b"upstream broke")
    settings = home_with_config(tmp_path, pages_config(http_server.base_url))
    job_list = jobs.load_jobs(settings)
    (first,) = cycle.poll_once(settings, job_list)
    assert first.outcome == "partial" and [r.outcome for r in first.results] == ["new", "failed"]

    # the site now renders a truncated board: the guard rejects it and keeps the bytes
    truncated = derived(real_board(), keep=20)
    http_server.routes[OVERALL_PATH] = Route(200, truncated)
    (second,) = cycle.poll_once(settings, job_list)
    assert [r.outcome for r in second.results] == ["rejected", "failed"] and second.outcome == "failed"
    assert "fewer than half" in second.results[0].error
    assert read(settings, "select count(*) from snapshots") == [(1,)]
    report = status.status_report(settings)
    row = report.sources.filter(pl.col("source") == "arena-page").row(0, named=True)
    assert row["consecutive_failures"] == 2 and row["failing_origins"] == 2
    assert "HTTP 500" in row["last_error"] or "fewer than half" in row["last_error"]
    jobs_row = report.jobs.filter(pl.col("job") == "text-pages").row(0, named=True)
    assert jobs_row["last_outcome"] == "failed" and jobs_row["failed_runs_in_a_row"] == 1


def test_dataset_latest_files_are_polled_with_their_config(tmp_path, http_server, log_stream):
    if "arena-dataset" not in {f.source for f in sources.FORMATS}:
        pytest.skip("the arena-dataset parser is not registered in tracker/sources/__init__.py yet")
    wrapper = json.loads(
        shared_path(
            "dotkrnl-ipbr-rank", "lmarena_overall_datasets-server_rows_latest_2026-04-23.json"
        ).read_text()
    )
    rows = [row["row"] for page in wrapper["configs"]["text"] for row in page["rows"]]
    frame = pl.DataFrame(rows).with_columns(pl.col("vote_count", "rank").cast(pl.Int64))

    def parquet(f: pl.DataFrame) -> bytes:
        buffer = io.BytesIO()
        f.write_parquet(buffer)
        return buffer.getvalue()

    path = "/datasets/lmarena-ai/leaderboard-dataset/resolve/main/text/latest-00000-of-00001.parquet"
    http_server.routes[path] = Route(200, parquet(frame), {"ETag": '"sha-1"'})
    settings = home_with_config(
        tmp_path,
        f"""
default_jobs = false
[settings]
dataset_url = "{http_server.base_url}/datasets/lmarena-ai/leaderboard-dataset/resolve/main"
[[jobs]]
name = "dataset-latest"
source = "arena-dataset"
configs = ["text"]
interval = "6h"
""",
    )
    job_list = jobs.load_jobs(settings)
    (first,) = cycle.poll_once(settings, job_list)
    (second,) = cycle.poll_once(settings, job_list)
    changed = frame.with_columns(
        pl.lit("2026-04-30").alias("leaderboard_publish_date"),
        pl.col("rating", "rating_lower", "rating_upper") + 0.5,
    )
    http_server.routes[path] = Route(200, parquet(changed), {"ETag": '"sha-2"'})
    (third,) = cycle.poll_once(settings, job_list)
    assert first.results[0].outcome == "new" and first.snapshots_new == 27  # 27 text categories
    assert second.results[0].outcome == "not_modified"
    assert third.results[0].outcome == "new" and third.snapshots_new == 27
    assert read(
        settings,
        "select as_of::date, round(rating, 3) from rank_history where model = 'mai-1-preview' "
        "and arena = 'text' and category = 'overall' and not style_control and source = 'arena-dataset' order by as_of",
    ) == [(dt.date(2026, 4, 23), 1393.502), (dt.date(2026, 4, 30), 1394.002)]


def test_tracker_poll_and_status_check_from_the_command_line(tmp_path, http_server):
    http_server.routes[OVERALL_PATH] = Route(200, shared_path(PAGES, OVERALL).read_bytes(), {"ETag": '"e1"'})
    http_server.routes[CODING_PATH] = Route(404, b"gone")
    settings = home_with_config(tmp_path, pages_config(http_server.base_url))
    home = settings.home

    # once as a user runs it: the real entry point, its exit code and its log lines on standard error
    polled = run_tracker(home, "poll", "text-pages")
    assert polled.returncode == 1  # one URL failed
    # one line per job run on stdout; the failure's message on stderr; no line per URL without --verbose
    assert polled.stdout == "text-pages: partial, 2 fetched (1 new, 1 failed), 1 new snapshot(s)\n"
    assert "failed: " in polled.stderr and "HTTP 404; not retried" in polled.stderr
    assert "fetch text-pages" not in polled.stderr and polled.stderr.count("\n") == 1

    # the rest through typer's runner, on the click command itself
    runner = CliRunner()

    def tracker(*args: str):
        return runner.invoke(app, [*args, "--home", str(home)])

    try:
        by_url = tracker("poll", http_server.url(OVERALL_PATH), "--log-json")
        assert by_url.exit_code == 0, by_url.output
        line = json.loads(by_url.stderr.splitlines()[0])
        assert (line["job"], line["outcome"], line["http_status"]) == ("poll", "not_modified", 304)

        assert tracker("status", "--check", "--max-failures", "2").exit_code == 0
        verbose = tracker("poll", "text-pages", "--verbose")
        assert verbose.exit_code == 1
        assert re.search(
            r"fetch text-pages arena-page text/overall-no-style-control not_modified HTTP 304 - B \d+ ms",
            verbose.stderr,
        ), verbose.stderr
        assert "text-pages: partial, 2 fetched (1 unchanged, 1 failed)" in verbose.stdout
        check = tracker("status", "--check", "--max-failures", "2")
        assert check.exit_code == 1
        assert "arena-page: failed 2 times in a row" in check.stderr and "HTTP 404" in check.stderr
        # the last success in minutes and UTC, not Python's repr of a timestamp with microseconds
        assert re.search(r"\(last success \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)", check.stderr), check.stderr
        shown = tracker("status")
        assert shown.exit_code == 0 and "text-pages" in shown.stdout
        assert "scheduler: not started here" in shown.stdout
    finally:
        logs.configure(stream=sys.stderr)


def test_log_lines_never_carry_credentials(tmp_path, http_server):
    http_server.routes["/secret"] = Route(500, b"no")
    url = (
        http_server.url("/secret").replace("http://", "http://alice:s3cret@")
        + "?token=abc123&page=2&api_key=k9"
    )
    for json_lines in (False, True):
        stream = io.StringIO()
        logs.configure(json_lines=json_lines, stream=stream, verbose=True)
        try:
            settings = load_settings(environ={}, home=tmp_path / f"home{json_lines}", retries=0)
            (run,) = cycle.poll_once(settings, jobs.select([], [url]))
        finally:
            logs.configure(stream=sys.stderr)
        text = stream.getvalue()
        assert run.results[0].outcome == "failed" and "HTTP 500" in text
        assert "s3cret" not in text and "abc123" not in text and "k9" not in text
        assert "alice" not in text and "token=***" in text and "page=2" in text
    assert logs.redact("Authorization: Bearer abcdefghijklmnop") == "Authorization: Bearer ***"


def test_each_fetch_line_says_what_its_fetch_row_recorded(tmp_path, http_server, log_stream):
    # hand-written pages, so this runs without ../shared: a stored page, its 304, a same-bytes 200, a 404
    board = leaderboard([entry("alpha", 1450, 1445, 1455), entry("beta", 1440, 1435, 1445, rank=2)])
    http_server.routes[OVERALL_PATH] = Route(200, page(board), {"ETag": '"v1"'})
    http_server.routes[CODING_PATH] = Route(404, b"gone")
    settings = home_with_config(tmp_path, pages_config(http_server.base_url))
    job_list = jobs.load_jobs(settings)
    cycle.poll_once(settings, job_list)
    cycle.poll_once(settings, job_list)
    http_server.routes[OVERALL_PATH] = Route(200, page(board))  # the same bytes, now without an ETag
    cycle.poll_once(settings, job_list)

    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    logged = [
        (line["outcome"], line["http_status"], line["bytes"], line["ms"])
        for line in lines
        if line["event"] == "fetch"
    ]
    recorded = read(
        settings,
        "select outcome, http_status, size_bytes, round(duration_ms, 1) from fetches order by fetch_id",
    )
    assert logged == recorded
    assert [(outcome, status) for outcome, status, _, _ in logged] == [
        ("new", 200),
        ("failed", 404),
        ("not_modified", 304),
        ("failed", 404),
        ("unchanged", 200),
        ("failed", 404),
    ]


def test_a_job_line_counts_the_urls_of_a_host_that_is_down_as_skipped_not_as_fetched(tmp_path):
    # down.example refuses every connection; up.example serves one page at two URLs (the second: same bytes)
    body = page(leaderboard([entry("alpha", 1450, 1445, 1455), entry("beta", 1440, 1435, 1445, rank=2)]))
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if request.url.host == "down.example":
            raise httpx.ConnectError("[Errno 111] Connection refused")
        return httpx.Response(200, content=body)

    urls = [
        "https://down.example/leaderboard/text/a",
        "https://down.example/leaderboard/text/b",
        "https://up.example/leaderboard/text",
        "https://down.example/leaderboard/text/c",
        "https://up.example/leaderboard/text/overall-no-style-control",
    ]
    job = jobs.Job("mixed", "arena-page", tuple(jobs.url_target(u) for u in urls), interval=3600.0)
    at = dt.datetime(2026, 11, 1, 14, 30, tzinfo=dt.UTC)
    settings = load_settings(environ={}, home=tmp_path / "home", publish_min_interval=0.0)
    human, detail = io.StringIO(), io.StringIO()
    try:
        with store.writer(settings, "pytest") as w:
            runner = cycle.Runner(
                w,
                {"mixed": job},
                transport=httpx.MockTransport(handler),
                clock=lambda: at,
                sleep=lambda seconds: None,
            )
            logs.configure(stream=human)  # a terminal: one line per job run
            run = runner.run("mixed")
            logs.configure(json_lines=True, stream=detail)  # the JSON log: a line per URL too
            runner.gate = type(runner.gate)()  # a new process: the host is tried again
            runner.run("mixed")
            recorded = w.con.execute("select outcome from fetches order by fetch_id").fetchall()
            job_run = w.con.execute("select outcome, targets, fetches, failures from job_runs").fetchall()
    finally:
        logs.configure(stream=sys.stderr)
    # the first URL of the host was requested (and retried); the two after it were not requested at all
    assert [u for u in requested if "down.example" in u] == [
        "https://down.example/leaderboard/text/a"
    ] * 5 * 2
    assert (run.fetched, run.failures, len(run.skipped), run.outcome) == (3, 1, 2, "partial")
    line = (
        "job mixed: partial, 3 of 5 fetched (1 new, 1 unchanged, 1 failed), 1 new snapshot(s); "
        "down.example could not be reached: 2 skipped until 2026-11-01 15:30 UTC"
    )
    (shown,) = human.getvalue().splitlines()  # no line per URL without --verbose
    assert shown.endswith(line), shown
    # the fetch rows and the job run say the same: three requests, one failed; no row for a URL not requested
    first_run, second_run = (
        [("failed",), ("new",), ("unchanged",)],
        [("failed",), ("unchanged",), ("unchanged",)],
    )
    assert recorded == first_run + second_run
    assert job_run == [("partial", 5, 3, 1)] * 2
    events = [json.loads(x) for x in detail.getvalue().splitlines()]
    assert [e["outcome"] for e in events if e["event"] == "fetch"] == [
        "failed",
        "skipped",
        "unchanged",
        "skipped",
        "unchanged",
    ]
    (summary,) = [e for e in events if e["event"] == "job"]
    assert (summary["fetched"], summary["failures"], summary["skipped"], summary["targets"]) == (3, 1, 2, 5)


def test_each_fetch_reaches_status_at_once_without_a_publish_of_the_read_copy(tmp_path):
    # two URLs: the first fails; the second hangs until the test has read `tracker status` mid-run
    second_started, release = threading.Event(), threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/b"):
            second_started.set()
            assert release.wait(60)
            return httpx.Response(404)
        return httpx.Response(500, content=b"upstream broke")

    targets = tuple(jobs.url_target(f"https://arena.example/leaderboard/text/{n}") for n in ("a", "b"))
    job = jobs.Job("pages", "arena-page", targets, interval=3600.0)
    # a read copy is not due again for an hour: only the status files can tell
    settings = load_settings(environ={}, home=tmp_path / "home", publish_min_interval=3600.0, retries=0)
    with store.writer(settings, "pytest") as w:
        store.publish(w)
        runner = cycle.Runner(w, {"pages": job}, transport=httpx.MockTransport(handler))
        thread = threading.Thread(target=runner.run, args=("pages",))
        thread.start()
        try:
            assert second_started.wait(60)
            mid_run = status.status_report(settings)  # the first fetch has failed; the run is still going
        finally:
            release.set()
            thread.join(60)
        after = status.status_report(settings)
        published_fetches = read(settings, "select count(*) from fetches")
    source = mid_run.sources.filter(pl.col("source") == "arena-page").row(0, named=True)
    assert (source["fetches"], source["consecutive_failures"]) == (1, 1)
    assert "HTTP 500" in source["last_error"]
    assert mid_run.jobs.filter(pl.col("job") == "pages").is_empty()  # no run recorded yet
    source = after.sources.filter(pl.col("source") == "arena-page").row(0, named=True)
    assert (source["fetches"], source["consecutive_failures"], source["failing_origins"]) == (2, 1, 2)
    run = after.jobs.filter(pl.col("job") == "pages").row(0, named=True)
    assert (run["last_outcome"], run["last_fetches"], run["failed_runs_in_a_row"]) == ("failed", 2, 1)
    assert published_fetches == [(0,)]  # all of it before the read copy was published again
    assert read(settings, "select count(*) from fetches") == [(2,)]  # published as the writer closed
