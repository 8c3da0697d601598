"""arena.ai-style leaderboard pages built from synthetic boards, with the live site's layout and weight.

The layout is the one ``tracker.sources.arena_page`` reads and ``tests/pages.py`` writes: React Server
Components flight text pushed in ``<script>self.__next_f.push([1,"..."])</script>`` chunks that split lines
anywhere, the board on a ``["$","$L1b",null,{arena, leaderboard, plots, ...}]`` line whose id is not fixed.
The weight follows the real 2.46 MB capture in ../shared/data/podsieve-prediction_mkt: ~80% server-rendered
table markup before the first push, then ~38 chunks carrying module lines, a large component tree, SVG text
rows and the board line (2026 entry fields, ``modelKey`` included as on mid-2026 pages, plus the plots).

``stdlib_entries`` is the floor the page parser is measured against: extract the pushed strings and
JSON-decode the board, standard library only.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime

import numpy as np
import pyarrow as pa

_PUSH = "self.__next_f.push([1,"
_ORG_NAMES = {
    "openai": "OpenAI",
    "google": "Google",
    "anthropic": "Anthropic",
    "meta": "Meta",
    "alibaba": "Alibaba",
    "deepseek": "DeepSeek",
    "mistral": "Mistral",
    "xai": "xAI",
    "microsoft": "Microsoft",
    "zai": "Z.ai",
    "moonshot": "Moonshot",
    "baidu": "Baidu",
    "01-ai": "01 AI",
    "cohere": "Cohere",
    "nvidia": "NVIDIA",
    "ibm": "IBM",
    "stepfun": "StepFun",
    "xiaomi": "Xiaomi",
    "ai2": "Ai2",
    "tencent": "Tencent",
    "bytedance": "ByteDance",
    "ai21-labs": "AI21 Labs",
    "minimax": "MiniMax",
    "microsoft-ai": "Microsoft AI",
}
_ROW_CLASSES = (
    "group relative flex w-full items-center border-b border-border-faint px-3 py-2 text-sm transition-colors "
    "hover:bg-surface-secondary data-[state=selected]:bg-surface-tertiary"
)


def _entries(board: pa.Table, rng: np.random.Generator) -> list[dict]:
    rating = np.round(board["rating"].to_numpy(), 2)
    lower = np.round(board["rating_lower"].to_numpy(), 2)
    upper = np.round(board["rating_upper"].to_numpy(), 2)
    order = np.argsort(-rating, kind="stable")
    rating, lower, upper = rating[order], lower[order], upper[order]
    names = np.array(board["model_name"].to_pylist(), dtype=object)[order]
    orgs = np.array(board["organization"].to_pylist(), dtype=object)[order]
    licences = np.array(board["license"].to_pylist(), dtype=object)[order]
    votes = board["vote_count"].to_numpy()[order].astype(np.int64)
    sorted_lower, sorted_upper = np.sort(lower), np.sort(upper)
    rank_upper = 1 + (len(lower) - np.searchsorted(sorted_lower, upper, side="right"))
    rank_lower = len(upper) - np.searchsorted(sorted_upper, lower, side="left")
    entries = []
    for i in range(len(rating)):
        org = orgs[i] or ""
        entries.append(
            {
                "rank": int(1 + np.sum(rating > rating[i])),
                "rankUpper": int(rank_upper[i]),
                "rankLower": int(rank_lower[i]),
                "rankStyleControl": int(max(1, i + 1 + rng.integers(-3, 4))),
                "modelKey": names[i],
                "modelDisplayName": names[i],
                "rating": float(rating[i]),
                "ratingUpper": float(upper[i]),
                "ratingLower": float(lower[i]),
                "votes": int(votes[i]),
                "modelOrganization": _ORG_NAMES.get(org, org.title()),
                "modelUrl": f"https://example.org/models/{names[i]}",
                "license": licences[i],
                "inputPricePerMillion": float(rng.choice([0.15, 0.5, 1.25, 3, 5, 15])),
                "outputPricePerMillion": float(rng.choice([0.6, 2, 10, 15, 25, 75])),
                "contextLength": int(rng.choice([32768, 128000, 200000, 1000000])),
                "pricePerImage": None,
                "pricePerSecond": None,
                "releaseType": None,
            }
        )
    return entries


def board_page(
    board: pa.Table,
    *,
    arena: str,
    category_slug: str,
    style: bool,
    cutoff: datetime,
    seed: int = 7,
    target_bytes: int | None = None,
) -> bytes:
    """The HTML of ``https://arena.ai/leaderboard/{arena}/{category_slug}[-no-style-control]`` for the rows of
    one board (dataset columns: model_name, organization, license, rating, rating_lower/upper, vote_count)."""
    rng = np.random.default_rng(seed)
    entries = _entries(board, rng)
    slug = category_slug + ("" if style else "-no-style-control")
    leaderboard = {
        "arenaSlug": arena,
        "leaderboardSlug": slug,
        "params": {"category": category_slug, "styleControl": style},
        "category": {
            "name": category_slug,
            "title": category_slug.replace("-", " ").title(),
            "icon": "$undefined",
        },
        "id": f"{zlib.crc32(f'{arena}/{slug}'.encode()):012d}-0000-4000-8000-000000000000",
        "entries": entries,
        "voteCutoffISOString": cutoff.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "totalVotes": int(sum(e["votes"] for e in entries)),
        "totalModels": len(entries),
    }
    plots = [
        {
            "type": "bootstrap_elo_rating",
            "data": {
                "modelRatings": [
                    {k: e[k] for k in ("modelDisplayName", "rating", "ratingLower", "ratingUpper")}
                    for e in entries[:60]
                ]
            },
        }
    ]
    props = {
        "arena": {"slug": arena, "title": arena.title(), "description": f"View overall {arena} leaderboard"},
        "leaderboard": leaderboard,
        "plots": plots,
        "initialViewBy": "$undefined",
        "initialRankBy": "$undefined",
        "initialLicenseType": "$undefined",
    }
    lines = [
        '0:{"P":null,"b":"build-benchmark","p":"","c":["","leaderboard","' + arena + '","' + slug + '"],'
        '"i":false,"f":[[["",{"children":["leaderboard",{}]},"$undefined","$undefined",true]]],"S":false}'
    ]
    for k in range(24):  # client module references, as the site sends them
        chunks = ",".join(
            f'"{i}","static/chunks/{rng.integers(10**15):x}.js?dpl=dpl_benchmark"' for i in range(18)
        )
        lines.append(f'{k + 16:x}:I[{rng.integers(10**5)},[{chunks}],"default"]')
    path = " ".join(
        f"M{rng.uniform(0, 200):.3f} {rng.uniform(0, 40):.3f}L{rng.uniform(0, 200):.3f} 0H0"
        for _ in range(140)
    )
    lines.append(f"2b:T{len(path):x},{path}")
    tree = [
        [
            "$",
            "div",
            f"row-{i}",
            {"className": _ROW_CLASSES, "children": ["$", "span", None, {"children": e["modelDisplayName"]}]},
        ]
        for i, e in enumerate(entries)
    ]
    lines.append("5:" + json.dumps(["$", "$L18", None, {"initialState": "$undefined", "children": tree}]))
    lines.append("b:" + json.dumps(["$", "$L1b", None, props]))
    flight = "\n".join(lines) + "\n"
    size = max(1, len(flight) // 38 + 1)
    scripts = "".join(
        f"<script>{_PUSH}{json.dumps(flight[i : i + size])}])</script>" for i in range(0, len(flight), size)
    )
    head = (
        '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><title>Leaderboard</title>'
        '<link rel="stylesheet" href="/_next/static/css/app.css"/></head><body><main><table>'
    )
    tail = (
        "</table></main><script>(self.__next_f=self.__next_f||[]).push([0])</script>"
        + scripts
        + "</body></html>"
    )
    rows = [_row_markup(e) for e in entries]
    markup = "".join(rows)
    if target_bytes is not None:
        missing = target_bytes - len(head) - len(markup) - len(tail)
        if missing > 0 and rows:
            markup += "<!-- " + "x" * max(0, missing - 9) + " -->"
    return (head + markup + tail).encode()


def _row_markup(e: dict) -> str:
    """Server-rendered table row, about as heavy as the site's (~5 KB per model)."""
    cells = "".join(
        f'<td class="{_ROW_CLASSES}"><div class="flex items-center gap-2"><span class="truncate font-medium '
        f'text-interactive-active">{value}</span></div></td>'
        for value in (
            e["rank"],
            e["rankUpper"],
            e["rankLower"],
            e["modelDisplayName"],
            e["rating"],
            f"{e['ratingLower']} - {e['ratingUpper']}",
            e["votes"],
            e["modelOrganization"],
            e["license"],
            e["contextLength"],
            e["inputPricePerMillion"],
            e["outputPricePerMillion"],
        )
    )
    icon = '<svg viewBox="0 0 24 24" class="size-4 shrink-0"><path d="M12 2L2 7l10 5 10-5-10-5z"/></svg>' * 14
    return f'<tr class="{_ROW_CLASSES}" data-model="{e["modelDisplayName"]}">{cells}{icon}</tr>'


def stdlib_entries(body: bytes) -> list[dict]:
    """The floor: the board's entries with the standard library only (join the pushed JSON strings, find the
    line carrying the entries, ``json.loads`` it)."""
    html = body.decode("utf-8")
    decoder = json.JSONDecoder()
    parts: list[str] = []
    pos = html.find(_PUSH)
    while pos != -1:
        value, end = decoder.raw_decode(html, pos + len(_PUSH))
        parts.append(value)
        pos = html.find(_PUSH, end)
    for line in "".join(parts).split("\n"):
        if '"entries"' in line and '"leaderboard' in line:
            value = json.loads(line.partition(":")[2])
            return value[3]["leaderboard"]["entries"]
    raise ValueError("no leaderboard line")
