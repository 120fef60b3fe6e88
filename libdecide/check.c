/* check.c — the static checker of a loaded rule set: resolves every name to an index
 * (rewriting the parser's trees in place), types every expression (LANGUAGE.md §3),
 * parses <explain> templates, rejects cycles between computed values and adds the
 * warnings (unused inputs and values, rules without explanation, duplicate conditions). */
#include "model.h"
#include "parser.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A type slot that means "already reported": operations on it stay silent, so one
 * mistake gives one diagnostic rather than a cascade up the tree. */
#define T_ERR DC_T_COUNT_

static const struct { const char *name; int lo, hi; } FUNCS[] = {
#define X(name, str, lo, hi) { str, lo, hi },
    DC_FUNCS(X)
#undef X
};
static const char *const AGG_NAMES[] = {
#define X(name, str) str,
    DC_AGGS(X)
#undef X
};

/* One record frame: the entity iterated and, for the `x in list` form, the binder. */
typedef struct rec_frame { int32_t entity; const char *binder; } rec_frame;

typedef struct checker {
    dc_ruleset *rs;
    dc_diag_list *diags;
    uint8_t *state;        /* per computed: 0 not checked, 1 in progress, 2 done */
    uint8_t *deps;         /* n × n bit matrix: computed i reads computed j */
    bool oom;
} checker;

/* The context of the expressions of one rule (or of a value's otherwise). */
typedef struct scope {
    checker *k;
    int32_t computed;
    const dc_rule *rule;   /* NULL for an otherwise/simple rule reached without id */
    rec_frame frames[DC_MAX_FRAMES];
    int n_frames;
    bool in_template;      /* template reads are not dependencies (§5 is display only) */
} scope;

static const char *scope_rule_name(const scope *s)
{
    if (s->rule && s->rule->id) return s->rule->id;
    return s->k->rs->computeds[s->computed].name;
}

static const char *scope_article(const scope *s)
{
    const dc_ruleset *rs = s->k->rs;
    if (s->rule && s->rule->source.article >= 0 &&
        (uint32_t)s->rule->source.article < rs->n_articles)
        return rs->articles[s->rule->source.article].id;
    return NULL;
}

