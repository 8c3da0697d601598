"""The README documents every command and every setting, and every command's --help has an example."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from tracker.cli import app
from tracker.config import setting_fields

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group, prefix: str = "tracker") -> list[tuple[str, object]]:
    # typer may bundle its own click, so groups are recognised by their sub-commands, not by class
    found = []
    for name, command in group.commands.items():
        if getattr(command, "hidden", False):
            continue
        full = f"{prefix} {name}"
        found.append((full, command))
        if hasattr(command, "commands"):
            found += commands(command, full)
    return found


ALL_COMMANDS = commands(typer.main.get_command(app))


def test_there_are_commands():
    assert {"tracker import", "tracker sql", "tracker status"} <= {name for name, _ in ALL_COMMANDS}


@pytest.mark.parametrize(("name", "command"), ALL_COMMANDS, ids=[n for n, _ in ALL_COMMANDS])
def test_command_is_in_the_readme_and_its_help_has_an_example(name, command):
    assert f"`{name}" in README, f"README does not document `{name}`"
    if not hasattr(command, "commands"):
        assert "Example" in (command.help or ""), f"`{name} --help` has no example"


@pytest.mark.parametrize("field", setting_fields(), ids=lambda f: f.name)
def test_setting_is_in_the_readme(field):
    assert f"`{field.name}`" in README and f"`TRACKER_{field.name.upper()}`" in README
    assert field.metadata.get("help"), f"setting {field.name} has no help text"
