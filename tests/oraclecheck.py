"""What the oracle tests share: an oracle from its --oracle text aimed at a command (a
clang driver, or a cc1/llc command given with its style), and one check of a source."""

from __future__ import annotations

from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.oracles import Oracle, OracleSpec, Verdict


def oracle_for(text: str, argv: list[str], style: str | None = None) -> Oracle:
    spec = OracleSpec.parse(text)
    if style is None:
        return spec.build(CompileCommand.from_user(argv))
    return spec.build(CompileCommand(tuple(argv), 60, style=style))


def check(tmp_path: Path, source: str, text: str, argv: list[str], name: str = "t.c") -> Verdict:
    candidate = tmp_path / name
    candidate.write_text(source)
    return oracle_for(text, argv).check(candidate)