static void report(const scope *s, uint32_t line, uint32_t column, dc_diag_code code,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(const scope *s, uint32_t line, uint32_t column, dc_diag_code code,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dc_diag_addv(s->k->diags, dc_diag_code_severity(code), code, s->k->rs->file, line,
                 column, scope_rule_name(s), scope_article(s), fmt, ap);
    va_end(ap);
}

#define ERR_AT(s, e, code, ...) report((s), (e)->line, (e)->column, (code), __VA_ARGS__)

static const char *tname(int t)
{
    return t >= 0 && t < DC_T_COUNT_ ? dc_type_name((dc_type_kind)t) : "?";
}

static bool is_num(int t)
{
    return t == DC_T_INT || t == DC_T_DECIMAL || t == DC_T_RATE || t == DC_T_MONEY;
}

/* ------------------------------------------------------------------ names */

static int32_t find_input(const dc_ruleset *rs, int32_t entity, const char *name)
{
    for (uint32_t i = 0; i < rs->n_inputs; i++)
        if (rs->inputs[i].entity == entity && strcmp(rs->inputs[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

static int32_t find_computed(const dc_ruleset *rs, int32_t entity, const char *name)
{
    for (uint32_t i = 0; i < rs->n_computeds; i++)
        if (rs->computeds[i].entity == entity && strcmp(rs->computeds[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

static int32_t find_param(const dc_ruleset *rs, const char *name)
{
    for (uint32_t i = 0; i < rs->n_params; i++)
        if (strcmp(rs->params[i].name, name) == 0) return (int32_t)i;
    return -1;
}

static int32_t find_plural(const dc_ruleset *rs, const char *name)
{
    for (uint32_t i = 0; i < rs->n_entities; i++)
        if (strcmp(rs->entities[i].plural, name) == 0) return (int32_t)i;
    return -1;
}

static int32_t find_singular(const dc_ruleset *rs, const char *name)
{
    for (uint32_t i = 0; i < rs->n_entities; i++)
        if (strcmp(rs->entities[i].name, name) == 0) return (int32_t)i;
    return -1;
}

/* The closest candidate within edit distance 3, for "did you mean". */
typedef struct suggest { const char *want, *best; size_t dist; } suggest;

static void suggest_try(suggest *g, const char *candidate)
{
    if (!candidate || strcmp(candidate, g->want) == 0) return;
    size_t d = dc_edit_distance(g->want, candidate, 3);
    if (d <= 3 && d < g->dist) { g->dist = d; g->best = candidate; }
}

static void suggest_fields(suggest *g, const dc_ruleset *rs, int32_t entity)
{
    for (uint32_t i = 0; i < rs->n_inputs; i++)
        if (rs->inputs[i].entity == entity) suggest_try(g, rs->inputs[i].name);
    for (uint32_t i = 0; i < rs->n_computeds; i++)
        if (rs->computeds[i].entity == entity) suggest_try(g, rs->computeds[i].name);
}

/* Every name visible from the scope. */
static const char *suggest_name(const scope *s, const char *want)
{
    const dc_ruleset *rs = s->k->rs;
    suggest g = { want, NULL, 4 };
    for (int f = s->n_frames - 1; f >= 0; f--) {
        if (s->frames[f].binder) suggest_try(&g, s->frames[f].binder);
        else suggest_fields(&g, rs, s->frames[f].entity);
    }
    if (s->n_frames) suggest_try(&g, "position");
    suggest_fields(&g, rs, -1);
    for (uint32_t i = 0; i < rs->n_params; i++) suggest_try(&g, rs->params[i].name);
    for (uint32_t i = 0; i < rs->n_entities; i++) suggest_try(&g, rs->entities[i].plural);
    suggest_try(&g, "date");
    return g.best;
}

static void count_use(scope *s, dc_expr *e)
{
    dc_ruleset *rs = s->k->rs;
    switch ((dc_expr_kind)e->kind) {
    case DC_E_INPUT: case DC_E_FIELD: rs->inputs[e->ref].uses++; break;
    case DC_E_PARAM: rs->params[e->ref].uses++; break;
    case DC_E_COMPUTED: case DC_E_RECORD_COMPUTED:
        rs->computeds[e->ref].uses++;
        if (!s->in_template) {
            rs->computeds[e->ref].reads++;
            size_t bit = (size_t)s->computed * rs->n_computeds + (size_t)e->ref;
            s->k->deps[bit / 8] |= (uint8_t)(1u << (bit % 8));
        }
        break;
    default: break;
    }
}

static void check_computed(checker *k, int32_t ci);

/* Sets the type of a resolved reference; an enum value is typed with the input its
 * values come from, which for a computed value means checking it first. */
static int type_ref(scope *s, dc_expr *e)
{
    dc_ruleset *rs = s->k->rs;
    e->enum_of = -1;
    switch ((dc_expr_kind)e->kind) {
    case DC_E_INPUT: case DC_E_FIELD:
        e->type = rs->inputs[e->ref].type;
        if (e->type == DC_T_ENUM) e->enum_of = e->ref;
        break;
    case DC_E_PARAM: e->type = rs->params[e->ref].type; break;
    case DC_E_COMPUTED: case DC_E_RECORD_COMPUTED: {
        dc_computed *c = &rs->computeds[e->ref];
        e->type = c->type;
        if (c->type == DC_T_ENUM) {
            if (s->k->state[e->ref] == 0) check_computed(s->k, e->ref);
            e->enum_of = c->enum_of;
        }
        break;
    }
    case DC_E_EVAL_DATE: e->type = DC_T_DATE; break;
    case DC_E_POSITION: e->type = DC_T_INT; break;
    default: break;
    }
    count_use(s, e);
    return e->type;
}

/* A field (input, per-record value or `position`) of an entity's record in `frame`. */
static bool resolve_field(scope *s, dc_expr *e, const char *field, int32_t entity, int frame)
{
    const dc_ruleset *rs = s->k->rs;
    int32_t i;
    if ((i = find_input(rs, entity, field)) >= 0) e->kind = DC_E_FIELD;
    else if ((i = find_computed(rs, entity, field)) >= 0) e->kind = DC_E_RECORD_COMPUTED;
    else if (strcmp(field, "position") == 0) e->kind = DC_E_POSITION, i = 0;
    else return false;
    e->ref = i;
    e->frame = (uint8_t)frame;
    return true;
}

static int resolve_name(scope *s, dc_expr *e)
{
    const dc_ruleset *rs = s->k->rs;
    const char *name = e->name;
    for (int f = s->n_frames - 1; f >= 0; f--)
        if (!s->frames[f].binder && resolve_field(s, e, name, s->frames[f].entity, f))
            return type_ref(s, e);
    int32_t i;
    if ((i = find_input(rs, -1, name)) >= 0) e->kind = DC_E_INPUT;
    else if ((i = find_param(rs, name)) >= 0) e->kind = DC_E_PARAM;
    else if ((i = find_computed(rs, -1, name)) >= 0) e->kind = DC_E_COMPUTED;
    else if (strcmp(name, "date") == 0) e->kind = DC_E_EVAL_DATE, i = 0;
    else if ((i = find_plural(rs, name)) >= 0) {
        e->kind = DC_E_LIST;
        e->ref = i;
        e->type = DC_T_LIST;
        ERR_AT(s, e, DC_DIAG_TYPE, "'%s' is a list: use it as the first argument of count, "
               "sum, any, all, min or max", name);
        return T_ERR;
    } else {
        /* a per-record name outside its records: say where it can be used */
        int32_t ent = -1;
        for (uint32_t j = 0; j < rs->n_inputs && ent < 0; j++)
            if (rs->inputs[j].entity >= 0 && strcmp(rs->inputs[j].name, name) == 0)
                ent = rs->inputs[j].entity;
        for (uint32_t j = 0; j < rs->n_computeds && ent < 0; j++)
            if (rs->computeds[j].entity >= 0 && strcmp(rs->computeds[j].name, name) == 0)
                ent = rs->computeds[j].entity;
        if (ent >= 0) {
            const dc_entity *en = &rs->entities[ent];
            const char *binder = NULL;
            for (int f = s->n_frames - 1; f >= 0 && !binder; f--)
                if (s->frames[f].binder && s->frames[f].entity == ent) binder = s->frames[f].binder;
            if (binder)
                ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "'%s' is a value of each %s; inside this "
                       "aggregation write %s.%s", name, en->name, binder, name);
            else
                ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "'%s' is a value of each %s; use it inside "
                       "count(%s …) or an of=\"%s\" value", name, en->name, en->plural, en->name);
            return T_ERR;
        }
        if (strcmp(name, "position") == 0) {
            ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "'position' is the rank of a record in its list: "
                   "use it inside an aggregation without binder or an of= value");
            return T_ERR;
        }
        const char *hint = suggest_name(s, name);
        if (hint)
            ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "unknown name '%s'; did you mean '%s'?", name, hint);
        else
            ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "unknown name '%s'", name);
        return T_ERR;
    }
    e->ref = i;
    return type_ref(s, e);
}

static int resolve_member(scope *s, dc_expr *e)
{
    const dc_ruleset *rs = s->k->rs;
    int frame = -1;
    int32_t entity = -1;
    for (int f = s->n_frames - 1; f >= 0 && frame < 0; f--)
        if (s->frames[f].binder && strcmp(s->frames[f].binder, e->name) == 0)
            frame = f, entity = s->frames[f].entity;
    int32_t own = rs->computeds[s->computed].entity;
    if (frame < 0 && own >= 0 && strcmp(rs->entities[own].name, e->name) == 0)
        frame = 0, entity = own;
    if (frame < 0) {
        int32_t ent = find_singular(rs, e->name);
        if (ent >= 0)
            ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "'%s.%s': '%s' names a record only inside an "
                   "of=\"%s\" value; in an aggregation write %s(x in %s …, x.%s)", e->name,
                   e->field, e->name, e->name, "count", rs->entities[ent].plural, e->field);
        else {
            const char *hint = suggest_name(s, e->name);
            if (hint)
                ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "unknown name '%s'; did you mean '%s'?",
                       e->name, hint);
            else
                ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "unknown name '%s'", e->name);
        }
        return T_ERR;
    }
    if (!resolve_field(s, e, e->field, entity, frame)) {
        suggest g = { e->field, NULL, 4 };
        suggest_fields(&g, rs, entity);
        suggest_try(&g, "position");
        if (g.best)
            ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "%s has no field '%s'; did you mean '%s'?",
                   rs->entities[entity].name, e->field, g.best);
        else
            ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "%s has no field '%s'",
                   rs->entities[entity].name, e->field);
        return T_ERR;
    }
    return type_ref(s, e);
}

