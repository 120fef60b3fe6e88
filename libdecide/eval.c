/* eval.c — evaluates a checked rule set on a case at a date: default logic over rule
 * trees (exceptions win, conflicts are reported, never resolved by order), Kleene
 * three-valued logic with reasons for every unknown, exact checked arithmetic, lazy
 * memoised computed values, and the optional trace (see eval.h for its format).
 *
 * This is the reference evaluator. An evaluation first runs the rule set's compiled
 * program (compile.c; with a trace, the traced program, which records the same trace),
 * which computes the same values over known facts only and hands every other case back
 * here; reasons, conflicts and errors are this file's alone. When the untraced program
 * stops, each value is still asked of it first (dc_program_value), so that only the
 * values that depend on what it could not compute are evaluated here. Names are
 * resolved to indexes by the checker; an evaluation allocates only from the result's
 * arena (reset per case), so evaluating does no malloc in steady state. Errors
 * (overflow, division by zero) are recorded once in the result and turn the value
 * unknown; the caller reports DECIDE_EEVAL. */
#include "eval.h"
#include "ops.h"
#include "compile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rare or heavy paths (node kinds, a computed value's rules) stay out of line so
 * that eval() keeps a small frame: its prologue runs once per expression node. */
#define COLD __attribute__((noinline))

typedef struct ev_ctx {
    decide_result *r;
    const dc_ruleset *rs;
    const dc_case *c;
    int32_t date;
    int trace;                     /* decide_trace_level */
    int32_t frame_rec[DC_MAX_FRAMES];
    int32_t cur_rule;              /* rule whose expressions are being evaluated, or -1 */
    int32_t cur_node;              /* trace node collecting reads, or -1 */
    int32_t *param_cache;          /* [n_params]: -2 not looked up, -1 none, else index */
    dc_ev *param_ev;               /* [n_params] */
    struct dc_vm *vm;              /* the untraced program's machine on this case, or NULL */
} ev_ctx;

static const dc_ev EV_TRUE = { { DC_T_BOOL, 1, 0, 0, { 1 } }, NULL };
static const dc_ev EV_FALSE = { { DC_T_BOOL, 1, 0, 0, { 0 } }, NULL };

/* ------------------------------------------------------------------ reasons */

static const dc_reason *why_leaf(ev_ctx *x, dc_reason_kind kind, int32_t a, int32_t b)
{
    dc_reason *w = dc_arena_alloc(&x->r->arena, sizeof *w);
    if (!w) return NULL;
    w->kind = (uint8_t)kind;
    w->a = a;
    w->b = b;
    w->article = x->cur_rule >= 0 ? x->rs->all_rules[x->cur_rule]->source.article : -1;
    w->left = w->right = NULL;
    return w;
}

/* Reasons are never NULL for an unknown value; when memory runs out we still need a
 * non-NULL marker, so a static "no rule" leaf stands in (the status says ENOMEM). */
static const dc_reason OOM_REASON = { DC_WHY_EMPTY, -1, -1, -1, NULL, NULL };

static const dc_reason *why_join(ev_ctx *x, const dc_reason *a, const dc_reason *b)
{
    if (!a) return b;
    if (!b || a == b) return a;
    dc_reason *w = dc_arena_alloc(&x->r->arena, sizeof *w);
    if (!w) return a;
    w->kind = DC_WHY_PAIR;
    w->a = w->b = w->article = -1;
    w->left = a;
    w->right = b;
    return w;
}

static dc_ev ev_unknown(dc_type_kind t, const dc_reason *why)
{
    dc_ev e;
    e.v = dc_v_unknown(t);
    e.why = why ? why : &OOM_REASON;
    return e;
}

static dc_ev ev_known(dc_type_kind t, int64_t i)
{
    dc_ev e = { dc_v_make(t, i), NULL };
    return e;
}

/* The pair nodes met during a walk: an open-addressing set of their addresses, filled
 * three quarters at most (a pair not recorded is only walked again). Cleared on the
 * first pair: a walk over lone leaves (the common REVIEW: one fact missing, one rule
 * not applying) never touches it. */
enum { MET_BITS = 6 };
typedef struct met_set {
    const dc_reason *slot[1 << MET_BITS];
    size_t count;
    bool cleared;
} met_set;

/* Whether w was met before; records it when there is room. */
static bool met_before(met_set *met, const dc_reason *w)
{
    const size_t mask = ((size_t)1 << MET_BITS) - 1;
    if (!met->cleared) {
        memset(met->slot, 0, sizeof met->slot);
        met->cleared = true;
    }
    /* Fibonacci hashing of the address (arena nodes are 16-byte aligned) */
    size_t h = (size_t)((((uint64_t)(uintptr_t)w >> 4) * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - MET_BITS));
    for (; met->slot[h]; h = (h + 1) & mask)
        if (met->slot[h] == w) return true;
    if (met->count < (mask + 1) / 4 * 3) {
        met->slot[h] = w;
        met->count++;
    }
    return false;
}

