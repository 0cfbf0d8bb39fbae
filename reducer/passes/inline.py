"""Inline small functions into their callers, the definition (and prototypes) going in the
same candidate: C-Reduce ends smaller than a pass list without it (issue 24: on the
fshl case it inlined two one-line helpers into their caller).

Two kinds, each only when every reference to the function is one it can rewrite:

- a body that is one `return EXPR;`: each call `f(x, y)` becomes `(EXPR)` with every
  parameter replaced by its argument, `(x)`; when that is rejected, the same with the
  conversions kept, `((R)(EXPR[p := ((P)(x))]))` (a `char` parameter's truncation may be
  the bug). Later passes strip the casts that do not matter;
- a body with no `return`, called only as a statement `f(x);`: the statement becomes
  `{ P p = x; BODY }`, the parameters locals with their conversions (renamed when an
  argument names one of them).

Left alone: `main`, the names the oracle reported, variadic functions, K&R definitions,
parameters that are not a plain `type name`, bodies with a `static` local, a label, a
`goto` or a preprocessor line, recursion, a name a directive mentions (a call in a macro
cannot be rewritten as text), and any reference that is not a call or a prototype
(address taken). A caller's local that shadows a global the body reads is not noticed:
the oracle rejects what changes the behaviour.

One candidate per function (two for the `return` kind), the largest saving first. The
state names the functions already tried, whose candidates were rejected: after an
accepted one the pass goes on with the others, not with those again.

Pure: the candidates depend only on the text, `keep` and the state.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reducer.ctokens import C_KEYWORDS, Kind, Token, match_brackets, scan, tokenize, top_level_items
from reducer.passes.base import Candidate
from reducer.passes.schedules import each_once

# Storage and function specifiers: part of the definition, not of its return type.
_SPECIFIERS = frozenset(
    {"static", "inline", "__inline", "__inline__", "extern", "_Noreturn", "register"}
)
# Types a cast cannot name (a struct or union value cannot be converted by a cast).
_AGGREGATES = frozenset({"struct", "union"})
# A call may follow these words (anything else before `f(` is a declaration's type).
_BEFORE_CALL = frozenset({"return", "case", "else", "do", "sizeof"})
_INCLUDE = re.compile(r"#\s*include")
_MEMBER = frozenset({".", "->"})
# `int *f(` declares; `n *f(` multiplies (a typedef name cannot be told from a variable).
_TYPE_WORDS = C_KEYWORDS - _BEFORE_CALL


@dataclass(frozen=True)
class _Param:
    type: str  # the declaration without the name: `signed char`, `int *`
    name: str
    declaration: str  # as written: `signed char p`


@dataclass(frozen=True)
class _Function:
    name: str
    span: tuple[int, int]  # the whole definition
    returns: str  # the return type, without storage: `int`, `unsigned *`
    params: tuple[_Param, ...]
    body: tuple[int, int]  # token indices of the braces
    expression: tuple[int, int] | None  # token indices of EXPR in a lone `return EXPR;`


@dataclass(frozen=True)
class _Call:
    name: int  # token index of the function's name
    close: int  # token index of the call's `)`
    args: tuple[tuple[int, int], ...]  # token index ranges, [first, end)
    statement_end: int | None  # index of the `;` when the call is a whole statement


class _Text:
    """The tokens of one text (comments left out) and their brackets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [t for t in tokenize(text) if t.kind is not Kind.COMMENT]
        self.pairs = match_brackets(self.tokens)
        self.openers = {close: open_ for open_, close in self.pairs.items()}
        self.starts = [t.start for t in self.tokens]
        self.enclosing = _enclosing(self.tokens, self.pairs)
        self.words = frozenset(t.text for t in self.tokens if t.kind is Kind.WORD)

    def index_at(self, offset: int) -> int:
        return bisect.bisect_left(self.starts, offset)

    def source(self, first: int, end: int) -> str:
        """The text of tokens[first:end], comments and spacing as written."""
        if first >= end:
            return ""
        return self.text[self.tokens[first].start : self.tokens[end - 1].end]


