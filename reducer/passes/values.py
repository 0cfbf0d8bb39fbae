"""Replace a variable by its only value: `int i = 0; ... d[i]` becomes `... d[0]`.

A variable declared with a constant (an integer, character or floating literal, maybe
negated, or an enum constant) and never written afterwards holds that value everywhere,
so every use becomes the value (parenthesised when negative) and the declaration goes,
in one candidate per variable. A global without an initializer that nothing writes is 0;
those candidates come after the others, since the value was not written down.

Written means: assigned (`=`, a compound assignment), incremented or decremented, or
its address taken (`&x`), even inside parentheses. Arrays, records and volatile
variables are skipped, and so is a name declared more than once (a shadowed local, a
global declared twice) or used from a macro: libclang tells which declaration each use
refers to, and the skips keep the text edit exact. Candidates go by what they save, the
largest first; each is proposed once (schedules.each_once).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass

from reducer.ctokens import C_KEYWORDS, Kind, Token, tokenize
from reducer.libclang import ParsedUnit, Span, Variable
from reducer.passes.base import Candidate
from reducer.passes.parsed import ParsedPass, apply_edits
from reducer.passes.schedules import each_once

_ASSIGNMENTS = frozenset(
    {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "++", "--"}
)
# Words after which `&` is unary (the address of what follows), not a bitwise and.
_UNARY_AFTER_WORDS = frozenset({"return", "sizeof", "case"})


@dataclass(frozen=True)
class Constant:
    """A variable to replace: where it is declared and used, and its value as text."""

    name: str
    declaration: Span  # what goes: the declaration, or the declarator of a for-init
    uses: tuple[int, ...]  # locations of its name in expressions
    value: str
    written_down: bool  # False for a global's implicit 0

    @property
    def gain(self) -> int:
        end, start = self.declaration[1], self.declaration[0]
        return end - start + len(self.uses) * (len(self.name) - len(self.value))


def constants(unit: ParsedUnit) -> list[Constant]:
    """The variables that can be replaced by their value, best first."""
    text = unit.text
    tokens = tokenize(text)
    at = {token.start: index for index, token in enumerate(tokens)}
    declared = Counter(variable.name for variable in unit.variables)
    declared.update(function.name for function in unit.functions)
    declared.update(p.name for function in unit.functions for p in function.params if p.name)
    enumerators = {ref.location for ref in unit.decl_refs if ref.is_enumerator}
    found = []
    for variable in unit.variables:
        if (
            declared[variable.name] != 1
            or not variable.is_scalar
            or variable.is_extern
            or variable.location is None
            or variable.extent is None
            or variable.location not in at
        ):
            continue
        value = _value(tokens, at[variable.location], variable, enumerators)
        uses = _uses(unit, variable)
        declaration = _declaration(text, variable.extent)
        if value is None or uses is None or declaration is None:
            continue
        if any(_written(tokens, at.get(use)) for use in uses):
            continue
        found.append(Constant(variable.name, declaration, uses, value[0], value[1]))
    return sorted(found, key=lambda c: (not c.written_down, -c.gain))


def _value(
    tokens: Sequence[Token], name: int, variable: Variable, enumerators: set[int | None]
) -> tuple[str, bool] | None:
    """(value as text, written down) of the declaration whose name is tokens[name]."""
    after = tokens[name + 1 : name + 5]
    texts = [token.text for token in after]
    if texts[:1] == [";"] or texts[:1] == [","]:
        return ("0", False) if variable.is_global else None
    if texts[:1] != ["="]:
        return None
    negative = texts[1:2] == ["-"]
    literal = after[2 if negative else 1 : 3 if negative else 2]
    rest = texts[3 if negative else 2 : 4 if negative else 3]
    if len(literal) != 1 or rest != [";"]:
        return None
    token = literal[0]
    constant = token.kind is Kind.NUMBER or (token.kind is Kind.STRING and token.text.endswith("'"))
    if not constant and not (
        not negative and token.kind is Kind.WORD and token.start in enumerators
    ):
        return None
    return (f"(-{token.text})" if negative else token.text), True


def _uses(unit: ParsedUnit, variable: Variable) -> tuple[int, ...] | None:
    """Where the variable is used; None if a use is in a macro or the name also means
    something else somewhere."""
    uses = []
    for ref in unit.decl_refs:
        if ref.target == variable.location:
            if ref.location is None:
                return None
            uses.append(ref.location)
        elif ref.name == variable.name:
            return None
    return tuple(uses)


def _declaration(text: str, extent: Span) -> Span | None:
    """The span to remove with the declaration: up to its `;`, or only the declarator in
    a for-init (`for (int i = 0; ...` keeps its `;`). None when it declares more than
    this variable."""
    start, end = extent
    after = end
    while after < len(text) and text[after].isspace():
        after += 1
    if after >= len(text) or text[after] != ";":
        return None
    before = start
    while before > 0 and text[before - 1].isspace():
        before -= 1
    if before > 0 and text[before - 1] == ",":
        return None  # a later declarator of `int a = 1, b = 2;`
    if before > 0 and text[before - 1] == "(":
        return (start, after)
    return (start, after + 1)


def _written(tokens: Sequence[Token], index: int | None) -> bool:
    """Is the name at tokens[index] assigned, incremented or address-taken? (Unknown
    counts as written.)"""
    if index is None:
        return True
    before, after = index - 1, index + 1
    while (
        before >= 0
        and after < len(tokens)
        and tokens[before].text == "("
        and tokens[after].text == ")"
    ):
        before, after = before - 1, after + 1
    if after < len(tokens) and tokens[after].text in _ASSIGNMENTS:
        return True
    if before < 0:
        return False
    previous = tokens[before].text
    if previous in ("++", "--"):
        return True
    if previous != "&":
        return False
    if before == 0:
        return True
    operand = tokens[before - 1]
    if operand.kind is Kind.WORD:
        return operand.text in C_KEYWORDS or operand.text in _UNARY_AFTER_WORDS
    return operand.kind is Kind.PUNCT and operand.text not in (")", "]")


def replace_constant(text: str, constant: Constant) -> str:
    """`text` with the constant's uses replaced by its value, its declaration gone."""
    width = len(constant.name)
    removals = [constant.declaration, *((use, use + width) for use in constant.uses)]
    insertions = [(use, constant.value) for use in constant.uses]
    return apply_edits(text, removals, insertions)


class ReplaceValuesPass(ParsedPass):
    name = "values"

    def from_unit(
        self, text: str, unit: ParsedUnit, resume: Hashable | None
    ) -> Iterator[Candidate]:

        def edit(constant: Constant) -> tuple[Hashable, Callable[[], str], str]:
            return constant.name, lambda: replace_constant(text, constant), ""

        yield from each_once(text, (edit(constant) for constant in constants(unit)), resume)