int dc_reason_walk(const dc_reason *const *roots, size_t n_roots,
                   void (*fn)(const dc_reason *, void *), void *ctx)
{
    /* depth first, left before right, the right halves waiting on a stack: reason trees
     * are built by folding left to right, so depth stays small in practice (the first 256
     * entries are on the C stack; a deeper tree, a household of hundreds of records with
     * unknowns, moves the stack to the heap).
     * Trees share subtrees (a value's reasons are joined into each value that reads it,
     * and the decision's two values often rest on the same facts), so a pair met again
     * is skipped: everything under it has been walked already. Leaves are not recorded:
     * one met again is passed again, which fn allows, and costs less than a lookup. */
    const dc_reason *local[256], **stack = local, **heap = NULL;
    size_t cap = sizeof local / sizeof local[0];
    met_set met;
    met.count = 0;
    met.cleared = false;
    for (size_t k = 0; k < n_roots; k++) {
        const dc_reason *why = roots[k];
        size_t sp = 0;
        while (why || sp) {
            if (!why) { why = stack[--sp]; continue; }
            if (why->kind != DC_WHY_PAIR) {
                fn(why, ctx);
                why = NULL;
                continue;
            }
            if (met_before(&met, why)) { why = NULL; continue; }
            if (sp == cap) {
                const dc_reason **n = dc_grow(heap, &cap, sp, sizeof *n, 0);
                if (!n) { free(heap); return -1; }
                if (!heap) memcpy(n, local, sizeof local);
                stack = heap = n;
            }
            stack[sp++] = why->right;
            why = why->left;
        }
    }
    free(heap);
    return 0;
}

/* ------------------------------------------------------------------ errors */

static void eval_error(ev_ctx *x, const char *what)
{
    decide_result *r = x->r;
    if (r->status != DECIDE_OK) return;   /* keep the first */
    r->status = DECIDE_EEVAL;
    const char *rule = "?", *article = "?";
    if (x->cur_rule >= 0) {
        const dc_rule *ru = x->rs->all_rules[x->cur_rule];
        const dc_computed *cv = &x->rs->computeds[ru->owner];
        rule = ru->id ? ru->id : cv->name;
        if (ru->source.article >= 0) article = x->rs->articles[ru->source.article].id;
    }
    snprintf(r->error, sizeof r->error, "%s in rule %s (article %s)", what, rule, article);
}

COLD static dc_ev arith_fail(ev_ctx *x, int rc, dc_type_kind t)
{
    eval_error(x, rc == DC_VERR_DIVZERO ? "division by zero"
                  : rc == DC_VERR_RANGE ? "date out of range" : "arithmetic overflow");
    return ev_unknown(t, &OOM_REASON);
}

/* ------------------------------------------------------------------ trace */

bool dc_trace_has_read(const dc_trace_node *n, dc_read_kind kind, int32_t index, int32_t record)
{
    for (const dc_trace_read *p = n->reads; p; p = p->next)
        if (p->kind == kind && p->index == index && p->record == record) return true;
    return false;
}

static void trace_read(ev_ctx *x, dc_read_kind kind, int32_t index, int32_t record,
                       int32_t param_value, dc_value v, uint8_t state)
{
    dc_trace_add_read(x->r, x->cur_node, kind, index, record, param_value, v, state);
}

int dc_trace_grow(decide_result *r)
{
    size_t cap = r->cap_nodes ? r->cap_nodes * 2 : 64;
    dc_trace_node *p = realloc(r->nodes, cap * sizeof *p);
    if (!p) return -1;
    r->nodes = p;
    int32_t *o = realloc(r->order, cap * sizeof *o);
    if (!o) return -1;
    r->order = o;
    r->cap_nodes = cap;
    return 0;
}

/* Only a full trace keeps the rules that did not apply; the test is inlined so the
 * no-trace path pays one branch. */
static inline void trace_skip(ev_ctx *x, int32_t node, const dc_rule *rule, int unknown)
{
    if (node >= 0 && x->trace >= DECIDE_TRACE_FULL) dc_trace_add_skip(x->r, node, (int32_t)rule->index, unknown);
}

/* ------------------------------------------------------------------ reads */

static dc_ev read_fact(ev_ctx *x, int32_t input, int32_t record)
{
    const dc_input *in = &x->rs->inputs[input];
    const dc_fact *f = dc_case_fact(x->c, input, record);
    uint8_t state = dc_fact_state_of(f);
    if (state == DC_FACT_PRESENT && in->max_is_eval_date && f->value.u.i > x->date)
        state = DC_FACT_INVALID;   /* e.g. a birth date after the evaluation date */
    if (x->trace >= DECIDE_TRACE_FULL)
        trace_read(x, DC_READ_INPUT, input, record, -1, f->value, state);
    if (state == DC_FACT_PRESENT) {
        dc_ev e = { f->value, NULL };
        return e;
    }
    return ev_unknown(in->type, why_leaf(x, state == DC_FACT_INVALID ? DC_WHY_INVALID
                                                                     : DC_WHY_MISSING,
                                         input, record));
}

