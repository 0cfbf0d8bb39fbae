/* A tiny score keeper: a ledger of readings, a checksum over them, and a penalty
   that goes negative when no reader is attached. clang 19 at -O2 prints garbage
   for the penalty; -O0, and clang 22 at any level, print -1. */
#include <stdio.h>
#include <string.h>

struct reading {
  const char *label;
  int value;
};

static const struct reading ledger[] = {
    {"north", 12}, {"east", -3}, {"south", 40}, {"west", 7},
};

int reader_attached;
int last_penalty;

unsigned checksum(const char *text) {
  unsigned sum = 2166136261u;
  while (*text) {
    sum ^= (unsigned char)*text++;
    sum *= 16777619u;
  }
  return sum;
}

int ledger_total(void) {
  int total = 0;
  for (unsigned i = 0; i < sizeof ledger / sizeof ledger[0]; i++)
    total += ledger[i].value;
  return total;
}

const char *longest_label(void) {
  const char *best = ledger[0].label;
  for (unsigned i = 1; i < sizeof ledger / sizeof ledger[0]; i++)
    if (strlen(ledger[i].label) > strlen(best))
      best = ledger[i].label;
  return best;
}

int is_negative(int v) { return v < 0; }

int attached(void) { return reader_attached ? 0 : 1; }

int penalty(int bias) {
  int p = 0;
  if (bias + 7)
    p = attached() - 2;
  return is_negative(p) + p + p;
}

void record(signed char p) { last_penalty = p; }

int main(void) {
  printf("total %d\n", ledger_total());
  printf("longest %s\n", longest_label());
  printf("checksum %08x\n", checksum(longest_label()));
  record(penalty(0));
  printf("penalty %d\n", last_penalty);
  return 0;
}
