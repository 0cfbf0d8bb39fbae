# 1 "<built-in>"
# 1 "src/bf16_layer.c"
/* Mixed-precision accumulator for a small inference kernel: partial sums are kept in
   long double (x87 extended) and stored back as bfloat16 activations. */
#if defined(__CLANG_REWRITTEN_INCLUDES) || defined(__CLANG_REWRITTEN_SYSTEM_INCLUDES) /* stddef.h expanded by -frewrite-includes */
#include <stddef.h>
#else /* stddef.h expanded by -frewrite-includes */
# 3 "src/bf16_layer.c"
# 1 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 1 3
/*===---- stddef.h - Basic type definitions --------------------------------===
 *
 * Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
 * See https://llvm.org/LICENSE.txt for license information.
 * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
 *
 *===-----------------------------------------------------------------------===
 */

/*
 * This header is designed to be included multiple times. If any of the __need_
 * macros are defined, then only that subset of interfaces are provided. This
 * can be useful for POSIX headers that need to not expose all of stddef.h, but
 * need to use some of its interfaces. Otherwise this header provides all of
 * the expected interfaces.
 *
 * When clang modules are enabled, this header is a textual header to support
 * the multiple include behavior. As such, it doesn't directly declare anything
 * so that it doesn't add duplicate declarations to all of its includers'
 * modules.
 */
#if 0 /* disabled by -frewrite-includes */
#if defined(__MVS__) && __has_include_next(<stddef.h>)
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 23 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#undef __need_ptrdiff_t
#undef __need_size_t
#undef __need_rsize_t
#undef __need_wchar_t
#undef __need_NULL
#undef __need_nullptr_t
#undef __need_unreachable
#undef __need_max_align_t
#undef __need_offsetof
#undef __need_wint_t
#if 0 /* expanded by -frewrite-includes */
#include <__stddef_header_macro.h>
#endif /* expanded by -frewrite-includes */
# 33 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 34 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if 0 /* expanded by -frewrite-includes */
#include_next <stddef.h>
#endif /* expanded by -frewrite-includes */
# 34 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 35 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#else
# 37 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if !defined(__need_ptrdiff_t) && !defined(__need_size_t) &&                   \
    !defined(__need_rsize_t) && !defined(__need_wchar_t) &&                    \
    !defined(__need_NULL) && !defined(__need_nullptr_t) &&                     \
    !defined(__need_unreachable) && !defined(__need_max_align_t) &&            \
    !defined(__need_offsetof) && !defined(__need_wint_t)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 43 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#define __need_ptrdiff_t
#define __need_size_t
/* ISO9899:2011 7.20 (C11 Annex K): Define rsize_t if __STDC_WANT_LIB_EXT1__ is
 * enabled. */
#if 0 /* disabled by -frewrite-includes */
#if defined(__STDC_WANT_LIB_EXT1__) && __STDC_WANT_LIB_EXT1__ >= 1
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 48 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#define __need_rsize_t
#endif
# 50 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#define __need_wchar_t
#if 0 /* disabled by -frewrite-includes */
#if !defined(__STDDEF_H) || __has_feature(modules)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 52 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
/*
 * __stddef_null.h is special when building without modules: if __need_NULL is
 * set, then it will unconditionally redefine NULL. To avoid stepping on client
 * definitions of NULL, __need_NULL should only be set the first time this
 * header is included, that is when __STDDEF_H is not defined. However, when
 * building with modules, this header is a textual header and needs to
 * unconditionally include __stdef_null.h to support multiple submodules
 * exporting _Builtin_stddef.null. Take module SM with submodules A and B, whose
 * headers both include stddef.h When SM.A builds, __STDDEF_H will be defined.
 * When SM.B builds, the definition from SM.A will leak when building without
 * local submodule visibility. stddef.h wouldn't include __stddef_null.h, and
 * SM.B wouldn't import _Builtin_stddef.null, and SM.B's `export *` wouldn't
 * export NULL as expected. When building with modules, always include
 * __stddef_null.h so that everything works as expected.
 */
#define __need_NULL
#endif
# 69 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if 0 /* disabled by -frewrite-includes */
#if (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 202311L) ||              \
    defined(__cplusplus)
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 71 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#define __need_nullptr_t
#endif
# 73 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if 0 /* disabled by -frewrite-includes */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 202311L
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 74 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#define __need_unreachable
#endif
# 76 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if 0 /* disabled by -frewrite-includes */
#if (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L) ||              \
    (defined(__cplusplus) && __cplusplus >= 201103L)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 78 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#define __need_max_align_t
