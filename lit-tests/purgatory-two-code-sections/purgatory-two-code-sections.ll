; XFAIL: llvm-19, llvm-22
; RUN: llc < %s -mtriple=x86_64-unknown-linux-gnu -code-model=large -filetype=obj -o - | llvm-readobj --sections - \
; RUN:   | FileCheck %s

; llc 19: 2 executable sections: .text, .ltext (sections).
; llc 16: one executable section: .text. The test wants what llc 16 writes.

; CHECK-NOT: Name: .ltext (
; CHECK: Sections [
; CHECK: Name: .text (
; CHECK-NOT: Name: .ltext (

module asm "\09movq tramp+8(%rip), %rsp"

define dso_local void @test() nounwind {
  ret void
}
