"""Where a reduction's time, calls and bytes went, per pass, from its progress log.

Reads the ``[  12.3s] pass NAME size N B  calls C used U`` lines that ``reduce`` prints
(and bench/realcode_bench.py keeps in ``<input>.log``): each line says which pass runs from
then on, so the wall time, calls and used calls between one line and the next belong to
the pass the first one names, and so do the bytes it removed. Calls that speculation
started ahead for a later pass are charged to the pass running when they started, and the
time after the last line (the final check, the command's flags) to none. Prints one row
per pass, most wall time first, and the totals.

    python bench/perpass.py /tmp/realcode/uvloop-src/uvloop.planted.c.log
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import re
import sys
from collections.abc import Iterable

_PROGRESS = re.compile(
    r"\[\s*(?P<seconds>[\d.]+)s\]\s+pass\s+(?P<name>\S+)\s+size\s+(?P<size>\d+)\s*B"
    r"\s+calls\s+(?P<calls>\d+)(?:\s+used\s+(?P<used>\d+))?"
)


@dataclasses.dataclass(frozen=True)
class Progress:
    seconds: float
    name: str
    size: int
    calls: int
    used: int


@dataclasses.dataclass
class PassTotals:
    seconds: float = 0.0
    calls: int = 0
    used: int = 0
    removed: int = 0


def progress_lines(lines: Iterable[str]) -> list[Progress]:
    found = []
    for line in lines:
        match = _PROGRESS.search(line)
        if match is not None:
            found.append(
                Progress(
                    float(match["seconds"]),
                    match["name"],
                    int(match["size"]),
                    int(match["calls"]),
                    int(
                        match["used"] or 0
                    ),  # reduce's own lines (not bench/traced_reduce.py's) have none
                )
            )
    return found


def per_pass(progress: list[Progress]) -> dict[str, PassTotals]:
    """What happened between consecutive lines, charged to the pass the earlier one names."""
    totals: dict[str, PassTotals] = {}
    for before, after in itertools.pairwise(progress):
        row = totals.setdefault(before.name, PassTotals())
        row.seconds += after.seconds - before.seconds
        row.calls += after.calls - before.calls
        row.used += after.used - before.used
        row.removed += before.size - after.size
    return totals


def table(totals: dict[str, PassTotals]) -> str:
    rows = ["| pass | wall | calls | used | bytes removed |", "|---|---:|---:|---:|---:|"]
    for name, row in sorted(totals.items(), key=lambda item: -item[1].seconds):
        rows.append(f"| {name} | {row.seconds:.1f}s | {row.calls} | {row.used} | {row.removed} |")
    whole = PassTotals(
        sum(r.seconds for r in totals.values()),
        sum(r.calls for r in totals.values()),
        sum(r.used for r in totals.values()),
        sum(r.removed for r in totals.values()),
    )
    rows.append(
        f"| (all) | {whole.seconds:.1f}s | {whole.calls} | {whole.used} | {whole.removed} |"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", help="a reduce progress log (or - for stdin)")
    args = parser.parse_args(argv)
    try:
        if args.log == "-":
            lines = sys.stdin.readlines()
        else:
            with open(args.log, encoding="utf-8", errors="replace") as stream:
                lines = stream.readlines()
    except OSError as error:
        print(f"perpass: cannot read {args.log}: {error.strerror}", file=sys.stderr)
        return 2
    progress = progress_lines(lines)
    if len(progress) < 2:
        print(f"perpass: {args.log} has fewer than two progress lines", file=sys.stderr)
        return 1
    print(table(per_pass(progress)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
