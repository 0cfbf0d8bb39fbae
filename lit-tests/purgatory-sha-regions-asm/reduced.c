int purgatory_sha_regions[] __attribute__((section(".kexec-purgatory")));
int a()
{
int *c = purgatory_sha_regions;
}
