"""Checks that a string is absent from the whole output, for both FileChecks we run.

LLVM's FileCheck has ``--implicit-check-not``; the PyPI ``filecheck`` clone lacks it. A
``CHECK-NOT`` covers only the stretch between its neighbouring matches, so the forbidden
strings go before the first positive check and again after the last one: together they
cover everything but the anchors' own text. The anchors also prove the tool wrote
something: with only ``CHECK-NOT`` lines an empty output would pass.
"""

from __future__ import annotations

from collections.abc import Sequence


def absent_around(
    comment: str, prefix: str, forbidden: Sequence[str], anchors: Sequence[str]
) -> list[str]:
    """Check lines: ``forbidden`` never appears, ``anchors`` appear in this order."""
    if not anchors:
        raise ValueError("an absence check needs at least one positive anchor")
    nots = [f"{comment} {prefix}-NOT: {text}" for text in forbidden]
    return [*nots, *(f"{comment} {prefix}: {text}" for text in anchors), *nots]
