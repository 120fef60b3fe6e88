/* api.c — the public API (include/decide.h) over the pipeline: load (ruleset_xml.c),
 * check (check.c), case reading (case_*.c), evaluation (eval.c), rendering
 * (explain_*.c). It owns argument checking, status codes, the thread-local last error
 * message, and the decision's derived lists (missing facts, conflicts, value texts). */
#include "decide.h"
#include "case.h"
#include "compile.h"
#include "eval.h"
#include "model.h"
#include <errno.h>
#include <libxml/parser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API __attribute__((visibility("default")))

static _Thread_local char last_error[512];

static int fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}

static void ok(void) { last_error[0] = '\0'; }

API const char *decide_last_error(void) { return last_error; }
API const char *decide_version(void) { return DECIDE_VERSION_STRING; }
API void decide_free(void *p) { free(p); }

API const char *decide_strerror(int status)
{
    switch (status) {
    case DECIDE_OK: return "success";
    case DECIDE_ENOMEM: return "out of memory";
    case DECIDE_EMISUSE: return "API misuse";
    case DECIDE_EIO: return "input/output error";
    case DECIDE_ELOAD: return "the rule set has errors";
    case DECIDE_ECASE: return "the case record is not well-formed";
    case DECIDE_EEVAL: return "evaluation error";
    case DECIDE_EDATE: return "no evaluation date";
    default: return "unknown status";
    }
}

/* ------------------------------------------------------------------ diagnostics */

struct decide_diagnostics {
    dc_diag_list list;
    decide_diag *pub;   /* mirrors list.items, built once the list is complete */
};

static decide_diagnostics *diags_new(void)
{
    decide_diagnostics *d = calloc(1, sizeof *d);
    if (d) dc_diag_list_init(&d->list);
    return d;
}

static int diags_publish(decide_diagnostics *d)
{
    dc_diag_list_sort(&d->list);
    if (!d->list.count) return 0;
    d->pub = calloc(d->list.count, sizeof *d->pub);
    if (!d->pub) return -1;
    for (size_t i = 0; i < d->list.count; i++) {
        const dc_diag *s = &d->list.items[i];
        decide_diag *p = &d->pub[i];
        p->severity = s->severity == DC_SEV_ERROR ? DECIDE_ERROR : DECIDE_WARNING;
        p->code = dc_diag_code_name(s->code);
        p->message = s->message;
        p->file = s->file;
        p->line = s->line;
        p->column = s->column;
        p->rule = s->rule;
        p->article = s->article;
    }
    return 0;
}

/* Hands the diagnostics to the caller, or frees them. */
static void diags_give(decide_diagnostics *d, decide_diagnostics **out)
{
    if (out && d && diags_publish(d) == 0) { *out = d; return; }
    if (out) *out = NULL;
    decide_diagnostics_free(d);
}

API size_t decide_diagnostics_count(const decide_diagnostics *d) { return d ? d->list.count : 0; }
API size_t decide_diagnostics_errors(const decide_diagnostics *d) { return d ? d->list.errors : 0; }

API const decide_diag *decide_diagnostics_get(const decide_diagnostics *d, size_t i)
{
    return d && d->pub && i < d->list.count ? &d->pub[i] : NULL;
}

API char *decide_diag_format(const decide_diag *p)
{
    if (!p) return NULL;
    dc_buf b;
    dc_buf_init(&b);
    dc_diag_format_fields(&b, p->file, p->line, p->column, p->severity == DECIDE_ERROR,
                          p->message, p->code, p->rule, p->article);
    return dc_buf_take(&b);
}

API void decide_diagnostics_free(decide_diagnostics *d)
{
    if (!d) return;
    free(d->pub);
    dc_diag_list_free(&d->list);
    free(d);
}

/* ------------------------------------------------------------------ files */

/* Reads a whole file (NUL-terminated). Returns NULL and sets errno on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    dc_buf b;
    dc_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (dc_buf_append(&b, chunk, n) < 0) break;
    int err = ferror(f) || b.failed;
    if (f != stdin) fclose(f);
    if (err) { dc_buf_free(&b); errno = EIO; return NULL; }
    *len = b.len;
    return dc_buf_take(&b);
}

/* ------------------------------------------------------------------ rule sets */

