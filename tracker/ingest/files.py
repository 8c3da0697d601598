"""Import local copies: walk files and folders, send each file through the pipeline, summarise.

Files are read in a stable order (sorted paths) so an import is reproducible; a folder walk skips files
that are not a leaderboard format (READMEs, indexes) and reports them, while a file named explicitly
must be readable.

Only regular files are read, and none larger than the ``max_import_bytes`` setting. A path named on the
command line that is anything else (a named pipe, a device such as /dev/zero, a socket, a loop of symbolic
links) is refused with one line before the writer lock is taken and before anything is read; a folder walk
does not follow symbolic links to folders (a link loop cannot trap it) and passes over entries that are not
regular files. Reading checks again on the open file (it may have been swapped since) and never reads more
than the cap and one byte.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from tracker import frames, sources, store
from tracker.config import Settings
from tracker.errors import TrackerError, UnknownFormatError
from tracker.ingest import pipeline
from tracker.sqlfiles import sql

SKIP_SUFFIXES = {".md", ".txt", ".py", ".lock", ".toml", ".yml", ".yaml"}
MAX_IMPORT_BYTES = Settings.max_import_bytes
_ONLY_FILES = "tracker import reads only regular files and folders of them"
_SLICE = 1 << 24  # bytes read at a time once a file is past the size it had when opened


@dataclass(frozen=True)
class ImportItem:
    path: Path
    explicit: bool  # named on the command line, not found by walking a folder


def _what(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _stat(path: Path) -> os.stat_result:
    """``path``'s status, following symbolic links; a clear TrackerError when there is none."""
    try:
        return path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise TrackerError(f"{path}: a symbolic link to nothing; {_ONLY_FILES}", path=str(path)) from None
        raise TrackerError(f"{path}: no such file or folder", path=str(path)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise TrackerError(
                f"{path}: a loop of symbolic links (each points on to the next); {_ONLY_FILES}",
                path=str(path),
            ) from None
        raise TrackerError(f"{path}: {exc.strerror or exc}", path=str(path)) from None


def _refuse_special(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise TrackerError(f"{path} is {_what(mode)}, not a regular file; {_ONLY_FILES}", path=str(path))


def _check_size(path: Path, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise TrackerError(
            f"{path} is larger than max_import_bytes ({max_bytes:,} bytes); refused. Raise that setting "
            "(TRACKER_MAX_IMPORT_BYTES or [settings] in tracker.toml) to import it.",
            path=str(path),
            size=size,
        )


def collect(paths: Iterable[Path], *, max_bytes: int = MAX_IMPORT_BYTES) -> list[ImportItem]:
    """The files an import reads, in order; raises TrackerError for a path that is not a regular file or a
    folder, or for any file larger than ``max_bytes``."""
    items: list[ImportItem] = []
    for path in paths:
        status = _stat(path)
        if stat.S_ISDIR(status.st_mode):
            items += _walk(path, max_bytes)
        else:
            _refuse_special(path, status.st_mode)
            _check_size(path, status.st_size, max_bytes)
            items.append(ImportItem(path, True))
    return items


def _walk(folder: Path, max_bytes: int) -> list[ImportItem]:
    """The regular files under ``folder`` (rglob follows no symbolic link to a folder)."""
    items = []
    for p in sorted(folder.rglob("*")):
        if p.suffix.lower() in SKIP_SUFFIXES or p.name.startswith("."):
            continue
        try:
            status = p.stat()
        except OSError:  # a dangling link or a link loop inside the folder: nothing to read
            continue
        if stat.S_ISREG(status.st_mode):
            _check_size(p, status.st_size, max_bytes)
            items.append(ImportItem(p, False))
    return items


def read_file(path: Path, max_bytes: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes``: checked on the open file, so a file
    swapped for a pipe or a device since it was collected is refused, not read (and not waited on)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise TrackerError(f"{path}: {exc.strerror or exc}", path=str(path)) from None
    with open(fd, "rb", buffering=0) as handle:
        status = os.fstat(fd)
        _refuse_special(path, status.st_mode)
        # the size it has, and one byte to see whether it grew; then on, in slices, never past the cap
        parts, total, want = [], 0, min(status.st_size, max_bytes) + 1
        while total <= max_bytes:
            part = handle.read(min(want, max_bytes + 1 - total))
            if not part:
                break
            parts.append(part)
            total += len(part)
            want = _SLICE
    _check_size(path, total, max_bytes)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def new_by_board(con, since: datetime) -> pl.DataFrame:
    """Snapshots stored since ``since`` (one import's additions), counted per source and board."""
    return frames.to_polars(con.sql(sql("read/archive_new_snapshots.sql"), params={"since": since}))


def import_paths(
    w: store.Writer,
    paths: Iterable[Path],
    *,
    on_item: Callable[[ImportItem, pipeline.IngestResult | None], None] | None = None,
    on_start: Callable[[ImportItem], None] | None = None,
    job: str = "import",
    hints: dict | None = None,
    source: str | None = None,
) -> tuple[list[pipeline.IngestResult], list[Path]]:
    """Ingest every file; returns the results and the files skipped as not-a-leaderboard-format.

    ``hints`` (e.g. ``{"config": "text"}`` from ``--config``) apply to every file and override what its
    location says; they are kept in the stored origin (``path#config=text``) so a reparse reads the
    file the same way. ``source`` (``--source``) names the format of every file, a built-in one or a
    source declared in tracker.toml; a file found in a folder that does not look like it is skipped.
    ``on_start`` is called as each file is begun, ``on_item`` when it is done (its result; None: skipped).
    """
    results, skipped = [], []
    if source is not None:
        sources.by_name(source, w.settings.declared_sources)  # an unknown name: refused before any file
    items = collect(paths, max_bytes=w.settings.max_import_bytes)
    with store.deferred_checkpoints(w):
        for item in items:
            if on_start:
                on_start(item)
            _import_one(w, item, results, skipped, on_item=on_item, job=job, hints=hints, source=source)
    return results, skipped


def _import_one(
    w, item: ImportItem, results: list, skipped: list, *, on_item, job: str, hints, source: str | None
) -> None:
    body = read_file(item.path, w.settings.max_import_bytes)
    origin = sources.origin_with_hints(str(item.path), hints or {})
    hints_here = {**sources.hints_for_path(item.path), **(hints or {})}
    if not item.explicit:
        source = _claimed(body, origin, hints_here, source, w.settings.declared_sources)
        if source is None:
            skipped.append(item.path)
            if on_item:
                on_item(item, None)
            return
    result = pipeline.ingest(
        w,
        pipeline.Payload(body, origin, pipeline.utc_now(), source=source, hints=hints_here),
        job=job,
    )
    results.append(result)
    if on_item:
        on_item(item, result)


def _claimed(body: bytes, origin: str, hints: dict, source: str | None, declarations) -> str | None:
    """The source of a file found by walking a folder: the named one when its format recognises the bytes,
    else (none named) the detected one; None when the file is neither (it is skipped)."""
    if source is not None:
        return source if sources.by_name(source, declarations).sniff(body, origin) else None
    try:
        return sources.detect(body, origin, hints=hints).source
    except UnknownFormatError:
        return None
