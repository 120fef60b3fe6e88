/* diff_statutes.c — a rule set against the statutes it cites: for each cited article,
 * is it in the corpus, in force, still the version cited, is the quoted text still the
 * text, do the numbers of the law and the constants of the rules match; and which
 * articles and alinéas of the corpus no rule cites (coverage).
 *
 * Matching: an article of the rule set is found by its LEGI id, and by code + number
 * (the code's title compared without case and final period). The reference version is
 * the one in force at the date given, or, without a date, the latest one of the corpus.
 * Texts are compared after normalisation (whitespace, apostrophes, spaces before
 * punctuation): a quote must appear in the reference text; otherwise the word-level diff
 * against the closest run of alinéas is shown. Numbers: a rate 0.32 matches "32 %", money
 * 5595 € matches "5 595 euros", an int matches a count, an age or an ordinal; the ints 0
 * and 1, booleans, dates, texts and the digits argument of round/trunc are structure,
 * not law, and are not checked. */
#include "diff.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "textdiff.h"

typedef struct citations {
    uint8_t cited;          /* by a rule or a parameter value */
    uint8_t whole;          /* cited without alinéa */
    uint8_t by_alinea;      /* cited at alinéa level somewhere */
    uint8_t *alineas;       /* [n_alineas + 1]: alinéa N cited */
    uint32_t n_alineas;
} citations;

typedef struct constant {
    dc_value value;
    int32_t article;
    const char *where;      /* "rule af.x", "parameter bmaf (from 2025-04-01)" */
    int checked;            /* counted as a constant of the rules (else only matches) */
} constant;

typedef struct sdiff {
    dc_diff_report *r;
    const dc_ruleset *rs;
    const dc_statute_corpus *corpus;
    int32_t date;
    citations *cites;       /* [rs->n_articles] */
    constant *consts; size_t n_consts, cap_consts;
    const dc_statute_article **refs;   /* [rs->n_articles]: reference version or NULL */
    dc_buf tmp;
    dc_buf texts_missing;   /* ids of the texts (kind texte) the corpus does not hold */
    size_t n_texts_missing;
    int oom;
} sdiff;

/* ---------------------------------------------------------------- helpers */

static const char *keep(sdiff *s, const char *text)
{
    const char *d = dc_arena_strdup(&s->r->arena, text ? text : "");
    if (!d) s->oom = 1;
    return d;
}

static const char *fmt_date(sdiff *s, int32_t days)
{
    if (days == DC_STATUTE_OPEN_END || days == DC_NO_DATE_TO) return "open";
    int y, m, d;
    dc_date_to_ymd(days, &y, &m, &d);
    char b[16];
    snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
    return keep(s, b);
}

/* Lowercase ASCII, final period and spaces dropped: "Code de la sécurité sociale." and
 * "code de la sécurité sociale" name the same code. */
static int same_code(const char *a, const char *b)
{
    if (!a || !b) return 1;
    size_t na = strlen(a), nb = strlen(b);
    while (na && (a[na - 1] == '.' || a[na - 1] == ' ')) na--;
    while (nb && (b[nb - 1] == '.' || b[nb - 1] == ' ')) nb--;
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return 0;
    return 1;
}

/* Normalised text for comparison: whitespace runs (incl. no-break spaces) become one
 * space, ’ becomes ', no space before , ; : . ) nor after (. malloc'ed. */
static char *norm_text(const char *in)
{
    size_t n = strlen(in);
    char *out = malloc(n + 1);
    if (!out) return NULL;
    size_t o = 0;
    int pending_space = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)in[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { pending_space = 1; i++; continue; }
        if (c == 0xC2 && (unsigned char)in[i + 1] == 0xA0) { pending_space = 1; i += 2; continue; }
        if (c == 0xE2 && (unsigned char)in[i + 1] == 0x80 && (unsigned char)in[i + 2] == 0xAF) {
            pending_space = 1; i += 3; continue;
        }
        char ch = (char)c;
        size_t len = 1;
        if (c == 0xE2 && (unsigned char)in[i + 1] == 0x80 && (unsigned char)in[i + 2] == 0x99) { ch = '\''; len = 3; }
        if (pending_space && o > 0 && !strchr(",;:.)", ch) && out[o - 1] != '(') out[o++] = ' ';
        pending_space = 0;
        if (len == 3 && ch == '\'') { out[o++] = '\''; i += 3; continue; }
        out[o++] = ch;
        i++;
    }
    out[o] = '\0';
    return out;
}

