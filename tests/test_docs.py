"""The docs cover the code: docs/commands.md is every command's --help and docs/configuration.md lists every
setting, both generated (tests/commands_reference.py) and checked here for staleness; every command's --help has
an example; the README stays short and links every page of docs/; relative links point to files that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import commands_reference
from tracker.config import setting_fields

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
README_MAX_LINES = 250
ALL_COMMANDS = commands_reference.commands()
STALE = f"run `{commands_reference.REGENERATE}` and commit the result"


def test_there_are_commands():
    assert {"tracker import", "tracker sql", "tracker status"} <= {name for name, _ in ALL_COMMANDS}


@pytest.mark.parametrize(("name", "command"), ALL_COMMANDS, ids=[n for n, _ in ALL_COMMANDS])
def test_command_is_in_the_reference_and_its_help_has_an_example(name, command):
    page = commands_reference.COMMANDS_PAGE.read_text(encoding="utf-8")
    assert f"\n## `{name}`\n" in page, f"docs/commands.md does not document `{name}`: {STALE}"
    if not commands_reference.is_group(command):
        assert "Example" in (command.help or ""), f"`{name} --help` has no example"


def test_commands_page_is_what_the_help_prints_now():
    before, after = commands_reference.pages()[commands_reference.COMMANDS_PAGE]
    assert before == after, f"docs/commands.md differs from the commands' --help: {STALE}"


def test_settings_list_is_what_the_code_says_now():
    before, after = commands_reference.pages()[commands_reference.CONFIGURATION_PAGE]
    assert before == after, (
        f"the settings list in docs/configuration.md differs from tracker/config/__init__.py: {STALE}"
    )


@pytest.mark.parametrize("field", setting_fields(), ids=lambda f: f.name)
def test_setting_is_in_the_configuration_page(field):
    page = commands_reference.CONFIGURATION_PAGE.read_text(encoding="utf-8")
    assert f"`{field.name}`" in page and f"`TRACKER_{field.name.upper()}`" in page, (
        f"docs/configuration.md does not document {field.name}: {STALE}"
    )
    assert field.metadata.get("help"), f"setting {field.name} has no help text"


def test_readme_is_short_and_links_every_docs_page():
    text = README.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines; move detail into docs/ (at most {README_MAX_LINES})"
    )
    missing = [p.name for p in sorted(DOCS.glob("*.md")) if f"](docs/{p.name}" not in text]
    assert not missing, f"README.md links no docs page {', '.join(missing)}"


_LINK = re.compile(r"\]\((?!https?://|mailto:)([^)#\s]*)(?:#([^)\s]*))?\)")
_FENCED = re.compile(r"```.*?```", re.DOTALL)


def anchors(page: Path) -> set[str]:
    """The link targets a Markdown renderer gives the headings of ``page`` (lower case, punctuation dropped,
    spaces as hyphens)."""
    headings = re.findall(r"^#+ (.+)$", _FENCED.sub("", page.read_text(encoding="utf-8")), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize(
    "page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_relative_links_point_to_files_and_headings_that_exist(page):
    broken = []
    for target, anchor in _LINK.findall(_FENCED.sub("", page.read_text(encoding="utf-8"))):
        path = page.parent / target if target else page
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}#{anchor}")
    assert not broken, f"{page.name} links to missing files or headings: {', '.join(broken)}"