/* ------------------------------------------------------------------ enums */

static bool same_values(const dc_ruleset *rs, int32_t a, int32_t b)
{
    if (a == b) return true;
    const dc_input *x = &rs->inputs[a], *y = &rs->inputs[b];
    if (x->n_enum_values != y->n_enum_values) return false;
    for (uint32_t i = 0; i < x->n_enum_values; i++)
        if (strcmp(x->enum_values[i], y->enum_values[i]) != 0) return false;
    return true;
}

static bool is_text_literal(const dc_expr *e)
{
    return e->kind == DC_E_LITERAL && e->lit.type == DC_T_TEXT;
}

/* Turns 'metropole' into the index of that value in the enum of input `enum_of`. */
static bool enum_literal(scope *s, dc_expr *lit, int32_t enum_of)
{
    const dc_ruleset *rs = s->k->rs;
    if (enum_of < 0) return true;   /* the enum is unknown (cycle): reported elsewhere */
    const dc_input *in = &rs->inputs[enum_of];
    suggest g = { lit->lit.u.s, NULL, 4 };
    for (uint32_t i = 0; i < in->n_enum_values; i++) {
        if (strcmp(in->enum_values[i], lit->lit.u.s) == 0) {
            lit->lit.type = DC_T_ENUM;
            lit->lit.u.i = (int64_t)i;
            lit->type = DC_T_ENUM;
            lit->enum_of = enum_of;
            return true;
        }
        suggest_try(&g, in->enum_values[i]);
    }
    dc_buf vals;
    dc_buf_init(&vals);
    for (uint32_t i = 0; i < in->n_enum_values; i++)
        dc_buf_printf(&vals, "%s%s", i ? ", " : "", in->enum_values[i]);
    if (g.best)
        ERR_AT(s, lit, DC_DIAG_TYPE, "'%s' is not a value of %s (%s); did you mean '%s'?",
               lit->lit.u.s, in->name, vals.data ? vals.data : "", g.best);
    else
        ERR_AT(s, lit, DC_DIAG_TYPE, "'%s' is not a value of %s (%s)", lit->lit.u.s, in->name,
               vals.data ? vals.data : "");
    dc_buf_free(&vals);
    return false;
}

/* Two operands that must hold the same kind of value when one of them is an enum: a
 * text literal becomes an enum value, two enums must share their list of values. */
static bool enum_pair(scope *s, dc_expr *at, dc_expr *a, dc_expr *b)
{
    const dc_ruleset *rs = s->k->rs;
    if (a->type == DC_T_ENUM && is_text_literal(b)) return enum_literal(s, b, a->enum_of);
    if (b->type == DC_T_ENUM && is_text_literal(a)) return enum_literal(s, a, b->enum_of);
    if (a->type == DC_T_ENUM && b->type == DC_T_ENUM) {
        if (a->enum_of < 0 || b->enum_of < 0 || same_values(rs, a->enum_of, b->enum_of))
            return true;
        ERR_AT(s, at, DC_DIAG_TYPE, "the values of %s and %s are different lists and cannot "
               "be compared", rs->inputs[a->enum_of].name, rs->inputs[b->enum_of].name);
        return false;
    }
    return false;
}

/* ------------------------------------------------------------------ expressions */

static int check_expr(scope *s, dc_expr *e, uint32_t depth);

static int expect(scope *s, dc_expr *e, uint32_t depth, dc_type_kind want, const char *what)
{
    int t = check_expr(s, e, depth);
    if (t != T_ERR && t != (int)want) {
        ERR_AT(s, e, DC_DIAG_TYPE, "%s must be %s, not %s", what, tname(want), tname(t));
        return T_ERR;
    }
    return t;
}

/* The common type of two branches (if/then/else, min, max): int widens to decimal or
 * rate, a rate mixed with a decimal is a decimal; anything else must match. */
static int unify(int a, int b)
{
    if (a == b) return a;
    if ((a == DC_T_INT && b == DC_T_DECIMAL) || (a == DC_T_DECIMAL && b == DC_T_INT)) return DC_T_DECIMAL;
    if ((a == DC_T_INT && b == DC_T_RATE) || (a == DC_T_RATE && b == DC_T_INT)) return DC_T_RATE;
    if ((a == DC_T_DECIMAL && b == DC_T_RATE) || (a == DC_T_RATE && b == DC_T_DECIMAL)) return DC_T_DECIMAL;
    return -1;
}

static int check_arith(scope *s, dc_expr *e, int ta, int tb)
{
    static const char *const verb[] = { [DC_OP_ADD] = "add", [DC_OP_SUB] = "subtract",
                                        [DC_OP_MUL] = "multiply", [DC_OP_DIV] = "divide" };
    dc_binop op = (dc_binop)e->op;
    if (ta == T_ERR || tb == T_ERR) return T_ERR;
    if (op == DC_OP_ADD || op == DC_OP_SUB) {
        if (ta == DC_T_DATE && tb == DC_T_DURATION) return DC_T_DATE;
        if (op == DC_OP_ADD && ta == DC_T_DURATION && tb == DC_T_DATE) return DC_T_DATE;
        if (ta == DC_T_DURATION && tb == DC_T_DURATION) return DC_T_DURATION;
        if (is_num(ta) && is_num(tb)) {
            if (ta == DC_T_MONEY && tb == DC_T_MONEY) return DC_T_MONEY;
            if (ta == DC_T_MONEY || tb == DC_T_MONEY) {
                /* money and a bare number: the author must say which cents are meant */
                int other = ta == DC_T_MONEY ? tb : ta;
                ERR_AT(s, e, DC_DIAG_TYPE, "cannot %s money and %s: %s", verb[op], tname(other),
                       other == DC_T_INT ? "write the amount as money: 100 €"
                                         : "round to the cent first: round_cent(…)");
                return T_ERR;
            }
            if (ta == DC_T_INT && tb == DC_T_INT) return DC_T_INT;
            if (ta == DC_T_RATE && tb == DC_T_RATE) return DC_T_RATE;
            return DC_T_DECIMAL;
        }
    } else if (is_num(ta) && is_num(tb)) {
        if (op == DC_OP_MUL) {
            if (ta == DC_T_MONEY && tb == DC_T_MONEY) {
                ERR_AT(s, e, DC_DIAG_TYPE, "cannot multiply money by money");
                return T_ERR;
            }
            if (ta == DC_T_MONEY || tb == DC_T_MONEY)
                return (ta == DC_T_INT || tb == DC_T_INT) ? DC_T_MONEY : DC_T_DECIMAL;
            if (ta == DC_T_INT && tb == DC_T_INT) return DC_T_INT;
            if ((ta == DC_T_RATE && tb == DC_T_INT) || (ta == DC_T_INT && tb == DC_T_RATE))
                return DC_T_RATE;
            return DC_T_DECIMAL;
        }
        if (tb == DC_T_MONEY && ta != DC_T_MONEY) {
            ERR_AT(s, e, DC_DIAG_TYPE, "cannot divide %s by money", tname(ta));
            return T_ERR;
        }
        return DC_T_DECIMAL;
    }
    ERR_AT(s, e, DC_DIAG_TYPE, "cannot %s %s and %s", verb[op], tname(ta), tname(tb));
    return T_ERR;
}

