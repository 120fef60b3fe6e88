/* decide-diff — the jurist's instrument: what changed between two versions of a rule
 * set (and which decisions it changes on a file of cases), or how a rule set has drifted
 * from the statutes it cites. Text for people, JSON for tools (diff.schema.json). */
#include "common.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "statute.h"
#include "value.h"

static const char usage[] =
    "Usage: decide-diff [OPTIONS] OLD.xml NEW.xml [--cases FILE.jsonl]\n"
    "       decide-diff [OPTIONS] RULESET.xml --statutes DIR|FILE...\n"
    "\n"
    "Rule set against rule set: rules, computed values, parameters (and their dated\n"
    "values), inputs and articles added, removed and changed, grouped by article, most\n"
    "serious first. With --cases, every case (one JSON object per line) is evaluated with\n"
    "both versions and the decisions that change are counted, by direction and amount.\n"
    "\n"
    "Rule set against statutes (LEGI XML or Akoma Ntoso files, directories searched for\n"
    "*.xml): cited articles missing, abrogated or amended, quoted text that differs\n"
    "(word-level diff), numbers of the law without counterpart in the rules and constants\n"
    "of the rules in no cited article, articles and alinéas cited by no rule.\n"
    "\n"
    "  --cases FILE      impact on the cases of FILE (JSON Lines)\n"
    "  --examples N      changed cases shown with both motivations (default 3)\n"
    "  --date YYYY-MM-DD evaluation date of the cases (default: each case's \"date\");\n"
    "                    with --statutes, the date the articles must be in force\n"
    "                    (default: the latest version in the corpus)\n"
    "  --statutes PATH.. statute corpus (every following argument not starting with -)\n"
    "  --scope PREFIX    coverage: only corpus articles whose number starts with PREFIX\n"
    "                    or whose code is PREFIX (default: the codes the rule set cites)\n"
    "  --format text|json\n"
    "  --lang fr|en      language of the motivations shown as examples (default fr)\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 nothing found, 1 differences found, 2 error (bad rule set, unreadable\n"
    "file, usage).\n";

typedef struct options {
    const char *rulesets[2];
    int n_rulesets;
    const char *cases, *date, *scope, *lang;
    const char **statutes;
    int n_statutes;
    int json;
    long examples;
} options;

static int fail_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "decide-diff: %s%s%s\n%s", msg, arg ? " " : "", arg ? arg : "", usage);
    return 2;
}

/* Loads a rule set with the public API; prints its errors. NULL on failure. */
static const dc_ruleset *load_ruleset(const char *path, decide_ruleset **handle)
{
    decide_diagnostics *d = NULL;
    int rc = decide_ruleset_load_file(handle, &d, path, NULL);
    if (rc != DECIDE_OK) {
        cli_print_errors(stderr, d);
        fprintf(stderr, "decide-diff: %s: %s\n", path,
                rc == DECIDE_ELOAD ? "the rule set has errors" : decide_last_error());
        decide_diagnostics_free(d);
        *handle = NULL;
        return NULL;
    }
    decide_diagnostics_free(d);
    /* decide_ruleset is the dc_ruleset (api.c): the differ reads the model directly. */
    return (const dc_ruleset *)*handle;
}

static void put_cents(dc_buf *out, int64_t cents, int sign)
{
    dc_value v = dc_v_make(DC_T_MONEY, cents < 0 && cents != INT64_MIN ? -cents : cents);
    if (cents < 0) dc_buf_putc(out, '-');
    else if (sign && cents > 0) dc_buf_putc(out, '+');
    dc_value_canonical(out, v, NULL);
    dc_buf_puts(out, " \u20ac");
}

/* ---------------------------------------------------------------- impact */

typedef struct example {
    long line;
    dc_impact_direction direction;
    char *old_text, *new_text;
    char *old_summary, *new_summary;
} example;

typedef struct bad_line { long line; char *message; } bad_line;

typedef struct impact_run {
    dc_impact im;
    example *examples; size_t n_examples;
    bad_line *bad; size_t n_bad, cap_bad;
} impact_run;

