	.file	"<stdin>"
	.text
	.globl	sum_until_negative              # -- Begin function sum_until_negative
	.p2align	4
	.type	sum_until_negative,@function
sum_until_negative:                     # @sum_until_negative
# %bb.0:                                # %entry
	xorl	%eax, %eax
	testq	%rsi, %rsi
	je	.LBB0_4
# %bb.1:                                # %loop.preheader
	xorl	%ecx, %ecx
	.p2align	4
.LBB0_2:                                # %loop
                                        # =>This Inner Loop Header: Depth=1
	movq	(%rdi,%rcx,8), %rdx
	testq	%rdx, %rdx
	js	.LBB0_4
# %bb.3:                                # %next
                                        #   in Loop: Header=BB0_2 Depth=1
	addq	%rdx, %rax
	incq	%rcx
	cmpq	%rsi, %rcx
	jb	.LBB0_2
.LBB0_4:                                # %done
	retq
.Lfunc_end0:
	.size	sum_until_negative, .Lfunc_end0-sum_until_negative
                                        # -- End function
	.section	".note.GNU-stack","",@progbits
