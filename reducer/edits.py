"""Edits: one span of a text replaced, found from two texts, and merged back.

The engine folds candidates by merging their edits, and a foldable candidate's promise is
checked against where its edit starts (passes/schedules.py); both locate the edit here,
so they agree on it.
"""

from __future__ import annotations

from collections.abc import Sequence

Edit = tuple[int, int, str]  # replace base[start:end] with this text


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix, by bisection on slice equality (memcmp speed)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


def edit_of(base: str, text: str) -> Edit:
    """The one span of ``base`` that ``text`` replaces: common prefix and suffix removed.

    Computed by the engine rather than declared by passes: every foldable candidate is one
    removal (a chunk of units, a token run), for which this is exact and O(n), and where
    repeated text makes the position ambiguous any answer still rebuilds ``text``; a merge
    is tested by the oracle before it is accepted, so an odd diff costs a call, never a
    wrong result.
    """
    prefix = _common_prefix(base, text)
    suffix = _common_suffix(base, text, min(len(base), len(text)) - prefix)
    return prefix, len(base) - suffix, text[prefix : len(text) - suffix]


def overlaps(a: Edit, b: Edit) -> bool:
    # Touching removals merge fine; two insertions at one point would have no order.
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def apply_edits(base: str, edits: Sequence[Edit]) -> str:
    pieces, position = [], 0
    for start, end, replacement in sorted(edits):
        pieces.append(base[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(base[position:])
    return "".join(pieces)