def _enclosing(tokens: list[Token], pairs: dict[int, int]) -> list[int]:
    """For each token, the index of the innermost bracket around it (-1: none)."""
    closes = {close for close in pairs.values()}
    stack: list[int] = []
    result: list[int] = []
    for index in range(len(tokens)):
        if index in closes and stack:
            stack.pop()
        result.append(stack[-1] if stack else -1)
        if index in pairs:
            stack.append(index)
    return result


# -- definitions ------------------------------------------------------------------------------


def _split_commas(unit: _Text, first: int, end: int) -> list[tuple[int, int]]:
    """The comma-separated token ranges of tokens[first:end], brackets kept whole."""
    pieces: list[tuple[int, int]] = []
    start = index = first
    while index < end:
        if unit.tokens[index].text == ",":
            pieces.append((start, index))
            start = index + 1
        index = unit.pairs[index] + 1 if index in unit.pairs else index + 1
    if pieces or start < end:
        pieces.append((start, end))
    return pieces


def _param(unit: _Text, first: int, end: int) -> _Param | None:
    """A plain `type name` parameter (pointers allowed), or None."""
    tokens = unit.tokens[first:end]
    if len(tokens) < 2 or any(t.kind not in (Kind.WORD, Kind.PUNCT) for t in tokens):
        return None
    last = tokens[-1]
    if last.kind is not Kind.WORD or last.text in C_KEYWORDS:
        return None  # unnamed, or not a simple declarator
    if any(t.kind is Kind.PUNCT and t.text != "*" for t in tokens):
        return None  # an array, a function pointer, an attribute
    # `register` is no part of a cast's type (a local keeps it).
    type_ = " ".join(t.text for t in tokens[:-1] if t.text != "register")
    return _Param(type_, last.text, unit.source(first, end))


def _params(unit: _Text, open_: int, close: int) -> tuple[_Param, ...] | None:
    pieces = _split_commas(unit, open_ + 1, close)
    if len(pieces) == 1 and unit.source(*pieces[0]) == "void":
        return ()
    params = []
    for first, end in pieces:
        param = _param(unit, first, end)
        if param is None:
            return None
        params.append(param)
    return tuple(params)


def _definition(unit: _Text, first: int, last: int) -> _Function | None:
    """The function defined by tokens[first..last] (a top-level item), if it is one this
    pass can inline."""
    tokens = unit.tokens
    if tokens[last].text != "}" or tokens[first].kind is Kind.DIRECTIVE:
        return None
    brace = unit.openers.get(last)
    if brace is None or brace - 1 <= first or tokens[brace - 1].text != ")":
        return None
    open_ = unit.openers.get(brace - 1)
    if open_ is None or open_ - 1 < first + 1 or tokens[open_ - 1].kind is not Kind.WORD:
        return None  # `(name)(...)` declarators and the like: left alone
    name = tokens[open_ - 1].text
    head = tokens[first : open_ - 1]
    if name in C_KEYWORDS or any(t.kind is not Kind.WORD and t.text != "*" for t in head):
        return None  # attributes, parenthesized declarators
    kept = [t for t in head if t.text not in _SPECIFIERS]
    if not kept:
        return None  # implicit int
    params = _params(unit, open_, brace - 1)
    if params is None:
        return None
    body = tokens[brace + 1 : last]
    words = {t.text for t in body if t.kind is Kind.WORD}
    if name in words or "static" in words or "goto" in words:
        return None
    if any(t.kind is Kind.DIRECTIVE for t in body) or _has_label(body):
        return None
    expression = None
    if len(body) >= 3 and body[0].text == "return" and body[-1].text == ";":
        if "return" not in {t.text for t in body[1:]} and _one_statement(unit, brace + 1, last):
            expression = (brace + 2, last - 1)
    elif "return" in words:
        return None
    returns = unit.text[kept[0].start : kept[-1].end]
    span = (tokens[first].start, tokens[last].end)
    return _Function(name, span, returns, params, (brace, last), expression)


