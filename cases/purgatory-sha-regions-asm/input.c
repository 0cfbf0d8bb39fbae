/* A kexec purgatory's digest check, shaped after arch/x86/purgatory/purgatory.c:
 * the loader patches purgatory_sha_regions[] and purgatory_sha256_digest[] in place
 * before jumping here, so both live in the purgatory's own section. */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;

#define __section(s) __attribute__((section(s)))
#define SHA256_DIGEST_SIZE 32
#define KEXEC_SEGMENT_MAX 16

struct kexec_sha_region {
	unsigned long start;
	unsigned long len;
};

struct sha256_state {
	u32 state[8];
	u64 count;
	u8 buf[64];
};

u8 purgatory_sha256_digest[SHA256_DIGEST_SIZE] __section(".kexec-purgatory");
struct kexec_sha_region purgatory_sha_regions[KEXEC_SEGMENT_MAX] __section(".kexec-purgatory");

static void sha256_init(struct sha256_state *s)
{
	s->state[0] = 0x6a09e667; s->state[1] = 0xbb67ae85;
	s->state[2] = 0x3c6ef372; s->state[3] = 0xa54ff53a;
	s->state[4] = 0x510e527f; s->state[5] = 0x9b05688c;
	s->state[6] = 0x1f83d9ab; s->state[7] = 0x5be0cd19;
	s->count = 0;
}

static void sha256_update(struct sha256_state *s, const u8 *data, unsigned long len)
{
	unsigned long i;

	for (i = 0; i < len; i++) {
		s->buf[s->count & 63] = data[i];
		s->count++;
		if ((s->count & 63) == 0)
			s->state[s->count & 7] ^= s->buf[0] | (u32)s->buf[63] << 24;
	}
}

static void sha256_final(struct sha256_state *s, u8 *out)
{
	int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		out[i] = (u8)(s->state[i / 4] >> ((i % 4) * 8));
}

static int memcmp_digest(const u8 *a, const u8 *b)
{
	int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		if (a[i] != b[i])
			return a[i] - b[i];
	return 0;
}

static int verify_sha256_digest(void)
{
	struct kexec_sha_region *ptr, *end;
	u8 digest[SHA256_DIGEST_SIZE];
	struct sha256_state sctx;

	sha256_init(&sctx);
	end = purgatory_sha_regions + KEXEC_SEGMENT_MAX;

	for (ptr = purgatory_sha_regions; ptr < end; ptr++)
		sha256_update(&sctx, (u8 *)(ptr->start), ptr->len);

	sha256_final(&sctx, digest);

	if (memcmp_digest(digest, purgatory_sha256_digest))
		return 1;

	return 0;
}

void purgatory(void)
{
	int ret;

	ret = verify_sha256_digest();
	if (ret) {
		/* loop forever */
		for (;;)
			;
	}
}
