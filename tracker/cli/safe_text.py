"""Text for a terminal: no control character reaches one from a command's output.

Stored upstream text is cleaned at ingest (``tracker.ingest.validate.clean_text``), but a query can still make
control characters (``chr(27)``, an alias typed with one, a database from an older version), and one ESC is
enough to recolour, retitle or clear a terminal. So:

- ``cell_text`` shows each C0 and C1 control and DEL in a table cell as U+FFFD (``�``), newline and tab kept:
  the value is seen to hold something, and the table is laid out around what is shown;
- ``NoControls``, a render hook on every console of the commands (``tracker.cli.consoles``), removes those
  characters from whatever else is printed (messages, errors naming a model), after rich has laid it out and
  without touching rich's own styling codes.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderableType, RenderHook, RenderResult
from rich.segment import Segment

from tracker.logs import printable

REPLACEMENT = "\ufffd"


def cell_text(text: str) -> str:
    """``text`` with every control character but newline and tab shown as U+FFFD."""
    return printable(text, REPLACEMENT)


class _Printable:
    """A renderable whose text segments lose their control characters (rich's control segments stay)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or printable(segment.text) == segment.text:
                yield segment
            else:
                yield Segment(printable(segment.text), segment.style)


class NoControls(RenderHook):
    """Install with ``console.push_render_hook(NoControls())``."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Printable(r) for r in renderables]
