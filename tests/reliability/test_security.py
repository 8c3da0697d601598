"""Hostile use: SQL that tries to write, copy out, attach, load extensions, read files or the network, or
change settings; pickles; the dashboard's address; secrets in URLs and headers.

- SQL: every attempt goes through the three ways a user reaches SQL: ``tracker.query.run_sql`` (the
  library), ``tracker sql`` (the CLI's ``main``, as the console script runs it) and the dashboard's SQL page
  (``dashboards.data.run``). Each must be refused with a message that says it was refused and what runs
  instead, and afterwards the read copy is byte-for-byte unchanged, no file was written, and the loopback
  server a network read would reach got no request.
- Pickles: importing a file with pickle magic bytes (and one named like the Space's pickles) never calls
  any unpickler (every entry point is replaced by a recorder), ends rejected, and no module of the product
  uses an unpickler at all (an AST scan of tracker/ and dashboards/).
- The dashboard binds 127.0.0.1: the command ``tracker up`` starts Streamlit with.
- Secrets: a poll of a URL carrying a token and user:password, with an Authorization header, leaves no
  secret in the log lines (human and JSON), the fetch rows, the raw payload rows or the read copy.
"""

from __future__ import annotations

import _pickle
import ast
import hashlib
import io
import json
import pickle
import sys
from pathlib import Path

import pytest

from tests import faults as F
from tracker import cli, logs, store
from tracker.config import load_settings
from tracker.errors import QueryError, UnsafeFormatError
from tracker.http import make_client
from tracker.ingest import fetch as poller
from tracker.ingest import files as importer
from tracker.ingest import guard
from tracker.read import connection, query

REPO = Path(__file__).resolve().parents[2]

