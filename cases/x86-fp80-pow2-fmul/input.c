/* A rain gauge logger: each gauge's bucket holds 37.5 ml, and the gauge reports how many
   buckets tipped as a power of two (the hardware counts in doubling steps). The totals
   are kept in long double. */
#include <stdio.h>

struct gauge {
  const char *name;
  unsigned doublings;
  int active;
};

struct gauge gauges[] = {
  {"orchard", 0, 1},
  {"ridge", 3, 1},
  {"meadow", 5, 1},
  {"barn", 2, 0},
};

long double millilitres(const struct gauge *g) {
  unsigned tips = 1u << g->doublings;
  return tips * 37.5L;
}

long count_active(void) {
  long n = 0;
  for (unsigned i = 0; i < sizeof gauges / sizeof gauges[0]; i++)
    n += gauges[i].active;
  return n;
}

int main(void) {
  long total = 0;
  for (unsigned i = 0; i < sizeof gauges / sizeof gauges[0]; i++) {
    if (!gauges[i].active)
      continue;
    long ml = (long)millilitres(&gauges[i]);
    printf("%-8s %6ld ml\n", gauges[i].name, ml);
    total += ml;
  }
  printf("%ld gauges, %ld ml in all\n", count_active(), total);
  return 0;
}
