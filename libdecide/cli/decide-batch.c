/* decide-batch — evaluates a caseload: one JSON case per input line, one JSON record per
 * output line, in input order whatever the thread count. A reader thread cuts the input
 * into batches, N worker threads evaluate them (sharing the rule set, each with its own
 * decide_result), and the main thread writes them back in order; the batches live in a
 * fixed ring, so memory depends on the batch size and thread count, not the caseload. */
#include "common.h"
#include <errno.h>
#include <pthread.h>
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
    "input order, whatever the number of threads:\n"
    "  {\"line\":N,\"id\":ID,\"outcome\":\"GRANTED\",\"amount\":\"151.80\",\"missing\":[...],\"conflicts\":[...]}\n"
    "                                                        (--trace none, the default)\n"
    "  {\"line\":N,\"id\":ID,\"decision\":{...}}   the decision as decide-explain --format json\n"
    "                                         renders it (--trace summary or full)\n"
    "  {\"line\":N,\"id\":ID,\"error\":\"...\"}      a line that is not a readable case record\n"
    "                                         (with the column), or fails to evaluate\n"
    "ID is the case's top-level \"id\" (string or number) or null. Every input line, blank\n"
    "ones included, yields exactly one output line; N counts input lines from 1.\n"
    "\n"
    "Options:\n"
    "  --date YYYY-MM-DD   evaluation date (default: each case's \"date\" field)\n"
    "  --threads N         worker threads, 1 to 256 (default 1)\n"
    "  --trace LEVEL       none (default), summary or full\n"
    "  --input FILE        JSONL caseload (default: - for standard input)\n"
    "  --output FILE       written to FILE.tmp.XXXXXX in FILE's directory and renamed to\n"
    "                      FILE at the end; removed on error (default: - for standard output)\n"
    "  --help, --version\n"
    "\n"
    "On a terminal, progress (cases, rate, ETA for a regular input file) goes to standard\n"
    "error; the counts per outcome are printed there at the end.\n"
    "Exit status: 0 every line was decided (GRANTED, DENIED or REVIEW), 1 some lines gave an\n"
    "error record, 2 invalid rule set, usage or I/O error.\n";

/* Lines per batch: large enough that locking is rare, small enough that a ring of them
 * stays small. A full trace renders tens of kilobytes per case, hence fewer lines. */
enum { BATCH_LINES = 256, BATCH_LINES_TRACE = 16, MAX_THREADS = 256 };

/* ------------------------------------------------------------------ growable text */

typedef struct text { char *data; size_t len, cap; int failed; } text;

static int text_reserve(text *t, size_t extra)
{
    if (t->len + extra + 1 <= t->cap) return 0;
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->len + extra + 1) cap *= 2;
    char *p = realloc(t->data, cap);
    if (!p) { t->failed = 1; return -1; }
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

static void text_long(text *t, long v)
{
    char digits[24];
    int n = 0;
    unsigned long mag = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do { digits[n++] = (char)('0' + mag % 10); mag /= 10; } while (mag);
    if (v < 0) digits[n++] = '-';
    if (text_reserve(t, (size_t)n) < 0) return;
    while (n) t->data[t->len++] = digits[--n];
    t->data[t->len] = '\0';
}

/* A JSON string literal; UTF-8 passes through, control characters are escaped. */
static void text_json(text *t, const char *s)
{
    if (!s) { text_puts(t, "null"); return; }
    text_put(t, "\"", 1);
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch != '"' && ch != '\\' && ch >= 0x20) continue;
        text_put(t, run, (size_t)(p - run));
        run = p + 1;
        char esc[8];
        if (ch == '"' || ch == '\\') { esc[0] = '\\'; esc[1] = (char)ch; text_put(t, esc, 2); }
        else if (ch == '\n') text_puts(t, "\\n");
        else if (ch == '\t') text_puts(t, "\\t");
        else { snprintf(esc, sizeof esc, "\\u%04x", ch); text_puts(t, esc); }
    }
    text_put(t, run, strlen(run));
    text_put(t, "\"", 1);
}

/* ------------------------------------------------------------------ the case's "id" */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    return i;
}

/* Index just past the string literal opening at s[i] == '"', or 0 when it does not end
 * on this line or holds a raw control character. */
static size_t skip_string(const char *s, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\\') { i++; continue; }
        if (ch == '"') return i + 1;
        if (ch < 0x20) return 0;
    }
    return 0;
}

