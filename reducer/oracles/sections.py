"""`sections` and `section:NAME` / `section:!NAME` — which sections the object has.

``sections``: more than one executable section with contents. This is the founding kexec
complaint ("purgatory has more than one executable section"): under -mcmodel=large clang
18+ puts C functions in ``.ltext`` while a file-scope ``asm()`` entry point stays in
``.text``; clang 16 puts both in ``.text``. Empty sections do not count (clang emits an
empty ``.text`` in every object). A function in its own section (-ffunction-sections,
``__attribute__((section))``) is an executable section too, as the kernel sees it.

``section:NAME``: the object has a section named exactly NAME (present even if empty);
``section:!NAME``: it has none.
"""

from __future__ import annotations

from reducer.compiler import CompileCommand
from reducer.elf import ObjectInfo
from reducer.errors import UsageError
from reducer.objects import ObjectOracle
from reducer.oracles.spec import ARGUMENT_REQUIRED, READS_OBJECT, OracleKind, OracleSpec, register
from reducer.verdict import Verdict

LIST_LIMIT = 12


def _listing(names: tuple[str, ...]) -> str:
    shown = ", ".join(names[:LIST_LIMIT])
    return shown + (f", ... ({len(names)} in all)" if len(names) > LIST_LIMIT else "")


class MultipleCodeSectionsOracle(ObjectOracle):
    def __init__(self, compile: CompileCommand) -> None:
        self.name = "sections"
        self.compile = compile

    def describe(self) -> str:
        return f"{self.name} (counts objects with more than one executable section with contents)"

    def relevant(self, info: ObjectInfo) -> tuple[str, ...]:
        """The sections this oracle counts, in object order (what a test checks)."""
        return info.executable_sections

    def judge(self, info: ObjectInfo) -> Verdict:
        code = info.executable_sections
        if len(code) > 1:
            return Verdict(True, f"{len(code)} executable sections: {_listing(code)}")
        if code:
            return Verdict(False, f"one executable section: {code[0]}")
        return Verdict(False, "no executable section with contents")


class SectionOracle(ObjectOracle):
    def __init__(self, compile: CompileCommand, section: str, present: bool = True) -> None:
        self.name = f"section:{'' if present else '!'}{section}"
        self.compile = compile
        self.section = section
        self.present = present

    def describe(self) -> str:
        what = "a section" if self.present else "no section"
        return f"{self.name} (counts objects with {what} named {self.section})"

    def relevant(self, info: ObjectInfo) -> tuple[str, ...]:
        """The sections this oracle looks at, in object order (what a test checks)."""
        return tuple(name for name in info.sections if name == self.section)

    def judge(self, info: ObjectInfo) -> Verdict:
        has = self.section in info.sections
        state = "has" if has else "has no"
        reason = f"{state} section {self.section}; sections: {_listing(info.sections)}"
        return Verdict(has == self.present, reason)


def make_sections_oracle(
    spec: OracleSpec, compile: CompileCommand | None
) -> MultipleCodeSectionsOracle:
    assert compile is not None
    return MultipleCodeSectionsOracle(compile)


def make_section_oracle(spec: OracleSpec, compile: CompileCommand | None) -> SectionOracle:
    assert compile is not None
    text = spec.argument.strip()
    present = not text.startswith("!")
    name = text.removeprefix("!").strip()
    if not name or any(c.isspace() for c in name):
        raise UsageError(f"--oracle {spec.text}: give a section name, e.g. section:.ltext")
    return SectionOracle(compile, name, present)


register(
    OracleKind(
        "sections",
        make_sections_oracle,
        "the object has more than one executable section with contents (.text + .ltext)",
        test_kinds=("llc-sections",),
        needs_valid_code=True,
        reads=READS_OBJECT,
    )
)
register(
    OracleKind(
        "section",
        make_section_oracle,
        "the object has a section named NAME (section:!NAME: it has none)",
        argument=ARGUMENT_REQUIRED,
        argument_help="[!]NAME",
        test_kinds=("llc-sections",),
        needs_valid_code=True,
        reads=READS_OBJECT,
    )
)
