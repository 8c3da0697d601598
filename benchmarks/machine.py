"""What the figures were measured on: CPU model, cores, memory, versions, date, and how busy the machine was
(load average at the start and end of the run; above ``BUSY_LOAD`` the report says the figures are pessimistic).
"""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

BUSY_LOAD = 3.0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return None


def load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


def describe() -> dict[str, str]:
    memory = _memory_gb()
    versions = {name: version(name) for name in ("duckdb", "polars", "pyarrow", "pandas", "streamlit")}
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": f"{memory:.1f} GB" if memory else "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        **versions,
    }


def load_note(start: tuple[float, float, float], end: tuple[float, float, float]) -> str:
    peak = max(start[0], end[0], start[1], end[1])
    text = (
        f"load average (1, 5, 15 min) at start {start[0]:.2f}, {start[1]:.2f}, {start[2]:.2f}; "
        f"at end {end[0]:.2f}, {end[1]:.2f}, {end[2]:.2f}"
    )
    if peak > BUSY_LOAD:
        cores = os.cpu_count() or 1
        text += (
            f". The machine was busy (load above {BUSY_LOAD:g} on {cores} cores: other processes were running), "
            "so absolute times are pessimistic; ratios to baselines measured in the same run are fairer."
        )
    return text
