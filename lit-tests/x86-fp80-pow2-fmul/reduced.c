#include <stdio.h>
struct e {
char *h;
int c
};
struct e d[] = {
"", 5
};
int b( struct e *g) {
unsigned j = 1u << g->c;
return j * 37.5L;
}
int main() {
int i = 0;
long k = b(&d[i]);
printf("%-8s %6ld ml\n", d[i].h, k);
}
