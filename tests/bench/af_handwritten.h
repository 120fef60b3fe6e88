/* af_handwritten.h — the benchmark's hand-written allocations familiales baseline, and
 * the household record it reads (also filled by the caseload generator, af_caseload.h). */
#ifndef AF_HANDWRITTEN_H
#define AF_HANDWRITTEN_H
#include <stdint.h>

#define AF_MAX_CHILDREN 8

enum af_residence { AF_METROPOLE, AF_DOM, AF_MAYOTTE, AF_SAINT_PIERRE };
enum af_prise { AF_EFFECTIVE, AF_ALTERNEE_UNIQUE, AF_ALTERNEE_PARTAGE, AF_ASE_FAMILLE, AF_ASE_SERVICE };

typedef struct af_child {
    int y, m, d;                 /* date of birth */
    int prise;                   /* enum af_prise */
    int64_t pay_cents;           /* monthly pay; -1 when the record lacks it */
    int deja_ouvert_droit;       /* already opened a right to AF */
    int apl;                     /* draws a housing aid in his or her own name */
} af_child;

typedef struct af_household {
    int y, m, d;                 /* evaluation date */
    int residence;               /* enum af_residence; -1 when the record lacks it */
    int titre_I, charge_par_parent, avant_2012;
    int64_t ressources_cents;    /* -1 when the record lacks it */
    int n_children;
    af_child children[AF_MAX_CHILDREN];
} af_household;

/* 1: eligible, *amount_cents the gross monthly amount; 0: not eligible (*amount_cents
 * 0); -1: the texts at hand do not settle it (a fact missing, a period or territory
 * without a value) — the engine must then say REVIEW. */
int af_compute(const af_household *h, int64_t *amount_cents);
#endif