COLD static dc_ev read_param(ev_ctx *x, int32_t p)
{
    if (x->param_cache[p] == -2) {
        const dc_param *pa = &x->rs->params[p];
        int32_t vi = dc_param_value_at(pa, x->date);
        x->param_cache[p] = vi;
        if (vi >= 0) {
            x->param_ev[p].v = pa->values[vi].value;
            x->param_ev[p].why = NULL;
        } else {
            /* the leaf names the article of the first rule that needed the value */
            x->param_ev[p] = ev_unknown(pa->type, why_leaf(x, DC_WHY_NO_PARAM, p, -1));
        }
    }
    if (x->trace >= DECIDE_TRACE_FULL)
        trace_read(x, DC_READ_PARAM, p, -1, x->param_cache[p], x->param_ev[p].v,
                   x->param_cache[p] >= 0 ? DC_FACT_PRESENT : DC_FACT_MISSING);
    return x->param_ev[p];
}

static inline dc_ev eval_computed(ev_ctx *x, int32_t ci, int32_t record);
static inline dc_ev memo_read(ev_ctx *x, int32_t ci, int32_t record, dc_memo *m);
static dc_ev eval(ev_ctx *x, const dc_expr *e);

/* ------------------------------------------------------------------ arithmetic */

/* The operations themselves are in ops.c (shared with the compiled fast path); here
 * they are wrapped so that an error is recorded with its rule and article. */
static dc_ev checked(ev_ctx *x, int rc, dc_value v, dc_type_kind rt)
{
    if (rc != DC_VOK) return arith_fail(x, rc, rt);
    dc_ev e = { v, NULL };
    return e;
}

COLD static dc_ev arith(ev_ctx *x, const dc_expr *e, dc_value a, dc_value b)
{
    dc_value out;
    int rc = dc_op_arith((dc_binop)e->op, (dc_type_kind)e->type, a, b, &out);
    return checked(x, rc, out, (dc_type_kind)e->type);
}

static dc_ev eval_binary(ev_ctx *x, const dc_expr *e)
{
    dc_binop op = (dc_binop)e->op;
    if (op == DC_OP_AND || op == DC_OP_OR) {
        /* Kleene with short-circuit: a known dominant value decides alone */
        int64_t dominant = op == DC_OP_OR;
        dc_ev a = eval(x, e->a);
        if (!a.why && a.v.u.i == dominant) return a;
        dc_ev b = eval(x, e->b);
        if (!b.why && b.v.u.i == dominant) return b;
        if (!a.why && !b.why) return a;   /* both the neutral value */
        return ev_unknown(DC_T_BOOL, why_join(x, a.why, b.why));
    }
    dc_ev a = eval(x, e->a);
    /* the right side of most comparisons is a literal: no call for it */
    dc_ev b = e->b->kind == DC_E_LITERAL ? (dc_ev){ e->b->lit, NULL } : eval(x, e->b);
    if (a.why || b.why) return ev_unknown((dc_type_kind)e->type, why_join(x, a.why, b.why));
    if (op >= DC_OP_EQ && op <= DC_OP_GE)
        return dc_op_holds(op, dc_op_compare(a.v, b.v)) ? EV_TRUE : EV_FALSE;
    return arith(x, e, a.v, b.v);
}

/* ------------------------------------------------------------------ functions */

COLD static dc_ev eval_call(ev_ctx *x, const dc_expr *e)
{
    dc_type_kind rt = (dc_type_kind)e->type;
    dc_func f = (dc_func)e->op;
    dc_value out = { 0 };

    if (f == DC_FN_MIN || f == DC_FN_MAX) {
        dc_ev best = { { 0 }, NULL };
        const dc_reason *why = NULL;
        for (uint32_t i = 0; i < e->nargs; i++) {
            dc_ev v = eval(x, e->args[i]);
            if (v.why) { why = why_join(x, why, v.why); continue; }
            if (i == 0 || !best.v.known) { best = v; continue; }
            int c = dc_op_compare(v.v, best.v);
            if ((f == DC_FN_MIN && c < 0) || (f == DC_FN_MAX && c > 0)) best = v;
        }
        if (why) return ev_unknown(rt, why);
        return checked(x, dc_op_minmax_result(best.v, rt, &out), out, rt);
    }

    uint32_t n = e->nargs < 2 ? e->nargs : 2;
    dc_value arg[2] = { { 0 }, { 0 } };
    const dc_reason *why = NULL;
    for (uint32_t i = 0; i < n; i++) {
        dc_ev v = eval(x, e->args[i]);
        arg[i] = v.v;
        why = why_join(x, why, v.why);
    }
    if (why) return ev_unknown(rt, why);
    return checked(x, dc_op_func(f, rt, arg, n, &out), out, rt);
}

/* ------------------------------------------------------------------ aggregations */

