"""Settings: one frozen dataclass, each field with a default and help text.

This is the only module that reads ``os.environ``. Every field ``x`` can be set in the ``[settings]`` table
of ``tracker.toml`` (in ``$TRACKER_HOME``, or the file named by ``--config`` / ``TRACKER_CONFIG``), and
overridden with the environment variable ``TRACKER_X`` (upper case); explicit arguments win over both. The
settings list in docs/configuration.md is generated from these fields; a test checks it is current.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tracker.config.declarations import Declaration, read_declarations
from tracker.errors import ConfigError

# A DuckDB memory size as the memory settings take it (validated here: it is spliced into a SET statement).
_MEMORY = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


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
    config: Path | None = _setting(
        None, "The tracker.toml to read (default: tracker.toml in the home folder, when present)."
    )
    backoff_base: float = _setting(
        1.0, "Seconds before the first retry; each further retry doubles it (jittered)."
    )
    backoff_cap: float = _setting(60.0, "Longest wait between two retries, in seconds.")
    arena_url: str = _setting(
        "https://arena.ai", "Base URL of the live leaderboard pages the default jobs poll."
    )
    dataset_url: str = _setting(
        "https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main",
        "Base URL of the official dataset's files the default jobs poll.",
    )
    artificial_analysis_url: str = _setting(
        "https://artificialanalysis.ai",
        "Base URL of the Artificial Analysis arena feeds the default jobs poll (`{this}/api/.../arena/preferences`).",
    )
    dataset_configs: str = _setting(
        "text,text_style_control,vision,vision_style_control,search,search_style_control,document,"
        "document_style_control,webdev,text_to_image,image_edit,text_to_video,image_to_video,video_edit,agent",
        "Comma-separated dataset configs whose `full` file `tracker backfill arena-dataset` loads.",
    )
    catalog_api_url: str = _setting(
        "https://api.github.com/repos/lmarena/arena-catalog",
        "GitHub API URL of the arena-catalog repository; `tracker backfill arena-catalog` lists commits there.",
    )
    catalog_raw_url: str = _setting(
        "https://raw.githubusercontent.com/lmarena/arena-catalog",
        "Raw-file URL of the arena-catalog repository; files are read at `{this}/{commit}/data/{file}`.",
    )
    catalog_files: str = _setting(
        "leaderboard-data.json,leaderboard-data-style-control.json,leaderboard-text.json,"
        "leaderboard-text-style-control.json,leaderboard-vision.json,leaderboard-vision-style-control.json,"
        "leaderboard-image.json",
        "Comma-separated arena-catalog `data/` files whose history `tracker backfill arena-catalog` walks.",
    )
    page_interval: float = _setting(3600.0, "Seconds between polls of the live pages (default jobs).")
    dataset_interval: float = _setting(
        21600.0, "Seconds between polls of the dataset's latest files (default jobs)."
    )
    jitter: float = _setting(300.0, "Up to this many random seconds added to each scheduled run.")
    misfire_grace_time: float = _setting(
        3600.0, "A scheduled run that could not start within this many seconds of its time is skipped."
    )
    port: int = _setting(8501, "Port of the dashboard that `tracker up` serves on 127.0.0.1.")
    query_timeout: float = _setting(
        30.0,
        "Seconds a query may run on the read-only connection (`tracker sql`, the dashboard, `run_sql`) "
        "before it is stopped; 0: no limit.",
    )
    query_memory_limit: str = _setting(
        "1GB",
        "DuckDB memory cap of the read-only connection queries run on (one per process and read copy or "
        "lake); a query that needs more is stopped, nothing spills to disk. Empty: DuckDB's default, 80% of RAM.",
    )
    query_threads: int = _setting(
        2, "Threads DuckDB may use for the queries of one process on the read-only connection."
    )
    max_failures: int = _setting(
        3, "`tracker status --check` fails when a source has failed this many times in a row."
    )
    memory_limit: str = _setting(
        "",
        "DuckDB memory cap of the one-shot writer commands (import, backfill, poll, reparse), e.g. 2GB; "
        "empty: DuckDB's default, 80% of RAM.",
    )
    poller_memory_limit: str = _setting(
        "256MB",
        "DuckDB memory cap of the long-running poller (`tracker schedule`, `tracker up`), which holds the "
        "database open for days: blocks beyond it are evicted, work beyond it spills to disk. A full "
        "read-copy rebuild (first start, after an upgrade), or a publish that runs out under it, lifts it "
        "while it runs. Empty: DuckDB's default.",
    )
    # What ingest accepts (docs/sources.md): files `tracker import` reads, and plausible values
    max_import_bytes: int = _setting(
        2_000_000_000,
        "Largest file `tracker import` reads, in bytes; a larger one is refused before anything is read.",
    )
    min_rating: float = _setting(
        -10_000.0,
        "Lowest plausible rating (and CI bound); a board with a lower one is refused, naming file, row and value.",
    )
    max_rating: float = _setting(
        10_000.0,
        "Highest plausible rating (and CI bound); a board with a higher one is refused, naming file, row and "
        "value.",
    )
    max_votes: int = _setting(
        1_000_000_000, "Most votes a model can plausibly have; a board with more is refused, naming the row."
    )
    # not a setting (no help, no TRACKER_ variable): the config file's [[sources]], see the module docstring
    declared_sources: tuple[Declaration, ...] = field(default=())

    @property
    def database_path(self) -> Path:
        return self.home / "tracker.duckdb"

    @property
    def read_copy_path(self) -> Path:
        return self.home / "tracker.read.duckdb"

    @property
    def lock_path(self) -> Path:
        return self.home / "writer.lock"

    def __post_init__(self) -> None:
        for name in ("memory_limit", "poller_memory_limit", "query_memory_limit"):
            value = getattr(self, name)
            if value and not _MEMORY.fullmatch(value):
                raise ConfigError(
                    f"{name} = {value!r} is not a memory size; write it like 256MB, 1.5GB or 4GiB (or leave it "
                    "empty for DuckDB's default)",
                    field=name,
                )
        _check_ingest_limits(self)

        if not (math.isfinite(self.query_timeout) and self.query_timeout >= 0):
            raise ConfigError(
                f"query_timeout = {self.query_timeout!r} must be 0 (no limit) or more seconds",
                field="query_timeout",
            )
        if self.query_threads < 1:
            raise ConfigError(
                f"query_threads = {self.query_threads!r} must be 1 or more", field="query_threads"
            )

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)


def _check_ingest_limits(settings: Settings) -> None:
    if not settings.min_rating < settings.max_rating:
        raise ConfigError(
            f"min_rating = {settings.min_rating:g} must be below max_rating = {settings.max_rating:g}",
            field="min_rating",
        )
    for name in ("max_votes", "max_import_bytes"):
        if getattr(settings, name) < 1:
            raise ConfigError(f"{name} = {getattr(settings, name)} must be at least 1", field=name)


def setting_fields() -> list[dataclasses.Field]:
    """The settings: every field of ``Settings`` with help text (``declared_sources`` has none)."""
    return [f for f in dataclasses.fields(Settings) if "help" in f.metadata]


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
    """Settings from defaults, then ``tracker.toml``'s ``[settings]``, then ``TRACKER_*`` environment
    variables, then explicit overrides (None means "not given"). The file's ``[[sources]]`` are read and
    checked here too, into ``declared_sources``."""
    values = _given(environ, overrides)
    path = config_file_path(Path(values.get("home") or Settings.home), values.get("config"))  # type: ignore[arg-type]
    if path is not None:
        doc = read_config_file(path)
        declared = read_declarations(doc.get("sources", []), path)
        values = {"declared_sources": declared, **_file_settings(path, doc), **values, "config": path}
    return Settings(**values)


def load_reader_settings(
    environ: dict[str, str] | None = None, **overrides: object
) -> tuple[Settings, str | None]:
    """Settings for a command that only reads (``tracker sql``, ``tracker model``), and a warning to print.

    As ``load_settings``, but a config file that cannot be used (not TOML, an unknown setting, a bad value,
    missing) does not stop a read: the settings are made without it, and the warning names the file and
    what is wrong. Commands that write keep refusing it (``load_settings``). An environment variable or an
    explicit value that is wrong still fails."""
    try:
        return load_settings(environ, **overrides), None
    except ConfigError as exc:
        values = _given(environ, overrides)
        path = values.pop("config", None) or Path(values.get("home") or Settings.home) / CONFIG_NAME  # type: ignore[operator]
        try:
            settings = Settings(**values)
        except ConfigError:
            raise exc from None
        message = " ".join(str(exc).split())  # one line
        where = "" if str(path) in message else f"{path}: "
        return settings, (
            f"{where}{message}; reading with the defaults and the TRACKER_* environment instead of it "
            "(commands that write refuse until it is fixed)"
        )


def _given(environ: dict[str, str] | None, overrides: dict[str, object]) -> dict[str, object]:
    """The ``TRACKER_*`` environment variables, then the explicit overrides that are not None."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in setting_fields():
        name = f"TRACKER_{f.name.upper()}"
        if name in env:
            values[f.name] = _coerce(f, env[name])
    values.update({k: v for k, v in overrides.items() if v is not None})
    return values


