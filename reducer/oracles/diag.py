"""`diag:REGEX` — the compiler prints a diagnostic whose line matches REGEX.

Each diagnostic line clang (driver or -cc1) or llc prints, ``file:line:col: warning:
message [-Wflag]``, is parsed into a ``Diagnostic``; the regex is searched in the line as
printed (so it can name the flag, ``\\[-Wunterminated-string-initialization\\]``, the
severity, or only the message). Notes are not diagnostics of their own (they explain the
one before) and are not searched. The match is what counts, not the exit status: an error
diagnostic makes the compile fail and is still interesting.

A compile that fails without the match sets ``compile_failed`` (a --good-cc compiler must
build the file, so "it rejects the code" is never "it is fixed").

``-X quiet=yes`` is for a false warning on valid code: a compile that prints any other
error or warning line (not a note) counts as a failed compile, on either compiler, so
with --good-cc the reduction keeps code that the fixed compiler builds without a word and
the affected one warns about only once: what ``// expected-no-diagnostics`` tests upstream
hold, rather than code that drifted into other warnings (an argument missing for its
``%``, a non-void function with no return).

``parse_diagnostics`` is pure, for emission: ``Diagnostic.expected_comment()`` gives the
``// expected-warning {{...}}`` line of a clang -verify test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.errors import UsageError
from reducer.objects import compile_output
from reducer.oracles.spec import ARGUMENT_REQUIRED, OracleKind, OracleSpec, register
from reducer.verdict import Verdict

NAME = "diag"
SEVERITIES = ("fatal error", "error", "warning", "remark", "note")

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_SEVERITY = "|".join(SEVERITIES)
# "t.c:4:13: warning: default initialization ... [-Wdefault-const-init-var-unsafe]"
_LOCATED = re.compile(
    rf"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>{_SEVERITY}): (?P<message>.*)$"
)
# "clang-22: warning: argument unused during compilation: '-c' [-Wunused-command-line-argument]",
# "error: unknown target CPU 'x'" (cc1), "llc-19: error: ..."; no source location.
_UNLOCATED = re.compile(rf"^(?:(?P<file>[^\s:]+): )?(?P<severity>{_SEVERITY}): (?P<message>.*)$")
# The trailing option group: "[-Wfoo]", "[-Werror,-Wfoo]", "[-Wfoo,Semantic Issue]".
_FLAG = re.compile(r"\s\[(?P<flag>-[^\[\]]+)\]$")


@dataclass(frozen=True)
class Diagnostic:
    file: str  # as printed; "" (or the program name) when the diagnostic has no location
    line: int  # 0 when there is no location
    col: int
    severity: str  # "error", "fatal error", "warning", "remark" or "note"
    message: str  # without the trailing [-Wflag]
    flag: str  # "-Wunterminated-string-initialization", "-Werror,-Wfoo" or ""
    text: str  # the whole line as printed (what REGEX is searched in)

    @property
    def located(self) -> bool:
        return self.line > 0

    def expected_comment(self) -> str:
        """The clang -verify directive for this diagnostic, to put on its own line."""
        kind = "error" if self.severity == "fatal error" else self.severity
        # -verify reads "{{" and "}}" as the delimiters; a message containing them needs
        # the longer form, which clang does not have: split them instead.
        message = self.message.replace("{{", "{ {").replace("}}", "} }")
        return f"// expected-{kind} {{{{{message}}}}}"

    def short(self) -> str:
        where = f"{self.line}:{self.col}: " if self.located else ""
        flag = f" [{self.flag}]" if self.flag else ""
        return f"{where}{self.severity}: {self.message}{flag}"


def parse_diagnostics(stderr: str) -> list[Diagnostic]:
    """Every diagnostic line in a compiler's stderr, in order (source snippets, caret
    lines, stack dumps and "N warnings generated." are skipped)."""
    found: list[Diagnostic] = []
    for raw in _ANSI.sub("", stderr).splitlines():
        line = raw.rstrip()
        match = _LOCATED.match(line)
        if match:
            file, lineno, col = match["file"], int(match["line"]), int(match["col"])
        else:
            match = _UNLOCATED.match(line)
            if not match:
                continue
            file, lineno, col = match["file"] or "", 0, 0
        message = match["message"]
        flag = ""
        flag_match = _FLAG.search(message)
        if flag_match:
            flag = flag_match["flag"]
            message = message[: flag_match.start()]
        found.append(Diagnostic(file, lineno, col, match["severity"], message, flag, line))
    return found


def _summary(diagnostics: list[Diagnostic]) -> str:
    counts: dict[str, int] = {}
    for d in diagnostics:
        counts[d.severity] = counts.get(d.severity, 0) + 1
    parts = [f"{n} {s}{'' if n == 1 else 's'}" for s, n in counts.items()]
    return ", ".join(parts) + f" (first: {diagnostics[0].short()})"


class DiagnosticOracle:
    def __init__(
        self, compile: CompileCommand, pattern: re.Pattern[str], quiet: bool = False
    ) -> None:
        self.name = f"{NAME}:{pattern.pattern}"
        self.compile = compile
        self.pattern = pattern
        self.quiet = quiet  # -X quiet=yes: another error or warning is a failed compile

    def describe(self) -> str:
        return (
            f"{self.name} (counts an error, warning or remark line matching "
            f"/{self.pattern.pattern}/, whether or not the file compiles)"
        )

    def matches(self, candidate: Path) -> tuple[Verdict, list[Diagnostic]]:
        """The verdict and every diagnostic the compile printed (notes included)."""
        compiled = compile_output(self.compile, candidate, self.compile.any_output())
        result = compiled.result
        if result.timed_out:
            return (
                Verdict(
                    False, f"compile timed out after {self.compile.timeout:g}s", timed_out=True
                ),
                [],
            )
        diagnostics = parse_diagnostics(result.stderr.decode("utf-8", errors="replace"))
        counted = [d for d in diagnostics if d.severity != "note"]
        hits = [d for d in counted if self.pattern.search(d.text)]
        others = [d for d in counted if d.severity != "remark" and d not in hits]
        if self.quiet and others:
            more = f" (and {len(others) - 1} more)" if len(others) > 1 else ""
            return (
                Verdict(
                    False,
                    f"also printed {others[0].short()}{more} (-X quiet=yes: nothing but "
                    f"/{self.pattern.pattern}/ may be printed)",
                    compile_failed=True,
                ),
                diagnostics,
            )
        if hits:
            more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
            lines = sorted(
                {d.line for d in hits if d.located and Path(d.file).name == candidate.name}
            )
            return Verdict(
                True, f"diagnostic {hits[0].short()}{more}", lines=tuple(lines)
            ), diagnostics
        seen = _summary(counted) if counted else "no diagnostics"
        if result.returncode != 0:
            return (
                Verdict(
                    False,
                    f"no diagnostic matches /{self.pattern.pattern}/ and the compile failed "
                    f"(exit {result.returncode}); saw {seen}",
                    compile_failed=True,
                ),
                diagnostics,
            )
        return (
            Verdict(False, f"no diagnostic matches /{self.pattern.pattern}/; saw {seen}"),
            diagnostics,
        )

    def check(self, candidate: Path) -> Verdict:
        return self.matches(candidate)[0]


def make_diag_oracle(spec: OracleSpec, compile: CompileCommand | None) -> DiagnosticOracle:
    assert compile is not None
    quiet = spec.option("quiet", "no")
    if quiet not in ("yes", "no"):
        raise UsageError(f"-X quiet must be yes or no, not {quiet!r}")
    return DiagnosticOracle(compile, spec.regex(), quiet == "yes")


register(
    OracleKind(
        NAME,
        make_diag_oracle,
        "the compiler prints an error/warning line matching REGEX (file:line:col: warning: ...)",
        argument=ARGUMENT_REQUIRED,
        argument_help="REGEX",
        options=("quiet",),
        test_kinds=("clang-verify",),
    )
)
