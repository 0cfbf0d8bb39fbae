; ModuleID = 'perm0.ll'
source_filename = "perm.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

%struct.acl_entry = type { i16, i16, i16, i16, i32, i32 }

; Function Attrs: noinline nounwind uwtable
define dso_local signext i16 @mask_score(i64 %0, i64 %1) #0 {
  %.sroa.0.0.extract.trunc = trunc i64 %0 to i16
  %.sroa.2.0.extract.shift = lshr i64 %0, 16
  %.sroa.2.0.extract.trunc = trunc i64 %.sroa.2.0.extract.shift to i16
  %.sroa.3.0.extract.shift = lshr i64 %0, 32
  %.sroa.3.0.extract.trunc = trunc i64 %.sroa.3.0.extract.shift to i16
  %.sroa.4.0.extract.shift = lshr i64 %0, 48
  %.sroa.4.0.extract.trunc = trunc i64 %.sroa.4.0.extract.shift to i16
  %3 = insertelement <4 x i16> poison, i16 %.sroa.0.0.extract.trunc, i32 0
  %4 = insertelement <4 x i16> %3, i16 %.sroa.2.0.extract.trunc, i32 1
  %5 = insertelement <4 x i16> %4, i16 %.sroa.3.0.extract.trunc, i32 2
  %6 = insertelement <4 x i16> %5, i16 %.sroa.4.0.extract.trunc, i32 3
  %7 = and <4 x i16> %6, <i16 7, i16 7, i16 7, i16 1>
  %8 = mul <4 x i16> %7, <i16 4, i16 2, i16 1, i16 8>
  %9 = call i16 @llvm.vector.reduce.add.v4i16(<4 x i16> %8)
  ret i16 %9
}

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare i16 @llvm.vector.reduce.add.v4i16(<4 x i16>) #1

; Function Attrs: noinline nounwind uwtable
define dso_local signext i16 @private_score(i16 noundef zeroext %0) #0 {
  %2 = insertelement <4 x i16> poison, i16 %0, i32 0
  %3 = insertelement <4 x i16> %2, i16 0, i32 1
  %4 = insertelement <4 x i16> %3, i16 0, i32 2
  %5 = insertelement <4 x i16> %4, i16 0, i32 3
  %6 = and <4 x i16> %5, <i16 3, i16 1, i16 0, i16 0>
  %7 = add <4 x i16> %6, <i16 5, i16 5, i16 5, i16 5>
  %8 = call i16 @llvm.vector.reduce.add.v4i16(<4 x i16> %7)
  ret i16 %8
}

; Function Attrs: noinline nounwind uwtable
define dso_local i32 @id_hash(i64 %0, i64 %1) #0 {
  %.sroa.1.8.extract.trunc = trunc i64 %1 to i32
  %.sroa.4.8.extract.shift = lshr i64 %1, 32
  %.sroa.4.8.extract.trunc = trunc i64 %.sroa.4.8.extract.shift to i32
  %3 = insertelement <4 x i32> poison, i32 %.sroa.1.8.extract.trunc, i32 0
  %4 = insertelement <4 x i32> %3, i32 %.sroa.4.8.extract.trunc, i32 1
  %5 = xor i32 %.sroa.1.8.extract.trunc, %.sroa.4.8.extract.trunc
  %6 = insertelement <4 x i32> %4, i32 %5, i32 2
  %7 = insertelement <4 x i32> %6, i32 -1640531527, i32 3
  %8 = shl <4 x i32> %7, <i32 5, i32 5, i32 5, i32 5>
  %9 = mul <4 x i32> %7, <i32 3, i32 5, i32 7, i32 11>
  %10 = xor <4 x i32> %8, %9
  %11 = call i32 @llvm.vector.reduce.xor.v4i32(<4 x i32> %10)
  %12 = mul i32 %11, -1640531535
  ret i32 %12
}

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare i32 @llvm.vector.reduce.xor.v4i32(<4 x i32>) #1

; Function Attrs: noinline nounwind uwtable
define dso_local i32 @entry_allows(i64 %0, i64 %1, i16 noundef zeroext %2) #0 {
  %.sroa.0.0.extract.trunc = trunc i64 %0 to i16
  %.sroa.2.0.extract.shift = lshr i64 %0, 16
  %.sroa.2.0.extract.trunc = trunc i64 %.sroa.2.0.extract.shift to i16
  %.sroa.3.0.extract.shift = lshr i64 %0, 32
  %.sroa.3.0.extract.trunc = trunc i64 %.sroa.3.0.extract.shift to i16
  %.sroa.4.0.extract.shift = lshr i64 %0, 48
  %4 = insertelement <4 x i16> poison, i16 %.sroa.0.0.extract.trunc, i32 0
  %5 = insertelement <4 x i16> %4, i16 %.sroa.2.0.extract.trunc, i32 1
  %6 = insertelement <4 x i16> %5, i16 %.sroa.3.0.extract.trunc, i32 2
  %7 = insertelement <4 x i16> %6, i16 0, i32 3
  %8 = insertelement <4 x i16> poison, i16 %2, i32 0
  %9 = insertelement <4 x i16> %8, i16 %2, i32 1
  %10 = insertelement <4 x i16> %9, i16 %2, i32 2
  %11 = insertelement <4 x i16> %10, i16 %2, i32 3
  %12 = and <4 x i16> %7, %11
  %13 = icmp eq <4 x i16> %12, %11
  %14 = sext <4 x i1> %13 to <4 x i16>
  %15 = call i16 @llvm.vector.reduce.or.v4i16(<4 x i16> %14)
  %16 = zext i16 %15 to i32
  %17 = icmp ne i32 %16, 0
  %18 = zext i1 %17 to i32
  ret i32 %18
}

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare i16 @llvm.vector.reduce.or.v4i16(<4 x i16>) #1

