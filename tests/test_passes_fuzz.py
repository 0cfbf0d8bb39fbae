"""Every text-only pass survives arbitrary, half-deleted C: no exception, candidates that
differ from the text, and foldable candidates that keep their promise.

The engine calls passes on whatever the last accepted candidate was; a pass that raised
on an odd shape (a stray brace, a statement expression, a cast before a brace) would end
the reduction with a traceback."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reducer.passes.schedules import foldable_promise_holds
from reducer.passes.table import PASS_TABLE, PassContext

# The libclang passes (params, fields) and includes need a parse or files; slice needs a
# compile. The rest see only the text.
TEXT_ONLY = [e for e in PASS_TABLE if e.name not in {"slice", "params", "fields", "includes"}]

PIECES = st.sampled_from(
    [
        "int", " x", " f", "(", ")", "{", "}", "[", "]", ";", ",", " = ", " + ", " * ",
        " - ", "&", " && ", "?", ":", "static ", "struct S", " if ", " else ", " do ",
        " while ", " for ", " return ", "\n", "#define A 1\n", "#if A\n", "#endif\n",
        '"s"', "1", "sizeof", "->", ".", "case 1:", "typedef ", "({", "})",
    ]
)  # fmt: skip
SOURCES = st.one_of(
    st.lists(PIECES, max_size=60).map("".join),
    st.sampled_from(
        [
            "int g; int f(int n) { if (n) { g = n + 1; } else g = 2; do { n--; } while (n); return g * 2; }\n",
            "struct S { int a; } s = {1, 2};\nint *p = &s.a + sizeof(s) / sizeof(int);\n",
            "static int h(void);\nstatic int h(void) { return ({ int y = 1; y; }); }\nint main(void) { return h(); }\n",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOURCES)
def test_text_only_passes_never_raise_and_keep_their_promises(source: str) -> None:
    context = PassContext(original=source, focus=frozenset({"f"}))
    for entry in TEXT_ONLY:
        reduction_pass = entry.make(context)
        for candidate in itertools.islice(reduction_pass.candidates(source), 40):
            assert isinstance(candidate.text, str) and candidate.text != source, entry.name
            assert foldable_promise_holds(source, candidate), entry.name
            # Resuming from any state works too.
            next(iter(reduction_pass.candidates(candidate.text, candidate.resume)), None)
