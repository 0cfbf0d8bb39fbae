// REQUIRES: x86-registered-target
// XFAIL: llvm-19
// RUN: %clang_cc1 -triple x86_64-unknown-linux-gnu -O2 -verify -emit-obj -o %t %s

// The diagnostics the fixed clang prints for this file; a clang that prints others fails.
// The reduction kept what diag:\[-Wformat-truncation\] looks for.

typedef long unsigned int size_t;

extern int snprintf (char *__restrict __s, size_t __maxlen,
       const char *__restrict __format, ...)
     __attribute__ ((__nothrow__)) __attribute__ ((__format__ (__printf__, 3, 4)));

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

// expected-no-diagnostics
