"""`asm:REGEX` — the assembly the compiler writes for the candidate matches REGEX.

The candidate is compiled to assembly (``-S`` for clang and clang -cc1, ``-filetype=asm``
for llc) and REGEX is searched in the whole text with re.MULTILINE, so ``^`` and ``$``
anchor at lines and a pattern may span several lines (``callq\\s+memcpy\\n\\s+ret``).
The text is searched as written: directives (.file, .ident with the compiler's version,
debug info under -g) are part of it, so anchor patterns on instructions.
"""

from __future__ import annotations

import re
from pathlib import Path

from reducer.compiler import OUTPUT_ASM, CompileCommand
from reducer.objects import compile_output
from reducer.oracles.spec import ARGUMENT_REQUIRED, READS_ASM, OracleKind, OracleSpec, register
from reducer.verdict import Verdict

NAME = "asm"
SHOW_LIMIT = 120


def _shown(text: str) -> str:
    one_line = " | ".join(part.strip() for part in text.strip().splitlines())
    return one_line if len(one_line) <= SHOW_LIMIT else one_line[: SHOW_LIMIT - 3] + "..."


def search_assembly(pattern: re.Pattern[str], assembly: str) -> Verdict:
    """The verdict for assembly text already written (pure)."""
    match = pattern.search(assembly)
    lines = assembly.count("\n")
    if match is None:
        return Verdict(False, f"no match for /{pattern.pattern}/ in {lines} lines of assembly")
    line = assembly.count("\n", 0, match.start()) + 1
    # Show the whole lines the match touches: a pattern often matches only the opcode
    # and the operand it cares about.
    start = assembly.rfind("\n", 0, match.start()) + 1
    end = assembly.find("\n", max(match.end() - 1, match.start()))
    count = sum(1 for _ in pattern.finditer(assembly))
    more = f" (and {count - 1} more)" if count > 1 else ""
    shown = _shown(assembly[start : end if end >= 0 else len(assembly)])
    return Verdict(True, f"assembly line {line}: {shown}{more}")


class AsmOracle:
    def __init__(self, compile: CompileCommand, pattern: re.Pattern[str]) -> None:
        self.name = f"{NAME}:{pattern.pattern}"
        self.compile = compile
        # spec.regex() compiles with re.MULTILINE already; an AsmOracle built by hand
        # gets it too, so '^' means a line start however it was made.
        self.pattern = re.compile(pattern.pattern, pattern.flags | re.MULTILINE)

    def describe(self) -> str:
        return f"{self.name} (counts assembly output matching /{self.pattern.pattern}/)"

    def assembly(self, candidate: Path) -> tuple[str | None, Verdict | None]:
        """The assembly text, or the verdict saying why there is none."""
        compiled = compile_output(self.compile, candidate, OUTPUT_ASM)
        failure = compiled.failure(self.compile)
        if failure is not None:
            return None, failure
        assert compiled.output is not None
        return compiled.output.decode("utf-8", errors="replace"), None

    def check(self, candidate: Path) -> Verdict:
        text, failure = self.assembly(candidate)
        if failure is not None:
            return failure
        assert text is not None
        return search_assembly(self.pattern, text)


def make_asm_oracle(spec: OracleSpec, compile: CompileCommand | None) -> AsmOracle:
    assert compile is not None
    return AsmOracle(compile, spec.regex())


register(
    OracleKind(
        NAME,
        make_asm_oracle,
        "the assembly output matches REGEX (re.MULTILINE: ^ and $ are line anchors)",
        argument=ARGUMENT_REQUIRED,
        argument_help="REGEX",
        test_kinds=("llc-asm",),
        needs_valid_code=True,
        reads=READS_ASM,
    )
)
