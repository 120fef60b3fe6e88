/* bench_af.c — the engine benchmark on the allocations familiales rule set. Generates a
 * deterministic caseload (af_caseload.h), reads each case once (not timed), checks every
 * case the engine decides (GRANTED/DENIED) against the hand-written C computation
 * (af_handwritten.c) — amount equal to the cent, DENIED exactly when not eligible — then
 * times on one thread: evaluation without trace, with summary trace, with full trace,
 * and the hand-written code, in the same process on the same cases. Prints figures and
 * exits non-zero on any mismatch. Not a ctest test (timings depend on the machine).
 * Usage: bench_af [RULESET] [HOUSEHOLDS (20000)] [EVALUATIONS (1000000)] */
#include "af_caseload.h"
#include "decide.h"
#include <stdlib.h>
#include <time.h>

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;   /* timing display only */
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "rulesets/fr/allocations-familiales.xml";
    long n_cases = argc > 2 ? atol(argv[2]) : 20000;
    long evals = argc > 3 ? atol(argv[3]) : 1000000;
    if (n_cases < 1 || evals < 1) { fprintf(stderr, "usage: bench_af [RULESET] [HOUSEHOLDS] [EVALUATIONS]\n"); return 2; }
    decide_ruleset *rs = NULL;
    if (decide_ruleset_load_file(&rs, NULL, path, NULL) != DECIDE_OK) {
        fprintf(stderr, "bench_af: %s\n", decide_last_error());
        return 2;
    }
    af_household *hh = calloc((size_t)n_cases, sizeof *hh);
    decide_case **cases = calloc((size_t)n_cases, sizeof *cases);
    char **texts = calloc((size_t)n_cases, sizeof *texts);
    if (!hh || !cases || !texts) { fprintf(stderr, "bench_af: out of memory\n"); return 2; }
    af_rng g = { 20261122 };
    char json[2048];
    for (long i = 0; i < n_cases; i++) {
        af_generate(&g, &hh[i], -1, json, sizeof json);
        decide_diagnostics *d = NULL;
        if (decide_case_read_json(&cases[i], &d, rs, json, strlen(json), "generated") != DECIDE_OK ||
            decide_diagnostics_count(d) != 0) {
            fprintf(stderr, "bench_af: generated case %ld not read cleanly: %s\n%s\n", i, decide_last_error(), json);
            return 2;
        }
        decide_diagnostics_free(d);
        texts[i] = strdup(json);
    }

    /* correctness first: the engine against the hand-written computation, every case */
    decide_result *r = NULL;
    if (decide_result_new(&r) != DECIDE_OK) return 2;
    long counts[4] = { 0 }, mismatches = 0, hand_undecided = 0, review_hand_decided = 0, errors = 0;
    for (long i = 0; i < n_cases; i++) {
        if (decide_evaluate(r, rs, cases[i], NULL) != DECIDE_OK) { errors++; continue; }
        decide_outcome o = decide_result_outcome(r);
        counts[o]++;
        int64_t engine = 0, hand = 0;
        int eligible = af_compute(&hh[i], &hand);
        if (o == DECIDE_REVIEW) { review_hand_decided += eligible >= 0; continue; }
        decide_result_amount(r, &engine);
        int same = o == DECIDE_GRANTED ? eligible == 1 && hand == engine : eligible == 0;
        if (eligible < 0) hand_undecided++;
        if (!same && mismatches++ < 5)
            fprintf(stderr, "mismatch on household %ld: engine %s %lld, hand-written %s %lld\n  %s\n", i,
                    decide_outcome_name(o), (long long)engine,
                    eligible == 1 ? "eligible" : eligible == 0 ? "not eligible" : "undecided", (long long)hand, texts[i]);
    }
    printf("caseload: %ld households: %ld granted, %ld denied, %ld review, %ld evaluation error(s)\n",
           n_cases, counts[DECIDE_GRANTED], counts[DECIDE_DENIED], counts[DECIDE_REVIEW], errors);
    printf("check against the hand-written C on the %ld decided cases: %ld mismatch(es)"
           " (of which %ld the hand-written code could not decide); REVIEW cases the hand-written code decided: %ld\n",
           counts[DECIDE_GRANTED] + counts[DECIDE_DENIED], mismatches, hand_undecided, review_hand_decided);

    static const char *const names[] = { "no trace", "summary trace", "full trace" };
    double rate[3];
    for (int t = 0; t < 3; t++) {
        decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
        eo.trace = (decide_trace_level)t;
        long n = t == 0 ? evals : (evals + 3) / 4;   /* traced runs are slower: fewer rounds */
        long granted = 0;
        double t0 = seconds();
        for (long i = 0; i < n; i++) {
            decide_evaluate(r, rs, cases[i % n_cases], &eo);
            granted += decide_result_outcome(r) == DECIDE_GRANTED;
        }
        double dt = seconds() - t0;
        rate[t] = (double)n / dt;
        printf("engine, %-13s: %10.0f cases/s (%ld evaluations, %.2f s, %ld granted)\n", names[t], rate[t], n, dt, granted);
    }
    int64_t sink = 0;
    double t0 = seconds();
    for (long i = 0; i < evals; i++) {
        int64_t a = 0;
        af_compute(&hh[i % n_cases], &a);
        sink += a;
    }
    double hand_rate = (double)evals / (seconds() - t0);
    printf("hand-written C      : %10.0f cases/s (%ld evaluations, checksum %lld)\n", hand_rate, evals, (long long)sink);
    printf("ratios: engine without trace is %.1fx slower than hand-written C; full trace %.2fx, summary trace %.2fx slower than no trace\n",
           hand_rate / rate[0], rate[0] / rate[2], rate[0] / rate[1]);

    decide_result_free(r);
    for (long i = 0; i < n_cases; i++) { decide_case_free(cases[i]); free(texts[i]); }
    free(cases);
    free(texts);
    free(hh);
    decide_ruleset_free(rs);
    return mismatches ? 1 : 0;
}
