"""Remove balanced regions: a whole `{...}`/`(...)`/`[...]` group, its contents, (for
parentheses) just the delimiters, or the group with the word before it (a call,
`__attribute__((...))`, `sizeof(...)`)."""

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
            if open_index > 0 and tokens[open_index - 1].kind is Kind.WORD:
                variants.append(text[: tokens[open_index - 1].start] + text[closer.end :])
            for phase, variant in enumerate(variants):
                if open_index == first_open and phase < first_phase:
                    continue
                # After removing the whole group the next opener has moved to this index.
                yield Candidate(variant, (open_index, phase + 1 if phase else 0))
