/* compile.c — rule set → flat register programs, and the machine that runs them (see
 * compile.h for what a program may and may not decide).
 *
 * Layout. One register file per evaluation: the registers of every computed value's
 * function, then the literals (filled once when a dc_vm is bound to the program). A
 * function never runs twice at once (the checker rejects cycles between computed
 * values, and the builder checks it again: no program otherwise), so each function
 * owns a fixed range of registers: a call saves no register, it pushes only its return
 * point, destination and memo cell on the machine's own stack (no C recursion).
 * Register 0 holds the evaluation date, register 1 the outermost call's value.
 *
 * Two programs per rule set: the untraced one is optimised (repeated reads kept in
 * registers, values read at one place compiled in place, fused call-and-test, jumps
 * threaded through known booleans: see peephole, thread_bools and inline_body); the
 * traced one calls every value and adds the trace instructions (T*, APPLY, TSKIP), so
 * that its trace is the reference evaluator's.
 *
 * Instructions are three-address: {op, t, x, a, b, c}; a is usually the destination.
 * While building, registers and jump targets (b) are indexes; finish() makes them byte
 * offsets: into the register file, and from the jump instruction to its target.
 * The semantics of each construct is the reference evaluator's restricted to known
 * values (LANGUAGE.md §2 for rule trees):
 *   rule level   every rule in force is tried in order; a true condition makes its value
 *                (its exceptions' level, with the rule as fallback) a candidate; two
 *                candidates must be equal values, else stop (conflict); no candidate:
 *                the fallback (parent rule or otherwise), else stop (no rule applies); a
 *                rule that its syntax shows cannot apply after any earlier one is not
 *                tried once one has (excluded)
 *   and/or       short-circuit on the dominant value; if/then/else evaluates one branch
 *   aggregations loop over the records in list order, where-filter first; any/all stop
 *                at the first deciding record; min/max over no record stops
 *   calls        memoised per case (one cell per top-level value, one per record and
 *                per-record value);
 *                the result is converted to the declared type (ops.c) */
#include "compile.h"
#include "eval.h"
#include "ops.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* X(name, operand roles): which of a, b, c are registers (bit 0 a, 1 b, 2 c) */
#define OPS(X) \
    X(MOV, 3)      /* R[a] = R[b] */ \
    X(INPUT, 1)    /* R[a] = top-level fact in slot b; x: not after the evaluation date */ \
    X(FIELD, 5)    /* R[a] = field slot b of list x, record R[c]; t: not after the date */ \
    X(PARAM, 1)    /* R[a] = parameter b in force */ \
    X(CALL, 1)     /* R[a] = top-level computed b */ \
    X(CALLREC, 5)  /* R[a] = per-record computed b of record R[c]; x: the list's memo stride */ \
    /* CALL, CALLREC followed by a JT (t = 1) or JF (t = 0) on R[a]: on a memo hit that jump
     * is taken or passed here (the peephole pass makes them) */ \
    X(CALLJ, 1) X(CALLRECJ, 5) \
    X(POS, 3)      /* R[a] = R[b] + 1 (record position, from 1) */ \
    X(NOT, 3) X(NEG, 3) \
    X(CMP, 7)      /* R[a] = R[b] <t: dc_binop> R[c] */ \
    X(ARITH, 7)    /* R[a] = R[b] <t: dc_binop> R[c], result type x */ \
    X(FUNC, 7)     /* R[a] = t: dc_func (R[b], R[c]); x = type | nargs << 8 */ \
    /* ARITH and FUNC where the builder knows the operands' types (exact_type), doing
     * what ops.c does for them (result type x): ± of two ints, two moneys, or two
     * decimals or rates (payloads on one scale); money × decimal or rate (either side
     * first); IMUL the exact product of the payloads: int × int, money × int, decimal or
     * rate × int; decimal or rate ÷ int; round_cent of a decimal or rate; age_at */ \
    X(IADD, 7) X(ISUB, 7) X(MULMD, 7) X(IMUL, 7) X(DIVDI, 7) X(RCENT, 3) X(AGE, 7) \
    X(MINMAX, 3)   /* R[a] = the better of R[a], R[b] (t: DC_FN_MIN / MAX) */ \
    X(MMEND, 1)    /* R[a] = min/max result in type x */ \
    X(JMP, 0)      /* pc = b */ \
    X(JF, 1) X(JT, 1)   /* R[a] false / true: pc = b */ \
    X(JCMP, 5)     /* (R[a] <t: dc_binop> R[c]) == x: pc = b */ \
    /* payloads of one representation (see exact_type): R[a].u.i <op> R[c].u.i: pc = b */ \
    X(JEQ, 5) X(JNE, 5) X(JLT, 5) X(JLE, 5) X(JGT, 5) X(JGE, 5) \
    X(INFORCE, 0)  /* evaluation date outside [a, c]: pc = b */ \
    X(SAME, 3)     /* R[a] and R[b] are different values: stop (two rules disagree) */ \
    X(BAIL, 0)     /* stop; a = 1: because no rule of the running function applies (its own \
                    * rules, every condition known false): its memo cell says so (NO_RULE) */ \
    X(AGGBEGIN, 1) /* list x missing: stop; empty: pc = b; else R[a] = record 0 */ \
    X(AGGLOOP, 1)  /* ++R[a] is a record of list x: pc = b (the loop's body) */ \
    X(INC, 1)      /* R[a] += 1 */ \
    X(SUM, 3)      /* R[a] += R[b] (sum into type x) */ \
    X(AMM, 7)      /* aggregate min/max: t DC_AGG_AMIN / AMAX, R[c] "have one" */ \
    X(NEED, 1)     /* R[a] false: stop */ \
    X(RET, 1)      /* return R[a], converted to type x when it is not of that type */ \
    X(COERCE, 1)   /* R[a] converted to type x when it is not of that type */ \
    X(HALT, 0)     /* the outermost call returned (one instruction at the end of the code) */ \
    /* the traced program's (see compile.h): the reads, calls and returns above, recording
     * the trace as the reference evaluator does; APPLY: the function's value is rule a's,
     * applied how x; TSKIP: rule a's condition is false */ \
    X(TINPUT, 1) X(TFIELD, 5) X(TPARAM, 1) X(TCALL, 1) X(TCALLREC, 5) X(TRET, 1) \
    X(APPLY, 0) X(TSKIP, 0)

enum {
#define X(name, roles) OP_##name,
    OPS(X)
#undef X
};

static const uint8_t op_roles[] = {
#define X(name, roles) roles,
    OPS(X)
#undef X
};

typedef struct insn {
    uint8_t op, t;
    uint16_t x;
    int32_t a, b, c;
} insn;

typedef struct fn_info {
    uint32_t entry;            /* first instruction … */
    int32_t rec_reg;           /* per-record: register of its record, else -1 */
    const struct insn *start;  /* … and its address (finish) */
} fn_info;

#define EPOCH_TABLE_MAX (1u << 20)   /* epochs × parameters */

struct dc_program {
    uint64_t id;               /* unique in the process: a dc_vm knows what it is bound to
                                  even when a freed program's address is reused */
    const dc_ruleset *rs;
    insn *code;
    uint32_t n_code;
    size_t cap_code;
    dc_value *consts;          /* literals, registers n_fn_regs .. */
    uint32_t n_consts;
    size_t cap_consts;
    uint32_t n_fn_regs, n_regs;
    uint32_t halt_pc;          /* the HALT instruction */
    fn_info *fns;              /* [rs->n_computeds] */
    uint32_t *n_fields;        /* [rs->n_entities]: inputs per record */
    /* Parameters. An epoch is a run of days over which no parameter
     * takes or loses a value; the epochs cover [epoch_from[0], span_to], the days from the
     * earliest value of any parameter to the latest (outside, nothing is in force and the
     * program does not run). The machine keeps the row of the date's epoch: PARAM reads
     * it (TPARAM too). In the untraced program, a parameter in force every day of the
     * span is read from a register of its own instead, filled from the row when the date
     * moves to another epoch (no instruction).
     * A table over EPOCH_TABLE_MAX values makes no program (the reference evaluator
     * decides every case). */
    int32_t *preg;             /* [n_params]: register of each parameter (while building: its
                                  literal's, see konst), or ANY: read by PARAM */
    uint32_t n_preg;           /* parameters with a register … */
    uint32_t *preg_param;      /* [n_preg] … which they are */
    uint32_t n_epochs;
    int32_t *epoch_from;       /* [n_epochs]: first day of each epoch, increasing */
    int32_t span_to;           /* the last epoch's last day */
    dc_value *epoch_values;    /* [n_epochs × n_params]: unknown when not in force */
    int32_t *epoch_index;      /* [n_epochs × n_params]: index of the value in force, or -1 */
    int failed;                /* out of memory while building */
};

/* ------------------------------------------------------------------ building */

/* A read the current function makes more than once (an input, a parameter, another
 * computed value, a field or per-record value of the function's own record): it gets a
 * register of its own, written by that read only, so that once the read has run on
 * every path to a point the register holds its value there and the read is not emitted
 * again. */
#define MAX_KEYS 64
typedef struct read_key { uint8_t kind; int32_t ref; } read_key;

typedef struct cc {
    dc_program *p;
    const dc_ruleset *rs;
    uint32_t base, sp, max;    /* the current function's registers: base + [0, max) */
    int32_t frame_reg[DC_MAX_FRAMES];
    int32_t k_true, k_false;
    int32_t own_rec;           /* per-record function: its record's register, else -1 */
    read_key keys[MAX_KEYS];   /* the function's repeated reads … */
    int32_t key_reg[MAX_KEYS]; /* … their registers */
    uint32_t n_keys;
    /* Which keys hold their value: at the code being emitted (`avail`, meaningful when
     * `live`: the point is reachable by falling through), and at each forward jump
     * (`jmask`, by instruction). At a label the keys are those of every way in. Along
     * any run the set only grows (a key's register is written by its read alone), so a
     * loop head keeps the set of the way into the loop. */
    uint64_t avail;
    bool live;
    uint64_t *jmask;
    uint32_t cap_jmask;
    /* Inlining: a computed value read at one place only (dc_computed.reads, counted by
     * the checker) is compiled in place, if that place runs at most once for each of its
     * records (see inlinable). */
    uint8_t *inlining;         /* [n_computeds]: being compiled in place */
    int loops;                 /* aggregation loops around the code being emitted */
    int loop_frame;            /* the innermost one's record frame */
    bool traced;               /* building the traced program: no inlining, trace ops */
    int checking;              /* > 0: in a level's checks of later rules (no APPLY) */
    bool norule;               /* compiling the function's own rules (not a value compiled in
                                  place) in the untraced program: see no_rule */
} cc;

#define DATE_REG 0
#define RESULT_REG 1   /* where the outermost call returns */

static uint32_t emit(cc *k, int op, int t, int x, int32_t a, int32_t b, int32_t c)
{
    dc_program *p = k->p;
    insn *code = dc_grow(p->code, &p->cap_code, p->n_code, sizeof *code, 256);
    if (!code) { p->failed = 1; return 0; }
    p->code = code;
    insn *i = &p->code[p->n_code];
    i->op = (uint8_t)op;
    i->t = (uint8_t)t;
    i->x = (uint16_t)x;
    i->a = a;
    i->b = b;
    i->c = c;
    return p->n_code++;
}

/* Literal registers are numbered -1, -2, … while building and moved after the
 * functions' registers at the end (finish()). Equal literals share a register. */
static int32_t konst(cc *k, dc_value v)
{
    dc_program *p = k->p;
    for (uint32_t i = 0; i < p->n_consts; i++) {
        const dc_value *c = &p->consts[i];
        if (c->type == v.type && c->known == v.known && c->aux == v.aux &&
            memcmp(&c->u, &v.u, sizeof v.u) == 0)
            return -1 - (int32_t)i;
    }
    dc_value *consts = dc_grow(p->consts, &p->cap_consts, p->n_consts, sizeof *consts, 32);
    if (!consts) { p->failed = 1; return -1; }
    p->consts = consts;
    p->consts[p->n_consts] = v;
    return -1 - (int32_t)p->n_consts++;
}

