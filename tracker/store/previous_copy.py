"""The read copy before the current one, kept so that an incremental publish can update it in place rather
than copy the whole current one.

A publish swaps its new read copy in with ``os.replace``; the copy it replaces stays as
``tracker.read.duckdb.prev``, a second name of the same file (a hard link: keeping it copies nothing). The
next incremental publish renames it to its temporary file and brings it up to date: the changes of two
publishes instead of one, but no copy of the whole file, and the checkpoint that ends the update writes only
the blocks that changed. At 10x history, copying the read copy and syncing the copy had been most of a
publish after one page (BENCHMARKS.md, Findings). The cost is disk: the data folder holds two read copies.

The previous copy was the read copy until the last publish, so a reader may still have it open, and a
reader must never see a file change under it. So it is reused only when no process holds it open under any
name (``held_open``: every process's open files, ``/proc/<pid>/fd``); DuckDB's lock is not enough on its own.
A read-only connection holds a POSIX lock on its file, and POSIX drops all of a process's locks on a file when
any of its descriptors to that file closes: a reader that opened the copy twice (``tracker.read`` attaches
each connection in an instance of its own) and closed one connection reads on without a lock, and an ATTACH
that would write the file succeeds (``test_a_previous_copy_a_reader_of_another_process_holds_is_copied_not_changed``).
A reader whose open files this process cannot see (another user's, or one in another container sharing the
folder) is refused by DuckDB's lock alone, and where ``/proc`` does not exist the previous copy is never
reused. (The ``No more data remaining in MetadataReader`` CI met twice with a reader opening a connection
every 20 ms comes from elsewhere, any swap of the read copy: ``tracker.read.connection.OPEN_ATTEMPTS``.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import duckdb

SUFFIX = ".prev"
_PROCESSES = Path("/proc")


def path_of(target: Path) -> Path:
    """The previous copy of the read copy at ``target``."""
    return target.with_name(target.name + SUFFIX)


def take(target: Path, tmp: Path, *, max_bytes: float) -> bool:
    """Move the previous copy of ``target`` to ``tmp``, unless it is missing, larger than ``max_bytes``
    (grown by incremental publishes: a full publish compacts it), or open in any process. Whether it did."""
    previous = path_of(target)
    try:
        if previous.stat().st_size > max_bytes:
            return False
        # renamed first: under its temporary name no reader can open it, so none can come after the look
        os.replace(previous, tmp)
    except OSError:  # none kept (a first publish, links not supported), or the folder refused the rename
        return False
    if held_open(tmp):
        tmp.unlink()  # its reader keeps reading its file: only the name goes
        return False
    return True


def attach_copy(
    con: duckdb.DuckDBPyConnection, target: Path, tmp: Path, attach: str, *, max_bytes: float
) -> bool:
    """Run ``attach`` (which attaches ``tmp`` as the copy an incremental publish updates) on the previous read
    copy when no reader holds it and it is at most ``max_bytes``, else on a copy of the current one (``target``).
    Whether it is the previous copy."""
    if take(target, tmp, max_bytes=max_bytes):
        try:
            con.execute(attach)
            return True
        except duckdb.IOException as exc:
            tmp.unlink(missing_ok=True)  # a reader elsewhere keeps reading its file: only the name goes
            if not lock_held(exc):
                raise
    shutil.copyfile(target, tmp)
    try:
        con.execute(attach)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return False


def keep(current: Path) -> None:
    """Just before ``current`` is replaced by a new read copy: keep it as the previous copy (replacing the
    one before). None is kept where the file system has no hard links, or where this process's open files
    cannot be looked up (it could never be reused there): publishes then copy as before."""
    if not current.exists() or not _can_look():
        return
    # named like a publish's temporary file, so a publish sweeps it up if a crash leaves it behind
    link = current.with_name(current.name + ".tmp-prev")
    link.unlink(missing_ok=True)
    try:
        os.link(current, link)
        os.replace(link, path_of(current))
    except OSError:
        link.unlink(missing_ok=True)


def lock_held(exc: duckdb.Error) -> bool:
    """Whether ``exc`` is DuckDB refusing a file another process holds open."""
    return isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)


def held_open(path: Path) -> bool:
    """Whether any process holds ``path``'s file open, under any name, as far as this process may look (its
    own user's processes; DuckDB's lock covers the others'); True when it cannot tell (no ``/proc``)."""
    if not _can_look():
        return True
    wanted = path.stat()
    for pid in os.listdir(_PROCESSES):
        if not pid.isdigit():
            continue
        try:
            descriptors = os.listdir(_PROCESSES / pid / "fd")
        except OSError:  # the process ended, or another user's
            continue
        for fd in descriptors:
            with contextlib.suppress(OSError):  # a descriptor closed since the listing
                held = os.stat(_PROCESSES / pid / "fd" / fd)
                if (held.st_dev, held.st_ino) == (wanted.st_dev, wanted.st_ino):
                    return True
    return False


def _can_look() -> bool:
    return (_PROCESSES / "self" / "fd").is_dir()
