"""Drop every comment at once: real files are often half comments (sqlite3.c: 9.2 MB, of
which ~4 MB comments), and one candidate removes them for one oracle call, before any
structural pass has to read around them. A comment becomes one space (`a/**/b` stays
two tokens); the blank lines whole-line comments leave are folded, except after a
backslash-newline, which would pull the next line into a macro. Literals are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator

from reducer.passes.base import Candidate
from reducer.passes.schedules import restarting

_COMMENT_OR_LITERAL = re.compile(
    r"""(?P<literal>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
      | (?P<comment>/\*.*?\*/|//(?:\\\n|[^\n])*)""",
    re.VERBOSE | re.DOTALL,
)
_BLANK_LINE = re.compile(r"(?<!\\)\n[ \t]*(?=\n)")


def strip_comments(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return " " if match.lastgroup == "comment" else match.group()

    return _BLANK_LINE.sub("", _COMMENT_OR_LITERAL.sub(replace, text))


class CommentsPass:
    name = "comments"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        if "/*" not in text and "//" not in text:
            return
        stripped = strip_comments(text)
        yield from restarting([stripped] if len(stripped) < len(text) else [])
