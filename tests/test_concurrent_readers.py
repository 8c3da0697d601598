"""A reader process queries the published read copy in a loop while imports run: zero errors, and every
read sees whole snapshots (each snapshot's standings count equals its row_count), whether a publish updated
the previous read copy in place or copied the current one.

The reader tries an open again that fails, as the tracker's own readers do (``connection.OPEN_ATTEMPTS``;
the same opener as the reliability suite's readers, ``tests.reliability.readers.open_read_copy``):
DuckDB reads a file's headers and its blocks through separate opens of its name, so a publish swapping the
copy in between fails that open (once in this test's 40 publishes in CI, 2026-12-07). A query on an open
connection that fails, or an open that fails every try, is an error."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.pages import entry, leaderboard, page
from tracker import store
from tracker.ingest import pipeline

REPO = Path(__file__).resolve().parents[1]
READER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from tests.reliability.readers import open_read_copy
    path, stop = Path(sys.argv[1]), sys.argv[2]
    reads = errors = partial = 0
    messages = []
    counts = {"reopened": 0}
    while not os.path.exists(stop):
        try:
            con = open_read_copy(path, counts)
            try:
                bad = con.execute(
                    "select count(*) from snapshots s left join (select snapshot_id, count(*) n from standings "
                    "group by all) c using (snapshot_id) where coalesce(c.n, 0) <> s.row_count").fetchall()[0][0]
                con.execute("select count(*), max(rank_ordinal) from rank_history").fetchall()
            finally:
                con.close()
            reads += 1
            partial += bad > 0
        except Exception as exc:
            errors += 1
            messages.append(repr(exc)[:200])
        time.sleep(0.02)  # back to back, the reader took a core from the writer it reads beside
    print(json.dumps(
        {"reads": reads, "errors": errors, "partial": partial, "reopened": counts["reopened"],
         "messages": messages[:5]}
    ))
    """
)


def board(i: int) -> bytes:
    rows = [
        entry(f"model-{j}", 1500 - j * 3 + (i % 7), 1490 - j * 3, 1510 - j * 3 + 10, votes=1000 + i)
        for j in range(300)
    ]
    return page(leaderboard(rows, cutoff=f"2026-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"))


@pytest.mark.slow
def test_reader_process_sees_no_errors_while_imports_publish(settings, tmp_path):
    stop = tmp_path / "stop"
    with store.writer(settings, "test writer") as w:
        pipeline.ingest(w, pipeline.Payload(board(0), "p0", datetime.now(UTC)))
        store.publish(w)
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(settings.read_copy_path), str(stop)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            results, in_place = [], 0
            for i in range(1, 41):
                results.append(pipeline.ingest(w, pipeline.Payload(board(i), f"p{i}", datetime.now(UTC))))
                store.publish(w)
                in_place += w.last_published.from_previous
            time.sleep(0.2)  # let the reader finish a last round on the final copy
        finally:
            stop.touch()
            out, _ = reader.communicate(timeout=60)
    report = json.loads(out)
    assert all(r.outcome == "new" for r in results)
    assert report["errors"] == 0, report["messages"]
    assert report["partial"] == 0
    assert report["reads"] >= 10
    # most publishes updated the previous read copy in place (none held it), the rest copied the current one:
    # both ways ran while the reader read
    assert 0 < in_place < 40, in_place
