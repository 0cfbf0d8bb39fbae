int purgatory_sha_regions[] __attribute__((section(".")));
int a()
{
int *b = purgatory_sha_regions;
}
