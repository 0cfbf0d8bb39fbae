#include <stdio.h>
int a;
int b;
int c(int e) {
int p = 0;
if (e + 7)
p = (a ? 0 : 1) - 2;
return (p < 0) + p + p;
}
void d( char p) { b = p; }
int main() {
d(c(0));
printf("penalty %d\n", b);
}
