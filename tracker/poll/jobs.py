"""Poll jobs: what to fetch and when (from ``tracker.toml`` or the defaults), and ``run_job``, the one poll
cycle that both the scheduler's jobs and ``tracker poll`` run.

A job is one source and one set of boards: a list of targets (URL, a board label for logs, parser hints), an
interval or a cron expression, and jitter. The defaults poll the live arena.ai pages people follow (text
overall and main categories, raw and style-controlled; webdev/code; vision; text-to-image; search) every
``page_interval`` seconds and the official dataset's ``latest`` file of every config every
``dataset_interval`` seconds, and three preference arenas of Artificial Analysis (speech, text-to-image,
image editing: public JSON under ``artificial_analysis_url``) every ``page_interval`` seconds too. Its video
arenas' feeds list no models since April 2026 (upstream emptied them), and an empty feed is refused, so polling
them would only ever fail: add them with a ``[[jobs]]`` table (``AA_VIDEO_FEEDS``) should they return. Its LLM leaderboard (``/leaderboards/models``) is not polled: that URL answers an
HTML page whose model table sits in React flight data, and the ``artificial-analysis-llms`` format reads only
the JSON a scraper builds from it (import those copies). In ``tracker.toml``, a ``[[jobs]]`` table with a default job's name changes
only the keys it gives (``enabled = false`` drops it); other names add jobs; ``default_jobs = false`` keeps
only the listed ones::

    default_jobs = true

    [[jobs]]
    name = "text-pages"            # a default job: only the keys given change
    interval = "30m"

    [[jobs]]
    name = "lmarena-mirror"        # a new job
    source = "arena-page"          # format hint (detected from content when left out)
    boards = ["text", "text/coding-no-style-control"]   # page slugs under {arena_url}/leaderboard/
    urls = ["https://lmarena.ai/leaderboard/vision"]    # and/or explicit URLs
    cron = "15 */2 * * *"          # instead of interval; APScheduler's reading (day of week 0 = Monday)
    jitter = "2m"

A source declared in ``[[sources]]`` with ``urls`` is polled by a job of its name (``declared_jobs``):
every ``page_interval`` seconds unless it gives its own ``interval`` or ``cron``, whatever ``default_jobs``
says; a ``[[jobs]]`` table of that name changes it as it would a default job.

What a job does when it runs is ``tracker.poll.cycle``; when it runs, ``tracker.poll.service``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tracker import sources
from tracker.boards import Board, dataset_config_board, page_slug_board
from tracker.config import Settings, read_config_file
from tracker.errors import ConfigError, TrackerError
from tracker.sources import arena_dataset, artificial_analysis

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

TEXT_CATEGORY_SLUGS = (
    "overall",
    "expert",
    "hard-prompts",
    "coding",
    "math",
    "creative-writing",
    "instruction-following",
    "longer-query",
    "multi-turn",
)
DATASET_CONFIGS = arena_dataset.CONFIGS
DATASET_SOURCE = "arena-dataset"
PAGE_SOURCE = "arena-page"
AA_SOURCE = artificial_analysis.SOURCE
# the Artificial Analysis arena feeds: (path under the base URL, the feed's name as a board label); the image
# and video endpoints spell their input-image parameter differently, as upstream does
AA_FEEDS = (
    ("api/text-to-speech/arena/preferences", "text-to-speech"),
    ("api/text-to-image/arena/preferences?supports_image_input=false", "text-to-image"),
    ("api/text-to-image/arena/preferences?supports_image_input=true", "image-editing"),
)
# emptied upstream (model_count 0 since 2026-05): not polled by default, see the module docstring
AA_VIDEO_FEEDS = (
    ("api/text-to-video/arena/preferences?supports-image-input=false", "text-to-video"),
    ("api/text-to-video/arena/preferences?supports-image-input=true", "image-to-video"),
)
# job names of the fetch rows that are no fetch (files read by `tracker import`, the starter history of an
# older tracker): `tracker status` leaves them out (sql/read/status_sources.sql), so no poll job may take one
RESERVED_NAMES = ("import", "seed")
_JOB_KEYS = {"name", "source", "boards", "configs", "urls", "interval", "cron", "jitter", "enabled"}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Target:
    url: str
    board: str  # label in logs: a page board slug, or a dataset config and file
    hints: tuple[tuple[str, str], ...] = ()  # parser hints, e.g. (("config", "text"),)


@dataclass(frozen=True)
class Job:
    name: str
    source: str | None
    targets: tuple[Target, ...]
    interval: float | None = None  # seconds; or cron
    cron: str | None = None
    jitter: float = 0.0
    enabled: bool = True

    @property
    def schedule(self) -> str:
        if self.cron:
            return f"cron {self.cron}"
        if self.interval:
            return f"every {format_duration(self.interval)}"
        return "by hand"


def parse_duration(value: object, where: str) -> float:
    """Seconds from a number or a string like ``"90s"``, ``"15m"``, ``"1h"``, ``"1d"``."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _DURATION.match(str(value)) if isinstance(value, str) else None
    if not match:
        raise ConfigError(
            f'{where}: {value!r} is not a duration; use seconds or a number with s, m, h or d (e.g. "1h")'
        )
    return float(match.group(1)) * _UNITS[match.group(2)]


