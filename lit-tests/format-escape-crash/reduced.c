int printf(const char *, ...);
int a() {
int i = printf("status \x{} %s (%d)\n");
}
