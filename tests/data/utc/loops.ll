; RUN: llc < %s -mtriple=x86_64-unknown-linux-gnu -O2 | FileCheck %s

define i64 @sum_until_negative(ptr %p, i64 %n) nounwind {
entry:
  %empty = icmp eq i64 %n, 0
  br i1 %empty, label %done, label %loop

loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %next ]
  %acc = phi i64 [ 0, %entry ], [ %acc.next, %next ]
  %addr = getelementptr inbounds i64, ptr %p, i64 %i
  %x = load i64, ptr %addr, align 8
  %neg = icmp slt i64 %x, 0
  br i1 %neg, label %done, label %next

next:
  %acc.next = add i64 %acc, %x
  %i.next = add nuw i64 %i, 1
  %more = icmp ult i64 %i.next, %n
  br i1 %more, label %loop, label %done

done:
  %r = phi i64 [ 0, %entry ], [ %acc, %loop ], [ %acc.next, %next ]
  ret i64 %r
}
