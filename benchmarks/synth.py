"""Synthetic leaderboard history at a scale factor, in the official dataset's Parquet schema.

1x is about the size of ``lmarena-ai/leaderboard-dataset``'s full history: ~1.6 M standings in 15 configs
(``text`` ~1.1 M), ~45 categories, publish dates 2023-05-08 -> 2026-09, ~420 text models. Scale ``s >= 1``
multiplies the categories per config and the publish dates by sqrt(s) each (so 10x has ~3.2x the boards on a
~3.2x denser calendar, ~16 M rows); ``s < 1`` shrinks models, categories and dates by s^(1/3) each.

What makes it realistic (see ../shared/docs/UPSTREAM.md): models enter over time with ratings that rise with
their release date, drift per publish and differ per category; some leave the board, some are renamed
(the old key stops, the new key continues); about one in seven has an empty organisation; CIs narrow as
votes grow, bootstrap (asymmetric, narrower) before 2025-07-23 and closed-form (symmetric, wider) after;
the published ``rank`` is rank (UB) before 2025-10-01 and the ordinal position after; ``vote_count`` and
``rank`` are float64 as in the 2026 files; ``agent`` uses the agent schema (``score``, ``score_ci_*``,
``observation_count``, ``session_count``).

Generation is vectorised numpy per chunk of publish dates, written with one Parquet row group per chunk,
so memory stays bounded at 10x. Deterministic for a given seed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

FIRST_PUBLISH = date(2023, 5, 8)
LAST_PUBLISH = date(2026, 9, 1)
CLOSED_FORM_CI_FROM = date(2025, 7, 23)
ORDINAL_RANK_FROM = date(2025, 10, 1)
# base spacing of publish dates (days) by era: fortnightly in 2023, weekly in 2024, twice a week after
_CADENCE = ((date(2024, 1, 1), 14.0), (date(2025, 1, 1), 7.0), (date(2026, 12, 31), 3.0))

TEXT_CATEGORIES = (
    ("overall", "2023-05-08"),
    ("english", "2023-05-08"),
    ("chinese", "2023-05-08"),
    ("coding", "2023-08-01"),
    ("french", "2023-09-01"),
    ("german", "2023-09-01"),
    ("spanish", "2023-09-01"),
    ("russian", "2023-09-01"),
    ("japanese", "2023-09-01"),
    ("korean", "2023-09-01"),
    ("longer_query", "2024-02-01"),
    ("multi_turn", "2024-02-01"),
    ("exclude_ties", "2024-02-01"),
    ("hard_prompts", "2024-05-20"),
    ("hard_prompts_english", "2024-05-20"),
    ("math", "2024-07-01"),
    ("instruction_following", "2024-07-01"),
    ("creative_writing", "2024-09-01"),
    ("expert", "2025-11-06"),
    ("industry_business_and_management_and_financial_operations", "2025-11-06"),
    ("industry_entertainment_and_sports_and_media", "2025-11-06"),
    ("industry_legal_and_government", "2025-11-06"),
    ("industry_life_and_physical_and_social_science", "2025-11-06"),
    ("industry_mathematical", "2025-11-06"),
    ("industry_medicine_and_healthcare", "2025-11-06"),
    ("industry_software_and_it_services", "2025-11-06"),
    ("industry_writing_and_literature_and_language", "2025-11-06"),
)
VISION_CATEGORIES = (
    ("overall", "2024-06-27"),
    ("english", "2024-06-27"),
    ("chinese", "2024-06-27"),
    ("captioning", "2024-09-01"),
    ("creative_writing", "2024-09-01"),
    ("diagram", "2024-09-01"),
    ("entertainment", "2024-09-01"),
    ("homework", "2024-09-01"),
    ("ocr", "2024-09-01"),
    ("humor", "2024-09-01"),
)
IMAGE_CATEGORIES = (
    ("overall", "2024-09-01"),
    ("user_prompts_only", "2024-09-01"),
    ("photorealistic", "2025-01-15"),
    ("anime", "2025-01-15"),
    ("text_rendering", "2025-01-15"),
    ("art", "2025-01-15"),
    ("portraits", "2025-01-15"),
    ("product_design", "2025-03-01"),
)
WEBDEV_CATEGORIES = (
    ("overall", "2024-12-10"),
    ("html", "2025-06-01"),
    ("react", "2025-06-01"),
    ("python", "2025-06-01"),
    ("game_dev", "2025-06-01"),
)
# extra category names used when a scale asks for more boards than the real lists have
_EXTRA_NAMES = [
    "italian",
    "polish",
    "dutch",
    "portuguese",
    "arabic",
    "turkish",
    "vietnamese",
    "indonesian",
    "hindi",
    "thai",
    "hebrew",
    "ukrainian",
    "czech",
    "swedish",
    "greek",
    "persian",
    "romanian",
    "hungarian",
    "finnish",
    "danish",
    "norwegian",
    "bengali",
    "tamil",
    "malay",
]


@dataclass(frozen=True)
class ConfigSpec:
    name: str
    categories: tuple[tuple[str, str], ...]
    models: int
    start: str  # first publish date of the config
    rating: tuple[float, float]  # mean, sd of the first models' ratings
    schema: str = "arena"  # arena | agent


CONFIGS = (
    ConfigSpec("text", TEXT_CATEGORIES, 422, "2023-05-08", (1050.0, 70.0)),
    ConfigSpec("text_style_control", TEXT_CATEGORIES, 170, "2025-02-03", (1150.0, 70.0)),
    ConfigSpec("vision", VISION_CATEGORIES, 95, "2024-06-27", (1050.0, 60.0)),
    ConfigSpec("vision_style_control", VISION_CATEGORIES, 80, "2025-02-01", (1080.0, 60.0)),
    ConfigSpec(
        "search", (("overall", "2025-03-01"), ("english", "2025-06-01")), 30, "2025-03-01", (1050.0, 40.0)
    ),
    ConfigSpec("search_style_control", (("overall", "2025-03-01"),), 28, "2025-03-01", (1060.0, 40.0)),
    ConfigSpec("document", (("overall", "2025-09-01"),), 24, "2025-09-01", (1150.0, 50.0)),
    ConfigSpec("document_style_control", (("overall", "2025-09-01"),), 22, "2025-09-01", (1160.0, 50.0)),
    ConfigSpec("webdev", WEBDEV_CATEGORIES, 70, "2024-12-10", (1050.0, 120.0)),
    ConfigSpec("text_to_image", IMAGE_CATEGORIES, 65, "2024-09-01", (950.0, 80.0)),
    ConfigSpec(
        "image_edit",
        (("overall", "2025-05-01"), ("photo_edit", "2025-08-01")),
        35,
        "2025-05-01",
        (1050.0, 70.0),
    ),
    ConfigSpec("text_to_video", (("overall", "2025-06-01"),), 30, "2025-06-01", (1050.0, 70.0)),
    ConfigSpec("image_to_video", (("overall", "2025-06-01"),), 30, "2025-06-01", (1050.0, 70.0)),
    ConfigSpec("video_edit", (("overall", "2025-11-01"),), 18, "2025-11-01", (1050.0, 60.0)),
    ConfigSpec("agent", (("overall", "2026-01-15"),), 24, "2026-01-15", (0.05, 0.02), schema="agent"),
)

_FAMILIES = (
    ("orion", "openai"),
    ("atlas", "google"),
    ("sonnet", "anthropic"),
    ("llama", "meta"),
    ("qwen", "alibaba"),
    ("seek", "deepseek"),
    ("mistral", "mistral"),
    ("grok", "xai"),
    ("phi", "microsoft"),
    ("glm", "zai"),
    ("kimi", "moonshot"),
    ("ernie", "baidu"),
    ("yi", "01-ai"),
    ("command", "cohere"),
    ("nemo", "nvidia"),
    ("gemma", "google"),
    ("granite", "ibm"),
    ("step", "stepfun"),
    ("mimo", "xiaomi"),
    ("olmo", "ai2"),
    ("hunyuan", "tencent"),
    ("doubao", "bytedance"),
    ("jamba", "ai21-labs"),
    ("minimax", "minimax"),
    ("vega", ""),
    ("lumen", ""),
    ("quasar", ""),
)
_OPEN = {
    "meta",
    "alibaba",
    "deepseek",
    "mistral",
    "microsoft",
    "zai",
    "moonshot",
    "01-ai",
    "nvidia",
    "ibm",
    "ai2",
}
_OPEN_LICENSES = ("Apache 2.0", "MIT", "Llama 3 Community", "Modified MIT", "CC-BY-NC-4.0", "Gemma license")
_VARIANTS = ("", "-pro", "-mini", "-flash", "-thinking", "-preview", "-instruct", "-high", "-chat", "-turbo")
FEATURED = "mai-1-preview"  # the dashboard's default model; enters 2025-08-28, gone by mid-2026

ARENA_SCHEMA = pa.schema(
    [
        ("model_name", pa.string()),
        ("organization", pa.string()),
        ("license", pa.string()),
        ("rating", pa.float64()),
        ("rating_lower", pa.float64()),
        ("rating_upper", pa.float64()),
        ("variance", pa.float64()),
        ("vote_count", pa.float64()),
        ("rank", pa.float64()),
        ("category", pa.string()),
        ("leaderboard_publish_date", pa.string()),
    ]
)
AGENT_SCHEMA = pa.schema(
    [
        ("model_name", pa.string()),
        ("organization", pa.string()),
        ("license", pa.string()),
        ("score", pa.float64()),
        ("score_ci_lower", pa.float64()),
        ("score_ci_upper", pa.float64()),
        ("observation_count", pa.int64()),
        ("session_count", pa.int64()),
        ("rank", pa.int64()),
        ("category", pa.string()),
        ("leaderboard_publish_date", pa.string()),
    ]
)


@dataclass(frozen=True)
class Scale:
    factor: float
    boards: float  # multiplier of categories per config
    dates: float  # multiplier of publish dates
    models: float  # multiplier of models per config

    @property
    def label(self) -> str:
        return f"{self.factor:g}x"


def scale(factor: float) -> Scale:
    if factor >= 1:
        root = math.sqrt(factor)
        return Scale(factor, root, root, 1.0)
    root = factor ** (1 / 3)
    return Scale(factor, root, root, root)


def calendar(s: Scale) -> list[date]:
    """Publish dates 2023-05-08 -> 2026-09-01, denser over the years, ``s.dates`` times as many."""
    days, day, era = [], 0.0, 0
    last = (LAST_PUBLISH - FIRST_PUBLISH).days
    while day <= last:
        current = FIRST_PUBLISH + timedelta(days=int(day))
        while current >= _CADENCE[era][0]:
            era += 1
        days.append(current)
        day += max(_CADENCE[era][1] / s.dates, 1.0)
    return sorted(set(days))


def _categories(spec: ConfigSpec, s: Scale, rng: np.random.Generator) -> list[tuple[str, date]]:
    wanted = max(1, round(len(spec.categories) * s.boards))
    real = [(name, date.fromisoformat(since)) for name, since in spec.categories]
    if wanted <= len(real):
        return real[:wanted]
    extra, k = [], 0
    while len(real) + len(extra) < wanted:
        base = _EXTRA_NAMES[k % len(_EXTRA_NAMES)]
        name = base if k < len(_EXTRA_NAMES) else f"{base}_{k // len(_EXTRA_NAMES)}"
        if spec.name != "text":  # other arenas get topic boards, not languages
            name = f"topic_{name}"
        since = real[int(rng.integers(0, len(real)))][1]
        extra.append((name, since))
        k += 1
    return real + extra


@dataclass(frozen=True)
class Models:
    """Per-model facts of one config: names (two per renamed model), entry/exit/rename date index,
    base rating, organisation and licence, vote rate."""

    names: np.ndarray  # object array, 2 per model: [old name, new name] (same when never renamed)
    entry: np.ndarray
    exit: np.ndarray
    rename: np.ndarray
    base: np.ndarray
    org: np.ndarray
    license: np.ndarray
    vote_rate: np.ndarray


def _models(spec: ConfigSpec, s: Scale, days: list[date], rng: np.random.Generator) -> Models:
    count = max(8, round(spec.models * s.models))
    n_days = len(days)
    # a fifth are on the board from the config's first publish; the rest enter over time, a little
    # faster in recent years (as on the real boards)
    entry = np.where(rng.random(count) < 0.2, 0, (n_days * rng.random(count) ** 0.85).astype(np.int64))
    entry.sort()
    # one in eight leaves the board (deprecated) some time after entering
    leaves = rng.random(count) < 0.125
    exit_at = np.where(leaves, entry + 1 + (rng.random(count) * (n_days - entry)).astype(np.int64), n_days)
    # one in twenty-five is renamed (preview key -> release key) while listed
    renamed = (rng.random(count) < 0.04) & (exit_at - entry > 4)
    rename = np.where(
        renamed, entry + 1 + (rng.random(count) * (exit_at - entry - 1)).astype(np.int64), n_days
    )
    mean, sd = spec.rating
    progress = (entry / max(n_days - 1, 1)) * 6 * sd  # later models are stronger
    base = rng.normal(mean, sd, count) + progress
    family = rng.integers(0, len(_FAMILIES), count)
    orgs = np.array([_FAMILIES[f][1] for f in family], dtype=object)
    licences = np.array(
        [
            _OPEN_LICENSES[int(rng.integers(0, len(_OPEN_LICENSES)))] if org in _OPEN else "Proprietary"
            for org in orgs
        ],
        dtype=object,
    )
    names, seen = [], {FEATURED}
    for i, f in enumerate(family):
        version = 1 + entry[i] * 6 // max(n_days, 1)
        stem = f"{_FAMILIES[f][0]}-{version}.{int(rng.integers(0, 10))}"
        name = stem + _VARIANTS[int(rng.integers(0, len(_VARIANTS)))]
        while name in seen:
            name = f"{stem}-{int(rng.integers(100, 10000)):04d}"
        seen.add(name)
        names.append(name)
    day_array = np.array(days)
    if spec.name in ("text", "text_style_control") and days[0] <= date(2025, 8, 28) <= days[-1]:
        # the dashboard's featured model: debuts 2025-08-28 near the top, leaves by mid-2026
        debut = int(np.searchsorted(day_array, date(2025, 8, 28)))
        i = min(int(np.searchsorted(entry, debut)), count - 1)
        names[i], orgs[i], licences[i] = FEATURED, "microsoft-ai", "Proprietary"
        entry[i] = min(entry[i], debut)
        base[i] = np.quantile(base[: i + 1], 0.9)
        exit_at[i] = min(n_days, int(np.searchsorted(day_array, date(2026, 6, 1))))
        rename[i] = n_days
    old_names = []
    for name, renamed_at in zip(names, rename, strict=True):
        old = name
        if renamed_at < n_days:
            old = f"{name}-preview" if not name.endswith("-preview") else f"{name}-exp"
            while old in seen:
                old += "-early"
            seen.add(old)
        old_names.append(old)
    pairs = np.empty((count, 2), dtype=object)
    pairs[:, 0], pairs[:, 1] = old_names, names
    return Models(
        names=pairs,
        entry=entry,
        exit=exit_at,
        rename=rename,
        base=base,
        org=orgs,
        license=licences,
        vote_rate=np.exp(rng.normal(np.log(60.0), 0.7, count)),
    )


def _rank_within(group: np.ndarray, value: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """Per row: how many rows of its group have ``value`` strictly above the row's ``threshold``.

    One global sort: each group's values are shifted into their own band (group * span), so a binary
    search per row counts within its group only."""
    span = float(np.nanmax(np.abs(np.concatenate([value, threshold])))) * 4 + 1.0
    keyed = np.sort(group * span + value)
    group_end = np.searchsorted(keyed, (group + 1) * span - span / 2, side="left")
    return group_end - np.searchsorted(keyed, group * span + threshold, side="right")


def _chunks(spec: ConfigSpec, s: Scale, seed: int, chunk_rows: int) -> Iterator[pa.Table]:
    rng = np.random.default_rng([seed, sum(map(ord, spec.name))])
    days = [d for d in calendar(s) if d >= date.fromisoformat(spec.start)]
    if not days:
        return
    cats = _categories(spec, s, rng)
    m = _models(spec, s, days, rng)
    n_days, n_cats, n_models = len(days), len(cats), len(m.base)
    day_numbers = np.array([(d - days[0]).days for d in days], dtype=np.float64)
    since = np.array([int(np.searchsorted(np.array(days), c[1])) for c in cats])
    # which models a category lists: overall all, languages and topics a subset
    cover = np.where(np.arange(n_cats) == 0, 1.0, rng.uniform(0.6, 0.98, n_cats))
    listed = rng.random((n_cats, n_models)) < cover[:, None]
    share = np.where(np.arange(n_cats) == 0, 1.0, rng.uniform(0.03, 0.45, n_cats))
    offset = rng.normal(0, 0.3 * spec.rating[1], (n_cats, n_models))
    offset[0] = 0.0
    # per-publish drift: a random walk per model (each publish refits every model)
    walk = np.cumsum(rng.normal(0, 0.02 * spec.rating[1], (n_days, n_models)), axis=0)
    entry_day = day_numbers[np.minimum(m.entry, n_days - 1)]
    date_text = np.array([d.isoformat() for d in days], dtype=object)
    cat_names = np.array([c[0] for c in cats], dtype=object)
    closed_from = int(np.searchsorted(np.array(days), CLOSED_FORM_CI_FROM))
    ordinal_from = int(np.searchsorted(np.array(days), ORDINAL_RANK_FROM))
    agent = spec.schema == "agent"
    per_day = max(1, int(listed.sum()))
    step = max(1, chunk_rows // per_day)
    for d0 in range(0, n_days, step):
        d1 = min(n_days, d0 + step)
        d_idx = np.arange(d0, d1)
        present = (m.entry[None, :] <= d_idx[:, None]) & (d_idx[:, None] < m.exit[None, :])
        active = since[None, :] <= d_idx[:, None]
        mask = present[:, None, :] & active[:, :, None] & listed[None, :, :]
        di, ci, mi = np.nonzero(mask)
        if di.size == 0:
            continue
        day = d0 + di
        age = np.maximum(day_numbers[day] - entry_day[mi], 0.0) + 5.0
        votes = np.maximum((age * m.vote_rate[mi] * share[ci]).astype(np.int64), 25)
        rating = m.base[mi] + walk[day, mi] + offset[ci, mi]
        scale_hw = 750.0 if not agent else 0.4
        half = scale_hw / np.sqrt(votes) * rng.uniform(0.9, 1.1, di.size)
        half = np.maximum(half, 1.5 if not agent else 0.002)
        closed = day >= closed_from
        half = np.where(closed, half, 0.8 * half)
        up = np.where(closed, half, half * rng.uniform(0.8, 1.2, di.size))
        down = np.where(closed, half, half * rng.uniform(0.8, 1.2, di.size))
        lower, upper = rating - down, rating + up
        group = (di * n_cats + ci).astype(np.float64)
        ordinal = 1 + _rank_within(group, rating, rating)
        rank_ub = 1 + _rank_within(group, lower, upper)
        rank = np.where(day >= ordinal_from, ordinal, rank_ub)
        name_pick = (day >= m.rename[mi]).astype(np.int64)
        names = m.names[mi, name_pick]
        columns = {
            "model_name": pa.array(names, pa.string()),
            "organization": pa.array(m.org[mi], pa.string()),
            "license": pa.array(m.license[mi], pa.string()),
        }
        if agent:
            columns |= {
                "score": pa.array(rating),
                "score_ci_lower": pa.array(lower),
                "score_ci_upper": pa.array(upper),
                "observation_count": pa.array(votes * 90),
                "session_count": pa.array(votes),
                "rank": pa.array(rank.astype(np.int64)),
            }
        else:
            columns |= {
                "rating": pa.array(rating),
                "rating_lower": pa.array(lower),
                "rating_upper": pa.array(upper),
                "variance": pa.array((half / 1.96) ** 2),
                "vote_count": pa.array(votes.astype(np.float64)),
                "rank": pa.array(rank.astype(np.float64)),
            }
        columns |= {
            "category": pa.array(cat_names[ci], pa.string()),
            "leaderboard_publish_date": pa.array(date_text[day], pa.string()),
        }
        yield pa.table(columns, schema=AGENT_SCHEMA if agent else ARENA_SCHEMA)


@dataclass(frozen=True)
class Written:
    config: str
    path: Path
    rows: int
    latest_path: Path
    latest_rows: int


def write_config(
    spec: ConfigSpec, s: Scale, full_dir: Path, latest_dir: Path, *, seed: int, chunk_rows: int = 1_000_000
) -> Written:
    """``{full_dir}/{config}/full-00000-of-00001.parquet`` (every publish) and the ``latest`` file (the
    newest publish), as the dataset lays them out."""
    path = full_dir / spec.name / "full-00000-of-00001.parquet"
    latest_path = latest_dir / spec.name / "latest-00000-of-00001.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    latest_path.parent.mkdir(parents=True, exist_ok=True)
    schema = AGENT_SCHEMA if spec.schema == "agent" else ARENA_SCHEMA
    rows, last = 0, None
    with pq.ParquetWriter(path, schema, compression="snappy") as out:
        for table in _chunks(spec, s, seed, chunk_rows):
            out.write_table(table)
            rows += table.num_rows
            last = table
    if last is None:
        raise RuntimeError(f"config {spec.name} produced no rows at scale {s.label}")
    newest = pa.compute.max(last["leaderboard_publish_date"])
    latest = last.filter(pa.compute.equal(last["leaderboard_publish_date"], newest))
    pq.write_table(latest, latest_path, compression="snappy")
    return Written(spec.name, path, rows, latest_path, latest.num_rows)


def write_dataset(root: Path, factor: float, *, seed: int = 7) -> list[Written]:
    s = scale(factor)
    return [write_config(spec, s, root / "full", root / "latest", seed=seed) for spec in CONFIGS]


def board_rows(path: Path, category: str, publish_date: str) -> pa.Table:
    """One board of one publish date from a written file (for pages built from the same history)."""
    table = pq.read_table(
        path, filters=[("category", "=", category), ("leaderboard_publish_date", "=", publish_date)]
    )
    return table.sort_by([("rating", "descending")])
