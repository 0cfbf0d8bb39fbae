"""The slice pass: the oracle-guided big cut tried before any generic pass.

The oracle reports which relocations it saw and in which functions. A side compile with
`-g` maps each relocation's offset to a source line through the DWARF line table
(reducer.reloclines.offending_lines, before reducing); the cut
then keeps, in each such function, only the statements on those lines. When the oracle
rejects the cut, the generic passes do the work as usual, so a wrong guess costs one call.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import match_brackets, scan
from reducer.passes.base import Candidate
from reducer.passes.bodies import FunctionBody, function_bodies
from reducer.passes.focus import fast_function_bodies
from reducer.passes.schedules import FINISHED, Finished
from reducer.passes.statement_split import starts_declaration
from reducer.passes.unused import declared_names
from reducer.reloclines import FunctionLines


def _statement_spans(
    text: str, start: int, end: int, lines: frozenset[int]
) -> list[tuple[int, int]]:
    """Spans of the body's statements (at any depth) that begin on one of `lines`: a
    statement runs from its first token to its ';' or, for a braced statement, its '}'."""
    body = text[start:end]
    tokens = scan(body)
    pairs = match_brackets(tokens)
    # Line numbers by counting newlines between successive tokens: counting from the start
    # of the body for every token was quadratic (seconds on csmith's big functions).
    line_of: list[int] = []
    line = text.count("\n", 0, start) + 1
    position = 0
    for token in tokens:
        line += body.count("\n", position, token.start)
        position = token.start
        line_of.append(line)
    spans: list[tuple[int, int]] = []
    index = 0
    statement_start = True
    while index < len(tokens):
        token = tokens[index]
        if statement_start and line_of[index] in lines and token.text not in ("{", "}"):
            # Extend to the end of this statement, skipping nested groups.
            last = index
            while last < len(tokens) and tokens[last].text != ";":
                if last in pairs:
                    is_block = tokens[last].text == "{" and tokens[last - 1].text != "="
                    last = pairs[last]
                    if is_block:  # a braced statement (if/for body) ends at its '}'
                        break
                last += 1
            last = min(last, len(tokens) - 1)
            spans.append((start + token.start, start + tokens[last].end))
            index = last + 1
            statement_start = True
            continue
        statement_start = token.text in (";", "{", "}")
        index += 1
    return spans


def _declaration_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the declarations anywhere in a body (nested blocks included): statements
    that start with a type keyword, or with a (typedef) name followed by a name or '*'."""
    body = text[start:end]
    tokens = scan(body)
    pairs = match_brackets(tokens)
    spans = []
    index = 0
    while index < len(tokens):
        first = index
        # Collect one statement; a '{' not after '=' opens a block: scan inside it instead.
        while index < len(tokens) and tokens[index].text not in (";", "{", "}"):
            index = pairs.get(index, index) + 1 if tokens[index].text in "([" else index + 1
        if (
            0 < index < len(tokens)
            and tokens[index].text == "{"
            and tokens[index - 1].text == "="
            and index in pairs
        ):
            index = pairs[index] + 1  # an initializer: the statement goes on
            while index < len(tokens) and tokens[index].text != ";":
                index = pairs.get(index, index) + 1
        if index < len(tokens) and tokens[index].text == ";" and first + 1 < index:
            head = tokens[first]
            if starts_declaration(head, tokens[first + 1]):
                spans.append((start + head.start, start + tokens[index].end))
        index += 1
    return spans


def _sliced_body(
    text: str, start: int, end: int, lines: frozenset[int], keep_declarations: bool
) -> str | None:
    """The new inside of the body text[start:end]: its statements on `lines` (and, if
    asked, its declarations at any depth, flattened), or None if no statement is there."""
    spans = _statement_spans(text, start, end, lines)
    if not spans:
        return None
    declarations: set[tuple[int, int]] = set()
    if keep_declarations:
        declarations = set(_declaration_spans(text, start, end)) - set(spans)
        spans = sorted(set(spans) | declarations)
        spans = [span for i, span in enumerate(spans) if i == 0 or span[0] >= spans[i - 1][1]]
    # Flattened nested blocks often declare a name again (`int i, j;`): keep the first.
    pieces: list[str] = []
    seen: set[str] = set()
    for span in spans:
        piece = text[span[0] : span[1]]
        if span in declarations:
            names = declared_names(scan(piece)) or set()
            if names and names <= seen:
                continue
            seen |= names
        pieces.append(piece)
    return "\n" + "\n".join(pieces) + "\n"


def slice_function(
    text: str, name: str, lines: frozenset[int], keep_declarations: bool = False
) -> str | None:
    """The text with `name`'s body reduced to its statements on `lines` (and, if asked,
    its declarations at any depth, flattened), or None."""
    return slice_functions(text, function_bodies(text), {name: lines}, keep_declarations)


def slice_functions(
    text: str, bodies: list[FunctionBody], lines: FunctionLines, keep_declarations: bool
) -> str | None:
    """Every body named in `lines` sliced, in one pass over the text: the line numbers and
    offsets all refer to `text` as it is (slicing one function at a time and re-parsing
    the whole text in between took two minutes on a 30k-line input). None if no body
    changed."""
    pieces: list[str] = []
    cursor = 0
    for body in bodies:
        if body.name not in lines:
            continue
        inside = _sliced_body(text, body.start, body.end, lines[body.name], keep_declarations)
        if inside is None:
            continue
        pieces += [text[cursor : body.start], inside]
        cursor = body.end
    if not pieces:
        return None
    pieces.append(text[cursor:])
    return "".join(pieces)


class SlicePass:
    """Yields the original text with every offending function sliced at once: without,
    then with their declarations. One function at a time waits for a smaller text
    (reducer.passes.reslice)."""

    name = "slice"

    def __init__(self, original: str, lines: FunctionLines) -> None:
        self.original = original
        self.lines = lines

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        if not self.lines or isinstance(resume, Finished):
            return
        if text != self.original:
            return  # other passes changed the text: the line numbers no longer apply
        # The structure scan, not function_bodies(): this runs on the whole original, and
        # tokenizing 9 MB item by item took 26 s of a big input's first minutes.
        bodies = fast_function_bodies(text)
        # Smallest first; with declarations kept, statements more often still compile.
        for keep_declarations in (False, True):
            everything = slice_functions(text, bodies, self.lines, keep_declarations)
            if everything is not None and everything != text:
                yield Candidate(everything, FINISHED)
