"""How the engine scales with workers (issue 12 §1): one csmith input, a slow oracle.

    .venv/bin/python bench/scaling_bench.py [--sleep 0.2] [--jobs 1,2,4,8,16]
        [--fold-width 8[,1,...]] [--seed 1[,5,...]] [--fresh N] [--max-funcs 3]
        [--engine-file PATH]

The oracle stands for a slow compile: every call sleeps ``--sleep`` seconds, then applies
a real predicate (`main` still calls `func_1`, whose body still uses a global declared at
file scope before it; brackets balanced and nested; the text ends a declaration), so the reduction takes the path a real one would. Workers are LocalPoolExecutor
threads: the sleep needs no CPU, so the table measures the engine's scheduling, not the
machine's cores. Prints a markdown table per fold width: wall time, oracle calls,
speed-up and efficiency against 1 worker, cancelled (speculative calls the engine stopped
before their verdict, not counted in calls), the wasted fraction (calls whose verdict the
engine's procedure never read: speculation on a text that was left behind), and whether
every worker count produced the same bytes.

``--seed`` takes a comma-separated list; ``--fresh N`` draws N more seeds at run time
from the OS's entropy (random.SystemRandom, bench/inputs.py's draw_seed; printed, so a
run can be repeated with ``--seed``), so that no tuning fits them (issue 26 §5). A seed
whose input does not fit the oracle (no global used in func_1, or not interesting) is
replaced by another draw, at most 4N draws. With more than one seed, the bench ends with
the mean and the lowest efficiency over the seeds per worker count.

``--engine-file`` loads ``Engine`` from another file (e.g. an older reducer/engine.py
taken with `git show`) to compare against it.

``--virtual`` runs the same reductions on a virtual clock (bench/virtual_clock.py): no
sleeping, calls of ``--sleep`` seconds +-``--jitter``, the mean of ``--salts`` jitter
draws per worker count; a table in about ten seconds that repeats exactly, for telling
scheduling ideas apart. It leaves out the engine's CPU; confirm a change without it.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib.util
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import inputs as gen
from virtual_clock import VirtualClockExecutor, virtual_waits

from reducer.engine import Engine
from reducer.executors.local import LocalPoolExecutor
from reducer.passes.table import PassContext, build_plan
from reducer.process import run_program
from reducer.verdict import Verdict

_LITERAL = re.compile(r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'")
_NOT_BRACKET = re.compile(r"[^(){}\[\]]+")


def _balanced(code: str) -> bool:
    """Brackets balanced and properly nested (string operations: the oracle's own CPU
    must stay small next to the sleep, or 16 threads would queue on the GIL)."""
    brackets = _NOT_BRACKET.sub("", code)
    while True:
        shorter = brackets.replace("()", "").replace("[]", "").replace("{}", "")
        if shorter == brackets:
            return not brackets
        brackets = shorter


def _definition(code: str, name: str) -> tuple[int, str] | None:
    """(start, body) of the file-scope definition `name(...) {...}`, or None."""
    head = re.compile(rf"{name}\s*\([^(){{}};]*\)\s*\{{")
    position = code.find(name)
    while position >= 0:
        match = head.match(code, position)
        word_start = position == 0 or not (
            code[position - 1].isalnum() or code[position - 1] == "_"
        )
        # At file scope (a call inside a body is not the definition).
        if match and word_start and code.count("{", 0, position) == code.count("}", 0, position):
            depth, cursor = 1, match.end()
            while depth:
                opening, closing = code.find("{", cursor), code.find("}", cursor)
                if closing < 0:
                    return None
                if 0 <= opening < closing:
                    depth, cursor = depth + 1, opening + 1
                else:
                    depth, cursor = depth - 1, closing + 1
            return position, code[match.end() : cursor - 1]
        position = code.find(name, position + 1)
    return None


def still_shows(text: str, names: tuple[str, str, str]) -> bool:
    """The bug's shape: `caller`'s body calls `callee`, whose body uses `variable`,
    named before it; brackets balanced and nested; the text ends a declaration. Stricter
    than "the names appear", so the reduction takes a realistic path."""
    caller, callee, variable = names
    code = _LITERAL.sub('""', text)
    if not code.rstrip().endswith((";", "}")) or not _balanced(code):
        return False
    outer, inner = _definition(code, caller), _definition(code, callee)
    if outer is None or inner is None:
        return False
    uses = re.compile(rf"\b{variable}\b")
    return (
        re.search(rf"\b{callee}\s*\(", outer[1]) is not None
        and uses.search(inner[1]) is not None
        and uses.search(code, 0, inner[0]) is not None
    )


class SleepOracle:
    """reducer.oracles.base.Oracle: a fixed delay, then a real predicate on the file.

    The delay is a `sleep` process run like a compile (reducer.process.run_program), so
    the engine's cancellation of left-behind calls kills it as it would kill clang;
    ``in_process`` sleeps in the thread instead (cannot be cancelled once running).
    """

    name = "sleep"

    def __init__(
        self, seconds: float, names: tuple[str, str, str], in_process: bool = False
    ) -> None:
        self.seconds = seconds
        self.names = names
        self.in_process = in_process

    def check(self, candidate: Path) -> Verdict:
        if self.in_process:
            time.sleep(self.seconds)
        else:
            run_program(["sleep", f"{self.seconds:g}"], timeout=60 + 10 * self.seconds)
        text = candidate.read_text(encoding="utf-8")
        return Verdict(still_shows(text, self.names), "sleep")

    def describe(self) -> str:
        caller, callee, variable = self.names
        return f"sleep {self.seconds:g} s, then {caller} calls {callee}, which uses {variable}"


@dataclass(frozen=True)
class Run:
    jobs: int
    wall: float
    calls: int
    used: int
    folds: int
    fold_failures: int
    cancelled: int
    size: int
    digest: str


def load_engine(path: str | None) -> Any:
    if path is None:
        return Engine
    spec = importlib.util.spec_from_file_location("other_engine", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.Engine


def reduce_virtually(
    text: str,
    oracle: SleepOracle,
    jobs: int,
    fold_width: int,
    engine_class: Any,
    jitter: float,
    salts: int,
) -> Run:
    """The mean virtual wall time over `salts` jitter draws (the other columns: the last)."""
    walls = []
    for salt in range(salts):
        executor = VirtualClockExecutor(
            lambda candidate: still_shows(candidate, oracle.names),
            jobs,
            oracle.seconds,
            jitter,
            str(salt),
        )
        with virtual_waits():
            run = reduce_once(text, oracle, jobs, fold_width, engine_class, executor)
        walls.append(executor.clock)
    return Run(jobs, sum(walls) / len(walls), *astuple(run)[2:])


def reduce_once(
    text: str,
    oracle: SleepOracle,
    jobs: int,
    fold_width: int,
    engine_class: Any,
    virtual: VirtualClockExecutor | None = None,
) -> Run:
    executor = virtual or LocalPoolExecutor(oracle, "t.c", jobs)
    try:
        options = {} if engine_class is not Engine else {"fold_width": fold_width}
        engine = engine_class(executor, **options)
        started = time.monotonic()
        assert engine.test(text).interesting, "the input must be interesting"
        # As the CLI plans it (a textual oracle: nothing is postponed as invalid code).
        plan = build_plan(PassContext(keep=frozenset(oracle.names)), skip=("slice",))
        if engine_class is Engine:
            result = engine.reduce(text, plan.main, plan.last)
        else:  # an engine from another commit (--engine-file) may take one pass list
            result = engine.reduce(text, plan.last)
        wall = time.monotonic() - started
    finally:
        executor.close()
    stats = engine.stats
    return Run(
        jobs,
        wall,
        stats.oracle_calls,
        getattr(stats, "used_calls", -1),  # -1: an engine that does not count it
        getattr(stats, "folds", 0),
        getattr(stats, "fold_failures", 0),
        getattr(stats, "cancelled", 0),
        len(result),
        hashlib.sha256(result.encode()).hexdigest()[:12],
    )


def efficiencies(runs: Sequence[Run]) -> dict[int, float]:
    """Efficiency per worker count: the speed-up over the first run (1 worker) / workers."""
    base = runs[0]
    return {run.jobs: base.wall * base.jobs / run.wall / run.jobs for run in runs}


def wasted(run: Run) -> float | None:
    """The share of calls whose verdict the procedure never read (None: not counted)."""
    return 1 - run.used / run.calls if run.used >= 0 and run.calls else None


def table(runs: list[Run]) -> str:
    base = runs[0]
    same = all(run.digest == base.digest for run in runs)
    lines = [
        "| workers | wall s | calls | cancelled | speed-up | efficiency | wasted "
        "| folds (failed) | output |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        speedup = base.wall * base.jobs / run.wall
        share = wasted(run)
        waste = f"{share:.0%}" if share is not None else "n/a"
        lines.append(
            f"| {run.jobs} | {run.wall:.1f} | {run.calls} | {run.cancelled} | {speedup:.2f}x "
            f"| {speedup / run.jobs:.0%} | {waste} | {run.folds} ({run.fold_failures}) "
            f"| {run.size} B {run.digest} |"
        )
    lines.append("")
    lines.append(f"byte-identical for every worker count: {'yes' if same else 'NO'}")
    return "\n".join(lines)


def summary(tables: dict[int, list[Run]]) -> str:
    """Over the seeds: the mean and the lowest efficiency per worker count, with the mean
    wasted share and whether every seed's output was the same at every count."""
    counts = sorted({run.jobs for runs in tables.values() for run in runs})
    lines = [
        f"### Over {len(tables)} seeds ({', '.join(map(str, tables))})",
        "",
        "| workers | mean efficiency | lowest (seed) | mean wasted | mean wall s |",
        "|---:|---:|---:|---:|---:|",
    ]
    for jobs in counts:
        per_seed = {
            seed: (efficiencies(runs)[jobs], run)
            for seed, runs in tables.items()
            for run in runs
            if run.jobs == jobs
        }
        values = [efficiency for efficiency, _ in per_seed.values()]
        lowest = min(per_seed, key=lambda seed: per_seed[seed][0])
        shares = [share for _, run in per_seed.values() if (share := wasted(run)) is not None]
        waste = f"{sum(shares) / len(shares):.0%}" if shares else "n/a"
        wall = sum(run.wall for _, run in per_seed.values()) / len(per_seed)
        lines.append(
            f"| {jobs} | {sum(values) / len(values):.1%} | {per_seed[lowest][0]:.1%} ({lowest}) "
            f"| {waste} | {wall:.1f} |"
        )
    same = all(len({run.digest for run in runs}) == 1 for runs in tables.values())
    lines.append("")
    lines.append(f"byte-identical for every worker count, every seed: {'yes' if same else 'NO'}")
    return "\n".join(lines)


