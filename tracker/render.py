"""Turn a polars frame into what a terminal user asked for: a rich table, CSV or JSON lines."""

from __future__ import annotations

import io
import json

import polars as pl
from rich.console import Console
from rich.table import Table

FORMATS = ("table", "csv", "json")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) >= 1 else f"{value:.4g}"
    return str(value)


def as_table(frame: pl.DataFrame, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    for row in frame.iter_rows():
        table.add_row(*(_cell(v) for v in row))
    return table


def render(frame: pl.DataFrame, fmt: str, console: Console, title: str | None = None) -> None:
    if fmt == "csv":
        console.file.write(frame.write_csv())
    elif fmt == "json":
        buffer = io.StringIO()
        for row in frame.iter_rows(named=True):
            buffer.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
        console.file.write(buffer.getvalue())
    else:
        console.print(as_table(frame, title))
        console.print(f"[dim]{frame.height} row{'s' if frame.height != 1 else ''}[/dim]")
