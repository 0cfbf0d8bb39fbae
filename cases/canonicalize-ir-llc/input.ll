; ModuleID = 'table.c'
source_filename = "table.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%struct.slot = type { %struct.sample_key, i32, i32, i32 }
%struct.sample_key = type { double, float, i32 }

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: write) uwtable
define dso_local void @table_init(ptr nocapture noundef writeonly %0) local_unnamed_addr #0 {
  tail call void @llvm.memset.p0.i64(ptr noundef nonnull align 8 dereferenceable(32784) %0, i8 0, i64 32784, i1 false)
  ret void
}

; Function Attrs: mustprogress nocallback nofree nounwind willreturn memory(argmem: write)
declare void @llvm.memset.p0.i64(ptr nocapture writeonly, i8, i64, i1 immarg) #1

; Function Attrs: nofree norecurse nounwind memory(argmem: readwrite, inaccessiblemem: readwrite) uwtable
define dso_local noundef i32 @table_add(ptr nocapture noundef %0, double noundef %1, float noundef %2, i32 noundef %3) local_unnamed_addr #2 {
  %5 = alloca float, align 4
  %6 = fcmp oeq double %1, 0.000000e+00
  %7 = tail call double @llvm.canonicalize.f64(double %1)
  %8 = select i1 %6, double 0.000000e+00, double %7
  call void @llvm.lifetime.start.p0(i64 4, ptr nonnull %5)
  %9 = tail call float @llvm.canonicalize.f32(float %2)
  store volatile float %9, ptr %5, align 4, !tbaa !5
  %10 = load volatile float, ptr %5, align 4, !tbaa !5
  call void @llvm.lifetime.end.p0(i64 4, ptr nonnull %5)
  %11 = bitcast float %10 to i32
  %12 = zext i32 %3 to i64
  %13 = shl nuw i64 %12, 32
  %14 = zext i32 %11 to i64
  %15 = or disjoint i64 %13, %14
  %16 = bitcast double %8 to i64
  %17 = shl nuw nsw i64 %14, 17
  %18 = mul i64 %12, -7046029254386353131
  %19 = xor i64 %18, %17
  %20 = xor i64 %19, %16
  %21 = lshr i64 %20, 33
  %22 = xor i64 %21, %20
  %23 = mul i64 %22, -49064778989728563
  %24 = lshr i64 %23, 33
  %25 = xor i64 %24, %23
  %26 = mul i64 %25, -4265267296055464877
  %27 = lshr i64 %26, 33
  %28 = xor i64 %27, %26
  %29 = trunc i64 %28 to i32
  %30 = getelementptr inbounds i8, ptr %0, i64 32776
  br label %31

31:                                               ; preds = %4, %67
  %32 = phi i32 [ 0, %4 ], [ %70, %67 ]
  %33 = add i32 %32, %29
  %34 = and i32 %33, 1023
  %35 = zext nneg i32 %34 to i64
  %36 = getelementptr inbounds [1024 x %struct.slot], ptr %0, i64 0, i64 %35
  %37 = getelementptr inbounds i8, ptr %36, i64 24
  %38 = load i32, ptr %37, align 8, !tbaa !9
  %39 = icmp eq i32 %38, 0
  br i1 %39, label %40, label %48

40:                                               ; preds = %31
  %41 = getelementptr inbounds i8, ptr %36, i64 24
  store double %8, ptr %36, align 8, !tbaa !14
  %42 = getelementptr inbounds i8, ptr %36, i64 8
  store i64 %15, ptr %42, align 8
  %43 = getelementptr inbounds i8, ptr %36, i64 20
  store i32 %29, ptr %43, align 4, !tbaa !15
  %44 = getelementptr inbounds i8, ptr %36, i64 16
  store i32 1, ptr %44, align 8, !tbaa !16
  store i32 1, ptr %41, align 8, !tbaa !9
  %45 = getelementptr inbounds i8, ptr %0, i64 32768
  %46 = load i64, ptr %45, align 8, !tbaa !17
  %47 = add i64 %46, 1
  store i64 %47, ptr %45, align 8, !tbaa !17
  br label %72

