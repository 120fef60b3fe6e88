/* bench_af.c — the engine benchmark on the allocations familiales rule set. Generates a
 * deterministic caseload of realistic households (0–6 children of all ages, every
 * resource bracket, metropole and the DOM, some shared residence, ~2 % with a missing
 * field, dates 2019-04 → 2026-12), reads them once, then times on one thread:
 * evaluation without trace, with summary trace, with full trace, and the hand-written C
 * computation of the same amounts (af_handwritten.c) in the same process. Every case
 * the engine decides (GRANTED/DENIED) is checked equal to the hand-written result;
 * any mismatch fails the run. Prints figures; it is not a timed test.
 * Usage: bench_af [RULESET] [CASES] [EVALUATIONS] [--jsonl] */
#include "af_handwritten.h"
#include "decide.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct rng { uint64_t s; } rng;
static uint64_t rnd(rng *r)
{
    r->s ^= r->s >> 12; r->s ^= r->s << 25; r->s ^= r->s >> 27;
    return r->s * UINT64_C(2685821657736338717);
}
static int range(rng *r, int lo, int hi) { return lo + (int)(rnd(r) % (uint64_t)(hi - lo + 1)); }

static const char *const dom[] = { "guadeloupe", "guyane", "martinique", "la_reunion",
                                   "saint_barthelemy", "saint_martin" };

