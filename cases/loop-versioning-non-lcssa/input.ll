; A scaling copy that also reports the element count and the last value written.
; (Hand-written; shaped like IR after mem2reg and loop-simplify, but not LCSSA.)
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%struct.stats = type { i64, i32 }

define i64 @scale_copy(ptr %dst, ptr %src, i64 %n, i32 %k, ptr %stats) {
entry:
  %empty = icmp eq i64 %n, 0
  br i1 %empty, label %out, label %loop.ph

loop.ph:
  br label %loop

loop:
  %i = phi i64 [ 0, %loop.ph ], [ %i.next, %loop ]
  %src.i = getelementptr inbounds i32, ptr %src, i64 %i
  %v = load i32, ptr %src.i, align 4
  %scaled = mul nsw i32 %v, %k
  %dst.i = getelementptr inbounds i32, ptr %dst, i64 %i
  store i32 %scaled, ptr %dst.i, align 4
  %i.next = add nuw nsw i64 %i, 1
  %more = icmp ult i64 %i.next, %n
  br i1 %more, label %loop, label %loop.exit

loop.exit:
  %count = phi i64 [ %i.next, %loop ]
  %last = phi i32 [ %scaled, %loop ]
  %last.slot = getelementptr inbounds %struct.stats, ptr %stats, i64 0, i32 1
  store i32 %scaled, ptr %last.slot, align 8
  %last.wide = sext i32 %last to i64
  %sum = add i64 %count, %last.wide
  br label %out

out:
  %res = phi i64 [ 0, %entry ], [ %sum, %loop.exit ]
  store i64 %res, ptr %stats, align 8
  ret i64 %res
}

define i32 @sum(ptr %p, i64 %n) {
entry:
  br label %loop

loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %loop ]
  %p.i = getelementptr inbounds i32, ptr %p, i64 %i
  %x = load i32, ptr %p.i, align 4
  %acc.next = add i32 %acc, %x
  %i.next = add nuw nsw i64 %i, 1
  %more = icmp ult i64 %i.next, %n
  br i1 %more, label %loop, label %exit

exit:
  %acc.lcssa = phi i32 [ %acc.next, %loop ]
  ret i32 %acc.lcssa
}

define void @fill(ptr %dst, i64 %n, i32 %value) {
entry:
  %empty = icmp eq i64 %n, 0
  br i1 %empty, label %exit, label %loop

loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %dst.i = getelementptr inbounds i32, ptr %dst, i64 %i
  store i32 %value, ptr %dst.i, align 4
  %i.next = add nuw nsw i64 %i, 1
  %more = icmp ult i64 %i.next, %n
  br i1 %more, label %loop, label %exit

exit:
  ret void
}

define i32 @max_index(ptr %p, i64 %n) {
entry:
  %first = load i32, ptr %p, align 4
  br label %loop

loop:
  %i = phi i64 [ 1, %entry ], [ %i.next, %loop ]
  %best = phi i32 [ %first, %entry ], [ %best.next, %loop ]
  %at = phi i64 [ 0, %entry ], [ %at.next, %loop ]
  %p.i = getelementptr inbounds i32, ptr %p, i64 %i
  %x = load i32, ptr %p.i, align 4
  %greater = icmp sgt i32 %x, %best
  %best.next = select i1 %greater, i32 %x, i32 %best
  %at.next = select i1 %greater, i64 %i, i64 %at
  %i.next = add nuw nsw i64 %i, 1
  %more = icmp ult i64 %i.next, %n
  br i1 %more, label %loop, label %exit

exit:
  %at.lcssa = phi i64 [ %at.next, %loop ]
  %res = trunc i64 %at.lcssa to i32
  ret i32 %res
}