/* Index just past the JSON value starting at s[i], or 0 when it cannot be delimited. */
static size_t skip_value(const char *s, size_t n, size_t i)
{
    if (i >= n) return 0;
    if (s[i] == '"') return skip_string(s, n, i);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        while (i < n) {
            char ch = s[i];
            if (ch == '"') { i = skip_string(s, n, i); if (!i) return 0; continue; }
            if (ch == '{' || ch == '[') depth++;
            else if (ch == '}' || ch == ']') { if (--depth == 0) return i + 1; }
            i++;
        }
        return 0;
    }
    size_t start = i;
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\t'
           && s[i] != '\r' && s[i] != '\n') i++;
    return i > start ? i : 0;
}

/* Finds the top-level "id" member of a case record the library has already accepted, and
 * gives its raw JSON text when it is a string or a number (copied as is, so the output
 * names the case exactly as the input did). Reading the record a second time through
 * json-c would cost as much as the evaluation; a flat scan of one line costs little. */
static int find_case_id(const char *s, size_t n, const char **id, size_t *id_len)
{
    size_t i = skip_ws(s, n, 0);
    if (i >= n || s[i] != '{') return 0;
    i = skip_ws(s, n, i + 1);
    while (i < n && s[i] == '"') {
        size_t key = i, key_end = skip_string(s, n, i);
        if (!key_end) return 0;
        i = skip_ws(s, n, key_end);
        if (i >= n || s[i] != ':') return 0;
        i = skip_ws(s, n, i + 1);
        size_t value = i, value_end = skip_value(s, n, i);
        if (!value_end) return 0;
        if (key_end - key == 4 && !memcmp(s + key, "\"id\"", 4)) {
            char c0 = s[value];
            if (c0 == '"' || c0 == '-' || (c0 >= '0' && c0 <= '9')) {
                *id = s + value;
                *id_len = value_end - value;
                return 1;
            }
            return 0;
        }
        i = skip_ws(s, n, value_end);
        if (i < n && s[i] == ',') i = skip_ws(s, n, i + 1);
        else return 0;
    }
    return 0;
}

/* ------------------------------------------------------------------ batches */

typedef enum batch_state { BATCH_FREE, BATCH_FILLED, BATCH_DONE } batch_state;

typedef struct batch {
    batch_state state;
    long first_line;             /* input line number of the batch's first line */
    size_t n_lines;
    text in;                     /* the lines, each NUL-terminated, back to back */
    size_t *start, *len;         /* each line's offset in `in` and length */
    text out;                    /* the output records, one per line */
    long counts[4];              /* errors (0), then per decide_outcome */
    long long bytes_end;         /* input bytes consumed up to the end of this batch */
} batch;

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t changed;      /* any batch changed state, or the input ended */
    batch *ring;
    size_t ring_size, batch_lines;
    size_t filled;               /* batches handed to the workers so far */
    size_t claimed;              /* batches taken by a worker so far */
    int input_done;              /* `filled` is final */
    int stop;                    /* a fatal error: every thread winds down at once */
    int read_error, out_of_memory;
    FILE *in;
    const decide_ruleset *rs;
    decide_eval_options eo;
} pipeline;

static void record_start(text *out, long line, const char *id, size_t id_len)
{
    text_puts(out, "{\"line\":");
    text_long(out, line);
    text_puts(out, ",\"id\":");
    if (id) text_put(out, id, id_len);
    else text_puts(out, "null");
}

static void error_record(text *out, long line, const char *id, size_t id_len, const char *msg)
{
    record_start(out, line, id, id_len);
    text_puts(out, ",\"error\":");
    text_json(out, msg);
    text_puts(out, "}\n");
}

