"""The pandas baseline: the same answers as the named queries, computed the way a notebook user would from a
Parquet export (``tracker export DIR`` -> ``pd.read_parquet(DIR / "rank_history")``, then filters,
sorts and group-bys on the whole frame). The frame is loaded once per session (``load``), so each query's
time is the computation alone; the load is measured as its own figure.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd


def load(lake: Path) -> pd.DataFrame:
    """The export as one frame; ``as_of`` (a Parquet DATE, read as Python dates) made datetime64 once, as a
    user would before filtering on it, so the comparisons below are vectorised (kind to the baseline)."""
    rh = pd.read_parquet(lake / "rank_history")
    return rh.assign(as_of=pd.to_datetime(rh["as_of"]))


def _board(rh: pd.DataFrame, arena: str, category: str, style_control: bool) -> pd.DataFrame:
    return rh[(rh["arena"] == arena) & (rh["category"] == category) & (rh["style_control"] == style_control)]


def _as_of(board: pd.DataFrame, at: date | None) -> object:
    days = board["as_of"]
    return days.max() if at is None else days[days <= pd.Timestamp(at)].max()


def model_history(
    rh: pd.DataFrame, model: str, arena: str, category: str, style_control: bool
) -> pd.DataFrame:
    h = _board(rh, arena, category, style_control)
    h = h[h["model"] == model].sort_values("as_of")
    h = h.assign(ordinal_gain=h["rank_ordinal"].shift() - h["rank_ordinal"])
    return h[
        [
            "as_of",
            "rank_ordinal",
            "rank_ub",
            "ordinal_gain",
            "rating",
            "rating_lower",
            "rating_upper",
            "votes",
            "source",
        ]
    ]


def leaderboard(
    rh: pd.DataFrame, arena: str, category: str, style_control: bool, at: date | None
) -> pd.DataFrame:
    b = _board(rh, arena, category, style_control).sort_values(["model", "as_of"])
    by_model = b.groupby("model", observed=True)
    b = b.assign(
        gain=by_model["rank_ordinal"].shift() - b["rank_ordinal"], prev_as_of=by_model["as_of"].shift()
    )
    day = b[b["as_of"] == _as_of(b, at)]
    return day.sort_values(["rank_ordinal", "model"])[
        [
            "as_of",
            "rank_ordinal",
            "rank_ub",
            "model",
            "organization",
            "rating",
            "rating_lower",
            "rating_upper",
            "votes",
            "gain",
            "prev_as_of",
        ]
    ]


def movers(
    rh: pd.DataFrame, arena: str, category: str, style_control: bool, from_date: date, to_date: date
) -> pd.DataFrame:
    b = _board(rh, arena, category, style_control)
    cols = ["model", "as_of", "rank_ordinal", "rank_ub", "rating"]
    a = b[b["as_of"] == _as_of(b, from_date)][cols]
    z = b[b["as_of"] == _as_of(b, to_date)][cols]
    m = a.merge(z, on="model", how="outer", suffixes=("_from", "_to"), indicator=True)
    gain = m["rank_ordinal_from"] - m["rank_ordinal_to"]
    movement = pd.Series("steady", index=m.index)
    movement[gain > 0] = "riser"
    movement[gain < 0] = "faller"
    movement[m["_merge"] == "right_only"] = "entrant"
    movement[m["_merge"] == "left_only"] = "leaver"
    m = m.assign(movement=movement, ordinal_gain=gain, rating_change=m["rating_to"] - m["rating_from"])
    m = m[m["movement"] != "steady"]
    order = m["movement"].map({"entrant": 1, "riser": 2, "faller": 3, "leaver": 4})
    return (
        m.assign(_o=order, _g=-m["ordinal_gain"].abs())
        .sort_values(["_o", "_g", "model"])
        .drop(columns=["_o", "_g", "_merge"])
    )


def crowns(rh: pd.DataFrame, arena: str, category: str, style_control: bool) -> pd.DataFrame:
    b = _board(rh, arena, category, style_control)
    days = pd.Series(sorted(b["as_of"].unique()))
    seq = pd.Series(range(1, len(days) + 1), index=days)
    following = pd.Series(days.shift(-1).to_numpy(), index=days)
    top = b[b["rank_ordinal"] == 1][["model", "as_of"]].sort_values(["model", "as_of"])
    top = top.assign(
        seq=top["as_of"].map(seq).to_numpy(),
        holders=top.groupby("as_of")["model"].transform("size"),
    )
    top = top.assign(island=top["seq"] - top.groupby("model", observed=True).cumcount())
    reigns = (
        top.groupby(["model", "island"], observed=True)
        .agg(
            reign_start=("as_of", "min"),
            last_held=("as_of", "max"),
            snapshots=("as_of", "size"),
            shared=("holders", "max"),
        )
        .reset_index()
    )
    reigns["reign_end"] = reigns["last_held"].map(following)
    reigns["days"] = (reigns["reign_end"].fillna(days.max()) - reigns["reign_start"]).dt.days
    reigns["shared"] = reigns["shared"] > 1
    return reigns.sort_values(["reign_start", "model"])


def org_race(
    rh: pd.DataFrame, arena: str, category: str, style_control: bool, at: date | None
) -> pd.DataFrame:
    b = _board(rh, arena, category, style_control)
    day = b[(b["as_of"] == _as_of(b, at)) & b["organization"].notna()]
    best = day.sort_values(["rank_ordinal", "model"]).drop_duplicates("organization")[
        ["organization", "model"]
    ]
    grouped = (
        day.groupby("organization")
        .agg(
            best_rank=("rank_ordinal", "min"),
            best_rank_ub=("rank_ub", "min"),
            top10=("rank_ordinal", lambda r: int((r <= 10).sum())),
            top10_ub=("rank_ub", lambda r: int((r <= 10).sum())),
            models=("model", "size"),
        )
        .reset_index()
    )
    out = grouped.merge(best.rename(columns={"model": "best_model"}), on="organization")
    return out.sort_values(["best_rank", "organization"])
