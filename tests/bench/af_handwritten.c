/* af_handwritten.c — the allocations familiales computed directly in C from the law
 * (shared/legal/af.md), as the baseline of the engine benchmark: what a programmer
 * would write by hand. Its readings are those of rulesets/fr/allocations-familiales.xml
 * (its comments and rulesets/fr/README.md): ages at the evaluation date, the eldest of
 * the DEPENDENT children, twins ranked by list order, DOM single child means-test free
 * with the D755-5 majoration, shared residence coefficient on the rounded household
 * amount, Mayotte rates without brackets, ASE children counted like the others.
 * Money in integer cents, rates in millionths, every product rounded half away from
 * zero to the cent as soon as it is computed, as the rule set does. */
#include "af_handwritten.h"
#include <stddef.h>

typedef struct dated { int y, m, d; int64_t v; } dated;

/* BMAF, af.md §5.1 (cents) */
static const dated bmaf_table[] = {
    { 2019, 4, 1, 41316 }, { 2020, 4, 1, 41440 }, { 2021, 4, 1, 41481 }, { 2022, 4, 1, 42228 },
    { 2022, 7, 1, 43917 }, { 2023, 4, 1, 44593 }, { 2024, 4, 1, 46644 }, { 2025, 4, 1, 47437 },
    { 2026, 4, 1, 47816 },
};
/* SMIC horaire brut, métropole and the DOM of L751-1, af.md §5.6 (cents) */
static const dated smic_table[] = {
    { 2019, 1, 1, 1003 }, { 2020, 1, 1, 1015 }, { 2021, 1, 1, 1025 }, { 2021, 10, 1, 1048 },
    { 2022, 1, 1, 1057 }, { 2022, 5, 1, 1085 }, { 2022, 8, 1, 1107 }, { 2023, 1, 1, 1127 },
    { 2023, 5, 1, 1152 }, { 2024, 1, 1, 1165 }, { 2024, 11, 1, 1188 }, { 2026, 1, 1, 1202 },
    { 2026, 6, 1, 1231 },
};
/* SMIC de Mayotte: no value known from 2021-10-01 to 2021-12-31 nor from 2024-11-01 */
static const dated smic_mayotte_table[] = {
    { 2019, 1, 1, 757 }, { 2020, 1, 1, 766 }, { 2021, 1, 1, 774 }, { 2021, 10, 1, -1 },
    { 2022, 1, 1, 798 }, { 2022, 5, 1, 819 }, { 2022, 8, 1, 835 }, { 2023, 1, 1, 851 },
    { 2023, 5, 1, 870 }, { 2024, 1, 1, 898 }, { 2024, 11, 1, -1 },
};
/* Ceilings by calendar year from 2019, af.md §5.3 (euros): base I, base II, per child */
static const int64_t ceilings[8][3] = {
    { 56849, 79558, 5684 }, { 57759, 80831, 5775 }, { 58279, 81558, 5827 }, { 58396, 81721, 5839 },
    { 59330, 83029, 5932 }, { 62474, 87430, 6246 }, { 65473, 91627, 6546 }, { 66652, 93276, 6664 },
};

static int before(int y, int m, int d, int y2, int m2, int d2)
{
    return y != y2 ? y < y2 : m != m2 ? m < m2 : d < d2;
}

/* the value in force at the date, or -1 before the first one */
static int64_t in_force(const dated *t, size_t n, int y, int m, int d)
{
    int64_t v = -1;
    for (size_t i = 0; i < n; i++)
        if (!before(y, m, d, t[i].y, t[i].m, t[i].d)) v = t[i].v;
    return v;
}

/* cents × millionths, rounded to the cent half away from zero (values are >= 0) */
static int64_t pct(int64_t cents, int64_t millionths) { return (cents * millionths + 500000) / 1000000; }

static int64_t div_round(int64_t num, int64_t den) { return (num + den / 2) / den; }

static int age_at(const af_child *c, int y, int m, int d)
{
    return y - c->y - (before(m, d, 0, c->m, c->d, 0) ? 1 : 0);
}