48:                                               ; preds = %31
  %49 = getelementptr inbounds i8, ptr %36, i64 20
  %50 = load i32, ptr %49, align 4, !tbaa !15
  %51 = icmp eq i32 %50, %29
  br i1 %51, label %52, label %67

52:                                               ; preds = %48
  %53 = load i64, ptr %36, align 8, !tbaa !20
  %54 = icmp eq i64 %53, %16
  br i1 %54, label %55, label %67

55:                                               ; preds = %52
  %56 = getelementptr inbounds i8, ptr %36, i64 8
  %57 = load i32, ptr %56, align 8, !tbaa !21
  %58 = icmp eq i32 %57, %11
  br i1 %58, label %59, label %67

59:                                               ; preds = %55
  %60 = getelementptr inbounds i8, ptr %36, i64 12
  %61 = load i32, ptr %60, align 4, !tbaa !22
  %62 = icmp eq i32 %61, %3
  br i1 %62, label %63, label %67

63:                                               ; preds = %59
  %64 = getelementptr inbounds i8, ptr %36, i64 16
  %65 = load i32, ptr %64, align 8, !tbaa !16
  %66 = add i32 %65, 1
  store i32 %66, ptr %64, align 8, !tbaa !16
  br label %72

67:                                               ; preds = %52, %55, %59, %48
  %68 = load i64, ptr %30, align 8, !tbaa !23
  %69 = add i64 %68, 1
  store i64 %69, ptr %30, align 8, !tbaa !23
  %70 = add nuw nsw i32 %32, 1
  %71 = icmp eq i32 %70, 16
  br i1 %71, label %72, label %31, !llvm.loop !24

72:                                               ; preds = %67, %40, %63
  %73 = phi i32 [ 1, %40 ], [ 0, %63 ], [ -1, %67 ]
  ret i32 %73
}

; Function Attrs: mustprogress nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture) #3

; Function Attrs: mustprogress nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture) #3

; Function Attrs: nofree norecurse nounwind memory(argmem: read, inaccessiblemem: readwrite) uwtable
define dso_local i32 @table_count(ptr nocapture noundef readonly %0, double noundef %1, float noundef %2, i32 noundef %3) local_unnamed_addr #4 {
  %5 = alloca float, align 4
  %6 = fcmp oeq double %1, 0.000000e+00
  %7 = tail call double @llvm.canonicalize.f64(double %1)
  %8 = select i1 %6, double 0.000000e+00, double %7
  call void @llvm.lifetime.start.p0(i64 4, ptr nonnull %5)
  %9 = tail call float @llvm.canonicalize.f32(float %2)
  store volatile float %9, ptr %5, align 4, !tbaa !5
  %10 = load volatile float, ptr %5, align 4, !tbaa !5
  call void @llvm.lifetime.end.p0(i64 4, ptr nonnull %5)
  %11 = bitcast float %10 to i32
  %12 = zext i32 %3 to i64
  %13 = bitcast double %8 to i64
  %14 = zext i32 %11 to i64
  %15 = shl nuw nsw i64 %14, 17
  %16 = mul i64 %12, -7046029254386353131
  %17 = xor i64 %16, %15
  %18 = xor i64 %17, %13
  %19 = lshr i64 %18, 33
  %20 = xor i64 %19, %18
  %21 = mul i64 %20, -49064778989728563
  %22 = lshr i64 %21, 33
  %23 = xor i64 %22, %21
  %24 = mul i64 %23, -4265267296055464877
  %25 = lshr i64 %24, 33
  %26 = xor i64 %25, %24
  %27 = trunc i64 %26 to i32
  br label %28

28:                                               ; preds = %4, %55
  %29 = phi i32 [ 0, %4 ], [ %56, %55 ]
  %30 = add i32 %29, %27
  %31 = and i32 %30, 1023
  %32 = zext nneg i32 %31 to i64
  %33 = getelementptr inbounds [1024 x %struct.slot], ptr %0, i64 0, i64 %32
  %34 = getelementptr inbounds i8, ptr %33, i64 24
  %35 = load i32, ptr %34, align 8, !tbaa !9
  %36 = icmp eq i32 %35, 0
  br i1 %36, label %58, label %37

37:                                               ; preds = %28
  %38 = getelementptr inbounds i8, ptr %33, i64 20
  %39 = load i32, ptr %38, align 4, !tbaa !15
  %40 = icmp eq i32 %39, %27
  br i1 %40, label %41, label %55

