/* diff_rulesets.c — what changed between two versions of a rule set: rules, computed
 * values, parameters and their dated values, inputs, articles and the decision, as a
 * list of findings grouped by the article they belong to; plus the diff report itself
 * (sorting, text and JSON rendering) and the classification of impact on cases. */
#include "diff.h"
#include <stdlib.h>
#include <string.h>
#include "decide.h"
#include "textdiff.h"

/* ---------------------------------------------------------------- the report */

static const struct { const char *code, *words; dc_diff_severity sev; } kinds[] = {
#define X(name, code, sev, words) { code, words, DC_DIFF_##sev },
    DC_DIFF_KINDS(X)
#undef X
};

const char *dc_diff_kind_code(dc_diff_kind k) { return k < DC_DIFF_KIND_COUNT_ ? kinds[k].code : "?"; }
const char *dc_diff_kind_words(dc_diff_kind k) { return k < DC_DIFF_KIND_COUNT_ ? kinds[k].words : "?"; }
dc_diff_severity dc_diff_kind_severity(dc_diff_kind k)
{
    return k < DC_DIFF_KIND_COUNT_ ? kinds[k].sev : DC_DIFF_INFO;
}

const char *dc_diff_severity_name(dc_diff_severity s)
{
    switch (s) {
    case DC_DIFF_CRITICAL: return "critical";
    case DC_DIFF_MAJOR: return "major";
    case DC_DIFF_MINOR: return "minor";
    case DC_DIFF_NOTE: return "note";
    case DC_DIFF_INFO: return "info";
    }
    return "?";
}

void dc_diff_report_init(dc_diff_report *r)
{
    memset(r, 0, sizeof *r);
    dc_arena_init(&r->arena, 16384);
}

void dc_diff_report_free(dc_diff_report *r)
{
    if (!r) return;
    free(r->items);
    dc_arena_free(&r->arena);
    memset(r, 0, sizeof *r);
}

static const char *dup_or_null(dc_diff_report *r, const char *s)
{
    if (!s) return NULL;
    const char *d = dc_arena_strdup(&r->arena, s);
    if (!d) r->failed = 1;
    return d;
}

int dc_diff_add(dc_diff_report *r, dc_diff_kind kind, const char *group,
                const char *group_label, const char *subject, const char *field,
                const char *old_text, const char *new_text, const char *detail)
{
    dc_diff_item *items = dc_grow(r->items, &r->cap, r->count, sizeof *items, 64);
    if (!items) { r->failed = 1; return -1; }
    r->items = items;
    dc_diff_item *it = &r->items[r->count];
    it->kind = kind;
    it->group = dup_or_null(r, group ? group : "");
    it->group_label = dup_or_null(r, group_label ? group_label : "");
    it->subject = dup_or_null(r, subject ? subject : "");
    it->field = dup_or_null(r, field);
    it->old_text = dup_or_null(r, old_text);
    it->new_text = dup_or_null(r, new_text);
    it->detail = dup_or_null(r, detail);
    it->seq = (uint32_t)r->count;
    if (r->failed) return -1;
    r->count++;
    return 0;
}

size_t dc_diff_count_differences(const dc_diff_report *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        if (dc_diff_kind_severity(r->items[i].kind) < DC_DIFF_INFO) n++;
    return n;
}

typedef struct sort_key { const dc_diff_item *item; int group_sev; } sort_key;

static int same_group(const dc_diff_item *a, const dc_diff_item *b)
{
    return strcmp(a->group, b->group) == 0 && strcmp(a->group_label, b->group_label) == 0;
}

static int cmp_items(const void *pa, const void *pb)
{
    const sort_key *a = pa, *b = pb;
    if (a->group_sev != b->group_sev) return a->group_sev < b->group_sev ? -1 : 1;
    int c = strcmp(a->item->group_label, b->item->group_label);
    if (c) return c;
    c = strcmp(a->item->group, b->item->group);
    if (c) return c;
    int sa = (int)dc_diff_kind_severity(a->item->kind), sb = (int)dc_diff_kind_severity(b->item->kind);
    if (sa != sb) return sa < sb ? -1 : 1;
    return a->item->seq < b->item->seq ? -1 : a->item->seq > b->item->seq;
}

void dc_diff_report_sort(dc_diff_report *r)
{
    if (r->count < 2) return;
    sort_key *keys = malloc(r->count * sizeof *keys);
    dc_diff_item *sorted = malloc(r->count * sizeof *sorted);
    if (!keys || !sorted) { free(keys); free(sorted); r->failed = 1; return; }
    for (size_t i = 0; i < r->count; i++) {
        int sev = DC_DIFF_INFO + 1;
        /* Quadratic, but reports are a few hundred findings at most. */
        for (size_t j = 0; j < r->count; j++)
            if (same_group(&r->items[i], &r->items[j]) && (int)dc_diff_kind_severity(r->items[j].kind) < sev)
                sev = (int)dc_diff_kind_severity(r->items[j].kind);
        keys[i].item = &r->items[i];
        keys[i].group_sev = sev;
    }
    qsort(keys, r->count, sizeof *keys, cmp_items);
    for (size_t i = 0; i < r->count; i++) sorted[i] = *keys[i].item;
    free(r->items);
    free(keys);
    r->items = sorted;
    r->cap = r->count;
}

