"""docs/sql.md shows what `tracker sql NAME` prints for three named queries, produced by the command itself
(tests/readme_queries.py); this fails when the page drifts from the code."""

from __future__ import annotations

import re

import pytest

from tests import readme_queries


def test_every_example_has_a_filled_block_in_the_sql_page():
    page = readme_queries.PAGE.read_text(encoding="utf-8")
    for key, args in readme_queries.EXAMPLES.items():
        block = re.search(rf"<!-- example:{key} -->\n(.*?)<!-- /example:{key} -->", page, re.DOTALL)
        assert block, f"{readme_queries.PAGE.name} has no block for example {key}"
        assert block.group(1).startswith(f"```text\n$ tracker {' '.join(args)}\n"), f"example {key} is empty"
    named = [args[1] for args in readme_queries.EXAMPLES.values() if args[0] == "sql"]
    assert len(set(named)) >= 3


@pytest.mark.slow
def test_sql_page_examples_are_what_the_commands_print_now():
    if readme_queries.data_source() is None:
        pytest.skip("no starter history and no ../shared/data to build the examples from")
    before, after = readme_queries.current()
    assert before == after, (
        "the examples in docs/sql.md drifted from the code: run `uv run python -m tests.readme_queries`"
    )
