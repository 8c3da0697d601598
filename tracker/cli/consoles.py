"""The commands' consoles: ``Stdout``, standard output that ends a command quietly when its reader goes away.

A reader that stopped reading (``tracker sql ... | head``, ``tracker models | head -3``) asked for no more:
the command ends with exit 0, whatever it was printing, as CSV and JSON writers and rich's tables all hand
a broken pipe to ``Console.on_broken_pipe`` (rich's own choice there is exit 1). Every command module prints
through one of these, so ``tracker models``, ``tracker alias list`` and ``tracker alerts list`` behave as
``tracker sql`` does.

Neither console writes a control character that came with the text it prints (``safe_text.NoControls``): an
upstream name holding ESC cannot drive the terminal.
"""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console

from tracker.cli.safe_text import NoControls


class Stderr(Console):
    """A console that never writes a control character of the text it prints (rich's own styling stays), and
    prints ``:name:`` as written, not as an emoji: upstream text is shown as it came."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("emoji", False)
        super().__init__(*args, **kwargs)
        self.push_render_hook(NoControls())


class Stdout(Stderr):
    """Standard output that exits 0 quietly once its reader has gone."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # what is still buffered goes nowhere
        raise typer.Exit(0)


console = Stdout()  # what a command answers
err = Stderr(stderr=True)  # errors, notes and progress, so CSV and JSON on standard output stay clean