void dc_diff_article_group(dc_diff_report *r, const dc_ruleset *rs, int32_t article,
                           const char *fallback, const char **group, const char **label)
{
    if (article < 0 || (uint32_t)article >= rs->n_articles) {
        *group = "";
        *label = fallback;
        return;
    }
    const dc_article *a = &rs->articles[article];
    dc_buf b;
    dc_buf_init(&b);
    dc_article_cite(&b, a, "fr");
    *group = a->id;
    *label = dup_or_null(r, b.data ? b.data : a->id);
    if (!*label) *label = a->id;
    dc_buf_free(&b);
}

static void put_line_text(dc_buf *out, const char *s)
{
    /* One finding per line: newlines inside a text become spaces. */
    for (; *s; s++) dc_buf_putc(out, (*s == '\n' || *s == '\r') ? ' ' : *s);
}

int dc_diff_render_text(dc_buf *out, const dc_diff_report *r)
{
    static const char marks[] = "?!!-. ";
    for (size_t i = 0; i < r->count; i++) {
        const dc_diff_item *it = &r->items[i];
        if (i == 0 || !same_group(it, &r->items[i - 1])) {
            if (i) dc_buf_putc(out, '\n');
            dc_buf_puts(out, it->group_label);
            if (it->group[0]) dc_buf_printf(out, " [%s]", it->group);
            dc_buf_putc(out, '\n');
        }
        dc_diff_severity sev = dc_diff_kind_severity(it->kind);
        dc_buf_printf(out, "  %c %-8s ", marks[sev], dc_diff_severity_name(sev));
        put_line_text(out, it->subject);
        dc_buf_puts(out, ": ");
        put_line_text(out, it->field ? it->field : dc_diff_kind_words(it->kind));
        if (it->old_text && it->new_text) {
            dc_buf_puts(out, ": ");
            put_line_text(out, it->old_text);
            dc_buf_puts(out, "  \u2192  ");
            put_line_text(out, it->new_text);
        } else if (it->new_text || it->old_text) {
            dc_buf_puts(out, ": ");
            put_line_text(out, it->new_text ? it->new_text : it->old_text);
        }
        dc_buf_printf(out, " [%s]\n", dc_diff_kind_code(it->kind));
        if (it->detail) {
            const char *s = it->detail;
            while (*s) {
                const char *e = strchr(s, '\n');
                size_t n = e ? (size_t)(e - s) : strlen(s);
                dc_buf_puts(out, "        ");
                dc_buf_append(out, s, n);
                dc_buf_putc(out, '\n');
                s += n + (e ? 1 : 0);
            }
        }
    }
    return out->failed ? -1 : 0;
}

static void json_field(dc_buf *out, const char *name, const char *value, int comma)
{
    if (comma) dc_buf_putc(out, ',');
    dc_buf_json_string(out, name);
    dc_buf_putc(out, ':');
    if (value) dc_buf_json_string(out, value);
    else dc_buf_puts(out, "null");
}

int dc_diff_render_json_findings(dc_buf *out, const dc_diff_report *r)
{
    dc_buf_putc(out, '[');
    for (size_t i = 0; i < r->count; i++) {
        const dc_diff_item *it = &r->items[i];
        dc_buf_puts(out, i ? ",\n    {" : "\n    {");
        json_field(out, "kind", dc_diff_kind_code(it->kind), 0);
        json_field(out, "severity", dc_diff_severity_name(dc_diff_kind_severity(it->kind)), 1);
        json_field(out, "article", it->group[0] ? it->group : NULL, 1);
        json_field(out, "article_label", it->group_label, 1);
        json_field(out, "subject", it->subject, 1);
        json_field(out, "field", it->field, 1);
        json_field(out, "old", it->old_text, 1);
        json_field(out, "new", it->new_text, 1);
        json_field(out, "detail", it->detail, 1);
        dc_buf_putc(out, '}');
    }
    dc_buf_puts(out, r->count ? "\n  ]" : "]");
    return out->failed ? -1 : 0;
}

/* ---------------------------------------------------------------- impact */

static const char *const direction_codes[] = {
#define X(name, code) code,
    DC_IMPACT_DIRECTIONS(X)
#undef X
};

const char *dc_impact_direction_code(dc_impact_direction d)
{
    return d < DC_IMPACT_DIRECTION_COUNT_ ? direction_codes[d] : "?";
}

const char *dc_impact_bucket_label(int bucket)
{
    static const char *const labels[DC_IMPACT_BUCKETS] = {
        "< 1 \u20ac", "1\u201310 \u20ac", "10\u201350 \u20ac", "50\u2013100 \u20ac", "> 100 \u20ac" };
    return bucket >= 0 && bucket < DC_IMPACT_BUCKETS ? labels[bucket] : "?";
}

