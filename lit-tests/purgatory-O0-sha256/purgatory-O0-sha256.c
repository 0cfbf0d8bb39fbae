// REQUIRES: x86-registered-target
// XFAIL: llvm-18, llvm-19, llvm-20, llvm-21
// RUN: %clang_cc1 -triple x86_64-unknown-linux-gnu -mrelocation-model static -mcmodel=large -O0 -emit-obj -o - %s | llvm-readobj -r - | FileCheck %s

// Code must address purgatory_sha_regions with R_X86_64_64,
// not R_X86_64_32S (large code model, static relocation model, -O0).
// Downstream regression test (object checks): the bug is in the backend, upstream gets the .ll test.
// CHECK-NOT: R_X86_64_32S purgatory_sha_regions 0x
// CHECK:     R_X86_64_64 purgatory_sha_regions 0x
// CHECK-NOT: R_X86_64_32S purgatory_sha_regions 0x

int purgatory_sha_regions[] __attribute__((section(".kexec-purgatory")));
int a()
{
int *c = purgatory_sha_regions;
}
