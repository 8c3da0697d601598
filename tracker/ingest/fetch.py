"""Fetch one URL: conditional GET (the last ETag / Last-Modified stored for it) -> the pipeline, or one fetch row
saying why no payload came. Every poll cycle (``tracker.poll.cycle``) fetches its targets through ``poll_url``."""

from __future__ import annotations

import time

import httpx

from tracker import frames, logs, store
from tracker.errors import FetchError
from tracker.http import fetch
from tracker.ingest import pipeline
from tracker.sqlfiles import sql


def poll_url(
    w: store.Writer,
    client: httpx.Client,
    url: str,
    *,
    source: str | None = None,
    job: str = "poll",
    hints: dict | None = None,
    guard=None,
    clock=pipeline.utc_now,
) -> pipeline.IngestResult:
    started_at, t0 = clock(), time.perf_counter()
    # what is stored and shown for this URL: tokens and passwords in it never reach a fetch row or a log
    origin = logs.redact(url)
    row = frames.first(w.con.execute(sql("read/last_validators.sql"), {"origin": origin}))
    etag, last_modified = row if row else (None, None)
    try:
        got = fetch(client, url, max_bytes=w.settings.max_body_bytes, etag=etag, last_modified=last_modified)
    except FetchError as exc:
        return pipeline.record_without_payload(
            w,
            "failed",
            origin=origin,
            source=source,
            job=job,
            error=type(exc)(logs.redact(exc.message), **exc.fields),
            http_status=exc.fields.get("status"),
            started_at=started_at,
            duration_ms=(time.perf_counter() - t0) * 1000,
            clock=clock,
        )
    if got.not_modified:
        return pipeline.record_without_payload(
            w,
            "not_modified",
            origin=origin,
            source=source,
            job=job,
            http_status=got.status,
            started_at=started_at,
            duration_ms=(time.perf_counter() - t0) * 1000,
            etag=got.etag or etag,
            last_modified=got.last_modified or last_modified,
            clock=clock,
        )
    payload = pipeline.Payload(
        got.body,
        origin,
        clock(),
        source=source,
        http_status=got.status,
        etag=got.etag,
        last_modified=got.last_modified,
        hints=hints or {},
    )
    return pipeline.ingest(w, payload, job=job, guard=guard, clock=clock)
