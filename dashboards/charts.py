"""Altair chart builders for the pages. Each takes a frame holding only the columns it plots (pages select
them), so the browser receives no more data than it draws.

Rank axes are reversed (rank 1 on top, as on a leaderboard) and can be logarithmic, which keeps the top
of a board readable when a chart also follows a model far down it. Methodology markers, when given, are
dashed vertical rules with a label, drawn only within the plotted dates. Points mark each snapshot while
there are few; on long histories lines alone stay legible.
"""

from __future__ import annotations

import altair as alt
import polars as pl

OUTCOME_COLOURS = {
    "new": "#2e7d32",
    "unchanged": "#9e9e9e",
    "not_modified": "#cfd8dc",
    "rejected": "#ef6c00",
    "failed": "#c62828",
}
_HEIGHT = 420
_MAX_POINTS_DATES = 40  # beyond this many dates, per-snapshot points turn a line into a smear


def _x(title: str | None = None) -> alt.X:
    return alt.X("as_of:T", title=title, axis=alt.Axis(format="%Y-%m-%d", labelAngle=0, labelOverlap=True))


def _rank_scale(frame: pl.DataFrame, column: str, *, log: bool = False) -> alt.Scale:
    deepest = int(frame[column].max() or 1) if not frame.is_empty() else 1
    if log:
        return alt.Scale(type="log", reverse=True, domain=[1, max(deepest, 2)], nice=False)
    return alt.Scale(reverse=True, domain=[1, max(deepest, 2)], nice=False, zero=False)


def _rank_axis() -> alt.Axis:
    return alt.Axis(format="d", tickMinStep=1)


def _points(frame: pl.DataFrame, column: str = "as_of", size: int = 30) -> alt.OverlayMarkDef | bool:
    return alt.OverlayMarkDef(size=size) if frame[column].n_unique() <= _MAX_POINTS_DATES else False


def markers_layer(markers: pl.DataFrame | None, frame: pl.DataFrame | None = None) -> list[alt.Chart]:
    """Dashed rules at methodology changes (columns: as_of, label) within ``frame``'s dates; a marker
    outside them would stretch the time axis over empty space."""
    if markers is None or markers.is_empty():
        return []
    if frame is not None and not frame.is_empty():
        markers = markers.filter(pl.col("as_of").is_between(frame["as_of"].min(), frame["as_of"].max()))
        if markers.is_empty():
            return []
    base = alt.Chart(markers.select("as_of", "label"))
    rule = base.mark_rule(strokeDash=[4, 4], color="#6d4c41").encode(
        x="as_of:T", tooltip=[alt.Tooltip("as_of:T", title="date"), alt.Tooltip("label:N", title="change")]
    )
    text = base.mark_text(align="left", baseline="top", dx=3, dy=2, color="#6d4c41", fontSize=10).encode(
        x="as_of:T", y=alt.value(0), text="label:N"
    )
    return [rule, text]


def bump(
    frame: pl.DataFrame,
    *,
    rank_title: str,
    spread: bool,
    log: bool = False,
    markers: pl.DataFrame | None = None,
    labels: pl.DataFrame | None = None,
) -> alt.LayerChart:
    """Rank over time per model (columns: as_of, display_name, rank, and spread_top / spread_bottom when
    ``spread``); ``labels`` (display_name, as_of, rank) name each line at its last point."""
    colour = alt.Color("display_name:N", title="Model", legend=alt.Legend(orient="bottom", columns=5))
    y_scale = _rank_scale(frame, "spread_bottom" if spread else "rank", log=log)
    base = alt.Chart(frame).encode(x=_x())
    layers: list[alt.Chart] = []
    if spread:
        # the band carries no legend of its own: a faint band swatch would wash out the line colours
        layers.append(
            base.mark_area(opacity=0.1, interpolate="monotone").encode(
                y=alt.Y("spread_top:Q", scale=y_scale, title=rank_title, axis=_rank_axis()),
                y2="spread_bottom:Q",
                color=alt.Color("display_name:N", legend=None),
            )
        )
    layers.append(
        base.mark_line(point=_points(frame, size=40), strokeWidth=2.5, interpolate="monotone").encode(
            y=alt.Y("rank:Q", scale=y_scale, title=rank_title, axis=_rank_axis()),
            color=colour,
            tooltip=[
                alt.Tooltip("display_name:N", title="model"),
                alt.Tooltip("as_of:T", title="date"),
                alt.Tooltip("rank:Q", title=rank_title),
            ],
        )
    )
    if labels is not None and not labels.is_empty():
        layers.append(
            alt.Chart(labels)
            .mark_text(align="left", dx=6, fontSize=11)
            .encode(
                x="as_of:T",
                y=alt.Y("rank:Q", scale=y_scale),
                text="display_name:N",
                color=alt.Color("display_name:N", legend=None),
            )
        )
    return alt.layer(*layers, *markers_layer(markers, frame)).properties(height=_HEIGHT)


