"""Webhook bodies for one alert: generic JSON, Slack (incoming webhook: ``text`` + Block Kit) and Discord
(webhook: ``content`` + one embed). Pure functions of the alert's fields; ``deliver.py`` posts them.

Model names come from upstream pages, so they are escaped for Slack's mrkdwn (``&``, ``<``, ``>``) and
Discord is told to parse no mentions: a model called ``@everyone`` pings nobody.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from tracker.alerts.config import TargetKind

BODY_VERSION = 1
_SLACK_HEADER_MAX = 150  # Slack's limit for a header block's text
_SLACK_SECTION_MAX = 3000
_DISCORD_TITLE_MAX = 256
_DISCORD_DESCRIPTION_MAX = 4096
_DISCORD_CONTENT_MAX = 2000


def _iso(value: object) -> str | None:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return None if value is None else str(value)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _model(key: object, name: object) -> dict | None:
    return None if key is None else {"key": key, "name": name or key}


def generic(alert: dict, target: str) -> dict:
    """The generic JSON body: every field, with a dedupe key receivers can use to drop a repeat."""
    return {
        "type": "leaderboard-tracker.alert",
        "version": BODY_VERSION,
        "event_key": alert["event_key"],
        "dedupe_key": f"{alert['event_key']}:{target}",
        "test": bool(alert.get("test", False)),
        "kind": alert["kind"],
        "title": alert["title"],
        "text": alert["sentence"],
        "board": None
        if alert.get("arena") is None
        else {
            "leaderboard": alert.get("leaderboard"),
            "arena": alert["arena"],
            "category": alert.get("category"),
            "style_control": alert.get("style_control"),
            "label": alert.get("board"),
        },
        "model": _model(alert.get("model"), alert.get("display_name")),
        "other_model": _model(alert.get("other_model"), alert.get("other_display_name")),
        "rank_before": alert.get("rank_before"),
        "rank_after": alert.get("rank_after"),
        "top_n": alert.get("top_n"),
        "significant": alert.get("significant"),
        "event_date": _iso(alert.get("event_date")),
        "confirmed_as_of": _iso(alert.get("confirmed_as_of")),
        "watches": list(alert.get("watches") or []),
        "detected_at": _iso(alert.get("detected_at")),
    }


def _context(alert: dict) -> str:
    parts = [alert.get("board") or "every board", f"first seen {_iso(alert.get('event_date'))}"]
    if alert.get("confirmed_as_of") and alert.get("confirmed_as_of") != alert.get("event_date"):
        parts.append(f"confirmed {_iso(alert['confirmed_as_of'])}")
    if alert.get("watches"):
        parts.append("watch: " + ", ".join(alert["watches"]))
    return " · ".join(parts)


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(alert: dict, target: str) -> dict:
    """A Slack incoming-webhook body: ``text`` (the notification and fallback) plus header, section, context."""
    title, sentence = _slack_escape(alert["title"]), _slack_escape(alert["sentence"])
    return {
        "text": _cut(f"{title}: {sentence}", _SLACK_SECTION_MAX),
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": _cut(alert["title"], _SLACK_HEADER_MAX)},
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": _cut(sentence, _SLACK_SECTION_MAX)}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(_context(alert))}]},
        ],
    }


def discord(alert: dict, target: str) -> dict:
    """A Discord webhook body: ``content`` plus one embed; mentions are never parsed."""
    fields = [{"name": "Board", "value": alert.get("board") or "every board", "inline": True}]
    fields.append({"name": "First seen", "value": _iso(alert.get("event_date")) or "-", "inline": True})
    if alert.get("confirmed_as_of"):
        fields.append({"name": "Confirmed", "value": _iso(alert["confirmed_as_of"]), "inline": True})
    embed = {
        "title": _cut(alert["title"], _DISCORD_TITLE_MAX),
        "description": _cut(alert["sentence"], _DISCORD_DESCRIPTION_MAX),
        "fields": fields,
    }
    if alert.get("watches"):
        embed["footer"] = {"text": "watch: " + ", ".join(alert["watches"])}
    return {
        "content": _cut(alert["title"], _DISCORD_CONTENT_MAX),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    }


RENDERERS: dict[TargetKind, Callable[[dict, str], dict]] = {
    "json": generic,
    "slack": slack,
    "discord": discord,
}


def render(kind: TargetKind, alert: dict, target: str) -> dict:
    """The body a target of ``kind`` receives for ``alert``."""
    return RENDERERS[kind](alert, target)


def sample_alert(now: datetime) -> dict:
    """The alert ``tracker alerts test`` sends: marked as a test, shaped like a real new #1."""
    return {
        "event_key": f"test-{now:%Y%m%dT%H%M%S}",
        "test": True,
        "kind": "new_leader",
        "title": "Test alert from the leaderboard tracker: New #1 on text/overall (raw)",
        "sentence": "This is a test: example-model is the new #1 on text/overall (raw), taking over from "
        "previous-model; its lead is beyond the confidence intervals.",
        "leaderboard": "LMArena",
        "arena": "text",
        "category": "overall",
        "style_control": False,
        "board": "text/overall (raw)",
        "model": "example-model",
        "display_name": "example-model",
        "other_model": "previous-model",
        "other_display_name": "previous-model",
        "rank_before": 2,
        "rank_after": 1,
        "top_n": None,
        "significant": True,
        "event_date": now.date(),
        "confirmed_as_of": now.date(),
        "watches": ["test"],
        "detected_at": now,
    }