def _one_statement(unit: _Text, first: int, end: int) -> bool:
    """Is the only `;` at the body's level of tokens[first:end] the last token?"""
    index = first
    while index < end - 1:
        if unit.tokens[index].text == ";":
            return False
        index = unit.pairs[index] + 1 if index in unit.pairs else index + 1
    return True


def _has_label(body: list[Token]) -> bool:
    """Does a statement start with `word :` (a label; `case`/`default` are no labels)?"""
    for index in range(1, len(body) - 1):
        token = body[index]
        if (
            token.kind is Kind.WORD
            and body[index + 1].text == ":"
            and body[index - 1].text in (";", "{", "}", ":")
            and token.text != "default"
        ):
            return True
    return len(body) > 1 and body[0].kind is Kind.WORD and body[1].text == ":"


def _prototype(unit: _Text, first: int, last: int) -> str | None:
    """The name a plain prototype `T name(...);` (tokens[first..last]) declares, or None."""
    tokens = unit.tokens
    if tokens[last].text != ";" or last - 1 <= first or tokens[last - 1].text != ")":
        return None
    open_ = unit.openers.get(last - 1)
    if open_ is None or open_ - 1 <= first or tokens[open_ - 1].kind is not Kind.WORD:
        return None
    if any(t.kind is not Kind.WORD and t.text != "*" for t in tokens[first : open_ - 1]):
        return None
    return tokens[open_ - 1].text


# -- references -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    function: _Function
    calls: tuple[_Call, ...]
    prototypes: tuple[tuple[int, int], ...]  # spans


def _call(unit: _Text, index: int) -> _Call | None:
    """The call whose callee is the word tokens[index], or None if it is no plain call."""
    tokens = unit.tokens
    open_ = index + 1
    if open_ >= len(tokens) or tokens[open_].text != "(" or open_ not in unit.pairs:
        return None
    before = tokens[index - 1] if index else None
    if before is not None and (
        before.text in _MEMBER
        or (before.kind is Kind.WORD and before.text not in _BEFORE_CALL)
        or (before.text == "*" and index >= 2 and tokens[index - 2].text in _TYPE_WORDS)
    ):
        return None  # a member, or a declaration `T f(...)`, `int *f(...)`
    close = unit.pairs[open_]
    args = tuple(_split_commas(unit, open_ + 1, close))
    statement_end = None
    after = close + 1
    if after < len(tokens) and tokens[after].text == ";" and _starts_statement(unit, index):
        statement_end = after
    return _Call(index, close, args, statement_end)


def _starts_statement(unit: _Text, index: int) -> bool:
    """Does a statement start at tokens[index] (inside braces, after `;`, `{`, `}`,
    `else`, `do`, a label's `:` or a control header's `)`)?"""
    enclosing = unit.enclosing[index]
    if enclosing < 0 or unit.tokens[enclosing].text != "{" or index == 0:
        return False
    before = unit.tokens[index - 1].text
    if before in (";", "{", "}", "else", "do"):
        return True
    if before == ":":
        return _ends_label(unit, index - 1)
    if before == ")":
        opener = unit.openers.get(index - 1)
        return (
            opener is not None
            and opener > 0
            and unit.tokens[opener - 1].text
            in (
                "if",
                "while",
                "for",
                "switch",
            )
        )
    return False


def _ends_label(unit: _Text, colon: int) -> bool:
    """Does the `:` at tokens[colon] end a label or a `case`, not a `?:` operand?"""
    tokens = unit.tokens
    first = colon - 1
    while first >= 0 and tokens[first].text not in (";", "{", "}"):
        opener = unit.openers.get(first)
        first = opener - 1 if opener is not None else first - 1
    first += 1
    if first >= colon:
        return False
    if tokens[first].text in ("case", "default"):
        return "?" not in {t.text for t in tokens[first:colon]}
    return first == colon - 1 and tokens[first].kind is Kind.WORD