static int check_compare(scope *s, dc_expr *e, int ta, int tb)
{
    dc_binop op = (dc_binop)e->op;
    if (ta == T_ERR || tb == T_ERR) return DC_T_BOOL;
    if (is_num(ta) && is_num(tb)) return DC_T_BOOL;
    if (ta == DC_T_DATE && tb == DC_T_DATE) return DC_T_BOOL;
    bool equality = op == DC_OP_EQ || op == DC_OP_NE;
    if (!equality) {
        ERR_AT(s, e, DC_DIAG_TYPE, "'%s' compares numbers or dates, not %s and %s",
               dc_binop_spelling(op), tname(ta), tname(tb));
        return T_ERR;
    }
    if (ta == DC_T_ENUM || tb == DC_T_ENUM) {
        if (enum_pair(s, e, e->a, e->b)) return DC_T_BOOL;
        /* enum_pair reported the literal/list mismatch; other mixes are reported here */
        if ((ta == DC_T_ENUM && is_text_literal(e->b)) || (tb == DC_T_ENUM && is_text_literal(e->a)) ||
            (ta == DC_T_ENUM && tb == DC_T_ENUM))
            return T_ERR;
    } else if (ta == tb && (ta == DC_T_TEXT || ta == DC_T_BOOL || ta == DC_T_DURATION)) {
        return DC_T_BOOL;
    }
    ERR_AT(s, e, DC_DIAG_TYPE, "cannot compare %s with %s", tname(ta), tname(tb));
    return T_ERR;
}

static int check_in(scope *s, dc_expr *e, uint32_t depth)
{
    int ta = check_expr(s, e->a, depth + 1);
    int result = DC_T_BOOL;
    if (ta != T_ERR && ta != DC_T_ENUM && ta != DC_T_TEXT && ta != DC_T_INT) {
        ERR_AT(s, e, DC_DIAG_TYPE, "'in' tests an enum, text or int value, not %s", tname(ta));
        ta = T_ERR;
        result = T_ERR;
    }
    for (uint32_t i = 0; i < e->nargs; i++) {
        dc_expr *c = e->args[i];
        bool literal = c->kind == DC_E_LITERAL ||
                       (c->kind == DC_E_UNARY && c->op == DC_UN_NEG && c->a && c->a->kind == DC_E_LITERAL);
        int tc = check_expr(s, c, depth + 1);
        if (!literal) {
            ERR_AT(s, c, DC_DIAG_TYPE, "the candidates of 'in' must be literals");
            result = T_ERR;
            continue;
        }
        if (ta == T_ERR || tc == T_ERR) continue;
        if (ta == DC_T_ENUM && is_text_literal(c)) {
            if (!enum_literal(s, c, e->a->enum_of)) result = T_ERR;
        } else if (tc != ta) {
            ERR_AT(s, c, DC_DIAG_TYPE, "candidate of type %s in a list of %s values", tname(tc), tname(ta));
            result = T_ERR;
        }
    }
    return result;
}

static int check_if(scope *s, dc_expr *e, uint32_t depth)
{
    expect(s, e->a, depth + 1, DC_T_BOOL, "the condition of 'if'");
    int tb = check_expr(s, e->b, depth + 1), tc = check_expr(s, e->c, depth + 1);
    if (tb == T_ERR || tc == T_ERR) return T_ERR;
    if (tb == DC_T_ENUM || tc == DC_T_ENUM) {
        if (enum_pair(s, e, e->b, e->c)) {
            e->enum_of = e->b->type == DC_T_ENUM ? e->b->enum_of : e->c->enum_of;
            return DC_T_ENUM;
        }
        if ((tb == DC_T_ENUM && is_text_literal(e->c)) || (tc == DC_T_ENUM && is_text_literal(e->b)) ||
            (tb == DC_T_ENUM && tc == DC_T_ENUM))
            return T_ERR;
    }
    int t = unify(tb, tc);
    if (t < 0) {
        ERR_AT(s, e, DC_DIAG_TYPE, "the branches of 'if' have different types: %s and %s",
               tname(tb), tname(tc));
        return T_ERR;
    }
    return t;
}