void dc_impact_init(dc_impact *im) { memset(im, 0, sizeof *im); }

int dc_impact_bucket(int64_t diff_cents)
{
    /* |INT64_MIN| does not fit: it is certainly in the last bucket. */
    uint64_t m = diff_cents < 0 ? (uint64_t)0 - (uint64_t)diff_cents : (uint64_t)diff_cents;
    if (m < 100) return 0;
    if (m < 1000) return 1;
    if (m < 5000) return 2;
    if (m < 10000) return 3;
    return 4;
}

dc_impact_direction dc_impact_add(dc_impact *im, int old_outcome, int old_has_amount,
                                  int64_t old_cents, int new_outcome, int new_has_amount,
                                  int64_t new_cents)
{
    dc_impact_direction d = DC_IMPACT_UNCHANGED;
    int old_paid_known = old_outcome == DECIDE_DENIED || (old_outcome == DECIDE_GRANTED && old_has_amount);
    int new_paid_known = new_outcome == DECIDE_DENIED || (new_outcome == DECIDE_GRANTED && new_has_amount);
    int64_t old_paid = old_outcome == DECIDE_GRANTED && old_has_amount ? old_cents : 0;
    int64_t new_paid = new_outcome == DECIDE_GRANTED && new_has_amount ? new_cents : 0;
    if (old_outcome != new_outcome) {
        if (new_outcome == DECIDE_REVIEW) d = DC_IMPACT_TO_REVIEW;
        else if (old_outcome == DECIDE_REVIEW) d = DC_IMPACT_FROM_REVIEW;
        else if (new_outcome == DECIDE_DENIED) d = DC_IMPACT_GRANTED_TO_DENIED;
        else d = DC_IMPACT_DENIED_TO_GRANTED;
    } else if (old_outcome == DECIDE_GRANTED && old_paid != new_paid) {
        d = new_paid > old_paid ? DC_IMPACT_AMOUNT_UP : DC_IMPACT_AMOUNT_DOWN;
    }
    im->cases++;
    im->by_direction[d]++;
    if (d != DC_IMPACT_UNCHANGED) im->changed++;
    if (old_paid_known && new_paid_known && old_paid != new_paid) {
        int64_t diff;
        if (dc_i64_sub(new_paid, old_paid, &diff) != 0) diff = new_paid > old_paid ? INT64_MAX : INT64_MIN;
        if (im->n_amount_diffs == 0 || diff < im->min_diff) im->min_diff = diff;
        if (im->n_amount_diffs == 0 || diff > im->max_diff) im->max_diff = diff;
        im->n_amount_diffs++;
        im->buckets[dc_impact_bucket(diff)]++;
    }
    return d;
}

/* ---------------------------------------------------------------- rule set diff */

typedef struct differ {
    dc_diff_report *r;
    const dc_ruleset *old_rs, *new_rs;
    dc_buf tmp;
} differ;

/* Text of an expression as dc_expr_print writes it, in the report's arena. */
static const char *expr_text(differ *d, const dc_ruleset *rs, const dc_expr *e)
{
    if (!e) return NULL;
    dc_buf_clear(&d->tmp);
    dc_expr_print(&d->tmp, e, rs);
    return dup_or_null(d->r, d->tmp.data ? d->tmp.data : "");
}

/* Whitespace runs collapse to one space, leading and trailing ones go: templates and
 * quotes are re-indented freely in XML. */
static char *normalise_space(dc_diff_report *r, const char *s)
{
    if (!s) return NULL;
    char *out = dc_arena_alloc(&r->arena, strlen(s) + 1);
    if (!out) { r->failed = 1; return NULL; }
    size_t n = 0;
    int space = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') { space = n > 0; continue; }
        if (space) out[n++] = ' ';
        space = 0;
        out[n++] = *s;
    }
    out[n] = '\0';
    return out;
}

static int str_eq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

static const char *date_text(differ *d, int32_t days, int is_to)
{
    if (days == (is_to ? DC_NO_DATE_TO : DC_NO_DATE_FROM)) return "open";
    int y, m, dd;
    dc_date_to_ymd(days, &y, &m, &dd);
    dc_buf_clear(&d->tmp);
    dc_buf_printf(&d->tmp, "%04d-%02d-%02d", y, m, dd);
    return dup_or_null(d->r, d->tmp.data);
}

static const char *validity_text(differ *d, int32_t from, int32_t to)
{
    if (from == DC_NO_DATE_FROM && to == DC_NO_DATE_TO) return "always";
    const char *f = date_text(d, from, 0), *t = date_text(d, to, 1);
    dc_buf_clear(&d->tmp);
    dc_buf_printf(&d->tmp, "%s .. %s", f ? f : "?", t ? t : "?");
    return dup_or_null(d->r, d->tmp.data);
}

