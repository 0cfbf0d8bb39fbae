"""`miscompile` — the program the compile command builds behaves differently at run time
from a reference build of the same file, and the file is screened for undefined behaviour.

The candidate is linked into an executable twice: with the command after ``--`` (its
``-c``/``-S`` taken out) and with a reference, by default the same command with its ``-O``
level replaced by ``-O0`` (``-X reference='CMD'``: another whole command, e.g.
``'gcc -O0'``). Both run in the candidate's private directory with stdin closed, a minimal
environment (PATH, LC_ALL=C) and ``-X run_timeout`` seconds (default 5), their process group
killed after it. Interesting iff the exit status or stdout differ (``-X stderr=yes``:
stderr too), the reference behaves the same on a second run (a program that reads the
clock, the environment or uninitialised memory does not), and every UB screen passes.

A reducer left alone drifts into undefined behaviour within minutes (``printf("%d")``
with no argument, a read of an uninitialised local: -O0 and -O2 print different junk and
nothing is a compiler bug any more), so the screens run on every candidate that shows the
difference, and only on those (they cost two or three builds and runs), cheapest first:

``warnings``  a ``-fsyntax-only`` compile with the UB-signalling warnings made errors
              (WARNING_ERRORS: uninitialised use, format strings and their arguments,
              missing return, int/pointer conversions, incompatible pointer and function
              types, implicit declarations and int, constant array-bounds, shift and
              overflow, unsequenced modifications, calls without a prototype, and library
              functions declared with a wrong prototype: ``int printf(int *, ...)``).
              With the default reference this is the reference build itself, which is
              the same -O0 command (warning flags change no code): it then costs no
              compile and refuses a candidate before the bad build.
``ubsan``     ``-fsanitize=undefined`` and ``asan`` ``-fsanitize=address`` (one build when
``asan``      both are on, ``-fno-sanitize-recover=all``): it must run clean and agree with
              the reference.
``msan``      ``-fsanitize=memory`` (uninitialised reads ASan and UBSan cannot see; works
              because a reduced test calls nothing but libc, which MSan intercepts).
``libc``      a NULL pointer for printf's ``%s`` (glibc prints "(null)"; C leaves it
              undefined): LIBC_SCREEN_SOURCE, linked into the UBSan+ASan build (or an
              -O0 build of its own without them), takes over ``%s`` (glibc only).
``gcc``       off by default: gcc ``-O0 -fsanitize=undefined,address`` as a second opinion
              (``-X screens=warnings,ubsan,asan,msan,gcc``).

Sanitizer builds use the bad command's compiler at -O0 (the bug must not hide the UB),
linked with lld where it is installed beside that clang (``ld.lld`` in its directory, Debian
``lld-19``/``lld-22``): ld.bfd spends ~0.2 s of a 0.27 s sanitizer build reading the static
runtimes, lld half that, and the linker does not change what a sanitizer reports.
``-X screens=LIST`` picks them (``none``: no screen). The verdict's reason names the step
that decided (``same behaviour``, ``reference runs differ``, ``UB screen msan: ...``), so
the original's refusal is one line naming the screen.

What the screens cannot see: unsequenced modifications the warning misses (through
pointers), strict-aliasing violations (no sanitizer checks type-based aliasing: add
``-fno-strict-aliasing`` to the command when in doubt), data races, reads of uninitialised
struct padding that MSan tolerates, floating-point results that depend on excess
precision or contraction (``-ffp-contract``), unspecified (not undefined) behaviour such
as evaluation order of function arguments, and implementation-defined conversions. A
program that needs input, files or the network is refused by the reference check only if
its two runs differ.
"""

from __future__ import annotations

import functools
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from reducer.compiler import NO_CRASH_FILES, CompileCommand, private_env
from reducer.errors import UsageError
from reducer.oracles.miscompile_bisect import BisectError, find_guilty_pass
from reducer.oracles.spec import READS_PROGRAM, OracleKind, OracleSpec, register
from reducer.process import ProcessResult, run_program
from reducer.scratch import with_candidate
from reducer.verdict import Verdict

