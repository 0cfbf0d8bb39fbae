"""Lines that only invoke a macro making a pragma: region markers such as CRoaring's
`CROARING_TARGET_AVX2` ... `CROARING_UNTARGET_AVX2` (`_Pragma("clang attribute push")`
and its pop), written alone on a line between functions. Glued to the item after them,
a cut that keeps the region's second function but not its first drops the push and keeps
the pop (or the other way round), and the compiler rejects the cut; so the focus cut
makes each such line an item of its own, always kept (later passes remove the pairs).

Which macros make a pragma is known from the compiler's `-E -dM` listing: they are
usually defined in a header the text only includes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_$][\w$]*)(?:\([^)]*\))?(.*)$", re.M)
_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_PRAGMA_WORDS = frozenset({"_Pragma", "__pragma"})


@dataclass(frozen=True)
class PragmaMacros:
    """The macros that make a pragma; of them, those whose pragma pushes (`clang
    attribute push`, `GCC diagnostic push`) and those whose pragma pops."""

    names: frozenset[str] = frozenset()
    pushing: frozenset[str] = frozenset()
    popping: frozenset[str] = frozenset()


NO_PRAGMA_MACROS = PragmaMacros()


def pragma_macros(definitions: str) -> PragmaMacros:
    """The macros whose expansion makes a pragma, directly or through another such macro,
    from `#define` lines (the words of a pragma's string count: `"clang attribute pop"`)."""
    uses: dict[str, frozenset[str]] = {}
    for match in _DEFINE.finditer(definitions):
        uses[match.group(1)] = frozenset(_WORD.findall(match.group(2)))
    found = {name for name, words in uses.items() if words & _PRAGMA_WORDS}
    while more := {name for name, words in uses.items() if name not in found and words & found}:
        found |= more
    expanded = {name: set(uses[name]) for name in found}
    for _ in range(8):  # the words of the pragma macros they use, a few levels deep
        for words in expanded.values():
            words |= {word for used in words & found for word in expanded[used]}
    return PragmaMacros(
        frozenset(found),
        frozenset(name for name in found if "push" in expanded[name]),
        frozenset(name for name in found if "pop" in expanded[name]),
    )


@lru_cache(maxsize=8)
def marker_line(markers: frozenset[str]) -> re.Pattern[str] | None:
    """A pattern matching, at an offset, one invocation of one of ``markers`` that ends
    its line (the caller skips the blank space and comments before it: a pattern that
    also did backtracked over every run of blank lines)."""
    if not markers:
        return None
    names = "|".join(re.escape(name) for name in sorted(markers, key=len, reverse=True))
    arguments = r"(?:[ \t]*\((?:[^()\n]|\([^()\n]*\))*\))?"
    return re.compile(rf"(?:{names}){arguments}[ \t]*(?=\n|//|/\*|\Z)")
