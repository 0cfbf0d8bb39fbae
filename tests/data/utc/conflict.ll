; RUN: llc < %s -mtriple=x86_64-unknown-linux-gnu -O0 | FileCheck %s --check-prefixes=CHECK,O0
; RUN: llc < %s -mtriple=x86_64-unknown-linux-gnu -O2 | FileCheck %s --check-prefixes=CHECK,O2,OPT
; RUN: llc < %s -mtriple=x86_64-unknown-linux-gnu -O2 | FileCheck %s

; -O0 and -O2 differ: CHECK conflicts, the third RUN line gets no checks for @f.
define i32 @f(i32 %a) nounwind {
  %b = add i32 %a, 1
  %c = mul i32 %b, 2
  ret i32 %c
}

define void @g() nounwind {
  ret void
}
