"""The scheduler: catch-up after downtime, coalescing, no overlapping runs, the state file `tracker status`
reads, SIGTERM in the middle of a cycle (a real `tracker schedule` process), and one writer at a time across
processes. Deterministic: fixed datetimes, a scheduler started paused or with a recording executor, job
functions called directly; waiting happens only on events or on other processes, never on the clock.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import httpx
import polars as pl
import pytest
import typer
from apscheduler.executors.base import BaseExecutor, MaxInstancesReachedError
from apscheduler.triggers.interval import IntervalTrigger
from typer.testing import CliRunner

from tests.conftest import Route, shared_path
from tests.test_poll_cycle import edited
from tracker import logs, store
from tracker.cli import app
from tracker.config import load_settings
from tracker.errors import WriterBusyError
from tracker.poll import cycle, jobs, service, status
from tracker.sqlfiles import sql

T0 = datetime(2026, 11, 1, 14, 30, tzinfo=UTC)
PAGE = ("podsieve-prediction_mkt", "arena_text_overall-no-style-control_cutoff-2026-05-07.html")


def hourly(name: str = "pages", targets=()) -> jobs.Job:
    return jobs.Job(name, "arena-page", tuple(targets), interval=3600.0, jitter=0.0)


# --- catch-up planning (pure, fixed datetimes) ---------------------------------------------------------


def test_an_overdue_job_runs_once_at_start_and_a_recent_one_waits():
    trigger = IntervalTrigger(hours=1, timezone=UTC)
    assert service.first_run_time(trigger, None, T0) == T0  # never succeeded
    assert (
        service.first_run_time(trigger, T0 - timedelta(hours=4, minutes=30), T0) == T0
    )  # 4 runs missed: one
    assert service.first_run_time(trigger, T0 - timedelta(minutes=30), T0) == T0 + timedelta(minutes=30)


def test_cron_jobs_catch_up_when_a_fire_time_passed():
    job = jobs.Job("six-hourly", None, (), cron="0 */6 * * *")
    trigger = jobs.trigger_for(job)
    six = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    assert service.first_run_time(trigger, six, datetime(2026, 11, 1, 13, 0, tzinfo=UTC)) == datetime(
        2026, 11, 1, 13, 0, tzinfo=UTC
    )
    assert service.first_run_time(trigger, six, datetime(2026, 11, 1, 11, 0, tzinfo=UTC)) == datetime(
        2026, 11, 1, 12, 0, tzinfo=UTC
    )
    assert jobs.period(job, six) == 6 * 3600


class Idle:
    """Stands in for the Runner where only the scheduler's wiring is under test."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()

    def scheduled(self, name: str) -> None:
        self.started.set()
        assert self.release.wait(30)


def test_scheduler_wiring_started_paused(settings):
    runner = Idle()
    job_list = [hourly("overdue"), hourly("recent"), hourly("new")]
    last = {"overdue": T0 - timedelta(hours=5), "recent": T0 - timedelta(minutes=10)}
    sched = service.build_scheduler(runner, job_list, settings=settings, last_success=last, now=T0)
    sched.start(paused=True)
    try:
        planned = {j.id: j for j in sched.get_jobs()}
        assert planned["overdue"].next_run_time == T0
        assert planned["new"].next_run_time == T0
        assert planned["recent"].next_run_time == T0 + timedelta(minutes=50)
        for job in planned.values():
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
            assert job.args == (job.id,)
        assert runner.started.is_set() is False  # paused: nothing ran
    finally:
        sched.shutdown(wait=False)


class Recording(BaseExecutor):
    """An executor that records what the scheduler submits instead of running it."""

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[tuple[str, list[datetime]]] = []
        self.event = threading.Event()

    def _do_submit_job(self, job, run_times) -> None:
        self.submitted.append((job.id, list(run_times)))
        self.event.set()


def test_missed_runs_coalesce_into_one_run(settings):
    executor = Recording()
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)  # thousands of hourly runs missed
    sched = service.build_scheduler(
        Idle(),
        [hourly("pages")],
        settings=settings.replace(misfire_grace_time=10**9),
        last_success={"pages": long_ago - timedelta(hours=1)},
        now=long_ago,
        executor=executor,
    )
    sched.start()
    try:
        assert executor.event.wait(30)
    finally:
        sched.shutdown(wait=False)
    ((job_id, run_times),) = executor.submitted
    assert job_id == "pages" and len(run_times) == 1  # one run for all the missed times