static int32_t reg(cc *k)
{
    int32_t r = (int32_t)(k->base + k->sp++);
    if (k->sp > k->max) k->max = k->sp;
    return r;
}

static void mov(cc *k, int32_t to, int32_t from)
{
    if (to != from) emit(k, OP_MOV, 0, 0, to, from, 0);
}

/* Jumps whose target is not known yet are chained through their b field (-1 ends the
 * chain) and landed together. */
static void jump(cc *k, int op, int t, int x, int32_t a, int32_t c, int32_t *chain)
{
    uint32_t j = emit(k, op, t, x, a, *chain, c);
    if (k->p->failed) return;
    *chain = (int32_t)j;
    if (j >= k->cap_jmask) {
        uint32_t cap = k->cap_jmask ? k->cap_jmask * 2 : 256;
        while (cap <= j) cap *= 2;
        uint64_t *n = realloc(k->jmask, cap * sizeof *n);
        if (!n) { k->p->failed = 1; return; }
        k->jmask = n;
        k->cap_jmask = cap;
    }
    k->jmask[j] = k->live ? k->avail : ~UINT64_C(0);
    if (op == OP_JMP) k->live = false;
}

/* An instruction after which the next one is reached only by a jump. */
static void stop(cc *k, int op)
{
    emit(k, op, 0, 0, 0, 0, 0);
    k->live = false;
}

/* Lands a chain of forward jumps here: what every way in has. */
static void land(cc *k, int32_t chain)
{
    uint64_t in = k->live ? k->avail : ~UINT64_C(0);
    while (chain >= 0 && !k->p->failed) {
        int32_t next = k->p->code[chain].b;
        in &= k->jmask[chain];
        k->live = true;
        k->p->code[chain].b = (int32_t)k->p->n_code;
        chain = next;
    }
    k->avail = in;
}

#define ANY INT32_MIN   /* no preferred destination register */

static int32_t dest(cc *k, int32_t want) { return want != ANY ? want : reg(k); }

/* The register a parameter is read from without an instruction (see dc_program), or ANY. */
static int32_t param_reg(const cc *k, int32_t param) { return k->p->preg ? k->p->preg[param] : ANY; }

/* The type every value of e has at run time, or -1 when it may vary (an if/then/else
 * whose branches differ, a negation, a min/max over an aggregation). A computed value's
 * is its declared type (RET converts), a fact's or a parameter's is the declared type
 * (the case readers and the loader parse them as such), an operation's is the type the
 * checker gave the node (ops.c builds its results with that type). */
static int exact_type(const dc_ruleset *rs, const dc_expr *e)
{
    switch ((dc_expr_kind)e->kind) {
    case DC_E_LITERAL: return e->lit.type;
    case DC_E_INPUT: case DC_E_FIELD: return rs->inputs[e->ref].type;
    case DC_E_PARAM: return rs->params[e->ref].type;
    case DC_E_COMPUTED: case DC_E_RECORD_COMPUTED: return rs->computeds[e->ref].type;
    case DC_E_EVAL_DATE: return DC_T_DATE;
    case DC_E_POSITION: return DC_T_INT;
    case DC_E_BINARY: return e->op == DC_OP_ADD || e->op == DC_OP_SUB || e->op == DC_OP_MUL ||
                             e->op == DC_OP_DIV ? e->type : DC_T_BOOL;
    case DC_E_UNARY: return e->op == DC_UN_NOT ? DC_T_BOOL : -1;
    case DC_E_IN: return DC_T_BOOL;
    case DC_E_IF: {
        int t = exact_type(rs, e->b);
        return t == exact_type(rs, e->c) ? t : -1;
    }
    case DC_E_CALL: return e->type;
    case DC_E_AGG:
        if (e->op == DC_AGG_AMIN || e->op == DC_AGG_AMAX) {
            int t = exact_type(rs, e->b);
            return t == e->type ? t : -1;
        }
        return e->type;
    default: return -1;
    }
}

/* Whether values of types ta and tb order as their payloads do (dc_op_compare). */
static bool payload_ordered(int ta, int tb)
{
    bool decimalish = dc_type_decimalish(ta) && dc_type_decimalish(tb);
    return decimalish || (ta == tb && ta >= 0 && ta != DC_T_TEXT && ta != DC_T_DURATION && ta != DC_T_LIST);
}

static int32_t expr_in(cc *k, const dc_expr *e, int32_t want);
static int32_t inline_body(cc *k, const dc_expr *e, int32_t want);
static int32_t expr(cc *k, const dc_expr *e) { return expr_in(k, e, ANY); }
static void expr_to(cc *k, const dc_expr *e, int32_t to) { mov(k, to, expr_in(k, e, to)); }

/* The comparison that holds exactly when op does not, and the one that holds with the
 * operands exchanged. */
static const uint8_t negated[] = { [DC_OP_EQ] = DC_OP_NE, [DC_OP_NE] = DC_OP_EQ, [DC_OP_LT] = DC_OP_GE,
                                   [DC_OP_LE] = DC_OP_GT, [DC_OP_GT] = DC_OP_LE, [DC_OP_GE] = DC_OP_LT };
static const uint8_t swapped[] = { [DC_OP_EQ] = DC_OP_EQ, [DC_OP_NE] = DC_OP_NE, [DC_OP_LT] = DC_OP_GT,
                                   [DC_OP_LE] = DC_OP_GE, [DC_OP_GT] = DC_OP_LT, [DC_OP_GE] = DC_OP_LE };

/* A jump onto *chain taken when (R[a] op R[b]) == when; `payloads` when the two order
 * as their payloads (one compare instruction, the operator turned round for false). */
static void compare_jump(cc *k, dc_binop op, bool when, int32_t a, int32_t b, bool payloads, int32_t *chain)
{
    if (!payloads) { jump(k, OP_JCMP, op, when, a, b, chain); return; }
    if (!when) op = (dc_binop)negated[op];
    jump(k, OP_JEQ + (op - DC_OP_EQ), 0, 0, a, b, chain);
}

/* Emits jumps onto *chain taken when the (bool) value of e is `when`; falls through
 * otherwise. and/or keep their order and short-circuit; comparisons jump directly. */
static void branch(cc *k, const dc_expr *e, bool when, int32_t *chain)
{
    uint32_t mark = k->sp;
    if (e->kind == DC_E_BINARY && (e->op == DC_OP_AND || e->op == DC_OP_OR)) {
        bool dominant = e->op == DC_OP_OR;   /* the value that decides alone */
        if (when == dominant) {
            branch(k, e->a, when, chain);
            branch(k, e->b, when, chain);
        } else {
            int32_t decided = -1;
            branch(k, e->a, dominant, &decided);
            branch(k, e->b, when, chain);
            land(k, decided);
        }
    } else if (e->kind == DC_E_UNARY && e->op == DC_UN_NOT) {
        branch(k, e->a, !when, chain);
    } else if (e->kind == DC_E_BINARY && e->op >= DC_OP_EQ && e->op <= DC_OP_GE) {
        int32_t a = expr(k, e->a), b = expr(k, e->b);
        compare_jump(k, (dc_binop)e->op, when, a, b, payload_ordered(exact_type(k->rs, e->a), exact_type(k->rs, e->b)), chain);
    } else if (e->kind == DC_E_LITERAL) {
        if ((e->lit.u.i != 0) == when) jump(k, OP_JMP, 0, 0, 0, 0, chain);
    } else {
        jump(k, when ? OP_JT : OP_JF, 0, 0, expr(k, e), 0, chain);
    }
    k->sp = mark;
}

/* The instruction for the arithmetic e: one of the typed ones when the operands' types
 * are known and ops.c would take that way for them (dc_op_arith), else ARITH. */
static int arith_op(const dc_ruleset *rs, const dc_expr *e)
{
    int ta = exact_type(rs, e->a), tb = exact_type(rs, e->b), rt = e->type;
    bool da = dc_type_decimalish(ta), db = dc_type_decimalish(tb), drt = dc_type_decimalish(rt);
    if ((e->op == DC_OP_ADD || e->op == DC_OP_SUB) &&
        (((rt == DC_T_INT || rt == DC_T_MONEY) && ta == rt && tb == rt) || (drt && da && db)))
        return e->op == DC_OP_ADD ? OP_IADD : OP_ISUB;
    if (e->op == DC_OP_MUL && drt && ((ta == DC_T_MONEY && db) || (tb == DC_T_MONEY && da))) return OP_MULMD;
    bool ia = ta == DC_T_INT || ta == DC_T_MONEY, ib = tb == DC_T_INT || tb == DC_T_MONEY;
    if (e->op == DC_OP_MUL && ((drt && ((ta == DC_T_INT && db) || (tb == DC_T_INT && da))) ||
                               ((rt == DC_T_INT || rt == DC_T_MONEY) && ia && ib)))
        return OP_IMUL;
    if (e->op == DC_OP_DIV && drt && da && tb == DC_T_INT) return OP_DIVDI;
    return OP_ARITH;
}

/* The builder's state while it compiles the rules of the value e reads in place
 * (inline_body) or looks through them (hoist_reads): frame 0 is the record e names, the
 * value is marked as being compiled in place, and a level of its rules where no rule
 * applies is a plain stop (it has no memo cell of its own here, see no_rule). */
typedef struct in_place {
    int32_t frame_reg[DC_MAX_FRAMES];
    bool norule;
} in_place;

static void enter_in_place(cc *k, const dc_expr *e, in_place *saved)
{
    memcpy(saved->frame_reg, k->frame_reg, sizeof saved->frame_reg);
    saved->norule = k->norule;
    if (k->rs->computeds[e->ref].entity >= 0) k->frame_reg[0] = k->frame_reg[e->frame];
    k->inlining[e->ref] = 1;
    k->norule = false;
}

static void leave_in_place(cc *k, const dc_expr *e, const in_place *saved)
{
    memcpy(k->frame_reg, saved->frame_reg, sizeof saved->frame_reg);
    k->norule = saved->norule;
    k->inlining[e->ref] = 0;
}

static int find_key(const cc *k, const dc_expr *e);
static int32_t keyed_read(cc *k, const dc_expr *e);
static void hoist_reads(cc *k, const dc_expr *e);
static const dc_expr *leaf_of(const cc *k, const dc_expr *e);

/* Emits, before a loop, the keyed reads in e that do not depend on the loop's records
 * (key_here: the function's own record, or no record), so that the loop's body finds
 * them in their registers. A read moved out of the loop may run when the loop would not
 * have run it: if it stops, the reference evaluator decides, as for any stop. */
static void hoist_rule_reads(cc *k, const dc_rule *rules, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        hoist_reads(k, rules[i].cond);
        hoist_reads(k, rules[i].then);
        hoist_rule_reads(k, rules[i].exceptions, rules[i].n_exceptions);
    }
}

static void hoist_reads(cc *k, const dc_expr *e)
{
    if (!e) return;
    switch ((dc_expr_kind)e->kind) {
    case DC_E_INPUT: case DC_E_FIELD: case DC_E_PARAM: case DC_E_COMPUTED: case DC_E_RECORD_COMPUTED: {
        if (find_key(k, e) >= 0) { keyed_read(k, e); return; }
        const dc_computed *g = &k->rs->computeds[e->ref];
        if ((e->kind != DC_E_COMPUTED && e->kind != DC_E_RECORD_COMPUTED) || g->reads != 1 || leaf_of(k, e) ||
            k->inlining[e->ref])
            return;
        /* a value compiled in place: its reads */
        in_place saved;
        enter_in_place(k, e, &saved);
        hoist_rule_reads(k, g->rules, g->n_rules);
        if (g->otherwise) hoist_reads(k, g->otherwise->then);
        leave_in_place(k, e, &saved);
        return;
    }
    default: break;
    }
    hoist_reads(k, e->a);
    hoist_reads(k, e->b);
    hoist_reads(k, e->c);
    for (uint32_t i = 0; i < e->nargs; i++) hoist_reads(k, e->args[i]);
}

