/* ast.c — names of the expression tables, the canonical printer (source text with the
 * fewest parentheses that keep the tree, for traces and diffs) and structural equality
 * of expression trees. */
#include "ast.h"
#include "model.h"
#include <inttypes.h>
#include <string.h>

static const char *const kind_names[] = {
#define X(name) #name,
    DC_EXPR_KINDS(X)
#undef X
};
static const char *const binop_spellings[] = {
#define X(name, str, prec) str,
    DC_BINOPS(X)
#undef X
};
static const int binop_precs[] = {
#define X(name, str, prec) prec,
    DC_BINOPS(X)
#undef X
};
static const char *const func_names[] = {
#define X(name, str, lo, hi) str,
    DC_FUNCS(X)
#undef X
};
static const char *const agg_names[] = {
#define X(name, str) str,
    DC_AGGS(X)
#undef X
};

const char *dc_expr_kind_name(dc_expr_kind k) { return (unsigned)k < DC_E_COUNT_ ? kind_names[k] : "?"; }
const char *dc_binop_spelling(dc_binop op) { return (unsigned)op < DC_OP_COUNT_ ? binop_spellings[op] : "?"; }
const char *dc_func_name(dc_func f) { return (unsigned)f < DC_FN_COUNT_ ? func_names[f] : "?"; }
const char *dc_agg_name(dc_agg a) { return (unsigned)a < DC_AGG_COUNT_ ? agg_names[a] : "?"; }

/* Precedence levels of LANGUAGE.md §3.2, lowest first; the binary ones come from
 * DC_BINOPS so that parser, printer and table cannot disagree. */
enum { PREC_IF = 0, PREC_NOT = 3, PREC_CMP = 4, PREC_NEG = 7, PREC_ATOM = 8 };

static int is_negative_number(const dc_expr *e)
{
    if (e->kind != DC_E_LITERAL || !e->lit.known) return 0;
    switch (e->lit.type) {
    case DC_T_INT: case DC_T_DECIMAL: case DC_T_RATE: case DC_T_MONEY: return e->lit.u.i < 0;
    default: return 0;
    }
}

static int prec_of(const dc_expr *e)
{
    switch (e->kind) {
    case DC_E_IF: return PREC_IF;
    case DC_E_BINARY: return e->op < DC_OP_COUNT_ ? binop_precs[e->op] : PREC_ATOM;
    case DC_E_IN: return PREC_CMP;
    case DC_E_UNARY: return e->op == DC_UN_NOT ? PREC_NOT : PREC_NEG;
    case DC_E_LITERAL: return is_negative_number(e) ? PREC_NEG : PREC_ATOM;
    default: return PREC_ATOM;
    }
}

/* |v| split at `scale` into integer and fractional parts; unsigned so INT64_MIN works. */
static void print_scaled(dc_buf *out, int64_t v, uint64_t scale, int digits, int keep_point)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t ip = mag / scale, frac = mag % scale;
    dc_buf_printf(out, "%s%" PRIu64, v < 0 ? "-" : "", ip);
    if (frac == 0) {
        if (keep_point) dc_buf_puts(out, ".0");
        return;
    }
    while (frac % 10 == 0) { frac /= 10; digits--; }
    dc_buf_printf(out, ".%0*" PRIu64, digits, frac);
}

static void print_text(dc_buf *out, const char *s)
{
    dc_buf_putc(out, '\'');
    for (; s && *s; s++) {
        if (*s == '\'') dc_buf_putc(out, '\'');
        dc_buf_putc(out, *s);
    }
    dc_buf_putc(out, '\'');
}

