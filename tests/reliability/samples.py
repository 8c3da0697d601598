"""Payloads the hostile-input tests mutate: small hand-written ones for every registered format (so the
tests run without ../shared), and the real upstream copies in ../shared/data (one per format, found by
content detection, so a newly registered format is picked up without editing this file).

A ``Sample`` carries its structure when it has one (a JSON document or CSV rows, and how to turn it back
into bytes), so the mutators can change one value deep inside a valid payload instead of only flipping
bytes: that is what reaches a parser's inner code.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from tests.conftest import SHARED_DATA
from tests.pages import entry, leaderboard, page
from tracker import sources, store
from tracker.config import load_settings
from tracker.errors import TrackerError
from tracker.ingest import files as importer
from tracker.ingest import starter
from tracker.parsed import conform

NOW = datetime(2026, 11, 1, tzinfo=UTC)
REAL_MAX_BYTES = 3_000_000  # real copies larger than this are not mutated (time budget)


@dataclass(frozen=True)
class Sample:
    source: str  # the format that reads it
    name: str
    body: bytes
    origin: str
    hints: dict = field(default_factory=dict)
    kind: str = "bytes"  # json | csv | page | bytes: how ``document`` is rendered back
    document: object = None

    def render(self, document: object) -> bytes:
        if self.kind == "json":
            return json.dumps(document, allow_nan=True).encode()
        if self.kind == "page":
            return page(document)  # type: ignore[arg-type]
        if self.kind == "csv":
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(document)  # type: ignore[arg-type]
            return out.getvalue().encode(
                "utf-8", "surrogatepass"
            )  # a lone surrogate: bytes no UTF-8 decoder takes
        raise ValueError(f"{self.name} has no structure")


def json_sample(source: str, origin: str, document: object, **hints) -> Sample:
    body = json.dumps(document).encode()
    return Sample(source, f"{source} (hand)", body, origin, hints, "json", document)


def csv_sample(source: str, origin: str, text: str, **hints) -> Sample:
    rows = list(csv.reader(io.StringIO(text)))
    return Sample(source, f"{source} (hand)", text.encode(), origin, hints, "csv", rows)


def _arena_page() -> Sample:
    board = leaderboard(
        [entry(f"model-{j}", 1400.0 - j, 1395.0 - j, 1405.0 - j, votes=900 + j, rank=j + 1) for j in range(6)]
    )
    return Sample(
        "arena-page", "arena-page (hand)", page(board), "https://arena.ai/leaderboard/text", {}, "page", board
    )


def _starter() -> Sample:
    frame = conform(
        pl.DataFrame(
            {
                "arena": ["text", "text"],
                "category": ["overall", "overall"],
                "style_control": [False, False],
                "as_of": [datetime(2025, 1, 1, tzinfo=UTC)] * 2,
                "as_of_kind": ["publish_date"] * 2,
                "rank_meaning": ["ub", "ub"],
                "model_key": ["alpha", "beta"],
                "display_name": ["Alpha", "Beta"],
                "rating": [1300.0, 1290.0],
                "rating_lower": [1295.0, 1285.0],
                "rating_upper": [1305.0, 1295.0],
                "votes": [1000, 900],
                "rank_published": [1, 1],
            }
        )
    )
    table = frame.to_arrow().replace_schema_metadata(
        {b"tracker_format": b"leaderboard-tracker-starter", b"source": b"fboulnois"}
    )
    out = io.BytesIO()
    pq.write_table(table, out)
    return Sample("starter", "starter (hand)", out.getvalue(), "seeds/history/fboulnois.parquet")


def _acarter881() -> Sample:
    models = [
        {
            "rank": j + 1,
            "rank_spread_raw": f"{j + 1} {j + 2}",
            "model_url": "https://x",
            "model_name": f"Model {j}",
            "organization": "Anthropic  Anthropic",
            "license": "Proprietary",
            "score": 1450 - j,
            "ci": 5,
            "is_preliminary": False,
            "votes": 1000 + j,
        }
        for j in range(4)
    ]
    doc = {
        "timestamp": "2026-02-15T21:14:53Z",
        "leaderboard_date": "Feb 11, 2026",
        "total_models": 4,
        "models": models,
    }
    return json_sample("acarter881", "structured_snapshot.json", doc)


def _samica666() -> Sample:
    def e(key: str, elo: float, rank: int) -> dict:
        return {
            "rank": rank,
            "model_key": key,
            "model_display_name": key.title(),
            "organization": "Anthropic",
            "elo": elo,
            "elo_upper": elo + 5,
            "elo_lower": elo - 5,
            "votes": 100 + rank,
        }

    categories = {
        "coding": [e("alpha", 1400.0, 1), e("beta", 1390.0, 2)],
        "instruction-following": [e("alpha", 1380.0, 1)],
    }
    urls = {c: f"https://lmarena.ai/leaderboard/text/{c}" for c in categories}
    meta = {"endpoint": "lmarena-text-arena", "source_urls": urls, "fetched_at": "2026-07-29T17:16:52+00:00"}
    return json_sample("samica666", "lmarena_2026-07-29.json", {"meta": meta, "categories": categories})


def _artificial_analysis() -> Sample:
    def m(slug: str, name: str, elo: float, rank: int, delta: int) -> dict:
        ci = f"-{delta}/+{delta}"
        overall = {"elo": elo, "appearances": 1500, "ci95": ci, "ci_delta": delta}
        return {
            "name": name,
            "slug": slug,
            "creator": {"name": "Microsoft"},
            "release_date": "2025-08-28",
            "elo": elo,
            "rank": rank,
            "ci95": ci,
            "appearances": 1500,
            "wins": 800,
            "win_rate": 0.53,
            "is_current": True,
            "elos": [
                {**overall, "tag": None, "category": None, "accent": None},
                {"elo": elo - 10, "appearances": 300, "ci95": "-40/+40", "ci_delta": 40, "tag": None,
                 "category": {"slug": "assistants"}, "accent": {"slug": "us"}},
            ],
        }  # fmt: skip

    meta = {
        "endpoint": "text-to-speech",
        "source_url": "https://artificialanalysis.ai/api/text-to-speech/arena/preferences",
        "model_count": 2,
        "fetched_at": "2026-04-10T06:58:38+00:00",
    }
    models = [m("tts-one", "TTS One", 1200.0, 1, 20), m("mai-voice-1", "MAI-Voice-1", 960.0, 2, 45)]
    return json_sample("artificial-analysis", "text-to-speech.json", {"meta": meta, "models": models})


def _artificial_analysis_llms() -> Sample:
    def m(slug: str, name: str, index: float, gdpval: float | None) -> dict:
        evaluations = {
            "artificial_analysis_intelligence_index": index,
            "artificial_analysis_intelligence_index_is_estimated": False,
            "artificial_analysis_coding_index": index - 5,
            "artificial_analysis_agentic_index": None,
        }
        breakdowns = {
            "gdpval": None
            if gdpval is None
            else {"elo": gdpval, "lower95ci": gdpval - 20, "upper95ci": gdpval + 20, "avgTurns": 20.0}
        }
        return {"name": name, "short_name": name, "slug": slug, "release_date": "2026-03-05",
                "reasoning_model": True, "deprecated": False, "creator": {"name": "OpenAI"},
                "evaluations": evaluations, "breakdowns": breakdowns}  # fmt: skip

    meta = {
        "endpoint": "llms",
        "source_url": "https://artificialanalysis.ai/leaderboards/models",
        "model_count": 2,
        "fetched_at": "2026-04-10T06:58:38+00:00",
    }
    models = [m("gpt-5", "GPT-5 (high)", 68.5, 1444.0), m("gpt-5-mini", "GPT-5 mini (high)", 61.0, None)]
    return json_sample("artificial-analysis-llms", "llms.json", {"meta": meta, "models": models})


def _keshami() -> Sample:
    board_headers = [
        "Rank* (UB)",
        "Rank (StyleCtrl)",
        "Model",
        "Arena Score",
        "95% CI",
        "Votes",
        "Organization",
        "License",
    ]
    rows = [
        [
            1,
            1,
            {"name": "Gemini-2.5-Pro-Exp-03-25", "url": "u"},
            1443,
            "+11/-8",
            3474,
            "Google",
            "Proprietary",
        ],
        [
            2,
            2,
            {"name": "ChatGPT-4o-latest (2025-03-26)", "url": "u"},
            1408,
            "+11/-12",
            2676,
            "OpenAI",
            "Proprietary",
        ],
    ]
    overview = [["gemini-2.5-pro-exp-03-25", 1, 1, 1], ["chatgpt-4o-latest-20250326", 2, 2, 1]]
    doc = {
        "meta": {
            "captured": "2025-03-28 (commit date)",
            "last_updated_markdown": ["Last updated: 2025-03-25 (text/vision)"],
        },
        "tables": [
            {"headers": board_headers, "rows": rows, "arena_guess": "text / overall (default view)"},
            {
                "headers": ["Model", "Overall", "Overall w/ Style Control", "Coding"],
                "rows": overview,
                "arena_guess": "text / arena overview",
            },
        ],
    }
    return json_sample("keshami", "gradio_tables_2025-03-28.json", doc)


def _namra7x() -> Sample:
    caps = {"inputCapabilities": {"text": True}, "outputCapabilities": {"text": True}}
    doc = {
        f"u{j}": {
            "capabilities": caps,
            "displayName": f"model-{j}",
            "id": f"u{j}",
            "name": f"model-{j}-vertex",
            "organization": "anthropic",
            "publicName": f"model-{j}",
            "rankByModality": {"chat": j + 1},
        }
        for j in range(3)
    }
    return json_sample("namra7x", "snapshot.json", doc)


def _arena_dataset() -> Sample:
    rows = [
        {
            "row_idx": j,
            "row": {
                "model_name": f"model-{j}",
                "organization": "org",
                "license": "Proprietary",
                "rating": 1400.0 - j,
                "rating_lower": 1395.0 - j,
                "rating_upper": 1405.0 - j,
                "variance": 4.0,
                "vote_count": 1000.0 + j,
                "rank": float(j + 1),
                "category": "overall",
                "leaderboard_publish_date": "2026-04-23",
            },
            "truncated_cells": [],
        }
        for j in range(3)
    ]
    features = [
        {"feature_idx": i, "name": n, "type": {"dtype": t, "_type": "Value"}}
        for i, (n, t) in enumerate(
            [
                ("model_name", "string"),
                ("organization", "string"),
                ("license", "string"),
                ("rating", "float64"),
                ("rating_lower", "float64"),
                ("rating_upper", "float64"),
                ("variance", "float64"),
                ("vote_count", "float64"),
                ("rank", "float64"),
                ("category", "string"),
                ("leaderboard_publish_date", "string"),
            ]
        )
    ]
    doc = {
        "features": features,
        "rows": rows,
        "num_rows_total": 3,
        "num_rows_per_page": 100,
        "partial": False,
    }
    return json_sample(
        "arena-dataset",
        "https://datasets-server.huggingface.co/rows?dataset=lmarena-ai/leaderboard-dataset&config=text&split=latest",
        doc,
        config="text",
    )


def _arena_catalog() -> Sample:
    doc = {
        "full": {
            f"model-{j}": {"rating": 1400.0 - j, "rating_q975": 1405.0 - j, "rating_q025": 1395.0 - j}
            for j in range(3)
        }
    }
    return json_sample("arena-catalog", "history/2025-03-01_abc1234/leaderboard-text.json", doc)


HAND: dict[str, Callable[[], Sample]] = {
    "arena-page": _arena_page,
    "starter": _starter,
    "legacy-space": lambda: csv_sample(
        "legacy-space",
        "leaderboard_table_20230619.csv",
        "Model,MT-bench (win rate %),MT-bench (score),Arena Elo rating,MMLU,License,Link\n"
        "GPT-4,69.38%,8.99,1227,0.864,Proprietary,https://openai.com/research/gpt-4\n"
        "Vicuna-33B,43.75%,7.12,-,0.592,Non-commercial,https://huggingface.co/lmsys/vicuna-33b-v1.3\n"
        "Claude-v1,46.88%,7.90,1178,0.756,Proprietary,https://www.anthropic.com/index/introducing-claude\n",
    ),
    "kevinschaul": lambda: csv_sample(
        "kevinschaul",
        "history.csv",
        "date,rank,model,score,ci95,votes,organization,license\n"
        '2025-07-01,1,gemini-2.5-pro,1460,+5/-6,"15,211",Google,Proprietary\n'
        '2025-07-28,1,gemini-2.5-pro,1458,±4,"16,002",Google,Proprietary\n'
        '2025-07-28,2,o3-2025-04-16,1451,±5,"12,001",OpenAI,Proprietary\n',
    ),
    "jasontrigg0": lambda: csv_sample(
        "jasontrigg0",
        "alltime.csv",
        "key,Model,rating,License,Organization,date\n"
        "gpt-4,ChatGPT-4,1274.18,Proprietary,OpenAI,20230508\n"
        "RWKV-4-Raven-14B,RWKV-4-Raven-14B,950.5,Apache 2.0,RWKV,20230508\n"
        "gpt-4-0314,GPT-4-0314,1124.9,Proprietary,OpenAI,20231206\n",
    ),
    "fboulnois": lambda: csv_sample(
        "fboulnois",
        "lmsys_2025-07-18.csv",
        "rank,rank_stylectrl,model,arena_score,95_pct_ci,votes,organization,license,knowledge_cutoff,url\n"
        "1,1,Gemini-2.5-Pro,1470,+5/-5,26019,Google,Proprietary,,http://a\n"
        "2,2,Gemini-2.5-Pro-Preview-05-06,1446,+6/-6,13715,Google,Proprietary,,http://b\n"
        "3,2,GLM-4.5,1434,+9/-9,4112,Z.ai,MIT,,https://z.ai/blog/glm-4.5\n",
    ),
    "nakasyou": lambda: csv_sample(
        "nakasyou",
        "result.csv",
        ",gpt-4,claude-v1,vicuna-13b\n20230508,1274.2,1224.7,0.0\n20230522,1224.6,,1006.8\n",
    ),
    "acarter881": _acarter881,
    "samica666": _samica666,
    "artificial-analysis": _artificial_analysis,
    "artificial-analysis-llms": _artificial_analysis_llms,
    "keshami": _keshami,
    "namra7x": _namra7x,
    "arena-dataset": _arena_dataset,
    "arena-catalog": _arena_catalog,
}


def registered() -> list[str]:
    return [f.source for f in sources.FORMATS]


def hand_sample(source: str) -> Sample | None:
    build = HAND.get(source)
    return build() if build else None


def _structured(source: str, name: str, body: bytes, origin: str, hints: dict) -> Sample:
    text = body.decode("utf-8", errors="strict") if body[:4] != b"PAR1" else None
    if text is not None and text.lstrip()[:1] in ("{", "["):
        try:
            return Sample(source, name, body, origin, hints, "json", json.loads(text))
        except ValueError:
            pass
    if text is not None and not text.lstrip().lower().startswith(("<!doctype", "<html")):
        return Sample(source, name, body, origin, hints, "csv", list(csv.reader(io.StringIO(text))))
    return Sample(source, name, body, origin, hints)


@cache
def real_samples() -> dict[str, Sample]:
    """Per format, the smallest real copy in ../shared/data that parses to rows (else the smallest one that
    is detected as that format); empty when ../shared is absent."""
    if not SHARED_DATA.is_dir():
        return {}
    candidates = sorted(
        (path.stat().st_size, path)
        for path in SHARED_DATA.rglob("*")
        if path.is_file() and path.suffix != ".md" and path.stat().st_size <= REAL_MAX_BYTES
    )
    with_rows: dict[str, Path] = {}
    first: dict[str, Path] = {}
    for _, path in candidates:  # smallest first; parse only until a format has a sample with rows
        body = path.read_bytes()
        hints = sources.hints_for_path(path)
        try:
            fmt = sources.detect(body, str(path), hints)
        except TrackerError:
            continue
        if fmt.source in with_rows:
            continue
        try:
            rows = fmt.parse(body, str(path), fetched_at=NOW, hints=hints).height
        except TrackerError:
            continue
        first.setdefault(fmt.source, path)
        if rows:
            with_rows[fmt.source] = path
    found = {**first, **with_rows}
    for path in sorted(starter.history_dir().glob("*.parquet")) if starter.history_dir().is_dir() else []:
        found.setdefault("starter", path)  # the bundled starter history is this format's real copy
    samples = {}
    for source, path in found.items():
        where = path.relative_to(SHARED_DATA) if path.is_relative_to(SHARED_DATA) else path.name
        hints = sources.hints_for_path(path)
        samples[source] = _structured(
            source, f"{source} (real: {where})", path.read_bytes(), str(path), hints
        )
    if "starter" not in samples and (
        text_boards := sorted(
            (p for k, p in with_rows.items() if k != "arena-page"), key=lambda p: p.stat().st_size
        )[:3]
    ):
        samples["starter"] = _starter_from(text_boards)
    return samples


def _starter_from(paths: list[Path]) -> Sample:
    """No starter history is built yet: export one, with the product's own exporter, from real copies."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}, home=Path(tmp) / "home")
        with store.writer(settings, "hostile-input samples") as w:
            importer.import_paths(w, paths)
            written = sorted(starter.build(w.con, Path(tmp) / "out"), key=lambda item: item[0].stat().st_size)
        out = written[0][0]
        return Sample(
            "starter", f"starter (real: exported from real copies, {out.name})", out.read_bytes(), str(out)
        )