41:                                               ; preds = %37
  %42 = load i64, ptr %33, align 8, !tbaa !20
  %43 = icmp eq i64 %42, %13
  br i1 %43, label %44, label %55

44:                                               ; preds = %41
  %45 = getelementptr inbounds i8, ptr %33, i64 8
  %46 = load i32, ptr %45, align 8, !tbaa !21
  %47 = icmp eq i32 %46, %11
  br i1 %47, label %48, label %55

48:                                               ; preds = %44
  %49 = getelementptr inbounds i8, ptr %33, i64 12
  %50 = load i32, ptr %49, align 4, !tbaa !22
  %51 = icmp eq i32 %50, %3
  br i1 %51, label %52, label %55

52:                                               ; preds = %48
  %53 = getelementptr inbounds i8, ptr %33, i64 16
  %54 = load i32, ptr %53, align 8, !tbaa !16
  br label %58

55:                                               ; preds = %41, %44, %48, %37
  %56 = add nuw nsw i32 %29, 1
  %57 = icmp eq i32 %56, 16
  br i1 %57, label %58, label %28, !llvm.loop !26

58:                                               ; preds = %28, %55, %52
  %59 = phi i32 [ %54, %52 ], [ 0, %55 ], [ 0, %28 ]
  ret i32 %59
}

; Function Attrs: nofree norecurse nosync nounwind memory(argmem: read) uwtable
define dso_local double @table_weighted_sum(ptr nocapture noundef readonly %0) local_unnamed_addr #5 {
  br label %3

2:                                                ; preds = %20
  ret double %21

3:                                                ; preds = %1, %20
  %4 = phi double [ 0.000000e+00, %1 ], [ %21, %20 ]
  %5 = phi i64 [ 0, %1 ], [ %22, %20 ]
  %6 = getelementptr inbounds [1024 x %struct.slot], ptr %0, i64 0, i64 %5
  %7 = getelementptr inbounds i8, ptr %6, i64 24
  %8 = load i32, ptr %7, align 8, !tbaa !9
  %9 = icmp eq i32 %8, 0
  br i1 %9, label %20, label %10

10:                                               ; preds = %3
  %11 = load double, ptr %6, align 8, !tbaa !27
  %12 = getelementptr inbounds i8, ptr %6, i64 8
  %13 = load float, ptr %12, align 8, !tbaa !28
  %14 = fpext float %13 to double
  %15 = fmul double %11, %14
  %16 = getelementptr inbounds i8, ptr %6, i64 16
  %17 = load i32, ptr %16, align 8, !tbaa !16
  %18 = uitofp i32 %17 to double
  %19 = tail call double @llvm.fmuladd.f64(double %15, double %18, double %4)
  br label %20

20:                                               ; preds = %10, %3
  %21 = phi double [ %19, %10 ], [ %4, %3 ]
  %22 = add nuw nsw i64 %5, 1
  %23 = icmp eq i64 %22, 1024
  br i1 %23, label %2, label %3, !llvm.loop !29
}

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare double @llvm.fmuladd.f64(double, double, double) #6

; Function Attrs: nofree norecurse nosync nounwind memory(argmem: readwrite) uwtable
define dso_local i64 @table_drop_tag(ptr nocapture noundef %0, i32 noundef %1) local_unnamed_addr #7 {
  br label %7

3:                                                ; preds = %33
  %4 = getelementptr inbounds i8, ptr %0, i64 32768
  %5 = load i64, ptr %4, align 8, !tbaa !17
  %6 = sub i64 %5, %34
  store i64 %6, ptr %4, align 8, !tbaa !17
  ret i64 %34

7:                                                ; preds = %33, %2
  %8 = phi i64 [ 0, %2 ], [ %34, %33 ]
  %9 = phi i64 [ 0, %2 ], [ %35, %33 ]
  %10 = getelementptr inbounds [1024 x %struct.slot], ptr %0, i64 0, i64 %9
  %11 = getelementptr inbounds i8, ptr %10, i64 24
  %12 = load i32, ptr %11, align 8, !tbaa !9
  %13 = icmp eq i32 %12, 0
  br i1 %13, label %20, label %14

