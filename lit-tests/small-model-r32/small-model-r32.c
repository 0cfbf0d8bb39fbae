// REQUIRES: x86-registered-target
// RUN: %clang_cc1 -triple x86_64-unknown-linux-gnu -mrelocation-model static -O2 -emit-obj -o - %s | llvm-readobj -r - | FileCheck %s

// Code addresses early_log_buf with R_X86_64_32, which is correct here
// (small code model, static relocation model, -O2).
// CHECK:     R_X86_64_32 early_log_buf 0x

int early_log_buf[];
int a();
int b()
{
a(early_log_buf);
}
