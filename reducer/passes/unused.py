"""Remove top-level declarations whose names nothing else mentions: all of them in one
candidate, then in halving chunks. Far cheaper than blind chunk removal on
generated code (csmith) full of prototypes and globals that emptied bodies no longer use.
"""

from __future__ import annotations

import hashlib
from collections import Counter, OrderedDict
from collections.abc import Hashable, Iterator
from functools import lru_cache

from reducer.ctokens import (
    C_KEYWORDS,
    Kind,
    Token,
    first_name,
    match_brackets,
    scan,
    top_level_items,
)
from reducer.passes.base import Candidate
from reducer.passes.chunks import remove_spans
from reducer.passes.schedules import cuts_then_halving

_ATTRIBUTE_WORDS = frozenset({"__attribute__", "__attribute", "__asm__", "__asm", "asm"})


def _depth0(tokens: list[Token]) -> list[tuple[int, Token]]:
    """(index, token) of tokens outside any bracket group, attribute groups skipped."""
    pairs = match_brackets(tokens)
    result = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.text in _ATTRIBUTE_WORDS and index + 1 in pairs:
            index = pairs[index + 1] + 1
            continue
        result.append((index, token))
        index = pairs[index] + 1 if index in pairs else index + 1
    return result


def _is_name(token: Token) -> bool:
    return token.kind is Kind.WORD and token.text not in C_KEYWORDS


def _parenthesized_declarator(
    tokens: list[Token], pairs: dict[int, int], outer: list[tuple[int, Token]]
) -> str | None:
    """The name in a parenthesized declarator: `typedef R (*sendfunc)(...)`, `int
    (*handler)(int)`, csmith's `int8_t (safe_add)(...)`, when the first parenthesis at
    depth 0 (before any `=`) opens a group followed by `(` or `[`; else None. Python's
    headers declare their slot types so; the name before the group (R) is a use."""
    for index, token in outer:
        if token.text == "=":
            return None
        if token.text != "(":
            continue
        close = pairs.get(index)
        if close is None or close + 1 >= len(tokens) or tokens[close + 1].text not in ("(", "["):
            return None
        return first_name(tokens[index + 1 : close])
    return None


def _typedef_enumerators(
    tokens: list[Token], pairs: dict[int, int], outer: list[tuple[int, Token]]
) -> set[str]:
    """The enumerators of the `enum {...}` an outer-level typedef defines: the names
    right after its '{' and after each ',' at its own depth (not the words of values)."""
    names: set[str] = set()
    for position, (_index, token) in enumerate(outer):
        if token.text != "enum":
            continue
        brace = next((i for i, t in outer[position:] if t.text == "{"), None)
        if brace is None or brace not in pairs:
            continue
        inner = 0
        expect = True
        for member in tokens[brace + 1 : pairs[brace]]:
            if member.text in ("(", "[", "{"):
                inner += 1
            elif member.text in (")", "]", "}"):
                inner -= 1
            elif inner == 0 and member.text == ",":
                expect = True
                continue
            if expect and inner == 0 and _is_name(member):
                names.add(member.text)
            expect = False
    return names


def declared_names(tokens: list[Token]) -> set[str] | None:
    """Names an item declares, or None when unsure (the item is then never removed here)."""
    if not tokens or tokens[0].kind is not Kind.WORD:
        return None  # directives, comments, stray punctuation
    pairs = match_brackets(tokens)
    outer = _depth0(tokens)
    words = [t.text for _, t in outer]
    declarator = _parenthesized_declarator(tokens, pairs, outer)
    if declarator is not None:
        return {declarator} if "," not in words else None
    if "typedef" in words:
        names = [t.text for _, t in outer if _is_name(t)]
        # `typedef enum { A = 1, B } E;` declares A and B too (zstd.c's HUF_flags_e:
        # its enumerators were taken for undeclared once the typedef was cut).
        return {names[-1]} | _typedef_enumerators(tokens, pairs, outer) if names else None
    first_paren = next((i for i, t in outer if t.text == "("), None)
    if first_paren is not None:  # a function definition or prototype
        close = pairs.get(first_paren)
        if close is not None and _leading_invocation(tokens, first_paren, close):
            return declared_names(tokens[close + 1 :])
        inner = tokens[first_paren + 1 : close] if close is not None else []
        after = tokens[close + 1] if close is not None and close + 1 < len(tokens) else None
        if len(inner) == 1 and _is_name(inner[0]) and after is not None and after.text == "(":
            return {inner[0].text}  # csmith's `type (name)(args)` style
        before = tokens[first_paren - 1] if first_paren > 0 else None
        if before is not None and _is_name(before):
            return {before.text}
        return None
    names: set[str] = set()
    in_initializer = False
    for position, (_index, token) in enumerate(outer):
        if token.text in ("struct", "union", "enum"):
            following = [t for _, t in outer[position + 1 : position + 3]]
            # Only a definition (`struct tag {`) declares the tag; a use just names it.
            if len(following) == 2 and _is_name(following[0]) and following[1].text == "{":
                names.add(following[0].text)
            if token.text == "enum":
                brace = next((i for i, t in outer[position:] if t.text == "{"), None)
                if brace is not None and brace in pairs:
                    names |= {t.text for t in tokens[brace + 1 : pairs[brace]] if _is_name(t)}
        if token.text in ("=", ",", ";", "[", ":") and position > 0 and not in_initializer:
            previous = outer[position - 1][1]
            if _is_name(previous):
                names.add(previous.text)
        if token.text == "=":
            in_initializer = True  # `= &other;` mentions other, it does not declare it
        elif token.text == ",":
            in_initializer = False
    return names or None