#endif
# 80 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#define __need_offsetof
/* wint_t is provided by <wchar.h> and not <stddef.h>. It's here
 * for compatibility, but must be explicitly requested. Therefore
 * __need_wint_t is intentionally not defined here. */
#if defined(__CLANG_REWRITTEN_INCLUDES) || defined(__CLANG_REWRITTEN_SYSTEM_INCLUDES) /* __stddef_header_macro.h expanded by -frewrite-includes */
#include <__stddef_header_macro.h>
#else /* __stddef_header_macro.h expanded by -frewrite-includes */
# 84 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 1 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_header_macro.h" 1 3
/*===---- __stddef_header_macro.h ------------------------------------------===
 *
 * Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
 * See https://llvm.org/LICENSE.txt for license information.
 * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
 *
 *===-----------------------------------------------------------------------===
 */

#ifndef __STDDEF_H
#define __STDDEF_H
#endif
# 13 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_header_macro.h" 3
#endif /* __stddef_header_macro.h expanded by -frewrite-includes */
# 85 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 2 3
#endif
# 86 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if defined(__need_ptrdiff_t)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 88 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if defined(__CLANG_REWRITTEN_INCLUDES) || defined(__CLANG_REWRITTEN_SYSTEM_INCLUDES) /* __stddef_ptrdiff_t.h expanded by -frewrite-includes */
#include <__stddef_ptrdiff_t.h>
#else /* __stddef_ptrdiff_t.h expanded by -frewrite-includes */
# 88 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 1 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_ptrdiff_t.h" 1 3
/*===---- __stddef_ptrdiff_t.h - Definition of ptrdiff_t -------------------===
 *
 * Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
 * See https://llvm.org/LICENSE.txt for license information.
 * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
 *
 *===-----------------------------------------------------------------------===
 */

/*
 * When -fbuiltin-headers-in-system-modules is set this is a non-modular header
 * and needs to behave as if it was textual.
 */
#if 0 /* disabled by -frewrite-includes */
#if !defined(_PTRDIFF_T) ||                                                    \
    (__has_feature(modules) && !__building_module(_Builtin_stddef))
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 16 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_ptrdiff_t.h" 3
#define _PTRDIFF_T

typedef __PTRDIFF_TYPE__ ptrdiff_t;

#endif
# 21 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_ptrdiff_t.h" 3
#endif /* __stddef_ptrdiff_t.h expanded by -frewrite-includes */
# 89 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 2 3
#undef __need_ptrdiff_t
#endif /* defined(__need_ptrdiff_t) */
# 91 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if defined(__need_size_t)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 93 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if defined(__CLANG_REWRITTEN_INCLUDES) || defined(__CLANG_REWRITTEN_SYSTEM_INCLUDES) /* __stddef_size_t.h expanded by -frewrite-includes */
#include <__stddef_size_t.h>
#else /* __stddef_size_t.h expanded by -frewrite-includes */
# 93 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 1 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_size_t.h" 1 3
/*===---- __stddef_size_t.h - Definition of size_t -------------------------===
 *
 * Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
 * See https://llvm.org/LICENSE.txt for license information.
 * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
 *
 *===-----------------------------------------------------------------------===
 */

/*
 * When -fbuiltin-headers-in-system-modules is set this is a non-modular header
 * and needs to behave as if it was textual.
 */
#if 0 /* disabled by -frewrite-includes */
#if !defined(_SIZE_T) ||                                                       \
    (__has_feature(modules) && !__building_module(_Builtin_stddef))
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 16 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_size_t.h" 3
#define _SIZE_T

typedef __SIZE_TYPE__ size_t;

#endif
# 21 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_size_t.h" 3
#endif /* __stddef_size_t.h expanded by -frewrite-includes */
# 94 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 2 3
#undef __need_size_t
#endif /*defined(__need_size_t) */
# 96 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if defined(__need_rsize_t)
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 98 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if 0 /* expanded by -frewrite-includes */
#include <__stddef_rsize_t.h>
#endif /* expanded by -frewrite-includes */
# 98 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 99 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#undef __need_rsize_t
#endif /* defined(__need_rsize_t) */
# 101 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if defined(__need_wchar_t)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 103 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if defined(__CLANG_REWRITTEN_INCLUDES) || defined(__CLANG_REWRITTEN_SYSTEM_INCLUDES) /* __stddef_wchar_t.h expanded by -frewrite-includes */
#include <__stddef_wchar_t.h>
#else /* __stddef_wchar_t.h expanded by -frewrite-includes */
# 103 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 1 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_wchar_t.h" 1 3
/*===---- __stddef_wchar.h - Definition of wchar_t -------------------------===
 *
 * Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
 * See https://llvm.org/LICENSE.txt for license information.
 * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
 *
 *===-----------------------------------------------------------------------===
 */

