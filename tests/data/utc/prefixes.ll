; RUN: llc < %s -mtriple=x86_64-unknown-linux-gnu | FileCheck %s --check-prefixes=CHECK,X64
; RUN: llc < %s -mtriple=i686-unknown-linux-gnu | FileCheck %s --check-prefixes=CHECK,X86

; Same code on both but for retq/retl: shared under CHECK.
define void @nothing() nounwind {
  ret void
}

; Different code: one block per configuration.
define i32 @load_add(ptr %p, i32 %b) nounwind {
  %v = load i32, ptr %p, align 4
  %s = add i32 %v, %b
  ret i32 %s
}

define i32 @constant() nounwind {
  ret i32 42
}
