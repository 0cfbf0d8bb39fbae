"""`reduce matrix`, `reduce explain` and the DWARF source map behind explain."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from reducer.commands import explain, matrix
from reducer.errors import CompilerNotFound, InputError, UsageError
from reducer.process import run_program
from reducer.sourcemap import NoDebugInfo, build_source_map
from tests.conftest import need_compiler as need

FLAGS = ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"]
REPRODUCER = 'int a[1] __attribute__((section("x"))); void f(){int*p=a;}\n'
MULTILINE = """\
int a[1] __attribute__((section("x")));
__attribute__((section(".text"))) int small(int x) {
  return x + 1;
}
void f(void) {
  int *p = a;
  (void)p;
}
"""


def parse(module: ModuleType, argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"reduce {module.NAME}")
    module.configure(parser)
    return parser.parse_args(argv)


def write(tmp_path: Path, text: str, name: str = "r.c") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --- matrix -----------------------------------------------------------------------------


def table_row(out: str, compiler: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(compiler + " "))


@pytest.mark.compilers
def test_matrix_clang19_affected_clang22_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need("clang-19")
    need("clang-22")
    src = write(tmp_path, REPRODUCER)
    assert matrix.run(parse(matrix, [str(src)]), list(FLAGS)) == 0
    out = capsys.readouterr().out
    assert "compiler" in out.splitlines()[1] and "verdict" in out.splitlines()[1]
    row19 = table_row(out, "clang-19")
    assert "clang version 19." in row19 and "AFFECTED" in row19 and "R_X86_64_32S a" in row19
    row22 = table_row(out, "clang-22")
    assert "clang version 22." in row22 and "not affected" in row22
    assert src.read_text() == REPRODUCER


# llc 16 and 19 cannot select llvm.canonicalize on x86-64; llc 22 can (llvm-project#32650).
CANONICALIZE_IR = """\
define float @f(float %x) {
  %c = call float @llvm.canonicalize.f32(float %x)
  ret float %c
}
declare float @llvm.canonicalize.f32(float)
"""


@pytest.mark.compilers
@pytest.mark.parametrize("name", ["bug.ll", "bug.bc"])
def test_matrix_over_llc_releases_for_ir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    for tool in ("llc-16", "llc-19", "llc-22"):
        need(tool)
    src = write(tmp_path, CANONICALIZE_IR, "bug.ll")
    if name == "bug.bc":  # bitcode is read by the release named after '--'
        run_program([need("llvm-as-19"), "bug.ll", "-o", "bug.bc"], timeout=60, cwd=tmp_path)
        src = tmp_path / "bug.bc"
    before = src.read_bytes()
    argv = ["--oracle", "crash:Cannot select: .*fcanonicalize", str(src)]
    assert matrix.run(parse(matrix, argv), ["llc-19", "-O2"]) == 0
    out = capsys.readouterr().out
    assert "clang-" not in out  # a matrix over llc releases, not clangs
    assert "AFFECTED" in table_row(out, "llc-16") and "AFFECTED" in table_row(out, "llc-19")
    assert "not affected" in table_row(out, "llc-22")
    # llc-14, where installed (a dependency of some Debian packages), crashes too.
    assert re.search(r"first affected release: 1[46], last: 19 \(of ", out), out
    assert src.read_bytes() == before


def test_affected_releases_names_the_span() -> None:
    from reducer.oracles import Verdict

    def row(compiler: str, interesting: bool) -> matrix.Row:
        return matrix.Row(compiler, "", Verdict(interesting, "r"))

    rows = [row("clang-16", False), row("clang-19", True), row("clang-21", True), row("clang-22", False)]
    assert matrix.affected_releases(rows) == (
        "first affected release: 19, last: 21 (of 16, 19, 21, 22 installed)"
    )
    assert matrix.affected_releases([row("clang-19", False)]) == ""
    assert matrix.affected_releases([row("/opt/clang", True)]) == ""


@pytest.mark.compilers
def test_matrix_compiler_after_dashes_and_kexec_oracle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need("clang-19")
    gcc = shutil.which("gcc")
    src = write(tmp_path, REPRODUCER)
    argv = [str(src), "--oracle", "kexec-overflow", "-X", "load_address=0x13fffb000"]
    compile_argv = ["gcc", *FLAGS] if gcc else list(FLAGS)
    assert matrix.run(parse(matrix, argv), compile_argv) == 0
    out = capsys.readouterr().out
    assert "Overflow in relocation type 11 value 0x13fffb0" in table_row(out, "clang-19")
    if gcc:  # gcc does not know --target: shown as such, not as "not affected"
        assert "compile failed" in table_row(out, "gcc")


def test_matrix_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        matrix.run(parse(matrix, [str(tmp_path / "missing.c")]), list(FLAGS))
    with pytest.raises(InputError, match="directory"):
        matrix.run(parse(matrix, [str(tmp_path)]), list(FLAGS))
    src = write(tmp_path, REPRODUCER)
    with pytest.raises(CompilerNotFound):
        matrix.run(parse(matrix, [str(src), "--cc", "clang-does-not-exist-3"]), list(FLAGS))
    with pytest.raises(CompilerNotFound):
        matrix.run(parse(matrix, [str(src)]), ["clang-99", *FLAGS])
    with pytest.raises(UsageError):
        matrix.run(parse(matrix, [str(src)]), [])
    with pytest.raises(UsageError):
        matrix.run(parse(matrix, [str(src), "--oracle", "nonsense"]), list(FLAGS))
    assert src.read_text() == REPRODUCER


def test_split_compiler() -> None:
    assert matrix.split_compiler(["-O0", "-c"]) == (None, ["-O0", "-c"])
    if shutil.which("gcc"):
        assert matrix.split_compiler(["gcc", "-c"]) == ("gcc", ["-c"])
    assert matrix.looks_like_compiler("/usr/lib/llvm-19/bin/clang")
    assert matrix.looks_like_compiler("x86_64-linux-gnu-gcc-12")
    assert not matrix.looks_like_compiler("-mcmodel=large")


# --- explain ----------------------------------------------------------------------------


@pytest.mark.compilers
def test_explain_shows_32s_against_a_in_f_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cc = need("clang-19")
    src = write(tmp_path, MULTILINE)
    assert explain.run(parse(explain, [str(src)]), [cc, *FLAGS]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    group = next(line for line in lines if line[2:].startswith("R_X86_64_32S"))
    assert group.startswith("*") and " a " in group and "in f" in group and "x1" in group
    detail = lines[lines.index(group) + 1]
    assert detail.strip().startswith("* .ltext+0x")
    assert f"{src}:6: int *p = a;" in detail
    assert "code sections: .text, .ltext" in out
    assert lines[-1].startswith("verdict: INTERESTING: found R_X86_64_32S a")
    assert src.read_text() == MULTILINE


@pytest.mark.compilers
def test_explain_with_kexec_oracle_and_good_compiler(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cc = need("clang-22")
    src = write(tmp_path, REPRODUCER)
    assert explain.run(parse(explain, [str(src), "--oracle", "kexec-overflow"]), [cc, *FLAGS]) == 0
    out = capsys.readouterr().out
    group = next(line for line in out.splitlines() if line[2:].startswith("R_X86_64_64"))
    assert not group.startswith("*")
    assert "value 0x13fffb0" in out and "r.c:1: int a[1]" in out
    assert out.splitlines()[-1].startswith(
        "verdict: not interesting: no overflow at load address 0x13fffb000"
    )


def test_explain_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        explain.run(parse(explain, [str(tmp_path / "missing.c")]), ["clang-19", "-c"])
    with pytest.raises(InputError):
        explain.run(parse(explain, [str(tmp_path)]), ["clang-19", "-c"])
    src = write(tmp_path, REPRODUCER)
    with pytest.raises(CompilerNotFound):
        explain.run(parse(explain, [str(src)]), ["clang-does-not-exist-3", "-c"])
    with pytest.raises(UsageError):
        explain.run(parse(explain, [str(src)]), [])


# --- source map ------------------------------------------------------------------------


def compile_g(tmp_path: Path, compiler: str, text: str, flags: list[str]) -> tuple[Path, bytes]:
    need(compiler)
    src = write(tmp_path, text, "m.c")
    obj = tmp_path / "m.o"
    result = run_program(
        [compiler, *flags, "-g", "-o", str(obj), str(src)], timeout=60, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr.decode()
    return src, obj.read_bytes()


@pytest.mark.compilers
@pytest.mark.parametrize("compiler", ["clang-19", "clang-22"])
def test_source_map_separates_text_and_ltext(tmp_path: Path, compiler: str) -> None:
    src, data = compile_g(tmp_path, compiler, MULTILINE, FLAGS)
    smap = build_source_map(data)
    assert smap.sections == [".ltext", ".text"]
    # Both sections start at offset 0; only .rela.debug_line tells them apart.
    assert smap.lookup(".text", 0) is not None and smap.lookup(".text", 0).line == 2
    assert smap.lookup(".ltext", 0) is not None and smap.lookup(".ltext", 0).line == 5
    assert Path(smap.lookup(".ltext", 0).file) == src
    assert smap.lookup(".ltext", 0x10000) is None
    assert smap.lookup(".data", 0) is None


@pytest.mark.compilers
def test_source_map_function_sections_and_dwarf4(tmp_path: Path) -> None:
    text = "int g(int x) {\n  return x;\n}\nint h(int y) {\n  return y * 3;\n}\n"
    _, data = compile_g(tmp_path, "clang-19", text, [*FLAGS, "-ffunction-sections", "-gdwarf-4"])
    smap = build_source_map(data)
    assert smap.sections == [".ltext.g", ".ltext.h"]
    assert smap.lookup(".ltext.g", 0).line == 1
    assert smap.lookup(".ltext.h", 0).line == 4
    last_g = max(o for s in smap.sequences[".ltext.g"] for o in s.offsets)
    assert smap.lookup(".ltext.g", last_g).line in (2, 3)


@pytest.mark.compilers
def test_source_map_without_debug_info(tmp_path: Path) -> None:
    need("clang-19")
    src = write(tmp_path, REPRODUCER)
    obj = tmp_path / "r.o"
    run_program(["clang-19", *FLAGS, "-o", str(obj), str(src)], timeout=60)
    with pytest.raises(NoDebugInfo):
        build_source_map(obj.read_bytes())
    with pytest.raises(NoDebugInfo):
        build_source_map(b"not an elf file")
