/* Early-boot command line parsing for a small x86-64 loader that links no C
 * library. It is built with -O2 but without -ffreestanding, so nothing stops
 * the optimizer from turning its hand-written loops into library calls. clang
 * 21+ recognises the strlen idiom (LoopIdiomRecognize, llvm/llvm-project#108985,
 * relanded as #132572) and emits a call to strlen, which the loader does not
 * have; clang 19 keeps the loop. Written for this project. */
#include <stddef.h>

#define CMDLINE_MAX 256
#define MAX_ARGS 16

struct boot_args {
    const char *argv[MAX_ARGS];
    unsigned argc;
    unsigned long mem_limit;
    int quiet;
    int debug;
    char console[32];
};

static size_t cmd_len(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static int prefix_eq(const char *s, const char *prefix, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != prefix[i])
            return 0;
    return 1;
}

static unsigned long parse_size(const char *s)
{
    unsigned long v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (unsigned long)(*s++ - '0');
    switch (*s) {
    case 'G': case 'g': v <<= 10; /* fall through */
    case 'M': case 'm': v <<= 10; /* fall through */
    case 'K': case 'k': v <<= 10; break;
    default: break;
    }
    return v;
}

static void copy_word(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    while (i + 1 < cap && src[i] && !is_space(src[i])) {
        dst[i] = src[i];
        i++;
    }
    dst[i] = 0;
}

static void handle_option(struct boot_args *a, const char *word)
{
    if (prefix_eq(word, "mem=", 4))
        a->mem_limit = parse_size(word + 4);
    else if (prefix_eq(word, "quiet", 5))
        a->quiet = 1;
    else if (prefix_eq(word, "debug", 5))
        a->debug = 1;
    else if (prefix_eq(word, "console=", 8))
        copy_word(a->console, sizeof a->console, word + 8);
}

int parse_cmdline(struct boot_args *a, char *line)
{
    size_t len = cmd_len(line);
    if (len >= CMDLINE_MAX)
        return -1;
    a->argc = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && is_space(line[i]))
            line[i++] = 0;
        if (i >= len)
            break;
        if (a->argc == MAX_ARGS)
            return -2;
        a->argv[a->argc++] = &line[i];
        handle_option(a, &line[i]);
        while (i < len && !is_space(line[i]))
            i++;
    }
    return (int)a->argc;
}

const char *boot_arg(const struct boot_args *a, const char *key)
{
    size_t klen = cmd_len(key);
    for (unsigned i = 0; i < a->argc; i++) {
        const char *w = a->argv[i];
        if (prefix_eq(w, key, klen) && w[klen] == '=')
            return w + klen + 1;
    }
    return NULL;
}