def pick_names(text: str) -> tuple[str, str, str] | None:
    """main calls func_1, which uses a global: what a bug report would name (None: this
    input's func_1 uses no global)."""
    found = _definition(text, "func_1")
    if found is None:
        return None
    variable = re.search(r"\bg_\d+\b", found[1])
    if variable is None or not still_shows(text, ("main", "func_1", variable.group())):
        return None
    return ("main", "func_1", variable.group())


def draw_inputs(
    seeds: list[int], fresh: int, max_funcs: int, scratch: Path
) -> list[tuple[int, str, tuple[str, str, str] | None]]:
    """(seed, text, names) for the given seeds (names None: picked later or by --names),
    then for `fresh` seeds drawn from the OS's entropy that fit the oracle."""
    options = ("--max-funcs", str(max_funcs))
    inputs: list[tuple[int, str, tuple[str, str, str] | None]] = []
    for seed in seeds:
        spec = gen.Spec(f"scaling-s{seed}", seed, options)
        text = gen.generate(spec, scratch / str(seed), timeout=600).read_text()
        inputs.append((seed, text, None))
    rng = random.SystemRandom()
    drawn: list[int] = []
    kept: list[int] = []
    while len(kept) < fresh and len(drawn) < 4 * fresh:
        seed = gen.draw_seed(rng)
        drawn.append(seed)
        spec = dataclasses.replace(gen.fresh_spec(seed), csmith_options=options)
        try:
            text = gen.generate(spec, scratch / str(seed), timeout=600).read_text()
        except gen.GenerationError as error:
            print(f"  (seed {seed}: {error})", file=sys.stderr)
            continue
        names = pick_names(text)
        if names is None:
            continue
        kept.append(seed)
        inputs.append((seed, text, names))
    if fresh:
        print(
            f"fresh csmith seeds (random.SystemRandom): drew {len(drawn)} "
            f"({', '.join(map(str, drawn))}), kept {len(kept)} ({', '.join(map(str, kept))})"
        )
    return inputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sleep", type=float, default=0.2, help="seconds per oracle call")
    parser.add_argument("--jobs", default="1,2,4,8,16")
    parser.add_argument("--fold-width", default="8", help="comma-separated widths to compare")
    parser.add_argument("--seed", default="1", help="comma-separated csmith seeds ('': none)")
    parser.add_argument("--fresh", type=int, default=0, help="draw N more seeds at run time")
    parser.add_argument("--max-funcs", type=int, default=3)
    parser.add_argument("--names", default="", help="comma-separated; default: picked from input")
    parser.add_argument("--engine-file", help="load Engine from this file instead")
    parser.add_argument("--virtual", action="store_true", help="on a virtual clock (no sleep)")
    parser.add_argument("--jitter", type=float, default=0.25, help="virtual: +- share of --sleep")
    parser.add_argument("--salts", type=int, default=5, help="virtual: jitter draws to average")
    parser.add_argument(
        "--sleep-in-process",
        action="store_true",
        help="sleep in the worker thread instead of a `sleep` process (not cancellable)",
    )
    args = parser.parse_args()
    if args.fresh < 0:
        parser.error("--fresh must be >= 0")
    try:
        seeds = [int(seed) for seed in args.seed.split(",") if seed.strip()]
    except ValueError:
        parser.error(f"--seed takes comma-separated integers, not {args.seed!r}")
    if not seeds and not args.fresh:
        parser.error("no seed: give --seed or --fresh")

    with tempfile.TemporaryDirectory(prefix="scaling-") as scratch:
        inputs = draw_inputs(seeds, args.fresh, args.max_funcs, Path(scratch))
    engine_class = load_engine(args.engine_file)
    tables: dict[int, list[Run]] = {}
    for seed, text, picked in inputs:
        if args.names:
            caller, callee, variable = args.names.split(",")
            names = (caller, callee, variable)
        else:
            names = picked or pick_names(text) or ("main", "func_1", "")
            assert names[2], f"seed {seed}: func_1 uses no global; give --names"
        oracle = SleepOracle(args.sleep, names, args.sleep_in_process)
        load = os.getloadavg()
        print(
            f"\ninput: csmith --seed {seed} --max-funcs {args.max_funcs} ({len(text)} B, "
            f"{text.count(chr(10))} lines); oracle: {oracle.describe()}; "
            f"nproc {os.cpu_count()}; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
        for width in (int(w) for w in args.fold_width.split(",")):
            runs = []
            for jobs in (int(j) for j in args.jobs.split(",")):
                if args.virtual:
                    runs.append(
                        reduce_virtually(
                            text, oracle, jobs, width, engine_class, args.jitter, args.salts
                        )
                    )
                else:
                    runs.append(reduce_once(text, oracle, jobs, width, engine_class))
                print(
                    f"  (seed {seed}, fold width {width}, -j{jobs}: {runs[-1].wall:.1f}s)",
                    file=sys.stderr,
                )
            label = args.engine_file or f"fold width {width}"
            clock = (
                f"virtual clock, jitter +-{args.jitter:.0%}, mean of {args.salts}"
                if args.virtual
                else "real clock"
            )
            print(f"\n### seed {seed}, {label}, sleep {args.sleep:g} s, {clock}\n")
            print(table(runs))
            sys.stdout.flush()
            tables.setdefault(seed, runs)  # the summary: the first fold width
    if len(tables) > 1:
        print()
        print(summary(tables))
    load = os.getloadavg()
    print(f"\nload at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
