target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare i16 @llvm.vector.reduce.add.v4i16(<4 x i16>) #0

define i16 @private_score(i16 %0) {
  %2 = insertelement <4 x i16> <i16 poison, i16 0, i16 0, i16 0>, i16 %0, i64 0
  %3 = and <4 x i16> %2, <i16 3, i16 1, i16 0, i16 0>
  %4 = or <4 x i16> %3, <i16 5, i16 5, i16 5, i16 5>
  %5 = call i16 @llvm.vector.reduce.add.v4i16(<4 x i16> %4)
  ret i16 %5
}

attributes #0 = { nocallback nofree nosync nounwind speculatable willreturn memory(none) }
