/* af_caseload.h — the benchmarks' deterministic generator of allocations familiales
 * households: 0 to 6 children of every age up to 21, every resource bracket (and the
 * complément dégressif band above each ceiling), shared residence, ASE placements,
 * children with pay, métropole, the DOM, Mayotte and Saint-Pierre-et-Miquelon, dates
 * 2019-04-01 to 2026-12-31, 2 % of records lacking a field. Each household comes as the
 * record of the hand-written baseline and as JSON text. Header-only (static functions):
 * shared by bench_af.c and gen_cases.c, which are separate programs. */
#ifndef AF_CASELOAD_H
#define AF_CASELOAD_H
#include "af_handwritten.h"
#include <stdio.h>
#include <string.h>

typedef struct af_rng { uint64_t s; } af_rng;

/* xorshift64*: the same caseload on every machine for a given seed */
static uint64_t af_rnd(af_rng *r)
{
    r->s ^= r->s >> 12; r->s ^= r->s << 25; r->s ^= r->s >> 27;
    return r->s * UINT64_C(2685821657736338717);
}

static int af_range(af_rng *r, int lo, int hi) { return lo + (int)(af_rnd(r) % (uint64_t)(hi - lo + 1)); }
static int af_percent(af_rng *r, int p) { return (int)(af_rnd(r) % 100) < p; }

static const char *const af_dom_names[] = { "guadeloupe", "guyane", "martinique", "la_reunion",
                                            "saint_barthelemy", "saint_martin" };
static const char *const af_prise_names[] = { "effective_permanente", "garde_alternee_allocataire_unique",
                                              "garde_alternee_partage", "ase_versement_famille",
                                              "ase_versement_service" };

/* Appends to json at *len, never past cap. */
static void af_put(char *json, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#include <stdarg.h>
static void af_put(char *json, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(json + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n > 0) *len += (size_t)n;
}

/* One household: its record for af_compute and its JSON case record (one line, with an
 * "id" when id >= 0). cap of 2048 is ample. */
static void af_generate(af_rng *g, af_household *h, long id, char *json, size_t cap)
{
    memset(h, 0, sizeof *h);
    int day = af_range(g, 0, 2831);              /* 2019-04-01 + 0..2831 days = 2026-12-31 */
    int y = 2019, m = 4, d = 1;
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    while (day--) {
        int len = mdays[m - 1] + (m == 2 && y % 4 == 0);
        if (++d > len) { d = 1; if (++m > 12) { m = 1; y++; } }
    }
    h->y = y; h->m = m; h->d = d;
    int r = af_range(g, 0, 99);
    h->residence = r < 82 ? AF_METROPOLE : r < 92 ? AF_DOM : r < 98 ? AF_MAYOTTE : AF_SAINT_PIERRE;
    const char *residence = h->residence == AF_METROPOLE ? "metropole"
                          : h->residence == AF_DOM ? af_dom_names[af_rnd(g) % 6]
                          : h->residence == AF_MAYOTTE ? "mayotte" : "saint_pierre_et_miquelon";
    h->titre_I = !af_percent(g, 3);
    h->charge_par_parent = !af_percent(g, 15);
    h->avant_2012 = af_percent(g, 30);
    /* resources over the three brackets, a quarter with cents */
    h->ressources_cents = (int64_t)af_range(g, 0, 140000) * 100 + (af_percent(g, 25) ? af_range(g, 0, 99) : 0);
    h->n_children = af_range(g, 0, 6);
    for (int i = 0; i < h->n_children; i++) {
        af_child *c = &h->children[i];
        int age = af_range(g, 0, 21);
        c->y = y - age - (int)(af_rnd(g) & 1);
        c->m = af_range(g, 1, 12);
        c->d = af_range(g, 1, 28);
        if (c->y > y || (c->y == y && (c->m > m || (c->m == m && c->d > d)))) { c->y = y; c->m = 1; c->d = 1; }
        if (i > 0 && af_percent(g, 3)) {         /* twins */
            c->y = h->children[i - 1].y; c->m = h->children[i - 1].m; c->d = h->children[i - 1].d;
        }
        int p = af_range(g, 0, 99);
        c->prise = p < 80 ? AF_EFFECTIVE : p < 85 ? AF_ALTERNEE_UNIQUE : p < 93 ? AF_ALTERNEE_PARTAGE
                 : p < 97 ? AF_ASE_FAMILLE : AF_ASE_SERVICE;
        int q = af_range(g, 0, 99);
        c->pay_cents = age < 15 || q < 70 ? 0 : q < 90 ? (int64_t)af_range(g, 100, 110000)
                                                       : (int64_t)af_range(g, 110000, 200000);
        c->deja_ouvert_droit = !af_percent(g, 10);
        c->apl = age >= 16 && af_percent(g, 5);
    }
    /* 2 % of records lack one field: the resources, the residence or a child's pay */
    int missing = af_percent(g, 2) ? af_range(g, 0, 3) : -1;
    if (missing == 3 && h->n_children == 0) missing = 0;
    size_t n = 0;
    af_put(json, cap, &n, "{");
    if (id >= 0) af_put(json, cap, &n, "\"id\":\"H%08ld\",", id);
    af_put(json, cap, &n, "\"date\":\"%04d-%02d-%02d\"", y, m, d);
    if (missing == 1) h->residence = -1;
    else af_put(json, cap, &n, ",\"residence\":\"%s\"", residence);
    if (missing == 0 || missing == 2) h->ressources_cents = -1;
    else af_put(json, cap, &n, ",\"ressources\":%lld.%02lld", (long long)(h->ressources_cents / 100),
                (long long)(h->ressources_cents % 100));
    af_put(json, cap, &n, ",\"charge_par_parent\":%s,\"conditions_titre_I\":%s,\"enfant_a_charge_avant_2012\":%s,\"enfants\":[",
           h->charge_par_parent ? "true" : "false", h->titre_I ? "true" : "false", h->avant_2012 ? "true" : "false");
    int without_pay = missing == 3 ? af_range(g, 0, h->n_children - 1) : -1;
    for (int i = 0; i < h->n_children; i++) {
        af_child *c = &h->children[i];
        af_put(json, cap, &n, "%s{\"id\":\"e%d\",\"date_naissance\":\"%04d-%02d-%02d\"", i ? "," : "", i + 1, c->y, c->m, c->d);
        if (i == without_pay) c->pay_cents = -1;
        else af_put(json, cap, &n, ",\"remuneration_mensuelle\":%lld.%02lld", (long long)(c->pay_cents / 100),
                    (long long)(c->pay_cents % 100));
        af_put(json, cap, &n, ",\"prise_en_charge\":\"%s\",\"a_deja_ouvert_droit_af\":%s,\"apl_titre_personnel\":%s}",
               af_prise_names[c->prise], c->deja_ouvert_droit ? "true" : "false", c->apl ? "true" : "false");
    }
    af_put(json, cap, &n, "]}");
}
#endif