static int32_t agg(cc *k, const dc_expr *e, int32_t want)
{
    dc_agg op = (dc_agg)e->op;
    int ent = e->ref;
    int32_t res = dest(k, want), ri = reg(k), have = -1;
    if (e->frame < DC_MAX_FRAMES) k->frame_reg[e->frame] = ri;
    if (!k->traced) {
        hoist_reads(k, e->a);
        hoist_reads(k, e->b);
    }
    if (op == DC_AGG_COUNT || op == DC_AGG_SUM) mov(k, res, konst(k, dc_v_make((dc_type_kind)e->type, 0)));
    if (op == DC_AGG_AMIN || op == DC_AGG_AMAX) { have = reg(k); mov(k, have, k->k_false); }
    /* the loop's test at its bottom: one jump per record */
    int32_t done = -1, decided = -1, next = -1;
    jump(k, OP_AGGBEGIN, 0, ent, ri, 0, &done);
    uint32_t body = k->p->n_code;
    int saved_frame = k->loop_frame;
    k->loops++;
    k->loop_frame = e->frame;
    if (e->a) branch(k, e->a, false, &next);   /* filtered out */
    switch (op) {
    case DC_AGG_COUNT: emit(k, OP_INC, 0, 0, res, 0, 0); break;
    case DC_AGG_SUM: emit(k, OP_SUM, 0, e->type, res, expr(k, e->b), 0); break;
    case DC_AGG_ANY:
        if (e->b) branch(k, e->b, true, &decided);
        else jump(k, OP_JMP, 0, 0, 0, 0, &decided);
        break;
    case DC_AGG_ALL: if (e->b) branch(k, e->b, false, &decided); break;
    case DC_AGG_AMIN: case DC_AGG_AMAX: emit(k, OP_AMM, op, 0, res, expr(k, e->b), have); break;
    default: stop(k, OP_BAIL); break;
    }
    land(k, next);
    k->loops--;
    k->loop_frame = saved_frame;
    emit(k, OP_AGGLOOP, 0, ent, ri, (int32_t)body, 0);
    land(k, done);
    if (op == DC_AGG_ANY || op == DC_AGG_ALL) {
        /* ran out of records: any is false, all is true; decided: the opposite */
        mov(k, res, op == DC_AGG_ANY ? k->k_false : k->k_true);
        int32_t end = -1;
        jump(k, OP_JMP, 0, 0, 0, 0, &end);
        land(k, decided);
        mov(k, res, op == DC_AGG_ANY ? k->k_true : k->k_false);
        land(k, end);
    }
    if (have >= 0) emit(k, OP_NEED, 0, 0, have, 0, 0);
    return res;
}

static int32_t call(cc *k, const dc_expr *e, int32_t want)
{
    dc_func f = (dc_func)e->op;
    uint32_t mark = k->sp;
    if (f == DC_FN_MIN || f == DC_FN_MAX) {
        int32_t res = dest(k, want);
        uint32_t inner = k->sp;
        expr_to(k, e->args[0], res);
        for (uint32_t i = 1; i < e->nargs; i++) {
            emit(k, OP_MINMAX, f, 0, res, expr(k, e->args[i]), 0);
            k->sp = inner;
        }
        emit(k, OP_MMEND, 0, e->type, res, 0, 0);
        return res;
    }
    uint32_t n = e->nargs < 2 ? e->nargs : 2;
    int32_t a0 = n > 0 ? expr(k, e->args[0]) : k->k_false;
    int32_t a1 = n > 1 ? expr(k, e->args[1]) : a0;
    k->sp = mark;
    int32_t res = dest(k, want);
    int t0 = n > 0 ? exact_type(k->rs, e->args[0]) : -1;
    if (f == DC_FN_ROUND_CENT && n == 1 && dc_type_decimalish(t0))
        emit(k, OP_RCENT, 0, e->type, res, a0, 0);
    else if (f == DC_FN_AGE_AT && n == 2)
        emit(k, OP_AGE, 0, e->type, res, a0, a1);
    else
        emit(k, OP_FUNC, f, (int)(e->type | n << 8), res, a0, a1);
    return res;
}

/* A rule that applies whatever the case and the date. */
static bool always(const dc_rule *r)
{
    return !r->cond && r->valid_from == DC_NO_DATE_FROM && r->valid_to == DC_NO_DATE_TO;
}

/* A computed value defined as a bare read (a literal, an input, a field of its own
 * record, a parameter, the position, the date) of its declared type is read in place
 * rather than called: same value, no call, no memo. That read (whose record, for a
 * per-record value, is the one e names), or NULL. */
static const dc_expr *leaf_of(const cc *k, const dc_expr *e)
{
    const dc_computed *cv = &k->rs->computeds[e->ref];
    if (cv->n_rules != 1 || cv->rules[0].n_exceptions || !always(&cv->rules[0])) return NULL;
    const dc_expr *v = cv->rules[0].then;
    dc_type_kind t;
    switch ((dc_expr_kind)v->kind) {
    case DC_E_LITERAL: t = (dc_type_kind)v->lit.type; break;
    case DC_E_INPUT: t = k->rs->inputs[v->ref].type; break;
    case DC_E_PARAM: t = k->rs->params[v->ref].type; break;
    case DC_E_EVAL_DATE: t = DC_T_DATE; break;
    case DC_E_FIELD: case DC_E_POSITION:
        if (cv->entity < 0 || v->frame != 0) return NULL;
        t = v->kind == DC_E_POSITION ? DC_T_INT : k->rs->inputs[v->ref].type;
        break;
    default: return NULL;
    }
    return t == cv->type ? v : NULL;
}

/* e read in place (see leaf_of), or ANY. */
static int32_t inline_leaf(cc *k, const dc_expr *e, int32_t want)
{
    const dc_expr *v = leaf_of(k, e);
    if (!v) return ANY;
    int32_t saved = k->frame_reg[0];
    if (k->rs->computeds[e->ref].entity >= 0) k->frame_reg[0] = k->frame_reg[e->frame];   /* the record read */
    int32_t res = expr_in(k, v, want);
    k->frame_reg[0] = saved;
    return res;
}

/* ---- repeated reads (see read_key) */

/* The key of a read as the builder meets it: its record must be the function's own
 * (its register, so that a read in place of another record's value is not taken for
 * one of the own record's). */
static bool key_here(const cc *k, const dc_expr *e, read_key *key)
{
    switch ((dc_expr_kind)e->kind) {
    case DC_E_INPUT: case DC_E_PARAM: case DC_E_COMPUTED: break;
    case DC_E_FIELD: case DC_E_RECORD_COMPUTED:
        if (k->own_rec < 0 || k->frame_reg[e->frame] != k->own_rec) return false;
        break;
    default: return false;
    }
    key->kind = e->kind;
    key->ref = e->ref;
    return true;
}

static int find_key(const cc *k, const dc_expr *e)
{
    read_key key;
    if (!key_here(k, e, &key)) return -1;
    for (uint32_t i = 0; i < k->n_keys; i++)
        if (k->keys[i].kind == key.kind && k->keys[i].ref == key.ref) return (int)i;
    return -1;
}

typedef struct key_count { read_key key; uint32_t n; } key_count;
enum { MAX_COUNTED = 256 };

static void count_key(key_count *seen, uint32_t *n_seen, uint8_t kind, int32_t ref)
{
    for (uint32_t i = 0; i < *n_seen; i++)
        if (seen[i].key.kind == kind && seen[i].key.ref == ref) { seen[i].n++; return; }
    if (*n_seen < MAX_COUNTED) seen[(*n_seen)++] = (key_count){ { kind, ref }, 1 };
}

static void count_rule_reads(const cc *k, const dc_rule *rules, uint32_t n, bool own0, key_count *seen,
                             uint32_t *n_seen);

/* Counts the reads of e as key_here will see them (own0: frame 0 is the function's own
 * record), the reads of the values compiled in place included. A count only chooses
 * which reads get a register: key_here decides, exactly, which read is which. */
static void count_reads(const cc *k, const dc_expr *e, bool own0, key_count *seen, uint32_t *n_seen)
{
    if (!e) return;
    bool own = own0 && e->frame == 0;
    switch ((dc_expr_kind)e->kind) {
    case DC_E_INPUT: count_key(seen, n_seen, e->kind, e->ref); return;
    case DC_E_PARAM: if (param_reg(k, e->ref) == ANY) count_key(seen, n_seen, e->kind, e->ref); return;
    case DC_E_FIELD: if (own) count_key(seen, n_seen, e->kind, e->ref); return;
    case DC_E_COMPUTED: case DC_E_RECORD_COMPUTED: {
        const dc_computed *g = &k->rs->computeds[e->ref];
        const dc_expr *v = leaf_of(k, e);
        if (!v && g->reads == 1 && !k->traced) {
            /* compiled in place (if inlinable then): its reads are this function's;
             * its frame 0 is its own record, the one e names */
            bool inner = g->entity >= 0 && own;
            count_rule_reads(k, g->rules, g->n_rules, inner, seen, n_seen);
            if (g->otherwise) count_reads(k, g->otherwise->then, inner, seen, n_seen);
        } else if (!v) {
            if (e->kind == DC_E_COMPUTED || own) count_key(seen, n_seen, e->kind, e->ref);
        } else if (v->kind == DC_E_INPUT || (v->kind == DC_E_PARAM && param_reg(k, v->ref) == ANY)) {
            count_key(seen, n_seen, v->kind, v->ref);
        } else if (v->kind == DC_E_FIELD && (e->kind == DC_E_COMPUTED || own)) {
            count_key(seen, n_seen, v->kind, v->ref);
        }
        return;
    }
    default: break;
    }
    if (e->kind == DC_E_AGG && !k->traced) {
        /* a read in a loop runs once per record: worth a register of its own (agg reads
         * the ones that do not depend on the loop's record before the loop) */
        count_reads(k, e->a, own0, seen, n_seen);
        count_reads(k, e->b, own0, seen, n_seen);
    }
    count_reads(k, e->a, own0, seen, n_seen);
    count_reads(k, e->b, own0, seen, n_seen);
    count_reads(k, e->c, own0, seen, n_seen);
    for (uint32_t i = 0; i < e->nargs; i++) count_reads(k, e->args[i], own0, seen, n_seen);
}

static void count_rule_reads(const cc *k, const dc_rule *rules, uint32_t n, bool own0, key_count *seen,
                             uint32_t *n_seen)
{
    for (uint32_t i = 0; i < n; i++) {
        count_reads(k, rules[i].cond, own0, seen, n_seen);
        count_reads(k, rules[i].then, own0, seen, n_seen);
        count_rule_reads(k, rules[i].exceptions, rules[i].n_exceptions, own0, seen, n_seen);
    }
}

/* A keyed read: its register when its value is there already (nothing emitted), else
 * the read emitted into that register. ANY when e is not one of the function's keys. */
/* R[res] = the input, field, parameter or computed value e. */
static void emit_read(cc *k, const dc_expr *e, int32_t res)
{
    const dc_input *in = e->kind == DC_E_INPUT || e->kind == DC_E_FIELD ? &k->rs->inputs[e->ref] : NULL;
    bool t = k->traced;
    switch ((dc_expr_kind)e->kind) {
    case DC_E_INPUT: emit(k, t ? OP_TINPUT : OP_INPUT, 0, in->max_is_eval_date, res, (int32_t)in->slot, e->ref); break;
    case DC_E_FIELD:
        emit(k, t ? OP_TFIELD : OP_FIELD, in->max_is_eval_date, in->entity, res, (int32_t)in->slot,
             k->frame_reg[e->frame]);
        break;
    case DC_E_PARAM: emit(k, t ? OP_TPARAM : OP_PARAM, 0, 0, res, e->ref, 0); break;
    case DC_E_COMPUTED: emit(k, t ? OP_TCALL : OP_CALL, 0, 0, res, e->ref, 0); break;
    default:
        emit(k, t ? OP_TCALLREC : OP_CALLREC, 0, (int)k->rs->n_record_computeds[k->rs->computeds[e->ref].entity],
             res, e->ref, k->frame_reg[e->frame]);
        break;
    }
}

