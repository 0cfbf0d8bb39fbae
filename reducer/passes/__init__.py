"""Reduction passes: pure plug-ins (text in, candidates out). A new pass is one module
with a class implementing ``reducer.passes.base.Pass`` and one row in ``table.PASS_TABLE``."""

from reducer.passes.base import Candidate, Pass


def default_passes(
    keep: frozenset[str] = frozenset(),
    focus: frozenset[str] = frozenset(),
    parse_flags: tuple[str, ...] = (),
) -> list[Pass]:
    """The table's passes after the slice (which needs the original's verdict), told
    ``keep`` (names that stay readable), ``focus`` (functions the oracle pointed at) and
    ``parse_flags`` (what libclang needs to parse the file as the compiler does)."""
    from reducer.passes.table import PassContext, build_passes

    context = PassContext(keep=keep, focus=focus, parse_flags=parse_flags)
    return build_passes(context, skip=("slice",))


__all__ = ["Candidate", "Pass", "default_passes"]
