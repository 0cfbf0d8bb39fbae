"""A small kernel-like build tree for the intake tests and the benchmark.

It is built the way Linux builds x86's kexec purgatory, cut down: compiled from the top of
the tree with Kbuild-style flags (depfiles through ``-Wp,-MMD``, ``-nostdinc``,
``-I./include``, ``-include`` of a config header, 40-odd flags in all), the purgatory's own
flags appended last (``-mcmodel=large -fno-pic -O0`` after the tree-wide
``-mcmodel=kernel -O2``), and a Kbuild-format ``.o.cmd`` written next to each object by
the Makefile with Kbuild's escaping. ``purgatory.c`` shows the live clang-19 bug: at -O0
in the large code model without PIC, the address of ``purgatory_sha_regions`` (in
``.kexec-purgatory``) is stored to memory with an R_X86_64_32S relocation.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

PURGATORY = "arch/x86/purgatory/purgatory.c"
SETUP = "arch/x86/purgatory/setup.c"

FILES: dict[str, str] = {
    "include/generated/autoconf.h": """\
#define CONFIG_X86_64 1
#define CONFIG_KEXEC_FILE 1
#define CONFIG_CRYPTO_SHA256 1
#define CONFIG_NR_CPUS 64
""",
    "include/linux/kconfig.h": """\
#ifndef _LINUX_KCONFIG_H
#define _LINUX_KCONFIG_H
#include <generated/autoconf.h>
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)
#endif
""",
    "include/linux/compiler_types.h": """\
#ifndef __LINUX_COMPILER_TYPES_H
#define __LINUX_COMPILER_TYPES_H
#define __section(section) __attribute__((__section__(section)))
#define __always_inline inline __attribute__((__always_inline__))
#define __noreturn __attribute__((__noreturn__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define noinline __attribute__((__noinline__))
#endif
""",
    "include/linux/types.h": """\
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H
#include <linux/compiler_types.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned char uint8_t;
typedef unsigned long size_t;
typedef long ssize_t;
typedef _Bool bool;
#define NULL ((void *)0)
#define true 1
#define false 0
#endif
""",
    "include/linux/kernel.h": """\
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H
#include <linux/types.h>
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define min(a, b) ((a) < (b) ? (a) : (b))
#endif
""",
    "include/linux/string.h": """\
#pragma once
#include <linux/types.h>
void *memcpy(void *dst, const void *src, size_t len);
void *memset(void *dst, int c, size_t len);
int memcmp(const void *a, const void *b, size_t len);
size_t strlen(const char *s);
""",
    "include/linux/kexec.h": """\
#ifndef LINUX_KEXEC_H
#define LINUX_KEXEC_H
#include <linux/types.h>
#define KEXEC_SEGMENT_MAX 16
struct kexec_sha_region {
	unsigned long start;
	unsigned long len;
};
struct kexec_segment {
	void *buf;
	size_t bufsz;
	unsigned long mem;
	size_t memsz;
};
#endif
""",
    "include/crypto/sha2.h": """\
#ifndef _CRYPTO_SHA2_H
#define _CRYPTO_SHA2_H
#include <linux/types.h>
#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64
struct sha256_state {
	u32 state[SHA256_DIGEST_SIZE / 4];
	u64 count;
	u8 buf[SHA256_BLOCK_SIZE];
};
void sha256_init(struct sha256_state *sctx);
void sha256_update(struct sha256_state *sctx, const u8 *data, unsigned int len);
void sha256_final(struct sha256_state *sctx, u8 *out);
#endif
""",
    "arch/x86/include/asm/purgatory.h": """\
#ifndef _ASM_X86_PURGATORY_H
#define _ASM_X86_PURGATORY_H
#include <linux/compiler_types.h>
extern void purgatory(void);
extern unsigned long purgatory_backup_dest;
#endif
""",
    "arch/x86/purgatory/purgatory_local.h": """\
#ifndef PURGATORY_LOCAL_H
#define PURGATORY_LOCAL_H
/* Quoted include, found next to the source. */
void copy_backup_region(void);
#define PURGATORY_LOOP_FOREVER() do { for (;;) ; } while (0)
#endif
""",
    PURGATORY: """\
// SPDX-License-Identifier: GPL-2.0-only
/*
 * purgatory: Runs between two kernels (a cut-down copy of arch/x86/purgatory).
 */
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/string.h>
#include <linux/kexec.h>
#include <crypto/sha2.h>
#include <asm/purgatory.h>
#include "purgatory_local.h"

u8 purgatory_sha256_digest[SHA256_DIGEST_SIZE] __section(".kexec-purgatory");

struct kexec_sha_region purgatory_sha_regions[KEXEC_SEGMENT_MAX] __section(".kexec-purgatory");

unsigned long purgatory_backup_dest __section(".kexec-purgatory");

