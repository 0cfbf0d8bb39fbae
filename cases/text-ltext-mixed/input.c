/*
 * A purgatory-style image with its entry point written in assembly (which always lands
 * in .text) and its logic written in C.  Built with -mcmodel=large, LLVM 18 and later put
 * the C functions in .ltext, so the object has two executable sections.
 *
 * The loader fills in the register block and the setup data before starting entry64;
 * both live in .kexec-purgatory.  Another explicit-section global (the stack, in its own
 * section) is there too: only references to .kexec-purgatory symbols are of interest.
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;

#define PURGATORY_DATA __attribute__((section(".kexec-purgatory")))
#define STACK_SIZE 4096

struct entry64_regs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rip;
};

struct setup_header_min {
	u32 magic;
	u32 version;
	u64 cmdline_ptr;
	u64 initrd_start;
	u64 initrd_size;
};

struct entry64_regs entry64_regs PURGATORY_DATA;
struct setup_header_min purgatory_setup PURGATORY_DATA;
u8 purgatory_stack[STACK_SIZE] __attribute__((section(".bss.purgatory_stack"), aligned(16)));

void purgatory(void);

/*
 * Entry: switch to our own stack, run purgatory(), then load the register block the
 * loader prepared and jump to the new kernel.  Everything is RIP-relative here.
 */
__asm__(
	".text\n"
	".globl entry64\n"
	".type entry64, @function\n"
	"entry64:\n"
	"	leaq purgatory_stack+4096(%rip), %rsp\n"
	"	call purgatory\n"
	"	movq entry64_regs+0(%rip), %rax\n"
	"	movq entry64_regs+8(%rip), %rbx\n"
	"	movq entry64_regs+16(%rip), %rcx\n"
	"	movq entry64_regs+24(%rip), %rdx\n"
	"	movq entry64_regs+32(%rip), %rsi\n"
	"	movq entry64_regs+40(%rip), %rdi\n"
	"	movq entry64_regs+56(%rip), %rbp\n"
	"	movq entry64_regs+48(%rip), %rsp\n"
	"	jmpq *entry64_regs+128(%rip)\n"
	".size entry64, .-entry64\n");

/* Stack canary check, kept next to the entry code in .text on purpose. */
__attribute__((section(".text"))) int purgatory_stack_intact(void)
{
	return purgatory_stack[0] == 0 && purgatory_stack[1] == 0;
}

static void zero_bytes(void *p, u64 n)
{
	u8 *b = p;

	while (n--)
		*b++ = 0;
}

static int setup_is_sane(const struct setup_header_min *s)
{
	if (s->magic != 0x53726448u)	/* "HdrS" */
		return 0;
	if (s->version < 0x20c)
		return 0;
	if (s->initrd_size && !s->initrd_start)
		return 0;
	return 1;
}

static void scrub_stack_bottom(void)
{
	u8 *bottom = purgatory_stack;

	zero_bytes(bottom, 64);
}

void purgatory(void)
{
	struct setup_header_min *setup = &purgatory_setup;
	struct entry64_regs *regs;

	if (!purgatory_stack_intact())
		scrub_stack_bottom();

	if (!setup_is_sane(setup)) {
		/* Refuse to start a kernel with a corrupt header: spin here. */
		for (;;)
			__asm__ volatile("hlt");
	}

	regs = &entry64_regs;
	regs->rsi = (u64)setup;
	regs->rax = 0;
	regs->rbx = 0;
}
