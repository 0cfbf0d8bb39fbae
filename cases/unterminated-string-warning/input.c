/* A RIFF-style chunk walker whose four-character codes are fixed-size char
 * arrays without a terminating NUL, as in many container parsers. clang 21+
 * warns about these under -Wextra (-Wunterminated-string-initialization, the
 * warning GCC 15 also added); clang 19 and 16 accept the code silently.
 * Written for this project. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FOURCC_LEN 4

struct chunk_kind {
    char code[FOURCC_LEN];
    const char *label;
    int container;
};

static const struct chunk_kind known_kinds[] = {
    { "fmt ", "format", 0 },
    { "data", "samples", 0 },
    { "LIST", "list", 1 },
    { "INFO", "metadata", 1 },
    { "cue ", "cue points", 0 },
};

static const char riff_magic[FOURCC_LEN] = "RIFF";
static const char wave_form[5] = "WAVE";

struct reader {
    const uint8_t *base;
    size_t size;
    size_t pos;
    unsigned depth;
    unsigned chunks;
};

static uint32_t read_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int same_code(const uint8_t *p, const char code[FOURCC_LEN])
{
    return memcmp(p, code, FOURCC_LEN) == 0;
}

static const struct chunk_kind *lookup_kind(const uint8_t *p)
{
    for (size_t i = 0; i < sizeof known_kinds / sizeof known_kinds[0]; i++)
        if (same_code(p, known_kinds[i].code))
            return &known_kinds[i];
    return NULL;
}

static int walk(struct reader *r, size_t end, void (*visit)(const struct chunk_kind *, size_t))
{
    if (++r->depth > 8)
        return -1;
    while (r->pos + 8 <= end) {
        const uint8_t *head = r->base + r->pos;
        uint32_t len = read_le32(head + 4);
        size_t body = r->pos + 8;
        if (len > end - body)
            return -2;
        const struct chunk_kind *kind = lookup_kind(head);
        r->chunks++;
        if (kind && visit)
            visit(kind, len);
        if (kind && kind->container && len >= FOURCC_LEN) {
            r->pos = body + FOURCC_LEN;
            if (walk(r, body + len, visit) < 0)
                return -3;
        }
        r->pos = body + len + (len & 1);
    }
    r->depth--;
    return 0;
}

int riff_open(struct reader *r, const uint8_t *data, size_t size)
{
    if (size < 12 || !same_code(data, riff_magic))
        return -1;
    if (memcmp(data + 8, wave_form, FOURCC_LEN) != 0)
        return -1;
    if (read_le32(data + 4) + 8u > size)
        return -1;
    r->base = data;
    r->size = size;
    r->pos = 12;
    r->depth = 0;
    r->chunks = 0;
    return 0;
}

int riff_walk(struct reader *r, void (*visit)(const struct chunk_kind *, size_t))
{
    return walk(r, r->size, visit);
}

const char *riff_label(const uint8_t *code)
{
    const struct chunk_kind *kind = lookup_kind(code);
    return kind ? kind->label : "unknown";
}