COLD static dc_ev eval_agg(ev_ctx *x, const dc_expr *e)
{
    dc_type_kind rt = (dc_type_kind)e->type;
    int32_t ent = e->ref;
    const dc_case_list *l = &x->c->lists[ent];
    if (l->count < 0) {
        if (x->trace >= DECIDE_TRACE_FULL) {
            /* the list itself is a fact: record it as a read of its first field */
            trace_read(x, DC_READ_INPUT, (int32_t)x->rs->entities[ent].first_input, -1, -1,
                       dc_v_unknown(DC_T_LIST), DC_FACT_MISSING);
        }
        return ev_unknown(rt, why_leaf(x, DC_WHY_MISSING_LIST, ent, -1));
    }
    dc_agg op = (dc_agg)e->op;
    int frame = e->frame;
    int32_t saved = x->frame_rec[frame];
    const dc_reason *why = NULL;
    int64_t acc = 0;
    bool have = false, decided = false;
    dc_ev best = { { 0 }, NULL };
    int rc = DC_VOK;
    /* any: stops at the first known true; all: at the first known false */
    for (int32_t i = 0; i < l->count && !decided && rc == DC_VOK; i++) {
        x->frame_rec[frame] = i;
        dc_ev sel = EV_TRUE;
        if (e->a) {
            sel = eval(x, e->a);
            if (!sel.why && !sel.v.u.i) continue;   /* filtered out */
        }
        switch (op) {
        case DC_AGG_COUNT:
            if (sel.why) why = why_join(x, why, sel.why);
            else acc++;
            break;
        case DC_AGG_ANY: {
            dc_ev v = e->b ? eval(x, e->b) : EV_TRUE;
            /* selected-and-true: Kleene and of sel and v */
            if (!sel.why && !v.why) { if (v.v.u.i) decided = true; }
            else if (!(!v.why && !v.v.u.i)) why = why_join(x, why, why_join(x, sel.why, v.why));
            break;
        }
        case DC_AGG_ALL: {
            dc_ev v = e->b ? eval(x, e->b) : EV_TRUE;
            if (!sel.why && !v.why) { if (!v.v.u.i) decided = true; }
            else if (!(!v.why && v.v.u.i)) why = why_join(x, why, why_join(x, sel.why, v.why));
            break;
        }
        case DC_AGG_SUM: {
            dc_ev v = eval(x, e->b);
            if (sel.why || v.why) { why = why_join(x, why, why_join(x, sel.why, v.why)); break; }
            if (v.v.type == DC_T_INT || v.v.type == DC_T_MONEY || v.v.type == rt)
                rc = dc_i64_add(acc, v.v.u.i, &acc);
            break;
        }
        case DC_AGG_AMIN: case DC_AGG_AMAX: {
            dc_ev v = eval(x, e->b);
            if (sel.why || v.why) { why = why_join(x, why, why_join(x, sel.why, v.why)); break; }
            int c = have ? dc_op_compare(v.v, best.v) : 0;
            if (!have || (op == DC_AGG_AMIN ? c < 0 : c > 0)) best = v;
            have = true;
            break;
        }
        default: break;
        }
    }
    x->frame_rec[frame] = saved;
    if (rc != DC_VOK) return arith_fail(x, rc, rt);
    switch (op) {
    case DC_AGG_ANY:
        if (decided) return EV_TRUE;
        return why ? ev_unknown(DC_T_BOOL, why) : EV_FALSE;
    case DC_AGG_ALL:
        if (decided) return EV_FALSE;
        return why ? ev_unknown(DC_T_BOOL, why) : EV_TRUE;
    case DC_AGG_AMIN: case DC_AGG_AMAX:
        if (why) return ev_unknown(rt, why);
        if (!have) return ev_unknown(rt, why_leaf(x, DC_WHY_EMPTY, ent, -1));
        return best;
    default:
        if (why) return ev_unknown(rt, why);
        return ev_known(rt, acc);
    }
}

/* ------------------------------------------------------------------ expressions */