NAME = "miscompile"
DEFAULT_RUN_TIMEOUT = 5.0
SCREENS = ("warnings", "ubsan", "asan", "msan", "libc", "gcc")
DEFAULT_SCREENS = ("warnings", "ubsan", "asan", "msan", "libc")
# Warnings that, in a test program, mean undefined behaviour (or a library call through a
# prototype the compiler cannot check): made errors by the warnings screen. Unknown ones
# are only a warning for an older clang, never a failure.
WARNING_ERRORS = (
    "-Werror=uninitialized",
    "-Werror=sometimes-uninitialized",
    "-Werror=format",
    "-Werror=format-insufficient-args",
    "-Werror=return-type",
    "-Werror=int-conversion",
    "-Werror=incompatible-pointer-types",
    "-Werror=incompatible-function-pointer-types",
    "-Werror=implicit-function-declaration",
    "-Werror=implicit-int",
    "-Werror=incompatible-library-redeclaration",
    "-Werror=deprecated-non-prototype",
    "-Werror=array-bounds",
    "-Werror=unsequenced",
    "-Werror=integer-overflow",
    "-Werror=shift-count-overflow",
    "-Werror=shift-count-negative",
    "-Werror=division-by-zero",
    "-Werror=return-stack-address",
    "-Werror=null-dereference",
    "-Werror=varargs",
    "-Werror=main-return-type",
)
# What the warnings screen adds to a compile: its errors, and an older clang's unknown
# warning options kept warnings (never a failure).
WARNING_FLAGS = ("-Wno-unknown-warning-option", *WARNING_ERRORS)
# Sanitizer runs: no leak checks (a leak is not undefined behaviour, and LeakSanitizer
# needs ptrace, which containers often forbid); symbolising would cost a process.
SANITIZER_ENV = {
    "ASAN_OPTIONS": "detect_leaks=0:symbolize=0",
    "UBSAN_OPTIONS": "print_stacktrace=0:symbolize=0",
    "MSAN_OPTIONS": "symbolize=0",
}
RUN_ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
_SANITIZER_BANNER = re.compile(
    r"(runtime error: .*|ERROR: AddressSanitizer: \S+|WARNING: MemorySanitizer: \S+"
    r"|ERROR: \w+Sanitizer: .*)"
)
_SANITIZERS = {"ubsan": "undefined", "asan": "address"}
# The libc screen: linked into the UBSan+ASan build, it takes over printf's %s (glibc's
# register_printf_specifier) to refuse a NULL argument, which C leaves undefined and glibc
# prints as "(null)": a reduction dropped an initializer and came to depend on it
# (x86-fp80-pow2-fmul printed a NULL `char *` with %-8s). C89-clean, so that the
# command's -std and warning flags accept it.
LIBC_SCREEN_NAME = "reducer_libc_screen.c"
LIBC_SCREEN_SOURCE = r"""/* reducer's libc screen (reducer/oracles/miscompile.py) */
#include <limits.h>
#include <printf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int reducer_print_s(FILE *stream, const struct printf_info *info,
                           const void *const *args) {
  const void *arg = *(const void *const *)args[0];
  char buffer[MB_LEN_MAX];
  size_t length = 0, i;
  int pad, written = 0, n;
  if (arg == NULL) {
    fputs("runtime error: null pointer passed for %s (reducer libc screen)\n", stderr);
    fflush(stderr);
    exit(98);
  }
  if (info->is_long) {
    const wchar_t *wide = (const wchar_t *)arg;
    while (wide[length] && (info->prec < 0 || length < (size_t)info->prec)) length++;
  } else {
    length = strlen((const char *)arg);
    if (info->prec >= 0 && (size_t)info->prec < length) length = (size_t)info->prec;
  }
  pad = info->width > (int)length ? info->width - (int)length : 0;
  for (; !info->left && pad > 0; pad--, written++) fputc(' ', stream);
  if (info->is_long) {
    for (i = 0; i < length; i++) {
      n = wctomb(buffer, ((const wchar_t *)arg)[i]);
      if (n > 0) written += (int)fwrite(buffer, 1, (size_t)n, stream);
    }
  } else {
    written += (int)fwrite(arg, 1, length, stream);
  }
  for (; pad > 0; pad--, written++) fputc(' ', stream);
  return written;
}

static int reducer_s_arguments(const struct printf_info *info, size_t n, int *types,
                               int *sizes) {
  (void)sizes;
  if (n > 0) types[0] = info->is_long ? PA_WSTRING : PA_STRING;
  return 1;
}

__attribute__((constructor)) static void reducer_libc_screen(void) {
  register_printf_specifier('s', reducer_print_s, reducer_s_arguments);
}
"""
_OPT_LEVEL = re.compile(r"^-O([0-3sz]|g|fast)?$")
SHOW = 60


