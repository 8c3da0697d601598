"""The reliability ledger: every reliability test reports (what it injects, trials, survived, rows lost)
into one session-wide ledger, and the ledger writes ``RELIABILITY.md`` at the end of the run. A pytest plugin
(tests/conftest.py loads it), so that with several test processes (pytest-xdist) the controlling process, which
collects and runs nothing itself, still merges what each worker recorded and writes the file once.

The file is regenerated only when the whole reliability suite ran (every ``tests/reliability/test_*.py``
collected, nothing deselected, nothing skipped), so a partial run never overwrites it. Its table holds only
figures that do not depend on timing (trial counts are fixed by the tests, kill delays come from a seeded
generator), so a healthy run reproduces the committed file byte for byte. When the produced table differs
from the committed one, the file is rewritten and the run fails, saying so: the committed RELIABILITY.md
is always what the suite last produced, and a regression (a fault not survived, a row lost) cannot hide
behind a stale file. Figures that vary between runs (reads per second, seconds per trial) are printed in
the terminal summary instead.

Rows stand in the order of the tests that first reported them, in collection order, whichever worker ran
them: the same table as a run in one process.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPORT = HERE.parent.parent / "RELIABILITY.md"

HEADER = """# Reliability

Produced by the reliability tests in `tests/reliability/` (run them with
`uv run pytest tests/reliability`); the last full run rewrote this file and a run whose figures differ
from it fails. A **trial** is one injected failure followed by the checks; it is **survived** when the
tracker recorded an outcome whose message says what happened, wrote nothing partial, kept every earlier
row, and stored the next good data. **Rows lost** counts standings rows that were stored before the
failure (or that the next good payload carried) and are missing afterwards.

| test | what it injects | trials | survived | rows lost |
|---|---|---:|---:|---:|
"""

FOOTER = """
How each group works:

- **faults**: `tests/faults.py` runs a real HTTP server on 127.0.0.1 that breaks one thing per trial, from the
  socket (refused, black-holed connect, never answering, dripping bytes) through HTTP (5xx, 429/503 with
  Retry-After in both forms, redirect loops, non-http redirects, truncated or undecodable bodies, oversized
  bodies) to the payload (invalid UTF-8, no board, renamed or missing fields, empty board, duplicates,
  non-finite or negative numbers, CI bounds out of order, a board that lost most of its models, a new page
  layout). Each trial polls through `tracker.ingest.fetch.poll_url` with the real client from
  `tracker.http.make_client`, then compares every standings row before and after, checks the read copy, and
  polls a good page that must be stored.
- **crash**: a writer process is killed with SIGKILL at a random moment (seeded) while it imports, backfills
  or publishes; the database and the read copy must open, every snapshot must hold exactly `row_count`
  standings rows, a rerun must complete, and the final counts must equal a clean run's.
