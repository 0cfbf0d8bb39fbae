"""Undefined behaviour an IR reducer invents: undef/poison operands, loads and stores
through null, calls through null.

llvm-reduce replaces a deleted value's uses with null, undef or poison; a bug that
"reproduces" only through such IR is not the user's bug and no reviewer keeps a test of
it. So a reduced IR may have at most as many sites of each kind as the IR it started
from (per kind, not in total: clang's ``ret i32 undef`` for a C function that falls off
its end must not pay for a call through null that llvm-reduce invents; it did, in the
small-model case). Used by `reduce` on IR input and by emission's IR oracle.
"""

from __future__ import annotations

import re

UB_PATTERNS = (
    re.compile(r"\b(?:undef|poison)\b"),
    re.compile(r"^\s*(?:store|%[\w.]+ = load)\b[^\n]*,\s*ptr null\b", re.M),
    re.compile(r"\bcall\b[^\n(]*(?:\([^\n)]*\)\s*)?\bnull\(", re.M),
)
NO_UB: tuple[int, ...] = (0,) * len(UB_PATTERNS)


def undefined_behaviour(text: str) -> list[str]:
    """The undef/poison operands and loads/stores/calls through null in ``text``."""
    return [m.group(0).strip() for pattern in UB_PATTERNS for m in pattern.finditer(text)]


def undefined_behaviour_counts(text: str) -> tuple[int, ...]:
    """How many sites of each kind of UB_PATTERNS ``text`` has."""
    return tuple(sum(1 for _ in pattern.finditer(text)) for pattern in UB_PATTERNS)


def more_undefined_behaviour(text: str, allowed: tuple[int, ...]) -> str | None:
    """A site of a kind ``text`` has more of than ``allowed`` (what the starting IR had),
    for the rejection's reason; None when it has no more than allowed."""
    for pattern, count, limit in zip(
        UB_PATTERNS, undefined_behaviour_counts(text), allowed, strict=True
    ):
        if count > limit:
            return pattern.findall(text)[-1].strip()
    return None