def test_a_job_never_runs_twice_at_once(settings):
    runner = Idle()
    sched = service.build_scheduler(runner, [hourly("pages")], settings=settings, last_success={}, now=T0)
    sched.start(paused=True)
    try:
        job = sched.get_job("pages")
        executor = sched._lookup_executor("default")
        now = datetime.now(UTC)  # a run time within the misfire grace time, or the executor skips it
        executor.submit_job(job, [now])
        assert runner.started.wait(30)
        with pytest.raises(MaxInstancesReachedError):
            executor.submit_job(job, [now])
    finally:
        runner.release.set()
        sched.shutdown(wait=True)


def test_the_runner_refuses_a_second_cycle_while_one_runs(settings):
    entered, release = threading.Event(), threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        entered.set()
        assert release.wait(30)
        return httpx.Response(404)

    target = jobs.Target("https://example.org/leaderboard/text", "text/overall")
    with store.writer(settings, "pytest") as w:
        runner = cycle.Runner(w, {"pages": hourly("pages", [target])}, transport=httpx.MockTransport(handler))
        first: list = []
        thread = threading.Thread(target=lambda: first.append(runner.run("pages")))
        thread.start()
        assert entered.wait(30)
        assert runner.run("pages") is None  # skipped, not queued
        release.set()
        thread.join(30)
        assert first[0].outcome == "failed"
        assert w.con.execute("select count(*) from job_runs").fetchall() == [(1,)]


def test_a_shutdown_ends_a_retry_wait_at_once(settings):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503)

    targets = [jobs.Target(f"https://example.org/{n}", n) for n in ("a", "b")]
    with store.writer(settings.replace(backoff_base=30.0), "pytest") as w:
        runner = cycle.Runner(w, {"pages": hourly("pages", targets)}, transport=httpx.MockTransport(handler))
        runner.stop.set()  # as if SIGTERM arrived during the first fetch's backoff
        run = runner.run("pages")
    assert run.outcome == "interrupted" and len(run.results) == 0 and calls == []
    with store.writer(settings.replace(backoff_base=30.0), "pytest") as w:
        stop = threading.Event()
        runner = cycle.Runner(
            w, {"pages": hourly("pages", targets)}, stop=stop, transport=httpx.MockTransport(handler)
        )
        runner.sleep = lambda seconds: (stop.set(), runner._wait(seconds))  # the signal lands mid-wait
        run = runner.run("pages")
    assert run.outcome == "interrupted" and len(calls) == 1  # one request, no retry, "b" never started
    assert "stopped by a shutdown" in run.results[0].error


def test_a_run_still_queued_when_a_shutdown_begins_does_not_start(settings):
    requests: list[httpx.Request] = []
    target = jobs.Target("https://example.org/leaderboard/text", "text/overall")
    stream = io.StringIO()
    logs.configure(stream=stream)
    try:
        with store.writer(settings, "pytest") as w:
            runner = cycle.Runner(
                w, {"pages": hourly("pages", [target])}, transport=httpx.MockTransport(requests.append)
            )
            runner.stop.set()  # SIGTERM arrived while this run waited behind another job
            runner.scheduled("pages")
            assert w.con.execute("select count(*) from job_runs").fetchall() == [(0,)]
    finally:
        logs.configure(stream=sys.stderr)
    assert (
        requests == [] and stream.getvalue() == ""
    )  # no "interrupted, 0 fetched" line for a run never begun