14:                                               ; preds = %7
  %15 = getelementptr inbounds i8, ptr %10, i64 12
  %16 = load i32, ptr %15, align 4, !tbaa !30
  %17 = icmp eq i32 %16, %1
  br i1 %17, label %18, label %20

18:                                               ; preds = %14
  store i32 0, ptr %11, align 8, !tbaa !9
  %19 = add i64 %8, 1
  br label %20

20:                                               ; preds = %18, %14, %7
  %21 = phi i64 [ %19, %18 ], [ %8, %14 ], [ %8, %7 ]
  %22 = or disjoint i64 %9, 1
  %23 = getelementptr inbounds [1024 x %struct.slot], ptr %0, i64 0, i64 %22
  %24 = getelementptr inbounds i8, ptr %23, i64 24
  %25 = load i32, ptr %24, align 8, !tbaa !9
  %26 = icmp eq i32 %25, 0
  br i1 %26, label %33, label %27

27:                                               ; preds = %20
  %28 = getelementptr inbounds i8, ptr %23, i64 12
  %29 = load i32, ptr %28, align 4, !tbaa !30
  %30 = icmp eq i32 %29, %1
  br i1 %30, label %31, label %33

31:                                               ; preds = %27
  store i32 0, ptr %24, align 8, !tbaa !9
  %32 = add i64 %21, 1
  br label %33

33:                                               ; preds = %31, %27, %20
  %34 = phi i64 [ %32, %31 ], [ %21, %27 ], [ %21, %20 ]
  %35 = add nuw nsw i64 %9, 2
  %36 = icmp eq i64 %35, 1024
  br i1 %36, label %3, label %7, !llvm.loop !31
}

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare double @llvm.canonicalize.f64(double) #6

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare float @llvm.canonicalize.f32(float) #6

attributes #0 = { mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: write) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #1 = { mustprogress nocallback nofree nounwind willreturn memory(argmem: write) }
attributes #2 = { nofree norecurse nounwind memory(argmem: readwrite, inaccessiblemem: readwrite) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #3 = { mustprogress nocallback nofree nosync nounwind willreturn memory(argmem: readwrite) }
attributes #4 = { nofree norecurse nounwind memory(argmem: read, inaccessiblemem: readwrite) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #5 = { nofree norecurse nosync nounwind memory(argmem: read) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #6 = { mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #7 = { nofree norecurse nosync nounwind memory(argmem: readwrite) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }

!llvm.module.flags = !{!0, !1, !2, !3}
!llvm.ident = !{!4}

!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 8, !"PIC Level", i32 2}
!2 = !{i32 7, !"PIE Level", i32 2}
!3 = !{i32 7, !"uwtable", i32 2}
!4 = !{!"Debian clang version 19.1.7 (3~deb12u1)"}
!5 = !{!6, !6, i64 0}
!6 = !{!"float", !7, i64 0}
!7 = !{!"omnipotent char", !8, i64 0}
!8 = !{!"Simple C/C++ TBAA"}
!9 = !{!10, !13, i64 24}
!10 = !{!"slot", !11, i64 0, !13, i64 16, !13, i64 20, !13, i64 24}
!11 = !{!"sample_key", !12, i64 0, !6, i64 8, !13, i64 12}
!12 = !{!"double", !7, i64 0}
!13 = !{!"int", !7, i64 0}
!14 = !{!12, !12, i64 0}
!15 = !{!10, !13, i64 20}
!16 = !{!10, !13, i64 16}
!17 = !{!18, !19, i64 32768}
!18 = !{!"table", !7, i64 0, !19, i64 32768, !19, i64 32776}
!19 = !{!"long", !7, i64 0}
!20 = !{!11, !12, i64 0}
!21 = !{!11, !6, i64 8}
!22 = !{!11, !13, i64 12}
!23 = !{!18, !19, i64 32776}
!24 = distinct !{!24, !25}
!25 = !{!"llvm.loop.mustprogress"}
!26 = distinct !{!26, !25}
!27 = !{!10, !12, i64 0}
!28 = !{!10, !6, i64 8}
!29 = distinct !{!29, !25}
!30 = !{!10, !13, i64 12}
!31 = distinct !{!31, !25}