static char *join_paragraphs(const dc_statute_article *v, size_t from, size_t count)
{
    dc_buf b;
    dc_buf_init(&b);
    for (size_t i = from; i < from + count && i < v->n_paragraphs; i++) {
        if (i > from) dc_buf_putc(&b, ' ');
        dc_buf_puts(&b, v->paragraphs[i]);
    }
    if (!b.data) dc_buf_puts(&b, "");
    char *raw = dc_buf_take(&b);
    if (!raw) return NULL;
    char *n = norm_text(raw);
    free(raw);
    return n;
}

static size_t changed_tokens(const char *a, const char *b)
{
    dc_textdiff_op *ops = NULL;
    size_t n = 0, changed = 0;
    if (dc_textdiff_ops(a, b, &ops, &n) != 0) return (size_t)-1;
    for (size_t i = 0; i < n; i++)
        if (ops[i].kind != DC_TEXTDIFF_EQUAL) changed += ops[i].n_tokens;
    free(ops);
    return changed;
}

static const char *version_label(sdiff *s, const dc_statute_article *v)
{
    char b[160];
    snprintf(b, sizeof b, "%s (%s, %s .. %s)", v->version_id, v->state_text[0] ? v->state_text : "?",
             fmt_date(s, v->date_debut), fmt_date(s, v->date_fin));
    return keep(s, b);
}

static int is_abrogated(const dc_statute_article *v)
{
    switch (v->state) {
    case DC_STATUTE_ABROGE: case DC_STATUTE_ABROGE_DIFF: case DC_STATUTE_ANNULE:
    case DC_STATUTE_DISJOINT: case DC_STATUTE_PERIME: case DC_STATUTE_TRANSFERE:
        return 1;
    default:
        return 0;
    }
}

/* ---------------------------------------------------------------- what the rules cite */

static void cite(sdiff *s, dc_source_ref src)
{
    if (src.article < 0 || (uint32_t)src.article >= s->rs->n_articles) return;
    citations *c = &s->cites[src.article];
    c->cited = 1;
    if (!src.alinea) { c->whole = 1; return; }
    c->by_alinea = 1;
    if (!c->alineas || src.alinea > c->n_alineas) {
        size_t old_size = c->alineas ? c->n_alineas + 1 : 0, new_size = (size_t)src.alinea + 1;
        uint8_t *a = realloc(c->alineas, new_size);
        if (!a) { s->oom = 1; return; }
        memset(a + old_size, 0, new_size - old_size);
        c->alineas = a;
        c->n_alineas = src.alinea;
    }
    c->alineas[src.alinea] = 1;
}

static void add_const(sdiff *s, dc_value v, int32_t article, const char *where, int checked)
{
    if (s->n_consts == s->cap_consts) {
        size_t cap = s->cap_consts ? s->cap_consts * 2 : 64;
        constant *c = realloc(s->consts, cap * sizeof *c);
        if (!c) { s->oom = 1; return; }
        s->consts = c;
        s->cap_consts = cap;
    }
    s->consts[s->n_consts++] = (constant){ v, article, where, checked };
}

static int is_number_type(dc_type_kind t)
{
    return t == DC_T_INT || t == DC_T_DECIMAL || t == DC_T_RATE || t == DC_T_MONEY;
}

static void literals(sdiff *s, const dc_expr *e, int32_t article, const char *where)
{
    if (!e) return;
    if (e->kind == DC_E_LITERAL) {
        if (e->lit.known && is_number_type((dc_type_kind)e->lit.type)) add_const(s, e->lit, article, where, 1);
        return;
    }
    literals(s, e->a, article, where);
    literals(s, e->b, article, where);
    literals(s, e->c, article, where);
    for (uint32_t i = 0; i < e->nargs; i++) {
        /* round(x, n) / trunc(x, n): n is a number of digits, not a number of the law. */
        if (e->kind == DC_E_CALL && (e->op == DC_FN_ROUND || e->op == DC_FN_TRUNC) && i == 1) continue;
        literals(s, e->args[i], article, where);
    }
}

