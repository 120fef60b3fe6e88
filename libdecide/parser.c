/* parser.c — recursive-descent parser of the expression language (rulesets/LANGUAGE.md
 * §3.2-3.5): tokens from lexer.c in, an unresolved dc_expr tree out. The first error
 * of an expression is reported with the position of the offending token; then parsing
 * stops. Nesting is bounded so that no input can exhaust the stack. */
#include "parser.h"
#include "lexer.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    dc_arena *arena;
    dc_lexer lx;
    dc_token tok;             /* current token */
    dc_diag_list *diags;
    const char *file, *rule, *article;
    unsigned nesting;         /* recursion depth of the parse functions */
    int failed;
} parser;

/* Where a name was written; kept instead of a whole dc_token (which carries an error
 * buffer) so that deep nesting stays cheap in stack. */
typedef struct span { const char *s; size_t len; uint32_t line, column; } span;

static void next(parser *p) { dc_lex_next(&p->lx, &p->tok); }

static void fail_at(parser *p, dc_diag_code code, uint32_t line, uint32_t column,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void fail_at(parser *p, dc_diag_code code, uint32_t line, uint32_t column,
                    const char *fmt, ...)
{
    if (p->failed) return;
    p->failed = 1;
    if (!p->diags) return;
    va_list ap;
    va_start(ap, fmt);
    dc_diag_addv(p->diags, dc_diag_code_severity(code), code, p->file, line, column,
                 p->rule, p->article, fmt, ap);
    va_end(ap);
}

static const char *describe(const dc_token *t, char *buf, size_t size)
{
    if (t->kind == DC_TK_EOF) return "end of expression";
    if (t->kind == DC_TK_STRING) return "a text literal";
    size_t n = t->len;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)t->start[n] & 0xC0) == 0x80) n--;
    }
    snprintf(buf, size, "'%.*s'", (int)n, t->start);
    return buf;
}

/* Reports that the current token is not what `fmt` describes; a lexical error in that
 * token is reported as itself, since it is the real cause. */
