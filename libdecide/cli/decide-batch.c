/* decide-batch — evaluates a caseload: one JSON case per input line, one JSON record per
 * output line, in input order whatever the thread count. Lines are processed in
 * batches: read a batch in order, evaluate it on N threads sharing the rule set (each
 * thread its own decide_result), write it in order; memory is bounded by the batch
 * size, not the caseload. Output to a file goes through a temporary file renamed at
 * the end, so an interrupted run never leaves a complete-looking truncated file. */
#include "common.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "Usage: decide-batch RULESET [--date YYYY-MM-DD] [--threads N] [--trace none|summary|full]\n"
    "                    [--input FILE.jsonl|-] [--output FILE.jsonl|-]\n"
    "Evaluate one JSON case record per input line; write one JSON record per line, in\n"
    "input order:\n"
    "  {\"line\":N,\"outcome\":\"GRANTED\",\"amount\":\"151.80\",\"missing\":[...]}   (--trace none)\n"
    "  {\"line\":N,\"decision\":{...decide-explain --format json...}}        (summary, full)\n"
    "  {\"line\":N,\"error\":\"...\"}   a line that is not a readable case, or fails to evaluate\n"
    "Every input line, blank ones included, yields exactly one output line.\n"
    "\n"
    "  --date        evaluation date (default: each case's \"date\" field)\n"
    "  --threads N   worker threads (default 1); the output does not depend on N\n"
    "  --output F    written to a temporary file in F's directory, renamed at the end\n"
    "  --help, --version\n"
    "\n"
    "Progress (cases, rate, ETA) goes to standard error on a terminal; counts per outcome\n"
    "at the end. Exit status: 0 every line decided, 1 some lines were errors, 2 bad rule\n"
    "set, usage or I/O error.\n";

enum { BATCH = 4096 };

typedef struct text { char *data; size_t len, cap; } text;

static int text_reserve(text *t, size_t extra)
{
    if (t->len + extra + 1 <= t->cap) return 0;
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + extra + 1) cap *= 2;
    char *p = realloc(t->data, cap);
    if (!p) return -1;
    t->data = p;
    t->cap = cap;
    return 0;
}