static void put_amount(text *out, int64_t cents)
{
    uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    char buf[32];
    snprintf(buf, sizeof buf, "\"%s%llu.%02llu\"", cents < 0 ? "-" : "",
             (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
    text_puts(out, buf);
}

/* The compact record of --trace none: what a back-end stores and routes on. */
static void compact_record(text *out, const decide_result *r)
{
    decide_outcome o = decide_result_outcome(r);
    text_puts(out, ",\"outcome\":\"");
    text_puts(out, decide_outcome_name(o));
    text_puts(out, "\",\"amount\":");
    int64_t cents;
    if (o == DECIDE_GRANTED && decide_result_amount(r, &cents)) put_amount(out, cents);
    else text_puts(out, "null");
    text_puts(out, ",\"missing\":[");
    size_t n = decide_result_missing_count(r);
    for (size_t i = 0; i < n; i++) {
        const decide_missing *m = decide_result_missing(r, i);
        if (i) text_put(out, ",", 1);
        text_puts(out, "{\"input\":");
        text_json(out, m->input);
        text_puts(out, ",\"reason\":");
        text_json(out, m->reason);
        text_puts(out, ",\"needed_by\":[");
        for (size_t k = 0; k < m->n_needed_by; k++) {
            if (k) text_put(out, ",", 1);
            text_json(out, m->needed_by[k]);
        }
        text_puts(out, "]}");
    }
    text_puts(out, "],\"conflicts\":[");
    n = decide_result_conflict_count(r);
    for (size_t i = 0; i < n; i++) {
        if (i) text_put(out, ",", 1);
        text_json(out, decide_result_conflict(r, i)->variable);
    }
    text_puts(out, "]}\n");
}

/* The --trace summary/full record: the renderer's JSON decision, kept on one line. */
static int render_record(text *out, const decide_result *r, long line, const char *id, size_t id_len)
{
    decide_render_options ro = DECIDE_RENDER_OPTIONS_INIT;
    ro.format = DECIDE_FORMAT_JSON;
    char *json = NULL;
    size_t json_len = 0;
    if (decide_result_render(&json, &json_len, r, &ro) != DECIDE_OK) {
        error_record(out, line, id, id_len, decide_last_error());
        return -1;
    }
    /* The renderer escapes newlines inside strings; its only raw newline is the final
       one. Any other would be layout whitespace: flattened so the record stays a line. */
    while (json_len && (json[json_len - 1] == '\n' || json[json_len - 1] == '\r')) json_len--;
    for (size_t i = 0; i < json_len; i++)
        if (json[i] == '\n' || json[i] == '\r') json[i] = ' ';
    record_start(out, line, id, id_len);
    text_puts(out, ",\"decision\":");
    text_put(out, json, json_len);
    text_puts(out, "}\n");
    decide_free(json);
    return 0;
}

/* Decides one input line into the batch's output; returns the count slot (0 = error). */
static int decide_line(const pipeline *p, decide_result *r, text *out, long line,
                       const char *data, size_t len)
{
    size_t k = skip_ws(data, len, 0);
    if (k == len) {
        /* a blank line is still a line of the caseload: say so rather than skip it, so
           that output line N always answers input line N */
        error_record(out, line, NULL, 0, "blank line: no case record");
        return 0;
    }
    decide_case *c = NULL;
    decide_diagnostics *d = NULL;
    int rc = decide_case_read_json(&c, &d, p->rs, data, len, NULL);
    if (rc != DECIDE_OK) {
        const decide_diag *g = NULL;
        for (size_t i = 0; i < decide_diagnostics_count(d); i++) {
            g = decide_diagnostics_get(d, i);
            if (g->severity == DECIDE_ERROR) break;
        }
        char msg[640];
        /* the record is one line, so its line 1 is this line: only the column matters */
        if (g && g->severity == DECIDE_ERROR) snprintf(msg, sizeof msg, "column %u: %s", g->column, g->message);
        else snprintf(msg, sizeof msg, "%s", decide_last_error());
        error_record(out, line, NULL, 0, msg);
        decide_diagnostics_free(d);
        return 0;
    }
    decide_diagnostics_free(d);
    const char *id = NULL;
    size_t id_len = 0;
    find_case_id(data, len, &id, &id_len);
    rc = decide_evaluate(r, p->rs, c, &p->eo);
    int slot = rc == DECIDE_OK ? (int)decide_result_outcome(r) : 0;
    if (rc != DECIDE_OK) error_record(out, line, id, id_len, decide_last_error());
    else if (p->eo.trace == DECIDE_TRACE_NONE) {
        record_start(out, line, id, id_len);
        compact_record(out, r);
    } else if (render_record(out, r, line, id, id_len) < 0) slot = 0;
    /* the result's trace points into the case: the case goes once the record is out */
    decide_case_free(c);
    return slot;
}

static void *worker_main(void *arg)
{
    pipeline *p = arg;
    decide_result *r = NULL;
    if (decide_result_new(&r) != DECIDE_OK) {
        pthread_mutex_lock(&p->mu);
        p->out_of_memory = p->stop = 1;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->mu);
        return NULL;
    }
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->claimed == p->filled && !p->input_done && !p->stop)
            pthread_cond_wait(&p->changed, &p->mu);
        if (p->stop || p->claimed == p->filled) break;
        batch *b = &p->ring[p->claimed++ % p->ring_size];
        pthread_mutex_unlock(&p->mu);
        b->out.len = 0;
        memset(b->counts, 0, sizeof b->counts);
        for (size_t i = 0; i < b->n_lines; i++)
            b->counts[decide_line(p, r, &b->out, b->first_line + (long)i,
                                  b->in.data + b->start[i], b->len[i])]++;
        pthread_mutex_lock(&p->mu);
        b->state = BATCH_DONE;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->mu);
    decide_result_free(r);
    return NULL;
}

