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
  layout). Each trial polls through `tracker.poller.poll_url` with the real client from
  `tracker.http.make_client`, then compares every standings row before and after, checks the read copy, and
  polls a good page that must be stored.
- **crash**: a writer process is killed with SIGKILL at a random moment (seeded) while it imports, backfills
  or publishes; the database and the read copy must open, every snapshot must hold exactly `row_count`
  standings rows, a rerun must complete, and the final counts must equal a clean run's.
- **concurrency**: `tracker sql` processes, the dashboard's data functions and a user's own read-only DuckDB
  connection read continuously while a writer ingests and publishes; every read must succeed and see whole
  snapshots.
- **hostile input**: Hypothesis mutates real and hand-written payloads of every registered format (parsers
  may only raise the tracker's own errors, within a time and memory bound per input); SQL that writes,
  copies out, attaches, installs or loads extensions, reads files or the network, or changes settings is
  refused with a clear message; no pickle is ever loaded; no secret reaches a log line or a fetch row.
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
    order = [nodeid for nodeid in nodeids if _is_reliability(nodeid)]
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
