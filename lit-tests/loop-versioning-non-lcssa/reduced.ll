target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

define i64 @scale_copy(ptr %dst, ptr %src, i32 %k) {
entry:
  br label %loop

loop:                                             ; preds = %loop, %entry
  %v1 = load i32, ptr %src, align 4
  %scaled2 = mul i32 %k, %k
  store i32 %k, ptr %dst, align 4
  br i1 false, label %loop, label %loop.exit

loop.exit:                                        ; preds = %loop
  %last = phi i32 [ %scaled2, %loop ]
  store i32 %scaled2, ptr %dst, align 8
  ret i64 0
}
