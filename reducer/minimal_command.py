"""After the source is reduced: the fewest flags that still show the bug on it.

The reduced file is written once to a private directory under the original file's name
(the oracle may look at the name, and ``#include "x.h"`` left in it still resolves through
the -iquote of the original's directory), and each candidate command is turned into an
oracle exactly as the reduction's was (``OracleSpec.for_reduction``), so ``--good-cc`` and
every filter and -X option apply to the flags too.
"""

from __future__ import annotations

import shlex
import time
from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import CompileCommand, absolute_paths
from reducer.errors import ReducerError
from reducer.flagreduce import flag_units, reduce_flags
from reducer.oracles import OracleSpec
from reducer.scratch import with_candidate
from reducer.verdict import Verdict


@dataclass(frozen=True)
class MinimalCommand:
    argv: tuple[str, ...]  # program and flags, paths absolute (runs from anywhere)
    before: tuple[str, ...]  # the command it was reduced from (cleaned, paths absolute)
    calls: int
    seconds: float
    # The oracle's verdict with ``argv`` on the text; None when the flag reduction never
    # asked (nothing could go: ``argv`` is the command the reduction itself checked).
    verdict: Verdict | None = None

    def stats(self) -> dict[str, float]:
        """For the --json summary: flags counted as units (`-I dir` is one)."""
        return {
            "calls": self.calls,
            "seconds": round(self.seconds, 3),
            "flags_before": len(flag_units(self.before[1:])),
            "flags_after": len(flag_units(self.argv[1:])),
        }

    def human(self) -> str:
        stats = self.stats()
        return (
            f"minimal command: {shlex.join(self.argv)}\n"
            f"  flags: {stats['flags_before']} -> {stats['flags_after']} "
            f"({self.calls} oracle calls, {self.seconds:.1f}s wall)"
        )

    def shell_line(self, source: Path) -> str:
        """The command as one shell line compiling ``source`` (for FILE.reduced.cmd)."""
        word = str(source)  # Path("./-x.c") prints as "-x.c": an option to the compiler
        if word.startswith("-"):
            word = f"./{word}"
        return shlex.join([*self.argv, word])


def minimize_command(
    spec: OracleSpec,
    argv: tuple[str, ...] | list[str],
    directory: Path,
    source_dir: Path,
    file_name: str,
    text: str,
    timeout: float,
) -> MinimalCommand:
    """``argv`` (cleaned, as the reduction used it, ran in ``directory``) reduced to the
    flags ``text`` still needs to be interesting."""
    started = time.monotonic()
    # Absolute first: the minimal command is printed to be run from anywhere, and the
    # candidates then need no directory.
    program = argv[0]
    if "/" in program and not Path(program).is_absolute():
        program = str(directory / program)
    start = (program, *absolute_paths(list(argv[1:]), directory))
    calls = 0
    verdicts: dict[tuple[str, ...], Verdict] = {}

    def reduce_on(candidate: Path) -> tuple[str, ...]:
        def interesting(words: tuple[str, ...]) -> bool:
            nonlocal calls
            calls += 1
            try:
                command = CompileCommand.from_user(list(words), timeout, source_dir, directory)
                verdicts[words] = spec.for_reduction(command).check(candidate)
                return verdicts[words].interesting
            except ReducerError:
                return False  # e.g. a flag the --good-cc compiler needs went

        return reduce_flags(start, interesting)

    # Every flag set is tried on one file: the text is the same for all of them.
    minimal = with_candidate(text, file_name, reduce_on, prefix="reducer-flags-")
    seconds = time.monotonic() - started
    return MinimalCommand(minimal, start, calls, seconds, verdicts.get(minimal))
