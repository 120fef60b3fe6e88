/* af_handwritten.c — the allocations familiales computed directly in C from the law
 * (shared/legal/af.md), as a baseline for the engine benchmark. It covers the
 * households the benchmark generates: metropole and the collectivités of L. 751-1,
 * parents meeting the title I conditions, children in effective and permanent charge
 * or in shared alternating residence, no pay, no personal housing aid. Its readings
 * are those of rulesets/fr/allocations-familiales.xml (rulesets/fr/README.md).
 * Money in integer cents, rates in millionths, every product rounded half away from
 * zero to the cent, as the rule set does. */
#include "af_handwritten.h"
#include <stddef.h>

typedef struct dated { int y, m, d; int64_t v; } dated;

/* BMAF, af.md §5.1 (cents) */
static const dated bmaf_table[] = {
    { 2019, 4, 1, 41316 }, { 2020, 4, 1, 41440 }, { 2021, 4, 1, 41481 }, { 2022, 4, 1, 42228 },
    { 2022, 7, 1, 43917 }, { 2023, 4, 1, 44593 }, { 2024, 4, 1, 46644 }, { 2025, 4, 1, 47437 },
    { 2026, 4, 1, 47816 },
};
/* Ceilings by calendar year, af.md §5.3 (euros): base I, base II, per child */
static const int64_t ceilings[8][3] = {
    { 56849, 79558, 5684 }, { 57759, 80831, 5775 }, { 58279, 81558, 5827 }, { 58396, 81721, 5839 },
    { 59330, 83029, 5932 }, { 62474, 87430, 6246 }, { 65473, 91627, 6546 }, { 66652, 93276, 6664 },
};

static int before(int y, int m, int d, int y2, int m2, int d2)
{
    return y != y2 ? y < y2 : m != m2 ? m < m2 : d < d2;
}

/* rounds cents × millionths to the cent, half away from zero (values are >= 0) */
static int64_t pct(int64_t cents, int64_t millionths)
{
    return (cents * millionths + 500000) / 1000000;
}

static int64_t div_round(int64_t num, int64_t den) { return (num + den / 2) / den; }

static int age_at(const af_child *c, int y, int m, int d)
{
    return y - c->y - (before(m, d, 0, c->m, c->d, 0) ? 1 : 0);
}

int af_compute(const af_household *h, int64_t *amount_cents)
{
    int y = h->y, m = h->m, d = h->d;
    if (before(y, m, d, 2019, 4, 1) || y > 2026) return -1;   /* period not covered */
    int64_t bmaf = 0;
    for (size_t i = 0; i < sizeof bmaf_table / sizeof bmaf_table[0]; i++)
        if (!before(y, m, d, bmaf_table[i].y, bmaf_table[i].m, bmaf_table[i].d)) bmaf = bmaf_table[i].v;

    int age[AF_MAX_CHILDREN], charge[AF_MAX_CHILDREN], n = 0, n_forf = 0, halves = 0;
    for (int i = 0; i < h->n_children; i++) {
        age[i] = age_at(&h->children[i], y, m, d);
        /* L512-3, R512-2: under 16, or 16 to 19 with pay under the ceiling (no pay here) */
        charge[i] = age[i] < 20;
        if (charge[i]) { n++; halves += h->children[i].shared ? 1 : 2; }
        if (age[i] == 20) n_forf++;   /* D521-2: reaching the age limit */
    }
    int droit_af = h->dom ? n >= 1 : n >= 2;                   /* L521-1, L755-12 */
    int droit_forf = n_forf >= 1 && n + n_forf >= 3;           /* L521-1 al. 2, D521-2 III */
    if (!droit_af && !droit_forf) { *amount_cents = 0; return 0; }

    const int64_t *c = ceilings[y - 2019];
    int64_t res = h->ressources_cents;
    int64_t p1 = (c[0] + n * c[2]) * 100, p2 = (c[1] + n * c[2]) * 100;
    int tranche = res <= p1 ? 1 : res <= p2 ? 2 : 3;           /* D521-1, D521-3 */
    static const int64_t t2[] = { 0, 320000, 160000, 80000 }, t3[] = { 0, 410000, 205000, 102500 },
                         tmaj[] = { 0, 160000, 80000, 40000 }, tforf[] = { 0, 202340, 101170, 50590 };

    int64_t foyer = 0;
    if (n >= 2) foyer = pct(bmaf, t2[tranche] + t3[tranche] * (n - 2));
    else if (h->dom && n == 1) foyer = pct(bmaf, 58800);       /* D755-5 II */
    /* R521-3: × nombre moyen / nombre total (halves / 2n) */
    int64_t af = n >= 1 ? div_round(foyer * halves, 2 * (int64_t)n) : 0;

    int64_t maj = 0;
    int agemin_2026 = !before(y, m, d, 2026, 3, 1);
    for (int i = 0; i < h->n_children; i++) {
        if (!charge[i]) continue;
        const af_child *ch = &h->children[i];
        int64_t one = 0;
        if (h->dom && n == 1) {                                 /* D755-5 II */
            if (age[i] >= 16) one = pct(bmaf, 56700);
            else if (age[i] >= 11) one = pct(bmaf, 36900);
        } else {
            int agemin = agemin_2026 && !before(ch->y, ch->m, ch->d, 2012, 3, 1) ? 18 : 14;  /* R521-1 */
            int eldest = 1;                                     /* L521-3: eldest of the dependents */
            for (int k = 0; k < h->n_children; k++) {
                if (k == i || !charge[k]) continue;
                const af_child *o = &h->children[k];
                if (before(o->y, o->m, o->d, ch->y, ch->m, ch->d) ||
                    (o->y == ch->y && o->m == ch->m && o->d == ch->d && k < i)) eldest = 0;
            }
            if (age[i] >= agemin && (!eldest || n >= 3)) one = pct(bmaf, tmaj[tranche]);
        }
        if (ch->shared) one = div_round(one, 2);                /* R521-4 */
        maj += one;
    }

    int64_t over = tranche == 1 ? 0 : res - (tranche == 2 ? p1 : p2);
    int64_t comp = 0, forf = 0, comp_forf = 0;
    if (n >= 2 && tranche >= 2 && over < 12 * (af + maj))     /* D521-1 II */
        comp = div_round(12 * (af + maj) - over, 12);
    if (droit_forf) {
        forf = n_forf * pct(bmaf, tforf[tranche]);
        if (tranche >= 2 && over < 12 * forf) comp_forf = div_round(12 * forf - over, 12);   /* D521-2 II */
    }
    *amount_cents = af + maj + comp + forf + comp_forf;
    return 1;
}
