"""Reduction passes: pure plug-ins (text in, candidates out). A new pass is one module
with a class implementing ``reducer.passes.base.Pass``, listed in ``DEFAULT_PASSES``."""

from reducer.passes.balanced import BalancedPass
from reducer.passes.base import Candidate, Pass
from reducer.passes.lines import LinesPass
from reducer.passes.tokens import TokensPass
from reducer.passes.toplevel import TopLevelPass
from reducer.passes.whitespace import WhitespacePass


def default_passes() -> list[Pass]:
    # Coarse to fine: big cheap cuts first so the fine passes run on small texts.
    return [TopLevelPass(), LinesPass(), BalancedPass(), TokensPass(), WhitespacePass()]


__all__ = ["Candidate", "Pass", "default_passes"]
