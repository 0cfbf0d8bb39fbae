"""Reduction passes: pure plug-ins (text in, candidates out). A new pass is one module
with a class implementing ``reducer.passes.base.Pass``, listed in ``DEFAULT_PASSES``."""

from reducer.passes.balanced import BalancedPass
from reducer.passes.base import Candidate, Pass
from reducer.passes.bodies import EmptyBodiesPass
from reducer.passes.control import FlattenControlPass
from reducer.passes.fields import RemoveFieldsPass
from reducer.passes.initializers import DropInitializersPass
from reducer.passes.lines import LinesPass
from reducer.passes.macros import InlineMacrosPass
from reducer.passes.params import RemoveParametersPass
from reducer.passes.rename import RenamePass
from reducer.passes.storage import DropStaticPass
from reducer.passes.strings import ShortenStringsPass
from reducer.passes.tokens import TokensPass
from reducer.passes.toplevel import TopLevelPass
from reducer.passes.types import InlineTypedefsPass, SimplifyTypesPass
from reducer.passes.unused import UnusedDeclarationsPass
from reducer.passes.whitespace import WhitespacePass


def default_passes(
    keep: frozenset[str] = frozenset(),
    focus: frozenset[str] = frozenset(),
    parse_flags: tuple[str, ...] = (),
) -> list[Pass]:
    """Coarse to fine: big cheap cuts first so the fine passes run on small texts.

    `keep` names identifiers that must stay readable (the symbols the oracle reported);
    `focus` names the functions where the oracle saw the behaviour; `parse_flags` are the
    compile flags libclang needs to parse the file as the compiler does (-I, -D, -std).
    The libclang passes (params, fields) come once the text is small: they propose one
    candidate per parameter or field, and each oracle call on a big text is slow.
    """
    return [
        DropStaticPass(),
        EmptyBodiesPass(focus),
        UnusedDeclarationsPass(keep | focus),
        TopLevelPass(),
        LinesPass(),
        BalancedPass(),
        RemoveParametersPass(parse_flags),
        FlattenControlPass(),
        InlineMacrosPass(),
        InlineTypedefsPass(),
        RemoveFieldsPass(parse_flags),
        SimplifyTypesPass(),
        DropInitializersPass(),
        TokensPass(),
        RenamePass(keep),
        ShortenStringsPass(keep),
        WhitespacePass(),
    ]


__all__ = ["Candidate", "Pass", "default_passes"]