static int32_t keyed_read(cc *k, const dc_expr *e)
{
    int i = find_key(k, e);
    if (i < 0) return ANY;
    if (k->live && (k->avail >> i & 1)) return k->key_reg[i];
    emit_read(k, e, k->key_reg[i]);
    k->avail |= UINT64_C(1) << i;
    return k->key_reg[i];
}

/* The register holding e's value: `want` when given and the value is computed, a
 * literal's own register, or a fresh one. */
static int32_t expr_in(cc *k, const dc_expr *e, int32_t want)
{
    uint32_t mark = k->sp;
    int32_t res, a, b;
    switch ((dc_expr_kind)e->kind) {
    case DC_E_LITERAL: return konst(k, e->lit);
    case DC_E_EVAL_DATE: return DATE_REG;
    case DC_E_INPUT: case DC_E_FIELD: case DC_E_PARAM: case DC_E_COMPUTED: case DC_E_RECORD_COMPUTED:
        if (e->kind == DC_E_PARAM && (res = param_reg(k, e->ref)) != ANY) return res;
        if ((e->kind == DC_E_COMPUTED || e->kind == DC_E_RECORD_COMPUTED) && !k->traced &&
            ((res = inline_leaf(k, e, want)) != ANY || (res = inline_body(k, e, want)) != ANY))
            return res;
        if ((res = keyed_read(k, e)) != ANY) return res;
        res = dest(k, want);
        emit_read(k, e, res);
        return res;
    case DC_E_POSITION:
        res = dest(k, want);
        emit(k, OP_POS, 0, 0, res, k->frame_reg[e->frame], 0);
        return res;
    case DC_E_UNARY:
        a = expr(k, e->a);
        k->sp = mark;
        res = dest(k, want);
        emit(k, e->op == DC_UN_NOT ? OP_NOT : OP_NEG, 0, 0, res, a, 0);
        return res;
    case DC_E_BINARY:
        if (e->op == DC_OP_AND || e->op == DC_OP_OR) {
            /* the first operand decides alone when it is the dominant value */
            res = dest(k, want);
            int32_t end = -1;
            expr_to(k, e->a, res);
            jump(k, e->op == DC_OP_OR ? OP_JT : OP_JF, 0, 0, res, 0, &end);
            expr_to(k, e->b, res);
            land(k, end);
            k->sp = want != ANY ? mark : mark + 1;
            return res;
        }
        a = expr(k, e->a);
        b = expr(k, e->b);
        k->sp = mark;
        res = dest(k, want);
        if (e->op >= DC_OP_EQ && e->op <= DC_OP_GE) emit(k, OP_CMP, e->op, 0, res, a, b);
        else emit(k, arith_op(k->rs, e), e->op, e->type, res, a, b);
        return res;
    case DC_E_IF: {
        res = dest(k, want);
        int32_t no = -1, end = -1;
        branch(k, e->a, false, &no);
        expr_to(k, e->b, res);
        jump(k, OP_JMP, 0, 0, 0, 0, &end);
        land(k, no);
        expr_to(k, e->c, res);
        land(k, end);
        k->sp = want != ANY ? mark : mark + 1;
        return res;
    }
    case DC_E_IN: {
        res = dest(k, want);
        uint32_t after = k->sp;
        a = expr(k, e->a);
        uint32_t inner = k->sp;
        int32_t hits = -1, end = -1;
        int ta = exact_type(k->rs, e->a);
        for (uint32_t i = 0; i < e->nargs; i++) {
            compare_jump(k, DC_OP_EQ, true, a, expr(k, e->args[i]), payload_ordered(ta, exact_type(k->rs, e->args[i])), &hits);
            k->sp = inner;
        }
        mov(k, res, k->k_false);
        jump(k, OP_JMP, 0, 0, 0, 0, &end);
        land(k, hits);
        mov(k, res, k->k_true);
        land(k, end);
        k->sp = after;
        return res;
    }
    case DC_E_CALL: return call(k, e, want);
    case DC_E_AGG: {
        res = dest(k, want);
        agg(k, e, res);
        k->sp = want != ANY ? mark : mark + 1;
        return res;
    }
    default:
        /* not a value the program computes: the reference evaluator reports it */
        stop(k, OP_BAIL);
        return k->k_false;
    }
}

static int32_t level(cc *k, const dc_rule *rules, uint32_t n, const dc_rule *fallback, int32_t want);

/* Traced program: the rule whose value the function takes (not in a level's checks). */
static void apply(cc *k, const dc_rule *r)
{
    if (!k->traced || k->checking) return;
    bool otherwise = k->rs->computeds[r->owner].otherwise == r;
    emit(k, OP_APPLY, 0, otherwise ? DC_HOW_OTHERWISE : DC_HOW_RULE, (int32_t)r->index, 0, 0);
}

/* A rule's value: its `then`, or its exceptions with the rule itself as fallback. */
static int32_t rule_value(cc *k, const dc_rule *r, int32_t want)
{
    if (r->n_exceptions) return level(k, r->exceptions, r->n_exceptions, r, want);
    apply(k, r);
    return expr_in(k, r->then, want);
}

/* Lands a rule's jumps taken when its condition is false (`skip`: recorded as such in
 * a full trace) and when it is not in force (`off`: not recorded), as the reference
 * evaluator records them. */
static void land_skip(cc *k, const dc_rule *r, int32_t skip, int32_t off)
{
    if (k->traced && skip >= 0) {
        int32_t past = -1;   /* the way that got here otherwise (the rule applied) */
        if (k->live) jump(k, OP_JMP, 0, 0, 0, 0, &past);
        land(k, skip);
        emit(k, OP_TSKIP, 0, 0, (int32_t)r->index, 0, 0);
        land(k, past);
    } else {
        land(k, skip);
    }
    land(k, off);
}

/* The fallback's value (a parent rule's own value, or the otherwise). */
static void fallback_to(cc *k, const dc_rule *fallback, int32_t res)
{
    apply(k, fallback);
    expr_to(k, fallback->then, res);
}

/* Jumps onto *chain when the rule is not in force at the evaluation date. */
static void in_force(cc *k, const dc_rule *r, int32_t *chain)
{
    if (r->valid_from == DC_NO_DATE_FROM && r->valid_to == DC_NO_DATE_TO) return;
    jump(k, OP_INFORCE, 0, 0, r->valid_from, r->valid_to, chain);
}

/* ---- rules that exclude each other (see excluded) */

/* e's first conjunct: what an `and` chain evaluates first. */
static const dc_expr *first_conjunct(const dc_expr *e)
{
    while (e->kind == DC_E_BINARY && e->op == DC_OP_AND) e = e->a;
    return e;
}

/* Whether a being true makes b false, on known values, as their syntax shows: the same
 * operands compared both ways (x < y and x ≥ y, or y ≤ x; = and ≠), one equal to a
 * literal and the other to another literal of its type, or e and not e. */
static bool contradicts(const dc_expr *a, const dc_expr *b)
{
    if (b->kind == DC_E_UNARY && b->op == DC_UN_NOT && dc_expr_equal(b->a, a)) return true;
    if (a->kind == DC_E_UNARY && a->op == DC_UN_NOT && dc_expr_equal(a->a, b)) return true;
    if (a->kind != DC_E_BINARY || b->kind != DC_E_BINARY || a->op < DC_OP_EQ || a->op > DC_OP_GE ||
        b->op < DC_OP_EQ || b->op > DC_OP_GE)
        return false;
    if (dc_expr_equal(a->a, b->a) && dc_expr_equal(a->b, b->b) && b->op == negated[a->op]) return true;
    if (dc_expr_equal(a->a, b->b) && dc_expr_equal(a->b, b->a) && b->op == negated[swapped[a->op]]) return true;
    return a->op == DC_OP_EQ && b->op == DC_OP_EQ && dc_expr_equal(a->a, b->a) && a->b->kind == DC_E_LITERAL &&
           b->b->kind == DC_E_LITERAL && a->b->lit.type == b->b->lit.type && a->b->lit.type != DC_T_TEXT &&
           a->b->enum_of == b->b->enum_of && !dc_value_equal(a->b->lit, b->b->lit);
}

/* Whether a true condition a makes b false: b's first conjunct contradicts one of a's
 * conjuncts (a true: each of them was evaluated, true). */
static bool cond_excludes(const dc_expr *a, const dc_expr *b)
{
    if (a->kind == DC_E_BINARY && a->op == DC_OP_AND) return cond_excludes(a->a, b) || cond_excludes(a->b, b);
    return contradicts(a, first_conjunct(b));
}

/* Whether rule i of a level cannot apply once any earlier rule has: its condition's first
 * conjunct contradicts a conjunct of each earlier condition. The program then does not
 * check it for agreement after the search (the untraced program only: a full trace
 * records the rule as not applying). It is what the reference evaluator finds: it
 * evaluates that first conjunct, from the same known values, false, and goes no further
 * in that condition. Bracketed rules (x < a; x ≥ a and x < b; …) are the common case. */
static bool excluded(const dc_rule *rules, uint32_t i)
{
    if (!rules[i].cond) return false;
    for (uint32_t q = 0; q < i; q++)
        if (!rules[q].cond || !cond_excludes(rules[q].cond, rules[i].cond)) return false;
    return true;
}

/* No rule of a level without fallback applies: the value is unknown; a BAIL that says so
 * (a = 1) for the function's own rules (see cc.norule). */
static void no_rule(cc *k)
{
    emit(k, OP_BAIL, 0, 0, k->norule, 0, 0);
    k->live = false;
}

static int32_t level(cc *k, const dc_rule *rules, uint32_t n, const dc_rule *fallback, int32_t want)
{
    if (n == 1 && always(&rules[0]))
        return rule_value(k, &rules[0], want);   /* a plain definition: the fallback is unreachable */
    uint32_t mark = k->sp;
    int32_t res = dest(k, want), end = -1;
    uint32_t after = k->sp;
    if (n == 1) {
        /* one rule (the common shape): no candidate bookkeeping */
        int32_t skip = -1, off = -1;
        in_force(k, &rules[0], &off);
        if (rules[0].cond) branch(k, rules[0].cond, false, &skip);
        mov(k, res, rule_value(k, &rules[0], res));
        jump(k, OP_JMP, 0, 0, 0, 0, &end);
        land_skip(k, &rules[0], skip, off);
        k->sp = after;
        if (fallback) fallback_to(k, fallback, res);
        else no_rule(k);
        land(k, end);
        k->sp = after;
        return res;
    }
    /* Several rules: the first that applies gives the value (search), and each later one
     * that applies must give the same value (check); the checks are shared by every
     * search exit (rule i jumps into them at rule i + 1). Rules are tried in order,
     * each once. */
    int32_t *into = malloc(n * sizeof *into);
    if (!into) { k->p->failed = 1; return res; }
    for (uint32_t i = 0; i < n; i++) into[i] = -1;
    for (uint32_t i = 0; i < n; i++) {
        int32_t skip = -1, off = -1;
        in_force(k, &rules[i], &off);
        if (rules[i].cond) branch(k, rules[i].cond, false, &skip);
        mov(k, res, rule_value(k, &rules[i], res));
        jump(k, OP_JMP, 0, 0, 0, 0, i + 1 < n ? &into[i + 1] : &end);
        land_skip(k, &rules[i], skip, off);
        k->sp = after;
    }
    if (fallback) fallback_to(k, fallback, res);
    else no_rule(k);
    jump(k, OP_JMP, 0, 0, 0, 0, &end);
    k->checking++;
    for (uint32_t i = 1; i < n; i++) {
        land(k, into[i]);
        if (!k->traced && excluded(rules, i)) continue;   /* cannot apply after any earlier */
        int32_t skip = -1, off = -1;
        in_force(k, &rules[i], &off);
        if (rules[i].cond) branch(k, rules[i].cond, false, &skip);
        emit(k, OP_SAME, 0, 0, res, rule_value(k, &rules[i], ANY), 0);
        land_skip(k, &rules[i], skip, off);
        k->sp = after;
    }
    k->checking--;
    free(into);
    land(k, end);
    k->sp = want != ANY ? mark : mark + 1;
    return res;
}