static void add_bad(impact_run *run, long line, const char *msg)
{
    if (run->n_bad == run->cap_bad) {
        size_t cap = run->cap_bad ? run->cap_bad * 2 : 8;
        bad_line *b = realloc(run->bad, cap * sizeof *b);
        if (!b) return;
        run->bad = b;
        run->cap_bad = cap;
    }
    run->bad[run->n_bad].line = line;
    run->bad[run->n_bad].message = strdup(msg ? msg : "");
    run->n_bad++;
    run->im.errors++;
}

static char *first_error(decide_diagnostics *d)
{
    for (size_t k = 0; k < decide_diagnostics_count(d); k++) {
        const decide_diag *g = decide_diagnostics_get(d, k);
        if (g->severity == DECIDE_ERROR) {
            dc_buf b;
            dc_buf_init(&b);
            dc_buf_printf(&b, "%u:%u: %s", g->line, g->column, g->message);
            return dc_buf_take(&b);
        }
    }
    return strdup("unreadable case");
}

static char *summary_of(const decide_result *r)
{
    dc_buf b;
    dc_buf_init(&b);
    decide_outcome o = decide_result_outcome(r);
    dc_buf_puts(&b, decide_outcome_name(o));
    int64_t cents;
    if (o == DECIDE_GRANTED && decide_result_amount(r, &cents)) {
        dc_buf_putc(&b, ' ');
        put_cents(&b, cents, 0);
    }
    return dc_buf_take(&b);
}

static char *motivation(const decide_result *r, const char *lang)
{
    decide_render_options ro = DECIDE_RENDER_OPTIONS_INIT;
    ro.lang = lang;
    char *text = NULL;
    if (decide_result_render(&text, NULL, r, &ro) != DECIDE_OK) return strdup("(no motivation)");
    return text;
}

/* Returns 0, or 2 when the file cannot be read. */
static int run_impact(impact_run *run, const options *o, const decide_ruleset *old_rs,
                      const decide_ruleset *new_rs)
{
    FILE *f = fopen(o->cases, "r");
    if (!f) {
        fprintf(stderr, "decide-diff: %s: %s\n", o->cases, strerror(errno));
        return 2;
    }
    decide_result *ra = NULL, *rb = NULL;
    if (decide_result_new(&ra) != DECIDE_OK || decide_result_new(&rb) != DECIDE_OK) {
        decide_result_free(ra);
        fclose(f);
        return 2;
    }
    run->examples = calloc((size_t)o->examples + 1, sizeof *run->examples);
    dc_impact_init(&run->im);
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    eo.date = o->date;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t k = 0;
        while (k < (size_t)len && strchr(" \t\r\n", line[k])) k++;
        if (k == (size_t)len) continue;   /* blank lines are not cases */
        decide_case *ca = NULL, *cb = NULL;
        decide_diagnostics *da = NULL, *db = NULL;
        char name[64];
        snprintf(name, sizeof name, "%s:%ld", o->cases, lineno);
        int rca = decide_case_read_json(&ca, &da, old_rs, line, (size_t)len, name);
        int rcb = rca == DECIDE_OK ? decide_case_read_json(&cb, &db, new_rs, line, (size_t)len, name) : rca;
        if (rca != DECIDE_OK || rcb != DECIDE_OK) {
            char *msg = first_error(rca != DECIDE_OK ? da : db);
            add_bad(run, lineno, msg);
            free(msg);
        } else {
            int ea = decide_evaluate(ra, old_rs, ca, &eo);
            int eb = decide_evaluate(rb, new_rs, cb, &eo);
            if (ea != DECIDE_OK || eb != DECIDE_OK) {
                const decide_result *bad = ea != DECIDE_OK ? ra : rb;
                int rc = ea != DECIDE_OK ? ea : eb;
                char msg[600];
                snprintf(msg, sizeof msg, "%s version: %s", ea != DECIDE_OK ? "old" : "new",
                         rc == DECIDE_EEVAL ? decide_result_error(bad) : decide_strerror(rc));
                add_bad(run, lineno, msg);
            } else {
                int64_t a = 0, b = 0;
                int ha = decide_result_amount(ra, &a), hb = decide_result_amount(rb, &b);
                dc_impact_direction dir = dc_impact_add(&run->im, decide_result_outcome(ra), ha, a,
                                                        decide_result_outcome(rb), hb, b);
                if (dir != DC_IMPACT_UNCHANGED && run->examples && run->n_examples < (size_t)o->examples) {
                    example *ex = &run->examples[run->n_examples++];
                    ex->line = lineno;
                    ex->direction = dir;
                    ex->old_summary = summary_of(ra);
                    ex->new_summary = summary_of(rb);
                    decide_eval_options to = eo;
                    to.trace = DECIDE_TRACE_FULL;
                    decide_evaluate(ra, old_rs, ca, &to);
                    decide_evaluate(rb, new_rs, cb, &to);
                    ex->old_text = motivation(ra, o->lang);
                    ex->new_text = motivation(rb, o->lang);
                }
            }
        }
        decide_case_free(ca);
        decide_case_free(cb);
        decide_diagnostics_free(da);
        decide_diagnostics_free(db);
    }
    free(line);
    fclose(f);
    decide_result_free(ra);
    decide_result_free(rb);
    return 0;
}

