"""Settings: one frozen dataclass, each field with a default and help text.

This is the only module that reads ``os.environ``. Every field ``x`` can be overridden with the
environment variable ``TRACKER_X`` (upper case). The README's settings table lists every field; a test
checks that it does.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import ConfigError


def _setting(default: object, help: str) -> object:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    home: Path = _setting(Path("tracker-data"), "Folder holding the database, its read copy and state files.")
    user_agent: str = _setting(
        "leaderboard-tracker/0.1 (+https://github.com/leaderboard-tracker)",
        "User-Agent sent with every HTTP request.",
    )
    connect_timeout: float = _setting(10.0, "Seconds to wait for a TCP/TLS connection.")
    read_timeout: float = _setting(30.0, "Seconds to wait between bytes of a response.")
    deadline: float = _setting(120.0, "Overall seconds allowed for one fetch, retries included.")
    max_body_bytes: int = _setting(200_000_000, "Largest response body accepted, in bytes.")
    max_redirects: int = _setting(5, "Redirects followed before a fetch fails.")
    retries: int = _setting(4, "Retries after a connection error, timeout, 5xx or 429.")
    publish_min_interval: float = _setting(
        60.0, "Seconds between read-copy publishes when a fetch wrote nothing new."
    )
    lake: Path | None = _setting(
        None, "A Parquet lake (from `tracker export`) to read instead of the database."
    )

    @property
    def database_path(self) -> Path:
        return self.home / "tracker.duckdb"

    @property
    def read_copy_path(self) -> Path:
        return self.home / "tracker.read.duckdb"

    @property
    def lock_path(self) -> Path:
        return self.home / "writer.lock"

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)


def setting_fields() -> list[dataclasses.Field]:
    return list(dataclasses.fields(Settings))


def _coerce(f: dataclasses.Field, raw: str) -> object:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if "Path" in kind:
            return Path(raw) if raw else None
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            return raw.strip().lower() in {"1", "true", "yes", "on"}
    except ValueError as exc:
        raise ConfigError(f"TRACKER_{f.name.upper()}={raw!r} is not a valid {kind}: {exc}") from exc
    return raw


def load_settings(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from defaults, then ``TRACKER_*`` environment variables, then explicit overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in setting_fields():
        name = f"TRACKER_{f.name.upper()}"
        if name in env:
            values[f.name] = _coerce(f, env[name])
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
