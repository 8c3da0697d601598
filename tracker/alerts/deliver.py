"""Deliver queued alerts to webhooks: at least once, never twice to one target, a failing target never
holding up the others.

Where it sits: after ``rules.record`` queued deliveries (one row per event and target in
``alert_deliveries``: the dedupe key). Each round sends the deliveries that are due, oldest event first, one
HTTP POST each, and records every attempt in ``alert_delivery_log``:

- 2xx: ``sent``; it is never attempted again.
- a connection error, a timeout, 408, 425, 429 or 5xx: tried again in a later round after a capped
  exponential backoff (``retry_base`` doubling up to ``retry_cap``; a longer ``Retry-After`` wins), until
  ``max_attempts``, then ``failed``. The rest of that target's deliveries wait for the next round (so it
  receives alerts in order and a dead receiver costs one timeout per round), other targets go on.
- any other status (a wrong URL, a rejected body), or a target whose host resolves to a link-local or metadata
  address (``addresses.py``): ``failed`` at once; retrying would not help.

Every error text is masked by the target (``Target.mask``) before it is returned, logged or stored: no user,
password, path, query value or header value of a target reaches a message, a table or the read copy.

Rounds run after every poll (new data or not), so a receiver that comes back gets what it missed. A round
stops sending after ``budget`` seconds; what is left stays queued. A crash between a 2xx and its record
means one more send next round (at least once); receivers can drop repeats by ``dedupe_key``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import httpx

from tracker import frames, store
from tracker.alerts import bodies
from tracker.alerts.addresses import forbidden_resolved
from tracker.alerts.config import AlertsConfig, Target
from tracker.http import make_client, parse_retry_after
from tracker.sqlfiles import sql

# What became of one attempt (the module docstring says when each happens); alert_deliveries.status stores
# a "retry" as "pending".
DeliveryOutcome = Literal["sent", "retry", "failed"]

_RETRY_STATUSES = {408, 425, 429}
_DUE_LIMIT = 500


@dataclass(frozen=True)
class Attempt:
    event_key: str
    target: str
    attempt: int
    outcome: DeliveryOutcome
    http_status: int | None
    duration_ms: float
    error: str | None = None
    retry_after: float | None = None  # seconds the receiver asked for


def post(
    client: httpx.Client, target: Target, body: dict, *, dedupe_key: str, now: datetime
) -> tuple[int | None, str | None, float | None]:
    """POST one body: (HTTP status or None, error or None, Retry-After seconds or None). Never raises for
    network trouble: a target's failure is data, not an exception. The error never shows the target's
    secrets (``Target.mask``)."""
    headers = {**dict(target.headers), "Idempotency-Key": dedupe_key}
    try:
        response = client.post(target.url, json=body, headers=headers, timeout=httpx.Timeout(target.timeout))
        response.read()
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        # httpx may quote the URL (with its user, password and token) in its message
        detail = f"{type(exc).__name__} posting to target {target.name} ({target.where}): {exc}"
        return None, target.mask(detail), None
    status = response.status_code
    if 200 <= status < 300:
        return status, None, None
    retry_after = parse_retry_after(response.headers.get("retry-after"), now)
    snippet = response.text[:200].strip().replace("\n", " ")  # a receiver may echo the request: masked too
    return (
        status,
        target.mask(
            f"target {target.name} ({target.where}) answered HTTP {status}: {snippet or '(empty body)'}"
        ),
        retry_after,
    )


def refused(target: Target, config: AlertsConfig) -> str | None:
    """Why ``target`` is not posted to at all (its host resolves to a link-local or metadata address), or
    None."""
    if config.allow_link_local_targets:
        return None
    url = httpx.URL(target.url)
    wrong = forbidden_resolved(url.host, url.port or (443 if url.scheme == "https" else 80))
    if wrong is None:
        return None
    return target.mask(
        f"target {target.name} ({target.where}) not posted to: its host is {wrong}; set "
        "allow_link_local_targets = true in [alerts] if it really is your receiver"
    )


def transient(status: int | None) -> bool:
    """A failure that may pass: no answer (connection, timeout), 408, 425, 429 or 5xx."""
    return status is None or status in _RETRY_STATUSES or status >= 500


def classify(status: int | None, error: str | None, attempt: int, config: AlertsConfig) -> DeliveryOutcome:
    """What became of one attempt (``attempt`` counts from 1)."""
    if error is None:
        return "sent"
    if not transient(status):
        return "failed"
    return "retry" if attempt < config.max_attempts else "failed"


def backoff(attempt: int, config: AlertsConfig, retry_after: float | None = None) -> float:
    """Seconds before the next try after failed attempt number ``attempt`` (from 1)."""
    wait = min(config.retry_cap, config.retry_base * 2 ** (attempt - 1))
    return max(wait, retry_after or 0.0)


def _advice(
    outcome: DeliveryOutcome, error: str, status: int | None, attempt: int, config: AlertsConfig
) -> str:
    if outcome == "failed" and not transient(status):
        return f"{error}; not retried: check the target's url and kind in tracker.toml, then `tracker alerts test`"
    if outcome == "failed":
        return f"{error}; gave up after {attempt} attempt(s) (max_attempts = {config.max_attempts})"
    return error


def deliver_pending(
    w: store.Writer,
    config: AlertsConfig,
    client: httpx.Client | None = None,
    *,
    clock: Callable[[], datetime],
    monotonic: Callable[[], float] = time.monotonic,
) -> list[Attempt]:
    """One delivery round: send every due delivery (within ``budget``) and record each attempt. Without a
    ``client``, one is made (``tracker.http.make_client``) only when something is due."""
    con = w.con
    targets = {t.name: t for t in config.targets}
    if not frames.first(con.execute(sql("alerts/any_pending.sql")))[0]:
        return []  # nothing to give up, nothing due
    dropped = con.execute(sql("alerts/drop_unrouted.sql"), {"targets": list(targets)}).fetchall()
    if dropped:
        w.dirty = True
    now = clock()
    if not frames.first(con.execute(sql("alerts/any_due.sql"), {"now": now}))[0]:
        return []
    due = frames.to_polars(
        con.sql(sql("alerts/due_deliveries.sql"), params={"now": now, "limit": _DUE_LIMIT})
    )
    if due.is_empty():
        return []
    if client is None:
        with make_client(w.settings) as own:
            return _send(w, config, own, due, targets, clock=clock, monotonic=monotonic)
    return _send(w, config, client, due, targets, clock=clock, monotonic=monotonic)


def _send(
    w: store.Writer,
    config: AlertsConfig,
    client: httpx.Client,
    due,
    targets: dict[str, Target],
    *,
    clock: Callable[[], datetime],
    monotonic: Callable[[], float],
) -> list[Attempt]:
    attempts: list[Attempt] = []
    held_back: set[str] = set()  # targets that failed this round: their later alerts wait, in order
    started = monotonic()
    for alert in due.iter_rows(named=True):
        name = alert["target"]
        if name in held_back:
            continue
        if monotonic() - started > config.budget:
            break
        target = targets[name]
        dedupe_key = f"{alert['event_key']}:{name}"
        t0 = monotonic()
        number = alert["attempts"] + 1
        refusal = refused(target, config)
        if refusal is not None:
            status, error, retry_after, outcome = None, refusal, None, "failed"
        else:
            status, error, retry_after = post(
                client, target, bodies.render(target.kind, alert, name), dedupe_key=dedupe_key, now=clock()
            )
            outcome = classify(status, error, number, config)
            if error is not None:
                error = _advice(outcome, error, status, number, config)
        attempt = Attempt(
            alert["event_key"], name, number, outcome, status, (monotonic() - t0) * 1000, error, retry_after
        )
        _record(w, attempt, config, clock())
        attempts.append(attempt)
        if outcome != "sent" and transient(status) and refusal is None:
            held_back.add(name)
    return attempts


def _record(w: store.Writer, attempt: Attempt, config: AlertsConfig, at: datetime) -> None:
    con = w.con
    retry_at = at + timedelta(seconds=backoff(attempt.attempt, config, attempt.retry_after))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            sql("alerts/log_attempt.sql"),
            {
                "event_key": attempt.event_key,
                "target": attempt.target,
                "attempt": attempt.attempt,
                "attempted_at": at,
                "outcome": attempt.outcome,
                "http_status": attempt.http_status,
                "duration_ms": attempt.duration_ms,
                "error": attempt.error,
            },
        )
        con.execute(
            sql("alerts/update_delivery.sql"),
            {
                "event_key": attempt.event_key,
                "target": attempt.target,
                "status": {"retry": "pending"}.get(attempt.outcome, attempt.outcome),
                "next_attempt_at": retry_at if attempt.outcome == "retry" else at,
                "now": at,
                "http_status": attempt.http_status,
                "error": attempt.error,
            },
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    w.dirty = True


def send_test(config: AlertsConfig, name: str, client: httpx.Client, *, now: datetime) -> Attempt:
    """POST the sample alert (``test: true``) to target ``name``; nothing is stored. Raises ConfigError for an
    unknown target; a failing target is the returned attempt's ``error``."""
    target = config.target(name)
    alert = bodies.sample_alert(now)
    started = time.perf_counter()
    refusal = refused(target, config)
    if refusal is not None:
        status, error, retry_after = None, refusal, None
    else:
        status, error, retry_after = post(
            client,
            target,
            bodies.render(target.kind, alert, name),
            dedupe_key=f"{alert['event_key']}:{name}",
            now=now,
        )
    outcome = "sent" if error is None else "failed"
    return Attempt(
        alert["event_key"],
        name,
        1,
        outcome,
        status,
        (time.perf_counter() - started) * 1000,
        error,
        retry_after,
    )