static void collect(sdiff *s)
{
    const dc_ruleset *rs = s->rs;
    for (uint32_t i = 0; i < rs->n_all_rules; i++) {
        const dc_rule *rule = rs->all_rules[i];
        cite(s, rule->source);
        const char *owner = rule->owner >= 0 ? rs->computeds[rule->owner].name : "?";
        dc_buf_clear(&s->tmp);
        dc_buf_printf(&s->tmp, "rule %s", rule->id ? rule->id : owner);
        const char *where = keep(s, s->tmp.data);
        literals(s, rule->cond, rule->source.article, where);
        literals(s, rule->then, rule->source.article, where);
    }
    for (uint32_t p = 0; p < rs->n_params; p++) {
        const dc_param *par = &rs->params[p];
        int32_t in_force = s->date == DC_NO_DATE_FROM ? (int32_t)par->n_values - 1 : dc_param_value_at(par, s->date);
        for (uint32_t k = 0; k < par->n_values; k++) {
            const dc_param_value *v = &par->values[k];
            cite(s, v->source);
            if (!v->value.known || !is_number_type((dc_type_kind)v->value.type)) continue;
            dc_buf_clear(&s->tmp);
            dc_buf_printf(&s->tmp, "parameter %s (from %s)", par->name, fmt_date(s, v->from));
            /* Every value may match the law; only the one in force is held to it. */
            add_const(s, v->value, v->source.article, keep(s, s->tmp.data), (int32_t)k == in_force);
        }
    }
}

/* ---------------------------------------------------------------- numbers */

/* 0 and 1 (and 0 € or 0 %) are the structure of a formula — "no amount", "at least
 * one" — far more often than a number of the law. */
static int trivial(dc_value v)
{
    if (v.type == DC_T_INT) return v.u.i == 0 || v.u.i == 1;
    return v.u.i == 0;
}

static int number_matches(dc_value c, const dc_statute_number *n)
{
    int64_t want;
    switch ((dc_type_kind)c.type) {
    case DC_T_RATE:
    case DC_T_DECIMAL:
        if (n->kind == DC_SNUM_PERCENT) {
            /* n->value is the number of percent × 10^9: 32 % ↔ 0.32 */
            if (dc_i64_mul(c.u.i, 100, &want) != 0) return 0;
            return n->value == want;
        }
        return (n->kind == DC_SNUM_COUNT || n->kind == DC_SNUM_FRACTION) && n->value == c.u.i;
    case DC_T_MONEY:
        if (n->kind != DC_SNUM_AMOUNT && n->kind != DC_SNUM_COUNT) return 0;
        if (dc_i64_mul(c.u.i, DC_DEC_SCALE / 100, &want) != 0) return 0;
        return n->value == want;
    case DC_T_INT:
        /* "réduit de moitié" is written x / 2 */
        if (n->kind == DC_SNUM_FRACTION) return c.u.i > 0 && n->value * c.u.i == DC_DEC_SCALE;
        if (n->kind != DC_SNUM_COUNT && n->kind != DC_SNUM_YEARS && n->kind != DC_SNUM_ORDINAL) return 0;
        if (dc_i64_mul(c.u.i, DC_DEC_SCALE, &want) != 0) return 0;
        return n->value == want;
    default:
        return 0;
    }
}

typedef struct law_numbers {
    dc_statute_number *items;
    size_t *paragraph;      /* paragraph index of each number */
    size_t n;
} law_numbers;

static int numbers_of(const dc_statute_article *v, law_numbers *out)
{
    memset(out, 0, sizeof *out);
    for (size_t p = 0; p < v->n_paragraphs; p++) {
        dc_statute_number *nums = NULL;
        size_t n = 0;
        if (dc_statute_numbers(v->paragraphs[p], &nums, &n) != 0) return -1;
        if (n) {
            dc_statute_number *items = realloc(out->items, (out->n + n) * sizeof *items);
            size_t *par = realloc(out->paragraph, (out->n + n) * sizeof *par);
            if (items) out->items = items;
            if (par) out->paragraph = par;
            if (!items || !par) { free(nums); return -1; }
            for (size_t k = 0; k < n; k++) {
                out->items[out->n + k] = nums[k];
                out->paragraph[out->n + k] = p;
            }
            out->n += n;
        }
        free(nums);
    }
    return 0;
}