static void print_literal(dc_buf *out, const dc_expr *e, const dc_ruleset *rs)
{
    dc_value v = e->lit;
    if (!v.known) { dc_buf_puts(out, "null"); return; }
    switch (v.type) {
    case DC_T_BOOL: dc_buf_puts(out, v.u.i ? "true" : "false"); break;
    case DC_T_INT: dc_buf_printf(out, "%" PRId64, v.u.i); break;
    /* a decimal keeps its point so that it reads back as a decimal, not an int */
    case DC_T_DECIMAL: print_scaled(out, v.u.i, (uint64_t)DC_DEC_SCALE, DC_DEC_DIGITS, 1); break;
    case DC_T_RATE:
        print_scaled(out, v.u.i, (uint64_t)DC_DEC_SCALE / 100, DC_DEC_DIGITS - 2, 0);
        dc_buf_puts(out, " %");
        break;
    case DC_T_MONEY: {
        uint64_t mag = v.u.i < 0 ? (uint64_t)0 - (uint64_t)v.u.i : (uint64_t)v.u.i;
        dc_buf_printf(out, "%s%" PRIu64 ".%02u \xE2\x82\xAC", v.u.i < 0 ? "-" : "", mag / 100,
                      (unsigned)(mag % 100));
        break;
    }
    case DC_T_DATE:
        dc_value_canonical(out, v, NULL);   /* the literal form is the canonical one */
        break;
    case DC_T_DURATION:
        if (v.u.i && v.aux) dc_buf_printf(out, "months(%" PRId64 ") + days(%d)", v.u.i, (int)v.aux);
        else if (v.aux) dc_buf_printf(out, "days(%d)", (int)v.aux);
        else dc_buf_printf(out, "months(%" PRId64 ")", v.u.i);
        break;
    case DC_T_ENUM:
        if (rs && e->enum_of >= 0 && (uint32_t)e->enum_of < rs->n_inputs && v.u.i >= 0 &&
            (uint64_t)v.u.i < rs->inputs[e->enum_of].n_enum_values)
            print_text(out, rs->inputs[e->enum_of].enum_values[v.u.i]);
        else
            dc_buf_printf(out, "'#%" PRId64 "'", v.u.i);
        break;
    case DC_T_TEXT: print_text(out, v.u.s); break;
    default: dc_buf_puts(out, "?"); break;
    }
}

/* The name a resolved reference had in the rule set; NULL when unknown. */
static const char *resolved_name(const dc_expr *e, const dc_ruleset *rs)
{
    if (!rs || e->ref < 0) return NULL;
    uint32_t r = (uint32_t)e->ref;
    switch (e->kind) {
    case DC_E_INPUT: case DC_E_FIELD: return r < rs->n_inputs ? rs->inputs[r].name : NULL;
    case DC_E_PARAM: return r < rs->n_params ? rs->params[r].name : NULL;
    case DC_E_COMPUTED: case DC_E_RECORD_COMPUTED:
        return r < rs->n_computeds ? rs->computeds[r].name : NULL;
    case DC_E_LIST: return r < rs->n_entities ? rs->entities[r].plural : NULL;
    default: return NULL;
    }
}

static void print_prec(dc_buf *out, const dc_expr *e, const dc_ruleset *rs, int min_prec);

static void print_args(dc_buf *out, dc_expr *const *args, uint32_t n, const dc_ruleset *rs)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i) dc_buf_puts(out, ", ");
        print_prec(out, args[i], rs, PREC_IF);
    }
}

static void print_reference(dc_buf *out, const dc_expr *e, const dc_ruleset *rs)
{
    /* a field written enfant.age (or x.age) keeps its prefix: it says which record */
    const char *resolved = resolved_name(e, rs);
    if (e->field && e->name) {
        dc_buf_printf(out, "%s.%s", e->name, resolved ? resolved : e->field);
        return;
    }
    if (e->kind == DC_E_EVAL_DATE) { dc_buf_puts(out, "date"); return; }
    if (e->kind == DC_E_POSITION) { dc_buf_puts(out, "position"); return; }
    dc_buf_puts(out, resolved ? resolved : e->name ? e->name : "?");
}

