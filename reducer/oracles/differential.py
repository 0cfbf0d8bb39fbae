"""The differential rule, written once: the bad toolchain shows the behaviour, and the good
one builds the candidate and does not show it.

``Differential(bad, good)`` wraps two oracles of the same kind aimed at two commands: two
clang drivers (reduce --good-cc), two llc (llvm-reduce's interestingness test in emission)
or two ``clang -cc1`` (the clang test's flags). It keeps a reduction from drifting into
code every compiler handles the same way (e.g. a plain -mcmodel=small global that any
clang addresses with R_X86_64_32).

The bad oracle runs first; the good one only when the bad one says interesting. A
candidate the good toolchain cannot build (or that times out there) is NOT interesting:
reducing towards code only the bad compiler accepts produces reports nobody can compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reducer.oracles.base import Oracle
from reducer.verdict import Verdict


@dataclass(frozen=True)
class Differential:
    bad: Oracle
    good: Oracle
    bad_label: str = "bad"
    good_label: str = "good"

    @property
    def name(self) -> str:
        return f"differential:{self.bad.name} ({self.bad_label} vs {self.good_label})"

    def describe(self) -> str:
        return (
            f"{self.bad.describe()}, with {self.bad_label}, where {self.good_label} builds "
            "the file and does not show it"
        )

    def check(self, candidate: Path) -> Verdict:
        bad = self.bad.check(candidate)
        if not bad.interesting:
            return Verdict(
                False,
                f"{self.bad_label}: {bad.reason} (good compiler not run)",
                compile_failed=bad.compile_failed,
                timed_out=bad.timed_out,
                sides=((self.bad_label, bad),),
            )
        good = self.good.check(candidate)
        sides = ((self.bad_label, bad), (self.good_label, good))
        if good.compile_failed or good.timed_out:
            return Verdict(
                False,
                f"{self.bad_label}: {bad.reason}; but {self.good_label} could not be "
                f"checked: {good.reason}",
                relocations=bad.relocations,
                compile_failed=good.compile_failed,
                timed_out=good.timed_out,
                sides=sides,
            )
        if good.interesting:
            return Verdict(
                False,
                f"{self.bad_label}: {bad.reason}; {self.good_label} also: {good.reason}",
                relocations=bad.relocations,
                sides=sides,
            )
        return Verdict(
            True,
            f"{self.bad_label}: {bad.reason}; {self.good_label} (good): {good.reason}",
            relocations=bad.relocations,
            sides=sides,
        )


def differential(bad: Oracle, good: Oracle, bad_label: str, good_label: str) -> Oracle:
    """The differential of two oracles of one kind aimed at two toolchains (built through
    OracleSpec.aimed, which aims them)."""
    return Differential(bad, good, bad_label, good_label)