static dc_ev eval(ev_ctx *x, const dc_expr *e)
{
    switch ((dc_expr_kind)e->kind) {
    case DC_E_LITERAL: {
        dc_ev r = { e->lit, NULL };
        return r;
    }
    case DC_E_INPUT: return read_fact(x, e->ref, -1);
    case DC_E_FIELD: return read_fact(x, e->ref, x->frame_rec[e->frame]);
    case DC_E_PARAM: return read_param(x, e->ref);
    /* an expression knows which kind of value it reads (the checker resolves a name to a
     * top-level value, a field to a record's): no test of the value's entity */
    case DC_E_COMPUTED: return memo_read(x, e->ref, -1, dc_memo_top(x->r, e->ref));
    case DC_E_RECORD_COMPUTED: {
        int32_t record = x->frame_rec[e->frame];
        return memo_read(x, e->ref, record, dc_memo_record(x->r, e->ref, record));
    }
    case DC_E_EVAL_DATE: return ev_known(DC_T_DATE, x->date);
    case DC_E_POSITION: return ev_known(DC_T_INT, (int64_t)x->frame_rec[e->frame] + 1);
    case DC_E_UNARY: {
        dc_ev a = eval(x, e->a);
        if (a.why) return a;
        if (e->op == DC_UN_NOT) return a.v.u.i ? EV_FALSE : EV_TRUE;
        dc_value out;
        return checked(x, dc_op_neg(a.v, &out), out, (dc_type_kind)e->type);
    }
    case DC_E_BINARY: return eval_binary(x, e);
    case DC_E_IF: {
        dc_ev c = eval(x, e->a);
        if (!c.why) return eval(x, c.v.u.i ? e->b : e->c);
        dc_ev t = eval(x, e->b), f = eval(x, e->c);
        if (!t.why && !f.why && dc_value_equal(t.v, f.v)) return t;
        return ev_unknown((dc_type_kind)e->type, why_join(x, c.why, why_join(x, t.why, f.why)));
    }
    case DC_E_IN: {
        dc_ev a = eval(x, e->a);
        if (a.why) return ev_unknown(DC_T_BOOL, a.why);
        for (uint32_t i = 0; i < e->nargs; i++) {
            dc_ev b = eval(x, e->args[i]);
            if (!b.why && dc_op_compare(a.v, b.v) == 0) return EV_TRUE;
        }
        return EV_FALSE;
    }
    case DC_E_CALL: return eval_call(x, e);
    case DC_E_AGG: return eval_agg(x, e);
    default:
        eval_error(x, "internal error: unresolved expression");
        return ev_unknown((dc_type_kind)e->type, &OOM_REASON);
    }
}

/* ------------------------------------------------------------------ rule trees */

static bool rule_in_force(const dc_rule *r, int32_t date)
{
    return date >= r->valid_from && date <= r->valid_to;
}

/* Converts a value to the computed value's declared type (int → decimal/rate,
 * decimal → rate), as the checker allows. */
COLD static dc_ev coerce(ev_ctx *x, dc_ev v, dc_type_kind to)
{
    if (v.v.type == to || to == DC_T_ENUM || to == DC_T_LIST || v.why) {
        v.v.type = (uint8_t)to;
        return v;
    }
    dc_value out;
    return checked(x, dc_op_coerce(v.v, to, &out), out, to);
}

static dc_ev eval_then(ev_ctx *x, const dc_rule *r)
{
    if (r->then->kind == DC_E_LITERAL) {   /* a rule's value is often a constant */
        dc_ev v = { r->then->lit, NULL };
        return v;
    }
    int32_t saved = x->cur_rule;
    x->cur_rule = (int32_t)r->index;
    dc_ev v = eval(x, r->then);
    x->cur_rule = saved;
    return v;
}

static bool same_known(dc_ev a, dc_ev b)
{
    return !a.why && !b.why && dc_value_equal(a.v, b.v);
}

/* Evaluates sibling rules with a fallback (the parent rule's own value, or the
 * computed value's otherwise, or nothing). Sets *applied to the rule whose value is
 * returned (-1 when none or unknown). LANGUAGE.md §2 is the specification. */
/* The value of computed ci for record when no rule of it applies and there is no
 * fallback: unknown, for that reason (a leaf outside any rule: no article). */
static dc_ev no_rule(ev_ctx *x, int32_t ci, int32_t record)
{
    int32_t saved = x->cur_rule;
    x->cur_rule = -1;
    dc_ev v = ev_unknown(x->rs->computeds[ci].type, why_leaf(x, DC_WHY_NO_RULE, ci, record));
    x->cur_rule = saved;
    return v;
}

