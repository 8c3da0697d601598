"""The contract of an upstream format: ``Format`` names every hook the registry (``tracker.sources``), the
ingest pipeline and the identity catalogue call on one, and ``SourceFormat`` is the frozen dataclass each
``tracker/sources/<format>.py`` declares as its ``FORMAT`` from its own functions.

A format gives ``source``, ``sniff`` and ``parse``; the other hooks are optional, and a ``SourceFormat``
that is not given one does nothing there: no hints from a path, no refusal, its own source name, no
identity rows, ``parse``'s frame as one part. Parsing stays pure (bytes in, frame out); nothing here imports a later stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import polars as pl


class Parser(Protocol):
    """``parse`` and ``parse_identity``: bytes, where they came from, when, and what the location says."""

    def __call__(
        self, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
    ) -> pl.DataFrame: ...


class PartsParser(Protocol):
    """``parse_parts``: ``parse``'s rows in parts, each with the count of the payload's rows before it."""

    def __call__(
        self, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
    ) -> Iterator[tuple[int, pl.DataFrame]]: ...


class IdentityParser(Protocol):
    def __call__(
        self, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
    ) -> pl.DataFrame | None: ...


Sniffer = Callable[[bytes, str], bool]  # (body, origin) -> is this format's
PathHints = Callable[[Path], dict]  # path -> what its location says
Refusal = Callable[[bytes, str], str | None]  # (body, origin) -> why it is not read, or None
SourceOf = Callable[[bytes, str], str]  # (body, origin) -> the source its rows are stored under


class Format(Protocol):
    """One upstream format, as the rest of the tracker sees it (``tracker.sources.FORMATS`` lists them)."""

    @property
    def source(self) -> str:
        """The format's name: what ``tracker import --source`` and the poll jobs call it, and the source its
        snapshots are stored under unless ``source_of`` says otherwise."""
        ...

    def sniff(self, body: bytes, origin: str) -> bool:
        """Whether these bytes are this format's, by content (a file name alone never decides). Cheap and
        never raising: ``tracker.sources.detect`` asks every format in turn."""
        ...

    def parse(
        self, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
    ) -> pl.DataFrame:
        """Bytes -> the canonical standings frame (``tracker.parsed``), pure. ``fetched_at`` dates a payload
        that carries no date of its own; ``hints`` are what its location says (``hints_for_path``). Raises
        ``ParseError`` on bytes it recognised but cannot read."""
        ...

    def parse_parts(
        self, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
    ) -> Iterator[tuple[int, pl.DataFrame]]:
        """``parse``'s standings in parts that each hold whole snapshots, each with the number of the
        payload's rows before it (a row an error names in a part is that many rows further in the payload).
        An import reads a large file one part at a time, holding one part in memory, not the whole history;
        a format without parts yields ``parse``'s frame whole, after 0 rows."""
        ...

    def hints_for_path(self, path: Path) -> dict:
        """What a file's location says about its content (a dataset config folder, a commit-dated folder,
        a date in the name); {} when it says nothing this format reads."""
        ...

    def refusal(self, body: bytes, origin: str) -> str | None:
        """Why bytes this format recognises are not read from here (an undated local copy), or None; asked
        only when no format's ``sniff`` claimed them, and the reason becomes the error's message."""
        ...

    def source_of(self, body: bytes, origin: str) -> str:
        """The source a payload's snapshots are stored under: ``source``, unless the payload names the
        upstream its rows came from (the bundled starter history keeps each figure's original source)."""
        ...

    def parse_identity(
        self, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
    ) -> pl.DataFrame | None:
        """The identity sightings a payload carries (keys, display names, organisations, licences; the
        columns of ``tracker.identity.catalogue.SIGHTINGS_SCHEMA``, conformed there), or None when this
        format carries none."""
        ...


def no_hints(path: Path) -> dict:
    return {}


def no_refusal(body: bytes, origin: str) -> str | None:
    return None


def no_identity(body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None) -> None:
    return None


@dataclass(frozen=True)
class SourceFormat:
    """A ``Format`` made of a format module's functions; a hook it is not given does nothing.

    ``upstream`` is the module's ``source_of`` when it has one: the ``source_of`` hook asks it, and
    answers ``source`` without it.
    """

    source: str
    sniff: Sniffer
    parse: Parser
    hints_for_path: PathHints = no_hints
    refusal: Refusal = no_refusal
    parse_identity: IdentityParser = no_identity
    upstream: SourceOf | None = None
    parts: PartsParser | None = None  # the module's parse_parts, when it reads large payloads in parts

    def source_of(self, body: bytes, origin: str) -> str:
        return self.upstream(body, origin) if self.upstream is not None else self.source

    def parse_parts(
        self, body: bytes, origin: str, *, fetched_at: datetime, hints: dict | None = None
    ) -> Iterator[tuple[int, pl.DataFrame]]:
        if self.parts is not None:
            return self.parts(body, origin, fetched_at=fetched_at, hints=hints)
        return iter([(0, self.parse(body, origin, fetched_at=fetched_at, hints=hints))])