static void free_numbers(law_numbers *l)
{
    free(l->items);
    free(l->paragraph);
}

/* « … 33 % pour le deuxième enfant … »: the number with a few words around it. */
static const char *number_context(sdiff *s, const char *text, const dc_statute_number *n)
{
    size_t len = strlen(text);
    size_t start = n->offset > 30 ? n->offset - 30 : 0;
    size_t end = n->offset + n->length + 30 < len ? n->offset + n->length + 30 : len;
    /* Do not cut a UTF-8 sequence, and prefer word boundaries. */
    while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80) start--;
    while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80) end++;
    while (start > 0 && start < n->offset && text[start - 1] != ' ') start++;
    while (end < len && end > n->offset + n->length && text[end] != ' ') end--;
    while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80) start++;
    dc_buf_clear(&s->tmp);
    dc_buf_printf(&s->tmp, "\u00ab %s%.*s%s \u00bb", start > 0 ? "\u2026" : "", (int)(end - start),
                  text + start, end < len ? "\u2026" : "");
    return keep(s, s->tmp.data);
}

static const char *const_text(sdiff *s, dc_value v)
{
    dc_buf_clear(&s->tmp);
    dc_value_format(&s->tmp, v, "fr", NULL);
    return keep(s, s->tmp.data);
}

static void check_numbers(sdiff *s, int32_t ai, const dc_statute_article *ref, const char *g,
                          const char *l, const char *subject, law_numbers *all)
{
    law_numbers ln;
    if (numbers_of(ref, &ln) != 0) { s->oom = 1; free_numbers(&ln); return; }
    for (size_t k = 0; k < ln.n; k++) {
        const dc_statute_number *n = &ln.items[k];
        int matched = 0;
        for (size_t c = 0; c < s->n_consts && !matched; c++)
            if (s->consts[c].article == ai && number_matches(s->consts[c].value, n)) matched = 1;
        if (matched) continue;
        const char *text = ref->paragraphs[ln.paragraph[k]];
        dc_buf_clear(&s->tmp);
        dc_buf_printf(&s->tmp, "alinéa %zu: %.*s (%s)", ln.paragraph[k] + 1, (int)n->length,
                      text + n->offset, dc_statute_number_kind_name(n->kind));
        const char *field = keep(s, s->tmp.data);
        dc_diff_add(s->r, DC_DIFF_LAW_NUMBER_UNMATCHED, g, l, subject, field, NULL,
                    number_context(s, text, n), NULL);
    }
    for (size_t c = 0; c < s->n_consts; c++) {
        const constant *k = &s->consts[c];
        if (k->article != ai || !k->checked || trivial(k->value)) continue;
        int matched = 0;
        for (size_t j = 0; j < ln.n && !matched; j++) matched = number_matches(k->value, &ln.items[j]);
        if (matched) continue;
        /* Where else does the number appear? (a rule citing the wrong article) */
        const char *elsewhere = NULL;
        for (size_t j = 0; j < all->n && !elsewhere; j++)
            if (number_matches(k->value, &all->items[j])) elsewhere = s->refs[all->paragraph[j]]->num;
        dc_buf_clear(&s->tmp);
        if (elsewhere) dc_buf_printf(&s->tmp, "appears in the cited article %s", elsewhere);
        const char *detail = elsewhere ? keep(s, s->tmp.data) : NULL;
        const char *value = const_text(s, k->value);
        dc_buf_clear(&s->tmp);
        dc_buf_printf(&s->tmp, "%s: constant", k->where);
        dc_diff_add(s->r, DC_DIFF_CONSTANT_UNMATCHED, g, l, subject, s->tmp.data, NULL, value, detail);
    }
    free_numbers(&ln);
}

/* ---------------------------------------------------------------- text */