static const char *source_text(differ *d, const dc_ruleset *rs, dc_source_ref s)
{
    if (s.article < 0 || (uint32_t)s.article >= rs->n_articles) return "(none)";
    dc_buf_clear(&d->tmp);
    dc_buf_puts(&d->tmp, rs->articles[s.article].id);
    if (s.alinea) dc_buf_printf(&d->tmp, " al. %u", s.alinea);
    return dup_or_null(d->r, d->tmp.data);
}

static void group_of(differ *d, const dc_ruleset *rs, int32_t article, const char *fallback,
                     const char **g, const char **l)
{
    dc_diff_article_group(d->r, rs, article, fallback, g, l);
}

/* ---- rules ---- */

typedef struct rule_info {
    const dc_rule *rule;
    const char *key;       /* id, "otherwise:NAME" or "=NAME" */
    const char *subject;   /* "rule af.droit", "otherwise of droit_ouvert", "definition age" */
    const char *parent;    /* key of the parent rule, NULL at top level */
    const char *owner;     /* name of the computed value */
    int matched;
} rule_info;

typedef struct rule_list { rule_info *items; size_t n, cap; } rule_list;

static int rule_push(differ *d, rule_list *l, const dc_rule *rule, const char *key,
                     const char *subject, const char *parent, const char *owner)
{
    rule_info *items = dc_grow(l->items, &l->cap, l->n, sizeof *items, 64);
    if (!items) { d->r->failed = 1; return -1; }
    l->items = items;
    l->items[l->n++] = (rule_info){ rule, key, subject, parent, owner, 0 };
    return 0;
}

static void collect_tree(differ *d, rule_list *l, const dc_rule *rules, uint32_t n,
                         const char *parent, const char *owner)
{
    for (uint32_t i = 0; i < n; i++) {
        const dc_rule *rule = &rules[i];
        const char *id = rule->id ? rule->id : owner;
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "rule %s", id);
        const char *subject = dup_or_null(d->r, d->tmp.data);
        rule_push(d, l, rule, id, subject, parent, owner);
        collect_tree(d, l, rule->exceptions, rule->n_exceptions, id, owner);
    }
}

static void collect_rules(differ *d, const dc_ruleset *rs, rule_list *l)
{
    for (uint32_t c = 0; c < rs->n_computeds; c++) {
        const dc_computed *v = &rs->computeds[c];
        if (v->simple && v->n_rules == 1) {
            dc_buf_clear(&d->tmp);
            dc_buf_printf(&d->tmp, "=%s", v->name);
            const char *key = dup_or_null(d->r, d->tmp.data);
            dc_buf_clear(&d->tmp);
            dc_buf_printf(&d->tmp, "%s %s", v->is_variable ? "variable" : "definition", v->name);
            rule_push(d, l, &v->rules[0], key, dup_or_null(d->r, d->tmp.data), NULL, v->name);
        } else {
            collect_tree(d, l, v->rules, v->n_rules, NULL, v->name);
        }
        if (v->otherwise) {
            dc_buf_clear(&d->tmp);
            dc_buf_printf(&d->tmp, "otherwise:%s", v->name);
            const char *key = dup_or_null(d->r, d->tmp.data);
            dc_buf_clear(&d->tmp);
            dc_buf_printf(&d->tmp, "otherwise of %s", v->name);
            rule_push(d, l, v->otherwise, key, dup_or_null(d->r, d->tmp.data), NULL, v->name);
        }
    }
}

static rule_info *find_rule(rule_list *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (str_eq(l->items[i].key, key)) return &l->items[i];
    return NULL;
}

static const char *rule_summary(differ *d, const dc_ruleset *rs, const dc_rule *rule)
{
    const char *c = expr_text(d, rs, rule->cond);
    const char *t = expr_text(d, rs, rule->then);
    dc_buf_clear(&d->tmp);
    if (c) dc_buf_printf(&d->tmp, "if %s then %s", c, t ? t : "?");
    else dc_buf_puts(&d->tmp, t ? t : "?");
    return dup_or_null(d->r, d->tmp.data);
}

