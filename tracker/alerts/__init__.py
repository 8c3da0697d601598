"""Alerts and watchlists: be told when a watched board, model or organisation really changes.

Where it sits: after every poll or import (``tracker.poll.cycle.run_job``, ``tracker import``), on the writer, before the
read copy is published. ``after_ingest`` evaluates the watches when the ingest wrote new snapshots and, new
data or not, sends the deliveries that are due; it never raises, so alerts cannot stop polling.

    config.py    the [alerts] table of tracker.toml: watches, targets, retry policy
    rules.py     events (sql/views events_with) -> confirmed alerts (sql/alerts/confirmed.sql) -> stored
    deliver.py   due deliveries -> webhook POSTs with retries and a delivery log
    bodies.py    generic JSON, Slack and Discord bodies
    commands.py  `tracker alerts ...` (typer)

Tables (sql/migrations/0090_alerts.sql): ``alerts``, ``alert_matches``, ``alert_deliveries`` (one row per
event and target: the dedupe key), ``alert_delivery_log``, ``notifications`` (what the dashboard shows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from tracker import logs, store
from tracker.alerts.config import AlertsConfig, load_alerts, parse_alerts
from tracker.alerts.deliver import Attempt, DeliveryOutcome, deliver_pending
from tracker.alerts.rules import Recorded, evaluate

__all__ = [
    "AlertRun",
    "AlertsConfig",
    "after_ingest",
    "evaluate_and_deliver",
    "load_alerts",
    "parse_alerts",
]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AlertRun:
    recorded: Recorded | None  # None when no evaluation ran (no new data, or alerts disabled)
    attempts: tuple[Attempt, ...] = ()

    def count(self, outcome: DeliveryOutcome) -> int:
        return sum(a.outcome == outcome for a in self.attempts)


def evaluate_and_deliver(
    w: store.Writer,
    config: AlertsConfig | None = None,
    *,
    evaluate_rules: bool = True,
    since_last: bool = False,
    client: httpx.Client | None = None,
    clock: Callable[[], datetime] = _utc_now,
) -> AlertRun:
    """Evaluate the watches on the stored history (unless ``evaluate_rules`` is false; with ``since_last``,
    only on the boards that changed since the last evaluation: ``rules.boards_to_evaluate``) and run one delivery
    round. ``config`` defaults to the ``[alerts]`` of ``w.settings.config``. Raises only for a broken
    configuration or database; target failures are recorded, not raised."""
    config = load_alerts(w.settings) if config is None else config
    if not config.enabled:
        return AlertRun(None)
    recorded = None
    if evaluate_rules:
        with store.uncapped(w):  # the event stream is computed over the boards' whole history
            recorded = evaluate(w, config, clock(), since_last=since_last)
    attempts = deliver_pending(w, config, client, clock=clock)
    run = AlertRun(recorded, tuple(attempts))
    _log(run)
    return run


def after_ingest(
    w: store.Writer,
    *,
    wrote: bool,
    client: httpx.Client | None = None,
    clock: Callable[[], datetime] = _utc_now,
) -> AlertRun | None:
    """The hook for the poll and import paths: evaluate when ``wrote`` (new snapshots landed), on the boards
    that changed since the last evaluation, and deliver what is due either way. Never raises: an alert
    problem is logged and polling goes on."""
    try:
        return evaluate_and_deliver(w, evaluate_rules=wrote, since_last=True, client=client, clock=clock)
    except Exception as exc:  # noqa: BLE001 - alerts must never stop a poll; the traceback goes to the log
        logs.event(
            "alerts_error",
            f"alerts: {type(exc).__name__}: {exc} (polling goes on; fix tracker.toml [alerts] or see the traceback)",
            level=logging.ERROR,
            exc_info=True,
            error=str(exc),
        )
        return None


def _log(run: AlertRun) -> None:
    if run.recorded is not None and run.recorded.alerts:
        logs.event(
            "alerts",
            f"alerts: {run.recorded.alerts} new, {run.recorded.deliveries} delivery(ies) queued",
            new=run.recorded.alerts,
            queued=run.recorded.deliveries,
        )
    for a in run.attempts:
        if a.outcome != "sent":
            logs.event(
                "alert_delivery",
                f"alert delivery {a.outcome} (attempt {a.attempt}) to {a.target}: {a.error}",
                level=logging.WARNING,
                target=a.target,
                event_key=a.event_key,
                outcome=a.outcome,
                attempt=a.attempt,
                http_status=a.http_status,
                error=a.error,
            )
    if run.attempts:
        logs.event(
            "alert_deliveries",
            f"alerts: {run.count('sent')} sent, {run.count('retry')} to retry, {run.count('failed')} failed",
            sent=run.count("sent"),
            retry=run.count("retry"),
            failed=run.count("failed"),
        )