static void check_text(sdiff *s, const dc_article *a, const dc_statute_article *ref,
                       const char *g, const char *l, const char *subject)
{
    char *full = join_paragraphs(ref, 0, ref->n_paragraphs);
    if (!full) { s->oom = 1; return; }
    for (uint32_t q = 0; q < a->n_quotes; q++) {
        char *quote = norm_text(a->quotes[q].text ? a->quotes[q].text : "");
        if (!quote) { s->oom = 1; break; }
        if (!quote[0] || strstr(full, quote)) { free(quote); continue; }
        /* The closest run of one to three alinéas (a quote may join what Légifrance
         * splits, like the a) and b) of D521-1). */
        size_t best = (size_t)-1, best_from = 0, best_count = 1;
        for (size_t from = 0; from < ref->n_paragraphs; from++) {
            for (size_t count = 1; count <= 3 && from + count <= ref->n_paragraphs; count++) {
                char *cand = join_paragraphs(ref, from, count);
                if (!cand) { s->oom = 1; break; }
                size_t ch = changed_tokens(quote, cand);
                free(cand);
                if (ch < best) { best = ch; best_from = from; best_count = count; }
            }
        }
        dc_buf diff;
        dc_buf_init(&diff);
        char *cand = ref->n_paragraphs ? join_paragraphs(ref, best_from, best_count) : NULL;
        if (cand) dc_textdiff_words(quote, cand, &diff, NULL);
        free(cand);
        dc_buf_clear(&s->tmp);
        uint32_t al = a->quotes[q].alinea ? a->quotes[q].alinea : q + 1;
        if (ref->n_paragraphs && best_count > 1)
            dc_buf_printf(&s->tmp, "quoted alinéa %u vs alinéas %zu-%zu of %s", al, best_from + 1,
                          best_from + best_count, ref->version_id);
        else if (ref->n_paragraphs)
            dc_buf_printf(&s->tmp, "quoted alinéa %u vs alinéa %zu of %s", al, best_from + 1, ref->version_id);
        else
            dc_buf_printf(&s->tmp, "quoted alinéa %u vs %s (no text)", al, ref->version_id);
        dc_diff_add(s->r, DC_DIFF_TEXT_CHANGED, g, l, subject, keep(s, s->tmp.data), NULL, NULL,
                    diff.len ? diff.data : NULL);
        dc_buf_free(&diff);
        free(quote);
    }
    free(full);
}

/* Alinéas of the reference version that no rule cites, when rules cite this article
 * alinéa by alinéa. A corpus paragraph takes the alinéa number of the quote that holds
 * it (the rule set numbers its quotes), else its own position. */
static void check_alineas(sdiff *s, int32_t ai, const dc_article *a, const dc_statute_article *ref,
                          const char *g, const char *l, const char *subject)
{
    const citations *c = &s->cites[ai];
    if (!c->by_alinea) return;
    for (size_t p = 0; p < ref->n_paragraphs; p++) {
        char *para = norm_text(ref->paragraphs[p]);
        if (!para) { s->oom = 1; return; }
        int covered = 0, in_quote = 0;
        uint32_t number = (uint32_t)p + 1;
        for (uint32_t q = 0; q < a->n_quotes && !covered; q++) {
            char *quote = norm_text(a->quotes[q].text ? a->quotes[q].text : "");
            if (!quote) { s->oom = 1; free(para); return; }
            if (quote[0] && para[0] && (strstr(quote, para) || strstr(para, quote))) {
                uint32_t al = a->quotes[q].alinea ? a->quotes[q].alinea : q + 1;
                if (!in_quote) number = al;
                in_quote = 1;
                if (al <= c->n_alineas && c->alineas[al]) covered = 1;
            }
            free(quote);
        }
        if (!in_quote && number <= c->n_alineas && c->alineas[number]) covered = 1;
        if (!covered && para[0]) {
            dc_buf_clear(&s->tmp);
            dc_buf_printf(&s->tmp, "alinéa %u", number);
            const char *field = keep(s, s->tmp.data);
            size_t len = strlen(para);
            if (len > 90) {
                size_t cut = 90;
                while (cut > 0 && ((unsigned char)para[cut] & 0xC0) == 0x80) cut--;
                dc_buf_clear(&s->tmp);
                dc_buf_printf(&s->tmp, "%.*s\u2026", (int)cut, para);
            } else {
                dc_buf_clear(&s->tmp);
                dc_buf_puts(&s->tmp, para);
            }
            dc_diff_add(s->r, DC_DIFF_ALINEA_UNCOVERED, g, l, subject, field, NULL, s->tmp.data, NULL);
        }
        free(para);
    }
}

/* ---------------------------------------------------------------- articles */

