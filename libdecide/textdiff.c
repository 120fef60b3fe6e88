/* textdiff.c — word-level diff of two texts (LCS over tokens, common prefix and suffix
 * set aside first, table size capped) and its rendering for jurists:
 * "… fixé à [-32-]{+33+} % de la base …". See textdiff.h for the token rules. */
#include "textdiff.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Words of context kept on each side of a change. */
#define CONTEXT_TOKENS 5

typedef struct token { size_t off, len; int space_before; } token;

static int space_width(const unsigned char *p)
{
    if (*p == ' ' || (*p >= '\t' && *p <= '\r')) return 1;
    if (p[0] == 0xC2 && p[1] == 0xA0) return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89 || p[2] == 0x87)) return 3;
    return 0;
}

/* Length of a punctuation character at p, or 0 for a word character. UTF-8 leads C2
 * (Latin-1 signs: « » ° § …) and E2 (general punctuation: ’ – — …) are punctuation. */
static size_t punct_len(const unsigned char *p)
{
    if (*p < 0x80) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) return 0;
        return 1;
    }
    if (p[0] == 0xC2 && p[1]) return 2;
    if (p[0] == 0xE2 && p[1] && p[2]) return 3;
    return 0;
}

static size_t char_len(const unsigned char *p)
{
    size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (!p[i]) return i;   /* truncated UTF-8: never read past the end */
    return n;
}

static int tokenize(const char *text, token **out, size_t *n)
{
    size_t cap = 64, count = 0;
    token *t = malloc(cap * sizeof *t);
    if (!t) return -1;
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t i = 0;
    int space = 0;
    while (p[i]) {
        int w = space_width(p + i);
        if (w) { i += (size_t)w; space = 1; continue; }
        size_t start = i, pl = punct_len(p + i);
        if (pl) {
            i += pl;
        } else {
            int digits_only = 1;
            while (p[i] && !space_width(p + i) && !punct_len(p + i)) {
                if (p[i] < '0' || p[i] > '9') digits_only = 0;
                i += char_len(p + i);
                /* "20,5" and "1.5" stay one token so a changed rate reads as one word */
                if (digits_only && (p[i] == ',' || p[i] == '.') && p[i + 1] >= '0' && p[i + 1] <= '9') i++;
            }
        }
        if (count == cap) {
            cap *= 2;
            token *q = realloc(t, cap * sizeof *q);
            if (!q) { free(t); return -1; }
            t = q;
        }
        t[count].off = start;
        t[count].len = i - start;
        t[count].space_before = space;
        count++;
        space = 0;
    }
    *out = t;
    *n = count;
    return 0;
}

static int is_apostrophe(const char *s, size_t n)
{
    return (n == 1 && s[0] == '\'') || (n == 3 && memcmp(s, "\xE2\x80\x99", 3) == 0);
}

static int tok_eq(const char *a, const token *ta, const char *b, const token *tb)
{
    if (ta->len == tb->len && memcmp(a + ta->off, b + tb->off, ta->len) == 0) return 1;
    return is_apostrophe(a + ta->off, ta->len) && is_apostrophe(b + tb->off, tb->len);
}

/* Per-token edit script: kind + index in old (DELETE/EQUAL) and new (INSERT/EQUAL). */
typedef struct step { dc_textdiff_kind kind; size_t ai, bj; } step;

typedef struct diff {
    const char *a, *b;
    token *ta, *tb;
    size_t na, nb;
    step *steps;
    size_t n_steps;
} diff;

static void diff_free(diff *d)
{
    free(d->ta);
    free(d->tb);
    free(d->steps);
}