static int load(decide_ruleset **out, decide_diagnostics **diags_out, const char *data,
                size_t len, const char *name, const decide_load_options *opts)
{
    if (opts && opts->version != DECIDE_LOAD_OPTIONS_VERSION)
        return fail(DECIDE_EMISUSE, "decide_load_options.version is %d, expected %d",
                    opts->version, DECIDE_LOAD_OPTIONS_VERSION);
    /* libxml2 2.9 sets itself up lazily on first parse, which is not thread-safe;
     * loading a rule set comes before any threaded case reading, so do it here */
    xmlInitParser();
    decide_diagnostics *d = diags_new();
    if (!d) return fail(DECIDE_ENOMEM, "out of memory");
    dc_ruleset *rs = dc_ruleset_read_xml(data, len, name, &d->list);
    /* check even a model with load errors: a user fixing a rule set wants every
     * problem at once, not one round per stage */
    if (rs) dc_ruleset_check(rs, &d->list);
    size_t errors = d->list.errors;
    if (opts && opts->warnings_are_errors) errors += d->list.warnings;
    if (!rs || errors) {
        if (rs) dc_ruleset_free(rs);
        size_t ne = d->list.errors, nw = d->list.warnings;
        diags_give(d, diags_out);
        return fail(DECIDE_ELOAD, "%s: %zu error(s), %zu warning(s)", name ? name : "rule set", ne, nw);
    }
    diags_give(d, diags_out);
    /* the compiled fast path; without it (out of memory) evaluation is only slower */
    rs->program = dc_program_build(rs, false);
    rs->program_traced = dc_program_build(rs, true);
    *out = (decide_ruleset *)rs;
    ok();
    return DECIDE_OK;
}

API int decide_ruleset_load_memory(decide_ruleset **out, decide_diagnostics **diags,
                                   const char *data, size_t len, const char *name,
                                   const decide_load_options *opts)
{
    if (diags) *diags = NULL;
    if (!out || !data) return fail(DECIDE_EMISUSE, "decide_ruleset_load_memory: NULL argument");
    *out = NULL;
    return load(out, diags, data, len, name, opts);
}

API int decide_ruleset_load_file(decide_ruleset **out, decide_diagnostics **diags,
                                 const char *path, const decide_load_options *opts)
{
    if (diags) *diags = NULL;
    if (!out || !path) return fail(DECIDE_EMISUSE, "decide_ruleset_load_file: NULL argument");
    *out = NULL;
    size_t len;
    char *data = read_file(path, &len);
    if (!data) return fail(DECIDE_EIO, "%s: %s", path, strerror(errno));
    int rc = load(out, diags, data, len, path, opts);
    free(data);
    return rc;
}

API void decide_ruleset_free(decide_ruleset *rs) { if (rs) dc_ruleset_free((dc_ruleset *)rs); }
API const char *decide_ruleset_id(const decide_ruleset *rs) { return rs ? ((const dc_ruleset *)rs)->id : NULL; }
API const char *decide_ruleset_version(const decide_ruleset *rs) { return rs ? ((const dc_ruleset *)rs)->version : NULL; }
API const char *decide_ruleset_title(const decide_ruleset *rs) { return rs ? ((const dc_ruleset *)rs)->title : NULL; }

/* ------------------------------------------------------------------ cases */

typedef int (*case_reader)(dc_case **, const dc_ruleset *, const char *, size_t, const char *,
                           dc_diag_list *);

static int read_case(decide_case **out, decide_diagnostics **diags_out, const decide_ruleset *rs,
                     const char *data, size_t len, const char *name, case_reader reader)
{
    if (diags_out) *diags_out = NULL;
    if (!out || !rs || !data) return fail(DECIDE_EMISUSE, "decide_case_read: NULL argument");
    *out = NULL;
    decide_diagnostics *d = diags_new();
    if (!d) return fail(DECIDE_ENOMEM, "out of memory");
    dc_case *c = NULL;
    int rc = reader(&c, (const dc_ruleset *)rs, data, len, name, &d->list);
    if (rc != 0 || !c) {
        char msg[400] = "";
        if (d->list.count) {
            dc_buf b;
            dc_buf_init(&b);
            dc_diag_format(&b, &d->list.items[0]);
            snprintf(msg, sizeof msg, "%s", b.data ? b.data : "");
            dc_buf_free(&b);
        }
        diags_give(d, diags_out);
        return fail(DECIDE_ECASE, "%s", msg[0] ? msg : "the case record is not well-formed");
    }
    diags_give(d, diags_out);
    *out = (decide_case *)c;
    ok();
    return DECIDE_OK;
}