#if 0 /* disabled by -frewrite-includes */
#if !defined(__cplusplus) || (defined(_MSC_VER) && !_NATIVE_WCHAR_T_DEFINED)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 11 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_wchar_t.h" 3

/*
 * When -fbuiltin-headers-in-system-modules is set this is a non-modular header
 * and needs to behave as if it was textual.
 */
#if 0 /* disabled by -frewrite-includes */
#if !defined(_WCHAR_T) ||                                                      \
    (__has_feature(modules) && !__building_module(_Builtin_stddef))
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 18 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_wchar_t.h" 3
#define _WCHAR_T

#ifdef _MSC_EXTENSIONS
#define _WCHAR_T_DEFINED
#endif
# 23 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_wchar_t.h" 3

typedef __WCHAR_TYPE__ wchar_t;

#endif
# 27 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_wchar_t.h" 3

#endif
# 29 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_wchar_t.h" 3
#endif /* __stddef_wchar_t.h expanded by -frewrite-includes */
# 104 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 2 3
#undef __need_wchar_t
#endif /* defined(__need_wchar_t) */
# 106 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if defined(__need_NULL)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 108 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if defined(__CLANG_REWRITTEN_INCLUDES) || defined(__CLANG_REWRITTEN_SYSTEM_INCLUDES) /* __stddef_null.h expanded by -frewrite-includes */
#include <__stddef_null.h>
#else /* __stddef_null.h expanded by -frewrite-includes */
# 108 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 1 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_null.h" 1 3
/*===---- __stddef_null.h - Definition of NULL -----------------------------===
 *
 * Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
 * See https://llvm.org/LICENSE.txt for license information.
 * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
 *
 *===-----------------------------------------------------------------------===
 */

#if 0 /* disabled by -frewrite-includes */
#if !defined(NULL) || !__building_module(_Builtin_stddef)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 11 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_null.h" 3

/* linux/stddef.h will define NULL to 0. glibc (and other) headers then define
 * __need_NULL and rely on stddef.h to redefine NULL to the correct value again.
 * Modules don't support redefining macros like that, but support that pattern
 * in the non-modules case.
 */
#undef NULL

#ifdef __cplusplus
#if 0 /* disabled by -frewrite-includes */
#if !defined(__MINGW32__) && !defined(_MSC_VER)
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 21 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_null.h" 3
#define NULL __null
#else
# 23 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_null.h" 3
#define NULL 0
#endif
# 25 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_null.h" 3
#else
# 26 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_null.h" 3
#define NULL ((void*)0)
#endif
# 28 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_null.h" 3

#endif
# 30 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_null.h" 3
#endif /* __stddef_null.h expanded by -frewrite-includes */
# 109 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 2 3
#undef __need_NULL
#endif /* defined(__need_NULL) */
# 111 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if defined(__need_nullptr_t)
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 113 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if 0 /* expanded by -frewrite-includes */
#include <__stddef_nullptr_t.h>
#endif /* expanded by -frewrite-includes */
# 113 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 114 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#undef __need_nullptr_t
#endif /* defined(__need_nullptr_t) */
# 116 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if defined(__need_unreachable)
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 118 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if 0 /* expanded by -frewrite-includes */
#include <__stddef_unreachable.h>
#endif /* expanded by -frewrite-includes */
# 118 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 119 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#undef __need_unreachable
#endif /* defined(__need_unreachable) */
# 121 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if defined(__need_max_align_t)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 123 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if defined(__CLANG_REWRITTEN_INCLUDES) || defined(__CLANG_REWRITTEN_SYSTEM_INCLUDES) /* __stddef_max_align_t.h expanded by -frewrite-includes */
#include <__stddef_max_align_t.h>
#else /* __stddef_max_align_t.h expanded by -frewrite-includes */
# 123 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 1 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_max_align_t.h" 1 3
/*===---- __stddef_max_align_t.h - Definition of max_align_t ---------------===
 *
 * Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
 * See https://llvm.org/LICENSE.txt for license information.
 * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
 *
 *===-----------------------------------------------------------------------===
 */

#ifndef __CLANG_MAX_ALIGN_T_DEFINED
#define __CLANG_MAX_ALIGN_T_DEFINED