- **concurrency**: `tracker sql` processes, the dashboard's data functions and a user's own read-only DuckDB
  connection read continuously while a writer ingests and publishes; every read must succeed and see whole
  snapshots (an open that a publish's swap made fail is tried again, as docs/storage.md tells a client to).
- **hostile input**: Hypothesis mutates real and hand-written payloads of every registered format (parsers
  may only raise the tracker's own errors, within a time and memory bound per input); SQL that writes,
  copies out, attaches, installs or loads extensions, reads files or the network, or changes settings is
  refused with a clear message; no pickle is ever loaded; no secret reaches a log line or a fetch row.

## Hardening promises

Each promise below is checked by the test named beside it (in `tests/`). Each test failed on the code before
the promise was kept.

| promise | test that checks it |
|---|---|
| From a working directory holding `.tmp/secret`, no user query reads a file but the read copy or a lake's own data files: every file-reading table function, replacement scans, relative and absolute paths, a user's files in the lake folder; through `run_sql`, `tracker sql` and the dashboard, on the database and on a lake | `test_hardening_read.py::test_no_user_query_reads_a_file_but_the_data` |
| A query past `query_timeout` stops within it with one line naming the setting, and the next query works on the same shared connection (database and lake) | `test_hardening_read.py::test_a_runaway_query_stops_at_the_time_limit_and_the_next_one_works` |
| The time limit holds for `tracker sql` and the dashboard's SQL path, which work again afterwards | `test_hardening_read.py::test_the_limits_hold_for_the_command_and_the_dashboard` |
| A query building a multi-GB string stops at `query_memory_limit`, naming it, with the process's peak RSS under 3 GB | `test_hardening_read.py::test_a_query_past_the_memory_cap_stops_and_the_process_stays_small` |
| The reader runs with `query_threads` threads, the `query_memory_limit` cap and no temporary directory (database and lake) | `test_hardening_read.py::test_the_reader_runs_with_the_thread_and_memory_caps_and_no_temporary_directory` |
| A first export into a folder holding a user's file (`DIR/snapshots/2024/IMG.jpg`) is refused naming it, and nothing is written | `test_export.py::test_a_first_export_into_a_folder_with_user_files_is_refused_and_touches_nothing` |
| Every export into a lake it wrote keeps the user's files beside the lake's folders, and its manifest lists exactly the lake's files | `test_export.py::test_every_export_into_its_own_lake_keeps_the_users_files_beside_it` |
| A file added inside the lake's folders, a lake without a manifest or a forged manifest, and a staging folder no export left are refused with nothing touched | `test_export.py::test_a_file_added_inside_the_lakes_folders_is_refused_by_the_next_export`, `test_export.py::test_a_lake_without_a_manifest_or_with_a_forged_one_is_refused`, `test_export.py::test_only_a_staging_folder_an_export_left_is_cleared` |
| A symlinked `DIR/snapshots` or `DIR/rank_history` (or a link inside them) is refused before anything is touched | `test_export.py::test_a_symlinked_table_folder_is_refused_before_anything_is_touched` |
| No cell of `tracker export --format csv` starts with `=`, `+`, `-`, `@` unless it is a number; numbers are untouched | `test_export.py::test_an_exported_csv_holds_no_formula` |
| No cell of `tracker sql --format csv` starts with a formula character unless it is a number; `-5` stays `-5` | `test_render.py::test_tracker_sql_csv_holds_no_formula_and_keeps_negative_numbers` |
| No cell of the dashboard's CSV download starts with a formula character unless it is a number; a list column downloads as JSON text | `test_render.py::test_the_dashboards_csv_download_holds_no_formula` |
| A broken `tracker.toml` does not stop `tracker sql`: one warning line on stderr naming the file; commands that write still refuse it | `test_hardening_read.py::test_a_broken_config_file_does_not_stop_tracker_sql` |

## Hardening promises (ingest and alerts)

What hostile input and a hostile environment get, and the test that checks each promise (`tests/...`):

| promise | test that checks it |
|---|---|
| No credential of a webhook target (user, password, path, token query value, header value, the Basic auth httpx makes of them) appears in the output of `tracker alerts test` or `tracker alerts run`, in a log line (readable or JSON), in any table of the database or of the read copy, or in `tracker alerts list`, after deliveries to a target answering 500 (echoing the request) and to a closed port | `test_alerts.py::test_no_credential_of_a_failing_target_reaches_output_logs_tables_or_the_read_copy` |
| Whatever a receiver or httpx echoes (the URL, `Authorization` values, percent-encoded secrets) is masked, and messages show `scheme://host:port/...` only | `test_alerts.py::test_a_mask_covers_what_a_receiver_or_httpx_may_echo` |
| A target on a link-local, unspecified or cloud metadata address, in any notation, is refused when `tracker.toml` is read, unless `allow_link_local_targets = true`; loopback and private networks stay allowed | `test_alerts.py::test_link_local_and_metadata_targets_are_refused_unless_allowed`, `test_alerts.py::test_loopback_and_private_targets_stay_allowed` |
| A target whose host resolves to such an address is not posted to: the delivery fails at once, saying why | `test_alerts.py::test_a_target_resolving_to_a_link_local_address_is_not_posted_to` |
| Delivery errors stored by an older version lose the user, password and token-like query values they held (migration 0150) | `test_alerts.py::test_errors_stored_by_an_older_version_lose_the_credentials_they_held` |
| A header value HTTP cannot carry is refused without quoting it | `test_alerts.py::test_header_values_http_cannot_carry_are_refused_without_quoting_them` |
| Control characters (ESC sequences, NUL, BEL, DEL, C1) in upstream names, from a page, a CSV or an identity file, are stored in no text column of any table of the database or the read copy; the text around them is kept | `test_hardening_ingest.py::test_control_characters_in_upstream_text_are_stored_nowhere` |
| No control character (tab and newline aside) reaches a terminal from `tracker models` or `tracker sql`, in table, CSV or JSON format, even one a query makes (`chr(27)`): a table shows it as U+FFFD | `test_hardening_ingest.py::test_no_control_character_reaches_the_terminal_in_any_format` |
| CSV and JSON written to a pipe or a file keep the exact text | `test_hardening_ingest.py::test_a_pipe_or_a_file_gets_csv_and_json_exactly_as_stored` |
| A full disk during an import ends in one line, `error: cannot write to <database>: No space left on device; nothing of <file> was stored ...`, exit 1, no traceback; the earlier rows are all there and the next import works | `test_hardening_ingest.py::test_a_full_disk_ends_in_one_line_naming_the_cause_and_the_database` (a real 64 MiB tmpfs, filled; skipped with the reason where it cannot be mounted) |
| A statement that fails inside a load reports its own error: cleaning up after it (unregistering staged frames, a rollback with no transaction left) never replaces it with DuckDB's "transaction is aborted" | `test_hardening_ingest.py::test_a_failed_load_reports_its_own_error_not_the_aborted_transaction` |
| `tracker import` of a named pipe, of `/dev/zero` or of a loop of symbolic links ends at once (well within a 20 s bound) with exit 1 and one `error:` line, without a traceback and before the writer opens anything | `test_hardening_ingest.py::test_a_named_pipe_is_refused_without_waiting_for_a_writer`, `::test_a_device_is_refused_without_reading_it`, `::test_a_loop_of_symbolic_links_is_refused` |
| A folder walk reads only regular files and follows no symbolic link to a folder (pipes, devices and link loops inside are passed over) | `test_hardening_ingest.py::test_a_folder_walk_reads_only_its_regular_files_and_follows_no_folder_link` |
| A file over `max_import_bytes` is refused before it is read | `test_hardening_ingest.py::test_a_file_over_max_import_bytes_is_refused_before_it_is_read` |
| A rating or CI bound outside `min_rating`..`max_rating` (1e15, 1e308, -1e6) or votes above `max_votes` refuse the board, naming file, row, field and value, and store nothing; the ranges are settings | `test_hardening_ingest.py::test_implausible_ratings_and_votes_are_refused_naming_file_row_and_value`, `::test_the_plausible_ranges_are_settings` |

## Hostile input: what is stripped, escaped or refused, and where

- **Stripped at ingest** (`tracker/ingest/validate.py`, every parsed frame and identity sighting): control
  characters in every text field; line breaks become a space, other C0, DEL and C1 characters are removed.
- **Refused at ingest**: a rating, CI bound or vote count outside the plausible ranges (`min_rating`,
  `max_rating`, `max_votes`), naming file, row, field and value (`validate.py`); anything `tracker import`
  is given that is not a regular file or a folder of them (pipes, devices, link loops), and a file over
  `max_import_bytes`, before the writer opens (`tracker/ingest/files.py`); pickles, unopened.
- **Replaced at the terminal** (`tracker/cli/safe_text.py`, the consoles): a control character in a table
  cell shows as U+FFFD; CSV and JSON to a terminal get the same, to a pipe or a file the exact text.
- **Escaped in the dashboard** (`dashboards/text.py`): upstream names and organisations reach Markdown as
  text, with no image, link or bare URL formed.
- **Neutralised in CSV for people** (`tracker/read/cells.py`, `sql/export/csv_text.sql`): a text cell
  starting with `=`, `+`, `-`, `@`, a tab or a carriage return (not a number) gets a leading `'`.
- **Masked** (`tracker/logs.py`): passwords, tokens and configured header values of polled URLs and webhook
  targets, in output, logs, tables and the read copy.
- **Refused in SQL** (`tracker/read/query.py`, `tracker/read/connection.py`): anything but one read-only
  statement; reading any file but the read copy or a lake's data files; past `query_timeout`,
  `query_memory_limit` and `query_threads` a query stops with one line naming the setting.
- **Refused by export** (`tracker/read/export.py`): a folder holding files its manifest does not list, or a
  symbolic link, before anything is touched.
"""


@dataclass
class Row:
    test: str
    injects: str
    trials: int = 0
    survived: int = 0
    rows_lost: int = 0
    first: str = ""  # the node id of the test that reported it first


class Ledger:
    """Rows of the RELIABILITY.md table, in the order the tests first report them."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}
        self.notes: list[str] = []

    def record(self, test: str, injects: str, *, trials: int, survived: int, rows_lost: int) -> None:
        row = self.rows.setdefault(test, Row(test, injects, first=str(_STATE["running"])))
        row.trials += trials
        row.survived += survived
        row.rows_lost += rows_lost

    def merge(self, rows: list[dict], notes: list[str], order: list[str]) -> None:
        """Add a worker's rows and notes, and keep the rows in the collection ``order`` of their first test."""
        for reported in rows:
            row = self.rows.setdefault(reported["test"], Row(reported["test"], reported["injects"]))
            row.trials += reported["trials"]
            row.survived += reported["survived"]
            row.rows_lost += reported["rows_lost"]
            if _at(order, reported["first"]) < _at(order, row.first):
                row.first = reported["first"]
        self.notes += notes
        position = {name: i for i, name in enumerate(self.rows)}  # rows of one test keep their own order
        ordered = sorted(self.rows.values(), key=lambda r: (_at(order, r.first), position[r.test]))
        self.rows = {r.test: r for r in ordered}

    def note(self, text: str) -> None:
        """A figure that varies between runs: printed in the terminal summary, not written to the file."""
        self.notes.append(text)

    def render(self) -> str:
        lines = [
            f"| {r.test} | {r.injects} | {r.trials} | {r.survived} | {r.rows_lost} |"
            for r in self.rows.values()
        ]
        total = Row(
            "**all**",
            "",
            sum(r.trials for r in self.rows.values()),
            sum(r.survived for r in self.rows.values()),
            sum(r.rows_lost for r in self.rows.values()),
        )
        lines.append(
            f"| {total.test} | {len(self.rows)} tests | {total.trials} | {total.survived} | {total.rows_lost} |"
        )
        return HEADER + "\n".join(lines) + "\n" + FOOTER


def _at(order: list[str], nodeid: str) -> int:
    return order.index(nodeid) if nodeid in order else len(order)


_LEDGER = Ledger()
_STATE: dict[str, object] = {
    "collected": set(),
    "order": [],
    "done": set(),
    "skipped": [],
    "deselected": 0,
    "running": "",
}


@pytest.fixture(scope="session")
def ledger() -> Ledger:
    return _LEDGER


def _is_reliability(nodeid: str) -> bool:
    return nodeid.replace("\\", "/").startswith("tests/reliability/")


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def _collected(nodeids: list[str]) -> None:
    # by file, then as collected within it: RELIABILITY.md's order does not follow the order files run in
    # (tests/conftest.py runs the heavy ones first)
    order = sorted((nodeid for nodeid in nodeids if _is_reliability(nodeid)), key=lambda n: n.split("::")[0])
    _STATE["order"] = order
    _STATE["collected"] = set(order)


def pytest_collection_modifyitems(session, config, items) -> None:
    _collected([item.nodeid for item in items])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids) -> None:
    """On the controlling process: what the workers collected (each collects the whole run)."""
    _collected(list(ids))


def pytest_runtest_setup(item) -> None:
    _STATE["running"] = item.nodeid


def pytest_deselected(items) -> None:
    _STATE["deselected"] = int(_STATE["deselected"]) + sum(_is_reliability(i.nodeid) for i in items)


def pytest_runtest_logreport(report) -> None:
    if not _is_reliability(report.nodeid):
        return
    if report.skipped:
        _STATE["skipped"].append(f"{report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")  # type: ignore[union-attr]
    if report.when == "teardown":
        _STATE["done"].add(report.nodeid)  # type: ignore[union-attr]


def _suite_files_collected(collected: set[str]) -> bool:
    files = {p.name for p in HERE.glob("test_*.py")}
    seen = {nodeid.split("::")[0].rsplit("/", 1)[-1] for nodeid in collected}
    return bool(files) and files <= seen


def _complete() -> tuple[bool, str]:
    collected: set[str] = _STATE["collected"]  # type: ignore[assignment]
    if not _suite_files_collected(collected):
        return False, "only part of tests/reliability was collected"
    if _STATE["deselected"]:
        return False, f"{_STATE['deselected']} reliability test(s) deselected"
    if not collected <= _STATE["done"]:  # type: ignore[operator]
        return False, "the run stopped before every reliability test finished"
    if _STATE["skipped"]:
        return False, f"{len(_STATE['skipped'])} reliability test(s) skipped"  # type: ignore[arg-type]
    return True, ""


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """On the controlling process: a worker's rows, notes and deselections join the ledger."""
    reported = getattr(node, "workeroutput", {}).get("reliability")
    if reported:
        _LEDGER.merge(reported["rows"], reported["notes"], _STATE["order"])  # type: ignore[arg-type]
        _STATE["deselected"] = max(int(_STATE["deselected"]), reported["deselected"])  # type: ignore[call-overload]


def pytest_sessionfinish(session, exitstatus) -> None:
    if _is_worker(session.config):  # the controlling process judges and writes, once
        session.config.workeroutput["reliability"] = {
            "rows": [asdict(row) for row in _LEDGER.rows.values()],
            "notes": _LEDGER.notes,
            "deselected": _STATE["deselected"],
        }
        return
    complete, why = _complete()
    if not complete:
        _STATE["summary"] = f"RELIABILITY.md not regenerated: {why}." if _LEDGER.rows else ""
        return
    produced = _LEDGER.render()
    committed = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    if produced == committed:
        _STATE["summary"] = f"RELIABILITY.md reproduced exactly ({len(_LEDGER.rows)} rows)."
        return
    REPORT.write_text(produced, encoding="utf-8")
    _STATE["summary"] = (
        "RELIABILITY.md differed from what this run produced and was rewritten: review the change "
        "(git diff RELIABILITY.md) and commit it. The run fails until the committed file matches."
    )
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    summary = _STATE.get("summary")
    if not summary and not _LEDGER.notes:
        return
    terminalreporter.section("reliability")
    for note in _LEDGER.notes:
        terminalreporter.write_line(note)
    for skipped in _STATE["skipped"]:  # type: ignore[attr-defined]
        terminalreporter.write_line(f"skipped: {skipped}")
    if summary:
        terminalreporter.write_line(str(summary))
