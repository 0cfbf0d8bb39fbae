	.file	"<stdin>"
	.text
	.globl	store_and_add                   # -- Begin function store_and_add
	.p2align	4
	.type	store_and_add,@function
store_and_add:                          # @store_and_add
# %bb.0:                                # %entry
	movl	%esi, %eax
	movl	%edi, -4(%rsp)
	addl	-4(%rsp), %eax
	retq
.Lfunc_end0:
	.size	store_and_add, .Lfunc_end0-store_and_add
                                        # -- End function
	.section	".note.GNU-stack","",@progbits