/* Whether every value a level of rules can give has the type t at run time. */
static bool values_exact(const dc_ruleset *rs, const dc_rule *rules, uint32_t n, int t)
{
    for (uint32_t i = 0; i < n; i++)
        if (exact_type(rs, rules[i].then) != t || !values_exact(rs, rules[i].exceptions, rules[i].n_exceptions, t))
            return false;
    return true;
}

/* Whether every value g's rules and otherwise can give is of g's declared type. */
static bool computed_exact(const dc_ruleset *rs, const dc_computed *g)
{
    return values_exact(rs, g->rules, g->n_rules, (int)g->type) &&
           (!g->otherwise || exact_type(rs, g->otherwise->then) == (int)g->type);
}

/* Whether the read e of a computed value g can be compiled in place: g is read nowhere
 * else, and this place runs at most once per case (g top level) or once per record of
 * g's (per-record g: the function's own record outside any loop, or the record of the
 * only loop of a top-level function). So g is computed no more often than with a call
 * and its memo. */
static bool inlinable(const cc *k, const dc_expr *e)
{
    const dc_computed *g = &k->rs->computeds[e->ref];
    if (g->reads != 1 || k->inlining[e->ref]) return false;
    if (g->entity < 0) return k->own_rec < 0 && k->loops == 0;
    return k->loops == 0 || (k->loops == 1 && k->own_rec < 0 && e->frame == k->loop_frame);
}

/* g's rules compiled in place of a call (see inlinable), or ANY. */
static int32_t inline_body(cc *k, const dc_expr *e, int32_t want)
{
    if (!inlinable(k, e)) return ANY;
    const dc_computed *g = &k->rs->computeds[e->ref];
    in_place saved;
    enter_in_place(k, e, &saved);
    int32_t res = level(k, g->rules, g->n_rules, g->otherwise, want);
    leave_in_place(k, e, &saved);
    if (!computed_exact(k->rs, g)) {
        int32_t to = dest(k, want);
        mov(k, to, res);
        emit(k, OP_COERCE, 0, g->type, to, 0, 0);
        res = to;
    }
    return res;
}

static void function(cc *k, uint32_t ci)
{
    const dc_computed *cv = &k->rs->computeds[ci];
    fn_info *f = &k->p->fns[ci];
    k->base = k->p->n_fn_regs;
    k->sp = k->max = 0;
    f->entry = k->p->n_code;
    f->rec_reg = -1;
    if (cv->entity >= 0) f->rec_reg = k->frame_reg[0] = reg(k);
    k->own_rec = f->rec_reg;
    /* the reads made more than once get their registers first: never released */
    key_count seen[MAX_COUNTED];
    uint32_t n_seen = 0;
    bool own0 = k->own_rec >= 0;
    count_rule_reads(k, cv->rules, cv->n_rules, own0, seen, &n_seen);
    if (cv->otherwise) count_reads(k, cv->otherwise->then, own0, seen, &n_seen);
    k->n_keys = 0;
    for (uint32_t i = 0; i < n_seen && k->n_keys < MAX_KEYS; i++) {
        if (seen[i].n < 2) continue;
        k->keys[k->n_keys] = seen[i].key;
        k->key_reg[k->n_keys++] = reg(k);
    }
    k->avail = 0;
    k->live = true;
    k->norule = !k->traced;
    emit(k, k->traced ? OP_TRET : OP_RET, 0, cv->type, level(k, cv->rules, cv->n_rules, cv->otherwise, ANY), 0, 0);
    k->norule = false;
    k->p->n_fn_regs += k->max;
}

static bool is_jump(int op);

/* Moves the literal registers after the functions' registers, and makes every register
 * operand a byte offset into the register file, which the machine adds to its base
 * without scaling, and every jump target the distance in bytes from the jump to it (the
 * machine adds it to the jump's address). False when the file or the code is too large
 * for that. */
static bool finish(dc_program *p)
{
    p->n_regs = p->n_fn_regs + p->n_consts;
    if (p->n_regs > INT32_MAX / sizeof(dc_value) || p->n_code > INT32_MAX / sizeof(insn)) return false;
    for (uint32_t j = 0; j < p->n_preg; j++) {
        int32_t *r = &p->preg[p->preg_param[j]];
        *r = (int32_t)p->n_fn_regs + (-1 - *r);
    }
    for (uint32_t i = 0; i < p->n_code; i++) {
        insn *in = &p->code[i];
        uint8_t roles = op_roles[in->op];
        int32_t *ops[3] = { &in->a, &in->b, &in->c };
        for (int j = 0; j < 3; j++) {
            if (!(roles >> j & 1)) continue;
            if (*ops[j] < 0) *ops[j] = (int32_t)p->n_fn_regs + (-1 - *ops[j]);
            *ops[j] *= (int32_t)sizeof(dc_value);
        }
        if (is_jump(in->op)) in->b = (in->b - (int32_t)i) * (int32_t)sizeof(insn);
    }
    for (uint32_t ci = 0; ci < p->rs->n_computeds; ci++) p->fns[ci].start = p->code + p->fns[ci].entry;
    return true;
}

static int cmp_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The epochs, and the parameter registers of the untraced program (see dc_program).
 * False: out of memory, or too large a table. */
static bool param_epochs(cc *k)
{
    dc_program *p = k->p;
    const dc_ruleset *rs = k->rs;
    p->preg = malloc((rs->n_params + 1) * sizeof *p->preg);
    p->preg_param = malloc((rs->n_params + 1) * sizeof *p->preg_param);
    if (!p->preg || !p->preg_param) return false;
    for (uint32_t i = 0; i < rs->n_params; i++) p->preg[i] = ANY;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    size_t n_changes = 1;
    for (uint32_t i = 0; i < rs->n_params; i++) {
        const dc_param *pa = &rs->params[i];
        if (!pa->n_values) continue;
        if (pa->values[0].from < lo) lo = pa->values[0].from;
        if (pa->values[pa->n_values - 1].to > hi) hi = pa->values[pa->n_values - 1].to;
        n_changes += 2 * (size_t)pa->n_values;
    }
    if (lo > hi) return true;   /* no parameter value: no epoch, nothing in force */
    /* each day on which a parameter takes a value or loses it starts an epoch */
    p->epoch_from = malloc(n_changes * sizeof *p->epoch_from);
    if (!p->epoch_from) return false;
    uint32_t n = 0;
    p->epoch_from[n++] = lo;
    for (uint32_t i = 0; i < rs->n_params; i++)
        for (uint32_t v = 0; v < rs->params[i].n_values; v++) {
            const dc_param_value *pv = &rs->params[i].values[v];
            if (pv->from > lo) p->epoch_from[n++] = pv->from;
            if (pv->to < hi) p->epoch_from[n++] = pv->to + 1;
        }
    qsort(p->epoch_from, n, sizeof *p->epoch_from, cmp_day);
    uint32_t u = 0;
    for (uint32_t i = 0; i < n; i++)
        if (u == 0 || p->epoch_from[u - 1] != p->epoch_from[i]) p->epoch_from[u++] = p->epoch_from[i];
    if ((size_t)u * rs->n_params > EPOCH_TABLE_MAX) return false;   /* see dc_program */
    p->n_epochs = u;
    p->span_to = hi;
    p->epoch_values = malloc(((size_t)u * rs->n_params + 1) * sizeof *p->epoch_values);
    p->epoch_index = malloc(((size_t)u * rs->n_params + 1) * sizeof *p->epoch_index);
    if (!p->epoch_values || !p->epoch_index) return false;
    for (uint32_t e = 0; e < u; e++)
        for (uint32_t i = 0; i < rs->n_params; i++) {
            const dc_param *pa = &rs->params[i];
            int32_t vi = dc_param_value_at(pa, p->epoch_from[e]);
            p->epoch_values[(size_t)e * rs->n_params + i] = vi >= 0 ? pa->values[vi].value : dc_v_unknown(pa->type);
            p->epoch_index[(size_t)e * rs->n_params + i] = vi;
        }
    if (k->traced) return true;
    /* registers for the parameters in force every day of [lo, hi] (the loader checked
     * that a parameter's values do not overlap) */
    for (uint32_t i = 0; i < rs->n_params; i++) {
        const dc_param *pa = &rs->params[i];
        bool full = pa->n_values > 0 && pa->values[0].from == lo && pa->values[pa->n_values - 1].to == hi;
        for (uint32_t v = 1; full && v < pa->n_values; v++) full = pa->values[v].from - 1 == pa->values[v - 1].to;
        if (!full) continue;
        dc_value placeholder = dc_v_unknown(pa->type);
        placeholder.aux = (int32_t)i + 1;   /* a literal register of its own */
        p->preg[i] = konst(k, placeholder);
        p->preg_param[p->n_preg++] = i;
    }
    return true;
}

static bool is_call(int op)
{
    return op == OP_CALL || op == OP_CALLREC || op == OP_CALLJ || op == OP_CALLRECJ || op == OP_TCALL ||
           op == OP_TCALLREC;
}

static bool is_jump(int op)
{
    return op == OP_JMP || op == OP_JF || op == OP_JT || op == OP_JCMP || (op >= OP_JEQ && op <= OP_JGE) ||
           op == OP_INFORCE || op == OP_AGGBEGIN || op == OP_AGGLOOP;
}

/* ---- booleans known along a path (see thread_bools) */

static uint64_t bit_of(const int32_t *tracked, uint32_t n, int32_t r)
{
    for (uint32_t t = 0; t < n; t++)
        if (tracked[t] == r) return UINT64_C(1) << t;
    return 0;
}

enum { USE_A = 1, DEF_A = 2 };

/* How an instruction uses its a operand (b and c, when registers, are read; AMM also
 * writes its c, see thread_bools). */
static int a_use(int op)
{
    switch (op) {
    case OP_JF: case OP_JT: case OP_JCMP: case OP_JEQ: case OP_JNE: case OP_JLT: case OP_JLE: case OP_JGT:
    case OP_JGE: case OP_SAME: case OP_NEED: case OP_RET: case OP_TRET:
        return USE_A;
    case OP_MINMAX: case OP_MMEND: case OP_AGGLOOP: case OP_INC: case OP_SUM: case OP_AMM: case OP_COERCE:
        return USE_A | DEF_A;
    default:
        return op_roles[op] & 1 ? DEF_A : 0;
    }
}

/* The instructions that may run after i: up to two, in next[]; their number. */
static int successors(const insn *in, uint32_t i, uint32_t next[2])
{
    switch (in->op) {
    case OP_RET: case OP_TRET: case OP_BAIL: case OP_HALT: return 0;
    case OP_JMP: next[0] = (uint32_t)in->b; return 1;
    default:
        next[0] = i + 1;
        if (!is_jump(in->op)) return 1;
        next[1] = (uint32_t)in->b;
        return 2;
    }
}

/* What a JF or JT on register bit `bit` says of it on its way on (taken or not): false
 * (zero) or true (not zero), in the known sets *t, *f. Nothing for other instructions. */
