/* A float-keyed interning table for a metrics pipeline: samples are hashed by
 * their bit pattern, so -0.0/+0.0 and NaN payloads are folded to canonical
 * values first with __builtin_canonicalize. Written for this project after the
 * reproducer in llvm/llvm-project#32650 ("Cannot select llvm.canonicalize.f64"). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TABLE_BITS 10
#define TABLE_SIZE (1u << TABLE_BITS)
#define MAX_PROBE 16

struct sample_key {
    double value;
    float weight;
    uint32_t tag;
};

struct slot {
    struct sample_key key;
    uint32_t count;
    uint32_t hash;
    int used;
};

struct table {
    struct slot slots[TABLE_SIZE];
    size_t live;
    size_t collisions;
};

static uint64_t bits_of_double(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static uint32_t bits_of_float(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static uint32_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

static double canonical_value(double v)
{
    if (v == 0.0)
        return 0.0; /* fold -0.0 */
    return __builtin_canonicalize(v);
}

static float canonical_weight(float w)
{
    volatile float out;
    out = __builtin_canonicalizef(w);
    return out;
}

static struct sample_key make_key(double value, float weight, uint32_t tag)
{
    struct sample_key k;
    k.value = canonical_value(value);
    k.weight = canonical_weight(weight);
    k.tag = tag;
    return k;
}

static uint32_t key_hash(const struct sample_key *k)
{
    uint64_t h = bits_of_double(k->value);
    h ^= (uint64_t)bits_of_float(k->weight) << 17;
    h ^= (uint64_t)k->tag * 0x9e3779b97f4a7c15ULL;
    return mix64(h);
}

static int key_equal(const struct sample_key *a, const struct sample_key *b)
{
    return bits_of_double(a->value) == bits_of_double(b->value) &&
           bits_of_float(a->weight) == bits_of_float(b->weight) && a->tag == b->tag;
}

void table_init(struct table *t)
{
    memset(t, 0, sizeof *t);
}

int table_add(struct table *t, double value, float weight, uint32_t tag)
{
    struct sample_key k = make_key(value, weight, tag);
    uint32_t h = key_hash(&k);
    for (unsigned probe = 0; probe < MAX_PROBE; probe++) {
        struct slot *s = &t->slots[(h + probe) & (TABLE_SIZE - 1)];
        if (!s->used) {
            s->key = k;
            s->hash = h;
            s->count = 1;
            s->used = 1;
            t->live++;
            return 1;
        }
        if (s->hash == h && key_equal(&s->key, &k)) {
            s->count++;
            return 0;
        }
        t->collisions++;
    }
    return -1;
}

uint32_t table_count(const struct table *t, double value, float weight, uint32_t tag)
{
    struct sample_key k = make_key(value, weight, tag);
    uint32_t h = key_hash(&k);
    for (unsigned probe = 0; probe < MAX_PROBE; probe++) {
        const struct slot *s = &t->slots[(h + probe) & (TABLE_SIZE - 1)];
        if (!s->used)
            return 0;
        if (s->hash == h && key_equal(&s->key, &k))
            return s->count;
    }
    return 0;
}

double table_weighted_sum(const struct table *t)
{
    double sum = 0.0;
    for (size_t i = 0; i < TABLE_SIZE; i++) {
        const struct slot *s = &t->slots[i];
        if (s->used)
            sum += s->key.value * s->key.weight * s->count;
    }
    return sum;
}

size_t table_drop_tag(struct table *t, uint32_t tag)
{
    size_t dropped = 0;
    for (size_t i = 0; i < TABLE_SIZE; i++) {
        struct slot *s = &t->slots[i];
        if (s->used && s->key.tag == tag) {
            s->used = 0;
            dropped++;
        }
    }
    t->live -= dropped;
    return dropped;
}
