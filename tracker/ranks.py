"""The tracker's own ranks of each standing, from ratings and confidence intervals, the same rule in every era:

    rank_ordinal = 1 + models of the snapshot with a strictly higher rating
    rank_ub      = 1 + models whose rating_lower is above this model's rating_upper      (rank (UB))
    rank_lb      = models whose rating_upper is at or above this model's rating_lower

Models without both bounds get no rank_ub / rank_lb and do not count in other models' (as if unrated there).

Where it sits: between validation and the store (``store.load_frame`` ranks the rows it stores; the dataset
parser ranks a file to tell what its published ranks mean). Set-based in polars, per snapshot (``by``: an
integer id of the snapshot): one ``rank`` for the ordinal ranks, and one sort of every bound of every
snapshot for the other two, where running counts of lower and upper bounds give both at once.
"""

from __future__ import annotations

import polars as pl

RANK_COLUMNS = ("rank_ordinal", "rank_ub", "rank_lb")


def with_ranks(frame: pl.DataFrame, by: str) -> pl.DataFrame:
    """``frame`` (with ``rating``, ``rating_lower``, ``rating_upper`` and the snapshot id ``by``) with
    ``rank_ordinal``, ``rank_ub`` and ``rank_lb`` (Int32) set, in the same row order."""
    ub, lb = _bound_ranks(frame, by)
    return frame.with_columns(
        pl.col("rating").rank("min", descending=True).over(by).cast(pl.Int32).alias("rank_ordinal"),
        ub.alias("rank_ub"),
        lb.alias("rank_lb"),
    )


def _bound_ranks(frame: pl.DataFrame, by: str) -> tuple[pl.Series, pl.Series]:
    rows = frame.select(
        pl.int_range(frame.height, dtype=pl.UInt32).alias("_row"),
        pl.col(by).alias("_snap"),
        "rating_lower",
        "rating_upper",
    ).filter(pl.col("rating_lower").is_not_null() & pl.col("rating_upper").is_not_null())
    # Every bound of a snapshot, highest first; at equal value an upper bound before a lower one (upper
    # bounds come first and the sort keeps their order at ties: a third sort key cost ~40% more), so the
    # lower bounds counted before an upper bound are those strictly above it, and the upper bounds counted
    # up to a lower bound are those at or above it.
    bounds = pl.concat(
        [
            rows.select(
                "_row", "_snap", pl.col("rating_upper").alias("_value"), pl.lit(0, pl.Int32).alias("_lower")
            ),
            rows.select(
                "_row", "_snap", pl.col("rating_lower").alias("_value"), pl.lit(1, pl.Int32).alias("_lower")
            ),
        ]
    ).sort(["_snap", "_value"], descending=[False, True], maintain_order=True)
    # running counts over the whole sorted frame, less their value where each snapshot starts
    starts = (pl.col("_snap") != pl.col("_snap").shift(1)).fill_null(True)
    lowers_before = pl.col("_lower").cum_sum() - pl.col("_lower")
    uppers_upto = (1 - pl.col("_lower")).cum_sum()
    counted = bounds.select(
        "_row",
        "_lower",
        (lowers_before - pl.when(starts).then(lowers_before).forward_fill()).alias("_lowers_above"),
        (uppers_upto - pl.when(starts).then(uppers_upto - (1 - pl.col("_lower"))).forward_fill()).alias(
            "_uppers_at_or_above"
        ),
    )
    empty = pl.Series(values=[None] * frame.height, dtype=pl.Int32)
    uppers = counted.filter(pl.col("_lower") == 0)
    lowers = counted.filter(pl.col("_lower") == 1)
    ub = empty.scatter(uppers["_row"], (uppers["_lowers_above"] + 1).cast(pl.Int32))
    lb = empty.clone().scatter(lowers["_row"], lowers["_uppers_at_or_above"].cast(pl.Int32))
    return ub, lb