def format_duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def utc_minute(at: datetime | None, missing: str = "") -> str:
    """A time as people read it, ``2026-12-06 07:53 UTC`` (``missing`` when there is none)."""
    return missing if at is None else f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def page_target(settings: Settings, slug: str) -> Target:
    """``text``, ``text/coding``, ``text/coding-no-style-control`` -> the page URL and its board label.
    A slug without a category is the arena's overall board, style-controlled (the site's default view)."""
    slug = slug.strip().strip("/")
    arena, _, category = slug.partition("/")
    board = page_slug_board(arena, category or "overall", origin=slug)
    return Target(f"{settings.arena_url.rstrip('/')}/leaderboard/{slug}", board.slug)


def dataset_target(settings: Settings, config: str) -> Target:
    """The official dataset's ``latest`` Parquet file of one config, with the config as a parser hint."""
    dataset_config_board(config, origin=config)
    return Target(
        f"{settings.dataset_url.rstrip('/')}/{config}/latest-00000-of-00001.parquet",
        f"{config} (latest)",
        (("config", config),),
    )


def url_target(url: str) -> Target:
    """A URL given by hand: its board label (and dataset config hint) from the URL's shape, when it has one."""
    if feed := artificial_analysis.feed_of_url(url):
        return Target(url, feed)
    path = url.split("?", 1)[0].rstrip("/")
    if "/leaderboard/" in path:
        slug = path.split("/leaderboard/", 1)[1]
        try:
            return Target(url, page_slug_board(*(slug.split("/", 1) + ["overall"])[:2]).slug)
        except TrackerError:
            pass
    dataset = re.search(r"/([a-z_]+)/(latest|full)-\d{5}-of-\d{5}\.parquet$", path)
    if dataset:
        return Target(url, f"{dataset.group(1)} ({dataset.group(2)})", (("config", dataset.group(1)),))
    return Target(url, path.rsplit("/", 1)[-1] or url)


def default_jobs(settings: Settings) -> list[Job]:
    text = ["text", "text/overall-no-style-control"]
    for slug in TEXT_CATEGORY_SLUGS[1:]:
        text += [f"text/{slug}", f"text/{slug}-no-style-control"]
    pages = {
        "text-pages": text,
        # the WebDev board lives under the Code arena since 2026 (/leaderboard/webdev before)
        "webdev-pages": ["code/webdev"],
        "vision-pages": ["vision", "vision/overall-no-style-control"],
        "text-to-image-pages": ["text-to-image"],
        "search-pages": ["search", "search/overall-no-style-control"],
    }
    jobs = [
        Job(
            name,
            PAGE_SOURCE,
            tuple(page_target(settings, s) for s in slugs),
            interval=settings.page_interval,
            jitter=settings.jitter,
        )
        for name, slugs in pages.items()
    ]
    jobs.append(
        Job(
            "dataset-latest",
            DATASET_SOURCE,
            tuple(dataset_target(settings, c) for c in DATASET_CONFIGS),
            interval=settings.dataset_interval,
            jitter=settings.jitter,
        )
    )
    base = settings.artificial_analysis_url.rstrip("/")
    jobs.append(
        Job(
            "artificial-analysis-arenas",
            AA_SOURCE,
            tuple(Target(f"{base}/{path}", feed) for path, feed in AA_FEEDS),
            interval=settings.page_interval,
            jitter=settings.jitter,
        )
    )
    return jobs


