"""`tracker import ../shared/data` end to end: every real upstream copy in one run through the real command,
a summary per source and board, a second run that writes nothing, and the history it gives: text/overall
raw on more than 150 dates from 2023-05 to 2026, MAI-1-preview as one model of one organisation across
sources, renamed 2023 keys under one key."""

from __future__ import annotations

import pytest

from tests.cli import run_tracker
from tracker.config import load_settings
from tracker.read import connection

pytestmark = [pytest.mark.slow, pytest.mark.shared]

COUNTS = (
    "select (select count(*) from snapshots), (select count(*) from standings), "
    "(select count(*) from model_sightings), (select count(*) from raw_payloads)"
)


def sql(home, query: str) -> list[list[str]]:
    out = run_tracker(home, "sql", query, "-f", "csv", check=True).stdout
    return [line.split(",") for line in out.splitlines()[1:]]


def counts(home) -> tuple:
    con = connection.open_reader(load_settings(environ={}, home=home))
    try:
        return con.execute(COUNTS).fetchall()[0]
    finally:
        con.close()


def test_the_whole_shared_folder_imports_once_and_tells_the_history(tmp_path, shared_data):
    home = tmp_path / "home"
    first = run_tracker(home, "import", str(shared_data), timeout=900)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "New snapshots by source and board" in first.stdout
    for source in (
        "legacy-space",
        "fboulnois",
        "jasontrigg0",
        "nakasyou",
        "kevinschaul",
        "acarter881",
        "samica666",
    ):
        assert source in first.stdout, f"no {source} rows in the summary"
    assert "skipped" in first.stdout  # indexes, derived files and the LFS pointer list are not boards
    lines = first.stdout.splitlines()
    header = [
        cell.strip()
        for cell in next(line for line in lines if "snapshots" in line and "┃" in line).split("┃")
    ]
    at = header.index("snapshots")
    summary = [line.split("│") for line in lines if "jasontrigg0" in line or "nakasyou" in line]
    counted = {cells[1].strip(): cells[at].strip() for cells in summary if len(cells) > at}
    assert counted == {"jasontrigg0": "105", "nakasyou": "98"}  # snapshots per source and board
    before = counts(home)
    assert before[0] >= 380 and before[2] > 0  # the archives alone give 380 snapshots

    second = run_tracker(home, "import", str(shared_data), timeout=900)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "nothing new" in second.stdout
    assert counts(home) == before

    [[dates, first_day, last_day]] = sql(
        home,
        "select count(distinct as_of), min(as_of), max(as_of) from rank_history "
        "where arena = 'text' and category = 'overall' and not style_control",
    )
    assert int(dates) > 150
    assert first_day.startswith("2023-05") and last_day >= "2026-01-01"

    [[mai_dates, mai_sources, orgs, models]] = sql(
        home,
        "select count(distinct as_of), count(distinct source), string_agg(distinct organization, '|'), "
        "string_agg(distinct model, '|') from rank_history where source_key = 'mai-1-preview' or model = 'mai-1-preview'",
    )
    assert int(mai_dates) >= 10 and int(mai_sources) >= 3
    assert (orgs, models) == ("Microsoft AI", "mai-1-preview")

    renamed = sql(
        home,
        "select model, string_agg(distinct source_key, '|' order by source_key) from rank_history "
        "where source_key in ('gpt-4', 'claude-v1', 'claude-2') group by model order by model",
    )
    assert renamed == [["claude-1", "claude-v1"], ["claude-2.0", "claude-2"], ["gpt-4-0314", "gpt-4"]]
