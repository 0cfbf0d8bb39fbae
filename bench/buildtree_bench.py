"""Benchmark the build-tree path (project issue 10): the kernel-like tree of
tests/buildtree.py, built with ``bear -- make``, reduced through ``-p`` and through
``--kbuild-cmd``; the source reduction and the flag reduction timed separately.

    .venv/bin/python bench/buildtree_bench.py [--runs N] [-j N]

Prints one markdown row per run (the table in bench/RESULTS.md). The tree is built in a
temporary directory; the output goes next to it, never into it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.buildtree import PURGATORY, build_tree, write_tree  # noqa: E402

HEADER = (
    "| intake | source: wall s | source: calls | bytes | flags: wall s | flags: calls "
    "| flags before -> after | minimal command |\n|---|---:|---:|---:|---:|---:|---|---|"
)


def run_once(top: Path, intake: list[str], out: Path, jobs: int) -> dict[str, object]:
    argv = [
        str(REPO / ".venv/bin/reduce"), "--oracle", "r_x86_64_32s", "-q", "--json",
        "-j", str(jobs), "-o", str(out), *intake, str(top / PURGATORY),
    ]  # fmt: skip
    result = subprocess.run(argv, capture_output=True, text=True, check=True)
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


def row(name: str, summary: dict[str, object]) -> str:
    flags = summary["flag_reduction"]
    assert isinstance(flags, dict)
    minimal = summary["minimal_command"]
    assert isinstance(minimal, list)
    return (
        f"| {name} | {summary['wall_seconds']:.1f} | {summary['oracle_calls']} "
        f"| {summary['original_bytes']} -> {summary['final_bytes']} "
        f"| {flags['seconds']:.1f} | {flags['calls']} "
        f"| {flags['flags_before']} -> {flags['flags_after']} | `{' '.join(minimal[1:])}` |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reducer-bench-tree-") as tmp:
        top = write_tree(Path(tmp) / "linux")
        build_tree(top)
        intakes = {
            "-p": ["-p", str(top)],
            "--kbuild-cmd": ["--kbuild-cmd", str(top / "arch/x86/purgatory/.purgatory.o.cmd")],
        }
        print(HEADER)
        for run in range(args.runs):
            for name, intake in intakes.items():
                out = Path(tmp) / f"out-{run}-{name.strip('-')}.c"
                print(row(name, run_once(top, intake, out, args.jobs)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