static void tested(const insn *in, bool taken, uint64_t bit, uint64_t *t, uint64_t *f)
{
    if ((in->op != OP_JF && in->op != OP_JT) || !bit) return;
    if ((in->op == OP_JT) == taken) { *t |= bit; *f &= ~bit; }
    else { *f |= bit; *t &= ~bit; }
}

typedef struct bool_flow {
    uint64_t use, def;         /* registers tracked: read, written */
    uint64_t is_true, is_false;   /* on entry, on every way in: holds true, false */
    uint64_t live;             /* on entry: may be read before being written */
    bool reached;
} bool_flow;

/* Jump threading on the booleans a level of rules or an `and` leaves in a register
 * (MOV r ← true/false) that a JF/JT then tests, and on the registers a JF/JT tested
 * before on the way: in the function [from, to), a jump (or such a MOV) whose way on is
 * a MOV of a boolean, a JMP, or a test of a register known on that way, goes straight to
 * where that way leads, when every register whose MOV it passes is dead there; a MOV that
 * so leads elsewhere becomes the JMP. Only the registers MOVed a boolean literal or
 * tested by a JF/JT are tracked (at most 64; the others are never known). Known
 * values are computed forward (what every way in has), liveness backward, once: a
 * rewrite passes only writes that are dead where it lands and tests that go the one way
 * on that path, so neither changes for the code left. */
static void thread_bools(dc_program *p, uint32_t from, uint32_t to, int32_t k_true, int32_t k_false)
{
    uint32_t n = to - from;
    int32_t tracked[64];
    uint32_t n_tracked = 0;
    for (uint32_t i = from; i < to && n_tracked < 64; i++) {
        const insn *in = &p->code[i];
        if ((in->op != OP_MOV || (in->b != k_true && in->b != k_false)) && in->op != OP_JF && in->op != OP_JT)
            continue;
        uint32_t t = 0;
        while (t < n_tracked && tracked[t] != in->a) t++;
        if (t == n_tracked) tracked[n_tracked++] = in->a;
    }
    if (!n_tracked) return;
    bool_flow *f = calloc(n, sizeof *f);
    if (!f) return;   /* no rewrite: the code stays as it is */
#define BIT(r) bit_of(tracked, n_tracked, (r))
    for (uint32_t i = 0; i < n; i++) {
        const insn *in = &p->code[from + i];
        uint8_t roles = op_roles[in->op];
        int au = a_use(in->op);
        if (au & USE_A) f[i].use |= BIT(in->a);
        if (roles & 2) f[i].use |= BIT(in->b);
        if (roles & 4) f[i].use |= BIT(in->c);
        if (au & DEF_A) f[i].def |= BIT(in->a);
        if (in->op == OP_AMM) f[i].def |= BIT(in->c);   /* "have one" */
    }
    /* forward: the booleans known on entry */
    f[0].reached = true;
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = 0; i < n; i++) {
            if (!f[i].reached) continue;
            const insn *in = &p->code[from + i];
            uint64_t t = f[i].is_true & ~f[i].def, fa = f[i].is_false & ~f[i].def;
            if (in->op == OP_MOV && in->b == k_true) t |= BIT(in->a);
            if (in->op == OP_MOV && in->b == k_false) fa |= BIT(in->a);
            uint32_t next[2];
            for (int s = successors(in, from + i, next); s-- > 0;) {
                bool_flow *g = &f[next[s] - from];
                uint64_t et = t, ef = fa;
                tested(in, s == 1, BIT(in->a), &et, &ef);   /* next[1]: the jump taken */
                uint64_t nt = g->reached ? g->is_true & et : et, nf = g->reached ? g->is_false & ef : ef;
                if (!g->reached || nt != g->is_true || nf != g->is_false) changed = true;
                g->reached = true;
                g->is_true = nt;
                g->is_false = nf;
            }
        }
    }
    /* backward: liveness */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = n; i-- > 0;) {
            uint32_t next[2];
            uint64_t out = 0;
            for (int s = successors(&p->code[from + i], from + i, next); s-- > 0;) out |= f[next[s] - from].live;
            uint64_t live = f[i].use | (out & ~f[i].def);
            if (live != f[i].live) { f[i].live = live; changed = true; }
        }
    }
    for (uint32_t i = from; i < to; i++) {
        insn *in = &p->code[i];
        bool mov = in->op == OP_MOV && (in->b == k_true || in->b == k_false);
        if (!f[i - from].reached || (!mov && !is_jump(in->op))) continue;
        /* the way on: from the MOV itself, or the jump's target with what holds after it */
        uint64_t t = f[i - from].is_true, fa = f[i - from].is_false;
        uint32_t at = i;
        if (!mov) {
            t &= ~f[i - from].def;
            fa &= ~f[i - from].def;
            tested(in, true, BIT(in->a), &t, &fa);
            at = (uint32_t)in->b;
        }
        uint64_t passed = 0;
        uint32_t best = UINT32_MAX;
        for (int steps = 0; steps < 64; steps++) {
            const insn *w = &p->code[at];
            if (w->op == OP_JMP) {
                at = (uint32_t)w->b;
            } else if ((w->op == OP_JF || w->op == OP_JT) && ((t | fa) & BIT(w->a))) {
                bool holds = (t & BIT(w->a)) != 0;
                at = holds == (w->op == OP_JT) ? (uint32_t)w->b : at + 1;
            } else if (w->op == OP_MOV && (w->b == k_true || w->b == k_false) && BIT(w->a)) {
                t = (t & ~BIT(w->a)) | (w->b == k_true ? BIT(w->a) : 0);
                fa = (fa & ~BIT(w->a)) | (w->b == k_false ? BIT(w->a) : 0);
                passed |= BIT(w->a);
                at++;
            } else {
                break;
            }
            if (at < from || at >= to) break;   /* (jumps stay in their function) */
            if (!(passed & f[at - from].live)) best = at;
        }
        if (best == UINT32_MAX) continue;
        if (!mov) in->b = (int32_t)best;
        else if (best != i + 1) *in = (insn){ .op = OP_JMP, .b = (int32_t)best };
    }
#undef BIT
    free(f);
}

/* Rewrites in place (no instruction moves, so no jump needs renumbering):
 *   per function, jumps threaded through known booleans (thread_bools);
 *   a jump to a JMP goes to where that one goes;
 *   a JMP to a RET is that RET;
 *   MOV r ← v followed by RET r is RET v (a function's registers are dead after it).
 *   a call whose value is tested at once does the test itself when the value is memoised.
 * The instructions bypassed stay where they are, for the other paths that reach them. */
static void peephole(dc_program *p, int32_t k_true, int32_t k_false)
{
    for (uint32_t ci = 0; ci < p->rs->n_computeds; ci++)
        thread_bools(p, p->fns[ci].entry, ci + 1 < p->rs->n_computeds ? p->fns[ci + 1].entry : p->halt_pc,
                     k_true, k_false);
    for (uint32_t i = 0; i < p->n_code; i++) {
        insn *in = &p->code[i];
        if (!is_jump(in->op)) continue;
        for (int hops = 0; hops < 16 && p->code[in->b].op == OP_JMP && p->code[in->b].b != in->b; hops++)
            in->b = p->code[in->b].b;
        if (in->op == OP_JMP && (p->code[in->b].op == OP_RET || p->code[in->b].op == OP_TRET)) *in = p->code[in->b];
    }
    for (uint32_t i = 0; i + 1 < p->n_code; i++) {
        insn *in = &p->code[i], *next = &p->code[i + 1];
        if (in->op == OP_MOV && (next->op == OP_RET || next->op == OP_TRET) && next->a == in->a) {
            int32_t from = in->b;
            *in = *next;
            in->a = from;
        }
        if ((in->op == OP_CALL || in->op == OP_CALLREC) && (next->op == OP_JT || next->op == OP_JF) &&
            next->a == in->a) {
            in->op = in->op == OP_CALL ? OP_CALLJ : OP_CALLRECJ;
            in->t = next->op == OP_JT;
        }
    }
}

/* Whether no function can call itself, directly or not (DFS over the calls in the
 * code; one colour per function: 0 unseen, 1 on the path, 2 done). The checker rejects
 * such cycles; the machine relies on it (a function's registers are its own, and the
 * call stack holds one frame per function), so the builder checks it again rather than
 * trust it: with a cycle there is no program and the reference evaluator decides. */
static bool acyclic(const dc_program *p)
{
    uint32_t n = p->rs->n_computeds;
    uint8_t *colour = calloc(n + 1, 1);
    uint32_t *path = malloc((n + 1) * sizeof *path), *at = malloc((n + 1) * sizeof *at);
    bool ok = colour && path && at;
    for (uint32_t root = 0; ok && root < n; root++) {
        if (colour[root]) continue;
        uint32_t depth = 0;
        path[0] = root;
        at[0] = p->fns[root].entry;
        colour[root] = 1;
        while (ok && depth != UINT32_MAX) {
            uint32_t f = path[depth], end = f + 1 < n ? p->fns[f + 1].entry : p->halt_pc;
            while (at[depth] < end && !is_call(p->code[at[depth]].op)) at[depth]++;
            if (at[depth] == end) { colour[f] = 2; depth--; continue; }
            uint32_t g = (uint32_t)p->code[at[depth]++].b;
            if (colour[g] == 1) ok = false;
            else if (!colour[g]) { colour[g] = 1; path[++depth] = g; at[depth] = p->fns[g].entry; }
        }
    }
    free(colour);
    free(path);
    free(at);
    return ok;
}

dc_program *dc_program_build(const dc_ruleset *rs, bool traced)
{
    static atomic_uint_fast64_t next_id = 1;
    dc_program *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->id = atomic_fetch_add(&next_id, 1);
    p->rs = rs;
    p->fns = calloc(rs->n_computeds + 1, sizeof *p->fns);
    p->n_fields = calloc(rs->n_entities + 1, sizeof *p->n_fields);
    if (!p->fns || !p->n_fields) { dc_program_free(p); return NULL; }
    for (uint32_t e = 0; e < rs->n_entities; e++) p->n_fields[e] = rs->entities[e].n_inputs;
    cc k;
    memset(&k, 0, sizeof k);
    k.p = p;
    k.rs = rs;
    k.traced = traced;
    k.k_true = konst(&k, dc_v_make(DC_T_BOOL, 1));
    k.k_false = konst(&k, dc_v_make(DC_T_BOOL, 0));
    k.inlining = calloc(rs->n_computeds + 1, 1);
    if (!k.inlining) p->failed = 1;
    p->n_fn_regs = 2;   /* DATE_REG, RESULT_REG */
    if (!param_epochs(&k)) p->failed = 1;
    for (uint32_t i = 0; i < rs->n_computeds && !p->failed; i++) function(&k, i);
    p->halt_pc = emit(&k, OP_HALT, 0, 0, 0, 0, 0);
    if (!p->failed) peephole(p, k.k_true, k.k_false);
    bool strides_fit = true;   /* CALLREC keeps a list's memo stride in 16 bits */
    for (uint32_t e = 0; e < rs->n_entities; e++) strides_fit &= rs->n_record_computeds[e] <= UINT16_MAX;
    free(k.inlining);
    if (p->failed || rs->n_entities > UINT16_MAX || !strides_fit || !acyclic(p)) {
        free(k.jmask);
        dc_program_free(p);
        return NULL;
    }
    free(k.jmask);
    if (!finish(p)) {
        dc_program_free(p);
        return NULL;
    }
    return p;
}

void dc_program_free(dc_program *p)
{
    if (!p) return;
    free(p->code);
    free(p->consts);
    free(p->fns);
    free(p->n_fields);
    free(p->preg);
    free(p->preg_param);
    free(p->epoch_from);
    free(p->epoch_values);
    free(p->epoch_index);
    free(p);
}

/* ------------------------------------------------------------------ running */

typedef struct call_frame {
    const struct insn *ret;    /* where to go on */
    int32_t dst;               /* the register for the value (byte offset) */
    dc_value *cell;            /* where the value is memoised */
} call_frame;

