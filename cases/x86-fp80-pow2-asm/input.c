/* Radioactive decay table: what is left of a 1000 mg sample after a whole number of
   half-lives, kept in long double for the printout. */
#include <stdio.h>

struct isotope {
  const char *name;
  unsigned half_lives; /* elapsed */
};

struct isotope table[] = {
  {"iodine-131", 0},
  {"cobalt-60", 1},
  {"caesium-137", 3},
  {"radium-226", 5},
};

long double remaining_mg(const struct isotope *iso) {
  return 1000.0L / (1u << iso->half_lives);
}

int main(void) {
  long double total = 0;
  for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++) {
    long double left = remaining_mg(&table[i]);
    printf("%-12s %9.3Lf mg\n", table[i].name, left);
    total += left;
  }
  printf("total %.3Lf mg\n", total);
  return 0;
}