CONFIG_NAME = "tracker.toml"


def config_file_path(home: Path, explicit: Path | None = None) -> Path | None:
    """The config file to read: ``explicit`` (must exist), else ``home/tracker.toml`` when present."""
    if explicit is not None:
        explicit = Path(explicit)
        if not explicit.is_file():
            raise ConfigError(
                f"config file {explicit} not found; pass an existing tracker.toml with --config "
                "(or unset TRACKER_CONFIG)",
                path=str(explicit),
            )
        return explicit
    candidate = Path(home) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def read_config_file(path: Path | None) -> dict:
    """The parsed TOML document (``{}`` when there is no file)."""
    if path is None:
        return {}
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}; fix the file", path=str(path)) from None


def _file_settings(path: Path, doc: dict) -> dict[str, object]:
    table = doc.get("settings", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [settings] must be a table of name = value", path=str(path))
    fields = {f.name: f for f in setting_fields()}
    values: dict[str, object] = {}
    for name, value in table.items():
        f = fields.get(name)
        if f is None or name == "config":
            raise ConfigError(
                f"{path}: unknown setting {name!r} in [settings]; known: {', '.join(sorted(fields))}",
                path=str(path),
                field=name,
            )
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        if "Path" in kind:
            value = (path.parent / str(value)) if value else None
        elif (
            (kind == "int" and (isinstance(value, bool) or not isinstance(value, int)))
            or (kind == "float" and (isinstance(value, bool) or not isinstance(value, int | float)))
            or (kind == "str" and not isinstance(value, str))
            or (kind == "bool" and not isinstance(value, bool))
        ):
            raise ConfigError(
                f"{path}: setting {name} = {value!r} is not a {kind}; fix the value in [settings]",
                path=str(path),
                field=name,
            )
        values[name] = float(value) if kind == "float" else value
    return values


def child_environ(settings: Settings, **extra: str) -> dict[str, str]:
    """This process's environment for a child process (the poller, the dashboard), pointing it at the same
    home and config file."""
    env = {**os.environ, "TRACKER_HOME": str(Path(settings.home).resolve()), **extra}
    if settings.config is not None:
        env["TRACKER_CONFIG"] = str(Path(settings.config).resolve())
    return env
