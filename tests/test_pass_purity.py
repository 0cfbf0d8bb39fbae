"""Every pass is pure: its candidates depend only on (text, resume).

The engine opens streams it may never use: the candidates after a candidate it only bets
on, the next passes on a text the current one may end with, the next round's. A pass that
learnt from being asked (the includes pass once counted inlined headers that way) makes
the result depend on the worker count. So, for every pass in the table: reading the
streams after each of its candidates leaves its candidates on the original unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.passes.table import PASS_NAMES, PassContext, build_passes

TEXT = """#include "local.h"
#define TWICE(x) ((x) + (x))
typedef struct pair { int first; int second; } pair_t;
static int counter = 3;
static const char *name = "purgatory";
int used(int a, int unused_b) { return TWICE(a) + counter; }
int main(void) {
  pair_t p = {1, 2};
  for (int i = 0; i < 2; i++) { if (i) p.first += used(i, 0); }
  return p.first + (int)sizeof(name);
}
#include "local.h"
"""


@pytest.mark.parametrize("name", [n for n in PASS_NAMES if n != "slice"])
def test_reading_the_streams_after_its_candidates_changes_no_later_answer(
    name: str, tmp_path: Path
) -> None:
    (tmp_path / "local.h").write_text("#ifndef LOCAL_H\n#define LOCAL_H\nint local;\n#endif\n")
    context = PassContext(
        original=TEXT, keep=frozenset({"main"}), parse_flags=("-iquote", str(tmp_path))
    )
    (reduction_pass,) = [p for p in build_passes(context) if p.name == name]
    before = [(c.text, c.resume) for c in reduction_pass.candidates(TEXT, None)]
    for text, resume in before[:20]:
        for after in reduction_pass.candidates(text, resume):  # as a bet would
            list(reduction_pass.candidates(after.text, after.resume))
    assert [(c.text, c.resume) for c in reduction_pass.candidates(TEXT, None)] == before