@lru_cache(maxsize=4)
def _targets(text: str, keep: frozenset[str]) -> tuple[_Text, tuple[_Target, ...]]:
    unit = _Text(text)
    tokens = unit.tokens
    definitions: dict[str, list[_Function]] = {}
    prototypes: dict[str, list[tuple[int, int]]] = {}
    for start, end in top_level_items(text):
        first = unit.index_at(start)
        last = unit.index_at(end) - 1
        if first > last or first >= len(tokens):
            continue
        function = _definition(unit, first, last)
        if function is not None:
            definitions.setdefault(function.name, []).append(function)
            continue
        declared = _prototype(unit, first, last)
        if declared is not None:
            prototypes.setdefault(declared, []).append((start, end))
    # A name a #define or #if mentions: a call in a macro cannot be rewritten as text.
    directive_words: set[str] = set()
    for token in tokens:
        if token.kind is Kind.DIRECTIVE and not _INCLUDE.match(token.text):
            directive_words |= {t.text for t in scan(token.text) if t.kind is Kind.WORD}
    references: dict[str, list[int]] = {}
    for index, token in enumerate(tokens):
        if token.kind is Kind.WORD and token.text in definitions:
            references.setdefault(token.text, []).append(index)
    targets = []
    for name, found in definitions.items():
        if name == "main" or name in keep or name in directive_words or len(found) != 1:
            continue
        function = found[0]
        own = _own_ranges(unit, function, prototypes.get(name, []))
        calls = []
        # Any other reference (an address taken, a declaration not understood) spoils it.
        for index in references.get(name, []):
            if any(first <= index < end for first, end in own):
                continue
            call = _call(unit, index)
            if call is None or len(call.args) != len(function.params):
                break
            calls.append(call)
        else:
            if not calls:
                continue  # removing an unused definition is the toplevel pass's job
            if function.expression is None and any(c.statement_end is None for c in calls):
                continue  # a body of statements cannot stand for a value
            targets.append(_Target(function, tuple(calls), tuple(prototypes.get(name, []))))
    return unit, tuple(targets)


