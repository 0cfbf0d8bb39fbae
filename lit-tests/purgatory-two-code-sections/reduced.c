__asm__(
"	movq tramp+8(%rip), %rsp\n"
);
int a()
{}
