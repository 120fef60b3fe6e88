/* run_cases.c — the rule set test driver. Each test is a data file (JSON):
 *   { "name": "...", "ruleset": "path/from/repo/root.xml", "arithmetic": [...],
 *     "date": "YYYY-MM-DD" (optional, else the case's), "case": { case record },
 *     "expect": { "outcome": "GRANTED|DENIED|REVIEW", "amount": "151.80" | null,
 *                 "values": { name: "canonical text" | null, ... },
 *                 "missing": [ "input path", ... ]      (exact, sorted),
 *                 "conflicts": [ "variable", ... ],
 *                 "error": "substring" } }                (an evaluation error)
 * The expected figures are worked out by hand from the law ("arithmetic"), never
 * copied from the program. Every file is also rendered in every format (fr, en, JSON,
 * HTML) so the renderers run under the sanitizers on every case. Every case is also
 * evaluated without trace twice, with the compiled program (compile.h) and with the
 * reference evaluator alone (eval.c, the program detached), which must agree on the
 * outcome, the amount and the missing list (and on an evaluation error).
 * Usage: run_cases DIR|FILE... ; prints one line per failure and "N passed, M failed". */
#include "decide.h"
#include "eval.h"
#include "model.h"
#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct loaded { char *path; decide_ruleset *rs; } loaded;
static loaded cache[32];
static size_t n_cache;
static int passed, failed;
static int compared, by_program;   /* cases evaluated both ways; decided by the program */

static decide_ruleset *ruleset_for(const char *path)
{
    for (size_t i = 0; i < n_cache; i++)
        if (!strcmp(cache[i].path, path)) return cache[i].rs;
    decide_ruleset *rs = NULL;
    decide_diagnostics *d = NULL;
    if (decide_ruleset_load_file(&rs, &d, path, NULL) != DECIDE_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, decide_last_error());
        for (size_t k = 0; k < decide_diagnostics_count(d); k++) {
            char *s = decide_diag_format(decide_diagnostics_get(d, k));
            fprintf(stderr, "  %s\n", s);
            decide_free(s);
        }
    }
    decide_diagnostics_free(d);
    if (n_cache < sizeof cache / sizeof cache[0]) {
        cache[n_cache].path = strdup(path);
        cache[n_cache].rs = rs;
        n_cache++;
    }
    return rs;
}

#define FAIL(...) do { fprintf(stderr, "FAIL %s: ", file); fprintf(stderr, __VA_ARGS__); \
                       fputc('\n', stderr); ok = 0; } while (0)

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) return NULL;
    return json_object_get_string(v);
}

static void print_missing(const decide_result *r)
{
    fputc('[', stderr);
    for (size_t i = 0; i < decide_result_missing_count(r); i++)
        fprintf(stderr, "%s%s", i ? ", " : "", decide_result_missing(r, i)->input);
    fputc(']', stderr);
}

/* Evaluates c without trace with the compiled program, then with the reference
 * evaluator alone (the program detached for the call: this driver is single-threaded),
 * and requires the same return code and, when both succeed, the same outcome, amount
 * and missing list. Clears *ok on a difference. */