def _own_ranges(
    unit: _Text, function: _Function, prototypes: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Token ranges where the name is the function's own declaration."""
    spans = [function.span, *prototypes]
    return [(unit.index_at(start), unit.index_at(end)) for start, end in spans]


# -- candidates -------------------------------------------------------------------------------


def _substitute(unit: _Text, first: int, end: int, replacements: dict[str, str]) -> str:
    """tokens[first:end] as written, each parameter word replaced (not after `.`/`->`)."""
    tokens = unit.tokens
    pieces: list[str] = []
    position = tokens[first].start
    for index in range(first, end):
        token = tokens[index]
        if (
            token.kind is Kind.WORD
            and token.text in replacements
            and tokens[index - 1].text not in _MEMBER
        ):
            pieces += [unit.text[position : token.start], replacements[token.text]]
            position = token.end
    pieces.append(unit.text[position : tokens[end - 1].end])
    return "".join(pieces)


def _grouped(expression: str) -> str:
    """An expression as an operand: a lone token or a parenthesized group as it is."""
    tokens = [t for t in scan(expression) if t.kind is not Kind.COMMENT]
    if len(tokens) == 1 or (tokens and match_brackets(tokens).get(0) == len(tokens) - 1):
        return expression
    return f"({expression})"


def _expanded(unit: _Text, target: _Target, first: int, end: int, casts: bool) -> str:
    """tokens[first:end] as written with every call to the target inlined (arguments
    first: a call may be another call's argument)."""
    if first >= end:
        return ""
    function = target.function
    assert function.expression is not None
    pieces: list[str] = []
    position = unit.tokens[first].start
    index = first
    for call in target.calls:
        if call.name < index or call.name >= end:
            continue
        arguments = [_expanded(unit, target, a, b, casts) for a, b in call.args]
        if casts:
            values = {
                p.name: f"(({p.type})({a}))"
                for p, a in zip(function.params, arguments, strict=True)
            }
        else:
            values = {p.name: _grouped(a) for p, a in zip(function.params, arguments, strict=True)}
        body = _substitute(unit, *function.expression, values)
        inlined = f"(({function.returns})({body}))" if casts else _grouped(body)
        pieces += [unit.text[position : unit.tokens[call.name].start], inlined]
        position = unit.tokens[call.close].end
        index = call.close + 1
    pieces.append(unit.text[position : unit.tokens[end - 1].end])
    return "".join(pieces)


def _fresh(name: str, taken: set[str]) -> str:
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _statement_block(unit: _Text, target: _Target, call: _Call, words: set[str]) -> str:
    """`{ P p = x; BODY }` for the statement `f(x);`."""
    function = target.function
    arguments = [unit.source(a, b) for a, b in call.args]
    named = {t.text for a, b in call.args for t in unit.tokens[a:b] if t.kind is Kind.WORD}
    renamed = {p.name: _fresh(p.name, words) for p in function.params if p.name in named}
    declarations = []
    for param, argument in zip(function.params, arguments, strict=True):
        local = param.declaration
        if param.name in renamed:
            local = local[: len(local) - len(param.name)] + renamed[param.name]
        declarations.append(f"{local} = {argument};")
    opened, closed = function.body
    body = _substitute(unit, opened + 1, closed, renamed) if closed > opened + 1 else ""
    return "{ " + " ".join([*declarations, body]).strip() + " }"


def _without_definitions(text: str, edits: list[tuple[int, int, str]]) -> str:
    pieces: list[str] = []
    position = 0
    for start, end, replacement in sorted(edits):
        if start < position:
            continue  # inside an edit already made (a call in the removed definition)
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _whole_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with the rest of its line when nothing else follows it there."""
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == "\n":
        end = after + 1
    return start, end


def _inlined(unit: _Text, target: _Target, casts: bool) -> str:
    text = unit.text
    removals = [_whole_lines(text, *span) for span in [target.function.span, *target.prototypes]]
    edits = [(start, end, "") for start, end in removals]
    if target.function.expression is not None:
        outermost = []
        reach = -1  # the last `)` of the calls kept so far: a call before it is nested
        for call in target.calls:  # in text order
            if call.name > reach:
                outermost.append(call)
                reach = call.close
        for call in outermost:
            start = unit.tokens[call.name].start
            end = unit.tokens[call.close].end
            edits.append((start, end, _expanded(unit, target, call.name, call.close + 1, casts)))
    else:
        words = set(unit.words)
        for call in target.calls:
            assert call.statement_end is not None
            start = unit.tokens[call.name].start
            end = unit.tokens[call.statement_end].end
            edits.append((start, end, _statement_block(unit, target, call, words)))
    return _without_definitions(text, edits)


def inline_candidates(text: str, keep: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    """(function name, kind, candidate text), the largest saving first; the fallback
    with casts right after its plain candidate."""
    unit, targets = _targets(text, keep)
    found: list[tuple[int, int, str, list[tuple[str, str]]]] = []
    for order, target in enumerate(targets):
        if target.function.expression is None:
            texts = [("block", _inlined(unit, target, casts=False))]
        else:
            texts = [("expression", _inlined(unit, target, casts=False))]
            if _castable(target.function):
                texts.append(("casts", _inlined(unit, target, casts=True)))
        smaller = [(kind, t) for kind, t in texts if len(t) < len(text)]
        if smaller:
            found.append((len(smaller[0][1]), order, target.function.name, smaller))
    found.sort(key=lambda entry: entry[:2])
    return [(name, kind, t) for _, _, name, texts in found for kind, t in texts]


def _castable(function: _Function) -> bool:
    types = [function.returns, *(p.type for p in function.params)]
    return not any(word in _AGGREGATES for t in types for word in t.split())


class InlineFunctionsPass:
    name = "inline"

    def __init__(self, keep: frozenset[str] = frozenset()) -> None:
        self.keep = keep

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        # Keyed by the function: a rejected function (both its tries) is not proposed
        # again after another one's success.
        edits = (
            (name, lambda candidate=candidate: candidate, kind)
            for name, kind, candidate in inline_candidates(text, self.keep)
        )
        yield from each_once(text, edits, resume)