def test_serve_writes_the_state_file_and_status_shows_next_runs(tmp_path, http_server):
    http_server.routes["/leaderboard/text/overall-no-style-control"] = Route(
        200, shared_path(*PAGE).read_bytes()
    )
    settings = load_settings(
        environ={}, home=tmp_path / "home", publish_min_interval=0.0, arena_url=http_server.base_url
    )
    job = jobs.Job(
        "text-pages",
        "arena-page",
        (jobs.page_target(settings, "text/overall-no-style-control"),),
        interval=3600.0,
    )
    stop = threading.Event()
    thread = threading.Thread(target=service.serve, args=(settings, [job]), kwargs={"stop": stop})
    started = datetime.now(UTC)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # waits for the first (catch-up) run to be published
            state = status.read_state(settings)
            if state and settings.read_copy_path.exists() and _job_runs(settings):
                break
            time.sleep(0.05)
        state = status.read_state(settings)
        assert state["alive"] and state["pid"] == os.getpid()
        next_run = datetime.fromisoformat(state["jobs"]["text-pages"]["next_run_at"])
        assert started + timedelta(minutes=59) < next_run < datetime.now(UTC) + timedelta(hours=1, seconds=1)
        report = status.status_report(settings)
        row = report.sources.filter(pl.col("source") == "arena-page").row(0, named=True)
        assert row["fetches"] == 1 and row["next_run_at"] == next_run
        assert "scheduler: running" in report.note
    finally:
        stop.set()
        thread.join(60)
    assert not thread.is_alive()
    assert status.read_state(settings)["running"] is False
    assert "not running" in status.status_report(settings).note


def test_jobs_that_never_ran_run_at_start_and_the_start_line_says_so(tmp_path, http_server):
    http_server.routes["/leaderboard/text"] = Route(404, b"gone")
    settings = load_settings(
        environ={},
        home=tmp_path / "home",
        publish_min_interval=0.0,
        arena_url=http_server.base_url,
        retries=0,
    )
    target = (jobs.page_target(settings, "text"),)
    job_list = [hourly("first", target), hourly("second", target), hourly("recent", target)]
    finished = datetime.now(UTC) - timedelta(minutes=10)
    with store.writer(settings, "pytest") as w:  # "recent" succeeded ten minutes ago; the others never ran
        w.con.execute(
            sql("load/job_run_insert.sql"),
            {"job": "recent", "source": "arena-page", "started_at": finished, "finished_at": finished}
            | {"outcome": "ok", "targets": 1, "fetches": 1, "failures": 0, "snapshots_new": 0, "error": None},
        )
    stream = io.StringIO()
    logs.configure(json_lines=True, stream=stream)
    stop = threading.Event()
    thread = threading.Thread(target=service.serve, args=(settings, job_list), kwargs={"stop": stop})
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_job_runs(settings)) < 3:
            time.sleep(0.05)
        state = status.read_state(settings)
    finally:
        stop.set()
        thread.join(60)
        logs.configure(stream=sys.stderr)
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    (started,) = [e for e in events if e["event"] == "scheduler_started"]
    # the jobs that never ran are named as running now, not by the next time they got once they had run
    assert started["running_now"] == ["first", "second"]
    recent_at = finished + timedelta(hours=1)
    assert started["message"].endswith(
        f"3 job(s); running now: first, second; next: recent at {recent_at:%Y-%m-%d %H:%M} UTC"
    ), started["message"]
    assert sorted(job for job, _ in _job_runs(settings)) == ["first", "recent", "second"]
    ran = [e["job"] for e in events if e["event"] == "job"]
    assert ran == ["first", "second"]  # each once, at start; "recent" waits for its time
    next_runs = {name: datetime.fromisoformat(j["next_run_at"]) for name, j in state["jobs"].items()}
    assert next_runs["recent"] == recent_at
    assert all(next_runs[n] > datetime.now(UTC) + timedelta(minutes=58) for n in ("first", "second"))


@pytest.mark.slow
def test_a_catch_up_publishes_what_the_runs_left_unpublished_while_the_scheduler_runs(tmp_path):
    transport = httpx.MockTransport(lambda request: httpx.Response(404))
    # "a" runs first and publishes (the poller's first publish); "b" ends moments later, within the
    # interval, so only the status files show it until the catch-up publishes it
    settings = load_settings(environ={}, home=tmp_path / "home", publish_min_interval=8.0, retries=0)
    job_list = [
        hourly(n, [jobs.Target(f"https://{n}.example/leaderboard/text", "text/overall")]) for n in "ab"
    ]
    stop = threading.Event()
    thread = threading.Thread(
        target=service.serve, args=(settings, job_list), kwargs={"stop": stop, "transport": transport}
    )
    thread.start()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(_job_runs(settings)) < 2:
            time.sleep(0.1)
        published = sorted(_job_runs(settings))
        running = thread.is_alive() and not stop.is_set()
    finally:
        stop.set()
        thread.join(60)
    assert running and published == [("a", "failed"), ("b", "failed")]


