"""Synthetic files in the official ``lmarena-ai/leaderboard-dataset`` schema, for tests and benchmarks.

There is no real ``full`` Parquet in ../shared (the real one is ~1.1 M rows, ~48 MB), so ``full_frame``
builds one from realistic values: publish dates from 2023-05-08 on, models entering the board over time and
staying (the dataset back-fills only models still in the registry), categories added over the years,
ratings drifting per publish, CIs narrowing as votes grow, rank (UB) published before autumn 2025 and the
ordinal position after it, and some empty organisations. ``mai-1-preview`` enters on 2025-08-28.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import numpy as np
import polars as pl

FIRST_PUBLISH = date(2023, 5, 8)
ORDINAL_FROM = date(2025, 10, 1)  # publishes before this carry rank (UB), later ones the ordinal position

# (category, first publish that has it)
CATEGORIES = [
    ("overall", date(2023, 5, 8)),
    ("english", date(2023, 5, 8)),
    ("chinese", date(2023, 5, 8)),
    ("coding", date(2023, 8, 1)),
    ("french", date(2023, 9, 1)),
    ("german", date(2023, 9, 1)),
    ("spanish", date(2023, 9, 1)),
    ("russian", date(2023, 9, 1)),
    ("japanese", date(2023, 9, 1)),
    ("korean", date(2023, 9, 1)),
    ("longer_query", date(2024, 2, 1)),
    ("multi_turn", date(2024, 2, 1)),
    ("exclude_ties", date(2024, 2, 1)),
    ("hard_prompts", date(2024, 5, 20)),
    ("hard_prompts_english", date(2024, 5, 20)),
    ("math", date(2024, 7, 1)),
    ("instruction_following", date(2024, 7, 1)),
    ("creative_writing", date(2024, 9, 1)),
    ("expert", date(2025, 11, 6)),
    ("industry_business_and_management_and_financial_operations", date(2025, 11, 6)),
    ("industry_entertainment_and_sports_and_media", date(2025, 11, 6)),
    ("industry_legal_and_government", date(2025, 11, 6)),
    ("industry_life_and_physical_and_social_science", date(2025, 11, 6)),
    ("industry_mathematical", date(2025, 11, 6)),
    ("industry_medicine_and_healthcare", date(2025, 11, 6)),
    ("industry_software_and_it_services", date(2025, 11, 6)),
    ("industry_writing_and_literature_and_language", date(2025, 11, 6)),
]
ORGS = ["openai", "google", "anthropic", "meta", "alibaba", "deepseek", "mistral", "xai", "microsoft", "", ""]


def publish_dates(count: int, step_days: int = 7) -> list[date]:
    return [FIRST_PUBLISH + timedelta(days=step_days * i) for i in range(count)]


def _rank_ub(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """1 + number of models whose lower bound is strictly above this model's upper bound."""
    ordered = np.sort(lower)
    return 1 + (len(ordered) - np.searchsorted(ordered, upper, side="right"))


def full_frame(
    *, models: int = 422, dates: int = 190, seed: int = 1, float_counts: bool = True, step_days: int = 7
) -> pl.DataFrame:
    """A ``{config}/full`` table in the official schema (``vote_count``/``rank`` float64 like the 2026 files)."""
    rng = np.random.default_rng(seed)
    days = publish_dates(dates, step_days)
    span = max((days[-1] - days[0]).days, 1)
    names = [f"model-{i:03d}" for i in range(models - 1)] + ["mai-1-preview"]
    # a quarter of the models are there from the start, the rest enter over time
    entry_day = np.where(rng.random(models) < 0.25, 0, rng.integers(0, span, models))
    entry_day[-1] = (date(2025, 8, 28) - days[0]).days
    base = rng.normal(1250, 90, models)
    base[-1] = 1399.0
    orgs = rng.choice(np.array(ORGS, dtype=object), models)
    orgs[-1] = "microsoft-ai"
    licences = rng.choice(
        np.array(["Proprietary", "Apache 2.0", "MIT", "Llama 3 Community"], dtype=object), models
    )
    cat_offset = rng.normal(0, 25, (len(CATEGORIES), models))
    parts = []
    for day in days:
        offset = (day - days[0]).days
        present = np.flatnonzero(entry_day <= offset)
        if present.size == 0:
            continue
        age = offset - entry_day[present] + 7
        votes = (age * rng.uniform(40, 60, present.size)).astype(np.int64)
        drift = rng.normal(0, 1.5, present.size) - 0.01 * age
        for c, (category, since) in enumerate(CATEGORIES):
            if day < since:
                continue
            rating = base[present] + cat_offset[c, present] + drift
            share = 1.0 if category == "overall" else rng.uniform(0.05, 0.4)
            cat_votes = np.maximum((votes * share).astype(np.int64), 1)
            width = 4 + 600 / np.sqrt(cat_votes)
            lower, upper = rating - width * rng.uniform(0.8, 1.2), rating + width * rng.uniform(0.8, 1.2)
            if day < ORDINAL_FROM:
                rank = _rank_ub(lower, upper)
            else:
                rank = 1 + (rating[None, :] > rating[:, None]).sum(axis=1)
            parts.append(
                pl.DataFrame(
                    {
                        "model_name": [names[i] for i in present],
                        "organization": orgs[present],
                        "license": licences[present],
                        "rating": rating,
                        "rating_lower": lower,
                        "rating_upper": upper,
                        "variance": (width / 1.96) ** 2,
                        "vote_count": cat_votes,
                        "rank": rank.astype(np.int64),
                        "category": category,
                        "leaderboard_publish_date": day.isoformat(),
                    }
                )
            )
    frame = pl.concat(parts)
    if float_counts:
        frame = frame.with_columns(pl.col("vote_count", "rank").cast(pl.Float64))
    return frame


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="snappy")
    return buffer.getvalue()


def rows_page(frame: pl.DataFrame, *, offset: int = 0, total: int | None = None) -> dict:
    """A datasets-server ``/rows`` page for the given rows (floats for counts, as the API sends them)."""
    features = [
        {"feature_idx": i, "name": name, "type": {"dtype": _dtype(dtype), "_type": "Value"}}
        for i, (name, dtype) in enumerate(frame.schema.items())
    ]
    rows = [
        {"row_idx": offset + i, "row": row, "truncated_cells": []}
        for i, row in enumerate(frame.iter_rows(named=True))
    ]
    return {
        "features": features,
        "rows": rows,
        "num_rows_total": frame.height if total is None else total,
        "num_rows_per_page": 100,
        "partial": False,
    }


def _dtype(dtype: pl.DataType) -> str:
    if dtype == pl.Float64:
        return "float64"
    if dtype == pl.Int64:
        return "int64"
    return "string"