static int check_agg(scope *s, dc_expr *e, uint32_t depth)
{
    const dc_ruleset *rs = s->k->rs;
    dc_agg op = (dc_agg)e->op;
    const char *spelling = AGG_NAMES[op < DC_AGG_COUNT_ ? op : 0];
    dc_expr *src = e->nargs >= 1 && e->args ? e->args[0] : NULL;
    int32_t ent = !src ? -1 : src->kind == DC_E_NAME ? find_plural(rs, src->name)
                : src->kind == DC_E_LIST ? src->ref : -1;
    if (ent < 0) {
        if (!src) {
            ERR_AT(s, e, DC_DIAG_TYPE, "%s needs a list as its first argument", spelling);
            return T_ERR;
        }
        suggest g = { src->kind == DC_E_NAME ? src->name : "", NULL, 4 };
        for (uint32_t i = 0; i < rs->n_entities; i++) suggest_try(&g, rs->entities[i].plural);
        if (g.best)
            ERR_AT(s, src, DC_DIAG_UNKNOWN_NAME, "%s needs a list such as '%s' as its first "
                   "argument; did you mean '%s'?", spelling, g.best, g.best);
        else
            ERR_AT(s, src, DC_DIAG_UNKNOWN_NAME, "%s needs a list as its first argument", spelling);
        return T_ERR;
    }
    if (s->n_frames >= DC_MAX_FRAMES) {
        ERR_AT(s, e, DC_DIAG_EXPR_TOO_DEEP, "aggregations nested too deeply (at most %d record "
               "levels)", DC_MAX_FRAMES);
        return T_ERR;
    }
    src->kind = DC_E_LIST;
    src->ref = ent;
    src->type = DC_T_LIST;
    src->enum_of = -1;
    e->ref = ent;
    e->frame = (uint8_t)s->n_frames;
    /* in the `x in list` form the parser keeps the binder in `name` */
    s->frames[s->n_frames].entity = ent;
    s->frames[s->n_frames].binder = e->is_agg_binder ? e->name : NULL;
    s->n_frames++;
    if (e->a) expect(s, e->a, depth + 1, DC_T_BOOL, "the 'where' condition");
    int tb = T_ERR, result = T_ERR;
    switch (op) {
    case DC_AGG_COUNT:
        if (e->b) ERR_AT(s, e->b, DC_DIAG_TYPE, "count takes a list and an optional 'where'");
        result = DC_T_INT;
        break;
    case DC_AGG_ANY: case DC_AGG_ALL:
        if (e->b) expect(s, e->b, depth + 1, DC_T_BOOL, "the condition of any/all");
        else if (op == DC_AGG_ALL || !e->a)
            ERR_AT(s, e, DC_DIAG_TYPE, "%s needs a condition", spelling);
        result = DC_T_BOOL;
        break;
    default:
        if (!e->b) {
            ERR_AT(s, e, DC_DIAG_TYPE, "%s needs an expression to add up or compare: %s(%s, …)",
                   spelling, spelling, rs->entities[ent].plural);
            break;
        }
        tb = check_expr(s, e->b, depth + 1);
        if (tb == T_ERR) break;
        if (!is_num(tb)) {
            ERR_AT(s, e->b, DC_DIAG_TYPE, "%s over %s needs a number, not %s", spelling,
                   rs->entities[ent].plural, tname(tb));
            break;
        }
        result = tb;
        break;
    }
    s->n_frames--;
    return result;
}

/* min(enfants, age) reads like a call; only the names tell it is an aggregation. */
static bool rewrite_call_as_agg(const dc_ruleset *rs, dc_expr *e)
{
    if (!e->name || e->nargs < 1 || !e->args[0] || e->args[0]->kind != DC_E_NAME ||
        find_plural(rs, e->args[0]->name) < 0)
        return false;
    for (int a = 0; a < DC_AGG_COUNT_; a++) {
        if (strcmp(AGG_NAMES[a], e->name) != 0) continue;
        e->kind = DC_E_AGG;
        e->op = (uint8_t)a;
        e->a = NULL;
        e->b = e->nargs >= 2 ? e->args[1] : NULL;
        e->c = NULL;
        e->nargs = 1;
        e->is_agg_binder = 0;
        return true;
    }
    return false;
}

static int check_call(scope *s, dc_expr *e, uint32_t depth)
{
    int f = -1;
    if (e->name) {
        for (int i = 0; i < DC_FN_COUNT_ && f < 0; i++)
            if (strcmp(FUNCS[i].name, e->name) == 0) f = i;
    } else if (e->op < DC_FN_COUNT_) {
        f = e->op;
    }
    if (f < 0) {
        suggest g = { e->name, NULL, 4 };
        for (int i = 0; i < DC_FN_COUNT_; i++) suggest_try(&g, FUNCS[i].name);
        for (int i = 0; i < DC_AGG_COUNT_; i++) suggest_try(&g, AGG_NAMES[i]);
        if (g.best)
            ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "unknown function '%s'; did you mean '%s'?", e->name, g.best);
        else
            ERR_AT(s, e, DC_DIAG_UNKNOWN_NAME, "unknown function '%s'", e->name);
        for (uint32_t i = 0; i < e->nargs; i++) check_expr(s, e->args[i], depth + 1);
        return T_ERR;
    }
    e->op = (uint8_t)f;
    const char *fn = FUNCS[f].name;
    if ((int)e->nargs < FUNCS[f].lo || (FUNCS[f].hi >= 0 && (int)e->nargs > FUNCS[f].hi)) {
        if (FUNCS[f].hi < 0)
            ERR_AT(s, e, DC_DIAG_TYPE, "%s takes at least %d argument(s)", fn, FUNCS[f].lo);
        else if (FUNCS[f].lo == FUNCS[f].hi)
            ERR_AT(s, e, DC_DIAG_TYPE, "%s takes %d argument(s), not %u", fn, FUNCS[f].lo, e->nargs);
        else
            ERR_AT(s, e, DC_DIAG_TYPE, "%s takes %d to %d arguments, not %u", fn, FUNCS[f].lo,
                   FUNCS[f].hi, e->nargs);
        for (uint32_t i = 0; i < e->nargs; i++) check_expr(s, e->args[i], depth + 1);
        return T_ERR;
    }
    int t[2] = { T_ERR, T_ERR };
    bool bad = false;
    for (uint32_t i = 0; i < e->nargs; i++) {
        int ti = check_expr(s, e->args[i], depth + 1);
        if (ti == T_ERR) bad = true;
        if (i < 2) t[i] = ti;
    }
    if (bad) return T_ERR;
