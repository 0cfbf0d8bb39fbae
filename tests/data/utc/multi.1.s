	.file	"<stdin>"
	.section	.rodata.cst8,"aM",@progbits,8
	.p2align	3, 0x0                          # -- Begin function add_constant
.LCPI0_0:
	.quad	0x3ff8000000000000              # double 1.5
	.text
	.globl	add_constant
	.p2align	4
	.type	add_constant,@function
add_constant:                           # @add_constant
# %bb.0:
	addsd	.LCPI0_0(%rip), %xmm0
	retq
.Lfunc_end0:
	.size	add_constant, .Lfunc_end0-add_constant
                                        # -- End function
	.globl	calls                           # -- Begin function calls
	.p2align	4
	.type	calls,@function
calls:                                  # @calls
	.cfi_startproc
# %bb.0:
	pushq	%rbx
	.cfi_def_cfa_offset 16
	.cfi_offset %rbx, -16
	movl	%edi, %ebx
	callq	callee@PLT
	movl	%ebx, %edi
	callq	callee@PLT
	popq	%rbx
	.cfi_def_cfa_offset 8
	retq
.Lfunc_end1:
	.size	calls, .Lfunc_end1-calls
	.cfi_endproc
                                        # -- End function
	.globl	select_max                      # -- Begin function select_max
	.p2align	4
	.type	select_max,@function
select_max:                             # @select_max
# %bb.0:
	movl	%esi, %eax
	cmpl	%esi, %edi
	cmovgl	%edi, %eax
	retq
.Lfunc_end2:
	.size	select_max, .Lfunc_end2-select_max
                                        # -- End function
	.section	".note.GNU-stack","",@progbits