int af_compute(const af_household *h, int64_t *amount_cents)
{
    const int y = h->y, m = h->m, d = h->d;
    *amount_cents = 0;
    if (before(y, m, d, 2019, 4, 1) || y > 2026) return -1;   /* period not covered */
    /* L521-2 al. 3: a parent who has the charge without meeting the title I conditions
       opens no right, whatever the rest */
    if (!h->titre_I && h->charge_par_parent) return 0;
    if (h->residence < 0 || h->residence == AF_SAINT_PIERRE) return -1;
    const int dom = h->residence == AF_DOM, mayotte = h->residence == AF_MAYOTTE;
    const int64_t bmaf = in_force(bmaf_table, sizeof bmaf_table / sizeof *bmaf_table, y, m, d);

    /* R512-2 / R755-0-2: 55 % of the hourly SMIC × 169, each product rounded */
    int64_t smic = mayotte ? in_force(smic_mayotte_table, sizeof smic_mayotte_table / sizeof *smic_mayotte_table, y, m, d)
                           : in_force(smic_table, sizeof smic_table / sizeof *smic_table, y, m, d);
    int64_t pay_ceiling = smic < 0 ? -1 : div_round(smic * 55, 100) * 169;

    int age[AF_MAX_CHILDREN], charge[AF_MAX_CHILDREN], n = 0, n_forf = 0, halves = 0;
    for (int i = 0; i < h->n_children; i++) {
        const af_child *c = &h->children[i];
        age[i] = age_at(c, y, m, d);
        int under_ceiling = 1;
        /* the pay ceiling matters from 16 to 19, and at 20 for the forfaitaire */
        if (((age[i] >= 16 && age[i] < 20) || (age[i] == 20 && c->deja_ouvert_droit)) && !c->apl) {
            if (c->pay_cents < 0 || pay_ceiling < 0) return -1;
            under_ceiling = c->pay_cents <= pay_ceiling;
        }
        /* L512-3, R512-2 (CCH L821-3: not with a housing aid of one's own) */
        charge[i] = !c->apl && (age[i] < 16 || (age[i] < 20 && under_ceiling));
        if (charge[i]) { n++; halves += c->prise == AF_ALTERNEE_PARTAGE ? 1 : 2; }
        /* L521-1 al. 2: reaching 20, having opened the right, other conditions met */
        if (age[i] == 20 && c->deja_ouvert_droit && under_ceiling && !c->apl) n_forf++;
    }
    int droit_af = dom || mayotte ? n >= 1 : n >= 2;            /* L521-1, L755-12, Mayotte */
    int droit_forf = n_forf >= 1 && n + n_forf >= 3;            /* L521-1 al. 2, D521-2 III */
    if (!droit_af && !droit_forf) return 0;
    /* L521-2 al. 3: a third person without the title I conditions: the right would open
       from the father's or the mother's situation, which the record does not describe */
    if (!h->titre_I) return -1;
    /* the dossier has no text on the forfaitaire nor the majorations at Mayotte */
    if (mayotte && droit_forf) return -1;

    const int regime = !mayotte;                                 /* métropole or L751-1 */
    int need_bracket = regime && (n >= 2 || droit_forf);
    int tranche = 1;
    int64_t res = h->ressources_cents, p1 = 0, p2 = 0;
    if (need_bracket) {
        if (res < 0) return -1;
        const int64_t *c = ceilings[y - 2019];
        p1 = (c[0] + n * c[2]) * 100;
        p2 = (c[1] + n * c[2]) * 100;
        tranche = res <= p1 ? 1 : res <= p2 ? 2 : 3;             /* D521-1, D521-3 */
    }
    static const int64_t t2[] = { 0, 320000, 160000, 80000 }, t3[] = { 0, 410000, 205000, 102500 },
                         tmaj[] = { 0, 160000, 80000, 40000 }, tforf[] = { 0, 202340, 101170, 50590 };

    int64_t foyer = 0;
    if (regime && n >= 2) foyer = pct(bmaf, t2[tranche] + t3[tranche] * (n - 2));
    else if (dom && n == 1) foyer = pct(bmaf, 58800);            /* D755-5 II */
    else if (mayotte && n >= 1) {                                /* décret 2002-423 art. 7 */
        if (n == 1 && h->avant_2012) foyer = 5728;
        else if (before(y, m, d, 2020, 1, 1)) return -1;        /* 2019 column not in the dossier */
        else {
            int old = before(y, m, d, 2021, 1, 1);
            int64_t one = old ? 71700 : 58800, two = old ? 306800 : 320000,
                    third = old ? 143000 : 160000, further = 46300;
            foyer = pct(bmaf, n == 1 ? one : n == 2 ? two : two + third + further * (n - 3));
        }
    }
    /* R521-3: × nombre moyen / nombre total (halves / 2n) */
    int64_t af = n >= 1 ? div_round(foyer * halves, 2 * (int64_t)n) : 0;

    int64_t maj = 0;
    const int from_2026 = !before(y, m, d, 2026, 3, 1);
    for (int i = 0; i < h->n_children; i++) {
        if (!charge[i]) continue;
        const af_child *ch = &h->children[i];
        int64_t one = 0;
        if (mayotte) {
            if (age[i] >= 11) return -1;                         /* no Mayotte text at hand */
            continue;
        }
        if (dom && n == 1) {                                     /* D755-5 II, lex specialis */
            if (age[i] >= 16) one = pct(bmaf, 56700);
            else if (age[i] >= 11) one = pct(bmaf, 36900);
        } else {
            /* R521-1, décret 2026-138: 18 from 2026-03-01, 14 kept if born before 2012-03-01 */
            int age_min = from_2026 && !before(ch->y, ch->m, ch->d, 2012, 3, 1) ? 18 : 14;
            int eldest = 1;                                      /* L521-3 */
            for (int k = 0; k < h->n_children; k++) {
                if (k == i || !charge[k]) continue;
                const af_child *o = &h->children[k];
                if (before(o->y, o->m, o->d, ch->y, ch->m, ch->d) ||
                    (o->y == ch->y && o->m == ch->m && o->d == ch->d && k < i)) eldest = 0;
            }
            if (age[i] >= age_min && (!eldest || n >= 3)) one = pct(bmaf, tmaj[tranche]);
        }
        if (ch->prise == AF_ALTERNEE_PARTAGE) one = div_round(one, 2);   /* R521-4 */
        maj += one;
    }

    int64_t over = tranche == 1 ? 0 : res - (tranche == 2 ? p1 : p2);
    int64_t comp = 0, forf = 0, comp_forf = 0;
    if (regime && n >= 2 && tranche >= 2 && over < 12 * (af + maj))   /* D521-1 II */
        comp = div_round(12 * (af + maj) - over, 12);
    if (droit_forf) {
        forf = n_forf * pct(bmaf, tforf[tranche]);
        if (tranche >= 2 && over < 12 * forf) comp_forf = div_round(12 * forf - over, 12);   /* D521-2 II */
    }
    *amount_cents = af + maj + comp + forf + comp_forf;
    return 1;
}