static void fail_expected(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_expected(parser *p, const char *fmt, ...)
{
    const dc_token *t = &p->tok;
    if (t->kind == DC_TK_ERROR) {
        fail_at(p, t->err_code, t->line, t->column, "%s", t->err);
        return;
    }
    char what[160], found[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (t->kind == DC_TK_EOF)
        fail_at(p, DC_DIAG_EXPR_SYNTAX, t->line, t->column,
                "unexpected end of expression: expected %s", what);
    else
        fail_at(p, DC_DIAG_EXPR_SYNTAX, t->line, t->column, "expected %s, found %s", what,
                describe(t, found, sizeof found));
}

static dc_expr *new_node(parser *p, dc_expr_kind kind, uint32_t line, uint32_t column)
{
    dc_expr *e = dc_arena_zalloc(p->arena, sizeof *e);
    if (!e) {
        fail_at(p, DC_DIAG_NOMEM, line, column, "out of memory");
        return NULL;
    }
    e->kind = (uint8_t)kind;
    e->type = DC_T_COUNT_;
    e->ref = -1;
    e->enum_of = -1;
    e->line = line;
    e->column = column;
    return e;
}

static const char *span_str(parser *p, span s)
{
    char *r = dc_arena_strndup(p->arena, s.s, s.len);
    if (!r) fail_at(p, DC_DIAG_NOMEM, s.line, s.column, "out of memory");
    return r;
}

static span tok_span(const dc_token *t) { span s = { t->start, t->len, t->line, t->column }; return s; }

static int too_deep(parser *p, unsigned depth, uint32_t line, uint32_t column)
{
    if (depth <= DC_MAX_EXPR_DEPTH) return 0;
    fail_at(p, DC_DIAG_EXPR_TOO_DEEP, line, column,
            "expression nested too deeply (more than %d levels)", DC_MAX_EXPR_DEPTH);
    return 1;
}

/* Bounds the recursion itself: 100000 '(' must end in a diagnostic, not a crash. */
static int enter(parser *p)
{
    if (++p->nesting <= DC_MAX_EXPR_DEPTH) return 1;
    too_deep(p, p->nesting, p->tok.line, p->tok.column);
    return 0;
}

static void leave(parser *p) { p->nesting--; }

static unsigned max_u(unsigned a, unsigned b) { return a > b ? a : b; }

/* ---- lists of sub-expressions (arguments, candidates), gathered then copied ---- */
typedef struct expr_vec { dc_expr **items; size_t n, cap; } expr_vec;

static int vec_push(parser *p, expr_vec *v, dc_expr *e)
{
    dc_expr **items = dc_grow(v->items, &v->cap, v->n, sizeof *items, 4);
    if (!items) {
        fail_at(p, DC_DIAG_NOMEM, e->line, e->column, "out of memory");
        return 0;
    }
    v->items = items;
    v->items[v->n++] = e;
    return 1;
}

/* Moves the items into the arena and frees the vector (also on failure). */
static dc_expr **vec_finish(parser *p, expr_vec *v, uint32_t line, uint32_t column)
{
    dc_expr **out = NULL;
    if (!p->failed && v->n) {
        out = dc_arena_alloc(p->arena, v->n * sizeof *out);
        if (out) memcpy(out, v->items, v->n * sizeof *out);
        else fail_at(p, DC_DIAG_NOMEM, line, column, "out of memory");
    }
    free(v->items);
    v->items = NULL;
    return out;
}

static dc_expr *parse_expr(parser *p, unsigned *depth);

static dc_expr *binary(parser *p, dc_binop op, dc_expr *l, dc_expr *r, unsigned *depth,
                       unsigned right_depth, uint32_t op_line, uint32_t op_column)
{
    *depth = 1 + max_u(*depth, right_depth);
    if (too_deep(p, *depth, op_line, op_column)) return NULL;
    dc_expr *e = new_node(p, DC_E_BINARY, l->line, l->column);
    if (!e) return NULL;
    e->op = (uint8_t)op;
    e->a = l;
    e->b = r;
    return e;
}

static dc_expr *literal(parser *p, dc_value v)
{
    dc_expr *e = new_node(p, DC_E_LITERAL, p->tok.line, p->tok.column);
    if (!e) return NULL;
    e->lit = v;
    next(p);
    return e;
}

/* 'it''s' -> it's */
static dc_expr *text_literal(parser *p)
{
    const dc_token *t = &p->tok;
    size_t n = t->len - 2, k = 0;
    char *s = dc_arena_alloc(p->arena, n + 1);
    if (!s) {
        fail_at(p, DC_DIAG_NOMEM, t->line, t->column, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        s[k++] = t->start[1 + i];
        if (t->start[1 + i] == '\'') i++;
    }
    s[k] = '\0';
    dc_value v = { 0 };
    v.type = DC_T_TEXT;
    v.known = 1;
    v.u.s = s;
    return literal(p, v);
}

/* The shape of what follows `count(` etc., decided by looking three tokens ahead:
 * 1 = `L where`, 2 = binder `x in L`, 3 = `L ,` or `L )`, 0 = something else.
 * Kept out of line: the look-ahead tokens must not sit in every parse frame. */
static __attribute__((noinline)) int agg_shape(const dc_lexer *lx)
{
    dc_lexer la = *lx;
    dc_token t1, t2, t3;
    dc_lex_next(&la, &t1);
    if (t1.kind != DC_TK_IDENT) return 0;
    dc_lex_next(&la, &t2);
    if (t2.kind == DC_TK_WHERE) return 1;
    if (t2.kind == DC_TK_COMMA || t2.kind == DC_TK_RPAREN) return 3;
    if (t2.kind != DC_TK_IN) return 0;
    dc_lex_next(&la, &t3);
    return t3.kind == DC_TK_IDENT ? 2 : 0;
}

static const char *const agg_names[] = {
#define X(name, str) str,
    DC_AGGS(X)
#undef X
};

static const struct { const char *name; int lo, hi; } funcs[] = {
#define X(name, str, lo, hi) { str, lo, hi },
    DC_FUNCS(X)
#undef X
};

static dc_expr *parse_agg(parser *p, span name, dc_agg op, int binder, unsigned *depth)
{
    const char *fname = agg_names[op];
    next(p);   /* ( */
    dc_expr *e = new_node(p, DC_E_AGG, name.line, name.column);
    if (!e) return NULL;
    e->op = (uint8_t)op;
    e->name = fname;
    if (p->tok.kind != DC_TK_IDENT) {
        fail_expected(p, "a list name as the first argument of '%s'", fname);
        return NULL;
    }
    if (binder) {
        e->is_agg_binder = 1;
        e->name = span_str(p, tok_span(&p->tok));
        next(p);   /* x */
        next(p);   /* in */
    }
    dc_expr *list = new_node(p, DC_E_NAME, p->tok.line, p->tok.column);
    e->args = dc_arena_alloc(p->arena, sizeof *e->args);
    if (!list || !e->args || !e->name) {
        fail_at(p, DC_DIAG_NOMEM, name.line, name.column, "out of memory");
        return NULL;
    }
    list->name = span_str(p, tok_span(&p->tok));
    if (!list->name) return NULL;
    e->args[0] = list;
    e->nargs = 1;
    next(p);
    unsigned d = 1, sub;
    if (p->tok.kind == DC_TK_WHERE) {
        next(p);
        if (!(e->a = parse_expr(p, &sub))) return NULL;
        d = max_u(d, sub);
    }
    int body = 0;   /* 0 none, 1 optional, 2 required */
    if (op == DC_AGG_ANY) body = 1;
    else if (op != DC_AGG_COUNT) body = 2;
    if (body == 2 && p->tok.kind != DC_TK_COMMA) {
        if (op == DC_AGG_ALL)
            fail_expected(p, "',' and the condition every record must meet, as in all(%s, condition)",
                          list->name);
        else
            fail_expected(p, "',' and the expression to aggregate, as in %s(%s, expression)",
                          fname, list->name);
        return NULL;
    }
    if (body && p->tok.kind == DC_TK_COMMA) {
        next(p);
        if (!(e->b = parse_expr(p, &sub))) return NULL;
        d = max_u(d, sub);
    }
    if (p->tok.kind != DC_TK_RPAREN) {
        fail_expected(p, "')' after arguments of '%s'", fname);
        return NULL;
    }
    next(p);
    *depth = d + 1;
    if (too_deep(p, *depth, name.line, name.column)) return NULL;
    return e;
}

static dc_expr *parse_func(parser *p, span name, unsigned *depth)
{
    int fn = -1;
    for (int i = 0; i < DC_FN_COUNT_; i++)
        if (strlen(funcs[i].name) == name.len && memcmp(funcs[i].name, name.s, name.len) == 0)
            fn = i;
    if (fn < 0) {
        char word[64];
        snprintf(word, sizeof word, "%.*s", name.len > 40 ? 40 : (int)name.len, name.s);
        const char *best = NULL;
        size_t best_dist = 3;
        for (int i = 0; i < DC_FN_COUNT_; i++) {
            size_t dist = dc_edit_distance(word, funcs[i].name, best_dist);
            if (dist < best_dist) { best_dist = dist; best = funcs[i].name; }
        }
        if (best)
            fail_at(p, DC_DIAG_EXPR_SYNTAX, name.line, name.column,
                    "unknown function '%s' (did you mean '%s'?)", word, best);
        else
            fail_at(p, DC_DIAG_EXPR_SYNTAX, name.line, name.column, "unknown function '%s'", word);
        return NULL;
    }
    const char *fname = funcs[fn].name;
    next(p);   /* ( */
    expr_vec args = { 0 };
    unsigned d = 0, sub;
    if (p->tok.kind != DC_TK_RPAREN) {
        for (;;) {
            dc_expr *a = parse_expr(p, &sub);
            if (!a || !vec_push(p, &args, a)) goto fail;
            d = max_u(d, sub);
            if (p->tok.kind == DC_TK_COMMA) { next(p); continue; }
            if (p->tok.kind == DC_TK_RPAREN) break;
            fail_expected(p, "')' after arguments of '%s'", fname);
            goto fail;
        }
    }
    next(p);   /* ) */
    int lo = funcs[fn].lo, hi = funcs[fn].hi;
    unsigned n = (unsigned)args.n;
    if ((int)n < lo || (hi >= 0 && (int)n > hi)) {
        if (hi == lo)
            fail_at(p, DC_DIAG_EXPR_SYNTAX, name.line, name.column,
                    "'%s' takes %d argument%s, found %u", fname, lo, lo == 1 ? "" : "s", n);
        else if (hi < 0)
            fail_at(p, DC_DIAG_EXPR_SYNTAX, name.line, name.column,
                    "'%s' takes at least %d argument%s, found %u", fname, lo, lo == 1 ? "" : "s", n);
        else
            fail_at(p, DC_DIAG_EXPR_SYNTAX, name.line, name.column,
                    "'%s' takes %d or %d arguments, found %u", fname, lo, hi, n);
        goto fail;
    }
    dc_expr *e = new_node(p, DC_E_CALL, name.line, name.column);
    if (!e) goto fail;
    e->op = (uint8_t)fn;
    e->name = fname;
    e->nargs = n;
    e->args = vec_finish(p, &args, name.line, name.column);
    if (p->failed) return NULL;
    *depth = d + 1;
    if (too_deep(p, *depth, name.line, name.column)) return NULL;
    return e;
fail:
    vec_finish(p, &args, name.line, name.column);
    return NULL;
}

/* NAME, NAME.FIELD, or a call / aggregation when '(' follows. */
static dc_expr *parse_name(parser *p, unsigned *depth)
{
    span name = tok_span(&p->tok);
    next(p);
    if (p->tok.kind == DC_TK_LPAREN) {
        for (int op = 0; op < DC_AGG_COUNT_; op++) {
            if (strlen(agg_names[op]) != name.len || memcmp(agg_names[op], name.s, name.len) != 0)
                continue;
            /* min(a, b) may be a list aggregation or the scalar function: without a
             * where or a binder the parser cannot tell, and the scalar reading wins */
            int shape = agg_shape(&p->lx);
            int scalar_too = op == DC_AGG_AMIN || op == DC_AGG_AMAX;
            if (shape == 1 || shape == 2 || !scalar_too)
                return parse_agg(p, name, (dc_agg)op, shape == 2, depth);
        }
        return parse_func(p, name, depth);
    }
    dc_expr *e = new_node(p, DC_E_NAME, name.line, name.column);
    if (!e || !(e->name = span_str(p, name))) return NULL;
    *depth = 1;
    if (p->tok.kind != DC_TK_DOT) return e;
    next(p);
    if (p->tok.kind != DC_TK_IDENT) {
        fail_expected(p, "a field name after '%s.'", e->name);
        return NULL;
    }
    e->kind = DC_E_MEMBER;
    if (!(e->field = span_str(p, tok_span(&p->tok)))) return NULL;
    next(p);
    return e;
}

static dc_expr *parse_primary(parser *p, unsigned *depth)
{
    char found[64];
    *depth = 1;
    switch (p->tok.kind) {
    case DC_TK_INT: case DC_TK_DECIMAL: case DC_TK_RATE: case DC_TK_MONEY: case DC_TK_DATE:
        return literal(p, p->tok.value);
    case DC_TK_TRUE: return literal(p, dc_v_make(DC_T_BOOL, 1));
    case DC_TK_FALSE: return literal(p, dc_v_make(DC_T_BOOL, 0));
    case DC_TK_STRING: return text_literal(p);
    case DC_TK_IDENT: return parse_name(p, depth);
    case DC_TK_LPAREN: {
        uint32_t line = p->tok.line, column = p->tok.column;
        next(p);
        dc_expr *e = parse_expr(p, depth);
        if (!e) return NULL;
        if (p->tok.kind != DC_TK_RPAREN) {
            fail_expected(p, "')' to close the '(' at line %u, column %u", line, column);
            return NULL;
        }
        next(p);
        return e;
    }
    case DC_TK_IF:
        fail_at(p, DC_DIAG_EXPR_SYNTAX, p->tok.line, p->tok.column,
                "an 'if' inside an expression must be put in parentheses");
        return NULL;
    case DC_TK_EOF:
        fail_at(p, DC_DIAG_EXPR_SYNTAX, p->tok.line, p->tok.column, "unexpected end of expression");
        return NULL;
    case DC_TK_ERROR:
        fail_at(p, p->tok.err_code, p->tok.line, p->tok.column, "%s", p->tok.err);
        return NULL;
    default:
        fail_at(p, DC_DIAG_EXPR_SYNTAX, p->tok.line, p->tok.column,
                "expected an expression, found %s", describe(&p->tok, found, sizeof found));
        return NULL;
    }
}

static dc_expr *parse_postfix(parser *p, unsigned *depth)
{
    dc_expr *e = parse_primary(p, depth);
    if (e && p->tok.kind == DC_TK_DOT) {
        fail_at(p, DC_DIAG_EXPR_SYNTAX, p->tok.line, p->tok.column,
                "'.' may only join a name and a field, as in enfant.age");
        return NULL;
    }
    return e;
}

/* A prefix operator (unary minus, not) applied to what `operand` parses; the current
 * token is the operator. */
static dc_expr *parse_prefix(parser *p, unsigned *depth, dc_unop op,
                             dc_expr *(*operand)(parser *, unsigned *))
{
    uint32_t line = p->tok.line, column = p->tok.column;
    next(p);
    if (!enter(p)) return NULL;
    dc_expr *a = operand(p, depth);
    leave(p);
    if (!a) return NULL;
    if (too_deep(p, ++*depth, line, column)) return NULL;
    dc_expr *e = new_node(p, DC_E_UNARY, line, column);
    if (!e) return NULL;
    e->op = op;
    e->a = a;
    return e;
}

static dc_expr *parse_unary(parser *p, unsigned *depth)
{
    if (p->tok.kind != DC_TK_MINUS) return parse_postfix(p, depth);
    return parse_prefix(p, depth, DC_UN_NEG, parse_unary);
}

/* A left-associative level: operands of the next level joined by the operators that
 * op_of recognises (it sets *op and returns 1). */
static dc_expr *parse_left(parser *p, unsigned *depth, dc_expr *(*operand)(parser *, unsigned *),
                           int (*op_of)(dc_token_kind, dc_binop *))
{
    dc_expr *l = operand(p, depth);
    dc_binop op;
    while (l && op_of(p->tok.kind, &op)) {
        uint32_t line = p->tok.line, column = p->tok.column;
        unsigned rd;
        next(p);
        dc_expr *r = operand(p, &rd);
        if (!r) return NULL;
        l = binary(p, op, l, r, depth, rd, line, column);
    }
    return l;
}

static int mul_op(dc_token_kind k, dc_binop *op)
{
    if (k != DC_TK_STAR && k != DC_TK_SLASH) return 0;
    *op = k == DC_TK_STAR ? DC_OP_MUL : DC_OP_DIV;
    return 1;
}

static int add_op(dc_token_kind k, dc_binop *op)
{
    if (k != DC_TK_PLUS && k != DC_TK_MINUS) return 0;
    *op = k == DC_TK_PLUS ? DC_OP_ADD : DC_OP_SUB;
    return 1;
}

static int and_op(dc_token_kind k, dc_binop *op)
{
    *op = DC_OP_AND;
    return k == DC_TK_AND;
}

static int or_op(dc_token_kind k, dc_binop *op)
{
    *op = DC_OP_OR;
    return k == DC_TK_OR;
}

static dc_expr *parse_mul(parser *p, unsigned *depth) { return parse_left(p, depth, parse_unary, mul_op); }
static dc_expr *parse_add(parser *p, unsigned *depth) { return parse_left(p, depth, parse_mul, add_op); }

static int comparison_op(dc_token_kind k, dc_binop *op)
{
    switch (k) {
    case DC_TK_EQ: *op = DC_OP_EQ; return 1;
    case DC_TK_NE: *op = DC_OP_NE; return 1;
    case DC_TK_LT: *op = DC_OP_LT; return 1;
    case DC_TK_LE: *op = DC_OP_LE; return 1;
    case DC_TK_GT: *op = DC_OP_GT; return 1;
    case DC_TK_GE: *op = DC_OP_GE; return 1;
    default: return 0;
    }
}

/* X in (c1, c2, …) */
static dc_expr *parse_in(parser *p, dc_expr *lhs, unsigned *depth)
{
    uint32_t line = p->tok.line, column = p->tok.column;
    next(p);
    if (p->tok.kind != DC_TK_LPAREN) {
        fail_expected(p, "'(' and a list of values after 'in'");
        return NULL;
    }
    next(p);
    expr_vec cands = { 0 };
    unsigned d = *depth, sub;
    for (;;) {
        dc_expr *c = parse_expr(p, &sub);
        if (!c || !vec_push(p, &cands, c)) goto fail;
        d = max_u(d, sub);
        if (p->tok.kind == DC_TK_COMMA) { next(p); continue; }
        if (p->tok.kind == DC_TK_RPAREN) break;
        fail_expected(p, "',' or ')' in the list of values after 'in'");
        goto fail;
    }
    next(p);
    *depth = d + 1;
    if (too_deep(p, *depth, line, column)) goto fail;
    dc_expr *e = new_node(p, DC_E_IN, lhs->line, lhs->column);
    if (!e) goto fail;
    e->a = lhs;
    e->nargs = (uint32_t)cands.n;
    e->args = vec_finish(p, &cands, line, column);
    return p->failed ? NULL : e;
fail:
    vec_finish(p, &cands, line, column);
    return NULL;
}

static dc_expr *parse_comparison(parser *p, unsigned *depth)
{
    dc_expr *l = parse_add(p, depth);
    if (!l) return NULL;
    dc_binop op;
    if (comparison_op(p->tok.kind, &op)) {
        uint32_t line = p->tok.line, column = p->tok.column;
        unsigned rd;
        next(p);
        dc_expr *r = parse_add(p, &rd);
        if (!r) return NULL;
        l = binary(p, op, l, r, depth, rd, line, column);
    } else if (p->tok.kind == DC_TK_IN) {
        l = parse_in(p, l, depth);
    } else {
        return l;
    }
    if (l && (comparison_op(p->tok.kind, &op) || p->tok.kind == DC_TK_IN)) {
        fail_at(p, DC_DIAG_EXPR_SYNTAX, p->tok.line, p->tok.column,
                "comparisons cannot be chained: write 'a < b and b < c'");
        return NULL;
    }
    return l;
}

static dc_expr *parse_not(parser *p, unsigned *depth)
{
    if (p->tok.kind != DC_TK_NOT) return parse_comparison(p, depth);
    return parse_prefix(p, depth, DC_UN_NOT, parse_not);
}

static dc_expr *parse_and(parser *p, unsigned *depth) { return parse_left(p, depth, parse_not, and_op); }
static dc_expr *parse_or(parser *p, unsigned *depth) { return parse_left(p, depth, parse_and, or_op); }

/* if C then A else B: the lowest level, so it only starts an expression (or a
 * parenthesised one, an argument…) and its else branch reaches as far as possible. */
static dc_expr *parse_if(parser *p, unsigned *depth)
{
    uint32_t line = p->tok.line, column = p->tok.column;
    unsigned dc, da, db;
    next(p);
    dc_expr *c = parse_expr(p, &dc);
    if (!c) return NULL;
    if (p->tok.kind != DC_TK_THEN) {
        fail_expected(p, "'then' after the condition of 'if'");
        return NULL;
    }
    next(p);
    dc_expr *a = parse_expr(p, &da);
    if (!a) return NULL;
    if (p->tok.kind != DC_TK_ELSE) {
        fail_expected(p, "'else' (every 'if' needs one)");
        return NULL;
    }
    next(p);
    dc_expr *b = parse_expr(p, &db);
    if (!b) return NULL;
    *depth = 1 + max_u(dc, max_u(da, db));
    if (too_deep(p, *depth, line, column)) return NULL;
    dc_expr *e = new_node(p, DC_E_IF, line, column);
    if (!e) return NULL;
    e->a = c;
    e->b = a;
    e->c = b;
    return e;
}

static dc_expr *parse_expr(parser *p, unsigned *depth)
{
    if (!enter(p)) return NULL;
    dc_expr *e = p->tok.kind == DC_TK_IF ? parse_if(p, depth) : parse_or(p, depth);
    leave(p);
    return e;
}

dc_expr *dc_parse_expr(dc_arena *arena, const char *text, const char *file,
                       uint32_t line, uint32_t column, dc_diag_list *diags,
                       const char *rule, const char *article)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.arena = arena;
    p.diags = diags;
    p.file = file;
    p.rule = rule;
    p.article = article;
    dc_lex_init(&p.lx, text, line, column);
    next(&p);
    if (p.tok.kind == DC_TK_EOF) {
        fail_at(&p, DC_DIAG_EXPR_SYNTAX, p.tok.line, p.tok.column, "empty expression");
        return NULL;
    }
    unsigned depth = 0;
    dc_expr *e = parse_expr(&p, &depth);
    if (e && p.tok.kind != DC_TK_EOF)
        fail_expected(&p, "an operator or the end of the expression");
    return p.failed ? NULL : e;
}
