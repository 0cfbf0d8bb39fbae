#include <stdio.h>
int a;
int c;
int e(int v) { return v < 0; }
int f() { return a ? 0 : 1; }
int h(int o) {
int p = 0;
if (o + 7)
p = f() - 2;
return e(p) + p + p;
}
void k( char p) { c = p; }
int main() {
k(h(0));
printf("penalty %d\n", c);
}
