"""Expression-level removals: one operand of a binary operator with the operator
(`a + b*c` -> `a`, or -> `b*c`), one element of a braced initializer with its comma
(`{&d, &i}` -> `{&i}`), and a conditional expression replaced by one of its arms or its
condition (`c ? a : b` -> `a`, `b` or `c`, as C-Reduce's ternary pass does: on a real
preprocessed file ours kept `return 9223372036854775807L ? lrint(b()) : c();`).

What the token runs cannot reach: `p + sizeof(x) / sizeof(x)` is nine tokens, and
`balanced` removes `sizeof(x)` only with the word before it, leaving `p + /` behind
(the purgatory case with --keep-names ended at 183 B on such a line on one path).

The operand of a binary operator is found by precedence climbing over the tokens of each
expression (after `(`, `[`, `,`, `=`, `return` and the like); a parenthesized group is
one primary, its inside an expression of its own. Unary `*`/`&`/`-` are told apart from
binary ones by what comes before: an operand or an operator. A cast or a declaration
can still be misread (`(T)*p`, `T *x`): such a candidate does not compile, and the parse
prefilter rejects it without running the compiler.

Each edit is a removal; the edits are tried from the end of the text, and after an
accepted one the pass goes on with those that end before it (they did not move).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import C_KEYWORDS, Kind, Token, match_brackets, tokenize
from reducer.passes.base import Candidate
from reducer.passes.chunks import Span
from reducer.passes.schedules import EachBefore

_PRECEDENCE = {
    "*": 10, "/": 10, "%": 10,
    "+": 9, "-": 9,
    "<<": 8, ">>": 8,
    "<": 7, ">": 7, "<=": 7, ">=": 7,
    "==": 6, "!=": 6,
    "&": 5, "^": 4, "|": 3, "&&": 2, "||": 1,
}  # fmt: skip
_PREFIX = frozenset({"-", "+", "!", "~", "*", "&", "++", "--"})
# An expression starts after these (and at `return`, `case`).
_STARTS_AFTER = frozenset(
    {"(", "[", ",", "=", "?", ":", "return", "case"}
    | {"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="}
)
# Words that cannot be an operand (`sizeof` can: `sizeof(x) / sizeof(x)`).
_NOT_OPERANDS = C_KEYWORDS - {"sizeof", "_Alignof", "true", "false"}


class _Parser:
    def __init__(self, tokens: list[Token], pairs: dict[int, int]) -> None:
        self.tokens = tokens
        self.pairs = pairs
        self.edits: list[tuple[Span, str]] = []
        # (the span replaced, kind, the span whose text replaces it): a conditional's `then`.
        self.replacements: list[tuple[Span, str, Span]] = []

    def _term(self, index: int) -> int | None:
        """Index after the unary expression at ``index``, or None if none starts there."""
        tokens, count = self.tokens, len(self.tokens)
        while index < count and tokens[index].text in _PREFIX:
            index += 1
        if index >= count:
            return None
        token = tokens[index]
        if token.text == "(":
            close = self.pairs.get(index)
            if close is None:
                return None
            index = close + 1
            if index < count and tokens[index].kind in (Kind.WORD, Kind.NUMBER):
                return self._term(index)  # a cast: `(T)x`
        elif token.kind in (Kind.NUMBER, Kind.STRING) or (
            token.kind is Kind.WORD and token.text not in _NOT_OPERANDS
        ):
            index += 1
            while index < count and tokens[index].kind is Kind.STRING:
                index += 1  # adjacent string literals
        else:
            return None
        while index < count:  # postfix: calls, subscripts, members, ++/--
            text = tokens[index].text
            if text in ("(", "["):
                close = self.pairs.get(index)
                if close is None:
                    return None
                index = close + 1
            elif text in (".", "->") and index + 1 < count:
                index += 2
            elif text in ("++", "--"):
                index += 1
            else:
                break
        return index

    def expression(self, index: int, lowest: int = 1) -> int | None:
        """Index after the binary expression at ``index`` whose operators bind at least
        as tightly as ``lowest``, recording the operand removals of each operator."""
        start = index
        end = self._term(index)
        if end is None:
            return None
        tokens = self.tokens
        while end < len(tokens):
            operator = tokens[end]
            precedence = _PRECEDENCE.get(operator.text)
            if operator.kind is not Kind.PUNCT or precedence is None or precedence < lowest:
                break
            right_end = self.expression(end + 1, precedence + 1)
            if right_end is None:
                break
            left = tokens[start].start
            right = tokens[right_end - 1].end
            # From the left operand's end: `p + q;` becomes `p;`, not `p ;`.
            self.edits.append(((tokens[end - 1].end, right), "operand"))
            self.edits.append(((left, tokens[end + 1].start), "left"))
            end = right_end
        if lowest <= 1 and end < len(tokens) and tokens[end].text == "?":
            return self._conditional(start, end)
        return end

    def _conditional(self, start: int, question: int) -> int | None:
        """Index after `cond ? then : else` (cond from ``start`` to ``question``), recording
        its three replacements; None when it does not parse."""
        tokens = self.tokens
        then_end = self.expression(question + 1)
        if then_end is None or then_end >= len(tokens) or tokens[then_end].text != ":":
            return None
        else_end = self.expression(then_end + 1)
        if else_end is None:
            return None
        whole = (tokens[start].start, tokens[else_end - 1].end)
        # The arms as removals where one span does (`c ? a : ` goes, `b` stays; ` ? a : b`
        # goes, `c` stays); keeping `a` takes two, so it replaces the whole by its text.
        self.edits.append(((whole[0], tokens[then_end + 1].start), "else"))
        self.edits.append(((tokens[question - 1].end, whole[1]), "condition"))
        then = (tokens[question + 1].start, tokens[then_end - 1].end)
        self.replacements.append((whole, "then", then))
        return else_end


def _initializer_elements(tokens: list[Token], pairs: dict[int, int]) -> list[tuple[Span, str]]:
    """Each element of a braced initializer (`= {...}`, or nested in one) with the comma
    after it, or before it for the last one; not for a lone element."""
    edits: list[tuple[Span, str]] = []
    initializer_braces: set[int] = set()
    enclosing: list[int] = []  # the open braces around the current token, innermost last
    for index, token in enumerate(tokens):
        if token.text == "}" and enclosing:
            enclosing.pop()
        if token.text != "{" or index not in pairs:
            continue
        previous = tokens[index - 1].text if index else ""
        # `= {` opens one; `{ {` or `, {` inside one opens a nested one.
        if previous == "=" or (
            previous in ("{", ",") and enclosing and enclosing[-1] in initializer_braces
        ):
            initializer_braces.add(index)
        enclosing.append(index)
    for opened in sorted(initializer_braces):
        closed = pairs[opened]
        elements: list[tuple[int, int]] = []  # token index ranges, commas excluded
        first = position = opened + 1
        while position < closed:
            text = tokens[position].text
            if text in ("(", "[", "{") and position in pairs:
                position = pairs[position] + 1
                continue
            if text == ",":
                elements.append((first, position))
                first = position + 1
            position += 1
        if first < closed:
            elements.append((first, closed))
        elements = [(a, b) for a, b in elements if a < b]
        if len(elements) < 2:
            continue
        for number, (a, b) in enumerate(elements):
            if number + 1 < len(elements):
                span = (tokens[a].start, tokens[elements[number + 1][0]].start)
            else:
                span = (tokens[elements[number - 1][1] - 1].end, tokens[b - 1].end)
            edits.append((span, "element"))
    return edits


def expression_edits(text: str) -> dict[Span, tuple[str, str]]:
    """Every edit the pass proposes, span -> (kind, the text that replaces the span: ""
    for a removal), ordered by where it ends, then where it starts; of edits of one span
    the first found."""
    tokens = [t for t in tokenize(text) if t.kind not in (Kind.COMMENT, Kind.DIRECTIVE)]
    pairs = match_brackets(tokens)
    parser = _Parser(tokens, pairs)
    for index in range(1, len(tokens)):
        if tokens[index - 1].text in _STARTS_AFTER:
            parser.expression(index)
    edits: dict[Span, tuple[str, str]] = {}
    for span, kind in [*parser.edits, *_initializer_elements(tokens, pairs)]:
        edits.setdefault(span, (kind, ""))
    for span, kind, (start, end) in parser.replacements:
        edits.setdefault(span, (kind, text[start:end]))
    return {span: edits[span] for span in sorted(edits, key=lambda span: (span[1], span[0]))}


class ExpressionsPass:
    name = "expressions"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        edits = expression_edits(text)
        # Resumed: the edits that ended before the accepted one, which did not move.
        spans = list(resume.units) if isinstance(resume, EachBefore) else list(edits)
        for index in reversed(range(len(spans))):
            start, end = spans[index]
            kind, replacement = edits.get((start, end), ("", ""))
            # Sorted by end, so the state's last unit ends last (its depends_through).
            before = tuple(span for span in spans[:index] if span[1] <= start)
            yield Candidate(
                text[:start] + replacement + text[end:],
                EachBefore(before),
                foldable=True,
                kind=kind,
            )