static int corpus_has_code(const dc_statute_corpus *corpus, const char *code)
{
    for (size_t i = 0; i < corpus->n_articles; i++)
        if (corpus->articles[i].code_title && same_code(corpus->articles[i].code_title, code)) return 1;
    return 0;
}

/* Versions of the article of the rule set: by number within the same code. */
static size_t versions_of(sdiff *s, const dc_article *a, const dc_statute_article *by_id,
                          const dc_statute_article ***out)
{
    *out = NULL;
    const char *num = by_id ? by_id->num : a->num;
    if (!num) return 0;
    const dc_statute_article **all = NULL;
    size_t n = 0;
    if (dc_statute_versions(s->corpus, by_id ? by_id->code_id : NULL, num, &all, &n) < 0) { s->oom = 1; return 0; }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (by_id || a->kind != DC_ARTICLE_CODE || same_code(all[i]->code_title, a->code)) all[k++] = all[i];
    if (!k) { free(all); return 0; }
    *out = all;
    return k;
}

static void check_article(sdiff *s, int32_t ai, law_numbers *all)
{
    const dc_article *a = &s->rs->articles[ai];
    const char *g, *l;
    dc_diff_article_group(s->r, s->rs, ai, "", &g, &l);
    dc_buf_clear(&s->tmp);
    dc_buf_printf(&s->tmp, "article %s", a->kind == DC_ARTICLE_CODE && a->num ? a->num : a->id);
    const char *subject = keep(s, s->tmp.data);
    if (!s->cites[ai].cited)
        dc_diff_add(s->r, DC_DIFF_ARTICLE_UNCOVERED, g, l, subject, "declared in the sources, cited by no rule",
                    NULL, NULL, NULL);

    const dc_statute_article *by_id = a->legi ? dc_statute_find_by_id(s->corpus, a->legi) : NULL;
    const dc_statute_article **versions = NULL;
    size_t n = (a->kind == DC_ARTICLE_CODE || by_id) ? versions_of(s, a, by_id, &versions) : 0;
    if (!by_id && !n) {
        if (a->kind != DC_ARTICLE_CODE) {
            /* Décrets, arrêtés, instructions: one line for all of them (see below). */
            if (s->texts_missing.len) dc_buf_puts(&s->texts_missing, ", ");
            dc_buf_puts(&s->texts_missing, a->id);
            s->n_texts_missing++;
        } else if (!corpus_has_code(s->corpus, a->code))
            dc_diff_add(s->r, DC_DIFF_NOT_CHECKED, g, l, subject, "the corpus holds no article of this code",
                        NULL, a->code, NULL);
        else
            dc_diff_add(s->r, DC_DIFF_ARTICLE_MISSING, g, l, subject, NULL, NULL, a->legi, NULL);
        return;
    }
    if (a->legi && !by_id) {
        dc_buf_clear(&s->tmp);
        dc_buf_puts(&s->tmp, "the corpus has");
        for (size_t i = 0; i < n; i++) dc_buf_printf(&s->tmp, "%s %s", i ? "," : "", version_label(s, versions[i]));
        dc_diff_add(s->r, DC_DIFF_LEGI_UNKNOWN, g, l, subject, NULL, a->legi, NULL, s->tmp.data);
    }
    /* The reference version: in force at the date, or the latest. */
    const dc_statute_article *ref = NULL;
    if (s->date == DC_NO_DATE_FROM) {
        ref = n ? versions[n - 1] : by_id;
    } else {
        for (size_t i = 0; i < n; i++)
            if (versions[i]->date_debut <= s->date && s->date < versions[i]->date_fin) ref = versions[i];
    }
    if (!ref) {
        const dc_statute_article *last = n ? versions[n - 1] : by_id;
        if (is_abrogated(last) && last->date_fin <= s->date)
            dc_diff_add(s->r, DC_DIFF_ARTICLE_ABROGATED, g, l, subject, NULL, NULL, version_label(s, last), NULL);
        else {
            dc_buf_clear(&s->tmp);
            dc_buf_printf(&s->tmp, "no version in force on %s; versions in the corpus:", fmt_date(s, s->date));
            for (size_t i = 0; i < n; i++) dc_buf_printf(&s->tmp, "%s %s", i ? "," : "", version_label(s, versions[i]));
            dc_diff_add(s->r, DC_DIFF_ARTICLE_NOT_IN_FORCE, g, l, subject, NULL, NULL, NULL, s->tmp.data);
        }
        free(versions);
        return;
    }
    s->refs[ai] = ref;
    if (is_abrogated(ref))
        dc_diff_add(s->r, DC_DIFF_ARTICLE_ABROGATED, g, l, subject, NULL, NULL, version_label(s, ref), NULL);
    const dc_statute_article *cited = by_id;
    if (!cited && !a->legi && a->version_from != DC_NO_DATE_FROM)
        for (size_t i = 0; i < n; i++)
            if (versions[i]->date_debut == a->version_from) cited = versions[i];
    if (cited && cited != ref) {
        char *ct = join_paragraphs(cited, 0, cited->n_paragraphs);
        char *rt = join_paragraphs(ref, 0, ref->n_paragraphs);
        if (!ct || !rt) s->oom = 1;
        else if (!strcmp(ct, rt))
            dc_diff_add(s->r, DC_DIFF_VERSION_TEXT_SAME, g, l, subject, NULL, version_label(s, cited),
                        version_label(s, ref), NULL);
        else {
            dc_buf diff;
            dc_buf_init(&diff);
            dc_textdiff_words(ct, rt, &diff, NULL);
            dc_diff_add(s->r, DC_DIFF_ARTICLE_AMENDED, g, l, subject, NULL, version_label(s, cited),
                        version_label(s, ref), diff.len ? diff.data : NULL);
            dc_buf_free(&diff);
        }
        free(ct);
        free(rt);
    } else if (!cited && a->version_from != DC_NO_DATE_FROM && ref->date_debut > a->version_from) {
        dc_diff_add(s->r, DC_DIFF_ARTICLE_AMENDED, g, l, subject, "newer version than the one cited",
                    fmt_date(s, a->version_from), version_label(s, ref), NULL);
    }
    check_text(s, a, ref, g, l, subject);
    check_numbers(s, ai, ref, g, l, subject, all);
    check_alineas(s, ai, a, ref, g, l, subject);
    free(versions);
}