static void check_program(const char *file, const decide_ruleset *rs, const decide_case *c, const char *date,
                          int *ok_)
{
    int ok = 1;
    decide_result *fast = NULL, *ref = NULL;
    if (decide_result_new(&fast) != DECIDE_OK || decide_result_new(&ref) != DECIDE_OK) {
        FAIL("out of memory");
        goto done;
    }
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    eo.date = date;
    int rc_fast = decide_evaluate(fast, rs, c, &eo);
    dc_ruleset *m = (dc_ruleset *)rs;
    struct dc_program *saved = m->program;
    m->program = NULL;
    int rc_ref = decide_evaluate(ref, rs, c, &eo);
    m->program = saved;
    compared++;
    by_program += fast->fast;
    if (ref->fast) FAIL("the reference evaluation says the program decided");
    if (rc_fast != rc_ref) {
        FAIL("without trace: return code %d with the program, %d with the reference evaluator", rc_fast, rc_ref);
        goto done;
    }
    if (rc_fast != DECIDE_OK) goto done;
    decide_outcome of = decide_result_outcome(fast), orf = decide_result_outcome(ref);
    if (of != orf)
        FAIL("without trace: outcome %s with the program, %s with the reference evaluator",
             decide_outcome_name(of), decide_outcome_name(orf));
    int64_t af = 0, ar = 0;
    int kf = decide_result_amount(fast, &af) != 0, kr = decide_result_amount(ref, &ar) != 0;
    if (kf != kr || (kf && af != ar))
        FAIL("without trace: amount %s%lld with the program, %s%lld with the reference evaluator",
             kf ? "" : "unknown ", (long long)af, kr ? "" : "unknown ", (long long)ar);
    size_t n = decide_result_missing_count(fast);
    int same = n == decide_result_missing_count(ref);
    for (size_t i = 0; same && i < n; i++)
        same = !strcmp(decide_result_missing(fast, i)->input, decide_result_missing(ref, i)->input);
    if (!same) {
        fprintf(stderr, "FAIL %s: without trace: missing list ", file);
        print_missing(fast);
        fprintf(stderr, " with the program, ");
        print_missing(ref);
        fprintf(stderr, " with the reference evaluator\n");
        ok = 0;
    }
done:
    if (!ok) *ok_ = 0;
    decide_result_free(fast);
    decide_result_free(ref);
}