static dc_ev eval_level(ev_ctx *x, const dc_rule *rules, uint32_t n, const dc_rule *fallback,
                        const dc_computed *cv, int32_t record, int32_t node, int32_t *applied,
                        uint8_t *how)
{
    dc_ev def = { { 0 }, NULL };
    int32_t def_rule = -1, def_applied = -1;
    uint8_t def_how = DC_HOW_RULE;
    bool have_def = false, conflict = false;
    const dc_reason *why = NULL;       /* reasons accumulated from possible candidates */
    bool have_possible = false, possible_agree = true;
    dc_ev possible_val = { { 0 }, NULL };

    for (uint32_t i = 0; i < n; i++) {
        const dc_rule *r = &rules[i];
        if (!rule_in_force(r, x->date)) continue;
        dc_ev c = EV_TRUE;
        if (r->cond) {
            int32_t saved = x->cur_rule;
            x->cur_rule = (int32_t)r->index;
            c = eval(x, r->cond);
            x->cur_rule = saved;
            if (!c.why && !c.v.u.i) { trace_skip(x, node, r, 0); continue; }
        }
        int32_t sub_applied = (int32_t)r->index;
        uint8_t sub_how = DC_HOW_RULE;
        /* most rules have no exception: their value is their own `then` */
        dc_ev v = r->n_exceptions == 0 ? eval_then(x, r)
                  : eval_level(x, r->exceptions, r->n_exceptions, r, cv, record, node,
                               &sub_applied, &sub_how);
        if (r->n_exceptions == 0 && v.why) sub_applied = -1;
        if (!c.why) {
            if (!have_def) {
                def = v; def_rule = (int32_t)r->index; def_applied = sub_applied;
                def_how = sub_how; have_def = true;
            } else if (!conflict && !same_known(def, v)) {
                if (!def.why && !v.why) {
                    /* two applicable rules, two different values: never pick one */
                    conflict = true;
                    int32_t saved = x->cur_rule;
                    x->cur_rule = -1;
                    dc_reason *w = (dc_reason *)why_leaf(x, DC_WHY_CONFLICT,
                                                         def_applied >= 0 ? def_applied : def_rule,
                                                         sub_applied >= 0 ? sub_applied : (int32_t)r->index);
                    x->cur_rule = saved;
                    why = why_join(x, why, w);
                } else {
                    why = why_join(x, why, why_join(x, def.why, v.why));
                    def = ev_unknown(cv->type, why);
                }
            }
        } else {
            trace_skip(x, node, r, 1);
            why = why_join(x, why, c.why);
            if (!have_possible) { possible_val = v; have_possible = true; }
            else if (!same_known(possible_val, v)) possible_agree = false;
            if (v.why) why = why_join(x, why, v.why);
        }
    }

    if (conflict) {
        *applied = -1;
        *how = DC_HOW_CONFLICT;
        return ev_unknown(cv->type, why);
    }
    if (have_def) {
        if (!have_possible || (possible_agree && same_known(possible_val, def))) {
            *applied = def_applied >= 0 ? def_applied : def_rule;
            *how = def_how;
            return def;
        }
        *applied = -1;
        *how = DC_HOW_UNKNOWN;
        return ev_unknown(cv->type, why_join(x, why, def.why));
    }
    /* no definite candidate: the fallback applies unless a possible one does */
    dc_ev fb;
    int32_t fb_rule = -1;
    uint8_t fb_how = DC_HOW_RULE;
    if (fallback) {
        fb = eval_then(x, fallback);
        fb_rule = (int32_t)fallback->index;
        fb_how = fallback == cv->otherwise ? DC_HOW_OTHERWISE : DC_HOW_RULE;
    } else {
        fb = no_rule(x, (int32_t)(cv - x->rs->computeds), record);
    }
    if (!have_possible) {
        *applied = fb.why ? -1 : fb_rule;
        *how = fb.why && !fallback ? DC_HOW_NONE : fb_how;
        return fb;
    }
    if (possible_agree && same_known(possible_val, fb)) {
        *applied = fb_rule;
        *how = fb_how;
        return fb;
    }
    *applied = -1;
    *how = DC_HOW_UNKNOWN;
    /* without a fallback, "no rule applies" is only a possibility here: what is
     * missing are the facts behind the possible rules' conditions */
    return ev_unknown(cv->type, fallback ? why_join(x, why, fb.why) : why);
}

/* Computes ci for record by its rules into m, its memo cell (not computed yet). */
COLD static dc_ev eval_rules(ev_ctx *x, int32_t ci, int32_t record, dc_memo *m)
{
    const dc_computed *cv = &x->rs->computeds[ci];
    if (m->state == 1) {   /* the checker rejects cycles; defend anyway */
        eval_error(x, "internal error: cycle between computed values");
        return ev_unknown(cv->type, &OOM_REASON);
    }
    m->state = 1;

    /* a per-record value sees its record as frame 0; aggregations save and restore the
     * frames they push, so frame 0 is the only one to keep for the caller */
    int32_t saved_frame0 = x->frame_rec[0];
    if (cv->entity >= 0) x->frame_rec[0] = record;
    int32_t saved_node = x->cur_node, saved_rule = x->cur_rule;
    int32_t node = -1;
    if (x->trace >= DECIDE_TRACE_SUMMARY) node = dc_trace_open(x->r, ci, record);
    x->cur_node = node;

    int32_t applied = -1;
    uint8_t how = DC_HOW_NONE;
    /* the value is written straight into its memo cell (arena memory that does not
     * move) and copied from there whole: building it field by field on the stack made
     * the compiler store the type byte and reload all 16 bytes, a forwarding stall */
    const dc_rule *only = cv->n_rules == 1 ? &cv->rules[0] : NULL;
    if (only && !only->cond && only->n_exceptions == 0 && !cv->otherwise &&
        rule_in_force(only, x->date)) {
        /* a plain definition: one unconditional rule */
        m->value = eval_then(x, only);
        applied = (int32_t)only->index;   /* it applied, even if its value is unknown */
        how = DC_HOW_RULE;
    } else {
        m->value = eval_level(x, cv->rules, cv->n_rules, cv->otherwise, cv, record, node, &applied, &how);
    }
    if (m->value.v.type != cv->type) m->value = coerce(x, m->value, cv->type);

    x->frame_rec[0] = saved_frame0;
    x->cur_node = saved_node;
    x->cur_rule = saved_rule;
    if (node >= 0) dc_trace_close(x->r, node, m->value, applied, how);
    m->state = 2;
    m->trace_node = node;
    if (x->vm) dc_program_settle(x->vm, ci, record, m->value.why ? NULL : &m->value.v);
    if (x->trace >= DECIDE_TRACE_SUMMARY)
        trace_read(x, DC_READ_COMPUTED, ci, record, -1, m->value.v, DC_FACT_PRESENT);
    return m->value;
}

