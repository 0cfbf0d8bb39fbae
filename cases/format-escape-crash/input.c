typedef unsigned long size_t;
int printf(const char *, ...);
struct entry { const char *name; int code; };
static const struct entry table[] = { {"ok", 0}, {"warn", 1}, {"fail", 2} };
void report(int code) {
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i].code == code)
      printf("status \x{} %s (%d)\n", table[i].name, code);
}
