int purgatory_setup __attribute__((section(".kexec-purgatory")));
void a()
{
int *b = &purgatory_setup;
}
