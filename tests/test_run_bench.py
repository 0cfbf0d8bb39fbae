"""bench/run_bench.py and bench/inputs.py: fresh csmith seeds (issue 26 §4) and the
summary of their ratios against the faster delta tool (pure parts only)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
_spec = importlib.util.spec_from_file_location("run_bench", REPO / "bench" / "run_bench.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["run_bench"] = bench  # its dataclasses look their module up
_spec.loader.exec_module(bench)
gen = bench.gen


def test_fresh_seeds_are_drawn_above_the_fixed_ones_and_named_by_seed() -> None:
    rng = random.Random(7)
    seeds = [gen.draw_seed(rng) for _ in range(50)]
    fixed = {spec.seed for spec in gen.MAIN_SPECS + gen.SCALING_SPECS}
    assert len(set(seeds)) == 50
    assert all(seed not in fixed and gen.FRESH_SEED_RANGE[0] <= seed for seed in seeds)
    spec = gen.fresh_spec(seeds[0])
    assert spec.name == f"{gen.FRESH_PREFIX}{seeds[0]}" and spec.role == "main"
    assert spec.describe() == f"csmith --seed {seeds[0]}"


def _rows(
    name: str, reduce_s: float, cvise_s: float, creduce_s: float, sizes: tuple[int, int, int]
):
    return [
        bench.Result(name, "reduce", wall_seconds=reduce_s, final_bytes=sizes[0], interesting=True),
        bench.Result(name, "cvise", wall_seconds=cvise_s, final_bytes=sizes[1], interesting=True),
        bench.Result(
            name, "creduce", wall_seconds=creduce_s, final_bytes=sizes[2], interesting=True
        ),
    ]


def test_ratio_summary_takes_median_and_worst_against_the_faster_tool() -> None:
    results = [
        *_rows("a", 4.0, 100.0, 200.0, (50, 60, 55)),  # 0.04
        *_rows("b", 3.0, 300.0, 100.0, (50, 60, 40)),  # 0.03, larger than creduce's
        *_rows("c", 9.0, 100.0, 150.0, (50, 60, 55)),  # 0.09: over the worst target
    ]
    (line,) = bench.ratio_summary(results, ["a", "b", "c"])
    assert "3 inputs" in line
    assert "median 0.040" in line and "worst 0.090" in line
    assert "MISSED" in line
    assert "no larger on 2 of 3" in line
    (line,) = bench.ratio_summary(results, ["a", "b"])
    assert "median 0.035" in line and "worst 0.040" in line and ": met;" in line


def test_ratio_summary_says_when_nothing_can_be_compared() -> None:
    results = [bench.Result("a", "reduce", wall_seconds=1.0, final_bytes=5, interesting=True)]
    assert bench.ratio_summary(results, ["a"]) == [
        "- fresh seeds: no input with both reduce and a delta tool finished"
    ]


def test_the_comparison_lists_only_inputs_some_tool_ran_on() -> None:
    rows = _rows("csmith-fresh-5", 2.0, 80.0, 60.0, (61, 90, 80))
    table = bench.comparison_table(rows, ["csmith-fresh-5", "csmith-fresh-6"])
    assert len(table) == 3  # header, rule, one row: the dropped seed 6 is not listed
    assert table[2].startswith("| csmith-fresh-5 | 2.0 | 60.0 (creduce) | 0.033 met | 61 |")
