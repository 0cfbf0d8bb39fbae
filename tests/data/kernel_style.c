#include <stddef.h>
#include <stdint.h>
#define __section(s) __attribute__((section(s)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
struct kexec_sha_region { unsigned long start; unsigned long len; uint32_t flags; uint8_t pad[4]; };
struct kexec_sha_region purgatory_sha_regions[16] __section(".kexec-purgatory");
uint8_t purgatory_sha256_digest[32] __section(".kexec-purgatory");
static int report(const char *what, int code, size_t n)
{
	return what[0] + code + (int)n;
}
static int verify_sha256_digest(int verbose, uint32_t mask)
{
	struct kexec_sha_region *ptr, *end;
	size_t total = 0;
	end = purgatory_sha_regions + ARRAY_SIZE(purgatory_sha_regions);
	for (ptr = purgatory_sha_regions; ptr < end; ptr++) {
		if (ptr->flags & mask)
			total += ptr->len;
	}
	if (verbose)
		return report("digest", purgatory_sha256_digest[0], total);
	return 0;
}
int purgatory(void)
{
	return verify_sha256_digest(1, 0xff) + verify_sha256_digest(0, 1);
}
