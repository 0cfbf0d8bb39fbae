"""Where two llcs' assembly for the same IR differ, as ``asm:`` patterns (pure).

An oracle without a test kind of its own (a user's script) says only that the C is
interesting. When a fixed toolchain is known, the test upstream writes by hand for a
backend difference is a codegen snapshot: the IR, with the fixed llc's checks. To reduce
that IR, the difference needs a name the IR oracle can test; this module names it: an
instruction line one llc emits in a function where the other does not, written as a
regex (local label and constant-pool numbers generalised, any run of blanks matching any
other) that matches the affected assembly and not the fixed one.
"""

from __future__ import annotations

import re
from collections import Counter

from reducer.emit.utc import asm_functions

# Local labels and constant-pool entries are renumbered by any change elsewhere.
_NUMBERED_LABEL = re.compile(r"\\\.(LBB|LCPI|Ltmp|LJTI|Lfunc_end)\d+(?:_\d+)?")


def instruction_lines(body: str) -> list[str]:
    """A function body's instruction lines, comments dropped and blanks collapsed:
    directives (``.p2align``), labels and comment-only lines are not instructions."""
    lines = []
    for raw in body.split("\n"):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(".") or line.endswith(":"):
            continue
        lines.append(re.sub(r"\s+", " ", line))
    return lines


def line_pattern(line: str) -> str:
    """A regex for the instruction ``line`` on a line of its own in llc's output."""
    escaped = re.escape(line)
    escaped = _NUMBERED_LABEL.sub(lambda m: r"\." + m.group(1) + r"\d+(?:_\d+)?", escaped)
    escaped = escaped.replace(r"\ ", r"\s+")
    return r"^\s*" + escaped + r"\s*(?:#.*)?$"


def differing_lines(affected: str, fixed: str) -> list[tuple[str, str]]:
    """(function, instruction line) the affected assembly has and the fixed one lacks
    (counted per function: a line emitted twice where the fixed llc emits it once
    counts), in output order."""
    fixed_bodies = {name: Counter(instruction_lines(body)) for name, body in asm_functions(fixed)}
    found = []
    for name, body in asm_functions(affected):
        remaining = Counter(fixed_bodies.get(name, Counter()))
        for line in instruction_lines(body):
            if remaining[line] > 0:
                remaining[line] -= 1
            else:
                found.append((name, line))
    return found


def separating_patterns(affected: str, fixed: str) -> list[tuple[str, str]]:
    """(function, regex) for each differing line whose regex matches somewhere in the
    affected assembly and nowhere in the fixed one: candidates for ``asm:REGEX``, best
    first, no regex twice."""
    patterns: list[tuple[str, str]] = []
    seen = set()
    for function, line in differing_lines(affected, fixed):
        pattern = line_pattern(line)
        if pattern in seen:
            continue
        seen.add(pattern)
        compiled = re.compile(pattern, re.MULTILINE)
        if compiled.search(affected) and not compiled.search(fixed):
            patterns.append((function, pattern))
    return patterns