static int diff_compute(diff *d, const char *a, const char *b)
{
    memset(d, 0, sizeof *d);
    d->a = a ? a : "";
    d->b = b ? b : "";
    if (tokenize(d->a, &d->ta, &d->na) != 0 || tokenize(d->b, &d->tb, &d->nb) != 0) return -1;
    d->steps = malloc((d->na + d->nb + 1) * sizeof *d->steps);
    if (!d->steps) return -1;
    size_t pre = 0;
    while (pre < d->na && pre < d->nb && tok_eq(d->a, &d->ta[pre], d->b, &d->tb[pre])) pre++;
    size_t suf = 0;
    while (suf < d->na - pre && suf < d->nb - pre &&
           tok_eq(d->a, &d->ta[d->na - 1 - suf], d->b, &d->tb[d->nb - 1 - suf]))
        suf++;
    size_t k = 0;
    for (size_t i = 0; i < pre; i++) d->steps[k++] = (step){ DC_TEXTDIFF_EQUAL, i, i };
    size_t ma = d->na - pre - suf, mb = d->nb - pre - suf;
    uint32_t *L = NULL;
    if (ma && mb && (ma + 1) <= DC_TEXTDIFF_MAX_CELLS / (mb + 1))
        L = calloc((ma + 1) * (mb + 1), sizeof *L);
    if (L) {
        /* L[i][j] = LCS length of old[pre+i..] and new[pre+j..] */
        size_t W = mb + 1;
        for (size_t i = ma; i-- > 0;)
            for (size_t j = mb; j-- > 0;)
                L[i * W + j] = tok_eq(d->a, &d->ta[pre + i], d->b, &d->tb[pre + j])
                                   ? L[(i + 1) * W + j + 1] + 1
                                   : (L[(i + 1) * W + j] >= L[i * W + j + 1] ? L[(i + 1) * W + j] : L[i * W + j + 1]);
        size_t i = 0, j = 0;
        while (i < ma || j < mb) {
            if (i < ma && j < mb && tok_eq(d->a, &d->ta[pre + i], d->b, &d->tb[pre + j])) {
                d->steps[k++] = (step){ DC_TEXTDIFF_EQUAL, pre + i, pre + j };
                i++, j++;
            } else if (i < ma && (j == mb || L[(i + 1) * W + j] >= L[i * W + j + 1])) {
                d->steps[k++] = (step){ DC_TEXTDIFF_DELETE, pre + i, pre + j };
                i++;
            } else {
                d->steps[k++] = (step){ DC_TEXTDIFF_INSERT, pre + i, pre + j };
                j++;
            }
        }
        free(L);
    } else {
        if (ma && mb && (ma + 1) <= DC_TEXTDIFF_MAX_CELLS / (mb + 1)) return -1;   /* calloc failed */
        /* Too large (or one side empty): the whole middle was replaced. */
        for (size_t i = 0; i < ma; i++) d->steps[k++] = (step){ DC_TEXTDIFF_DELETE, pre + i, pre };
        for (size_t j = 0; j < mb; j++) d->steps[k++] = (step){ DC_TEXTDIFF_INSERT, pre + ma, pre + j };
    }
    for (size_t i = 0; i < suf; i++)
        d->steps[k++] = (step){ DC_TEXTDIFF_EQUAL, d->na - suf + i, d->nb - suf + i };
    d->n_steps = k;
    return 0;
}

static size_t pos_of(const token *t, size_t n, size_t idx, const char *text)
{
    return idx < n ? t[idx].off : strlen(text);
}

int dc_textdiff_ops(const char *old_text, const char *new_text, dc_textdiff_op **ops, size_t *n_ops)
{
    *ops = NULL;
    *n_ops = 0;
    diff d;
    if (diff_compute(&d, old_text, new_text) != 0) { diff_free(&d); return -1; }
    dc_textdiff_op *r = malloc((d.n_steps ? d.n_steps : 1) * sizeof *r);
    if (!r) { diff_free(&d); return -1; }
    size_t n = 0;
    for (size_t s = 0; s < d.n_steps;) {
        size_t e = s;
        while (e < d.n_steps && d.steps[e].kind == d.steps[s].kind) e++;
        const step *first = &d.steps[s], *last = &d.steps[e - 1];
        dc_textdiff_op *op = &r[n++];
        memset(op, 0, sizeof *op);
        op->kind = first->kind;
        op->n_tokens = e - s;
        if (first->kind != DC_TEXTDIFF_INSERT) {
            op->old_offset = d.ta[first->ai].off;
            op->old_length = d.ta[last->ai].off + d.ta[last->ai].len - op->old_offset;
        } else {
            op->old_offset = pos_of(d.ta, d.na, first->ai, d.a);
        }
        if (first->kind != DC_TEXTDIFF_DELETE) {
            op->new_offset = d.tb[first->bj].off;
            op->new_length = d.tb[last->bj].off + d.tb[last->bj].len - op->new_offset;
        } else {
            op->new_offset = pos_of(d.tb, d.nb, first->bj, d.b);
        }
        s = e;
    }
    diff_free(&d);
    if (n == 0) { free(r); r = NULL; }
    *ops = r;
    *n_ops = n;
    return 0;
}

