; ModuleID = 't2.ll'
source_filename = "t2.ll"

define void @single_loop(ptr noalias %dst, i32 %n) {
entry:
  br label %loop

loop:                                             ; preds = %loop, %entry
  %pA = phi ptr [ %dst, %entry ], [ %pA.next, %loop ]
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  store float 2.000000e+00, ptr %pA, align 4
  %pA.next = getelementptr inbounds nuw i8, ptr %pA, i64 8
  %i.next = add nuw i32 %i, 1
  %cmp = icmp ult i32 %i.next, %n
  br i1 %cmp, label %loop, label %exit

exit:                                             ; preds = %loop
  ret void
}
