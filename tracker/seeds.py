"""The bundled identity catalogue in ``seeds/`` (``tracker/_seeds`` in a wheel), read for ``identity.refresh``.

Files (CSV, UTF-8, header row; values are data, never code):
- ``organizations.csv``  ``org_key,display_name``: canonical organisations (``microsoft-ai,Microsoft AI``).
- ``org_aliases.csv``    ``alias,org_key``: other spellings (``deepseek ai,deepseek``, ``z.ai,zhipu``).
- ``models.csv``         ``model_key,display_name,org_key,family``: curated models; ``family`` groups
  variants that stay separate models (``claude-opus-4-1`` and ``claude-opus-4-1-thinking-16k``).
- ``model_aliases.csv``  ``alias,model_key,kind,note``: renames (``gpt-4,gpt-4-0314,rename,...``) and
  known display names (kind ``display_name``).

They are read on every writer open and refresh (a file again only once it changed), so editing a file is enough; a malformed file fails
with the file, row and column to fix.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tracker.errors import ConfigError

_CANDIDATES = (
    Path(__file__).resolve().parent.parent / "seeds",
    Path(__file__).resolve().parent / "_seeds",
)

# registered name -> (file, columns, required columns)
FILES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "seed_organizations": ("organizations.csv", ("org_key", "display_name"), ("org_key", "display_name")),
    "seed_org_aliases": ("org_aliases.csv", ("alias", "org_key"), ("alias", "org_key")),
    "seed_models": ("models.csv", ("model_key", "display_name", "org_key", "family"), ("model_key",)),
    "seed_model_aliases": (
        "model_aliases.csv",
        ("alias", "model_key", "kind", "note"),
        ("alias", "model_key"),
    ),
}


def seeds_dir() -> Path:
    for folder in _CANDIDATES:
        if (folder / "organizations.csv").is_file():
            return folder
    raise ConfigError(
        f"the identity seeds are missing (looked for organizations.csv in {', '.join(map(str, _CANDIDATES))}); "
        "reinstall the tracker or restore seeds/ from the repository."
    )


def read(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> pl.DataFrame:
    """One seed file as text columns, trimmed; empty cells are null. Fails naming file, row and column."""
    try:
        frame = pl.read_csv(path, infer_schema_length=0, comment_prefix="#")
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise ConfigError(
            f"cannot read seed file {path}: {str(exc).splitlines()[0]}", path=str(path)
        ) from None
    if list(frame.columns) != list(columns):
        raise ConfigError(
            f"seed file {path} has columns {frame.columns}; expected {list(columns)} (header row first)",
            path=str(path),
        )
    frame = frame.with_columns(
        pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c).str.strip_chars()).alias(c)
        for c in columns
    )
    for column in required:
        empty = frame.with_row_index("_row").filter(pl.col(column).is_null())
        if empty.height:
            raise ConfigError(
                f"seed file {path}, data row {int(empty['_row'][0]) + 1}: column '{column}' is empty; fill it or drop the row",
                path=str(path),
            )
    return frame


SEED_ALIAS_KINDS = ("rename", "display_name", "key")


def check(name: str, path: Path, frame: pl.DataFrame) -> None:
    """One row per alias / key (case-insensitive) and only seedable alias kinds; names the row to fix."""
    first = frame.columns[0]
    lowered = frame.with_row_index("_row").with_columns(pl.col(first).str.to_lowercase().alias("_key"))
    repeated = lowered.filter(pl.col("_key").is_duplicated())
    if repeated.height:
        raise ConfigError(
            f"seed file {path}: {first} {repeated[first][1]!r} is listed twice; keep one row",
            path=str(path),
        )
    if name == "seed_model_aliases":
        bad = lowered.filter(pl.col("kind").is_not_null() & ~pl.col("kind").is_in(SEED_ALIAS_KINDS))
        if bad.height:
            raise ConfigError(
                f"seed file {path}, data row {int(bad['_row'][0]) + 1}: kind {bad['kind'][0]!r} is not one of "
                f"{', '.join(SEED_ALIAS_KINDS)} ('user' rows belong to `tracker alias`, not the seeds)",
                path=str(path),
            )


# (path, modification time, size) -> the checked frame: a refresh (every writer open and publish) reads only
# the files that changed since this process last read them
_read_before: dict[tuple[str, int, int], pl.DataFrame] = {}


def read_all(folder: Path | None = None) -> dict[str, pl.DataFrame]:
    """Every seed file, keyed by the name the refresh SQL reads it under."""
    folder = folder or seeds_dir()
    frames = {}
    for name, (file, columns, required) in FILES.items():
        path = folder / file
        try:
            stat = path.stat()
            key = (str(path), stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = None  # read() names the file that cannot be read
        frame = _read_before.get(key) if key is not None else None
        if frame is None:
            frame = read(path, columns, required)
            check(name, path, frame)
            if key is not None:
                _read_before[key] = frame
        frames[name] = frame
    return frames
