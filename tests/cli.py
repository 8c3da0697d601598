"""Run the real ``tracker`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_tracker(home: Path, *args: str, check: bool = False, env: dict | None = None, timeout: float = 300):
    environ = {**os.environ, "TRACKER_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", *args], capture_output=True, text=True, env=environ, timeout=timeout
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"tracker {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        )
    return proc