static void run_file(const char *file)
{
    json_object *t = json_object_from_file(file);
    int ok = 1;
    if (!t) { FAIL("not valid JSON: %s", json_util_get_last_err()); failed++; return; }
    const char *rs_path = jstr(t, "ruleset");
    json_object *jcase = NULL, *expect = NULL;
    json_object_object_get_ex(t, "case", &jcase);
    json_object_object_get_ex(t, "expect", &expect);
    decide_ruleset *rs = rs_path ? ruleset_for(rs_path) : NULL;
    decide_case *c = NULL;
    decide_result *r = NULL;
    decide_diagnostics *d = NULL;
    if (!rs || !jcase || !expect) { FAIL("needs a loadable \"ruleset\", \"case\" and \"expect\""); goto done; }
    const char *text = json_object_to_json_string_ext(jcase, JSON_C_TO_STRING_PLAIN);
    if (decide_case_read_json(&c, &d, rs, text, strlen(text), file) != DECIDE_OK) {
        FAIL("case not readable: %s", decide_last_error());
        goto done;
    }
    check_program(file, rs, c, jstr(t, "date"), &ok);
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    eo.date = jstr(t, "date");
    eo.trace = DECIDE_TRACE_FULL;
    decide_result_new(&r);
    int rc = decide_evaluate(r, rs, c, &eo);
    const char *want_error = jstr(expect, "error");
    if (want_error) {
        if (rc == DECIDE_OK) FAIL("expected an evaluation error containing '%s'", want_error);
        else if (!strstr(decide_result_error(r), want_error) && !strstr(decide_last_error(), want_error))
            FAIL("error '%s' does not contain '%s'", decide_last_error(), want_error);
        goto done;
    }
    if (rc != DECIDE_OK) { FAIL("evaluation failed: %s", decide_last_error()); goto done; }

    const char *want = jstr(expect, "outcome");
    const char *got = decide_outcome_name(decide_result_outcome(r));
    if (want && strcmp(want, got)) FAIL("outcome %s, expected %s", got, want);

    json_object *jamount;
    if (json_object_object_get_ex(expect, "amount", &jamount)) {
        int64_t cents;
        char buf[64] = "null";
        if (decide_result_amount(r, &cents) && decide_result_outcome(r) == DECIDE_GRANTED)
            snprintf(buf, sizeof buf, "%s%lld.%02lld", cents < 0 ? "-" : "",
                     (long long)llabs(cents) / 100, (long long)llabs(cents) % 100);
        const char *wa = json_object_is_type(jamount, json_type_null) ? "null" : json_object_get_string(jamount);
        if (strcmp(wa, buf)) FAIL("amount %s, expected %s", buf, wa);
    }
    json_object *jvalues;
    if (json_object_object_get_ex(expect, "values", &jvalues)) {
        json_object_object_foreach(jvalues, name, jv) {
            const char *val = NULL;
            if (!decide_result_value(r, name, &val)) { FAIL("no value named '%s'", name); continue; }
            const char *wv = json_object_is_type(jv, json_type_null) ? NULL : json_object_get_string(jv);
            if ((wv == NULL) != (val == NULL) || (wv && strcmp(wv, val)))
                FAIL("value %s = %s, expected %s", name, val ? val : "unknown", wv ? wv : "unknown");
        }
    }
    json_object *jmissing;
    if (json_object_object_get_ex(expect, "missing", &jmissing)) {
        size_t n = decide_result_missing_count(r), wn = json_object_array_length(jmissing);
        int same = n == wn;
        for (size_t i = 0; same && i < n; i++)
            same = !strcmp(decide_result_missing(r, i)->input,
                           json_object_get_string(json_object_array_get_idx(jmissing, i)));
        if (!same) {
            fprintf(stderr, "FAIL %s: missing list differs: got [", file);
            for (size_t i = 0; i < n; i++) fprintf(stderr, "%s%s", i ? ", " : "", decide_result_missing(r, i)->input);
            fprintf(stderr, "], expected %s\n", json_object_to_json_string(jmissing));
            ok = 0;
        }
    }
    json_object *jconf;
    if (json_object_object_get_ex(expect, "conflicts", &jconf)) {
        size_t n = decide_result_conflict_count(r), wn = json_object_array_length(jconf);
        int same = n == wn;
        for (size_t i = 0; same && i < n; i++)
            same = !strcmp(decide_result_conflict(r, i)->variable,
                           json_object_get_string(json_object_array_get_idx(jconf, i)));
        if (!same) FAIL("conflicts differ (got %zu)", n);
    }
    /* every renderer, every language: must succeed and produce non-empty output */
    static const decide_format formats[] = { DECIDE_FORMAT_TEXT, DECIDE_FORMAT_JSON, DECIDE_FORMAT_HTML };
    static const char *const langs[] = { "fr", "en" };
    for (size_t f = 0; f < 3; f++) {
        for (size_t l = 0; l < 2; l++) {
            decide_render_options ro = DECIDE_RENDER_OPTIONS_INIT;
            ro.format = formats[f];
            ro.lang = langs[l];
            ro.verbose = 1;
            char *out = NULL;
            size_t len = 0;
            if (decide_result_render(&out, &len, r, &ro) != DECIDE_OK || len == 0)
                FAIL("rendering failed: %s", decide_last_error());
            if (out && formats[f] == DECIDE_FORMAT_JSON) {
                json_object *parsed = json_tokener_parse(out);
                if (!parsed) FAIL("JSON rendering is not valid JSON");
                json_object_put(parsed);
            }
            decide_free(out);
        }
    }
done:
    if (ok) passed++; else failed++;
    decide_diagnostics_free(d);
    decide_result_free(r);
    decide_case_free(c);
    json_object_put(t);
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) { fprintf(stderr, "FAIL %s: no such file or directory\n", path); failed++; return; }
    if (!S_ISDIR(st.st_mode)) { run_file(path); return; }
    DIR *dir = opendir(path);
    if (!dir) { failed++; return; }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        names = realloc(names, (n + 1) * sizeof *names);
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dir);
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(names[i]);
        struct stat s2;
        if (stat(names[i], &s2) == 0 && S_ISDIR(s2.st_mode)) run_path(names[i]);
        else if (l > 5 && !strcmp(names[i] + l - 5, ".json")) run_file(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: run_cases DIR|FILE...\n"); return 2; }
    for (int i = 1; i < argc; i++) run_path(argv[i]);
    for (size_t i = 0; i < n_cache; i++) { decide_ruleset_free(cache[i].rs); free(cache[i].path); }
    printf("# without trace, the compiled program decided %d of %d case(s) (the reference evaluator the others)\n",
           by_program, compared);
    printf("%d passed, %d failed\n", passed, failed);
    return failed || passed == 0 ? 1 : 0;
}