/* ---------------------------------------------------------------- coverage */

static int in_scope(sdiff *s, const dc_statute_article *v, const char *scope)
{
    if (scope) {
        if (v->num && !strncmp(v->num, scope, strlen(scope))) return 1;
        return (v->code_short && same_code(v->code_short, scope)) ||
               (v->code_title && same_code(v->code_title, scope));
    }
    for (uint32_t i = 0; i < s->rs->n_articles; i++) {
        const dc_article *a = &s->rs->articles[i];
        if (a->kind == DC_ARTICLE_CODE && same_code(a->code, v->code_title)) return 1;
    }
    return 0;
}

/* Declared in the rule set's sources: cited, or already reported under its own
 * heading as declared but cited by no rule. */
static int declared(sdiff *s, const dc_statute_article *v)
{
    for (uint32_t i = 0; i < s->rs->n_articles; i++) {
        const dc_article *a = &s->rs->articles[i];
        if (a->legi && !strcmp(a->legi, v->version_id)) return 1;
        if (a->kind == DC_ARTICLE_CODE && a->num && v->num && !strcmp(a->num, v->num) &&
            same_code(a->code, v->code_title)) return 1;
    }
    return 0;
}

static void check_coverage(sdiff *s, const char *scope)
{
    const dc_statute_corpus *c = s->corpus;
    for (size_t i = 0; i < c->n_articles; i++) {
        const dc_statute_article *v = &c->articles[i];
        /* One finding per article: look at its first version in load order only. */
        int first = 1;
        for (size_t j = 0; j < i && first; j++)
            if (!strcmp(c->articles[j].num, v->num) && same_code(c->articles[j].code_title, v->code_title)) first = 0;
        if (!first || !in_scope(s, v, scope) || declared(s, v)) continue;
        const dc_statute_article **versions = NULL;
        size_t n = 0;
        if (dc_statute_versions(c, v->code_id, v->num, &versions, &n) < 0) { s->oom = 1; return; }
        const dc_statute_article *ref = NULL;
        for (size_t k = 0; k < n; k++)
            if (s->date == DC_NO_DATE_FROM ? k == n - 1
                                           : versions[k]->date_debut <= s->date && s->date < versions[k]->date_fin)
                ref = versions[k];
        if (ref && !is_abrogated(ref)) {
            dc_buf_clear(&s->tmp);
            dc_buf_printf(&s->tmp, "article %s", ref->num);
            const char *subject = keep(s, s->tmp.data);
            char *text = join_paragraphs(ref, 0, ref->n_paragraphs);
            if (text && strlen(text) > 90) {
                size_t cut = 90;
                while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) cut--;
                strcpy(text + cut, "\u2026");
            }
            dc_diff_add(s->r, DC_DIFF_ARTICLE_UNCOVERED, "", "coverage of the corpus", subject,
                        NULL, NULL, version_label(s, ref), text);
            free(text);
        }
        free(versions);
    }
}

