#include <stdio.h>
int b = 5;
int a() {
unsigned f = 1u << b;
return f * 37.5L;
}
char *e = "";
int main() {
long g = a();
printf("%-8s %6ld ml\n", e, g);
}