static void diff_rule(differ *d, const rule_info *o, const rule_info *n)
{
    const dc_rule *a = o->rule, *b = n->rule;
    const char *g, *l;
    group_of(d, d->new_rs, b->source.article, "(no article)", &g, &l);
    const char *ca = expr_text(d, d->old_rs, a->cond), *cb = expr_text(d, d->new_rs, b->cond);
    if (!str_eq(ca, cb))
        dc_diff_add(d->r, DC_DIFF_RULE_CONDITION, g, l, n->subject, NULL,
                    ca ? ca : "(always)", cb ? cb : "(always)", NULL);
    const char *ta = expr_text(d, d->old_rs, a->then), *tb = expr_text(d, d->new_rs, b->then);
    if (!str_eq(ta, tb))
        dc_diff_add(d->r, DC_DIFF_RULE_VALUE, g, l, n->subject, NULL, ta, tb, NULL);
    const char *sa = source_text(d, d->old_rs, a->source), *sb = source_text(d, d->new_rs, b->source);
    if (!str_eq(sa, sb))
        dc_diff_add(d->r, DC_DIFF_RULE_SOURCE, g, l, n->subject, NULL, sa, sb, NULL);
    if (a->valid_from != b->valid_from || a->valid_to != b->valid_to)
        dc_diff_add(d->r, DC_DIFF_RULE_VALIDITY, g, l, n->subject, NULL,
                    validity_text(d, a->valid_from, a->valid_to),
                    validity_text(d, b->valid_from, b->valid_to), NULL);
    if (!str_eq(o->parent, n->parent))
        dc_diff_add(d->r, DC_DIFF_RULE_PARENT, g, l, n->subject, "exception of",
                    o->parent ? o->parent : "(top level)", n->parent ? n->parent : "(top level)", NULL);
    if (!str_eq(o->owner, n->owner))
        dc_diff_add(d->r, DC_DIFF_RULE_OWNER, g, l, n->subject, NULL, o->owner, n->owner, NULL);
    const char *ea = normalise_space(d->r, a->explain ? a->explain->raw : NULL);
    const char *eb = normalise_space(d->r, b->explain ? b->explain->raw : NULL);
    if (!str_eq(ea, eb)) {
        dc_buf diff;
        dc_buf_init(&diff);
        if (ea && eb) dc_textdiff_words(ea, eb, &diff, NULL);
        dc_diff_add(d->r, DC_DIFF_RULE_EXPLAIN, g, l, n->subject, NULL,
                    ea ? ea : "(generated)", eb ? eb : "(generated)", diff.len ? diff.data : NULL);
        dc_buf_free(&diff);
    }
}

static void diff_rules(differ *d)
{
    rule_list lo = {0}, ln = {0};
    collect_rules(d, d->old_rs, &lo);
    collect_rules(d, d->new_rs, &ln);
    for (size_t i = 0; i < ln.n; i++) {
        rule_info *n = &ln.items[i];
        rule_info *o = find_rule(&lo, n->key);
        if (o) { o->matched = 1; diff_rule(d, o, n); continue; }
        const char *g, *l;
        group_of(d, d->new_rs, n->rule->source.article, "(no article)", &g, &l);
        dc_buf_clear(&d->tmp);
        const char *summary = rule_summary(d, d->new_rs, n->rule);
        dc_diff_add(d->r, DC_DIFF_RULE_ADDED, g, l, n->subject,
                    n->parent ? "rule added (exception)" : NULL, NULL, summary, NULL);
    }
    for (size_t i = 0; i < lo.n; i++) {
        rule_info *o = &lo.items[i];
        if (o->matched) continue;
        const char *g, *l;
        group_of(d, d->old_rs, o->rule->source.article, "(no article)", &g, &l);
        dc_diff_add(d->r, DC_DIFF_RULE_REMOVED, g, l, o->subject, NULL,
                    rule_summary(d, d->old_rs, o->rule), NULL, NULL);
    }
    free(lo.items);
    free(ln.items);
}

/* ---- computed values ---- */

static int32_t computed_article(const dc_computed *c)
{
    if (c->n_rules) return c->rules[0].source.article;
    if (c->otherwise) return c->otherwise->source.article;
    return -1;
}

static const char *computed_type(differ *d, const dc_ruleset *rs, const dc_computed *c)
{
    dc_buf_clear(&d->tmp);
    dc_buf_puts(&d->tmp, dc_type_name((dc_type_kind)c->type));
    if (c->entity >= 0) dc_buf_printf(&d->tmp, " of %s", rs->entities[c->entity].name);
    return dup_or_null(d->r, d->tmp.data);
}

static void diff_computeds(differ *d)
{
    for (uint32_t i = 0; i < d->new_rs->n_computeds; i++) {
        const dc_computed *b = &d->new_rs->computeds[i];
        int32_t oi = dc_rs_find_computed(d->old_rs, b->name);
        const char *g, *l;
        group_of(d, d->new_rs, computed_article(b), "(no article)", &g, &l);
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "%s %s", b->is_variable ? "variable" : "definition", b->name);
        const char *subject = dup_or_null(d->r, d->tmp.data);
        if (oi < 0) {
            dc_diff_add(d->r, DC_DIFF_VALUE_ADDED, g, l, subject, NULL, NULL,
                        computed_type(d, d->new_rs, b), NULL);
            continue;
        }
        const dc_computed *a = &d->old_rs->computeds[oi];
        const char *ta = computed_type(d, d->old_rs, a), *tb = computed_type(d, d->new_rs, b);
        if (!str_eq(ta, tb))
            dc_diff_add(d->r, DC_DIFF_VALUE_TYPE, g, l, subject, NULL, ta, tb, NULL);
        if (a->is_variable != b->is_variable)
            dc_diff_add(d->r, DC_DIFF_LABEL_CHANGED, g, l, subject, "kind",
                        a->is_variable ? "variable" : "definition",
                        b->is_variable ? "variable" : "definition", NULL);
        if (!str_eq(a->label, b->label))
            dc_diff_add(d->r, DC_DIFF_LABEL_CHANGED, g, l, subject, NULL, a->label, b->label, NULL);
    }
    for (uint32_t i = 0; i < d->old_rs->n_computeds; i++) {
        const dc_computed *a = &d->old_rs->computeds[i];
        if (dc_rs_find_computed(d->new_rs, a->name) >= 0) continue;
        const char *g, *l;
        group_of(d, d->old_rs, computed_article(a), "(no article)", &g, &l);
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "%s %s", a->is_variable ? "variable" : "definition", a->name);
        dc_diff_add(d->r, DC_DIFF_VALUE_REMOVED, g, l, d->tmp.data, NULL,
                    computed_type(d, d->old_rs, a), NULL, NULL);
    }
}

