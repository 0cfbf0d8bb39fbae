"""Remove balanced regions: a whole `{...}`/`(...)`/`[...]` group, its contents, just the
delimiters (parentheses, nested blocks), or the group with the word or `=` before it (a
call, `__attribute__((...))`, `sizeof(...)`, an initializer)."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, match_brackets, tokenize
from reducer.passes.base import Candidate
from reducer.passes.schedules import forward_variants


class BalancedPass:
    name = "balanced"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        tokens = tokenize(text)
        pairs = match_brackets(tokens)

        def variants_of(open_index: int) -> list[tuple[str, str]]:
            close_index = pairs[open_index]
            opener, closer = tokens[open_index], tokens[close_index]
            # The whole group first: after it is removed, the next opener has this index.
            variants = [("group", text[: opener.start] + text[closer.end :])]
            if closer.start > opener.end:  # an empty group has no contents to remove
                variants.append(("contents", text[: opener.end] + text[closer.start :]))
            if opener.text == "(":
                variants.append(
                    (
                        "parentheses",
                        text[: opener.start] + text[opener.end : closer.start] + text[closer.end :],
                    )
                )
            previous = tokens[open_index - 1] if open_index > 0 else None
            if previous is not None and (previous.kind is Kind.WORD or previous.text == "="):
                # `f(x)`, `__attribute__((...))`, or an initializer `= {...}`.
                variants.append(("with-word", text[: previous.start] + text[closer.end :]))
            if opener.text == "{" and previous is not None and previous.text in ("{", "}", ";"):
                # A nested block: keep its statements, drop the braces.
                variants.append(
                    (
                        "braces",
                        text[: opener.start] + text[opener.end : closer.start] + text[closer.end :],
                    )
                )
            return variants

        yield from forward_variants(sorted(pairs), variants_of, resume)
