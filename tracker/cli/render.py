"""Turn a polars frame into what a terminal user asked for: a rich table, CSV or JSON lines; a table also from
``tracker.read.rows.Rows``, the rows of a small answer read without polars (``tracker sql``).

A table is for looking, so it is made to be read: at most ``MAX_ROWS`` rows (the first and last halves, as the
duckdb shell shows a long result; rendering tens of thousands of rows takes minutes and helps nobody), and
in a terminal only the leading columns that fit its width (squeezing every column in cuts each to a letter). The footer says what was left out and how to get it. Written to a file or
a pipe, the table keeps every column at its natural width. CSV and JSON always carry every row and column;
CSV is for spreadsheets, so a text cell a spreadsheet would run as a formula gets a leading ' (``tracker.read.cells``,
which writes the CSV and the JSON text of a cell for the dashboard too).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tracker.cli.safe_text import cell_text
from tracker.read.rows import Rows

if TYPE_CHECKING:
    import polars as pl

FORMATS = ("table", "csv", "json")
MAX_ROWS = 40  # table format: the first and last 20 rows of a longer result (`--max-rows 0`: every row)
MAX_COLUMN_WIDTH = 48  # a longer value (an error message, a URL) wraps inside its column
# to make room a text column may be squeezed to half its width, not below its header or this, its values
# wrapping onto a second line; numbers never are
MIN_TEXT_WIDTH = 12
_ELIDED = "…"
# a rich table with the default box: one space of padding either side of a cell and one rule between
# cells, plus the left edge
_CELL_OVERHEAD, _EDGE = 3, 1


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) >= 1 else f"{value:.4g}"
    if isinstance(value, list | dict):  # as CSV writes it, not a repr
        from tracker.read import cells

        return cell_text(cells.json_text(value) or "")
    return cell_text(str(value))  # no control character reaches a terminal (ESC would drive it)


def split(max_rows: int | None) -> tuple[int | None, int]:
    """How many first and last rows a table of at most ``max_rows`` shows (None: every row)."""
    if not max_rows:
        return None, 0
    head = (max_rows + 1) // 2
    return head, max_rows - head


def _shown_rows(data: pl.DataFrame | Rows, max_rows: int | None) -> tuple[list[list[str]], int | None]:
    """The cells of the rows to show, and where the elided rows sit among them (None: every row shown).
    ``Rows`` come cut already (``tracker.read.query.peek``)."""
    if isinstance(data, Rows):
        return [[_cell(v) for v in row] for row in (*data.head, *data.tail)], data.elided_at
    head, tail = split(max_rows)
    if head is None or data.height <= head + tail:
        return [[_cell(v) for v in row] for row in data.iter_rows()], None
    kept = [*data.head(head).iter_rows(), *data.tail(tail).iter_rows()]
    return [[_cell(v) for v in row] for row in kept], head


def _numeric(data: pl.DataFrame | Rows) -> list[bool]:
    return list(data.numeric) if isinstance(data, Rows) else [dtype.is_numeric() for dtype in data.dtypes]


def _natural_widths(names: list[str], rows: list[list[str]]) -> list[int]:
    widths = [cell_len(name) for name in names]
    for row in rows:
        widths = [max(w, cell_len(c)) for w, c in zip(widths, row, strict=True)]
    return [min(w, MAX_COLUMN_WIDTH) for w in widths]


def _narrowest(names: list[str], numeric: list[bool], widths: list[int]) -> list[int]:
    """The width each column can be squeezed to: a number's full width, half a text's (see MIN_TEXT_WIDTH)."""
    return [
        width if number else min(width, max(cell_len(name), MIN_TEXT_WIDTH, (width + 1) // 2))
        for name, number, width in zip(names, numeric, widths, strict=True)
    ]


def _fitting_columns(widths: list[int], available: int) -> int:
    """How many leading columns fit in ``available`` characters at these widths (at least one)."""
    used, count = _EDGE, 0
    for width in widths:
        used += width + _CELL_OVERHEAD
        if used > available and count:
            break
        count += 1
    return count


def print_table(
    console: Console,
    frame: pl.DataFrame | Rows,
    title: str | None = None,
    *,
    max_rows: int | None = None,
    footer: bool = False,
    hidden_hint: str = "a wider terminal shows them",
) -> None:
    """Print ``frame`` as a table: at most ``max_rows`` rows (None or 0: all), in a terminal the leading
    columns that fit; with ``footer`` (or whenever something was left out) a line saying how many rows and
    columns there are, which were not shown and how to see them (``hidden_hint`` for columns)."""
    rows, elided_at = _shown_rows(frame, max_rows)
    names, numeric = list(frame.columns), _numeric(frame)
    widths = _natural_widths(names, rows)
    columns = frame.width
    narrowest = _narrowest(names, numeric, widths)
    if console.is_terminal:
        columns = _fitting_columns(narrowest, console.width)
    table = Table(title=title, show_lines=False, header_style="bold")
    for name, number, width, least in zip(names, numeric, widths, narrowest[:columns], strict=False):
        justify = "right" if number else "left"
        # fold, not ellipsis: a squeezed value wraps onto the next line whole
        table.add_column(
            escape(cell_text(name)), justify=justify, min_width=least, max_width=width, overflow="fold"
        )
    for i, row in enumerate(rows):
        table.add_row(*(escape(cell) for cell in row[:columns]))  # a "[" in a value is text, not markup
        if i + 1 == elided_at:
            table.add_row(*([_ELIDED] * columns), style="dim")
    if console.is_terminal:
        console.print(table)
    else:  # nothing cut off a terminal: as wide as the table is (rich would squeeze it into 80 columns)
        natural = _EDGE + sum(w + _CELL_OVERHEAD for w in widths)
        wide = Console(file=console.file, width=max(console.width, natural), emoji=False)
        wide.on_broken_pipe = console.on_broken_pipe  # a reader gone (`| head`) is the caller's to handle
        wide.print(table)
    notes = _left_out(frame, elided_at, len(rows), columns, hidden_hint)
    if footer or notes:
        count = f"{frame.height:,} row{'s' if frame.height != 1 else ''}"
        console.print(f"[dim]{escape('; '.join([count, *notes]))}[/dim]", highlight=False, soft_wrap=True)


def _left_out(
    frame: pl.DataFrame | Rows, elided_at: int | None, rows_shown: int, columns: int, hidden_hint: str
) -> list[str]:
    notes = []
    if elided_at is not None:
        tail = rows_shown - elided_at
        which = f"the first {elided_at}" + (f" and the last {tail}" if tail else "")
        notes.append(f"{rows_shown} shown, {which} (--max-rows 0 shows all)")
    if columns < frame.width:
        hidden = frame.columns[columns:]
        notes.append(f"{columns} of {frame.width} columns fit, not {', '.join(hidden)} ({hidden_hint})")
    return notes


def _write(console: Console, text: str) -> None:
    """Write ``text`` as is; a reader that went away (``| head``) is the console's to handle, as rich hands it
    a table's broken pipe (``Console.on_broken_pipe``), so every format ends the same way."""
    if console.is_terminal:  # CSV and JSON keep the exact text for a file or a pipe, not for a screen
        text = cell_text(text)
    try:
        console.file.write(text)
        console.file.flush()
    except BrokenPipeError:
        console.on_broken_pipe()


def render(
    frame: pl.DataFrame | Rows,
    fmt: str,
    console: Console,
    title: str | None = None,
    *,
    max_rows: int | None = MAX_ROWS,
) -> None:
    """``frame`` in ``fmt``: a table (see ``print_table``), CSV with a header (formulas neutralised, see
    ``cells.to_csv``), or one JSON object per line (both from a frame only)."""
    if fmt == "csv":
        from tracker.read import cells  # CSV and JSON only: a table needs no polars of its own

        _write(console, cells.to_csv(frame))
    elif fmt == "json":
        from tracker.read import cells

        buffer = io.StringIO()
        for row in frame.iter_rows(named=True):
            buffer.write(cells.json_text(row) + "\n")
        _write(console, buffer.getvalue())
    else:
        hint = "a wider terminal or --format csv shows them"
        print_table(console, frame, title, max_rows=max_rows, footer=True, hidden_hint=hint)