/* ---- parameters ---- */

static const char *param_value_text(const dc_param_value *v)
{
    return v->text ? v->text : "?";
}

static int param_values_equal(const dc_param_value *a, const dc_param_value *b)
{
    /* "32 %" and "0.32" are the same rate: compare values, not spellings. */
    if (a->value.type == DC_T_TEXT || b->value.type == DC_T_TEXT)
        return a->value.type == b->value.type && str_eq(a->value.u.s, b->value.u.s);
    return dc_value_equal(a->value, b->value);
}

static int32_t param_article(const dc_param *p)
{
    return p->n_values ? p->values[p->n_values - 1].source.article : -1;
}

static void diff_param_values(differ *d, const dc_param *a, const dc_param *b, const char *subject)
{
    for (uint32_t j = 0; j < b->n_values; j++) {
        const dc_param_value *vb = &b->values[j];
        const dc_param_value *va = NULL;
        for (uint32_t k = 0; k < a->n_values; k++)
            if (a->values[k].from == vb->from) { va = &a->values[k]; break; }
        const char *g, *l;
        group_of(d, d->new_rs, vb->source.article, "(no article)", &g, &l);
        const char *from = date_text(d, vb->from, 0);
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "value from %s", from ? from : "?");
        const char *field = dup_or_null(d->r, d->tmp.data);
        if (!va) {
            dc_buf_clear(&d->tmp);
            dc_buf_printf(&d->tmp, "value from %s added", from ? from : "?");
            dc_diff_add(d->r, DC_DIFF_PARAM_VALUE_ADDED, g, l, subject, d->tmp.data, NULL,
                        param_value_text(vb), NULL);
            continue;
        }
        if (!param_values_equal(va, vb))
            dc_diff_add(d->r, DC_DIFF_PARAM_VALUE_CHANGED, g, l, subject, field,
                        param_value_text(va), param_value_text(vb), NULL);
        /* The end of a value without to= follows the next value: only an explicit end
         * that moved is a change of its own. */
        if (va->to != vb->to && !(j + 1 < b->n_values)) {
            dc_buf_clear(&d->tmp);
            dc_buf_printf(&d->tmp, "end of the value from %s", from ? from : "?");
            const char *f2 = dup_or_null(d->r, d->tmp.data);
            dc_diff_add(d->r, DC_DIFF_PARAM_VALUE_PERIOD, g, l, subject, f2,
                        date_text(d, va->to, 1), date_text(d, vb->to, 1), NULL);
        }
        const char *sa = source_text(d, d->old_rs, va->source), *sb = source_text(d, d->new_rs, vb->source);
        if (!str_eq(sa, sb)) {
            dc_buf_clear(&d->tmp);
            dc_buf_printf(&d->tmp, "source of the value from %s", from ? from : "?");
            dc_diff_add(d->r, DC_DIFF_PARAM_VALUE_SOURCE, g, l, subject, d->tmp.data, sa, sb, NULL);
        }
    }
    for (uint32_t k = 0; k < a->n_values; k++) {
        const dc_param_value *va = &a->values[k];
        int found = 0;
        for (uint32_t j = 0; j < b->n_values; j++)
            if (b->values[j].from == va->from) { found = 1; break; }
        if (found) continue;
        const char *g, *l;
        group_of(d, d->old_rs, va->source.article, "(no article)", &g, &l);
        const char *from = date_text(d, va->from, 0);
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "value from %s removed", from ? from : "?");
        dc_diff_add(d->r, DC_DIFF_PARAM_VALUE_REMOVED, g, l, subject, d->tmp.data,
                    param_value_text(va), NULL, NULL);
    }
}

static const char *param_table(differ *d, const dc_param *p)
{
    dc_buf b;
    dc_buf_init(&b);
    for (uint32_t k = 0; k < p->n_values; k++) {
        const char *from = date_text(d, p->values[k].from, 0);
        dc_buf_printf(&b, "%s%s from %s", k ? ", " : "", p->values[k].text ? p->values[k].text : "?",
                      from ? from : "?");
    }
    const char *s = dup_or_null(d->r, b.data ? b.data : "");
    dc_buf_free(&b);
    return s;
}