static void print_node(dc_buf *out, const dc_expr *e, const dc_ruleset *rs)
{
    switch (e->kind) {
    case DC_E_LITERAL: print_literal(out, e, rs); break;
    case DC_E_NAME: dc_buf_puts(out, e->name ? e->name : "?"); break;
    case DC_E_MEMBER: dc_buf_printf(out, "%s.%s", e->name ? e->name : "?", e->field ? e->field : "?"); break;
    case DC_E_UNARY:
        if (e->op == DC_UN_NOT) {
            dc_buf_puts(out, "not ");
            print_prec(out, e->a, rs, PREC_NOT);
        } else {
            dc_buf_putc(out, '-');
            print_prec(out, e->a, rs, PREC_NEG);
        }
        break;
    case DC_E_BINARY: {
        int prec = prec_of(e);
        /* left-associative: only the right operand at the same level needs parentheses;
         * comparisons do not chain, so both of their operands do */
        print_prec(out, e->a, rs, prec == PREC_CMP ? prec + 1 : prec);
        dc_buf_printf(out, " %s ", dc_binop_spelling((dc_binop)e->op));
        print_prec(out, e->b, rs, prec + 1);
        break;
    }
    case DC_E_IF:
        dc_buf_puts(out, "if ");
        print_prec(out, e->a, rs, PREC_IF);
        dc_buf_puts(out, " then ");
        print_prec(out, e->b, rs, PREC_IF);
        dc_buf_puts(out, " else ");
        print_prec(out, e->c, rs, PREC_IF);
        break;
    case DC_E_IN:
        print_prec(out, e->a, rs, PREC_CMP + 1);
        dc_buf_puts(out, " in (");
        print_args(out, e->args, e->nargs, rs);
        dc_buf_putc(out, ')');
        break;
    case DC_E_CALL:
        dc_buf_printf(out, "%s(", dc_func_name((dc_func)e->op));
        print_args(out, e->args, e->nargs, rs);
        dc_buf_putc(out, ')');
        break;
    case DC_E_AGG:
        dc_buf_printf(out, "%s(", dc_agg_name((dc_agg)e->op));
        if (e->is_agg_binder) dc_buf_printf(out, "%s in ", e->name ? e->name : "?");
        if (e->nargs) print_prec(out, e->args[0], rs, PREC_ATOM);
        if (e->a) {
            dc_buf_puts(out, " where ");
            print_prec(out, e->a, rs, PREC_IF);
        }
        if (e->b) {
            dc_buf_puts(out, ", ");
            print_prec(out, e->b, rs, PREC_IF);
        }
        dc_buf_putc(out, ')');
        break;
    default: print_reference(out, e, rs); break;
    }
}

static void print_prec(dc_buf *out, const dc_expr *e, const dc_ruleset *rs, int min_prec)
{
    if (!e) { dc_buf_puts(out, "?"); return; }
    int paren = prec_of(e) < min_prec;
    if (paren) dc_buf_putc(out, '(');
    print_node(out, e, rs);
    if (paren) dc_buf_putc(out, ')');
}

void dc_expr_print(dc_buf *out, const dc_expr *e, const struct dc_ruleset *rs)
{
    print_prec(out, e, rs, PREC_IF);
}

static int str_equal(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

static int is_resolved_reference(dc_expr_kind k)
{
    return k >= DC_E_INPUT && k <= DC_E_LIST;
}

int dc_expr_equal(const dc_expr *a, const dc_expr *b)
{
    if (a == b) return 1;
    if (!a || !b) return 0;
    if (a->kind != b->kind || a->op != b->op || a->nargs != b->nargs) return 0;
    dc_expr_kind k = (dc_expr_kind)a->kind;
    if (k == DC_E_LITERAL) {
        if (!dc_value_equal(a->lit, b->lit)) return 0;
        /* 'metropole' of two different enums are different values */
        if (a->lit.type == DC_T_ENUM && a->enum_of != b->enum_of) return 0;
    } else if (k == DC_E_NAME || k == DC_E_MEMBER) {
        if (!str_equal(a->name, b->name) || !str_equal(a->field, b->field)) return 0;
    } else if (is_resolved_reference(k)) {
        /* the same index in the same record frame is the same value, however written */
        if (a->ref != b->ref || a->frame != b->frame) return 0;
    } else if (k == DC_E_AGG) {
        if (a->is_agg_binder != b->is_agg_binder || a->ref != b->ref || a->frame != b->frame)
            return 0;
        /* before resolution the binder name is what links x.age to the iterated record */
        if (a->is_agg_binder && a->ref < 0 && !str_equal(a->name, b->name)) return 0;
    }
    if (!dc_expr_equal(a->a, b->a) || !dc_expr_equal(a->b, b->b) || !dc_expr_equal(a->c, b->c))
        return 0;
    for (uint32_t i = 0; i < a->nargs; i++)
        if (!dc_expr_equal(a->args[i], b->args[i])) return 0;
    return 1;
}
