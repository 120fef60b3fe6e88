/* ops.h — the value-level operations of the expression language, shared by the two
 * evaluators (eval.c, the reference tree walker with reasons and traces; compile.c, the
 * compiled fast path over known values). One definition of each operation, so both
 * compute bit-identical values. Every function returns DC_VOK or the value module's
 * error (DC_VERR_OVERFLOW, DC_VERR_DIVZERO, DC_VERR_RANGE); `out` is set only on
 * DC_VOK. Operands are known values of the types the checker allowed. */
#ifndef DC_OPS_H
#define DC_OPS_H
#include <string.h>
#include "ast.h"
#include "value.h"

/* Ordering of two comparable known values: -1, 0, 1. Same representation compares
 * payloads; int/decimal/rate/money compare numerically (money in euros). */
static inline int dc_op_compare(dc_value a, dc_value b)
{
    if (a.type == b.type && a.type != DC_T_TEXT && a.type != DC_T_DURATION)
        return a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
    if (a.type == DC_T_DATE || a.type == DC_T_ENUM || a.type == DC_T_BOOL)
        return a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
    if (a.type == DC_T_TEXT) return strcmp(a.u.s, b.u.s);
    if (a.type == DC_T_DURATION)
        return a.u.i != b.u.i ? (a.u.i < b.u.i ? -1 : 1) : (a.aux < b.aux ? -1 : a.aux > b.aux);
    return dc_num_cmp(a, b);
}

/* Whether a comparison operator (DC_OP_EQ … DC_OP_GE) holds given dc_op_compare's result. */
static inline bool dc_op_holds(dc_binop op, int c)
{
    switch (op) {
    case DC_OP_EQ: return c == 0;
    case DC_OP_NE: return c != 0;
    case DC_OP_LT: return c < 0;
    case DC_OP_LE: return c <= 0;
    case DC_OP_GT: return c > 0;
    default: return c >= 0;
    }
}

/* a OP b for the arithmetic operators (+ - * /), result of type rt (the node's type). */
int dc_op_arith(dc_binop op, dc_type_kind rt, dc_value a, dc_value b, dc_value *out);
/* -a */
int dc_op_neg(dc_value a, dc_value *out);
/* A function of dc_func other than min/max, on its n (1 or 2) known arguments. */
int dc_op_func(dc_func f, dc_type_kind rt, const dc_value *args, uint32_t n, dc_value *out);
/* The value of min/max(…) once the best argument is chosen: mixed int/decimal
 * arguments give a decimal (the node's type rt). */
int dc_op_minmax_result(dc_value best, dc_type_kind rt, dc_value *out);
/* A computed value's result converted to its declared type (int → decimal/rate;
 * otherwise only the type label changes). */
int dc_op_coerce(dc_value v, dc_type_kind to, dc_value *out);
/* One step of sum(…): acc += v when v is summable into rt (else acc unchanged). */
static inline int dc_op_sum_step(int64_t *acc, dc_value v, dc_type_kind rt)
{
    if (v.type == DC_T_INT || v.type == DC_T_MONEY || v.type == rt)
        return dc_i64_add(*acc, v.u.i, acc);
    return DC_VOK;
}
#endif