static void free_impact(impact_run *run)
{
    for (size_t i = 0; i < run->n_examples; i++) {
        free(run->examples[i].old_text);
        free(run->examples[i].new_text);
        free(run->examples[i].old_summary);
        free(run->examples[i].new_summary);
    }
    free(run->examples);
    for (size_t i = 0; i < run->n_bad; i++) free(run->bad[i].message);
    free(run->bad);
}

static const char *direction_words(dc_impact_direction d)
{
    switch (d) {
    case DC_IMPACT_UNCHANGED: return "unchanged";
    case DC_IMPACT_GRANTED_TO_DENIED: return "granted \u2192 denied";
    case DC_IMPACT_DENIED_TO_GRANTED: return "denied \u2192 granted";
    case DC_IMPACT_TO_REVIEW: return "\u2192 review";
    case DC_IMPACT_FROM_REVIEW: return "review \u2192";
    case DC_IMPACT_AMOUNT_UP: return "amount up";
    case DC_IMPACT_AMOUNT_DOWN: return "amount down";
    default: return "?";
    }
}

/* "  label      N": padded by characters, not bytes (the labels hold → and –). */
static void count_line(dc_buf *out, const char *label, size_t count)
{
    size_t chars = 0;
    for (const char *p = label; *p; p++) chars += ((unsigned char)*p & 0xC0) != 0x80;
    dc_buf_printf(out, "  %s", label);
    for (; chars < 20; chars++) dc_buf_putc(out, ' ');
    dc_buf_printf(out, " %zu\n", count);
}

static void impact_text(dc_buf *out, const impact_run *run, const options *o)
{
    const dc_impact *im = &run->im;
    dc_buf_printf(out, "\nImpact on %s: %zu case(s) evaluated, %zu decision(s) changed",
                  o->cases, im->cases, im->changed);
    if (run->n_bad) dc_buf_printf(out, ", %zu line(s) not evaluated", run->n_bad);
    dc_buf_puts(out, "\n");
    for (int d = 1; d < DC_IMPACT_DIRECTION_COUNT_; d++)
        count_line(out, direction_words((dc_impact_direction)d), im->by_direction[d]);
    count_line(out, direction_words(DC_IMPACT_UNCHANGED), im->by_direction[0]);
    if (im->n_amount_diffs) {
        dc_buf_printf(out, "Amount paid changes in %zu case(s) (new \u2212 old): min ", im->n_amount_diffs);
        put_cents(out, im->min_diff, 1);
        dc_buf_puts(out, ", max ");
        put_cents(out, im->max_diff, 1);
        dc_buf_puts(out, "\n");
        for (int b = 0; b < DC_IMPACT_BUCKETS; b++)
            count_line(out, dc_impact_bucket_label(b), im->buckets[b]);
    }
    for (size_t i = 0; i < run->n_bad; i++)
        dc_buf_printf(out, "line %ld: not evaluated: %s\n", run->bad[i].line, run->bad[i].message);
    for (size_t i = 0; i < run->n_examples; i++) {
        const example *ex = &run->examples[i];
        dc_buf_printf(out, "\n=== line %ld: %s \u2192 %s (%s)\n", ex->line, ex->old_summary,
                      ex->new_summary, direction_words(ex->direction));
        dc_buf_puts(out, "--- OLD\n");
        dc_buf_puts(out, ex->old_text);
        if (out->len && out->data[out->len - 1] != '\n') dc_buf_putc(out, '\n');
        dc_buf_puts(out, "--- NEW\n");
        dc_buf_puts(out, ex->new_text);
        if (out->len && out->data[out->len - 1] != '\n') dc_buf_putc(out, '\n');
    }
}