static void diff_params(differ *d)
{
    for (uint32_t i = 0; i < d->new_rs->n_params; i++) {
        const dc_param *b = &d->new_rs->params[i];
        int32_t oi = dc_rs_find_param(d->old_rs, b->name);
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "parameter %s", b->name);
        const char *subject = dup_or_null(d->r, d->tmp.data);
        const char *g, *l;
        group_of(d, d->new_rs, param_article(b), "(no article)", &g, &l);
        if (oi < 0) {
            dc_diff_add(d->r, DC_DIFF_PARAM_ADDED, g, l, subject, NULL, NULL, param_table(d, b), NULL);
            continue;
        }
        const dc_param *a = &d->old_rs->params[oi];
        if (a->type != b->type)
            dc_diff_add(d->r, DC_DIFF_PARAM_TYPE, g, l, subject, NULL, dc_type_name(a->type),
                        dc_type_name(b->type), NULL);
        else
            diff_param_values(d, a, b, subject);
        if (!str_eq(a->label, b->label))
            dc_diff_add(d->r, DC_DIFF_LABEL_CHANGED, g, l, subject, NULL, a->label, b->label, NULL);
    }
    for (uint32_t i = 0; i < d->old_rs->n_params; i++) {
        const dc_param *a = &d->old_rs->params[i];
        if (dc_rs_find_param(d->new_rs, a->name) >= 0) continue;
        const char *g, *l;
        group_of(d, d->old_rs, param_article(a), "(no article)", &g, &l);
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "parameter %s", a->name);
        dc_diff_add(d->r, DC_DIFF_PARAM_REMOVED, g, l, d->tmp.data, NULL, param_table(d, a), NULL, NULL);
    }
}

/* ---- inputs ---- */

static const char *input_subject(differ *d, const dc_ruleset *rs, const dc_input *in)
{
    dc_buf_clear(&d->tmp);
    if (in->entity >= 0) dc_buf_printf(&d->tmp, "input %s.%s", rs->entities[in->entity].name, in->name);
    else dc_buf_printf(&d->tmp, "input %s", in->name);
    return dup_or_null(d->r, d->tmp.data);
}

static const char *input_shape(differ *d, const dc_input *in)
{
    dc_buf b;
    dc_buf_init(&b);
    dc_buf_puts(&b, dc_type_name(in->type));
    if (in->n_enum_values) {
        dc_buf_puts(&b, " (");
        for (uint32_t k = 0; k < in->n_enum_values; k++)
            dc_buf_printf(&b, "%s%s", k ? " " : "", in->enum_values[k]);
        dc_buf_putc(&b, ')');
    }
    if (in->has_min) { dc_buf_puts(&b, " min "); dc_value_canonical(&b, in->min, NULL); }
    if (in->max_is_eval_date) dc_buf_puts(&b, " max date");
    else if (in->has_max) { dc_buf_puts(&b, " max "); dc_value_canonical(&b, in->max, NULL); }
    if (in->pattern) dc_buf_printf(&b, " pattern %s", in->pattern);
    const char *s = dup_or_null(d->r, b.data ? b.data : "");
    dc_buf_free(&b);
    return s;
}

static int32_t find_input_like(const dc_ruleset *rs, const dc_ruleset *other, const dc_input *in)
{
    int32_t entity = -1;
    if (in->entity >= 0) {
        entity = dc_rs_find_entity(rs, other->entities[in->entity].name);
        if (entity < 0) return -1;
    }
    return dc_rs_find_input(rs, entity, in->name);
}

static void diff_inputs(differ *d)
{
    for (uint32_t i = 0; i < d->new_rs->n_inputs; i++) {
        const dc_input *b = &d->new_rs->inputs[i];
        const char *subject = input_subject(d, d->new_rs, b);
        int32_t oi = find_input_like(d->old_rs, d->new_rs, b);
        if (oi < 0) {
            dc_diff_add(d->r, DC_DIFF_INPUT_ADDED, "", "inputs", subject, NULL, NULL, input_shape(d, b), NULL);
            continue;
        }
        const dc_input *a = &d->old_rs->inputs[oi];
        const char *sa = input_shape(d, a), *sb = input_shape(d, b);
        if (!str_eq(sa, sb))
            dc_diff_add(d->r, DC_DIFF_INPUT_CHANGED, "", "inputs", subject, NULL, sa, sb, NULL);
        if (!str_eq(a->label, b->label))
            dc_diff_add(d->r, DC_DIFF_LABEL_CHANGED, "", "inputs", subject, NULL, a->label, b->label, NULL);
    }
    for (uint32_t i = 0; i < d->old_rs->n_inputs; i++) {
        const dc_input *a = &d->old_rs->inputs[i];
        if (find_input_like(d->new_rs, d->old_rs, a) >= 0) continue;
        dc_diff_add(d->r, DC_DIFF_INPUT_REMOVED, "", "inputs", input_subject(d, d->old_rs, a), NULL,
                    input_shape(d, a), NULL, NULL);
    }
}

/* ---- articles ---- */

static const char *article_citation(differ *d, const dc_article *a)
{
    dc_buf_clear(&d->tmp);
    dc_article_cite(&d->tmp, a, "fr");
    return dup_or_null(d->r, d->tmp.data ? d->tmp.data : "");
}