/* One household: its record for the hand-written code and its JSON text. */
static void generate(rng *g, af_household *h, char *json, size_t cap)
{
    memset(h, 0, sizeof *h);
    int day = range(g, 0, 2830);                 /* 2019-04-01 + 0..2830 days <= 2026-12-31 */
    int y = 2019, m = 4, d = 1;
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    while (day--) {
        int len = mdays[m - 1] + (m == 2 && y % 4 == 0);
        if (++d > len) { d = 1; if (++m > 12) { m = 1; y++; } }
    }
    h->y = y; h->m = m; h->d = d;
    h->dom = rnd(g) % 10 == 0;
    /* resources spread over the three brackets and around the ceilings */
    h->ressources_cents = (int64_t)range(g, 0, 140000) * 100 + (rnd(g) % 4 == 0 ? range(g, 0, 99) : 0);
    h->n_children = range(g, 0, 6);
    int missing = rnd(g) % 50 == 0;              /* ~2 % of households lack one field */
    size_t n = (size_t)snprintf(json, cap, "{\"date\":\"%04d-%02d-%02d\",\"residence\":\"%s\","
                                "\"charge_par_parent\":true,\"conditions_titre_I\":true,",
                                y, m, d, h->dom ? dom[rnd(g) % 6] : "metropole");
    if (!missing) n += (size_t)snprintf(json + n, cap - n, "\"ressources\":%lld.%02lld,",
                                        (long long)(h->ressources_cents / 100), (long long)(h->ressources_cents % 100));
    n += (size_t)snprintf(json + n, cap - n, "\"enfants\":[");
    for (int i = 0; i < h->n_children; i++) {
        af_child *c = &h->children[i];
        int age = range(g, 0, 21);
        c->y = y - age - (rnd(g) & 1);
        c->m = range(g, 1, 12);
        c->d = range(g, 1, 28);
        if (c->y > y || (c->y == y && (c->m > m || (c->m == m && c->d > d)))) { c->y = y - 1; }
        c->shared = rnd(g) % 8 == 0;
        n += (size_t)snprintf(json + n, cap - n,
                              "%s{\"id\":\"e%d\",\"date_naissance\":\"%04d-%02d-%02d\","
                              "\"remuneration_mensuelle\":0,\"prise_en_charge\":\"%s\","
                              "\"a_deja_ouvert_droit_af\":true,\"apl_titre_personnel\":false}",
                              i ? "," : "", i + 1, c->y, c->m, c->d,
                              c->shared ? "garde_alternee_partage" : "effective_permanente");
    }
    snprintf(json + n, cap - n, "]}");
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;   /* timing only */
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "rulesets/fr/allocations-familiales.xml";
    int n_cases = argc > 2 ? atoi(argv[2]) : 20000;
    long evals = argc > 3 ? atol(argv[3]) : 1000000;
    if (argc > 4 && !strcmp(argv[4], "--jsonl")) {
        /* generator mode for the batch benchmark: print n_cases JSON lines */
        rng g = { 20261122 };
        static char json[4096];
        af_household h;
        for (int i = 0; i < n_cases; i++) { generate(&g, &h, json, sizeof json); puts(json); }
        return 0;
    }
    decide_ruleset *rs = NULL;
    if (decide_ruleset_load_file(&rs, NULL, path, NULL) != DECIDE_OK) {
        fprintf(stderr, "bench_af: %s\n", decide_last_error());
        return 2;
    }
    af_household *hh = calloc((size_t)n_cases, sizeof *hh);
    decide_case **cases = calloc((size_t)n_cases, sizeof *cases);
    rng g = { 20261122 };
    static char json[4096];
    for (int i = 0; i < n_cases; i++) {
        generate(&g, &hh[i], json, sizeof json);
        if (decide_case_read_json(&cases[i], NULL, rs, json, strlen(json), "gen") != DECIDE_OK) {
            fprintf(stderr, "bench_af: generated case %d unreadable: %s\n%s\n", i, decide_last_error(), json);
            return 2;
        }
    }

    /* correctness first: engine against the hand-written computation, every case */
    decide_result *r = NULL;
    decide_result_new(&r);
    long counts[4] = { 0 }, mismatches = 0;
    for (int i = 0; i < n_cases; i++) {
        decide_evaluate(r, rs, cases[i], NULL);
        decide_outcome o = decide_result_outcome(r);
        counts[o]++;
        if (o == DECIDE_REVIEW) continue;
        int64_t engine = 0, hand = 0;
        decide_result_amount(r, &engine);
        int eligible = af_compute(&hh[i], &hand);
        int same = o == DECIDE_GRANTED ? eligible == 1 && hand == engine : eligible == 0;
        if (!same && mismatches++ < 5)
            fprintf(stderr, "mismatch on case %d: engine %s %lld, hand-written %s %lld\n", i,
                    decide_outcome_name(o), (long long)engine, eligible == 1 ? "eligible" : "not eligible",
                    (long long)hand);
    }
    printf("caseload: %d households: %ld granted, %ld denied, %ld review; %ld mismatch(es) with the hand-written C\n",
           n_cases, counts[DECIDE_GRANTED], counts[DECIDE_DENIED], counts[DECIDE_REVIEW], mismatches);

    static const char *const names[] = { "no trace", "summary trace", "full trace" };
    double rate[3];
    for (int t = 0; t < 3; t++) {
        decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
        eo.trace = (decide_trace_level)t;
        long n = t == 0 ? evals : evals / 4;
        double t0 = seconds();
        long granted = 0;
        for (long i = 0; i < n; i++) {
            decide_evaluate(r, rs, cases[i % n_cases], &eo);
            granted += decide_result_outcome(r) == DECIDE_GRANTED;
        }
        double dt = seconds() - t0;
        rate[t] = (double)n / dt;
        printf("engine, %-13s: %9.0f cases/s (%ld evaluations, %.2f s)\n", names[t], rate[t], n, dt);
        (void)granted;
    }
    double t0 = seconds();
    int64_t sink = 0;
    long reps = evals;
    for (long i = 0; i < reps; i++) {
        int64_t a = 0;
        af_compute(&hh[i % n_cases], &a);
        sink += a;
    }
    double hand_rate = (double)reps / (seconds() - t0);
    printf("hand-written C      : %9.0f cases/s (checksum %lld)\n", hand_rate, (long long)sink);
    printf("ratios: hand-written / engine without trace = %.1f; full trace slowdown = %.2f; summary trace slowdown = %.2f\n",
           hand_rate / rate[0], rate[0] / rate[2], rate[0] / rate[1]);
    decide_result_free(r);
    for (int i = 0; i < n_cases; i++) decide_case_free(cases[i]);
    free(cases);
    free(hh);
    decide_ruleset_free(rs);
    return mismatches ? 1 : 0;
}