def _job_runs(settings) -> list[tuple]:
    try:
        con = duckdb.connect(str(settings.read_copy_path), read_only=True)
    except duckdb.Error:
        return []
    try:
        return con.execute("select job, outcome from job_runs").fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()


# --- real processes -------------------------------------------------------------------------------------


def start_schedule(home: Path, config: Path) -> subprocess.Popen:
    env = {**os.environ, "TRACKER_HOME": str(home), "TRACKER_CONFIG": str(config), "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", "from tracker.cli import main; main()", "schedule", "--log-json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the scheduler exited early ({proc.returncode}): {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"timed out; scheduler said: {proc.communicate()[1]}")
        time.sleep(0.05)


def test_sigterm_mid_cycle_finishes_the_fetch_in_progress_and_leaves_a_consistent_database(
    tmp_path, http_server
):
    real = shared_path(*PAGE).read_bytes()
    slugs = [f"text/overall-no-style-control-v{n}" for n in range(1, 5)]
    for n, slug in enumerate(slugs, start=1):  # four distinct boards' worth of new data
        body = edited(real, cutoff=f"2026-05-{7 + n:02d}T14:00:00.000Z", bump=float(n))
        http_server.routes[f"/leaderboard/{slug}"] = Route(200, body)
    home = tmp_path / "home"
    home.mkdir()
    config = home / "tracker.toml"
    config.write_text(
        f'default_jobs = false\n[settings]\narena_url = "{http_server.base_url}"\n'
        f"[[jobs]]\nname = 'pages'\nsource = 'arena-page'\nboards = {json.dumps(slugs)}\ninterval = '1h'\njitter = 0\n"
    )
    proc = start_schedule(home, config)
    wait_for(lambda: len(http_server.requests) >= 2, proc)  # the second fetch is under way
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    events = [json.loads(line)["event"] for line in err.splitlines() if line.startswith("{")]
    # the signal arrived, then the cycle finished its fetch in progress, then the scheduler stopped
    assert events.index("scheduler_stopping") < events.index("job") < events.index("scheduler_stopped")
    assert events[-1] == "scheduler_stopped"
    assert len(http_server.requests) == 2  # nothing new started after the signal

    settings = load_settings(environ={}, home=home)
    for path in (settings.database_path, settings.read_copy_path):
        con = duckdb.connect(str(path), read_only=True)
        try:
            assert con.execute("select outcome, snapshots_new from fetches order by fetch_id").fetchall() == [
                ("new", 1),
                ("new", 1),  # the fetch in progress finished and was stored
            ]
            assert con.execute("select outcome, fetches, targets from job_runs").fetchall() == [
                ("interrupted", 2, 4)
            ]
            # every snapshot complete: its standings all there, its payload stored
            assert con.execute(
                "select count(*) from snapshots s where row_count <> "
                "(select count(*) from standings t where t.snapshot_id = s.snapshot_id)"
            ).fetchall() == [(0,)]
            assert con.execute(
                "select count(*) from snapshots s anti join raw_payloads r using (payload_hash)"
            ).fetchall() == [(0,)]
            assert con.execute("select count(*), sum(row_count) from snapshots").fetchall() == [(2, 714)]
        finally:
            con.close()
    assert status.read_state(settings)["running"] is False
    # the next start runs the interrupted job again (its last run did not succeed)
    with store.writer(settings) as w:
        assert w.con.execute(sql("read/poll_last_success.sql")).fetchall() == []


BUSY = "another tracker writer is running (pid {pid}: tracker schedule"


def test_a_second_writer_is_refused_with_a_message_naming_the_running_process(tmp_path, http_server):
    http_server.routes["/leaderboard/text"] = Route(404, b"no")
    home = tmp_path / "home"
    home.mkdir()
    config = home / "tracker.toml"
    config.write_text(
        f'default_jobs = false\n[settings]\narena_url = "{http_server.base_url}"\nretries = 0\n'
        "[[jobs]]\nname = 'pages'\nboards = ['text']\ninterval = '1h'\n"
    )
    proc = start_schedule(home, config)
    settings = load_settings(environ={}, home=home)
    try:
        wait_for(lambda: (status.read_state(settings) or {}).get("alive"), proc)
        message = BUSY.format(pid=proc.pid)
        # a user's command in its own process
        env = {**os.environ, "TRACKER_HOME": str(home), "COLUMNS": "300", "NO_COLOR": "1"}
        cli = [sys.executable, "-c", "from tracker.cli import main; main()"]
        imported = subprocess.run(
            [*cli, "import", str(shared_path(*PAGE))], env=env, capture_output=True, text=True, timeout=120
        )
        assert imported.returncode == 1 and message in imported.stderr and "Traceback" not in imported.stderr
        # the other writers, from this (second) process
        commands = [["poll", "pages"], ["schedule"], ["import", str(shared_path(*PAGE))], ["reparse"]]
        if "backfill" in typer.main.get_command(app).commands:
            commands.append(["backfill", "arena-dataset"])
        for args in commands:
            result = CliRunner().invoke(app, [*args, "--home", str(home)])
            assert isinstance(result.exception, WriterBusyError), (args, result.output)
            assert message in str(result.exception)
    finally:
        logs.configure(stream=sys.stderr)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=120)
    assert proc.returncode == 0


