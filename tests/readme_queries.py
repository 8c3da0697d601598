"""The example outputs of `tracker sql NAME` in docs/sql.md, produced by the real command.

`uv run python -m tests.readme_queries` rewrites every block between ``<!-- example:KEY -->`` and
``<!-- /example:KEY -->`` in docs/sql.md; tests/test_readme_queries.py fails when the page differs from
what the commands print now. The data is the bundled starter history (what `tracker init` loads), or,
until it is bundled, the real upstream copies in ../shared/data (less the undated arena-catalog files).
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from pathlib import Path

from tests.cli import run_tracker
from tests.conftest import SHARED_DATA
from tracker import store
from tracker.config import load_settings
from tracker.ingest import files as importer
from tracker.ingest import starter

PAGE = Path(__file__).resolve().parent.parent / "docs" / "sql.md"
WIDTH = "180"
EXAMPLES: dict[str, tuple[str, ...]] = {
    "crowns-2024": ("sql", "crowns", "--param", "since=2024-01-01", "--param", "until=2024-12-31"),
    "mai-history": ("sql", "model_history", "--param", "model=mai-1-preview", "--param", "category=overall"),
    "org-race": ("sql", "org_race", "--param", "top=20"),
}
# arena-catalog's latest files carry no date: their as-of is the moment of import, which would change the
# examples every day, so they are left out (the catalog's dated history is kept)
UNDATED = ("lmarena-arena-catalog/latest",)
_BLOCK = re.compile(
    r"(<!-- example:(?P<key>[\w-]+) -->\n)(?P<body>.*?)(<!-- /example:(?P=key) -->)", re.DOTALL
)


def data_source() -> str | None:
    if any(starter.history_dir().glob("*.parquet")):
        return "starter"
    if SHARED_DATA.is_dir():
        return "shared"
    return None


def shared_paths() -> list[Path]:
    undated = {SHARED_DATA / u for u in UNDATED}
    keep = []
    for folder in sorted(p for p in SHARED_DATA.iterdir() if p.is_dir()):
        if any(u.parent == folder for u in undated):
            keep += [p for p in sorted(folder.iterdir()) if p not in undated]
        else:
            keep.append(folder)
    return keep


def build_home(home: Path) -> str:
    """Load the example data into a new home; returns which data it is."""
    source = data_source()
    if source is None:
        raise FileNotFoundError(f"no starter history in {starter.history_dir()} and no {SHARED_DATA}")
    settings = load_settings(environ={}, home=home)
    with store.writer(settings, "readme examples") as w:
        if source == "starter":
            starter.load(w)
        else:
            importer.import_paths(w, shared_paths())
        store.publish(w)
    return source


def render(home: Path) -> dict[str, str]:
    """Each example as a fenced block: the command line, then exactly what it printed."""
    blocks = {}
    for key, args in EXAMPLES.items():
        proc = run_tracker(home, *args, env={"COLUMNS": WIDTH}, check=True)
        blocks[key] = f"```text\n$ tracker {shlex.join(args)}\n{proc.stdout.rstrip()}\n```\n"
    return blocks


def apply(readme: str, blocks: dict[str, str]) -> str:
    found = {m["key"] for m in _BLOCK.finditer(readme)}
    missing = sorted(set(blocks) - found)
    if missing:
        raise ValueError(f"{PAGE.name} has no <!-- example:KEY --> block for {', '.join(missing)}")
    return _BLOCK.sub(lambda m: m.group(1) + blocks.get(m["key"], m["body"]) + m.group(4), readme)


def current() -> tuple[str, str]:
    """(docs/sql.md as it is, as the commands would write it now)."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        build_home(home)
        readme = PAGE.read_text(encoding="utf-8")
        return readme, apply(readme, render(home))


def main() -> int:
    before, after = current()
    if before == after:
        print(f"the examples in {PAGE} are up to date")
        return 0
    PAGE.write_text(after, encoding="utf-8")
    print(f"rewrote the example blocks in {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
