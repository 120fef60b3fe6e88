/* af_handwritten.h — the benchmark's hand-written allocations familiales baseline. */
#ifndef AF_HANDWRITTEN_H
#define AF_HANDWRITTEN_H
#include <stdint.h>

#define AF_MAX_CHILDREN 8

typedef struct af_child { int y, m, d; int shared; } af_child;
typedef struct af_household {
    int y, m, d;                 /* evaluation date */
    int dom;                     /* a collectivité of L. 751-1 */
    int64_t ressources_cents;
    int n_children;
    af_child children[AF_MAX_CHILDREN];
} af_household;

/* 1: eligible, *amount_cents set; 0: not eligible; -1: date not covered. */
int af_compute(const af_household *h, int64_t *amount_cents);
#endif
