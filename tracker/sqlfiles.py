"""Access to the SQL text in ``sql/`` (the repository folder, or ``tracker/_sql`` in an installed wheel).

Every statement the tracker runs lives in a ``.sql`` file; Python only binds parameters.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_CANDIDATES = (Path(__file__).resolve().parent.parent / "sql", Path(__file__).resolve().parent / "_sql")


@cache
def sql_root() -> Path:
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no sql/ folder found in {[str(c) for c in _CANDIDATES]}")


@cache
def sql(path: str) -> str:
    """The text of one file by its full path under ``sql/``, e.g. ``sql("load/insert_fetch.sql")``: every
    caller names the file as it is named on disk, so a search for the path finds them all."""
    if not path.endswith(".sql") or path.startswith("/") or ".." in path.split("/"):
        raise ValueError(
            f"sql() takes a .sql file's path under sql/, e.g. 'load/insert_fetch.sql', not {path!r}"
        )
    return (sql_root() / path).read_text(encoding="utf-8")


def sql_files(folder: str) -> list[Path]:
    """The ``.sql`` files of one folder, in name order (migrations and views apply in that order)."""
    return sorted((sql_root() / folder).glob("*.sql"))


@cache
def fingerprint(folders: tuple[str, ...]) -> str:
    """A hash of every ``.sql`` file of ``folders`` (names and bytes): whether objects built from them are
    current. Files are read once per process, as ``sql`` reads them."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sql_files(folder):
            digest.update(f"{folder}/{path.name}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
