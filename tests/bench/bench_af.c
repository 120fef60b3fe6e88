/* bench_af.c — the engine benchmark on the allocations familiales rule set, on one
 * million distinct generated households by default (af_caseload.h, deterministic).
 * The caseload is processed in batches, as decide-batch does: each batch of households
 * is generated and read as cases (not timed), and each case is evaluated right after
 * being read, while it is still in cache — not a small set of cases read up front and
 * cycled over, which would measure a working set no real run has. For each batch:
 *   1. correctness (not timed): every case the engine decides (GRANTED/DENIED) is
 *      checked against the hand-written C computation (af_handwritten.c) — amount
 *      equal to the cent, DENIED exactly when not eligible;
 *   2. timed on one thread, each over the whole batch, in this order: evaluation
 *      without trace, with summary trace, with full trace, and the hand-written code
 *      on the batch's households; the times are summed over the batches;
 *   3. the batch's cases are freed.
 * Prints figures at the end (nothing during the run but errors) and exits 1 on any
 * mismatch, 2 on bad arguments or an unreadable rule set or case. Not a ctest test
 * (timings depend on the machine).
 * Usage: bench_af [RULESET] [HOUSEHOLDS (1000000)] [BATCH (1000)] */
#include "af_caseload.h"
#include "decide.h"
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#define JSON_CAP 2048   /* per household; af_generate says 2048 is ample */

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;   /* timing display only */
}

/* A positive count: digits only, at most max. */
static int parse_count(const char *s, long max, long *out)
{
    if (*s < '0' || *s > '9') return 0;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > max) return 0;
    *out = v;
    return 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_af [RULESET] [HOUSEHOLDS (1000000)] [BATCH (1000)]\n"
                    "  HOUSEHOLDS: distinct generated households, 1 to 1000000000\n"
                    "  BATCH: households read and evaluated together, 1 to 1000000\n");
    return 2;
}

enum { MODES = 3 };   /* engine: no trace, summary trace, full trace */

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "rulesets/fr/allocations-familiales.xml";
    long n_households = 1000000, batch = 1000;
    if (argc > 4 || (argc > 1 && !*path) ||
        (argc > 2 && !parse_count(argv[2], 1000000000L, &n_households)) ||
        (argc > 3 && !parse_count(argv[3], 1000000L, &batch)))
        return usage();
    decide_ruleset *rs = NULL;
    if (decide_ruleset_load_file(&rs, NULL, path, NULL) != DECIDE_OK) {
        fprintf(stderr, "bench_af: %s\n", decide_last_error());
        return 2;
    }
    int status = 2;
    long cap = batch < n_households ? batch : n_households;
    af_household *hh = calloc((size_t)cap, sizeof *hh);
    decide_case **cases = calloc((size_t)cap, sizeof *cases);
    char *texts = malloc((size_t)cap * JSON_CAP);
    decide_result *res[MODES] = { NULL };
    if (!hh || !cases || !texts) { fprintf(stderr, "bench_af: out of memory\n"); goto out; }
    for (int t = 0; t < MODES; t++)
        if (decide_result_new(&res[t]) != DECIDE_OK) { fprintf(stderr, "bench_af: %s\n", decide_last_error()); goto out; }

    af_rng g = { 20261122 };
    long counts[4] = { 0 }, mismatches = 0, hand_undecided = 0, review_hand_decided = 0, errors = 0;
    double secs[MODES] = { 0 }, hand_secs = 0;
    long granted[MODES] = { 0 };
    int64_t sink = 0;
    for (long first = 0; first < n_households; first += batch) {
        long n = n_households - first < batch ? n_households - first : batch;
        /* generate and read the batch (not timed) */
        long n_read = 0;
        for (long i = 0; i < n; i++) {
            char *json = texts + (size_t)i * JSON_CAP;
            af_generate(&g, &hh[i], -1, json, JSON_CAP);
            decide_diagnostics *d = NULL;
            int rc = decide_case_read_json(&cases[i], &d, rs, json, strlen(json), "generated");
            size_t n_diags = decide_diagnostics_count(d);
            decide_diagnostics_free(d);
            if (rc == DECIDE_OK) n_read++;
            if (rc != DECIDE_OK || n_diags != 0) {
                fprintf(stderr, "bench_af: generated case %ld not read cleanly: %s\n%s\n", first + i,
                        rc != DECIDE_OK ? decide_last_error() : "diagnostics", json);
                for (long k = 0; k < n_read; k++) decide_case_free(cases[k]);
                goto out;
            }
        }

        /* correctness first: the engine against the hand-written computation, every case */
        decide_result *r = res[0];
        for (long i = 0; i < n; i++) {
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
                fprintf(stderr, "mismatch on household %ld: engine %s %lld, hand-written %s %lld\n  %s\n", first + i,
                        decide_outcome_name(o), (long long)engine,
                        eligible == 1 ? "eligible" : eligible == 0 ? "not eligible" : "undecided", (long long)hand,
                        texts + (size_t)i * JSON_CAP);
        }

        /* timed: each mode over the whole batch */
        for (int t = 0; t < MODES; t++) {
            decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
            eo.trace = (decide_trace_level)t;
            decide_result *rt = res[t];
            long gr = 0;
            double t0 = seconds();
            for (long i = 0; i < n; i++) {
                decide_evaluate(rt, rs, cases[i], &eo);
                gr += decide_result_outcome(rt) == DECIDE_GRANTED;
            }
            secs[t] += seconds() - t0;
            granted[t] += gr;
        }
        double t0 = seconds();
        for (long i = 0; i < n; i++) {
            int64_t a = 0;
            af_compute(&hh[i], &a);
            sink += a;
        }
        hand_secs += seconds() - t0;

        for (long i = 0; i < n; i++) decide_case_free(cases[i]);
    }

    printf("caseload: %ld households (batches of %ld): %ld granted, %ld denied, %ld review, %ld evaluation error(s)\n",
           n_households, batch, counts[DECIDE_GRANTED], counts[DECIDE_DENIED], counts[DECIDE_REVIEW], errors);
    printf("check against the hand-written C on the %ld decided cases: %ld mismatch(es)"
           " (of which %ld the hand-written code could not decide); REVIEW cases the hand-written code decided: %ld\n",
           counts[DECIDE_GRANTED] + counts[DECIDE_DENIED], mismatches, hand_undecided, review_hand_decided);
    static const char *const names[MODES] = { "no trace", "summary trace", "full trace" };
    double rate[MODES];
    for (int t = 0; t < MODES; t++) {
        rate[t] = secs[t] > 0 ? (double)n_households / secs[t] : 0;
        printf("engine, %-13s: %10.0f cases/s (%ld evaluations, %.2f s, %ld granted)\n", names[t], rate[t],
               n_households, secs[t], granted[t]);
    }
    double hand_rate = hand_secs > 0 ? (double)n_households / hand_secs : 0;
    printf("hand-written C      : %10.0f cases/s (%ld evaluations, checksum %lld)\n", hand_rate, n_households,
           (long long)sink);
    printf("ratios: engine without trace is %.1fx slower than hand-written C; full trace %.2fx, summary trace %.2fx slower than no trace\n",
           rate[0] > 0 ? hand_rate / rate[0] : 0, rate[2] > 0 ? rate[0] / rate[2] : 0,
           rate[1] > 0 ? rate[0] / rate[1] : 0);
    status = mismatches ? 1 : 0;

out:
    for (int t = 0; t < MODES; t++) decide_result_free(res[t]);
    free(texts);
    free(cases);
    free(hh);
    decide_ruleset_free(rs);
    return status;
}
