"""The benchmark harness keeps working: ``python -m benchmarks --quick`` runs every benchmark at a tiny scale
(real ingest, pages, publish, queries against pandas and raw SQL, dashboard pages, polls against a loopback
server) and writes its table. No wall-clock time is asserted: only that every figure is there with a number.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# every figure family of the table, as its row starts (the scale label follows)
FIGURES = [
    "parse one arena page (synthetic",
    "full-history ingest,",
    "reference: the floor with an ordinal rank window added,",
    "reference: read with polars, the tracker's three ranks, one CTAS of the rows,",
    "peak RSS, full-history ingest",
    "reparse the full history,",
    "peak RSS, reparse",
    "ingest one new arena page",
    "publish the read copy in full,",
    "reference: copy the database file alone,",
    "publish the read copy after one new page",
    "open the writer on the",
    "database size per million standings",
    "read copy size per million standings",
    *[
        f"query: {title},"
        for title in (
            "one model's full history on one board",
            "a board as of a past date",
            "movers between two dates",
            "crown history",
            "org race",
        )
    ],
    "export the lake for pandas",
    "pandas: load the exported rank_history once",
    *[
        f"dashboard page data, {page} ("
        for page in (
            "Leaderboard",
            "Rank movement",
            "Model",
            "Movers and events",
            "Organisations",
            "SQL",
            "Health",
        )
    ],
    "peak RSS, dashboard process",
    "poll with a new page",
    "unchanged poll, 304: wall",
    "unchanged poll, 304: process CPU",
    "unchanged poll, 304: data rows written",
    "unchanged poll, same-hash 200: wall",
    "unchanged poll, same-hash 200: process CPU",
    "unchanged poll, same-hash 200: data rows written",
    "open the writer in the poller",
    "peak RSS, poller",
    "start-up: `tracker --help`, whole process",
    'start-up: `tracker sql "select 1"` on the read copy,',
    "start-up: `tracker up` on a fresh home (starter history) until the dashboard is ready",
]
NUMBER = re.compile(r"^\d[\d,]*(\.\d+)?( (ms|s|MB))?( \(.*\))?$")


def _rows(markdown: str) -> list[list[str]]:
    section = markdown.split("## Results", 1)[1].split("\n## ", 1)[0]
    lines = [
        line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| figure")
    ]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


@pytest.mark.slow
def test_quick_run_writes_every_figure_with_numbers(tmp_path: Path) -> None:
    output = tmp_path / "BENCHMARKS.md"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--output",
            str(output),
            "--workdir",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    markdown = output.read_text(encoding="utf-8")
    assert "## Machine" in markdown and "duckdb" in markdown and "Load:" in markdown
    rows = _rows(markdown)
    figures = [r[0] for r in rows]
    for figure in FIGURES:
        assert any(f.startswith(figure) for f in figures), f"missing figure {figure!r}"
    for query in ("p50", "p95", "p50 vs raw SQL"):
        assert sum(f.endswith(f"— {query}") for f in figures) == 5, query
    for figure, ours, _baseline, ratio, target, met in rows:
        assert NUMBER.match(ours), (figure, ours)
        assert ratio == "—" or re.fullmatch(r"\d+\.\d\dx", ratio), (figure, ratio)
        assert met in ("yes", "**no**", "—"), (figure, met)
        assert (met == "—") == (target == "—"), (figure, target, met)
    # the unchanged polls write no data rows, whatever the timing
    written = {f: o for f, o, *_ in rows if "data rows written" in f}
    assert written and all(v == "0" for v in written.values()), written
    # the queries were checked against baselines that return the same number of rows
    assert "(differ)" not in markdown
    # the table is printed too, and the repository's BENCHMARKS.md is left alone by --quick
    assert "full-history ingest" in proc.stdout