# Words that may follow a function declarator's parameter list.
_AFTER_PARAMETERS = frozenset({"__attribute__", "__attribute", "asm", "__asm__", "__asm"})


def _leading_invocation(tokens: list[Token], first_paren: int, close: int) -> bool:
    """Whether a declaration ending in ';' starts with a macro invocation or an attribute
    (`ALIGNED(0x1000) static const uint8_t table[] = {...};`, CRoaring's): its first word
    and '(' are not a function's name and parameters when a word follows the ')'. (Only
    an old-style definition does that, and it ends in a body.)"""
    return (
        first_paren == 1
        and close + 1 < len(tokens)
        and tokens[close + 1].kind is Kind.WORD
        and tokens[close + 1].text not in _AFTER_PARAMETERS
        and tokens[-1].text == ";"
    )


ItemFacts = tuple[Counter[str], frozenset[str] | None]


def _item_facts(item: str) -> ItemFacts:
    """(word counts, declared names) of one top-level item. Cached by the item's text:
    the texts a pass and its speculation look at differ in one chunk, so nearly every
    item was seen before (csmith seed 1: 3,921 items tokenized for 36 texts). A big item
    (csmith's 30 KB array initializers, tree-sitter's 1.2 MB parse table: 100 ms a scan,
    13 s a reduction) is kept by its digest, a few of them, so the cache holds no copy
    of its text. Callers must not mutate the counts."""
    if len(item) <= 2048:
        return _small_item_facts(item)
    key = hashlib.blake2b(item.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    facts = _big_item_facts.get(key)
    if facts is None:
        facts = _big_item_facts[key] = _scan_item(item)
        if len(_big_item_facts) > _BIG_ITEMS_KEPT:
            _big_item_facts.popitem(last=False)
    else:
        _big_item_facts.move_to_end(key)
    return facts


_BIG_ITEMS_KEPT = 16
_big_item_facts: OrderedDict[bytes, ItemFacts] = OrderedDict()


@lru_cache(maxsize=4096)
def _small_item_facts(item: str) -> ItemFacts:
    return _scan_item(item)


def _scan_item(item: str) -> ItemFacts:
    tokens = scan(item)
    names = declared_names(tokens)
    counts = Counter(t.text for t in tokens if t.kind is Kind.WORD)
    return counts, frozenset(names) if names is not None else None


class UnusedDeclarationsPass:
    name = "unused"

    def __init__(self, keep: frozenset[str] = frozenset()) -> None:
        self.keep = keep

    def unused_items(self, text: str) -> list[tuple[int, int]]:
        """Spans of the top-level items whose declared names nothing else mentions."""
        items = top_level_items(text)
        facts = [_item_facts(text[start:end]) for start, end in items]
        # How often each word appears in the whole file, per item.
        mentions: Counter[str] = Counter()
        per_item = [counts for counts, _ in facts]
        for counts in per_item:
            mentions.update(counts)
        declared = [names for _, names in facts]
        # Mentions of each name inside the items that declare it (prototype + definition).
        self_mentions: Counter[str] = Counter()
        for index, names in enumerate(declared):
            for name in names or ():
                self_mentions[name] += per_item[index][name]
        return [
            items[index]
            for index, names in enumerate(declared)
            if names
            and not names & self.keep
            and "main" not in names
            and all(mentions[name] == self_mentions[name] for name in names)
        ]

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        # Then, if some "unused" item was needed after all (a name hidden in a macro,
        # say), the removable ones are found by halving instead of one by one. After the
        # cut the pass starts over: items only the removed ones named are unused now.
        yield from cuts_then_halving(
            text, self.unused_items, resume, self._everything(text), again=True
        )

    def _everything(self, text: str) -> Iterator[str]:
        unused = self.unused_items(text)
        if len(unused) > 1:
            yield remove_spans(text, unused)
