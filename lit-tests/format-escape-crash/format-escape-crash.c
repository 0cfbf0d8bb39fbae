// XFAIL: llvm-16, llvm-19
// RUN: %clang_cc1 -triple x86_64-pc-linux-gnu -fsyntax-only -verify %s

// clang 19 crashes on this invalid code (crash: killed by SIGSEGV; in: in compound statement ('{}'));
// clang 22 reports the errors below instead.

int printf(const char *, ...);
int a() {
int i = printf("status \x{} %s (%d)\n"); // expected-error {{delimited escape sequence cannot be empty}}
}
