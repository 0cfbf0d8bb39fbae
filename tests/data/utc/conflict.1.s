	.file	"<stdin>"
	.text
	.globl	f                               # -- Begin function f
	.p2align	4
	.type	f,@function
f:                                      # @f
# %bb.0:
	movl	%edi, %eax
	addl	$1, %eax
	shll	%eax
	retq
.Lfunc_end0:
	.size	f, .Lfunc_end0-f
                                        # -- End function
	.globl	g                               # -- Begin function g
	.p2align	4
	.type	g,@function
g:                                      # @g
# %bb.0:
	retq
.Lfunc_end1:
	.size	g, .Lfunc_end1-g
                                        # -- End function
	.section	".note.GNU-stack","",@progbits