/* A traced call's own part (by depth, next to call_frame): its trace node, what it
 * computes, and the rule applied so far. */
typedef struct trace_frame {
    int32_t node, ci, record, applied;
    uint8_t how;
} trace_frame;

struct dc_vm {
    const dc_program *p;       /* the program the arrays below are sized for … */
    uint64_t bound;            /* … identified by its id (0: none) */
    dc_value *regs;            /* [p->n_regs], literals filled at bind time */
    call_frame *stack;         /* [n_computeds + 1]: calls in progress (no cycles: at most
                                  one frame per function, and the outermost) */
    dc_value **cell;           /* [n_computeds]: memo cell of each computed value for this
                                  case (per-record: its cell for the first record; then
                                  one record's cells after the other, in list order) */
    dc_value *memo;            /* known = 0: not computed yet */
    size_t cap_memo;
    size_t *ent_base;          /* [n_entities]: first memo cell of each list, as `cell` was
                                  last computed for (SIZE_MAX: not yet) */
    const dc_case *c;
    int32_t date;
    const dc_value *prow;      /* the epoch's row of parameter values (see dc_program), … */
    const int32_t *pirow;      /* … of their indexes … */
    int32_t efrom, eto;        /* … and its days (empty: none) */
    bool runnable;             /* the date is in an epoch (see dc_program) */
    dc_value *no_rule;         /* the cell of the value whose no-rule BAIL stopped the run */
    /* traced runs only */
    decide_result *r;          /* where the trace goes; NULL: not tracing */
    int trace;                 /* decide_trace_level */
    trace_frame *tstack;       /* [n_computeds + 1] */
};

void dc_vm_free(dc_vm *m)
{
    if (!m) return;
    free(m->tstack);
    free(m->regs);
    free(m->stack);
    free(m->cell);
    free(m->memo);
    free(m->ent_base);
    free(m);
}

static int bind(dc_vm *m, const dc_program *p)
{
    const dc_ruleset *rs = p->rs;
    free(m->regs); free(m->stack); free(m->cell); free(m->ent_base); free(m->tstack);
    m->p = NULL;
    m->bound = 0;
    m->regs = calloc(p->n_regs, sizeof *m->regs);
    m->stack = malloc((rs->n_computeds + 1) * sizeof *m->stack);
    m->cell = calloc(rs->n_computeds + 1, sizeof *m->cell);
    m->ent_base = malloc((rs->n_entities + 1) * sizeof *m->ent_base);
    m->tstack = calloc(rs->n_computeds + 1, sizeof *m->tstack);
    if (!m->regs || !m->stack || !m->cell || !m->ent_base || !m->tstack)
        return -1;
    for (uint32_t e = 0; e < rs->n_entities; e++) m->ent_base[e] = SIZE_MAX;
    memcpy(m->regs + p->n_fn_regs, p->consts, p->n_consts * sizeof *p->consts);
    m->prow = NULL;
    m->efrom = INT32_MAX;
    m->eto = INT32_MIN;
    m->p = p;
    m->bound = p->id;
    return 0;
}

static inline dc_value vbool(bool b) { return dc_v_make(DC_T_BOOL, b); }

/* A memo cell the reference evaluator found unknown (dc_program_settle), or that a run
 * stopped in: known 0 and aux 1, or 2 when the run found that no rule of the value
 * applies (BAIL a = 1); a call to it stops the run. Cleared cells (not computed yet)
 * have aux 0. */
#define STOPPED(cell) ((cell)->aux != 0)
#define NO_RULE(cell) ((cell)->aux == 2)

/* Runs computed value ci into its memo cell `cell` (a per-record value: its record's
 * register set by the caller); 0 with *out, or -1: the reference evaluator decides.
 * Dispatch is threaded (one indirect jump per instruction kind), a GNU C extension
 * that gcc and clang both have. */
static int exec(dc_vm *m, int32_t ci, dc_value *cell, dc_value *out)
{
    static const void *const labels[] = {
#define X(name, roles) &&L_##name,
        OPS(X)
#undef X
    };
    const dc_program *p = m->p;
    const fn_info *fns = p->fns;
    dc_value *R = m->regs;
    /* register operands are byte offsets into R, jump targets byte offsets from the jump
     * (see finish) */
#define REG(o) (*(dc_value *)((char *)R + (o)))
#define GO(from, off) ((const insn *)((const char *)(from) + (off)))
    const insn *in;
    const dc_fact *top = m->c->top;
    const dc_case_list *L = m->c->lists;
    const uint32_t *n_fields = p->n_fields;
    call_frame *const stack = m->stack;
    call_frame *fp = stack;    /* the innermost call's frame */
    const insn *ip;
    dc_value v;
    /* the outermost frame returns to HALT */
    fp->ret = p->code + p->halt_pc;
    fp->dst = RESULT_REG * (int32_t)sizeof *R;
    fp->cell = cell;
    fp++;
    ip = fns[ci].start;
    trace_frame *const tstack = m->tstack;
    trace_frame *tf = tstack;   /* traced runs: the innermost call's trace frame */
    int32_t record;
    if (m->r) {
        *tf = (trace_frame){ dc_trace_open(m->r, ci, -1), ci, -1, -1, DC_HOW_NONE };
        if (tf->node < 0) return -1;
    }
#define NEXT do { in = ip++; goto *labels[in->op]; } while (0)
    NEXT;
L_MOV: REG(in->a) = REG(in->b); NEXT;
L_INPUT: {
        const dc_fact *f = &top[in->b];
        if (!f->value.known || (in->x && f->value.u.i > m->date)) goto bail;
        REG(in->a) = f->value;
        NEXT;
    }
L_FIELD: {
        const dc_fact *f = &L[in->x].facts[(size_t)REG(in->c).u.i * n_fields[in->x] + (size_t)in->b];
        if (!f->value.known || (in->t && f->value.u.i > m->date)) goto bail;
        REG(in->a) = f->value;
        NEXT;
    }
L_PARAM:
        if (!m->prow[in->b].known) goto bail;   /* not in force */
        REG(in->a) = m->prow[in->b];
        NEXT;
L_CALL:
        cell = m->cell[in->b];
        if (cell->known) { REG(in->a) = *cell; NEXT; }
        goto call;
L_CALLJ:
        cell = m->cell[in->b];
        if (cell->known) goto hit_test;
        goto call;
L_CALLREC: L_CALLRECJ: {
        int64_t rec = REG(in->c).u.i;
        cell = m->cell[in->b] + rec * in->x;
        if (cell->known) {
            if (in->op == OP_CALLRECJ) goto hit_test;
            REG(in->a) = *cell;
            NEXT;
        }
        R[fns[in->b].rec_reg] = dc_v_make(DC_T_INT, rec);
        goto call;
    }
    hit_test:
        /* the memoised value, and the JT/JF after the call done here */
        REG(in->a) = *cell;
        ip = (cell->u.i != 0) == in->t ? GO(ip, ip->b) : ip + 1;
        NEXT;
    call:
        /* no C recursion: one frame on the machine's stack (the call graph has no cycle,
         * checked when the program was built, so the stack cannot overflow) */
        if (STOPPED(cell)) goto bail;
        fp->ret = ip;
        fp->dst = in->a;
        fp->cell = cell;
        fp++;
        ip = fns[in->b].start;
        NEXT;
L_POS: REG(in->a) = dc_v_make(DC_T_INT, REG(in->b).u.i + 1); NEXT;
L_NOT: REG(in->a) = vbool(!REG(in->b).u.i); NEXT;
L_NEG: if (dc_op_neg(REG(in->b), &REG(in->a)) != DC_VOK) goto bail; NEXT;
L_CMP: REG(in->a) = vbool(dc_op_holds((dc_binop)in->t, dc_op_compare(REG(in->b), REG(in->c)))); NEXT;
L_JCMP: if (dc_op_holds((dc_binop)in->t, dc_op_compare(REG(in->a), REG(in->c))) == in->x) ip = GO(in, in->b); NEXT;
L_JEQ: if (REG(in->a).u.i == REG(in->c).u.i) ip = GO(in, in->b); NEXT;
L_JNE: if (REG(in->a).u.i != REG(in->c).u.i) ip = GO(in, in->b); NEXT;
L_JLT: if (REG(in->a).u.i < REG(in->c).u.i) ip = GO(in, in->b); NEXT;
L_JLE: if (REG(in->a).u.i <= REG(in->c).u.i) ip = GO(in, in->b); NEXT;
L_JGT: if (REG(in->a).u.i > REG(in->c).u.i) ip = GO(in, in->b); NEXT;
L_JGE: if (REG(in->a).u.i >= REG(in->c).u.i) ip = GO(in, in->b); NEXT;
L_ARITH:
        if (dc_op_arith((dc_binop)in->t, (dc_type_kind)in->x, REG(in->b), REG(in->c), &REG(in->a)) != DC_VOK) goto bail;
        NEXT;
L_IADD:
        if (__builtin_add_overflow(REG(in->b).u.i, REG(in->c).u.i, &v.u.i)) goto bail;
        REG(in->a) = dc_v_make((dc_type_kind)in->x, v.u.i);
        NEXT;
L_ISUB:
        if (__builtin_sub_overflow(REG(in->b).u.i, REG(in->c).u.i, &v.u.i)) goto bail;
        REG(in->a) = dc_v_make((dc_type_kind)in->x, v.u.i);
        NEXT;
L_MULMD: {
        bool bm = REG(in->b).type == DC_T_MONEY;
        if (dc_dec_mul_cents(bm ? REG(in->b).u.i : REG(in->c).u.i, bm ? REG(in->c).u.i : REG(in->b).u.i, &v.u.i) != DC_VOK)
            goto bail;
        REG(in->a) = dc_v_make((dc_type_kind)in->x, v.u.i);
        NEXT;
    }
L_IMUL:
        if (__builtin_mul_overflow(REG(in->b).u.i, REG(in->c).u.i, &v.u.i)) goto bail;   /* exact */
        REG(in->a) = dc_v_make((dc_type_kind)in->x, v.u.i);
        NEXT;
L_DIVDI:
        if (dc_dec_div_int(REG(in->b).u.i, REG(in->c).u.i, &v.u.i) != DC_VOK) goto bail;
        REG(in->a) = dc_v_make((dc_type_kind)in->x, v.u.i);
        NEXT;
L_RCENT:
        if (dc_dec_to_cents_half_away(REG(in->b).u.i, &v.u.i) != DC_VOK) goto bail;
        REG(in->a) = dc_v_make((dc_type_kind)in->x, v.u.i);
        NEXT;
L_AGE:
        REG(in->a) = dc_v_make((dc_type_kind)in->x, dc_date_age((int32_t)REG(in->b).u.i, (int32_t)REG(in->c).u.i));
        NEXT;
L_FUNC: {
        dc_value args[2] = { REG(in->b), REG(in->c) };
        if (dc_op_func((dc_func)in->t, (dc_type_kind)(in->x & 0xff), args, in->x >> 8, &REG(in->a)) != DC_VOK)
            goto bail;
        NEXT;
    }
L_MINMAX: {
        int c = dc_op_compare(REG(in->b), REG(in->a));
        if (in->t == DC_FN_MIN ? c < 0 : c > 0) REG(in->a) = REG(in->b);
        NEXT;
    }
L_MMEND:
        if (dc_op_minmax_result(REG(in->a), (dc_type_kind)in->x, &REG(in->a)) != DC_VOK) goto bail;
        NEXT;
L_JMP: ip = GO(in, in->b); NEXT;
L_JF: if (!REG(in->a).u.i) ip = GO(in, in->b); NEXT;
L_JT: if (REG(in->a).u.i) ip = GO(in, in->b); NEXT;
L_INFORCE: if (m->date < in->a || m->date > in->c) ip = GO(in, in->b); NEXT;
L_SAME: if (!dc_value_equal(REG(in->a), REG(in->b))) goto bail; NEXT;   /* a conflict */
L_BAIL:
        if (in->a) m->no_rule = fp[-1].cell;   /* marked NO_RULE by run(), after the bail */
        goto bail;
L_AGGBEGIN:
        if (L[in->x].count <= 0) {
            if (L[in->x].count < 0) goto bail;
            ip = GO(in, in->b);
        }
        REG(in->a) = dc_v_make(DC_T_INT, 0);
        NEXT;
L_AGGLOOP: if (++REG(in->a).u.i < L[in->x].count) ip = GO(in, in->b); NEXT;
L_INC: REG(in->a).u.i++; NEXT;
L_SUM: if (dc_op_sum_step(&REG(in->a).u.i, REG(in->b), (dc_type_kind)in->x) != DC_VOK) goto bail; NEXT;
L_AMM: {
        if (!REG(in->c).u.i) { REG(in->a) = REG(in->b); REG(in->c) = vbool(true); NEXT; }
        int c = dc_op_compare(REG(in->b), REG(in->a));
        if (in->t == DC_AGG_AMIN ? c < 0 : c > 0) REG(in->a) = REG(in->b);
        NEXT;
    }
L_NEED: if (!REG(in->a).u.i) goto bail; NEXT;
L_RET: {
        const dc_value *res = &REG(in->a);
        if (res->type != in->x) {
            if (dc_op_coerce(*res, (dc_type_kind)in->x, &v) != DC_VOK) goto bail;
            res = &v;
        }
        fp--;
        *fp->cell = *res;
        REG(fp->dst) = *fp->cell;
        ip = fp->ret;
        NEXT;
    }
L_COERCE:
        if (REG(in->a).type != in->x && dc_op_coerce(REG(in->a), (dc_type_kind)in->x, &REG(in->a)) != DC_VOK) goto bail;
        NEXT;
L_TINPUT: {
        const dc_fact *f = &top[in->b];
        if (!f->value.known || (in->x && f->value.u.i > m->date)) goto bail;
        REG(in->a) = f->value;
        if (m->trace >= DECIDE_TRACE_FULL)
            dc_trace_add_read(m->r, tf->node, DC_READ_INPUT, in->c, -1, -1, f->value, DC_FACT_PRESENT);
        NEXT;
    }
L_TFIELD: {
        record = (int32_t)REG(in->c).u.i;
        const dc_fact *f = &L[in->x].facts[(size_t)record * n_fields[in->x] + (size_t)in->b];
        if (!f->value.known || (in->t && f->value.u.i > m->date)) goto bail;
        REG(in->a) = f->value;
        if (m->trace >= DECIDE_TRACE_FULL)
            dc_trace_add_read(m->r, tf->node, DC_READ_INPUT,
                              (int32_t)(p->rs->entities[in->x].first_input + (uint32_t)in->b), (int32_t)record, -1,
                              f->value, DC_FACT_PRESENT);
        NEXT;
    }
L_TPARAM:
        if (!m->prow[in->b].known) goto bail;
        REG(in->a) = m->prow[in->b];
        if (m->trace >= DECIDE_TRACE_FULL)
            dc_trace_add_read(m->r, tf->node, DC_READ_PARAM, in->b, -1, m->pirow[in->b],
                              REG(in->a), DC_FACT_PRESENT);
        NEXT;
L_TCALL:
        record = -1;
        cell = m->cell[in->b];
        goto tcall;
L_TCALLREC:
        record = (int32_t)REG(in->c).u.i;
        cell = m->cell[in->b] + (int64_t)record * in->x;
    tcall:
        if (cell->known) {
            REG(in->a) = *cell;
            if (m->trace >= DECIDE_TRACE_SUMMARY)
                dc_trace_add_read(m->r, tf->node, DC_READ_COMPUTED, in->b, record, -1, *cell, DC_FACT_PRESENT);
            NEXT;
        }
        if (record >= 0) R[fns[in->b].rec_reg] = dc_v_make(DC_T_INT, record);
        tf++;
        *tf = (trace_frame){ dc_trace_open(m->r, in->b, record), in->b, record, -1, DC_HOW_NONE };
        if (tf->node < 0) goto bail;
        goto call;
L_TRET: {
        v = REG(in->a);
        if (v.type != in->x && dc_op_coerce(v, (dc_type_kind)in->x, &v) != DC_VOK) goto bail;
        fp--;
        const trace_frame *t = tf--;
        *fp->cell = v;
        /* the reference evaluator's memo cell, as it would have left it */
        dc_memo *mm = dc_memo_cell(m->r, t->ci, t->record);
        *mm = (dc_memo){ .state = 2, .trace_node = t->node, .value = { v, NULL } };
        dc_trace_close(m->r, t->node, mm->value, t->applied, t->how);
        if (t > tstack && m->trace >= DECIDE_TRACE_SUMMARY)
            dc_trace_add_read(m->r, tf->node, DC_READ_COMPUTED, t->ci, t->record, -1, v, DC_FACT_PRESENT);
        REG(fp->dst) = v;
        ip = fp->ret;
        NEXT;
    }
L_APPLY:
        tf->applied = in->a;
        tf->how = (uint8_t)in->x;
        NEXT;
L_TSKIP:
        if (m->trace >= DECIDE_TRACE_FULL) dc_trace_add_skip(m->r, tf->node, in->a, 0);
        NEXT;
L_HALT:
        *out = R[RESULT_REG];
        return 0;
bail:
        /* the values in progress depend on the one that stopped: a later run (asked by the
         * reference evaluator, dc_program_value) stops on them at once, until the reference
         * evaluator settles them */
        for (call_frame *f = stack; f < fp; f++) f->cell->aux = 1;   /* STOPPED */
        return -1;
#undef NEXT
#undef GO
#undef REG
}

