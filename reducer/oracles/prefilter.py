"""A cheap rejection in front of an oracle that needs the candidate to compile.

Most candidates of the fine passes late in a reduction do not compile (a token, a line or
a bracket removed from a 60-byte file), and each still costs a whole compiler process
(~60 ms for clang-19 on a tiny file, most of it process start). Parsing in-process with
libclang says the same thing in ~2-4 ms: a candidate libclang rejects with an error is
not interesting for such an oracle, which needs an object or assembly, so it is answered
without compiling. A candidate libclang accepts goes to the oracle as before, so the
oracle still decides every accepted text: the filter can only cost reduction (when
libclang is stricter than the compiler under test), never a wrong result.

It is used only when libclang parses the original without an error under the same flags
(`guard`), and, for an oracle that does not declare that it needs valid code (a user's
script, a crash or a diagnostic), only when it rejects the original with a syntax error
appended (`rejects_invalid_code`): otherwise (no libclang, a missing header, a GCC-only extension, another
compiler's dialect) it would reject everything. Big texts skip it: there the parse is a
large part of a compile and most candidates (whole functions cut) compile anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reducer import libclang
from reducer.oracles.base import Oracle
from reducer.verdict import Verdict

# Above this many bytes the candidate goes straight to the oracle: on csmith's 86 KB
# texts a parse is ~30% of an -O0 compile and the structural passes' candidates compile.
PREFILTER_MAX_BYTES = 32_000


@dataclass(frozen=True)
class ParsesFirst:
    """reducer.oracles.base.Oracle: `inner`, behind a libclang parse of the candidate.
    Pickles (only flags and the inner oracle); libclang loads in whichever process
    checks, and where it does not load the candidate goes to `inner`."""

    inner: Oracle
    parse_flags: tuple[str, ...]
    max_bytes: int = PREFILTER_MAX_BYTES

    @property
    def name(self) -> str:
        return self.inner.name

    def check(self, candidate: Path) -> Verdict:
        # The size first: a big candidate (megabytes, early in a big input's reduction)
        # is not read here at all, only by the compiler.
        if candidate.stat().st_size <= self.max_bytes:
            text = candidate.read_text(encoding="utf-8", errors="surrogateescape")
            try:
                errors = libclang.errors_of(text, self.parse_flags)
            except libclang.LibclangUnavailable:
                errors = ()
            if errors:
                return Verdict(
                    False, f"libclang: {errors[0]}", compile_failed=True, prefiltered=True
                )
        return self.inner.check(candidate)

    def describe(self) -> str:
        return self.inner.describe()


def guard(oracle: Oracle, original: str, parse_flags: tuple[str, ...]) -> tuple[Oracle, str]:
    """`oracle` behind the parse when libclang accepts the original as the compiler did
    (the oracle found it interesting, so it compiled); else `oracle` itself. With a
    one-line reason for the log either way."""
    try:
        errors = libclang.errors_of(original, parse_flags)
    except libclang.LibclangUnavailable as exc:
        return oracle, f"no parse prefilter: {exc}"
    if errors:
        return oracle, f"no parse prefilter: libclang rejects the original ({errors[0]})"
    return (
        ParsesFirst(oracle, parse_flags),
        "parse prefilter: candidates libclang cannot parse are rejected without compiling",
    )


# Appended to the original for `rejects_invalid_code`: a syntax error every C compiler
# reports, after all of the original's code, so what the original shows (a crash in the
# back end, a warning, a bogus error) is still there unless the oracle needs valid code.
PROBE_TAIL = "\nint reducer_parse_probe = ;\n"


def rejects_invalid_code(original: str, check: Callable[[str], Verdict]) -> bool:
    """Whether the oracle needs valid code, asked of the oracle itself (one `check`): the
    original with PROBE_TAIL appended is not interesting.

    For oracles whose kind cannot promise it. A C-Vise style script usually compiles and
    reads the object, and then ~60% of its calls are candidates libclang rejects; but one
    that greps for a warning or a front-end error, or a crash oracle whose crash is in the
    parser, must see invalid candidates. A timeout says nothing, so it counts as no."""
    verdict = check(original + PROBE_TAIL)
    return not verdict.interesting and not verdict.timed_out
