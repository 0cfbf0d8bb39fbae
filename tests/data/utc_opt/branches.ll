; RUN: opt < %s -passes=instcombine -S | FileCheck %s

define i32 @src(i1 %c, ptr %p) {
entry:
  %zext = zext i1 %c to i32
  %or = or disjoint i32 %zext, -2
  %fshl = call range(i32 -4, 2) i32 @llvm.fshl.i32(i32 %or, i32 %or, i32 1)
  %tr = trunc nsw i32 %fshl to i8
  %res = sext i8 %tr to i32
  br i1 %c, label %a, label %b
a:
  store i32 %res, ptr %p
  br label %b
b:
  %r = phi i32 [ 0, %entry ], [ %res, %a ]
  ret i32 %r
}

define void @g(i32 %0) #0 {
  ret void
}
attributes #0 = { nounwind }