#define WANT(i, cond, what) do { if (!(cond)) { \
        ERR_AT(s, e->args[i], DC_DIAG_TYPE, "argument %d of %s must be %s, not %s", (i) + 1, fn, \
               what, tname(t[i])); return T_ERR; } } while (0)
    switch ((dc_func)f) {
    case DC_FN_MIN: case DC_FN_MAX: {
        int r = e->args[0]->type;
        for (uint32_t i = 0; i < e->nargs; i++) {
            int ti = e->args[i]->type;
            int u = is_num(ti) ? unify(r, ti) : -1;
            if (!is_num(ti) || u < 0) {
                ERR_AT(s, e->args[i], DC_DIAG_TYPE, "%s needs numbers of compatible types "
                       "(money only with money): %s and %s", fn, tname(r), tname(ti));
                return T_ERR;
            }
            r = u;
        }
        return r;
    }
    case DC_FN_ABS:
        WANT(0, is_num(t[0]), "a number");
        return t[0];
    case DC_FN_ROUND_CENT: case DC_FN_TRUNC_CENT:
        WANT(0, t[0] == DC_T_DECIMAL || t[0] == DC_T_MONEY, "decimal or money");
        return DC_T_MONEY;
    case DC_FN_ROUND: case DC_FN_TRUNC:
        WANT(0, t[0] == DC_T_DECIMAL || t[0] == DC_T_RATE, "a decimal");
        if (e->nargs == 1) return DC_T_INT;
        {
            dc_expr *n = e->args[1];
            if (n->kind != DC_E_LITERAL || n->lit.type != DC_T_INT || n->lit.u.i < 0 || n->lit.u.i > 9) {
                ERR_AT(s, n, DC_DIAG_TYPE, "the number of decimals of %s must be a literal "
                       "integer from 0 to 9", fn);
                return T_ERR;
            }
        }
        return DC_T_DECIMAL;
    case DC_FN_AGE_AT: case DC_FN_DAYS_BETWEEN:
        WANT(0, t[0] == DC_T_DATE, "a date");
        WANT(1, t[1] == DC_T_DATE, "a date");
        return DC_T_INT;
    case DC_FN_ADD_DAYS: case DC_FN_ADD_MONTHS: case DC_FN_ADD_YEARS:
        WANT(0, t[0] == DC_T_DATE, "a date");
        WANT(1, t[1] == DC_T_INT, "an int");
        return DC_T_DATE;
    case DC_FN_FIRST_DAY_OF_MONTH: case DC_FN_FIRST_DAY_OF_NEXT_MONTH:
        WANT(0, t[0] == DC_T_DATE, "a date");
        return DC_T_DATE;
    case DC_FN_YEARS: case DC_FN_MONTHS: case DC_FN_DAYS:
        WANT(0, t[0] == DC_T_INT, "an int");
        return DC_T_DURATION;
    default:
        return T_ERR;
    }
#undef WANT
}

static int check_expr(scope *s, dc_expr *e, uint32_t depth)
{
    if (!e) return T_ERR;
    dc_ruleset *rs = s->k->rs;
    if (depth > rs->max_depth) rs->max_depth = depth;
    int t = T_ERR;
    if (e->kind != DC_E_LITERAL || e->lit.type != DC_T_ENUM) e->enum_of = -1;
    switch ((dc_expr_kind)e->kind) {
    case DC_E_LITERAL:
        t = e->lit.type;
        break;
    case DC_E_NAME: t = resolve_name(s, e); break;
    case DC_E_MEMBER: t = resolve_member(s, e); break;
    case DC_E_UNARY:
        if (e->op == DC_UN_NOT) {
            t = expect(s, e->a, depth + 1, DC_T_BOOL, "the operand of 'not'") == T_ERR ? T_ERR : DC_T_BOOL;
        } else {
            t = check_expr(s, e->a, depth + 1);
            if (t != T_ERR && !is_num(t)) {
                ERR_AT(s, e, DC_DIAG_TYPE, "unary minus needs a number, not %s", tname(t));
                t = T_ERR;
            }
        }
        break;
    case DC_E_BINARY: {
        dc_binop op = (dc_binop)e->op;
        if (op == DC_OP_AND || op == DC_OP_OR) {
            const char *what = op == DC_OP_AND ? "an operand of 'and'" : "an operand of 'or'";
            int ta = expect(s, e->a, depth + 1, DC_T_BOOL, what);
            int tb = expect(s, e->b, depth + 1, DC_T_BOOL, what);
            t = ta == T_ERR || tb == T_ERR ? T_ERR : DC_T_BOOL;
            break;
        }
        int ta = check_expr(s, e->a, depth + 1), tb = check_expr(s, e->b, depth + 1);
        if (op >= DC_OP_EQ && op <= DC_OP_GE) t = check_compare(s, e, ta, tb);
        else t = check_arith(s, e, ta, tb);
        break;
    }
    case DC_E_IF: t = check_if(s, e, depth); break;
    case DC_E_IN: t = check_in(s, e, depth); break;
    case DC_E_CALL: {
        uint32_t given = e->nargs;
        if (!rewrite_call_as_agg(rs, e)) {
            t = check_call(s, e, depth);
        } else if (given > 2) {
            ERR_AT(s, e, DC_DIAG_TYPE, "%s over a list takes the list and one expression: "
                   "%s(%s, …)", e->name, e->name, e->args[0]->name);
        } else {
            t = check_agg(s, e, depth);
        }
        break;
    }
    case DC_E_AGG: t = check_agg(s, e, depth); break;
    case DC_E_INPUT: case DC_E_FIELD: case DC_E_PARAM: case DC_E_COMPUTED:
    case DC_E_RECORD_COMPUTED: case DC_E_EVAL_DATE: case DC_E_POSITION:
        /* resolved by an earlier check of the same rule set: count it again */
        t = type_ref(s, e);
        break;
    default:
        t = e->type;
        break;
    }
    if (t != DC_T_ENUM) e->enum_of = -1;
    e->type = (uint8_t)t;
    return t;
}

/* ------------------------------------------------------------------ templates */

/* Splits "{nb} enfant(s)" into literal text and placeholders, each placeholder parsed
 * at its own position in the file so that its errors point into the template. */
