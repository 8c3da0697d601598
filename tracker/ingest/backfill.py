"""Backfill: fetch a source's published history once, through the one pipeline, resumably.

``plan`` lists what to fetch; ``run`` fetches each item with ``tracker.ingest.fetch.poll_url`` (so every payload goes
hash -> detect -> parse -> validate -> store like any poll) through one writer, and publishes once at the
end (also when interrupted, so what was stored is visible).

- ``arena-dataset``: the ``full`` Parquet file of every configured config,
  ``{dataset_url}/{config}/full-00000-of-00001.parquet`` (one file holds a config's whole history). A re-run
  sends a conditional GET with the stored ETag: an unchanged file costs a 304 and writes no snapshot.
- ``arena-catalog``: every commit of each ``data/leaderboard-*.json`` from the GitHub commits API
  (``{catalog_api_url}/commits?path=data/FILE``, paginated), then the raw file at each commit,
  ``{catalog_raw_url}/{sha}/data/FILE``, dated by the commit date. A file at a commit never changes, so a
  commit already read (a fetch row that stored or rejected its payload) is skipped without a request: an
  interrupted backfill resumes where it stopped and a second run fetches only the commit lists. The commit
  date travels in the stored origin (``...#as_of=...&commit=...``) so ``tracker reparse`` dates it the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlencode

import httpx

from tracker import sources, store
from tracker.config import Settings
from tracker.errors import ConfigError, FetchError, TrackerError
from tracker.http import fetch
from tracker.ingest import fetch as poller
from tracker.ingest import pipeline
from tracker.sources import arena_catalog, arena_dataset
from tracker.sqlfiles import sql

SOURCES = (arena_dataset.FORMAT.source, arena_catalog.FORMAT.source)
_PER_PAGE = 100
_MAX_PAGES = 100  # 10,000 commits of one file: far beyond the repository's history, a guard against loops


@dataclass(frozen=True)
class Step:
    """One file to fetch: its URL (with hints in the fragment when they must survive a reparse)."""

    url: str
    hints: dict
    label: str


@dataclass
class BackfillResult:
    source: str
    planned: int = 0
    already_stored: int = 0
    absent: int = 0  # commits at which the file did not exist (HTTP 404: renamed or deleted there)
    results: list[pipeline.IngestResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def snapshots_new(self) -> int:
        return sum(r.snapshots_new for r in self.results)

    @property
    def rows_written(self) -> int:
        return sum(r.rows_written for r in self.results)

    absent_origins: set[str] = field(default_factory=set)

    @property
    def failures(self) -> list[pipeline.IngestResult]:
        return [r for r in self.results if not r.ok and r.origin not in self.absent_origins]


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def dataset_steps(settings: Settings) -> list[Step]:
    base = settings.dataset_url.rstrip("/")
    steps = []
    for config in _csv(settings.dataset_configs):
        arena_dataset.config_board(config, origin=f"dataset_configs setting ({config})")
        steps.append(
            Step(f"{base}/{config}/full-00000-of-00001.parquet", {"config": config}, f"{config} (full)")
        )
    if not steps:
        raise ConfigError("dataset_configs is empty: name at least one dataset config (e.g. text)")
    return steps


def catalog_commits(
    settings: Settings, client: httpx.Client, file: str, since: date | None
) -> list[tuple[str, str]]:
    """(sha, commit date) of every commit touching ``data/FILE``, oldest first."""
    found: list[tuple[str, str]] = []
    for page in range(1, _MAX_PAGES + 1):
        params = {"path": f"data/{file}", "per_page": _PER_PAGE, "page": page}
        if since is not None:
            params["since"] = f"{since.isoformat()}T00:00:00Z"
        url = f"{settings.catalog_api_url.rstrip('/')}/commits?{urlencode(params)}"
        got = fetch(client, url, max_bytes=settings.max_body_bytes)
        try:
            items = json.loads(got.body)
            batch = [
                (item["sha"], (item["commit"].get("committer") or item["commit"]["author"])["date"])
                for item in items
            ]
        except (ValueError, TypeError, KeyError) as exc:
            raise FetchError(
                f"{url}: not a GitHub commit list ({type(exc).__name__}: {exc}); check catalog_api_url",
                url=url,
            ) from None
        found += batch
        if len(items) < _PER_PAGE:
            break
    # the API lists newest first; oldest first makes a same-day later commit the later snapshot
    found.reverse()
    found.sort(key=lambda item: _parse_time(item[1]))
    if since is not None:
        found = [item for item in found if _parse_time(item[1]).date() >= since]
    return found


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def catalog_steps(settings: Settings, client: httpx.Client, since: date | None) -> list[Step]:
    raw = settings.catalog_raw_url.rstrip("/")
    steps = []
    for file in _csv(settings.catalog_files):
        arena_catalog.board_of(file, origin=f"catalog_files setting ({file})")
        for sha, committed in catalog_commits(settings, client, file, since):
            hints = {"as_of": committed, "commit": sha}
            url = sources.origin_with_hints(f"{raw}/{sha}/data/{file}", hints)
            steps.append(Step(url, hints, f"{file} @ {sha[:9]} ({committed[:10]})"))
    return steps


def plan(
    w: store.Writer, client: httpx.Client, source: str, *, since: date | None = None
) -> tuple[list[Step], list[str]]:
    """What a backfill of ``source`` would fetch, and notes for the user."""
    settings = w.settings
    if source == arena_dataset.FORMAT.source:
        notes = []
        if since is not None:
            notes.append(
                "--since does not narrow arena-dataset: each config's history is one file, loaded whole"
            )
        return dataset_steps(settings), notes
    if source == arena_catalog.FORMAT.source:
        return catalog_steps(settings, client, since), []
    raise TrackerError(
        f"backfill knows the sources {', '.join(SOURCES)}, not {source!r}; other sources have no "
        "fetchable history (import their local copies with `tracker import`)",
        source=source,
    )


def read_origins(w: store.Writer, source: str) -> dict[str, bool]:
    """Origins of ``source`` already read, each with whether it answered 404 (absent at that commit)."""
    rows = w.con.execute(sql("read/backfill_read_origins.sql"), {"source": source}).fetchall()
    return {origin: bool(absent) for origin, absent in rows}


def run(
    w: store.Writer,
    client: httpx.Client,
    source: str,
    *,
    since: date | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_step: Callable[[Step, pipeline.IngestResult | None], None] | None = None,
    clock: pipeline.Clock = pipeline.utc_now,
) -> BackfillResult:
    """Fetch what ``plan`` lists, skipping immutable files already read; publish once at the end."""
    steps, notes = plan(w, client, source, since=since)
    result = BackfillResult(source, planned=len(steps), notes=notes)
    # only files at a commit are immutable; the dataset's files change with each publish (ETag decides)
    immutable = source == arena_catalog.FORMAT.source
    done = read_origins(w, source) if immutable else {}
    if on_plan:
        on_plan(len(steps))
    try:
        with store.deferred_checkpoints(w):
            _fetch_all(w, client, source, steps, done, result, on_step=on_step, clock=clock)
    finally:
        store.publish_if_due(w, closing=True)  # what was stored is readable, even when a fetch broke off
    if immutable:
        fetched = {r.origin for r in result.results if not r.ok}
        result.absent_origins = {
            o for o, absent in read_origins(w, source).items() if absent and o in fetched
        }
        result.absent = len(result.absent_origins)
    return result


def _fetch_all(w, client, source: str, steps, done: dict, result: BackfillResult, *, on_step, clock) -> None:
    for step in steps:
        if step.url in done:
            result.already_stored += 1
            if on_step:
                on_step(step, None)
            continue
        outcome = poller.poll_url(
            w,
            client,
            step.url,
            source=source,
            job="backfill",
            hints=step.hints,
            clock=clock,
        )
        result.results.append(outcome)
        if on_step:
            on_step(step, outcome)
