"""`crash[:REGEX]` — the compiler crashes on the candidate.

A crash is the compiler dying by a signal, or printing one of LLVM's crash or backend-error
banners (a release build turns most internal errors into ``report_fatal_error``: "fatal
error: error in backend: ..." from clang, "LLVM ERROR: ..." from llc, exit status 70 or 1,
no signal). With REGEX, only a crash whose stderr matches it counts, so a reduction cannot
slide from the reported crash into another one.

Not interesting, each with its own reason: compiles fine; does not compile but does not
crash (a plain error: ``compile_failed``, so --good-cc and the original-file check treat it
as a compiler failure); crashes differently (no REGEX match: also ``compile_failed``, since
that compiler did not build the file either — a --good-cc compiler that crashes another
way has not fixed anything).

-X output=obj|asm picks what the compile writes (default obj; some crashes are in the
assembly printer only). -X invalid=yes is for a crash on invalid code: a compile that stops
with plain errors then counts as "no crash" (the fixed clang's answer to such a file), not
as a compiler failure.

A crash known only by its signal (the driver's "clang frontend command failed with exit
code 139", cc1's "PLEASE submit a bug report" and death by SIGSEGV) has the signature
"killed by SIGSEGV", the same from the driver and from ``clang -cc1``, so a signature
pinned on a driver run holds for the cc1 runs of emission. -X pin=signature fixes a plain ``crash`` to the original's crash
signature (it becomes -X signature=..., which can also be given by hand); with -X
invalid=yes it also pins -X errors=N, the errors the compiler reports before crashing on
the original: a candidate that crashes after more errors does not count (otherwise the
reduction drifts into code that is invalid five ways, and the test expects them all).
"""

from __future__ import annotations

import re
import signal
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from reducer.compiler import OUTPUT_ASM, OUTPUT_OBJECT, CompileCommand
from reducer.errors import UsageError
from reducer.intake.crash_report import CrashScript
from reducer.objects import compile_output
from reducer.oracles.spec import ARGUMENT_OPTIONAL, OracleKind, OracleSpec, register
from reducer.process import ProcessResult
from reducer.scratch import with_candidate, write_candidate
from reducer.verdict import Verdict

NAME = "crash"

# Signals that mean the process crashed (not e.g. SIGTERM from a user or SIGPIPE).
CRASH_SIGNALS = frozenset(
    {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGTRAP}
)

# Banner lines, most specific first: the first one found is the crash's signature, so
# an assertion's text beats the generic "PLEASE submit a bug report" that follows it.
_BANNERS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"Assertion .* failed",
        r"UNREACHABLE executed",
        r"fatal error: error in backend: .*",
        r"LLVM ERROR: .*",
        r"[Cc]annot select: .*",
        r"unable to execute command: .*",
        r"error: clang frontend command failed.*",
        r"^Stack dump:",
        r"PLEASE submit a bug report",
    )
)
# Banners every crash prints, whatever it was: behind them, the signal is the signature.
_GENERIC_BANNERS = frozenset(_BANNERS[-4:])
# The driver reports its cc1's death: "failed with exit code 139" (128 + SIGSEGV).
_CC1_EXIT = re.compile(r"frontend command failed with exit code (\d+)")
_LOCATED_ERROR = re.compile(r"^\S[^\n]*?:\d+:\d+: (?:fatal )?error: ", re.MULTILINE)
# Printed by the pretty stack trace: "4.\tRunning pass 'X86 DAG->DAG ...' on function '@f'".
_STACK_FRAME = re.compile(r"^\d+\.\t(.*)$", re.MULTILINE)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
SIGNATURE_LIMIT = 200


@dataclass(frozen=True)
class CrashReport:
    """What a crashed compile printed, boiled down."""

    signature: str  # the first banner line, normalised (explain prints it)
    signal_name: str | None  # "SIGSEGV" when the process died by a signal
    returncode: int | None
    last_frame: str  # the innermost "N.\t..." line of LLVM's stack trace, or ""
    errors: int = 0  # the located errors the compiler reported before it crashed

    def describe(self) -> str:
        parts = [self.signature]
        if self.signal_name and self.signal_name not in self.signature:
            parts.append(f"killed by {self.signal_name}")
        if self.last_frame:
            parts.append(f"in: {self.last_frame}")
        return "; ".join(parts)


def normalize_signature(line: str) -> str:
    """A banner line without what changes from run to run or as the file shrinks: DAG node
    addresses and numbers, source locations, temp paths, long tails."""
    text = _ANSI.sub("", line).strip()
    text = re.sub(r"0x[0-9a-fA-F]+:?\s*", "", text)  # "0x55bad46485d0: f32 = ..."
    text = re.sub(r"\bt\d+:\s*", "", text)  # newer LLVM names DAG nodes t12
    text = re.sub(r"^\S+\.(?:c|ll|i|h):\d+(?::\d+)?:\s*", "", text)  # "a.c:2:3: in ..."
    text = re.sub(r",?\s*\S+\.(?:c|ll|i|h):\d+(?::\d+)?", "", text)  # ", file.c:3:7"
    # "clang-19: error: ..." and "clang-22: error: ..." are the same crash.
    text = re.sub(r"^\S+: (?=error:)", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:SIGNATURE_LIMIT]


