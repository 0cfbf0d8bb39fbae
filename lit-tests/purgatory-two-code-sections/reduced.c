__asm__(
"	jmpq *tramp(%rip)\n"
);
int a()
{}
