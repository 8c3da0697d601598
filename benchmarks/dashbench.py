"""Dashboard data loads per page, run in a child process: every page of ``dashboards/registry.py`` through
Streamlit's AppTest and the real entry script, so the reads are exactly the ones the page makes, through the
same cached functions (``dashboards.data``), with default widget values (text / overall, the newest dates,
the featured model).

Each measured run clears the cache first (``data.clear()``), then reruns the page: ``data`` is the time spent
inside ``tracker.query.run_sql`` (every cached read ends there, the sidebar's included), ``page`` the whole
rerun (reads, frames, charts). One warm-up run per page loads Streamlit's own modules first.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from benchmarks.timing import Samples


def dashboard(home: str, runs: int, timeout: float) -> dict:
    os.environ["TRACKER_HOME"] = home
    os.environ.pop("TRACKER_LAKE", None)
    from streamlit.testing.v1 import AppTest

    from dashboards import data, registry
    from tracker import query

    spent = {"seconds": 0.0, "calls": 0, "depth": 0}
    run_sql = query.run_sql

    def measured(*args, **kwargs):
        spent["depth"] += 1
        started = time.perf_counter()
        try:
            return run_sql(*args, **kwargs)
        finally:
            spent["depth"] -= 1
            if spent["depth"] == 0:
                spent["seconds"] += time.perf_counter() - started
                spent["calls"] += 1

    query.run_sql = measured
    app = Path(registry.__file__).with_name("app.py")
    out = {}
    for spec in registry.PAGES:
        at = AppTest.from_file(str(app), default_timeout=timeout)
        at.run()
        at.switch_page(spec.file)
        at.run()  # warm-up
        problems = [e.value for e in at.exception] + [e.value for e in at.error]
        data_s, page_s, calls = Samples(), Samples(), []
        for _ in range(runs):
            data.clear()
            spent.update(seconds=0.0, calls=0)
            started = time.perf_counter()
            at.run()
            page_s.add(time.perf_counter() - started)
            data_s.add(spent["seconds"])
            calls.append(spent["calls"])
            problems += [e.value for e in at.exception] + [e.value for e in at.error]
        out[spec.url_path] = {
            "title": spec.title,
            "data": data_s.to_json(),
            "page": page_s.to_json(),
            "reads": max(calls),
            "problems": problems[:3],
        }
    return out
