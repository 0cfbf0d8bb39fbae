int purgatory_setup __attribute__((section(".kexec-purgatory")));
int a()
{
int *b = &purgatory_setup;
}