; Function Attrs: noinline nounwind uwtable
define dso_local zeroext i16 @max_class(i64 %0, i64 %1) #0 {
  %.sroa.0.0.extract.trunc = trunc i64 %0 to i16
  %.sroa.2.0.extract.shift = lshr i64 %0, 16
  %.sroa.2.0.extract.trunc = trunc i64 %.sroa.2.0.extract.shift to i16
  %.sroa.3.0.extract.shift = lshr i64 %0, 32
  %.sroa.3.0.extract.trunc = trunc i64 %.sroa.3.0.extract.shift to i16
  %.sroa.4.0.extract.shift = lshr i64 %0, 48
  %.sroa.4.0.extract.trunc = trunc i64 %.sroa.4.0.extract.shift to i16
  %3 = insertelement <4 x i16> poison, i16 %.sroa.0.0.extract.trunc, i32 0
  %4 = insertelement <4 x i16> %3, i16 %.sroa.2.0.extract.trunc, i32 1
  %5 = insertelement <4 x i16> %4, i16 %.sroa.3.0.extract.trunc, i32 2
  %6 = insertelement <4 x i16> %5, i16 %.sroa.4.0.extract.trunc, i32 3
  %7 = and <4 x i16> %6, <i16 7, i16 7, i16 7, i16 7>
  %8 = call i16 @llvm.vector.reduce.umax.v4i16(<4 x i16> %7)
  ret i16 %8
}

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare i16 @llvm.vector.reduce.umax.v4i16(<4 x i16>) #1

; Function Attrs: noinline nounwind uwtable
define dso_local i32 @count_writable(ptr noundef %0, i32 noundef %1) #0 {
  br label %3

3:                                                ; preds = %25, %2
  %.011 = phi i32 [ 0, %2 ], [ %26, %25 ]
  %.0 = phi i32 [ 0, %2 ], [ %24, %25 ]
  %4 = icmp slt i32 %.011, %1
  br i1 %4, label %5, label %27

5:                                                ; preds = %3
  %6 = sext i32 %.011 to i64
  %7 = getelementptr inbounds %struct.acl_entry, ptr %0, i64 %6
  %8 = load i16, ptr %7, align 4
  %9 = insertelement <4 x i16> poison, i16 %8, i32 0
  %10 = getelementptr inbounds %struct.acl_entry, ptr %7, i32 0, i32 1
  %11 = load i16, ptr %10, align 2
  %12 = insertelement <4 x i16> %9, i16 %11, i32 1
  %13 = getelementptr inbounds %struct.acl_entry, ptr %7, i32 0, i32 2
  %14 = load i16, ptr %13, align 4
  %15 = insertelement <4 x i16> %12, i16 %14, i32 2
  %16 = insertelement <4 x i16> %15, i16 0, i32 3
  %17 = and <4 x i16> %16, <i16 2, i16 2, i16 2, i16 2>
  %18 = icmp ne <4 x i16> %17, zeroinitializer
  %19 = sext <4 x i1> %18 to <4 x i16>
  %20 = call i16 @llvm.vector.reduce.or.v4i16(<4 x i16> %19)
  %21 = sext i16 %20 to i32
  %22 = icmp ne i32 %21, 0
  %23 = zext i1 %22 to i32
  %24 = add nsw i32 %.0, %23
  br label %25

25:                                               ; preds = %5
  %26 = add nsw i32 %.011, 1
  br label %3, !llvm.loop !6

27:                                               ; preds = %3
  ret i32 %.0
}

attributes #0 = { noinline nounwind uwtable "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #1 = { nocallback nofree nosync nounwind speculatable willreturn memory(none) }

!llvm.module.flags = !{!0, !1, !2, !3, !4}
!llvm.ident = !{!5}

!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 8, !"PIC Level", i32 2}
!2 = !{i32 7, !"PIE Level", i32 2}
!3 = !{i32 7, !"uwtable", i32 2}
!4 = !{i32 7, !"frame-pointer", i32 2}
!5 = !{!"Debian clang version 19.1.7 (3~deb12u1)"}
!6 = distinct !{!6, !7}
!7 = !{!"llvm.loop.mustprogress"}