# report_fatal_error prints "fatal error: error in backend: X" from clang and "LLVM ERROR: X"
# from llc and opt: one crash, whichever tool shows it.
_FATAL_PREFIX = re.compile(r"^(?:fatal error: error in backend|LLVM ERROR): ")


def same_signature(a: str, b: str) -> bool:
    """Whether two signatures name the same crash (clang's and llc's report_fatal_error
    banners compare equal: a signature pinned on clang holds for the llc test)."""
    return _FATAL_PREFIX.sub("", a) == _FATAL_PREFIX.sub("", b)


def signal_of(returncode: int | None) -> signal.Signals | None:
    """The crash signal behind an exit status: negative from subprocess, or 128+N from a
    shell or wrapper script that died of it."""
    if returncode is None or returncode == 0:
        return None
    number = -returncode if returncode < 0 else returncode - 128
    try:
        sig = signal.Signals(number)
    except ValueError:
        return None
    return sig if sig in CRASH_SIGNALS else None


def crash_report(returncode: int | None, stderr: str) -> CrashReport | None:
    """The crash this compile shows, or None (pure: tested on captured stderr)."""
    text = _ANSI.sub("", stderr)
    sig = signal_of(returncode)
    banner = ""
    generic = False
    for pattern in _BANNERS:
        match = pattern.search(text)
        if match:
            generic = pattern in _GENERIC_BANNERS
            # The whole line the banner is on: "clang: error: clang frontend command ..."
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            banner = text[start : end if end >= 0 else len(text)]
            break
    if not banner and sig is None:
        return None
    frames = _STACK_FRAME.findall(text)
    last_frame = normalize_signature(frames[-1]) if frames else ""
    if sig is None:
        cc1_exit = _CC1_EXIT.search(text)
        sig = signal_of(int(cc1_exit.group(1))) if cc1_exit else None
    if banner and not (generic and sig is not None):
        signature = normalize_signature(banner)
    else:
        assert sig is not None
        signature = f"killed by {sig.name}"
    errors = len(_LOCATED_ERROR.findall(text))
    return CrashReport(signature, sig.name if sig else None, returncode, last_frame, errors)


class CrashOracle:
    def __init__(
        self,
        compile: CompileCommand,
        pattern: re.Pattern[str] | None,
        output: str = OUTPUT_OBJECT,
        signature: str | None = None,
        invalid: bool = False,
        max_errors: int | None = None,
    ) -> None:
        self.name = NAME if pattern is None else f"{NAME}:{pattern.pattern}"
        self.compile = compile
        self.pattern = pattern
        self.output = output
        # -X signature (or pinned from the original by -X pin=signature): only a crash
        # whose normalised first banner line is exactly this one counts.
        self.signature = signature
        # -X invalid=yes: plain errors are this file's nature, not a failed compile.
        self.invalid = invalid
        # -X errors=N (pinned from the original with -X invalid=yes): a crash after more
        # errors than N does not count, so the reduction keeps the code as valid as it was.
        self.max_errors = max_errors

    def describe(self) -> str:
        what = "the compiler crashing (a signal, or an LLVM crash / backend error banner)"
        if self.pattern is not None:
            what += f" with stderr matching /{self.pattern.pattern}/"
        if self.signature is not None:
            what += f" with the signature '{self.signature}'"
        return f"{self.name} (counts {what})"

    def inspect(self, candidate: Path) -> tuple[Verdict, CrashReport | None]:
        """The verdict and, when the compiler crashed, what the crash looked like."""
        return self.judge(compile_output(self.compile, candidate, self.output).result)

    def judge(self, result: ProcessResult) -> tuple[Verdict, CrashReport | None]:
        """The verdict on one finished run (emission's own ``clang -cc1`` runs ask too)."""
        if result.timed_out:
            return (
                Verdict(
                    False, f"compile timed out after {self.compile.timeout:g}s", timed_out=True
                ),
                None,
            )
        stderr = result.stderr.decode("utf-8", errors="replace")
        report = crash_report(result.returncode, stderr)
        if report is None:
            if result.returncode == 0:
                return Verdict(False, "no crash: compiles fine"), None
            if self.invalid:
                errors = len(_LOCATED_ERROR.findall(stderr))
                if self.max_errors is None or errors <= self.max_errors:
                    return (
                        Verdict(False, f"no crash: {errors} errors (-X invalid)"),
                        None,
                    )
                # (a fixed clang's view of a candidate gone more invalid than the original)
                return (
                    Verdict(
                        False,
                        f"no crash, but {errors} errors (-X errors={self.max_errors})",
                        compile_failed=True,
                    ),
                    None,
                )
            return (
                Verdict(
                    False,
                    f"no crash: does not compile (exit {result.returncode}): "
                    f"{result.stderr_tail(3)} (a crash on invalid code? -X invalid=yes)",
                    compile_failed=True,
                ),
                None,
            )
        if self.pattern is not None and not self.pattern.search(_ANSI.sub("", stderr)):
            return (
                Verdict(
                    False,
                    f"crashes differently (no match for /{self.pattern.pattern}/): "
                    f"{report.describe()}",
                    compile_failed=True,
                ),
                report,
            )
        if self.signature is not None and not same_signature(report.signature, self.signature):
            return (
                Verdict(
                    False,
                    f"crashes differently (not '{self.signature}'): {report.describe()}",
                    compile_failed=True,
                ),
                report,
            )
        if self.max_errors is not None and report.errors > self.max_errors:
            return (
                Verdict(
                    False, f"crashes after {report.errors} errors (-X errors={self.max_errors})"
                ),
                report,
            )
        return Verdict(True, f"crash: {report.describe()}"), report

    def check(self, candidate: Path) -> Verdict:
        return self.inspect(candidate)[0]

    def signature(self, candidate: Path) -> str | None:
        """The crash's normalised first banner line (for explain), or None: no crash."""
        report = self.inspect(candidate)[1]
        return report.signature if report else None