/* exec, and the NO_RULE mark of a run stopped by a no-rule BAIL (after the bail marked
 * its cell STOPPED with the others). Kept out of the machine: a handler more in exec
 * costs gcc's register allocation over all of them ~3 % more instructions per case. */
static int run(dc_vm *m, int32_t ci, dc_value *cell, dc_value *out)
{
    int rc = exec(m, ci, cell, out);
    if (m->no_rule) {
        m->no_rule->aux = 2;   /* NO_RULE */
        m->no_rule = NULL;
    }
    return rc;
}

static int call_fn(dc_vm *m, int32_t ci, dc_value *out)
{
    dc_value *cell = m->cell[ci];
    if (cell->known) { *out = *cell; return 0; }
    return run(m, ci, cell, out);
}

/* The row of date's epoch and the parameter registers filled from it, if date is in the
 * span of the epochs; else the program does not run (m->runnable). */
static void set_epoch(dc_vm *m, int32_t date)
{
    const dc_program *p = m->p;
    m->runnable = p->n_epochs && date >= p->epoch_from[0] && date <= p->span_to;
    if (!m->runnable) {
        m->efrom = INT32_MAX;
        m->eto = INT32_MIN;
        return;
    }
    uint32_t lo = 0, hi = p->n_epochs;   /* the last epoch that starts on or before date */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p->epoch_from[mid] <= date) lo = mid;
        else hi = mid;
    }
    m->efrom = p->epoch_from[lo];
    m->eto = lo + 1 < p->n_epochs ? p->epoch_from[lo + 1] - 1 : p->span_to;
    m->prow = p->epoch_values + (size_t)lo * p->rs->n_params;
    m->pirow = p->epoch_index + (size_t)lo * p->rs->n_params;
    for (uint32_t j = 0; j < p->n_preg; j++) m->regs[p->preg[p->preg_param[j]]] = m->prow[p->preg_param[j]];
}

/* The machine bound to p, with a cleared memo for case c at date (NULL: out of memory). */
static dc_vm *prepare(dc_vm **vmp, const dc_program *p, const dc_case *c, int32_t date)
{
    const dc_ruleset *rs = p->rs;
    dc_vm *m = *vmp;
    if (!m) {
        if (!(m = calloc(1, sizeof *m))) return NULL;
        *vmp = m;
    }
    if ((m->p != p || m->bound != p->id) && bind(m, p) < 0) return NULL;
    m->runnable = true;
    /* the memo: the top-level values, then each list's records, one after the other,
     * each with its per-record values */
    size_t cells = rs->n_top_computeds;
    bool moved = false;
    for (uint32_t e = 0; e < rs->n_entities; e++) {
        moved |= m->ent_base[e] != cells;
        m->ent_base[e] = cells;
        int32_t count = c->lists[e].count;
        if (count > 0) cells += (size_t)count * rs->n_record_computeds[e];
    }
    if (cells > m->cap_memo) {
        size_t cap = cells < 256 ? 256 : cells * 2;
        dc_value *n = realloc(m->memo, cap * sizeof *n);
        if (!n) {
            for (uint32_t e = 0; e < rs->n_entities; e++) m->ent_base[e] = SIZE_MAX;
            return NULL;
        }
        moved |= n != m->memo;
        m->memo = n;
        m->cap_memo = cap;
    }
    memset(m->memo, 0, cells * sizeof *m->memo);
    if (moved || !m->cell[0])
        for (uint32_t ci = 0; ci < rs->n_computeds; ci++) {
            const dc_computed *cv = &rs->computeds[ci];
            m->cell[ci] = m->memo + (cv->entity < 0 ? 0 : m->ent_base[cv->entity]) + cv->slot;
        }
    m->c = c;
    m->date = date;
    m->regs[DATE_REG] = dc_v_make(DC_T_DATE, date);
    m->r = NULL;
    if (rs->n_params && (date < m->efrom || date > m->eto)) set_epoch(m, date);
    return m;
}

int dc_program_run(dc_vm **vmp, const dc_program *p, const dc_case *c, int32_t date,
                   dc_value *eligible, dc_value *amount)
{
    const dc_ruleset *rs = p->rs;
    dc_vm *m = prepare(vmp, p, c, date);
    if (!m) return -1;
    if (!m->runnable || call_fn(m, rs->eligible, eligible) < 0) return 0;
    if (rs->amount >= 0) {
        if (call_fn(m, rs->amount, amount) < 0) return 0;
    } else {
        *amount = dc_v_unknown(DC_T_MONEY);
    }
    return 1;
}

int dc_program_run_traced(dc_vm **vmp, const dc_program *p, decide_result *r)
{
    const dc_ruleset *rs = p->rs;
    dc_vm *m = prepare(vmp, p, r->c, r->date);
    if (!m) return -1;
    if (!m->runnable) return 0;
    m->r = r;
    m->trace = r->trace_level;
    dc_value v;
    int ok = call_fn(m, rs->eligible, &v) == 0 && (rs->amount < 0 || call_fn(m, rs->amount, &v) == 0);
    m->r = NULL;
    return ok;
}

/* The memo cell of computed ci for record (-1 at top level) in the current case. */
static dc_value *cell_of(const dc_vm *m, int32_t ci, int32_t record)
{
    const dc_ruleset *rs = m->p->rs;
    const dc_computed *cv = &rs->computeds[ci];
    return m->cell[ci] + (cv->entity < 0 ? 0 : (size_t)record * rs->n_record_computeds[cv->entity]);
}

int dc_program_value(dc_vm *m, int32_t ci, int32_t record, dc_value *out)
{
    dc_value *cell = cell_of(m, ci, record);
    if (cell->known) { *out = *cell; return 1; }
    if (!STOPPED(cell) && m->runnable) {
        if (record >= 0) m->regs[m->p->fns[ci].rec_reg] = dc_v_make(DC_T_INT, record);
        if (run(m, ci, cell, out) == 0) return 1;
    }
    return NO_RULE(cell) ? 2 : 0;
}

void dc_program_settle(dc_vm *m, int32_t ci, int32_t record, const dc_value *known)
{
    dc_value *cell = cell_of(m, ci, record);
    if (known) {
        *cell = *known;
    } else {
        *cell = dc_v_unknown((dc_type_kind)cell->type);
        cell->aux = 1;   /* STOPPED */
    }
}
