"""Raw payload bodies as files: ``$TRACKER_HOME/payloads/<hh>/<sha256>.<compression>``, one per distinct
payload, written once and never changed (the name is the hash of the uncompressed bytes).

Where it sits: in the store's raw-payload bookkeeping (``tracker.store.load.save_raw``, ``read_raw``); the
``raw_payloads`` table keeps each payload's hash, origin, size, compression and status. Bodies lived in that
table's ``body`` column before; DuckDB then rewrote every stored body at each checkpoint after one was
added (seconds and gigabytes at large histories, and a fatal out-of-memory under a memory cap), so they moved out (``move_bodies_out`` empties the column of a database from before).

A file is written to a temporary name and renamed into place before its row is inserted, so a row always
has its file; a transaction rolled back after the rename leaves a file that the next save of the same bytes
reuses.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import duckdb

from tracker.errors import StoreError
from tracker.sqlfiles import sql

FOLDER = "payloads"


def folder(home: Path) -> Path:
    return Path(home) / FOLDER


def is_hash(payload_hash: str) -> bool:
    return len(payload_hash) == 64 and all(c in "0123456789abcdef" for c in payload_hash)


def path_for(home: Path, payload_hash: str, compression: str) -> Path:
    if not is_hash(payload_hash):  # the name becomes a path: nothing but a sha256 in hex
        raise StoreError(f"{payload_hash!r} is not a payload hash (64 hex digits)")
    return folder(home) / payload_hash[:2] / f"{payload_hash}.{compression}"


def compress(body: bytes) -> tuple[str, bytes]:
    """Compress text-like payloads; already-compressed formats (Parquet, gzip) are kept as they are."""
    if body[:4] == b"PAR1" or body[:2] == b"\x1f\x8b":
        return "none", body
    return "zlib", zlib.compress(body, 6)


def decompress(compression: str, body: bytes) -> bytes:
    return zlib.decompress(body) if compression == "zlib" else body


def write(home: Path, payload_hash: str, compression: str, stored: bytes) -> Path:
    """Put one payload's (compressed) bytes in place, atomically; an existing file is kept as it is."""
    target = path_for(home, payload_hash, compression)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
    with open(tmp, "wb") as handle:
        handle.write(stored)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    return target


def read(home: Path, payload_hash: str, compression: str) -> bytes:
    """One payload's uncompressed bytes."""
    target = path_for(home, payload_hash, compression)
    try:
        return decompress(compression, target.read_bytes())
    except FileNotFoundError:
        raise StoreError(
            f"the raw payload {payload_hash} is missing from {target.parent}; restore the folder "
            f"{folder(home)} from a backup (a reparse needs every payload)",
            path=str(target),
        ) from None


def bodies_in_table(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The payloads whose bytes are still in ``raw_payloads.body`` (a database from before payload files),
    those named by a sha256 (``is_hash``: only such a name becomes a file)."""
    return [row[0] for row in con.execute(sql("load/payloads_with_bodies.sql")).fetchall() if is_hash(row[0])]


def move_bodies_out(con: duckdb.DuckDBPyConnection, home: Path, hashes: list[str]) -> None:
    """Write the bodies of ``hashes`` (``bodies_in_table``) to their files, then empty the column for them
    (one statement). One payload at a time, so memory stays that of the largest."""
    for payload_hash in hashes:
        compression, stored = con.execute(
            sql("read/raw_payload_body.sql"), {"payload_hash": payload_hash}
        ).fetchall()[0]
        write(home, payload_hash, compression, stored)
    con.execute(sql("load/empty_payload_bodies.sql"), {"hashes": hashes})