static void impact_json(dc_buf *out, const impact_run *run, const options *o)
{
    const dc_impact *im = &run->im;
    dc_buf_puts(out, ",\n  \"impact\": {\"cases_file\": ");
    dc_buf_json_string(out, o->cases);
    dc_buf_printf(out, ", \"cases\": %zu, \"changed\": %zu, \"not_evaluated\": %zu,\n    \"directions\": {",
                  im->cases, im->changed, run->n_bad);
    for (int d = 0; d < DC_IMPACT_DIRECTION_COUNT_; d++)
        dc_buf_printf(out, "%s\"%s\": %zu", d ? ", " : "", dc_impact_direction_code((dc_impact_direction)d),
                      im->by_direction[d]);
    dc_buf_printf(out, "},\n    \"amount_changes\": %zu, ", im->n_amount_diffs);
    if (im->n_amount_diffs)
        dc_buf_printf(out, "\"min_diff_cents\": %lld, \"max_diff_cents\": %lld, ",
                      (long long)im->min_diff, (long long)im->max_diff);
    else
        dc_buf_puts(out, "\"min_diff_cents\": null, \"max_diff_cents\": null, ");
    dc_buf_puts(out, "\"buckets\": [");
    static const long long lows[DC_IMPACT_BUCKETS] = { 0, 100, 1000, 5000, 10000 };
    for (int b = 0; b < DC_IMPACT_BUCKETS; b++) {
        dc_buf_printf(out, "%s{\"label\": ", b ? ", " : "");
        dc_buf_json_string(out, dc_impact_bucket_label(b));
        dc_buf_printf(out, ", \"min_cents\": %lld, \"count\": %zu}", lows[b], im->buckets[b]);
    }
    dc_buf_puts(out, "],\n    \"malformed\": [");
    for (size_t i = 0; i < run->n_bad; i++) {
        dc_buf_printf(out, "%s{\"line\": %ld, \"message\": ", i ? ", " : "", run->bad[i].line);
        dc_buf_json_string(out, run->bad[i].message);
        dc_buf_putc(out, '}');
    }
    dc_buf_puts(out, "],\n    \"examples\": [");
    for (size_t i = 0; i < run->n_examples; i++) {
        const example *ex = &run->examples[i];
        dc_buf_printf(out, "%s\n      {\"line\": %ld, \"direction\": \"%s\", \"old\": ", i ? "," : "",
                      ex->line, dc_impact_direction_code(ex->direction));
        dc_buf_json_string(out, ex->old_summary);
        dc_buf_puts(out, ", \"new\": ");
        dc_buf_json_string(out, ex->new_summary);
        dc_buf_puts(out, ", \"old_motivation\": ");
        dc_buf_json_string(out, ex->old_text);
        dc_buf_puts(out, ", \"new_motivation\": ");
        dc_buf_json_string(out, ex->new_text);
        dc_buf_putc(out, '}');
    }
    dc_buf_puts(out, run->n_examples ? "\n    ]}" : "]}");
}

/* ---------------------------------------------------------------- modes */

static void ruleset_json(dc_buf *out, const char *key, const char *path, const dc_ruleset *rs)
{
    dc_buf_printf(out, "  \"%s\": {\"file\": ", key);
    dc_buf_json_string(out, path);
    dc_buf_puts(out, ", \"id\": ");
    dc_buf_json_string(out, rs->id ? rs->id : "");
    dc_buf_puts(out, ", \"version\": ");
    dc_buf_json_string(out, rs->version ? rs->version : "");
    dc_buf_puts(out, "},\n");
}

static void summary_text(dc_buf *out, const dc_diff_report *r)
{
    size_t n = dc_diff_count_differences(r);
    size_t groups = 0;
    for (size_t i = 0; i < r->count; i++)
        if (i == 0 || strcmp(r->items[i].group, r->items[i - 1].group) ||
            strcmp(r->items[i].group_label, r->items[i - 1].group_label)) groups++;
    if (!r->count) dc_buf_puts(out, "No difference.\n");
    else dc_buf_printf(out, "%zu difference(s), %zu finding(s) in %zu group(s).\n\n", n, r->count, groups);
}

