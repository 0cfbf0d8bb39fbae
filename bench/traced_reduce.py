"""`reduce`, with a progress line at every accepted text (the plain lines are otherwise
at most one per pass and 5 s), and the calls whose verdict the sequential procedure read
(``used``; the rest was speculation): the real-code bench reads from them when 90% of the
bytes were gone, and by which oracle call (issue 26 §2's goal).

    .venv/bin/python bench/traced_reduce.py REDUCE ARGUMENTS...
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reducer import cli
from reducer.engine import Progress
from reducer.progress import Reporter


def _every(reporter: Reporter, progress: Progress) -> None:
    if reporter.quiet:
        return
    stats = progress.stats
    reporter.stream.write(
        f"[{stats.elapsed:6.1f}s] pass {progress.pass_name:<10} size {progress.size:>7} B"
        f"  calls {stats.oracle_calls} used {stats.used_calls}\n"
    )
    reporter.stream.flush()


Reporter.progress = _every  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.argv[0] = "reduce"
    cli.entry()
