/*
 * A freestanding kexec-purgatory-like program, written for the reducer's test cases.
 *
 * Purgatory runs between two kernels: the old kernel copies it (and the new kernel's
 * segments) into memory, jumps to purgatory(), which saves the memory the new kernel will
 * clobber into a backup area, checks that every loaded segment still hashes to the
 * SHA-256 digest recorded at load time, and only then lets the new kernel start.
 *
 * The loader patches purgatory_sha_regions[] and purgatory_sha256_digest[] through the
 * symbol table before running it, which is why they live in their own section.  The
 * purgatory image may be placed above 4 GiB, so every absolute reference to those
 * symbols must be 64 bits wide; built with -mcmodel=large -fno-pic this holds for
 * every compiler that honours the code model.
 *
 * No system headers: build with --target=x86_64-linux-gnu -ffreestanding or similar.
 */

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long size_t;
typedef long ssize_t;

#define NULL ((void *)0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PURGATORY_SECTION __attribute__((section(".kexec-purgatory")))
#define KEXEC_SEGMENT_MAX 16
#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

/* ------------------------------------------------------------------ */
/* Tiny library: the purgatory cannot call into either kernel.         */
/* ------------------------------------------------------------------ */

static void *purg_memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

static void *purg_memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	while (n--)
		*d++ = (u8)c;
	return dst;
}

static int purg_memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Debug output on the first serial port, polled.                      */
/* ------------------------------------------------------------------ */

#define SERIAL_BASE 0x3f8
#define SERIAL_LSR 5
#define SERIAL_LSR_THRE 0x20

static inline void port_out8(u16 port, u8 value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline u8 port_in8(u16 port)
{
	u8 value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static int serial_enabled;

static void serial_putc(char c)
{
	unsigned int spins = 0;

	if (!serial_enabled)
		return;
	while (!(port_in8(SERIAL_BASE + SERIAL_LSR) & SERIAL_LSR_THRE) && spins < 100000)
		spins++;
	port_out8(SERIAL_BASE, (u8)c);
}

static void serial_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s);
	}
}

static void serial_puthex(u64 v)
{
	static const char digits[] = "0123456789abcdef";
	int shift;

	serial_puts("0x");
	for (shift = 60; shift >= 0; shift -= 4)
		serial_putc(digits[(v >> shift) & 0xf]);
}

/* ------------------------------------------------------------------ */
/* SHA-256 (FIPS 180-4).                                               */
/* ------------------------------------------------------------------ */

struct sha256_state {
	u32 h[8];
	u64 bytes;		/* total message length in bytes */
	u8 block[SHA256_BLOCK_SIZE];
	unsigned int fill;	/* bytes waiting in block[] */
};

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const u32 sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* First 32 bits of the fractional parts of the square roots of the first 8 primes. */
static const u32 sha256_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline u32 ror32(u32 x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline u32 load_be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | (u32)p[3];
}

static inline void store_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static void sha256_compress(u32 h[8], const u8 *block)
{
	u32 w[64];
	u32 a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(block + 4 * i);
	for (i = 16; i < 64; i++) {
		u32 s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		u32 s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}

	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];

	for (i = 0; i < 64; i++) {
		u32 sig1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
		u32 ch = (e & f) ^ (~e & g);
		u32 sig0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
		u32 maj = (a & b) ^ (a & c) ^ (b & c);

		t1 = hh + sig1 + ch + sha256_k[i] + w[i];
		t2 = sig0 + maj;
		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}

	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;

	/* Do not leave the message schedule on the stack. */
	purg_memset(w, 0, sizeof(w));
}

void sha256_init(struct sha256_state *st)
{
	purg_memcpy(st->h, sha256_iv, sizeof(st->h));
	st->bytes = 0;
	st->fill = 0;
}

void sha256_update(struct sha256_state *st, const void *data, size_t len)
{
	const u8 *p = data;

	st->bytes += len;
	if (st->fill) {
		size_t take = SHA256_BLOCK_SIZE - st->fill;

		if (take > len)
			take = len;
		purg_memcpy(st->block + st->fill, p, take);
		st->fill += (unsigned int)take;
		p += take;
		len -= take;
		if (st->fill < SHA256_BLOCK_SIZE)
			return;
		sha256_compress(st->h, st->block);
		st->fill = 0;
	}
	while (len >= SHA256_BLOCK_SIZE) {
		sha256_compress(st->h, p);
		p += SHA256_BLOCK_SIZE;
		len -= SHA256_BLOCK_SIZE;
	}
	if (len) {
		purg_memcpy(st->block, p, len);
		st->fill = (unsigned int)len;
	}
}

