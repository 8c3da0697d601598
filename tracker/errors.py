"""The tracker's exceptions: every expected failure is a ``TrackerError`` with fields.

    TrackerError                      base; ``message`` says what failed and what to do next
    ├── ConfigError                   a setting or config file is invalid
    ├── SourceError                   an upstream payload cannot be used
    │   ├── UnknownFormatError        no parser recognises the payload
    │   ├── ParseError                a recognised payload is malformed (names origin, row, field)
    │   ├── ValidationError           parsed rows break an invariant (names origin, row, field)
    │   ├── SanityError               a board shrank implausibly versus its previous snapshot
    │   │   └── EmptyBoardError       a payload lists no models (an emptied feed): never an empty board
    │   └── UnsafeFormatError         a format the tracker refuses to load (pickles)
    ├── FetchError                    HTTP failed after retries (names URL and status)
    ├── StoreError                    the database cannot be opened or written
    │   └── WriterBusyError           another writer holds the database (names its process)
    └── QueryError                    a user query was refused or failed

The CLI prints ``str(error)`` and exits 1; anything that is not a TrackerError keeps its traceback.
"""

from __future__ import annotations


class TrackerError(Exception):
    """Base of every expected failure."""

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        return self.message


class ConfigError(TrackerError):
    pass


class SourceError(TrackerError):
    pass


class UnknownFormatError(SourceError):
    pass


def _locate(origin: str, row: int | None, field: str | None) -> str:
    where = origin
    if row is not None:
        where += f", row {row}"
    if field is not None:
        where += f", field '{field}'"
    return where


class ParseError(SourceError):
    def __init__(self, origin: str, detail: str, *, row: int | None = None, field: str | None = None) -> None:
        super().__init__(
            f"cannot parse {_locate(origin, row, field)}: {detail}",
            origin=origin,
            row=row,
            field=field,
            detail=detail,
        )
        self.origin, self.row, self.field, self.detail = origin, row, field, detail


class ValidationError(SourceError):
    def __init__(self, origin: str, detail: str, *, row: int | None = None, field: str | None = None) -> None:
        super().__init__(
            f"invalid data in {_locate(origin, row, field)}: {detail}",
            origin=origin,
            row=row,
            field=field,
            detail=detail,
        )
        self.origin, self.row, self.field, self.detail = origin, row, field, detail


def rows_later(exc: ParseError | ValidationError, rows: int) -> ParseError | ValidationError:
    """The same error with its row ``rows`` further into the payload: raised by a part of it read after
    that many rows (``Format.parse_parts``)."""
    if exc.row is None or not rows:
        return exc
    return type(exc)(exc.origin, exc.detail, row=exc.row + rows, field=exc.field)


class SanityError(SourceError):
    pass


class EmptyBoardError(SanityError):
    pass


class UnsafeFormatError(SourceError):
    pass


class FetchError(TrackerError):
    pass


class StoreError(TrackerError):
    pass


class WriterBusyError(StoreError):
    pass


class QueryError(TrackerError):
    pass
