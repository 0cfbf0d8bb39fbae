"""The IR clean-ups that give emitted tests upstream's shape: no made-up return values and
no one-letter names left by the C reduction."""

from __future__ import annotations

from reducer.emit.ir_cleanup import readable_names, void_returns

IR = """@a = external global [1 x i32], section "."
@purgatory_sha_regions = global i32 0, section ".kexec-purgatory"

define noundef i32 @a1(ptr %p0) nounwind {
  store ptr @a, ptr %p0, align 8
  ret i32 0
}

declare void @b(ptr)

define i32 @c() {
  %v0 = call i32 @a1(ptr null)
  call void @b(ptr @purgatory_sha_regions)
  ret i32 %v0
}
"""


def test_void_returns_only_for_uncalled_functions_returning_constants() -> None:
    assert void_returns(IR) == IR  # @a1 is called; @c returns a value it computed
    alone = "define dso_local noundef signext i32 @f(ptr %p0) nounwind {\n  ret i32 0\n}\n"
    assert void_returns(alone) == "define dso_local void @f(ptr %p0) nounwind {\n  ret void\n}\n"
    branches = "define i32 @f(i1 %c) {\nbb0:\n  br i1 %c, label %bb1, label %bb2\nbb1:\n  ret i32 1\nbb2:\n  ret i32 undef\n}\n"
    assert void_returns(branches).count("ret void") == 2
    kept = "define i32 @f(i32 %p0) {\n  ret i32 %p0\n}\n"
    assert void_returns(kept) == kept


def test_readable_names_replace_only_short_ones() -> None:
    out = readable_names(IR)
    assert '@var = external global [1 x i32], section ".explicit_section"' in out
    assert '@purgatory_sha_regions = global i32 0, section ".kexec-purgatory"' in out
    assert "define noundef i32 @test(ptr %p0) nounwind {" in out
    assert "store ptr @var, ptr %p0" in out
    assert (
        "declare void @callee(ptr)" in out
        and "call void @callee(ptr @purgatory_sha_regions)" in out
    )
    assert "define i32 @test1() {" in out and "call i32 @test(ptr null)" in out
    assert readable_names(out) == out  # idempotent: nothing short is left


def test_readable_names_avoid_taken_names_and_intrinsics() -> None:
    ir = "@test = global i32 0\n\ndefine void @a() {\n  call void @llvm.trap()\n  ret void\n}\n\ndeclare void @llvm.trap()\n"
    out = readable_names(ir)
    assert "define void @test1() {" in out and "@test = global i32 0" in out
    assert "declare void @llvm.trap()" in out


def test_explicit_section_names_are_found_in_the_c_source() -> None:
    from reducer.commands.reduce import explicit_sections

    text = (
        'int a[4] __attribute__((section(".kexec-purgatory")));\n'
        'int b __attribute__((__section__ ( ".data.boot" )));\n'
        "int c __section(\".x\");\n"
        'const char *s = "section(\\"no\\")";\n'
    )
    assert explicit_sections(text) >= {".kexec-purgatory", ".data.boot", ".x"}


def test_add_dso_local_like_clang_for_no_pic() -> None:
    from reducer.emit.ir_cleanup import add_dso_local

    ir = (
        '@a = global i32 0, section ".k"\n'
        "@b = external global [1 x i32]\n"
        "@c = internal global i32 0\n"
        "@d = dso_local global i32 0\n"
        "define void @f() nounwind {\n  ret void\n}\n"
        "define weak void @g() {\n  ret void\n}\n"
        "declare void @h()\n"
    )
    assert add_dso_local(ir) == (
        '@a = dso_local global i32 0, section ".k"\n'
        "@b = external dso_local global [1 x i32]\n"
        "@c = internal global i32 0\n"
        "@d = dso_local global i32 0\n"
        "define dso_local void @f() nounwind {\n  ret void\n}\n"
        "define weak dso_local void @g() {\n  ret void\n}\n"
        "declare dso_local void @h()\n"
    )
