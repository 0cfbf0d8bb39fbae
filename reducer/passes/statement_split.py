"""Where the statements of a statement list begin and end, by their tokens (no parse):
shared by the statements pass (halving over them) and the focus pass (narrowing over
the statements of the one function a script oracle needs).

A statement ends at a `;` or at the `}` of a compound statement, unless an `else`
follows (the if's other branch belongs to it) or the braces are an initializer or an
aggregate's body (`= {...}`, `struct S {...} s;`). A list with a preprocessor
directive inside is not split: a statement span could cut an `#if` from its `#endif`.
"""

from __future__ import annotations

from reducer.ctokens import DECLARATION_WORDS, Kind, Token

# A '{' right after one of these opens a compound statement.
_COMPOUND_AFTER = frozenset({";", "{", "}", ":", "else", "do"})
_CONTROL = frozenset({"if", "for", "while", "switch"})
_AGGREGATE = frozenset({"struct", "union", "enum"})
# Words that begin a statement, never a declaration.
NOT_DECLARATION_WORDS = frozenset(
    {"return", "goto", "case", "default", "else", "do", "break", "continue", "sizeof"}
)


def starts_declaration(head: Token, following: Token) -> bool:
    """Whether a statement whose first two tokens these are is a declaration, as the
    tokens tell: a type word first, or a name followed by a name or '*' (`T x;`,
    `PyObject *x = NULL;`, a declaring macro before one). Shared by slice (the
    declarations a sliced body keeps) and focus (what a body's narrowing keeps)."""
    if head.kind is not Kind.WORD or head.text in NOT_DECLARATION_WORDS:
        return False
    return head.text in DECLARATION_WORDS or following.kind is Kind.WORD or following.text == "*"


def _opens_compound(tokens: list[Token], openers: dict[int, int], first: int, brace: int) -> bool:
    """Does the '{' at ``brace`` (in the statement starting at ``first``) open a
    compound statement, rather than an initializer, a compound literal or an aggregate
    body? ``openers`` maps each closing bracket's index to its opener's."""
    if brace == first:
        return True  # a block
    previous = tokens[brace - 1].text
    if previous in _COMPOUND_AFTER:
        return True
    if previous == ")":
        # After a control header: `if (x) {`, `while (y) {`; not `(struct S){...}`.
        opener = openers.get(brace - 1)
        return opener is not None and opener > 0 and tokens[opener - 1].text in _CONTROL
    return False


def split_statements(
    tokens: list[Token], pairs: dict[int, int], openers: dict[int, int], low: int, high: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """The statements among tokens[low:high] (first and last token index of each) and
    the compound statements inside them (the token indices of their braces); None if
    the tokens are not a well-formed statement list."""
    statements: list[tuple[int, int]] = []
    blocks: list[tuple[int, int]] = []
    first = low
    while first < high:
        index = first
        last = high - 1  # an unterminated tail is one statement
        while index < high:
            token = tokens[index]
            if token.kind is Kind.DIRECTIVE:
                return None
            text = token.text
            if text in ("(", "[", "{"):
                close = pairs.get(index)
                if close is None or close >= high:
                    return None
                if text != "{" or not _opens_compound(tokens, openers, first, index):
                    index = close + 1
                    continue
                blocks.append((index, close))
                after = close + 1
                if after < high and tokens[after].text == "else":
                    index = after + 1
                    continue
                if after < high and tokens[after].text == "while" and tokens[first].text == "do":
                    index = after + 1
                    continue
                last = close
                break
            if text == ";":
                if index + 1 < high and tokens[index + 1].text == "else":
                    index += 2
                    continue
                last = index
                break
            if text in _AGGREGATE:
                # `struct S {...} s;`: the braces are the type's, not a block.
                index += 1
                while index < high and tokens[index].kind is Kind.WORD:
                    index += 1
                if index < high and tokens[index].text == "{":
                    close = pairs.get(index)
                    if close is None or close >= high:
                        return None
                    index = close + 1
                continue
            index += 1
        statements.append((first, last))
        first = last + 1
    return statements, blocks