@dataclass(frozen=True)
class Run:
    """What one run of a built program did: what the comparison reads."""

    returncode: int | None  # None: killed after the run timeout
    stdout: bytes
    stderr: bytes

    @classmethod
    def of(cls, result: ProcessResult) -> Run:
        return cls(result.returncode, result.stdout, result.stderr)

    def describe(self) -> str:
        status = "timed out" if self.returncode is None else f"exit {self.returncode}"
        text = self.stdout.decode("utf-8", "replace").strip().replace("\n", "\\n")
        shown = text if len(text) <= SHOW else text[: SHOW - 3] + "..."
        return f"{status}, stdout '{shown}'" if text else f"{status}, no stdout"


def same_behaviour(a: Run, b: Run, compare_stderr: bool = False) -> bool:
    """The comparison the oracle makes (pure): exit status and stdout, stderr on request."""
    if a.returncode != b.returncode or a.stdout != b.stdout:
        return False
    return not compare_stderr or a.stderr == b.stderr


def difference(bad: Run, reference: Run) -> str:
    """Where two runs part, in one line (pure): the exit statuses, or the first stdout
    line that differs (the whole output would hide it in a long transcript)."""
    if bad.returncode != reference.returncode or bad.stdout == reference.stdout:
        return f"built: {bad.describe()}; reference: {reference.describe()}"
    ours = bad.stdout.decode("utf-8", "replace").split("\n")
    theirs = reference.stdout.decode("utf-8", "replace").split("\n")
    pairs = enumerate(zip([*ours, ""], [*theirs, ""], strict=False))
    line = next((i for i, (a, b) in pairs if a != b), None)
    if line is None:  # bytes that decode alike (invalid UTF-8)
        return f"built: {bad.describe()}; reference: {reference.describe()}"
    shown = [t[line][:SHOW] if line < len(t) else "<end>" for t in (ours, theirs)]
    return f"stdout line {line + 1}: built {shown[0]!r}, reference {shown[1]!r}"


def sanitizer_report(stderr: bytes) -> str | None:
    """The sanitizer's first report line in a run's stderr, or None (pure)."""
    match = _SANITIZER_BANNER.search(stderr.decode("utf-8", "replace"))
    return match.group(1).strip()[:160] if match else None


def screen_run(screen: str, run: Run, reference: Run) -> str | None:
    """Why a sanitizer build's run fails its screen, or None when it passes (pure): it
    must report nothing and behave as the reference does."""
    report = sanitizer_report(run.stderr)
    if report is not None:
        return report
    if run.returncode != reference.returncode or run.stdout != reference.stdout:
        return f"{screen} build behaves differently from the reference: {run.describe()}"
    return None


@functools.cache
def sanitizer_link_flags(compiler: str) -> tuple[str, ...]:
    """``-fuse-ld=lld`` when ``compiler`` is a clang with lld installed in its own
    directory (where clang looks first), else nothing: the default linker then."""
    if "clang" not in Path(compiler).name:
        return ()
    found = shutil.which(compiler)
    if found is None:
        return ()
    return ("-fuse-ld=lld",) if (Path(found).resolve().parent / "ld.lld").is_file() else ()


def link_words(argv: tuple[str, ...]) -> tuple[str, ...]:
    """A compile command as a link command: without -c, -S, -E (we want an executable)."""
    return tuple(w for w in argv if w not in ("-c", "-S", "-E"))


def at_o0(argv: tuple[str, ...]) -> tuple[str, ...]:
    """``argv`` with every -O level replaced by one -O0 (added when it had none)."""
    words = [w for w in argv[1:] if not _OPT_LEVEL.match(w)]
    return (argv[0], "-O0", *words)


