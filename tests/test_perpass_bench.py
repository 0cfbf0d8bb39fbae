"""bench/perpass.py: a progress log's time, calls and bytes charged per pass."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("perpass", REPO / "bench" / "perpass.py")
assert _spec is not None and _spec.loader is not None
perpass = importlib.util.module_from_spec(_spec)
sys.modules["perpass"] = perpass  # its dataclasses look their module up
_spec.loader.exec_module(perpass)

LOG = """\
original is interesting: clang-19: found R_X86_64_32S
[   7.6s] pass comments   size 9000 B  calls 1 used 1
[  14.3s] pass comments   size 5000 B  calls 2 used 2
[  14.3s] pass focus      size 5000 B  calls 2 used 2
[  19.7s] pass focus      size  600 B  calls 7 used 3
[  19.7s] pass comments   size  600 B  calls 7 used 3
[  20.2s] pass lines     size  500 B  calls 9 used 5
  oracle: 9 calls
"""


def test_each_interval_goes_to_the_pass_the_earlier_line_names() -> None:
    progress = perpass.progress_lines(LOG.splitlines())
    assert [p.name for p in progress] == [
        "comments",
        "comments",
        "focus",
        "focus",
        "comments",
        "lines",
    ]
    totals = perpass.per_pass(progress)
    assert set(totals) == {"comments", "focus"}  # the last line starts nothing measured
    comments, focus = totals["comments"], totals["focus"]
    assert round(comments.seconds, 1) == 7.2  # 7.6 -> 14.3, then 19.7 -> 20.2
    assert (comments.calls, comments.used, comments.removed) == (3, 3, 4100)
    assert round(focus.seconds, 1) == 5.4
    assert (focus.calls, focus.used, focus.removed) == (5, 1, 4400)


def test_the_table_lists_the_slowest_pass_first_and_the_totals_last(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text(LOG)
    assert perpass.main([str(log)]) == 0
    rows = perpass.table(perpass.per_pass(perpass.progress_lines(LOG.splitlines()))).splitlines()
    assert rows[2].startswith("| comments | 7.2s | 3 | 3 | 4100 |")
    assert rows[-1] == "| (all) | 12.6s | 8 | 4 | 8500 |"


def test_reduce_s_own_progress_lines_count_no_used_calls() -> None:
    lines = ["[   0.7s] pass slice      size  193361 B  calls 1 (1.5/s)",
             "[   1.4s] pass comments   size  190000 B  calls 3 (2.1/s)"]  # fmt: skip
    totals = perpass.per_pass(perpass.progress_lines(lines))
    assert (totals["slice"].calls, totals["slice"].used, totals["slice"].removed) == (2, 0, 3361)


def test_a_log_without_progress_is_an_error(tmp_path: Path, capsys) -> None:
    log = tmp_path / "empty.log"
    log.write_text("nothing here\n")
    assert perpass.main([str(log)]) == 1
    assert "fewer than two progress lines" in capsys.readouterr().err
    assert perpass.main([str(tmp_path / "missing.log")]) == 2