static int verify_sha256_digest(void)
{
	struct kexec_sha_region *ptr, *end;
	u8 digest[SHA256_DIGEST_SIZE];
	struct sha256_state sctx;

	sha256_init(&sctx);
	end = purgatory_sha_regions + ARRAY_SIZE(purgatory_sha_regions);

	for (ptr = purgatory_sha_regions; ptr < end; ptr++)
		sha256_update(&sctx, (uint8_t *)(ptr->start), ptr->len);

	sha256_final(&sctx, digest);

	if (memcmp(digest, purgatory_sha256_digest, sizeof(digest)))
		return 1;

	return 0;
}

void purgatory(void)
{
	int ret;

	ret = verify_sha256_digest();
	if (ret) {
		/* loop forever */
		PURGATORY_LOOP_FOREVER();
	}
#if IS_ENABLED(CONFIG_KEXEC_FILE)
	copy_backup_region();
#endif
}
""",
    SETUP: """\
#include <linux/types.h>
#include <asm/purgatory.h>
unsigned long purgatory_backup_dest;
void copy_backup_region(void) {}
""",
    # Kbuild's escaping in a .o.cmd: `$` doubled for make, single quotes for the shell.
    "Makefile": """\
CC := clang-19
squote := '
escsq = $(subst $(squote),'\\$(squote)',$1)
make-cmd = $(call escsq,$(subst $$,$$$$,$1))

KBUILD_CFLAGS := -nostdinc -I./arch/x86/include -I./arch/x86/include/generated -I./include \\
	-include ./include/linux/kconfig.h -D__KERNEL__ --target=x86_64-linux-gnu \\
	-std=gnu11 -fshort-wchar -funsigned-char -fno-common -fno-PIE -fno-strict-aliasing \\
	-mno-sse -mno-mmx -mno-sse2 -mno-3dnow -mno-avx -mno-80387 -mstack-alignment=8 \\
	-mskip-rax-setup -mtune=generic -mno-red-zone -mcmodel=kernel -Wall -Wundef \\
	-Werror=strict-prototypes -Wno-trigraphs -Werror=implicit-function-declaration \\
	-Werror=implicit-int -Werror=return-type -Wno-format-security -funsigned-char \\
	-fno-delete-null-pointer-checks -O2 -fstack-protector-strong -fomit-frame-pointer \\
	-g -gdwarf-5 -fno-asynchronous-unwind-tables -ftrivial-auto-var-init=zero \\
	-fno-stack-clash-protection -Wdeclaration-after-statement -Wvla -Wno-pointer-sign

PURGATORY_CFLAGS := -mcmodel=large -ffreestanding -fno-zero-initialized-in-bss -g0 \\
	-fno-stack-protector -fno-pic -O0 -DDISABLE_BRANCH_PROFILING

c_flags = -Wp,-MMD,$(@D)/.$(@F).d $(KBUILD_CFLAGS) $(PURGATORY_CFLAGS) \\
	-DKBUILD_MODFILE='"$(basename $@)"' -DKBUILD_BASENAME='"$(basename $(@F))"' \\
	-DKBUILD_MODNAME='"purgatory"' -D__KBUILD_MODNAME=kmod_purgatory

cmd_cc_o_c = $(CC) $(c_flags) -c -o $@ $<

all: arch/x86/purgatory/purgatory.o arch/x86/purgatory/setup.o

%.o: %.c
	$(cmd_cc_o_c)
	@printf '%s\\n' 'savedcmd_$@ := $(call make-cmd,$(cmd_cc_o_c))' > $(@D)/.$(@F).cmd

clean:
	rm -f arch/x86/purgatory/*.o arch/x86/purgatory/.*.cmd arch/x86/purgatory/.*.d
""",
}


def write_tree(top: Path) -> Path:
    """The sources and the Makefile under ``top`` (not built)."""
    for name, text in FILES.items():
        path = top / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return top


def build_tree(top: Path) -> subprocess.CompletedProcess[str]:
    """``bear -- make`` in ``top``: the objects, their .o.cmd files, compile_commands.json."""
    return subprocess.run(
        ["bear", "--", "make", "-s"], cwd=top, capture_output=True, text=True, check=True
    )


def make_command(top: Path) -> list[str]:
    """The purgatory's compile command as ``make V=1`` prints it, split as a shell would."""
    result = subprocess.run(
        ["make", "-n", "-B", "arch/x86/purgatory/purgatory.o"],
        cwd=top,
        capture_output=True,
        text=True,
        check=True,
    )
    import shlex

    line = next(line for line in result.stdout.splitlines() if line.startswith("clang"))
    return shlex.split(line)


def tree_digest(top: Path) -> dict[str, str]:
    """Every file under ``top`` with the hash of its bytes (to prove nothing was written)."""
    return {
        str(path.relative_to(top)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(top.rglob("*"))
        if path.is_file()
    }