static int mode_rulesets(const options *o)
{
    decide_ruleset *ha = NULL, *hb = NULL;
    const dc_ruleset *a = load_ruleset(o->rulesets[0], &ha);
    const dc_ruleset *b = a ? load_ruleset(o->rulesets[1], &hb) : NULL;
    if (!a || !b) { decide_ruleset_free(ha); return 2; }
    dc_diff_report rep;
    dc_diff_report_init(&rep);
    int status = 0;
    if (dc_diff_rulesets(&rep, a, b) != 0) { fprintf(stderr, "decide-diff: out of memory\n"); status = 2; }
    dc_diff_report_sort(&rep);
    impact_run run;
    memset(&run, 0, sizeof run);
    if (!status && o->cases) status = run_impact(&run, o, ha, hb);
    if (!status) {
        dc_buf out;
        dc_buf_init(&out);
        if (o->json) {
            dc_buf_printf(&out, "{\n  \"tool\": \"decide-diff\",\n  \"version\": \"%s\",\n  \"mode\": \"rulesets\",\n",
                          decide_version());
            ruleset_json(&out, "old", o->rulesets[0], a);
            ruleset_json(&out, "new", o->rulesets[1], b);
            dc_buf_printf(&out, "  \"differences\": %zu,\n  \"findings\": ", dc_diff_count_differences(&rep));
            dc_diff_render_json_findings(&out, &rep);
            if (o->cases) impact_json(&out, &run, o);
            dc_buf_puts(&out, "\n}\n");
        } else {
            dc_buf_printf(&out, "decide-diff: %s (%s %s) \u2192 %s (%s %s)\n", o->rulesets[0], a->id, a->version,
                          o->rulesets[1], b->id, b->version);
            summary_text(&out, &rep);
            dc_diff_render_text(&out, &rep);
            if (o->cases) impact_text(&out, &run, o);
        }
        if (out.failed) status = 2;
        else fwrite(out.data, 1, out.len, stdout);
        dc_buf_free(&out);
        if (!status && (dc_diff_count_differences(&rep) || run.im.changed)) status = 1;
    }
    free_impact(&run);
    dc_diff_report_free(&rep);
    decide_ruleset_free(ha);
    decide_ruleset_free(hb);
    return status;
}

static int mode_statutes(const options *o)
{
    int32_t date = DC_NO_DATE_FROM;
    if (o->date && dc_parse_date(o->date, strlen(o->date), &date) != 0)
        return fail_usage("not a date (YYYY-MM-DD):", o->date);
    for (int i = 0; i < o->n_statutes; i++) {
        FILE *f = fopen(o->statutes[i], "r");
        if (!f) {
            fprintf(stderr, "decide-diff: %s: %s\n", o->statutes[i], strerror(errno));
            return 2;
        }
        fclose(f);
    }
    decide_ruleset *h = NULL;
    const dc_ruleset *rs = load_ruleset(o->rulesets[0], &h);
    if (!rs) return 2;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_statute_corpus *corpus = NULL;
    int status = 0;
    if (dc_statute_corpus_load(&corpus, o->statutes, (size_t)o->n_statutes, &diags) != 0) {
        fprintf(stderr, "decide-diff: cannot load the statutes (out of memory)\n");
        status = 2;
    }
    dc_diff_report rep;
    dc_diff_report_init(&rep);
    if (!status && dc_diff_statutes(&rep, rs, corpus, &diags, date, o->scope) != 0) {
        fprintf(stderr, "decide-diff: out of memory\n");
        status = 2;
    }
    if (!status) {
        dc_diff_report_sort(&rep);
        dc_buf out;
        dc_buf_init(&out);
        if (o->json) {
            dc_buf_printf(&out, "{\n  \"tool\": \"decide-diff\",\n  \"version\": \"%s\",\n  \"mode\": \"statutes\",\n",
                          decide_version());
            ruleset_json(&out, "ruleset", o->rulesets[0], rs);
            dc_buf_puts(&out, "  \"statutes\": [");
            for (int i = 0; i < o->n_statutes; i++) {
                if (i) dc_buf_puts(&out, ", ");
                dc_buf_json_string(&out, o->statutes[i]);
            }
            dc_buf_printf(&out, "],\n  \"corpus_versions\": %zu,\n  \"date\": ", corpus->n_articles);
            if (o->date) dc_buf_json_string(&out, o->date);
            else dc_buf_puts(&out, "null");
            dc_buf_printf(&out, ",\n  \"differences\": %zu,\n  \"findings\": ", dc_diff_count_differences(&rep));
            dc_diff_render_json_findings(&out, &rep);
            dc_buf_puts(&out, "\n}\n");
        } else {
            dc_buf_printf(&out, "decide-diff: %s (%s %s) against %zu article version(s) of the corpus, %s%s\n",
                          o->rulesets[0], rs->id, rs->version, corpus->n_articles,
                          o->date ? "in force on " : "latest versions", o->date ? o->date : "");
            summary_text(&out, &rep);
            dc_diff_render_text(&out, &rep);
        }
        if (out.failed) status = 2;
        else fwrite(out.data, 1, out.len, stdout);
        dc_buf_free(&out);
        if (!status && dc_diff_count_differences(&rep)) status = 1;
    }
    dc_diff_report_free(&rep);
    dc_statute_corpus_free(corpus);
    dc_diag_list_free(&diags);
    decide_ruleset_free(h);
    return status;
}

