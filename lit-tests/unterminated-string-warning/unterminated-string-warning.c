// REQUIRES: x86-registered-target
// XFAIL: llvm-22
// RUN: %clang_cc1 -triple x86_64-unknown-linux-gnu -O2 -Wextra -verify -emit-obj -o %t %s

// The diagnostics the fixed clang prints for this file; a clang that prints others fails.
// The reduction kept what diag:\[-Wunterminated-string-initialization\] looks for.

struct b {
char c[4] // expected-warning {{expected ';' at end of declaration list}}
};
struct b a = {
"data"
};
