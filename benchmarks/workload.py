"""The files one scale's benchmarks read: the dataset's ``full`` and ``latest`` Parquet files per config
(``synth``) and arena.ai-style pages of the text boards (``pages``), under ``{workdir}/{label}/data``.

Generated once per (scale, seed, generator version) and reused by later runs (``manifest.json`` says what is
there), since generating 10x takes a minute or two. Pages are the live text boards people poll (overall and
the main categories, raw and style-controlled) three and six days after the dataset's newest publish, so
ingesting them adds new board dates through the page path.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarks import pages, synth

GENERATOR_VERSION = 3
PAGE_CATEGORIES = (
    ("overall", "overall"),
    ("expert", "expert"),
    ("hard-prompts", "hard_prompts"),
    ("coding", "coding"),
    ("math", "math"),
    ("creative-writing", "creative_writing"),
    ("instruction-following", "instruction_following"),
    ("longer-query", "longer_query"),
    ("multi-turn", "multi_turn"),
)
PAGE_DAYS_AFTER = (3, 6)
PAGE_BYTES = 2_500_000  # the parse benchmark's page is padded to the real capture's weight


@dataclass(frozen=True)
class Workload:
    factor: float
    root: Path
    full_dir: Path
    latest_dir: Path
    pages_dir: Path
    rows: int  # standings in the full files
    configs: dict  # config -> rows
    parse_page: Path  # text/overall raw page, ~2.5 MB
    page_files: tuple[Path, ...]
    newest_publish: str

    @property
    def label(self) -> str:
        return synth.scale(self.factor).label

    @property
    def parquet_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.full_dir.rglob("*.parquet"))

    def full_files(self) -> list[Path]:
        return sorted(self.full_dir.rglob("full-*.parquet"))


def prepare(workdir: Path, factor: float, *, seed: int = 7, log=print) -> Workload:
    label = synth.scale(factor).label
    root = workdir / label / "data"
    manifest = root / "manifest.json"
    wanted = {"factor": factor, "seed": seed, "version": GENERATOR_VERSION}
    if manifest.exists():
        doc = json.loads(manifest.read_text())
        if doc.get("key") == wanted:
            return _from_manifest(root, doc)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    log(f"[{label}] generating synthetic history (seed {seed}) ...")
    written = synth.write_dataset(root, factor, seed=seed)
    configs = {w.config: w.rows for w in written}
    newest = _newest_publish(written)
    page_files = _write_pages(root / "pages", written, newest, seed)
    doc = {
        "key": wanted,
        "rows": sum(configs.values()),
        "configs": configs,
        "newest_publish": newest,
        "pages": [str(p.relative_to(root)) for p in page_files],
        "parse_page": str(
            (root / "pages" / "parse" / "text-overall-no-style-control.html").relative_to(root)
        ),
    }
    manifest.write_text(json.dumps(doc, indent=1))
    log(f"[{label}] {doc['rows']:,} standings in {len(configs)} configs, {len(page_files)} pages")
    return _from_manifest(root, doc)


def _from_manifest(root: Path, doc: dict) -> Workload:
    return Workload(
        factor=doc["key"]["factor"],
        root=root,
        full_dir=root / "full",
        latest_dir=root / "latest",
        pages_dir=root / "pages",
        rows=doc["rows"],
        configs=doc["configs"],
        parse_page=root / doc["parse_page"],
        page_files=tuple(root / p for p in doc["pages"]),
        newest_publish=doc["newest_publish"],
    )


def _newest_publish(written: list[synth.Written]) -> str:
    text = next(w for w in written if w.config == "text")
    table = pq.read_table(text.latest_path, columns=["leaderboard_publish_date"])
    return pc.max(table["leaderboard_publish_date"]).as_py()


def _write_pages(folder: Path, written: list[synth.Written], newest: str, seed: int) -> list[Path]:
    by_config = {w.config: w for w in written}
    base = datetime.fromisoformat(newest).replace(hour=14, tzinfo=UTC)
    rng = np.random.default_rng(seed)
    files = []
    for config, style in (("text", False), ("text_style_control", True)):
        latest = pq.read_table(by_config[config].latest_path)
        for slug, category in PAGE_CATEGORIES:
            board = latest.filter(pc.equal(latest["category"], category))
            if board.num_rows == 0:
                continue
            for k, days in enumerate(PAGE_DAYS_AFTER):
                drifted = _drift(board, rng, steps=k + 1)
                body = pages.board_page(
                    drifted,
                    arena="text",
                    category_slug=slug,
                    style=style,
                    cutoff=base + timedelta(days=days),
                    seed=seed + k,
                )
                name = f"{slug}{'' if style else '-no-style-control'}"
                path = folder / "text" / name / f"cutoff-{(base + timedelta(days=days)).date()}.html"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(body)
                files.append(path)
    overall = pq.read_table(by_config["text"].latest_path)
    overall = overall.filter(pc.equal(overall["category"], "overall"))
    parse = folder / "parse" / "text-overall-no-style-control.html"
    parse.parent.mkdir(parents=True, exist_ok=True)
    parse.write_bytes(
        pages.board_page(
            overall, arena="text", category_slug="overall", style=False, cutoff=base, target_bytes=PAGE_BYTES
        )
    )
    return files


def _drift(board: pa.Table, rng: np.random.Generator, *, steps: int) -> pa.Table:
    """The board a few days on: every rating refitted a little, votes grown."""
    shift = rng.normal(0, 0.8 * steps, board.num_rows)
    votes = board["vote_count"].to_numpy() * (1 + 0.01 * steps)
    return (
        board.set_column(
            board.schema.get_field_index("rating"), "rating", pa.array(board["rating"].to_numpy() + shift)
        )
        .set_column(
            board.schema.get_field_index("rating_lower"),
            "rating_lower",
            pa.array(board["rating_lower"].to_numpy() + shift),
        )
        .set_column(
            board.schema.get_field_index("rating_upper"),
            "rating_upper",
            pa.array(board["rating_upper"].to_numpy() + shift),
        )
        .set_column(board.schema.get_field_index("vote_count"), "vote_count", pa.array(np.round(votes)))
    )
