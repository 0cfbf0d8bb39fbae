"""The pass table names each pass once: the class's ``name``, which is also the name of the
module the class lives in, and what the built pass answers to."""

from __future__ import annotations

import pytest

from reducer.passes.table import PASS_NAMES, PASS_TABLE, PassContext, PassEntry, build_passes


@pytest.mark.parametrize("entry", PASS_TABLE, ids=lambda e: e.name)
def test_a_pass_lives_in_the_module_of_its_name(entry: PassEntry) -> None:
    assert entry.kind.__module__ == f"reducer.passes.{entry.name}"


def test_the_built_passes_answer_to_the_table_names() -> None:
    context = PassContext("int x;\n", offending_lines={"f": frozenset({1})})
    built = build_passes(context)
    assert [p.name for p in built] == list(PASS_NAMES)
    assert len(set(PASS_NAMES)) == len(PASS_NAMES) > 15
