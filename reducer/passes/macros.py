"""Inline object-like macros: `#define NAME body` goes, each use of NAME becomes body."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, replace_word, tokenize
from reducer.passes.base import Candidate

_OBJECT_LIKE = re.compile(r"#\s*define\s+([A-Za-z_]\w*)(?:\s+(.*))?\Z", re.DOTALL)


class InlineMacrosPass:
    name = "macros"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        tokens = tokenize(text)
        for token in tokens:
            if token.kind is not Kind.DIRECTIVE:
                continue
            match = _OBJECT_LIKE.match(token.text)
            if match is None:
                continue
            name = match.group(1)
            body = (match.group(2) or "").replace("\\\n", " ").strip()
            without_define = text[: token.start] + text[token.end :]
            rest = tokenize(without_define[token.start :])
            inlined = replace_word(without_define, rest, name, body, token.start)
            if len(inlined) < len(text):  # a macro used many times grows when inlined
                yield Candidate(inlined, None)