API int decide_case_read_json(decide_case **out, decide_diagnostics **diags,
                              const decide_ruleset *rs, const char *data, size_t len,
                              const char *name)
{
    return read_case(out, diags, rs, data, len, name, dc_case_read_json);
}

API int decide_case_read_xml(decide_case **out, decide_diagnostics **diags,
                             const decide_ruleset *rs, const char *data, size_t len,
                             const char *name)
{
    return read_case(out, diags, rs, data, len, name, dc_case_read_xml);
}

API int decide_case_read_file(decide_case **out, decide_diagnostics **diags,
                              const decide_ruleset *rs, const char *path)
{
    if (diags) *diags = NULL;
    if (!out || !rs || !path) return fail(DECIDE_EMISUSE, "decide_case_read_file: NULL argument");
    *out = NULL;
    size_t len;
    char *data = read_file(path, &len);
    if (!data) return fail(DECIDE_EIO, "%s: %s", path, strerror(errno));
    size_t pl = strlen(path);
    bool xml = pl > 4 && strcmp(path + pl - 4, ".xml") == 0;
    int rc = read_case(out, diags, rs, data, len, strcmp(path, "-") ? path : "<stdin>",
                       xml ? dc_case_read_xml : dc_case_read_json);
    free(data);
    return rc;
}

API void decide_case_free(decide_case *c) { if (c) dc_case_free((dc_case *)c); }

/* ------------------------------------------------------------------ results */

API int decide_result_new(decide_result **out)
{
    if (!out) return fail(DECIDE_EMISUSE, "decide_result_new: NULL argument");
    decide_result *r = calloc(1, sizeof *r);
    if (!r) return fail(DECIDE_ENOMEM, "out of memory");
    /* one block large enough for a household's evaluation: no malloc per case */
    dc_arena_init(&r->arena, 64 * 1024);
    *out = r;
    return DECIDE_OK;
}

API void decide_result_free(decide_result *r)
{
    if (!r) return;
    dc_arena_free(&r->arena);
    dc_vm_free(r->vm);
    dc_vm_free(r->vm_traced);
    free(r->nodes);
    free(r->order);
    dc_buf_free(&r->missing_path);
    free(r);
}

typedef struct leaf_key { uint8_t kind; int32_t a, b, article; } leaf_key;

typedef struct missing_acc {
    decide_result *r;
    const dc_ruleset *rs;
    int oom;
    size_t n_seen;
    leaf_key seen[64];   /* leaves already handled: most reason trees repeat a few; only
                            the first n_seen are set (the array is not cleared per case) */
} missing_acc;

/* A copy of the n elements of `size` bytes at items in the arena, with a hole at `at`
 * for one more; NULL when out of memory. */
static void *arena_insert(dc_arena *a, const void *items, size_t n, size_t at, size_t size)
{
    char *arr = dc_arena_alloc(a, (n + 1) * size);
    if (!arr) return NULL;
    if (at) memcpy(arr, items, at * size);
    if (n > at) memcpy(arr + (at + 1) * size, (const char *)items + at * size, (n - at) * size);
    return arr;
}

/* Adds an article to an item's needed_by, kept sorted (strcmp) as it grows, once. */
static void add_article(missing_acc *m, decide_missing *item, int32_t article)
{
    if (article < 0) return;
    const char *id = m->rs->articles[article].id;
    size_t n = item->n_needed_by, at = 0;
    for (; at < n; at++) {
        int c = strcmp(item->needed_by[at], id);
        if (c == 0) return;
        if (c > 0) break;
    }
    const char **arr = arena_insert(&m->r->arena, item->needed_by, n, at, sizeof *arr);
    if (!arr) { m->oom = 1; return; }
    arr[at] = id;
    item->needed_by = arr;
    item->n_needed_by = n + 1;
}