int main(int argc, char **argv)
{
    options o;
    memset(&o, 0, sizeof o);
    o.lang = "fr";
    o.examples = 3;
    const char *format = "text", *examples = NULL;
    o.statutes = calloc((size_t)argc, sizeof *o.statutes);
    if (!o.statutes) return 2;
    int rc = -2;
    for (int i = 1; i < argc && rc == -2; i++) {
        const char *a = argv[i];
        int got;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); rc = 0; break; }
        if (!strcmp(a, "--version")) { cli_print_version("decide-diff"); rc = 0; break; }
        if ((got = cli_opt_value(argc, argv, &i, "--cases", &o.cases)) ||
            (got = cli_opt_value(argc, argv, &i, "--date", &o.date)) ||
            (got = cli_opt_value(argc, argv, &i, "--scope", &o.scope)) ||
            (got = cli_opt_value(argc, argv, &i, "--format", &format)) ||
            (got = cli_opt_value(argc, argv, &i, "--lang", &o.lang)) ||
            (got = cli_opt_value(argc, argv, &i, "--examples", &examples))) {
            if (got < 0) rc = fail_usage("missing value after", a);
            continue;
        }
        if (!strcmp(a, "--statutes")) {
            while (i + 1 < argc && argv[i + 1][0] != '-') o.statutes[o.n_statutes++] = argv[++i];
            if (!o.n_statutes) rc = fail_usage("--statutes needs at least one path", NULL);
            continue;
        }
        if (a[0] == '-' && a[1]) { rc = fail_usage("unknown option", a); break; }
        if (o.n_rulesets == 2) { rc = fail_usage("too many rule sets:", a); break; }
        o.rulesets[o.n_rulesets++] = a;
    }
    if (rc == -2) {
        char *end = NULL;
        if (strcmp(format, "text") && strcmp(format, "json")) rc = fail_usage("unknown format", format);
        else if (strcmp(o.lang, "fr") && strcmp(o.lang, "en")) rc = fail_usage("unknown language", o.lang);
        else if (examples && (o.examples = strtol(examples, &end, 10), !*examples || *end || o.examples < 0 || o.examples > 1000))
            rc = fail_usage("--examples needs a number from 0 to 1000, not", examples);
        else if (o.n_statutes && (o.n_rulesets != 1 || o.cases))
            rc = fail_usage("--statutes takes one rule set (and no --cases)", NULL);
        else if (!o.n_statutes && o.n_rulesets != 2)
            rc = fail_usage("two rule sets are needed (or one with --statutes)", NULL);
        else if (o.date && !o.n_statutes) {
            int32_t days;
            if (dc_parse_date(o.date, strlen(o.date), &days) != 0) rc = fail_usage("not a date (YYYY-MM-DD):", o.date);
        }
    }
    if (rc == -2) {
        o.json = !strcmp(format, "json");
        rc = o.n_statutes ? mode_statutes(&o) : mode_rulesets(&o);
    }
    free(o.statutes);
    return rc;
}