/* The program's value of computed ci for record into m, its memo cell (not computed
 * yet), when there is a program run on this case and it has the value. */
static inline bool from_program(ev_ctx *x, int32_t ci, int32_t record, dc_memo *m)
{
    dc_value v;
    int rc;
    if (!x->vm || !(rc = dc_program_value(x->vm, ci, record, &v))) return false;
    if (rc == 2) {
        /* no rule applies, every condition known false: eval_level's value for that,
         * without walking the rules again */
        m->value = no_rule(x, ci, record);
    } else {
        m->value.v = v;
        m->value.why = NULL;
    }
    m->state = 2;
    m->trace_node = -1;
    return true;
}

/* The value of computed ci for record, whose memo cell is m. Most reads are memo hits,
 * or values the program has (it has every value that does not depend on an unknown, an
 * error or a conflict): those are answered inline, only the others are evaluated by
 * their rules. */
static inline dc_ev memo_read(ev_ctx *x, int32_t ci, int32_t record, dc_memo *m)
{
    if (m->state == 2) {
        if (x->trace >= DECIDE_TRACE_SUMMARY)
            trace_read(x, DC_READ_COMPUTED, ci, record, -1, m->value.v, DC_FACT_PRESENT);
        return m->value;
    }
    if (m->state == 0 && from_program(x, ci, record, m)) return m->value;
    return eval_rules(x, ci, record, m);
}

/* The value of computed ci for record (-1 for a top-level value). */
static inline dc_ev eval_computed(ev_ctx *x, int32_t ci, int32_t record)
{
    return memo_read(x, ci, record, dc_memo_cell(x->r, ci, record));
}

/* ------------------------------------------------------------------ driver */

static void ctx_init(ev_ctx *x, decide_result *r)
{
    memset(x, 0, sizeof *x);
    x->r = r;
    x->rs = r->rs;
    x->c = r->c;
    x->date = r->date;
    x->trace = r->trace_level;
    x->cur_rule = -1;
    x->cur_node = -1;
    x->param_cache = r->param_cache;
    x->param_ev = r->param_ev;
    x->vm = r->vm_ready ? r->vm : NULL;
}

/* Memo cells, not computed yet: only the state is read before a cell is written whole
 * (eval_computed here, the traced program's TRET, api.c and the renderers all test
 * state == 2 first), so only the state is cleared, not the 32 bytes of each cell. */
static dc_memo *memo_cells(dc_arena *a, size_t cells)
{
    dc_memo *m = dc_arena_alloc(a, (cells + 1) * sizeof *m);
    if (m)
        for (size_t i = 0; i < cells; i++) m[i].state = 0;
    return m;
}

/* The reference evaluator's per-case state: memo cells and the parameter cache. */
static int setup(decide_result *r)
{
    const dc_ruleset *rs = r->rs;
    const dc_case *c = r->c;
    r->memo_top = memo_cells(&r->arena, rs->n_top_computeds);
    r->memo_rec = dc_arena_alloc(&r->arena, (rs->n_entities + 1) * sizeof *r->memo_rec);
    r->param_cache = dc_arena_alloc(&r->arena, (rs->n_params + 1) * sizeof *r->param_cache);
    r->param_ev = dc_arena_alloc(&r->arena, (rs->n_params + 1) * sizeof *r->param_ev);
    if (!r->memo_top || !r->memo_rec || !r->param_cache || !r->param_ev) return DECIDE_ENOMEM;
    for (uint32_t p = 0; p < rs->n_params; p++) r->param_cache[p] = -2;
    for (uint32_t e = 0; e < rs->n_entities; e++) {
        int32_t count = c->lists[e].count;
        size_t cells = (size_t)(count > 0 ? count : 0) * rs->n_record_computeds[e];
        r->memo_rec[e] = memo_cells(&r->arena, cells);
        if (!r->memo_rec[e]) return DECIDE_ENOMEM;
    }
    return DECIDE_OK;
}

static void set_outcome(decide_result *r)
{
    if (!r->eligible.why && !r->eligible.v.u.i) r->outcome = DECIDE_DENIED;
    else if (!r->eligible.why && (r->rs->amount < 0 || !r->amount.why)) r->outcome = DECIDE_GRANTED;
    else r->outcome = DECIDE_REVIEW;
}