/* One leaf of the decision's reasons into the missing list or the conflicts. A leaf
 * seen again changes nothing, as dc_reason_walk requires. */
static void on_leaf(const dc_reason *w, void *ctx)
{
    missing_acc *m = ctx;
    for (size_t i = 0; i < m->n_seen; i++)
        if (m->seen[i].kind == w->kind && m->seen[i].a == w->a && m->seen[i].b == w->b &&
            m->seen[i].article == w->article)
            return;
    if (m->n_seen < sizeof m->seen / sizeof m->seen[0])
        m->seen[m->n_seen++] = (leaf_key){ w->kind, w->a, w->b, w->article };
    decide_result *r = m->r;
    const dc_ruleset *rs = m->rs;
    if (w->kind == DC_WHY_CONFLICT) {
        const dc_rule *a = rs->all_rules[w->a], *b = rs->all_rules[w->b];
        const char *var = rs->computeds[a->owner].name;
        for (size_t i = 0; i < r->n_conflicts; i++)
            if (r->conflicts[i].variable == var) return;   /* one entry per value */
        decide_conflict *arr = dc_arena_alloc(&r->arena, (r->n_conflicts + 1) * sizeof *arr);
        if (!arr) { m->oom = 1; return; }
        if (r->n_conflicts) memcpy(arr, r->conflicts, r->n_conflicts * sizeof *arr);
        decide_conflict *c = &arr[r->n_conflicts];
        c->variable = var;
        c->rules[0] = a->id ? a->id : var;
        c->rules[1] = b->id ? b->id : var;
        c->articles[0] = a->source.article >= 0 ? rs->articles[a->source.article].id : NULL;
        c->articles[1] = b->source.article >= 0 ? rs->articles[b->source.article].id : NULL;
        r->conflicts = arr;
        r->n_conflicts++;
        return;
    }
    /* the case path: a name of the rule set (which outlives the result) for all but
     * the facts of a record, whose path is built in r->missing_path */
    const char *path, *reason, *label, *detail = NULL;
    bool built = false;
    switch (w->kind) {
    case DC_WHY_MISSING:
    case DC_WHY_INVALID: {
        const dc_input *in = &rs->inputs[w->a];
        if (in->entity < 0) {
            path = in->name;   /* what dc_case_fact_path writes for a top-level fact */
        } else {
            if (r->missing_path.failed) dc_buf_free(&r->missing_path);
            dc_buf_clear(&r->missing_path);
            dc_case_fact_path(&r->missing_path, rs, w->a, w->b);
            path = r->missing_path.data ? r->missing_path.data : "";
            built = true;
        }
        label = in->label;
        reason = w->kind == DC_WHY_MISSING ? "missing" : "invalid";
        if (w->kind == DC_WHY_INVALID) {
            detail = dc_fact_why(dc_case_fact(r->c, w->a, w->b));
            if (!detail && in->max_is_eval_date)
                detail = "date postérieure à la date d'évaluation";
        }
        break;
    }
    case DC_WHY_MISSING_LIST:
        path = rs->entities[w->a].plural;
        label = rs->entities[w->a].label ? rs->entities[w->a].label : rs->entities[w->a].plural;
        reason = "missing";
        break;
    case DC_WHY_NO_PARAM:
        path = rs->params[w->a].name;
        label = rs->params[w->a].label;
        reason = "no-value-in-force";
        break;
    case DC_WHY_NO_RULE:
        path = rs->computeds[w->a].name;
        label = rs->computeds[w->a].label;
        reason = "no-rule-applies";
        break;
    default:
        return;
    }
    /* the list is kept sorted by path (paths are unique in it): the scan that finds
     * the path finds its place too */
    size_t n = r->n_missing, at = 0;
    for (; at < n; at++) {
        int c = strcmp(r->missing[at].input, path);
        if (c == 0) {
            add_article(m, &r->missing[at], w->article);
            return;
        }
        if (c > 0) break;
    }
    const char *input = built ? dc_arena_strdup(&r->arena, path) : path;
    decide_missing *arr = input ? arena_insert(&r->arena, r->missing, n, at, sizeof *arr) : NULL;
    if (!arr) { m->oom = 1; return; }
    decide_missing *it = &arr[at];
    memset(it, 0, sizeof *it);
    it->input = input;
    it->label = label;
    it->reason = reason;
    it->detail = detail;
    r->missing = arr;
    r->n_missing = n + 1;
    add_article(m, it, w->article);
}

