"""Dashboard data loads per page, run in a child process: every page of ``dashboards/registry.py`` through
Streamlit's AppTest and the real entry script, so the reads are exactly the ones the page makes, through the
same cached functions (``dashboards.data``), with default widget values (text / overall, the newest dates,
the featured model).

One AppTest session walks the pages in menu order, round after round. Each measured run clears the cache
first (``data.clear()``), then switches to the page and runs it: ``data`` is the time spent inside
``tracker.query.run_sql`` (every cached read ends there, the sidebar's included), ``page`` the whole rerun
(reads, frames, charts). A warm-up run of the default page loads Streamlit's own modules first.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.timing import Samples, sql_names


def dashboard(home: str, runs: int, timeout: float, budget: float = 300.0) -> dict:
    """``runs`` rounds over every page (fewer once ``budget`` seconds are spent; at least one)."""
    os.environ["TRACKER_HOME"] = home
    os.environ.pop("TRACKER_LAKE", None)
    from streamlit.testing.v1 import AppTest

    from dashboards import data, registry
    from tracker.read import query

    spent: dict = {"seconds": 0.0, "calls": 0, "depth": 0, "by_read": defaultdict(float)}
    run_sql = query.run_sql
    names = sql_names()

    def measured(settings, text, *args, **kwargs):
        spent["depth"] += 1
        started = time.perf_counter()
        try:
            return run_sql(settings, text, *args, **kwargs)
        finally:
            spent["depth"] -= 1
            if spent["depth"] == 0:
                took = time.perf_counter() - started
                spent["seconds"] += took
                spent["calls"] += 1
                spent["by_read"][names.get(text, "(other SQL)")] += took

    query.run_sql = measured
    app = Path(registry.__file__).with_name("app.py")
    at = AppTest.from_file(str(app), default_timeout=timeout)
    at.run()  # warm-up: Streamlit's modules, the default page
    results = {
        spec.url_path: {"data": Samples(), "page": Samples(), "reads": 0, "problems": [], "by_read": []}
        for spec in registry.PAGES
    }
    begun = time.perf_counter()
    for round_no in range(runs):
        for spec in registry.PAGES:
            data.clear()
            spent.update(seconds=0.0, calls=0, by_read=defaultdict(float))
            at.switch_page(spec.file)
            started = time.perf_counter()
            at.run()
            page = results[spec.url_path]
            page["page"].add(time.perf_counter() - started)
            page["data"].add(spent["seconds"])
            page["reads"] = max(page["reads"], spent["calls"])
            page["by_read"].append(dict(spent["by_read"]))
            page["problems"] += [str(e.value)[:200] for e in (*at.exception, *at.error)]
        if time.perf_counter() - begun >= budget and round_no + 1 >= 1:
            break
    return {
        url: {
            "title": registry.by_url(url).title,
            "data": page["data"].to_json(),
            "page": page["page"].to_json(),
            "reads": page["reads"],
            "by_read": page["by_read"][len(page["by_read"]) // 2],
            "problems": page["problems"][:3],
        }
        for url, page in results.items()
    }
