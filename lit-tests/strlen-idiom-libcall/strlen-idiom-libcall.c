// REQUIRES: x86-registered-target
// XFAIL: llvm-22
// RUN: %clang_cc1 -triple x86_64-unknown-linux-gnu -O2 -emit-llvm -o - %s | FileCheck %s

// clang 22's IR has strlen (its object: strlen is undefined (STT_NOTYPE, GLOBAL));
// clang 19's must not.
// CHECK-NOT: @strlen(
// CHECK: define
// CHECK-NOT: @strlen(

int a( char *s)
{
char *p = s;
while (*p)
p++;
return p - s;
}