/* The reasons behind the decision: eligible's when unknown, amount's when the person
 * may be eligible and the amount is unknown. The missing list and each item's articles
 * are sorted (strcmp) as they are built, so output is deterministic. */
static int collect_missing(decide_result *r)
{
    if (r->outcome != DECIDE_REVIEW) return 0;
    missing_acc m;
    m.r = r;
    m.rs = r->rs;
    m.oom = 0;
    m.n_seen = 0;
    const dc_reason *roots[2] = { r->eligible.why, r->rs->amount >= 0 ? r->amount.why : NULL };
    if (dc_reason_walk(roots, 2, on_leaf, &m) < 0) m.oom = 1;
    return m.oom ? -1 : 0;
}

API int decide_evaluate(decide_result *r, const decide_ruleset *rs_, const decide_case *c_,
                        const decide_eval_options *opts)
{
    if (!r || !rs_ || !c_) return fail(DECIDE_EMISUSE, "decide_evaluate: NULL argument");
    if (opts && opts->version != DECIDE_EVAL_OPTIONS_VERSION)
        return fail(DECIDE_EMISUSE, "decide_eval_options.version is %d, expected %d",
                    opts->version, DECIDE_EVAL_OPTIONS_VERSION);
    const dc_ruleset *rs = (const dc_ruleset *)rs_;
    const dc_case *c = (const dc_case *)c_;
    if (c->rs != rs) return fail(DECIDE_EMISUSE, "the case was read against another rule set");
    int32_t date;
    if (opts && opts->date) {
        if (dc_parse_date(opts->date, strlen(opts->date), &date) != DC_VOK)
            return fail(DECIDE_EMISUSE, "invalid evaluation date '%s' (expected YYYY-MM-DD)", opts->date);
    } else if (c->has_date) {
        date = c->date;
    } else {
        r->status = DECIDE_EDATE;
        snprintf(r->error, sizeof r->error, "no evaluation date: give one or set the case's \"date\"");
        return fail(DECIDE_EDATE, "%s", r->error);
    }
    decide_trace_level trace = opts ? opts->trace : DECIDE_TRACE_NONE;
    int rc = dc_evaluate(r, rs, c, date, trace);
    if (rc == DECIDE_EEVAL) return fail(rc, "%s", r->error);
    if (rc != DECIDE_OK) return fail(rc, "%s", decide_strerror(rc));
    if (collect_missing(r) < 0) return fail(DECIDE_ENOMEM, "out of memory");
    ok();
    return DECIDE_OK;
}

API decide_outcome decide_result_outcome(const decide_result *r) { return r ? r->outcome : DECIDE_REVIEW; }

API const char *decide_outcome_name(decide_outcome o)
{
    switch (o) {
    case DECIDE_GRANTED: return "GRANTED";
    case DECIDE_DENIED: return "DENIED";
    case DECIDE_REVIEW: return "REVIEW";
    default: return "?";
    }
}

API const char *decide_result_date(const decide_result *r)
{
    return r && r->rs ? dc_result_date_text((decide_result *)r) : NULL;
}

API int decide_result_amount(const decide_result *r, int64_t *cents)
{
    if (!r || !r->rs || r->rs->amount < 0 || r->amount.why) return 0;
    if (cents) *cents = r->amount.v.u.i;
    return 1;
}

static int32_t top_computed(const dc_ruleset *rs, size_t i)
{
    for (uint32_t k = 0; k < rs->n_computeds; k++)
        if (rs->computeds[k].entity < 0 && rs->computeds[k].slot == i) return (int32_t)k;
    return -1;
}

API size_t decide_result_value_count(const decide_result *r) { return r && r->rs ? r->rs->n_top_computeds : 0; }

API const char *decide_result_value_name(const decide_result *r, size_t i)
{
    if (!r || !r->rs || i >= r->rs->n_top_computeds) return NULL;
    int32_t k = top_computed(r->rs, i);
    return k >= 0 ? r->rs->computeds[k].name : NULL;
}