def rating_bands(frame: pl.DataFrame, *, markers: pl.DataFrame | None = None) -> alt.LayerChart:
    """Rating over time with its 95% CI as a band (columns: as_of, display_name, rating, rating_lower,
    rating_upper)."""
    colour = alt.Color("display_name:N", title="Model", legend=None)
    base = alt.Chart(frame).encode(x=_x(), color=colour)
    band = base.mark_area(opacity=0.15).encode(
        y=alt.Y("rating_lower:Q", title="Rating (95% CI)", scale=alt.Scale(zero=False)), y2="rating_upper:Q"
    )
    line = base.mark_line(point=_points(frame, size=25)).encode(
        y="rating:Q",
        tooltip=[
            alt.Tooltip("display_name:N", title="model"),
            alt.Tooltip("as_of:T", title="date"),
            alt.Tooltip("rating:Q", format=".1f"),
            alt.Tooltip("rating_lower:Q", title="CI low", format=".1f"),
            alt.Tooltip("rating_upper:Q", title="CI high", format=".1f"),
        ],
    )
    return alt.layer(band, line, *markers_layer(markers, frame)).properties(height=300)


def small_multiples(
    frame: pl.DataFrame, *, order: list[str] | None = None, columns: int = 3, width: int = 220
) -> alt.FacetChart:
    """One small rank chart per arena/category, raw and style-controlled as two lines (columns: panel, style,
    as_of, rank_ordinal, rank_ub); each panel has its own rank axis (rank 1 on top)."""
    return (
        alt.Chart(frame)
        .mark_line(point=_points(frame, size=18))
        .encode(
            x=_x(),
            y=alt.Y(
                "rank_ordinal:Q", title="rank", scale=alt.Scale(reverse=True, zero=False), axis=_rank_axis()
            ),
            color=alt.Color(
                "style:N",
                title="Board",
                scale=alt.Scale(domain=["raw", "style control"], range=["#1565c0", "#ef6c00"]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("panel:N", title="board"),
                alt.Tooltip("style:N", title="variant"),
                alt.Tooltip("as_of:T", title="date"),
                alt.Tooltip("rank_ordinal:Q", title="rank"),
                alt.Tooltip("rank_ub:Q", title="rank (UB)"),
            ],
        )
        .properties(width=width, height=140)
        .facet(facet=alt.Facet("panel:N", title=None, sort=order or "ascending"), columns=columns)
        .resolve_scale(y="independent", x="independent")
    )


def org_best_rank(
    frame: pl.DataFrame, *, log: bool = False, markers: pl.DataFrame | None = None
) -> alt.LayerChart:
    """Best rank per organisation over time (columns: as_of, organization, best_rank)."""
    line = (
        alt.Chart(frame)
        .mark_line(point=_points(frame, size=25), interpolate="step-after")
        .encode(
            x=_x(),
            y=alt.Y(
                "best_rank:Q",
                title="best rank",
                scale=_rank_scale(frame, "best_rank", log=log),
                axis=_rank_axis(),
            ),
            color=alt.Color("organization:N", title="Organisation", legend=alt.Legend(orient="bottom")),
            tooltip=["organization:N", alt.Tooltip("as_of:T", title="date"), "best_rank:Q"],
        )
    )
    return alt.layer(line, *markers_layer(markers, frame)).properties(height=360)


def org_top_counts(frame: pl.DataFrame, *, top: int) -> alt.Chart:
    """Number of models per organisation in the top N over time (columns: as_of, organization, count)."""
    return (
        alt.Chart(frame)
        .mark_line(point=_points(frame, size=25), interpolate="step-after")
        .encode(
            x=_x(),
            y=alt.Y(
                "models_in_top:Q",
                title=f"models in the top {top}",
                scale=alt.Scale(zero=True),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color("organization:N", title="Organisation", legend=None),
            tooltip=["organization:N", alt.Tooltip("as_of:T", title="date"), "models_in_top:Q"],
        )
        .properties(height=260)
    )


def fetch_timeline(frame: pl.DataFrame) -> alt.Chart:
    """Fetches per day stacked by outcome (columns: day, outcome, fetches)."""
    outcomes = list(OUTCOME_COLOURS)
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("day:T", title=None, axis=alt.Axis(format="%Y-%m-%d", labelAngle=0)),
            y=alt.Y("fetches:Q", title="fetches"),
            color=alt.Color(
                "outcome:N",
                scale=alt.Scale(domain=outcomes, range=[OUTCOME_COLOURS[o] for o in outcomes]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[alt.Tooltip("day:T", title="day"), "outcome:N", "fetches:Q"],
        )
        .properties(height=220)
    )


def reigns(frame: pl.DataFrame) -> alt.Chart:
    """#1 reigns as bars on a time axis (columns: display_name, reign_start, shown_until, days)."""
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadius=3, height=alt.RelativeBandSize(0.7))
        .encode(
            x=alt.X(
                "reign_start:T", title=None, axis=alt.Axis(format="%Y-%m-%d", labelAngle=0, labelOverlap=True)
            ),
            x2="shown_until:T",
            y=alt.Y("display_name:N", title=None, sort=alt.EncodingSortField("reign_start", op="min")),
            color=alt.Color("display_name:N", legend=None),
            tooltip=[
                alt.Tooltip("display_name:N", title="model"),
                alt.Tooltip("reign_start:T", title="from"),
                alt.Tooltip("shown_until:T", title="until"),
                alt.Tooltip("days:Q", title="days"),
            ],
        )
        .properties(height=alt.Step(26))
    )
