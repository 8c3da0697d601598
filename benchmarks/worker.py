"""Child-process entry: ``python -m benchmarks.worker TASK ARGS_JSON`` runs one benchmark task and prints its
result as one JSON line, with this process's peak resident memory (``peak_rss_mb``) and CPU time added.
Stderr carries the tracker's own log lines; the parent keeps it only to report a failure.
"""

from __future__ import annotations

import importlib
import json
import sys
import time

from benchmarks.timing import peak_rss_mb

# task -> module: only the task's own module is imported, so a poll's peak memory carries no pandas or Streamlit
TASKS = {
    "ingest": "ingest",
    "floor": "ingest",
    "ranked_store_floor": "ingest",
    "publish": "ingest",
    "pages": "ingest",
    "reparse": "ingest",
    "import_shared": "ingest",
    "poll": "pollbench",
    "dashboard": "dashbench",
    "queries": "querybench",
}


def main(argv: list[str]) -> int:
    task, args = argv[0], json.loads(argv[1])
    module = importlib.import_module(f"benchmarks.{TASKS[task]}")
    result = getattr(module, task)(**args)
    result["peak_rss_mb"] = peak_rss_mb()
    result["process_cpu_seconds"] = time.process_time()
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
