/*
 * A kexec purgatory in one file: a trampoline written as a file-scope asm()
 * block and the digest check written in C. Built with -mcmodel=large -fno-pic,
 * clang 18 and later place C functions in .ltext while the asm block stays in
 * .text, so the object has two executable sections with contents and the
 * kernel's kexec_file loader warns about it ("purgatory has more than one
 * executable section"); clang 16 puts both in .text. Written for this project,
 * after Linux's arch/x86/purgatory (the founding kexec report of this tool).
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;

#define SECTION(name) __attribute__((section(name)))
#define DIGEST_WORDS 8
#define MAX_REGIONS 16

struct region {
	u64 start;
	u64 len;
};

struct trampoline_state {
	u64 entry;
	u64 stack;
	u64 boot_params;
};

struct region purgatory_regions[MAX_REGIONS] SECTION(".kexec-purgatory");
u32 purgatory_digest[DIGEST_WORDS] SECTION(".kexec-purgatory");
struct trampoline_state tramp SECTION(".kexec-purgatory");

int purgatory_main(void);

/* Entry: call the checker; on success jump to the next kernel. RIP-relative only. */
__asm__(
	".text\n"
	".globl purgatory_start\n"
	".type purgatory_start, @function\n"
	"purgatory_start:\n"
	"	movq tramp+8(%rip), %rsp\n"
	"	call purgatory_main\n"
	"	testl %eax, %eax\n"
	"	jnz 1f\n"
	"	movq tramp+16(%rip), %rsi\n"
	"	jmpq *tramp(%rip)\n"
	"1:	hlt\n"
	"	jmp 1b\n"
	".size purgatory_start, .-purgatory_start\n");

static u32 rotl(u32 x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

struct digest_ctx {
	u32 h[DIGEST_WORDS];
	u64 total;
};

static void digest_init(struct digest_ctx *c)
{
	for (int i = 0; i < DIGEST_WORDS; i++)
		c->h[i] = 0x6a09e667u ^ (u32)(i * 0x9e3779b9u);
	c->total = 0;
}

static void digest_update(struct digest_ctx *c, const u8 *p, u64 n)
{
	for (u64 i = 0; i < n; i++) {
		u32 w = c->h[i % DIGEST_WORDS] ^ p[i];
		c->h[i % DIGEST_WORDS] = rotl(w * 0x01000193u, 13) + c->h[(i + 3) % DIGEST_WORDS];
	}
	c->total += n;
}

static int digest_equal(const u32 *a, const u32 *b)
{
	u32 diff = 0;
	for (int i = 0; i < DIGEST_WORDS; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

static int verify_regions(void)
{
	struct digest_ctx c;
	digest_init(&c);
	for (int i = 0; i < MAX_REGIONS; i++) {
		const struct region *r = &purgatory_regions[i];
		if (!r->len)
			break;
		digest_update(&c, (const u8 *)r->start, r->len);
	}
	return digest_equal(c.h, purgatory_digest) ? 0 : 1;
}

int purgatory_main(void)
{
	if (!tramp.entry || !tramp.stack)
		return 2;
	return verify_regions();
}
