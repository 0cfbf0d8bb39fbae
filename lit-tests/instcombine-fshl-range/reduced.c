#include <stdio.h>
int a;
int c;
int d(int v) { return v < 0; }
int e() { return a ? 0 : 1; }
int g(int n) {
int p = 0;
if (n + 7)
p = e() - 2;
return d(p) + p + p;
}
void j( char p) { c = p; }
int main() {
j(g(0));
printf("penalty %d\n", c);
}
