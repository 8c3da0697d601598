"""Alert configuration: the ``[alerts]`` table of ``tracker.toml`` with its ``[[alerts.watch]]`` watchlists and
``[[alerts.targets]]`` webhooks, read into frozen dataclasses.

It reads the same file as the settings and the poll jobs (``settings.config``, parsed by
``tracker.config.read_config_file``) and owns only the ``alerts`` table of it::

    [alerts]
    persist = 2            # board dates a change must hold before it alerts (default for every watch)
    max_age = "30d"        # events confirmed longer ago than this are not sent ("0" = no limit)

    [[alerts.targets]]
    name = "newsroom"
    kind = "slack"         # json | slack | discord
    url = "https://hooks.slack.com/services/..."

A target's URL may hold credentials (a password, a token in the path or the query) and so may its headers: no
message, log line or stored error shows them (``Target.where``, ``Target.mask``). Targets on link-local and
cloud metadata addresses are refused unless ``allow_link_local_targets = true`` (``addresses.py``).

    [[alerts.watch]]
    name = "mai"
    models = ["mai-1-preview"]
    boards = ["text/overall"]
    events = ["debut", "exit", "rank_move", "top_n_entry", "top_n_exit"]
    top_n = 20

A watch without models or organisations watches whole boards, limited to the top N (see ``rules.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args
from urllib.parse import unquote, urlsplit

import httpx

from tracker import logs
from tracker.alerts.addresses import forbidden_literal
from tracker.boards import (
    DEFAULT_LEADERBOARD,
    canonical_arena,
    canonical_category,
    canonical_leaderboard,
    split_style,
)
from tracker.config import Settings, read_config_file
from tracker.errors import ConfigError, TrackerError

# The kinds of the `events` view (sql/views/0480_events_with.sql); an alert is an event that persisted.
EventKind = Literal[
    "new_leader",
    "top_n_entry",
    "top_n_exit",
    "rank_move",
    "overtake",
    "debut",
    "exit",
    "methodology",
]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
# The body a target receives (tracker.alerts.bodies.RENDERERS): a generic JSON object, Slack's or Discord's.
TargetKind = Literal["json", "slack", "discord"]
TARGET_KINDS: tuple[TargetKind, ...] = get_args(TargetKind)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP token
_HEADER_VALUE = re.compile(r"^[\x20-\x7e]*$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_ALERT_KEYS = {
    "enabled",
    "persist",
    "significant",
    "top_n",
    "min_move",
    "max_age",
    "max_attempts",
    "retry_base",
    "retry_cap",
    "timeout",
    "budget",
    "allow_link_local_targets",
    "watch",
    "targets",
}
_WATCH_KEYS = {
    "name",
    "models",
    "organizations",
    "boards",
    "events",
    "top_n",
    "min_move",
    "persist",
    "significant",
    "targets",
}
_TARGET_KEYS = {"name", "kind", "url", "headers", "timeout"}


@dataclass(frozen=True)
class BoardFilter:
    """``text/overall`` (raw and style-controlled), ``text/overall-no-style-control`` (raw only),
    ``text/*`` or ``text`` (every text category): LMArena's boards. Another leaderboard's are named after a
    colon: ``Artificial Analysis: text_to_speech/overall``, ``aa: text_to_speech``, ``aa: *`` (every board of
    it). ``*`` is every board of every leaderboard. None in a field means "any"."""

    leaderboard: str | None
    arena: str | None
    category: str | None
    style_control: bool | None


@dataclass(frozen=True)
class Target:
    name: str
    kind: TargetKind
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    timeout: float = 10.0

    @property
    def where(self) -> str:
        """The URL's scheme, host and port only, for messages and logs: no user or password, and no path or
        query (webhook paths and queries carry the secret token)."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        port = f":{parts.port}" if parts.port is not None else ""
        return f"{parts.scheme}://{host}{port}/..."

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never be shown: the URL (as a whole, its path and query, each query value, its user and
        password, as written and decoded) and every header value (and its token after a scheme such as
        ``Bearer``)."""
        parts = urlsplit(self.url)
        found = [self.url, parts.path if parts.path not in ("", "/") else "", parts.query]
        found += [parts.username or "", parts.password or ""]
        found += [value for pair in parts.query.split("&") for value in pair.split("=", 1)[1:]]
        for _, value in self.headers:
            found += [value, *value.split()[1:]]  # "Bearer abc": the token alone too, not the word Bearer
        found += [unquote(s) for s in found]
        return tuple(sorted({s for s in found if s}, key=len, reverse=True))

    def mask(self, text: str) -> str:
        """``text`` (an error, an answer's body) with the URL shown as ``where`` and every secret masked as
        the poller's logs mask theirs (``tracker.logs.redact``)."""
        return logs.redact(text.replace(self.url, self.where), self.secrets)


@dataclass(frozen=True)
class Watch:
    name: str
    models: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()  # normalised: lower case, letters and digits only
    boards: tuple[BoardFilter, ...] = ()  # empty: every board
    events: tuple[EventKind, ...] = EVENT_KINDS
    top_n: int = 10
    min_move: int = 5
    persist: int = 2
    significant: bool = True
    targets: tuple[str, ...] = ()  # target names; empty: every target

    @property
    def board_wide(self) -> bool:
        return not self.models and not self.organizations


@dataclass(frozen=True)
class AlertsConfig:
    watches: tuple[Watch, ...] = ()
    targets: tuple[Target, ...] = ()
    enabled: bool = True
    max_age: float = 30 * 86400.0  # seconds; 0 = no limit
    max_attempts: int = 8
    retry_base: float = 60.0
    retry_cap: float = 6 * 3600.0
    budget: float = 60.0  # seconds one delivery round may spend sending
    allow_link_local_targets: bool = False  # targets on link-local and metadata addresses (169.254.169.254)
    source: Path | None = None

    def target(self, name: str) -> Target:
        for target in self.targets:
            if target.name == name:
                return target
        known = ", ".join(t.name for t in self.targets) or "none"
        raise ConfigError(
            f"no alert target named {name!r} in {self.source or 'tracker.toml'}; known targets: {known}. "
            "Add it as an [[alerts.targets]] table.",
            target=name,
        )

    def routes(self) -> list[tuple[str, str]]:
        """(watch, target) pairs: where each watch's alerts go."""
        every = tuple(t.name for t in self.targets)
        return [(w.name, t) for w in self.watches for t in (w.targets or every)]


def normalise_org(name: str) -> str:
    """``Microsoft AI``, ``microsoft-ai`` and ``microsoft_ai`` are one organisation here."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def parse_board(spec: str, where: str) -> BoardFilter:
    text = spec.strip().strip("/")
    if not text or text == "*":
        return BoardFilter(None, None, None, None)
    named, colon, rest = text.partition(":")
    leaderboard = canonical_leaderboard(named) if colon else DEFAULT_LEADERBOARD
    text = rest.strip().strip("/") if colon else text
    if not leaderboard:
        raise ConfigError(f"{where}: board {spec!r} names no leaderboard before its colon")
    if not text or text == "*":
        return BoardFilter(leaderboard, None, None, None)
    arena_part, _, category_part = text.partition("/")
    try:
        arena = canonical_arena(arena_part, origin=where)
        category, style = split_style(category_part) if category_part else ("", None)
        category = canonical_category(category, origin=where) if category not in ("", "*") else None
    except TrackerError as exc:
        raise ConfigError(f"{where}: board {spec!r} is not arena[/category]: {exc}") from None
    return BoardFilter(leaderboard, arena, category, style)


def parse_duration(value: object, where: str) -> float:
    """Seconds from a number or a string such as ``"90s"``, ``"15m"``, ``"6h"``, ``"30d"``."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match:
        raise ConfigError(
            f'{where}: {value!r} is not a duration; use seconds or e.g. "90s", "15m", "6h", "30d"'
        )
    return float(match.group(1)) * _UNITS[match.group(2)]


def _int(table: dict, key: str, default: int, where: str, minimum: int = 1) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{where}: {key} = {value!r} must be a whole number >= {minimum}")
    return value


def _bool(table: dict, key: str, default: bool, where: str) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {key} = {value!r} must be true or false")
    return value


def _strings(table: dict, key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: {key} must be a list of non-empty strings")
    return tuple(value)


def _check_keys(table: object, known: set[str], where: str) -> dict:
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = set(table) - known
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
        )
    return table


def _name(table: dict, where: str) -> str:
    name = table.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{where} needs a name of letters, digits, '-', '_' or '.'")
    return name


def _target(
    table: object, index: int, where: str, default_timeout: float, *, allow_link_local: bool = False
) -> Target:
    here = f"{where} [[alerts.targets]] #{index}"
    table = _check_keys(table, _TARGET_KEYS, here)
    name = _name(table, here)
    here = f"{where} [[alerts.targets]] {name!r}"
    kind = table.get("kind", "json")
    if kind not in TARGET_KINDS:
        raise ConfigError(f"{here}: kind = {kind!r}; use one of {', '.join(TARGET_KINDS)}")
    url = table.get("url")
    # the URL and header values are never quoted in these messages: they may hold the target's secrets
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ConfigError(f"{here}: url must be an http(s) URL (the webhook address)")
    try:
        host = httpx.URL(url).host
        urlsplit(url).port  # noqa: B018 - a port that is not a number raises here
    except (httpx.InvalidURL, ValueError):
        host = ""
    if not host:
        raise ConfigError(f"{here}: url is not a valid http(s) URL (check its host and port)")
    if not allow_link_local and forbidden_literal(host):
        raise ConfigError(
            f"{here}: url points at {forbidden_literal(host)}; refused. If this is really your receiver, set "
            "allow_link_local_targets = true in [alerts]"
        )
    headers = table.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise ConfigError(
            f'{here}: headers must be a table of strings, e.g. {{ Authorization = "Bearer ..." }}'
        )
    for key, value in headers.items():
        if not _HEADER_NAME.match(key) or not _HEADER_VALUE.match(value):
            raise ConfigError(
                f"{here}: header {logs.printable(key)!r} has a name or value HTTP cannot carry (a header value is "
                "printable ASCII text on one line)"
            )
    timeout = parse_duration(table.get("timeout", default_timeout), f"{here} timeout")
    return Target(name, kind, url, tuple(sorted(headers.items())), timeout or default_timeout)


def _watch(table: object, index: int, defaults: dict, where: str) -> Watch:
    here = f"{where} [[alerts.watch]] #{index}"
    table = _check_keys(table, _WATCH_KEYS, here)
    name = _name(table, here)
    here = f"{where} [[alerts.watch]] {name!r}"
    events = _strings(table, "events", here) if "events" in table else EVENT_KINDS
    unknown = [e for e in events if e not in EVENT_KINDS]
    if unknown or not events:
        raise ConfigError(
            f"{here}: unknown event kind(s) {unknown or '(none given)'}; use {', '.join(EVENT_KINDS)}"
        )
    merged = {**defaults, **table}
    return Watch(
        name=name,
        models=tuple(m.strip().lower() for m in _strings(table, "models", here)),
        organizations=tuple(normalise_org(o) for o in _strings(table, "organizations", here)),
        boards=tuple(parse_board(b, here) for b in _strings(table, "boards", here)),
        events=tuple(dict.fromkeys(events)),
        top_n=_int(merged, "top_n", 10, here),
        min_move=_int(merged, "min_move", 5, here),
        persist=_int(merged, "persist", 2, here),
        significant=_bool(merged, "significant", True, here),
        targets=_strings(table, "targets", here),
    )


def parse_alerts(doc: dict, source: Path | None = None) -> AlertsConfig:
    """The ``[alerts]`` table of a parsed tracker.toml; ``AlertsConfig()`` (nothing watched) without one."""
    where = str(source or "tracker.toml")
    table = _check_keys(doc.get("alerts", {}), _ALERT_KEYS, f"{where} [alerts]")
    here = f"{where} [alerts]"
    defaults = {k: table[k] for k in ("persist", "significant", "top_n", "min_move") if k in table}
    for key in ("persist", "top_n", "min_move"):
        _int(defaults, key, 1, here)
    _bool(defaults, "significant", True, here)
    for key in ("watch", "targets"):
        if not isinstance(table.get(key, []), list):
            raise ConfigError(f"{where}: alerts.{key} must be an array of tables ([[alerts.{key}]])")
    timeout = parse_duration(table.get("timeout", "10s"), f"{where} [alerts] timeout") or 10.0
    allow = _bool(table, "allow_link_local_targets", False, here)
    targets = tuple(
        _target(t, i, where, timeout, allow_link_local=allow)
        for i, t in enumerate(table.get("targets", []), start=1)
    )
    watches = tuple(_watch(t, i, defaults, where) for i, t in enumerate(table.get("watch", []), start=1))
    for label, names in (("target", [t.name for t in targets]), ("watch", [w.name for w in watches])):
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ConfigError(f"{where}: {label} name(s) {', '.join(duplicates)} defined twice")
    known = {t.name for t in targets}
    for watch in watches:
        missing = [t for t in watch.targets if t not in known]
        if missing:
            raise ConfigError(
                f"{where} [[alerts.watch]] {watch.name!r}: unknown target(s) {', '.join(missing)}; "
                f"known: {', '.join(sorted(known)) or 'none (add [[alerts.targets]])'}"
            )
    return AlertsConfig(
        watches=watches,
        targets=targets,
        enabled=_bool(table, "enabled", True, here),
        max_age=parse_duration(table.get("max_age", "30d"), f"{here} max_age"),
        max_attempts=_int(table, "max_attempts", 8, here),
        retry_base=parse_duration(table.get("retry_base", "1m"), f"{here} retry_base"),
        retry_cap=parse_duration(table.get("retry_cap", "6h"), f"{here} retry_cap"),
        budget=parse_duration(table.get("budget", "60s"), f"{here} budget"),
        allow_link_local_targets=allow,
        source=source,
    )


def load_alerts(settings: Settings) -> AlertsConfig:
    """The alert configuration of ``settings.config`` (tracker.toml); empty when there is no file."""
    return parse_alerts(read_config_file(settings.config), settings.config)
