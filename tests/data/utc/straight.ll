; RUN: llc < %s -mtriple=x86_64-unknown-linux-gnu -O0 | FileCheck %s

; A store through the stack at -O0: the offsets become a regex.
define i32 @store_and_add(i32 %a, i32 %b) nounwind {
entry:
  %slot = alloca i32, align 4
  store i32 %a, ptr %slot, align 4
  %v = load i32, ptr %slot, align 4
  %s = add i32 %v, %b
  ret i32 %s
}