def _error_lines(result: ProcessResult) -> list[str]:
    lines = result.stderr.decode("utf-8", "replace").splitlines()
    return [line.strip() for line in lines if "error:" in line]


def first_error(result: ProcessResult) -> str:
    errors = _error_lines(result)
    return (errors[0] if errors else result.stderr_tail(2))[:200]


def only_screen_errors(result: ProcessResult) -> bool:
    """Every error of a failed compile is a warning made an error (``[-Werror,-W...]``):
    without those flags it would have built (pure)."""
    errors = _error_lines(result)
    return bool(errors) and all("[-Werror" in line for line in errors)


@dataclass(frozen=True)
class MiscompileOracle:
    """Aimed at one clang driver command; pickles (frozen) and keeps nothing between
    calls, so threads may share it."""

    compile: CompileCommand
    reference: tuple[str, ...]  # the reference link command (no -o, no source)
    screens: tuple[str, ...] = DEFAULT_SCREENS
    run_timeout: float = DEFAULT_RUN_TIMEOUT
    compare_stderr: bool = False
    name: str = field(default=NAME)

    @property
    def bad(self) -> tuple[str, ...]:
        return link_words(self.compile.argv)

    @property
    def screen_base(self) -> tuple[str, ...]:
        """The bad compiler's command at -O0: what sanitizer builds add their flags to."""
        return at_o0(self.bad)

    def describe(self) -> str:
        screens = ", ".join(self.screens) or "none"
        return (
            f"{NAME} (counts a run of the program built by the command that differs from a "
            f"run of the reference build ({shlex.join(self.reference)}); UB screens: {screens})"
        )

    # -- building and running ------------------------------------------------------------

    def build(
        self, argv: tuple[str, ...], candidate: Path, tag: str, extra: tuple[str, ...] = ()
    ) -> tuple[Path | None, ProcessResult]:
        """Link ``candidate`` with ``argv`` into an executable next to it."""
        exe = candidate.parent / f"{candidate.stem}.{tag}.exe"
        exe.unlink(missing_ok=True)
        words = [*argv, *extra]
        # clang writes a crash reproducer to $TMPDIR unless told not to; gcc (a reference,
        # the gcc screen) refuses the flag.
        if "clang" in Path(argv[0]).name:
            words += NO_CRASH_FILES
        words += ["-o", str(exe), str(candidate)]
        result = run_program(
            words, timeout=self.compile.timeout, cwd=candidate.parent,
            env=private_env(candidate.parent),
        )  # fmt: skip
        return (exe if result.returncode == 0 and exe.is_file() else None), result

    def run(self, exe: Path, env: dict[str, str] | None = None) -> Run:
        return Run.of(
            run_program(
                [str(exe)],
                timeout=self.run_timeout,
                cwd=exe.parent,
                env={**RUN_ENV, **(env or {})},
            )
        )

    def bad_run(
        self, candidate: Path, extra: tuple[str, ...] = (), tag: str = "bad"
    ) -> Run | Verdict:
        """The bad build's run (with ``extra`` flags: the bisection's), or why there is none."""
        exe, result = self.build(self.bad, candidate, tag, extra)
        if exe is None:
            return _build_failure(result, self.compile.timeout, "")
        return self.run(exe)

    def reference_run(
        self, candidate: Path, screened: bool = False
    ) -> tuple[Path | None, Run | Verdict]:
        """The reference build's run, or why there is none (``screened``: the build is the
        warnings screen too, warnings_in_reference)."""
        argv, flags = (self.warnings_words, WARNING_FLAGS) if screened else (self.reference, ())
        exe, result = self.build(argv, candidate, "ref", flags)
        if exe is None:
            if screened and not result.timed_out and only_screen_errors(result):
                return None, Verdict(False, _warnings_refusal(result, candidate))
            return None, _build_failure(result, self.compile.timeout, "reference ")
        ref = self.run(exe)
        if ref.returncode is None:
            return exe, Verdict(
                False, f"the reference run timed out after {self.run_timeout:g}s", timed_out=True
            )
        return exe, ref

    # -- what the guilty-pass bisection asks (reducer.oracles.miscompile_bisect) ----------

    def reference_behaviour(self, candidate: Path) -> Run | None:
        ref = self.reference_run(candidate)[1]
        return ref if isinstance(ref, Run) else None

    def differs_at(self, candidate: Path, limit: int, reference: object) -> tuple[bool | None, str]:
        assert isinstance(reference, Run)
        flags = ("-mllvm", f"-opt-bisect-limit={limit}")
        exe, result = self.build(self.bad, candidate, "bisect", flags)
        log = result.stderr.decode("utf-8", "replace")
        if exe is None:
            return None, log
        return not same_behaviour(self.run(exe), reference, self.compare_stderr), log

    # -- the verdict ---------------------------------------------------------------------

    @property
    def warnings_words(self) -> tuple[str, ...]:
        """The warnings screen's compile command (without the source and its warning flags):
        the bad command at -O0 without -w (clang's -w beats -Werror=...)."""
        return tuple(w for w in self.screen_base if w != "-w")

    @property
    def warnings_in_reference(self) -> bool:
        """The warnings screen rides on the reference build: it is the same -O0 command
        (the default reference), and warning flags do not change the code it builds, so
        one compile answers both (a warnings-clean candidate saves the -fsyntax-only
        compile; one with a warning is refused before the bad build)."""
        plain = tuple(w for w in self.reference if w != "-w")
        return "warnings" in self.screens and plain == self.warnings_words

    def check(self, candidate: Path) -> Verdict:
        # Every step is a condition of one conjunction, so their order changes only which
        # reason a refused candidate gets, never whether it is interesting; cheap and
        # likely refusals first.
        folded = self.warnings_in_reference
        ref_exe, ref = self.reference_run(candidate, screened=folded)
        if isinstance(ref, Verdict):
            return ref
        bad = self.bad_run(candidate)
        if isinstance(bad, Verdict):
            return bad
        assert ref_exe is not None
        if same_behaviour(bad, ref, self.compare_stderr):
            return Verdict(False, f"same behaviour: {ref.describe()}")
        differs = difference(bad, ref)
        again = self.run(ref_exe)
        if not same_behaviour(again, ref, self.compare_stderr):
            return Verdict(
                False,
                f"reference runs differ (input, time or uninitialised memory): "
                f"{ref.describe()} then {again.describe()}",
            )
        problem = self.screen(candidate, ref, warnings_done=folded)
        if problem is not None:
            return Verdict(False, f"{problem} ({differs})")
        screens = f"{'+'.join(self.screens)} clean" if self.screens else "no UB screen"
        return Verdict(True, f"{differs} ({screens})")

    def screen(self, candidate: Path, reference: Run, warnings_done: bool = False) -> str | None:
        """The first screen the candidate fails, as 'UB screen NAME: why', or None
        (``warnings_done``: the reference build was the warnings screen)."""
        on = set(self.screens)
        if "warnings" in on and not warnings_done:
            # -w would silence the errors below, and an older clang's -Werror would turn
            # a warning option it does not know into one.
            words = [
                *self.warnings_words,
                "-fsyntax-only",
                *NO_CRASH_FILES,
                *WARNING_FLAGS,
                str(candidate),
            ]
            result = run_program(
                words, timeout=self.compile.timeout, cwd=candidate.parent,
                env=private_env(candidate.parent),
            )  # fmt: skip
            if result.returncode != 0:
                return _warnings_refusal(result, candidate)
        # UBSan, ASan and the libc screen share one build and one run (MSan does not
        # combine with ASan).
        together = [s for s in ("ubsan", "asan") if s in on]
        linker = sanitizer_link_flags(self.screen_base[0])
        builds: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
        if together or "libc" in on:
            flags: tuple[str, ...] = ()
            if together:
                kinds = ",".join(_SANITIZERS[s] for s in together)
                flags = (f"-fsanitize={kinds}", "-fno-sanitize-recover=all", *linker)
            if "libc" in on:
                together.append("libc")
                flags += (str(libc_screen_source(candidate.parent)),)
            builds.append(("+".join(together), self.screen_base, flags))
        if "msan" in on:
            builds.append(("msan", self.screen_base, ("-fsanitize=memory", *linker)))
        if "gcc" in on:
            flags = ("-fsanitize=undefined,address", "-fno-sanitize-recover=all")
            builds.append(("gcc", ("gcc", "-O0", *gcc_flags(self.bad)), flags))
        for label, base, flags in builds:
            exe, result = self.build(base, candidate, label.replace("+", "-"), flags)
            if exe is None:
                return f"UB screen {label}: the sanitizer build failed: {first_error(result)}"
            problem = screen_run(label, self.run(exe, SANITIZER_ENV), reference)
            if problem is not None:
                return f"UB screen {label}: {problem}"
        return None