static void check_template(scope *s, dc_template *tpl)
{
    checker *k = s->k;
    dc_ruleset *rs = k->rs;
    const char *raw = tpl->raw ? tpl->raw : "";
    size_t n = strlen(raw), cap = 1;
    for (size_t i = 0; i < n; i++) cap += raw[i] == '{';
    cap = cap * 2 + 1;
    dc_tpl_part *parts = dc_arena_zalloc(&rs->arena, cap * sizeof *parts);
    char *text = dc_arena_alloc(&rs->arena, n + 1);
    if (!parts || !text) { k->oom = true; return; }
    uint32_t np = 0, line = tpl->line, col = tpl->column;
    size_t tl = 0;
    size_t i = 0;
    while (i < n) {
        char c = raw[i];
        if ((c == '{' || c == '}') && i + 1 < n && raw[i + 1] == c) {
            text[tl++] = c;
            i += 2, col += 2;
            continue;
        }
        if (c != '{') {
            text[tl++] = c;
            if (c == '\n') line++, col = 1;
            else if (((unsigned char)c & 0xC0) != 0x80) col++;
            i++;
            continue;
        }
        uint32_t open_line = line, open_col = col;
        size_t close = i + 1;
        while (close < n && raw[close] != '}' && raw[close] != '{') close++;
        if (close >= n || raw[close] != '}') {
            report(s, open_line, open_col, DC_DIAG_BAD_TEMPLATE,
                   "unclosed '{' in the explanation (write '{{' for a literal brace)");
            tpl->parts = NULL;
            tpl->n_parts = 0;
            return;
        }
        if (tl) {
            parts[np++].text = dc_arena_strndup(&rs->arena, text, tl);
            tl = 0;
        }
        char *src = dc_arena_strndup(&rs->arena, raw + i + 1, close - i - 1);
        if (!src) { k->oom = true; return; }
        size_t blank = strspn(src, " \t\r\n");
        if (src[blank] == '\0') {
            report(s, open_line, open_col, DC_DIAG_BAD_TEMPLATE, "empty placeholder '{}' in the explanation");
        } else {
            dc_expr *e = dc_parse_expr(&rs->arena, src, rs->file, open_line, open_col + 1, k->diags,
                                       scope_rule_name(s), scope_article(s));
            if (e) {
                int t = check_expr(s, e, 1);
                if (t == DC_T_LIST) {
                    ERR_AT(s, e, DC_DIAG_TYPE, "a list cannot be shown in an explanation");
                }
                parts[np++].expr = e;
            }
        }
        for (size_t j = i; j <= close; j++) {
            if (raw[j] == '\n') line++, col = 1;
            else if (((unsigned char)raw[j] & 0xC0) != 0x80) col++;
        }
        i = close + 1;
    }
    if (tl) parts[np++].text = dc_arena_strndup(&rs->arena, text, tl);
    tpl->parts = parts;
    tpl->n_parts = np;
}

/* ------------------------------------------------------------------ computed values */

static bool accepts(int declared, int actual)
{
    if (declared == actual) return true;
    if ((declared == DC_T_DECIMAL || declared == DC_T_RATE) && actual == DC_T_INT) return true;
    return declared == DC_T_RATE && actual == DC_T_DECIMAL;
}

static void check_rules(scope *s, dc_rule *rules, uint32_t n, uint32_t depth)
{
    for (uint32_t r = 0; r < n; r++) {
        dc_rule *rule = &rules[r];
        const dc_rule *saved = s->rule;
        s->rule = rule;
        if (rule->valid_from != DC_NO_DATE_FROM && rule->valid_to != DC_NO_DATE_TO &&
            rule->valid_from > rule->valid_to)
            report(s, rule->line, rule->column, DC_DIAG_BAD_DATE,
                   "valid-from is after valid-to: the rule would never apply");
        if (rule->cond) expect(s, rule->cond, 1, DC_T_BOOL, "a condition");
        if (rule->then) check_expr(s, rule->then, 1);
        if (rule->explain) {
            s->in_template = true;
            check_template(s, rule->explain);
            s->in_template = false;
        }
        if (depth < 1000) check_rules(s, rule->exceptions, rule->n_exceptions, depth + 1);
        s->rule = saved;
    }
}

/* Second pass once every branch is typed: the value each rule gives must have the
 * declared type, and an enum value takes its list of values from its branches. */
static void check_thens(scope *s, dc_rule *rules, uint32_t n, int32_t *enum_of)
{
    dc_computed *c = &s->k->rs->computeds[s->computed];
    for (uint32_t r = 0; r < n; r++) {
        dc_rule *rule = &rules[r];
        const dc_rule *saved = s->rule;
        s->rule = rule;
        dc_expr *e = rule->then;
        if (e && e->type != T_ERR) {
            if (c->type == DC_T_ENUM && is_text_literal(e)) {
                if (*enum_of >= 0) enum_literal(s, e, *enum_of);
                else
                    ERR_AT(s, e, DC_DIAG_TYPE, "'%s': no rule of %s gives an enum input's value, "
                           "so its list of values is unknown", e->lit.u.s, c->name);
            } else if (!accepts(c->type, e->type)) {
                ERR_AT(s, e, DC_DIAG_TYPE, "%s is declared %s but this gives %s", c->name,
                       tname(c->type), tname(e->type));
            } else if (c->type == DC_T_ENUM && e->enum_of >= 0 && *enum_of >= 0 &&
                       !same_values(s->k->rs, *enum_of, e->enum_of)) {
                ERR_AT(s, e, DC_DIAG_TYPE, "%s takes the values of %s here but of %s elsewhere",
                       c->name, s->k->rs->inputs[e->enum_of].name, s->k->rs->inputs[*enum_of].name);
            }
        }
        check_thens(s, rule->exceptions, rule->n_exceptions, enum_of);
        s->rule = saved;
    }
}

static void find_enum_of(dc_rule *rules, uint32_t n, int32_t *enum_of)
{
    for (uint32_t r = 0; r < n && *enum_of < 0; r++) {
        if (rules[r].then && rules[r].then->type == DC_T_ENUM && rules[r].then->enum_of >= 0)
            *enum_of = rules[r].then->enum_of;
        find_enum_of(rules[r].exceptions, rules[r].n_exceptions, enum_of);
    }
}

static void check_computed(checker *k, int32_t ci)
{
    dc_computed *c = &k->rs->computeds[ci];
    k->state[ci] = 1;
    scope s;
    memset(&s, 0, sizeof s);
    s.k = k;
    s.computed = ci;
    if (c->entity >= 0) {
        s.frames[0].entity = c->entity;
        s.n_frames = 1;
    }
    check_rules(&s, c->rules, c->n_rules, 0);
    if (c->otherwise) check_rules(&s, c->otherwise, 1, 0);

    int32_t enum_of = -1;
    if (c->type == DC_T_ENUM) {
        find_enum_of(c->rules, c->n_rules, &enum_of);
        if (c->otherwise) find_enum_of(c->otherwise, 1, &enum_of);
        c->enum_of = enum_of;
    }
    check_thens(&s, c->rules, c->n_rules, &enum_of);
    if (c->otherwise) check_thens(&s, c->otherwise, 1, &enum_of);
    k->state[ci] = 2;
}

/* ------------------------------------------------------------------ cycles */

static bool depends(const checker *k, uint32_t from, uint32_t to)
{
    size_t bit = (size_t)from * k->rs->n_computeds + to;
    return (k->deps[bit / 8] >> (bit % 8)) & 1;
}

