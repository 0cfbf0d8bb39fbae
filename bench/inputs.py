"""Benchmark inputs generated at bench time from csmith seeds (never committed): fixed
ones (MAIN_SPECS, SCALING_SPECS) or drawn fresh on each run (``fresh_spec``: issue 26 §4,
so that no tuning can fit them; the bench prints the seeds it drew).

Recipe for every generated input:

1. ``csmith --seed N [extra options] -o prog.c``
2. ``clang-19 -E -P -I/usr/include/csmith prog.c -o prog.i``
3. every file-scope, non-const global ``g_N`` gets an explicit
   ``__attribute__((section(".kexec-purgatory")))`` (const ones are left alone: a const
   and a non-const object in one named section is a "section type conflict").

The bench keeps an input only if clang-19 (``-O0 -mcmodel=large -fno-pic``) emits an
R_X86_64_32S into a code section for it and clang-22 does not; that check lives in
run_bench.py, which owns the shared interestingness script.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CSMITH_INCLUDE = Path("/usr/include/csmith")
PREPROCESSOR = "clang-19"
ORACLE = "r_x86_64_32s"
FLAGS = ("--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-w", "-c")
COMPILER = "clang-19"
FIXED_COMPILER = "clang-22"
SECTION = ".kexec-purgatory"

_GLOBAL = re.compile(r"^(static [^;(]*?\b)(g_\d+)((?:\[\d+\])*)( = |;)", re.MULTILINE)


@dataclass(frozen=True)
class Spec:
    """One generated input: csmith seed plus extra csmith options."""

    name: str
    seed: int
    csmith_options: tuple[str, ...] = ()
    role: str = "main"  # "main": all tools; "scaling": reduce only

    def describe(self) -> str:
        extra = " ".join(self.csmith_options)
        return f"csmith --seed {self.seed}{' ' + extra if extra else ''}"


# The benchmark set (all tools) and the extra sizes of the reduce-only scaling table.
MAIN_SPECS = (
    Spec("csmith-s1", 1),
    Spec("csmith-s2", 2),
    Spec("csmith-s3", 3),
    Spec("csmith-large-s1", 1, ("--max-funcs", "220")),
)
SCALING_SPECS = (
    Spec("csmith-small-s1", 1, ("--max-funcs", "1"), role="scaling"),
    Spec("csmith-mid-s1", 1, ("--max-funcs", "55"), role="scaling"),
)


FRESH_PREFIX = "csmith-fresh-"
# csmith's seeds are 32-bit; the fixed seeds above are small, so fresh ones are drawn from
# well above them (a fresh draw never repeats a fixed input).
FRESH_SEED_RANGE = (1_000_000, 2**31 - 1)


def fresh_spec(seed: int) -> Spec:
    """A generated input from a seed drawn at bench time (default csmith options)."""
    return Spec(f"{FRESH_PREFIX}{seed}", seed)


def draw_seed(rng: random.Random) -> int:
    return rng.randint(*FRESH_SEED_RANGE)


def sectionize(text: str) -> str:
    """Put every non-const file-scope `g_N` definition into SECTION."""

    def sub(match: re.Match[str]) -> str:
        if "const" in match.group(1):
            return match.group(0)
        head, name, dims, tail = match.groups()
        return f'{head}{name}{dims} __attribute__((section("{SECTION}"))){tail}'

    return _GLOBAL.sub(sub, text)


class GenerationError(RuntimeError):
    pass


def generate(spec: Spec, directory: Path, timeout: float) -> Path:
    """Write directory/input.c for spec; return its path. Deterministic for a fixed seed."""
    csmith = shutil.which("csmith")
    if csmith is None:
        raise GenerationError("csmith not on PATH (Debian packages csmith, libcsmith-dev)")
    if not CSMITH_INCLUDE.is_dir():
        raise GenerationError(f"{CSMITH_INCLUDE} missing (Debian package libcsmith-dev)")
    directory.mkdir(parents=True, exist_ok=True)
    raw = directory / "prog.c"
    pre = directory / "prog.i"
    steps = [
        [csmith, "--seed", str(spec.seed), *spec.csmith_options, "-o", str(raw)],
        [PREPROCESSOR, "-E", "-P", f"-I{CSMITH_INCLUDE}", str(raw), "-o", str(pre)],
    ]
    for argv in steps:
        try:
            done = subprocess.run(
                argv, cwd=directory, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise GenerationError(f"{spec.name}: {argv[0]} timed out after {timeout:g}s") from exc
        if done.returncode != 0:
            raise GenerationError(
                f"{spec.name}: {argv[0]} exit {done.returncode}: {done.stderr[-300:]}"
            )
    source = directory / "input.c"
    source.write_text(sectionize(pre.read_text()))
    raw.unlink()
    pre.unlink()
    return source
