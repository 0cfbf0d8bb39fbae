__asm__(
"	movq tramp+16(%rip), %rsi\n"
);
int a()
{}
