"""Hand-written arena.ai-style pages for edge-case tests: the same flight layout as the real site."""

from __future__ import annotations

import json


def entry(
    name: str, rating: float, lower: float, upper: float, votes: int = 1000, rank: int = 1, **extra
) -> dict:
    return {
        "rank": rank,
        "modelDisplayName": name,
        "rating": rating,
        "ratingLower": lower,
        "ratingUpper": upper,
        "votes": votes,
        "modelOrganization": "Org",
        "license": "Proprietary",
        **extra,
    }


def leaderboard(
    entries: list[dict],
    *,
    arena: str = "text",
    category: str = "overall",
    style: bool = False,
    cutoff: str = "2026-05-07T14:00:00.000Z",
) -> dict:
    slug = category + ("" if style else "-no-style-control")
    return {
        "arenaSlug": arena,
        "leaderboardSlug": slug,
        "params": {"category": category, "styleControl": style},
        "id": "00000000-0000-0000-0000-000000000000",
        "entries": entries,
        "voteCutoffISOString": cutoff,
        "totalVotes": sum(e.get("votes", 0) for e in entries),
        "totalModels": len(entries),
    }


def page(
    board: dict | None, *, line_id: str = "b", chunks: int = 3, extra_lines: tuple[str, ...] = ()
) -> bytes:
    """An HTML page whose flight text carries the board on line ``line_id``, split into ``chunks`` pushes
    at arbitrary points (lines break inside chunks, as on the real site)."""
    lines = ['0:["$","html",null,{}]', *extra_lines]
    if board is not None:
        props = {"arena": {"slug": board.get("arenaSlug")}, "leaderboard": board, "plots": {}}
        lines.append(f"{line_id}:" + json.dumps(["$", "$L1b", null_value(), props]))
    text = "\n".join(lines) + "\n"
    size = max(1, len(text) // chunks + 1)
    pieces = [text[i : i + size] for i in range(0, len(text), size)]
    scripts = "".join(f"<script>self.__next_f.push([1,{json.dumps(p)}])</script>" for p in pieces)
    return f"<!DOCTYPE html><html><head></head><body><script>(self.__next_f=self.__next_f||[]).push([0])</script>{scripts}</body></html>".encode()


def null_value():
    return None