def declared_jobs(settings: Settings, taken: Iterable[str] = ()) -> list[Job]:
    """A job for each declared source with urls (``settings.declared_sources``), named after it and reading
    with its format. ``taken``: the job names already in use (the default jobs), which a source cannot have."""
    sources.declared_formats(settings.declared_sources)  # a name a built-in format has is refused here too
    taken = set(taken)
    jobs = []
    for declared in settings.declared_sources:
        if not declared.urls:
            continue
        where = declared.where
        if declared.name in taken or declared.name in RESERVED_NAMES:
            why = (
                "a default job has it"
                if declared.name in taken
                else "it is reserved for fetch rows that are no poll"
            )
            raise ConfigError(
                f"{where}: name: {declared.name!r} cannot name the job that polls its urls ({why}); give the "
                "source another name",
                source=declared.name,
                key="name",
            )
        table: dict[str, object] = {
            "name": declared.name,
            "source": declared.name,
            "urls": list(declared.urls),
        }
        if declared.cron is not None:
            table["cron"] = declared.cron
        else:
            table["interval"] = declared.interval if declared.interval is not None else settings.page_interval
        job = _job_from_table(settings, table, None, where)
        board = Board(declared.arena, declared.category, declared.style_control).slug
        jobs.append(
            replace(job, targets=tuple(Target(t.url, board) for t in job.targets), jitter=settings.jitter)
        )
    return jobs


def _targets(settings: Settings, table: dict, where: str) -> tuple[Target, ...] | None:
    given = [k for k in ("boards", "configs", "urls") if k in table]
    if not given:
        return None
    targets: list[Target] = []
    for key in given:
        values = table[key]
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        make = {
            "boards": lambda v: page_target(settings, v),
            "configs": lambda v: dataset_target(settings, v),
        }
        for value in values:
            if key == "urls" and not value.startswith(("http://", "https://")):
                raise ConfigError(f"{where}: {value!r} is not an http(s) URL")
            targets.append(make[key](value) if key in make else url_target(value))
    return tuple(targets)


def _job_from_table(settings: Settings, table: object, base: Job | None, where: str) -> Job:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: each [[jobs]] entry must be a table")
    unknown = set(table) - _JOB_KEYS
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_JOB_KEYS))}"
        )
    name = table["name"]
    targets = _targets(settings, table, where)
    if base is None and not targets:
        raise ConfigError(f"{where}: job {name!r} needs boards, configs or urls")
    if "interval" in table and "cron" in table:
        raise ConfigError(f"{where}: job {name!r} has both interval and cron; keep one")
    changes: dict[str, object] = {}
    if targets is not None:
        changes["targets"] = targets
    if "source" in table:
        changes["source"] = table["source"] or None
    if "interval" in table:
        changes["interval"], changes["cron"] = parse_duration(table["interval"], f"{where} interval"), None
        if not changes["interval"]:
            raise ConfigError(f"{where}: job {name!r} has a zero interval")
    if "cron" in table:
        cron = table["cron"]
        if not isinstance(cron, str) or len(cron.split()) != 5:
            raise ConfigError(
                f"{where}: cron {cron!r} must have five fields: minute hour day month day-of-week"
            )
        changes["cron"], changes["interval"] = cron.strip(), None
    if "jitter" in table:
        changes["jitter"] = parse_duration(table["jitter"], f"{where} jitter")
    if "enabled" in table:
        if not isinstance(table["enabled"], bool):
            raise ConfigError(f"{where}: enabled must be true or false")
        changes["enabled"] = table["enabled"]
    if base is not None:
        return replace(base, **changes)  # type: ignore[arg-type]
    if changes.get("interval") is None and changes.get("cron") is None:
        raise ConfigError(f'{where}: job {name!r} needs an interval (e.g. "1h") or a cron expression')
    changes.setdefault("source", None)
    return Job(name, **changes)  # type: ignore[arg-type]