int dc_evaluate(decide_result *r, const dc_ruleset *rs, const dc_case *c, int32_t date,
                decide_trace_level trace)
{
    dc_arena_reset(&r->arena);
    r->rs = rs;
    r->c = c;
    r->status = DECIDE_OK;
    r->error[0] = '\0';
    r->trace_level = trace;
    r->date = date;
    r->date_text[0] = '\0';
    r->complete = false;
    r->fast = false;
    r->compiled = false;
    r->vm_ready = false;
    r->n_nodes = 0;
    r->n_order = 0;
    r->missing = NULL; r->n_missing = 0;
    r->conflicts = NULL; r->n_conflicts = 0;
    r->value_texts = NULL;
    r->memo_top = NULL;
    r->memo_rec = NULL;

    if (trace == DECIDE_TRACE_NONE && rs->program) {
        /* the compiled program decides the plain cases; anything else (unknowns,
         * conflicts, errors) is the reference evaluator's below */
        dc_value eligible, amount;
        int rc = dc_program_run(&r->vm, rs->program, c, date, &eligible, &amount);
        if (rc < 0) return DECIDE_ENOMEM;
        r->vm_ready = true;
        if (rc > 0) {
            r->fast = true;
            r->compiled = true;
            r->eligible.v = eligible;
            r->eligible.why = NULL;
            r->amount.v = amount;
            r->amount.why = rs->amount >= 0 ? NULL : &OOM_REASON;
            set_outcome(r);
            return DECIDE_OK;
        }
    }

    int rc = setup(r);
    if (rc != DECIDE_OK) return rc;
    if (trace != DECIDE_TRACE_NONE && rs->program_traced) {
        /* the traced program records the same trace for the plain cases */
        rc = dc_program_run_traced(&r->vm_traced, rs->program_traced, r);
        if (rc < 0) return DECIDE_ENOMEM;
        if (rc > 0) {
            r->compiled = true;
            r->eligible = dc_memo_top(r, rs->eligible)->value;
            if (rs->amount >= 0) r->amount = dc_memo_top(r, rs->amount)->value;
            else r->amount = ev_unknown(DC_T_MONEY, NULL);
            set_outcome(r);
            return DECIDE_OK;
        }
        /* not plain: start again from nothing */
        dc_arena_reset(&r->arena);
        r->n_nodes = 0;
        r->n_order = 0;
        if ((rc = setup(r)) != DECIDE_OK) return rc;
    }
    ev_ctx x;
    ctx_init(&x, r);
    /* the values the program's run stopped on answer at once (dc_program_value) */
    r->eligible = eval_computed(&x, rs->eligible, -1);
    if (rs->amount >= 0) r->amount = eval_computed(&x, rs->amount, -1);
    else r->amount = ev_unknown(DC_T_MONEY, NULL);
    /* the trace records what the decision rests on; the values it did not need are
     * computed (and traced) when first asked for: dc_evaluate_rest, called by the
     * renderers and the value accessors */

    if (r->status != DECIDE_OK) return r->status;
    set_outcome(r);
    return DECIDE_OK;
}

void dc_evaluate_rest(decide_result *r)
{
    if (r->complete || !r->rs || !r->c) return;
    if (r->fast) {
        /* decided by the program: the reference evaluator computes every value now
         * (the decision's again, identically) */
        if (setup(r) != DECIDE_OK) return;
        r->fast = false;
    }
    if (!r->memo_top) return;
    r->complete = true;
    ev_ctx x;
    ctx_init(&x, r);
    /* an arithmetic error here concerns a value the decision did not use: keep the
     * decision's status, the value stays unknown */
    int status = r->status;
    char error[sizeof r->error];
    memcpy(error, r->error, sizeof error);
    for (uint32_t i = 0; i < r->rs->n_computeds; i++)
        if (r->rs->computeds[i].entity < 0) eval_computed(&x, (int32_t)i, -1);
    r->status = status;
    memcpy(r->error, error, sizeof error);
}

const char *dc_result_date_text(decide_result *r)
{
    if (!r->date_text[0]) {
        int y, mo, d;
        dc_date_to_ymd(r->date, &y, &mo, &d);
        snprintf(r->date_text, sizeof r->date_text, "%04d-%02d-%02d", y, mo, d);
    }
    return r->date_text;
}

const dc_trace_node *dc_trace_find(const decide_result *r, int32_t computed, int32_t record)
{
    for (size_t i = 0; i < r->n_nodes; i++)
        if (r->nodes[i].computed == computed && r->nodes[i].record == record) return &r->nodes[i];
    return NULL;
}

void dc_trace_mark_reached(decide_result *r)
{
    for (size_t i = 0; i < r->n_nodes; i++) r->nodes[i].reached = 0;
    /* users complete after their dependencies: walk the completion order backwards
     * from the roots, marking what each reached node read */
    for (size_t k = r->n_order; k-- > 0;) {
        dc_trace_node *n = &r->nodes[r->order[k]];
        /* a refusal rests on eligibility alone: the amount did not contribute */
        if (n->record < 0 && (n->computed == r->rs->eligible ||
                              (n->computed == r->rs->amount && r->outcome != DECIDE_DENIED)))
            n->reached = 1;
        if (!n->reached) continue;
        for (const dc_trace_read *rd = n->reads; rd; rd = rd->next) {
            if (rd->kind != DC_READ_COMPUTED) continue;
            for (size_t j = 0; j < r->n_nodes; j++)
                if (r->nodes[j].computed == rd->index && r->nodes[j].record == rd->record)
                    r->nodes[j].reached = 1;
        }
    }
}