static void *reader_main(void *arg)
{
    pipeline *p = arg;
    char *line = NULL;
    size_t cap = 0;
    long line_no = 0;
    long long bytes = 0;
    int more = 1;
    for (size_t seq = 0; more; seq++) {
        batch *b = &p->ring[seq % p->ring_size];
        pthread_mutex_lock(&p->mu);
        while (b->state != BATCH_FREE && !p->stop) pthread_cond_wait(&p->changed, &p->mu);
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop) break;
        b->in.len = 0;
        b->n_lines = 0;
        b->first_line = line_no + 1;
        while (b->n_lines < p->batch_lines) {
            ssize_t got = getline(&line, &cap, p->in);
            if (got < 0) { more = 0; break; }
            bytes += got;
            size_t n = (size_t)got;
            if (n && line[n - 1] == '\n') n--;
            if (n && line[n - 1] == '\r') n--;   /* CRLF files */
            b->start[b->n_lines] = b->in.len;
            b->len[b->n_lines] = n;
            text_put(&b->in, line, n);
            text_put(&b->in, "", 1);   /* the NUL, kept between lines */
            b->n_lines++;
            line_no++;
        }
        b->bytes_end = bytes;
        pthread_mutex_lock(&p->mu);
        if (ferror(p->in)) p->read_error = 1;
        if (b->in.failed) p->out_of_memory = p->stop = 1;
        if (b->n_lines > 0 && !p->stop) {
            b->state = BATCH_FILLED;
            p->filled++;
        }
        if (!more || p->stop) { p->input_done = 1; more = 0; }
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->mu);
    }
    free(line);
    return NULL;
}

/* ------------------------------------------------------------------ main: the writer */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    /* progress display only: no value of a decision goes through a double */
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void show_progress(long cases, double secs, long long bytes, long long total)
{
    double rate = secs > 0 ? (double)cases / secs : 0;
    if (total > 0 && bytes > 0) {
        double eta = secs * (double)(total - bytes) / (double)bytes;
        fprintf(stderr, "\r%ld cases, %.0f cases/s, %3lld %%, ETA %.0f s   ", cases, rate,
                bytes * 100 / total, eta);
    } else {
        fprintf(stderr, "\r%ld cases, %.0f cases/s   ", cases, rate);
    }
}

typedef struct options {
    const char *ruleset, *input, *output;
    long threads;
    decide_eval_options eo;
} options;