def output_kind(spec: OracleSpec, compile: CompileCommand) -> str:
    """-X output, by default an object (or opt's IR: its only output)."""
    value = spec.option("output", compile.any_output())
    if value not in (OUTPUT_OBJECT, OUTPUT_ASM):
        raise UsageError(f"-X output must be {OUTPUT_OBJECT} or {OUTPUT_ASM}, not {value!r}")
    return value


def make_crash_oracle(spec: OracleSpec, compile: CompileCommand | None) -> CrashOracle:
    assert compile is not None
    pattern = spec.regex() if spec.argument else None
    invalid = spec.option("invalid", "no")
    if invalid not in ("yes", "no"):
        raise UsageError(f"-X invalid must be yes or no, not {invalid!r}")
    errors = spec.option("errors")
    if errors is not None and not errors.isdigit():
        raise UsageError(f"-X errors must be a count, not {errors!r}")
    return CrashOracle(
        compile,
        pattern,
        output_kind(spec, compile),
        spec.option("signature"),
        invalid == "yes",
        int(errors) if errors is not None else None,
    )


PIN_MODES = ("no", "signature")


def pin_crash(spec: OracleSpec, compile: CompileCommand, text: str, file_name: str) -> OracleSpec:
    """``-X pin=signature``: the original's crash signature becomes ``-X signature``, so
    candidates that crash with another first banner line (another failed selection,
    another assertion) are not interesting. Off by default: a REGEX is the usual pin, and
    an exact signature also rejects harmless drift such as f32 becoming f64 in
    'Cannot select: f32 = fcanonicalize'."""
    mode = spec.option("pin", "no")
    if mode not in PIN_MODES:
        raise UsageError(f"-X pin must be one of {', '.join(PIN_MODES)}, not {mode!r}")
    if mode == "no" or spec.option("signature") is not None:
        return spec
    oracle = make_crash_oracle(spec, compile)
    report = with_candidate(text, file_name, lambda original: oracle.inspect(original)[1])
    if report is None:
        return spec  # no crash to pin; the first check says so
    pinned = [("signature", report.signature)]
    if oracle.invalid and spec.option("errors") is None:
        pinned.append(("errors", str(report.errors)))
    return replace(spec, options=(*spec.options, *pinned))


register(
    OracleKind(
        NAME,
        make_crash_oracle,
        "the compiler crashes (signal, assertion, LLVM ERROR, error in backend); "
        "with REGEX, only a crash whose stderr matches",
        argument=ARGUMENT_OPTIONAL,
        argument_help="REGEX",
        options=("output", "pin", "signature", "invalid", "errors"),
        test_kinds=(
            "llc-crash",
            "clang-crash-verify",
            "clang-crash-codegen",
            "opt-crash",
        ),
        pin=pin_crash,
    )
)


def crash_options(script: CrashScript, timeout: float) -> list[str]:
    """The crash oracle's options for this report, measured by compiling its source once:
    pinned to its crash, and for invalid code (clang reported errors before it crashed)
    -X invalid=yes, so the fixed clang's errors count as no crash (and the errors too are
    pinned: reduce.crash's pin)."""
    with tempfile.TemporaryDirectory(prefix="reducer-crash-report-") as tmp:
        command = CompileCommand.from_user(script.compile_words(), timeout)
        source = write_candidate(Path(tmp), script.source.name, script.text())
        result = command.compile(source, Path(tmp) / "out.o")
    report = crash_report(result.returncode, result.stderr.decode("utf-8", "replace"))
    options = ["pin=signature"]
    if report is not None and report.errors:
        options.append("invalid=yes")
    return options
