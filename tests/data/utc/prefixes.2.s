	.file	"<stdin>"
	.text
	.globl	nothing                         # -- Begin function nothing
	.p2align	4
	.type	nothing,@function
nothing:                                # @nothing
# %bb.0:
	retl
.Lfunc_end0:
	.size	nothing, .Lfunc_end0-nothing
                                        # -- End function
	.globl	load_add                        # -- Begin function load_add
	.p2align	4
	.type	load_add,@function
load_add:                               # @load_add
# %bb.0:
	movl	4(%esp), %eax
	movl	(%eax), %eax
	addl	8(%esp), %eax
	retl
.Lfunc_end1:
	.size	load_add, .Lfunc_end1-load_add
                                        # -- End function
	.globl	constant                        # -- Begin function constant
	.p2align	4
	.type	constant,@function
constant:                               # @constant
# %bb.0:
	movl	$42, %eax
	retl
.Lfunc_end2:
	.size	constant, .Lfunc_end2-constant
                                        # -- End function
	.section	".note.GNU-stack","",@progbits