/* ------------------------------------------------------------------ rendering */

typedef struct render { dc_buf *out; size_t start_len; int force_space; } render;

/* Keeps the original spacing ("32 %" vs "a)"), except right after an opening mark. */
static void put_token(render *r, const char *text, const token *t)
{
    int at_start = r->out->len == r->start_len;
    if (!at_start && (r->force_space || t->space_before))
        dc_buf_putc(r->out, ' ');
    r->force_space = 0;
    dc_buf_append(r->out, text + t->off, t->len);
}

static void put_range(render *r, const char *text, const token *toks, const step *steps, size_t from,
                      size_t to, int old_side)
{
    for (size_t s = from; s < to; s++)
        put_token(r, text, &toks[old_side ? steps[s].ai : steps[s].bj]);
}

static void put_ellipsis(render *r)
{
    if (r->out->len > r->start_len) dc_buf_putc(r->out, ' ');
    dc_buf_puts(r->out, "\xE2\x80\xA6");   /* … */
    r->force_space = 1;
}

int dc_textdiff_words(const char *old_text, const char *new_text, dc_buf *out_human, int *n_changes)
{
    if (n_changes) *n_changes = 0;
    diff d;
    if (diff_compute(&d, old_text, new_text) != 0) { diff_free(&d); return -1; }
    int changes = 0;
    for (size_t s = 0; s < d.n_steps; s++)
        if (d.steps[s].kind != DC_TEXTDIFF_EQUAL && (s == 0 || d.steps[s - 1].kind == DC_TEXTDIFF_EQUAL))
            changes++;
    if (changes == 0) {
        diff_free(&d);
        return 0;
    }
    render r = { out_human, out_human->len, 0 };
    for (size_t s = 0; s < d.n_steps;) {
        size_t e = s;
        while (e < d.n_steps && d.steps[e].kind == d.steps[s].kind) e++;
        size_t count = e - s;
        switch (d.steps[s].kind) {
        case DC_TEXTDIFF_EQUAL:
            if (s == 0) {
                if (count > CONTEXT_TOKENS) put_ellipsis(&r);
                put_range(&r, d.a, d.ta, d.steps, count > CONTEXT_TOKENS ? e - CONTEXT_TOKENS : s, e, 1);
            } else if (e == d.n_steps) {
                put_range(&r, d.a, d.ta, d.steps, s, count > CONTEXT_TOKENS ? s + CONTEXT_TOKENS : e, 1);
                if (count > CONTEXT_TOKENS) put_ellipsis(&r);
            } else if (count <= 2 * CONTEXT_TOKENS) {
                put_range(&r, d.a, d.ta, d.steps, s, e, 1);
            } else {
                put_range(&r, d.a, d.ta, d.steps, s, s + CONTEXT_TOKENS, 1);
                put_ellipsis(&r);
                put_range(&r, d.a, d.ta, d.steps, e - CONTEXT_TOKENS, e, 1);
            }
            break;
        case DC_TEXTDIFF_DELETE:
        case DC_TEXTDIFF_INSERT: {
            int del = d.steps[s].kind == DC_TEXTDIFF_DELETE;
            const token *first = del ? &d.ta[d.steps[s].ai] : &d.tb[d.steps[s].bj];
            int after_delete = !del && s > 0 && d.steps[s - 1].kind == DC_TEXTDIFF_DELETE;
            if (out_human->len > r.start_len && !after_delete && (first->space_before || r.force_space))
                dc_buf_putc(out_human, ' ');
            r.force_space = 0;
            dc_buf_puts(out_human, del ? "[-" : "{+");
            size_t mark = out_human->len;
            size_t saved_start = r.start_len;
            r.start_len = mark;   /* no space right after the opening mark */
            put_range(&r, del ? d.a : d.b, del ? d.ta : d.tb, d.steps, s, e, del);
            r.start_len = saved_start;
            dc_buf_puts(out_human, del ? "-]" : "+}");
            break;
        }
        }
        s = e;
    }
    diff_free(&d);
    if (n_changes) *n_changes = changes;
    return out_human->failed ? -1 : 0;
}