static int parse_args(options *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int m;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(usage, stdout); return 0; }
        if (!strcmp(argv[i], "--version")) { cli_print_version("decide-batch"); return 0; }
        if ((m = cli_opt_value(argc, argv, &i, "--date", &v)) != 0) {
            if (m < 0) goto missing;
            int y, mo, d;
            char tail;
            /* checked once here rather than failing every line */
            if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 ||
                mo < 1 || mo > 12 || d < 1 || d > 31) {
                fprintf(stderr, "decide-batch: invalid --date '%s' (expected YYYY-MM-DD)\n", v);
                return 2;
            }
            o->eo.date = v;
        } else if ((m = cli_opt_value(argc, argv, &i, "--input", &v)) != 0) {
            if (m < 0) goto missing;
            o->input = v;
        } else if ((m = cli_opt_value(argc, argv, &i, "--output", &v)) != 0) {
            if (m < 0) goto missing;
            o->output = v;
        } else if ((m = cli_opt_value(argc, argv, &i, "--threads", &v)) != 0) {
            if (m < 0) goto missing;
            char *end;
            errno = 0;
            o->threads = strtol(v, &end, 10);
            if (errno || end == v || *end || o->threads < 1 || o->threads > MAX_THREADS) {
                fprintf(stderr, "decide-batch: --threads takes a number from 1 to %d\n", MAX_THREADS);
                return 2;
            }
        } else if ((m = cli_opt_value(argc, argv, &i, "--trace", &v)) != 0) {
            if (m < 0) goto missing;
            if (!strcmp(v, "none")) o->eo.trace = DECIDE_TRACE_NONE;
            else if (!strcmp(v, "summary")) o->eo.trace = DECIDE_TRACE_SUMMARY;
            else if (!strcmp(v, "full")) o->eo.trace = DECIDE_TRACE_FULL;
            else {
                fprintf(stderr, "decide-batch: unknown trace level '%s' (none, summary, full)\n", v);
                return 2;
            }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "decide-batch: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        } else if (!o->ruleset) {
            o->ruleset = argv[i];
        } else {
            fprintf(stderr, "decide-batch: too many arguments\n%s", usage);
            return 2;
        }
        continue;
    missing:
        fprintf(stderr, "decide-batch: option '%s' needs a value\n", argv[i]);
        return 2;
    }
    if (!o->ruleset) { fputs(usage, stderr); return 2; }
    return -1;
}

/* Creates FILE.tmp.XXXXXX next to `output`, with the mode a plain fopen would give. */
static FILE *open_temp(const char *output, char **tmp_path, mode_t mask)
{
    size_t n = strlen(output) + sizeof ".tmp.XXXXXX";
    *tmp_path = malloc(n);
    if (!*tmp_path) return NULL;
    snprintf(*tmp_path, n, "%s.tmp.XXXXXX", output);
    int fd = mkstemp(*tmp_path);
    if (fd < 0) { free(*tmp_path); *tmp_path = NULL; return NULL; }
    FILE *f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "wb") : NULL;
    if (!f) { close(fd); unlink(*tmp_path); free(*tmp_path); *tmp_path = NULL; }
    return f;
}

