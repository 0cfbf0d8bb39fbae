#include <stdio.h>
double c(int v, double f, double e)
{
if (f)
return e;
return v;
}
void a(char d[], int b)
{
snprintf(d, 6 + 1, "%+6.1f", c(b, 99.9, 99.9));
}