def test_retry_after_beyond_the_interval_skips_the_host_until_a_later_run(settings):
    requests: list[str] = []
    answers = {"slow-down": True}

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request.url.path)
        if answers["slow-down"]:
            return httpx.Response(429, headers={"Retry-After": "7200"})  # two hours, the job runs hourly
        return httpx.Response(404)

    now = [T0]
    targets = [jobs.Target(f"https://arena.example/leaderboard/text/{n}", n) for n in ("a", "b", "c")]
    with store.writer(settings, "pytest") as w:
        runner = cycle.Runner(
            w,
            {"pages": hourly("pages", targets)},
            transport=httpx.MockTransport(handler),
            clock=lambda: now[0],
            sleep=lambda seconds: pytest.fail(f"slept {seconds} s"),
        )
        first = runner.run("pages")
        assert requests == ["/leaderboard/text/a"]  # b and c were not requested: the host asked for a pause
        # a is fetched and failed; b and c are skipped, not counted as fetched and failed
        assert [r.outcome for r in first.results] == ["failed"] and first.outcome == "failed"
        assert [s.board for s in first.skipped] == ["b", "c"]
        assert "longer than the job's interval (3600 s)" in first.results[0].error
        assert "not requested: arena.example asked to wait" in first.skipped[0].message
        now[0] = T0 + timedelta(hours=1)  # the next run is still inside the pause
        second = runner.run("pages")
        assert len(requests) == 1 and second.outcome == "failed"
        assert (second.fetched, len(second.skipped)) == (0, 3)
        answers["slow-down"] = False
        now[0] = T0 + timedelta(hours=2, seconds=1)  # the first run after the pause fetches again
        third = runner.run("pages")
        assert len(requests) == 4 and all("HTTP 404" in r.error for r in third.results)
        # a fetch row per request, none for a URL not requested
        rows = w.con.execute("select http_status from fetches order by fetch_id").fetchall()
        assert rows == [(429,), (404,), (404,), (404,)]
        runs = w.con.execute(
            "select outcome, targets, fetches, failures, error from job_runs order by run_id"
        )
        assert [r[:4] for r in runs.fetchall()] == [
            ("failed", 3, 1, 1),
            ("failed", 3, 0, 0),  # nothing requested: the run failed, saying why
            ("failed", 3, 3, 3),
        ]
        second_error = w.con.execute("select error from job_runs where run_id = 2").fetchall()[0][0]
        assert "not requested: arena.example asked to wait" in second_error


def tracker_cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from tracker.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _fetch_sources(read_copy: Path) -> set[str]:
    """The sources of the fetch rows in the read copy; none while it does not exist yet."""
    try:
        con = duckdb.connect(str(read_copy), read_only=True)
    except duckdb.Error:
        return set()
    try:
        return {source for (source,) in con.execute("select distinct source from fetches").fetchall()}
    finally:
        con.close()


