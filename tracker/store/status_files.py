"""The status files: what ``tracker status`` reads between two publishes of the read copy.

Between two publishes the poller keeps what ``tracker status`` reads current with a **status publish**
(``publish_status``): the per-source and per-job status (``sql/read/status_sources.sql``,
``sql/read/status_jobs.sql``) computed on the writer and written as two small Parquet files under
``$TRACKER_HOME/status/``, each swapped in with ``os.replace``. It costs a scan of the fetch and job tables,
not a copy of the database, so it runs after every fetch and every job run; every publish of the read copy
(``tracker.store.read_copy``) writes them too, so they are never behind it.
"""

from __future__ import annotations

import os
from pathlib import Path

from tracker.sqlfiles import sql

# The status files (``status_dir``): name -> the statement whose rows it holds, run on the writer.
STATUS_FILES = {"sources": "read/status_sources.sql", "jobs": "read/status_jobs.sql"}


def status_dir(settings) -> Path:
    """The folder of the status files: ``sources.parquet`` and ``jobs.parquet``."""
    return settings.home / "status"


def publish_status(w) -> None:
    """A status publish: the per-source and per-job status (``STATUS_FILES``) computed on the writer, each
    written to a temporary file and swapped in, so a reader never meets half a file."""
    folder = status_dir(w.settings)
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in STATUS_FILES.items():
        target = folder / f"{name}.parquet"
        tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
        try:
            # DuckDB writes the rows itself: no frame in between (a third of a status publish's cost)
            select = sql(path).strip().rstrip(";")
            quoted = str(tmp).replace("'", "''")
            w.con.execute(f"COPY ({select}) TO '{quoted}' (FORMAT parquet)")
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