def _warnings_refusal(result: ProcessResult, candidate: Path) -> str:
    """The warnings screen's reason: the first error, without the private directory."""
    return f"UB screen warnings: {first_error(result).replace(f'{candidate.parent}/', '')}"


def libc_screen_source(directory: Path) -> Path:
    """The libc screen's source, written once into the candidate's private directory."""
    path = directory / LIBC_SCREEN_NAME
    if not path.is_file():
        path.write_text(LIBC_SCREEN_SOURCE)
    return path


def gcc_flags(argv: tuple[str, ...]) -> tuple[str, ...]:
    """What of a clang command gcc understands as meaning: -D/-U/-I and -std=."""
    return tuple(w for w in argv[1:] if w.startswith(("-D", "-U", "-I", "-std=")))


def _build_failure(result: ProcessResult, timeout: float, which: str) -> Verdict:
    if result.timed_out:
        return Verdict(False, f"{which}build timed out after {timeout:g}s", timed_out=True)
    return Verdict(
        False,
        f"{which}build failed (exit {result.returncode}): {first_error(result)}",
        compile_failed=True,
    )


def parse_screens(value: str | None) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_SCREENS
    if value.strip() in ("", "none"):
        return ()
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in SCREENS]
    if unknown:
        raise UsageError(
            f"-X screens: unknown screen {unknown[0]!r}; screens: {', '.join(SCREENS)}, none"
        )
    return names