/* ---------------------------------------------------------------- entry point */

int dc_diff_statutes(dc_diff_report *r, const dc_ruleset *rs, const dc_statute_corpus *corpus,
                     const dc_diag_list *corpus_diags, int32_t date, const char *scope)
{
    sdiff s;
    memset(&s, 0, sizeof s);
    s.r = r;
    s.rs = rs;
    s.corpus = corpus;
    s.date = date;
    dc_buf_init(&s.tmp);
    dc_buf_init(&s.texts_missing);
    s.cites = calloc(rs->n_articles + 1, sizeof *s.cites);
    s.refs = calloc(rs->n_articles + 1, sizeof *s.refs);
    if (!s.cites || !s.refs) { free(s.cites); free(s.refs); return -1; }

    for (size_t i = 0; corpus_diags && i < corpus_diags->count; i++) {
        const dc_diag *d = &corpus_diags->items[i];
        dc_buf_clear(&s.tmp);
        dc_diag_format(&s.tmp, d);
        dc_diff_add(r, d->severity == DC_SEV_ERROR ? DC_DIFF_STATUTE_FILE_ERROR : DC_DIFF_NOT_CHECKED,
                    "", "statute corpus", d->file ? d->file : "(corpus)", NULL, NULL, NULL, s.tmp.data);
    }
    collect(&s);
    /* First pass finds every reference version (for "appears in another cited
     * article"); the findings of that pass are discarded. */
    size_t mark = r->count;
    law_numbers all;
    memset(&all, 0, sizeof all);
    for (uint32_t i = 0; i < rs->n_articles; i++) check_article(&s, (int32_t)i, &all);
    r->count = mark;
    dc_buf_clear(&s.texts_missing);
    s.n_texts_missing = 0;
    for (uint32_t i = 0; i < rs->n_articles && !s.oom; i++) {
        if (!s.refs[i]) continue;
        law_numbers ln;
        if (numbers_of(s.refs[i], &ln) != 0) { s.oom = 1; free_numbers(&ln); break; }
        dc_statute_number *items = realloc(all.items, (all.n + ln.n + 1) * sizeof *items);
        size_t *par = realloc(all.paragraph, (all.n + ln.n + 1) * sizeof *par);
        if (items) all.items = items;
        if (par) all.paragraph = par;
        if (!items || !par) { s.oom = 1; free_numbers(&ln); break; }
        for (size_t k = 0; k < ln.n; k++) {
            all.items[all.n + k] = ln.items[k];
            all.paragraph[all.n + k] = i;   /* here: the article index, for its number */
        }
        all.n += ln.n;
        free_numbers(&ln);
    }
    for (uint32_t i = 0; i < rs->n_articles && !s.oom; i++) check_article(&s, (int32_t)i, &all);
    if (!s.oom) check_coverage(&s, scope);
    if (s.n_texts_missing) {
        dc_buf_clear(&s.tmp);
        dc_buf_printf(&s.tmp, "%zu text(s) cited (décrets, arrêtés, instructions) not in the corpus",
                      s.n_texts_missing);
        dc_diff_add(r, DC_DIFF_NOT_CHECKED, "", "texts not in the corpus", "texts", s.tmp.data, NULL,
                    NULL, s.texts_missing.data);
    }

    free_numbers(&all);
    for (uint32_t i = 0; i < rs->n_articles; i++) free(s.cites[i].alineas);
    free(s.cites);
    free(s.refs);
    free(s.consts);
    int failed = s.oom || s.tmp.failed || s.texts_missing.failed || r->failed;
    dc_buf_free(&s.tmp);
    dc_buf_free(&s.texts_missing);
    return failed ? -1 : 0;
}
