"""Benchmark: `tracker import` of a ~1 M-row official-dataset `full` Parquet file, whole and by stage.

There is no real `full` file in ../shared, so the file is generated in the official schema from realistic values
(tests/dataset_files.py: 422 models, 190 weekly publishes from 2023-05-08, 27 text categories, ~41 MB).

    uv run python benchmarks/dataset_full_import.py [--rows-scale 1.0] [--repeat 3]

Prints the wall time of the real command (a subprocess, as a user runs it), then each stage in-process:
read + reshape (parse, with the tracker's ranks), validate, raw payload save, load (snapshot staging,
standings insert, identity observations: ``store.load_frame``), commit, read-copy publish. Timings are the
minimum over ``--repeat`` runs, each into a fresh home. The suite (``python -m benchmarks``) reports the
same stages for the whole synthetic history ("Where the ingest time goes").
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import dataset_files  # noqa: E402
from tracker import store  # noqa: E402
from tracker.config import load_settings  # noqa: E402
from tracker.ingest.validate import validate  # noqa: E402
from tracker.sources import arena_dataset  # noqa: E402


def timed(name: str, fn, results: dict[str, list[float]]):
    started = time.perf_counter()
    value = fn()
    results.setdefault(name, []).append(time.perf_counter() - started)
    return value


def stages(path: Path, home: Path, results: dict[str, list[float]]) -> None:
    body = path.read_bytes()
    origin = str(path)
    hints = {"config": path.parent.name}
    now = datetime.now(UTC)
    timed("sha256", lambda: hashlib.sha256(body).hexdigest(), results)
    frame = timed("parse", lambda: arena_dataset.parse(body, origin, fetched_at=now, hints=hints), results)
    timed("validate", lambda: validate(frame, origin), results)
    with store.writer(load_settings(environ={}, home=home), "benchmark") as w:
        con = w.con
        con.execute("BEGIN TRANSACTION")
        timed(
            "save raw payload",
            lambda: store.save_raw(
                con,
                home=home,
                payload_hash=hashlib.sha256(body).hexdigest(),
                source="arena-dataset",
                origin=origin,
                body=body,
                status="loaded",
                at=now,
            ),
            results,
        )
        timed(
            "load (snapshots, ranks, standings, identity)",
            lambda: store.load_frame(
                con, frame, source="arena-dataset", payload_hash="bench", fetched_at=now
            ),
            results,
        )
        timed("commit", lambda: con.execute("COMMIT"), results)
        timed("publish read copy", lambda: store.publish(w), results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows-scale", type=float, default=1.0, help="scale the number of publishes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "data" / "text" / "full-00000-of-00001.parquet"
        path.parent.mkdir(parents=True)
        frame = dataset_files.full_frame(dates=max(1, round(190 * args.rows_scale)))
        path.write_bytes(dataset_files.parquet_bytes(frame))
        print(f"{frame.height:,} rows, {path.stat().st_size / 1e6:.1f} MB Parquet")
        results: dict[str, list[float]] = {}
        for n in range(args.repeat):
            home = root / f"cli-{n}"
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "tracker", "import", str(path), "--home", str(home)],
                capture_output=True,
                text=True,
            )
            results.setdefault("tracker import (whole command)", []).append(time.perf_counter() - started)
            if proc.returncode != 0:
                raise SystemExit(proc.stdout + proc.stderr)
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "tracker", "import", str(path), "--home", str(home)],
                capture_output=True,
                check=True,
            )
            results.setdefault("tracker import again (nothing new)", []).append(time.perf_counter() - started)
            stages(path, root / f"stages-{n}", results)
        for name, values in results.items():
            print(f"{name:38s} min {min(values):6.2f} s   all {', '.join(f'{v:.2f}' for v in values)}")


if __name__ == "__main__":
    main()
