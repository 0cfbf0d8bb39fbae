"""The engine's guarantee that speculation never changes results, kept by structure: the
speculator may read verdicts, submit and cancel calls, but writes no verdict and reads no
decision state, and the procedure reads nothing of the speculator's but streams."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "reducer" / "engine"


def _tree(name: str) -> ast.Module:
    return ast.parse((ENGINE / name).read_text(encoding="utf-8"))


def _attribute_chains(tree: ast.AST) -> set[str]:
    """Every dotted name in the module ("self.calls.cache", "calls.harvest")."""
    chains: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts = [node.attr]
            value = node.value
            while isinstance(value, ast.Attribute):
                parts.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name):
                parts.append(value.id)
            chains.add(".".join(reversed(parts)))
    return chains


def test_the_speculator_writes_no_verdict() -> None:
    chains = _attribute_chains(_tree("speculator.py"))
    assert "self.calls.submit" in chains  # the reader sees the calls it does make
    forbidden = {"self.calls.cache", "self.calls.used", "self.calls.harvest", "self.calls.stats"}
    assert not chains & forbidden, chains & forbidden


def test_the_procedure_reads_no_speculation_state() -> None:
    chains = _attribute_chains(_tree("procedure.py"))
    used = {c for c in chains if c.startswith(("speculator.", "self._speculator."))}
    assert used, "the reader found no use of the speculator"
    private = {c for c in used if c.split(".")[-1].startswith("_")}
    assert not private, private