#if 0 /* disabled by -frewrite-includes */
#if defined(_MSC_VER)
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 14 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_max_align_t.h" 3
typedef double max_align_t;
#if 0 /* disabled by -frewrite-includes */
#if 0
#elif defined(__APPLE__)
#endif
#endif /* disabled by -frewrite-includes */
#elif 0 /* evaluated by -frewrite-includes */
# 16 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_max_align_t.h" 3
typedef long double max_align_t;
#else
# 18 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_max_align_t.h" 3
// Define 'max_align_t' to match the GCC definition.
typedef struct {
  long long __clang_max_align_nonce1
      __attribute__((__aligned__(__alignof__(long long))));
  long double __clang_max_align_nonce2
      __attribute__((__aligned__(__alignof__(long double))));
} max_align_t;
#endif
# 26 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_max_align_t.h" 3

#endif
# 28 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_max_align_t.h" 3
#endif /* __stddef_max_align_t.h expanded by -frewrite-includes */
# 124 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 2 3
#undef __need_max_align_t
#endif /* defined(__need_max_align_t) */
# 126 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#if 0 /* disabled by -frewrite-includes */
#if defined(__need_offsetof)
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 128 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if defined(__CLANG_REWRITTEN_INCLUDES) || defined(__CLANG_REWRITTEN_SYSTEM_INCLUDES) /* __stddef_offsetof.h expanded by -frewrite-includes */
#include <__stddef_offsetof.h>
#else /* __stddef_offsetof.h expanded by -frewrite-includes */
# 128 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 1 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_offsetof.h" 1 3
/*===---- __stddef_offsetof.h - Definition of offsetof ---------------------===
 *
 * Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
 * See https://llvm.org/LICENSE.txt for license information.
 * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
 *
 *===-----------------------------------------------------------------------===
 */

/*
 * When -fbuiltin-headers-in-system-modules is set this is a non-modular header
 * and needs to behave as if it was textual.
 */
#if 0 /* disabled by -frewrite-includes */
#if !defined(offsetof) ||                                                      \
    (__has_feature(modules) && !__building_module(_Builtin_stddef))
#endif
#endif /* disabled by -frewrite-includes */
#if 1 /* evaluated by -frewrite-includes */
# 16 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_offsetof.h" 3
#define offsetof(t, d) __builtin_offsetof(t, d)
#endif
# 18 "/usr/lib/llvm-19/lib/clang/19/include/__stddef_offsetof.h" 3
#endif /* __stddef_offsetof.h expanded by -frewrite-includes */
# 129 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 2 3
#undef __need_offsetof
#endif /* defined(__need_offsetof) */
# 131 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

/* Some C libraries expect to see a wint_t here. Others (notably MinGW) will use
__WINT_TYPE__ directly; accommodate both by requiring __need_wint_t */
#if 0 /* disabled by -frewrite-includes */
#if defined(__need_wint_t)
#endif
#endif /* disabled by -frewrite-includes */
#if 0 /* evaluated by -frewrite-includes */
# 135 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#if 0 /* expanded by -frewrite-includes */
#include <__stddef_wint_t.h>
#endif /* expanded by -frewrite-includes */
# 135 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
# 136 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#undef __need_wint_t
#endif /* __need_wint_t */
# 138 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3

#endif /* __MVS__ */
# 140 "/usr/lib/llvm-19/lib/clang/19/include/stddef.h" 3
#endif /* stddef.h expanded by -frewrite-includes */
# 4 "src/bf16_layer.c" 2

typedef struct {
  size_t rows, cols;
  const float *weights;
  long double bias_scale;
} layer_t;

static long double dot_ext(const float *w, const __bf16 *x, size_t n) {
  long double acc = 0.0L;
  for (size_t i = 0; i < n; i++)
    acc += (long double)w[i] * (long double)(float)x[i];
  return acc;
}

static __bf16 relu_bf16(long double v) {
  if (v < 0.0L)
    v = 0.0L;
  return (__bf16)v;
}

void layer_forward(const layer_t *l, const __bf16 *in, __bf16 *out, const float *bias) {
  for (size_t r = 0; r < l->rows; r++) {
    long double s = dot_ext(l->weights + r * l->cols, in, l->cols);
    s += (long double)bias[r] * l->bias_scale;
    out[r] = relu_bf16(s);
  }
}

float checksum(const __bf16 *v, size_t n) {
  float total = 0.0f;
  for (size_t i = 0; i < n; i++)
    total += (float)v[i];
  return total;
}