int main(int argc, char **argv)
{
    options o = { NULL, "-", "-", 1, DECIDE_EVAL_OPTIONS_INIT };
    int status = parse_args(&o, argc, argv);
    if (status >= 0) return status;
    mode_t mask = umask(0);   /* read before any thread runs; umask has no getter */
    umask(mask);

    decide_ruleset *rs = NULL;
    decide_diagnostics *diags = NULL;
    int rc = decide_ruleset_load_file(&rs, &diags, o.ruleset, NULL);
    cli_print_errors(stderr, diags);
    decide_diagnostics_free(diags);
    if (rc != DECIDE_OK) {
        fprintf(stderr, "decide-batch: %s\n", decide_last_error());
        return 2;
    }
    FILE *in = strcmp(o.input, "-") ? fopen(o.input, "rb") : stdin;
    if (!in) {
        fprintf(stderr, "decide-batch: %s: %s\n", o.input, strerror(errno));
        decide_ruleset_free(rs);
        return 2;
    }
    long long total_bytes = -1;
    struct stat st;
    if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode)) total_bytes = (long long)st.st_size;
    FILE *out = stdout;
    char *tmp_path = NULL;
    if (strcmp(o.output, "-") && !(out = open_temp(o.output, &tmp_path, mask))) {
        fprintf(stderr, "decide-batch: cannot create a temporary file next to %s: %s\n",
                o.output, strerror(errno));
        if (in != stdin) fclose(in);
        decide_ruleset_free(rs);
        return 2;
    }
    setvbuf(out, NULL, _IOFBF, 1 << 16);

    pipeline p;
    memset(&p, 0, sizeof p);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.changed, NULL);
    /* two batches per worker keep every worker busy while the writer drains the oldest */
    p.ring_size = 2 * (size_t)o.threads + 2;
    p.batch_lines = o.eo.trace == DECIDE_TRACE_NONE ? BATCH_LINES : BATCH_LINES_TRACE;
    p.in = in;
    p.rs = rs;
    p.eo = o.eo;
    p.ring = calloc(p.ring_size, sizeof *p.ring);
    pthread_t *threads = calloc((size_t)o.threads + 1, sizeof *threads);
    int fatal = !p.ring || !threads;
    for (size_t i = 0; !fatal && i < p.ring_size; i++) {
        p.ring[i].start = malloc(p.batch_lines * sizeof *p.ring[i].start);
        p.ring[i].len = malloc(p.batch_lines * sizeof *p.ring[i].len);
        fatal = !p.ring[i].start || !p.ring[i].len;
    }
    long started = 0;
    if (!fatal && pthread_create(&threads[0], NULL, reader_main, &p) == 0) started = 1;
    while (started && started <= o.threads &&
           pthread_create(&threads[started], NULL, worker_main, &p) == 0) started++;
    if (!fatal && started != o.threads + 1) {
        /* let the threads already running wind down: no batch will ever be written */
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.changed);
        pthread_mutex_unlock(&p.mu);
        fatal = 1;
    }

    long counts[4] = { 0, 0, 0, 0 }, cases = 0;
    int progress = isatty(STDERR_FILENO), io_error = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double last_shown = 0;
    for (size_t seq = 0; !fatal; seq++) {
        batch *b = &p.ring[seq % p.ring_size];
        pthread_mutex_lock(&p.mu);
        while (b->state != BATCH_DONE && !(p.input_done && seq == p.filled) && !p.stop)
            pthread_cond_wait(&p.changed, &p.mu);
        int finished = b->state != BATCH_DONE || p.stop;
        pthread_mutex_unlock(&p.mu);
        if (finished) break;
        if (b->out.failed) { fatal = 1; break; }
        if (fwrite(b->out.data, 1, b->out.len, out) != b->out.len) { io_error = 1; break; }
        for (int k = 0; k < 4; k++) counts[k] += b->counts[k];
        cases += (long)b->n_lines;
        long long bytes_end = b->bytes_end;
        pthread_mutex_lock(&p.mu);
        b->state = BATCH_FREE;
        pthread_cond_broadcast(&p.changed);
        pthread_mutex_unlock(&p.mu);
        if (progress) {
            double secs = seconds_since(&t0);
            if (secs - last_shown >= 0.25) {   /* at most four refreshes a second */
                last_shown = secs;
                show_progress(cases, secs, bytes_end, total_bytes);
            }
        }
    }
    if (fatal || io_error) {
        /* nothing more will be written: the reader and the workers stop where they are */
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.changed);
        pthread_mutex_unlock(&p.mu);
    }
    for (long t = 0; t < started; t++) pthread_join(threads[t], NULL);
    if (p.out_of_memory && !io_error) fatal = 1;
    if (p.read_error) {
        fprintf(stderr, "decide-batch: %s: read error\n", o.input);
        io_error = 1;
    }
    if (fatal) fprintf(stderr, "decide-batch: out of memory\n");
    if (fflush(out) != 0 || ferror(out)) io_error = 1;
    if (out != stdout && fclose(out) != 0) io_error = 1;
    if (io_error && !p.read_error) fprintf(stderr, "decide-batch: %s: write error\n", o.output);
    if (in != stdin) fclose(in);
    if (tmp_path) {
        if (io_error || fatal) unlink(tmp_path);
        else if (rename(tmp_path, o.output) != 0) {
            fprintf(stderr, "decide-batch: cannot rename %s to %s: %s\n", tmp_path, o.output, strerror(errno));
            unlink(tmp_path);
            io_error = 1;
        }
        free(tmp_path);
    }
    double secs = seconds_since(&t0);
    if (progress) {
        fputc('\n', stderr);
        fprintf(stderr, "decide-batch: %.2f s, %.0f cases/s\n", secs, secs > 0 ? (double)cases / secs : 0);
    }
    /* the counts line carries no timing, so that it is the same on every run */
    fprintf(stderr, "decide-batch: %ld line(s): %ld granted, %ld denied, %ld review, %ld error(s)\n",
            cases, counts[DECIDE_GRANTED], counts[DECIDE_DENIED], counts[DECIDE_REVIEW], counts[0]);
    for (size_t i = 0; p.ring && i < p.ring_size; i++) {
        free(p.ring[i].in.data);
        free(p.ring[i].out.data);
        free(p.ring[i].start);
        free(p.ring[i].len);
    }
    free(p.ring);
    free(threads);
    pthread_cond_destroy(&p.changed);
    pthread_mutex_destroy(&p.mu);
    decide_ruleset_free(rs);
    if (io_error || fatal) return 2;
    return counts[0] ? 1 : 0;
}
