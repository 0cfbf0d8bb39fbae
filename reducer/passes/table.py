"""The pass table: every pass, in the order the engine runs it, with a one-line summary.

It is the one list behind the engine's order, ``--skip-pass`` and its help, and the
README's pass list (``python -m reducer.passes.table`` prints it; a test keeps the README
in step). A new pass is one module plus one row here.

Coarse to fine: big cheap cuts first so the fine passes run on small texts. The libclang
passes (params, fields) come once the text is small: they propose one candidate per
parameter or field, and each oracle call on a big text is slow.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from reducer.passes.balanced import BalancedPass
from reducer.passes.base import FINE_MAX_BYTES, Candidate, Pass
from reducer.passes.bodies import EmptyBodiesPass
from reducer.passes.comments import CommentsPass
from reducer.passes.conditionals import ConditionalsPass
from reducer.passes.control import FlattenControlPass
from reducer.passes.dangling import SkipUndeclared
from reducer.passes.expressions import ExpressionsPass
from reducer.passes.fields import RemoveFieldsPass
from reducer.passes.focus import FocusPass
from reducer.passes.includes import InlineIncludesPass
from reducer.passes.initializers import DropInitializersPass
from reducer.passes.inline import InlineFunctionsPass
from reducer.passes.lines import LinesPass
from reducer.passes.macros import InlineMacrosPass
from reducer.passes.markers import PragmaMacros
from reducer.passes.members import MembersToGlobalsPass
from reducer.passes.params import RemoveParametersPass
from reducer.passes.pragmas import RemovePragmasPass
from reducer.passes.rename import RenamePass
from reducer.passes.reslice import ReslicePass
from reducer.passes.slice import SlicePass
from reducer.passes.statements import StatementsPass
from reducer.passes.static import DropStaticPass
from reducer.passes.strings import ShortenStringsPass
from reducer.passes.tokens import TokensPass
from reducer.passes.toplevel import TopLevelPass
from reducer.passes.typedefs import InlineTypedefsPass
from reducer.passes.types import SimplifyTypesPass
from reducer.passes.unused import UnusedDeclarationsPass
from reducer.passes.values import ReplaceValuesPass
from reducer.passes.whitespace import WhitespacePass
from reducer.reloclines import FunctionLines


@dataclass(frozen=True)
class PassContext:
    """What the passes are told about the reduction, from the original and its verdict."""

    original: str = ""
    keep: frozenset[str] = frozenset()  # identifiers that must stay readable
    focus: frozenset[str] = frozenset()  # functions where the oracle saw the behaviour
    offending_lines: FunctionLines = field(default_factory=dict)  # function -> lines (DWARF)
    parse_flags: tuple[str, ...] = ()  # -I/-D/-std/--target for libclang
    # The oracle needs the candidate to compile (it reads the object or the assembly), so
    # candidates that cannot compile may wait for the last round (passes/dangling.py).
    needs_valid_code: bool = False
    # Words the oracle mentions (its script's text, its verdict on the original): where
    # the narrowing looks first when the oracle names no function (passes/focus.py).
    hints: frozenset[str] = frozenset()
    # Macros that make a pragma (from the compiler's -E -dM: passes/markers.py): a line
    # that only invokes one is a region marker the focus cut keeps.
    pragma_macros: PragmaMacros = field(default_factory=PragmaMacros)


class NamedPass(Protocol):
    """A pass class: its name is a class attribute, written once there."""

    name: str

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]: ...


@dataclass(frozen=True)
class PassEntry:
    kind: type[NamedPass]  # the pass's class; its module bears the pass's name
    summary: str
    make: Callable[[PassContext], Pass]
    max_bytes: int | None = None  # the pass yields nothing on a larger text
    # Runs only once the other passes stop changing the text: one candidate per unit, so
    # on a text the structural passes are still shrinking most of its calls are wasted
    # (csmith seed 1: `tokens` made 205 calls on a 1,636 B text for 10 B; the next round's
    # `toplevel` then removed the 12 emptied functions those calls had failed on).
    late: bool = False
    # A blind removal: its candidates that leave a top-level name undeclared wait for the
    # last round when the oracle needs valid code (passes/dangling.py).
    guarded: bool = False

    @property
    def name(self) -> str:
        return self.kind.name


class SizeGuard:
    """A pass that proposes nothing while the text is larger than ``max_bytes``."""

    def __init__(self, inner: Pass, max_bytes: int) -> None:
        self.inner = inner
        self.max_bytes = max_bytes
        self.name = inner.name

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        # Characters, not encoded bytes: encoding 9 MB at every call would cost more than
        # the difference matters.
        if len(text) <= self.max_bytes:
            yield from self.inner.candidates(text, resume)


FINE = FINE_MAX_BYTES  # short for the table's rows

PASS_TABLE: tuple[PassEntry, ...] = (
    PassEntry(
        SlicePass,
        "keep only the statements the oracle's relocations come from (a -g side compile)",
        lambda c: SlicePass(c.original, c.offending_lines),
    ),
    PassEntry(CommentsPass, "drop every comment at once", lambda c: CommentsPass()),
    # Before focus: every #if it keeps keeps the #defines it tests (sqlite3.c's focus cut
    # was 288 KB with 672 groups; resolved first, 83 KB).
    PassEntry(
        ConditionalsPass,
        "resolve every #if group as the compiler takes it (libclang's skipped ranges), then halving",
        lambda c: ConditionalsPass(c.parse_flags),
    ),
    PassEntry(
        FocusPass,
        "keep the oracle's functions and the declarations they reach, empty or drop the rest, in one cut",
        lambda c: FocusPass(c.focus, c.keep, c.parse_flags, c.hints, c.pragma_macros.names),
    ),
    PassEntry(
        ReslicePass,
        "the slice one offending function at a time, once the first cut made compiles cheap",
        lambda c: ReslicePass(c.original, c.offending_lines),
    ),
    PassEntry(DropStaticPass, "drop `static`/`inline` storage", lambda c: DropStaticPass(), FINE),
    PassEntry(
        EmptyBodiesPass,
        "empty every function body the oracle did not point at",
        lambda c: EmptyBodiesPass(c.focus),
        FINE,
    ),
    PassEntry(
        UnusedDeclarationsPass,
        "remove declarations nothing names",
        lambda c: UnusedDeclarationsPass(c.keep | c.focus),
    ),
    # Before toplevel: a push or a pop alone does not compile, and toplevel's halving
    # removed CRoaring's ~20 marker pairs a few at a time (~1 s a call there).
    PassEntry(
        RemovePragmasPass,
        "remove every pragma (and pragma-making macro line) at once, then each push with its pop",
        lambda c: RemovePragmasPass(c.pragma_macros),
        FINE,
    ),
    PassEntry(
        TopLevelPass,
        "remove whole top-level declarations, definitions and preprocessor lines",
        lambda c: TopLevelPass(),
        guarded=True,
    ),
    # Before the statement and line passes, by measurement: csmith's array initializers
    # go in one call instead of being cut by `lines` and `balanced` (seed 4, script
    # oracle: 240 balanced calls on a 24 KB text, mostly initializers).
    PassEntry(
        DropInitializersPass,
        "drop initializers of top-level declarations, all at once, then halving",
        lambda c: DropInitializersPass(),
    ),
    PassEntry(
        StatementsPass,
        "remove chunks of statements in function bodies, halving, outermost first (without a slice)",
        lambda c: StatementsPass(sliced=bool(c.offending_lines)),
        FINE,
        guarded=True,
    ),
    PassEntry(
        LinesPass,
        "remove chunks of lines, halving the chunk size",
        lambda c: LinesPass(),
        guarded=True,
    ),
    # After toplevel and lines, by measurement: they first drop the includes nothing
    # needs, for one call per chunk, instead of inlining each header and reducing it away
    # (the build-tree test project: 405 oracle calls here, 509 right after `static`).
    PassEntry(
        InlineIncludesPass,
        "replace an #include of a project header (-iquote/-I, never system) with its text",
        lambda c: InlineIncludesPass(c.parse_flags),
    ),
    PassEntry(
        BalancedPass,
        "remove a balanced {} () [] group, its contents, its delimiters, or it with the word before (late)",
        lambda c: BalancedPass(),
        FINE,
        # Late, by measurement: in the first rounds its ~250 candidates on a few KB cut
        # what the structural passes remove anyway a round later (csmith seed 1: 431 ->
        # 332 calls; seed 3 with a script oracle: 253 -> 220 script runs, 9.5 -> 7.9 s).
        late=True,
    ),
    PassEntry(
        ReplaceValuesPass,
        "replace a variable never written after its constant initializer by that value (libclang parse)",
        lambda c: ReplaceValuesPass(c.parse_flags),
        FINE,
    ),
    PassEntry(
        MembersToGlobalsPass,
        "read a struct field as a new global instead of through its accesses `p->f` (libclang parse)",
        lambda c: MembersToGlobalsPass(c.parse_flags),
        FINE,
    ),
    PassEntry(
        RemoveParametersPass,
        "remove a parameter with its argument at every call (libclang parse)",
        lambda c: RemoveParametersPass(c.parse_flags),
        FINE,
    ),
    PassEntry(
        InlineFunctionsPass,
        "inline a one-`return` function at its calls, or a `return`-less one at its call statements, drop it",
        lambda c: InlineFunctionsPass(c.keep),
        FINE,
    ),
    PassEntry(
        FlattenControlPass,
        "flatten for/if/while/switch headers into their statements",
        lambda c: FlattenControlPass(),
        FINE,
    ),
    PassEntry(
        InlineMacrosPass,
        "expand macros at each use, drop their definitions",
        lambda c: InlineMacrosPass(),
        FINE,
    ),
    PassEntry(
        InlineTypedefsPass,
        "replace typedef names by their types",
        lambda c: InlineTypedefsPass(),
        FINE,
    ),
    PassEntry(
        RemoveFieldsPass,
        "remove struct fields nothing refers to, with their initializers (libclang parse)",
        lambda c: RemoveFieldsPass(c.parse_flags),
        FINE,
    ),
    PassEntry(
        SimplifyTypesPass,
        "struct/union/enum types, basic type keyword runs and void become int",
        lambda c: SimplifyTypesPass(),
        FINE,
    ),
    PassEntry(
        ExpressionsPass,
        "remove an operand with its operator, an initializer element with its comma; `c ? a : b` -> an arm (late)",
        lambda c: ExpressionsPass(),
        FINE,
        late=True,
    ),
    PassEntry(
        TokensPass,
        "remove every run of 2, then 1 tokens (once the other passes stop changing the text)",
        lambda c: TokensPass(),
        FINE,
        late=True,
        guarded=True,
    ),
    PassEntry(
        RenamePass,
        "rename identifiers to one-letter names: all the text declares at once, then longest first",
        lambda c: RenamePass(c.keep),
        FINE,
    ),
    PassEntry(
        ShortenStringsPass,
        "shorten string literals: empty, then one character",
        lambda c: ShortenStringsPass(c.keep),
        FINE,
    ),
    PassEntry(WhitespacePass, "fold whitespace between tokens", lambda c: WhitespacePass()),
)

PASS_NAMES: tuple[str, ...] = tuple(entry.name for entry in PASS_TABLE)


def build_passes(context: PassContext, skip: Iterable[str] = ()) -> list[Pass]:
    """The passes in table order, told ``context``, without those in ``skip``."""
    skipped = set(skip)
    return [_built(entry, context) for entry in PASS_TABLE if entry.name not in skipped]


@dataclass(frozen=True)
class PassPlan:
    """What the engine runs: rounds of ``main`` until the text stops changing, then one
    round of ``last``; when that changes the text, ``main`` again (Engine.reduce)."""

    main: list[Pass]
    last: list[Pass]


def build_plan(context: PassContext, skip: Iterable[str] = ()) -> PassPlan:
    """The main rounds leave out the late passes and, when the oracle needs valid code,
    postpone the guarded passes' candidates that cannot compile; the last round is every
    pass as it is, so nothing a guess skipped is lost."""
    skipped = set(skip)
    entries = [entry for entry in PASS_TABLE if entry.name not in skipped]
    last = [_built(entry, context) for entry in entries]
    main = [
        SkipUndeclared(made) if entry.guarded and context.needs_valid_code else made
        for entry, made in zip(entries, last, strict=True)
        if not entry.late
    ]
    return PassPlan(main, last)


def _built(entry: PassEntry, context: PassContext) -> Pass:
    made = entry.make(context)
    return made if entry.max_bytes is None else SizeGuard(made, entry.max_bytes)


def markdown() -> str:
    """The README's pass list."""
    return "\n".join(f"| `{e.name}` | {e.summary} |" for e in PASS_TABLE)


if __name__ == "__main__":
    sys.stdout.write("| pass | what it does |\n|---|---|\n" + markdown() + "\n")


def default_passes(
    keep: frozenset[str] = frozenset(),
    focus: frozenset[str] = frozenset(),
    parse_flags: tuple[str, ...] = (),
) -> list[Pass]:
    """The table's passes after the slice (which needs the original's verdict), told
    ``keep`` (names that stay readable), ``focus`` (functions the oracle pointed at) and
    ``parse_flags`` (what libclang needs to parse the file as the compiler does)."""
    context = PassContext(keep=keep, focus=focus, parse_flags=parse_flags)
    return build_passes(context, skip=("slice",))