def load_jobs(settings: Settings, *, include_disabled: bool = False) -> list[Job]:
    """The configured jobs: the defaults and the declared sources' jobs, changed by ``settings.config``'s
    ``[[jobs]]`` tables."""
    doc = read_config_file(settings.config)
    where = str(settings.config)
    use_defaults = doc.get("default_jobs", True)
    if not isinstance(use_defaults, bool):
        raise ConfigError(f"{where}: default_jobs must be true or false")
    jobs = {j.name: j for j in default_jobs(settings)} if use_defaults else {}
    jobs |= {j.name: j for j in declared_jobs(settings, taken=jobs)}
    tables = doc.get("jobs", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{where}: jobs must be an array of tables ([[jobs]])")
    seen: set[str] = set()
    for index, table in enumerate(tables, start=1):
        name = table.get("name") if isinstance(table, dict) else None
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
            raise ConfigError(f"{where}: [[jobs]] #{index} needs a name of letters, digits, '-', '_' or '.'")
        if name in seen:
            raise ConfigError(f"{where}: job {name!r} is defined twice")
        if name in RESERVED_NAMES:
            raise ConfigError(
                f"{where}: [[jobs]] #{index}: the name {name!r} is reserved (fetch rows of files read by "
                "`tracker import` and the starter history carry it); choose another"
            )
        seen.add(name)
        jobs[name] = _job_from_table(settings, table, jobs.get(name), f"{where} [[jobs]] {name!r}")
    return [j for j in jobs.values() if include_disabled or j.enabled]


def select(jobs: list[Job], wanted: Iterable[str]) -> list[Job]:
    """Jobs named by ``wanted``: a job name, a source (all its jobs) or a URL (an ad-hoc job named ``poll``).
    Nothing wanted: every job."""
    wanted = list(wanted)
    if not wanted:
        return list(jobs)
    chosen: list[Job] = []
    urls = [w for w in wanted if w.startswith(("http://", "https://"))]
    for item in wanted:
        if item in urls:
            continue
        matches = [j for j in jobs if j.name == item] or [j for j in jobs if j.source == item]
        if not matches:
            names = ", ".join(j.name for j in jobs) or "none"
            sources = ", ".join(sorted({j.source for j in jobs if j.source})) or "none"
            raise ConfigError(
                f"{item!r} is neither a job, a source nor an http(s) URL; jobs: {names}; sources: {sources}"
            )
        chosen += [j for j in matches if j not in chosen]
    if urls:
        chosen.append(Job("poll", None, tuple(url_target(u) for u in urls)))
    return chosen


def trigger_for(job: Job) -> BaseTrigger:
    """The APScheduler trigger of a job (UTC; jitter in whole seconds). A bad cron fails here."""
    from apscheduler.triggers.cron import CronTrigger  # only where a trigger is made: reading jobs needs none
    from apscheduler.triggers.interval import IntervalTrigger

    jitter = int(job.jitter) or None
    if job.cron:
        minute, hour, day, month, day_of_week = job.cron.split()
        try:
            return CronTrigger(
                minute=minute,
                hour=hour,
                day=day,
                month=month,
                day_of_week=day_of_week,
                timezone=UTC,
                jitter=jitter,
            )
        except ValueError as exc:
            raise ConfigError(f"job {job.name!r}: cron {job.cron!r} is not valid: {exc}") from None
    if job.interval:
        return IntervalTrigger(seconds=job.interval, timezone=UTC, jitter=jitter)
    raise ConfigError(f"job {job.name!r} has no interval or cron expression, so it cannot be scheduled")


def period(job: Job, now: datetime) -> float | None:
    """Seconds between two runs of a job (its interval, or the gap between its next two cron times)."""
    if job.interval:
        return job.interval
    if job.cron:
        trigger = trigger_for(job)
        first = trigger.get_next_fire_time(None, now)
        second = trigger.get_next_fire_time(first, first) if first else None
        if first and second:
            return (second - first).total_seconds()
    return None
