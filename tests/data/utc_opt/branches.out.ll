; ModuleID = '/tmp/mc-wt/t1.ll'
source_filename = "/tmp/mc-wt/t1.ll"

define i32 @src(i1 %c, ptr %p) {
entry:
  br i1 %c, label %a, label %b

a:                                                ; preds = %entry
  store i32 -1, ptr %p, align 4
  br label %b

b:                                                ; preds = %a, %entry
  %r = phi i32 [ 0, %entry ], [ -1, %a ]
  ret i32 %r
}

; Function Attrs: nounwind
define void @g(i32 %0) #0 {
  ret void
}

; Function Attrs: nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none)
declare i32 @llvm.fshl.i32(i32, i32, i32) #1

attributes #0 = { nounwind }
attributes #1 = { nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none) }
