"""Altair chart builders for the pages. Each takes a frame holding only the columns it plots (pages select
them), so the browser receives no more data than it draws.

Rank axes are reversed (rank 1 on top, as on a leaderboard) and can be logarithmic, which keeps the top
of a board readable when a chart also follows a model far down it. Every series is named: by a label at
its line's end, moved apart from the others so no two overlap (``chart_layout.dodge``), or, when too many
labels cannot fit, by a legend. Colours come from ``chart_layout.PALETTE`` (all readable on white). A line
breaks over a gap of more than ``chart_layout.GAP_INTERVALS`` of the board's usual intervals between
snapshots instead of bridging months without data; a point left alone by such breaks is drawn as a dot.
Methodology changes are dashed vertical rules with their label above the plot, clear of the data. Points
mark each snapshot while there are few; on long histories lines alone stay legible.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import altair as alt
import polars as pl

from dashboards import chart_layout as layout
from dashboards.text import short_names

OUTCOME_COLOURS = {
    "new": "#2e7d32",
    "unchanged": "#546e7a",
    "not_modified": "#8d6e63",
    "rejected": "#ef6c00",
    "failed": "#c62828",
}
MARKER_COLOUR = "#6d4c41"
TEXT_COLOUR = (
    "#31333f"  # axis labels and titles, legends, panel titles: the page's text colour, not a pale grey
)
_HEIGHT = 420
_MAX_POINTS_DATES = 40  # beyond this many dates, per-snapshot points turn a line into a smear
_LABEL_CHARS = 30  # end labels longer than this keep their start and end (text.short_names)
_LABEL_DX = 6  # px between a line's last point and its label


def readable(chart: alt.TopLevelMixin, *, fit_width: bool = True) -> alt.TopLevelMixin:
    """Axis, legend and panel text in the page's text colour (the default theme draws them pale), drawn as
    SVG: text stays text (selectable, read by screen readers, and its place can be checked). With
    ``fit_width`` the chart fills the page's width while the plot keeps its height exactly: labels placed
    in pixels (``chart_layout``) land where they were placed, and the labels above and beside the plot add
    to the chart instead of squeezing the data (Streamlit's default would fit the whole chart, labels
    included, into the height)."""
    if fit_width:
        chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return (
        chart.properties(usermeta={"embedOptions": {"renderer": "svg"}})
        .configure_axis(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
        .configure_legend(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
        .configure_header(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
    )


def date_x(title: str | None = None) -> alt.X:
    return alt.X("as_of:T", title=title, axis=alt.Axis(format="%Y-%m-%d", labelAngle=0, labelOverlap=True))


def rank_axis() -> alt.Axis:
    return alt.Axis(format="d", tickMinStep=1)


def few_dates(frame: pl.DataFrame, column: str = "as_of") -> bool:
    return frame[column].n_unique() <= _MAX_POINTS_DATES


def series_colour(names: list[str], title: str | None = None, *, legend: bool = False) -> alt.Color:
    """Colour by series, from the palette in the order of ``names`` (best first)."""
    return alt.Color(
        "series:N",
        title=title,
        scale=alt.Scale(domain=names, range=layout.colours(names)),
        legend=alt.Legend(orient="bottom", columns=4, labelLimit=260) if legend else None,
    )


def markers_layer(
    markers: pl.DataFrame | None, frame: pl.DataFrame | None = None, *, date_col: str = "as_of"
) -> list[alt.Chart]:
    """Dashed rules at methodology changes (columns: as_of, label) within ``frame``'s dates, each labelled
    above the plot (rows stacked where labels would meet), so no label sits on the data. A marker outside
    the dates would stretch the time axis over empty space."""
    if markers is None or markers.is_empty():
        return []
    if frame is not None and not frame.is_empty():
        first, last = frame[date_col].min(), frame[date_col].max()
        markers = markers.filter(pl.col("as_of").is_between(first, last))
        if markers.is_empty():
            return []
    else:
        first, last = markers["as_of"].min(), markers["as_of"].max()
    markers = markers.select("as_of", "label").sort("as_of")
    span = max((last - first).days, 1)
    placed: list[tuple[float, float, int, str]] = []  # (x0, x1, row, align) in px of the narrowest plot
    for day in markers["as_of"]:
        x = (day - first).days / span * layout.MIN_PLOT_WIDTH
        width = layout.text_width(markers.filter(pl.col("as_of") == day)["label"][0]) + 3
        # a label runs right of its rule, or left of it in the right half, so it stays over the plot
        align = "right" if x > layout.MIN_PLOT_WIDTH / 2 else "left"
        x0 = x - width if align == "right" else x
        taken = {row for a, b, row, _ in placed if a < x0 + width and x0 < b}
        placed.append((x0, x0 + width, min(set(range(len(placed) + 1)) - taken), align))
    rows = markers.with_columns(
        row=pl.Series([p[2] for p in placed], dtype=pl.Int32),
        align=pl.Series([p[3] for p in placed], dtype=pl.Utf8),
    )
    rule = (
        alt.Chart(rows)
        .mark_rule(strokeDash=[4, 4], color=MARKER_COLOUR)
        .encode(
            x="as_of:T",
            tooltip=[alt.Tooltip("as_of:T", title="date"), alt.Tooltip("label:N", title="change")],
        )
    )
    texts = []
    for (row, align), part in rows.group_by("row", "align", maintain_order=True):
        texts.append(
            alt.Chart(part)
            .mark_text(
                align=align,
                baseline="bottom",
                dx=3 if align == "left" else -3,
                color=MARKER_COLOUR,
                fontSize=10,
            )
            .encode(x="as_of:T", y=alt.value(-4 - 12 * row), text="label:N")
        )
    return [rule, *texts]


def _end_labels(
    frame: pl.DataFrame, series: str, value: str, scale: layout.LinearScale | layout.RankScale
) -> pl.DataFrame | None:
    """One label per series at its last point (columns: as_of, series, label_at, label), moved apart in
    pixel space; None when they cannot all fit (the caller shows a legend instead)."""
    last = frame.drop_nulls(value).sort("as_of").group_by(series, maintain_order=True).last()
    if last.is_empty():
        return None
    first_day, last_day = frame["as_of"].min(), frame["as_of"].max()
    span = max((last_day - first_day).days, 1)
    shown = short_names(last[series].to_list(), _LABEL_CHARS)
    boxes = [
        (
            (day - first_day).days / span * layout.MIN_PLOT_WIDTH + _LABEL_DX,
            layout.text_width(shown[name]),
            scale.to_px(v),
        )
        for name, day, v in zip(last[series], last["as_of"], last[value], strict=True)
    ]
    placed = layout.dodge(boxes, scale.height)
    if placed is None:
        return None
    return last.select(
        "as_of",
        pl.col(series).alias("series"),
        pl.Series("label_at", [scale.from_px(y) for y in placed], dtype=pl.Float64),
        pl.Series("label", [shown[n] for n in last[series]], dtype=pl.Utf8),
    )


def _series_layers(
    frame: pl.DataFrame,
    *,
    value: str,
    title: str,
    y_scale: alt.Scale,
    axis: alt.Axis | None,
    labels: pl.DataFrame | None,
    names: list[str],
    legend_title: str,
    interpolate: str = "linear",
    stroke: float = 2.0,
    band: tuple[str, str] | None = None,
    tooltip: list | None = None,
) -> list[alt.Chart]:
    """A line per segment coloured by ``series``, dots where a point is alone (or every point while few),
    an optional band, and the end labels (or a legend when ``labels`` is None)."""
    colour = series_colour(names, legend_title, legend=labels is None)
    base = alt.Chart(frame).encode(x=date_x(), color=colour)
    layers: list[alt.Chart] = []
    if band is not None:
        # the band carries no legend of its own: a faint band swatch would wash out the line colours
        layers.append(
            base.mark_area(opacity=0.07, interpolate=interpolate).encode(
                y=alt.Y(f"{band[0]}:Q", scale=y_scale, title=title, axis=axis),
                y2=f"{band[1]}:Q",
                detail="segment:N",
                color=series_colour(names),
            )
        )
    y = alt.Y(f"{value}:Q", scale=y_scale, title=title, axis=axis)
    tips = tooltip or [
        alt.Tooltip("series:N", title="series"),
        alt.Tooltip("as_of:T", title="date"),
        alt.Tooltip(f"{value}:Q", title=title),
    ]
    layers.append(
        base.mark_line(strokeWidth=stroke, interpolate=interpolate).encode(
            y=y, detail="segment:N", tooltip=tips
        )
    )
    dots = frame if few_dates(frame) else frame.filter(pl.col("alone"))
    if not dots.is_empty():
        layers.append(
            alt.Chart(dots)
            .mark_circle(size=30, opacity=1)
            .encode(x=date_x(), y=y, color=colour, tooltip=tips)
        )
    if labels is not None:
        layers.append(
            alt.Chart(labels)
            .mark_text(
                align="left", baseline="middle", dx=_LABEL_DX, fontSize=layout.LABEL_FONT, fontWeight="bold"
            )
            .encode(
                x="as_of:T",
                y=alt.Y("label_at:Q", scale=y_scale),
                text="label:N",
                color=series_colour(names),
                tooltip=[alt.Tooltip("series:N", title="series")],
            )
        )
    return layers


def _prepared(
    frame: pl.DataFrame, series: str, value: str, board_dates: Sequence[date] | None, *, best_low: bool
) -> tuple[pl.DataFrame, list[str]]:
    """The frame with ``series``, ``segment`` and ``alone`` columns, and the series names ordered by their last
    value (best first), which hands out the colours."""
    frame = layout.segments(
        frame.rename({series: "series"}) if series != "series" else frame, "series", board_dates
    )
    last = frame.drop_nulls(value).sort("as_of").group_by("series", maintain_order=True).last()
    names = last.sort(value, descending=not best_low)["series"].to_list()
    names += [n for n in frame["series"].unique(maintain_order=True).to_list() if n not in names]
    return frame, names


def bump(
    frame: pl.DataFrame,
    *,
    rank_title: str,
    spread: bool,
    log: bool = False,
    markers: pl.DataFrame | None = None,
    board_dates: Sequence[date] | None = None,
) -> alt.LayerChart:
    """Rank over time per model (columns: as_of, display_name, rank, and spread_top / spread_bottom when
    ``spread``), each line named at its end; ``board_dates`` (the board's complete snapshot dates) say where
    a line breaks over a gap."""
    frame, names = _prepared(frame, "display_name", "rank", board_dates, best_low=True)
    deepest = float(max(int(frame["spread_bottom" if spread else "rank"].max() or 1), 2))
    y_scale = alt.Scale(
        type="log" if log else "linear", reverse=True, domain=[1, deepest], nice=False, zero=False
    )
    labels = _end_labels(frame, "series", "rank", layout.RankScale(deepest, _HEIGHT, log=log))
    layers = _series_layers(
        frame,
        value="rank",
        title=rank_title,
        y_scale=y_scale,
        axis=rank_axis(),
        labels=labels,
        names=names,
        legend_title="Model",
        stroke=2.5,
        band=("spread_top", "spread_bottom") if spread else None,
        tooltip=[
            alt.Tooltip("series:N", title="model"),
            alt.Tooltip("as_of:T", title="date"),
            alt.Tooltip("rank:Q", title=rank_title),
        ],
    )
    return readable(alt.layer(*layers, *markers_layer(markers, frame)).properties(height=_HEIGHT))


def rating_bands(
    frame: pl.DataFrame, *, markers: pl.DataFrame | None = None, board_dates: Sequence[date] | None = None
) -> alt.LayerChart:
    """Rating over time with its 95% CI as a band (columns: as_of, display_name, rating, rating_lower,
    rating_upper), each line named at its end."""
    height = 320
    frame, names = _prepared(frame, "display_name", "rating", board_dates, best_low=False)
    low = float(
        frame["rating_lower"].min()
        if frame["rating_lower"].null_count() < frame.height
        else frame["rating"].min()
    )
    high = float(
        frame["rating_upper"].max()
        if frame["rating_upper"].null_count() < frame.height
        else frame["rating"].max()
    )
    pad = max((high - low) * 0.03, 1.0)
    low, high = low - pad, high + pad
    labels = _end_labels(frame, "series", "rating", layout.LinearScale(low, high, height))
    layers = _series_layers(
        frame,
        value="rating",
        title="Rating (95% CI)",
        y_scale=alt.Scale(domain=[low, high], nice=False, zero=False),
        axis=alt.Axis(format="d"),
        labels=labels,
        names=names,
        legend_title="Model",
        band=("rating_lower", "rating_upper"),
        tooltip=[
            alt.Tooltip("series:N", title="model"),
            alt.Tooltip("as_of:T", title="date"),
            alt.Tooltip("rating:Q", format=".1f"),
            alt.Tooltip("rating_lower:Q", title="CI low", format=".1f"),
            alt.Tooltip("rating_upper:Q", title="CI high", format=".1f"),
        ],
    )
    return readable(alt.layer(*layers, *markers_layer(markers, frame)).properties(height=height))


def _org_layers(
    frame: pl.DataFrame,
    value: str,
    title: str,
    y_scale: alt.Scale,
    axis: alt.Axis,
    labels: pl.DataFrame | None,
    names: list[str],
) -> list[alt.Chart]:
    """An organisation chart's step lines of ``value``, named at their ends, with a tooltip saying which."""
    tooltip = [
        alt.Tooltip("series:N", title="organisation"),
        alt.Tooltip("as_of:T", title="date"),
        alt.Tooltip(f"{value}:Q", title=title),
    ]
    return _series_layers(
        frame,
        value=value,
        title=title,
        y_scale=y_scale,
        axis=axis,
        labels=labels,
        names=names,
        legend_title="Organisation",
        interpolate="step-after",
        tooltip=tooltip,
    )


def org_best_rank(
    frame: pl.DataFrame,
    *,
    log: bool = False,
    markers: pl.DataFrame | None = None,
    board_dates: Sequence[date] | None = None,
) -> alt.LayerChart:
    """Best rank per organisation over time (columns: as_of, organization, best_rank), each line named at
    its end."""
    frame, names = _prepared(frame, "organization", "best_rank", board_dates, best_low=True)
    deepest = float(max(int(frame["best_rank"].max() or 1), 2))
    y_scale = alt.Scale(
        type="log" if log else "linear", reverse=True, domain=[1, deepest], nice=False, zero=False
    )
    height = 360
    labels = _end_labels(frame, "series", "best_rank", layout.RankScale(deepest, height, log=log))
    layers = _org_layers(frame, "best_rank", "best rank", y_scale, rank_axis(), labels, names)
    return readable(alt.layer(*layers, *markers_layer(markers, frame)).properties(height=height))


def org_top_counts(
    frame: pl.DataFrame, *, top: int, board_dates: Sequence[date] | None = None
) -> alt.LayerChart:
    """Number of models per organisation in the top N over time (columns: as_of, organization,
    models_in_top), each line named at its end."""
    frame, names = _prepared(frame, "organization", "models_in_top", board_dates, best_low=False)
    height = 260
    high = float(max(int(frame["models_in_top"].max() or 1), 1))
    labels = _end_labels(frame, "series", "models_in_top", layout.LinearScale(0.0, high, height))
    y_scale = alt.Scale(domain=[0, high], nice=False, zero=True)
    axis = alt.Axis(tickMinStep=1, format="d")
    layers = _org_layers(frame, "models_in_top", f"models in the top {top}", y_scale, axis, labels, names)
    return readable(alt.layer(*layers).properties(height=height))


def fetch_timeline(frame: pl.DataFrame) -> alt.Chart:
    """Fetches per day stacked by outcome (columns: day, outcome, fetches); each bar spans its whole day."""
    outcomes = list(OUTCOME_COLOURS)
    days = frame.with_columns(day_end=pl.col("day").dt.offset_by("1d"))
    return readable(
        alt.Chart(days)
        .mark_bar()
        .encode(
            x=alt.X("day:T", title=None, axis=alt.Axis(format="%Y-%m-%d", labelAngle=0, labelOverlap=True)),
            x2="day_end:T",
            y=alt.Y("fetches:Q", title="fetches", stack="zero"),
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
    """#1 reigns as bars on a time axis (columns: label, display_name, reign_start, shown_until, days): one
    row per model, ``label`` its unique short name (the full name in the tooltip)."""
    names = frame.sort("reign_start")["label"].unique(maintain_order=True).to_list()
    return readable(
        alt.Chart(frame)
        .mark_bar(cornerRadius=3, height=alt.RelativeBandSize(0.7))
        .encode(
            x=alt.X(
                "reign_start:T", title=None, axis=alt.Axis(format="%Y-%m-%d", labelAngle=0, labelOverlap=True)
            ),
            x2="shown_until:T",
            y=alt.Y("label:N", title=None, sort=names, axis=alt.Axis(labelLimit=0)),
            color=alt.Color(
                "label:N", legend=None, scale=alt.Scale(domain=names, range=layout.colours(names))
            ),
            tooltip=[
                alt.Tooltip("display_name:N", title="model"),
                alt.Tooltip("reign_start:T", title="from"),
                alt.Tooltip("shown_until:T", title="until"),
                alt.Tooltip("days:Q", title="days"),
            ],
        )
        .properties(height=alt.Step(24))
    )
