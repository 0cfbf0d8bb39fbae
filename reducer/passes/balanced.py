"""Remove balanced regions: a whole `{...}`/`(...)`/`[...]` group, its contents, just the
delimiters (parentheses, nested blocks), or the group with the word or `=` before it (a
call, `__attribute__((...))`, `sizeof(...)`, an initializer)."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, match_brackets, tokenize
from reducer.passes.base import Candidate


class BalancedPass:
    name = "balanced"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        tokens = tokenize(text)
        pairs = match_brackets(tokens)
        first_open, first_phase = resume if isinstance(resume, tuple) else (0, 0)
        for open_index in sorted(pairs):
            if open_index < first_open:
                continue
            close_index = pairs[open_index]
            opener, closer = tokens[open_index], tokens[close_index]
            variants = [
                text[: opener.start] + text[closer.end :],  # the whole group
                text[: opener.end] + text[closer.start :],  # its contents only
            ]
            if opener.text == "(":
                variants.append(
                    text[: opener.start] + text[opener.end : closer.start] + text[closer.end :]
                )
            previous = tokens[open_index - 1] if open_index > 0 else None
            if previous is not None and (previous.kind is Kind.WORD or previous.text == "="):
                # `f(x)`, `__attribute__((...))`, or an initializer `= {...}`.
                variants.append(text[: previous.start] + text[closer.end :])
            if opener.text == "{" and previous is not None and previous.text in ("{", "}", ";"):
                # A nested block: keep its statements, drop the braces.
                variants.append(
                    text[: opener.start] + text[opener.end : closer.start] + text[closer.end :]
                )
            for phase, variant in enumerate(variants):
                if open_index == first_open and phase < first_phase:
                    continue
                # After removing the whole group the next opener has moved to this index.
                yield Candidate(variant, (open_index, phase + 1 if phase else 0))
