"""Canonical boards: leaderboards, arenas, categories and style control, and every source's names for them.

A board is (leaderboard, arena, category, style_control). The leaderboard is the publisher and its ranking:
LMArena (every page, dataset and archive copy), Artificial Analysis, or one a user declares in tracker.toml.
Sources name these differently (``webdev`` vs
``code``, ``hard-prompts`` vs ``hard_6`` vs ``hard_prompts``, ``full`` vs ``overall``,
``*_style_control`` suffixes); this module is the one place that maps them onto the canonical names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.errors import ParseError

# The leaderboard of every board that does not name one (tracker/parsed.py fills it; sql/ spells it too).
DEFAULT_LEADERBOARD = "LMArena"
ARTIFICIAL_ANALYSIS = "Artificial Analysis"
# what people type for the built-in leaderboards, compared after lower-casing and dropping non-letters
_LEADERBOARD_ALIASES = {
    "lmarena": DEFAULT_LEADERBOARD,
    "arena": DEFAULT_LEADERBOARD,
    "lmsys": DEFAULT_LEADERBOARD,
    "chatbotarena": DEFAULT_LEADERBOARD,
    "artificialanalysis": ARTIFICIAL_ANALYSIS,
    "aa": ARTIFICIAL_ANALYSIS,
}

ARENAS = (
    "text",
    "webdev",
    "vision",
    "text_to_image",
    "image_edit",
    "search",
    "document",
    "text_to_video",
    "image_to_video",
    "video_edit",
    "agent",
)

_ARENA_ALIASES = {
    "code": "webdev",
    "web_dev": "webdev",
    "webdev": "webdev",
    "text2image": "text_to_image",
    "t2i": "text_to_image",
    "image": "text_to_image",
    "text_to_image": "text_to_image",
    "image_editing": "image_edit",
    "text2video": "text_to_video",
    "image2video": "image_to_video",
    "video_editing": "video_edit",
    "copilot": "copilot",
}

MAIN_TEXT_CATEGORIES = (
    "overall",
    "expert",
    "hard_prompts",
    "coding",
    "math",
    "creative_writing",
    "instruction_following",
    "longer_query",
    "multi_turn",
)

_CATEGORY_ALIASES = {
    "full": "overall",
    "default": "overall",
    "hard_6": "hard_prompts",
    "hard": "hard_prompts",
    "hard_english_6": "hard_prompts_english",
    "if": "instruction_following",
    "long_user": "longer_query",
    "long": "longer_query",
    "longer_queries": "longer_query",
    "multiturn": "multi_turn",
    "creative_writing": "creative_writing",
    "no_tie": "exclude_ties",
    "no_short": "exclude_short",
    "no_refusal": "exclude_refusal",
}

_STYLE_SUFFIXES = ("_style_control", "_stylectrl", "_style")
_NO_STYLE_SUFFIXES = ("_no_style_control", "_no_style")


@dataclass(frozen=True, order=True)
class Board:
    arena: str
    category: str
    style_control: bool
    leaderboard: str = DEFAULT_LEADERBOARD

    @property
    def slug(self) -> str:
        suffix = "" if self.style_control else "-no-style-control"
        prefix = "" if self.leaderboard == DEFAULT_LEADERBOARD else f"{self.leaderboard}: "
        return f"{prefix}{self.arena}/{self.category}{suffix}"


def board_label(leaderboard: str, arena: str, category: str, style_control: bool) -> str:
    """A board's name in sentences, as sql/macros/board_label.sql writes it: 'text/overall (raw)' on LMArena,
    'Artificial Analysis · text_to_speech/overall (raw)' on another leaderboard."""
    prefix = "" if leaderboard == DEFAULT_LEADERBOARD else f"{leaderboard} · "
    return f"{prefix}{arena}/{category} ({'style control' if style_control else 'raw'})"


def canonical_leaderboard(name: str) -> str:
    """A built-in leaderboard's name from what people type (``lmarena``, ``aa``, ``artificial-analysis``);
    any other name (a declared leaderboard) as given, trimmed."""
    return _LEADERBOARD_ALIASES.get(re.sub(r"[^a-z]", "", name.lower()), name.strip())


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def canonical_arena(name: str, *, origin: str = "<input>") -> str:
    key = _snake(name)
    key = _ARENA_ALIASES.get(key, key)
    if not key:
        raise ParseError(origin, f"empty arena name {name!r}", field="arena")
    return key


def split_style(name: str) -> tuple[str, bool | None]:
    """Strip a style-control suffix: ('coding_style_control') -> ('coding', True); None when unsaid."""
    key = _snake(name)
    for suffix in _NO_STYLE_SUFFIXES:
        if key.endswith(suffix):
            return key[: -len(suffix)], False
    for suffix in _STYLE_SUFFIXES:
        if key.endswith(suffix):
            return key[: -len(suffix)], True
    if key == "style_control":
        return "overall", True
    return key, None


def canonical_category(name: str, *, origin: str = "<input>", styled: bool = True) -> str:
    """A category name in snake case, through the aliases. ``styled``: the name may end in a style-control
    suffix (LMArena's names), which is dropped; a publisher without style control names none, so there
    ``alter_background_texture_or_style`` keeps its last word."""
    key = split_style(name)[0] if styled else _snake(name)
    key = _CATEGORY_ALIASES.get(key, key)
    if not key:
        raise ParseError(origin, f"empty category name {name!r}", field="category")
    return key


def dataset_config_board(config: str, *, origin: str = "<input>") -> tuple[str, bool]:
    """Official dataset config -> (arena, style_control). ``text`` is raw; ``text_style_control`` is not."""
    base, style = split_style(config)
    return canonical_arena(base, origin=origin), bool(style)


def page_slug_board(arena_slug: str, leaderboard_slug: str, *, origin: str = "<input>") -> Board:
    """arena.ai URL parts -> Board. A slug without ``-no-style-control`` is style-controlled (site default)."""
    category, style = split_style(leaderboard_slug or "overall")
    return Board(
        canonical_arena(arena_slug, origin=origin),
        canonical_category(category or "overall", origin=origin),
        True if style is None else style,
    )