static void diff_article(differ *d, const dc_article *a, const dc_article *b, int32_t bi)
{
    const char *g, *l;
    group_of(d, d->new_rs, bi, "", &g, &l);
    dc_buf_clear(&d->tmp);
    dc_buf_printf(&d->tmp, "article %s", b->id);
    const char *subject = dup_or_null(d->r, d->tmp.data);
    const char *ca = article_citation(d, a), *cb = article_citation(d, b);
    if (!str_eq(ca, cb) || a->kind != b->kind)
        dc_diff_add(d->r, DC_DIFF_ARTICLE_CITATION, g, l, subject, NULL, ca, cb, NULL);
    if (!str_eq(a->legi, b->legi))
        dc_diff_add(d->r, DC_DIFF_ARTICLE_LEGI, g, l, subject, NULL, a->legi ? a->legi : "(none)",
                    b->legi ? b->legi : "(none)", NULL);
    if (a->version_from != b->version_from || a->version_to != b->version_to)
        dc_diff_add(d->r, DC_DIFF_ARTICLE_VERSION, g, l, subject, NULL,
                    validity_text(d, a->version_from, a->version_to),
                    validity_text(d, b->version_from, b->version_to), NULL);
    uint32_t n = a->n_quotes > b->n_quotes ? a->n_quotes : b->n_quotes;
    for (uint32_t k = 0; k < n; k++) {
        const char *qa = k < a->n_quotes ? normalise_space(d->r, a->quotes[k].text) : NULL;
        const char *qb = k < b->n_quotes ? normalise_space(d->r, b->quotes[k].text) : NULL;
        uint32_t al = k < b->n_quotes ? b->quotes[k].alinea : a->quotes[k].alinea;
        if (str_eq(qa, qb)) continue;
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "quoted alinéa %u%s", al ? al : k + 1,
                      !qa ? " added" : !qb ? " removed" : "");
        const char *field = dup_or_null(d->r, d->tmp.data);
        dc_buf diff;
        dc_buf_init(&diff);
        if (qa && qb) dc_textdiff_words(qa, qb, &diff, NULL);
        dc_diff_add(d->r, DC_DIFF_ARTICLE_QUOTE, g, l, subject, field,
                    qa && qb ? NULL : qa, qa && qb ? NULL : qb, diff.len ? diff.data : NULL);
        dc_buf_free(&diff);
    }
}

static void diff_articles(differ *d)
{
    for (uint32_t i = 0; i < d->new_rs->n_articles; i++) {
        const dc_article *b = &d->new_rs->articles[i];
        int32_t oi = dc_rs_find_article(d->old_rs, b->id);
        if (oi >= 0) { diff_article(d, &d->old_rs->articles[oi], b, (int32_t)i); continue; }
        const char *g, *l;
        group_of(d, d->new_rs, (int32_t)i, "", &g, &l);
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "article %s", b->id);
        dc_diff_add(d->r, DC_DIFF_ARTICLE_ADDED, g, l, d->tmp.data, NULL, NULL,
                    b->legi ? b->legi : NULL, NULL);
    }
    for (uint32_t i = 0; i < d->old_rs->n_articles; i++) {
        const dc_article *a = &d->old_rs->articles[i];
        if (dc_rs_find_article(d->new_rs, a->id) >= 0) continue;
        const char *g, *l;
        group_of(d, d->old_rs, (int32_t)i, "", &g, &l);
        dc_buf_clear(&d->tmp);
        dc_buf_printf(&d->tmp, "article %s", a->id);
        dc_diff_add(d->r, DC_DIFF_ARTICLE_REMOVED, g, l, d->tmp.data, NULL, a->legi, NULL, NULL);
    }
}

static const char *decision_text(differ *d, const dc_ruleset *rs)
{
    static const char *const periods[] = { "month", "year", "once" };
    dc_buf_clear(&d->tmp);
    dc_buf_printf(&d->tmp, "eligible=%s amount=%s period=%s",
                  rs->eligible >= 0 ? rs->computeds[rs->eligible].name : "?",
                  rs->amount >= 0 ? rs->computeds[rs->amount].name : "(none)",
                  (unsigned)rs->period < 3 ? periods[rs->period] : "?");
    return dup_or_null(d->r, d->tmp.data);
}

int dc_diff_rulesets(dc_diff_report *r, const dc_ruleset *old_rs, const dc_ruleset *new_rs)
{
    differ d = { r, old_rs, new_rs, {0} };
    dc_buf_init(&d.tmp);
    const char *da = decision_text(&d, old_rs), *db = decision_text(&d, new_rs);
    if (!str_eq(da, db))
        dc_diff_add(r, DC_DIFF_DECISION_CHANGED, "", "decision", "decision", NULL, da, db, NULL);
    diff_rules(&d);
    diff_computeds(&d);
    diff_params(&d);
    diff_inputs(&d);
    diff_articles(&d);
    int failed = d.tmp.failed;
    dc_buf_free(&d.tmp);
    return r->failed || failed ? -1 : 0;
}
