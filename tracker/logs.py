"""Log lines of the poller: one line per job run and scheduler events, plus one detail line per fetch (job,
source, board, outcome, HTTP status, bytes, ms); human-readable by default, one JSON object per line with
``--log-json``. The per-fetch detail lines reach a human terminal only with ``--verbose``; the JSON log always
carries them.

Credentials never reach a log line: ``user:password@`` in URLs and the values of token-like query parameters
(``token``, ``key``, ``signature``, ...) are masked in every message and field, and request headers are never
logged. ``redact`` is that masking; the alert deliveries use it too, with the secrets of a webhook target
(its header values, its URL's password and path) as ``secrets``. Nor do control characters: a log line
goes to a terminal, so C0 and C1 controls other than newline and tab are taken out (``printable``).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import quote

LOGGER_NAME = "tracker"
_HANDLER_FLAG = "_tracker_handler"

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s:@]+(?::[^/\s@]*)?@")
_SECRET_PARAM = re.compile(
    r"(?P<name>[?&;](?:[A-Za-z0-9_.-]*?)(?:token|key|secret|signature|sig|password|passwd|pwd|auth|"
    r"credential|session|code)[A-Za-z0-9_.-]*=)[^&#\s]*",
    re.IGNORECASE,
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")


# a secret shorter than this is masked only where the patterns above find it (in a URL, after "Bearer"):
# masking every "pw" or "42" in a message would make it unreadable
MIN_SECRET_LENGTH = 4
MASK = "***"
# C0 and C1 control characters and DEL (ESC starts a terminal escape sequence), newline and tab excepted;
# a character class both Python's re and polars' (Rust) regex read the same way
CONTROL_CHARACTERS = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"
_CONTROLS = re.compile(CONTROL_CHARACTERS)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with credentials in URLs, token-like query values and bearer tokens replaced by ``***``; and
    every occurrence of each of ``secrets`` (a header value, a password) of at least MIN_SECRET_LENGTH
    characters, as written or percent-encoded."""
    text = _USERINFO.sub(rf"\g<scheme>{MASK}@", text)
    text = _SECRET_PARAM.sub(rf"\g<name>{MASK}", text)
    text = _BEARER.sub(rf"\1 {MASK}", text)
    forms = {
        form for s in secrets if len(s) >= MIN_SECRET_LENGTH for form in (s, quote(s, safe=""), quote(s))
    }
    for form in sorted(forms, key=len, reverse=True):  # a longer secret holding a shorter one goes first
        text = text.replace(form, MASK)
    return text


def printable(text: str, replacement: str = "") -> str:
    """``text`` without control characters (newline and tab stay): each becomes ``replacement``."""
    return _CONTROLS.sub(replacement, text)


def logger() -> logging.Logger:
    return logging.getLogger(LOGGER_NAME)


class HumanFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        return printable(redact(f"{at} {record.levelname.lower():7} {record.getMessage()}"))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None) or {}
        doc = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", "message"),
            **{k: redact(v) if isinstance(v, str) else v for k, v in fields.items()},
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            doc["traceback"] = redact(self.formatException(record.exc_info))
        return printable(json.dumps(doc, default=str, ensure_ascii=False))  # JSON keeps C1 characters raw


class _Quiet(logging.Filter):
    """Drops the per-fetch detail lines and any event named in ``omit`` (a human terminal without
    ``--verbose``)."""

    def __init__(self, *, detail: bool, omit: tuple[str, ...]) -> None:
        super().__init__()
        self.detail, self.omit = detail, omit

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "event", None) in self.omit:
            return False
        return self.detail or not getattr(record, "detail", False)


def configure(
    *,
    json_lines: bool = False,
    stream: TextIO | None = None,
    level: int = logging.INFO,
    verbose: bool = False,
    omit: tuple[str, ...] = (),
) -> None:
    """Send the tracker's log lines to ``stream`` (stderr by default); calling again replaces the handler.
    Human lines leave out the per-fetch detail unless ``verbose``; JSON lines keep it. ``omit`` names events
    left out of human lines (``tracker poll`` prints its own job lines on stdout)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else HumanFormatter())
    if not json_lines:
        handler.addFilter(_Quiet(detail=verbose, omit=omit))
    setattr(handler, _HANDLER_FLAG, True)
    # APScheduler's warnings (a run missed by more than the grace time, ...) go out in the same format; its
    # INFO lines ("Added job ...") duplicate ours.
    for log, log_level in ((logger(), level), (logging.getLogger("apscheduler"), logging.WARNING)):
        for old in list(log.handlers):
            if getattr(old, _HANDLER_FLAG, False):
                log.removeHandler(old)
        log.addHandler(handler)
        log.setLevel(log_level)
        log.propagate = False


def event(
    name: str,
    message: str,
    *,
    level: int = logging.INFO,
    exc_info: bool = False,
    detail: bool = False,
    **fields,
) -> None:
    """One structured log line: ``name`` is the event kind in JSON, ``fields`` its values. A ``detail`` line
    (one per fetch) reaches a human terminal only with ``--verbose``."""
    logger().log(level, message, extra={"event": name, "fields": fields, "detail": detail}, exc_info=exc_info)


def fetch_line(
    *,
    job: str,
    source: str | None,
    board: str,
    url: str,
    outcome: str,
    http_status: int | None,
    size_bytes: int | None,
    duration_ms: float | None,
    snapshots_new: int = 0,
    error: str | None = None,
) -> None:
    """The one detail line logged per fetch (or per URL skipped because its host is paused: outcome
    ``skipped``)."""
    parts = ["fetch", job, source or "-", board, outcome]
    if outcome != "skipped":  # not requested: no status, bytes or time
        parts += [
            f"HTTP {http_status}" if http_status is not None else "HTTP -",
            f"{size_bytes} B" if size_bytes is not None else "- B",
            f"{duration_ms:.0f} ms" if duration_ms is not None else "- ms",
        ]
    if snapshots_new:
        parts.append(f"+{snapshots_new} snapshot(s)")
    message = " ".join(parts)
    if error:
        message += f": {error}"
    event(
        "fetch",
        message,
        level=logging.INFO if outcome in ("new", "unchanged", "not_modified", "skipped") else logging.WARNING,
        detail=True,
        job=job,
        source=source,
        board=board,
        url=url,
        outcome=outcome,
        http_status=http_status,
        bytes=size_bytes,
        ms=None if duration_ms is None else round(duration_ms, 1),
        snapshots_new=snapshots_new,
        error=error,
    )