def make_miscompile_oracle(spec: OracleSpec, compile: CompileCommand | None) -> MiscompileOracle:
    assert compile is not None
    text = spec.option("reference")
    if text:
        try:
            reference = tuple(shlex.split(text))
        except ValueError as exc:
            raise UsageError(f"-X reference: cannot split {text!r}: {exc}") from None
        if not reference:
            raise UsageError("-X reference is empty")
        reference = link_words(reference)
    else:
        reference = at_o0(link_words(compile.argv))
    try:
        run_timeout = float(spec.option("run_timeout", str(DEFAULT_RUN_TIMEOUT)) or "")
    except ValueError:
        raise UsageError("-X run_timeout must be a number of seconds") from None
    if run_timeout <= 0:
        raise UsageError("-X run_timeout must be positive")
    stderr = spec.option("stderr", "no")
    if stderr not in ("yes", "no"):
        raise UsageError(f"-X stderr must be yes or no, not {stderr!r}")
    return MiscompileOracle(
        compile,
        reference,
        parse_screens(spec.option("screens")),
        run_timeout,
        stderr == "yes",
    )


def guilty_pass(
    spec: OracleSpec, compile: CompileCommand, text: str, file_name: str
) -> tuple[str, dict[str, object]] | None:
    """The reduction's last word (OracleKind.culprit): the pass that introduces the
    difference, as a line and its --json value."""
    oracle = make_miscompile_oracle(spec, compile)
    try:
        found = with_candidate(text, file_name, lambda c: find_guilty_pass(oracle, c))
    except BisectError as exc:
        return (f"guilty pass: not found: {exc}", {"error": str(exc)})
    return (found.describe(), found.to_json())


register(
    OracleKind(
        NAME,
        make_miscompile_oracle,
        "the built program's run (exit status, stdout) differs from a reference build's "
        "(default: the same command at -O0), and UB screens (warnings, UBSan, ASan, MSan) "
        "find nothing",
        options=("reference", "screens", "run_timeout", "stderr"),
        needs_valid_code=True,
        reads=READS_PROGRAM,
        culprit=guilty_pass,
        test_kinds=("opt-miscompile", "llc-miscompile"),
    )
)