typedef struct dfs { checker *k; uint8_t *color; uint32_t *path; uint32_t len; } dfs;

static void report_cycle(dfs *d, uint32_t from)
{
    dc_ruleset *rs = d->k->rs;
    /* start the message at the value first in the document, so it does not depend on
     * where the search happened to enter the cycle */
    uint32_t n = d->len - from, start = 0;
    for (uint32_t i = 1; i < n; i++)
        if (d->path[from + i] < d->path[from + start]) start = i;
    dc_buf msg;
    dc_buf_init(&msg);
    dc_buf_puts(&msg, "cycle: ");
    for (uint32_t i = 0; i <= n; i++)
        dc_buf_printf(&msg, "%s%s", i ? " -> " : "", rs->computeds[d->path[from + (start + i) % n]].name);
    const dc_computed *first = &rs->computeds[d->path[from + start]];
    dc_diag_add(d->k->diags, DC_DIAG_CYCLE, rs->file, first->line, first->column, first->name,
                NULL, "%s", msg.data ? msg.data : "cycle");
    dc_buf_free(&msg);
}

static void dfs_visit(dfs *d, uint32_t v)
{
    uint32_t n = d->k->rs->n_computeds;
    d->color[v] = 1;
    d->path[d->len++] = v;
    for (uint32_t w = 0; w < n; w++) {
        if (!depends(d->k, v, w)) continue;
        if (d->color[w] == 1) {
            uint32_t from = d->len;
            while (from > 0 && d->path[from - 1] != w) from--;
            report_cycle(d, from - 1);
        } else if (d->color[w] == 0) {
            dfs_visit(d, w);
        }
    }
    d->len--;
    d->color[v] = 2;
}

/* ------------------------------------------------------------------ warnings */

static bool periods_overlap(const dc_rule *a, const dc_rule *b)
{
    return a->valid_from <= b->valid_to && b->valid_from <= a->valid_to;
}

static bool same_condition(const dc_rule *a, const dc_rule *b)
{
    if (!a->cond || !b->cond) return !a->cond && !b->cond;
    return dc_expr_equal(a->cond, b->cond) != 0;
}

static void warn_rules(checker *k, int32_t ci, dc_rule *rules, uint32_t n)
{
    dc_ruleset *rs = k->rs;
    for (uint32_t r = 0; r < n; r++) {
        dc_rule *rule = &rules[r];
        const char *article = rule->source.article >= 0 && (uint32_t)rule->source.article < rs->n_articles
                            ? rs->articles[rule->source.article].id : NULL;
        if (rule->id && !rule->explain)
            dc_diag_add(k->diags, DC_DIAG_NO_EXPLAIN, rs->file, rule->line, rule->column, rule->id,
                        article, "rule '%s' has no <explain>: a generic sentence will be used", rule->id);
        for (uint32_t q = 0; q < r; q++) {
            /* the same condition in two periods is how a change in the law is written */
            if (rules[q].id && rule->id && periods_overlap(&rules[q], rule) &&
                same_condition(&rules[q], rule)) {
                dc_diag_add(k->diags, DC_DIAG_SAME_CONDITION, rs->file, rule->line, rule->column,
                            rule->id, article, "rules '%s' and '%s' have the same condition",
                            rules[q].id, rule->id);
                break;
            }
        }
        warn_rules(k, ci, rule->exceptions, rule->n_exceptions);
    }
}

static void warn_unused(checker *k)
{
    dc_ruleset *rs = k->rs;
    for (uint32_t i = 0; i < rs->n_inputs; i++) {
        const dc_input *in = &rs->inputs[i];
        if (!in->uses)
            dc_diag_add(k->diags, DC_DIAG_UNUSED_INPUT, rs->file, in->line, in->column, NULL, NULL,
                        "input '%s' is never used", in->name);
    }
    for (uint32_t i = 0; i < rs->n_computeds; i++) {
        const dc_computed *c = &rs->computeds[i];
        if (!c->uses)
            dc_diag_add(k->diags, DC_DIAG_UNUSED_VALUE, rs->file, c->line, c->column, c->name, NULL,
                        "value '%s' is never used", c->name);
    }
}

/* ------------------------------------------------------------------ entry point */

size_t dc_ruleset_check(dc_ruleset *rs, dc_diag_list *diags)
{
    size_t errors_before = diags->errors;
    uint32_t n = rs->n_computeds;
    checker k;
    memset(&k, 0, sizeof k);
    k.rs = rs;
    k.diags = diags;
    k.state = calloc(n ? n : 1, 1);
    k.deps = calloc(((size_t)n * n + 7) / 8 + 1, 1);
    dfs d = { &k, calloc(n ? n : 1, 1), calloc(n ? n : 1, sizeof(uint32_t)), 0 };
    if (!k.state || !k.deps || !d.color || !d.path) {
        dc_diag_add(diags, DC_DIAG_NOMEM, rs->file, 0, 0, NULL, NULL, "out of memory while checking");
        goto done;
    }
    for (uint32_t i = 0; i < rs->n_inputs; i++) rs->inputs[i].uses = 0;
    for (uint32_t i = 0; i < rs->n_params; i++) rs->params[i].uses = 0;
    for (uint32_t i = 0; i < n; i++) {
        rs->computeds[i].uses = 0;
        rs->computeds[i].reads = 0;
        rs->computeds[i].enum_of = -1;
    }
    rs->max_depth = 0;

    for (uint32_t i = 0; i < n; i++)
        if (k.state[i] == 0) check_computed(&k, (int32_t)i);
    int32_t decision[2] = { rs->eligible, rs->amount };
    for (int i = 0; i < 2; i++) {
        if (decision[i] < 0 || (uint32_t)decision[i] >= n) continue;
        rs->computeds[decision[i]].uses++;
        rs->computeds[decision[i]].reads++;
    }

    for (uint32_t i = 0; i < n; i++)
        if (d.color[i] == 0) dfs_visit(&d, i);

    warn_unused(&k);
    for (uint32_t i = 0; i < n; i++)
        warn_rules(&k, (int32_t)i, rs->computeds[i].rules, rs->computeds[i].n_rules);
    if (k.oom)
        dc_diag_add(diags, DC_DIAG_NOMEM, rs->file, 0, 0, NULL, NULL, "out of memory while checking");
done:
    free(k.state);
    free(k.deps);
    free(d.color);
    free(d.path);
    return diags->errors - errors_before;
}