static void text_put(text *t, const char *s, size_t n)
{
    if (text_reserve(t, n) < 0) return;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void text_puts(text *t, const char *s) { text_put(t, s, strlen(s)); }

static void text_json(text *t, const char *s)
{
    text_put(t, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') { esc[0] = '\\'; esc[1] = (char)*p; text_put(t, esc, 2); }
        else if (*p == '\n') text_puts(t, "\\n");
        else if (*p < 0x20) { snprintf(esc, sizeof esc, "\\u%04x", *p); text_puts(t, esc); }
        else text_put(t, (const char *)p, 1);
    }
    text_put(t, "\"", 1);
}

typedef struct slot {
    text in, out;
    long line;
    int outcome;   /* decide_outcome, or 0 for an error record */
} slot;

typedef struct shared {
    const decide_ruleset *rs;
    decide_eval_options eo;
    slot *slots;
    size_t n;
    atomic_size_t next;
} shared;

static void evaluate_line(const shared *sh, decide_result *r, slot *s)
{
    char lineno[32];
    snprintf(lineno, sizeof lineno, "{\"line\":%ld,", s->line);
    s->out.len = 0;
    text_puts(&s->out, lineno);
    s->outcome = 0;
    /* a blank line is a record too: every input line yields one output line */
    size_t k = 0;
    while (k < s->in.len && (s->in.data[k] == ' ' || s->in.data[k] == '\t' || s->in.data[k] == '\r')) k++;
    if (k == s->in.len) {
        text_puts(&s->out, "\"error\":\"blank line: no case record\"}\n");
        return;
    }
    decide_case *c = NULL;
    decide_diagnostics *d = NULL;
    char name[32];
    snprintf(name, sizeof name, "line %ld", s->line);
    int rc = decide_case_read_json(&c, &d, sh->rs, s->in.data, s->in.len, name);
    if (rc != DECIDE_OK) {
        /* the parser's message with its position (line 1 of the record = this line) */
        const decide_diag *g = decide_diagnostics_get(d, 0);
        char msg[600];
        if (g) snprintf(msg, sizeof msg, "column %u: %s", g->column, g->message);
        else snprintf(msg, sizeof msg, "%s", decide_last_error());
        text_puts(&s->out, "\"error\":");
        text_json(&s->out, msg);
        text_puts(&s->out, "}\n");
        decide_diagnostics_free(d);
        return;
    }
    decide_diagnostics_free(d);
    rc = decide_evaluate(r, sh->rs, c, &sh->eo);
    if (rc != DECIDE_OK) {
        text_puts(&s->out, "\"error\":");
        text_json(&s->out, decide_last_error());
        text_puts(&s->out, "}\n");
        decide_case_free(c);
        return;
    }
    decide_outcome o = decide_result_outcome(r);
    s->outcome = (int)o;
    if (sh->eo.trace != DECIDE_TRACE_NONE) {
        decide_render_options ro = DECIDE_RENDER_OPTIONS_INIT;
        ro.format = DECIDE_FORMAT_JSON;
        char *json = NULL;
        size_t len = 0;
        if (decide_result_render(&json, &len, r, &ro) == DECIDE_OK) {
            while (len && json[len - 1] == '\n') len--;   /* the renderer's JSON has no raw newline inside */
            text_puts(&s->out, "\"decision\":");
            text_put(&s->out, json, len);
            text_puts(&s->out, "}\n");
        } else {
            s->out.len = 0;
            text_puts(&s->out, lineno);
            text_puts(&s->out, "\"error\":\"out of memory while rendering\"}\n");
            s->outcome = 0;
        }
        decide_free(json);
        decide_case_free(c);
        return;
    }
    text_puts(&s->out, "\"outcome\":\"");
    text_puts(&s->out, decide_outcome_name(o));
    text_puts(&s->out, "\",\"amount\":");
    int64_t cents;
    if (o == DECIDE_GRANTED && decide_result_amount(r, &cents)) {
        char amount[48];
        uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
        snprintf(amount, sizeof amount, "\"%s%llu.%02llu\"", cents < 0 ? "-" : "",
                 (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
        text_puts(&s->out, amount);
    } else {
        text_puts(&s->out, "null");
    }
    text_puts(&s->out, ",\"missing\":[");
    for (size_t i = 0; i < decide_result_missing_count(r); i++) {
        const decide_missing *m = decide_result_missing(r, i);
        if (i) text_puts(&s->out, ",");
        text_puts(&s->out, "{\"input\":");
        text_json(&s->out, m->input);
        text_puts(&s->out, ",\"reason\":");
        text_json(&s->out, m->reason);
        text_puts(&s->out, ",\"needed_by\":[");
        for (size_t k2 = 0; k2 < m->n_needed_by; k2++) {
            if (k2) text_puts(&s->out, ",");
            text_json(&s->out, m->needed_by[k2]);
        }
        text_puts(&s->out, "]}");
    }
    text_puts(&s->out, "],\"conflicts\":[");
    for (size_t i = 0; i < decide_result_conflict_count(r); i++) {
        if (i) text_puts(&s->out, ",");
        text_json(&s->out, decide_result_conflict(r, i)->variable);
    }
    text_puts(&s->out, "]}\n");
    decide_case_free(c);
}

static void *worker(void *arg)
{
    shared *sh = arg;
    decide_result *r = NULL;
    if (decide_result_new(&r) != DECIDE_OK) return NULL;
    for (;;) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->n) break;
        evaluate_line(sh, r, &sh->slots[i]);
    }
    decide_result_free(r);
    return NULL;
}

/* Reads one line (without its '\n') into t; returns 0 at end of input, -1 on error. */
static int read_line(FILE *f, text *t, long *bytes)
{
    t->len = 0;
    if (text_reserve(t, 0) < 0) return -1;
    t->data[0] = '\0';
    int got = 0;
    char buf[8192];
    while (fgets(buf, sizeof buf, f)) {
        got = 1;
        size_t n = strlen(buf);
        *bytes += (long)n;
        if (n && buf[n - 1] == '\n') { text_put(t, buf, n - 1); return 1; }
        text_put(t, buf, n);
    }
    if (ferror(f)) return -1;
    return got;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;   /* timing display only */
}

int main(int argc, char **argv)
{
    const char *ruleset = NULL, *input = "-", *output = "-";
    long threads = 1;
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int m;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(usage, stdout); return 0; }
        if (!strcmp(argv[i], "--version")) { cli_print_version("decide-batch"); return 0; }
        if ((m = cli_opt_value(argc, argv, &i, "--date", &v)) != 0) { if (m < 0) goto missing; eo.date = v; }
        else if ((m = cli_opt_value(argc, argv, &i, "--input", &v)) != 0) { if (m < 0) goto missing; input = v; }
        else if ((m = cli_opt_value(argc, argv, &i, "--output", &v)) != 0) { if (m < 0) goto missing; output = v; }
        else if ((m = cli_opt_value(argc, argv, &i, "--threads", &v)) != 0) {
            if (m < 0) goto missing;
            char *end;
            threads = strtol(v, &end, 10);
            if (*end || threads < 1 || threads > 256) {
                fprintf(stderr, "decide-batch: --threads takes a number from 1 to 256\n");
                return 2;
            }
        } else if ((m = cli_opt_value(argc, argv, &i, "--trace", &v)) != 0) {
            if (m < 0) goto missing;
            if (!strcmp(v, "none")) eo.trace = DECIDE_TRACE_NONE;
            else if (!strcmp(v, "summary")) eo.trace = DECIDE_TRACE_SUMMARY;
            else if (!strcmp(v, "full")) eo.trace = DECIDE_TRACE_FULL;
            else { fprintf(stderr, "decide-batch: unknown trace level '%s' (none, summary, full)\n", v); return 2; }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "decide-batch: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        } else if (!ruleset) {
            ruleset = argv[i];
        } else {
            fprintf(stderr, "decide-batch: too many arguments\n%s", usage);
            return 2;
        }
        continue;
    missing:
        fprintf(stderr, "decide-batch: option '%s' needs a value\n", argv[i]);
        return 2;
    }
    if (!ruleset) { fputs(usage, stderr); return 2; }
    if (eo.date) {
        /* validate once, up front, rather than failing every line */
        int y, mo, d;
        char tail;
        if (sscanf(eo.date, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || strlen(eo.date) != 10) {
            fprintf(stderr, "decide-batch: invalid --date '%s' (expected YYYY-MM-DD)\n", eo.date);
            return 2;
        }
    }

    decide_ruleset *rs = NULL;
    decide_diagnostics *diags = NULL;
    int rc = decide_ruleset_load_file(&rs, &diags, ruleset, NULL);
    cli_print_errors(stderr, diags);
    decide_diagnostics_free(diags);
    if (rc != DECIDE_OK) { fprintf(stderr, "decide-batch: %s\n", decide_last_error()); return 2; }

    FILE *in = strcmp(input, "-") ? fopen(input, "rb") : stdin;
    if (!in) {
        fprintf(stderr, "decide-batch: %s: %s\n", input, strerror(errno));
        decide_ruleset_free(rs);
        return 2;
    }
    long total_bytes = -1;
    struct stat st;
    if (in != stdin && fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode)) total_bytes = (long)st.st_size;

    FILE *out = stdout;
    char *tmp_path = NULL;
    if (strcmp(output, "-")) {
        size_t n = strlen(output) + 16;
        tmp_path = malloc(n);
        snprintf(tmp_path, n, "%s.tmp.XXXXXX", output);
        int fd = mkstemp(tmp_path);
        if (fd < 0 || !(out = fdopen(fd, "wb"))) {
            fprintf(stderr, "decide-batch: cannot create a temporary file next to %s: %s\n", output, strerror(errno));
            if (fd >= 0) { close(fd); unlink(tmp_path); }
            free(tmp_path);
            if (in != stdin) fclose(in);
            decide_ruleset_free(rs);
            return 2;
        }
    }

    slot *slots = calloc(BATCH, sizeof *slots);
    pthread_t *th = calloc((size_t)threads, sizeof *th);
    if (!slots || !th) { fprintf(stderr, "decide-batch: out of memory\n"); return 2; }
    shared sh = { rs, eo, slots, 0, 0 };
    long line = 0, bytes = 0, counts[4] = { 0, 0, 0, 0 };
    int progress = isatty(STDERR_FILENO), io_error = 0;
    double start = now(), last = start;
    for (;;) {
        size_t n = 0;
        int r = 1;
        while (n < BATCH && (r = read_line(in, &slots[n].in, &bytes)) == 1) slots[n++].line = ++line;
        if (r < 0) { fprintf(stderr, "decide-batch: %s: read error\n", input); io_error = 1; }
        if (n == 0) break;
        sh.n = n;
        atomic_store(&sh.next, 0);
        if (threads == 1) {
            worker(&sh);
        } else {
            for (long t = 0; t < threads; t++) pthread_create(&th[t], NULL, worker, &sh);
            for (long t = 0; t < threads; t++) pthread_join(th[t], NULL);
        }
        for (size_t i = 0; i < n; i++) {
            if (fwrite(slots[i].out.data, 1, slots[i].out.len, out) != slots[i].out.len) io_error = 1;
            counts[slots[i].outcome]++;
        }
        if (progress && now() - last >= 0.25) {
            last = now();
            double rate = (double)line / (last - start);
            if (total_bytes > 0 && bytes > 0)
                fprintf(stderr, "\r%ld cases, %.0f/s, %3ld%%, ETA %.0fs   ", line, rate,
                        bytes * 100 / total_bytes, (last - start) * (double)(total_bytes - bytes) / (double)bytes);
            else
                fprintf(stderr, "\r%ld cases, %.0f/s   ", line, rate);
        }
        if (r <= 0) break;
    }
    if (fflush(out) != 0 || ferror(out)) io_error = 1;
    if (out != stdout && fclose(out) != 0) io_error = 1;
    if (in != stdin) fclose(in);
    if (tmp_path) {
        if (io_error) unlink(tmp_path);
        else if (rename(tmp_path, output) != 0) {
            fprintf(stderr, "decide-batch: cannot rename %s to %s: %s\n", tmp_path, output, strerror(errno));
            unlink(tmp_path);
            io_error = 1;
        }
        free(tmp_path);
    }
    double secs = now() - start;
    if (progress) fputc('\n', stderr);
    fprintf(stderr, "decide-batch: %ld line(s) in %.2fs: %ld granted, %ld denied, %ld review, %ld error(s)\n",
            line, secs, counts[DECIDE_GRANTED], counts[DECIDE_DENIED], counts[DECIDE_REVIEW], counts[0]);
    for (size_t i = 0; i < BATCH; i++) { free(slots[i].in.data); free(slots[i].out.data); }
    free(slots);
    free(th);
    decide_ruleset_free(rs);
    if (io_error) return 2;
    return counts[0] ? 1 : 0;
}