@pytest.mark.slow
def test_status_follows_a_running_scheduler_whose_upstream_is_down(tmp_path):
    with socket.socket() as s:  # a loopback port nobody listens on: every default job fails
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tmp_path / "home"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")},
        "TRACKER_HOME": str(home),
        "TRACKER_ARENA_URL": f"http://127.0.0.1:{port}",
        # the same closed port by another name: the dataset's host and the pages' host fail on their own
        "TRACKER_DATASET_URL": f"http://localhost:{port}/datasets/lmarena-ai/leaderboard-dataset/resolve/main",
        # and a third loopback name for the Artificial Analysis feeds
        "TRACKER_ARTIFICIAL_ANALYSIS_URL": f"http://127.0.0.2:{port}",
        "TRACKER_BACKOFF_BASE": "0.05",  # the default retries, without their minutes of backoff
        # the runs after the first end within this of its publish: only the status files show them at once
        "TRACKER_PUBLISH_MIN_INTERVAL": "10",
        "NO_COLOR": "1",
        "COLUMNS": "300",
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", "from tracker.cli import main; main()", "schedule"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # a generous deadline for a loaded machine (each `tracker` command starts a new interpreter)
        deadline = time.monotonic() + 90
        while True:
            check = tracker_cli("status", "--check", "--max-failures", "1", env=env)
            # the jobs due at once run by name: artificial-analysis-arenas, dataset-latest, then the page jobs
            if check.returncode == 1 and "arena-page: failed once in a row" in check.stderr:
                break
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, (check.stdout, check.stderr)
            time.sleep(1.0)  # each check starts a new interpreter: not too many of them
        assert "arena-dataset: failed once in a row (last success never)" in check.stderr
        assert "artificial-analysis: failed once in a row (last success never)" in check.stderr
        assert "(last success never): http://127.0.0.1" in check.stderr and "ConnectError" in check.stderr
        # the read copy's fetch rows show the failures once the scheduler's catch-up publishes them
        # (publish_min_interval after its first publish): waited for here, then read by `tracker sql` (a new
        # interpreter per check would cost a second of CPU each while nothing changes)
        sources = {"arena-dataset", "arena-page", "artificial-analysis"}
        while _fetch_sources(load_settings(environ={}, home=home).read_copy_path) != sources:
            assert time.monotonic() < deadline, "the read copy never showed every source's failed fetch"
            time.sleep(0.5)
        rows = tracker_cli("sql", "select source, outcome, error from fetches", "-f", "json", env=env)
        assert rows.returncode == 0, rows.stderr
        found = [json.loads(row) for row in rows.stdout.splitlines()]
        assert {r["source"] for r in found} == sources
        assert {r["outcome"] for r in found} == {"failed"} and all(
            "ConnectError" in r["error"] for r in found
        )
        assert proc.poll() is None  # all of this while the scheduler still runs
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    # quiet and true: a start line, one line per job run, two on stopping; no line per URL
    lines = err.splitlines()
    assert len(lines) <= 10 and not [line for line in lines if re.search(r"Z \w+ +fetch ", line)], err
    assert (
        "7 job(s); running now: artificial-analysis-arenas, dataset-latest, search-pages, text-pages"
        in lines[0]
    ), lines[0]
    # the first URL of each host was requested and failed; the host was then paused, so its other URLs were
    # skipped: not counted as fetched and failed
    paused = r" could not be reached: {} skipped until \d{{4}}-\d\d-\d\d \d\d:\d\d UTC$"
    expected = [
        r"job artificial-analysis-arenas: failed, 1 of 3 fetched \(1 failed\); 127\.0\.0\.2"
        + paused.format(2),
        r"job dataset-latest: failed, 1 of 15 fetched \(1 failed\); localhost" + paused.format(14),
        r"job search-pages: failed, 1 of 2 fetched \(1 failed\); 127\.0\.0\.1" + paused.format(1),
        r"job text-pages: failed, 0 of 18 fetched; 127\.0\.0\.1" + paused.format(18),
    ]
    for pattern in expected:
        assert [line for line in lines if re.search(pattern, line)], (pattern, err)