void sha256_final(struct sha256_state *st, u8 out[SHA256_DIGEST_SIZE])
{
	u64 bits = st->bytes * 8;
	unsigned int i;

	st->block[st->fill++] = 0x80;
	if (st->fill > SHA256_BLOCK_SIZE - 8) {
		purg_memset(st->block + st->fill, 0, SHA256_BLOCK_SIZE - st->fill);
		sha256_compress(st->h, st->block);
		st->fill = 0;
	}
	purg_memset(st->block + st->fill, 0, SHA256_BLOCK_SIZE - 8 - st->fill);
	store_be32(st->block + 56, (u32)(bits >> 32));
	store_be32(st->block + 60, (u32)bits);
	sha256_compress(st->h, st->block);

	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, st->h[i]);
	purg_memset(st, 0, sizeof(*st));
}

/* ------------------------------------------------------------------ */
/* Data the loader fills in before jumping to purgatory().             */
/* ------------------------------------------------------------------ */

struct kexec_sha_region {
	unsigned long start;
	unsigned long len;
};

struct kexec_sha_region purgatory_sha_regions[KEXEC_SEGMENT_MAX] PURGATORY_SECTION;
u8 purgatory_sha256_digest[SHA256_DIGEST_SIZE] PURGATORY_SECTION;

/* Memory below 640 KiB that the new kernel may overwrite is saved here first. */
unsigned long purgatory_backup_dest PURGATORY_SECTION;
unsigned long purgatory_backup_src PURGATORY_SECTION;
unsigned long purgatory_backup_sz PURGATORY_SECTION;

/* Set by the loader when the command line asked for early serial output. */
u8 purgatory_serial_debug PURGATORY_SECTION;

static int copy_backup_region(void)
{
	u8 *dst = (u8 *)purgatory_backup_dest;
	const u8 *src = (const u8 *)purgatory_backup_src;
	unsigned long left = purgatory_backup_sz;

	if (!purgatory_backup_dest)
		return 0;
	if (dst < src + left && src < dst + left)
		return -1;	/* overlapping areas: the loader made a mistake */

	while (left >= sizeof(u64)) {
		*(u64 *)dst = *(const u64 *)src;
		dst += sizeof(u64);
		src += sizeof(u64);
		left -= sizeof(u64);
	}
	while (left--)
		*dst++ = *src++;
	return 0;
}

static void report_region(const char *what, const struct kexec_sha_region *r)
{
	serial_puts(what);
	serial_puthex(r->start);
	serial_puts(" + ");
	serial_puthex(r->len);
	serial_puts("\n");
}

int verify_sha256_digest(void)
{
	struct kexec_sha_region *ptr, *end;
	u8 digest[SHA256_DIGEST_SIZE];
	struct sha256_state sctx;

	sha256_init(&sctx);
	end = purgatory_sha_regions + ARRAY_SIZE(purgatory_sha_regions);

	for (ptr = purgatory_sha_regions; ptr < end; ptr++) {
		if (!ptr->len)
			continue;
		report_region("hashing ", ptr);
		sha256_update(&sctx, (const u8 *)ptr->start, ptr->len);
	}

	sha256_final(&sctx, digest);

	if (purg_memcmp(digest, purgatory_sha256_digest, sizeof(digest)) != 0) {
		serial_puts("purgatory: sha256 digest mismatch\n");
		return 1;
	}
	return 0;
}

static void __attribute__((noreturn)) halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void purgatory(void)
{
	int ret;

	serial_enabled = purgatory_serial_debug != 0;
	serial_puts("purgatory: entered\n");

	ret = copy_backup_region();
	if (ret) {
		serial_puts("purgatory: bad backup region\n");
		halt_forever();
	}

	ret = verify_sha256_digest();
	if (ret) {
		/* loop forever: the new kernel's image is corrupt */
		halt_forever();
	}
	serial_puts("purgatory: jumping to the new kernel\n");
}
