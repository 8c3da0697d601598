"""Text the pages show: upstream names made safe for Markdown, timestamps as people read them, and chart
labels shortened so that no two read alike.

Every string a page passes to Streamlit's Markdown (``st.markdown``, ``st.caption``, ``st.subheader``,
``st.metric``'s label, value, delta and help, ``st.info`` / ``st.warning``...) is Markdown: a model called
``![x](http://attacker/p.png)`` would be an image the browser fetches, ``[Verify](http://phish/)`` a link,
``:red[...]`` a colour, ``$...$`` a formula. Names, organisations, board labels and error messages come from
upstream or from users, so they go through ``md`` first: every ASCII punctuation character is escaped (a
backslash before any of them is always literal in CommonMark), line breaks become spaces, and the ``://``
of a URL is split with a zero-width joiner so no autolink is found in the plain text either.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from datetime import UTC, datetime

_ESCAPED = {ord(c): "\\" + c for c in string.punctuation}
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GitHub-flavoured Markdown links bare URLs and www. names found in plain text, escaped or not
_AUTOLINK = re.compile(r"(?i)(://|www\.|@)")
_JOINER = "\u2060"  # word joiner: invisible, and it keeps 'http://' and 'www.' from reading as a link
ELLIPSIS = "…"


def md(value: object) -> str:
    """``value`` as Markdown that shows exactly its text: no link, image, emphasis, colour or formula."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    text = _AUTOLINK.sub(lambda m: m.group(1)[0] + _JOINER + m.group(1)[1:], text)
    return text.translate(_ESCAPED)


def timestamp(moment: datetime | None) -> str:
    """'2026-12-06 07:53 UTC' (or '-' for none): the one way the pages show a point in time."""
    if moment is None:
        return "-"
    if moment.tzinfo is None:  # the tracker stores UTC; a naive value is UTC
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def ago(moment: datetime, now: datetime | None = None) -> str:
    """'3 h ago (2026-05-07 14:00 UTC)': relative time for a glance, the timestamp for certainty."""
    now = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = max(0.0, (now - moment).total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            rel = f"{seconds // size:.0f} {unit} ago"
            break
    else:
        rel = "just now"
    return f"{rel} ({timestamp(moment)})"


def short_names(names: Iterable[str], limit: int = 30) -> dict[str, str]:
    """Each name as a label of at most ``limit`` characters, no two alike: a longer name keeps its start
    and its end (where versions and dates sit) around an ellipsis, the end growing until every label is
    unique. Names that fit are kept whole."""
    unique = list(dict.fromkeys(names))
    labels = {n: n for n in unique if len(n) <= limit}
    long = [n for n in unique if len(n) > limit]
    for tail in range(6, limit):
        head = limit - tail - 1
        trial = {n: n[:head].rstrip() + ELLIPSIS + n[-tail:].lstrip() for n in long}
        taken = list(labels.values()) + list(trial.values())
        if len(set(taken)) == len(taken):
            return {**labels, **trial}
    # no cut of this length tells them apart: number the rest, so at least no two read alike
    for i, n in enumerate(long, 1):
        labels[n] = f"{n[: limit - 4 - len(str(i))]}{ELLIPSIS} ({i})"
    return labels


def model_names(names: dict[str, str | None]) -> dict[str, str]:
    """Model key -> the one name a page shows for it: its display name, or its key where it has none, with
    the key added where two models share a display name (so two series never read alike)."""
    shown = {model: (name or model) for model, name in names.items()}
    counts: dict[str, int] = {}
    for name in shown.values():
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    return {
        model: (f"{name} ({model})" if counts[name.lower()] > 1 and name != model else name)
        for model, name in shown.items()
    }