# (what it tries, SQL with {out} a path that must never be written and {url} a loopback URL, a pattern the
# refusal must match)
ATTEMPTS = [
    ("insert", "insert into snapshots select * from snapshots", r"refused INSERT"),
    ("update", "update standings set rating = 0", r"refused UPDATE"),
    ("delete", "delete from fetches", r"refused DELETE"),
    ("create table", "create table stolen as select * from standings", r"refused CREATE"),
    ("drop view", "drop view rank_history", r"refused DROP"),
    ("write hidden after a query", "select 1; drop table snapshots", r"refused DROP"),
    ("COPY ... TO csv", "copy snapshots to '{out}.csv'", r"refused COPY"),
    ("COPY (query) TO parquet", "copy (select * from standings) to '{out}.parquet' (format parquet)", r"refused COPY"),
    ("EXPORT DATABASE", "export database '{out}'", r"refused EXPORT"),
    ("ATTACH a file", "attach '{out}.duckdb' as other", r"refused ATTACH"),
    ("ATTACH in memory", "attach ':memory:' as scratch", r"refused ATTACH"),
    ("INSTALL", "install httpfs", r"refused LOAD"),
    ("LOAD", "load httpfs", r"refused LOAD"),
    ("read_csv a local file", "select * from read_csv('/etc/passwd')", r"refused: reading or writing files"),
    ("read_text a local file", "select * from read_text('/etc/hostname')", r"refused: reading or writing files"),
    ("glob the file system", "select * from glob('/etc/*')", r"refused: reading or writing files"),
    ("read a URL", "select * from read_csv('{url}')", r"refused: reading or writing files"),
    ("replacement scan of a URL", "select * from '{url}'", r"refused: reading or writing files"),
    ("SET external access", "set enable_external_access = true", r"refused SET"),
    ("SET threads", "set threads = 1", r"refused SET"),
    ("RESET the lock", "reset lock_configuration", r"refused SET"),
    ("PRAGMA", "pragma enable_profiling", r"refused PRAGMA"),
    ("CALL", "call pragma_version()", r"refused CALL"),
    ("CREATE SECRET", "create secret (type s3, key_id 'a', secret 'b')", r"refused CREATE"),
    ("CHECKPOINT", "force checkpoint", r"refused CALL"),
]  # fmt: skip
EXPLAINS = r"read-only queries \(SELECT"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A home with two stored boards, published; and a loopback server whose CSV a network read would get."""
    home = tmp_path_factory.mktemp("security") / "home"
    settings = load_settings(environ={}, home=home, publish_min_interval=0.0)
    with F.fault_server() as server, store.writer(settings, "security") as w, make_client(settings) as client:
        for i in range(2):
            url = server.serve("/board", F.respond(F.good(i)))
            assert poller.poll_url(w, client, url, guard=guard.check).outcome == "new"
        url = server.serve("/data.csv", F.respond(b"a,b\n1,2\n", content_type="text/csv"))
        store.publish(w)  # the writer publishes as it closes, after this module's tests: publish now
        yield settings, url, server


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["tracker", *args])
    with pytest.raises(SystemExit) as done:
        cli.main()
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out + out.err


def _dashboard_run(settings, text: str):
    sys.path.insert(0, str(REPO))
    try:
        from dashboards import data
    finally:
        sys.path.remove(str(REPO))
    data.clear()
    return data.run(text, src=data.source(settings))


def test_sql_that_writes_copies_attaches_loads_reads_files_or_changes_settings_is_refused(
    published, tmp_path, monkeypatch, capsys, ledger
):
    settings, url, server = published
    before = _digest(settings.read_copy_path)
    requests_before = len(server.requests("/data.csv"))
    out = tmp_path / "stolen"
    failures, survived = [], 0
    for name, template, pattern in ATTEMPTS:
        text = template.format(out=out, url=url)
        problems = []
        try:
            query.run_sql(settings, text)
            problems.append("run_sql ran it")
        except QueryError as exc:
            if not (pytest_re(pattern, str(exc)) and pytest_re(EXPLAINS, str(exc))):
                problems.append(f"run_sql's message is not clear: {exc}")
        code, printed = _run_cli(monkeypatch, capsys, "sql", text, "--home", str(settings.home))
        if code != 1 or not pytest_re(pattern, printed):
            problems.append(f"tracker sql exited {code}: {printed[-300:]}")
        try:
            _dashboard_run(settings, text)
            problems.append("the dashboard's SQL path ran it")
        except QueryError as exc:
            if not pytest_re(pattern, str(exc)):
                problems.append(f"the dashboard's message is not clear: {exc}")
        written = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("stolen"))
        if written:
            problems.append(f"files written: {written}")
        if _digest(settings.read_copy_path) != before:
            problems.append("the read copy changed")
        if len(server.requests("/data.csv")) != requests_before:
            problems.append("the network read reached the server")
        survived += not problems
        failures += [f"{name} ({text}): {p}" for p in problems]
    ledger.record(
        "hostile: SQL that writes or escapes",
        "writes, COPY TO, EXPORT, ATTACH, INSTALL/LOAD, file and URL reads, SET/RESET/PRAGMA/CALL, secrets; "
        "each through run_sql, `tracker sql` and the dashboard",
        trials=len(ATTEMPTS),
        survived=survived,
        rows_lost=0 if _digest(settings.read_copy_path) == before else 1,
    )
    assert len(ATTEMPTS) >= 12
    assert not failures, "\n".join(failures)


def pytest_re(pattern: str, text: str) -> bool:
    import re

    return re.search(pattern, text) is not None


def test_queries_still_run_in_every_path(published, monkeypatch, capsys):
    """The refusals are not a blanket ban: SELECT, WITH, FROM-first, DESCRIBE and EXPLAIN still answer."""
    settings, _, _ = published
    for text in (
        "select count(*) as n from standings",
        "with s as (select * from snapshots) select count(*) as n from s",
        "from rank_history select count(*) as n",
        "describe snapshots",
        "explain select 1",
    ):
        assert query.run_sql(settings, text).height >= 1, text
    assert _dashboard_run(settings, "select count(*) as n from standings")["n"][0] == 2 * F.MODELS
    code, printed = _run_cli(
        monkeypatch,
        capsys,
        "sql",
        "select count(*) as n from snapshots",
        "--format",
        "json",
        "--home",
        str(settings.home),
    )
    assert code == 0 and json.loads(printed.strip().splitlines()[-1]) == {"n": 2}


# ---------------------------------------------------------------------------------------------------------
# pickles

UNPICKLERS = [
    (pickle, "loads"), (pickle, "load"), (pickle, "Unpickler"), (pickle, "_loads"), (pickle, "_load"),
    (pickle, "_Unpickler"), (_pickle, "loads"), (_pickle, "load"), (_pickle, "Unpickler"),
]  # fmt: skip
PICKLE_BODY = pickle.dumps({"elo_rating_final": {"gpt-4": 1250.0}}, protocol=4)


def test_a_pickle_is_never_loaded(tmp_path, monkeypatch, writer, ledger):
    calls: list[str] = []
    for module, name in UNPICKLERS:
        if hasattr(module, name):
            monkeypatch.setattr(
                module, name, lambda *a, _n=f"{module.__name__}.{name}", **k: calls.append(_n)
            )
    files = {
        "elo_results_20240101.pkl": PICKLE_BODY,
        "board.json": PICKLE_BODY,
        "data.bin": b"\x80\x05" + PICKLE_BODY[2:],
    }
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
    results, _ = importer.import_paths(writer, [tmp_path / name for name in files])
    ok = not calls and all(r.outcome == "rejected" and "pickle" in (r.error or "") for r in results)
    ledger.record(
        "hostile: pickle files",
        "pickle magic bytes under a pickle name, a .json name and a neutral name; every unpickler watched",
        trials=len(files),
        survived=len(files) if ok else 0,
        rows_lost=0,
    )
    assert not calls, f"an unpickler was called: {calls}"
    assert [r.outcome for r in results] == ["rejected"] * len(files), [r.error for r in results]
    assert all("refusing to load a Python pickle" in r.error for r in results)
    assert UnsafeFormatError.__name__ in Path(REPO / "tracker" / "errors.py").read_text()


UNSAFE_CALLS = {"loads", "load", "Unpickler", "read_pickle", "open_shelf"}
UNSAFE_MODULES = {"pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib", "shelve", "marshal"}


def test_no_product_module_uses_an_unpickler():
    offenders = []
    for path in sorted([*REPO.joinpath("tracker").rglob("*.py"), *REPO.joinpath("dashboards").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + (
                    [node.module] if isinstance(node, ast.ImportFrom) else []
                )
                if any((n or "").split(".")[0] in UNSAFE_MODULES for n in names):
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno} imports {names}")
            elif isinstance(node, ast.Attribute) and node.attr == "read_pickle":
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno} calls read_pickle")
            elif isinstance(node, ast.keyword) and node.arg == "allow_pickle":
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno} passes allow_pickle")
    assert not offenders, offenders


# ---------------------------------------------------------------------------------------------------------
# the dashboard's address


def test_the_dashboard_binds_loopback_only(ledger):
    from tracker.cli import up

    command = up.dashboard_command(REPO / "dashboards" / "app.py", 8501)
    address = command[command.index("--server.address") + 1]
    ledger.record(
        "hostile: dashboard exposure", "the address `tracker up` serves Streamlit on", trials=1,
        survived=int(address == "127.0.0.1"), rows_lost=0,
    )  # fmt: skip
    assert address == "127.0.0.1"
    assert "--server.headless" in command


# ---------------------------------------------------------------------------------------------------------
# secrets

SECRET, PASSWORD, BEARER = "tok-7c1f9e2a5b", "pw-4d8e3c", "bearer-91ab27cd44ef"


def test_no_secret_reaches_a_log_line_a_fetch_row_or_the_read_copy(tmp_path, ledger):
    settings = load_settings(environ={}, home=tmp_path / "home", publish_min_interval=0.0, retries=0)
    human, as_json = io.StringIO(), io.StringIO()
    leaks: list[str] = []
    with F.fault_server() as server, store.writer(settings, "secrets") as w:
        client = make_client(settings, sleep=lambda s: None)
        client.headers["Authorization"] = f"Bearer {BEARER}"
        base = server.base_url.replace("http://", f"http://reader:{PASSWORD}@")
        urls = {
            "good": server.serve("/good", F.respond(F.good(0))),
            "failing": server.serve("/fail", F.status(500)),
            "rejected": server.serve("/bad", F.respond(F.plain_html())),
        }
        for stream, json_lines in ((human, False), (as_json, True)):
            logs.configure(json_lines=json_lines, stream=stream)
            for kind, url in urls.items():
                secret_url = base + url.split(server.base_url, 1)[1] + f"?api_key={SECRET}&token={SECRET}"
                result = poller.poll_url(w, client, secret_url, guard=guard.check)
                logs.fetch_line(
                    job="poll", source=result.source, board="text", url=secret_url, outcome=result.outcome,
                    http_status=None, size_bytes=None, duration_ms=None, error=result.error,
                )  # fmt: skip
                if result.error and any(s in result.error for s in (SECRET, PASSWORD, BEARER)):
                    leaks.append(f"{kind}: the poll's message: {result.error}")
        client.close()
        rows = (
            w.con.execute("select * from fetches").fetchall()
            + w.con.execute("select payload_hash, source, origin, status from raw_payloads").fetchall()
        )
    logs.configure(stream=io.StringIO())
    con = connection.open_reader(settings)
    try:
        published = (
            con.execute("select * from fetches").fetchall()
            + con.execute("select origin from raw_payloads").fetchall()
        )
    finally:
        con.close()
    for where, text in (
        ("human log", human.getvalue()),
        ("JSON log", as_json.getvalue()),
        ("fetch and payload rows", repr(rows)),
        ("read copy", repr(published)),
    ):
        leaks += [
            f"{where} holds {name}"
            for name, s in (("the token", SECRET), ("the password", PASSWORD), ("the bearer token", BEARER))
            if s in text
        ]
    ledger.record(
        "hostile: secrets in URLs and headers",
        "token query parameters, user:password@ and an Authorization header on good, failing and rejected polls",
        trials=len(urls) * 2,
        survived=len(urls) * 2 if not leaks else 0,
        rows_lost=0,
    )
    assert human.getvalue() and as_json.getvalue()
    assert not leaks, "\n".join(leaks)