API const char *decide_result_value_text(const decide_result *r_, size_t i)
{
    decide_result *r = (decide_result *)r_;   /* texts are built on first use */
    if (!r || !r->rs || i >= r->rs->n_top_computeds) return NULL;
    if (!r->value_texts) {
        dc_evaluate_rest(r);   /* values the decision did not need are computed now */
        if (!r->memo_top) return NULL;
        r->value_texts = dc_arena_zalloc(&r->arena, r->rs->n_top_computeds * sizeof *r->value_texts);
        if (!r->value_texts) return NULL;
        dc_buf b;
        dc_buf_init(&b);
        for (uint32_t k = 0; k < r->rs->n_computeds; k++) {
            const dc_computed *cv = &r->rs->computeds[k];
            if (cv->entity >= 0) continue;
            const dc_memo *m = &r->memo_top[cv->slot];
            if (m->state != 2 || m->value.why) continue;
            dc_buf_clear(&b);
            dc_value_canonical(&b, m->value.v, cv->enum_of >= 0 ? r->rs->inputs[cv->enum_of].enum_values : NULL);
            r->value_texts[cv->slot] = dc_arena_strdup(&r->arena, b.data ? b.data : "");
        }
        dc_buf_free(&b);
    }
    return r->value_texts[i];
}

API int decide_result_value(const decide_result *r, const char *name, const char **text)
{
    if (!r || !r->rs || !name) return 0;
    int32_t k = dc_rs_find_computed(r->rs, name);
    if (k < 0 || r->rs->computeds[k].entity >= 0) return 0;
    if (text) *text = decide_result_value_text(r, r->rs->computeds[k].slot);
    return 1;
}

API size_t decide_result_missing_count(const decide_result *r) { return r ? r->n_missing : 0; }
API const decide_missing *decide_result_missing(const decide_result *r, size_t i)
{
    return r && i < r->n_missing ? &r->missing[i] : NULL;
}
API size_t decide_result_conflict_count(const decide_result *r) { return r ? r->n_conflicts : 0; }
API const decide_conflict *decide_result_conflict(const decide_result *r, size_t i)
{
    return r && i < r->n_conflicts ? &r->conflicts[i] : NULL;
}
API const char *decide_result_error(const decide_result *r) { return r ? r->error : ""; }

API int decide_result_render(char **out, size_t *len, const decide_result *r,
                             const decide_render_options *opts)
{
    if (!out || !r || !r->rs) return fail(DECIDE_EMISUSE, "decide_result_render: NULL argument or no evaluation");
    if (opts && opts->version != DECIDE_RENDER_OPTIONS_VERSION)
        return fail(DECIDE_EMISUSE, "decide_render_options.version is %d, expected %d",
                    opts->version, DECIDE_RENDER_OPTIONS_VERSION);
    decide_render_options o = DECIDE_RENDER_OPTIONS_INIT;
    if (opts) o = *opts;
    const char *lang = o.lang && strcmp(o.lang, "en") == 0 ? "en" : "fr";
    if (o.lang && strcmp(o.lang, "en") && strcmp(o.lang, "fr"))
        return fail(DECIDE_EMISUSE, "unsupported language '%s' (fr, en)", o.lang);
    /* rendering reports every value and marks reachable trace nodes: both are built
     * in the result, which one thread uses at a time */
    dc_evaluate_rest((decide_result *)r);
    dc_result_date_text((decide_result *)r);
    dc_trace_mark_reached((decide_result *)r);
    dc_buf b;
    dc_buf_init(&b);
    int rc;
    switch (o.format) {
    case DECIDE_FORMAT_JSON: rc = dc_render_json(&b, r, lang); break;
    case DECIDE_FORMAT_HTML: rc = dc_render_text(&b, r, lang, o.verbose, 1); break;
    default: rc = dc_render_text(&b, r, lang, o.verbose, 0); break;
    }
    if (rc < 0 || b.failed) { dc_buf_free(&b); return fail(DECIDE_ENOMEM, "out of memory"); }
    if (len) *len = b.len;
    *out = dc_buf_take(&b);
    return DECIDE_OK;
}
